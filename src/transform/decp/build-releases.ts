/**
 * Canonical DECP contract (the output of the mapping profile) → OCDS 1.1.5
 * releases. Pure: the run date comes from the context.
 *
 * One record gives: one initial release (`award`, `contract`), one
 * `contractAmendment` release per modification, one `implementation` release
 * per concession execution year. Identifiers depend only on the record itself
 * (never on other records or files): see docs/mapping.md, "Identifiers".
 */
import { addMonths, daysBetween, type ParsedDate } from '../dates.js';
import { categoryFromCpv, cleanIdentifier, isCpvDivision, isPlaceholder, isPlaceholderId, jointSirets, vatKeyValid } from '../identifiers.js';
import { FRENCH_LOCALE, type Locale } from '../locale.js';
import { codeUnitKey, CURRENCY_NAMED, currencyNamedIn, currencyOfSign, currencyOfSymbol, quantityWithUnit, unitKey, isImplausibleAmount, isPlaceholderAmount, otherCurrencyInText, surelyOtherCurrencyInText } from '../amounts.js';
import { shortHashOfJson } from '../hash.js';
import { labelKey, respellLabel, type Coded } from '../functions.js';
import { maskedKey, maskWords, namesBesideMarks, personWords, renameKeys, saysMoreThanMasks, SPLIT_NAME_FIELDS } from '../person-words.js';
import { looseKey, type MappingFlag } from '../profile.js';


/** A concession's public subsidy (its charge's title), in the languages a profile may set (settings.language). */
const SUBSIDY_TITLES: Readonly<Record<string, string>> = { fr: 'Subvention publique', en: 'Public subsidy', es: 'Subsidio público', pt: 'Subsídio público', uk: 'Державна субсидія' };

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Release = { [k: string]: Json };

export interface BuildContext {
  readonly ocidPrefix: string;
  /** ISO date-time of the run, used only when a record has no date at all (flagged). */
  readonly runDate: string;
  /**
   * The dates earlier runs gave the initial releases of records without any date (RELEASE_DATE_FROM_RUN),
   * by release id (an ISO instant, as the store holds it): such a record read again — its file's next
   * version, another platform's copy — keeps the date it was first published with, not each night's.
   */
  readonly datedBefore?: ReadonlyMap<string, string>;
  /**
   * The initial releases each input file's version already read gave, by the file's path then ocid,
   * with the date a run gave each that had none (datedBefore's), else null: only the ocids with such a
   * date. Not read here but by the convert stage (convertBatches), which gives a record corrected
   * in the file's next version (another award id) the date its earlier version had.
   */
  readonly datedInFiles?: ReadonlyMap<string, ReadonlyMap<string, ReadonlyArray<readonly [id: string, date: string | null]>>>;
  /**
   * The paths of datedInFiles the run is not given, the latest read first. A file that has no entry
   * there (new to the store, or one that gave none of those ocids) and gives again, as it was, an
   * initial release one of them gave is taken for it moved (renamed): the latest such is its
   * earlier version, to date its corrected records by (convertBatches). A file that gives none of
   * theirs again (the next day's file of new publications) is no such move.
   */
  readonly movedFrom?: readonly string[];
  /** Currency, language, time zone and identifier schemes (default: French DECP). */
  readonly locale?: Locale;
  /** The currency codes a record may give (ISO 4217, the schema's codelist); any three letters when not given. */
  readonly currencies?: ReadonlySet<string>;
}

export interface SourceInfo {
  readonly type: 'marche' | 'contrat-concession';
  readonly version: string | null;
  readonly file: string;
  readonly sha256: string;
  readonly index: number;
  readonly line: number;
  /** Ingest quality issues to carry into x_decp.qualityFlags. */
  readonly ingestFlags: readonly MappingFlag[];
  /** What the profile does not read of the record, in its shape (x_decp.unmapped; see unreadOf in profile.ts). */
  readonly unmapped?: Readonly<Record<string, unknown>> | undefined;
  /** Where the profile reads each canonical field (sourcePointers in profile.ts): what flags point at. */
  readonly pointers?: Readonly<Record<string, string>> | undefined;
  /** A record of CSV rows grouped by a key (settings.csv.groupBy): a row without it may be one line of a contract. */
  readonly grouped?: boolean | undefined;
}

/** Where the profile reads a canonical field (`modifications.amount`), else the default given (DECP's). */
type At = (key: string, dflt: string) => string;

/** Where item `i` of a list read at `list` is, then its field at `field` (a "." list, "", is the record itself). */
const itemAt = (list: string, i: number, field = ''): string => `${list === '' ? '' : `${list}/${i}`}${field}`;

/** Where an organisation's fields are in the source: itself, its identifier, its name. */
interface OrgAt {
  readonly self: string;
  readonly id: string;
  readonly name: string;
  /** Where its identifier's type is, when the profile reads one (a list's organisations: suppliers). */
  readonly idType?: string | undefined;
}

/** A record without an id still names its buyer, when it has one (`buyer`, its party id): reports group rejects by buyer. */
export type BuildResult = { ok: true; releases: Release[] } | { ok: false; code: 'TRANSFORM_NO_ID' | 'TRANSFORM_NO_BUYER_ID'; reason: string; buyer?: string };

interface Org {
  id?: string;
  idType?: string;
  name?: string;
}

interface Modification {
  id?: string | undefined;
  description?: string | undefined;
  dateConcluded?: ParsedDate | undefined;
  datePublished?: ParsedDate | undefined;
  amount?: number | undefined;
  months?: number | undefined;
  suppliers?: Org[] | undefined;
}

interface ItemLine {
  id?: string;
  description?: string;
  cpv?: { code: string; raw: string } | string;
  quantity?: number;
  unit?: string;
  unitCode?: string;
  unitPrice?: number;
  /** The line's total (quantity × unit price), when the source gives it rather than the unit price. */
  amount?: number;
}

interface Canonical {
  id?: string;
  uid?: string;
  /** The data set the record was collected from (decp-rama's `source`). */
  sourceDataset?: string;
  sourceType?: string;
  buyerId?: string;
  /** The type of the buyer's identifier, when the source gives it (else the profile's buyerIdType, else its defaultIdType). */
  buyerIdType?: string;
  buyerName?: string;
  nature?: Coded;
  title?: string;
  cpv?: { code: string; raw: string };
  procedure?: Coded;
  placeCode?: string;
  /** The place code as the source gave it (a number may have lost its leading zeros). */
  placeCodeRaw?: unknown;
  placeType?: Coded;
  placeName?: string;
  months?: number;
  dateConcluded?: ParsedDate;
  datePublished?: ParsedDate;
  dateStart?: ParsedDate;
  amount?: number;
  subsidy?: number;
  /**
   * The currency of the record's amounts, when the source gives one per record (else the profile's):
   * a code, or a name looked up in a codelist of codes.
   */
  currency?: string | Coded;
  priceForm?: string;
  priceTypes?: string[];
  techniques?: string[];
  executionModes?: string[];
  socialConsiderations?: string[];
  environmentalConsiderations?: string[];
  offersReceived?: number;
  innovative?: boolean;
  ccag?: string;
  advancePayment?: boolean;
  advanceRate?: number;
  originEU?: number;
  originFrance?: number;
  subcontractingDeclared?: boolean;
  groupingType?: string;
  frameworkId?: string;
  buyerProfileUrl?: string;
  dateTransmitted?: ParsedDate;
  suppliers?: Org[];
  /** Item lines: what was bought, how many, at what unit price (emergency purchases). */
  items?: ItemLine[];
  modifications?: Modification[];
  subcontracts?: Array<{ id?: string; subcontractorId?: string; subcontractorIdType?: string; subcontractorName?: string; months?: number; dateConcluded?: ParsedDate; datePublished?: ParsedDate; amount?: number; priceVariation?: string }>;
  executions?: Array<{ datePublished?: ParsedDate; investment?: number; tariffs?: Array<{ title?: string; amount?: number }>; tariffsOnYear?: Array<{ title?: string; amount?: number }> }>;
  subcontractModifications?: Array<{ id?: string; months?: number; dateConcluded?: ParsedDate; datePublished?: ParsedDate; amount?: number }>;
}


/** `<prefix>-<buyer id>-<base id>`; 2019 ids lose a trailing modification counter (see docs/mapping.md). */
function ocidFor(prefix: string, buyerId: string, id: string, version: string | null, modifications: number): string {
  let base = id.trim().replace(/\s+/g, '_');
  if (version === '2019' && base.length > 2) {
    const last2 = base.slice(-2);
    // (a counter written after a separator, `2018GI10033-4-00`, takes it along: an ocid ending in
    // `-` is no id a reader expects, and both publications still land on one ocid)
    if (/^\d\d$/.test(last2) && Number(last2) <= modifications) base = base.slice(0, -2).replace(/(?<=.)[-_./]+$/, '');
  }
  return `${prefix}-${buyerId}-${base}`;
}

/**
 * A VAT number by its shape: an EU country's two letters (or the UK's, Switzerland's, Norway's), then
 * 8 to 12 letters and digits, at least 7 of them digits (`FR32802684969`, `DE123456789`, `ESB12345678`);
 * spaces and dots aside. Not a SIRET written after `FR` (`FR80268496900016`: 14 digits, read as a SIRET).
 */
const VAT_SHAPE = /^(?:AT|BE|BG|CY|CZ|DE|DK|EE|EL|GR|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI|GB|CH|NO)[0-9A-Z]{8,12}$/;
function looksLikeVat(id: string): boolean {
  const compact = id.replace(/[\s.\u00a0-]/g, '').toUpperCase();
  if (!VAT_SHAPE.test(compact) || compact.replace(/\D/g, '').length < 7) return false;
  return !/^FR\d{14}$/.test(compact) && (!compact.startsWith('FR') || /^FR[0-9A-Z]{2}\d{9}$/.test(compact));
}

/** A VAT number in capitals, as it is written (`fr43802684969` is FR43802684969); another identifier as given. */
const inCapitals = (id: string, scheme: string, L: Locale): string => (scheme === L.scheme('TVA') && /[a-z]/.test(id) ? id.toUpperCase() : id);

/** Party id: `<scheme>-<id>`, e.g. `FR-RCS-<SIRET>`. */
function partyIdOf(id: string, idType: string | undefined, L: Locale = FRENCH_LOCALE): string {
  return `${L.scheme(idType)}-${id}`;
}

type Party = { id: string; name?: string; identifier: Record<string, Json>; additionalIdentifiers?: Json[]; roles: string[] };

/**
 * An organisation of the record as an OCDS party (without roles yet), or null
 * when it has no usable identifier. A French VAT number (FR + 2 key digits +
 * SIREN) also gives the SIREN under FR-RCS, for legal-entity joins.
 */
/** The ID_CLEANED flag at `pointer` among `flags`, if any: what the identifier was as given. */
const cleanedAt = (flags: readonly MappingFlag[], pointer: string): MappingFlag | undefined => flags.find((f) => f.code === 'ID_CLEANED' && f.pointer === pointer);

/**
 * Say an identifier cleaned here (as a SIRET: the field's transform did not know its type) unless
 * the transform said it already (in `flags`, or the record's `sourceFlags`).
 */
function sayCleaned(flags: MappingFlag[], pointer: string, raw: string | null, sourceFlags: readonly MappingFlag[] = flags): void {
  if (cleanedAt(sourceFlags, pointer) === undefined && cleanedAt(flags, pointer) === undefined) flags.push({ code: 'ID_CLEANED', pointer, raw });
}

/** (`sourceFlags`: where the source record's flags are, ID_CLEANED among them, when `flags` is a release's own) */
function partyOf(given: Org, flags: MappingFlag[], at: OrgAt, L: Locale, withheld?: Withheld, sourceFlags: readonly MappingFlag[] = flags): Party | null {
  const pointer = at.self;
  let org = given;
  // an identifier without its type that is a VAT number by its shape (`FR32802684969`, `DE123456789`)
  // is one, where the default type is the SIRET (DECP): as a SIRET it was published under the French
  // register's scheme, `FR-RCS-DE123456789`, an identifier that register never gave (ID_TYPE_ASSUMED
  // says it below, as for a SIRET)
  if ((org.idType === undefined || org.idType.trim() === '') && L.isSiret(undefined) && typeof org.id === 'string' && looksLikeVat(org.id)) org = { ...org, idType: 'TVA' };
  // an identifier and its type written in each other's place (`"typeIdentifiant": "91824625700011",
  // "id": "SIRET"`): a type is a short word, never a number; put back, and said, with the type as given
  if (org.id !== undefined && org.idType !== undefined && /\d{5}/.test(org.idType) && /^[\p{L}_-]{2,8}$/u.test(org.id.trim())) {
    flags.push({ code: 'ID_TYPE_SWAPPED', pointer: at.idType ?? pointer, raw: org.idType });
    org = { ...org, id: org.idType, idType: org.id.trim() };
  }
  // a type the profile knows under another spelling (`N° SIRET`, `TVA intracommunautaire`) is that
  // type; one it does not know is published as given: each said (settings.idTypes)
  const typed = L.idType(org.idType);
  if (typed.flag !== undefined && typed.type !== undefined) {
    flags.push({ code: typed.flag, pointer: at.idType ?? pointer, raw: org.idType ?? null });
    org = { ...org, idType: typed.type };
  }
  // an identifier typed SIRET that is a VAT number by its shape (`PT500363790`, `FR43802684969`: a
  // country's two letters, then the number; never a SIRET's 14 digits) is one: as a SIRET it was
  // published under the French register's scheme, `FR-RCS-PT500363790`, an identifier that register
  // never gave. Read as `TVA`, said (ID_TYPE_CORRECTED, raw: the type as given)
  if (org.idType !== undefined && L.isSiret(org.idType) && typeof org.id === 'string' && looksLikeVat(org.id)) {
    flags.push({ code: 'ID_TYPE_CORRECTED', pointer: at.idType ?? pointer, raw: given.idType ?? null });
    org = { ...org, idType: 'TVA' };
  }
  // an identifier that is a person's name (`Mme Julie DUPONT` where the SIRET belongs): no identifier.
  // The identifier transform has glued it (`MmeJulieDUPONT`, ID_CLEANED): the text as given is read too
  const asGiven = org.id !== undefined && L.namesPersons ? cleanedAt(sourceFlags, at.id)?.raw : undefined;
  if (org.id !== undefined && L.namesPersons && (L.namesPerson(org.id) || (typeof asGiven === 'string' && L.namesPerson(asGiven)))) {
    if (typeof asGiven === 'string') withheld?.names.push(asGiven);
    withheld?.names.push(org.id);
    const { id: _id, ...rest } = org;
    org = rest;
  }
  // (an organisation whose type the profile reads: a supplier; a type the profile does not know may be a person's)
  const person = org.name !== undefined && L.isPerson({ ...org, idAsGiven: typeof asGiven === 'string' ? asGiven : undefined }, at.idType !== undefined);
  // (by its identifier: an organisation without one is no other's)
  const key = person || (withheld !== undefined && withheld.ids.size > 0) ? personKey(org, L) : undefined;
  if (person && key !== undefined) withheld?.ids.add(key);
  if (org.name !== undefined && (person || (key !== undefined && withheld !== undefined && withheld.ids.has(key)))) {
    // a natural person (settings.personIdTypes, personNames, or an identifier this record names a
    // person by elsewhere): the name is not published, nor kept in a flag, nor anywhere else in the
    // releases (withholdEverywhere) (RGPD)
    flags.push({ code: 'PERSON_NAME_WITHHELD', pointer: at.name });
    withheld?.keys.add(labelKey(org.name));
    withheld?.names.push(org.name);
    // … nor as its identifier, when the source gave the name there too (`MmeJulieDUPONT` once cleaned)
    const words = L.nameWords(org.name);
    const glued = labelKey(org.id ?? '').replace(/ /g, '');
    const { name: _name, ...rest } = org;
    org = rest;
    // (an identifier of digits is one, even when the source gave it as the name too)
    if (words.length > 0 && /\p{L}/u.test(glued) && words.every((w) => glued.includes(w))) {
      const { id: _id, ...bare } = org;
      org = bare;
    }
  }
  const clean = cleanIdentifier(org.id, L.isSiret(org.idType));
  if (!clean) {
    // the organisation cannot be a party (OCDS parties need an id): what the source said stays in the flag
    flags.push(org.name ? { code: 'PARTY_WITHOUT_ID', pointer, raw: org.name } : { code: 'PARTY_WITHOUT_ID', pointer });
    return null;
  }
  if (isPlaceholder(clean)) {
    // 00000000000000, NC, N/A, -: a placeholder, not an organisation (it would gather unrelated
    // suppliers under one party across the data set)
    flags.push({ code: 'ID_PLACEHOLDER', pointer: at.id, raw: org.name ? `${org.id ?? ''} (${org.name})` : (org.id ?? null) });
    return null;
  }
  for (const f of clean.flags) if (f !== 'SIRET_SPACES') flags.push({ code: f, pointer: at.id, raw: org.id ?? null });
  // (cleaned here and not by the field's transform, which did not know the type: a SIRET given the
  // country's code, `FR80268496900016`, said as the transform says what it cleans)
  if (clean.flags.includes('SIRET_SPACES')) sayCleaned(flags, at.id, org.id ?? null, sourceFlags);
  // an identifier whose type the source leaves empty (where the profile reads one) is taken to be of
  // the default type (SIRET for DECP): said, with what the source gave
  if (at.idType !== undefined && (given.idType === undefined || given.idType.trim() === '')) flags.push({ code: 'ID_TYPE_ASSUMED', pointer: at.idType, raw: given.idType ?? null });
  // a VAT number is written in capitals: `fr43802684969` is FR43802684969, one company, one party (not
  // two by the case a platform writes), and a French one gives its SIREN as in capitals. Said as any
  // other cleaning (ID_CLEANED, raw: as given)
  const scheme = L.scheme(org.idType);
  const id = inCapitals(clean.id, scheme, L);
  if (id !== clean.id) sayCleaned(flags, at.id, org.id ?? null, sourceFlags);
  // the name is the party's name; identifier.legalName (the registered name) is not what DECP gives
  const identifier: Record<string, Json> = { scheme, id };
  const party: Party = { id: partyIdOf(id, org.idType, L), identifier, roles: [] };
  if (org.name) party.name = org.name;
  const vat = /^FR([0-9A-Z]{2})(\d{9})$/.exec(id);
  if (vat && identifier['scheme'] === 'FR-DECP-TVA') {
    // the SIREN inside a French VAT number, when its key says the number is whole: (12 + 3 × (SIREN
    // mod 97)) mod 97; a wrong key is flagged, and no SIREN is made of it (a key with letters is given
    // to those that have no SIREN: its digits are none)
    const key = vat[1]!;
    if (/^\d\d$/.test(key)) {
      if (vatKeyValid(key, vat[2]!)) party.additionalIdentifiers = [{ scheme: 'FR-RCS', id: vat[2]! }];
      else flags.push({ code: 'VAT_KEY_INVALID', pointer: at.id, raw: org.id ?? null });
    }
  }
  return party;
}

