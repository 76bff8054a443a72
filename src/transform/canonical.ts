/**
 * The canonical contract (what the builder reads, docs/mappings.md), as data: each field with the
 * transforms whose output the builder can use there, each list with its item fields. A profile is
 * checked against it before any record is read (checkProfile), so that a typo in a field name, a
 * misspelt key or a transform the builder cannot read stops the command with what to fix, instead of
 * dropping or mangling data record after record. Pure.
 */
import { unicodeRegExp } from './unicode-regexp.js';
import { TRANSFORMS, type TransformName } from './functions.js';
import { pathSteps, type FieldSpec, type ListSpec, type MappingProfile } from './profile.js';
import { FORBIDDEN_KEYS } from '../core/keys.js';
import { isJsonObject } from './json-values.js';

/** A single value: the transforms the builder can read there, and for a codelist field the codes it knows. */
interface Scalar {
  readonly transforms: readonly TransformName[];
  readonly codes?: readonly string[];
  /** A codelist of this field gives ISO 4217 codes (the record's currency: `"Dólar Estadounidense": "USD"`). */
  readonly currencyCodes?: true;
}
interface List {
  readonly item: CanonicalFields;
}
type CanonicalFields = Readonly<Record<string, Scalar | List>>;

const TEXT: Scalar = { transforms: ['text', 'prose', 'identifier'] };
// (amounts and durations through their own transforms only: `number` would skip the decimal
// separator, the currency in the text and the flags; `integer` the guards against 0 and 9999 months)
const AMOUNT: Scalar = { transforms: ['amount'] };
const MONTHS: Scalar = { transforms: ['months'] };
/** A rate or a share (x_decp's advance rate, origins): a number. */
const RATE: Scalar = { transforms: ['rate', 'number', 'amount', 'integer'] };
/** A quantity: a number, or a spreadsheet's quantity (`quantity`: "1.500" as the decimal separator says). */
const QUANTITY: Scalar = { transforms: ['number', 'quantity', 'amount', 'integer'] };
const DATE: Scalar = { transforms: ['date'] };
const TEXTS: Scalar = { transforms: ['textList'] };
const BOOLEAN: Scalar = { transforms: ['boolean'] };
/** A codelist field and its codes ("": a label known to have no code, published in the details). */
const code = (...codes: string[]): Scalar => ({ transforms: ['codelist'], codes: [...codes, ''] });

const SUPPLIERS: List = { item: { id: TEXT, idType: TEXT, name: TEXT } };

const CANONICAL: CanonicalFields = {
  id: TEXT,
  uid: TEXT,
  buyerId: TEXT,
  buyerIdType: TEXT,
  buyerName: TEXT,
  title: TEXT,
  // (CPV, or with settings.classificationScheme another scheme's code as text)
  cpv: { transforms: ['cpv', 'unspsc', 'text', 'identifier'] },
  // OCDS procurementMethod
  procedure: code('open', 'selective', 'limited', 'direct'),
  nature: code('contract', 'framework', 'subsequent', 'partnership', 'defence', 'works', 'services'),
  placeCode: TEXT,
  placeType: code('postalCode', 'commune', 'departement', 'region', 'country', 'nuts', 'arrondissement', 'canton'),
  placeName: TEXT,
  placeCodeRaw: { transforms: ['raw'] },
  months: MONTHS,
  dateConcluded: DATE,
  datePublished: DATE,
  dateStart: DATE,
  amount: AMOUNT,
  subsidy: AMOUNT,
  // (a code, or a source's names of its currencies through a codelist of ISO 4217 codes)
  currency: { transforms: ['text', 'prose', 'identifier', 'codelist'], currencyCodes: true },
  offersReceived: { transforms: ['integer'] },
  techniques: TEXTS,
  executionModes: TEXTS,
  priceTypes: TEXTS,
  socialConsiderations: TEXTS,
  environmentalConsiderations: TEXTS,
  innovative: BOOLEAN,
  advancePayment: BOOLEAN,
  subcontractingDeclared: BOOLEAN,
  priceForm: TEXT,
  ccag: TEXT,
  groupingType: TEXT,
  frameworkId: TEXT,
  // DGFiP's variant of the 2019 XSD (marches-dgfip.xsd): the buyer's profile URL, the day the data went to Etalab
  buyerProfileUrl: TEXT,
  dateTransmitted: DATE,
  sourceDataset: TEXT,
  sourceType: TEXT,
  advanceRate: RATE,
  originEU: RATE,
  originFrance: RATE,
  suppliers: SUPPLIERS,
  // item lines (emergency purchases, a partner's catalogue items): each its quantity and unit price
  items: { item: { id: TEXT, description: TEXT, cpv: { transforms: ['cpv', 'unspsc', 'text', 'identifier'] }, quantity: QUANTITY, unit: TEXT, unitCode: TEXT, unitPrice: AMOUNT, amount: AMOUNT } },
  modifications: { item: { id: TEXT, description: TEXT, dateConcluded: DATE, datePublished: DATE, amount: AMOUNT, months: MONTHS, suppliers: SUPPLIERS } },
  subcontracts: { item: { id: TEXT, subcontractorId: TEXT, subcontractorIdType: TEXT, subcontractorName: TEXT, months: MONTHS, dateConcluded: DATE, datePublished: DATE, amount: AMOUNT, priceVariation: TEXT } },
  executions: { item: { datePublished: DATE, investment: AMOUNT, tariffs: { item: { title: TEXT, amount: AMOUNT } }, tariffsOnYear: { item: { title: TEXT, amount: AMOUNT } } } },
  // a subcontracting act's modification (2024 modificationsActesSousTraitance): the act's id, its new amount and duration
  subcontractModifications: { item: { id: TEXT, months: MONTHS, dateConcluded: DATE, datePublished: DATE, amount: AMOUNT } },
};

