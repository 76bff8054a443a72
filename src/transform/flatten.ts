/**
 * One compiled OCDS process → the rows of the store's relational tables
 * (parties, awards, award_suppliers, contracts, amendments, items,
 * quality_flags). Pure: the caller gives the releases (with where each came
 * from) and their compiled release. Values that would not load into a typed
 * column (a date that is not a real date, a non-numeric amount) become null:
 * the release itself, with the raw value, stays in the store and in ocds/.
 */
import { isCompiledRelease, type JsonValue } from './compile/merge.js';
import { parseMonths } from './amounts.js';
import { addMonths, daysBetween, daysInMonth } from './dates.js';
import { isCpvDivision, luhnValid, normalizeCpv, sirenOfPartyId, siretValid } from './identifiers.js';
import { marketOf } from './markets.js';
import { placeOfItems } from './places.js';
import { labelKey, respellLabel } from './functions.js';

type Obj = { [k: string]: JsonValue };
export type Row = Record<string, string | number | boolean | null>;

export interface SourcedRelease {
  readonly release: Obj;
  readonly sourceSha256: string;
  readonly sourceIndex: number;
  /**
   * The earliest date any source published this release (ocid and id) at, as that source gave it
   * (releasePublished of each), when the caller knows them: the store keeps one publication of a
   * release, the later, yet a contract republished unchanged was public from the first.
   */
  readonly firstPublished?: string | null;
}

export interface FlatRows {
  parties: Row[];
  awards: Row[];
  award_suppliers: Row[];
  subcontracts: Row[];
  contract_suppliers: Row[];
  contract_decp: Row[];
  executions: Row[];
  tariffs: Row[];
  contracts: Row[];
  amendments: Row[];
  items: Row[];
  tenders: Row[];
  bids: Row[];
  bid_tenderers: Row[];
  quality_flags: Row[];
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const objs = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
/**
 * A number, or a partner's number written as a plain decimal string (`"193817.35"`, `"-5"`: not OCDS,
 * which `validate` reports, but no other reading; `"1 000"`, `"1.234,5"` are not read), else null.
 */
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;
const num = (v: unknown): number | null => {
  const n = typeof v === 'string' && PLAIN_NUMBER.test(v.trim()) ? Number(v.trim()) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2147483647 ? v : null);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});

const DAY = /^\d{4}-\d{2}-\d{2}/;

/** A DECP duration in months as x_decp keeps it, read as convert reads dureeMois (parseMonths: no placeholder, not past 99 years), else null. */
function monthsGiven(v: JsonValue | undefined): number | null {
  return typeof v === 'number' ? (parseMonths(v)?.months ?? null) : null;
}

/**
 * A DECP contract's durations in months as its releases give them (the record's dureeMois, then each
 * modification's of this contract), for a contract whose period has no start (no usable
 * notification date): its period measures nothing, yet the months are known, and red-flags.md §3.4
 * reads D0 and D_J in months.
 */
function monthsOfDecp(releases: readonly SourcedRelease[], from: SourcedRelease | undefined, id: JsonValue | undefined): { initial: number | null; current: number | null } {
  const initial = from === undefined ? null : monthsGiven(obj(from.release['x_decp'])['dureeMois']);
  let current = initial;
  for (const r of releases) {
    if (r === from || !objs(r.release['contracts']).some((c) => c['id'] === id)) continue;
    current = monthsGiven(obj(obj(r.release['x_decp'])['modification'])['dureeMois']) ?? current;
  }
  return { initial, current };
}

/**
 * The end a period's duration runs to: its maxExtentDate (the latest end, options and renewals
 * included, as red-flags.md §3.4 counts a DECP duration), else its endDate.
 */
const durationEnd = (period: Obj): string | null => str(period['maxExtentDate']) ?? str(period['endDate']);

/**
 * A period's length in whole months, when its end (durationEnd) falls that many calendar months
 * after its start, day for day (a DECP duration is given in months); else null: a period of months
 * and days (2024-01-09 to 2024-12-31) is measured in days only (periodDays), never a rounded month.
 */
function wholeMonths(period: Obj): number | null {
  const start = str(period['startDate']);
  const end = durationEnd(period);
  if (start === null || end === null || !DAY.test(start) || !DAY.test(end)) return null;
  const n = (Number(end.slice(0, 4)) - Number(start.slice(0, 4))) * 12 + Number(end.slice(5, 7)) - Number(start.slice(5, 7));
  return n > 0 && addMonths(start.slice(0, 10), n) === end.slice(0, 10) ? n : null;
}

/**
 * A period's length in days: its durationInDays; else (partners rarely give it) the calendar days
 * from its startDate to its end (durationEnd), each date's day as its source gave it, as the
 * publication delay counts them; else (no start, no end, an end before the start) null.
 */
function periodDays(period: Obj): number | null {
  const given = int(period['durationInDays']);
  if (given !== null) return given;
  const start = timestamp(period['startDate']);
  const end = timestamp(durationEnd(period));
  if (start === null || end === null) return null;
  const n = daysBetween(start.slice(0, 10), end.slice(0, 10));
  return n >= 0 ? n : null;
}

const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?$/;

/**
 * An ISO date-time DuckDB can load as TIMESTAMPTZ (a real calendar date, years 1000–9999), else
 * null. One without a zone (`2019-03-01T10:00:00`, which OCDS does not allow: validation reports it)
 * is read as UTC, as the store's `releases.date` and the merge's order read it: given with its `Z`;
 * a date without a time (a partner's `2024-01-09`, not OCDS either) is that day at 00:00 UTC, as
 * `releases.date` reads it too: `2024-01-09T00:00:00Z`.
 */
export function timestamp(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const m = DATE_TIME.exec(v);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || Number(m[4] ?? 0) > 23 || Number(m[5] ?? 0) > 59 || Number(m[6] ?? 0) > 59) return null;
  if (d > daysInMonth(y, mo)) return null;
  if (m[4] === undefined) return `${v}T00:00:00Z`;
  return m[7] === undefined ? `${v}Z` : v;
}

/** Bid statuses of offers not received (OCDS bidStatus `invited`, `withdrawn`; Prozorro's `deleted`, and `draft`: never submitted). */
const NOT_RECEIVED = new Set(['invited', 'withdrawn', 'deleted', 'draft']);

/**
 * A classification scheme that is CPV 2008 (`CPV`, any case; Ukraine's ДК 021:2015, which Prozorro writes
 * `ДК021`, is the CPV under its national name: the same codes).
 */
function isCpvScheme(scheme: unknown): boolean {
  return typeof scheme === 'string' && /^(?:CPV(?:\s*2008)?|(?:ДК|DK)\s*0?21(?::\s*2015)?)$/iu.test(scheme.trim());
}

/** A code that reads as 8 digits of no CPV division (`99999999-9`, `00000000`): no CPV code, a placeholder. */
function isPlaceholderCpv(id: unknown): boolean {
  const code = normalizeCpv(id)?.code;
  return code !== undefined && /^\d{8}$/.test(code) && !isCpvDivision(code);
}

/** Award statuses of awards that stand for no contract (OCDS awardStatus `unsuccessful`, `cancelled`). */
const ENDED_AWARD = new Set(['unsuccessful', 'cancelled']);

export function yearOf(ts: string | null): number | null {
  return ts === null ? null : Number(ts.slice(0, 4));
}

/** A short JSON text of a raw value, for VARCHAR columns. */
export function jsonText(v: unknown, max = 500): string | null {
  if (v === undefined) return null;
  const t = JSON.stringify(v) ?? null;
  return t !== null && t.length > max ? `${t.slice(0, max)}…` : t;
}

/** An organization's identifier as OCDS 1.1 builds party ids: `<scheme>-<id>` (or the id alone), else null. */
function identifierKey(o: Obj): string | null {
  const ident = obj(o['identifier']);
  const idv = str(ident['id']);
  const scheme = str(ident['scheme']);
  return idv === null ? null : scheme === null ? idv : `${scheme}-${idv}`;
}

/**
 * The party id of an organization reference: its `id`; else (OCDS 1.0 references, or partners'
 * contract suppliers that carry an identifier and a name but no id, as DNCP's) the id of the party
 * or award supplier with the same identifier, else with the same name (when one alone has it), else
 * its identifier as an id, else (a reference that gives a name only, as DNCP's 1.0 buyers) its name
 * — unless `byNameAlone` is false: a name alone does not tell two bidders or suppliers apart —;
 * else null. `rowId`: the parties' row ids (rowIds).
 */
function partyResolver(compiled: Obj, rowId: (id: JsonValue | undefined) => string | null, byNameAlone = true): (o: Obj) => string | null {
  // (built when a reference without an id is met: DECP's all have one)
  let byIdentifier: Map<string, string> | undefined;
  let byName: Map<string, string | null> | undefined;
  // names of the references that give an identifier but no id (1.0): a reference by name alone to one of them is it
  let byNameIdentified: Map<string, string | null> | undefined;
  const known = (o: Obj, byIdentifier: Map<string, string>, byName: Map<string, string | null>): void => {
    const id = rowId(o['id']);
    if (id === null) return;
    const key = identifierKey(o);
    if (key !== null && !byIdentifier.has(key)) byIdentifier.set(key, id);
    const name = str(o['name']);
    if (name !== null) byName.set(name, byName.has(name) && byName.get(name) !== id ? null : id);
  };
  return (o) => {
    const id = rowId(o['id']);
    if (id !== null) return id;
    if (byIdentifier === undefined || byName === undefined) {
      byIdentifier = new Map();
      byName = new Map();
      for (const p of objs(compiled['parties'])) known(p, byIdentifier, byName);
      for (const a of objs(compiled['awards'])) for (const s of orgs(a['suppliers'])) known(s, byIdentifier, byName);
    }
    if (byNameIdentified === undefined) {
      const named = new Map<string, string | null>();
      const tender = obj(compiled['tender']);
      const refs = [compiled['buyer'], tender['procuringEntity'], ...orgs(tender['tenderers']), ...objs(compiled['awards']).flatMap((a) => orgs(a['suppliers'])), ...objs(compiled['contracts']).flatMap((k) => orgs(k['suppliers']))];
      for (const r of refs) {
        if (!isObj(r) || str(r['id']) !== null) continue;
        const key = identifierKey(r);
        const name = str(r['name']);
        if (key !== null && name !== null) named.set(name, named.has(name) && named.get(name) !== key ? null : key);
      }
      byNameIdentified = named;
    }
    const key = identifierKey(o);
    const byKey = key === null ? undefined : byIdentifier.get(key);
    if (byKey !== undefined) return byKey;
    const name = str(o['name']);
    const named = name === null ? undefined : byName.get(name);
    // (a name alone still names the organization: without it the buyer of a 1.0 process that gives
    // no identifier had no party row and every contract a null buyer_id)
    // (a name two known parties share names neither: its identifier, else nothing)
    if (named !== undefined) return named ?? key;
    if (key !== null) return key;
    const identified = name === null ? undefined : byNameIdentified.get(name);
    if (identified !== undefined) return identified;
    return byNameAlone && name !== null && name.trim() !== '' ? name : null;
  };
}

