/**
 * Which kind of record is this, and which DECP generation? Decided from the
 * record's own fields (and the container it sat in), never from the file name.
 * Pure.
 */
import { issue, type Issue } from '../core/issues.js';
import type { ContainerName } from './json-splitter.js';
import type { DecpVersion, RecordType } from './types.js';
import { isRejectLine } from './rejects.js';

/** Fields that exist only in the 2022 arrêtés (2024 format and its 2023 draft): JSON keys and XML elements. */
const FIELDS_2024: ReadonlySet<string> = new Set([
  'offresRecues', 'marcheInnovant', 'ccag', 'typesPrix', 'typePrix', 'techniques', 'technique', 'modalitesExecution',
  'modaliteExecution', 'considerationsSociales', 'considerationsEnvironnementales', 'typeGroupementOperateurs',
  'sousTraitanceDeclaree', 'attributionAvance', 'tauxAvance', 'actesSousTraitance', 'origineUE', 'origineFrance',
  'idAccordCadre', 'considerationSociale', 'considerationEnvironnementale',
]);
/**
 * Does the record give a field only the 2024 formats have? One that holds nothing (`null`, `""`,
 * `[]`, `{}`: an export writing every column it knows) says nothing of the record's generation: it
 * made a 2019 record read as 2024, and changed its ocid (the 2019 rule for the id is not applied).
 */
const has2024Field = (data: Record<string, unknown>): boolean => {
  for (const k in data) if (FIELDS_2024.has(k) && holdsValue(data[k])) return true;
  return modificationWithId(data['modifications']) || flatModificationWithId(data);
};

/**
 * A flat record's modification id column (`modification_id`, `modifications.0.id`,
 * `modification_1_id`, `modification.id`: the columns the mapping reads as its modifications) with a
 * value: the same evidence as a nested modification's id (modificationWithId), so that a flat record
 * and its nested twin are of one generation (one ocid).
 */
function flatModificationWithId(data: Record<string, unknown>): boolean {
  // (only keys that start with an "m" are spelt loosely: the test runs on every record without a 2024 field)
  for (const k in data) if ((k.charCodeAt(0) | 0x20) === 0x6d && FLAT_MODIFICATION_ID.test(k.toLowerCase().replace(/[^a-z0-9]/g, '')) && holdsValue(data[k])) return true;
  return false;
}
const FLAT_MODIFICATION_ID = /^modifications?(?:\d{1,3}(?:modification)?)?id(?:\d{1,3})?$/;

/**
 * The concept each 2024-only field gives, by its lower-case name (XML's any case): the interim 2.0.0's
 * singular spellings and 2.0.2's plurals name one field (`technique`/`techniques`), counted once.
 */
const SPELLINGS_2024: Readonly<Record<string, string>> = {
  technique: 'techniques', typePrix: 'typesPrix', modaliteExecution: 'modalitesExecution',
  considerationSociale: 'considerationsSociales', considerationEnvironnementale: 'considerationsEnvironnementales',
};
export const CONCEPTS_2024: ReadonlyMap<string, string> = new Map([...FIELDS_2024].map((k) => [k.toLowerCase(), SPELLINGS_2024[k] ?? k]));

/**
 * Do a record's 2024 fields outweigh the 2019 name it gives (`lieuExecution.nom`, a leftover some
 * 2024 exports keep)? `concepts`: how many distinct 2024-only fields (CONCEPTS_2024) hold a value;
 * `numbered`: whether its modifications give their id (only the 2024 formats number them). Three
 * concepts, or numbered modifications beside one: a 2024 marché gives eleven (the 2.0.3 schema
 * requires techniques, modalitesExecution, marcheInnovant, ccag, offresRecues, attributionAvance,
 * typeGroupementOperateurs, typesPrix, sousTraitanceDeclaree and both considerations), the official
 * examples' thinnest marché seven (2.0.0 paquet.xml), the real 2024 samples eleven to fourteen; a
 * 2019 record with extra fields gives one or two (idAccordCadre, offresRecues), and stays 2019, with
 * the ocid it has without them. A 2024 concession gives only its two considerations, so one that keeps
 * its authority's name is read as 2024 only when its modifications are numbered.
 */
