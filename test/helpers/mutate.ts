/** A seeded mutation corpus for differential schema tests: wrong types, missing fields, bad codes and formats, empties, duplicates, extras. */

type J = Record<string, unknown>;

export { seededRandom as rng } from '../../src/core/random.js';

type Slot = { parent: J | unknown[]; key: string | number; value: unknown };
function slots(value: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((v, k) => {
      out.push({ parent: value, key: k, value: v });
      slots(v, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push({ parent: value as J, key: k, value: v });
      slots(v, out);
    }
  }
  return out;
}
const set = (s: Slot, v: unknown): void => void ((s.parent as Record<string | number, unknown>)[s.key] = v);

/**
 * A deep copy made in this realm. Not structuredClone: under Jest its copies are objects of another
 * realm than the test's (and the reader's) JSON.parse gives, which ajv's deep equality never finds
 * equal to them — an item given twice, one a copy, went unseen by uniqueItems on both sides.
 */
const jsonCopy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** One mutation of a deep copy of `release`. */
export function mutate(release: J, r: () => number): J {
  const m = jsonCopy(release);
  const all = slots(m);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const kind = Math.floor(r() * 10);
  const s = pick(all);
  switch (kind) {
    case 0: // wrong type
      set(s, typeof s.value === 'string' ? 42 : typeof s.value === 'number' ? 'forty-two' : typeof s.value === 'boolean' ? 'yes' : Array.isArray(s.value) ? { x: 1 } : s.value === null ? 1 : ['x']);
      break;
    case 1: // missing required fields
      delete m[pick(['ocid', 'id', 'date', 'tag', 'initiationType'])];
      for (const c of (m['contracts'] as J[] | undefined) ?? []) if (r() < 0.5) delete c['awardID'];
      break;
    case 2: {
      // bad codes
      const codes: Array<[string, unknown]> = [['tag', ['tender', 'auction']], ['initiationType', 'auction'], ['language', 12]];
      const [k, v] = pick(codes);
      m[k] = v;
      const t = m['tender'] as J | undefined;
      if (t) t[pick(['status', 'procurementMethod', 'mainProcurementCategory'])] = 'zzz';
      // … and any text anywhere: the closed codelists of the extensions too (paidBy, measure, goal, strategies…)
      for (const x of all) if (typeof x.value === 'string' && r() < 0.1) set(x, 'zzz');
      for (const a of [...((m['awards'] as J[] | undefined) ?? []), ...((m['contracts'] as J[] | undefined) ?? [])]) {
        if (r() < 0.5) a['status'] = 'signed';
        const value = a['value'] as J | undefined;
        if (value && r() < 0.5) value['currency'] = 'EURO';
      }
      break;
    }
    case 3: // bad formats
      for (const x of all) if (typeof x.value === 'string' && /T\d\d:\d\d/.test(x.value) && r() < 0.5) set(x, pick(['yesterday', '2024-13-45T00:00:00Z', '2024-05-15']));
      break;
    case 4: // empty strings and arrays
      for (const x of all) if ((typeof x.value === 'string' || Array.isArray(x.value)) && r() < 0.15) set(x, typeof x.value === 'string' ? '' : []);
      break;
    case 5: {
      // duplicates in arrays
      const arrays = all.filter((x) => Array.isArray(x.value) && (x.value as unknown[]).length > 0);
      if (arrays.length > 0) {
        const a = pick(arrays).value as unknown[];
        a.push(jsonCopy(a[0]));
      }
      break;
    }
    case 6: // extra fields (allowed)
      for (const x of all) if (x.value !== null && typeof x.value === 'object' && !Array.isArray(x.value) && r() < 0.3) (x.value as J)['x_extra'] = r() < 0.5 ? 'text' : { nested: [1, 2] };
      break;
    case 7: // nulls
      set(s, null);
      break;
    case 8: // empty objects
      for (const x of all) if (x.value !== null && typeof x.value === 'object' && !Array.isArray(x.value) && r() < 0.2) set(x, {});
      break;
    default: // numbers out of range, integers as floats, language variants
      for (const x of all) {
        if (typeof x.value === 'number' && r() < 0.3) set(x, pick([-1, 1.5, 2, 1e21, 0]));
        if (typeof x.key === 'string' && typeof x.value === 'string' && r() < 0.2) (x.parent as J)[`${x.key}_${pick(['fr', 'en-GB', 'x-private', '12', 'zz_ZZ'])}`] = pick(['texte', 5]);
      }
  }
  return m;
}


/** Keys of DECP records whose values are codes of a closed list (both generations). */
const DECP_CODE_KEYS = /^(_type|nature|procedure|formePrix|typeCode|typeIdentifiant|ccag|modaliteExecution|technique|typePrix|typeGroupementOperateurs|considerationSociale|considerationEnvironnementale|tauxAvance|origineUE|origineFrance)$/;

/**
 * One mutation of a deep copy of a DECP record, as real publishers get them wrong: a value of
 * another type, a number written as text (`"30000.00"`, `"30 000,00"`), a text too long or too
 * short, a SIRET, CPV, date or code out of its pattern or list, a field left out, a field added, a
 * null, an empty list or object, an item given twice, an object where a list belongs and a list
 * where an object does. Returns the copy and what was done (for a failing test's message).
 */
export function mutateDecp(record: J, r: () => number): { data: J; what: string } {
  const m = jsonCopy(record);
  const all = slots(m);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const s = pick(all);
  const at = `${String(s.key)}`;
  const leaves = all.filter((x) => x.value === null || typeof x.value !== 'object');
  const objects = all.filter((x) => x.value !== null && typeof x.value === 'object' && !Array.isArray(x.value));
  const arrays = all.filter((x) => Array.isArray(x.value));
  const named = (re: RegExp): Slot[] => all.filter((x) => typeof x.key === 'string' && re.test(x.key) && (x.value === null || typeof x.value !== 'object'));
  const kind = Math.floor(r() * 14);
  switch (kind) {
    case 0: {
      // a value of another type
      const l = pick(leaves);
      set(l, typeof l.value === 'string' ? pick([42, true, 1.5]) : typeof l.value === 'number' ? pick(['forty-two', true]) : typeof l.value === 'boolean' ? pick(['oui', 'true', 1]) : pick([1, 'x']));
      return { data: m, what: `type ${String(l.key)}` };
    }
    case 1: {
      // a number written as text
      const nums = leaves.filter((x) => typeof x.value === 'number');
      if (nums.length === 0) break;
      const l = pick(nums);
      const n = l.value as number;
      set(l, pick([String(n), `${n.toFixed(2)}`, `${Math.trunc(n).toLocaleString('fr-FR')},00`, `${n} €`]));
      return { data: m, what: `number as text ${String(l.key)}` };
    }
    case 2: {
      // a text too long or too short
      const texts = leaves.filter((x) => typeof x.value === 'string');
      if (texts.length === 0) break;
      const l = pick(texts);
      set(l, pick(['x'.repeat(1001), 'é'.repeat(257), 'a', '', ' ', String(l.value).repeat(20)]));
      return { data: m, what: `length ${String(l.key)}` };
    }
    case 3: {
      // a SIRET that is not one
      const ids = named(/^id$/);
      if (ids.length === 0) break;
      const l = pick(ids);
      set(l, pick(['1234567890123', '123456789012345', '802 684 969 000 16', ' 44189140500017 ', '0000000000000A', 'FR12345678901', 12345678901234, '']));
      return { data: m, what: `siret ${String(l.key)}` };
    }
    case 4: {
      // a CPV out of its pattern
      const l = named(/^codeCPV$/);
      const v = pick(['4543100-7', '3111000', '031210005', '45210000-X', '45.21.00.00', '45210000 ', '45210000-12', 45210000]);
      if (l.length > 0) set(pick(l), v);
      else m['codeCPV'] = v;
      return { data: m, what: `cpv ${JSON.stringify(v)}` };
    }
    case 5: {
      // a date out of its pattern
      const dates = named(/^date/i);
      if (dates.length === 0) break;
      const l = pick(dates);
      set(l, pick(['2024-13-01', '31/12/2024', '2024-05-15T10:00:00', '2024-5-1', '2018-01-26+01:00Z', '2007-08-13Z', 'publié le 2024-05-25', '20240515', '2024-02-30', '0218-10-29', '2024-05-15 ']));
      return { data: m, what: `date ${String(l.key)}` };
    }
    case 6: {
      // a code out of its list: another spelling of it, or another word
      const codes = named(DECP_CODE_KEYS);
      const l = codes.length > 0 ? pick(codes) : pick(leaves);
      const v = l.value;
      set(l, typeof v === 'string' && r() < 0.5 ? pick([v.toUpperCase(), v.toLowerCase(), ` ${v}`, v.normalize('NFD')]) : pick(['zzz', 'Autre', 'Marché public', 'Appel d\'offres', 'AOO']));
      return { data: m, what: `code ${String(l.key)}` };
    }
    case 7: {
      // a field left out
      if (objects.length === 0) break;
      const o = pick([{ value: m }, ...objects]).value as J;
      const keys = Object.keys(o);
      if (keys.length === 0) break;
      const k = pick(keys);
      delete o[k];
      return { data: m, what: `missing ${k}` };
    }
    case 8: {
      // a field added
      const o = pick([{ value: m }, ...objects]).value as J;
      // (__proto__ and constructor too, which the reader drops as unsafe: own fields of the JSON all the same)
      const k = pick(['uid', 'source', 'x_extra', 'nom ', 'montantHT', 'siege', '__proto__', 'constructor']);
      Object.defineProperty(o, k, { value: pick(['texte', 5, { a: 1 }, [1]]), enumerable: true, writable: true, configurable: true });
      return { data: m, what: `extra ${k}` };
    }
    case 9: // a null
      set(s, null);
      return { data: m, what: `null ${at}` };
    case 10: {
      // an empty list or object
      const x = pick([...arrays, ...objects].length > 0 ? [...arrays, ...objects] : all);
      set(x, Array.isArray(x.value) ? [] : {});
      return { data: m, what: `empty ${String(x.key)}` };
    }
    case 11: {
      // an item given twice
      const lists = arrays.filter((x) => (x.value as unknown[]).length > 0);
      if (lists.length === 0) break;
      const a = pick(lists);
      (a.value as unknown[]).push(jsonCopy((a.value as unknown[])[0]));
      return { data: m, what: `duplicate ${String(a.key)}` };
    }
    case 12: {
      // an object where a list belongs, a list where an object does
      const x = pick([...arrays, ...objects].length > 0 ? [...arrays, ...objects] : all);
      set(x, Array.isArray(x.value) ? ((x.value as unknown[])[0] ?? {}) : [x.value]);
      return { data: m, what: `list/object ${String(x.key)}` };
    }
    default: {
      // numbers out of range and integers as floats
      const nums = leaves.filter((x) => typeof x.value === 'number');
      if (nums.length === 0) break;
      const l = pick(nums);
      set(l, pick([-1, 0, 1.5, 1e21, -0.5, 2147483648]));
      return { data: m, what: `range ${String(l.key)}` };
    }
  }
  set(s, null);
  return { data: m, what: `null ${at}` };
}
