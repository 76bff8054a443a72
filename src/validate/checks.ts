/**
 * Checks beyond the schema, in the spirit of the OCDS data review tools:
 * things a schema cannot say (references, order of dates, plausibility,
 * open codelists, empty values) and things across releases (duplicate ids).
 * Reported apart from schema errors. Pure but for the `ReleaseChecker`'s
 * memory of the release ids it has seen.
 */
import { escapePointer } from '../core/keys.js';
import { HashSet53 } from '../core/hash-set53.js';
import { isPlaceholderAmount } from '../transform/amounts.js';
import { instantOf, isCompiledRelease } from '../transform/compile/merge.js';
import { hash53 } from '../transform/hash.js';
import { mergePatch } from './schema-source/build.js';
import { DECLARED_EXTENSIONS, extensionPatches, ocdsReleaseSchema } from './schema-source/ocds.js';
import {
  AWARD_CRITERIA,
  DOCUMENT_TYPES,
  EXTENDED_PROCUREMENT_CATEGORIES,
  ITEM_CLASSIFICATION_SCHEMES,
  LOCATION_GAZETTEERS,
  MILESTONE_TYPES,
  PARTY_ROLES,
  RELATED_PROCESSES,
  RELATED_PROCESS_SCHEMES,
  STATISTIC_MEASURES,
  SUBMISSION_METHODS,
  SUSTAINABILITY_GOALS,
  SUSTAINABILITY_STRATEGIES,
  UNIT_CLASSIFICATION_SCHEMES,
} from './schema-source/codes.js';
import { isJsonObject } from '../transform/json-values.js';

export type CheckSeverity = 'error' | 'warning';

export interface CheckFinding {
  readonly rule: string;
  readonly severity: CheckSeverity;
  readonly pointer: string;
  readonly message: string;
  readonly value?: unknown;
}

/** A findings list and the function that adds to it, with each rule's severity from its table. */
export function findingsOf(rules: Readonly<Record<string, { severity: CheckSeverity }>>): { out: CheckFinding[]; add: (rule: string, pointer: string, message: string, value?: unknown) => void } {
  const out: CheckFinding[] = [];
  const add = (rule: string, pointer: string, message: string, value?: unknown): void => {
    const severity = rules[rule]!.severity;
    out.push(value === undefined ? { rule, severity, pointer, message } : { rule, severity, pointer, message, value });
  };
  return { out, add };
}

/** Every check's rule id, severity and what it means (the report's legend). */
export const CHECK_RULES: Readonly<Record<string, { severity: CheckSeverity; title: string }>> = {
  'check.duplicate-release-id': { severity: 'error', title: 'the same release id appears more than once in one contracting process (ocid)' },
  'check.ocid-prefix': { severity: 'error', title: 'the ocid does not start with a registered prefix (or not the expected one)' },
  'check.ocid-prefix-case': { severity: 'warning', title: 'the ocid starts with a registered prefix (or the expected one) spelt in upper case: prefixes are issued lower-case, and ocids are compared case-sensitively' },
  'check.unknown-party': { severity: 'error', title: 'an organisation reference (buyer, supplier, …) matches no party' },
  'check.duplicate-id': { severity: 'error', title: 'two objects of one list share an id (awards, parties, items…): merged into one when records are compiled' },
  'check.id-types-mixed': { severity: 'warning', title: 'ids of one list that differ in type only (1 and "1"): two objects when records are compiled, as the reference merge has them, where a publisher that changed its ids\' type likely meant one (compile: MERGE_ID_TYPES_MIXED)' },
  'check.date-order': { severity: 'warning', title: 'dates out of order (award before tender, signature before award, amendment before signature)' },
  'check.date-future': { severity: 'warning', title: 'a date in the future' },
  'check.amount-negative': { severity: 'warning', title: 'a negative amount' },
  'check.amount-placeholder': { severity: 'warning', title: 'a placeholder amount (999…)' },
  'check.amount-infinite': { severity: 'error', title: 'an amount past the range of a number (1e400: read as infinite; convert flags AMOUNT_IMPLAUSIBLE and keeps none)' },
  'check.open-codelist': { severity: 'warning', title: 'a code outside an open codelist (documented local codes land here too)' },
  'check.empty': { severity: 'warning', title: 'an empty object, array or string' },
  'check.compiled-release': { severity: 'warning', title: 'a compiled release given as a release (an OCDS record whose releases are linked, not embedded): the current state only, its history not read' },
  'check.compiled-release-beside': { severity: 'warning', title: 'a compiled release given beside releases of its ocid (run): what they merge into, not one of them, or an earlier state a later compiled release replaces, so left out of the merge and of the record (compile: MERGE_COMPILED_RELEASE)' },
  'check.compiled-release-base': { severity: 'warning', title: 'a compiled release dated before every other release of its ocid (run): the state of the process they start from (an OCDS record whose releases are linked, read earlier), merged first and they onto it (compile: MERGE_COMPILED_BASE)' },
  'check.record-ocid': { severity: 'error', title: 'a release embedded in an OCDS record of another ocid: compiled into the record of its own ocid (compile: TRANSFORM_RECORD_OCID_MISMATCH)' },
  'check.compiled-release-tag': { severity: 'warning', title: 'an OCDS record\'s compiledRelease, given as its release, whose tag is not ["compiled"]: read as the compiled release it is, tagged ["compiled"]' },
};