export function outweighs2019Name(concepts: number, numbered: boolean): boolean {
  return concepts >= 3 || (numbered && concepts >= 1);
}

/** Does a JSON record's 2024 evidence outweigh its 2019 name (outweighs2019Name)? */
function strong2024(data: Record<string, unknown>): boolean {
  const concepts = new Set<string>();
  for (const k in data) if (FIELDS_2024.has(k) && holdsValue(data[k])) concepts.add(CONCEPTS_2024.get(k.toLowerCase()) ?? k);
  return outweighs2019Name(concepts.size, modificationWithId(data['modifications']) || flatModificationWithId(data));
}

/**
 * Does a modification give its `id`? Only the 2024 formats number them (a 2019 modification has no
 * id): a 2024 record without any optional 2024 field, but modified, says so (its id is then never cut).
 */
function modificationWithId(list: unknown): boolean {
  const items = Array.isArray(list) ? list : typeof list === 'object' && list !== null ? [list] : [];
  for (const x of items) {
    if (typeof x !== 'object' || x === null) continue;
    const inner = 'modification' in x ? (x as Record<string, unknown>)['modification'] : x;
    for (const m of Array.isArray(inner) ? inner : [inner]) {
      if (typeof m === 'object' && m !== null && !Array.isArray(m) && holdsValue((m as Record<string, unknown>)['id'])) return true;
    }
  }
  return false;
}

function holdsValue(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') {
    for (const _ in v) return true;
    return false;
  }
  return true;
}
const CONCESSION_FIELDS = ['autoriteConcedante', 'concessionnaires', 'valeurGlobale', 'dateDebutExecution', 'montantSubventionPublique'];

/**
 * A record's kind and DECP generation; `mixed`, when its 2024 fields outweighed a 2019 name it gives
 * (mixedGenerationIssue), for the reader to add to its issues.
 */
export interface Classified {
  type: RecordType;
  version: DecpVersion | null;
  mixed?: Issue;
  /**
   * What its kind's reading says: the kind its fields say, where its `_type` or the element it is
   * written under said the other (INGEST_RECORD_MISFILED); its buyer under the other kind's key
   * (INGEST_BUYER_KEY_OTHER_KIND).
   */
  said?: Issue[];
}

export function classifyRecord(data: Record<string, unknown>, container: ContainerName): Classified {
  if (container === 'releases' || container === 'records') {
    // a DECP record in a list under an OCDS name (`{"releases":[{"id":…,"acheteur":…}]}`: an export
    // that named its list so) is a DECP record by its fields, not a release by its list's name (it was
    // written out as a release without an ocid, or rejected as a record without releases); an item with
    // an ocid or a compiled or versioned release is OCDS whatever else it has
    const decp = 'ocid' in data || 'compiledRelease' in data || 'versionedRelease' in data ? 'unknown' : decpType(data, null);
    if (decp === 'unknown') return { type: container === 'releases' ? 'release' : 'record', version: null };
    return { type: decp, ...decpVersion(data, null) };
  }
  if ('compiledRelease' in data || 'versionedRelease' in data) return { type: 'record', version: null };
  // a line of decp-ocds's own rejects output (read back from a folder it was written in): its `ocid`
  // names the rejected record's process, it is no release
  if ('ocid' in data && 'reason' in data && isRejectLine(data)) return { type: 'unknown', version: null };
  if (container !== 'marche' && container !== 'contrat-concession' && typeof data['ocid'] === 'string') {
    const isRecord = 'compiledRelease' in data || ('releases' in data && !('tag' in data));
    return { type: isRecord ? 'record' : 'release', version: null };
  }
  const type = decpType(data, container);
  // a release whose ocid is not a string (`"ocid": 123`, null) is still a release, a bad one: its
  // `ocid` key says so, whatever else it lacks (a date); so does a release without an ocid by its tag
  // list with its id and date. validate reports what is wrong with it; convert, compile and run say
  // its ocid is unusable (it was `unknown`: "the profile does not map records of type unknown")
  if (type === 'unknown' && container === null && ('ocid' in data || (Array.isArray(data['tag']) && 'id' in data && 'date' in data))) {
    return { type: 'releases' in data && !('tag' in data) ? 'record' : 'release', version: null };
  }
  if (type === 'unknown') return { type, version: null };
  const said = [container !== 'marche' && container !== 'contrat-concession' ? typeMisfiled(data, type) : undefined, buyerKeyIssue(data, type)].filter((i) => i !== undefined);
  return { type, ...decpVersion(data, container), ...(said.length > 0 ? { said } : {}) };
}

