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

/** One mutation of a deep copy of `release`. */
export function mutate(release: J, r: () => number): J {
  const m = structuredClone(release);
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
        a.push(structuredClone(a[0]));
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