/** The record types ingest reports, which a profile maps (`unknown`: any other JSON object). */
const RECORD_TYPES = ['marche', 'contrat-concession', 'unknown'] as const;

const PROFILE_KEYS = new Set(['name', 'description', 'records', 'settings', 'codelists', '$schema', '$comment']);
const RECORD_KEYS = new Set(['as', 'fields', 'withhold', '$comment']);
/** A wrapper's name (`"titulaire"`) or its spellings (`["modificationActeSousTraitance", "modificationActesSousTraitance"]`). */
const isItemName = (v: unknown): boolean => typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'));

const FIELD_KEYS = new Set(['from', 'transform', 'codelist', 'item', 'optional', 'bareId', 'keySynonyms', '$comment']);
const LIST_KEYS = new Set(['list', 'item', 'fields', 'optional', 'numberedColumns', '$comment']);
const SETTINGS_KEYS = new Set(['ocidPrefix', 'publisher', 'currency', 'language', 'utcOffset', 'dateOrder', 'schemes', 'schemePrefix', 'defaultIdType', 'buyerIdType', 'checkSiret', 'oneContractPerId', 'decimalSeparator', 'implausibleAmount', 'classificationScheme', 'countryName', 'csv', 'idTypes', 'personIdTypes', 'organisationIdTypes', 'personIdentifiers', 'personNames', 'soleTraderNames', 'companyNames', 'json', '$comment']);

const names = (xs: Iterable<string>): string => [...xs].map((x) => JSON.stringify(x)).join(', ');

/** Keys of `o` not in `allowed`: an error naming them (a misspelt key would be ignored silently). */
function onlyKeys(o: Record<string, unknown>, allowed: ReadonlySet<string>, where: string): void {
  const extra = Object.keys(o).filter((k) => !allowed.has(k));
  if (extra.length > 0) throw new Error(`${where}: unknown key${extra.length > 1 ? 's' : ''} ${names(extra)} (allowed: ${names(allowed)})`);
}

/** A path or a list of alternative paths: non-empty dotted names. */
function checkPaths(v: unknown, key: string, where: string): void {
  const paths = typeof v === 'string' ? [v] : Array.isArray(v) ? v : null;
  if (paths === null || paths.length === 0) throw new Error(`${where}: "${key}" must be a path ("a.b") or a non-empty list of paths`);
  for (const p of paths) {
    // a list of one item, the object itself (a flat CSV row's supplier columns)
    if (key === 'list' && p === '.') continue;
    if (typeof p !== 'string' || p.trim() === '' || pathSteps(p).some((s) => s === '')) throw new Error(`${where}: "${key}" has an empty path or step (${JSON.stringify(p)}; a dot of a name is written \\.: "RFC dep\\\\.")`);
  }
}

