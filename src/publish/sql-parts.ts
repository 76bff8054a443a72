/**
 * SQL fragments that several parts of the store's SQL share (views, red flags): one definition each.
 */

/** Whether a text of `n` digits (an SQL expression) passes the Luhn key, as transform/identifiers.ts luhnValid. */
const luhnSql = (digits: string, n: number): string =>
  `list_sum(list_transform(range(1, ${n + 1}), i -> CASE WHEN (${n} - i) % 2 = 1 THEN CASE WHEN TRY_CAST(substr(${digits}, i, 1) AS INTEGER) >= 5 THEN 2 * TRY_CAST(substr(${digits}, i, 1) AS INTEGER) - 9 ELSE 2 * TRY_CAST(substr(${digits}, i, 1) AS INTEGER) END ELSE TRY_CAST(substr(${digits}, i, 1) AS INTEGER) END)) % 10 = 0`;

/**
 * The legal unit (SIREN, red-flags.md §3.4: "use SIREN = first 9 digits to group establishments") of
 * a French party's id (FR-RCS- and its SIRET, or its SIREN; FR-DECP-TVA- and a French VAT number
 * whose key fits its SIREN; a SIRET mistyped to another length whose digits say its SIREN), null for
 * any other id: what transform/identifiers.ts sirenOfPartyId says (a test holds the two together).
 */
export const sirenOf = (id: string): string => {
  const digits = `substr(${id}, 8)`;
  const padded = `'0' || ${digits}`;
  return `CASE WHEN regexp_matches(${id}, '^FR-RCS-[0-9]{9}([0-9]{5})?$') THEN substr(${id}, 8, 9)
   WHEN regexp_matches(${id}, '^FR-RCS-[0-9]{13}$') AND ${luhnSql(padded, 14)} AND ${luhnSql(`substr(${padded}, 1, 9)`, 9)} THEN substr(${padded}, 1, 9)
   WHEN regexp_matches(${id}, '^FR-RCS-[0-9]{10,15}$') AND ${luhnSql(`substr(${digits}, 1, 9)`, 9)} THEN substr(${id}, 8, 9)
   WHEN regexp_matches(${id}, '^FR-DECP-TVA-FR[0-9]{11}$') AND TRY_CAST(substr(${id}, 15, 2) AS INTEGER) = (12 + 3 * (TRY_CAST(substr(${id}, 17, 9) AS BIGINT) % 97)) % 97 THEN substr(${id}, 17, 9) END`;
};

/** A party's legal unit: its SIREN when French (an establishment moving is the same company), else its id. */
export const unitOf = (id: string): string => `coalesce(${sirenOf(id)}, ${id})`;

/**
 * A procédure adaptée (MAPA: competitive, below the EU thresholds; OCDS has no procurementMethod for
 * it), whatever its spelling's case and accents, or a marché à procédure adaptée (the words of MAPA,
 * as the transform publishes `MAPA`).
 */
export const MAPA = "regexp_matches(strip_accents(lower(coalesce(procurement_method_details, ''))), '^\\s*(marche a )?procedure adaptee')";

/** Competition: `limited` and `direct` procedures are awarded without it (DECP: "sans publicité ni mise en concurrence préalable"). */
export const NON_COMPETITIVE = "coalesce(procurement_method IN ('limited', 'direct'), false)";

/** A competitive procedure: open, selective, or a procédure adaptée. */
export const COMPETITIVE = `(coalesce(procurement_method IN ('open', 'selective'), false) OR ${MAPA})`;

/** The nature by which the thresholds differ: works (main category), else supplies and services. */
export const NATURE = "CASE WHEN main_category = 'works' THEN 'works' ELSE 'supplies_services' END";

/**
 * Whether a DECP contract's publication date says when it was first published: not when a record of
 * the 2024 format, of a contract notified before 2024 (the format's first year), gives no publication
 * before 2024 either. Platforms publish old contracts again in the new format when they are modified
 * (the samples: July 2024 files of contracts notified from 2009): the date is the re-publication's (a
 * contract of 2021 "1,238 days late"), the first publication being in another format, under another
 * ocid if the store holds it. A modification published before 2024 dates a publication of its own
 * (`date_published` is the earliest): that one is kept. Such a contract is out of LATE_PUBLICATION
 * and buyer_publication_delays (its delay stays in `contracts.publication_delay_days`, as published).
 */
export const FIRST_PUBLICATION_KNOWN = "(decp_version IS DISTINCT FROM '2024' OR signed_day >= DATE '2024-01-01' OR signed_day + CAST(publication_delay_days AS INTEGER) < DATE '2024-01-01')";

/**
 * The DECP publication obligation (red-flags.md §3.5; R.2196-1): marchés notified from 2018-10-01
 * (`signed_day`, the notification's own day, in its source's zone), of at least 25,000 € HT, 40,000 €
 * from 2020-01-01 (décret 2019-1344); below, publication is a choice and no deadline applies. A
 * contract without an initial amount is not known to be under it.
 */
