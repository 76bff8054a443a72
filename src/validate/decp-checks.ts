/**
 * Checks on DECP source records (validate --decp), beside their schema errors:
 * identifiers (placeholders, SIRET length and Luhn check), CPV format, plausible durations and
 * amounts, dates that exist and in order, and duplicates across the files read.
 */
import { FirstSeen53 } from '../core/hash-set53.js';
import { isPlaceholderAmount, parseAmount, parseMonths } from '../transform/amounts.js';
import { hash53 } from '../transform/hash.js';
import { daysInMonth, MAX_YEAR, MIN_YEAR, parseDecpDate } from '../transform/dates.js';
import { cleanIdentifier, isPlaceholder, isPlaceholderId, jointSirets } from '../transform/identifiers.js';
import { listItems } from '../transform/profile.js';
import { findingsOf, type CheckFinding } from './checks.js';
import type { SchemaError } from './schema-store.js';
import { escapePointer, pointerKeys } from '../core/keys.js';
import { decpDateFields } from './schema-source/decp.js';
import { FRENCH_LOCALE, type Locale } from '../transform/locale.js';
import { isJsonObject } from '../transform/json-values.js';

export const DECP_CHECK_RULES: Readonly<Record<string, { severity: 'error' | 'warning'; title: string }>> = {
  'decp.siret': { severity: 'error', title: 'a SIRET that is not 14 digits or fails the Luhn check' },
  'decp.id-placeholder': { severity: 'error', title: 'an identifier that names no organisation (00000000000000, NC, -): convert rejects a record whose buyer has it and makes no party of a supplier that has it (ID_PLACEHOLDER); or a record id that names no contract (0, 00000000, NC, -): convert names the process of the record by the id and its award id, joining only a publication of the same award (ID_PLACEHOLDER)' },
  'decp.cpv': { severity: 'warning', title: 'a CPV code not of the form 12345678 or 12345678-9' },
  'decp.duration': { severity: 'warning', title: 'an implausible duration (0 months, or over 50 years)' },
  'decp.amount': { severity: 'warning', title: 'an implausible amount (placeholder 999…, zero, negative, over 10 billion)' },
  'decp.date': { severity: 'error', title: 'a date that does not exist (2024-02-30, month 13): the XSD\'s xs:date refuses it, the JSON schema\'s pattern takes it' },
  'decp.date-year': { severity: 'warning', title: 'a date whose year is before 1990 or after 2100 (0218-10-29 for 2018): convert leaves the date out (DATE_IMPOSSIBLE_YEAR)' },
  'decp.date-order': { severity: 'warning', title: 'data published before the contract was notified or signed' },
  'decp.duplicate': { severity: 'warning', title: 'the same record was already read (same content)' },
  'decp.duplicate-id': { severity: 'warning', title: 'another record has the same buyer and id (lots sharing an id, or a republication)' },
};

type J = Record<string, unknown>;

/**
 * Each object of a DECP list with its pointer, whatever the list's shape: items or item wrappers
 * (`[{"titulaire": {…}}]`), a wrapper holding the whole list (`[{"titulaire": […]}]`), or one
 * object where a list belongs (`{"titulaire": {…}}`, read by convert too).
 */
function eachItem(list: unknown, base: string, item: string, fn: (h: J, at: string) => void): void {
  const entries: Array<readonly [unknown, string]> = Array.isArray(list) ? list.map((raw, k) => [raw, `${base}/${k}`] as const) : isJsonObject(list) ? [[list, base]] : [];
  for (const [raw, at] of entries) {
    const wrapped = isJsonObject(raw) && item in raw;
    const many = Array.isArray(wrapped ? (raw as J)[item] : raw);
    // (as convert reads them: double wrappers, lists in lists; the pointer names the first levels)
    listItems([raw], item).forEach((h, j) => isJsonObject(h) && fn(h, `${at}${wrapped ? `/${item}` : ''}${many ? `/${j}` : ''}`));
  }
}

export class DecpChecker {
  // (53-bit hashes, each with the number of the record first read with it: 32 bytes each, past a Map's 2^24 entries)
  private readonly contents = new FirstSeen53();
  private readonly ids = new FirstSeen53();
  /** Where each record checked was read, by its number: its file's number, its line, its index in the file. */
  private readonly files: string[] = [];
  private readonly fileNumbers = new Map<string, number>();
  private readonly where: { file: number[]; line: number[]; index: number[] } = { file: [], line: [], index: [] };

