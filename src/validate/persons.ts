/**
 * What a validation report may quote of a record (RGPD): a finding's value and message come from
 * the data, and convert publishes no natural person's name (docs/mapping.md): neither does the
 * report. Who is a person is said by a profile's settings (soleTraderNames, personNames less
 * companyNames), read by the same Locale as convert's; the caller gives the bundled profile's. Pure.
 */
import { escapePointer, pointerKeys } from '../core/keys.js';
import { labelKey } from '../transform/functions.js';
import { PERSON_QUOTE_WITHHELD, type Locale } from '../transform/locale.js';
import { maskedKey, maskWords, namesBesideMarks, personWords, saysMoreThanMasks, SPLIT_NAME_FIELDS } from '../transform/person-words.js';
import type { Finding } from './report.js';
import { isJsonObject } from '../transform/json-values.js';

/** What a report shows in place of a value, or of a quoted text, that names a person (as convert's rejects' reasons do). */
export const PERSON_WITHHELD = PERSON_QUOTE_WITHHELD;

/**
 * The findings of one record (a DECP record, a release) as a report may show them: nothing convert
 * would mask in that record's releases. A value that names a person itself (`QUENTREC Yann EI`), or
 * is a text of an organisation that names a person, under its name or its identifier elsewhere in
 * the record (the `CASTAGNE` a duplicate key left out, beside `CASTAGNE Firmin EI`), is replaced by
 * PERSON_WITHHELD; a text that holds a name's words as convert finds them (PersonWords, the
 * matcher convert uses: every word of the name, the surname alone written as a name, a word after
 * a civility) has those words masked as convert masks them (`Travaux de peinture ***`), or is
 * replaced by PERSON_WITHHELD when nothing but the name was in it (`DUPONT Julie`). A text quoted
 * in a message is treated so (`SIRET "Mme KRAMPUS Odile" is not 14 digits`), and a message that
 * still names one is replaced whole. Every value is read as a free text (a surname alone written
 * with a capital is masked in a code too: a report may mask a word convert keeps there, never the
 * reverse). The findings themselves when nothing names a person (most records: one walk of the
 * record). `at`: where the record is in what the findings' pointers point into (`/releases/2` of an
 * OCDS record).
 */
