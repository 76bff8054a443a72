/**
 * What is national in a mapping: currency, language, time zone, identifier
 * schemes. The DECP defaults are French (EUR, fr, Europe/Paris, SIRET under
 * FR-RCS, other types under FR-DECP-<TYPE>); a partner's profile overrides them
 * in its `settings` block (docs/mappings.md). Pure.
 */
import { unicodeRegExp } from './unicode-regexp.js';
import { instantInZone, parisOffset, type DateOrder, type ParsedDate } from './dates.js';
import { labelKey } from './functions.js';
import { IMPLAUSIBLE_AMOUNT } from './amounts.js';

export interface LocaleSettings {
  /**
   * The partner's own registered OCID prefix (`ocds-` and six lower-case letters or digits) and the
   * packages' publisher: what --ocid-prefix and --publisher-name / --publisher-uri say when not given.
   */
  readonly ocidPrefix?: string;
  readonly publisher?: { readonly name: string; readonly uri?: string };
  /** ISO 4217 currency of amounts (default EUR). */
  readonly currency?: string;
  /** Language of texts, ISO 639-1 (default fr). */
  readonly language?: string;
  /** A fixed UTC offset for source days ("-05:00"); default: Europe/Paris with its summer time. */
  readonly utcOffset?: string;
  /**
   * The order of day and month in a date written with its year last (`08/11/2026`): `day-first`
   * (the default, as French writes it) or `month-first` (a US-style export: Socrata's `08/11/2026 12:00:00 AM`).
   */
  readonly dateOrder?: DateOrder;
  /** Identifier type label → org-id scheme (default: SIRET → FR-RCS). */
  readonly schemes?: Readonly<Record<string, string>>;
  /**
   * The identifier types the source format knows, each with regular expressions (case-insensitive,
   * matched against the label without case, accents nor punctuation: `N° SIRET` is `n siret`) that
   * find its other spellings. A label one of them finds is read as that type (ID_TYPE_RESPELLED); a
   * label none knows is published under schemePrefix as given (ID_TYPE_UNKNOWN). Without it, every
   * label is taken as given, unflagged.
   */
  readonly idTypes?: Readonly<Record<string, readonly string[]>>;
  /** Scheme prefix for identifier types not listed (default FR-DECP-). */
  readonly schemePrefix?: string;
  /** Type of identifiers given without a type, and of buyers (default SIRET). */
  readonly defaultIdType?: string;
  /**
   * Type of the buyers' identifiers when the profile reads none (`buyerIdType`), where they are not
   * of the suppliers' default type: a buying unit's own code (Mexico's `Clave de la UC`, Argentina's
   * `SAF`) beside suppliers' tax numbers (default: defaultIdType).
   */
  readonly buyerIdType?: string;
  /** Check SIRETs (14 digits, Luhn) and flag bad ones (default true). */
  readonly checkSiret?: boolean;
  /**
   * Each record id names one contract, never lots sharing one (SECOP II's id_contrato): its award is
   * named by the id, not by its content, so that a later publication of the contract with another value
   * (a register's snapshot of the current state) is the same award, its release replacing the earlier
   * (default false: DECP's lots share their procedure's id).
   */
  readonly oneContractPerId?: boolean;
  /** The decimal separator of amounts written as text (default ","): decides "1,234" and "1.234". */
  readonly decimalSeparator?: ',' | '.';
  /** From this amount on, an amount is implausible, kept out of values and flagged (default 1e12). */
  readonly implausibleAmount?: number;
  /** The scheme of the items' classification (default CPV; another is read as text: UNSPSC…). */
  readonly classificationScheme?: string;
  /** The country of postal codes and regions of places (default France). */
  readonly countryName?: string;
  /**
   * How CSV files are read (their rows are `unknown` records): the separator (default: detected),
   * the column(s) whose equal values on consecutive rows make one record (item lines of a
   * contract), and the key under which such a record lists its rows (default `lines`).
   */
  readonly csv?: { readonly delimiter?: string; readonly groupBy?: string | readonly string[]; readonly lines?: string; readonly encoding?: string };
  /**
   * Identifier types that name natural persons (a Colombian "Cédula de Ciudadanía"): an
   * organisation identified so is published without its name (RGPD), flagged PERSON_NAME_WITHHELD.
   */
  readonly personIdTypes?: readonly string[];
  /**
   * Identifier types that name organisations only (Colombia's NIT). With personIdTypes, an
   * organisation whose type the profile reads (suppliers) and that comes with no type, an empty one,
   * or one neither list knows (`No Definido`, a column the extract left out) is taken as a natural
   * person: its name is withheld (the safe side; RGPD). Without it, such an organisation has the
   * default type (defaultIdType) and keeps its name.
   */
  readonly organisationIdTypes?: readonly string[];
  /**
   * The form a natural person's identifier takes in a scheme that names organisations and persons
   * alike (Argentina's CUIT: 20, 23, 24 or 27 first for a person; Mexico's 13-character RFC): each a
   * regular expression matched, without case, on the organisation's scheme as published
   * (`settings.schemes`: `AR-CUIT`), and one matched on its identifier as the profile read it
   * (`20234567893`, the identifier transform's output). Such an organisation is a person whatever
   * its type label, as for personIdTypes: its name is withheld (RGPD). The shape of
   * mappings/ocds-persons.json's personIdentifiers, so that a partner's CSV and its OCDS data are
   * protected by the same rules.
   */
  readonly personIdentifiers?: readonly { readonly scheme: string; readonly id: string }[];
  /**
   * Regular expressions (case-insensitive) that find a natural person in an organisation's name,
   * whatever its identifier: a French sole trader's `EI`, `entrepreneur individuel`, a civility
   * (`Mme`, `M.`). Such a name is withheld as a person type's is, and a reject whose record holds
   * one anywhere is not quoted (rejectQuotesPerson).
   */
  readonly personNames?: readonly string[];
  /**
   * Regular expressions (case-insensitive) that find a natural person's own legal status in a name:
   * a French sole trader's `EI`, `entrepreneur individuel`. Such a name is a person's whatever
   * companyNames finds in it (`Ets DUPONT Paul EI`: a sole trader may trade as "établissements");
   * otherwise as personNames.
   */
  readonly soleTraderNames?: readonly string[];
  /**
   * Regular expressions (case-insensitive) that find a company in a name that personNames finds a
   * person in: a legal form (`MME BTP SAS`), a collective (`Union des auto-entrepreneurs`). Such a
   * name is not a person's (unless soleTraderNames finds one in it).
   */
  readonly companyNames?: readonly string[];
  /** Where a JSON document keeps its records: the root key(s) of their list (`{"contratos": […]}`). */
  readonly json?: { readonly records?: string | readonly string[] };
}