/**
 * A marché whose buyer is written `autoriteConcedante` (a concession's key), or a concession whose
 * authority is written `acheteur`: read as its buyer (the profile reads both keys), said.
 */
export function buyerKeyIssue(data: Record<string, unknown>, type: RecordType): Issue | undefined {
  const [own, other] = type === 'marche' ? ['acheteur', 'autoriteConcedante'] : type === 'contrat-concession' ? ['autoriteConcedante', 'acheteur'] : [null, null];
  if (own === null || other === null || holdsValue(data[own]) || !holdsValue(data[other])) return undefined;
  return issue('INGEST_BUYER_KEY_OTHER_KIND', 'warning', `${type === 'marche' ? 'a marché' : 'a concession'} (by its own fields) names its ${type === 'marche' ? 'buyer' : 'authority'} under ${other}, ${type === 'marche' ? "a concession's" : "a marché's"} key: read as its ${own}`, { pointer: `/${other}` });
}

/** A record whose `_type` says one kind and whose own fields the other: said (read as its fields say). */
function typeMisfiled(data: Record<string, unknown>, type: RecordType): Issue | undefined {
  const t = typeof data['_type'] === 'string' ? (data['_type'] as string) : '';
  const said = t.toLowerCase().startsWith('march') ? 'marche' : t.toLowerCase().includes('concession') ? 'contrat-concession' : null;
  if (said === null || said === type) return undefined;
  return issue('INGEST_RECORD_MISFILED', 'warning', `_type ${JSON.stringify(t)} says ${said === 'marche' ? 'a marché' : 'a concession'}, the record's own fields ${type === 'marche' ? "a marché's" : "a concession's"}: read as ${type === 'marche' ? 'a marché' : 'a concession'}`, { pointer: '/_type', raw: t });
}

/**
 * A DECP record exported alone under its element's name (`{"marche":{…}}`: JSON's lone `<marche>`):
 * its kind is the name's, its generation its fields' (2019 and 2024 records both take this form).
 */
export function classifyLone(data: Record<string, unknown>, kind: 'marche' | 'contrat-concession'): Classified & { version: DecpVersion } {
  // (its own fields may say the other kind: `{"marche": {<a concession>}}`)
  const type = misfiledAs(data, kind) ?? kind;
  const said = [type !== kind ? misfiledIssue(type, kind) : undefined, buyerKeyIssue(data, type)].filter((i) => i !== undefined);
  return { type, ...decpVersion(data, null), ...(said.length > 0 ? { said } : {}) };
}

/**
 * Fields only a marché has, and only a concession: a record's kind by its own fields (kindByFields).
 * (`donneesExecution` is not one: 2019 exports give marchés one too.)
 */
const MARCHE_ONLY = ['acheteur', 'titulaires', 'montant', 'dateNotification'];
const CONCESSION_ONLY = ['autoriteConcedante', 'concessionnaires', 'valeurGlobale', 'dateSignature', 'dateDebutExecution', 'montantSubventionPublique'];
const CONCESSION_NATURE = /concession|d[ée]l[ée]gation/i;
const MARCHE_NATURE = /^\s*(?:march[ée]|accord[- ]cadre)/i;

/**
 * The kind a record's own fields say: more of a concession's own fields that hold a value (its
 * authority, its concessionnaires, its value, signature, start, subsidy) than of a marché's (its
 * buyer, titulaires, amount, notification), or the reverse, its `nature` counting twice; null when
 * they say neither more. (An export that writes every column, the other kind's empty, says nothing by them.)
 */
export function kindByFields(data: Record<string, unknown>): 'marche' | 'contrat-concession' | null {
  let score = 0;
  for (const k of CONCESSION_ONLY) if (holdsValue(data[k])) score++;
  for (const k of MARCHE_ONLY) if (holdsValue(data[k])) score--;
  const nature = data['nature'];
  if (typeof nature === 'string') score += CONCESSION_NATURE.test(nature) ? 2 : MARCHE_NATURE.test(nature) ? -2 : 0;
  return score > 0 ? 'contrat-concession' : score < 0 ? 'marche' : null;
}