/**
 * Why a buyer's identifier could not be read, when its shape says (the mapping flagged it,
 * FIELD_SHAPE_UNEXPECTED: `"acheteur": "Ville de Rennes"`, a list of two buyers): what was given, by
 * its kind, not its value (a reject's reason is published).
 */
function buyerShape(mapFlags: readonly MappingFlag[], idAt: string): string {
  const self = idAt.slice(0, Math.max(0, idAt.lastIndexOf('/')));
  const odd = mapFlags.find((f) => f.code === 'FIELD_SHAPE_UNEXPECTED' && (f.pointer === idAt || (self !== '' && f.pointer === self)));
  if (odd === undefined) return '';
  const raw = odd.raw;
  const kind = Array.isArray(raw) ? `a list of ${raw.length}` : typeof raw === 'string' ? (/\p{L}/u.test(raw) ? 'a text (a name?)' : 'a text') : raw !== null && typeof raw === 'object' ? 'an object' : `a ${typeof raw}`;
  return `: ${odd.pointer.slice(1).split('/').join('.')} is ${kind}, not ${odd.pointer === self ? 'an object holding an identifier' : 'an identifier'}`;
}

/**
 * What a buyer's object holds in place of its identifier, when its identifier is missing or empty
 * (`"acheteur": {"siren": …}`, two keys that could each be it, `{"siret": …, "identifiant": …}`): the
 * keys the profile did not read there, by name, never their values (a reject's reason is published),
 * and whether it gave a name; '' when the record has no such object.
 */
function buyerKeys(unmapped: Readonly<Record<string, unknown>> | undefined, idAt: string, named: boolean): string {
  const steps = idAt.slice(1).split('/');
  let x: unknown = unmapped;
  for (const step of steps.slice(0, -1)) x = x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>)[step] : undefined;
  const keys = x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.keys(x) : [];
  const self = steps.slice(0, -1).join('.');
  if (keys.length === 0 && !named) {
    // (no such object, or nothing in it but an empty id: the record's own unread keys that may name the
    // buyer, `siretAcheteur`, are said, by name)
    const top = x === undefined && unmapped !== undefined && steps.length > 1 ? Object.keys(unmapped).filter((k) => /acheteur|autorite|siret|buyer/.test(looseKey(k))) : [];
    return top.length === 0 ? '' : `: the record's unread key${top.length > 1 ? 's' : ''} ${top.slice(0, 5).map((k) => JSON.stringify(k)).join(', ')} may name it (not read as ${self}.${steps[steps.length - 1]!})`;
  }
  const id = steps[steps.length - 1]!;
  const what = [...(named ? ['a name'] : []), ...(keys.length > 0 ? [`the key${keys.length > 1 ? 's' : ''} ${keys.slice(0, 5).map((k) => JSON.stringify(k)).join(', ')}${keys.length > 5 ? ` and ${keys.length - 5} more` : ''}, not read as its identifier`] : [])];
  return `: ${self} has no ${JSON.stringify(id)}; it gives ${what.join(' and ')}`;
}

