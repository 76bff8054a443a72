/**
 * The red flags computed by every run (table `red_flags`), in SQL over the
 * store's contracts: screening signals for monitors, each with the value
 * measured and the threshold used (never proof). Formulas from the design
 * reference (red-flags.md §3.4): amendments beyond the de-minimis safe harbour
 * (4: over its share of the initial value, or by the EU threshold or more), one modification adding more than half the initial value (4), a first modification
 * within 30 days of notification (4), suppliers changed by modifications (4), duration
 * extensions (4), a threshold crossed by modifications (4, R054), two increases within 90 days (4),
 * a single offer in a competitive procedure (1), a marché without competition at or over the value
 * from which that needs a legal ground (2, R010/R049), late publication of the marchés under the obligation (9), a
 * framework agreement longer than four years (10); a DECP modification notified on its contract's
 * day is a correction of the published data, not a modification (amendments.correction:
 * the contract's initial value and duration are those it gave); those that are rules of French law (safe
 * harbour, half the value, thresholds, publication, four years) are computed on DECP contracts only. A contract published twice (`duplicate_of` set on one of its rows) is flagged
 * once, on the row kept. Each is a property of one contract: a run recomputes
 * them for the contracts it recompiled (temporary table `recompiled_contracts`: their rows
 * without a `duplicate_of`, read once for them all, RED_FLAG_CONTRACT_COLUMNS only); the indicators
 * that compare contracts with their peers are views (indicators.ts), computed when queried.
 */
import { COMPETITIVE, FIRST_PUBLICATION_KNOWN, MAPA, NATURE, NON_COMPETITIVE, UNDER_PUBLICATION_OBLIGATION } from './sql-parts.js';

export const RED_FLAG_CODES = {
  AMENDMENT_OVER_SAFE_HARBOUR: 'value after modifications exceeds the initial value by more than 10 % (supplies/services, and every concession: R.3135-8) or 15 % (works: R.2194-8), or by the EU procedure threshold of its nature on its notification day or more (the safe harbour also needs the modifications to stay under it; works and concessions: the works threshold): the threshold is then that amount as a share of the initial value, reached (≥) rather than passed',
  DURATION_EXTENDED: 'duration after modifications more than 1.5 × the initial duration',
  SINGLE_BID: 'one offer received in a competitive procedure (open, selective — restricted, negotiated with competition, competitive dialogue — or procédure adaptée); not for a call-off of a framework agreement (a marché subséquent: the framework was competed for, its holders are who may offer)',
  LATE_PUBLICATION: 'data published more than 60 days after notification (R.2196-1: marchés notified from 2018-10-01, when the obligation began, of 25,000 € or more, 40,000 € from 2020; below, publication is a choice; concessions follow another rule, R.3131-1; not a 2024-format record of a contract notified before 2024: a re-publication in the new format, its first publication unknown)',
  AMENDMENT_OVER_HALF: 'one modification raises the value by more than 50 % of the initial value (the cap per modification of R.2194-2 and R.2194-3; the modifications of one day are one, to the day\'s last total)',
  EARLY_AMENDMENT: 'first modification less than 30 days after notification',
  SUPPLIERS_CHANGED: 'the suppliers after modifications are not those at award (DECP contracts; compared by SIREN for French companies: an establishment moving is no change; the suppliers at award as a correction notified on the contract\'s day left them)',
  FRAMEWORK_TOO_LONG: 'framework agreement of more than 48 months at award (the four-year cap for contracting authorities; eight years for utilities, which DECP does not tell apart)',
  THRESHOLD_CROSSED: 'modifications took the value to a threshold the initial value was under: the EU procedure threshold; for a procédure adaptée or a contract without competition, the 90,000 € from which it is advertised; for a contract without competition, the value from which it needs a legal ground (a call-off of a framework agreement, awarded under its framework — its procedure a procédure adaptée or none —, is measured against the EU threshold only) (R054; DECP marchés)',
  NO_COMPETITION_OVER_THRESHOLD: 'a marché awarded without advertising or competition at or over the value below which that needs no legal ground (40,000 € from 2020, R.2122-8): one of R.2122-1 to R.2122-11 must apply — urgency, exclusivity, an unsuccessful procedure… (R010/R049; DECP marchés; not a call-off of a framework agreement, awarded under its framework)',
  REPEATED_INCREASES: 'two or more modifications raising the value within 90 days (the modifications of one day are one change, to the day\'s last total)',
} as const;

