/**
 * The red flags computed by every run (table `red_flags`), in SQL over the
 * store's contracts: screening signals for monitors, each with the value
 * measured and the threshold used (never proof). Formulas from the design
 * reference (red-flags.md §3.4): amendments beyond the de-minimis safe harbour
 * (4), duration extensions (4), a single offer in a competitive procedure (1),
 * late publication (9); the first and the last are rules of French law, computed on DECP
 * contracts only. A contract published twice (`duplicate_of` set on one of its rows) is flagged
 * once, on the row kept. Each is a property of one contract: a run recomputes
 * them for the contracts it recompiled (temporary table `recompiled_contracts`: their rows
 * without a `duplicate_of`, read once for the four); indicators
 * that compare contracts with their peers would be recomputed whole.
 */
export const RED_FLAG_CODES = {
  AMENDMENT_OVER_SAFE_HARBOUR: 'value after modifications exceeds the initial value by more than 10 % (supplies/services, and every concession: R.3135-8) or 15 % (works: R.2194-8)',
  DURATION_EXTENDED: 'duration after modifications more than 1.5 × the initial duration',
  SINGLE_BID: 'one offer received in a competitive procedure (open, selective — restricted, negotiated with competition, competitive dialogue — or procédure adaptée)',
  LATE_PUBLICATION: 'data published more than 60 days after notification (R.2196-1, marchés notified from 2018-10-01, when the obligation began; concessions follow another rule, R.3131-1)',
} as const;

/**
 * The DECP publication obligation starts with contracts notified from 2018-10-01 (red-flags.md §3.5):
 * a contract notified before is published by choice, often years later when a platform republishes
 * its history (a 2009 contract "published" 5,419 days late), and is never late. The day is the
 * notification's own (`signed_day`, in its source's zone: 2018-10-01+03:00 is under the obligation).
 */
const DECP_OBLIGATION = "DATE '2018-10-01'";

/**
 * A procédure adaptée (MAPA: competitive, below the EU thresholds; OCDS has no procurementMethod for
 * it), whatever its spelling's case and accents.
 */
const MAPA = "regexp_matches(strip_accents(lower(coalesce(procurement_method_details, ''))), '^\\s*procedure adaptee')";

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

export const RED_FLAG_SQL: readonly string[] = [
  `INSERT INTO red_flags
   SELECT ocid, contract_id, 'AMENDMENT_OVER_SAFE_HARBOUR', buyer_id, ${VALUE_INCREASE},
          ${SAFE_HARBOUR},
          'relative increase of the contract value after ' || amendments || ' modification(s)', year, source_sha256, source_index
   FROM recompiled_contracts WHERE ${DECP_ONLY}
     AND initial_amount > 0 AND amount IS NOT NULL AND amendments > 0
     AND ${VALUE_INCREASE} > ${SAFE_HARBOUR}`,
  `INSERT INTO red_flags
   SELECT ocid, contract_id, 'DURATION_EXTENDED', buyer_id, ${DURATION_EXTENSION}, 0.5,
          CASE WHEN ${IN_MONTHS} THEN 'relative extension of the duration (months) after modifications'
               ELSE 'relative extension of the duration (days) after modifications' END, year, source_sha256, source_index
   FROM recompiled_contracts
   WHERE ((${IN_MONTHS}) OR (initial_duration_days > 0 AND duration_days IS NOT NULL)) AND ${DURATION_EXTENSION} > 0.5`,
  `INSERT INTO red_flags
   SELECT ocid, contract_id, 'SINGLE_BID', buyer_id, bids, 1, 'offers received in a competitive procedure', year, source_sha256, source_index
   FROM recompiled_contracts
   WHERE bids = 1 AND (procurement_method IN ('open', 'selective') OR ${MAPA})`,
  `INSERT INTO red_flags
   SELECT ocid, contract_id, 'LATE_PUBLICATION', buyer_id, publication_delay_days, 60,
          'days between notification and publication of the data', year, source_sha256, source_index
   FROM recompiled_contracts WHERE ${DECP_ONLY} AND record_type = 'marche'
     AND signed_day >= ${DECP_OBLIGATION} AND publication_delay_days > 60`,
];