export function buildReleases(mapped: Record<string, unknown>, mapFlags: readonly MappingFlag[], source: SourceInfo, ctx: BuildContext): BuildResult {
  const c = mapped as Canonical;
  // a classification of another scheme (settings.classificationScheme) is read as text: the code as given
  if (typeof (c.cpv as unknown) === 'string') c.cpv = { code: c.cpv as unknown as string, raw: c.cpv as unknown as string };
  const flags: MappingFlag[] = source.ingestFlags.concat(mapFlags);
  // where the profile reads each field; a field it does not read is the record's (""): a partner's
  // flag never names a DECP field (DECP's names serve callers that give no pointers: tests)
  const P: At = (key, dflt) => (source.pointers === undefined ? dflt : (source.pointers[key] ?? ''));
  const L = localeOf(c, ctx.locale ?? FRENCH_LOCALE, flags, P('currency', ''), ctx.currencies);
  resolveCurrencyNamed(flags, L.currency, (ctx.locale ?? FRENCH_LOCALE).currency);
  const buyerIdType = c.buyerIdType ?? L.buyerIdType;
  const buyer = cleanIdentifier(c.buyerId, L.isSiret(buyerIdType));
  // (named as the profile reads it, as the buyer's below: a partner's misspelt column is found by its name)
  const idAt = P('id', '/id') || '/id';
  // a record without an id (see missingId below) that gives nothing of a contract either — no date it
  // was concluded, no amount, no supplier — is no contract to publish (a title alone: a stray line)
  // (nor is a row of a CSV file whose rows are grouped by a key: without it, a row may be one item line
  // of a contract, and its lines, each a record alone, would be one process's clashing releases)
  if (!c.id && (source.grouped === true || (c.dateConcluded === undefined && c.amount === undefined && (c.suppliers ?? []).length === 0))) return { ok: false, code: 'TRANSFORM_NO_ID', reason: `the record has no usable identifier (${JSON.stringify(idAt.slice(1).split('/').join('.'))} is empty, missing, or a number past the range of a double), and ${source.grouped === true ? 'its rows are grouped by a key it lacks (a row alone may be one line of a contract)' : 'no date, amount or supplier that would make it a contract of its own'}`, ...(buyer ? { buyer: partyIdOf(buyer.id, buyerIdType, L) } : {}) };
  const buyerIdAt = P('buyerId', source.type === 'marche' ? '/acheteur/id' : '/autoriteConcedante/id');
  if (!buyer) return { ok: false, code: 'TRANSFORM_NO_BUYER_ID', reason: `the record has no usable buyer identifier (${buyerIdAt.slice(1).split('/').join('.')})${buyerShape(mapFlags, buyerIdAt) || buyerKeys(source.unmapped, buyerIdAt, c.buyerName !== undefined)}` };
  // a placeholder names no buyer: under it, unrelated buyers' contracts of one id would be one process
  if (isPlaceholder(buyer)) return { ok: false, code: 'TRANSFORM_NO_BUYER_ID', reason: `the record's buyer identifier (${buyerIdAt.slice(1).split('/').join('.')}) is a placeholder, ${JSON.stringify(buyer.raw ?? buyer.id)}, not an organisation's` };
  const buyerSelf = buyerIdAt.slice(0, Math.max(0, buyerIdAt.lastIndexOf('/')));
  // (a buyer given as its identifier alone, ID_GIVEN_BARE: its identifier's flags name where it is)
  const bare = mapFlags.some((f) => f.code === 'ID_GIVEN_BARE' && f.pointer === buyerSelf);
  const buyerAt: OrgAt = { self: buyerSelf, id: bare ? buyerSelf : buyerIdAt, name: P('buyerName', '/acheteur/nom') };
  // (cleaned here as a SIRET, which the field's transform did not know it was: `FR21350238800019`, said)
  if (typeof c.buyerId === 'string' && buyer.id !== c.buyerId.trim()) sayCleaned(flags, buyerAt.id, c.buyerId);
  const orgAt = (list: string, i: number, prefix: string, dflt: OrgAt): OrgAt => {
    const self = itemAt(list, i);
    const idType = P(`${prefix}.idType`, dflt.idType ?? '');
    return { self, id: self + P(`${prefix}.id`, dflt.id), name: self + P(`${prefix}.name`, dflt.name), idType: idType === '' ? undefined : self + idType };
  };

  const isConcession = source.type === 'contrat-concession';
  const modsAt = P('modifications', '/modifications');
  const execAt = P('executions', '/donneesExecution');
  const modifications = dedupeModifications(c.modifications ?? [], flags, modsAt);
  // 0 is a value, not an amount left out, where the schema allows it: a concession's subsidy ("Si aucun
  // avantage financier n'est octroyé, indiquer 0"), an execution year's investment, a free tariff (a
  // child's entry): no AMOUNT_ZERO there (7 of 10 concessions of a real file had it)
  if (isConcession) {
    const zeroIsValue = new Set([P('subsidy', '/montantSubventionPublique')]);
    (c.executions ?? []).forEach((e, k) => {
      zeroIsValue.add(itemAt(execAt, k, P('executions.investment', '/depensesInvestissement')));
      for (const { at } of tariffsOfYear(e, itemAt(execAt, k), P)) zeroIsValue.add(at);
    });
    for (let k = flags.length - 1; k >= 0; k--) if (flags[k]!.code === 'AMOUNT_ZERO' && zeroIsValue.has(flags[k]!.pointer)) flags.splice(k, 1);
  }

  // Parties: one per organisation, roles merged.
  const parties = new Map<string, Party>();
  /** Natural persons' names left out: nowhere in the releases. */
  const withheldNames: Withheld = { keys: new Set(), names: [], found: [], ids: new Set() };
  const addParty = (org: Org, role: string, at: OrgAt): { id: string; name?: string } | null => {
    const fresh = partyOf(org, flags, at, L, withheldNames);
    if (!fresh) return null;
    let p = parties.get(fresh.id);
    if (!p) {
      p = fresh;
      parties.set(p.id, p);
    } else if (!p.name && fresh.name) {
      p.name = fresh.name;
    } else if (p.name && fresh.name && labelKey(p.name) !== labelKey(fresh.name)) {
      // one identifier, two names (a buyer that is its own supplier, a SIRET given twice): the party
      // keeps the first; the other is said, never lost
      flags.push({ code: 'PARTY_OTHER_NAME', pointer: at.name, raw: fresh.name });
    }
    if (!p.roles.includes(role)) p.roles.push(role);
    return p.name ? { id: p.id, name: p.name } : { id: p.id };
  };
  // a supplier's SIRETs split (jointOrgs): said with the field as given, which the identifier's
  // transform said cleaned (its spaces gone), and that says it no more
  // (organisation i's identifier at `idAt(i)`; the split said in `list`, the record's or a modification's)
  const jointSplit = (idAt: (i: number) => string, list: MappingFlag[]): JointSplit => ({
    isSiret: (t) => L.isSiret(t),
    given: (i) => {
      const raw = cleanedAt(flags, idAt(i))?.raw;
      return typeof raw === 'string' ? raw : undefined;
    },
    said: (i, raw) => {
      const k = flags.findIndex((f) => f.code === 'ID_CLEANED' && f.pointer === idAt(i));
      if (k >= 0) flags.splice(k, 1);
      list.push({ code: 'SUPPLIER_IDS_SPLIT', pointer: idAt(i), raw });
    },
  });
  const buyerOrg: Org = { id: buyer.id, idType: buyerIdType };
  if (c.buyerName) buyerOrg.name = c.buyerName;
  const buyerRef = addParty(buyerOrg, 'buyer', buyerAt);
  const supplierList = P('suppliers', source.type === 'marche' ? '/titulaires' : '/concessionnaires');
  const ORG: OrgAt = { self: '', id: '/id', name: '/denominationSociale', idType: '/typeIdentifiant' };
  const supplierRefs = refsOf(c.suppliers ?? [], (o, i) => addParty(o, 'supplier', orgAt(supplierList, i, 'suppliers', ORG)), jointSplit((i) => orgAt(supplierList, i, 'suppliers', ORG).id, flags));
  if (buyerRef && supplierRefs.some((s) => s.id === buyerRef.id)) flags.push({ code: 'BUYER_IS_SUPPLIER', pointer: supplierList });
  if (supplierRefs.length === 0) flags.push({ code: 'NO_SUPPLIER', pointer: supplierList });

  // Identity of the award/contract: the record's own content, never its neighbours.
  // (a concession's CPV, read since this release, stays out of it: its ids are those it always had)
  // (of the title as given: one whose HTML references or C1 controls are decoded, `&eacute;`,
  // `L\u0092école`, keeps the ids it had)
  const titleGiven = flags.find((f) => (f.code === 'TEXT_REFERENCES_DECODED' || f.code === 'TEXT_CONTROLS_DECODED') && f.pointer === P('title', '/objet'))?.raw;
  const contentId = shortHashOfJson([isConcession ? '' : (c.cpv?.code ?? ''), typeof titleGiven === 'string' ? titleGiven.trim() : (c.title ?? ''), supplierRefs.map((s) => s.id).sort(), c.dateConcluded?.day ?? '', c.amount ?? null]);
  // a CPV code outside the CPV's divisions (`00000000-1`, a date `20190128-1`) classifies nothing: no
  // classification, no category derived from it (it gave "goods"); said with the code as given. (After
  // the award id, made of the code as read: the ids stay those the record always had.)
  if (c.cpv && L.classificationScheme === 'CPV' && !isCpvDivision(c.cpv.code)) {
    flags.push({ code: 'CPV_INVALID', pointer: P('cpv', '/codeCPV'), raw: c.cpv.raw });
    delete c.cpv;
  }
  // An id of zeros (`000000000000`), or of one digit written eight times or more, is a platform's
  // placeholder, not a procedure's number: the records that share it are unrelated contracts, not
  // the lots of one process. Each is a process of its own, named by the placeholder and its award id.
  // A record without an id (empty, missing, a number past a double: Ville de Croix's 33 contracts
  // with "id": "") is a contract all the same: a process of its own, named by its award id (its
  // content: stable from night to night), as a placeholder's is; said
  const givenId = c.id ?? '';
  const missingId = givenId === '';
  if (missingId) flags.push({ code: 'ID_MISSING', pointer: idAt });
  const placeholderId = !missingId && isPlaceholderId(givenId);
  if (placeholderId) flags.push({ code: 'ID_PLACEHOLDER', pointer: P('id', '/id'), raw: givenId });
  // a source whose ids each name one contract (settings.oneContractPerId: a register's snapshots of
  // current states) names the award by the id: the contract published again with another value is the
  // same award, its release the later publication of the earlier one, not a second contract
  const awardId = L.oneContractPerId && !missingId && !placeholderId ? shortHashOfJson(['id', givenId.trim()]) : contentId;
  // the 2019 counter in an id counts the modifications as published (duplicates included)
  const ocid = missingId ? ocidFor(ctx.ocidPrefix, buyer.id, awardId, null, 0) : placeholderId ? ocidFor(ctx.ocidPrefix, buyer.id, `${givenId.trim()}-${awardId}`, null, 0) : ocidFor(ctx.ocidPrefix, buyer.id, givenId, source.version, (c.modifications ?? []).length);
  const releaseBase = `${ocid}-${awardId}`;
  // (after the award's identity: a corrected line price must not make it another contract)
  // a row of the record that gives none of its lines' fields (a contract's own row above its lines,
  // its line columns empty, as some exports lay them out) is no line: no item, nothing in its total
  // (it was an item of the contract's title alone, and a line without a price: no value made of the
  // lines — found by a CSV probe). Not one with a field given that could not be read (flagged there).
  const noLine = new Set<number>();
  c.items?.forEach((l, i) => {
    const at = `${itemAt(P('items', '/items'), i)}/`;
    if (Object.values(l).every((v) => v === undefined) && !flags.some((f) => f.pointer.startsWith(at))) noLine.add(i);
  });
  // the lines whose figure names another currency than the record's (`3 000 USD`, `$`), by their index
  const linesAt = `${P('items', '/items')}/`;
  const lineOf = (f: MappingFlag): number => Number(f.pointer.slice(linesAt.length).split('/')[0]);
  const inOther = flags.filter((f) => f.code === 'AMOUNT_CURRENCY_IN_TEXT' && f.pointer.startsWith(linesAt) && Number.isInteger(lineOf(f)));
  // (those surely in another: a `$` in pesos may be the peso's sign, a line of the record's currency)
  const foreign = new Set(inOther.filter((f) => typeof f.raw !== 'string' || surelyOtherCurrencyInText(f.raw, L.currency)).map(lineOf));
  // a record that gives its item lines' prices but no total: the total is theirs (said)
  // (not when rows of the record could not be read: its lines are incomplete; nor when a line is
  // surely in another currency, `3 000 USD` in euros — found by a review, 100 € and it made 3,100 €;
  // a `$` in pesos may be the peso's sign: summed, as before)
  const linesIncomplete = source.ingestFlags.some((f) => f.code === 'INGEST_GROUP_ROWS_REJECTED');
  if (c.amount === undefined && c.items !== undefined && c.items.length > noLine.size && !linesIncomplete && foreign.size === 0) {
    const total = totalOfLines(c.items.filter((_, i) => !noLine.has(i)), L);
    if (total !== undefined) {
      c.amount = total;
      flags.push({ code: 'VALUE_FROM_ITEMS', pointer: P('items', '/items'), raw: total });
    }
  }

  const concluded = c.dateConcluded;
  // (a marché's period starts at notification unless the profile maps a start of its own: DECP has none)
  const start = c.dateStart ?? concluded;
  const period = periodOf(start, c.months, L);
  if (c.months !== undefined && !start) flags.push({ code: 'PERIOD_WITHOUT_START', pointer: isConcession ? P('dateStart', '/dateDebutExecution') : P('dateConcluded', '/dateNotification') });
  // a concession without a (usable) start of execution: its period starts at signature, which is said
  if (isConcession && !c.dateStart && start) flags.push({ code: 'PERIOD_START_FROM_SIGNATURE', pointer: P('dateStart', '/dateDebutExecution') });

  const value = valueOf(c.amount, flags, P('amount', isConcession ? '/valeurGlobale' : '/montant'), L);
  // a total below what its item lines add up to: the total or a line is wrong (a total after a discount
  // the lines do not give, lines with VAT beside a total without, a quantity in other units), and the
  // unit prices compared may be too — said, raw: the lines' sum (a floor: lines without a total nor a
  // price are left out of it, as are rows that could not be read). A total above its lines is not:
  // lines may leave out delivery, options, lines not published. Nor is one with a line that takes
  // away (a discount's negative total or price, a return's negative quantity) or whose figure could not
  // be read (`(500,00)`, an accountant's negative): its lines' sum is no floor (found by a CSV probe).
  if (value !== null && typeof value['amount'] === 'number' && value['amount'] > 0 && c.items !== undefined && c.items.length > 0) {
    const takesAway = c.items.some((l) => l.quantity !== undefined && l.quantity < 0)
      || flags.some((f) => NOT_A_FLOOR.has(f.code) && f.pointer.startsWith(linesAt));
    // (a line whose figure names another currency, `3 000 USD`, is left out of the sum: no floor of a
    // total in the record's currency; the others still are — found by a review)
    const floor = takesAway ? undefined : floorOfLines(c.items, L, foreign);
    if (floor !== undefined && value['amount'] < floor.sum - floor.slack) flags.push({ code: 'VALUE_BELOW_ITEMS', pointer: P('amount', isConcession ? '/valeurGlobale' : '/montant'), raw: Math.round(floor.sum * 100) / 100 });
  }
  // a place code that names a person (`Mme DUPONT EI`: a holder's name in the code's field) is no
  // code: codes are never masked, so it is left out, and the name withheld in the other texts too.
  // (a marker alone names no one: `ME`, Montenegro's ISO code, reads as the civility `Me`, `DR` as `Dr`)
  if (L.namesPersons && typeof c.placeCodeRaw === 'string' && c.placeCode !== undefined && L.namesPerson(c.placeCodeRaw) && L.nameWords(c.placeCodeRaw).length > 0) {
    withheldNames.found.push(c.placeCodeRaw);
    flags.push({ code: 'PERSON_NAME_WITHHELD', pointer: P('placeCode', '/lieuExecution/code') });
    delete c.placeCode;
  }
  const item = itemOf(awardId, c, flags, L, P);
  const lines = c.items !== undefined && c.items.length > noLine.size ? itemLinesOf(c.items, item, flags, L, P, noLine) : [];
  const items = lines.length > 0 ? lines : [item];

  // tender
  const tender: Record<string, Json> = { id: missingId ? awardId : givenId.trim(), status: 'complete' };
  if (c.procedure) {
    if (c.procedure.code) tender['procurementMethod'] = c.procedure.code;
    // (a label of another spelling, `AOO`, is published as the codelist's label it was read as, so that
    // the store groups and judges it with its label; CODE_RESPELLED keeps it as given)
    tender['procurementMethodDetails'] = c.procedure.readAs ?? c.procedure.label;
  }
  // (a concession's nature says its category; one not read — CODE_UNKNOWN, CODE_AMBIGUOUS — says
  // none: its CPV does, when given, as a marché's)
  if (isConcession && (c.nature?.code === 'works' || c.nature?.code === 'services')) tender['mainProcurementCategory'] = c.nature.code;
  else if (c.cpv && L.classificationScheme === 'CPV') tender['mainProcurementCategory'] = categoryFromCpv(c.cpv.code);
  tender['items'] = items;
  const labelsAt: LabelsAt = { techniques: P('techniques', '/techniques'), social: P('socialConsiderations', '/considerationsSociales'), environmental: P('environmentalConsiderations', '/considerationsEnvironnementales') };
  const techniques = techniquesOf(c, flags, labelsAt);
  if (techniques) tender['techniques'] = techniques;
  const sustainability = sustainabilityOf(c, flags, labelsAt);
  if (sustainability.has !== undefined) tender['hasSustainability'] = sustainability.has;
  if (sustainability.list.length > 0) tender['sustainability'] = sustainability.list;

  // award and contract
  const award: Record<string, Json> = { id: awardId, status: 'active' };
  if (c.title) award['title'] = c.title;
  if (concluded) award['date'] = L.dateTime(concluded);
  if (value) award['value'] = value;
  if (supplierRefs.length > 0) award['suppliers'] = supplierRefs;
  // the item is given in tender.items and contracts[].items; awards[].items would repeat it a third time
  if (period) award['contractPeriod'] = period;
  if (c.subcontractingDeclared !== undefined) award['hasSubcontracting'] = c.subcontractingDeclared;
  // "no subcontracting" declared beside subcontracting acts: both published as given, said (an act
  // with nothing in it is none: SUBCONTRACT_EMPTY)
  if (c.subcontractingDeclared === false && (c.subcontracts ?? []).some((s) => !subcontractEmpty(s))) flags.push({ code: 'SUBCONTRACTING_DECLARED_FALSE', pointer: P('subcontractingDeclared', '/sousTraitanceDeclaree'), raw: false });
  const subcontractorAt = (i: number): OrgAt => {
    const base = itemAt(P('subcontracts', '/actesSousTraitance'), i);
    const id = P('subcontracts.subcontractorId', '/sousTraitant/id');
    const self = id.slice(0, Math.max(0, id.lastIndexOf('/')));
    return { self: base + self, id: base + id, name: base + P('subcontracts.subcontractorName', `${self}/denominationSociale`) };
  };
  const actIds = subcontractIds(c.subcontracts ?? [], flags, P);
  // an act with nothing in it (`{"acteSousTraitance": null}`, `{}`): no act is made up, said
  (c.subcontracts ?? []).forEach((s, i) => {
    if (subcontractEmpty(s)) flags.push({ code: 'SUBCONTRACT_EMPTY', pointer: itemAt(P('subcontracts', '/actesSousTraitance'), i) });
  });
  // … nor a change of an act with nothing in it (`{"modificationActeSousTraitance": {}}`), nor a
  // concession's execution year (`{"donneesAnnuelles": {}}`, `null`, XML `<donneesAnnuelles/>`): no
  // release is made up, said (on the record's release: there is no other)
  const subModsAt = P('subcontractModifications', '/modificationsActesSousTraitance');
  (c.subcontractModifications ?? []).forEach((s, k) => {
    if (subcontractModificationEmpty(s)) flags.push({ code: 'SUBCONTRACT_MODIFICATION_EMPTY', pointer: itemAt(subModsAt, k) });
  });
  (c.executions ?? []).forEach((e, k) => {
    if (executionEmpty(e)) flags.push({ code: 'EXECUTION_EMPTY', pointer: itemAt(execAt, k) });
  });
  const subcontracts = (c.subcontracts ?? []).flatMap((s, i) => {
    // (a subcontractor named without an identifier is no party: PARTY_WITHOUT_ID keeps its name)
    const ref = s.subcontractorId || s.subcontractorName ? addParty(subcontractorOf(s), 'subcontractor', subcontractorAt(i)) : null;
    if (!ref) return [];
    return [{ id: actIds[i]!, subcontractor: ref }];
  });
  if (subcontracts.length > 0) award['subcontracting'] = { subcontracts };

  const contract: Record<string, Json> = { id: awardId, awardID: awardId, status: 'active' };
  if (c.title) contract['title'] = c.title;
  if (concluded) contract['dateSigned'] = L.dateTime(concluded);
  if (value) contract['value'] = value;
  if (period) contract['period'] = period;
  contract['items'] = items;
  if (supplierRefs.length > 0) contract['suppliers'] = supplierRefs;
  // (a placeholder or an impossible subsidy, 999999999, is no value: flagged, the raw amount in x_decp only)
  const subsidy = isConcession && c.subsidy !== undefined && c.subsidy > 0 ? valueOf(c.subsidy, flags, P('subsidy', '/montantSubventionPublique'), L) : null;
  if (subsidy) {
    // (its title in the release's language, which a profile's settings.language sets; none in a language we do not write)
    const title = SUBSIDY_TITLES[L.language.toLowerCase().slice(0, 2)];
    contract['implementation'] = { charges: [{ id: 'subvention', ...(title === undefined ? {} : { title }), paidBy: 'government', estimatedValue: subsidy }] };
  }

  // without a date of its own, the initial release takes the earliest date of the record's later
  // publications (a modification, an execution year), never the run's while the record has one
  // (looked for only then: most records have their dates)
  let earliest: ParsedDate | undefined;
  if (!c.datePublished && !concluded) {
    for (const d of [...modifications.map((m) => m.datePublished ?? m.dateConcluded), ...(c.executions ?? []).map((e) => e.datePublished)]) {
      if (d !== undefined && (earliest === undefined || d.day < earliest.day)) earliest = d;
    }
  }
  const publishedAt = P('datePublished', '/datePublicationDonnees');
  const initialId = `${releaseBase}-v0`;
  // (a record without any date: its initial release is dated by the run, and so are its later releases,
  // which take its date — RELEASE_DATE_FROM_RUN on each, so that none of those dates is taken for a publication)
  const undated = !c.datePublished && !concluded && earliest === undefined;
  const laterFlag = undated ? 'RELEASE_DATE_FROM_RUN' : 'RELEASE_DATE_FROM_INITIAL';
  const initialDate = releaseDate(c.datePublished, concluded, ctx, flags, publishedAt, L, earliest ? L.dateTime(earliest) : undefined, 'RELEASE_DATE_FROM_LATER', ctx.datedBefore?.get(initialId));
  if (c.datePublished && concluded && c.datePublished.day < concluded.day) flags.push({ code: 'PUBLISHED_BEFORE_CONCLUDED', pointer: publishedAt });

  const initial: Release = {
    ocid,
    id: initialId,
    date: initialDate,
    tag: ['award', 'contract'],
    initiationType: 'tender',
    language: L.language,
    parties: [],
    buyer: buyerRef ?? null,
    tender,
    awards: [award],
    contracts: [contract],
  };
  const related = relatedProcessesOf(c, ctx, buyer.id, ocid, flags, P('frameworkId', '/idAccordCadre'), techniques?.['hasFrameworkAgreement'] === true);
  if (related) initial['relatedProcesses'] = related;
  // one statistic per award (a lot is one record): lots sharing an ocid keep each their count
  if (c.offersReceived !== undefined) initial['bids'] = { statistics: [{ id: `bids-${awardId}`, measure: 'bids', value: c.offersReceived }] };
  if (L.namesPersons) withholdPersons(c, modifications, flags, withheldNames, L, (i, m) => (m === undefined ? orgAt(supplierList, i, 'suppliers', ORG) : orgAt(itemAt(modsAt, m.position, P('modifications.suppliers', '/titulaires')), i, 'modifications.suppliers', ORG)));
  initial['x_decp'] = xDecpOf(c, source, flags, isConcession, awardId, actIds, P('priceForm', '/formePrix'), withheldNames, L.namesPerson);
  initial['parties'] = [...parties.values()].map(toPartyJson);
  if (initial['buyer'] === null) delete initial['buyer'];

  const releases: Release[] = [initial];

  // One release per modification.
  let previous = initial['id'] as string;
  let currentStartMonths = c.months;
  // the contract's value so far (a modification's montant is the new total)
  let currentAmount = value ? c.amount : undefined;
  // roles are a list of strings: merging replaces them, so a party a modification names carries every
  // role it has had in this contract (a buyer that is also a supplier stays the buyer)
  const rolesSoFar = new Map<string, Set<string>>();
  if (modifications.length > 0) for (const p of parties.values()) rolesSoFar.set(p.id, new Set(p.roles));
  for (const m of modifications) {
    const id = `${releaseBase}-m${m.key}`;
    const mFlags: MappingFlag[] = [];
    const mParties = new Map<string, Party>();
    const mRefs = refsOf(m.suppliers ?? [], (o, i) => {
      const p = partyOf(o, mFlags, orgAt(itemAt(modsAt, m.position, P('modifications.suppliers', '/titulaires')), i, 'modifications.suppliers', ORG), L, withheldNames, flags);
      if (!p) return null;
      let roles = rolesSoFar.get(p.id);
      if (!roles) rolesSoFar.set(p.id, (roles = new Set()));
      roles.add('supplier');
      p.roles.splice(0, p.roles.length, ...roles);
      mParties.set(p.id, p);
      return p.name ? { id: p.id, name: p.name } : { id: p.id };
    }, jointSplit((i) => orgAt(itemAt(modsAt, m.position, P('modifications.suppliers', '/titulaires')), i, 'modifications.suppliers', ORG).id, mFlags));
    const amendment: Record<string, Json> = { id: m.key };
    if (m.dateConcluded) amendment['date'] = L.dateTime(m.dateConcluded);
    // a modification notified before the contract it modifies: a date mistyped (a month, a year) —
    // kept as given; the store counts no early amendment from it (one notified on the contract's day
    // is a correction of its data: amendments.correction)
    if (m.dateConcluded && concluded && m.dateConcluded.day < concluded.day) mFlags.push({ code: 'MODIFICATION_BEFORE_CONTRACT', pointer: itemAt(modsAt, m.position, P('modifications.dateConcluded', '/dateNotificationModification')), raw: m.dateConcluded.day });
    if (m.description) {
      amendment['description'] = m.description;
      amendment['rationale'] = m.description;
    }
    amendment['amendsReleaseID'] = previous;
    amendment['releaseID'] = id;
    const mContract: Record<string, Json> = { id: awardId, awardID: awardId };
    const mValue = newTotalOf(m.amount, currentAmount, mFlags, itemAt(modsAt, m.position, P('modifications.amount', '/montant')), L, flags);
    if (mValue) {
      mContract['value'] = mValue;
      currentAmount = m.amount;
    }
    if (m.months !== undefined) {
      // a new duration under half the one so far (40 months, then 1): the months added, given where
      // the new duration belongs, or a real shortening — taken (DECP's rule), said as for amounts
      if (m.months > 0 && currentStartMonths !== undefined && currentStartMonths > 0 && m.months < currentStartMonths / 2) mFlags.push({ code: 'MODIFICATION_DURATION_DROP', pointer: itemAt(modsAt, m.position, P('modifications.months', '/dureeMois')), raw: m.months });
      currentStartMonths = m.months;
      const p = periodOf(start, currentStartMonths, L);
      if (p) mContract['period'] = p;
      // a new duration whose end comes before the modification itself (6 months from 2019-05-14, then
      // "Prolongation … jusqu'au 10 avril 2021" of 4 months notified in 2020): the months added, or
      // those left, given where the new total belongs — taken (DECP's rule), said (found by a probe)
      if (start && m.dateConcluded && m.months > 0 && addMonths(start.day, m.months) < m.dateConcluded.day) {
        mFlags.push({ code: 'MODIFICATION_DURATION_ENDS_BEFORE', pointer: itemAt(modsAt, m.position, P('modifications.months', '/dureeMois')), raw: m.months });
      }
    }
    if (mRefs.length > 0) mContract['suppliers'] = mRefs;
    mContract['amendments'] = [amendment];
    const date = releaseDate(m.datePublished, m.dateConcluded, ctx, mFlags, itemAt(modsAt, m.position, P('modifications.datePublished', '/datePublicationDonneesModification')), L, initialDate, laterFlag);
    const rel: Release = { ocid, id, date, tag: ['contractAmendment'], initiationType: 'tender', language: L.language };
    if (mParties.size > 0) rel['parties'] = [...mParties.values()].map(toPartyJson);
    rel['contracts'] = [mContract];
    // the modification's own raw values, under a key of their own: the record's (montant, dureeMois)
    // stay those of the compiled release, which leaves these out (omitWhenMerged)
    const raw: Record<string, Json> = { id: m.rawId ?? null, position: m.position };
    if (m.months !== undefined) raw['dureeMois'] = m.months;
    if (m.amount !== undefined) raw['montant'] = m.amount;
    const x: Record<string, Json> = { modification: raw };
    if (mFlags.length > 0) x['qualityFlags'] = mFlags.map(flagJson);
    rel['x_decp'] = x;
    releases.push(rel);
    previous = id;
  }

  // One release per concession execution year.
  const years = new Map<string, number>();
  (c.executions ?? []).forEach((e, k) => {
    if (executionEmpty(e)) return;
    const day = e.datePublished?.day;
    const year = day ? day.slice(0, 4) : `n${k + 1}`;
    const seen = (years.get(year) ?? 0) + 1;
    years.set(year, seen);
    const key = seen === 1 ? year : `${year}-${seen}`;
    const id = `${releaseBase}-x${key}`;
    const xFlags: MappingFlag[] = [];
    const tariffs = tariffsOfYear(e, itemAt(execAt, k), P).flatMap(({ t, at }, i) => {
      const tv = valueOf(t.amount, xFlags, at, L, flags);
      const tariff: Record<string, Json> = { id: `${key}-${i + 1}`, paidBy: 'user' };
      if (t.title) tariff['title'] = t.title;
      if (tv) tariff['value'] = tv;
      return t.title || tv ? [tariff] : [];
    });
    const xContract: Record<string, Json> = { id: awardId, awardID: awardId };
    if (tariffs.length > 0) xContract['tariffs'] = tariffs;
    const date = releaseDate(e.datePublished, undefined, ctx, xFlags, itemAt(execAt, k, P('executions.datePublished', '/datePublicationDonneesExecution')), L, initialDate, laterFlag);
    const x: Record<string, Json> = { execution: { year: key } };
    // (under the award's id, as subcontracting acts are: lots of one ocid each keep their year's
    // figure when the entries merge by id; the year said beside it, the execution key being left out
    // of compiled releases)
    // (its year a year: the key's `-2` of a second entry of one year is the id's, and an entry without
    // a date has none)
    if (e.investment !== undefined) x['depensesInvestissement'] = [{ id: `${awardId}-${key}`, ...(day ? { year } : {}), amount: e.investment, currency: L.currency }];
    if (xFlags.length > 0) x['qualityFlags'] = xFlags.map(flagJson);
    const release: Release = { ocid, id, date, tag: ['implementation'], initiationType: 'tender', language: L.language, contracts: [xContract], x_decp: x };
    datePointers.set(release, itemAt(execAt, k, P('executions.datePublished', '/datePublicationDonneesExecution')));
    releases.push(release);
  });

  // One awardUpdate release per modification of a subcontracting act (2024): see subcontractUpdates
  if (c.subcontractModifications !== undefined && c.subcontractModifications.length > 0) {
    // (the record's acts, by the ids their entries have: a modification naming another is said; each
    // with its amount, when it is one, that a new total is checked against as a contract's is)
    const amountOf = (a: number | undefined): number | undefined => (a === undefined || isPlaceholderAmount(a) || isImplausibleAmount(a, L.implausibleAmount) ? undefined : a);
    const acts = new Map((c.subcontracts ?? []).flatMap((a, i) => (subcontractEmpty(a) ? [] : [[actIds[i]!, amountOf(a.amount)] as const])));
    releases.push(...subcontractUpdates(c.subcontractModifications, { ocid, releaseBase, awardId, acts, at: subModsAt, idAt: P('subcontractModifications.id', '/id'), amountAt: P('subcontractModifications.amount', '/montant'), said: flags, publishedAt: P('subcontractModifications.datePublished', '/datePublicationDonnees'), initialDate, laterFlag }, ctx, L));
  }

  dropZerosJudgedLater(initial, releases);
  orderDates(releases, concluded ? L.dateTime(concluded) : undefined, { published: publishedAt, modifications: modsAt, modificationPublished: P('modifications.datePublished', '/datePublicationDonneesModification'), executions: execAt });
  if (L.namesPersons) withholdEverywhere(releases, withheldNames, L);
  if (withheldNames.ids.size > 0) markPersonParties(releases, withheldNames.ids);
  // (the award's id in the key: lots of one ocid each keep their flags in the compiled release)
  for (const r of releases) flagIds(r, (r['id'] as string).slice(ocid.length + 1));
  return { ok: true, releases };
}