/** Dates of things that have happened (a period's end may well be in the future). */
const PAST_EVENTS = new Set(['date', 'dateSigned', 'datePublished', 'dateModified', 'dateMet']);

type J = Record<string, unknown>;

/**
 * The codes of each open codelist we hold, by the name the schema gives it (`codelist`). A codelist
 * the schema names and we do not hold (a user's extension) is not checked: its codes are unknown.
 */
export const OPEN_CODELISTS: Readonly<Record<string, ReadonlySet<string>>> = {
  'partyRole.csv': new Set(PARTY_ROLES),
  'itemClassificationScheme.csv': new Set(ITEM_CLASSIFICATION_SCHEMES),
  'unitClassificationScheme.csv': new Set(UNIT_CLASSIFICATION_SCHEMES),
  'relatedProcess.csv': new Set(RELATED_PROCESSES),
  'relatedProcessScheme.csv': new Set(RELATED_PROCESS_SCHEMES),
  'documentType.csv': new Set(DOCUMENT_TYPES),
  'milestoneType.csv': new Set(MILESTONE_TYPES),
  'awardCriteria.csv': new Set(AWARD_CRITERIA),
  'submissionMethod.csv': new Set(SUBMISSION_METHODS),
  'extendedProcurementCategory.csv': new Set(EXTENDED_PROCUREMENT_CATEGORIES),
  'sustainabilityGoal.csv': new Set(SUSTAINABILITY_GOALS),
  'sustainabilityStrategy.csv': new Set(SUSTAINABILITY_STRATEGIES),
  'locationGazetteers.csv': new Set(LOCATION_GAZETTEERS),
  'statistic.csv': new Set(STATISTIC_MEASURES),
};

/**
 * What is checked at one place of a release (a key of a release, array indices left out) and below
 * it: the open codelist its strings are in, whether it is an organisation reference (its `id` must be
 * a party's). A tree, so the walk follows it key by key instead of matching every pointer.
 */
interface Position {
  readonly children: Map<string, Position>;
  codelist?: { readonly name: string; readonly codes: ReadonlySet<string>; readonly array: boolean };
  party?: { readonly array: boolean };
}

/**
 * The lots extension's fields that hold open codes or organisation references (facts of
 * ocds_lots_extension): not one of the declared extensions, but partners' data uses it, and its lots
 * hold the same kinds of values as the tender. Added where the schema in use has no lots of its own.
 */
