/**
 * SQL fragments that several parts of the store's SQL share (views, red flags): one definition each.
 */

/**
 * The legal unit (SIREN, red-flags.md §3.4: "use SIREN = first 9 digits to group establishments") of
 * a French party's id (FR-RCS- and its SIRET, or its SIREN), null for any other id.
 */
export const sirenOf = (id: string): string => `CASE WHEN regexp_matches(${id}, '^FR-RCS-[0-9]{9}([0-9]{5})?$') THEN substr(${id}, 8, 9) END`;

/** A party's legal unit: its SIREN when French (an establishment moving is the same company), else its id. */
export const unitOf = (id: string): string => `coalesce(${sirenOf(id)}, ${id})`;

/**
 * A procédure adaptée (MAPA: competitive, below the EU thresholds; OCDS has no procurementMethod for
 * it), whatever its spelling's case and accents.
 */
export const MAPA = "regexp_matches(strip_accents(lower(coalesce(procurement_method_details, ''))), '^\\s*procedure adaptee')";
