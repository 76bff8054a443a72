/**
 * The red flags of a process's offers (table `red_flags`, one row per process: contract_id null), as
 * Cardinal defines them (its R003, R028, R030, R035, R036): they read the offers a partner's OCDS data
 * give (tables bids, bid_tenderers, the tender's period in tenders), which DECP does not publish, so a
 * DECP process never has one. Each is a property of one process: a run computes them for the ocids it
 * recompiled (`ocids`, a query of their ocids), after RED_FLAG_SQL, whose rows of those ocids it has
 * deleted. A bid's status is the OCDS bid status codelist's (Cardinal's): submitted when pending,
 * valid or disqualified (not invited nor withdrawn); Prozorro's `active` is its valid offer.
 */

/** A valid (qualified) offer, by its status column: `valid`, and Prozorro's `active`. */
export const validBid = (status = 'status'): string => `${status} IN ('valid', 'active')`;
export const disqualifiedBid = (status = 'status'): string => `${status} = 'disqualified'`;
/** An offer submitted: pending, valid or disqualified (Cardinal's glossary). */
export const submittedBid = (status = 'status'): string => `(${status} = 'pending' OR ${validBid(status)} OR ${disqualifiedBid(status)})`;
const VALID_BID = validBid();
const SUBMITTED_BID = submittedBid();

export const BID_FLAG_CODES = {
  SHORT_SUBMISSION_PERIOD: "tender period of an open procedure shorter than 15 days, from its start to the submission deadline (Cardinal's R003)",
  IDENTICAL_BID_PRICES: "different tenderers submitted offers of the same price, for the same lots when the offers name theirs (Cardinal's R028)",
  LATE_BID_WON: "a valid offer received after the submission deadline, from a supplier of an active award — for a lot the offer is for, when both name their lots (Cardinal's R030)",
  ALL_EXCEPT_WINNER_DISQUALIFIED: "one tenderer's offers are the only valid ones, it is the supplier of every active award, and at least one other tenderer's offer was disqualified — for a lot it offered for, when the offers name their lots (Cardinal's R035; value: the tenderers disqualified; not when an award is pending or invalid)",
  LOWEST_BID_DISQUALIFIED: "the lowest submitted offer was disqualified, in a process with an active award (Cardinal's R036; offers compared within the same lots when they name theirs, an active award for one of them)",
} as const;

/** Two comma-separated lists of lots that may be for one lot: either names none, or they share one. */
const shareALot = (a: string, b: string): string => `(${a} IS NULL OR ${b} IS NULL OR len(list_intersect(string_split(${a}, ','), string_split(${b}, ','))) > 0)`;

/** The process's columns of a red_flags row, from its tender `t`. */
const PROCESS = 't.buyer_id, %VALUE%, %THRESHOLD%, %DETAIL%, t.year, t.source_sha256, t.source_index';
const row = (code: keyof typeof BID_FLAG_CODES, value: string, threshold: string, detail: string): string =>
  `t.ocid, NULL, '${code}', ${PROCESS.replace('%VALUE%', value).replace('%THRESHOLD%', threshold).replace('%DETAIL%', detail)}`;