function checkFields(fields: unknown, canonical: CanonicalFields, codelists: Readonly<Record<string, unknown>>, where: string, inList = false): void {
  if (!isJsonObject(fields)) throw new Error(`${where}: "fields" must be an object (canonical field name → spec)`);
  for (const [name, spec] of Object.entries(fields)) {
    const here = `${where}.${name}`;
    if (FORBIDDEN_KEYS.has(name)) throw new Error(`field name ${JSON.stringify(name)} is not allowed (${where})`);
    if (!Object.hasOwn(canonical, name)) throw new Error(`${here}: not a field of the canonical contract here (fields: ${names(Object.keys(canonical))}; docs/mappings.md)`);
    const expected = canonical[name]!;
    if (!isJsonObject(spec)) throw new Error(`${here}: a field spec must be an object ({"from": …} or {"list": …, "fields": …})`);
    if ('item' in expected) {
      const list = expected as List;
      if (!('list' in spec)) throw new Error(`${here}: a list of the canonical contract: give {"list": "path", "item": "<wrapper>", "fields": {…}}`);
      onlyKeys(spec, LIST_KEYS, here);
      checkPaths(spec['list'], 'list', here);
      if (spec['item'] !== undefined && !isItemName(spec['item'])) throw new Error(`${here}: "item" must be a text (the wrapper key of each item) or a list of its spellings`);
      if (spec['optional'] !== undefined && typeof spec['optional'] !== 'boolean') throw new Error(`${here}: "optional" is true or false (a list a file may lack)`);
      if (spec['numberedColumns'] !== undefined && typeof spec['numberedColumns'] !== 'boolean') throw new Error(`${here}: "numberedColumns" is true or false (items given as numbered columns of the object that holds the list: "titulaire_id_1")`);
      checkFields(spec['fields'], list.item, codelists, here, true);
      continue;
    }
    const allowed = expected;
    if ('list' in spec) throw new Error(`${here}: a single value of the canonical contract, not a list: give {"from": "path", "transform": …}`);
    onlyKeys(spec, FIELD_KEYS, here);
    checkPaths(spec['from'], 'from', here);
    if (spec['optional'] !== undefined && typeof spec['optional'] !== 'boolean') throw new Error(`${here}: "optional" is true or false (a field a file may lack: a CSV column, a key of JSON or XML records)`);
    const transform = (spec as Partial<FieldSpec>).transform ?? 'text';
    if (spec['bareId'] !== undefined && (typeof spec['bareId'] !== 'boolean' || (transform !== 'identifier' && transform !== 'text'))) throw new Error(`${here}: "bareId" is true or false, for an identifier read with the identifier or text transform (the object of its path given as the identifier alone)`);
    // (a list's item is an object too: `"titulaires": ["80268496900016"]`, read by a field of one key, `id`)
    if (spec['bareId'] === true && ![spec['from']].flat().some((p) => typeof p === 'string' && (pathSteps(p).length > 1 || (inList && typeof spec['from'] === 'string')))) throw new Error(`${here}: "bareId" needs a path into an object ("acheteur.id", or a list item's "id"): the object given as the identifier alone is read so`);
    if (spec['keySynonyms'] !== undefined && (!Array.isArray(spec['keySynonyms']) || spec['keySynonyms'].length === 0 || !spec['keySynonyms'].every((k) => typeof k === 'string' && k.trim() !== ''))) throw new Error(`${here}: "keySynonyms" is a list of key names (other names of the last key of "from", read as it where it is not given)`);
    if (typeof transform !== 'string' || !Object.hasOwn(TRANSFORMS, transform)) throw new Error(`${here}: unknown transform ${JSON.stringify(transform)} (transforms: ${names(Object.keys(TRANSFORMS))})`);
    if (!allowed.transforms.includes(transform)) throw new Error(`${here}: transform must be ${allowed.transforms.map((t) => JSON.stringify(t)).join(' or ')} (got ${JSON.stringify(transform)}${spec['transform'] === undefined ? ', the default' : ''})`);
    if (spec['codelist'] !== undefined && transform !== 'codelist') throw new Error(`${here}: "codelist" is read by the codelist transform only (transform is ${JSON.stringify(transform)})`);
    if (transform === 'codelist') {
      if (spec['codelist'] === undefined) throw new Error(`${here}: the transform "codelist" needs a "codelist" key naming one of the profile's codelists (codelists: ${names(Object.keys(codelists))})`);
      const list = typeof spec['codelist'] === 'string' && Object.hasOwn(codelists, spec['codelist']) ? (codelists[spec['codelist']] as Record<string, string>) : undefined;
      if (list === undefined) throw new Error(`${here}: unknown codelist ${JSON.stringify(spec['codelist'])} (codelists: ${names(Object.keys(codelists))})`);
      const odd = Object.entries(list).filter(([, c]) => (allowed.currencyCodes === true ? !/^[A-Z]{3}$/.test(c) : !allowed.codes!.includes(c)));
      if (odd.length > 0 && allowed.currencyCodes === true) throw new Error(`codelists.${String(spec['codelist'])}: ${odd.slice(0, 3).map(([label, c]) => `${JSON.stringify(label)} → ${JSON.stringify(c)}`).join(', ')}: not an ISO 4217 currency code of three capital letters ("USD", "ARS")`);
      if (odd.length > 0) throw new Error(`codelists.${String(spec['codelist'])}: ${odd.slice(0, 3).map(([label, c]) => `${JSON.stringify(label)} → ${JSON.stringify(c)}`).join(', ')}: not a code of ${name} (${names(allowed.codes!)}; "" for a label known to have no code)`);
    }
    if (spec['item'] !== undefined && (transform !== 'textList' || !isItemName(spec['item']))) throw new Error(`${here}: "item" (a wrapper name, a text, or a list of its spellings) is read by the textList transform only`);
  }
}

