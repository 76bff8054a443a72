/**
 * The indicators of partners' offers that compare processes, tenderers or buyers with type-8 fences, as
 * Cardinal defines them (R024, R025, R038, R058): views over tables tenders, bids and bid_tenderers,
 * computed when queried, within one market (contracts.market: a partner's country; DECP gives no
 * offers). Each lists the rows at or past its fence, with its group's figures (size, quartiles, fence).
 * As the store's other fences (value_outliers, price_anomalies), none applies to a group whose IQR is 0
 * (every value at the fence), and values are compared with the fence rounded to 9 decimals. A bid is
 * valid, submitted or disqualified as bid-flags.ts says.
 */
import { disqualifiedBid, submittedBid, validBid } from './bid-flags.js';
import { lowerFence as lower, q8, unitOf, upperFence as upper } from './sql-parts.js';
/** A process's market: its contracts' (one process, one buyer: one market). */
const MARKET = '(SELECT ocid, any_value(market) AS market FROM contracts GROUP BY ocid)';

/**
 * The compared processes whose valid offers are all for the same lots (or none named): offers priced lot
 * by lot (Prozorro's lotValues, one row per lot) are prices of other things, and the one active award
 * is for some lots only — the winner's offers for the others are no wins (R024, R025, R058).
 */
const ONE_LOT_SET = "SELECT ocid FROM valid_bids GROUP BY ocid HAVING count(DISTINCT coalesce(related_lots, '')) = 1";

/** What `flags` says a row of bid_margin_outliers is. */
export const BID_MARGIN_LOW = "the winning offer's margin under the second-lowest valid offer, (second − winning) / winning, at or under the lower fence Q1 − 1.5 IQR of its market's margins (type 8; Cardinal's R024)";
export const BID_MARGIN_HIGH = "the winning offer's margin under the second-lowest valid offer, (second − winning) / winning, at or over the upper fence Q3 + 1.5 IQR of its market's margins (type 8; Cardinal's R058)";