export interface Locale {
  readonly currency: string;
  /** See LocaleSettings.implausibleAmount. */
  readonly implausibleAmount: number;
  /** See LocaleSettings.classificationScheme. */
  readonly classificationScheme: string;
  /** See LocaleSettings.countryName. */
  readonly countryName: string;
  readonly language: string;
  readonly defaultIdType: string;
  /** See LocaleSettings.buyerIdType (defaultIdType when not given). */
  readonly buyerIdType: string;
  /** See LocaleSettings.oneContractPerId. */
  readonly oneContractPerId: boolean;
  /** Midnight of a source day, in the source zone or the locale's. */
  dateTime(d: ParsedDate): string;
  offsetOf(day: string): string;
  /** An instant written in UTC (the run's date) at the source zone's offset then (instantInZone). */
  instant(iso: string): string;
  scheme(idType: string | undefined): string;
  /**
   * An identifier type as the profile knows it (settings.idTypes): the label given, or the type whose
   * spelling it is, with the flag that says so; the label as given, unflagged, without the setting.
   */
  idType(idType: string | undefined): { readonly type: string | undefined; readonly flag?: 'ID_TYPE_RESPELLED' | 'ID_TYPE_UNKNOWN' };
  /** Should identifiers of this type be checked as SIRETs? */
  isSiret(idType: string | undefined): boolean;
  /**
   * Is this organisation a natural person: its identifier type (settings.personIdTypes; `typed`: the
   * profile reads its type, where a type organisationIdTypes does not know is a person's), or its name
   * (settings.personNames)?
   */
  isPerson(org: { readonly idType?: string | undefined; readonly name?: string | undefined; readonly id?: string | undefined; readonly idAsGiven?: string | undefined }, typed?: boolean): boolean;
  /** Is this text (a name, a field's value) a person's name (settings.soleTraderNames, or personNames and not companyNames)? */
  namesPerson(text: string): boolean;
  /** Does a text of several values (a reject's excerpt) hold what settings.personNames or soleTraderNames look for, anywhere? */
  quotesPerson(text: string): boolean;
  /** A person's name as the words that name them (labelKey's, two letters or more): without what personNames and soleTraderNames find (`Mme`, `EI`). */
  nameWords(name: string): string[];
  /** Does the profile say how to know a person (else no organisation is one: nothing to look for)? */
  readonly namesPersons: boolean;
}