/**
 * A modification's new total of 0 that is no value (MODIFICATION_AMOUNT_ZERO, on its own release) is
 * not also the record's AMOUNT_ZERO, which says a zero kept as a value: one flag per problem, on the
 * release that judges it (the initial release carried both, the second untrue: the amendment has no value).
 */
function dropZerosJudgedLater(initial: Release, releases: readonly Release[]): void {
  const judged = new Set<Json>();
  for (const r of releases) {
    if (r === initial) continue;
    const list = (r['x_decp'] as Record<string, Json> | undefined)?.['qualityFlags'];
    if (Array.isArray(list)) for (const f of list as Array<Record<string, Json>>) if (f['code'] === 'MODIFICATION_AMOUNT_ZERO') judged.add(f['pointer']!);
  }
  if (judged.size === 0) return;
  const x = initial['x_decp'] as Record<string, Json>;
  const list = x['qualityFlags'] as Array<Record<string, Json>> | undefined;
  if (list === undefined) return;
  const kept = list.filter((f) => !(f['code'] === 'AMOUNT_ZERO' && judged.has(f['pointer']!)));
  if (kept.length === list.length) return;
  if (kept.length > 0) x['qualityFlags'] = kept;
  else delete x['qualityFlags'];
}

/**
 * The parties that are natural persons (their names withheld), said in each release that lists them:
 * `x_decp.personParties`, their party ids. The nightly job withholds their names in the other
 * processes that name them too (by SIREN: a sole trader's SIREN is the person). Placed before the
 * flags and what is unmapped (unmapped stays last, see xDecpOf). `keys`: personKey's (`scheme|id`).
 */
function markPersonParties(releases: readonly Release[], keys: ReadonlySet<string>): void {
  const ids = new Set([...keys].map((k) => k.replace('|', '-')));
  for (const r of releases) {
    const parties = r['parties'];
    if (!Array.isArray(parties)) continue;
    const persons = [...new Set(parties.flatMap((p) => (p !== null && typeof p === 'object' && !Array.isArray(p) && typeof p['id'] === 'string' && ids.has(p['id']) ? [p['id']] : [])))].sort();
    if (persons.length === 0) continue;
    const x = r['x_decp'] as Record<string, Json>;
    const after = Object.entries(x).filter(([k]) => k === 'qualityFlags' || k === 'unmapped');
    for (const [k] of after) delete x[k];
    x['personParties'] = persons;
    for (const [k, v] of after) x[k] = v;
  }
}

/**
 * Each quality flag gets an id, `<award id>-<release key>.<n>` (`1f3povb0o5cnjk-v0.1`, `…-m2.1`):
 * merged by identifier, a compiled release keeps the flags of all its releases and of all the lots
 * of its ocid (a list without ids was replaced by the last release's; ids without the award's,
 * lots' flags replaced one another).
 */
function flagIds(r: Release, key: string): void {
  const x = r['x_decp'] as Record<string, Json>;
  const list = x['qualityFlags'] as Array<Record<string, Json>> | undefined;
  if (list === undefined) return;
  x['qualityFlags'] = list.map((f, k) => ({ id: `${key}.${k + 1}`, ...f }));
}

const addFlag = (r: Release, f: MappingFlag): void => {
  const x = r['x_decp'] as Record<string, Json>;
  const list = (x['qualityFlags'] as Json[] | undefined) ?? [];
  list.push(flagJson(f));
  x['qualityFlags'] = list;
  // unmapped stays last (see xDecpOf)
  if (x['unmapped'] !== undefined) {
    const unmapped = x['unmapped'];
    delete x['unmapped'];
    x['unmapped'] = unmapped;
  }
};

/**
 * Release dates that follow the contract's history, so that merging by date gives the state after
 * the last modification. A record republished later keeps the modifications it had: its
 * datePublicationDonnees can then be after theirs, and the initial release, merged last, would
 * undo them. The initial release is then dated at the notification (never earlier), flagged
 * RELEASE_DATE_AFTER_AMENDMENTS; a modification dated before the one it follows (or before the
 * initial release), a subcontracting act's change dated before the act's change it follows (or
 * before the initial release), and an execution year dated before the initial release, are dated
 * with it, flagged RELEASE_DATE_RAISED. The source dates stay in x_decp and the flags.
 */
function orderDates(releases: Release[], concluded: string | undefined, where: { readonly published: string; readonly modifications: string; readonly modificationPublished: string; readonly executions: string }): void {
  const initial = releases[0]!;
  const at = (d: unknown): number => (typeof d === 'string' ? Date.parse(d) : Number.NaN);
  let earliest: Release | undefined;
  for (const r of releases.slice(1)) if (earliest === undefined || at(r['date']) < at(earliest['date'])) earliest = r;
  // the initial release moves back to the notification at most (never before it: a later release
  // dated before that, a typo, is raised below instead)
  if (earliest && at(earliest['date']) < at(initial['date']) && concluded !== undefined && at(concluded) < at(initial['date'])) {
    const was = initial['date'];
    initial['date'] = concluded;
    addFlag(initial, { code: 'RELEASE_DATE_AFTER_AMENDMENTS', pointer: where.published, raw: was });
  }
  let previous = initial;
  /** A subcontracting act's last change so far, by its entry's id (subcontractUpdates lists them in notification order). */
  const actChanges = new Map<string, Release>();
  for (const r of releases.slice(1)) {
    const amendment = Array.isArray(r['tag']) && r['tag'][0] === 'contractAmendment';
    const act = Array.isArray(r['tag']) && r['tag'][0] === 'awardUpdate' ? (((r['x_decp'] as Record<string, Json>)['sousTraitance'] as Array<Record<string, Json>>)[0]!['id'] as string) : undefined;
    // a modification follows the one before it; a subcontracting act's change follows the act's change
    // before it; an execution year follows the initial release
    const floor = amendment ? previous : ((act === undefined ? undefined : actChanges.get(act)) ?? initial);
    if (at(r['date']) < at(floor['date'])) {
      const was = r['date'];
      r['date'] = floor['date'] as string;
      const x = r['x_decp'] as Record<string, Json>;
      const pointer = amendment ? itemAt(where.modifications, Number((x['modification'] as Record<string, Json>)['position']), where.modificationPublished) : (datePointers.get(r) ?? where.executions);
      addFlag(r, { code: 'RELEASE_DATE_RAISED', pointer, raw: was });
    }
    if (amendment) previous = r;
    if (act !== undefined) actChanges.set(act, r);
  }
}

/**
 * The date a release's source gave it as published: its date, or, for an initial release that
 * orderDates moved back before its amendments (RELEASE_DATE_AFTER_AMENDMENTS), the publication date
 * it had. Which of two publications of one release id is the later is decided on this (a record
 * republished with its modifications is dated back to its notification, yet is the later one).
 */
export function publicationDateOf(release: { readonly [k: string]: unknown }): string | undefined {
  const x = release['x_decp'];
  const flags = x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>)['qualityFlags'] : undefined;
  if (Array.isArray(flags)) {
    for (const f of flags as unknown[]) {
      if (f === null || typeof f !== 'object') continue;
      const { code, raw } = f as Record<string, unknown>;
      if (code === 'RELEASE_DATE_AFTER_AMENDMENTS' && typeof raw === 'string') return raw;
      // (a date a run gave, tonight's or the one an earlier run gave the record: no publication)
      if (code === 'RELEASE_DATE_FROM_RUN') return undefined;
    }
  }
  const date = release['date'];
  return typeof date === 'string' ? date : undefined;
}

interface KeyedModification extends Modification {
  key: string;
  rawId: string | undefined;
  position: number;
}

/**
 * Order modifications and give each a stable key: the 2024 `id` when usable
 * and unique, else the 1-based position after sorting by notification date
 * (2019 has no id). Exact duplicates (seen in real 2019 files) and empty modifications are dropped and flagged.
 */
function dedupeModifications(list: Modification[], flags: MappingFlag[], listAt: string): KeyedModification[] {
  if (list.length === 0) return [];
  const seen = new Set<string>();
  const unique: KeyedModification[] = [];
  list.forEach((m, position) => {
    // an empty modification (`[{}]`, `[null]`, `"aucune"` where a list belongs) says nothing: no
    // amendment is made up from it
    if (Object.values(m).every((v) => v === undefined || (Array.isArray(v) && v.length === 0))) {
      flags.push({ code: 'MODIFICATION_EMPTY', pointer: itemAt(listAt, position) });
      return;
    }
    // (a lone modification has no duplicate: no signature text for it)
    const sig = list.length === 1 ? '' : JSON.stringify(m);
    if (seen.has(sig)) {
      flags.push({ code: 'MODIFICATION_DUPLICATE', pointer: itemAt(listAt, position) });
      return;
    }
    seen.add(sig);
    // (the fields read below, listed: spreading the mapped object was a fifth of the build's time)
    unique.push({ id: m.id, description: m.description, dateConcluded: m.dateConcluded, datePublished: m.datePublished, amount: m.amount, months: m.months, suppliers: m.suppliers, position, key: '', rawId: m.id });
  });
  // a modification's id is its rank, from 1 (the 2024 schema's minimum): a 0 is a platform counting
  // from 0, which the same platform's next file may number from 1 (the same amendment twice)
  const numeric = (m: Modification): number | null => (m.id !== undefined && /^\d+$/.test(m.id) && Number(m.id) > 0 ? Number(m.id) : null);
  const allIds = unique.length > 0 && unique.every((m) => numeric(m) !== null) && new Set(unique.map(numeric)).size === unique.length;
  const sorted = [...unique].sort((a, b) => {
    if (allIds) return numeric(a)! - numeric(b)!;
    const da = a.dateConcluded?.day ?? a.datePublished?.day ?? '';
    const db = b.dateConcluded?.day ?? b.datePublished?.day ?? '';
    return da < db ? -1 : da > db ? 1 : a.position - b.position;
  });
  if (!allIds && unique.some((m) => m.id !== undefined)) flags.push({ code: 'MODIFICATION_IDS_UNUSABLE', pointer: listAt });
  sorted.forEach((m, i) => {
    m.key = allIds ? String(numeric(m)) : String(i + 1);
  });
  return sorted;
}