/** The statements, for the processes of `ocids` (a query giving their ocids). */
export function bidFlagSql(ocids: string): string[] {
  const tenders = `(SELECT * FROM tenders WHERE ocid IN (${ocids})) t`;
  // (the awards read are those of processes with a tender row: a DECP process, which has none, is
  // never joined — a full run's million awards are not scanned for nothing)
  const withOffers = `SELECT ocid FROM tenders WHERE ocid IN (${ocids})`;
  // each offer with its tenderers (a bid whose tenderer is not known: party_id null)
  const offers = `(SELECT b.ocid, b.bid_id, b.status, b.date, b.amount, b.currency, b.related_lots, bt.party_id FROM bids b LEFT JOIN bid_tenderers bt ON bt.ocid = b.ocid AND bt.bid_id = b.bid_id WHERE b.ocid IN (${ocids}))`;
  const activeSuppliers = `(SELECT DISTINCT s.ocid, s.party_id FROM award_suppliers s JOIN awards a ON a.ocid = s.ocid AND a.award_id = s.award_id WHERE a.status = 'active' AND s.ocid IN (${withOffers}))`;
  // (the same with the lots of its award, null when it names none)
  const activeSupplierLots = `(SELECT DISTINCT s.ocid, s.party_id, a.related_lots FROM award_suppliers s JOIN awards a ON a.ocid = s.ocid AND a.award_id = s.award_id WHERE a.status = 'active' AND s.ocid IN (${withOffers}))`;
  return [
    // R003: (end − start) in days under 15 (Cardinal counts whole days: under 15 either way)
    `INSERT INTO red_flags
     SELECT ${row('SHORT_SUBMISSION_PERIOD', 'round(t.period_days, 3)', '15', "'days from the start of the tender period to the submission deadline, open procedure'")}
     FROM ${tenders} WHERE t.procurement_method = 'open' AND t.period_days < 15`,
    // R028: a price two different tenderers' submitted offers share (in one currency), for the same
    // lots, in whatever order each names them: offers for other lots are prices of other things
    // (Prozorro's lot by lot, one row each)
    `INSERT INTO red_flags
     WITH shared AS (
       SELECT ocid, amount, currency, count(DISTINCT party_id) AS tenderers, count(DISTINCT bid_id) AS offers
       FROM ${offers} WHERE ${SUBMITTED_BID} AND amount IS NOT NULL GROUP BY ocid, list_sort(string_split(related_lots, ',')), amount, currency),
     -- (the price most tenderers share, the lowest of a tie: its amount and currency from one row)
     most AS (SELECT ocid, amount, currency, tenderers FROM shared WHERE offers >= 2 AND tenderers >= 2
              QUALIFY row_number() OVER (PARTITION BY ocid ORDER BY tenderers DESC, amount, currency) = 1)
     SELECT ${row('IDENTICAL_BID_PRICES', 'm.tenderers', '2', "format('tenderers whose submitted offers are of the same price, {} {}', m.amount, coalesce(m.currency, '(no currency)'))")}
     FROM most m JOIN ${tenders} ON t.ocid = m.ocid`,
    // R030: a valid offer after the deadline, one of its tenderers a supplier of an active award —
    // of an award for a lot the offer is for, when both name their lots: a supplier's late offer for a
    // lot another won is no late offer that won because the supplier won another lot on time
    `INSERT INTO red_flags
     WITH late AS (
       SELECT o.ocid, max(epoch(o.date) - epoch(t.period_end)) / 86400 AS late_days
       FROM ${offers} o JOIN ${tenders} ON t.ocid = o.ocid JOIN ${activeSupplierLots} w ON w.ocid = o.ocid AND w.party_id = o.party_id
       WHERE ${validBid('o.status')} AND o.date > t.period_end
         AND ${shareALot('o.related_lots', 'w.related_lots')}
       GROUP BY o.ocid)
     SELECT ${row('LATE_BID_WON', 'round(l.late_days, 3)', '0', "'days after the submission deadline that a valid offer of a supplier of an active award was received'")}
     FROM late l JOIN ${tenders} ON t.ocid = l.ocid`,
    // R035: one tenderer's offers are the valid ones (a valid offer of a tenderer not known: not one);
    // the suppliers of the active awards are it; other tenderers disqualified (at least 1) — for a lot
    // one of the winner's valid offers is for, when both name their lots: a tenderer disqualified for
    // a lot the winner did not offer for was never its competitor —; no award pending or invalid
    `INSERT INTO red_flags
     WITH valid AS (SELECT ocid, count(DISTINCT party_id) AS n, min(party_id) AS winner, count(*) FILTER (WHERE party_id IS NULL) AS unknown FROM ${offers} WHERE ${VALID_BID} GROUP BY ocid),
     suppliers AS (SELECT ocid, count(*) AS n, min(party_id) AS party_id, count(*) FILTER (WHERE party_id IS NULL) AS unknown FROM ${activeSuppliers} GROUP BY ocid),
     disqualified AS (
       SELECT o.ocid, count(DISTINCT o.party_id) AS n FROM ${offers} o JOIN valid v ON v.ocid = o.ocid
       WHERE ${disqualifiedBid('o.status')} AND o.party_id <> v.winner
         AND EXISTS (SELECT 1 FROM ${offers} w WHERE w.ocid = o.ocid AND w.party_id = v.winner AND ${validBid('w.status')} AND ${shareALot('w.related_lots', 'o.related_lots')})
       GROUP BY o.ocid),
     open_awards AS (SELECT DISTINCT ocid FROM awards WHERE status IN ('pending', 'invalid') AND ocid IN (${withOffers}))
     SELECT ${row('ALL_EXCEPT_WINNER_DISQUALIFIED', 'd.n', '1', "'tenderers whose offers were disqualified, beside the one tenderer of the valid offers, supplier of every active award'")}
     FROM valid v JOIN suppliers s ON s.ocid = v.ocid JOIN disqualified d ON d.ocid = v.ocid JOIN ${tenders} ON t.ocid = v.ocid
     WHERE v.n = 1 AND v.unknown = 0 AND s.n = 1 AND s.unknown = 0 AND s.party_id = v.winner AND d.n >= 1
       AND v.ocid NOT IN (SELECT ocid FROM open_awards)`,
    // R036: within one set of lots (offers for other lots are prices of other things, as R028's:
    // a lot's lowest offer disqualified is hidden by another lot's lower valid one), the lowest
    // submitted offers (their price, in one currency) are all disqualified; an active award for one
    // of those lots, when both name their lots (a lot left unawarded, its every offer disqualified, is
    // no lowest offer set aside for a higher one). One row per process: the lowest such offer, its
    // lots named
    `INSERT INTO red_flags
     WITH priced AS (
       SELECT ocid, array_to_string(list_sort(string_split(related_lots, ',')), ',') AS lots, amount, currency, status
       FROM bids WHERE ocid IN (${ocids}) AND ${SUBMITTED_BID} AND amount IS NOT NULL),
     one_currency AS (SELECT ocid, lots FROM priced GROUP BY ocid, lots HAVING count(DISTINCT coalesce(currency, '')) = 1),
     lowest AS (
       SELECT p.ocid, p.lots, min(p.amount) AS amount, min(p.amount) FILTER (WHERE NOT ${disqualifiedBid('p.status')}) AS lowest_kept FROM priced p JOIN one_currency o ON o.ocid = p.ocid AND o.lots IS NOT DISTINCT FROM p.lots GROUP BY p.ocid, p.lots),
     judged AS (
       SELECT l.ocid, l.lots, l.amount, bool_and(${disqualifiedBid('p.status')}) AS disqualified, any_value(p.currency) AS currency, any_value(l.lowest_kept) AS lowest_kept
       FROM lowest l JOIN priced p ON p.ocid = l.ocid AND p.lots IS NOT DISTINCT FROM l.lots AND p.amount = l.amount GROUP BY l.ocid, l.lots, l.amount),
     flagged AS (
       SELECT * FROM judged j
       WHERE disqualified AND EXISTS (SELECT 1 FROM awards a WHERE a.ocid = j.ocid AND a.status = 'active' AND a.ocid IN (${withOffers}) AND ${shareALot('a.related_lots', 'j.lots')})
       QUALIFY row_number() OVER (PARTITION BY ocid ORDER BY amount, lots NULLS FIRST) = 1)
     SELECT ${row('LOWEST_BID_DISQUALIFIED', 'j.amount', 'j.lowest_kept', "format('the lowest submitted offer{}, {} {}, disqualified (threshold: the lowest offer not disqualified{})', CASE WHEN j.lots IS NOT NULL THEN format(' for lots {}', j.lots) ELSE '' END, j.amount, coalesce(j.currency, '(no currency)'), CASE WHEN j.lots IS NOT NULL THEN ', for the same lots' ELSE '' END)")}
     FROM flagged j JOIN ${tenders} ON t.ocid = j.ocid`,
  ];
}