export const UNDER_PUBLICATION_OBLIGATION = "(signed_day >= DATE '2018-10-01' AND initial_amount >= CASE WHEN signed_day < DATE '2020-01-01' THEN 25000 ELSE 40000 END)";

/**
 * A call-off whose framework agreement is in the store (`f`: the frameworks, joined with
 * FRAMEWORKS_IN_STORE): its value is within the framework's (the framework gives its maximum, which
 * counts what is called off under it), so the views that add values count the framework and leave
 * the call-off out, lest the money be counted twice. A call-off of a framework the store does not
 * hold is counted: its money is nowhere else.
 */
export const IN_FRAMEWORK = (f: string): string => `(${f}.ocid IS NOT NULL)`;

/**
 * A call-off IN_FRAMEWORK whose framework gives a value (one of the framework's contracts has a value
 * over 0: a maximum that holds what is called off under it): only then is the call-off's money its
 * framework's, left out of the sums. A framework published without a maximum (DECP writes 0, or a
 * placeholder read as none) holds none of it: its call-offs' money is nowhere else, and is summed, as
 * that of a framework the store does not hold (their money was counted nowhere: found by a monitor's
 * audit). The call-off is still in its framework for the views of competition and wins.
 */
export const VALUE_IN_FRAMEWORK = (f: string): string => `(${f}.ocid IS NOT NULL AND ${f}.valued)`;

/**
 * The sum of `value` over a group's contracts, those VALUE_IN_FRAMEWORK (`f`) left out: 0 when every
 * one of them is (their money is their frameworks'), null when none gives a value.
 */
export const SUM_OUTSIDE_FRAMEWORKS = (value: string, f: string): string =>
  `coalesce(sum(${value}) FILTER (WHERE NOT ${VALUE_IN_FRAMEWORK(f)}), CASE WHEN bool_and(${VALUE_IN_FRAMEWORK(f)}) THEN 0 END)`;

/**
 * The ocid the 2019 format gives a DECP id that ends in a modification counter (transform's ocidFor:
 * its last two digits cut, with a separator before them, when they are no more than the record's
 * modifications): `…-2022AC0100` → `…-2022AC01`.
 */
const CUT_2019 = (ocid: string): string => `regexp_replace(${ocid}, '(.)[-_./]*[0-9]{2}$', '\\1')`;

/** Whether a framework's contracts (rows of `contracts`, grouped by ocid) give a value: one of them over 0. */
const VALUED = 'coalesce(bool_or(amount > 0 OR initial_amount > 0), false)';

/**
 * The frameworks of the contracts `c`, joined as `f` (`f.ocid`: the framework's ocid in the store;
 * `f.valued`: whether it gives a value, VALUE_IN_FRAMEWORK):
 * the ocid its framework_ocid names when the store holds a contract of it; else a 2019 framework
 * agreement whose ocid is that one cut by the 2019 rule (its counter no more than the framework's
 * modifications: a 2019 id `AC2021` was never cut, and is no `AC202105`'s). A 2024 call-off names its framework by the
 * id it was published with (idAccordCadre `2022AC0100`), and a framework published in the 2019
 * format before the call-offs (frameworks run for years) lost the id's last two digits in its ocid
 * (`…-2022AC01`): unlinked, the call-off's money was counted beside its framework's.
 */
export const FRAMEWORKS_IN_STORE = (c: string, f: string): string =>
  `LEFT JOIN (SELECT n.named, coalesce(x.ocid, y.ocid) AS ocid, CASE WHEN x.ocid IS NOT NULL THEN x.valued ELSE y.valued END AS valued
     FROM (SELECT DISTINCT framework_ocid AS named FROM contracts WHERE framework_ocid IS NOT NULL) n
     LEFT JOIN (SELECT ocid, ${VALUED} AS valued FROM contracts WHERE duplicate_of IS NULL GROUP BY ocid) x ON x.ocid = n.named
     LEFT JOIN (SELECT ocid, max(amendments) AS amendments, ${VALUED} AS valued FROM contracts WHERE duplicate_of IS NULL AND decp_version = '2019' AND framework_agreement GROUP BY ocid) y
       ON y.ocid = ${CUT_2019('n.named')} AND TRY_CAST(right(n.named, 2) AS INTEGER) <= coalesce(y.amendments, 0)) ${f} ON ${f}.named = ${c}.framework_ocid`;


/** The quartile `p` of the values of a column, type 8 (the store's macro `quantile_type8`, as Cardinal's fences). */
export const q8 = (column: string, p: number): string => `quantile_type8(list_sort(list(${column})), ${p})`;

/** The upper fence Q3 + 1.5 IQR. */
export const upperFence = (q1: string, q3: string): string => `${q3} + 1.5 * (${q3} - ${q1})`;

/** The lower fence Q1 − 1.5 IQR. */
export const lowerFence = (q1: string, q3: string): string => `${q1} - 1.5 * (${q3} - ${q1})`;