function refsOf(orgs: Org[], add: (o: Org, i: number) => { id: string; name?: string } | null, joint?: JointSplit): Array<{ id: string; name?: string }> {
  const out: Array<{ id: string; name?: string }> = [];
  // (a set: a record of 32,000 suppliers made a scan of the list per supplier take minutes)
  const seen = new Set<string>();
  orgs.forEach((o, i) => {
    for (const part of joint === undefined ? [o] : jointOrgs(o, i, joint)) {
      const r = add(part, i);
      if (r && !seen.has(r.id)) {
        seen.add(r.id);
        out.push(r);
      }
    }
  });
  return out;
}

/** How a list's organisations are split (jointOrgs): which identifiers are SIRETs, the field as given, and where it is said. */
interface JointSplit {
  isSiret(idType: string | undefined): boolean;
  /** The identifier of organisation `i` as the source gave it, when its transform changed it. */
  given(i: number): string | undefined;
  said(i: number, given: string): void;
}

/**
 * A supplier whose SIRET field holds the SIRETs of a joint bid (`44189140500017 / 80268496900016`,
 * jointSirets): one organisation per SIRET, each its supplier (one party of the two ids joined
 * named none of the companies, and the store counted neither), said (SUPPLIER_IDS_SPLIT, the field as
 * given). Their names are paired with them when the name is as many names apart (`A / B`, `A; B`);
 * else none is named (the whole name would be each one's).
 */
function jointOrgs(o: Org, i: number, joint: JointSplit): Org[] {
  // (two SIRETs are 28 digits at least, however cleaned: a supplier's one SIRET goes on at once)
  if (o.id === undefined || o.id.length < 28 || !joint.isSiret(o.idType)) return [o];
  // (the field as given: its transform took the spaces out, and joined digits apart, `A - B`, `A B`)
  const given = joint.given(i) ?? o.id;
  const sirets = jointSirets(given);
  if (sirets === null) return [o];
  joint.said(i, given);
  const names = o.name?.split(/\s*[/;|\n]\s*/).filter((n) => n !== '');
  return sirets.map((id, k) => ({ ...(o.idType !== undefined ? { idType: o.idType } : {}), id, ...(names?.length === sirets.length ? { name: names[k]! } : {}) }));
}

/** A subcontracting act's subcontractor as an organisation: its identifier, its type and its name (when the source gives one). */
function subcontractorOf(s: NonNullable<Canonical['subcontracts']>[number]): Org {
  const org: Org = {};
  if (s.subcontractorId) org.id = s.subcontractorId;
  if (s.subcontractorIdType) org.idType = s.subcontractorIdType;
  if (s.subcontractorName) org.name = s.subcontractorName;
  return org;
}

/** A subcontracting act that gives nothing that can be read: no id, subcontractor, amount, duration, date or price variation. */
function subcontractEmpty(s: NonNullable<Canonical['subcontracts']>[number]): boolean {
  return s.id === undefined && !s.subcontractorId && !s.subcontractorName && s.amount === undefined && s.months === undefined && !s.dateConcluded && !s.datePublished && !s.priceVariation;
}

/** A subcontracting act's modification that gives nothing that can be read: no act, amount, duration or date. */
function subcontractModificationEmpty(s: NonNullable<Canonical['subcontractModifications']>[number]): boolean {
  return s.id === undefined && s.amount === undefined && s.months === undefined && !s.dateConcluded && !s.datePublished;
}

/**
 * A concession's execution year's tariffs, each with the pointer of its price: those of its list
 * (`tarifs`), then the one given on the year itself (`intituleTarif` and `tarif` beside
 * `depensesInvestissement`, as the interim 2.0.1 examples write it: `tariffsOnYear`, a "." list,
 * whose pointer is the year's own). A year that gives both forms loses neither.
 */
function tariffsOfYear(e: NonNullable<Canonical['executions']>[number], yearAt: string, P: At): Array<{ t: { title?: string; amount?: number }; at: string }> {
  const inList = (rel: string, i: number, field: string): string => `${yearAt}${rel === '' ? '' : `${rel}/${i}`}${field}`;
  const listAt = P('executions.tariffs', '/tarifs');
  const onYearAt = P('executions.tariffsOnYear', '');
  return [
    ...(e.tariffs ?? []).map((t, i) => ({ t, at: inList(listAt, i, P('executions.tariffs.amount', '/tarif')) })),
    ...(e.tariffsOnYear ?? []).map((t, i) => ({ t, at: inList(onYearAt, i, P('executions.tariffsOnYear.amount', '/tarif')) })),
  ];
}

/** A concession's execution year that gives nothing that can be read: no date, investment, or tariff with a title or a price. */
function executionEmpty(e: NonNullable<Canonical['executions']>[number]): boolean {
  return !e.datePublished && e.investment === undefined && [...(e.tariffs ?? []), ...(e.tariffsOnYear ?? [])].every((t) => !t.title && t.amount === undefined);
}

/**
 * The ids of a record's subcontracting acts, by position: the act's own, else its position (from 1).
 * An id given twice would make two acts one when merged: the first keeps it, a later one is made
 * unique by its position (`SUBCONTRACT_ID_DUPLICATE`, raw: the id), as item lines are. An act without
 * an id never takes another act's own (its position, then `n<position>`).
 */
function subcontractIds(acts: NonNullable<Canonical['subcontracts']>, flags: MappingFlag[], P: At): string[] {
  const list = P('subcontracts', '/actesSousTraitance');
  // the acts' own ids first: none is ever changed for an id made here
  const own = new Set(acts.flatMap((s) => (s.id === undefined ? [] : [s.id])));
  const used = new Set<string>();
  /** `base`, else `base-2`, `base-3`…: the first that is no act's own and not given yet. */
  const unique = (base: string, first: boolean): string => {
    if (first && !used.has(base)) return base;
    for (let k = 2; ; k++) if (!own.has(`${base}-${k}`) && !used.has(`${base}-${k}`)) return `${base}-${k}`;
  };
  return acts.map((s, i) => {
    let id: string;
    if (s.id !== undefined) {
      if (used.has(s.id)) flags.push({ code: 'SUBCONTRACT_ID_DUPLICATE', pointer: itemAt(list, i, P('subcontracts.id', '/id')), raw: s.id });
      id = unique(s.id, true);
    } else {
      // (an act without an id: its position, unless that is another act's own)
      const position = String(i + 1);
      id = own.has(position) || used.has(position) ? unique(`n${position}`, !own.has(`n${position}`)) : position;
    }
    used.add(id);
    return id;
  });
}

function toPartyJson(p: Party): Record<string, Json> {
  const out: Record<string, Json> = { id: p.id };
  if (p.name) out['name'] = p.name;
  out['identifier'] = p.identifier;
  if (p.additionalIdentifiers) out['additionalIdentifiers'] = p.additionalIdentifiers;
  out['roles'] = p.roles;
  return out;
}

/**
 * The locale of one record: the profile's, with the record's own currency when it gives one (a
 * partner's register in pesos and dollars). A currency that is no ISO 4217 code (of the schema's
 * codelist when the context gives it: `XYZ` is three letters, no currency) is flagged
 * CURRENCY_INVALID (raw: as given) and the profile's is used — unless it is a symbol that names one
 * currency (`U$S`, `US$`, `£`, `€`: CURRENCY_FROM_SYMBOL, that currency), or a sign that names several
 * of which the profile's currency is one (`$` in a peso or dollar profile, `¥` in a yen one, `C$` in a
 * Canadian dollar one: CURRENCY_FROM_SYMBOL, the profile's currency). A currency read through a codelist
 * (a source that names its currencies, `Dólar Estadounidense`) is its code.
 */
function localeOf(c: Canonical, L: Locale, flags: MappingFlag[], pointer: string, currencies: ReadonlySet<string> | undefined): Locale {
  if (c.currency === undefined) return L;
  // (a name the profile's codelist does not know is its label: CODE_UNKNOWN said it, CURRENCY_INVALID says the setting's is used)
  const given = typeof c.currency === 'string' ? c.currency : (c.currency.code ?? c.currency.label);
  const code = given.trim().toUpperCase();
  if (/^[A-Z]{3}$/.test(code) && (currencies === undefined || currencies.has(code))) return code === L.currency ? L : { ...L, currency: code };
  // (a symbol that names one currency, `u$s`, `£`: that currency, said; found by a partner's probe,
  // an Argentine export's dollar contracts were published in pesos)
  // (a sign that names several, `$`, is the profile's own currency when that one is written with it:
  // a Colombian or Argentine export's `$` is its pesos; in a euro profile it stays invalid)
  const symbol = typeof c.currency === 'string' ? (currencyOfSymbol(c.currency) ?? currencyOfSign(c.currency, L.currency)) : undefined;
  if (symbol !== undefined && (currencies === undefined || currencies.has(symbol))) {
    flags.push({ code: 'CURRENCY_FROM_SYMBOL', pointer, raw: c.currency });
    return symbol === L.currency ? L : { ...L, currency: symbol };
  }
  flags.push({ code: 'CURRENCY_INVALID', pointer, raw: typeof c.currency === 'string' ? c.currency : c.currency.label });
  return L;
}

/**
 * The amounts whose text names a currency (AMOUNT_CURRENCY_NAMED, handed over by the mapping of a
 * profile that reads a currency per record), judged against the record's currency once it is known:
 * another one is AMOUNT_CURRENCY_IN_TEXT (raw: as written), in place; the record's own is nothing to
 * say. `ARS 5.000,00` in a record in dollars of a peso profile is said (published as 5,000 USD);
 * `USD 5.000,00` there is not.
 */
function resolveCurrencyNamed(flags: MappingFlag[], currency: string, home: string): void {
  for (let k = flags.length - 1; k >= 0; k--) {
    const f = flags[k]!;
    if (f.code !== CURRENCY_NAMED) continue;
    // (`home`: the profile's currency — a `$` in a dollar record of a peso source may be the peso's sign)
    if (typeof f.raw === 'string' && otherCurrencyInText(f.raw, currency, home)) flags[k] = { code: 'AMOUNT_CURRENCY_IN_TEXT', pointer: f.pointer, raw: f.raw };
    else flags.splice(k, 1);
  }
}

/**
 * An amount as an OCDS value, or null when it is none (a placeholder, an impossible amount: flagged
 * in `flags` unless `said` — the record's flags, when `flags` are a later release's — has it already:
 * one flag per problem, where the mapping raised it).
 */
function valueOf(amount: number | undefined, flags: MappingFlag[], pointer: string, L: Locale, said: readonly MappingFlag[] = flags): Record<string, Json> | null {
  if (amount === undefined) return null;
  if (isPlaceholderAmount(amount) || isImplausibleAmount(amount, L.implausibleAmount)) {
    // A placeholder (or an impossible amount) is not a value: it stays in x_decp (raw) and in the flags, out of OCDS values.
    const code = isPlaceholderAmount(amount) ? 'AMOUNT_PLACEHOLDER' : 'AMOUNT_IMPLAUSIBLE';
    const saidHere = (f: MappingFlag): boolean => f.code === code && f.pointer === pointer;
    if (!flags.some(saidHere) && !said.some(saidHere)) flags.push({ code, pointer, raw: amount });
    return null;
  }
  return { amount, currency: L.currency };
}

/**
 * A modification's new total (a contract's, or a subcontracting act's) against the value so far, as
 * a value, or null when it is none. 0 for something worth something says that the amount was not
 * given (real cases: "modification des dimensions sur le BPU"; a text giving 15 000 € HT), and a
 * negative total is the change (a "moins-value") given where the total belongs: neither is a value,
 * each said (MODIFICATION_AMOUNT_ZERO, MODIFICATION_AMOUNT_NEGATIVE). A new total under half the
 * value so far is a change given where the total belongs (12,173.53 then 6), or a real correction:
 * taken as the total (DECP's rule), said for a reader to check (MODIFICATION_AMOUNT_DROP).
 */
function newTotalOf(amount: number | undefined, soFar: number | undefined, flags: MappingFlag[], pointer: string, L: Locale, said: readonly MappingFlag[]): Record<string, Json> | null {
  if (amount === undefined) return null;
  if (amount === 0 && soFar !== undefined && soFar !== 0) {
    flags.push({ code: 'MODIFICATION_AMOUNT_ZERO', pointer, raw: 0 });
    return null;
  }
  if (amount < 0) {
    flags.push({ code: 'MODIFICATION_AMOUNT_NEGATIVE', pointer, raw: amount });
    return null;
  }
  if (amount > 0 && soFar !== undefined && soFar > 0 && amount < soFar / 2) flags.push({ code: 'MODIFICATION_AMOUNT_DROP', pointer, raw: amount });
  return valueOf(amount, flags, pointer, L, said);
}

function periodOf(start: ParsedDate | undefined, months: number | undefined, L: Locale): Record<string, Json> | null {
  if (!start) return null;
  const p: Record<string, Json> = { startDate: L.dateTime(start) };
  if (months !== undefined) {
    const end = addMonths(start.day, months);
    // a start given at the zone's own offset for its day (Paris, +01:00 in winter) ends at the zone's
    // offset for the end's day (+02:00 in summer); another offset given (+03:00) is kept
    const local = start.zone === null || start.zone === L.offsetOf(start.day);
    p['maxExtentDate'] = `${end}T00:00:00${local ? L.offsetOf(end) : start.zone}`;
    p['durationInDays'] = daysBetween(start.day, end);
  }
  return p;
}

function releaseDate(published: ParsedDate | undefined, concluded: ParsedDate | undefined, ctx: BuildContext, flags: MappingFlag[], pointer: string, L: Locale, fallback?: string, fallbackFlag = 'RELEASE_DATE_FROM_INITIAL', datedBefore?: string): string {
  if (published) return L.dateTime(published);
  if (concluded) {
    flags.push({ code: 'RELEASE_DATE_FROM_NOTIFICATION', pointer });
    return L.dateTime(concluded);
  }
  if (fallback) {
    flags.push({ code: fallbackFlag, pointer });
    return fallback;
  }
  flags.push({ code: 'RELEASE_DATE_FROM_RUN', pointer });
  // (the run's instant in the source's zone, as its other dates: its day and year are that zone's; the
  // first run's, when an earlier run dated this release)
  return L.instant(datedBefore ?? ctx.runDate);
}

/**
 * The awardUpdate releases of a record's subcontracting acts' modifications (2024
 * modificationsActesSousTraitance): the act's new amount and duration, in x_decp.sousTraitance under
 * the act's id (merged into the act's entry). Ids stable from file to file: the act and the day the
 * change was notified (then published). A new amount is the act's new total, checked as a contract's
 * (newTotalOf: 0 or below is none, the act keeps its amount; a drop under half is said) against the
 * act's amount so far (`acts`: the record's acts by id, each with its amount when it is one).
 */