const LOTS_CHECKED = {
  definitions: {
    Tender: { properties: { lots: { type: 'array', items: { $ref: '#/definitions/Lot' } } } },
    Lot: {
      type: 'object',
      properties: {
        buyer: { $ref: '#/definitions/OrganizationReference' },
        additionalClassifications: { type: 'array', items: { $ref: '#/definitions/Classification' } },
        additionalProcurementCategories: { type: ['array', 'null'], items: { type: 'string' }, codelist: 'extendedProcurementCategory.csv', openCodelist: true },
        milestones: { type: 'array', items: { $ref: '#/definitions/Milestone' } },
      },
    },
  },
};

/**
 * Where the schema has open codelists and organisation references (`$ref` OrganizationReference, or inlined as a dereferenced schema has it),
 * read from the schema itself so that none is left out: every place an Item, a Document or a
 * Transaction can be, as the schema says.
 */
function checkedPositions(schema: unknown): Position {
  let root = isJsonObject(schema) ? schema : {};
  const tender = isJsonObject(root['definitions']) && isJsonObject((root['definitions'] as J)['Tender']) ? ((root['definitions'] as J)['Tender'] as J) : undefined;
  if (tender !== undefined && !(isJsonObject(tender['properties']) && 'lots' in (tender['properties'] as J))) root = mergePatch(root, LOTS_CHECKED) as J;
  const resolve = (node: unknown, seen: ReadonlySet<string>): { node: J; ref?: string } | null => {
    if (!isJsonObject(node)) return null;
    const ref = node['$ref'];
    if (typeof ref !== 'string') return { node };
    if (!ref.startsWith('#/') || seen.has(ref)) return null;
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) target = isJsonObject(target) ? target[part] : undefined;
    return isJsonObject(target) ? { node: { ...target, ...node }, ref } : null;
  };
  const typesOf = (v: J): unknown[] => (Array.isArray(v['type']) ? (v['type'] as unknown[]) : [v['type']]);
  const build = (properties: unknown, seen: ReadonlySet<string>, depth: number): Position | null => {
    if (!isJsonObject(properties) || depth > 32) return null;
    const here: Position = { children: new Map() };
    for (const [key, raw] of Object.entries(properties)) {
      const field = resolve(raw, seen);
      if (field === null) continue;
      const at: Position = { children: new Map() };
      const v = field.node;
      const array = typesOf(v).includes('array');
      const codes = typeof v['codelist'] === 'string' && v['openCodelist'] === true ? OPEN_CODELISTS[v['codelist']] : undefined;
      if (codes !== undefined) at.codelist = { name: v['codelist'] as string, codes, array };
      const item = array ? resolve(v['items'], seen) : field;
      if (item !== null) {
        const ref = item.ref;
        // (a reference by $ref, or inlined as a dereferenced schema gives it: by its title)
        if (ref?.endsWith('/OrganizationReference') || (ref === undefined && item.node['title'] === 'Organization reference')) at.party = { array };
        const below = build(item.node['properties'], ref === undefined ? seen : new Set([...seen, ref]), depth + 1);
        if (below !== null) for (const [k, p] of below.children) at.children.set(k, p);
      }
      if (at.codelist !== undefined || at.party !== undefined || at.children.size > 0) here.children.set(key, at);
    }
    return here.children.size > 0 ? here : null;
  };
  return build(root['properties'], new Set(), 0) ?? { children: new Map() };
}

let ourPositions: Position | undefined;

/** Our release schema's positions (OCDS 1.1.5 and the declared extensions), built once. */
function ourSchemaPositions(): Position {
  if (ourPositions === undefined) {
    const patches = extensionPatches();
    let schema: unknown = ocdsReleaseSchema();
    for (const name of DECLARED_EXTENSIONS) schema = mergePatch(schema, patches[name]);
    ourPositions = checkedPositions(schema);
  }
  return ourPositions;
}

