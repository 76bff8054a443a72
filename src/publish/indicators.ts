/**
 * The indicators of red-flags.md §3.4 that compare buyers, suppliers or markets (rates, shares,
 * concentration, thresholds, digits), as views of the store: a monitor's question is one SELECT,
 * computed when asked over the current tables (nothing stored, no time taken from the nightly run).
 * Each row carries its denominator, the group it was compared within and the threshold used, and
 * is a screening signal, never proof. The per-contract indicators are rows of `red_flags`
 * (red-flags.ts).
 *
 * They read `monitor_contracts`: one row per contract (duplicates linked by `duplicate_of` counted
 * once), concessions left out (a concession's value is its expected turnover over its life, and its
 * procedures are not a marché's). A buyer or supplier is its legal unit: the SIREN of a French
 * FR-RCS id (an establishment's SIRET, or the SIREN), else its party id (contracts without a buyer
 * are one group of their own, never flagged, and no candidate for splitting), named by the name its
 * parties give most often (ties: the first in order; one rule for every view). A contract's suppliers
 * are its own current ones (`contract_suppliers`: after its modifications; each contract of a
 * partner's award split into several has its own, where the award's would give all to each).
 * A call-off of a framework agreement the store holds (`in_framework`) was competed for, won and
 * valued with its framework: the views of competition, of suppliers' shares and repeated wins, and of
 * splitting count the framework, not its call-offs (one framework won once, not five wins of one
 * supplier); the call-offs of a framework the store does not hold, or holds without a value, are
 * one win too, its framework's (WIN: repeated_winners, buyer_non_eu_suppliers, buyer_non_competitive,
 * the suppliers' shares and concentration, heterogeneous_suppliers); the others (publication delays,
 * values and their digits) count every contract. The suppliers' shares are of money: they leave out a
 * call-off only when its framework gives a value (`value_in_framework`), which holds the call-off's; a
 * framework published without one (0, none) holds none, and its call-offs' money is theirs, every
 * call-off's value summed though the call-offs count as one contract. The
 * offers of any call-off (`call_off`) are not its own competition's (its framework's holders are
 * who may offer): buyer_single_bid leaves every call-off out, as SINGLE_BID. Nor is a call-off
 * coded without competition (DECP writes many marchés subséquents "sans publicité ni mise en
 * concurrence") a non-competitive award, whether the store holds its framework or not: it is
 * awarded under its framework, which was competed for (as NO_COMPETITION_OVER_THRESHOLD has it):
 * `monitor_contracts.non_competitive` is false for every call-off (buyer_non_competitive counts it
 * among the contracts, not the non-competitive ones; repeated_winners and splitting_candidates do
 * not take it for a non-competitive win or purchase), nor a value set under a threshold (the
 * bunching views leave every call-off out: its framework's value decided its procedure).
 *
 * Every figure that compares contracts of several buyers or suppliers (a national or peer rate, a
 * fence, a group's median) is made within one market (`monitor_contracts.market`, the
 * contract's `market` that flatten gives it, markets.ts: France's DECP, a partner's country): a store of DECP and
 * partners' data never judges a French buyer by Colombia's contracts. The views whose rows are so
 * compared give their market; those of French law (splitting, bunching, round and "T − 1 €" values,
 * publication delays) read DECP only, France's, as the share of suppliers of DECP's HORS-UE
 * identifiers (a partner's scheme names a country, not the EU).
 */
import { FRENCH_REGIONS } from '../transform/places.js';
import { COMPETITIVE, FIRST_PUBLICATION_KNOWN, FRAMEWORKS_IN_STORE, IN_FRAMEWORK, MAPA, NATURE, NON_COMPETITIVE, q8, UNDER_PUBLICATION_OBLIGATION, unitOf, upperFence, VALUE_IN_FRAMEWORK } from './sql-parts.js';

/** z of a two-sided 95 % interval. */
const Z = 1.959963984540054;

/**
 * The Wilson score interval of x successes in n (95 %): `side` -1 gives its low end, 1 its high end.
 */
const wilson = (x: string, n: string, side: -1 | 1): string => {
  const p = `(${x} / ${n}::DOUBLE)`;
  const z2 = `${Z * Z}`;
  const bound = `((${p} + ${z2} / (2 * ${n})) ${side < 0 ? '-' : '+'} ${Z} * sqrt(${p} * (1 - ${p}) / ${n} + ${z2} / (4 * ${n} * ${n}))) / (1 + ${z2} / ${n})`;
  // (exactly 0 or 1 at the ends: rounding gave 5e-17 for x = 0)
  return `CASE WHEN ${x} = ${side < 0 ? '0' : n} THEN ${side < 0 ? '0.0' : '1.0'} ELSE least(1, greatest(0, ${bound})) END`;
};

/** The upper fence Q3 + 1.5 IQR (the quartiles type 8, the store's macro, as the price anomalies use). */
const fence = upperFence;

/**
 * The win a contract of monitor_contracts `m` counts as, a key: a call-off naming its framework
 * agreement is its framework's one win (`framework` ␟ framework_ocid: the call-offs of one framework
 * are one contract, however many), any other contract its own (ocid ␟ contract_id). The one rule of
 * the views that count wins or contracts toward a minimum or a share (repeated_winners,
 * buyer_non_eu_suppliers, buyer_supplier_shares, market_concentration, heterogeneous_suppliers,
 * buyer_non_competitive): 40 marchés subséquents of one framework won by one supplier are one
 * framework won once, not 40 wins that make their buyer look concentrated. A call-off of a framework
 * the store holds (`in_framework`) is left out where its framework counts; where the framework does
 * not (published without a value, left out of the money's shares), its call-offs are its one win too.
 */
const WIN = (m: string): string => `CASE WHEN ${m}.call_off AND ${m}.framework_ocid IS NOT NULL THEN 'framework' || chr(31) || ${m}.framework_ocid ELSE ${m}.ocid || chr(31) || ${m}.contract_id END`;

/** The distinct suppliers (legal units) of each contract of monitor_contracts. */
const CONTRACT_SUPPLIERS = `SELECT DISTINCT m.ocid, m.contract_id, ${unitOf('s.party_id')} AS supplier
   FROM monitor_contracts m JOIN contract_suppliers s ON s.ocid = m.ocid AND s.contract_id = m.contract_id`;

/**
 * A French région's name from its INSEE code (another country's region, as given, has none: read in
 * France's market only, lest a partner's region written as a number, Bogotá's DANE 11, be named Île-de-France).
 */