export const BID_INDICATOR_VIEWS: readonly string[] = [
  // the processes R024, R025 and R058 compare (Cardinal's exclusions): one active award, of one
  // supplier (its winner); no award pending or invalid, none of several suppliers; no offer of several
  // tenderers
  `CREATE OR REPLACE VIEW bid_processes AS
   WITH aw AS (
     SELECT ocid, count(*) FILTER (WHERE status = 'active') AS active, count(*) FILTER (WHERE status IN ('pending', 'invalid')) AS undecided, max(suppliers) AS most_suppliers
     FROM awards WHERE ocid IN (SELECT ocid FROM bids) GROUP BY ocid)
   SELECT aw.ocid, t.buyer_id, t.year, m.market, s.party_id AS winner
   FROM aw JOIN awards a ON a.ocid = aw.ocid AND a.status = 'active' JOIN award_suppliers s ON s.ocid = a.ocid AND s.award_id = a.award_id
     JOIN tenders t ON t.ocid = aw.ocid LEFT JOIN ${MARKET} m ON m.ocid = aw.ocid
   WHERE aw.active = 1 AND aw.undecided = 0 AND aw.most_suppliers = 1 AND s.party_id IS NOT NULL
     AND aw.ocid NOT IN (SELECT ocid FROM bids WHERE tenderers > 1)`,
  // each valid offer with its tenderer, in the processes compared
  `CREATE OR REPLACE VIEW valid_bids AS
   SELECT b.ocid, b.bid_id, b.amount, b.currency, b.related_lots, bt.party_id, p.winner, p.market, p.buyer_id, p.year
   FROM bids b JOIN bid_tenderers bt ON bt.ocid = b.ocid AND bt.bid_id = b.bid_id JOIN bid_processes p ON p.ocid = b.ocid
   WHERE ${validBid('b.status')}`,
  // R024 / R058: the winning offer (the winner's valid one, the lowest valid offer: a process whose
  // winner did not offer the lowest price is left out) against the second-lowest valid offer, in one
  // currency, for the same lots (offers priced lot by lot, Prozorro's lotValues, are prices of other
  // things: a process whose valid offers name other lots is left out); the margin (second − winning) /
  // winning compared within the market
  `CREATE OR REPLACE VIEW bid_margin_outliers AS
   WITH o AS (
     SELECT ocid, any_value(buyer_id) AS buyer_id, any_value(year) AS year, any_value(market) AS market, any_value(currency) AS currency,
            list_sort(list(amount)) AS amounts, min(amount) FILTER (WHERE party_id = winner) AS winning
     FROM valid_bids WHERE amount IS NOT NULL AND ocid IN (${ONE_LOT_SET}) GROUP BY ocid HAVING count(DISTINCT coalesce(currency, '')) = 1 AND count(*) >= 2),
   d AS (SELECT *, amounts[2] AS second, (amounts[2] - winning) / winning AS margin FROM o WHERE winning > 0 AND winning = amounts[1]),
   g AS (SELECT market, count(*) AS n, ${q8('margin', 0.25)} AS q1, ${q8('margin', 0.75)} AS q3 FROM d GROUP BY market)
   SELECT d.ocid, d.buyer_id, d.market, d.year, d.currency, d.winning AS winning_amount, d.second AS second_amount, d.margin,
          g.n AS group_processes, g.q1, g.q3, ${lower('g.q1', 'g.q3')} AS lower_fence, ${upper('g.q1', 'g.q3')} AS upper_fence,
          round(d.margin, 9) <= round(${lower('g.q1', 'g.q3')}, 9) AS low, round(d.margin, 9) >= round(${upper('g.q1', 'g.q3')}, 9) AS high
   FROM d JOIN g ON g.market IS NOT DISTINCT FROM d.market
   WHERE g.q3 > g.q1 AND (round(d.margin, 9) <= round(${lower('g.q1', 'g.q3')}, 9) OR round(d.margin, 9) >= round(${upper('g.q1', 'g.q3')}, 9))`,
  // R025: per tenderer (legal unit: a French company by its SIREN) and market, its winning offers over
  // its valid ones in the processes compared; a top tenderer (valid offers at or over Q3 of the
  // tenderers' numbers of valid offers) whose ratio is at or under the lower fence of the ratios
  `CREATE OR REPLACE VIEW unsuccessful_tenderers AS
   WITH t AS (
     SELECT ${unitOf('party_id')} AS tenderer, market, count(*) AS valid_bids, count(*) FILTER (WHERE party_id = winner) AS winning_bids,
            count(*) FILTER (WHERE party_id = winner) / count(*)::DOUBLE AS ratio
     FROM valid_bids WHERE party_id IS NOT NULL AND ocid IN (${ONE_LOT_SET}) GROUP BY ALL),
   g AS (SELECT market, count(*) AS n, ${q8('valid_bids', 0.75)} AS top, ${q8('ratio', 0.25)} AS q1, ${q8('ratio', 0.75)} AS q3 FROM t GROUP BY market)
   SELECT t.tenderer, n.name AS tenderer_name, t.market, t.valid_bids, t.winning_bids, t.ratio,
          g.n AS group_tenderers, g.top AS top_valid_bids, g.q1, g.q3, ${lower('g.q1', 'g.q3')} AS lower_fence
   FROM t JOIN g ON g.market IS NOT DISTINCT FROM t.market LEFT JOIN party_unit_names n ON n.unit = t.tenderer
   WHERE g.q3 > g.q1 AND t.valid_bids >= g.top AND round(t.ratio, 9) <= round(${lower('g.q1', 'g.q3')}, 9)`,
  // R038: disqualified offers over submitted ones, per buyer and per procuring entity (a party of that
  // role; 2 processes or more) and per tenderer (2 submitted offers or more), each legal unit, within
  // its market; at or over the upper fence of its kind's ratios
  `CREATE OR REPLACE VIEW disqualified_bid_rates AS
   WITH s AS (
     SELECT b.ocid, b.bid_id, ${disqualifiedBid('b.status')} AS disqualified, t.buyer_id, m.market
     FROM bids b JOIN tenders t ON t.ocid = b.ocid LEFT JOIN ${MARKET} m ON m.ocid = b.ocid WHERE ${submittedBid('b.status')}),
   r AS (
     SELECT 'buyer' AS kind, ${unitOf('buyer_id')} AS party, market, count(DISTINCT ocid) AS processes, count(*) AS submitted, count(*) FILTER (WHERE disqualified) AS disqualified
     FROM s WHERE buyer_id IS NOT NULL GROUP BY ALL HAVING count(DISTINCT ocid) >= 2
     UNION ALL
     SELECT 'procuring_entity', ${unitOf('p.party_id')}, s.market, count(DISTINCT s.ocid), count(*), count(*) FILTER (WHERE s.disqualified)
     FROM s JOIN parties p ON p.ocid = s.ocid AND list_contains(string_split(p.roles, ','), 'procuringEntity') AND p.party_id IS NOT NULL
     GROUP BY ALL HAVING count(DISTINCT s.ocid) >= 2
     UNION ALL
     SELECT 'tenderer', ${unitOf('bt.party_id')}, s.market, count(DISTINCT s.ocid), count(*), count(*) FILTER (WHERE s.disqualified)
     FROM s JOIN bid_tenderers bt ON bt.ocid = s.ocid AND bt.bid_id = s.bid_id WHERE bt.party_id IS NOT NULL GROUP BY ALL HAVING count(*) >= 2),
   q AS (SELECT kind, market, count(*) AS n, ${q8('disqualified / submitted::DOUBLE', 0.25)} AS q1, ${q8('disqualified / submitted::DOUBLE', 0.75)} AS q3 FROM r GROUP BY kind, market)
   SELECT r.kind, r.party, n.name AS party_name, r.market, r.processes, r.submitted, r.disqualified, r.disqualified / r.submitted::DOUBLE AS ratio,
          q.n AS group_parties, q.q1, q.q3, ${upper('q.q1', 'q.q3')} AS upper_fence
   FROM r JOIN q ON q.kind = r.kind AND q.market IS NOT DISTINCT FROM r.market LEFT JOIN party_unit_names n ON n.unit = r.party
   WHERE q.q3 > q.q1 AND round(r.disqualified / r.submitted::DOUBLE, 9) >= round(${upper('q.q1', 'q.q3')}, 9)`,
];