/**
 * Relative increase of the value, rounded to 9 decimals: `amount / initial_amount - 1` gave
 * 0.10000000000000009 for 100,000 → 110,000, flagging the exact +10 % the rule allows.
 */
const VALUE_INCREASE = 'round((amount - initial_amount) / initial_amount, 9)';

/**
 * Relative extension of the duration: in months when both durations are whole months (DECP gives
 * months, and red-flags.md compares D_J / D0; in days, 2 → 3 months was +51.7 % and 12 → 18 months
 * +49.5 %, depending on the months' lengths), else in days (partners' durations). Rounded as above.
 */
const IN_MONTHS = 'initial_duration_months > 0 AND duration_months IS NOT NULL';
const DURATION_EXTENSION = `round(CASE WHEN ${IN_MONTHS} THEN duration_months / initial_duration_months ELSE duration_days / initial_duration_days END - 1, 9)`;

/**
 * Rules of French law (the de-minimis safe harbour of R.2194-8, publication within two months of
 * R.2196-1) apply to DECP contracts only (a DECP generation): partners' data, in OCDS or through a
 * mapping profile, follow their own laws.
 */
const DECP_ONLY = 'decp_version IS NOT NULL';

/** The de-minimis safe harbour: 15 % for a marché of works (R.2194-8), 10 % for other marchés and for every concession (R.3135-8). */
const SAFE_HARBOUR = "CASE WHEN main_category = 'works' AND record_type IS DISTINCT FROM 'contrat-concession' THEN 0.15 ELSE 0.10 END";

/**
 * The safe harbour's other condition (R.2194-8, R.3135-8; red-flags.md §3.4 4: "which also requires
 * staying under the EU threshold"): the modifications together (M_J − M0, cumulated as the articles
 * say for successive ones) stay under the EU procedure threshold of the contract's nature — works, and
 * every concession (whose EU threshold is the works'), else supplies and services — valid on its
 * notification day (as THRESHOLD_CROSSED picks it). A DECP contract in euros only (the thresholds are
 * euros). `eu_threshold` on each recompiled contract, null when none applies; the increase in euros
 * rounded to the cent, so that an increase of exactly the threshold is one whatever its last bits.
 * (A 3 M€ services contract raised by 9 %, 270,000 €, was within 10 % and not flagged, though over
 * the 221,000 € from which the safe harbour is lost: found by a monitor's probe.)
 */
const WITH_EU_THRESHOLD = `SELECT r.*, t.amount AS eu_threshold
   FROM recompiled_contracts r LEFT JOIN procurement_thresholds t
     ON t.kind = 'eu' AND r.currency = 'EUR' AND r.signed_day BETWEEN t.valid_from AND t.valid_to
    AND t.nature = CASE WHEN r.record_type = 'contrat-concession' THEN 'works' ELSE ${NATURE.replace('main_category', 'r.main_category')} END`;
const OVER_EU_THRESHOLD = 'round(amount - initial_amount, 2) >= eu_threshold';

