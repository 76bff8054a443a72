/**
 * Natural persons in a partner's OCDS data (RGPD, docs/publication-policy.md): an organisation whose
 * identifier has the form a natural person's takes in its scheme (a Ukrainian sole trader's 10-digit
 * taxpayer number under UA-EDR) or whose name states a person's legal status (`Фізична особа-
 * підприємець`, `persona física`) is published without its name, its legal name, its contact point
 * and its street address; its id and identifier stay (they link its contracts, and the publisher's
 * own data gives them), and the words of its name are masked (`***`) in the releases' other texts.
 * Found across the releases given together (an ocid's: a person identified in its contract release
 * is the supplier named without identifier in its award release). DECP and CSV records are
 * protected by their profile (build-releases.ts); this is for the OCDS releases and records that
 * pass through. The rules are data (mappings/ocds-persons.json). Pure.
 */
import { unicodeRegExp } from './unicode-regexp.js';
import { personPartiesOf, sirenOfOrganisation } from './flatten.js';
import { labelKey } from './functions.js';
import { MASK, PARTICLES, renameKeys } from './person-words.js';
import { isJsonObject } from './json-values.js';

export interface OcdsPersonRules {
  /** A person's own legal status in an organisation's name. */
  readonly names: readonly RegExp[];
  /**
   * An identifier scheme and the form of its natural persons' ids; `countries` (label keys): the
   * countries whose organisations' identifiers without a scheme are of this one.
   */
  readonly identifiers: readonly { readonly scheme: RegExp; readonly id: RegExp; readonly countries?: ReadonlySet<string> }[];
}

export interface OcdsPersonRulesData {
  readonly personNames?: readonly string[];
  readonly personIdentifiers?: readonly { readonly scheme: string; readonly id: string; readonly countries?: readonly string[] }[];
}

/** No rule: only the organisations a caller knows are persons (withholdOcdsPersons' `known`). */
const NO_PERSON_RULES: OcdsPersonRules = { names: [], identifiers: [] };

/** The rules of a data file (throws on an expression that does not compile: the file is ours). */
export function compileOcdsPersonRules(data: OcdsPersonRulesData): OcdsPersonRules {
  return {
    names: (data.personNames ?? []).map((p) => unicodeRegExp(p, 'iu')),
    identifiers: (data.personIdentifiers ?? []).map((r) => ({
      scheme: unicodeRegExp(r.scheme, 'iu'),
      id: unicodeRegExp(r.id, 'u'),
      ...(r.countries !== undefined ? { countries: new Set(r.countries.map(labelKey)) } : {}),
    })),
  };
}

type Obj = Record<string, unknown>;


/**
 * Keys whose strings are codes, ids, references or links, never a text to mask (`awardID`,
 * `relatedLots`, a related process's `identifier`: a masked word there would break the reference).
 */
const NOT_TEXT = /^(?:id|ocid|scheme|uri|url|currency|tag|status|roles|language|format|mediaType|documentType|identifier|relatedLots?|relatedItem|legalName|date|uid|sourceFile|sourceSha256|sourceDataset|recordType|formatVersion|personParties|idAccordCadre|cpvRaw)$|(?:ID|Id|Date)$/;

/**
 * An organisation (a party, or a reference to one: `buyer`, `suppliers[]`, `tenderers[]`, 1.0's with
 * an identifier): named, or identified (a person's party published by an earlier run has lost its
 * name, not its identifier, which still says who the person is).
 */
function isOrganisation(o: Obj): boolean {
  return isJsonObject(o['identifier']) || Array.isArray(o['roles']) || (typeof o['name'] === 'string' && ('id' in o || isJsonObject(o['contactPoint'])));
}

/**
 * Does an identifier have the form of a natural person's in its scheme? One without a scheme (OCDS
 * 1.0 data: Mexico City's `{"id": "PELJ800101AB1", "uri": …}`) is of the schemes of its
 * organisation's country (`country`, a label key: its address's countryName), those rules that name it.
 */
function identifierSaysPerson(identifier: unknown, rules: OcdsPersonRules, country: string | null): boolean {
  if (!isJsonObject(identifier)) return false;
  const scheme = identifier['scheme'];
  const id = identifier['id'];
  if (typeof id !== 'string' && typeof id !== 'number') return false;
  const schemeless = scheme === undefined || scheme === null || (typeof scheme === 'string' && scheme.trim() === '');
  if (!schemeless && typeof scheme !== 'string') return false;
  const text = String(id).trim();
  // (and without its separators: a Mexican RFC written `GARC-800101-AB3`, as the profiles' rules read it)
  const compact = text.replace(/[\s.\-\u2010-\u2015/_]/gu, '');
  const ofScheme = (r: OcdsPersonRules['identifiers'][number]): boolean =>
    schemeless ? country !== null && r.countries?.has(country) === true : r.scheme.test(String(scheme).trim());
  return rules.identifiers.some((r) => ofScheme(r) && (r.id.test(text) || (compact !== '' && r.id.test(compact))));
}