function subcontractUpdates(list: NonNullable<Canonical['subcontractModifications']>, o: { ocid: string; releaseBase: string; awardId: string; acts: ReadonlyMap<string, number | undefined>; at: string; idAt: string; amountAt: string; said: readonly MappingFlag[]; publishedAt: string; initialDate: string | undefined; laterFlag: string }, ctx: BuildContext, L: Locale): Release[] {
  // (ids in the list's order, as they always were)
  const keys = new Map<string, number>();
  const ids = list.map((s, k) => {
    const act = s.id ?? '';
    const day = (s.dateConcluded ?? s.datePublished)?.day.replace(/-/g, '') ?? `n${k + 1}`;
    const base = `s${act === '' ? 'x' : act.replace(/[^0-9A-Za-z_-]/g, '_')}-${day}`;
    const seen = (keys.get(base) ?? 0) + 1;
    keys.set(base, seen);
    return `${o.releaseBase}-${seen === 1 ? base : `${base}-${seen}`}`;
  });
  // the changes in the order they were notified (then published, then listed), as a contract's
  // modifications are (dedupeModifications): an act's amount so far is its change before, and the
  // releases, dated alike (published the same day), merge the latest last (orderDates raises one
  // dated before its act's change before it)
  const dayOf = (s: (typeof list)[number]): string => (s.dateConcluded ?? s.datePublished)?.day ?? '';
  const order = list.flatMap((s, k) => (subcontractModificationEmpty(s) ? [] : [k])).sort((a, b) => (dayOf(list[a]!) < dayOf(list[b]!) ? -1 : dayOf(list[a]!) > dayOf(list[b]!) ? 1 : a - b));
  const soFar = new Map(o.acts);
  return order.map((k) => {
    const s = list[k]!;
    const at = itemAt(o.at, k);
    const sFlags: MappingFlag[] = [];
    const act = s.id ?? '';
    if (act === '') sFlags.push({ code: 'SUBCONTRACT_MODIFICATION_WITHOUT_ACT', pointer: at + o.idAt });
    // an act the record does not list: its entry is made all the same (the act may be in an earlier publication), said
    else if (!o.acts.has(act)) sFlags.push({ code: 'SUBCONTRACT_MODIFICATION_UNKNOWN_ACT', pointer: at + o.idAt, raw: act });
    const id = ids[k]!;
    const entry: Record<string, Json> = { id: `${o.awardId}-${act === '' ? `m${k + 1}` : act}` };
    if (act !== '') entry['acte'] = act;
    if (newTotalOf(s.amount, soFar.get(act), sFlags, at + o.amountAt, L, o.said) !== null) {
      entry['montant'] = s.amount!;
      soFar.set(act, s.amount);
    }
    if (s.months !== undefined) entry['dureeMois'] = s.months;
    if (s.dateConcluded) entry['dateNotificationModification'] = s.dateConcluded.day;
    // (under a key of its own: the act's own publication date stays the act's)
    if (s.datePublished) entry['datePublicationDonneesModification'] = s.datePublished.day;
    const date = releaseDate(s.datePublished, s.dateConcluded, ctx, sFlags, at + o.publishedAt, L, o.initialDate, o.laterFlag);
    const x: Record<string, Json> = { sousTraitance: [entry] };
    if (sFlags.length > 0) x['qualityFlags'] = sFlags.map(flagJson);
    const release: Release = { ocid: o.ocid, id, date, tag: ['awardUpdate'], initiationType: 'tender', language: L.language, awards: [{ id: o.awardId }], x_decp: x };
    datePointers.set(release, at + o.publishedAt);
    return release;
  });
}

/** Where the date of a release other than a modification's comes from, for orderDates' flag. */
const datePointers = new WeakMap<Release, string>();

/**
 * A record's natural persons (the profile says how to know one): their names join `withheld` (no
 * text of x_decp.unmapped equal to one is published), and a flag raised where such a name is read
 * (a name given as an object: TEXT_NOT_A_STRING) keeps no raw value: it would be the name.
 * `orgAt` says where an organisation's fields are (a supplier of the record, or of modification `m`).
 */
function withholdPersons(c: Canonical, modifications: readonly KeyedModification[], flags: MappingFlag[], withheld: Withheld, L: Locale, orgAt: (i: number, m?: KeyedModification) => OrgAt): void {
  const names: string[] = [];
  // (the identifier as given too, when the identifier transform cleaned it: see Locale.isPerson)
  const asGiven = (o: Org, at: OrgAt): Org & { idAsGiven?: string } => {
    const raw = o.id === undefined ? undefined : cleanedAt(flags, at.id)?.raw;
    return typeof raw === 'string' ? { ...o, idAsGiven: raw } : o;
  };
  (c.suppliers ?? []).forEach((o, i) => {
    const at = orgAt(i);
    if (!L.isPerson(asGiven(o, at), at.idType !== undefined)) return;
    if (o.name !== undefined) withheld.keys.add(labelKey(o.name));
    names.push(at.name);
  });
  for (const m of modifications) {
    (m.suppliers ?? []).forEach((o, i) => {
      const at = orgAt(i, m);
      if (!L.isPerson(asGiven(o, at), at.idType !== undefined)) return;
      if (o.name !== undefined) withheld.keys.add(labelKey(o.name));
      names.push(at.name);
    });
  }
  if (names.length === 0) return;
  const near = (p: string): boolean => p !== '' && names.some((n) => p === n || n.startsWith(`${p}/`) || p.startsWith(`${n}/`));
  flags.forEach((f, k) => {
    if (f.raw !== undefined && near(f.pointer)) flags[k] = { code: f.code, pointer: f.pointer };
  });
}

const PLACE_TYPES_REGION = new Set(['departement', 'region']);
/** The place types whose codes are the COG's or NUTS', written in capitals (Corsica's 2A, 2B; FRK). */
const PLACE_TYPES_IN_CAPITALS = new Set(['departement', 'region', 'commune', 'arrondissement', 'canton', 'nuts']);
/**
 * The codes of the COG with letters: Corsica's (`2A`, `2B`, and the communes, arrondissements and
 * cantons under them: `2A004`); a département's on three characters too, `02A`, as `075` is written
 * (made capitals before the shape was asked: found by a review).
 */
const CORSICA_COG_SHAPE = /^(?:0?2[ab]|2[ab]\d{1,3})$/i;
/**
 * A NUTS code: a country's two letters, its level 1 (one letter or digit: `FRK`, `FR1`), its level 2 a
 * digit (`FRK2`), its level 3 a letter or digit (`FRK26`, Bavaria's `DE21A`) — a word of letters
 * (`nord`, `paris`) is no NUTS code.
 */
const NUTS_SHAPE = /^[a-z]{2}(?:[0-9a-z](?:\d[0-9a-z]?)?)?$/i;
/** A place code (digits, or Corsica's 2A/2B) followed by its label, after a space or a dash. */
// (one run of separators: `\s*` then `\s+` backtracked quadratically on a code of spaces)
const PLACE_CODE_WITH_LABEL = /^\s*(\d{1,5}|2[AaBb]\d{0,3})[\s\-–—:,/]+(\p{L}.*)$/su;

function itemOf(awardId: string, c: Canonical, flags: MappingFlag[], L: Locale, P: At): Record<string, Json> {
  const item: Record<string, Json> = { id: awardId };
  if (c.title) item['description'] = c.title;
  if (c.cpv) item['classification'] = { scheme: L.classificationScheme, id: c.cpv.code };
  let code = c.placeCode;
  let placeName = c.placeName;
  // a code written with its label (`75001 Paris`, `13 - Bouches-du-Rhône`, `2A Corse-du-Sud`): the
  // identifier cleaning glued them (`75001Paris`); the code is the code, the label its description
  const labelled = typeof c.placeCodeRaw === 'string' ? PLACE_CODE_WITH_LABEL.exec(c.placeCodeRaw) : null;
  if (code && labelled) {
    code = labelled[1]!.toUpperCase();
    placeName ??= labelled[2]!.trim();
    flags.push({ code: 'PLACE_CODE_WITH_LABEL', pointer: P('placeCode', '/lieuExecution/code'), raw: c.placeCodeRaw as string });
  }
  if (code) {
    let type = c.placeType?.code ?? null;
    // a code given as a number lost its leading zero (1000 for 01000, 1 for the Ain's 01): put back,
    // flagged with the raw. Only one zero can be lost (no postal or commune code starts with 00), and
    // only from a number: a text code of 2 or 4 digits is a département or a truncated code, left as is
    const width = type === 'postalCode' || type === 'commune' ? 5 : type === 'departement' ? 2 : 0;
    if (width > 0 && typeof c.placeCodeRaw === 'number' && /^\d+$/.test(code) && code.length === width - 1) {
      flags.push({ code: 'PLACE_CODE_PADDED', pointer: P('placeCode', '/lieuExecution/code'), raw: code });
      code = code.padStart(width, '0');
    }
    // typeCode is often wrong: a 5-digit code labelled "Code commune" with a trailing 000 is a postal code.
    if (type === 'commune' && /^\d{2}000$/.test(code)) {
      flags.push({ code: 'PLACE_TYPE_CORRECTED', pointer: P('placeType', '/lieuExecution/typeCode'), raw: c.placeType?.label ?? null });
      type = 'postalCode';
    }
    // a code of the COG or of NUTS is written in capitals (Corsica's `2a`, `2b004`; `frk`): the
    // gazetteer's identifier, as the region's, is the code in capitals (as one written with its label
    // is, above); said as an identifier's cleaning, with the code as given. Only a text of a code's
    // shape: a name given as a code (`croix`) is left as it is written
    if (type !== null && PLACE_TYPES_IN_CAPITALS.has(type) && /[a-z]/.test(code) && (type === 'nuts' ? NUTS_SHAPE : CORSICA_COG_SHAPE).test(code)) {
      const at = P('placeCode', '/lieuExecution/code');
      if (cleanedAt(flags, at) === undefined) flags.push({ code: 'ID_CLEANED', pointer: at, raw: typeof c.placeCodeRaw === 'string' ? c.placeCodeRaw : code });
      code = code.toUpperCase();
    }
    const described = placeName ? { description: placeName } : {};
    if (type === 'postalCode') item['deliveryAddresses'] = [{ postalCode: code, countryName: L.countryName, ...described }];
    else if (type !== null && PLACE_TYPES_REGION.has(type)) item['deliveryAddresses'] = [{ region: code, countryName: L.countryName, ...described }];
    // "France entière" (its spaces gone with the identifier cleaning) is France, as are France's
    // codes: INSEE's 99100 and ISO 3166's 250, FR and FRA (a code is no country's name: found by a probe); another INSEE country code (99134, Spain) is one of
    // the COG; another number names no country (a département's 56 under "Code pays"): not a
    // country's name
    else if (type === 'country' && (/^france/i.test(code) || /^fra?$/i.test(code) || code === '99100' || code === '250')) item['deliveryAddresses'] = [{ countryName: 'France', ...described }];
    else if (type === 'country' && /^99\d{3}$/.test(code)) item['deliveryLocations'] = [{ gazetteer: { scheme: 'FR-COG', identifiers: [code] }, ...described }];
    else if (type === 'country' && !/^\d+$/.test(code)) item['deliveryAddresses'] = [{ countryName: code, ...described }];
    else if (type === 'nuts') item['deliveryLocations'] = [{ gazetteer: { scheme: 'NUTS', identifiers: [code] }, ...described }];
    else if (type === 'commune' || type === 'arrondissement' || type === 'canton') item['deliveryLocations'] = [{ gazetteer: { scheme: 'FR-COG', identifiers: [code] }, ...described }];
    else {
      // no type, one we do not know, or a code its type cannot be: the code is not claimed for a
      // gazetteer (raw in x_decp)
      flags.push({ code: 'PLACE_TYPE_UNKNOWN', pointer: P('placeType', '/lieuExecution/typeCode'), raw: c.placeType?.label ?? null });
      item['deliveryLocations'] = [{ description: placeName ?? code }];
    }
  } else if (c.placeName) {
    item['deliveryLocations'] = [{ description: c.placeName }];
  }
  return item;
}

/** UN/CEFACT Recommendation 20 unit codes: two or three capitals or digits (`H87`, `KGM`, `C62`). */
const REC20 = /^[A-Z0-9]{2,3}$/;

/**
 * The record's item lines as OCDS items (tender and contract): each with its own description and
 * classification (else the record's; the record's, when another, as an additional one), its quantity and unit, and its unit price (`unit.value`;
 * from the line's total over its quantity when only the total is given, flagged). The place of the
 * record is every item's. An id given twice (or none) is made unique by the line's position.
 */
function itemLinesOf(lines: readonly ItemLine[], base: Record<string, Json>, flags: MappingFlag[], L: Locale, P: At, skip: ReadonlySet<number> = new Set()): Array<Record<string, Json>> {
  const used = new Set<string>();
  const list = P('items', '/items');
  const at = (i: number, field: string): string => itemAt(list, i, P(`items.${field}`, `/${field}`));
  // (the flags a line's quantity and prices raised as they were read, by their code and pointer, the
  // first of each: a find over the record's flags for each line — its pointer made again for each
  // flag — cost a record of 8,000 lines 2.5 s, quadratic in its lines; the lines add none of these)
  const said = new Map<string, MappingFlag>();
  for (const f of flags) {
    if (f.code !== 'QUANTITY_UNIT_IN_TEXT' && f.code !== 'AMOUNT_CURRENCY_IN_TEXT') continue;
    const key = `${f.code}\u0000${f.pointer}`;
    if (!said.has(key)) said.set(key, f);
  }
  const saidAt = (code: string, pointer: string): MappingFlag | undefined => (said.size === 0 ? undefined : said.get(`${code}\u0000${pointer}`));
  return lines.flatMap((line, i) => (skip.has(i) ? [] : [itemLine(line, i)]));
  function itemLine(line: ItemLine, i: number): Record<string, Json> {
    const item: Record<string, Json> = { ...base };
    // (prefixed with the award's id: lots of one process share its tender, where ids must not collide)
    let id = line.id?.trim() || String(i + 1);
    if (used.has(id)) {
      flags.push({ code: 'ITEM_ID_DUPLICATE', pointer: at(i, 'id'), raw: id });
      id = `${id}-${i + 1}`;
    }
    used.add(id);
    item['id'] = `${String(base['id'])}-${id}`;
    if (line.description) item['description'] = line.description;
    const cpv = typeof line.cpv === 'string' ? line.cpv : line.cpv?.code;
    // (a line's CPV code outside the CPV's divisions classifies nothing, as the record's: said, and the line as without one)
    if (cpv && L.classificationScheme === 'CPV' && !isCpvDivision(cpv)) flags.push({ code: 'CPV_INVALID', pointer: at(i, 'cpv'), raw: typeof line.cpv === 'string' ? line.cpv : line.cpv!.raw });
    else if (cpv) {
      item['classification'] = { scheme: L.classificationScheme, id: cpv };
      // the record's own code, when the line has another: the contract's classification stays said
      const own = base['classification'] as { id?: Json } | undefined;
      if (own !== undefined && own.id !== cpv) item['additionalClassifications'] = [own];
    }
    if (line.quantity !== undefined) {
      if (line.quantity > 0) item['quantity'] = line.quantity;
      else flags.push({ code: 'ITEM_QUANTITY_INVALID', pointer: at(i, 'quantity'), raw: line.quantity });
    }
    const unit: Record<string, Json> = {};
    if (line.unit) unit['name'] = line.unit;
    // (a quantity written with its unit, `10 cajas`, names the unit of a line that names none: the
    // anomalies compare a line by its unit, and one without was compared with none)
    const given = said.size === 0 ? undefined : saidAt('QUANTITY_UNIT_IN_TEXT', at(i, 'quantity'));
    const counted = typeof given?.raw === 'string' ? quantityWithUnit(given.raw) : null;
    if (counted !== null) {
      if (!line.unit && !line.unitCode) unit['name'] = counted.unit;
      // a line whose unit column names another unit than its quantity's text (`10 unidades` beside
      // `caja`, `5 cajas` beside code KGM): the column's unit is published, and the disagreement
      // said — 10 pieces or 10 boxes, the unit price compared is one of them (found by a review: the
      // column won silently). One unit however written (`cajas` and `Caja x 12`, `kilos` and `KGM`) is none.
      const other = line.unit ? unitKey(line.unit) : line.unitCode ? codeUnitKey(line.unitCode) : undefined;
      if (other !== undefined && other !== unitKey(counted.unit)) flags.push({ code: 'QUANTITY_UNIT_MISMATCH', pointer: at(i, 'quantity'), raw: given!.raw });
    }
    if (line.unitCode) {
      const code = line.unitCode.trim().toUpperCase();
      if (REC20.test(code)) {
        unit['scheme'] = 'UNCEFACT';
        unit['id'] = code;
      } else {
        // not a UN/CEFACT code: kept as the unit's name (no scheme is claimed for it)
        flags.push({ code: 'UNIT_CODE_UNKNOWN', pointer: at(i, 'unitCode'), raw: line.unitCode });
        unit['name'] ??= line.unitCode;
      }
    }
    // a figure written in another currency than the record's (`3,00 USD` in euros, flagged
    // AMOUNT_CURRENCY_IN_TEXT by the mapping) is in that currency: published so, and compared with that
    // currency's peers — not as 3 € (found by a review); one that names a currency not told (`$ 3,00`
    // in euros: which dollar or peso?) is no price (null)
    const currencyOf = (field: 'unitPrice' | 'amount'): string | null => {
      const given = saidAt('AMOUNT_CURRENCY_IN_TEXT', at(i, field));
      const named = typeof given?.raw === 'string' ? currencyNamedIn(given.raw, L.currency) : undefined;
      return named === undefined ? L.currency : named;
    };
    const priceCurrency = line.unitPrice !== undefined ? currencyOf('unitPrice') : L.currency;
    const totalCurrency = line.amount !== undefined ? currencyOf('amount') : L.currency;
    // (a placeholder or an implausible price is no price; nor is one of 0 or less, flagged by `amount`)
    let price = line.unitPrice !== undefined && line.unitPrice > 0 && priceCurrency !== null && valueOf(line.unitPrice, flags, at(i, 'unitPrice'), L) !== null ? line.unitPrice : undefined;
    let currency = priceCurrency;
    let fromTotal = false;
    // (a unit price not given, or given as no price — 0 or less, a placeholder: flagged above — is the
    // line's total over its quantity, when both are above 0)
    if (price === undefined && totalCurrency !== null && line.amount !== undefined && line.amount > 0 && line.quantity !== undefined && line.quantity > 0) {
      fromTotal = true;
      currency = totalCurrency;
      const exact = line.amount / line.quantity;
      // (to the millionth, as a price is written; a price below half a millionth keeps six significant
      // digits: rounded, it was published as 0, which is no price)
      const rounded = Math.round(exact * 1e6) / 1e6;
      price = rounded > 0 ? rounded : Number(exact.toPrecision(6));
      flags.push({ code: 'UNIT_PRICE_FROM_TOTAL', pointer: at(i, 'amount'), raw: line.amount });
    }
    if (price !== undefined && currency !== null) unit['value'] = { amount: price, currency };
    // a line's total that is not its quantity times its unit price (past the rounding of a price to
    // the cent: half a cent a unit): the total values the contract (VALUE_FROM_ITEMS), the unit price
    // is compared with peers' — a monitor is told they disagree (raw: the total; a VAT-inclusive
    // total, a quantity in other units, a typo)
    if (price !== undefined && !fromTotal && priceCurrency === totalCurrency && line.amount !== undefined && line.amount > 0 && line.quantity !== undefined && line.quantity > 0
      && Math.abs(line.amount - price * line.quantity) > Math.max(0.01, 0.005 * line.quantity)) {
      flags.push({ code: 'ITEM_AMOUNT_MISMATCH', pointer: at(i, 'amount'), raw: line.amount });
    }
    if (Object.keys(unit).length > 0) item['unit'] = unit;
    return item;
  }
}