/**
 * Each modification of the recompiled contracts (those matching `where`, as `c`) with a value of
 * a known initial value: its new total (`amount`: amounts are new totals, not deltas) and the value
 * before it (`before`: the last one a modification gave, else the initial value), in merge order.
 * A new total flagged MODIFICATION_AMOUNT_DROP (under half the value so far: most often the change
 * written where the total belongs, 100,000 then 4,000 then 106,000) is no value before the next:
 * that one is measured from the last total not flagged so (+6 %, not +102 %). The changes written
 * so may follow one another (645,288 then 2,616, 4,244, 3,673, then 651,108: only the first is
 * under half the value so far, 2,616): a DECP total back at the contract's level (LEVEL: at least
 * half of it) is measured from that level's last total (+0.9 % of the initial value, not +100 % from 3,673); one
 * under it, from the last total not flagged a drop, as above. (Partners' totals are totals: theirs
 * are measured from the last one.)
 */
const PRECEDING = 'OVER (PARTITION BY a.ocid, a.contract_id ORDER BY a.position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)';
/**
 * The contract's level before a modification: its initial value, then each new total of at least
 * half the level so far (a total under half of it — a drop, or a change written where the total
 * belongs — leaves the level as it was). Folded over the totals before each modification: quadratic
 * in a contract's modifications, in time and in memory (a few, tens at most in DECP; 5,000 took 13 s
 * and 600 MB, 10,000 ran DuckDB out of memory: the whole night failed, exit 4). So a contract of more
 * than LEVEL_MAX_MODIFICATIONS is measured from its last total not flagged a drop (a partner's rule).
 */
export const LEVEL_MAX_MODIFICATIONS = 1000;
/**
 * (The totals folded are listed only for the DECP contracts of at most LEVEL_MAX_MODIFICATIONS: the
 * window's FILTER leaves the others' lists empty, and their level is null: measured from the last
 * total kept. A contract's `amendments` is its modifications as the store's rows have them, one per id.)
 */
const FOLDED = `c.${DECP_ONLY} AND c.amendments <= ${LEVEL_MAX_MODIFICATIONS}`;
const LEVEL = `CASE WHEN ${FOLDED} THEN coalesce(list_reduce(list_filter(list(a.amount) FILTER (WHERE ${FOLDED}) ${PRECEDING}, x -> x IS NOT NULL), (level, x) -> CASE WHEN x >= level / 2 THEN x ELSE level END, c.initial_amount), c.initial_amount) END`;
/**
 * The recompiled contracts' modifications, a new total in another currency than the contract's value
 * read as none (a partner's value given in UAH, then USD, then UAH again is no increase from the USD
 * figure: two such returns within 90 days were REPEATED_INCREASES of a value that never changed;
 * found by a flags probe). A currency not given is the contract's.
 */
const OWN_CURRENCY = `SELECT x.* REPLACE (CASE WHEN x.currency IS NOT NULL AND r.currency IS NOT NULL AND upper(trim(x.currency)) <> upper(trim(r.currency)) THEN NULL ELSE x.amount END AS amount)
   FROM amendments x JOIN recompiled_contracts r ON r.ocid = x.ocid AND r.contract_id = x.contract_id`;
const steps = (where: string): string => `SELECT ocid, contract_id, position, date, amount, dropped, CASE WHEN decp AND amount >= level / 2 THEN level ELSE last_kept END AS before, initial_amount
   FROM (SELECT a.ocid, a.contract_id, a.position, a.date, a.amount, d.release_id IS NOT NULL AS dropped, c.${DECP_ONLY} AS decp, ${LEVEL} AS level,
            coalesce(last_value(CASE WHEN d.release_id IS NULL THEN a.amount END IGNORE NULLS) ${PRECEDING}, c.initial_amount) AS last_kept,
            c.initial_amount
     FROM (${OWN_CURRENCY}) a JOIN recompiled_contracts c ON c.ocid = a.ocid AND c.contract_id = a.contract_id
       LEFT JOIN (SELECT DISTINCT ocid, release_id FROM quality_flags WHERE code = 'MODIFICATION_AMOUNT_DROP' AND ocid IN (SELECT ocid FROM recompiled_contracts)) d
         ON d.ocid = a.ocid AND d.release_id = a.release_id
     WHERE ${where} AND c.initial_amount > 0 AND a.correction IS NOT TRUE)`;