/** Each party once (by id; references without one are kept): a list merged from several releases repeats items without an id. */
function distinctParties(list: readonly Obj[], idOf: (o: Obj) => string | null): Array<{ ref: Obj; id: string | null }> {
  const out: Array<{ ref: Obj; id: string | null }> = [];
  // (a set: lists are short, but a hostile record's 32,000 suppliers made a scan per item quadratic)
  const seen = new Set<string>();
  for (const ref of list) {
    const id = idOf(ref);
    if (id !== null) {
      if (seen.has(id)) continue;
      seen.add(id);
    }
    out.push({ ref, id });
  }
  return out;
}

/** A list of organization references, or one given as an object where a list belongs (DNCP's contract suppliers). */
const orgs = (v: unknown): Obj[] => (isObj(v) ? [v] : objs(v));

/** Does this contract give its own suppliers (a list, or DNCP's one object)? */
const hasSuppliers = (k: Obj): boolean => k['suppliers'] !== undefined && k['suppliers'] !== null;

/**
 * The bidders of these bids (R018 counts tenderers, as `tender.numberOfTenderers` does: "the number of
 * parties who placed a bid"): the bids of one tenderer, or of one consortium, are one bidder, and a
 * tenderer is known by its organization identifier (its own, else its party's), so that one company
 * referenced under two party ids is one; a bid whose tenderers are not all known counts alone.
 */
function bidders(bids: readonly Obj[], parties: readonly Obj[], partyIdOf: (o: Obj) => string | null): number {
  // (DECP gives no bids: nothing to build for its every process)
  if (bids.length === 0) return 0;
  const identifierOf = new Map<string, string>();
  for (const p of parties) {
    const id = str(p['id']);
    const key = identifierKey(p);
    if (id !== null && key !== null && !identifierOf.has(id)) identifierOf.set(id, key);
  }
  const keyOf = (t: Obj): string | null => {
    const own = identifierKey(t);
    if (own !== null) return own;
    const id = partyIdOf(t);
    return id === null ? null : (identifierOf.get(id) ?? id);
  };
  const seen = new Set<string>();
  let alone = 0;
  for (const b of bids) {
    const keys = orgs(b['tenderers']).map(keyOf);
    if (keys.length === 0 || keys.includes(null)) alone++;
    else seen.add([...new Set(keys)].sort().join('\u0000'));
  }
  return seen.size + alone;
}

/**
 * The parties of a process that publishes none (OCDS 1.0): its buyer, procuring entity, tenderers
 * and the awards' and contracts' suppliers, by party id, with the roles they appear in.
 */
function partiesFromReferences(compiled: Obj, partyIdOf: (o: Obj) => string | null): Obj[] {
  const byId = new Map<string, Obj & { roles: string[] }>();
  const add = (o: unknown, role: string): void => {
    if (!isObj(o)) return;
    const id = partyIdOf(o);
    if (id === null) return;
    let p = byId.get(id);
    if (p === undefined) byId.set(id, (p = { ...o, id, roles: [] }));
    if (!p.roles.includes(role)) p.roles.push(role);
  };
  const tender = obj(compiled['tender']);
  add(compiled['buyer'], 'buyer');
  add(tender['procuringEntity'], 'procuringEntity');
  for (const t of orgs(tender['tenderers'])) add(t, 'tenderer');
  for (const a of objs(compiled['awards'])) for (const s of orgs(a['suppliers'])) add(s, 'supplier');
  for (const k of objs(compiled['contracts'])) for (const s of orgs(k['suppliers'])) add(s, 'supplier');
  return [...byId.values()];
}

/**
 * First release (in date order) that holds an object with this id in the array `key`: where the
 * object comes from. A compiled release only when no release of its own gives it.
 */
function introducer(releases: readonly SourcedRelease[], key: 'awards' | 'contracts', id: JsonValue | undefined): SourcedRelease | undefined {
  const holds = (r: SourcedRelease): boolean => objs(r.release[key]).some((o) => o['id'] === id);
  return releases.find((r) => !isCompiledRelease(r.release) && holds(r)) ?? releases.find(holds);
}

/**
 * The rows of tables tenders, bids and bid_tenderers of a process that gives its offers or its tender
 * period, as its compiled release states them (where each comes from: the first release that gives it).
 * A bid without an id is known by its position (`#1`…); its tenderers by party id (knownIdOf: a name
 * alone tells no two bidders apart), each once.
 */