/** `currencies`: the codes a currency may be (the OCDS schema's codelist; without it, any three capitals). */
/** An absolute http(s) URI, as a package's `uri` and a publisher's are. */
function isAbsoluteHttpUri(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol) && !/\s/.test(text);
  } catch {
    return false;
  }
}

function checkSettings(s: unknown, currencies?: ReadonlySet<string>): void {
  if (s === undefined) return;
  if (!isJsonObject(s)) throw new Error('settings: must be an object');
  onlyKeys(s, SETTINGS_KEYS, 'settings');
  // (the partner's own prefix and publisher, so that its profile publishes under its name, not Etalab's:
  // found by a partners' probe, each command line had to repeat them)
  if (s['ocidPrefix'] !== undefined && (typeof s['ocidPrefix'] !== 'string' || !/^ocds-[a-z0-9]{6}$/.test(s['ocidPrefix']))) {
    const lower = typeof s['ocidPrefix'] === 'string' && /^ocds-[a-z0-9]{6}$/i.test(s['ocidPrefix']) ? ` (prefixes are issued lower-case: ${s['ocidPrefix'].toLowerCase()})` : '';
    throw new Error(`settings.ocidPrefix: a registered OCID prefix, "ocds-" and six lower-case letters or digits ("ocds-78apv2"), not ${JSON.stringify(s['ocidPrefix'])}${lower}; a publisher without one asks the OCDS Data Support Team for its own`);
  }
  if (s['publisher'] !== undefined) {
    const p = s['publisher'];
    const shape = 'settings.publisher: the packages\' publisher, {"name": "Agencia Nacional de Contratación Pública", "uri": "https://www.colombiacompra.gov.co/"} (the uri optional, absolute)';
    if (!isJsonObject(p)) throw new Error(shape);
    onlyKeys(p, new Set(['name', 'uri', '$comment']), 'settings.publisher');
    if (typeof p['name'] !== 'string' || p['name'].trim() === '') throw new Error(`settings.publisher.name: a non-empty text, not ${JSON.stringify(p['name'])}; ${shape}`);
    if (p['uri'] !== undefined && (typeof p['uri'] !== 'string' || !isAbsoluteHttpUri(p['uri']))) throw new Error(`settings.publisher.uri: an absolute http(s) URI ("https://www.colombiacompra.gov.co/"), not ${JSON.stringify(p['uri'])}`);
  }
  if (s['currency'] !== undefined && (typeof s['currency'] !== 'string' || !/^[A-Z]{3}$/.test(s['currency']) || (currencies !== undefined && !currencies.has(s['currency'])))) throw new Error(`settings.currency: an ISO 4217 code of three capital letters ("EUR", "COP"), not ${JSON.stringify(s['currency'])}`);
  if (s['language'] !== undefined && (typeof s['language'] !== 'string' || !/^[a-z]{2}(-[A-Z]{2})?$/.test(s['language']))) throw new Error(`settings.language: an ISO 639-1 code of two small letters, with a region or not ("fr", "es", "es-CO"), not ${JSON.stringify(s['language'])}`);
  if (s['utcOffset'] !== undefined) {
    const m = typeof s['utcOffset'] === 'string' ? /^[+-](\d\d):(\d\d)$/.exec(s['utcOffset']) : null;
    if (m === null || Number(m[1]) > 14 || Number(m[2]) > 59) throw new Error(`settings.utcOffset: a fixed offset "±hh:mm" ("-05:00"), not ${JSON.stringify(s['utcOffset'])} (time-zone names are not read, nor summer time but Paris's: give the zone's standard offset — "+00:00" for the United Kingdom, "+02:00" for Ukraine, "-03:00" for Argentina — or leave it out for Europe/Paris)`);
  }
  if (s['dateOrder'] !== undefined && s['dateOrder'] !== 'day-first' && s['dateOrder'] !== 'month-first') throw new Error(`settings.dateOrder: "day-first" (the default: 08/11/2026 is 8 November) or "month-first" (08/11/2026 is 11 August), the order of day and month in a date written with its year last; not ${JSON.stringify(s['dateOrder'])}`);
  if (s['schemes'] !== undefined && (!isJsonObject(s['schemes']) || Object.values(s['schemes']).some((v) => typeof v !== 'string' || v.trim() === ''))) throw new Error('settings.schemes: an object, identifier type label → org-id scheme ({"NIT": "CO-RUE"})');
  for (const k of ['schemePrefix', 'defaultIdType', 'buyerIdType'] as const) if (s[k] !== undefined && (typeof s[k] !== 'string' || s[k].trim() === '')) throw new Error(`settings.${k}: a non-empty text`);
  if (s['checkSiret'] !== undefined && typeof s['checkSiret'] !== 'boolean') throw new Error('settings.checkSiret: true or false');
  if (s['oneContractPerId'] !== undefined && typeof s['oneContractPerId'] !== 'boolean') throw new Error('settings.oneContractPerId: true or false');
  if (s['countryName'] !== undefined && (typeof s['countryName'] !== 'string' || s['countryName'].trim() === '')) throw new Error('settings.countryName: a country name ("Colombia")');
  if (s['classificationScheme'] !== undefined && (typeof s['classificationScheme'] !== 'string' || s['classificationScheme'].trim() === '')) throw new Error('settings.classificationScheme: a scheme name ("CPV", "UNSPSC")');
  if (s['decimalSeparator'] !== undefined && s['decimalSeparator'] !== ',' && s['decimalSeparator'] !== '.') throw new Error(`settings.decimalSeparator: "," or ".", not ${JSON.stringify(s['decimalSeparator'])}`);
  if (s['csv'] !== undefined) checkCsvSettings(s['csv']);
  if (s['json'] !== undefined) {
    const j = s['json'];
    if (!isJsonObject(j)) throw new Error('settings.json: an object ({"records": "contratos"})');
    onlyKeys(j, new Set(['records', '$comment']), 'settings.json');
    const r = j['records'];
    const ok = (x: unknown): boolean => typeof x === 'string' && x.trim() !== '' && !x.includes('.') && !FORBIDDEN_KEYS.has(x);
    if (r !== undefined && !ok(r) && !(Array.isArray(r) && r.length > 0 && r.every(ok))) throw new Error('settings.json.records: the root key of the list that holds the records ("contratos"), or a list of such keys (one level: no dotted path)');
  }
  if (s['idTypes'] !== undefined) {
    const t = s['idTypes'];
    const shape = 'settings.idTypes: the identifier types the source knows, each with regular expressions that find its other spellings ({"SIRET": ["\\\\bsiret\\\\b"], "TVA": []})';
    if (!isJsonObject(t) || Object.keys(t).length === 0) throw new Error(shape);
    for (const [type, list] of Object.entries(t)) {
      if (type === '$comment') continue;
      if (type.trim() === '' || !Array.isArray(list) || list.some((v) => typeof v !== 'string' || v.trim() === '')) throw new Error(shape);
      regularExpressions(list as string[], `settings.idTypes.${type}`);
    }
  }
  if (s['personIdTypes'] !== undefined && (!Array.isArray(s['personIdTypes']) || s['personIdTypes'].some((v) => typeof v !== 'string' || v.trim() === ''))) throw new Error('settings.personIdTypes: a list of identifier type labels that name natural persons (["Cédula de Ciudadanía"])');
  if (s['organisationIdTypes'] !== undefined) {
    const list = s['organisationIdTypes'];
    if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || v.trim() === '')) throw new Error('settings.organisationIdTypes: a list of identifier type labels that name organisations only (["NIT"])');
    if (s['personIdTypes'] === undefined) throw new Error('settings.organisationIdTypes: given without settings.personIdTypes (an organisation\'s type tells a person only beside the types that name persons)');
  }
  if (s['personIdentifiers'] !== undefined) {
    const list = s['personIdentifiers'];
    const shape = 'settings.personIdentifiers: a list of {"scheme": a regular expression on the published scheme, "id": one on the identifier} that say a natural person\'s identifier ([{"scheme": "^AR-CUIT$", "id": "^(?:20|23|24|27)\\\\d{9}$"}])';
    if (!Array.isArray(list) || list.length === 0) throw new Error(shape);
    list.forEach((r: unknown, i) => {
      // (which rule, and what is wrong with it: a profile lists several)
      let wrong: string | undefined;
      if (!isJsonObject(r)) wrong = `not an object, ${JSON.stringify(r)}`;
      else {
        const rule = r;
        // (`countries`, as mappings/ocds-persons.json's rules have it, may be copied with its rule: a
        // profile's identifiers always have their scheme, so it is not read here)
        wrong = Object.keys(rule).filter((k) => k !== 'scheme' && k !== 'id' && k !== 'why' && k !== 'countries' && k !== '$comment').map((k) => `unknown key ${JSON.stringify(k)} (keys: "scheme", "id", "why", "countries")`)[0]
          ?? ['scheme', 'id'].filter((k) => typeof rule[k] !== 'string' || (rule[k] as string).trim() === '').map((k) => `"${k}" ${rule[k] === undefined ? 'is missing' : 'is no regular expression\'s text'}`)[0]
          ?? (rule['countries'] !== undefined && (!Array.isArray(rule['countries']) || !rule['countries'].every((c) => typeof c === 'string')) ? '"countries" is not a list of texts' : undefined);
      }
      if (wrong !== undefined || !isJsonObject(r)) throw new Error(`settings.personIdentifiers[${i}]: ${wrong}; ${shape}`);
      regularExpressions([r['scheme'] as string, r['id'] as string], `settings.personIdentifiers[${i}]`);
    });
  }
  for (const key of ['personNames', 'soleTraderNames', 'companyNames']) {
    const list = s[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || v.trim() === '')) throw new Error(`settings.${key}: a list of regular expressions that find ${key === 'companyNames' ? 'a company' : key === 'soleTraderNames' ? "a natural person's legal status" : 'a natural person'} in a name (${key === 'companyNames' ? '["\\\\bSARL\\\\b"]' : key === 'soleTraderNames' ? '["\\\\bEIRL?\\\\b"]' : '["^Mme\\\\s"]'})`);
    regularExpressions(list as string[], `settings.${key}`);
  }
  if (s['implausibleAmount'] !== undefined && (typeof s['implausibleAmount'] !== 'number' || !(s['implausibleAmount'] > 0))) throw new Error('settings.implausibleAmount: a positive number (default 1e12)');
}