/**
 * A record's total from its item lines (each with a quantity and a unit price or a total), when the
 * record gives none; undefined when a line lacks either.
 */
function totalOfLines(lines: readonly ItemLine[], L: Locale): number | undefined {
  let sum = 0;
  // (a placeholder or implausible price is no price: the line's price is left out, flagged, and so is the total)
  const usable = (n: number): boolean => n > 0 && !isPlaceholderAmount(n) && !isImplausibleAmount(n, L.implausibleAmount);
  for (const l of lines) {
    // (a line of 0 or less, or without a quantity, makes the total unknown)
    if (l.amount !== undefined && usable(l.amount)) sum += l.amount;
    else if (l.amount === undefined && l.unitPrice !== undefined && usable(l.unitPrice) && l.quantity !== undefined && l.quantity > 0) sum += l.unitPrice * l.quantity;
    else return undefined;
  }
  return Math.round(sum * 100) / 100;
}

/** A line's figure flagged so may take away from the others (see VALUE_BELOW_ITEMS): the lines' sum is then no floor. */
const NOT_A_FLOOR = new Set(['AMOUNT_NEGATIVE', 'AMOUNT_UNPARSABLE', 'NUMBER_UNPARSABLE']);

/**
 * What a record's item lines add up to at least: each line's total, else its quantity × unit price
 * (a line with neither, or with a placeholder, or one of `leftOut` — by its index —, is left out: the sum is a floor), with the slack of
 * prices rounded to the cent (half a cent a unit, as ITEM_AMOUNT_MISMATCH allows, and a cent); undefined
 * when no line gives either.
 */
function floorOfLines(lines: readonly ItemLine[], L: Locale, leftOut: ReadonlySet<number>): { sum: number; slack: number } | undefined {
  const usable = (n: number | undefined): n is number => n !== undefined && n > 0 && !isPlaceholderAmount(n) && !isImplausibleAmount(n, L.implausibleAmount);
  let sum = 0;
  let slack = 0.01;
  let any = false;
  for (const [k, l] of lines.entries()) {
    if (leftOut.has(k)) continue;
    if (usable(l.amount)) sum += l.amount;
    else if (usable(l.unitPrice) && l.quantity !== undefined && l.quantity > 0) {
      sum += l.unitPrice * l.quantity;
      slack += 0.005 * l.quantity;
    } else continue;
    any = true;
  }
  return any ? { sum, slack } : undefined;
}

/** Where the considerations and techniques are read (the profile's pointers), for their flags. */
interface LabelsAt {
  readonly techniques: string;
  readonly social: string;
  readonly environmental: string;
}

/** Labels that say there is nothing (`Pas de considération sociale`, `Sans objet`): known, and no clause. */
const NOTHING = /^(?:pas d|aucune?\b|sans objet|non\b|neant)/;

/**
 * The labels of a list, those joined in one text (`"Concours, Accord-cadre"`, `;` or `|`) apart: no
 * label of these lists holds one of those marks. Each part is read as a label of its own (only the
 * first was, and the rest went unsaid).
 */
function labelsOf(list: readonly string[] | undefined): readonly string[] {
  if (list === undefined) return [];
  // (the list itself when no label holds several, as nearly every record's: no copy per record)
  if (!list.some((raw) => LABEL_SEPARATOR.test(raw))) return list;
  return list.flatMap((raw) => (LABEL_SEPARATOR.test(raw) ? raw.split(LABEL_SEPARATOR).map((p) => p.trim()).filter((p) => p !== '') : [raw]));
}

const LABEL_SEPARATOR = /[,;|]/;

/** The 2024 techniques, as a codelist of what each says ("": nothing the extension has), for their other spellings. */
const TECHNIQUES: Readonly<Record<string, string>> = {
  'Accord-cadre': 'framework',
  "Système d'acquisition dynamique": 'dps',
  'Enchère électronique': 'auction',
  'Concours': '',
  'Système de qualification': '',
  'Catalogue électronique': '',
};

/**
 * 2024 techniques → the techniques extension. Labels compare as procedures' do (case, accents,
 * punctuation aside: `Accord cadre`, `Système d’acquisition dynamique`); a technique with no OCDS
 * field (Concours, Système de qualification, Catalogue électronique) gives nothing; a label of another
 * spelling (`AC`, `SAD`: respellLabel) is read, CODE_RESPELLED; an unknown label is flagged (CODE_UNKNOWN).
 */
function techniquesOf(c: Canonical, flags: MappingFlag[], at: LabelsAt): Record<string, Json> | null {
  let framework = c.nature?.code === 'framework';
  let dps = false;
  let auction = false;
  for (const raw of labelsOf(c.techniques)) {
    const k = labelKey(raw);
    if (/^accords? cadres?\b/.test(k)) framework = true;
    else if (/^systemes? d acquisitions? dynamiques?\b/.test(k)) dps = true;
    else if (/^encheres? electroniques?\b/.test(k)) auction = true;
    else if (!/^(?:concours|systemes? de qualification|catalogues? electroniques?)\b/.test(k) && !NOTHING.test(k)) {
      // (another spelling, `AC`, `SAD`, as every codelist's labels are read: CODE_RESPELLED)
      const other = respellLabel(raw, TECHNIQUES);
      if (other === null || !('code' in other)) flags.push({ code: other === null ? 'CODE_UNKNOWN' : 'CODE_AMBIGUOUS', pointer: at.techniques, raw });
      else {
        flags.push({ code: 'CODE_RESPELLED', pointer: at.techniques, raw });
        if (other.code === 'framework') framework = true;
        else if (other.code === 'dps') dps = true;
        else if (other.code === 'auction') auction = true;
      }
    }
  }
  if (!framework && !dps && !auction) return null;
  const out: Record<string, Json> = {};
  if (framework) out['hasFrameworkAgreement'] = true;
  if (dps) out['hasDynamicPurchasingSystem'] = true;
  if (auction) out['hasElectronicAuction'] = true;
  return out;
}

/**
 * 2024 considerations → the sustainability extension, labels compared as techniques' are (`Clauses
 * sociales`, `Critères environnementaux`). `has` is true when a clause is named, false when every
 * label says there is none ("Pas de …"), undefined when the source says nothing or only what is not
 * understood (flagged CODE_UNKNOWN: an unknown label is not "no clause").
 */
function sustainabilityOf(c: Canonical, flags: MappingFlag[], at: LabelsAt): { has: boolean | undefined; list: Array<Record<string, Json>> } {
  const out: Array<Record<string, Json>> = [];
  let unknown = false;
  let said = false;
  const add = (goal: string, strategy: string | null): void => {
    const existing = out.find((s) => s['goal'] === goal);
    if (existing && strategy) {
      const st = existing['strategies'] as string[];
      if (!st.includes(strategy)) st.push(strategy);
    } else if (!existing) out.push(strategy ? { goal, strategies: [strategy] } : { goal });
  };
  const read = (labels: readonly string[] | undefined, goal: 'social' | 'environmental', pointer: string): void => {
    for (const raw of labelsOf(labels)) {
      said = true;
      const k = labelKey(raw);
      if (goal === 'social' ? /^clauses? sociales?\b/.test(k) : /^clauses? environnementales?\b/.test(k)) add(goal, 'contractPerformanceConditions');
      else if (goal === 'social' ? /^criteres? soci/.test(k) : /^criteres? environnement/.test(k)) add(goal, 'awardCriteria');
      else if (goal === 'social' && /\breservee?s?\b/.test(k)) add(goal, 'reservedParticipation');
      else if (!NOTHING.test(k)) {
        unknown = true;
        flags.push({ code: 'CODE_UNKNOWN', pointer, raw });
      }
    }
  };
  read(c.socialConsiderations, 'social', at.social);
  read(c.environmentalConsiderations, 'environmental', at.environmental);
  if (c.innovative === true) add('economic.innovativePurchase', null);
  const has = out.length > 0 ? true : unknown || (!said && c.innovative === undefined) ? undefined : false;
  return { has, list: out };
}

/** Execution modes that make a subsequent contract (labelKey's). */
const SUBSEQUENT_MODE = /^(?:marches? subsequents?|mixte)\b/;

/**
 * A subsequent contract's framework agreement (2019: nature "Marché subséquent"; 2024: execution
 * "Marchés subséquents", the interim "Marché subséquent" or "Mixte"), with the framework's ocid when idAccordCadre gives it. An idAccordCadre
 * without a subsequent contract (purchase orders under the framework itself, often its own id) is
 * kept in x_decp, not linked. A framework agreement itself (technique Accord-cadre) is no subsequent
 * contract: its execution mode "Marchés subséquents" (or "Mixte") says how it is carried out, by
 * subsequent contracts, not that it is one.
 */
function relatedProcessesOf(c: Canonical, ctx: BuildContext, buyerId: string, ownOcid: string, flags: MappingFlag[], frameworkAt: string, isFramework: boolean): Array<Record<string, Json>> | null {
  // (the 2.0.3 label "Marchés subséquents"; the interim 2.0.0's "Marché subséquent", and "Mixte":
  // purchase orders and subsequent contracts)
  const subsequent = c.nature?.code === 'subsequent' || (!isFramework && labelsOf(c.executionModes).some((m) => SUBSEQUENT_MODE.test(labelKey(m))));
  if (!subsequent) return null;
  // (a placeholder, `NC`, `0000000000`, names no framework: as an ocid it would be one shared by
  // every such contract of the buyer)
  if (c.frameworkId && isPlaceholderId(c.frameworkId)) flags.push({ code: 'ID_PLACEHOLDER', pointer: frameworkAt, raw: c.frameworkId });
  else if (c.frameworkId) {
    const identifier = ocidFor(ctx.ocidPrefix, buyerId, c.frameworkId, '2024', 0);
    // the id names the framework: lots of one ocid under different frameworks keep each theirs
    if (identifier !== ownOcid) return [{ id: `framework-${identifier}`, relationship: ['framework'], scheme: 'ocid', identifier }];
  }
  return [{ id: 'framework', relationship: ['framework'] }];
}

function flagJson(f: MappingFlag): Record<string, Json> {
  const out: Record<string, Json> = { code: f.code, pointer: f.pointer };
  if (f.raw !== undefined) out['raw'] = f.raw as Json;
  return out;
}

/** The 2019 formePrix values (by labelKey), as the 2024 typesPrix names them. */
const PRICE_TYPES_2019: ReadonlyMap<string, string> = new Map([
  ['ferme', 'Définitif ferme'],
  ['ferme et actualisable', 'Définitif actualisable'],
  ['actualisable', 'Définitif actualisable'],
  ['revisable', 'Définitif révisable'],
]);

/**
 * The same as a codelist, for their other spellings (respellLabel: `Révisables`, `Prix fermes`), with
 * the 2024 typesPrix a 2019 formePrix field may give (`Définitif révisable`, `Provisoire`). The 2024
 * formePrix (Unitaire, Forfaitaire, Mixte) is none of these: kept as it is.
 */
const PRICE_TYPE_LABELS: Readonly<Record<string, string>> = {
  'Ferme': 'Définitif ferme',
  'Ferme et actualisable': 'Définitif actualisable',
  'Actualisable': 'Définitif actualisable',
  'Révisable': 'Définitif révisable',
  'Prix ferme': 'Définitif ferme',
  'Prix ferme et actualisable': 'Définitif actualisable',
  'Prix actualisable': 'Définitif actualisable',
  'Prix révisable': 'Définitif révisable',
  'Définitif ferme': 'Définitif ferme',
  'Définitif actualisable': 'Définitif actualisable',
  'Définitif révisable': 'Définitif révisable',
  'Provisoire': 'Provisoire',
};

/**
 * A formePrix's 2024 typesPrix: its 2019 label's, or another spelling's, said (CODE_RESPELLED); one
 * of two (`Ferme / Révisable`) is none, said (CODE_AMBIGUOUS), the formePrix kept as given.
 */
function priceTypeOf(form: string | undefined, flags: MappingFlag[], pointer: string): string | undefined {
  if (form === undefined) return undefined;
  const known = PRICE_TYPES_2019.get(labelKey(form));
  if (known !== undefined) return known;
  const other = respellLabel(form, PRICE_TYPE_LABELS);
  if (other === null) return undefined;
  if (!('code' in other)) {
    flags.push({ code: 'CODE_AMBIGUOUS', pointer, raw: form });
    return undefined;
  }
  flags.push({ code: 'CODE_RESPELLED', pointer, raw: form });
  return other.code;
}