/**
 * The kind a record's own fields say when it sits in the other kind's list: a `contrat-concession`
 * among the `marche` items, or the reverse (a platform that files every contract under one list).
 * The fields decide, not the buyer's key alone: a marché whose buyer is written `autoriteConcedante`
 * beside its amount, titulaires and notification stays a marché (its buyer read under that key).
 * Null when the record is of its list's kind.
 */
export function misfiledAs(data: Record<string, unknown>, kind: 'marche' | 'contrat-concession'): 'marche' | 'contrat-concession' | null {
  const other = kind === 'marche' ? 'contrat-concession' : 'marche';
  return kindByFields(data) === other ? other : null;
}

/** What a reader says of a record read as the other kind than its list's (misfiledAs). */
export function misfiledIssue(type: RecordType, list: 'marche' | 'contrat-concession'): Issue {
  const what = type === 'contrat-concession' ? "a contrat de concession (a concession's own fields)" : "a marché (a marché's own fields)";
  return issue('INGEST_RECORD_MISFILED', 'warning', `${what} in the list of ${list === 'marche' ? 'marchés' : 'contrats de concession'}: read as ${type === 'contrat-concession' ? 'a concession' : 'a marché'}`);
}

function decpType(data: Record<string, unknown>, container: ContainerName): RecordType {
  const type = decpTypeOf(data, container);
  if (type !== 'unknown') return type;
  // its keys spelt otherwise (`ACHETEUR`, `Titulaires`, `code_cpv`: a database's export, Oracle's upper
  // case), which the mapping reads as its own (looseKey: without case, accents or separators): its kind
  // by them (found by a probe: a 2019 flat list so written was rejected whole, "records of type unknown",
  // where XML names and a 2024 container's are matched in any case)
  const respelt = withClassifyingKeys(data);
  return respelt === null ? type : decpTypeOf(respelt, container);
}

/**
 * The keys that tell a record's kind (decpTypeOf), by their loose spelling (foldKey): DECP's own
 * words only; not `_type` nor `nature`, which loosely spelt are any export's (`"type": "concession"`,
 * `"Nature"` in a partner's file), so that a partner's record is never taken for a DECP one by them.
 */
const CLASSIFYING_KEYS: ReadonlyMap<string, string> = new Map(['codeCPV', ...MARCHE_ONLY, ...CONCESSION_ONLY].map((k) => [foldKey(k), k]));