  /** `locale`: the profile's, which says which identifier types are SIRETs, in any of their spellings (settings.idTypes), as convert reads them. */
  constructor(private readonly locale: Locale = FRENCH_LOCALE) {}

  /** Where the record of this number was read (`file line n, index k`: a file on one line holds every record at line 1), for a twin's finding. */
  private placeOf(n: number): string {
    return `${this.files[this.where.file[n]!]} line ${this.where.line[n]}, index ${this.where.index[n]}`;
  }

  /** `at`: where the record is read (file, line, index), kept so that a later twin says where the first one is. */
  check(type: string, data: J, at?: { readonly file: string; readonly line: number; readonly index?: number | undefined }): CheckFinding[] {
    const { out, add } = findingsOf(DECP_CHECK_RULES);
    const concession = type === 'contrat-concession';
    const buyerKey = concession ? 'autoriteConcedante' : 'acheteur';
    // an organisation's identifier, a SIRET or not (`isSiret`)
    const identifier = (value: unknown, pointer: string, isSiret: boolean, isBuyer = false, splits = false): void => {
      const c = cleanIdentifier(value, isSiret);
      if (!c) return;
      // (convert's own predicate, whatever the identifier's type: 00000000000000 passes the Luhn check,
      // yet convert rejects the record whose buyer it is, TRANSFORM_NO_BUYER_ID, and makes no supplier of it)
      if (isPlaceholder(c)) {
        add('decp.id-placeholder', pointer, `${JSON.stringify(value)} is a placeholder, not an organisation's identifier: ${isBuyer ? 'convert rejects the record (TRANSFORM_NO_BUYER_ID)' : 'convert makes no party of it (ID_PLACEHOLDER)'}`, value);
        return;
      }
      if (!isSiret) return;
      const bad = c.flags.find((f) => f === 'SIRET_LENGTH' || f === 'SIRET_LUHN' || f === 'SIRET_NOT_DIGITS');
      const joint = bad === undefined ? null : jointSirets(value);
      if (bad) add('decp.siret', pointer, bad === 'SIRET_LUHN' ? `SIRET ${c.id} fails the Luhn check` : joint !== null && splits ? `SIRET ${JSON.stringify(value)} is not 14 digits: it holds ${joint.length} SIRETs (a joint bid's?), which convert makes ${joint.length} suppliers (SUPPLIER_IDS_SPLIT)` : `SIRET ${JSON.stringify(value)} is not 14 digits`, value);
    };
    const buyer = isJsonObject(data[buyerKey]) ? (data[buyerKey] as J)['id'] : undefined;
    // the record's own id, read as convert reads it (trimmed; a number by its decimal text): one that
    // names no contract would make one process of a buyer's unrelated contracts, so convert names each
    // such record by its id and award id (an empty id is the schema's finding: convert names such a record by its award id alone, ID_MISSING)
    const id = typeof data['id'] === 'string' ? data['id'].trim() : typeof data['id'] === 'number' && Number.isFinite(data['id']) ? String(data['id']) : '';
    const placeholderId = id !== '' && isPlaceholderId(id);
    if (placeholderId) add('decp.id-placeholder', '/id', `${JSON.stringify(data['id'])} is a placeholder, not a contract's identifier: convert names the record's process by it and its award (ocid <prefix>-<buyer>-<id>-<award id>, the award id made of the CPV, object, suppliers, notification date and amount, ID_PLACEHOLDER): it joins only a publication of the same award, never another contract of its buyer`, data['id']);
    identifier(buyer, `/${buyerKey}/id`, true, true);
    const holdersKey = concession ? 'concessionnaires' : 'titulaires';
    // a party's id is a SIRET when its type says so, in any spelling the profile knows (`N° SIRET`),
    // or says nothing (SIRET is the default): as convert reads it
    const L = this.locale;
    // (`supplier`: convert splits a holder's joint SIRETs into suppliers, not a subcontractor's)
    const party = (h: J, at: string, supplier = true): void => {
      const t = h['typeIdentifiant'];
      const type = typeof t === 'string' ? t : t === undefined || t === null ? undefined : String(t);
      identifier(h['id'], `${at}/id`, L.isSiret(L.idType(type).type), false, supplier);
    };
    eachItem(data[holdersKey], `/${holdersKey}`, concession ? 'concessionnaire' : 'titulaire', party);
    eachItem(data['modifications'], '/modifications', 'modification', (mod, at) => eachItem(mod['titulaires'], `${at}/titulaires`, 'titulaire', party));
    // (a subcontractor is a party too: convert checks its SIRET)
    eachItem(data['actesSousTraitance'], '/actesSousTraitance', 'acteSousTraitance', (act, at) => {
      if (isJsonObject(act['sousTraitant'])) party(act['sousTraitant'], `${at}/sousTraitant`, false);
    });
    const cpv = data['codeCPV'];
    if (!concession && cpv !== undefined && !(typeof cpv === 'string' && /^\d{8}(-\d)?$/.test(cpv))) add('decp.cpv', '/codeCPV', `CPV ${JSON.stringify(cpv)} is not of the form 12345678(-9)`, cpv);
    const months = parseMonths(data['dureeMois']);
    const zero = months?.flags.includes('DURATION_ZERO') === true;
    if (zero || (months?.months !== null && months?.months !== undefined && months.months > 600)) add('decp.duration', '/dureeMois', `duration of ${zero ? 0 : months!.months} months`, data['dureeMois']);
    const amountKey = concession ? 'valeurGlobale' : 'montant';
    const amount = parseAmount(data[amountKey]);
    if (amount?.amount === null && amount.flags.includes('AMOUNT_IMPLAUSIBLE')) add('decp.amount', `/${amountKey}`, 'amount past the range of a number (1e400: read as infinite)', data[amountKey]);
    if (amount?.amount !== null && amount?.amount !== undefined) {
      const a = amount.amount;
      if (isPlaceholderAmount(a) || a <= 0 || a > 1e10) add('decp.amount', `/${amountKey}`, isPlaceholderAmount(a) ? `placeholder amount ${a}` : a <= 0 ? `amount ${a}` : `amount ${a} is over 10 billion`, data[amountKey]);
    }
    impossibleDates(data, '', add);
    const concluded = data[concession ? 'dateSignature' : 'dateNotification'];
    const published = data['datePublicationDonnees'];
    // (each date read as convert reads it — `31/12/2018`, `2019-1-1` —, its day compared: PUBLISHED_BEFORE_CONCLUDED)
    const dayOf = (v: unknown): string | null => {
      const d = parseDecpDate(v);
      return d !== null && d.ok ? d.value.day : null;
    };
    const [concludedDay, publishedDay] = [dayOf(concluded), dayOf(published)];
    if (concludedDay !== null && publishedDay !== null && publishedDay < concludedDay) add('decp.date-order', '/datePublicationDonnees', `published ${String(published)} before ${concession ? 'signature' : 'notification'} ${String(concluded)}`, published);
    const content = hash53(JSON.stringify(data));
    const idKey = hash53(`${type}|${String(buyer)}|${String(data['id'])}`);
    let position = -1;
    if (at !== undefined) {
      let f = this.fileNumbers.get(at.file);
      if (f === undefined) this.fileNumbers.set(at.file, (f = this.files.push(at.file) - 1));
      position = this.where.file.push(f) - 1;
      this.where.line.push(at.line);
      this.where.index.push(at.index ?? 0);
    }
    const firstAt = (p: number | undefined): string => (p === undefined || p < 0 ? '' : `, first read at ${this.placeOf(p)}`);
    const twin = this.contents.see(content, position);
    const idTwin = this.ids.see(idKey, position);
    if (twin !== undefined) add('decp.duplicate', '', `this record was already read (same content)${firstAt(twin)}`);
    // (records sharing a placeholder id are not one contract's lots or publications: convert keeps them
    // apart; nor are records without an id, `""` or none, which is the schema's finding: convert names each by its award id)
    else if (!placeholderId && id !== '' && idTwin !== undefined) add('decp.duplicate-id', '/id', `another record has buyer ${String(buyer)} and id ${JSON.stringify(data['id'])}${firstAt(idTwin)}`, data['id']);
    return out;
  }
}