/** Each text of a setting's list compiles as a regular expression (case-insensitive, Unicode), else an Error naming it at `where`. */
function regularExpressions(list: readonly string[], where: string): void {
  for (const v of list) {
    try {
      unicodeRegExp(v, 'iu');
    } catch (err) {
      throw new Error(`${where}: ${JSON.stringify(v)} is not a regular expression: ${(err as Error).message}`);
    }
  }
}

/**
 * Check a profile's shape against the canonical contract: what it may say and where. Throws an Error
 * whose message names the place (`records.unknown.fields.dateConcluded: …`) and what is expected.
 */
export function checkProfile(profile: unknown, currencies?: ReadonlySet<string>): asserts profile is MappingProfile {
  if (!isJsonObject(profile)) throw new Error('a mapping profile is a JSON object with "name" and "records"');
  onlyKeys(profile, PROFILE_KEYS, 'the profile');
  if (typeof profile['name'] !== 'string' || profile['name'].trim() === '') throw new Error('"name": a non-empty text is needed');
  const codelists = profile['codelists'] ?? {};
  if (!isJsonObject(codelists) || Object.values(codelists).some((c) => !isJsonObject(c) || Object.values(c).some((v) => typeof v !== 'string'))) throw new Error('"codelists": an object, codelist name → {source label: code}');
  checkSettings(profile['settings'], currencies);
  const records = profile['records'];
  const scheme = isJsonObject(profile['settings']) && typeof profile['settings']['classificationScheme'] === 'string' ? profile['settings']['classificationScheme'].toUpperCase() : 'CPV';
  if (!isJsonObject(records) || Object.keys(records).length === 0) throw new Error(`"records": an object with at least one record type (${names(RECORD_TYPES)})`);
  for (const [type, spec] of Object.entries(records)) {
    const where = `records.${type}`;
    if (!(RECORD_TYPES as readonly string[]).includes(type)) throw new Error(`${where}: not a record type ingest reports (${names(RECORD_TYPES)}; a partner's own records are "unknown")`);
    if (!isJsonObject(spec)) throw new Error(`${where}: an object with "fields" (and "as")`);
    onlyKeys(spec, RECORD_KEYS, where);
    const kind = spec['as'] ?? type;
    if (kind !== 'marche' && kind !== 'contrat-concession') throw new Error(`${where}: "as" must be "marche" or "contrat-concession" (got ${JSON.stringify(kind)})`);
    checkFields(spec['fields'], CANONICAL, codelists, `${where}.fields`);
    if (spec['withhold'] !== undefined) {
      if (!Array.isArray(spec['withhold'])) throw new Error(`${where}.withhold: a list of paths ("representante.nombre") whose values are not published`);
      checkPaths(spec['withhold'], 'withhold', where);
    }
    const fields = spec['fields'] as Record<string, FieldSpec | ListSpec>;
    const cpv = fields['cpv'] as FieldSpec | undefined;
    if (cpv !== undefined && (cpv.transform === 'cpv') !== (scheme === 'CPV')) {
      throw new Error(`${where}.fields.cpv: ${scheme === 'CPV' ? 'a CPV code is read with the transform "cpv" (for another scheme, set settings.classificationScheme)' : `a ${scheme} code is read with the transform "unspsc", "text" or "identifier" ("cpv" checks CPV codes)`}`);
    }
    for (const required of ['id', 'buyerId']) if (!Object.hasOwn(fields, required)) throw new Error(`${where}.fields: "${required}" is required (the ocid is built from the buyer and the id)`);
  }
}