/** A key without case, accents or separators (`Date_Notification` is `datenotification`). */
function foldKey(k: string): string {
  return k.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The record with its keys that tell its kind written as DECP spells them, or null when it has none spelt otherwise. */
function withClassifyingKeys(data: Record<string, unknown>): Record<string, unknown> | null {
  let respelt: Record<string, unknown> | null = null;
  for (const k in data) {
    const canonical = CLASSIFYING_KEYS.get(foldKey(k));
    if (canonical === undefined || canonical === k || canonical in data) continue;
    respelt ??= { ...data };
    respelt[canonical] = data[k];
  }
  return respelt;
}

function decpTypeOf(data: Record<string, unknown>, container: ContainerName): RecordType {
  if (container === 'marche' || container === 'contrat-concession') return misfiledAs(data, container) ?? container;
  const t = typeof data['_type'] === 'string' ? (data['_type'] as string).toLowerCase() : '';
  // (a consolidator's `_type`, unless the record's own fields say the other kind: typeMisfiled)
  if (t.startsWith('march')) return misfiledAs(data, 'marche') ?? 'marche';
  if (t.includes('concession')) return misfiledAs(data, 'contrat-concession') ?? 'contrat-concession';
  // (its own fields, then a concession's key where they say neither more)
  const byFields = kindByFields(data);
  if (byFields !== null) return byFields;
  if (CONCESSION_FIELDS.some((k) => k in data)) return 'contrat-concession';
  if ('acheteur' in data || 'titulaires' in data || 'montant' in data || 'codeCPV' in data) return 'marche';
  return 'unknown';
}

function decpVersion(data: Record<string, unknown>, container: ContainerName): { version: DecpVersion; mixed?: Issue } {
  // a 2024 container (`{"marches":{"marche":[…]}}`) and wrapped lists are 2024's, unless the record
  // has no 2024 field and names what 2024 leaves out (a 2019 XML file turned into JSON keeps its
  // `marche` elements and wrappers): the record says which it is, and its ocid follows the 2019 rule
  if (container === 'marche' || container === 'contrat-concession' || hasWrappedLists(data)) return { version: !has2024Field(data) && names2019(data).length > 0 ? '2019' : '2024' };
  // a wrapper written once (an XML export turned into JSON, of either generation) is 2024's list shape
  // when the record has a 2024 field (the interim shape has bare items); without one, the flat rule
  // below: 2019, as the same record with its items listed is (found by a review: a 2019 XML export so
  // turned, without its buyer's name, was read as 2024, its id whole, another ocid than its twin's)
  if (hasWrapperObjects(data) && has2024Field(data) && names2019(data).length === 0) return { version: '2024' };
  // flat lists: a 2024 field makes the interim shape, unless the record names its buyer or place,
  // which neither 2024 format does: a 2019 record with an extra field (its schema allows them), whose
  // ocid is the one it has without that field, and which is checked against the 2019 schema; but
  // enough 2024 fields outweigh a name (a 2024 export's leftover), as they do in XML, so that the
  // record and its XML twin get one ocid (its id never cut)
  if (has2024Field(data)) {
    const names = names2019(data);
    if (names.length === 0) return { version: '2023-interim' };
    if (strong2024(data)) return { version: '2023-interim', mixed: mixedGenerationIssue(names, '2023-interim') };
  }
  return { version: '2019' };
}

/** Objects whose `nom` (a buyer's or a place's name) only the 2019 format gives: JSON keys and XML elements. */
export const NAMED_2019: ReadonlySet<string> = new Set(['acheteur', 'autoriteConcedante', 'lieuExecution']);

/** The buyer's or the place's name (`acheteur.nom`…): 2019 gives them, 2024 has no such field. */
function names2019(data: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const k of NAMED_2019) {
    // (an object given as a list of one, as xml2js writes every element, `"acheteur": [{"nom": […]}]`:
    // the mapping reads it as that object, FIELD_LIST_OF_ONE; a 2019 record so written was read as 2024)
    const given = data[k];
    const v = Array.isArray(given) && given.length === 1 ? (given[0] as unknown) : given;
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'nom' in v) names.push(`${k}.nom`);
  }
  return names;
}

/**
 * What a reader says of a record read as 2024 or the interim shape though it names its buyer or place
 * (`names`: `lieuExecution.nom`…, which only 2019 gives): its 2024 fields outweighed the names
 * (outweighs2019Name), a 2019 leftover, and its id is not cut by the 2019 rule. Auditors see which
 * records were so decided. (In a 2024 container, or with 2024's wrapped lists, a name never counted
 * beside a 2024 field: nothing is weighed there, nothing said.)
 */
export function mixedGenerationIssue(names: readonly string[], version: DecpVersion): Issue {
  return issue('INGEST_GENERATION_MIXED', 'warning', `a 2019 name (${names.join(', ')}) in a record read as ${version} by its 2024 fields: the name is kept, the record is ${version}'s (its ocid from its whole id)`, { pointer: `/${names[0]!.replace('.', '/')}` });
}

/** 2024 JSON wraps list items: `"titulaires":[{"titulaire":{…}}]`, `"techniques":{"technique":[…]}`. */
function hasWrappedLists(data: Record<string, unknown>): boolean {
  const wrapped = (list: unknown, key: string): boolean =>
    Array.isArray(list) && list.length > 0 && typeof list[0] === 'object' && list[0] !== null && key in (list[0] as object);
  if (wrapped(data['titulaires'], 'titulaire') || wrapped(data['concessionnaires'], 'concessionnaire') || wrapped(data['modifications'], 'modification')) return true;
  const t = data['techniques'];
  return typeof t === 'object' && t !== null && !Array.isArray(t) && 'technique' in t;
}