const REGION_NAME = (code: string): string => `CASE ${code} ${Object.entries(FRENCH_REGIONS)
  .map(([k, v]) => `WHEN '${k}' THEN '${v.replace(/'/g, "''")}'`)
  .join(' ')} END`;

/** The band below a threshold that bunching counts, in percent: 10 % for works, 5 % for supplies and services (as DASU). */
const BAND_PCT = "CASE WHEN m.nature = 'works' THEN 10 ELSE 5 END";

/** Is a value in the band just below a threshold (from T − band to T, T excluded)? */
const justBelow = (value: string, threshold: string, bandPct: string): string => `(${value} >= ${threshold} * (100 - ${bandPct}) / 100 AND ${value} < ${threshold})`;

/** Joins monitor_contracts `c` (m unless said) to the thresholds t of its nature, of the kinds `kinds`, valid on `day`. */
const thresholdsOn = (day: string, kinds: readonly string[], c = 'm'): string =>
  `procurement_thresholds t ON t.nature = ${c}.nature AND ${day} BETWEEN t.valid_from AND t.valid_to AND t.kind IN (${kinds.map((k) => `'${k}'`).join(', ')})`;

/**
 * The most contracts of one buyer–supplier pair (rows of `r` matching `where`) within a window of
 * 365 days: signed at most 364 days apart, the first and last day included.
 */
const mostInAYear = (where: string): string => `SELECT buyer, supplier, max(n) AS n FROM (
       SELECT buyer, supplier, count(*) OVER (PARTITION BY buyer, supplier ORDER BY signed_day RANGE BETWEEN INTERVAL 364 DAYS PRECEDING AND CURRENT ROW) AS n
       FROM r WHERE ${where}) GROUP BY ALL`;

/**
 * EU procedure thresholds (HT, euros; the Commission's delegated regulations for each two-year
 * period): works (and concessions), and supplies and services of contracting authorities other
 * than central government — most DECP buyers; central government's are lower (140,000 € in
 * 2026–27), which the data cannot tell apart.
 */
const EU_THRESHOLDS: ReadonlyArray<readonly [string, string, number, number]> = [
  ['2016-01-01', '2017-12-31', 5225000, 209000],
  ['2018-01-01', '2019-12-31', 5548000, 221000],
  ['2020-01-01', '2021-12-31', 5350000, 214000],
  ['2022-01-01', '2023-12-31', 5382000, 215000],
  ['2024-01-01', '2025-12-31', 5538000, 221000],
  ['2026-01-01', '2027-12-31', 5404000, 216000],
];

/**
 * The value below which a marché needs neither advertising nor competition (R.2122-8: "inférieure
 * à"), by nature: 15,000 € until 2015-09-30, 25,000 € until 2019-12-31 (décret 2015-1163), 40,000 €
 * from 2020 (décret 2019-1344), 60,000 € for supplies and services from 2026-04-01 and 100,000 € for
 * works from 2026-01-01 (décret 2025-1386, red-flags.md §3.5). Works were raised for a time in
 * between (70,000 € in the second half of 2020, then 100,000 € until 2025, by temporary texts
 * whose exact dates this table does not rest on): 100,000 € is used from 2020-07-24, the start of
 * the first raise, so that no flag rests on a threshold that may not have applied (a works contract
 * of 70,000–100,000 € in late 2020 is missed rather than wrongly flagged).
 */
const DISPENSE_THRESHOLDS: ReadonlyArray<readonly [string, string, string, number]> = [
  ['works', '1900-01-01', '2015-09-30', 15000],
  ['supplies_services', '1900-01-01', '2015-09-30', 15000],
  ['works', '2015-10-01', '2019-12-31', 25000],
  ['supplies_services', '2015-10-01', '2019-12-31', 25000],
  ['works', '2020-01-01', '2020-07-23', 40000],
  ['works', '2020-07-24', '9999-12-31', 100000],
  ['supplies_services', '2020-01-01', '2026-03-31', 40000],
  ['supplies_services', '2026-04-01', '9999-12-31', 60000],
];

/**
 * The rows of `procurement_thresholds`: `dispense` (R.2122-8, above), `mapa_publicity` (the 90,000 €
 * from which a procédure adaptée is advertised in the BOAMP or a JAL), `eu` (above).
 */
const THRESHOLD_ROWS = [
  ...DISPENSE_THRESHOLDS.map(([nature, from, to, amount]) => `('dispense', '${nature}', DATE '${from}', DATE '${to}', ${amount}::DOUBLE)`),
  ...['works', 'supplies_services'].map((nature) => `('mapa_publicity', '${nature}', DATE '1900-01-01', DATE '9999-12-31', 90000::DOUBLE)`),
  ...EU_THRESHOLDS.flatMap(([from, to, works, other]) => [`('eu', 'works', DATE '${from}', DATE '${to}', ${works}::DOUBLE)`, `('eu', 'supplies_services', DATE '${from}', DATE '${to}', ${other}::DOUBLE)`]),
];

/**
 * P(X > x) for a χ² of 8 degrees of freedom (the first digits' test): for an even number 2m of
 * degrees it is exactly e^(−x/2) Σ_{i<m} (x/2)^i / i!.
 */
const chi2Survival8 = (x: string): string => `exp(-${x} / 2) * (1 + ${x} / 2 + (${x} / 2) ** 2 / 2 + (${x} / 2) ** 3 / 6)`;

/** How far under a threshold a value is "T − 1 €" (§3.4 13: 39,999, 39,999.99, 89,990): 10 € or less, T excluded. */
const UNDER_BY = 10;

/** Is a value within UNDER_BY euros under a threshold (from T − 10 € to T, T excluded)? */
const justUnder = (value: string, threshold: string): string => `(${value} >= ${threshold} - ${UNDER_BY} AND ${value} < ${threshold})`;

/**
 * Is a threshold above the DECP publication threshold of the day (25,000 € before 2020, 40,000 € from
 * 2020-01-01, as UNDER_PUBLICATION_OBLIGATION)? Under it a contract is published by choice: how many
 * values a buyer shows just under 40,000 € says what it chose to publish (red-flags.md §3.4 8: "not
 * 40 k€"), and the per-buyer shares leave such thresholds out.
 */
const overPublicationThreshold = (threshold: string, day: string): string => `(${threshold} > CASE WHEN ${day} < DATE '2020-01-01' THEN 25000 ELSE 40000 END)`;

/**
 * A value set rather than priced: a framework agreement's or a contract executed by purchase orders
 * (its value is a maximum, which buyers write round): no round value of §3.4 13 (it stays a "T − 1 €" one).
 */
const MAXIMUM = (m: string): string => `(coalesce(${m}.framework_agreement, false) OR coalesce(${m}.purchase_orders, false))`;

/** The kinds of threshold a value may be set just under (§3.5: R.2122-8's, the MAPA's publicity, the EU's). */
const UNDER_KINDS = ['dispense', 'mapa_publicity', 'eu'] as const;

/** The size classes of buyer_concentration_outliers, by the contracts the shares are of: a buyer's HHI is at least 1 / its suppliers, who are no more than its contracts. */
const SIZE_CLASS = "CASE WHEN c.contracts < 10 THEN '5-9' WHEN c.contracts < 20 THEN '10-19' WHEN c.contracts < 50 THEN '20-49' ELSE '50+' END";

/** A supplier's identifier of DECP's type HORS-UE (a company outside the EU; `Hors UE (pas de SIRET)`, a spelling DECP does not know, keeps its words: FR-DECP-HORS-UE-PAS-DE-SIRET). */
const NON_EU_SCHEME = (scheme: string): string => `(${scheme} = 'FR-DECP-HORS-UE' OR ${scheme} LIKE 'FR-DECP-HORS-UE-%')`;

/** What `flags` says a VALUE_OUTLIER (a row of value_outliers) is. */
export const VALUE_OUTLIER = 'initial value at or past the upper fence of the logarithms of the values of its subject (CPV class, nature, framework agreement or not, executed by purchase orders or not — both values are maxima —, currency, market; groups of 30 or more, when their IQR is not 0): red-flags.md §3.4 3, R016';

/** Benford's expected share of each first digit, 1 to 9. */
const BENFORD = Array.from({ length: 9 }, (_, k) => Math.log10(1 + 1 / (k + 1)));

export const INDICATOR_VIEWS: readonly string[] = [
  // a legal unit's name: the name its parties' rows give most often (ties: the first in order)
  `CREATE OR REPLACE VIEW party_unit_names AS
   SELECT unit, name FROM (SELECT ${unitOf('party_id')} AS unit, name, count(*) AS n FROM parties WHERE name IS NOT NULL GROUP BY ALL)
   QUALIFY row_number() OVER (PARTITION BY unit ORDER BY n DESC, name) = 1`,
  `CREATE OR REPLACE VIEW monitor_contracts AS
   SELECT c.ocid, c.contract_id, c.award_id, c.buyer_id, ${unitOf('c.buyer_id')} AS buyer, n.name AS buyer_name, c.market,
          c.year, c.signed_day, c.decp_version, c.main_category, c.cpv, left(c.cpv, 2) AS cpv_division, left(c.cpv, 3) AS cpv_group, left(c.cpv, 4) AS cpv_class,
          c.place_departement, c.place_region,
          ${NATURE} AS nature,
          c.initial_amount, c.amount, c.currency, c.bids, c.procurement_method, c.procurement_method_details AS procedure,
          c.framework_agreement, c.purchase_orders, c.publication_delay_days, c.call_off, c.framework_ocid, ${IN_FRAMEWORK('f')} AS in_framework, ${VALUE_IN_FRAMEWORK('f')} AS value_in_framework,
          ${COMPETITIVE} AS competitive, ${MAPA} AS adapted, (${NON_COMPETITIVE} AND c.call_off IS NOT TRUE) AS non_competitive
   FROM contracts c LEFT JOIN party_unit_names n ON n.unit = ${unitOf('c.buyer_id')} ${FRAMEWORKS_IN_STORE('c', 'f')}
   WHERE c.duplicate_of IS NULL AND c.record_type IS DISTINCT FROM 'contrat-concession'`,
  // §3.4 1: single offer in competitive procedures, per buyer and year
  // (its peers: §3.4 1 compares by nature × CPV division — a buyer of works against the works' rate,
  // not the year's all-market one —: peer_rate is the rate its contracts would have at their peers'
  // rates, each contract weighted by the rate of the contracts of its year, nature and CPV division,
  // its own among them; peer_mean_bids likewise, R019's mean-offers gap is mean_bids − peer_mean_bids).
  // A known number of offers ("n known") is one or more: a contract was awarded on an offer, so the
  // 0 some publishers write (a field filled by default) says nothing of them — counted, it was a
  // contract of low competition that lowered its buyer's single-offer rate and mean offers (found by
  // a monitor's probe; SINGLE_BID is likewise no flag of it)
  `CREATE OR REPLACE VIEW buyer_single_bid AS
   WITH c AS (SELECT buyer, market, year, nature, cpv_division, bids FROM monitor_contracts WHERE competitive AND bids > 0 AND call_off IS NOT TRUE),
   peers AS (SELECT market, year, nature, cpv_division, count(*) FILTER (WHERE bids = 1) / count(*)::DOUBLE AS rate, avg(bids) AS mean_bids FROM c GROUP BY ALL),
   g AS (
     SELECT c.buyer, c.market, c.year, count(*) AS contracts, count(*) FILTER (WHERE c.bids = 1) AS single_bid,
            count(*) FILTER (WHERE c.bids <= 2) AS low_competition, avg(c.bids) AS mean_bids,
            avg(p.rate) AS peer_rate, avg(p.mean_bids) AS peer_mean_bids
     FROM c JOIN peers p ON p.market IS NOT DISTINCT FROM c.market AND p.year IS NOT DISTINCT FROM c.year AND p.nature IS NOT DISTINCT FROM c.nature AND p.cpv_division IS NOT DISTINCT FROM c.cpv_division
     GROUP BY c.buyer, c.market, c.year)
   SELECT g.buyer, k.name AS buyer_name, g.market, g.year, g.contracts, g.single_bid, g.single_bid / g.contracts::DOUBLE AS rate,
          ${wilson('g.single_bid', 'g.contracts', -1)} AS wilson_low, ${wilson('g.single_bid', 'g.contracts', 1)} AS wilson_high,
          g.low_competition, g.mean_bids,
          sum(g.single_bid) OVER (PARTITION BY g.market, g.year) / sum(g.contracts) OVER (PARTITION BY g.market, g.year)::DOUBLE AS national_rate,
          g.peer_rate, g.peer_mean_bids
   FROM g LEFT JOIN party_unit_names k ON k.unit = g.buyer`,
  // §3.4 2: share of non-competitive procedures, per buyer and year, against its year's buyers of 10 contracts or more
  // (flagged at the fence or past it, "share ≥ Q3 + 1.5 IQR", both rounded to 9 decimals: 5 of 20
  // against Q1 0 and Q3 0.1 is 0.25 at a fence computed as 0.25000000000000006). Contracts are wins
  // (WIN: the call-offs of a framework the store does not hold are one contract, their framework's,
  // as repeated_winners counts them — 40 marchés subséquents of one framework were 40 competitive
  // contracts that made a buyer of 10 and lowered its share); the values are every contract's
  `CREATE OR REPLACE VIEW buyer_non_competitive AS
   WITH g AS (
     SELECT buyer, market, year, count(DISTINCT ${WIN('m')}) AS contracts, count(DISTINCT ${WIN('m')}) FILTER (WHERE non_competitive) AS non_competitive,
            sum(initial_amount) FILTER (WHERE non_competitive) AS nc_amount, sum(initial_amount) AS amount, count(DISTINCT currency) AS currencies
     FROM monitor_contracts m WHERE (procurement_method IS NOT NULL OR procedure IS NOT NULL) AND NOT in_framework GROUP BY buyer, market, year),
   s AS (SELECT *, non_competitive / contracts::DOUBLE AS share FROM g),
   -- (the peers are the year's buyers of 10 contracts or more of its market: the contracts without a
   -- buyer, a group of their own, never flagged, are none)
   f AS (SELECT market, year, list_sort(list(share)) AS l FROM s WHERE contracts >= 10 AND buyer IS NOT NULL GROUP BY market, year),
   q AS (SELECT market, year, q1, q3, ${fence('q1', 'q3')} AS fence FROM (SELECT market, year, quantile_type8(l, 0.25) AS q1, quantile_type8(l, 0.75) AS q3 FROM f))
   SELECT s.buyer, k.name AS buyer_name, s.market, s.year, s.contracts, s.non_competitive, s.share,
          CASE WHEN s.currencies <= 1 AND s.amount <> 0 THEN coalesce(s.nc_amount, 0) / s.amount END AS value_share,
          q.fence, 0.3::DOUBLE AS cut,
          coalesce(s.buyer IS NOT NULL AND s.contracts >= 10 AND (s.share >= 0.3 OR (q.q3 > q.q1 AND round(s.share, 9) >= round(q.fence, 9))), false) AS flagged
   FROM s LEFT JOIN q ON q.market IS NOT DISTINCT FROM s.market AND q.year IS NOT DISTINCT FROM s.year LEFT JOIN party_unit_names k ON k.unit = s.buyer`,
  // §3.4 5: each supplier's share of its buyer's spending (initial values; a contract of several suppliers split equally),
  // flagged at half or more, "share ≥ 0.5", rounded to 9 decimals: the sums' last bits made exactly half
  // 0.49999999999999994 (61,982.77 € of 123,965.54 €), and neither of two suppliers of half each was flagged.
  // `contracts` and `buyer_contracts` (the 5 a flag needs) count wins (WIN): the call-offs of one
  // framework are one contract in each year they are of, whether the store holds the framework
  // (published without a value, so that its call-offs' money is theirs) or not — 40 marchés
  // subséquents of one framework made a buyer of 40 contracts, concentrated on their holder. Their
  // money is each call-off's value, all summed (it was spent, and is nowhere else: the share is of
  // money, the count of wins); a call-off of several suppliers splits its own value among them
  `CREATE OR REPLACE VIEW buyer_supplier_shares AS
   WITH sup AS (${CONTRACT_SUPPLIERS}),
   c AS (
     SELECT m.ocid, m.contract_id, ${WIN('m')} AS win, m.buyer, m.year, m.currency, m.initial_amount, sup.supplier,
            count(*) OVER (PARTITION BY m.ocid, m.contract_id) AS n
     FROM monitor_contracts m JOIN sup ON sup.ocid = m.ocid AND sup.contract_id = m.contract_id WHERE m.initial_amount > 0 AND NOT m.value_in_framework),
   b AS (
     SELECT buyer, year, currency, sum(initial_amount) AS amount, count(DISTINCT win) AS contracts
     FROM (SELECT DISTINCT ocid, contract_id, win, buyer, year, currency, initial_amount FROM c) GROUP BY ALL),
   p AS (SELECT buyer, year, currency, supplier, count(DISTINCT win) AS contracts, sum(initial_amount / n) AS amount FROM c GROUP BY ALL)
   SELECT p.buyer, kb.name AS buyer_name, p.year, p.currency, p.supplier, ks.name AS supplier_name, p.contracts, p.amount,
          b.amount AS buyer_amount, p.amount / b.amount AS share, b.contracts AS buyer_contracts,
          p.buyer IS NOT NULL AND round(p.amount / b.amount, 9) >= 0.5 AND b.contracts >= 5 AS flagged
   FROM p JOIN b ON b.buyer IS NOT DISTINCT FROM p.buyer AND b.year IS NOT DISTINCT FROM p.year AND b.currency IS NOT DISTINCT FROM p.currency
   LEFT JOIN party_unit_names kb ON kb.unit = p.buyer LEFT JOIN party_unit_names ks ON ks.unit = p.supplier`,
  // (amount: what the shares are of, the buyer's initial values with a known supplier, in currency)
  `CREATE OR REPLACE VIEW buyer_concentration AS
   SELECT buyer, any_value(buyer_name) AS buyer_name, year, currency, max(buyer_contracts) AS contracts, max(buyer_amount) AS amount, count(*) AS suppliers,
          sum(share * share) AS hhi, first(supplier ORDER BY share DESC, supplier) AS top_supplier,
          first(supplier_name ORDER BY share DESC, supplier) AS top_supplier_name, max(share) AS top_share,
          buyer IS NOT NULL AND round(max(share), 9) >= 0.5 AND max(buyer_contracts) >= 5 AS flagged
   FROM buyer_supplier_shares GROUP BY buyer, year, currency`,
  // §3.4 5, "HHI outliers within the buyer's category": the store knows no kind of buyer (a commune,
  // a hospital: SIRENE's legal category, which the pipeline does not read), and a buyer's HHI falls with
  // its size (at least 1 / its suppliers, no more than its contracts: on the samples the median HHI of
  // buyers of 5–9 contracts in a year is 0.29–0.36, of 50 or more 0.06–0.16), so its category is its
  // market, year, currency and size class (contracts the shares are of: 5–9, 10–19, 20–49, 50 or more;
  // 5 or more, as the share flag): a buyer at or past the upper fence of its category's HHIs (type 8;
  // categories of 10 buyers or more, not when Q1 = Q3; rounded to 9 decimals, as value_outliers'). A
  // buyer's market is its contracts' (one, but for a buyer whose contracts are in several: the first)
  `CREATE OR REPLACE VIEW buyer_concentration_outliers AS
   WITH mk AS (SELECT buyer, year, currency, min(market) AS market FROM monitor_contracts WHERE buyer IS NOT NULL GROUP BY ALL),
   b AS (
     SELECT c.*, mk.market, ${SIZE_CLASS} AS size_class
     FROM buyer_concentration c LEFT JOIN mk ON mk.buyer = c.buyer AND mk.year IS NOT DISTINCT FROM c.year AND mk.currency IS NOT DISTINCT FROM c.currency
     WHERE c.buyer IS NOT NULL AND c.contracts >= 5),
   g AS (
     SELECT market, year, currency, size_class, count(*) AS buyers, median(hhi) AS median_hhi, ${q8('hhi', 0.25)} AS q1, ${q8('hhi', 0.75)} AS q3
     FROM b GROUP BY ALL HAVING count(*) >= 10)
   SELECT b.buyer, b.buyer_name, b.market, b.year, b.currency, b.size_class, b.contracts, b.amount, b.suppliers, b.hhi, b.top_supplier, b.top_supplier_name, b.top_share,
          g.buyers AS group_buyers, g.median_hhi AS group_median_hhi, g.q1 AS group_q1, g.q3 AS group_q3, ${fence('g.q1', 'g.q3')} AS fence
   FROM b JOIN g ON g.market IS NOT DISTINCT FROM b.market AND g.year IS NOT DISTINCT FROM b.year AND g.currency IS NOT DISTINCT FROM b.currency AND g.size_class = b.size_class
   WHERE g.q3 > g.q1 AND round(b.hhi, 9) >= round(${fence('g.q1', 'g.q3')}, 9)`,
  // §3.4 5: market concentration per CPV group (3 digits), region and year: the suppliers' shares of
  // the market's initial values (a contract of several suppliers split equally, and `contracts` wins —
  // the call-offs of one framework one contract —, as buyer_supplier_shares)
  `CREATE OR REPLACE VIEW market_concentration AS
   WITH sup AS (${CONTRACT_SUPPLIERS}),
   c AS (
     SELECT m.ocid, m.contract_id, ${WIN('m')} AS win, m.market, m.cpv_group, m.place_region AS region, m.year, m.currency, m.initial_amount, sup.supplier,
            count(*) OVER (PARTITION BY m.ocid, m.contract_id) AS n
     FROM monitor_contracts m JOIN sup ON sup.ocid = m.ocid AND sup.contract_id = m.contract_id
     WHERE m.initial_amount > 0 AND NOT m.value_in_framework AND m.cpv_group IS NOT NULL),
   k AS (
     SELECT market, cpv_group, region, year, currency, sum(initial_amount) AS amount, count(DISTINCT win) AS contracts
     FROM (SELECT DISTINCT ocid, contract_id, win, market, cpv_group, region, year, currency, initial_amount FROM c) GROUP BY ALL),
   p AS (SELECT market, cpv_group, region, year, currency, supplier, sum(initial_amount / n) AS amount FROM c GROUP BY ALL),
   g AS (
     SELECT p.market, p.cpv_group, p.region, p.year, p.currency, any_value(k.contracts) AS contracts, count(*) AS suppliers, any_value(k.amount) AS amount,
            sum((p.amount / k.amount) ** 2) AS hhi, first(p.supplier ORDER BY p.amount DESC, p.supplier) AS top_supplier, max(p.amount) / any_value(k.amount) AS top_share
     FROM p JOIN k ON k.market IS NOT DISTINCT FROM p.market AND k.cpv_group = p.cpv_group AND k.region IS NOT DISTINCT FROM p.region AND k.year IS NOT DISTINCT FROM p.year AND k.currency IS NOT DISTINCT FROM p.currency
     GROUP BY p.market, p.cpv_group, p.region, p.year, p.currency)
   SELECT g.market, g.cpv_group, g.region, CASE WHEN g.market = 'FR' THEN ${REGION_NAME('g.region')} END AS region_name, g.year, g.currency, g.contracts, g.suppliers, g.amount, g.hhi,
          g.top_supplier, n.name AS top_supplier_name, g.top_share
   FROM g LEFT JOIN party_unit_names n ON n.unit = g.top_supplier`,
  // (read by repeated_winners, splitting_candidates, the bunching views and the red flags)
  `CREATE OR REPLACE VIEW procurement_thresholds AS
   SELECT * FROM (VALUES ${THRESHOLD_ROWS.join(', ')}) t(kind, nature, valid_from, valid_to, amount)`,
  // §3.4 6: a buyer and a supplier meeting often (within 365 days), captive suppliers, a pair's
  // heterogeneous relation (sas-3-3: 4 CPV classes or more in a calendar year) and a small first
  // contract then a large one (R052: the pair's first under the value of R.2122-8 on its day, a later
  // one 5 times it or more; DECP contracts in euros with a value, no call-off — awarded under its
  // framework, no first purchase of its own —; the first is the earliest, the smallest of its day)
  // (the call-offs of a framework the store does not hold are its one win, WIN: the pair's first of them
  // stands for it — four marchés subséquents of one framework awarded in 2017 were four competitive
  // wins within a year, a repeated winner, and a captive supplier; found by a flags probe)
  `CREATE OR REPLACE VIEW repeated_winners AS
   WITH sup AS (${CONTRACT_SUPPLIERS}),
   a AS (
     SELECT m.buyer, sup.supplier, m.ocid, m.contract_id, m.signed_day, m.year, m.competitive, m.non_competitive, m.cpv_class,
            m.nature, m.initial_amount, m.currency, m.decp_version, m.call_off
     FROM monitor_contracts m JOIN sup ON sup.ocid = m.ocid AND sup.contract_id = m.contract_id WHERE NOT m.in_framework
     QUALIFY row_number() OVER (PARTITION BY m.buyer, sup.supplier, ${WIN('m')} ORDER BY m.signed_day NULLS LAST, m.ocid, m.contract_id) = 1),
   h AS (
     SELECT buyer, supplier, max(n) AS n FROM (
       SELECT buyer, supplier, year, count(DISTINCT cpv_class) AS n FROM a WHERE cpv_class IS NOT NULL AND year IS NOT NULL GROUP BY ALL)
     GROUP BY ALL),
   v AS (SELECT * FROM a WHERE signed_day IS NOT NULL AND initial_amount > 0 AND currency = 'EUR' AND decp_version IS NOT NULL AND call_off IS NOT TRUE),
   f AS (
     SELECT v.buyer, v.supplier, v.signed_day, v.initial_amount, t.amount AS dispense FROM v
     JOIN ${thresholdsOn('v.signed_day', ['dispense'], 'v')}
     QUALIFY row_number() OVER (PARTITION BY v.buyer, v.supplier ORDER BY v.signed_day, v.initial_amount, v.ocid, v.contract_id) = 1),
   st AS (
     SELECT f.buyer, f.supplier, any_value(f.initial_amount) AS first_amount, any_value(f.dispense) AS first_threshold, max(v.initial_amount) AS largest_later
     FROM f JOIN v ON v.buyer IS NOT DISTINCT FROM f.buyer AND v.supplier = f.supplier AND v.signed_day > f.signed_day
     WHERE f.initial_amount < f.dispense GROUP BY f.buyer, f.supplier),
   -- (the windows need a date; the counts and a supplier's buyers take every contract: one without a buyer is no captive's)
   r AS (SELECT * FROM a WHERE signed_day IS NOT NULL),
   wc AS (${mostInAYear('competitive')}),
   wn AS (${mostInAYear('non_competitive')}),
   s AS (
     SELECT supplier, count(DISTINCT buyer) AS buyers, count(*) FILTER (WHERE buyer IS NULL) AS unknown, count(DISTINCT ocid || chr(31) || contract_id) AS contracts
     FROM a GROUP BY supplier),
   p AS (
     SELECT buyer, supplier, count(*) AS contracts, count(*) FILTER (WHERE competitive) AS competitive_contracts,
            count(*) FILTER (WHERE non_competitive) AS non_competitive_contracts, min(signed_day) AS first_day, max(signed_day) AS last_day
     FROM a GROUP BY buyer, supplier)
   SELECT * FROM (
     SELECT p.buyer, kb.name AS buyer_name, p.supplier, ks.name AS supplier_name, p.contracts, p.competitive_contracts, p.non_competitive_contracts,
            coalesce(wc.n, 0) AS max_competitive_365d, coalesce(wn.n, 0) AS max_non_competitive_365d, p.first_day, p.last_day,
            s.buyers AS supplier_buyers, s.contracts AS supplier_contracts,
            p.buyer IS NOT NULL AND (coalesce(wc.n, 0) > 3 OR coalesce(wn.n, 0) > 2) AS repeated, p.buyer IS NOT NULL AND s.buyers = 1 AND s.unknown = 0 AND s.contracts > 3 AS captive,
            coalesce(h.n, 0) AS max_cpv_classes_year, p.buyer IS NOT NULL AND coalesce(h.n, 0) >= 4 AS heterogeneous,
            st.first_amount, st.first_threshold, st.largest_later, coalesce(p.buyer IS NOT NULL AND st.largest_later >= 5 * st.first_amount, false) AS small_then_large
     FROM p JOIN s ON s.supplier = p.supplier
     LEFT JOIN wc ON wc.buyer IS NOT DISTINCT FROM p.buyer AND wc.supplier = p.supplier LEFT JOIN wn ON wn.buyer IS NOT DISTINCT FROM p.buyer AND wn.supplier = p.supplier
     LEFT JOIN h ON h.buyer IS NOT DISTINCT FROM p.buyer AND h.supplier = p.supplier LEFT JOIN st ON st.buyer IS NOT DISTINCT FROM p.buyer AND st.supplier = p.supplier
     LEFT JOIN party_unit_names kb ON kb.unit = p.buyer LEFT JOIN party_unit_names ks ON ks.unit = p.supplier)
   WHERE repeated OR captive OR heterogeneous OR small_then_large`,
  // §3.4 7: purchases of one subject (CPV class) in a year, each under a threshold and together over it
  // (no call-off of a framework agreement, its framework in the store or not: it is awarded under its
  // framework, whose procedure its framework's value decided, and never advertised on its own —
  // call-offs of frameworks published elsewhere made candidates of their own)
  `CREATE OR REPLACE VIEW splitting_candidates AS
   SELECT m.buyer, any_value(k.name) AS buyer_name, m.year, m.cpv_class, m.nature, t.kind, t.amount AS threshold,
          count(*) AS contracts, sum(m.initial_amount) AS total, max(m.initial_amount) AS largest, list(DISTINCT m.ocid ORDER BY m.ocid) AS ocids
   FROM monitor_contracts m JOIN ${thresholdsOn('make_date(m.year, 1, 1)', ['mapa_publicity', 'eu'])}
   LEFT JOIN party_unit_names k ON k.unit = m.buyer
   WHERE m.decp_version IS NOT NULL AND m.currency = 'EUR' AND m.initial_amount > 0 AND m.cpv_class IS NOT NULL AND m.signed_day IS NOT NULL AND m.buyer IS NOT NULL
     AND (m.non_competitive OR m.adapted) AND m.call_off IS NOT TRUE
   GROUP BY m.buyer, m.year, m.cpv_class, m.nature, t.kind, t.amount
   HAVING count(*) >= 2 AND max(m.initial_amount) < t.amount AND sum(m.initial_amount) >= t.amount`,
  // §3.4 7, "same with the supplier fixed (b, s, f, y)": splitting_candidates' purchases from one
  // supplier (legal unit; a contract of several suppliers is one purchase from each, its whole value)
  `CREATE OR REPLACE VIEW supplier_splitting_candidates AS
   WITH sup AS (${CONTRACT_SUPPLIERS})
   SELECT m.buyer, any_value(k.name) AS buyer_name, sup.supplier, any_value(ks.name) AS supplier_name, m.year, m.cpv_class, m.nature, t.kind, t.amount AS threshold,
          count(*) AS contracts, sum(m.initial_amount) AS total, max(m.initial_amount) AS largest, list(DISTINCT m.ocid ORDER BY m.ocid) AS ocids
   FROM monitor_contracts m JOIN sup ON sup.ocid = m.ocid AND sup.contract_id = m.contract_id
   JOIN ${thresholdsOn('make_date(m.year, 1, 1)', ['mapa_publicity', 'eu'])}
   LEFT JOIN party_unit_names k ON k.unit = m.buyer LEFT JOIN party_unit_names ks ON ks.unit = sup.supplier
   WHERE m.decp_version IS NOT NULL AND m.currency = 'EUR' AND m.initial_amount > 0 AND m.cpv_class IS NOT NULL AND m.signed_day IS NOT NULL AND m.buyer IS NOT NULL
     AND (m.non_competitive OR m.adapted) AND m.call_off IS NOT TRUE
   GROUP BY m.buyer, sup.supplier, m.year, m.cpv_class, m.nature, t.kind, t.amount
   HAVING count(*) >= 2 AND max(m.initial_amount) < t.amount AND sum(m.initial_amount) >= t.amount`,
  // §3.4 8: values just below a threshold against just above it, nationally and per buyer. No call-off
  // of a framework agreement, its framework in the store or not (as splitting_candidates): its value
  // is no purchase's whose procedure a threshold decides — its framework's maximum decided it, and a
  // marché subséquent is never advertised on its own —, so one valued just under 90,000 € was no value
  // set to avoid advertising, yet it counted just below (found by a monitor's probe)
  `CREATE OR REPLACE VIEW threshold_bunching AS
   WITH c AS (
     SELECT m.year, m.nature, m.initial_amount, t.kind, t.amount AS threshold, ${BAND_PCT} AS band_pct
     FROM monitor_contracts m JOIN ${thresholdsOn('m.signed_day', ['mapa_publicity', 'eu'])}
     WHERE m.decp_version IS NOT NULL AND m.currency = 'EUR' AND m.initial_amount > 0 AND m.call_off IS NOT TRUE)
   SELECT kind, nature, year, threshold, band_pct / 100.0 AS band, count(*) AS contracts,
          count(*) FILTER (WHERE ${justBelow('initial_amount', 'threshold', 'band_pct')}) AS just_below,
          count(*) FILTER (WHERE initial_amount >= threshold AND initial_amount < threshold * (100 + band_pct) / 100) AS just_above,
          just_below / nullif(just_above, 0)::DOUBLE AS ratio
   FROM c GROUP BY kind, nature, year, threshold, band_pct`,
  `CREATE OR REPLACE VIEW buyer_bunching AS
   WITH c AS (
     SELECT m.buyer, m.nature, t.kind,
            ${justBelow('m.initial_amount', 't.amount', BAND_PCT)} AS below
     FROM monitor_contracts m JOIN ${thresholdsOn('m.signed_day', ['mapa_publicity', 'eu'])}
     WHERE m.decp_version IS NOT NULL AND m.currency = 'EUR' AND m.initial_amount > 0 AND m.call_off IS NOT TRUE),
   n AS (SELECT kind, nature, count(*) FILTER (WHERE below) / count(*)::DOUBLE AS share FROM c GROUP BY ALL),
   b AS (SELECT buyer, kind, nature, count(*) AS contracts, count(*) FILTER (WHERE below) AS just_below FROM c GROUP BY ALL)
   SELECT b.buyer, k.name AS buyer_name, b.kind, b.nature, b.contracts, b.just_below, b.just_below / b.contracts::DOUBLE AS share,
          n.share AS national_share, (b.just_below / b.contracts::DOUBLE) / nullif(n.share, 0) AS excess_ratio
   FROM b JOIN n ON n.kind = b.kind AND n.nature = b.nature LEFT JOIN party_unit_names k ON k.unit = b.buyer
   WHERE b.just_below >= 1 AND b.buyer IS NOT NULL`,
  // §3.4 13: round values and "T − 1 €" values (39,999, 89,990), per contract: DECP values in euros
  // that are a whole multiple of 1,000 € (`round_to` 10,000 when of 10,000 €; not a maximum, MAXIMUM),
  // or 10 € or less under a threshold of §3.5 on the notification day (the thresholds of R.2122-8, of
  // the MAPA's publicity and the EU's, as the bunching views pick them; `above_publication_threshold`
  // false for one at or under DECP's publication threshold, 40,000 € from 2020: published by choice).
  // A call-off of a framework agreement, its framework in the store or not, is never just under a
  // threshold (as the bunching views): its framework's value decided its procedure, so a marché
  // subséquent of 89,990 € avoided no advertising (found by a flags probe); its round value is
  // its own price, not a maximum (the samples' call-offs are round half as often as other marchés)
  `CREATE OR REPLACE VIEW round_amounts AS
   WITH c AS (
     SELECT m.ocid, m.contract_id, m.buyer, m.buyer_name, m.year, m.signed_day, m.nature, m.initial_amount, m.framework_agreement, m.purchase_orders, ${MAXIMUM('m')} AS maximum, m.call_off
     FROM monitor_contracts m WHERE m.decp_version IS NOT NULL AND m.currency = 'EUR' AND m.initial_amount > 0),
   u AS (
     SELECT c.ocid, c.contract_id, t.kind, t.amount FROM c JOIN ${thresholdsOn('c.signed_day', UNDER_KINDS, 'c')}
     WHERE ${justUnder('c.initial_amount', 't.amount')} AND c.call_off IS NOT TRUE)
   SELECT * FROM (
     SELECT c.ocid, c.contract_id, c.buyer, c.buyer_name, c.year, c.signed_day, c.nature, c.initial_amount, c.framework_agreement, c.purchase_orders,
            CASE WHEN c.maximum THEN NULL WHEN c.initial_amount % 10000 = 0 THEN 10000 WHEN c.initial_amount % 1000 = 0 THEN 1000 END AS round_to,
            u.kind AS threshold_kind, u.amount AS threshold, round(u.amount - c.initial_amount, 2) AS under_by,
            ${overPublicationThreshold('u.amount', 'c.signed_day')} AS above_publication_threshold
     FROM c LEFT JOIN u ON u.ocid = c.ocid AND u.contract_id = c.contract_id)
   WHERE round_to IS NOT NULL OR threshold IS NOT NULL`,
  // §3.4 13, per buyer and nature against the nation's (France's DECP, as buyer_bunching): `round`, its
  // values a multiple of 1,000 € among those not a maximum (`priced`); `just_under`, its values 10 € or
  // less under a threshold above the publication threshold, among those a threshold could decide
  // (`contracts`: no call-off, as round_amounts)
  `CREATE OR REPLACE VIEW buyer_round_amounts AS
   WITH c AS (
     SELECT m.buyer, m.nature, ${MAXIMUM('m')} AS maximum, m.initial_amount % 1000 = 0 AS round, m.call_off IS TRUE AS call_off, t.amount IS NOT NULL AS under
     FROM monitor_contracts m
     -- (one threshold at most: no two of a day and nature lie within 10 € of each other)
     LEFT JOIN ${thresholdsOn('m.signed_day', UNDER_KINDS)} AND ${justUnder('m.initial_amount', 't.amount')} AND ${overPublicationThreshold('t.amount', 'm.signed_day')} AND m.call_off IS NOT TRUE
     WHERE m.decp_version IS NOT NULL AND m.currency = 'EUR' AND m.initial_amount > 0),
   n AS (
     SELECT nature, count(*) FILTER (WHERE round AND NOT maximum) / nullif(count(*) FILTER (WHERE NOT maximum), 0)::DOUBLE AS round_share,
            count(*) FILTER (WHERE under) / nullif(count(*) FILTER (WHERE NOT call_off), 0)::DOUBLE AS just_under_share
     FROM c GROUP BY nature),
   b AS (
     SELECT buyer, nature, count(*) FILTER (WHERE NOT call_off) AS contracts, count(*) FILTER (WHERE NOT maximum) AS priced, count(*) FILTER (WHERE round AND NOT maximum) AS round,
            count(*) FILTER (WHERE under) AS just_under
     FROM c WHERE buyer IS NOT NULL GROUP BY ALL)
   SELECT b.buyer, k.name AS buyer_name, b.nature, b.priced, b.round, b.round / nullif(b.priced, 0)::DOUBLE AS round_share, n.round_share AS national_round_share,
          (b.round / nullif(b.priced, 0)::DOUBLE) / nullif(n.round_share, 0) AS round_excess_ratio,
          b.contracts, b.just_under, b.just_under / nullif(b.contracts, 0)::DOUBLE AS just_under_share, n.just_under_share AS national_just_under_share,
          (b.just_under / nullif(b.contracts, 0)::DOUBLE) / nullif(n.just_under_share, 0) AS just_under_excess_ratio
   FROM b JOIN n ON n.nature = b.nature LEFT JOIN party_unit_names k ON k.unit = b.buyer
   WHERE b.round >= 1 OR b.just_under >= 1`,
  // §3.4 13: first digits of a buyer's values against Benford's law (buyers of 100 contracts or more);
  // not a maximum (MAXIMUM: a framework agreement's, a contract executed by purchase orders), a figure
  // the buyer sets, round by nature, as round_amounts leaves it out: a buyer of many frameworks of
  // 100,000 or 200,000 € broke the law by its 1s and 2s (found by a flags probe)
  `CREATE OR REPLACE VIEW buyer_benford AS
   WITH d AS (
     SELECT buyer, left(printf('%.0f', floor(initial_amount)), 1)::INTEGER AS digit FROM monitor_contracts m WHERE initial_amount >= 1 AND NOT ${MAXIMUM('m')}),
   g AS (
     SELECT buyer, count(*) AS contracts, [${BENFORD.map((_, k) => `count(*) FILTER (WHERE digit = ${k + 1}) / count(*)::DOUBLE`).join(', ')}] AS frequencies
     FROM d GROUP BY buyer HAVING count(*) >= 100),
   t AS (
     SELECT g.buyer, k.name AS buyer_name, g.contracts, g.frequencies,
            (${BENFORD.map((b, k) => `abs(g.frequencies[${k + 1}] - ${b})`).join(' + ')}) / 9 AS mad,
            ${BENFORD.map((b, k) => `g.contracts * (g.frequencies[${k + 1}] - ${b}) ** 2 / ${b}`).join(' + ')} AS chi2
     FROM g LEFT JOIN party_unit_names k ON k.unit = g.buyer)
   SELECT *, ${chi2Survival8('chi2')} AS p_value, buyer IS NOT NULL AND mad > 0.015 AND ${chi2Survival8('chi2')} < 0.05 AS flagged FROM t`,
  // §3.4 12 (Cardinal R048): suppliers active in unusually many CPV divisions (20 contracts or more), at
  // the upper fence or past it — Cardinal's "greater than or equal to the upper fence", red-flags.md's
  // reference implementation (the fence rounded to 9 decimals: its last bits do not decide). Contracts
  // are wins, as repeated_winners counts them: a framework the store holds and not its call-offs
  // (in_framework), and the call-offs of one held elsewhere its one win (WIN), the first of them (by
  // day) standing for it with its CPV division — 20 marchés subséquents of one framework were a
  // supplier of 20 contracts, in as many divisions as their CPV codes gave
  `CREATE OR REPLACE VIEW heterogeneous_suppliers AS
   WITH sup AS (${CONTRACT_SUPPLIERS}),
   w AS (
     SELECT sup.supplier, m.market, m.cpv_division
     FROM sup JOIN monitor_contracts m ON m.ocid = sup.ocid AND m.contract_id = sup.contract_id WHERE NOT m.in_framework
     QUALIFY row_number() OVER (PARTITION BY sup.supplier, m.market, ${WIN('m')} ORDER BY m.signed_day NULLS LAST, m.ocid, m.contract_id) = 1),
   s AS (
     SELECT supplier, market, count(*) AS contracts, count(DISTINCT cpv_division) AS cpv_divisions
     FROM w GROUP BY supplier, market HAVING count(*) >= 20),
   q AS (SELECT market, ${q8('cpv_divisions', 0.25)} AS q1, ${q8('cpv_divisions', 0.75)} AS q3 FROM s GROUP BY market),
   f AS (SELECT market, q1, q3, ${fence('q1', 'q3')} AS fence FROM q)
   SELECT s.supplier, k.name AS supplier_name, s.market, s.contracts, s.cpv_divisions, f.fence, f.q3 > f.q1 AND s.cpv_divisions >= round(f.fence, 9) AS flagged
   FROM s JOIN f ON f.market IS NOT DISTINCT FROM s.market LEFT JOIN party_unit_names k ON k.unit = s.supplier`,
  // §3.4 3 (R016): values far above those of their subject (CPV class, nature, framework agreement or
  // not, executed by purchase orders or not: "montant is a maximum for accords-cadres/bons de commande
  // — stratify on techniques/modalitesExecution"; groups of 30 or more), at or past the upper fence of the
  // logarithms (type 8; not when the IQR is 0, as the unit prices), with a robust z for reading ("x ≥
  // Q3_g + 1.5 IQR_g": both rounded to 9 decimals, as buyer_non_competitive's, so that a value at the
  // fence is one whatever the fence's last bits)
  `CREATE OR REPLACE VIEW value_outliers AS
   WITH v AS (
     SELECT * REPLACE (coalesce(purchase_orders, false) AS purchase_orders), coalesce(framework_agreement, false) AS framework, log10(initial_amount) AS x
     FROM monitor_contracts WHERE initial_amount > 0 AND cpv_class IS NOT NULL),
   g AS (
     SELECT market, cpv_class, nature, framework, purchase_orders, currency, count(*) AS n, median(initial_amount) AS median_amount, median(x) AS mx,
            ${q8('x', 0.25)} AS q1, ${q8('x', 0.75)} AS q3
     FROM v GROUP BY ALL HAVING count(*) >= 30),
   k AS (SELECT v.*, g.n, g.median_amount, g.mx, g.q1, g.q3 FROM v JOIN g ON g.market IS NOT DISTINCT FROM v.market AND g.cpv_class = v.cpv_class AND g.nature = v.nature AND g.framework = v.framework AND g.purchase_orders = v.purchase_orders AND g.currency IS NOT DISTINCT FROM v.currency),
   m AS (SELECT market, cpv_class, nature, framework, purchase_orders, currency, median(abs(x - mx)) AS mad FROM k GROUP BY ALL)
   SELECT k.ocid, k.contract_id, k.buyer_id, k.buyer, n.name AS buyer_name, k.market, k.year, k.cpv_class, k.nature, k.framework, k.purchase_orders, k.currency, k.initial_amount,
          k.n AS group_contracts, k.median_amount AS group_median, power(10, ${fence('k.q1', 'k.q3')}) AS fence_amount,
          (k.x - k.mx) / nullif(1.4826 * m.mad, 0) AS robust_z
   FROM k JOIN m ON m.market IS NOT DISTINCT FROM k.market AND m.cpv_class = k.cpv_class AND m.nature = k.nature AND m.framework = k.framework AND m.purchase_orders = k.purchase_orders AND m.currency IS NOT DISTINCT FROM k.currency
   LEFT JOIN party_unit_names n ON n.unit = k.buyer
   WHERE k.q3 > k.q1 AND round(k.x, 9) >= round(${fence('k.q1', 'k.q3')}, 9)`,
  // §3.4 9: delays of publication per buyer and year (DECP); `late` as LATE_PUBLICATION: marchés under
  // the publication obligation published more than 60 days after notification; a negative delay
  // (published before notification) is a data error, counted apart, not in the median; a 2024-format
  // re-publication of a contract notified before 2024 is left out (FIRST_PUBLICATION_KNOWN)
  `CREATE OR REPLACE VIEW buyer_publication_delays AS
   SELECT m.buyer, any_value(k.name) AS buyer_name, m.year, count(*) FILTER (WHERE m.publication_delay_days >= 0) AS contracts,
          median(m.publication_delay_days) FILTER (WHERE m.publication_delay_days >= 0) AS median_delay_days,
          count(*) FILTER (WHERE m.publication_delay_days >= 0 AND ${UNDER_PUBLICATION_OBLIGATION}) AS obliged,
          count(*) FILTER (WHERE m.publication_delay_days > 60 AND ${UNDER_PUBLICATION_OBLIGATION}) AS late,
          count(*) FILTER (WHERE m.publication_delay_days > 60 AND ${UNDER_PUBLICATION_OBLIGATION}) / nullif(count(*) FILTER (WHERE m.publication_delay_days >= 0 AND ${UNDER_PUBLICATION_OBLIGATION}), 0)::DOUBLE AS late_share,
          count(*) FILTER (WHERE m.publication_delay_days < 0) AS negative
   FROM monitor_contracts m LEFT JOIN party_unit_names k ON k.unit = m.buyer
   WHERE m.decp_version IS NOT NULL AND m.publication_delay_days IS NOT NULL AND ${FIRST_PUBLICATION_KNOWN}
   GROUP BY m.buyer, m.year`,
  // §3.4 11 (R071): the share of a contract subcontracted, its acts' amounts (as their last modification
  // left them) over its initial value — red-flags.md's `Σ acteSousTraitance.montant / M0`, M0 its initial
  // amount in the section's notation, not the value after modifications (M_J) —, flagged at half or
  // more (rounded to 9 decimals: exactly half is half)
  `CREATE OR REPLACE VIEW subcontracted_shares AS
   SELECT m.ocid, m.contract_id, m.buyer, any_value(m.buyer_name) AS buyer_name, m.year, m.initial_amount, m.currency,
          count(*) AS acts, count(s.amount) AS acts_with_amount, sum(s.amount) AS subcontracted,
          sum(s.amount) / m.initial_amount AS share, coalesce(round(sum(s.amount) / m.initial_amount, 9) >= 0.5, false) AS flagged
   FROM monitor_contracts m JOIN subcontracts s ON s.ocid = m.ocid AND s.award_id = m.award_id
   WHERE m.initial_amount > 0 AND (s.currency IS NULL OR s.currency = m.currency)
   GROUP BY m.ocid, m.contract_id, m.buyer, m.year, m.initial_amount, m.currency`,
  // §3.4 11 (R072): per buyer and year, the contracts that declare subcontracting among those that say
  // whether they do (DECP 2024's sousTraitanceDeclaree; 2019's records do not say), and those with acts
  `CREATE OR REPLACE VIEW buyer_subcontracting AS
   WITH c AS (
     SELECT m.buyer, m.buyer_name, m.year, a.has_subcontracting, EXISTS (SELECT 1 FROM subcontracts s WHERE s.ocid = m.ocid AND s.award_id = m.award_id) AS with_acts
     FROM monitor_contracts m JOIN awards a ON a.ocid = m.ocid AND a.award_id = m.award_id)
   SELECT buyer, any_value(buyer_name) AS buyer_name, year, count(*) AS contracts,
          count(has_subcontracting) AS said, count(*) FILTER (WHERE has_subcontracting) AS declared,
          count(*) FILTER (WHERE has_subcontracting) / nullif(count(has_subcontracting), 0)::DOUBLE AS prevalence,
          count(*) FILTER (WHERE with_acts) AS with_acts
   FROM c GROUP BY buyer, year`,
  // §3.4 14, the one check that needs no registry: contracts awarded to a supplier of a non-EU identifier
  // (DECP's type HORS-UE, parties.identifier_scheme NON_EU_SCHEME; one such supplier among several
  // makes the contract one), per buyer against the nation's share (DECP's: a partner's scheme says a
  // country, not whether it is in the EU). Wins, as repeated_winners counts them: a framework and not
  // its call-offs, every contract with a known supplier; buyers with one such contract or more. (The
  // name is joined before the nation's share: DuckDB keeps a CROSS JOIN as a comma, and its stored
  // `FROM b, n LEFT JOIN k ON k.unit = b.buyer` names b outside its join, which DuckDB binds over its
  // own tables only — not over views of Parquet files — and standard SQL not at all.)
  // (the call-offs of a framework the store does not hold are one contract, their framework's, WIN, as
  // repeated_winners counts them: four marchés subséquents of one HORS-UE holder were four contracts)
  `CREATE OR REPLACE VIEW buyer_non_eu_suppliers AS
   WITH r AS (
     SELECT ${WIN('m')} AS contract, m.buyer, ${unitOf('s.party_id')} AS supplier, coalesce(${NON_EU_SCHEME('p.identifier_scheme')}, false) AS non_eu
     FROM monitor_contracts m JOIN contract_suppliers s ON s.ocid = m.ocid AND s.contract_id = m.contract_id
     LEFT JOIN parties p ON p.ocid = s.ocid AND p.party_id = s.party_id
     WHERE m.decp_version IS NOT NULL AND NOT m.in_framework),
   n AS (SELECT count(DISTINCT contract) FILTER (WHERE non_eu) / count(DISTINCT contract)::DOUBLE AS share FROM r),
   b AS (
     SELECT buyer, count(DISTINCT contract) AS contracts, count(DISTINCT contract) FILTER (WHERE non_eu) AS non_eu,
            list(DISTINCT supplier ORDER BY supplier) FILTER (WHERE non_eu) AS non_eu_suppliers
     FROM r WHERE buyer IS NOT NULL GROUP BY buyer)
   SELECT b.buyer, k.name AS buyer_name, b.contracts, b.non_eu, b.non_eu / b.contracts::DOUBLE AS share, n.share AS national_share,
          (b.non_eu / b.contracts::DOUBLE) / nullif(n.share, 0) AS excess_ratio, b.non_eu_suppliers
   FROM b LEFT JOIN party_unit_names k ON k.unit = b.buyer CROSS JOIN n
   WHERE b.non_eu >= 1`,
];