function xDecpOf(c: Canonical, source: SourceInfo, flags: MappingFlag[], isConcession: boolean, awardId: string, actIds: readonly string[], priceFormAt: string, withheld?: Withheld, namesPerson: (text: string) => boolean = () => false): Record<string, Json> {
  const x: Record<string, Json> = {
    id: c.id ?? null,
    recordType: isConcession ? 'contrat-concession' : 'marche',
    formatVersion: source.version,
    sourceFile: source.file,
    sourceSha256: source.sha256,
    sourceIndex: source.index,
    sourceLine: source.line,
  };
  const put = (k: string, v: Json | undefined): void => {
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) x[k] = v;
  };
  put('uid', c.uid);
  put('sourceDataset', c.sourceDataset);
  put('sourceType', c.sourceType);
  put('nature', c.nature?.label);
  if (isConcession) x['contractType'] = 'concession';
  put('cpvRaw', c.cpv && c.cpv.raw !== c.cpv.code ? c.cpv.raw : undefined);
  put('dureeMois', c.months);
  put('montant', c.amount);
  if (c.placeCode || c.placeName || c.placeType) {
    const l: Record<string, Json> = {};
    // (the code as given — `75001 Paris`, `1000` for 01000 —: the items' address has it cleaned; none
    // when it was withheld, a person's name, or a placeholder)
    if (c.placeCode) l['code'] = typeof c.placeCodeRaw === 'string' || typeof c.placeCodeRaw === 'number' ? String(c.placeCodeRaw) : c.placeCode;
    if (c.placeType) l['typeCode'] = c.placeType.label;
    if (c.placeName) l['nom'] = c.placeName;
    x['lieuExecution'] = l;
  }
  // the 2019 formePrix says how the price varies (Ferme, Révisable…): the 2024 typesPrix, in its
  // words; the 2024 formePrix (Unitaire, Forfaitaire, Mixte) says how it is made up
  // (a record that gives its typesPrix keeps its formePrix as given: nothing read from it, nothing said)
  const priceType = c.priceTypes === undefined ? priceTypeOf(c.priceForm, flags, priceFormAt) : undefined;
  if (priceType !== undefined) put('typesPrix', [priceType]);
  else {
    put('formePrix', c.priceForm);
    put('typesPrix', c.priceTypes);
  }
  put('techniques', c.techniques);
  put('modalitesExecution', c.executionModes);
  put('considerationsSociales', c.socialConsiderations);
  put('considerationsEnvironnementales', c.environmentalConsiderations);
  put('marcheInnovant', c.innovative);
  put('ccag', c.ccag);
  put('attributionAvance', c.advancePayment);
  put('tauxAvance', c.advanceRate);
  put('origineUE', c.originEU);
  put('origineFrance', c.originFrance);
  put('typeGroupementOperateurs', c.groupingType);
  put('idAccordCadre', c.frameworkId);
  // (DGFiP's 2019 XSD: no OCDS 1.1 field without the eu extension, which is not declared)
  put('urlProfilAcheteur', c.buyerProfileUrl);
  put('dateTransmissionDonneesEtalab', c.dateTransmitted?.day);
  put('montantSubventionPublique', isConcession ? c.subsidy : undefined);
  if (c.subcontracts && c.subcontracts.some((s) => !subcontractEmpty(s))) {
    x['sousTraitance'] = c.subcontracts.flatMap((s, i) => {
      if (subcontractEmpty(s)) return [];
      // (under the award's id: lots of one ocid number their acts alike, and the entries merge by id)
      const o: Record<string, Json> = { id: `${awardId}-${actIds[i]!}` };
      if (s.id !== undefined) o['acte'] = s.id;
      if (s.amount !== undefined) o['montant'] = s.amount;
      if (s.months !== undefined) o['dureeMois'] = s.months;
      if (s.dateConcluded) o['dateNotification'] = s.dateConcluded.day;
      if (s.datePublished) o['datePublicationDonnees'] = s.datePublished.day;
      if (s.priceVariation) o['variationPrix'] = s.priceVariation;
      return [o];
    });
  }
  if (flags.length > 0) x['qualityFlags'] = flags.map(flagJson);
  // last: a compiled release leaves it out (omitWhenMerged), and the run then splices the compiled
  // release's JSON from the release's (transform/compile/merge.ts compiledReleaseText)
  if (source.unmapped !== undefined) {
    // (a person named there, by a civility or a status, is then withheld in the other texts too)
    const kept = scrubbedOf(source.unmapped, (text) => {
      if (withheld !== undefined && withheld.keys.size > 0 && withheld.keys.has(labelKey(text))) return true;
      if (!namesPerson(text)) return false;
      withheld?.found.push(text);
      return true;
    });
    // a key that names a person (`{"Mme Jeanne DUPONT": …}`) keeps its value: its name's words are
    // masked with the record's other texts (withholdEverywhere), as the value's would be
    for (const k of keysOf(kept)) if (namesPerson(k)) withheld?.found.push(k);
    if (kept !== undefined) x['unmapped'] = kept as Json;
  }
  return x;
}

/**
 * A value without the texts `withheld` says are a person's: equal to a withheld name (labelKey: case,
 * accents, punctuation aside: the legal representative of a natural person is often that person, and
 * a column may repeat it), or naming a person by settings.personNames (a holder's name that no
 * field reads).
 */
function scrubbedOf(v: unknown, withheld: (text: string) => boolean): unknown {
  // (copied only when something is left out: most records withhold nothing)
  return holdsWithheld(v, withheld) ? scrubbed(v, withheld) : v;
}

/** Every key of a JSON value's objects, at any depth. */
function keysOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(keysOf);
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...keysOf(x)]);
  return [];
}

function holdsWithheld(v: unknown, withheld: (text: string) => boolean): boolean {
  if (typeof v === 'string') return withheld(v);
  if (Array.isArray(v)) return v.some((x) => holdsWithheld(x, withheld));
  if (v !== null && typeof v === 'object') {
    for (const k in v) if (holdsWithheld((v as Record<string, unknown>)[k], withheld)) return true;
  }
  return false;
}

function scrubbed(v: unknown, withheld: (text: string) => boolean): unknown {
  if (typeof v === 'string') return withheld(v) ? undefined : v;
  if (Array.isArray(v)) return v.map((x) => scrubbed(x, withheld) ?? null);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    let person = false;
    for (const [k, x] of Object.entries(v)) {
      const y = scrubbed(x, withheld);
      if (y !== undefined) out[k] = y;
      else if (typeof x === 'string') person = true;
    }
    // an object one of whose texts is a person's describes that person: its other name fields go
    // with it (`{"civilite": "Madame", "nom": "…", "prenom": "…"}`)
    if (person) for (const k of Object.keys(out)) if (typeof out[k] === 'string' && NAME_KEY.test(k)) delete out[k];
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return v;
}

/** Keys of a person's name fields, whole, in the languages of the profiles (nom, prénom, name, nombre, apellido, civilité; not nomenclature). */
const NAME_KEY = /^(?:nom|noms|name|names|pr[ée]noms?|first_?name|last_?name|given_?name|family_?name|surname|nombres?|apellidos?|civilit[ée])$/i;

/** A record's natural persons: the names withheld (as given, and by labelKey), and the party ids they have. */
interface Withheld {
  readonly keys: Set<string>;
  /** The withheld parties' names (and identifiers that were names). */
  readonly names: string[];
  /** Other texts that name a person (an unmapped holder, a flag's value): taken as names when short. */
  readonly found: string[];
  readonly ids: Set<string>;
}

/** A person's organisation by its identifier (type and cleaned id), to know it again in the record. */
const personKey = (org: Org, L: Locale): string | undefined => {
  const id = cleanIdentifier(org.id, L.isSiret(org.idType))?.id;
  const scheme = L.scheme(org.idType);
  return id === undefined || id === '' ? undefined : `${scheme}|${inCapitals(id, scheme, L)}`;
};

/**
 * The record's natural persons are named nowhere in its releases (RGPD): a party (and every
 * reference to it) whose identifier names a person somewhere in the record has no name; a flag
 * whose raw value names a person (a civility, a sole trader's status: settings.personNames) or
 * holds a withheld name keeps no raw value; and every free text (a title, a description, an
 * amendment's rationale, a party's name, what is unmapped) that holds a withheld name's words (all
 * of them, in any order, any case, with or without accents — or the surname alone, see below: a
 * title "attributaire DUPONT Jean EI", a representative's column "Jean DUPONT") has those words
 * masked, said by a PERSON_NAME_WITHHELD flag on its release. Codes, dates, amounts and ids are
 * never masked. The names whose words are looked for are the withheld parties' and, of the texts
 * that name a person elsewhere (an unmapped concession holder, a flag's value), those short enough
 * to be a name: a sentence that starts with a civility ("M. le Directeur des services de la Ville
 * de …") is left out whole where it is, not taken word by word.
 */
function withholdEverywhere(releases: Release[], w: Withheld, L: Locale): void {
  const ids = new Set<string>();
  if (w.ids.size > 0) {
    for (const r of releases) for (const p of (r['parties'] as Array<Record<string, Json>> | undefined) ?? []) {
      const identifier = p['identifier'] as Record<string, Json> | undefined;
      if (identifier !== undefined && w.ids.has(`${String(identifier['scheme'])}|${String(identifier['id'])}`)) ids.add(p['id'] as string);
    }
  }
  const flagsOf = (r: Release): Array<Record<string, Json>> => ((r['x_decp'] as Record<string, Json> | undefined)?.['qualityFlags'] as Array<Record<string, Json>> | undefined) ?? [];
  // a flag's raw value that names a person (a second denominationSociale "M. Jean DUPONT"): left
  // out, and that person withheld in the other texts
  for (const r of releases) {
    for (const f of flagsOf(r)) {
      if (f['raw'] === undefined) continue;
      const named = textsOf(f['raw']!).filter((t) => L.namesPerson(t));
      if (named.length === 0) continue;
      w.found.push(...named);
      delete f['raw'];
    }
  }
  // a free text that names a person itself, whom no field of the record names (a title `DUPONT Jean
  // EI`, `Séance photo avec Mme Jeanne DUPONT`, a place `chez M. Paul MARTIN`): the words written as
  // a name beside the civility or the status are found, and masked wherever the record writes them
  // (a walk that builds no list and skips the values that hold no free text: the first form, a list
  // of every text of every release, cost convert 30 % more CPU on 100,000 records, 7.1 → 9.7 CPU-s;
  // this one about 8 %, 7.1 → 7.7, most of it the person checks of the texts)
  if (L.namesPersons) {
    const visit = (t: string): void => {
      if (L.namesPerson(t)) w.found.push(...namesBesideMarks(t, L));
    };
    for (const r of releases) eachFreeText(r, '', visit);
  }
  // the words of the names and where a text holds them: the matcher validate's reports use too
  const matcher = personWords(L, w.names, w.found);
  // (most records name no person: nothing else to look at)
  if (matcher.empty && ids.size === 0) return;
  const holds = (text: string, raw = false): Set<string> | undefined => matcher.holds(text, raw);
  for (const r of releases) {
    const flags = flagsOf(r);
    for (const f of flags) if (f['raw'] !== undefined && textsOf(f['raw']!).some((t) => holds(t) !== undefined)) delete f['raw'];
    let masked = false;
    // free texts masked, as given, and the source's values left as given: a value echoed as given
    // (x_decp.lieuExecution.nom) is masked as the free text made of it is (an item's delivery
    // description), else it gives back the surname the free text hides
    const maskedTexts = new Map<string, Set<string>>();
    const keptRaw: Array<[Record<string, Json> | Json[], string | number]> = [];
    const mask = (text: string, ws: Set<string>): string => {
      const out = maskWords(text, ws);
      if (out !== text) masked = true;
      return out;
    };
    // `mode`: FREE, a free text (FREE_TEXT keys, anything unmapped); RAW, a source's value as given
    // (RAW_TEXT keys); NONE, codes. `inName`: the words of a name an unmapped object gives in several
    // fields, `{"nom": …, "prenom": …}`
    const walk = (v: Json, key: string, mode: TextMode, inName?: Set<string>): Json => {
      if (typeof v === 'string') {
        if (mode === NONE) return v;
        const ws = holds(v, mode === RAW);
        if (ws !== undefined && mode === FREE) maskedTexts.set(v, ws);
        if (ws !== undefined) v = mask(v, ws);
        return inName === undefined ? v : mask(v, inName);
      }
      if (Array.isArray(v)) {
        for (let k = 0; k < v.length; k++) {
          const y = walk(v[k]!, key, mode);
          if (mode === RAW && typeof y === 'string' && y === v[k]) keptRaw.push([v, k]);
          v[k] = y;
        }
        return v;
      }
      if (v !== null && typeof v === 'object') {
        if (ids.size > 0 && typeof v['id'] === 'string' && ids.has(v['id']) && 'name' in v) delete v['name'];
        // (a person's object has a few texts: a row's many columns are no one's name)
        let split: Set<string> | undefined;
        if (mode !== NONE && !matcher.empty) {
          let texts = '';
          let n = 0;
          for (const k in v) if (typeof v[k] === 'string' && ++n <= SPLIT_NAME_FIELDS) texts += ` ${v[k] as string}`;
          if (texts !== '' && n <= SPLIT_NAME_FIELDS) split = holds(texts, mode === RAW);
        }
        for (const k in v) {
          const x = v[k]!;
          if (x === flags) continue;
          const raw = mode === RAW || RAW_TEXT.has(k);
          // (ids and provenance among the source's values are never masked: `x_decp.id`, `idAccordCadre`, `sourceFile`)
          // (an organisation's name is read as a source's value: it names the person when it holds all
          // of the name's words — `COMMUNE DE FONTAINE`, `FONTAINE ET FILS SARL` are not M. Julien FONTAINE)
          const here = mode === FREE || FREE_TEXT.has(k) || k === 'unmapped' ? FREE : (raw || k === 'name') && !RAW_IDS.test(k) ? RAW : NONE;
          // (codes, dates, amounts: nothing to look at)
          if (typeof x !== 'object' && (here === NONE || typeof x !== 'string')) continue;
          const y = walk(x, k, here, split);
          // (an organisation's name is no echo: a title that repeats it masked leaves it alone)
          if (here === RAW && typeof x === 'string' && y === x && (k !== 'name' || mode === RAW)) keptRaw.push([v, k]);
          if (y === x) continue;
          v[k] = y;
          // a party's name that was only a person's name: none
          if (k === 'name' && typeof y === 'string' && !saysMoreThanMasks(y)) delete v[k];
        }
        // a free text's keys are the source's too (an unmapped `{"Jean DUPONT": …}`): masked as its
        // texts are, in their place
        if (mode === FREE && !matcher.empty) renameKeys(v, (k) => maskedKey(k, (t) => {
          const ws = holds(t);
          return ws === undefined ? t : mask(t, ws);
        }));
      }
      return v;
    };
    walk(r, '', NONE);
    for (const [o, k] of keptRaw) {
      const text = (o as Record<string | number, Json>)[k] as string;
      const ws = maskedTexts.get(text);
      if (ws !== undefined) (o as Record<string | number, Json>)[k] = mask(text, ws);
    }
    if (masked) addFlag(r, { code: 'PERSON_NAME_WITHHELD', pointer: '' });
  }
}

/**
 * The keys of a release under which no free text is looked for: x_decp, the parties (a party has no
 * free text: its names are withheld as names), and values made of codes, numbers and dates only.
 */
const NO_FREE_TEXT: ReadonlySet<string> = new Set(['x_decp', 'parties', 'tag', 'value', 'period', 'contractPeriod', 'tenderPeriod', 'identifier', 'classification', 'additionalClassifications', 'unit', 'suppliers', 'buyer', 'relatedProcesses']);

/** Each free text of a release (FREE_TEXT keys: titles, descriptions, rationales) but under NO_FREE_TEXT keys, given to `visit`. */
function eachFreeText(v: Json, key: string, visit: (text: string) => void): void {
  // (a leaf's key looked at before a call: most of a release's values are no free text)
  if (Array.isArray(v)) {
    for (const x of v) {
      if (typeof x === 'string') {
        if (FREE_TEXT.has(key)) visit(x);
      } else if (x !== null && typeof x === 'object') eachFreeText(x, key, visit);
    }
  } else if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      const x = v[k]!;
      if (typeof x === 'string') {
        if (FREE_TEXT.has(k)) visit(x);
      } else if (x !== null && typeof x === 'object' && !NO_FREE_TEXT.has(k)) eachFreeText(x, k, visit);
    }
  }
}

/** The texts of a JSON value (a flag's raw: a text, or an object a name was given as). */
function textsOf(v: Json): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(textsOf);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(textsOf);
  return [];
}

/** How withholdEverywhere reads a text: codes, a free text, a source's value as given. */
const NONE = 0;
const FREE = 1;
const RAW = 2;
type TextMode = typeof NONE | typeof FREE | typeof RAW;

/** The keys of free texts in a release (where a person's name may be written): the others hold codes, dates, amounts, ids. */
const FREE_TEXT: ReadonlySet<string> = new Set(['title', 'description', 'rationale']);

/**
 * The keys of the source's values as given: `x_decp` (a place's name, a label not in a codelist) and
 * a procedure's label. Codes mostly, whose words may be a surname too (`Ferme`, a price form, is
 * Mme Anne FERME's): a text there is masked when it holds every word of a name, not its surname alone.
 */
const RAW_TEXT: ReadonlySet<string> = new Set(['x_decp', 'procurementMethodDetails']);

/** Keys of ids and provenance among those values: never masked (they name records and files, as the ocid does). */
const RAW_IDS = /^(?:id|ocid|acte|id[A-Z].*|source[A-Z].*)$/;