/**
 * The changes of value of the recompiled contracts (matching `where`), one per day: the modifications
 * that follow one another on one day (a date counts as the day of its nearest midnight, as
 * REPEATED_INCREASES reads it: a DECP date is its day's midnight in its zone) are one change, from the
 * value before the first of them (`before`, as steps gives it) to the last total of the day not
 * flagged MODIFICATION_AMOUNT_DROP (`amount`). Two avenants signed the same day are one decision of
 * the buyer's, and a total given then corrected on the day (200,000 then 110,000 for a contract of
 * 100,000) is a change of +10 %: measured one by one, the first was "one modification adding +100 %"
 * and two steps of +30 % on one day were two increases "within 90 days" but no step over half (a
 * monitor's probe). Modifications without a value are left out; one without a date is a change alone.
 */
const daySteps = (where: string): string => `SELECT ocid, contract_id, any_value(day) AS day, arg_min(before, position) AS before,
       arg_max(amount, position) FILTER (WHERE NOT dropped) AS amount, any_value(initial_amount) AS initial_amount
   FROM (SELECT *, sum(CASE WHEN day IS NOT NULL AND day = previous_day THEN 0 ELSE 1 END) OVER (PARTITION BY ocid, contract_id ORDER BY position) AS change
     FROM (SELECT *, lag(day) OVER (PARTITION BY ocid, contract_id ORDER BY position) AS previous_day
       FROM (SELECT *, (date + INTERVAL 12 HOUR)::DATE AS day FROM (${steps(where)}) WHERE amount IS NOT NULL)))
   GROUP BY ocid, contract_id, change`;

/**
 * The columns of `contracts` that RED_FLAG_SQL reads from `recompiled_contracts`: the run copies
 * only these (a copy of every column, the title among them, was most of the stage's time on a full
 * run: 100,000 contracts). A column an indicator needs is added here.
 */
export const RED_FLAG_CONTRACT_COLUMNS: readonly string[] = [
  'ocid', 'contract_id', 'award_id', 'buyer_id', 'year', 'source_sha256', 'source_index', 'decp_version', 'record_type', 'main_category', 'currency',
  'initial_amount', 'amount', 'amendments', 'corrections', 'suppliers', 'suppliers_changed', 'bids', 'procurement_method', 'procurement_method_details', 'framework_agreement', 'call_off',
  'initial_duration_days', 'duration_days', 'initial_duration_months', 'duration_months', 'signed_day', 'publication_delay_days', 'first_amendment_days',
];