/** A DECP date's day (`2024-02-30`, with or without time and offset after it). */
const DAY = /^(\d{4})-(\d\d)-(\d\d)(?!\d)/;

/**
 * Every field named `date…` at any depth (notification, publication, signature, modifications,
 * execution data, subcontracting acts) whose text starts with a day that does not exist (decp.date),
 * or that convert reads as a day of a year it refuses (decp.date-year: `0218-10-29`, which the schemas'
 * patterns and xs:date take, is left out of the release, DATE_IMPOSSIBLE_YEAR).
 */
function impossibleDates(v: unknown, pointer: string, add: (rule: string, pointer: string, message: string, value?: unknown) => void): void {
  eachTextField(v, pointer, (k, x, at) => {
    if (!/^date/i.test(k)) return;
    const read = parseDecpDate(x);
    if (read !== null && !read.ok && read.flag === 'DATE_IMPOSSIBLE_YEAR') add('decp.date-year', at, `${JSON.stringify(x)}: a year before ${MIN_YEAR} or after ${MAX_YEAR}, which convert takes for a typo and leaves out of the release (DATE_IMPOSSIBLE_YEAR)`, x);
    const m = DAY.exec(x.trim());
    if (m === null) return;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const days = month >= 1 && month <= 12 ? daysInMonth(year, month) : 0;
    if (day < 1 || day > days) add('decp.date', at, `${JSON.stringify(x)}: ${days === 0 ? `there is no month ${m[2]}` : `${m[1]}-${m[2]} has ${days} days`}`, x);
  });
}

