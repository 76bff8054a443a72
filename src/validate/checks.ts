/**
 * Checks beyond the schema, in the spirit of the OCDS data review tools:
 * things a schema cannot say (references, order of dates, plausibility,
 * open codelists, empty values) and things across releases (duplicate ids).
 * Reported apart from schema errors. Pure but for the `ReleaseChecker`'s
 * memory of the release ids it has seen.
 */
import { isPlaceholderAmount } from '../transform/amounts.js';
import {
  DOCUMENT_TYPES,
  ITEM_CLASSIFICATION_SCHEMES,
  LOCATION_GAZETTEERS,
  MILESTONE_TYPES,
  PARTY_ROLES,
  RELATED_PROCESSES,
  RELATED_PROCESS_SCHEMES,
  STATISTIC_MEASURES,
  SUSTAINABILITY_GOALS,
  SUSTAINABILITY_STRATEGIES,
} from './schema-source/codes.js';

export type CheckSeverity = 'error' | 'warning';

export interface CheckFinding {
  readonly rule: string;
  readonly severity: CheckSeverity;
  readonly pointer: string;
  readonly message: string;
  readonly value?: unknown;
}

/** Every check's rule id, severity and what it means (the report's legend). */
export const CHECK_RULES: Readonly<Record<string, { severity: CheckSeverity; title: string }>> = {
  'check.duplicate-release-id': { severity: 'error', title: 'the same release id appears more than once' },
  'check.ocid-prefix': { severity: 'error', title: 'the ocid does not start with a registered prefix (or not the expected one)' },
  'check.unknown-party': { severity: 'error', title: 'an organisation reference (buyer, supplier, …) matches no party' },
  'check.date-order': { severity: 'warning', title: 'dates out of order (award before tender, signature before award, amendment before signature)' },
  'check.date-future': { severity: 'warning', title: 'a date in the future' },
  'check.amount-negative': { severity: 'warning', title: 'a negative amount' },
  'check.amount-placeholder': { severity: 'warning', title: 'a placeholder amount (999…)' },
  'check.open-codelist': { severity: 'warning', title: 'a code outside an open codelist (documented local codes land here too)' },
  'check.empty': { severity: 'warning', title: 'an empty object, array or string' },
};

/** Dates of things that have happened (a period's end may well be in the future). */
const PAST_EVENTS = new Set(['date', 'dateSigned', 'datePublished', 'dateModified', 'dateMet']);

/** Open codelists: where they apply (pointer pattern) and their codes. */
const OPEN_CODES: Array<{ pattern: RegExp; codes: ReadonlySet<string>; name: string }> = [
  { pattern: /^\/parties\/\d+\/roles\/\d+$/, codes: new Set(PARTY_ROLES), name: 'partyRole' },
  { pattern: /\/classification\/scheme$|\/additionalClassifications\/\d+\/scheme$/, codes: new Set(ITEM_CLASSIFICATION_SCHEMES), name: 'itemClassificationScheme' },
  { pattern: /\/relatedProcesses\/\d+\/relationship\/\d+$/, codes: new Set(RELATED_PROCESSES), name: 'relatedProcess' },
  { pattern: /\/relatedProcesses\/\d+\/scheme$/, codes: new Set(RELATED_PROCESS_SCHEMES), name: 'relatedProcessScheme' },
  { pattern: /\/documents\/\d+\/documentType$/, codes: new Set(DOCUMENT_TYPES), name: 'documentType' },
  { pattern: /\/milestones\/\d+\/type$/, codes: new Set(MILESTONE_TYPES), name: 'milestoneType' },
  { pattern: /\/sustainability\/\d+\/goal$/, codes: new Set(SUSTAINABILITY_GOALS), name: 'sustainabilityGoal' },
  { pattern: /\/sustainability\/\d+\/strategies\/\d+$/, codes: new Set(SUSTAINABILITY_STRATEGIES), name: 'sustainabilityStrategy' },
  { pattern: /\/gazetteer\/scheme$/, codes: new Set(LOCATION_GAZETTEERS), name: 'locationGazetteers' },
  { pattern: /^\/bids\/statistics\/\d+\/measure$/, codes: new Set(STATISTIC_MEASURES), name: 'statistic' },
];