function flattenBids(ocid: string, releases: readonly SourcedRelease[], tender: Obj, details: readonly Obj[], buyerId: string | null, partyIdOf: (o: Obj) => string | null, out: FlatRows): void {
  const period = obj(tender['tenderPeriod']);
  const start = timestamp(period['startDate']);
  const end = timestamp(period['endDate']);
  const gives = (r: SourcedRelease): boolean => isObj(r.release['tender']) && (isObj(r.release['tender']['tenderPeriod']) || objs(obj(r.release['bids'])['details']).length > 0);
  const tenderFrom = releases.find((r) => !isCompiledRelease(r.release) && gives(r)) ?? releases.find(gives) ?? releases[0];
  // (the year of its deadline, else of its first offer)
  const year = yearOf(end) ?? yearOf(start) ?? yearOf(details.map((d) => timestamp(d['date'])).find((d) => d !== null) ?? null);
  out.tenders.push({
    ocid,
    buyer_id: buyerId,
    procurement_method: str(tender['procurementMethod']),
    procurement_method_details: str(tender['procurementMethodDetails']),
    award_criteria: str(tender['awardCriteria']),
    period_start: start,
    period_end: end,
    period_days: start !== null && end !== null ? (Date.parse(end) - Date.parse(start)) / 86400000 : null,
    bids: details.length,
    year,
    source_sha256: shaOf(tenderFrom),
    source_index: indexOf(tenderFrom),
  });
  const holds = (r: SourcedRelease, id: JsonValue | undefined): boolean => objs(obj(r.release['bids'])['details']).some((d) => d['id'] === id);
  const seen = new Set<string>();
  details.forEach((d, i) => {
    let id = str(d['id']) ?? `#${i + 1}`;
    // (an id given twice: the second by its position, one row per offer)
    if (seen.has(id)) id = `#${i + 1}`;
    seen.add(id);
    const from = d['id'] === undefined ? tenderFrom : (releases.find((r) => !isCompiledRelease(r.release) && holds(r, d['id'])) ?? releases.find((r) => holds(r, d['id'])) ?? tenderFrom);
    const tenderers = distinctParties(orgs(d['tenderers']), partyIdOf);
    // a bid priced lot by lot (Prozorro's lotValues, no value of its own) is one offer per lot, as the
    // OCDS for eForms guidance models a tender per lot: its id `<bid id>/<lot>`, the lot value's price,
    // the lot value's status when it gives one (Prozorro's: a lot's offer may be unsuccessful while the
    // bid stands for its other lots), else the bid's; the bid's tenderers and date (read as one offer,
    // its price was null and its lots none). Not the lot value's date: Prozorro sets it anew when the
    // auction changes the price, after the deadline, and an offer so dated would be a late one
    const date = timestamp(d['date']);
    const offers = lotPriced(d)
      ? objs(d['lotValues']).map((v, k) => ({ id: `${id}/${str(v['relatedLot']) ?? `#${k + 1}`}`, value: obj(v['value']), lots: str(v['relatedLot']) === null ? [] : [str(v['relatedLot']) as string], status: str(v['status']) ?? str(d['status']) }))
      : [{ id, value: obj(d['value']), lots: bidLots(d), status: str(d['status']) }];
    for (const o of offers) {
      out.bids.push({
        ocid,
        bid_id: o.id,
        status: o.status,
        date,
        year: yearOf(date) ?? year,
        amount: num(o.value['amount']),
        currency: str(o.value['currency']),
        tenderers: tenderers.length,
        related_lots: o.lots.length > 0 ? o.lots.join(',') : null,
        source_sha256: shaOf(from),
        source_index: indexOf(from),
      });
      for (const t of tenderers) out.bid_tenderers.push({ ocid, bid_id: o.id, party_id: t.id, year: yearOf(date) ?? year, source_sha256: shaOf(from), source_index: indexOf(from) });
    }
  });
}

/**
 * The initial value's amount, when it is in the currency of the current value (`now`): a value in
 * another currency (a partner's award in UAH, its contract in EUR) is no initial value of the same
 * money, which the value's increase and every sum by currency would take for one. A value without a
 * currency, or a current one without, is read as before.
 */
function initialAmount(now: Obj, initial: Obj): number | null {
  const was = str(initial['currency']);
  const is = str(now['currency']);
  return was !== null && is !== null && was.trim().toUpperCase() !== is.trim().toUpperCase() ? null : num(initial['amount']);
}

/** A bid that prices its lots one by one (`lotValues`, Prozorro's) and gives no value of its own. */
const lotPriced = (d: Obj): boolean => !isObj(d['value']) && objs(d['lotValues']).length > 0;

/**
 * The lots a bid is for: its relatedLots (the bid extension's), else the lots of its lot values
 * (Prozorro's `lotValues[].relatedLot`), each once.
 */
function bidLots(d: Obj): string[] {
  const named = Array.isArray(d['relatedLots']) ? d['relatedLots'].map(str).filter((l): l is string => l !== null) : [];
  if (named.length > 0) return named;
  return [...new Set(objs(d['lotValues']).map((v) => str(v['relatedLot'])).filter((l): l is string => l !== null))];
}

/**
 * The row ids of one array of the compiled release: each id's text, except where a string id has the
 * text of a number id beside it (1 and "1": two objects, as the merge has them, MERGE_ID_TYPES_MIXED):
 * the string's row id is then its JSON text (`"1"`), so that the store's keys stay one row per object.
 * A reference (awardID) of the other type than the one object with its text is that object's.
 */
function rowIds(list: readonly Obj[]): (id: JsonValue | undefined) => string | null {
  // (DECP's ids are all strings: nothing to tell apart)
  if (!list.some((o) => typeof o['id'] === 'number')) return str;
  const numbers = new Set<string>();
  const strings = new Set<string>();
  for (const o of list) {
    const id = o['id'];
    if (typeof id === 'number') numbers.add(String(id));
    else if (typeof id === 'string') strings.add(id);
  }
  return (id) => {
    const text = str(id);
    if (text === null || !numbers.has(text) || !strings.has(text)) return text;
    return typeof id === 'string' ? JSON.stringify(text) : text;
  };
}

/** The provenance columns of a row: the source file and record of the release it comes from. */
const shaOf = (from: SourcedRelease | undefined): string | null => from?.sourceSha256 ?? null;
const indexOf = (from: SourcedRelease | undefined): number | null => from?.sourceIndex ?? null;

/** The first of a release's quality flags (x_decp.qualityFlags) with one of these codes. */
function flagOf(release: Obj, ...codes: string[]): Obj | undefined {
  return objs(obj(release['x_decp'])['qualityFlags']).find((f) => typeof f['code'] === 'string' && codes.includes(f['code']));
}

/** A release's date as its source gave it: convert moves some to keep a history in order (flags' `raw`). */
function sourceDate(release: Obj): string | null {
  const moved = flagOf(release, 'RELEASE_DATE_AFTER_AMENDMENTS', 'RELEASE_DATE_RAISED');
  return (moved !== undefined ? timestamp(moved['raw']) : null) ?? timestamp(release['date']);
}

/**
 * Release dates that are not a publication date: convert gave the release another date when its
 * source gave none (the notification's, a later one's, the initial release's, the run's).
 */
const NOT_PUBLISHED = ['RELEASE_DATE_FROM_NOTIFICATION', 'RELEASE_DATE_FROM_LATER', 'RELEASE_DATE_FROM_INITIAL', 'RELEASE_DATE_FROM_RUN'];

/** Is a release's date one that its source did not give as its publication date? */
const dateNotPublished = (release: Obj): boolean => flagOf(release, ...NOT_PUBLISHED) !== undefined;

/**
 * The date a release's source published it at, as it gave it: its date (the one it had before
 * convert moved it back, RELEASE_DATE_AFTER_AMENDMENTS); null when that is no publication date
 * (NOT_PUBLISHED: the source gave none) or a typo (RELEASE_DATE_RAISED: before the date it follows).
 * What `run` keeps of each publication of a release (release_sources.published), for
 * SourcedRelease.firstPublished.
 */
export function releasePublished(release: Obj): string | null {
  if (dateNotPublished(release) || flagOf(release, 'RELEASE_DATE_RAISED') !== undefined) return null;
  return sourceDate(release);
}

/** The earlier of two dates (either may be null). */
const earlier = (a: string | null, b: string | null): string | null => (a === null ? b : b === null || Date.parse(a) <= Date.parse(b) ? a : b);

/**
 * When contract `id` was first published. Its release's date, unless convert moved that date back to
 * the notification (RELEASE_DATE_AFTER_AMENDMENTS: a record republished later with older
 * modifications): then the earliest of the source's publication date and the source dates of the
 * contract's later releases (it was public by the first of them), never the moved date, nor a later
 * release's date that convert raised (RELEASE_DATE_RAISED: before the date it follows, a typo).
 * Each release's earlier publications by other sources count too (firstPublished: the store keeps
 * the later publication of a record republished unchanged, 2024-02-10 then 2024-09-01).
 * Null when no source gives a publication date (the release's date is then another one,
 * NOT_PUBLISHED): a delay computed from it would read 0 days, on time, for a publisher that left
 * the date out.
 */
function publishedDate(from: SourcedRelease, releases: readonly SourcedRelease[], id: JsonValue | undefined): string | null {
  const f = from.release;
  // (another source's earlier publication before the contract was signed is a typo that source
  // made, corrected since: not the contract's first publication. Before it by its day, each as its
  // source gave it, as publication_delay_days counts: the texts compared, a publication on the day
  // of signing was a typo when written at an earlier hour or a smaller offset, `+00:00` < `+01:00`)
  const signed = timestamp(objs(f['contracts']).find((k) => k['id'] === id)?.['dateSigned']);
  const firstOf = (r: SourcedRelease): string | null => {
    const t = timestamp(r.firstPublished);
    return t !== null && signed !== null && t.slice(0, 10) < signed.slice(0, 10) ? null : t;
  };
  const own = earlier(dateNotPublished(f) ? null : timestamp(f['date']), firstOf(from));
  if (flagOf(f, 'RELEASE_DATE_AFTER_AMENDMENTS') === undefined) return own;
  let first = earlier(dateNotPublished(f) ? null : sourceDate(f), firstOf(from));
  for (const r of releases) {
    if (r === from || !objs(r.release['contracts']).some((k) => k['id'] === id)) continue;
    // a date raised because it came before what it follows is a typo, not evidence of publication
    first = earlier(first, timestamp(releasePublished(r.release)));
    first = earlier(first, firstOf(r));
  }
  return first ?? own;
}

/**
 * A party's legal unit (SIREN): its SIRET's first nine digits, its SIREN, or the SIREN convert read
 * in a French VAT number (additionalIdentifiers, FR-RCS); else null.
 */
function sirenOfParty(scheme: string | null, id: string | null, additional: JsonValue | undefined): string | null {
  // (its identifier as the party id convert makes of it, `<scheme>-<id>`: one reading of a SIREN)
  const own = scheme !== null && id !== null ? sirenOfPartyId(`${scheme}-${id}`) : null;
  if (own !== null) return own;
  const siren = objs(additional).find((a) => a['scheme'] === 'FR-RCS' && typeof a['id'] === 'string' && /^\d{9}$/.test(a['id']));
  return siren !== undefined ? (siren['id'] as string) : null;
}

const NO_SIRENS: ReadonlySet<string> = new Set();

/** An organisation's legal unit (SIREN) as its party row gives it (sirenOfParty), or null. */
export function sirenOfOrganisation(o: Obj): string | null {
  const ident = obj(o['identifier']);
  return sirenOfParty(str(ident['scheme']), str(ident['id']), o['additionalIdentifiers']);
}

/** The party ids a release says are natural persons (x_decp.personParties: their names withheld). */
export function personPartiesOf(release: Obj): string[] {
  const list = obj(release['x_decp'])['personParties'];
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Whether an organisation's SIREN is one its identifier gives whole: a SIRET or a SIREN that passes its
 * key (Luhn; La Poste's establishments their own rule), or a French VAT number whose key fits (checked
 * by sirenOfPartyId). A mistyped SIRET (SIRET_LUHN) names another legal unit as often as its own: as a
 * person's, it would withhold an unrelated company in every process.
 */
function wellFormed(o: Obj, siren: string): boolean {
  const ident = obj(o['identifier']);
  const id = str(ident['id']);
  if (ident['scheme'] !== 'FR-RCS' || id === null || !id.startsWith(siren)) return true;
  // (a SIRET mistyped to another length names its legal unit for the supplier views, not here; one
  // whose leading zero was dropped passed both keys once it was put back, and does not start with it)
  return id.length === 14 ? siretValid(id) : id.length === 9 && luhnValid(id);
}

/**
 * The SIRENs of the natural persons a release names (x_decp.personParties, its parties' legal units):
 * what the nightly job withholds in every process (staging's persons field, release_sources.persons).
 */
export function personSirensOf(release: Obj): string[] {
  const ids = new Set(personPartiesOf(release));
  if (ids.size === 0) return [];
  const out = new Set<string>();
  for (const p of objs(release['parties'])) {
    if (typeof p['id'] !== 'string' || !ids.has(p['id'])) continue;
    // (a buyer is no natural person: a supplier given its buyer's SIRET by mistake is one party with it)
    if (Array.isArray(p['roles']) && p['roles'].includes('buyer')) continue;
    const siren = sirenOfOrganisation(p);
    if (siren !== null && wellFormed(p, siren)) out.add(siren);
  }
  return [...out].sort();
}

/** A supplier as a company: a French one (SIRET, SIREN, VAT number) by its legal unit (SIREN), others by party id. */
function companyOf(partyId: string): string {
  const siren = sirenOfPartyId(partyId);
  return siren !== null ? `FR-SIREN-${siren}` : partyId;
}

/**
 * The lot numbers a title names ("Lot 8", "LOT3", "lot n° 08": 8, 3, 8; "(7 lots)" names none).
 */
export function lotNumbers(title: unknown): number[] {
  if (typeof title !== 'string') return [];
  const plain = title.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return [...new Set([...plain.matchAll(/\blots?\s*(?:n\s*[°o]\s*|no\.?\s*|#\s*)?(\d{1,4})(?!\d)/gi)].map((m) => Number(m[1])))];
}

/** A contract row's suppliers at award (its award's, in awardSuppliers), undefined when not known. */
const suppliersAtAward = (k: Row, awardSuppliers: ReadonlyMap<string, string>): string | undefined => (typeof k['award_id'] === 'string' ? awardSuppliers.get(k['award_id']) : undefined);

/** A contract row's title as words (labelKey: case, accents and punctuation aside), '' without one. */
const titleWords = (k: Row): string => (typeof k['title'] === 'string' ? labelKey(k['title']) : '');

/** Rows by key, in the order their keys first come (a row whose key is null is in none). */
function groupsOf(rows: readonly Row[], keyOf: (row: Row) => string | null): Row[][] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null) continue;
    const g = groups.get(key);
    if (g) g.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}

/**
 * One contract published twice — by two platforms, or by one that corrected its title ("Annule et
 * remplace") — gets two award ids: the id hashes the title and CPV, and each publication words and
 * classifies it its own way. Under one ocid (same buyer, same procedure id), contracts signed the
 * same day, for the same initial amount, with the same suppliers at award (at least one; an
 * establishment counts as its company: platforms give different SIRETs of one SIREN) are one
 * contract, unless their titles name different lots ("Lot 423" and "Lot 198" of one procedure, same
 * day, amount and supplier, are two contracts) or they share neither their CPV nor a word of their
 * object (alikeSets: two lots of one company). The rule reads the contracts only, never which file
 * brought them: the same publications give the same links whatever the order of the files or nights.
 * All but one get `duplicate_of` = the contract id of the one kept; the views and red flags count it
 * once. The one kept: most modifications (the fullest history), then the last published (a
 * correction replaces what it corrects), then the smallest id; its `date_published` becomes the
 * first of the group's (the contract was public from then on).
 */
function linkDuplicates(contracts: Row[], awardSuppliers: ReadonlyMap<string, string>, recordIds: ReadonlyMap<unknown, string>): void {
  if (contracts.length < 2) return;
  const groups = groupsOf(contracts, (k) => {
    const signed = k['date_signed'];
    const amount = k['initial_amount'];
    const suppliers = suppliersAtAward(k, awardSuppliers);
    if (typeof signed !== 'string' || typeof amount !== 'number' || !suppliers) return null;
    return `${signed.slice(0, 10)}\u0001${amount}\u0001${suppliers}`;
  });
  for (const g of groups) {
    if (g.length < 2) continue;
    // by lot: a title that names one lot joins that lot's publications; a title that names none joins
    // the only lot named (or the others naming none), and is left alone when several lots are named;
    // a title that names several lots is left alone
    const byLot = new Map<number, Row[]>();
    const unnamed: Row[] = [];
    for (const k of g) {
      const lots = lotNumbers(k['title']);
      if (lots.length === 0) unnamed.push(k);
      else if (lots.length === 1) byLot.set(lots[0]!, [...(byLot.get(lots[0]!) ?? []), k]);
    }
    const clusters = [...byLot.values()];
    if (clusters.length === 0) clusters.push(unnamed);
    else if (clusters.length === 1) clusters[0]!.push(...unnamed);
    for (const c of clusters) for (const one of alikeSets(c)) if (one.length > 1) keepOne(one);
  }
  linkCorrections(contracts.filter((k) => k['duplicate_of'] === null), awardSuppliers);
  linkDateCorrections(contracts.filter((k) => k['duplicate_of'] === null), awardSuppliers, recordIds);
  // each linked row names the one counted (found by a review: a publication linked to another that a
  // correction then linked on named a row no longer counted)
  const byId = new Map(contracts.map((k) => [k['contract_id'], k]));
  for (const k of contracts) {
    const seen = new Set<unknown>();
    let to = k['duplicate_of'];
    while (to !== null && to !== undefined && !seen.has(to)) {
      seen.add(to);
      const next = byId.get(to)?.['duplicate_of'];
      if (next === null || next === undefined) break;
      to = next;
    }
    if (to !== k['duplicate_of']) k['duplicate_of'] = to ?? null;
  }
}

/**
 * A contract republished by a later file with its initial amount corrected (a daily file that
 * gives again, with another `montant`, a contract an earlier one gave: found by an operator's probe,
 * 2,200,000 € then 220,000 €, both counted), or by a second platform with another amount, gets another
 * award id, the amount being part of it. Under
 * one ocid, contracts of one title (as words: case, accents and punctuation aside), signed the same
 * day with the same suppliers at award, each published on another day (its first publication by any
 * source), whose initial amounts differ, are one contract corrected: the last published is kept, the
 * others get its id as `duplicate_of`. Not when two of them were published the same day (two lots of
 * one title may differ by their amounts alone, published together; and which corrects which is not
 * known). Which file brought which is not read: a feed that accumulates holds both publications,
 * and a release given by several files is the store's from any of them (the links must not depend on
 * the order of the files). The one kept is dated from the first publication.
 */
function linkCorrections(contracts: Row[], awardSuppliers: ReadonlyMap<string, string>): void {
  if (contracts.length < 2) return;
  const groups = groupsOf(contracts, (k) => {
    const signed = k['date_signed'];
    const title = titleWords(k);
    const suppliers = suppliersAtAward(k, awardSuppliers);
    if (typeof signed !== 'string' || title === '' || !suppliers || typeof k['initial_amount'] !== 'number' || typeof k['date_published'] !== 'string') return null;
    return `${signed.slice(0, 10)}\u0001${title}\u0001${suppliers}`;
  });
  for (const g of groups) {
    if (g.length < 2) continue;
    const days = new Set(g.map((k) => dayOf(k, 'date_published')));
    const amounts = new Set(g.map((k) => k['initial_amount']));
    if (days.size !== g.length || amounts.size < 2) continue;
    const kept = g.reduce((a, b) => (dayOf(b, 'date_published') > dayOf(a, 'date_published') ? b : a));
    const first = g.reduce((a, b) => (dayOf(b, 'date_published') < dayOf(a, 'date_published') ? b : a));
    // (public from its first publication, as keepOne dates a contract published twice)
    linkTo(g, kept, first);
  }
}

/** A row's date column's day, as its source gave it (its zone's day: `2019-01-01T23:00:00-04:00` is the 1st). */
const dayOf = (k: Row, column: string): string => String(k[column]).slice(0, 10);

/** All of `g` but `kept` linked to it (`duplicate_of`); `kept` dated from `first`'s publication, the contract public from then on. */
function linkTo(g: readonly Row[], kept: Row, first: Row | undefined): void {
  for (const k of g) if (k !== kept) k['duplicate_of'] = kept['contract_id'] ?? null;
  if (first !== undefined) kept['date_published'] = first['date_published'] ?? null;
}

/**
 * Words that say what nearly every contract is (its kind, the words around its object), not what this
 * one buys: two titles sharing only these share nothing. Compared by their first five letters, as
 * titleStems keeps the words.
 */
const GENERIC_TITLE_STEMS: ReadonlySet<string> = new Set([
  'march', 'trava', 'fourn', 'prest', 'servi', 'accor', 'cadre', 'subse', 'lots', 'objet', 'achat', 'acqui', 'missi', 'annul', 'rempl', 'relat',
]);
/** Short words compared whole: their first five letters begin words that say what is bought (`entre`: entretien). */
const GENERIC_TITLE_WORDS: ReadonlySet<string> = new Set(['pour', 'dans', 'avec', 'sans', 'sous', 'entre', 'deux', 'trois', 'plus']);

/**
 * The words of a title that may say what it buys, each by its first five letters (Création and
 * CREATo, Peinture and PEINTURES are one; a platform cuts or inflects words): words of four letters or
 * more, digits and the generic words set aside.
 */
function titleStems(title: unknown): Set<string> {
  if (typeof title !== 'string') return new Set();
  const out = new Set<string>();
  for (const w of labelKey(title).split(' ')) {
    if (w.length < 4 || /\d/.test(w) || GENERIC_TITLE_WORDS.has(w)) continue;
    const stem = w.slice(0, 5);
    if (!GENERIC_TITLE_STEMS.has(stem)) out.add(stem);
  }
  return out;
}

/**
 * Contracts of one day, amount and suppliers that may be one contract written twice: the same CPV, or
 * titles with a word of their object in common. Two lots of one procedure awarded the same day to one
 * company for the same amount ("Peinture", CPV 45442100, and "Plomberie", CPV 45330000: found by a
 * monitor's audit, the second lot's money vanished from every sum) share neither, and stay two
 * contracts: a link that hides money is worse than one missed. Sets of the contracts so alike, each
 * with every contract alike to one of it (whatever their order).
 */
function alikeSets(g: readonly Row[]): Row[][] {
  if (g.length < 2) return [[...g]];
  const stems = g.map((k) => titleStems(k['title']));
  const alike = (i: number, j: number): boolean => {
    const [a, b] = [g[i]!['cpv'], g[j]!['cpv']];
    if (typeof a === 'string' && a !== '' && a === b) return true;
    for (const s of stems[i]!) if (stems[j]!.has(s)) return true;
    return false;
  };
  const root = g.map((_, i) => i);
  const find = (i: number): number => (root[i] === i ? i : (root[i] = find(root[i]!)));
  for (let i = 0; i < g.length; i++) for (let j = i + 1; j < g.length; j++) if (alike(i, j)) root[find(j)] = find(i);
  const sets = new Map<number, Row[]>();
  g.forEach((k, i) => sets.set(find(i), [...(sets.get(find(i)) ?? []), k]));
  return [...sets.values()];
}

/**
 * A contract republished by a later file with its notification date corrected (notified "2019-12-31",
 * published 2020-01-02; given again on 2020-01-06, notified 2020-01-02) gets another award id, the
 * date being part of it: both were counted, each in its year (the contract stayed in 2019's partition
 * after moving to 2020's). Under one ocid, contracts of one title (as words), initial amount and
 * suppliers at award, signed on different days and each first published on another day, are one
 * contract corrected when each, in publication order, was signed no later than the one before it was
 * first published: the contract it describes had been signed when the earlier publication came out,
 * so that one was of it. A contract signed after the other was published (a yearly purchase under one
 * procedure id, same title, amount and supplier) is another one. And each given by a record of one id
 * (x_decp.id, recordIds): a publisher corrects a record by giving its id again, while two records of
 * one ocid under other ids are two contracts (the samples' 20191815AC00 and 20191815AC01: one title,
 * amount and suppliers, notified a day apart — published ten days after each, the second was signed
 * before the first came out, and its money vanished from the sums). The last published is kept, the
 * others get its id as `duplicate_of`; it is dated from the first publication (linkCorrections' rule).
 */
function linkDateCorrections(contracts: Row[], awardSuppliers: ReadonlyMap<string, string>, recordIds: ReadonlyMap<unknown, string>): void {
  if (contracts.length < 2) return;
  const groups = groupsOf(contracts, (k) => {
    const title = titleWords(k);
    const suppliers = suppliersAtAward(k, awardSuppliers);
    const record = recordIds.get(k['contract_id']);
    if (typeof k['date_signed'] !== 'string' || title === '' || !suppliers || typeof k['initial_amount'] !== 'number' || typeof k['date_published'] !== 'string' || record === undefined) return null;
    return `${title}\u0001${k['initial_amount']}\u0001${suppliers}\u0001${record}`;
  });
  for (const g of groups) {
    if (g.length < 2) continue;
    if (new Set(g.map((k) => dayOf(k, 'date_signed'))).size !== g.length || new Set(g.map((k) => dayOf(k, 'date_published'))).size !== g.length) continue;
    const byPublication = [...g].sort((a, b) => (dayOf(a, 'date_published') < dayOf(b, 'date_published') ? -1 : 1));
    if (!byPublication.every((k, i) => i === 0 || dayOf(k, 'date_signed') <= dayOf(byPublication[i - 1]!, 'date_published'))) continue;
    linkTo(g, byPublication[byPublication.length - 1]!, byPublication[0]);
  }
}

function keepOne(g: Row[]): void {
  const published = (k: Row): number | null => (typeof k['date_published'] === 'string' ? Date.parse(k['date_published']) : null);
  const better = (b: Row, a: Row): boolean => {
    const more = Number(b['amendments']) - Number(a['amendments']);
    if (more !== 0) return more > 0;
    const [pb, pa] = [published(b) ?? -Infinity, published(a) ?? -Infinity];
    if (pb !== pa) return pb > pa;
    return String(b['contract_id']) < String(a['contract_id']);
  };
  const kept = g.reduce((a, b) => (better(b, a) ? b : a));
  let first: Row | undefined;
  for (const k of g) {
    const p = published(k);
    if (p !== null && (first === undefined || p < published(first)!)) first = k;
  }
  linkTo(g, kept, first);
}

/**
 * The buyer's party id: its reference resolved as every organization reference is (partyResolver);
 * without a reference, the one party whose roles say buyer, as OCDS's roles say (several such
 * parties name none of them the buyer).
 */
function buyerOf(compiled: Obj, parties: readonly Obj[], partyIdOf: (o: Obj) => string | null): string | null {
  const buyerParties = compiled['buyer'] === undefined || compiled['buyer'] === null ? parties.filter((p) => Array.isArray(p['roles']) && p['roles'].includes('buyer')) : [];
  return partyIdOf(buyerParties.length === 1 ? { id: buyerParties[0]!['id'] ?? null } : obj(compiled['buyer']));
}

/**
 * Who the buyer of a compiled release (or of one release) is, as the store's `buyer_id` names it:
 * its party id; an OCDS 1.0 buyer's identifier (`<scheme>-<id>`), else its name; the one party with
 * the role buyer when no buyer is referenced; else null. The one rule for contracts, awards, records
 * and the validation reports' buyers (`run`'s and `validate`'s).
 */
export function buyerIdOf(release: Obj): string | null {
  const parties = objs(release['parties']);
  return buyerOf(release, parties, partyResolver(release, rowIds(parties)));
}

/**
 * The rows of one process. `releases` in date order (as compiled), `compiled`
 * its compiled release. `personSirens`: the legal units known as natural persons in other processes
 * (the nightly job's; their names are withheld here too): a party of one of them that its own releases
 * do not say is a person is one `person_elsewhere`.
 */
export function flattenProcess(ocid: string, releases: readonly SourcedRelease[], compiled: Obj, personSirens: ReadonlySet<string> = NO_SIRENS): FlatRows {
  const out: FlatRows = { parties: [], awards: [], award_suppliers: [], subcontracts: [], contracts: [], contract_suppliers: [], contract_decp: [], executions: [], tariffs: [], amendments: [], items: [], tenders: [], bids: [], bid_tenderers: [], quality_flags: [] };
  const parties = objs(compiled['parties']);
  // (ids 1 and "1": two parties, see rowIds)
  const partyRowId = rowIds(parties);
  const partyIdOf = partyResolver(compiled, partyRowId);
  // (who is who, where telling two apart matters: offers received, suppliers of one contract published twice)
  const knownIdOf = partyResolver(compiled, partyRowId, false);
  const buyerId = buyerOf(compiled, parties, partyIdOf);
  const tender = obj(compiled['tender']);
  const xdecp = obj(compiled['x_decp']);

  // the release that first named each party (one pass: a partner's process may have hundreds)
  const partyFrom = new Map<string, SourcedRelease>();
  for (const r of releases) {
    for (const p of objs(r.release['parties'])) {
      const id = partyRowId(p['id']);
      if (id !== null && !partyFrom.has(id)) partyFrom.set(id, r);
    }
  }
  // the parties its releases say are natural persons (x_decp.personParties)
  const persons = new Set(releases.flatMap((r) => personPartiesOf(r.release)));
  for (const p of parties.length > 0 ? parties : partiesFromReferences(compiled, partyIdOf)) {
    const roles = Array.isArray(p['roles']) ? p['roles'].filter((r): r is string => typeof r === 'string') : [];
    const ident = obj(p['identifier']);
    const idv = str(ident['id']);
    const scheme = str(ident['scheme']);
    // the release that first named it (a party built from references: the process's first release)
    const named = parties.length > 0 ? partyFrom.get(partyRowId(p['id']) ?? '') : releases[0];
    const siren = sirenOfParty(scheme, idv, p['additionalIdentifiers']);
    const own = typeof p['id'] === 'string' && persons.has(p['id']);
    // (a buyer is no natural person: never withheld for a SIREN another process says is one)
    const elsewhere = !own && !roles.includes('buyer') && siren !== null && personSirens.has(siren);
    out.parties.push({
      ocid,
      party_id: partyRowId(p['id']),
      name: str(p['name']),
      identifier_scheme: scheme,
      identifier_id: idv,
      siren,
      roles: roles.join(','),
      is_buyer: roles.includes('buyer'),
      is_supplier: roles.includes('supplier'),
      natural_person: own || elsewhere,
      person_elsewhere: elsewhere,
      source_sha256: shaOf(named),
      source_index: indexOf(named),
    });
  }

  // (its buyer's identifier schemes, of which its market is the country: see markets.ts)
  const buyerSchemes = buyerId === null ? [] : out.parties.filter((p) => p['party_id'] === buyerId).map((p) => p['identifier_scheme'] as string | null);

  const awards = new Map<string, Obj>();
  // (the subcontracting acts' figures, by `<award id>-<act id>`)
  const acts = new Map(objs(xdecp['sousTraitance']).map((e) => [str(e['id']) ?? '', e]));
  // each award's suppliers at award (sorted party ids), for linking one contract's publications
  const awardSuppliers = new Map<string, string>();
  // (contract id → the id of the source record that brought it, x_decp.id)
  const recordIds = new Map<unknown, string>();
  const awardRowId = rowIds(objs(compiled['awards']));
  for (const a of objs(compiled['awards'])) {
    const id = awardRowId(a['id']);
    if (id === null) continue;
    awards.set(id, a);
    const date = timestamp(a['date']);
    const value = obj(a['value']);
    const suppliers = distinctParties(orgs(a['suppliers']), partyIdOf);
    const from = introducer(releases, 'awards', a['id']);
    out.awards.push({
      ocid,
      award_id: id,
      buyer_id: buyerId,
      title: str(a['title']),
      status: str(a['status']),
      date,
      year: yearOf(date),
      amount: num(value['amount']),
      currency: str(value['currency']),
      // (its days given, or measured from its dates: a partner's period gives dates alone)
      duration_days: periodDays(obj(a['contractPeriod'])),
      suppliers: suppliers.length,
      has_subcontracting: typeof a['hasSubcontracting'] === 'boolean' ? a['hasSubcontracting'] : null,
      // (the lots it is for, as bids.related_lots names an offer's: each once, comma-separated)
      related_lots: Array.isArray(a['relatedLots']) && a['relatedLots'].length > 0 ? [...new Set(a['relatedLots'].map(String))].join(',') : null,
      source_sha256: from?.sourceSha256 ?? null,
      source_index: from?.sourceIndex ?? null,
    });
    // its subcontracting acts: x_decp.sousTraitance's entries under `<award id>-<act id>` (amounts,
    // durations, days: each act as its last modification left it), their subcontractors in
    // awards[].subcontracting (an act that names none is there only: its party is null); an act the
    // award lists without an entry too
    const prefix = `${str(a['id']) ?? ''}-`;
    const subcontractors = new Map(objs(obj(a['subcontracting'])['subcontracts']).map((sub) => [str(sub['id']) ?? '', sub['subcontractor']]));
    const actIds = new Set([...[...acts.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)), ...subcontractors.keys()]);
    actIds.delete('');
    for (const subId of actIds) {
      const act = acts.get(prefix + subId) ?? {};
      const who = subcontractors.get(subId);
      const notified = str(act['dateNotification']);
      out.subcontracts.push({
        ocid,
        award_id: id,
        subcontract_id: subId,
        party_id: isObj(who) ? partyIdOf(who) : null,
        amount: num(act['montant']),
        currency: str(value['currency']),
        duration_months: int(act['dureeMois']),
        price_variation: str(act['variationPrix']),
        date_notified: notified !== null && timestamp(notified.slice(0, 10)) !== null ? notified.slice(0, 10) : null,
        year: yearOf(date),
        source_sha256: from?.sourceSha256 ?? null,
        source_index: from?.sourceIndex ?? null,
      });
    }
    // (a supplier without an id: the suppliers are not known well enough to link anything)
    const companies = suppliers.map((s) => knownIdOf(s.ref)).map((id) => (id === null ? null : companyOf(id)));
    awardSuppliers.set(id, companies.includes(null) ? '' : [...new Set(companies)].sort().join('\u0000'));
    for (const s of suppliers) out.award_suppliers.push({ ocid, award_id: id, party_id: s.id, year: yearOf(date), source_sha256: shaOf(from), source_index: indexOf(from) });
  }

  // is this contract's award the process's only one? An unsuccessful or cancelled award of the same
  // lot (Prozorro's to a bidder disqualified before the winner: both offers were for this contract)
  // gave no contract and is not one more; one of another lot, or of a lot unknown in a process of
  // several lots (tender.lots, or awards' relatedLots naming more than one), is. (Counted once per
  // lot: a process may have thousands of awards.)
  const lotKey = (a: Obj): string => (Array.isArray(a['relatedLots']) ? a['relatedLots'].map(String).sort().join('\u0000') : '');
  const ended = new Map<string, number>();
  let standing = 0;
  let endedTotal = 0;
  const lotKeys = new Set<string>();
  for (const a of awards.values()) {
    const key = lotKey(a);
    if (key !== '') lotKeys.add(key);
    if (!ENDED_AWARD.has(String(a['status']))) standing++;
    else {
      ended.set(key, (ended.get(key) ?? 0) + 1);
      endedTotal++;
    }
  }
  const severalLots = objs(tender['lots']).length > 1 || lotKeys.size > 1;
  const soleAward = (awardId: string | null): boolean => {
    const own = awardId === null ? undefined : awards.get(awardId);
    if (own === undefined) return standing + (severalLots ? endedTotal : 0) <= 1;
    const key = lotKey(own);
    const ownEnded = ENDED_AWARD.has(String(own['status']));
    // the other awards: those standing, and those ended of another (or an unknown) lot
    const endedOfItsLot = !severalLots ? endedTotal : key === '' ? (ownEnded ? 1 : 0) : (ended.get(key) ?? 0);
    return standing - (ownEnded ? 0 : 1) + endedTotal - endedOfItsLot === 0;
  };
  // offers received: each award's own statistic (`bids-<award id>`, as convert writes them); one
  // statistic without that id only stands for the process's single award
  const bidStats = objs(obj(compiled['bids'])['statistics']).filter((s) => s['measure'] === 'bids');
  // a partner's statistic of one lot (the bid extension's relatedLot: Find a Tender's) stands for the
  // award of that lot alone
  // (an award's lots, its relatedLots, each once)
  const lotsOfAward = (awardId: string | null): string[] => {
    const own = awardId !== null ? awards.get(awardId) : undefined;
    return Array.isArray(own?.['relatedLots']) ? [...new Set(own['relatedLots'].map(String))] : [];
  };
  const lotStat = (awardId: string | null): Obj | undefined => {
    const lots = lotsOfAward(awardId);
    if (lots.length !== 1) return undefined;
    const ofLot = bidStats.filter((s) => (typeof s['relatedLot'] === 'string' || typeof s['relatedLot'] === 'number') && String(s['relatedLot']) === lots[0]);
    return ofLot.length === 1 ? ofLot[0] : undefined;
  };
  const bidsOf = (awardId: string | null): Obj | undefined =>
    bidStats.find((s) => awardId !== null && str(s['id']) === `bids-${awardId}`) ?? lotStat(awardId) ?? (bidStats.length === 1 && soleAward(awardId) ? bidStats[0] : undefined);
  // a partner's process gives its offers without such statistics: its bids received (bids.details,
  // but those only invited, withdrawn or deleted: a disqualified offer was received, as DECP's
  // offresRecues counts it; Prozorro's are "active"), else tender.numberOfTenderers, counted for the
  // whole process, stand for a contract's when its award is the process's one (soleAward), or one offer in all
  const details = objs(obj(compiled['bids'])['details']);
  const receivedBids = details.filter((d) => !NOT_RECEIVED.has(String(d['status'])));
  // the offers themselves and the tender they answer (what the bid-based red flags read): a
  // partner's process that gives them only (DECP gives neither: two key lookups for its every process)
  if (details.length > 0 || isObj(tender['tenderPeriod'])) flattenBids(ocid, releases, tender, details, buyerId, knownIdOf, out);

  const received = bidders(receivedBids, parties, knownIdOf);
  const processBids = received > 0 ? received : int(tender['numberOfTenderers']);
  // offers made for lots (bids.details[].relatedLots, or lotValues[].relatedLot: Prozorro's, a tender of several lots): an
  // award's are those for a lot of its own (its relatedLots), when every offer received names its lots;
  // none of them for its lots, it has none known (null): not the process's, made for other lots
  // (undefined: the offers do not tell, the process's stand for it as before)
  const bidsByLot = receivedBids.length > 0 && receivedBids.every((d) => bidLots(d).length > 0);
  const lotOffers = (awardId: string | null): number | null | undefined => {
    const lots = new Set(bidsByLot ? lotsOfAward(awardId) : []);
    if (lots.size === 0) return undefined;
    const forItsLots = receivedBids.filter((d) => bidLots(d).some((l) => lots.has(l)));
    return forItsLots.length > 0 ? bidders(forItsLots, parties, knownIdOf) : null;
  };
  const offersOf = (awardId: string | null): number | null => {
    const stat = bidsOf(awardId);
    if (stat !== undefined) return int(stat['value']);
    const ofItsLots = lotOffers(awardId);
    if (ofItsLots !== undefined) return ofItsLots;
    return processBids !== null && (soleAward(awardId) || processBids === 1) ? processBids : null;
  };
  const contractRowId = rowIds(objs(compiled['contracts']));
  // the contracts that have tariffs (a concession's, DECP donneesExecution tarifs), their rows made
  // once the releases that gave each tariff are known (below)
  const withTariffs: Array<readonly [string, Obj, number | null]> = [];
  for (const k of objs(compiled['contracts'])) {
    const id = contractRowId(k['id']);
    if (id === null) continue;
    const awardId = awardRowId(k['awardID']);
    const award = awardId !== null ? awards.get(awardId) : undefined;
    const signed = timestamp(k['dateSigned']) ?? timestamp(award?.['date']);
    const value = obj(k['value']);
    const period = obj(k['period']);
    const items = objs(k['items']).length > 0 ? objs(k['items']) : objs(award?.['items']);
    // (a code of no CPV division classifies nothing, as in a DECP record: Prozorro's ДК021 `99999999-9`,
    // "not defined", beside an additional classification, made every such contract one CPV class)
    const cpv = items.map((i) => obj(i['classification'])).find((cl) => isCpvScheme(cl['scheme']) && !isPlaceholderCpv(cl['id']));
    const from = introducer(releases, 'contracts', k['id']);
    const year = yearOf(signed);
    // the procedure and category are those of the record that brought the contract: lots of one
    // process may differ, and the compiled tender holds the last record's
    // (a tender that says none of them, such as a partner's `{id}`, leaves them to the compiled one)
    const introduced = from !== undefined && isObj(from.release['tender']) ? from.release['tender'] : undefined;
    const ownTender = introduced !== undefined && ['procurementMethod', 'procurementMethodDetails', 'mainProcurementCategory'].some((k) => k in introduced) ? introduced : tender;
    const bids = offersOf(awardId);
    // the suppliers now: the contract's own list once a modification gave one (or a partner gives
    // it: DNCP as one object), else the award's
    const own = hasSuppliers(k);
    const current = distinctParties(own ? orgs(k['suppliers']) : orgs(award?.['suppliers']), partyIdOf);
    // where they come from: the last release that gave the contract its list, else the award's
    const suppliersFrom = own ? releases.findLast((r) => objs(r.release['contracts']).some((c) => c['id'] === k['id'] && hasSuppliers(c))) : award !== undefined ? introducer(releases, 'awards', award['id']) : undefined;
    // the contract as its first release gave it: its value then (partners split one award into
    // contracts of their own values), else the award's. A compiled release gives the contract's
    // current state (its history was not read): its first too when it lists no amendment; else the
    // award's, when that award is this contract's alone (one award split into contracts: unknown)
    const compiledFrom = from !== undefined && isCompiledRelease(from.release);
    const amendedSince = compiledFrom && objs(k['amendments']).length > 0;
    const first = from !== undefined && !amendedSince ? objs(from.release['contracts']).find((c) => c['id'] === k['id']) : undefined;
    const awardAtStart = amendedSince && objs(compiled['contracts']).filter((c) => awardRowId(c['awardID']) === awardId).length > 1 ? undefined : award;
    // its duration then (D0 of red-flags.md §3.4: a partner's award gives an estimated period, and
    // the contract signed for another one was "extended" without a modification), else the award's
    const firstPeriod = obj(first?.['period']);
    // (each measure from the first period that gives it: one in months only keeps the award's days)
    const awardPeriod = obj(awardAtStart?.['contractPeriod']);
    const decpMonths = period['startDate'] === undefined && firstPeriod['startDate'] === undefined ? monthsOfDecp(releases, from, k['id']) : undefined;
    // where it is performed (its items' places; a DECP source says whether its `region` is a département or a région)
    const fromX = from !== undefined ? obj(from.release['x_decp']) : undefined;
    // (the DECP values of the record that brought it: lots of one ocid may differ, the compiled x_decp is the last lot's)
    const ex = fromX ?? xdecp;
    const hasX = from !== undefined ? 'x_decp' in from.release : 'x_decp' in compiled;
    const placeX = obj(ex['lieuExecution']);
    const place = placeOfItems(items, hasX, str(placeX['typeCode']));
    // (the id of the source record that brought it: linkDateCorrections links only a record given again)
    const recordId = typeof fromX?.['id'] === 'string' ? fromX['id'].trim() : '';
    if (recordId !== '') recordIds.set(id, recordId);
    out.contracts.push({
      ocid,
      contract_id: id,
      award_id: awardId,
      buyer_id: buyerId,
      title: str(k['title']) ?? str(award?.['title']),
      status: str(k['status']),
      date_signed: signed,
      // (a compiled release's date is when its publisher compiled it, not when the contract was published)
      date_published: from && !compiledFrom ? publishedDate(from, releases, k['id']) : null,
      year,
      initial_amount: initialAmount(value, obj(first?.['value'])) ?? initialAmount(value, obj(awardAtStart?.['value'])),
      amount: num(value['amount']),
      currency: str(value['currency']),
      period_start: timestamp(period['startDate']),
      period_end: timestamp(period['endDate']) ?? timestamp(period['maxExtentDate']),
      initial_duration_days: periodDays(firstPeriod) ?? periodDays(awardPeriod),
      duration_days: periodDays(period),
      initial_duration_months: wholeMonths(firstPeriod) ?? wholeMonths(awardPeriod) ?? decpMonths?.initial ?? null,
      duration_months: wholeMonths(period) ?? decpMonths?.current ?? null,
      amendments: objs(k['amendments']).length,
      corrections: 0,
      first_amendment_days: null,
      suppliers: current.length,
      suppliers_changed: null,
      procurement_method: str(ownTender['procurementMethod']),
      procurement_method_details: str(ownTender['procurementMethodDetails']),
      main_category: str(ownTender['mainProcurementCategory']),
      framework_agreement: frameworkAgreement(ownTender, xdecp),
      purchase_orders: purchaseOrders(ex),
      ...callOff(k, from !== undefined && !compiledFrom ? from.release : compiled),
      // 8 digits, as DECP gives it: a partner's "15860000-4" (with its check digit) is the same code
      cpv: cpv ? (normalizeCpv(cpv['id'])?.code ?? str(cpv['id'])) : null,
      place_departement: place.departement,
      place_region: place.region,
      bids,
      record_type: str(xdecp['recordType']),
      decp_nature: decpNature(ex),
      decp_version: str(xdecp['formatVersion']),
      market: marketOf(ocid, str(xdecp['formatVersion']), buyerSchemes),
      duplicate_of: null,
      source_sha256: from?.sourceSha256 ?? null,
      source_index: from?.sourceIndex ?? null,
    });
    // the record's other DECP values (contract_decp, a narrow table of its own: 18 more columns in
    // contracts made its Parquet export run out of memory), each a direct read — convert has typed
    // them —: a row for a contract that has any; a partner's contract without x_decp has one only with
    // a subsidy (its implementation's charges), so one without costs a key read
    if (hasX || k['implementation'] !== undefined) {
      const terms = decpValues(ocid, id, ex, k, str(value['currency']), from);
      if (terms !== null) out.contract_decp.push(terms);
    }
    if (Array.isArray(k['tariffs']) && k['tariffs'].length > 0) withTariffs.push([id, k, year]);
    for (const s of current) out.contract_suppliers.push({ ocid, contract_id: id, party_id: s.id, year, source_sha256: shaOf(suppliersFrom ?? from), source_index: indexOf(suppliersFrom ?? from) });
    for (const i of items) {
      const unit = obj(i['unit']);
      const price = obj(unit['value']);
      const cl = obj(i['classification']);
      out.items.push({
        ocid,
        contract_id: id,
        item_id: str(i['id']),
        description: str(i['description']),
        // (DNCP Paraguay spells it "schema")
        classification_scheme: str(cl['scheme']) ?? str(cl['schema']),
        classification_id: str(cl['id']),
        quantity: num(i['quantity']),
        unit_name: str(unit['name']),
        unit_code: str(unit['id']),
        unit_price: num(price['amount']),
        unit_currency: str(price['currency']),
        year,
        source_sha256: shaOf(from),
        source_index: indexOf(from),
      });
    }
  }

  // (contracts mapped here only: their award ids are made of their content, so one contract published
  // twice gets two; a partner's contract ids are its publisher's, distinct contracts however alike)
  if (xdecp['recordType'] !== undefined) linkDuplicates(out.contracts, awardSuppliers, recordIds);
  // the publication delay in calendar days, each date's day as its source gave it (its zone's day:
  // 2019-01-01-04:00 is the 1st, not the UTC instant's): what the two-month rule counts
  for (const k of out.contracts) {
    const signed = k['date_signed'];
    const published = k['date_published'];
    k['signed_day'] = typeof signed === 'string' ? signed.slice(0, 10) : null;
    k['publication_delay_days'] = typeof signed === 'string' && typeof published === 'string' ? daysBetween(signed.slice(0, 10), published.slice(0, 10)) : null;
  }

  // history: each amendment with the contract as the amending release left it (a period's new end
  // without its start, as partners amend one, measured from the contract's start)
  const starts = new Map(out.contracts.map((k) => [k['contract_id'], k['period_start']]));
  // a DECP modification notified on the day of its contract's notification corrects the data
  // published for the contract (an avenant comes after the contract it amends: the samples' are
  // "Erreur de saisie", "Nom et Siret du titulaire", "Actualisation données transmises
  // initialement", "durée du marché"…): a correction, not an amendment (amendments.correction); the
  // contract's initial value, duration and first amendment are read after it (below). One dated
  // before the notification is a date mistyped (a month, a year): still a modification
  // (MODIFICATION_BEFORE_CONTRACT)
  // (DECP's own records, as the red flags' DECP_ONLY: a partner's mapped through a profile has a
  // recordType too, and its own rules)
  const decp = typeof xdecp['formatVersion'] === 'string';
  const signedDays = new Map(out.contracts.map((k) => [k['contract_id'], k['signed_day']]));
  // (the corrections are those before the contract's first modification that is none: a same-day one
  // after a real modification — ordered by its id, its date mistyped — is a modification; it does
  // not make the contract's initial state)
  const modified = new Set<string | null>();
  // (each row's duration in whole months, for a correction's: DECP durations are months)
  const rowMonths: Array<number | null> = [];
  // (each row's suppliers, the party ids its release lists for the contract; null when it lists none)
  const rowSuppliers: Array<Array<string | null> | null> = [];
  const seen = new Set<string>();
  const ranks = new Map<string | null, number>();
  // (the release that gave each contract's tariff, by contract and tariff id: its last, whose values the compiled one has)
  const tariffFrom = new Map<string, SourcedRelease>();
  for (const r of releases) {
    const rid = str(r.release['id']);
    // a compiled release lists every amendment beside the contract's current values: what each left is unknown
    const compiled = isCompiledRelease(r.release);
    const xr = obj(r.release['x_decp']);
    // a DECP concession's execution year (its implementation release: x_decp.execution, left out of
    // compiled releases), with the investment it gives (x_decp.depensesInvestissement) and how many tariffs
    const execution = xr['execution'];
    if (isObj(execution)) {
      const k = objs(r.release['contracts'])[0] ?? {};
      const investment = objs(xr['depensesInvestissement'])[0] ?? {};
      const date = timestamp(r.release['date']);
      out.executions.push({
        ocid,
        award_id: awardRowId(k['awardID']) ?? contractRowId(k['id']),
        execution_id: str(execution['year']),
        release_id: rid,
        date,
        year: yearOf(date),
        investment: num(investment['amount']),
        currency: str(investment['currency']),
        tariffs: objs(k['tariffs']).length,
        source_sha256: r.sourceSha256,
        source_index: r.sourceIndex,
      });
    }
    for (const k of objs(r.release['contracts'])) {
      const cid = contractRowId(k['id']);
      if (withTariffs.length > 0 && Array.isArray(k['tariffs'])) {
        for (const t of objs(k['tariffs'])) {
          const tid = str(t['id']);
          if (tid !== null) tariffFrom.set(`${cid ?? ''}\u0000${tid}`, r);
        }
      }
      for (const a of objs(k['amendments'])) {
        const aid = str(a['id']);
        // an amendment is one by its id within its contract (as the merge has it): a publisher that
        // repeats its contract's amendments in each later release (cumulative lists) names each once,
        // with the contract as the first release that gives it left it; without an id, by its release
        const key = aid !== null ? `${cid}\u0000${aid}` : `${cid}\u0000\u0000${str(a['releaseID']) ?? rid}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // the modification's own date only: a release's date is when it was published, which a
        // modification without its notification date would take for when it happened (a platform
        // publishing several modifications at once would date them all that day); the row's year is
        // the release's then, for the partitions
        const date = timestamp(a['date']);
        const dated = date ?? (compiled ? null : timestamp(r.release['date']));
        const value = compiled ? {} : obj(k['value']);
        const period = compiled ? {} : obj(k['period']);
        const position = (ranks.get(cid) ?? 0) + 1;
        ranks.set(cid, position);
        const signedDay = signedDays.get(cid);
        const isCorrection = decp && !modified.has(cid) && date !== null && typeof signedDay === 'string' && daysBetween(signedDay, date.slice(0, 10)) === 0;
        if (!isCorrection) modified.add(cid);
        rowMonths.push(compiled ? null : (wholeMonths(period) ?? (decp ? monthsGiven(obj(obj(r.release['x_decp'])['modification'])['dureeMois']) : null)));
        rowSuppliers.push(!compiled && Array.isArray(k['suppliers']) ? distinctParties(orgs(k['suppliers']), partyIdOf).map((s) => s.id) : null);
        out.amendments.push({
          ocid,
          contract_id: cid,
          amendment_id: aid,
          position,
          release_id: str(a['releaseID']) ?? rid,
          amends_release_id: str(a['amendsReleaseID']),
          date,
          year: yearOf(dated),
          description: str(a['description']) ?? str(a['rationale']),
          amount: num(value['amount']),
          currency: str(value['currency']),
          duration_days: periodDays((period['startDate'] === undefined || period['startDate'] === null) && durationEnd(period) !== null ? { ...period, startDate: starts.get(cid) ?? null } : period),
          period_end: timestamp(period['endDate']) ?? timestamp(period['maxExtentDate']),
          suppliers: !compiled && Array.isArray(k['suppliers']) ? objs(k['suppliers']).length : null,
          correction: isCorrection,
          source_sha256: r.sourceSha256,
          source_index: r.sourceIndex,
        });
      }
    }
    for (const f of objs(xr['qualityFlags'])) {
      out.quality_flags.push({ ocid, release_id: rid, code: str(f['code']), pointer: str(f['pointer']), raw: jsonText(f['raw']), source_sha256: r.sourceSha256, source_index: r.sourceIndex });
    }
  }
  // each contract's tariffs as its compiled release gives them (merged by id: their latest values),
  // with the release that gave each (a DECP concession's execution year: joins executions.release_id)
  for (const [cid, k, signedYear] of withTariffs) {
    for (const t of objs(k['tariffs'])) {
      const tid = str(t['id']);
      const r = tid === null ? undefined : tariffFrom.get(`${cid}\u0000${tid}`);
      const date = r === undefined ? null : timestamp(r.release['date']);
      const value = obj(t['value']);
      out.tariffs.push({
        ocid,
        contract_id: cid,
        tariff_id: tid,
        release_id: r === undefined ? null : str(r.release['id']),
        date,
        year: yearOf(date) ?? signedYear,
        title: str(t['title']),
        amount: num(value['amount']),
        currency: str(value['currency']),
        paid_by: str(t['paidBy']),
        source_sha256: shaOf(r),
        source_index: indexOf(r),
      });
    }
  }
  // a contract's corrections make its initial state: its initial value and duration are the last
  // a correction gave (M0 and D0 of red-flags.md: the figure a publisher corrected on the day was
  // never the contract's)
  for (const k of out.contracts) {
    let corrections = 0;
    out.amendments.forEach((a, i) => {
      if (a['contract_id'] !== k['contract_id'] || a['correction'] !== true) return;
      corrections++;
      const amount = a['amount'] ?? null;
      const days = a['duration_days'] ?? null;
      const months = rowMonths[i] ?? null;
      if (amount !== null) k['initial_amount'] = amount;
      if (days !== null || months !== null) {
        k['initial_duration_days'] = days;
        k['initial_duration_months'] = months;
      }
    });
    k['corrections'] = corrections;
  }
  // how soon the first modification came, in calendar days, each date's day as its source gave it
  // (as the publication delay); a correction (dated on the notification's day) is none, nor is one
  // dated before the notification (a data error: it would hide an early change)
  for (const k of out.contracts) {
    const signed = k['signed_day'];
    if (typeof signed !== 'string') continue;
    let first: number | null = null;
    for (const a of out.amendments) {
      const date = a['date'];
      if (a['contract_id'] !== k['contract_id'] || typeof date !== 'string' || a['correction'] === true) continue;
      const days = daysBetween(signed, date.slice(0, 10));
      if (Number.isFinite(days) && days >= 0 && (first === null || days < first)) first = days;
    }
    k['first_amendment_days'] = first;
  }
  // the suppliers a DECP contract's modifications changed (red-flags.md §3.4 4, SUPPLIERS_CHANGED):
  // its legal units now against those at award as its corrections left them — the last correction
  // that lists suppliers gives them, as it gives the initial value ("Nom et Siret du titulaire" on
  // the day), else the award's —, when a modification that is no correction lists suppliers (one
  // that lists none changes nothing) and both sets are known: how many were added or removed
  // (compared by SIREN: an establishment moving is no change); null otherwise. Worked out here,
  // from each modification's own list, which the store does not keep (the award's list against the
  // current one flagged a supplier corrected on the day whenever a later modification repeated it)
  if (decp) {
    const unitsOf = (ids: ReadonlyArray<string | null>): Set<string> => new Set(ids.map((id) => (id === null ? '' : companyOf(id))));
    for (const k of out.contracts) {
      const cid = k['contract_id'];
      let initial: Array<string | null> | null = null;
      let listed = false;
      for (let i = 0; i < out.amendments.length; i++) {
        const list = rowSuppliers[i] ?? null;
        if (out.amendments[i]?.['contract_id'] !== cid || list === null) continue;
        if (out.amendments[i]?.['correction'] !== true) listed = true;
        else if (list.length > 0) initial = list;
      }
      if (!listed) continue;
      const before = unitsOf(initial ?? out.award_suppliers.filter((s) => s['award_id'] === k['award_id']).map((s) => s['party_id'] as string | null));
      const after = unitsOf(out.contract_suppliers.filter((s) => s['contract_id'] === cid).map((s) => s['party_id'] as string | null));
      if (before.size === 0 || after.size === 0) continue;
      k['suppliers_changed'] = [...before].filter((u) => !after.has(u)).length + [...after].filter((u) => !before.has(u)).length;
    }
  }
  return out;
}

/**
 * Is a contract a call-off of a framework agreement (a DECP marché subséquent), and of which: OCDS
 * relatedProcesses with the relationship `framework`, the contract's own, else those of the release
 * that brought it (`process`: lots of one ocid may be under different frameworks; convert writes
 * them there), the framework's ocid when they name it (scheme `ocid`).
 */
function callOff(contract: Obj, process: Obj): { call_off: boolean; framework_ocid: string | null } {
  const own = objs(contract['relatedProcesses']);
  const related = (own.length > 0 ? own : objs(process['relatedProcesses'])).filter((p) => Array.isArray(p['relationship']) && p['relationship'].includes('framework'));
  const named = related.find((p) => p['scheme'] === 'ocid' && typeof p['identifier'] === 'string' && p['identifier'] !== '');
  return { call_off: related.length > 0, framework_ocid: named !== undefined ? (named['identifier'] as string) : null };
}

/** A list of texts as the store keeps one: comma-separated, in the source's order; a text alone as it is; null for none. */
function texts(v: JsonValue | undefined): string | null {
  if (typeof v === 'string') return v;
  if (!Array.isArray(v)) return null;
  const given = v.filter((t): t is string => typeof t === 'string');
  return given.length > 0 ? given.join(',') : null;
}
const bool = (v: JsonValue | undefined): boolean | null => (typeof v === 'boolean' ? v : null);
const day = (v: JsonValue | undefined): string | null => (typeof v === 'string' && DAY.test(v) && timestamp(v.slice(0, 10)) !== null ? v.slice(0, 10) : null);

/** contract_decp's columns of values (all but its key and provenance). */
const DECP_VALUES = ['price_form', 'price_types', 'techniques', 'execution_modes', 'social_considerations', 'environmental_considerations', 'innovative', 'ccag', 'advance_payment', 'advance_rate', 'origin_eu', 'origin_france', 'grouping_type', 'framework_id', 'public_subsidy', 'buyer_profile_url', 'date_transmitted'] as const;

/**
 * A contract's row of contract_decp: the DECP values of its record without an OCDS field (x_decp of
 * the release that brought it; convert has read them: a boolean, a rate, a day is one, else left out
 * and flagged), each read directly, and a concession's public subsidy; null when it has none of them.
 */
function decpValues(ocid: string, contractId: string, x: Obj, k: Obj, currency: string | null, from: SourcedRelease | undefined): Row | null {
  const subsidy = publicSubsidy(k, currency, x);
  const row: Row = {
    ocid,
    contract_id: contractId,
    decp_id: str(x['id']),
    price_form: str(x['formePrix']),
    price_types: texts(x['typesPrix']),
    techniques: texts(x['techniques']),
    execution_modes: texts(x['modalitesExecution']),
    social_considerations: texts(x['considerationsSociales']),
    environmental_considerations: texts(x['considerationsEnvironnementales']),
    innovative: bool(x['marcheInnovant']),
    ccag: str(x['ccag']),
    advance_payment: bool(x['attributionAvance']),
    advance_rate: num(x['tauxAvance']),
    origin_eu: num(x['origineUE']),
    origin_france: num(x['origineFrance']),
    grouping_type: str(x['typeGroupementOperateurs']),
    framework_id: str(x['idAccordCadre']),
    public_subsidy: subsidy,
    currency: subsidy !== null ? currency : null,
    buyer_profile_url: str(x['urlProfilAcheteur']),
    date_transmitted: day(x['dateTransmissionDonneesEtalab']),
    source_sha256: from?.sourceSha256 ?? null,
    source_index: from?.sourceIndex ?? null,
  };
  // (a DECP record always has its id: the others are looked at for a partner's contract only)
  return row['decp_id'] !== null || DECP_VALUES.some((c) => row[c] !== null) ? row : null;
}

/**
 * A concession's public subsidy: its contract's charges paid by the government, in the contract's
 * currency (DECP montantSubventionPublique: a charge when over 0; 0 as x_decp gives it); else null.
 */
function publicSubsidy(k: Obj, currency: string | null, x: Obj): number | null {
  const implementation = k['implementation'];
  let subsidy: number | null = null;
  if (isObj(implementation)) {
    for (const ch of objs(implementation['charges'])) {
      const v = obj(ch['estimatedValue']);
      const amount = num(v['amount']);
      if (ch['paidBy'] !== 'government' || amount === null || (v['currency'] !== undefined && v['currency'] !== currency)) continue;
      subsidy = (subsidy ?? 0) + amount;
    }
  }
  return subsidy === null && x['montantSubventionPublique'] === 0 ? 0 : subsidy;
}

/**
 * The DECP natures (the 2019 and 2024 schemas'), by the label the store gives them: a marché's, a
 * concession's (convert keeps the label as the record gave it in x_decp.nature).
 */
const MARCHE_NATURES: Readonly<Record<string, string>> = {
  'Marché': 'Marché',
  'Marché public': 'Marché',
  'Marché de partenariat': 'Marché de partenariat',
  'Marché de défense ou de sécurité': 'Marché de défense ou de sécurité',
  'Accord-cadre': 'Accord-cadre',
  'Marché subséquent': 'Marché subséquent',
};
const CONCESSION_NATURES: Readonly<Record<string, string>> = {
  'Concession de travaux': 'Concession de travaux',
  'Concession de service': 'Concession de service',
  'Concession de service public': 'Concession de service public',
  'Délégation de service public': 'Délégation de service public',
};

/**
 * A DECP contract's nature (x_decp.nature of the record that brought it) in the schema's words: the
 * label as given when it is one (a direct read, the common case), another spelling of one read as it
 * (`accord cadre`, `Accords-cadres`, `DSP`: respellLabel, cached by label), else as given; null when
 * the record gives none (a partner's OCDS).
 */
function decpNature(xdecp: Obj): string | null {
  const given = xdecp['nature'];
  if (typeof given !== 'string') return null;
  const list = xdecp['recordType'] === 'contrat-concession' ? CONCESSION_NATURES : MARCHE_NATURES;
  const known = list[given];
  if (known !== undefined) return known;
  const other = respellLabel(given, list);
  return other !== null && 'code' in other ? other.code : given;
}

/**
 * Whether a DECP marché is executed by purchase orders (modalitesExecution "Bons de commande", as its
 * record gave it): its value is then a maximum, as a framework agreement's (red-flags.md §3.4 3:
 * "montant is a maximum for accords-cadres/bons de commande — stratify on techniques/
 * modalitesExecution"); false for a record that gives other modes; null where the source says
 * nothing (the 2019 format has no such field; OCDS none).
 */
function purchaseOrders(xdecp: Obj): boolean | null {
  const modes = xdecp['modalitesExecution'];
  const given = (Array.isArray(modes) ? modes : [modes]).filter((m): m is string => typeof m === 'string' && m.trim() !== '');
  if (given.length === 0) return null;
  // (several modes in one text, "Tranches, Bons de commande", as some platforms join them)
  return given.some((m) => m.split(/[,;|]/).some((part) => /^bons?\s+de\s+commandes?$/i.test(part.trim())));
}

/**
 * Is the contract's tender a framework agreement: true or false as OCDS techniques say; false for a
 * DECP contract that says nothing (its nature and techniques give hasFrameworkAgreement when it is
 * one); null for a partner's that says nothing.
 */
function frameworkAgreement(tender: Obj, xdecp: Obj): boolean | null {
  const has = obj(tender['techniques'])['hasFrameworkAgreement'];
  if (typeof has === 'boolean') return has;
  return typeof xdecp['formatVersion'] === 'string' ? false : null;
}