/** An organisation's country as a label key (its address's countryName), or null. */
function countryOf(o: Obj): string | null {
  const address = o['address'];
  const name = isJsonObject(address) ? address['countryName'] : undefined;
  return typeof name === 'string' && name.trim() !== '' ? labelKey(name.trim()) : null;
}

/**
 * The legal entity type a party states of itself (the party details extension's
 * `details.legalEntityTypeDetail`: DNCP Paraguay writes a text, `Persona Física - Servicios
 * Personales`; Guatecompras an object whose `description` is the text).
 */
function legalEntityType(o: Obj): unknown {
  const details = o['details'];
  if (!isJsonObject(details)) return undefined;
  const type = details['legalEntityTypeDetail'];
  return isJsonObject(type) ? type['description'] : type;
}

function isPerson(o: Obj, rules: OcdsPersonRules): boolean {
  const country = countryOf(o);
  if (identifierSaysPerson(o['identifier'], rules, country)) return true;
  if (Array.isArray(o['additionalIdentifiers']) && o['additionalIdentifiers'].some((x) => identifierSaysPerson(x, rules, country))) return true;
  // its name, legal name or stated legal entity type says a person's status
  const names = [o['name'], isJsonObject(o['identifier']) ? o['identifier']['legalName'] : undefined, legalEntityType(o)];
  return names.some((n) => typeof n === 'string' && rules.names.some((r) => r.test(n)));
}

/** Each organisation of a release (a party, or a reference to one), as withholdOcdsPersons finds them. */
function eachOrganisation(release: Obj, fn: (o: Obj) => void): void {
  eachObject(release, (o) => {
    if (isOrganisation(o)) fn(o);
  });
}