export function createLocale(s: LocaleSettings = {}): Locale {
  const defaultIdType = s.defaultIdType ?? 'SIRET';
  // (an identifier type compared without case, accents, spaces nor dots: `D.N.I.` is `DNI`, `C. C.` is `CC`)
  // (remembered: asked for every identifier of every record, of a handful of labels; bounded)
  const typeKeys = new Map<string, string>();
  const typeKey = (t: string): string => {
    let k = typeKeys.get(t);
    if (k === undefined) {
      k = labelKey(t).replaceAll(' ', '');
      if (typeKeys.size >= 1000) typeKeys.clear();
      typeKeys.set(t, k);
    }
    return k;
  };
  const schemes = new Map(Object.entries(s.schemes ?? { SIRET: 'FR-RCS' }).map(([k, v]) => [typeKey(k), v]));
  const prefix = s.schemePrefix ?? 'FR-DECP-';
  const idTypes = s.idTypes === undefined ? null : Object.entries(s.idTypes).filter(([type]) => type !== '$comment').map(([type, spellings]) => ({ type, key: typeKey(type), spellings: spellings.map((p) => unicodeRegExp(p, 'iu')) }));
  const checkSiret = s.checkSiret ?? true;
  const offsetOf = (day: string): string => s.utcOffset ?? parisOffset(day);
  const typeOf = (t: string | undefined): string => (t === undefined || t.trim() === '' ? defaultIdType : t);
  const schemeOf = (t: string | undefined): string => {
    const type = typeOf(t);
    const known = schemes.get(typeKey(type));
    if (known) return known;
    const code = labelKey(type).toUpperCase().replace(/ /g, '-');
    return `${prefix}${code || 'INCONNU'}`;
  };
  const persons = new Set((s.personIdTypes ?? []).map(typeKey));
  const organisations = new Set((s.organisationIdTypes ?? []).map(typeKey));
  // (a type given: known as a person's, or, where organisation types are listed, not known as one)
  const personType = (t: string | undefined, typed: boolean): boolean => {
    if (persons.size === 0) return false;
    if (typed && organisations.size > 0) return t === undefined || t.trim() === '' || persons.has(typeKey(t)) || !organisations.has(typeKey(t));
    return persons.has(typeKey(typeOf(t)));
  };
  const personIds = (s.personIdentifiers ?? []).map((r) => ({ scheme: unicodeRegExp(r.scheme, 'iu'), id: unicodeRegExp(r.id, 'iu') }));
  // (an identifier of the form a person's takes in its scheme: the scheme the organisation is published under)
  // (and without its separators: the identifier transform keeps the dashes of a code of letters, a
  // Mexican RFC written `GARC-800101-AB3`, which a rule of its 13 characters would miss; found by a
  // partner's probe, the person's name published)
  const personId = (id: string | undefined, t: string | undefined): boolean => {
    if (personIds.length === 0 || id === undefined || id.trim() === '') return false;
    const scheme = schemeOf(t);
    const compact = id.replace(/[\s.\-\u2010-\u2015/_]/gu, '');
    return personIds.some((r) => r.scheme.test(scheme) && (r.id.test(id.trim()) || (compact !== '' && r.id.test(compact))));
  };
  // (each its own expression: joined, two could name one group, or shift each other's backreferences)
  const soleTraders = (s.soleTraderNames ?? []).map((p) => unicodeRegExp(p, 'iu'));
  const personNames = (s.personNames ?? []).map((p) => unicodeRegExp(p, 'iu'));
  const notPersons = (s.companyNames ?? []).map((p) => unicodeRegExp(p, 'iu'));
  const markers = [...soleTraders, ...personNames];
  const namesPerson = (text: string): boolean => soleTraders.some((re) => re.test(text)) || (personNames.some((re) => re.test(text)) && !notPersons.some((re) => re.test(text)));
  // (the same expressions, global: what they find is taken out of a name to leave its words)
  const markersGlobal = markers.map((re) => new RegExp(re.source, 'giu'));
  return {
    currency: s.currency ?? 'EUR',
    implausibleAmount: s.implausibleAmount ?? IMPLAUSIBLE_AMOUNT,
    // (CPV in any case is CPV: the scheme the category and the store's cpv column read)
    classificationScheme: s.classificationScheme === undefined || s.classificationScheme.toUpperCase() === 'CPV' ? 'CPV' : s.classificationScheme,
    countryName: s.countryName ?? 'France',
    language: s.language ?? 'fr',
    defaultIdType,
    buyerIdType: s.buyerIdType ?? defaultIdType,
    oneContractPerId: s.oneContractPerId ?? false,
    offsetOf,
    dateTime: (d) => `${d.day}T00:00:00${d.zone ?? offsetOf(d.day)}`,
    instant: (iso) => instantInZone(iso, s.utcOffset),
    scheme: schemeOf,
    idType: (t) => {
      if (idTypes === null || t === undefined || t.trim() === '') return { type: t };
      const key = typeKey(t);
      if (idTypes.some((k) => k.key === key)) return { type: t };
      const label = labelKey(t);
      const known = idTypes.find((k) => k.spellings.some((re) => re.test(label)));
      return known === undefined ? { type: t, flag: 'ID_TYPE_UNKNOWN' } : { type: known.type, flag: 'ID_TYPE_RESPELLED' };
    },
    isSiret: (t) => checkSiret && typeKey(typeOf(t)) === 'siret',
    // (no label work for the profiles that name no person type: DECP's)
    // (personIdentifiers match the identifier as read, and as given when the identifier transform
    // cleaned it: a rule copied from ocds-persons.json expects Paraguay's `1234567-8`, read `12345678`)
    isPerson: (o, typed = false) => personType(o.idType, typed) || personId(o.id, o.idType) || personId(o.idAsGiven, o.idType) || (o.name !== undefined && namesPerson(o.name)),
    namesPerson,
    quotesPerson: (text) => markers.some((re) => re.test(text)),
    nameWords: (name) => {
      let text = name;
      for (const re of markersGlobal) text = text.replace(re, ' ');
      return labelKey(text).split(' ').filter((w) => w.length >= 2);
    },
    namesPersons: persons.size > 0 || personIds.length > 0 || markers.length > 0,
  };
}