export const RED_FLAG_SQL: readonly string[] = [
  // (the threshold: the safe harbour's share, or, when less, the EU threshold's share of the initial
  // value — reached, not passed: the increase must stay under it —, which the detail then names)
  `INSERT INTO red_flags
   SELECT ocid, contract_id, 'AMENDMENT_OVER_SAFE_HARBOUR', buyer_id, ${VALUE_INCREASE},
          CASE WHEN ${OVER_EU_THRESHOLD} THEN least(${SAFE_HARBOUR}, round(eu_threshold / initial_amount, 9)) ELSE ${SAFE_HARBOUR} END,
          'relative increase of the contract value after ' || (amendments - corrections) || ' modification(s)'
            || CASE WHEN ${OVER_EU_THRESHOLD} THEN printf(' (+%.2f €, at or over the EU procedure threshold of %.0f €)', amount - initial_amount, eu_threshold) ELSE '' END,
          year, source_sha256, source_index
   FROM (${WITH_EU_THRESHOLD}) WHERE ${DECP_ONLY}
     AND initial_amount > 0 AND amount IS NOT NULL AND amendments > corrections
     AND (${VALUE_INCREASE} > ${SAFE_HARBOUR} OR coalesce(${OVER_EU_THRESHOLD}, false))`,
  `INSERT INTO red_flags
   SELECT ocid, contract_id, 'DURATION_EXTENDED', buyer_id, ${DURATION_EXTENSION}, 0.5,
          CASE WHEN ${IN_MONTHS} THEN 'relative extension of the duration (months) after modifications'
               ELSE 'relative extension of the duration (days) after modifications' END, year, source_sha256, source_index
   FROM recompiled_contracts
   WHERE ((${IN_MONTHS}) OR (initial_duration_days > 0 AND duration_days IS NOT NULL)) AND ${DURATION_EXTENSION} > 0.5`,
  `INSERT INTO red_flags
   SELECT ocid, contract_id, 'SINGLE_BID', buyer_id, bids, 1, 'offers received in a competitive procedure', year, source_sha256, source_index
   FROM recompiled_contracts
   WHERE bids = 1 AND ${COMPETITIVE} AND call_off IS NOT TRUE`,
  `INSERT INTO red_flags
   SELECT ocid, contract_id, 'LATE_PUBLICATION', buyer_id, publication_delay_days, 60,
          'days between notification and publication of the data', year, source_sha256, source_index
   FROM recompiled_contracts WHERE ${DECP_ONLY} AND record_type = 'marche'
     AND ${UNDER_PUBLICATION_OBLIGATION} AND ${FIRST_PUBLICATION_KNOWN} AND publication_delay_days > 60`,
  // the largest step of the value made by one modification (those of one day together: daySteps), relative to the initial value
  `INSERT INTO red_flags
   WITH steps AS (${daySteps(`c.${DECP_ONLY}`)}),
   largest AS (SELECT ocid, contract_id, max(round((amount - before) / initial_amount, 9)) AS step FROM steps WHERE amount IS NOT NULL GROUP BY ocid, contract_id)
   SELECT c.ocid, c.contract_id, 'AMENDMENT_OVER_HALF', c.buyer_id, l.step, 0.5,
          'largest increase of the value made by one modification (those of one day taken together), relative to the initial value', c.year, c.source_sha256, c.source_index
   FROM largest l JOIN recompiled_contracts c ON c.ocid = l.ocid AND c.contract_id = l.contract_id
   WHERE l.step > 0.5`,
  // (a modification dated before the notification is a data error, not an early change)
  `INSERT INTO red_flags
   SELECT ocid, contract_id, 'EARLY_AMENDMENT', buyer_id, first_amendment_days, 30,
          'days between notification and the first modification', year, source_sha256, source_index
   FROM recompiled_contracts WHERE first_amendment_days < 30`,
  // the suppliers now against those at award (as the corrections left them), both known: worked out
  // per contract by flatten (contracts.suppliers_changed, by legal unit); DECP contracts only: a DECP
  // contract is its award, where a partner's award may be split into contracts of their own suppliers
  `INSERT INTO red_flags
   SELECT ocid, contract_id, 'SUPPLIERS_CHANGED', buyer_id, suppliers_changed, 0,
          'suppliers added or removed by modifications (against those at award, as corrected on the day)', year, source_sha256, source_index
   FROM recompiled_contracts WHERE ${DECP_ONLY} AND suppliers_changed > 0`,
  // the highest threshold crossed, valid on the notification day: the EU threshold, whatever the
  // procedure; the 90,000 € of advertising, for a procédure adaptée or a non-competitive contract;
  // the value of R.2122-8 (kind 'dispense'), for a non-competitive contract; a call-off of a
  // framework agreement, awarded under its framework (never advertised on its own, whatever its
  // procedure says: a procédure adaptée or none), against the EU threshold only
  `INSERT INTO red_flags
   WITH crossed AS (
     SELECT c.ocid, c.contract_id, c.buyer_id, c.amount, c.year, c.source_sha256, c.source_index, t.kind, t.amount AS threshold
     FROM recompiled_contracts c JOIN procurement_thresholds t
       ON t.nature = ${NATURE} AND c.signed_day BETWEEN t.valid_from AND t.valid_to
     WHERE c.${DECP_ONLY} AND c.record_type = 'marche' AND c.currency = 'EUR' AND c.amendments > c.corrections
       AND c.initial_amount > 0 AND c.initial_amount < t.amount AND c.amount >= t.amount
       AND (t.kind = 'eu' OR (t.kind <> 'eu' AND c.call_off IS NOT TRUE AND ((t.kind = 'mapa_publicity' AND ${MAPA}) OR ${NON_COMPETITIVE}))))
   SELECT ocid, contract_id, 'THRESHOLD_CROSSED', buyer_id, amount, max(threshold),
          'value after modifications, at or over the ' || arg_max(CASE kind WHEN 'eu' THEN 'EU procedure threshold' WHEN 'mapa_publicity' THEN 'threshold from which it is advertised' ELSE 'threshold from which it needs advertising and competition' END, threshold) || ' that the initial value was under', year, source_sha256, source_index
   FROM crossed GROUP BY ocid, contract_id, buyer_id, amount, year, source_sha256, source_index`,
  // a contract awarded without advertising or competition (DECP: "sans publicité ni mise en
  // concurrence préalable") whose initial value is not under the threshold of R.2122-8 on its day;
  // not a call-off of a framework agreement (a marché subséquent, often coded so): it is awarded
  // under its framework (R.2162-2 on), which was competed for, and needs none of R.2122-1 to R.2122-11
  `INSERT INTO red_flags
   SELECT c.ocid, c.contract_id, 'NO_COMPETITION_OVER_THRESHOLD', c.buyer_id, c.initial_amount, t.amount,
          'initial value of a marché awarded without advertising or competition, against the value from which that needs a legal ground', c.year, c.source_sha256, c.source_index
   FROM recompiled_contracts c JOIN procurement_thresholds t
     ON t.kind = 'dispense' AND t.nature = ${NATURE} AND c.signed_day BETWEEN t.valid_from AND t.valid_to
   WHERE c.${DECP_ONLY} AND c.record_type = 'marche' AND c.currency = 'EUR' AND ${NON_COMPETITIVE} AND c.call_off IS NOT TRUE AND c.initial_amount >= t.amount`,
  // increases of the value (each day's change, daySteps, as above) at most 90 days apart: the most in
  // one window. A date counts as the day of the midnight nearest to it (a DECP date is its day's
  // midnight in its zone, within 12 hours of UTC's, whatever the change of clocks between two dates;
  // a partner's date-time from noon UTC on is the next day's); the modifications of one day are one
  // change, and a day's change given twice (its day and new total) counts once
  `INSERT INTO red_flags
   WITH ups AS (
     SELECT DISTINCT ocid, contract_id, day, amount
     FROM (${daySteps('true')}) WHERE amount > before AND day IS NOT NULL),
   windows AS (
     SELECT ocid, contract_id, count(*) OVER (PARTITION BY ocid, contract_id ORDER BY day RANGE BETWEEN INTERVAL 90 DAYS PRECEDING AND CURRENT ROW) AS n FROM ups),
   most AS (SELECT ocid, contract_id, max(n) AS n FROM windows GROUP BY ALL)
   SELECT c.ocid, c.contract_id, 'REPEATED_INCREASES', c.buyer_id, m.n, 1,
          'modifications raising the value within 90 days (the most in one window)', c.year, c.source_sha256, c.source_index
   FROM most m JOIN recompiled_contracts c ON c.ocid = m.ocid AND c.contract_id = m.contract_id
   WHERE m.n > 1`,
  `INSERT INTO red_flags
   SELECT ocid, contract_id, 'FRAMEWORK_TOO_LONG', buyer_id, initial_duration_months, 48,
          'duration at award of a framework agreement, in months', year, source_sha256, source_index
   FROM recompiled_contracts WHERE ${DECP_ONLY} AND framework_agreement AND initial_duration_months > 48`,
];