/**
 * An XML export turned into JSON (xmltodict, xml2json) writes a list's wrapper once, its items under
 * it: `"titulaires":{"titulaire":{…}}` (one item) or `{"titulaire":[…]}` (several). A 2024 export and
 * a 2019 one alike: the form says no generation (decpVersion asks the record's fields).
 */
function hasWrapperObjects(data: Record<string, unknown>): boolean {
  const once = (list: unknown, key: string): boolean => {
    if (typeof list !== 'object' || list === null || Array.isArray(list) || !(key in list)) return false;
    const inner = (list as Record<string, unknown>)[key];
    return typeof inner === 'object' && inner !== null;
  };
  return once(data['titulaires'], 'titulaire') || once(data['concessionnaires'], 'concessionnaire') || once(data['modifications'], 'modification');
}

/** A linked release (`{url, date, tag}`: a link to a release, no id or ocid of its own). */
export function isLinkedRelease(o: Record<string, unknown>): boolean {
  return 'url' in o && !('id' in o) && !('ocid' in o);
}

/**
 * The releases an OCDS record gives, or why it gives none. Its embedded releases when it has any (a
 * linked release, `{url, date, tag}`: no ocid, no id, is not fetched — no network — and a
 * `compiledRelease` beside embedded releases is never used: it is what they merge into). A record
 * without an embedded release (its releases only linked, as Paraguay's DNCP and Mexico City publish
 * them, or no `releases` at all) gives its `compiledRelease`, the publisher's own statement of the
 * process's current state, as the ocid's one release, as given (its id, date and tag, `compiled`):
 * `compiled` says so, and the history it was compiled from is not read; one whose tag is not
 * `["compiled"]` is tagged so (`tagGiven`: what it was). A record with only a
 * `versionedRelease` gives a reason: reading it back would mean un-merging it with the merge rules
 * (a versioned release has no id, date or tag of its own; its leaves are lists of versions), which
 * this tool does not do. So does one whose list holds something that is neither kind of release.
 * A release that leaves out its ocid takes the record's (`ocidFromRecord`: how many); one of another
 * ocid than the record's own is counted (`ocidOther`). With `fillOcid` false, both are left as written.
 */
export function embeddedReleases(record: Record<string, unknown>, fillOcid = true): { releases: Record<string, unknown>[]; compiled: boolean; tagGiven?: string; linked?: number; ocidFromRecord?: number; ocidOther?: number } | { reason: string } {
  const got = releasesOfRecord(record);
  // (validate reads the releases as written, `fillOcid` false: an ocid left out is the schema's to report)
  if (!('releases' in got) || !fillOcid) return got;
  // a release of a record that leaves out its ocid (a publisher's compiledRelease or embedded release
  // written under the record's `ocid`, not repeated) is the record's process: it takes the record's
  // ocid (else its compiledRelease's, for embedded releases), counted in `ocidFromRecord` for the
  // callers to say it — it was a release without an ocid, rejected (TRANSFORM_NO_ID), the process lost
  const own = recordOcid(record);
  if (typeof own !== 'string' || own.trim() === '') return got;
  // (a release of another ocid than the record's own — a publisher's error — is published in its own
  // ocid's process, as compile does: counted in `ocidOther` for the callers to say it, as compile
  // says TRANSFORM_RECORD_OCID_MISMATCH and validate check.record-ocid)
  const given = record['ocid'];
  let other = 0;
  let filled = 0;
  const releases = got.releases.map((r) => {
    const o = r['ocid'];
    if (o !== undefined && o !== null && !(typeof o === 'string' && o.trim() === '')) {
      if (typeof given === 'string' && given.trim() !== '' && o !== given) other++;
      return r;
    }
    filled++;
    // (first, where a release writes it; a null or blank one replaced)
    const c: Record<string, unknown> = { ocid: own, ...r };
    c['ocid'] = own;
    return c;
  });
  return filled === 0 && other === 0 ? got : { ...got, ...(filled > 0 ? { releases, ocidFromRecord: filled } : {}), ...(other > 0 ? { ocidOther: other } : {}) };
}