/** settings.csv: how CSV files are read (src/ingest/read-csv.ts). */
function checkCsvSettings(c: unknown): void {
  if (!isJsonObject(c)) throw new Error('settings.csv: an object ({"delimiter": ";", "groupBy": "contract_id", "lines": "lines"})');
  onlyKeys(c, new Set(['delimiter', 'groupBy', 'lines', 'encoding', '$comment']), 'settings.csv');
  // (its label is checked where files are read: src/ingest/profiles.ts)
  if (c['encoding'] !== undefined && (typeof c['encoding'] !== 'string' || c['encoding'].trim() === '')) throw new Error('settings.csv.encoding: an encoding\'s name ("windows-1251")');
  if (c['delimiter'] !== undefined && (typeof c['delimiter'] !== 'string' || ![',', ';', '\t', '|'].includes(c['delimiter']))) throw new Error(`settings.csv.delimiter: one of "," ";" "\\t" "|", not ${JSON.stringify(c['delimiter'])} (leave it out to detect it from the header line)`);
  const g = c['groupBy'];
  if (g !== undefined && !(typeof g === 'string' && g.trim() !== '') && !(Array.isArray(g) && g.length > 0 && g.every((x) => typeof x === 'string' && x.trim() !== ''))) throw new Error('settings.csv.groupBy: a column name, or a list of column names');
  if (c['lines'] !== undefined && (typeof c['lines'] !== 'string' || c['lines'].trim() === '' || FORBIDDEN_KEYS.has(c['lines']))) throw new Error('settings.csv.lines: a key name ("lines")');
}

