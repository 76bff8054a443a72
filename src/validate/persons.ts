/**
 * What a validation report may quote of a record (RGPD): a finding's value and message come from
 * the data, and convert publishes no natural person's name (docs/mapping.md): neither does the
 * report. Who is a person is said by a profile's settings (soleTraderNames, personNames less
 * companyNames), read by the same Locale as convert's; the caller gives the bundled profile's. Pure.
 */
import { escapePointer } from '../core/keys.js';
import { labelKey } from '../transform/functions.js';
import type { Locale } from '../transform/locale.js';
import type { Finding } from './report.js';

/** What a report shows in place of a value, or of a quoted text, that names a person. */
export const PERSON_WITHHELD = "[withheld: a natural person's name]";

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The findings of one record (a DECP record, a release) as a report may show them: a value that
 * names a person — itself (`QUENTREC Yann EI`), by holding every word of a name that names a person
 * in the record (`Travaux BÃ©RANGER Hélène` beside `BÃ©RANGER Hélène EI`), or by being a text of an
 * organisation that names a person, under its name or its identifier elsewhere in the record (the
 * `CASTAGNE` a duplicate key left out, beside `CASTAGNE Firmin EI`) — is replaced by
 * PERSON_WITHHELD; so is such a text quoted in a message (`SIRET "Mme KRAMPUS Odile" is not 14
 * digits`), and a message that still names one is replaced whole. The findings themselves when
 * nothing names a person (most records: one walk of the record). `at`: where the record is in what
 * the findings' pointers point into (`/releases/2` of an OCDS record).
 */
export function withholdPersonsInFindings(L: Locale, record: unknown, findings: readonly Finding[], at = ''): readonly Finding[] {
  if (!L.namesPersons || findings.length === 0) return findings;
  // a record that could not be read (its value an excerpt of its text), a file's findings: a marker
  // anywhere withholds the excerpt, as convert's rejects are published without it (Converter.publishable)
  if (record === undefined) return findings.map((f) => (typeof f.value === 'string' && L.quotesPerson(f.value) ? { ...f, value: PERSON_WITHHELD } : f)).map((f) => withheldMessage(L, f, (t) => L.namesPerson(t)));
  const names: string[] = [];
  /** Objects that name a person (an organisation: its name, its identifier given as the name), by pointer, and their ids. */
  const holders: string[] = [];
  const ids = new Set<string>();
  const objects: Array<{ at: string; id: unknown }> = [];
  const root = at;
  const walk = (v: unknown, at: string): void => {
    if (typeof v === 'string') {
      if (L.namesPerson(v)) names.push(v);
      return;
    }
    if (Array.isArray(v)) return v.forEach((x, k) => walk(x, `${at}/${k}`));
    if (!isObj(v)) return;
    let person = false;
    for (const k in v) {
      const x = v[k];
      if (typeof x === 'string' && L.namesPerson(x)) person = true;
      walk(x, `${at}/${escapePointer(k)}`);
    }
    // (the record itself is no organisation: a title that names a person leaves its other fields alone)
    if (at === root) return;
    objects.push({ at, id: v['id'] });
    if (person) {
      holders.push(at);
      if (typeof v['id'] === 'string' || typeof v['id'] === 'number') ids.add(String(v['id']));
    }
  };
  walk(record, at);
  // (a value the finding holds that the record does not: a duplicate key's value left out, an issue's raw)
  for (const f of findings) for (const t of textsOf(f.value)) if (L.namesPerson(t)) names.push(t);
  if (names.length === 0) return findings;
  // the same organisation elsewhere in the record, by its identifier (a supplier's SIRET given again without the marker)
  for (const o of objects) if ((typeof o.id === 'string' || typeof o.id === 'number') && ids.has(String(o.id)) && !holders.includes(o.at)) holders.push(o.at);
  // (every word of the name: the rule convert applies to the source's values as given)
  const words = names.map((n) => L.nameWords(n)).filter((ws) => ws.length > 0);
  const named = (text: string, some = false): boolean => {
    if (L.namesPerson(text)) return true;
    const key = ` ${labelKey(text)} `;
    const has = (w: string): boolean => key.includes(` ${w} `);
    return words.some((ws) => (some ? ws.some(has) : ws.every(has)));
  };
  return findings.map((f) => {
    const inHolder = holders.some((h) => f.pointer === h || f.pointer.startsWith(`${h}/`));
    // (in an organisation that names a person, a text with a word of the name: its name given otherwise;
    // its identifier's type, its role and its SIRET stay, as convert publishes them)
    const withheld = (t: string): boolean => named(t, inHolder);
    return withheldMessage(L, textsOf(f.value).some(withheld) ? { ...f, value: PERSON_WITHHELD } : f, withheld, named);
  });
}

/** A finding whose message quotes no person: a quoted text that `withheld` finds replaced, the whole message when it still names one. */
function withheldMessage(L: Locale, f: Finding, withheld: (text: string) => boolean, named: (text: string) => boolean = (t) => L.namesPerson(t)): Finding {
  let message = f.message.replace(/"(?:[^"\\]|\\.)*"/g, (q) => (withheld(unquoted(q)) ? PERSON_WITHHELD : q));
  if (named(message)) message = `${f.rule}: the message quotes a natural person's name (withheld)`;
  return message === f.message ? f : { ...f, message };
}

/** The texts of a JSON value (a finding's value: a text, a list, an object a name was given as). */
function textsOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(textsOf);
  if (isObj(v)) return Object.values(v).flatMap(textsOf);
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