function releasesOfRecord(record: Record<string, unknown>): { releases: Record<string, unknown>[]; compiled: boolean; tagGiven?: string; linked?: number } | { reason: string } {
  const rels = record['releases'];
  const releases: Record<string, unknown>[] = [];
  let linked = 0;
  if (Array.isArray(rels)) {
    for (let k = 0; k < rels.length; k++) {
      const r: unknown = rels[k];
      const o = r !== null && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : null;
      // a link has its url and no id or ocid; a release has an id or an ocid (what it lacks besides is
      // the schema's to report), or at least a date and a tag
      const link = o !== null && isLinkedRelease(o);
      if (link) linked++;
      else if (o !== null && ('id' in o || 'ocid' in o || ('date' in o && 'tag' in o))) releases.push(o);
      else return { reason: `an OCDS record whose releases[${k}] is neither an embedded release nor a linked one (${o === null ? (JSON.stringify(r) ?? String(r)) : 'an object without id, ocid, date or tag'})` };
    }
  }
  // (linked ones beside them are not fetched: `linked` says how many, for the callers to say it)
  if (releases.length > 0) return linked > 0 ? { releases, compiled: false, linked } : { releases, compiled: false };
  const compiled = record['compiledRelease'];
  if (compiled !== null && typeof compiled === 'object' && !Array.isArray(compiled)) {
    const c = compiled as Record<string, unknown>;
    const tag = c['tag'];
    if (Array.isArray(tag) && tag.length === 1 && tag[0] === 'compiled') return { releases: [c], compiled: true };
    // OCDS: a compiled release's tag is ["compiled"]. One tagged otherwise (["award"], none) is still the
    // record's compiled release, and is tagged so: every later stage knows a compiled release by its tag
    // (flatten reads no history from it, validation says what it is, compile keeps it apart), and one
    // tagged ["award"] would pass for a release of the history. `tagGiven` says what it was (JSON).
    return { releases: [{ ...c, tag: ['compiled'] }], compiled: true, tagGiven: tag === undefined ? 'none' : (JSON.stringify(tag) ?? String(tag)) };
  }
  if (compiled !== undefined) return { reason: `an OCDS record without embedded releases, whose compiledRelease is not an object (${JSON.stringify(compiled)?.slice(0, 40) ?? String(compiled)})` };
  const why = linked > 0 ? 'whose releases are linked (URLs), not embedded: linked releases are not fetched (no network)' : 'without releases';
  if ('versionedRelease' in record) return { reason: `an OCDS record ${why}, with a versionedRelease and no compiledRelease: a versioned release is not read back into a release (it has no id, date or tag of its own; its values are lists of versions)` };
  return { reason: `an OCDS record ${why}, and without a compiledRelease` };
}

/**
 * The ocid an OCDS record names, for its reject: its own `ocid`, else its compiledRelease's or its
 * versionedRelease's (an ocid is not versioned: a string there too), else its first embedded
 * release's. Prozorro's records, for one, carry no `ocid` of their own: a record rejected for its
 * releases (a versioned release only, a bad release) still names its process.
 */
export function recordOcid(record: Record<string, unknown>): unknown {
  if (record['ocid'] !== undefined) return record['ocid'];
  for (const k of ['compiledRelease', 'versionedRelease']) {
    const r = record[k];
    if (r !== null && typeof r === 'object' && !Array.isArray(r) && typeof (r as Record<string, unknown>)['ocid'] === 'string') return (r as Record<string, unknown>)['ocid'];
  }
  const rels = record['releases'];
  if (Array.isArray(rels)) {
    for (const r of rels) if (r !== null && typeof r === 'object' && typeof (r as Record<string, unknown>)['ocid'] === 'string') return (r as Record<string, unknown>)['ocid'];
  }
  return undefined;
}

/** What `compile`'s TRANSFORM_COMPILED_RELEASE_TAG warning and `validate`'s check.compiled-release-tag say (`tagGiven`: see embeddedReleases). */
export function compiledTagMessage(tagGiven: string): string {
  return `the record's compiledRelease is tagged ${tagGiven === 'none' ? 'nothing (no tag)' : tagGiven}, not ["compiled"] (OCDS: a compiled release's tag): it is the record's compiled release all the same, and is used tagged ["compiled"], so that it does not pass for a release of the process's history`;
}
