/**
 * The market of a contract (`contracts.market`), within which the monitor's views compare buyers,
 * suppliers, values and unit prices: a French buyer's single-offer rate is France's buyers', not a
 * figure that counts Colombia's or Ukraine's contracts (their procedures, currencies, thresholds and
 * laws differ). Pure: string shapes only.
 */

/**
 * The country of an organisation identifier scheme: org-id.guide's codes begin with the ISO 3166-1
 * code of the country whose register they are (FR-RCS, UA-EDR, CO-RUE, GB-COH). Null for a scheme of
 * no country (org-id's X… lists: XI-IATI, XM-DAC; EU; ZZ) and for any other shape.
 */
export function schemeCountry(scheme: string | null | undefined): string | null {
  if (typeof scheme !== 'string' || !/^[A-Za-z]{2}-/.test(scheme)) return null;
  const code = scheme.slice(0, 2).toUpperCase();
  return code.startsWith('X') || code === 'EU' || code === 'ZZ' ? null : code;
}

/** An ocid's registered prefix (`ocds-` and 6 letters or digits), lower-cased; null without one. */
export function ocidPrefix(ocid: string): string | null {
  const m = /^(ocds-[a-z0-9]{6})-/.exec(ocid.toLowerCase());
  return m ? m[1]! : null;
}

/**
 * `FR` for a DECP contract (a DECP generation: France's publication); else the country of its
 * buyer's identifier scheme (the smallest of them when its party rows give several: a partner's
 * buyer `UA-EDR`, a mapping profile's `CO-RUE`, a French profile's `FR-RCS`); else its ocid's
 * registered prefix, its publisher (DNCP Paraguay's buyers are named without an identifier); else
 * null (a market of its own). A contract's own process says it, no other's.
 */
export function marketOf(ocid: string, decpVersion: string | null, buyerSchemes: readonly (string | null)[]): string | null {
  if (decpVersion !== null) return 'FR';
  let country: string | null = null;
  for (const s of buyerSchemes) {
    const c = schemeCountry(s);
    if (c !== null && (country === null || c < country)) country = c;
  }
  return country ?? ocidPrefix(ocid);
}