export function withholdPersonsInFindings(L: Locale, record: unknown, findings: readonly Finding[], at = ''): readonly Finding[] {
  if (!L.namesPersons || findings.length === 0) return findings;
  // a record that could not be read (its value an excerpt of its text), a file's findings: a marker
  // anywhere withholds the excerpt, as convert's rejects are published without it (Converter.publishable)
  if (record === undefined) return findings.map((f) => (typeof f.value === 'string' && L.quotesPerson(f.value) ? { ...f, value: PERSON_WITHHELD } : f)).map((f) => withheldMessage(L, f, (t) => (L.namesPerson(t) ? PERSON_WITHHELD : undefined)));
  /** Names of organisations (convert's withheld parties), and other texts that name a person (a title, convert's `found`). */
  const names: string[] = [];
  const found: string[] = [];
  /** Objects that name a person (an organisation: its name, its identifier given as the name), by pointer, and their ids. */
  const holders: string[] = [];
  const ids = new Set<string>();
  const objects: Array<{ at: string; id: unknown }> = [];
  /** The texts of an object of a few texts, together (`{"nom": …, "prenom": …}`: convert masks a name given over its fields), by pointer. */
  const together = new Map<string, string>();
  const root = at;
  const walk = (v: unknown, at: string, inObject: boolean): void => {
    if (typeof v === 'string') {
      // (and the name beside its civility or status, as convert finds it in a free text: `Avenant - Mme X`)
      if (L.namesPerson(v)) (inObject ? names : found).push(v, ...namesBesideMarks(v, L));
      return;
    }
    if (Array.isArray(v)) return v.forEach((x, k) => walk(x, `${at}/${k}`, inObject));
    if (!isJsonObject(v)) return;
    let person = false;
    let texts = '';
    let n = 0;
    for (const k in v) {
      const x = v[k];
      // (a key is a text of the source: `{"Mme Jeanne DUPONT": …}` names her, as convert reads it)
      if (L.namesPerson(k)) found.push(k);
      if (typeof x === 'string' && L.namesPerson(x)) person = true;
      if (typeof x === 'string' && ++n <= SPLIT_NAME_FIELDS) texts += ` ${x}`;
      walk(x, `${at}/${escapePointer(k)}`, at !== root);
    }
    // (the record itself is no organisation: a title that names a person leaves its other fields alone)
    if (at === root) return;
    if (n > 1 && n <= SPLIT_NAME_FIELDS) together.set(at, texts);
    objects.push({ at, id: v['id'] });
    if (person) {
      holders.push(at);
      if (typeof v['id'] === 'string' || typeof v['id'] === 'number') ids.add(String(v['id']));
    }
  };
  walk(record, at, false);
  // (a value the finding holds that the record does not: a duplicate key's value left out, an issue's raw)
  for (const f of findings) for (const t of textsOf(f.value)) if (L.namesPerson(t)) names.push(t);
  if (names.length === 0 && found.length === 0) return findings;
  // the same organisation elsewhere in the record, by its identifier (a supplier's SIRET given again without the marker)
  for (const o of objects) if ((typeof o.id === 'string' || typeof o.id === 'number') && ids.has(String(o.id)) && !holders.includes(o.at)) holders.push(o.at);
  // (convert's matcher, on the same names: what it masks in the releases, the report masks)
  const matcher = personWords(L, names, found);
  // (in an organisation that names a person, any word of the name: its name given otherwise)
  const words = [...names, ...found].map((n) => L.nameWords(n)).filter((ws) => ws.length > 0);
  const someWord = (text: string): boolean => {
    const key = ` ${labelKey(text)} `;
    return words.some((ws) => ws.some((w) => key.includes(` ${w} `)));
  };
  /** A text as a report may quote it: as it is (undefined), masked, or PERSON_WITHHELD; `parent`: the object it is a field of. */
  const shown = (text: string, inHolder: boolean, parent?: string): string | undefined => {
    if (L.namesPerson(text) || (inHolder && someWord(text))) return PERSON_WITHHELD;
    const ws = matcher.holds(text);
    const byFields = parent === undefined ? undefined : together.get(parent);
    const all = byFields === undefined ? ws : union(ws, matcher.holds(byFields));
    if (all === undefined) return undefined;
    const masked = maskWords(text, all);
    if (masked === text) return undefined;
    return saysMoreThanMasks(masked) ? masked : PERSON_WITHHELD;
  };
  // a pointer (and a rule that ends with it) through a key that names a person: that key masked as
  // convert masks it in x_decp.unmapped (`/*** ***`)
  // (the message names the key too: `<DupontJean> is not an element…`, `field "…"`)
  const maskedPointer = (f: Finding): Finding => {
    const keys = pointerKeys(f.pointer);
    const masked = keys.map((k) => maskedKey(k, (t) => {
      const ws = matcher.holds(t);
      return ws === undefined ? t : maskWords(t, ws);
    }));
    if (masked.every((k, i) => k === keys[i])) return f;
    const pointer = masked.map((k) => `/${escapePointer(k)}`).join('');
    const message = keys.reduce((m, k, i) => (k === masked[i] ? m : m.split(k).join(masked[i]!)), f.message);
    return { ...f, pointer, message, rule: f.rule.endsWith(` ${f.pointer}`) ? `${f.rule.slice(0, -f.pointer.length)}${pointer}` : f.rule };
  };
  return findings.map((f0) => {
    const f = maskedPointer(f0);
    const inHolder = holders.some((h) => f0.pointer === h || f0.pointer.startsWith(`${h}/`));
    const parent = f0.pointer.slice(0, Math.max(0, f0.pointer.lastIndexOf('/')));
    let g: Finding = f;
    if (typeof f.value === 'string') {
      const v = shown(f.value, inHolder, parent);
      if (v !== undefined) g = { ...f, value: v };
    } else if (textsOf(f.value).some((t) => shown(t, inHolder) !== undefined)) g = { ...f, value: PERSON_WITHHELD };
    return withheldMessage(L, g, (t) => shown(t, inHolder), (t) => matcher.holds(t) !== undefined);
  });
}

/**
 * A finding whose message quotes no person: a quoted text as `shown` gives it (PERSON_WITHHELD in
 * place of the quoted text, or the text masked), the whole message when it still names one.
 */
function withheldMessage(L: Locale, f: Finding, shown: (text: string) => string | undefined, named: (text: string) => boolean = () => false): Finding {
  let message = f.message.replace(/"(?:[^"\\]|\\.)*"/g, (q) => {
    const s = shown(unquoted(q));
    return s === undefined ? q : s === PERSON_WITHHELD ? s : JSON.stringify(s);
  });
  if (L.namesPerson(message) || named(message)) message = `${f.rule}: the message quotes a natural person's name (withheld)`;
  return message === f.message ? f : { ...f, message };
}

/** The words of two matches. */
function union(a: Set<string> | undefined, b: Set<string> | undefined): Set<string> | undefined {
  return a === undefined ? b : b === undefined ? a : new Set([...a, ...b]);
}

/** The texts of a JSON value (a finding's value: a text, a list, an object a name was given as; its keys too). */
function textsOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(textsOf);
  if (isJsonObject(v)) return Object.entries(v).flatMap(([k, x]) => [k, ...textsOf(x)]);
  return [];
}

/** A quoted text of a message, as JSON writes it (`"BÃ©RANGER"`), read back; as it is when it is no JSON string. */
function unquoted(q: string): string {
  try {
    return JSON.parse(q) as string;
  } catch {
    return q.slice(1, -1);
  }
}