/** Each text field at any depth of `v` (under `pointer`): its key, its text and its JSON pointer. */
function eachTextField(v: unknown, pointer: string, visit: (key: string, text: string, at: string) => void): void {
  if (Array.isArray(v)) {
    v.forEach((x, k) => eachTextField(x, `${pointer}/${k}`, visit));
    return;
  }
  if (!isJsonObject(v)) return;
  for (const k in v) {
    const x = v[k];
    const at = `${pointer}/${escapePointer(k)}`;
    if (typeof x === 'string') visit(k, x, at);
    else if (x !== null && typeof x === 'object') eachTextField(x, at, visit);
  }
}

/** xs:boolean (its lexical forms are lower case: `TRUE` is refused) and the DECP XSD's own words for it ("oui"/"non"). */
const XML_BOOLEANS: Readonly<Record<string, boolean>> = { true: true, '1': true, oui: true, false: false, '0': false, non: false };
const XML_INTEGER = /^[+-]?\d+$/;
/** xs:decimal, the type of the DECP XSD's amounts and rates: no exponent (`5.75e5` is refused). */
const XML_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * DECP XML holds every value as text: where the DECP JSON schema wanted a number, an integer or a
 * boolean and got a string, the string is read as the XSD reads it (`12`, `260000.00`, `oui`, `false`,
 * `1`) and the value replaced, in place, so that only what the XSD itself would refuse stays a type
 * error; an empty text where the schema takes null (2.0.0's "not concerned") is null. Returns whether
 * anything changed (validate again then).
 */
export function coerceXmlValues(data: Record<string, unknown>, errors: readonly SchemaError[], generation?: '2019' | '2023-interim' | '2024'): boolean {
  let changed = false;
  for (const e of errors) {
    if (e.pointer === '' || !((e.keyword === 'type' && e.expected !== undefined) || e.nullable === true)) continue;
    const keys = pointerKeys(e.pointer);
    let parent: unknown = data;
    for (const k of keys.slice(0, -1)) parent = parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[k] : undefined;
    if (parent === null || typeof parent !== 'object') continue;
    const last = keys[keys.length - 1]!;
    const raw = (parent as Record<string, unknown>)[last];
    if (typeof raw !== 'string') continue;
    const text = raw.trim();
    const expected = typeof e.expected === 'string' ? [e.expected] : (e.expected ?? []);
    let value: unknown;
    // (an empty element where the schema takes null: the 2.0.0 XSD's "not concerned" is an empty
    // text — "saisir une chaîne de caractères vide" —, its JSON schema's is null)
    if (e.nullable === true && text === '') value = null;
    else if (expected.includes('integer') && XML_INTEGER.test(text)) value = Number(text);
    else if (expected.includes('number') && XML_NUMBER.test(text)) value = Number(text);
    // (the 2.0.0 XSD types them xs:boolean, which has no `oui`/`non`: the 2.0.2 XSD's own words)
    else if (expected.includes('boolean') && Object.prototype.hasOwnProperty.call(XML_BOOLEANS, text) && !(generation === '2023-interim' && (text === 'oui' || text === 'non'))) value = XML_BOOLEANS[text];
    if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) continue;
    (parent as Record<string, unknown>)[last] = value;
    changed = true;
  }
  return changed;
}