function eachObject(v: unknown, fn: (o: Obj) => void): void {
  if (Array.isArray(v)) for (const x of v) eachObject(x, fn);
  else if (isJsonObject(v)) {
    fn(v);
    for (const x of Object.values(v)) if (x !== null && typeof x === 'object') eachObject(x, fn);
  }
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The words of a person's name that identify them (label keys): its words but those of its legal status, particles and numbers. */
function nameWords(name: string, rules: OcdsPersonRules): string[] {
  let rest = name;
  for (const r of rules.names) rest = rest.replace(new RegExp(r.source, 'giu'), ' ');
  return (rest.match(WORD) ?? []).map(labelKey).filter((w) => w.length >= 2 && !PARTICLES.has(w) && !/^\p{N}+$/u.test(w));
}

const idOf = (o: Obj): string | undefined => (typeof o['id'] === 'string' || typeof o['id'] === 'number' ? String(o['id']) : undefined);

/**
 * Withhold the natural persons of releases given together (in place): every organisation object
 * that is a person — by its identifier or its name, or named by the id or the name of one that is,
 * in any of them — loses `name`, `identifier.legalName` (and its additional identifiers'),
 * `contactPoint` and `address.streetAddress`; then each word of their names (a capital first: a
 * common noun in lower case is left; not a particle) is masked in every text of the releases (not in
 * ids, codes, references, other organisations' names or addresses). Returns the indexes of the
 * releases changed (none: nothing to write again). A reference without an id that names a party by
 * the person's name alone is given the party's id first (its only link to it).
 * `known`: organisations the caller knows are
 * persons besides the rules (the nightly job's, by legal unit: identified in another process).
 */
export function withholdOcdsPersons(releases: readonly Obj[], rules: OcdsPersonRules, known?: (o: Obj) => boolean): number[] {
  const orgs: Array<{ o: Obj; at: number }> = [];
  releases.forEach((release, at) =>
    eachObject(release, (o) => {
      if (isOrganisation(o)) orgs.push({ o, at });
    }),
  );
  const ids = new Set<string>();
  /** The persons' names (label keys: any case, accents, spacing) and the words that identify them. */
  const names = new Set<string>();
  const words = new Set<string>();
  for (const { o } of orgs) {
    if (!isPerson(o, rules) && !(known?.(o) ?? false)) continue;
    const id = idOf(o);
    if (id !== undefined) ids.add(id);
    for (const n of [o['name'], isJsonObject(o['identifier']) ? o['identifier']['legalName'] : undefined]) {
      if (typeof n !== 'string') continue;
      names.add(labelKey(n));
      for (const w of nameWords(n, rules)) words.add(w);
    }
  }
  if (names.size === 0 && ids.size === 0) return [];
  // (an organisation named by those words only, in another order or spelling: `RODRIGUEZ Juan`)
  const onlyTheirs = (name: string): boolean => {
    const ws = nameWords(name, rules);
    return ws.length >= 2 && ws.every((w) => words.has(w));
  };
  // the persons' parties by name: a reference that names a person's party by its name alone (DNCP's
  // contract supplier: a name and an identifier, where the party has an id and a name) is given that
  // party's id before its name goes, or nothing would join it to its party any more. Only a party this
  // pass withholds as a person, named by two words or more (in any order, case and accents: `RODRIGUEZ
  // Juan` names `JUAN RODRIGUEZ`), whose identifier, when both give one, is the reference's; one of the
  // reference's own release first (an id of another release's party does not resolve in it); only one
  const nameKey = (name: string): string => nameWords(name, rules).sort().join(' ');
  const isPersonParty = (p: Obj): boolean => {
    const id = idOf(p);
    const name = p['name'];
    return (id !== undefined && ids.has(id)) || (typeof name === 'string' && (names.has(labelKey(name)) || onlyTheirs(name)));
  };
  const parties = new Set<Obj>();
  const personParties = new Map<string, Array<{ p: Obj; at: number }>>();
  releases.forEach((release, at) => {
    if (!Array.isArray(release['parties'])) return;
    for (const p of release['parties']) {
      if (!isJsonObject(p)) continue;
      parties.add(p);
      if (idOf(p) === undefined || typeof p['name'] !== 'string' || !isPersonParty(p)) continue;
      const key = nameKey(p['name']);
      if (key.includes(' ')) personParties.set(key, [...(personParties.get(key) ?? []), { p, at }]);
    }
  });
  const sameIdentifier = (a: unknown, b: unknown): boolean => !isJsonObject(a) || !isJsonObject(b) || (String(a['scheme'] ?? '').trim() === String(b['scheme'] ?? '').trim() && String(a['id'] ?? '').trim() === String(b['id'] ?? '').trim());
  const partyOf = (ref: Obj, name: string, at: number): string | undefined => {
    const found = (personParties.get(nameKey(name)) ?? []).filter((c) => sameIdentifier(c.p['identifier'], ref['identifier']));
    const own = found.filter((c) => c.at === at);
    const candidates = new Set((own.length > 0 ? own : found).map((c) => idOf(c.p)!));
    return candidates.size === 1 ? [...candidates][0] : undefined;
  };
  const changed = new Set<number>();
  for (const { o, at } of orgs) {
    const name = typeof o['name'] === 'string' ? o['name'] : undefined;
    const id = idOf(o);
    if (!(name !== undefined && (names.has(labelKey(name)) || onlyTheirs(name))) && !(id !== undefined && ids.has(id))) continue;
    if (name === undefined && !('contactPoint' in o) && !(isJsonObject(o['identifier']) && 'legalName' in o['identifier']) && !(isJsonObject(o['address']) && 'streetAddress' in o['address'])) continue;
    if (name !== undefined) for (const w of nameWords(name, rules)) words.add(w);
    const partyId = name !== undefined && id === undefined && !parties.has(o) ? partyOf(o, name, at) : undefined;
    if (partyId !== undefined) o['id'] = partyId;
    changed.add(at);
    delete o['name'];
    delete o['contactPoint'];
    const identifier = o['identifier'];
    if (isJsonObject(identifier) && typeof identifier['legalName'] === 'string') {
      for (const w of nameWords(identifier['legalName'], rules)) words.add(w);
      delete identifier['legalName'];
    }
    if (Array.isArray(o['additionalIdentifiers'])) for (const x of o['additionalIdentifiers']) if (isJsonObject(x)) delete x['legalName'];
    if (isJsonObject(o['address'])) delete o['address']['streetAddress'];
  }
  if (words.size > 0) releases.forEach((r, at) => maskTexts(r, words) && changed.add(at));
  return [...changed].sort((a, b) => a - b);
}

/**
 * Mask, in every text of `v`, the words of `words` (label keys) written with a capital first; not
 * in ids, codes and references (NOT_TEXT), nor the names and addresses of the organisations left.
 * Returns whether a text changed.
 */
function maskTexts(v: Obj | unknown[], words: ReadonlySet<string>): boolean {
  let changed = false;
  const mask = (text: string): string => {
    const out = text.replace(WORD, (w) => (w[0] !== w[0]!.toLowerCase() && words.has(labelKey(w)) ? MASK : w));
    if (out !== text) changed = true;
    return out;
  };
  if (Array.isArray(v)) {
    for (let k = 0; k < v.length; k++) {
      const x = v[k];
      if (typeof x === 'string') v[k] = mask(x);
      else if (x !== null && typeof x === 'object' && maskTexts(x as Obj | unknown[], words)) changed = true;
    }
    return changed;
  }
  // (another organisation's own name and address are its own: `Коваль Груп ТОВ` stays beside `ФОП Коваль Іван`)
  const organisation = typeof v['name'] === 'string' && isOrganisation(v);
  for (const [k, x] of Object.entries(v)) {
    if (NOT_TEXT.test(k) || (organisation && (k === 'name' || k === 'address'))) continue;
    if (typeof x === 'string') v[k] = mask(x);
    else if (x !== null && typeof x === 'object' && maskTexts(x as Obj | unknown[], words)) changed = true;
  }
  // a key is a text too (an extension's `{"Іван Коваль": …}`; OCDS's own keys start in lower case)
  renameKeys(v, mask);
  return changed;
}

/**
 * The nightly job's natural persons across one process's releases (in place): the organisations of
 * a legal unit the store knows is a person's (`personSirens`: a sole trader's EI in one file, the same
 * SIREN without it in another), and those one of the releases says are persons (x_decp.personParties:
 * a lot that names the sole trader with its EI, another lot of the ocid without it), withheld in every
 * release as withholdOcdsPersons does (by identifier, or by the id of such an organisation: a
 * supplier's reference has no identifier). A buyer is no person: never withheld so (a supplier given
 * its buyer's SIRET by mistake would withhold the buyer everywhere). Only the parties are looked at
 * where a release lists them (the rows flatten makes), else every organisation it names. Returns the
 * indexes of the releases changed.
 */
export function withholdPersonSirens(releases: readonly Obj[], personSirens: ReadonlySet<string>): number[] {
  const own = new Set(releases.flatMap((r) => personPartiesOf(r as never)));
  if (personSirens.size === 0 && own.size === 0) return [];
  const isOwn = (o: Obj): boolean => typeof o['id'] === 'string' && own.has(o['id']);
  // (the buyers' ids, read only for an organisation that would be a person: most processes name none)
  let buyers: Set<string> | undefined;
  const buyerIds = (): Set<string> => {
    if (buyers !== undefined) return buyers;
    buyers = new Set<string>();
    for (const r of releases) {
      const id = isJsonObject(r['buyer']) ? idOf(r['buyer']) : undefined;
      if (id !== undefined) buyers.add(id);
      const parties = r['parties'];
      if (!Array.isArray(parties)) continue;
      for (const p of parties) {
        const pid = isJsonObject(p) && Array.isArray(p['roles']) && p['roles'].includes('buyer') ? idOf(p) : undefined;
        if (pid !== undefined) buyers.add(pid);
      }
    }
    return buyers;
  };
  const isBuyer = (o: Obj): boolean => (Array.isArray(o['roles']) && o['roles'].includes('buyer')) || buyerIds().has(idOf(o) ?? '\u0000');
  const person = (o: Obj): boolean => {
    if (!isOwn(o)) {
      const siren = sirenOfOrganisation(o as never);
      if (siren === null || !personSirens.has(siren)) return false;
    }
    return !isBuyer(o);
  };
  const ids = new Set<string>();
  let found = false;
  const look = (o: Obj): void => {
    if (!person(o)) return;
    const id = idOf(o);
    if (id !== undefined) ids.add(id);
    // (a party of this process's own persons, withheld by convert: nothing left to withhold)
    if (!isOwn(o) || 'name' in o || 'contactPoint' in o) found = true;
  };
  for (const r of releases) {
    const parties = r['parties'];
    if (Array.isArray(parties)) for (const p of parties) void (isJsonObject(p) && look(p));
    else eachOrganisation(r, look);
  }
  if (!found) return [];
  return withholdOcdsPersons(releases, NO_PERSON_RULES, (o) => person(o) || (!isBuyer(o) && ids.has(idOf(o) ?? '\u0000')));
}