/**
 * Does a rejected record name a person, so that its excerpt is not quoted: what settings.personNames
 * or soleTraderNames look for in its excerpt, or anywhere in its text past it (`text`, the ingest
 * event's: a name's `EI` after the excerpt, the same supplier given again; null when the record was
 * too long to look at, taken as naming one). Convert's rejects and validate's reports ask the same.
 */
export function rejectQuotesPerson(L: Locale, excerpt: string, text?: string | null): boolean {
  if (!L.namesPersons) return false;
  return L.quotesPerson(excerpt) || text === null || (text !== undefined && L.quotesPerson(text));
}

/** What a published reject's reason or a report shows in place of a quoted text that names a person. */
export const PERSON_QUOTE_WITHHELD = "[withheld: a natural person's name]";

/**
 * A reject's reason as it may be published: a reason quotes what it met (`expected a value after key
 * "Mme Jeanne DUPONT EI"`, a buyer object's keys), and a quoted text that names a person
 * (settings.personNames, soleTraderNames) is PERSON_QUOTE_WITHHELD; so is a quoted text of several
 * words when the record names a person elsewhere (`named`, rejectQuotesPerson: the key may be the
 * name without its marker). A word (`after key "objet"`, `got "}"`, a profile's path) says where the
 * fault is: kept.
 */
export function withheldReason(L: Locale, reason: string, named: boolean): string {
  if (!L.namesPersons || !reason.includes('"')) return reason;
  return reason.replace(/"(?:[^"\\]|\\.)*"/g, (q) => {
    let text: string;
    try {
      text = JSON.parse(q) as string;
    } catch {
      text = q.slice(1, -1);
    }
    return L.quotesPerson(text) || L.namesPerson(text) || (named && /\p{L}\s+\p{L}/u.test(text)) ? PERSON_QUOTE_WITHHELD : q;
  });
}

export const FRENCH_LOCALE: Locale = createLocale();