/**
 * xs:date's lexical form, the XSD type of every DECP date field (both generations): a year of four
 * digits or more (not 0000), month and day of two digits, an optional zone, `Z` or ±hh:mm up to 14:00.
 * No time (`2024-05-15T10:00:00`), nothing around it (`publié le 2024-05-25`: the 2024 JSON pattern is
 * unanchored and takes it), no `Z` after an offset (`+01:00Z`, which the 2019 JSON pattern takes).
 * Whether the month and day exist is decp.date's check, for XML and JSON alike.
 */
const XML_DATE = /^-?(?:[1-9]\d{3,}|0(?!000)\d{3})-\d\d-\d\d(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?$/;

/** The date fields of the DECP schemas (a field they do not have is not judged: `dateTransmissionDonneesEtalab` is DGFiP's). */
const DATE_FIELDS: ReadonlySet<string> = decpDateFields();
const isDateKey = (k: string): boolean => DATE_FIELDS.has(k);

/**
 * The schema errors of a record read from XML, as its XSD judges it where the JSON schema judges
 * otherwise: its date fields are checked as xs:date in place of the JSON pattern (the 2024 one is
 * unanchored, the 2019 one takes `+01:00Z` and refuses `2007-08-13Z`), and no list must hold distinct
 * items (the XSDs have no uniqueness rule: a `<technique>` or a `<titulaire>` given twice is valid XML).
 * Date values are read with their surrounding spaces collapsed, as xs:date's whitespace facet does.
 */
export function xmlSchemaErrors(data: Record<string, unknown>, errors: readonly SchemaError[], of?: { generation: '2019' | '2023-interim' | '2024'; type: 'marche' | 'contrat-concession' }): SchemaError[] {
  const out = errors.filter((e) => e.keyword !== 'uniqueItems' && !(e.keyword === 'pattern' && isDateKey(pointerKeys(e.pointer).pop() ?? '')) && !(of !== undefined && jsonOnlyFacet(of.generation, of.type, e, data)));
  eachTextField(data, '', (k, x, at) => {
    if (isDateKey(k) && !XML_DATE.test(x.trim())) out.push({ pointer: at, keyword: 'pattern', message: 'not an xs:date (the XSD\'s type of this field): expected YYYY-MM-DD, optionally followed by a zone, Z or ±hh:mm' });
  });
  // the 2024 XSD (2.0.2) needs a concession's <donneesExecution> to hold a <donneesAnnuelles> at
  // least, where the 2.0.3 JSON schema takes an empty list (the interim 2.0.0 XSD takes none)
  if (of?.generation === '2024' && of.type === 'contrat-concession' && 'donneesExecution' in data && !errors.some((e) => e.pointer.startsWith('/donneesExecution'))) {
    const years = listItems([data['donneesExecution']], 'donneesAnnuelles').filter((x) => isJsonObject(x) && Object.keys(x).length > 0);
    if (years.length === 0) out.push({ pointer: '/donneesExecution', keyword: 'minItems', message: 'no <donneesAnnuelles>: the XSD (2.0.2) needs one at least in <donneesExecution>' });
  }
  return out;
}

/**
 * What a DECP JSON schema refuses where its XSD does not, so not an error of a record read from XML:
 * the 2019 XSD types a concession's `objet`, its place's `code` and a tariff's `intituleTarif` as plain
 * xs:string (the 2019 JSON schema: 256, 6 and 256 characters at most); the 2024 XSD (2.0.2) takes an
 * empty `<origineUE/>` or `<origineFrance/>` ("not concerned": a union of xs:decimal and an empty
 * xs:string), which the 2.0.3 JSON schema types as a number only.
 */
function jsonOnlyFacet(generation: '2019' | '2023-interim' | '2024', type: 'marche' | 'contrat-concession', e: SchemaError, data: Record<string, unknown>): boolean {
  if (generation === '2019') return type === 'contrat-concession' && e.keyword === 'maxLength' && /^\/(?:objet|lieuExecution\/code|donneesExecution\/\d+\/tarifs\/\d+\/intituleTarif)$/.test(e.pointer);
  if (generation === '2024') return type === 'marche' && e.keyword === 'type' && /^\/origine(?:UE|France)$/.test(e.pointer) && data[e.pointer.slice(1)] === '';
  return false;
}