export interface CheckOptions {
  /** Expected ocid prefix (e.g. ocds-78apv2); any registered-looking prefix when absent. */
  readonly ocidPrefix?: string | undefined;
  /**
   * The expected prefix applies only to releases converted from DECP (they carry `x_decp`); other
   * publishers' releases (partners' OCDS data in a run) are held to the registered-prefix pattern.
   */
  readonly ocidPrefixForDecpOnly?: boolean;
  /** Now, as an ISO date-time: dates after it are "in the future". */
  readonly now: string;
  /**
   * The merge rules of the schema in use: a list merged whole (`wholeListMerge`: identifiers,
   * classifications…) may repeat an id (two schemes' `900`); only lists merged by id must not.
   */
  readonly mergeRules?: ReadonlyMap<string, string> | undefined;
  /**
   * The release schema in use: its open codelists and organisation references are checked (with the
   * lots extension's when it has no lots). Ours (OCDS 1.1.5 and the declared extensions) when absent.
   */
  readonly schema?: unknown;
}

/** What a registered ocid prefix looks like: `ocds-` and six lower-case letters or digits. */
const REGISTERED_PREFIX = /^ocds-[a-z0-9]{6}-./;

export class ReleaseChecker {
  /** Release ids seen, as 53-bit hashes: 16 bytes each, for tens of millions of releases. */
  private readonly seen = new HashSet53();
  private readonly prefix: RegExp;
  private readonly positions: Position;

  constructor(private readonly options: CheckOptions) {
    this.positions = options.schema === undefined ? ourSchemaPositions() : checkedPositions(options.schema);
    this.prefix = options.ocidPrefix ? new RegExp(`^${options.ocidPrefix.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')}-.`) : REGISTERED_PREFIX;
  }

