/**
 * Natural persons in a partner's OCDS data (RGPD, docs/publication-policy.md): an organisation whose
 * identifier has the form a natural person's takes in its scheme (a Ukrainian sole trader's 10-digit
 * taxpayer number under UA-EDR) or whose name states a person's legal status (`Фізична особа-
 * підприємець`, `persona física`) is published without its name, its legal name, its contact point
 * and its street address; its id and identifier stay (they link its contracts, and the publisher's
 * own data gives them), and the words of its name are masked (`***`) in the release's other texts.
 * DECP and CSV records are protected by their profile (build-releases.ts); this is for the OCDS
 * releases and records that pass through. The rules are data (mappings/ocds-persons.json). Pure.
 */

export interface OcdsPersonRules {
  /** A person's own legal status in an organisation's name. */
  readonly names: readonly RegExp[];
  /** An identifier scheme and the form of its natural persons' ids. */
  readonly identifiers: readonly { readonly scheme: RegExp; readonly id: RegExp }[];
}

export interface OcdsPersonRulesData {
  readonly personNames?: readonly string[];
  readonly personIdentifiers?: readonly { readonly scheme: string; readonly id: string }[];
}

/** The rules of a data file (throws on an expression that does not compile: the file is ours). */
export function compileOcdsPersonRules(data: OcdsPersonRulesData): OcdsPersonRules {
  return {
    names: (data.personNames ?? []).map((p) => new RegExp(p, 'iu')),
    identifiers: (data.personIdentifiers ?? []).map((r) => ({ scheme: new RegExp(r.scheme, 'iu'), id: new RegExp(r.id, 'u') })),
  };
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keys whose strings are codes or links, never a text that could name someone. */
const NOT_TEXT = new Set(['id', 'ocid', 'scheme', 'uri', 'url', 'currency', 'tag', 'status', 'roles', 'language', 'format', 'mediaType', 'documentType']);

/** An organisation (a party, or a reference to one: `buyer`, `suppliers[]`, `tenderers[]`, 1.0's with an identifier). */
function isOrganisation(o: Obj): boolean {
  return typeof o['name'] === 'string' && (isObj(o['identifier']) || Array.isArray(o['roles']) || 'id' in o || isObj(o['contactPoint']));
}

function identifierSaysPerson(identifier: unknown, rules: OcdsPersonRules): boolean {
  if (!isObj(identifier)) return false;
  const scheme = identifier['scheme'];
  const id = identifier['id'];
  if (typeof scheme !== 'string' || (typeof id !== 'string' && typeof id !== 'number')) return false;
  const text = String(id).trim();
  return rules.identifiers.some((r) => r.scheme.test(scheme.trim()) && r.id.test(text));
}

function isPerson(o: Obj, rules: OcdsPersonRules): boolean {
  if (identifierSaysPerson(o['identifier'], rules)) return true;
  if (Array.isArray(o['additionalIdentifiers']) && o['additionalIdentifiers'].some((x) => identifierSaysPerson(x, rules))) return true;
  const names = [o['name'], isObj(o['identifier']) ? o['identifier']['legalName'] : undefined];
  return names.some((n) => typeof n === 'string' && rules.names.some((r) => r.test(n)));
}

function eachObject(v: unknown, fn: (o: Obj) => void): void {
  if (Array.isArray(v)) for (const x of v) eachObject(x, fn);
  else if (isObj(v)) {
    fn(v);
    for (const x of Object.values(v)) if (x !== null && typeof x === 'object') eachObject(x, fn);
  }
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The words of a person's name that identify them: its words but those of its legal status. */
function nameWords(name: string, rules: OcdsPersonRules): string[] {
  let rest = name;
  for (const r of rules.names) rest = rest.replace(new RegExp(r.source, 'giu'), ' ');
  return (rest.match(WORD) ?? []).filter((w) => w.length >= 2 && !/^\p{N}+$/u.test(w));
}

/**
 * Withhold the natural persons of one release (in place). Returns whether anything was withheld.
 * Every organisation object that is a person — by its identifier or its name, or named by the id
 * or the name of one that is — loses `name`, `identifier.legalName` (and its additional
 * identifiers'), `contactPoint` and `address.streetAddress`; then each word of their names (a
 * capital first: a common noun in lower case is left) is masked in every other text of the release.
 */
export function withholdOcdsPersons(release: Obj, rules: OcdsPersonRules): boolean {
  const orgs: Obj[] = [];
  eachObject(release, (o) => {
    if (isOrganisation(o)) orgs.push(o);
  });
  if (orgs.length === 0) return false;
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const o of orgs) {
    if (!isPerson(o, rules)) continue;
    if (typeof o['id'] === 'string' || typeof o['id'] === 'number') ids.add(String(o['id']));
    names.add((o['name'] as string).trim());
  }
  if (ids.size === 0 && names.size === 0) return false;
  const words = new Set<string>();
  for (const o of orgs) {
    const name = (o['name'] as string).trim();
    const id = o['id'];
    if (!names.has(name) && !((typeof id === 'string' || typeof id === 'number') && ids.has(String(id)))) continue;
    for (const w of nameWords(name, rules)) words.add(w.toLowerCase());
    delete o['name'];
    delete o['contactPoint'];
    const identifier = o['identifier'];
    if (isObj(identifier) && typeof identifier['legalName'] === 'string') {
      for (const w of nameWords(identifier['legalName'], rules)) words.add(w.toLowerCase());
      delete identifier['legalName'];
    }
    if (Array.isArray(o['additionalIdentifiers'])) for (const x of o['additionalIdentifiers']) if (isObj(x)) delete x['legalName'];
    if (isObj(o['address'])) delete o['address']['streetAddress'];
  }
  if (words.size > 0) maskTexts(release, words);
  return true;
}

/**
 * Mask, in every text of `v`, the words of `words` (lower-cased) written with a capital first; not
 * the names of the organisations left, nor their legal names.
 */
function maskTexts(v: Obj | unknown[], words: ReadonlySet<string>): void {
  const mask = (text: string): string =>
    text.replace(WORD, (w) => (words.has(w.toLowerCase()) && w[0] !== w[0]!.toLowerCase() ? '***' : w));
  if (Array.isArray(v)) {
    for (let k = 0; k < v.length; k++) {
      const x = v[k];
      if (typeof x === 'string') v[k] = mask(x);
      else if (x !== null && typeof x === 'object') maskTexts(x as Obj | unknown[], words);
    }
    return;
  }
  // (another organisation's own name is its own: `Коваль Груп ТОВ` stays beside `ФОП Коваль Іван`)
  const organisation = isOrganisation(v);
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string') {
      if (!NOT_TEXT.has(k) && k !== 'legalName' && !(organisation && k === 'name')) v[k] = mask(x);
    } else if (x !== null && typeof x === 'object' && !(Array.isArray(x) && NOT_TEXT.has(k))) maskTexts(x as Obj | unknown[], words);
  }
}