export interface CheckOptions {
  /** Expected ocid prefix (e.g. ocds-78apv2); any registered-looking prefix when absent. */
  readonly ocidPrefix?: string | undefined;
  /** Now, as an ISO date-time: dates after it are "in the future". */
  readonly now: string;
}

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => v !== null && typeof v === 'object' && !Array.isArray(v);
const esc = (k: string | number): string => String(k).replace(/~/g, '~0').replace(/\//g, '~1');

export class ReleaseChecker {
  private readonly seen = new Set<string>();
  private readonly prefix: RegExp;

  constructor(private readonly options: CheckOptions) {
    this.prefix = options.ocidPrefix ? new RegExp(`^${options.ocidPrefix.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')}-.`) : /^ocds-[a-z0-9]{6}-./;
  }

  check(release: unknown): CheckFinding[] {
    const out: CheckFinding[] = [];
    if (!isObj(release)) return out;
    const add = (rule: string, pointer: string, message: string, value?: unknown): void => {
      out.push(value === undefined ? { rule, severity: CHECK_RULES[rule]!.severity, pointer, message } : { rule, severity: CHECK_RULES[rule]!.severity, pointer, message, value });
    };
    const id = release['id'];
    if (typeof id === 'string' || typeof id === 'number') {
      const key = `${typeof id}:${String(id)}`;
      if (this.seen.has(key)) add('check.duplicate-release-id', '/id', `release id ${JSON.stringify(id)} was already seen`, id);
      else this.seen.add(key);
    }
    const ocid = release['ocid'];
    if (typeof ocid === 'string' && !this.prefix.test(ocid)) add('check.ocid-prefix', '/ocid', `ocid ${JSON.stringify(ocid.slice(0, 60))} does not start with ${this.options.ocidPrefix ?? 'a registered prefix (ocds-xxxxxx-)'}`, ocid);

    // references to parties
    const parties = new Set(Array.isArray(release['parties']) ? (release['parties'] as unknown[]).filter(isObj).map((p) => String(p['id'])) : []);
    const ref = (v: unknown, pointer: string): void => {
      if (isObj(v) && v['id'] !== undefined && v['id'] !== null && !parties.has(String(v['id']))) add('check.unknown-party', `${pointer}/id`, `${JSON.stringify(v['id'])} is in no party of this release`, v['id']);
    };
    ref(release['buyer'], '/buyer');
    const tender = isObj(release['tender']) ? release['tender'] : null;
    if (tender) ref(tender['procuringEntity'], '/tender/procuringEntity');
    const awards = Array.isArray(release['awards']) ? (release['awards'] as unknown[]) : [];
    const contracts = Array.isArray(release['contracts']) ? (release['contracts'] as unknown[]) : [];
    awards.forEach((a, k) => {
      if (isObj(a) && Array.isArray(a['suppliers'])) (a['suppliers'] as unknown[]).forEach((s, j) => ref(s, `/awards/${k}/suppliers/${j}`));
      const sub = isObj(a) && isObj(a['subcontracting']) ? (a['subcontracting'] as J)['subcontracts'] : undefined;
      if (Array.isArray(sub)) sub.forEach((s, j) => isObj(s) && ref(s['subcontractor'], `/awards/${k}/subcontracting/subcontracts/${j}/subcontractor`));
    });
    contracts.forEach((c, k) => {
      if (isObj(c) && Array.isArray(c['suppliers'])) (c['suppliers'] as unknown[]).forEach((s, j) => ref(s, `/contracts/${k}/suppliers/${j}`));
    });

    // order of dates
    const day = (v: unknown): string | null => (typeof v === 'string' && /^\d{4}-\d\d-\d\d/.test(v) ? v : null);
    const tenderStart = tender && isObj(tender['tenderPeriod']) ? day((tender['tenderPeriod'] as J)['startDate']) : null;
    const awardDates = new Map<string, string>();
    awards.forEach((a, k) => {
      if (!isObj(a)) return;
      const d = day(a['date']);
      if (d && a['id'] !== undefined) awardDates.set(String(a['id']), d);
      if (d && tenderStart && instant(d) < instant(tenderStart)) add('check.date-order', `/awards/${k}/date`, `award date ${d} is before the tender period starts (${tenderStart})`, d);
    });
    contracts.forEach((c, k) => {
      if (!isObj(c)) return;
      const signed = day(c['dateSigned']);
      const awarded = c['awardID'] !== undefined ? awardDates.get(String(c['awardID'])) : undefined;
      if (signed && awarded && instant(signed) < instant(awarded)) add('check.date-order', `/contracts/${k}/dateSigned`, `contract signed ${signed} before its award (${awarded})`, signed);
      const amendments = Array.isArray(c['amendments']) ? (c['amendments'] as unknown[]) : [];
      amendments.forEach((a, j) => {
        const d = isObj(a) ? day(a['date']) : null;
        if (d && signed && instant(d) < instant(signed)) add('check.date-order', `/contracts/${k}/amendments/${j}/date`, `amendment dated ${d}, before the contract was signed (${signed})`, d);
      });
    });

    // walk every value: future dates, amounts, open codes, empty values
    const now = instant(this.options.now);
    const walk = (v: unknown, pointer: string, key: string): void => {
      if (typeof v === 'string') {
        if (v === '') add('check.empty', pointer, 'empty string');
        else if (PAST_EVENTS.has(key) && /^\d{4}-\d\d-\d\dT/.test(v) && instant(v) > now + 86_400_000) add('check.date-future', pointer, `${v} is in the future`, v);
        else {
          for (const o of OPEN_CODES) {
            if (o.pattern.test(pointer)) {
              if (!o.codes.has(v)) add('check.open-codelist', pointer, `${JSON.stringify(v)} is not in the ${o.name} codelist`, v);
              break;
            }
          }
        }
        return;
      }
      if (typeof v === 'number') {
        if (key === 'amount') {
          if (v < 0) add('check.amount-negative', pointer, `negative amount ${v}`, v);
          else if (isPlaceholderAmount(v)) add('check.amount-placeholder', pointer, `placeholder amount ${v}`, v);
        }
        return;
      }
      if (Array.isArray(v)) {
        if (v.length === 0) add('check.empty', pointer, 'empty array');
        v.forEach((x, k) => walk(x, `${pointer}/${k}`, key));
        return;
      }
      if (isObj(v)) {
        const entries = Object.entries(v);
        if (entries.length === 0) add('check.empty', pointer, 'empty object');
        for (const [k, x] of entries) walk(x, `${pointer}/${esc(k)}`, k);
      }
    };
    walk(release, '', '');
    return out;
  }
}

/** Milliseconds of an ISO date-time (a date alone is midnight UTC). */
function instant(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}