  check(release: unknown): CheckFinding[] {
    const { out, add } = findingsOf(CHECK_RULES);
    if (!isJsonObject(release)) return out;
    const id = release['id'];
    // (no ocid, or one that is no text, names no process: its releases are the schema's finding, not twins)
    if ((typeof id === 'string' || typeof id === 'number') && typeof release['ocid'] === 'string') {
      // (OCDS: a release id is unique within its contracting process, the ocid)
      const key = hash53(`${release['ocid']}\u0000${typeof id}:${String(id)}`);
      if (!this.seen.add(key)) add('check.duplicate-release-id', '/id', `release id ${JSON.stringify(id)} was already seen for this ocid (the same release given again: two publications of one contract, or a copy; compile and run keep the later publication)`, id);
    }
    // a record without embedded releases gives its compiled release (tag `compiled`): the process's
    // current state as its publisher compiled it; the releases it was compiled from were not read
    if (isCompiledRelease(release)) {
      add('check.compiled-release', '/tag', 'a compiled release stands for its process: the releases it was compiled from (linked by its record, not embedded) were not read, so its history (first values, amendments\' values, when each part was published) is unknown', release['tag']);
    }
    const ocid = release['ocid'];
    const expected = this.options.ocidPrefixForDecpOnly && !('x_decp' in release) ? undefined : this.options.ocidPrefix;
    if (typeof ocid === 'string' && !(expected === undefined ? REGISTERED_PREFIX : this.prefix).test(ocid)) {
      // `OCDS-87SD3T-…` (Mexico City's releases): the prefix's letters are there, in upper case. Prefixes
      // are issued lower-case and ocids compared case-sensitively (the merge keys processes by them): it
      // matches no ocid spelt as issued, which is worth a warning, not the error of a prefix that is not one
      const n = expected === undefined ? 11 : expected.length;
      const lower = ocid.slice(0, n).toLowerCase() + ocid.slice(n);
      if (lower !== ocid && (expected === undefined ? REGISTERED_PREFIX : this.prefix).test(lower)) {
        const spelt = ocid.slice(0, n);
        add('check.ocid-prefix-case', '/ocid', `ocid ${JSON.stringify(ocid.slice(0, 60))} starts with ${spelt}, ${expected === undefined ? 'a registered prefix' : `the expected prefix ${expected}`} in upper case: prefixes are issued lower-case (${spelt.toLowerCase()}) and ocids are compared case-sensitively (it matches no ocid starting ${spelt.toLowerCase()}-)`, ocid);
      } else add('check.ocid-prefix', '/ocid', `ocid ${JSON.stringify(ocid.slice(0, 60))} does not start with ${expected ?? 'a registered prefix (ocds-xxxxxx-)'}`, ocid);
    }

    // references to parties: checked where the schema has an organisation reference, in the walk below
    const parties = new Set(Array.isArray(release['parties']) ? (release['parties'] as unknown[]).filter(isJsonObject).map((p) => String(p['id'])) : []);
    const tender = isJsonObject(release['tender']) ? release['tender'] : null;
    const awards = Array.isArray(release['awards']) ? (release['awards'] as unknown[]) : [];
    const contracts = Array.isArray(release['contracts']) ? (release['contracts'] as unknown[]) : [];

    // order of dates
    const day = (v: unknown): string | null => (typeof v === 'string' && /^\d{4}-\d\d-\d\d/.test(v) ? v : null);
    const tenderStart = tender && isJsonObject(tender['tenderPeriod']) ? day((tender['tenderPeriod'] as J)['startDate']) : null;
    const awardDates = new Map<string, string>();
    awards.forEach((a, k) => {
      if (!isJsonObject(a)) return;
      const d = day(a['date']);
      if (d && a['id'] !== undefined) awardDates.set(String(a['id']), d);
      if (d && tenderStart && instant(d) < instant(tenderStart)) add('check.date-order', `/awards/${k}/date`, `award date ${d} is before the tender period starts (${tenderStart})`, d);
    });
    contracts.forEach((c, k) => {
      if (!isJsonObject(c)) return;
      const signed = day(c['dateSigned']);
      const awarded = c['awardID'] !== undefined ? awardDates.get(String(c['awardID'])) : undefined;
      if (signed && awarded && instant(signed) < instant(awarded)) add('check.date-order', `/contracts/${k}/dateSigned`, `contract signed ${signed} before its award (${awarded})`, signed);
      const amendments = Array.isArray(c['amendments']) ? (c['amendments'] as unknown[]) : [];
      amendments.forEach((a, j) => {
        const d = isJsonObject(a) ? day(a['date']) : null;
        if (d && signed && instant(d) < instant(signed)) add('check.date-order', `/contracts/${k}/amendments/${j}/date`, `amendment dated ${d}, before the contract was signed (${signed})`, d);
      });
    });

    // walk every value: future dates, amounts, open codes, references to parties, empty values. The
    // pointer string is only built for a finding (most values have none). `at` is the schema's
    // position of the value (null off the positions that have something to check).
    const now = instant(this.options.now);
    const path: Array<string | number> = [];
    const here = (): string => (path.length === 0 ? '' : `/${path.map((k) => escapePointer(String(k))).join('/')}`);
    const walk = (v: unknown, key: string, at: Position | null): void => {
      if (typeof v === 'string') {
        if (v === '') add('check.empty', here(), 'empty string');
        else if (PAST_EVENTS.has(key) && v.length > 10 && v.charCodeAt(10) === 84 /* T */ && instant(v) > now + 86_400_000) add('check.date-future', here(), `${v} is in the future`, v);
        else {
          // (a code of a list of codes is an item of its array; a code field's value is the field's)
          const list = at?.codelist;
          if (list !== undefined && list.array === (typeof path[path.length - 1] === 'number') && !list.codes.has(v)) add('check.open-codelist', here(), `${JSON.stringify(v)} is not in the ${list.name.replace(/\.csv$/, '')} codelist`, v);
        }
        return;
      }
      if (typeof v === 'number') {
        if (key === 'amount') {
          // (a number past a double's range, `1e400`, is read as infinite: no amount any reader can sum)
          if (!Number.isFinite(v)) add('check.amount-infinite', here(), `an amount past the range of a number (such as 1e400): read as ${v}`, String(v));
          else if (v < 0) add('check.amount-negative', here(), `negative amount ${v}`, v);
          else if (isPlaceholderAmount(v)) add('check.amount-placeholder', here(), `placeholder amount ${v}`, v);
        }
        return;
      }
      if (Array.isArray(v)) {
        if (v.length === 0) add('check.empty', here(), 'empty array');
        // ids unique within their list (what the merge keys objects by; x_decp's lists are the pipeline's own)
        if (v.length > 1 && path[0] !== 'x_decp') {
          // (keyed by the id itself: 1 and "1" are different ids, two objects when merged, as the
          // reference merge has them and compile does)
          let ids: Map<string | number, number> | undefined;
          // (the list's merge rule is looked up only once a duplicate is found: rare)
          let mergedById: boolean | undefined;
          for (let k = 0; k < v.length; k++) {
            const item = v[k];
            const itemId = isJsonObject(item) ? item['id'] : undefined;
            if (typeof itemId !== 'string' && typeof itemId !== 'number') continue;
            ids ??= new Map();
            const first = ids.get(itemId);
            if (first === undefined) {
              ids.set(itemId, k);
              // the same id of the other type (a number whose text it is): compile's MERGE_ID_TYPES_MIXED
              const twinId = typeof itemId === 'number' ? String(itemId) : String(Number(itemId)) === itemId ? Number(itemId) : undefined;
              const twin = twinId === undefined ? undefined : ids.get(twinId);
              if (twin === undefined) continue;
              mergedById ??= this.options.mergeRules?.get(path.filter((p) => typeof p === 'string').join('.')) !== 'whole';
              if (mergedById) add('check.id-types-mixed', `${here()}/${k}/id`, `id ${JSON.stringify(itemId)} and id ${JSON.stringify(twinId)} of item ${twin} of this list differ in type only: two objects when records are compiled (ids of different types are different ids)`, itemId);
              continue;
            }
            mergedById ??= this.options.mergeRules?.get(path.filter((p) => typeof p === 'string').join('.')) !== 'whole';
            if (mergedById) add('check.duplicate-id', `${here()}/${k}/id`, `id ${JSON.stringify(itemId)} is also the id of item ${first} of this list: the two are merged into one when records are compiled`, itemId);
          }
        }
        for (let k = 0; k < v.length; k++) {
          path.push(k);
          walk(v[k], key, at);
          path.pop();
        }
        return;
      }
      if (isJsonObject(v)) {
        // (as a code: a reference of a list of references is an item of its array)
        if (at?.party !== undefined && at.party.array === (typeof path[path.length - 1] === 'number') && v['id'] !== undefined && v['id'] !== null && !parties.has(String(v['id']))) add('check.unknown-party', `${here()}/id`, `${JSON.stringify(v['id'])} is in no party of this release`, v['id']);
        let empty = true;
        for (const k in v) {
          if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
          empty = false;
          // the quality flags are the pipeline's report on the source, not data: a flag of the whole
          // record has the pointer "" (RFC 6901), its raw value is the source's as it came
          if (k === 'qualityFlags' && path.length === 1 && path[0] === 'x_decp') continue;
          path.push(k);
          walk(v[k], k, at?.children.get(k) ?? null);
          path.pop();
        }
        if (empty) add('check.empty', here(), 'empty object');
      }
    };
    walk(release, '', this.positions);
    return out;
  }
}

/**
 * Milliseconds of an ISO date-time as compile orders it (instantOf: a date alone is midnight UTC, a
 * date-time without its zone is UTC too, as the store reads it — Date.parse read it in the machine's
 * zone, so that a finding came and went with the machine's TZ); NaN for one that is no date
 * (`2020-13-45`, `2024-02-30`, which Date.parse rolled over to March 1): every comparison with it is
 * false, so it is never "in the future" nor "before" anything (the schema's format check reports it).
 */
function instant(iso: string): number {
  return instantOf(iso) ?? Number.NaN;
}
