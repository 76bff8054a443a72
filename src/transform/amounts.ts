/**
 * Amounts and durations from DECP. Pure.
 * DECP amounts are euros excluding VAT, given as numbers or strings
 * (`"30000.00"`, `"1 234,50"`); some are placeholders (`999999999`).
 */

export type AmountFlag =
  | 'AMOUNT_AS_STRING'
  | 'AMOUNT_UNPARSABLE'
  | 'AMOUNT_PLACEHOLDER'
  | 'AMOUNT_IMPLAUSIBLE'
  | 'AMOUNT_ZERO'
  | 'AMOUNT_NEGATIVE'
  | 'AMOUNT_TTC'
  | 'AMOUNT_SEPARATOR_AMBIGUOUS';

/** More than all French public purchasing in a year, many times over: not an amount (1e20, 1e300…). */
export function isImplausibleAmount(n: number): boolean {
  return Math.abs(n) >= 1e12;
}

/** Currency and tax words around an amount written as text: "1 234,56 € HT", "EUR 5000", "5000 euros". */
const AMOUNT_WORDS = /€|\b(?:eur(?:os?)?|h\.?\s?t\.?|t\.?t\.?c\.?)(?=[\s\d.,]|$)/gi;
const TTC = /\bt\.?t\.?c\b/i;

/** Values that publishers use for "unknown": all nines of 8 digits or more (99999999.99 too). */
export function isPlaceholderAmount(n: number): boolean {
  return n >= 99_999_999 && /^9+(\.(0+|9+))?$/.test(String(n));
}

/**
 * Parse an amount. Returns the number (placeholders included: the caller keeps
 * them out of OCDS values) and the flags that describe it.
 */
export function parseAmount(value: unknown): { amount: number | null; flags: AmountFlag[] } | null {
  if (value === null || value === undefined) return null;
  const flags: AmountFlag[] = [];
  let n: number;
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return null;
    flags.push('AMOUNT_AS_STRING');
    // DECP amounts are without VAT: a "TTC" amount is kept as given, and flagged
    if (TTC.test(t)) flags.push('AMOUNT_TTC');
    const bare = t.replace(AMOUNT_WORDS, ' ').trim();
    // "1.234": a dot as thousands separator (French style; euros have two decimals), read so and
    // flagged, since it could also be a decimal ("12.345.678" is not ambiguous)
    // ("0.500" is not: no thousands group starts with 0)
    if (/^-?[1-9]\d{0,2}\.\d{3}$/.test(bare)) {
      flags.push('AMOUNT_SEPARATOR_AMBIGUOUS');
      n = Number(bare.replace('.', ''));
    } else {
      // "1,234": a comma after one to three digits and before three is read as the decimal comma
      // (French style) and flagged, since it could also separate thousands ("1,234,567", "1234,567",
      // "1 234,567" or "0,500" are not ambiguous)
      if (/^-?[1-9]\d{0,2},\d{3}$/.test(bare)) flags.push('AMOUNT_SEPARATOR_AMBIGUOUS');
      n = parseFrenchNumber(bare);
    }
  } else {
    return { amount: null, flags: ['AMOUNT_UNPARSABLE'] };
  }
  if (!Number.isFinite(n)) return { amount: null, flags: [...flags, 'AMOUNT_UNPARSABLE'] };
  if (n === 0) flags.push('AMOUNT_ZERO');
  if (n < 0) flags.push('AMOUNT_NEGATIVE');
  if (isPlaceholderAmount(n)) flags.push('AMOUNT_PLACEHOLDER');
  else if (isImplausibleAmount(n)) flags.push('AMOUNT_IMPLAUSIBLE');
  return { amount: n, flags };
}

/** "1 234,50", "1.234,50", "1234.50", "1,234.50" → 1234.5; anything else → NaN. */
export function parseFrenchNumber(text: string): number {
  const t = text.replace(/[\s\u00a0\u202f€]/g, '');
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t)) return Number(t);
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) return Number(t.replace(/\./g, '').replace(',', '.'));
  if (/^-?\d+,\d+$/.test(t)) return Number(t.replace(',', '.'));
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return Number(t.replace(/,/g, ''));
  return Number.NaN;
}

export type DurationFlag = 'DURATION_AS_STRING' | 'DURATION_UNPARSABLE' | 'DURATION_ZERO' | 'DURATION_IMPLAUSIBLE' | 'DURATION_PLACEHOLDER';

/**
 * A duration in whole months (`dureeMois`). Implausible: over 99 years; a placeholder: 999, 9999…
 * (like the 999999999 amounts). Neither is used (no end date is computed from it: that would invent
 * dates thousands of years ahead), nor is 0 (an end on the start day); all are flagged, with the raw
 * value.
 */
export function parseMonths(value: unknown): { months: number | null; flags: DurationFlag[] } | null {
  if (value === null || value === undefined) return null;
  const flags: DurationFlag[] = [];
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    if (value.trim() === '') return null;
    flags.push('DURATION_AS_STRING');
    n = parseFrenchNumber(value.trim());
  } else return { months: null, flags: ['DURATION_UNPARSABLE'] };
  if (!Number.isFinite(n) || n < 0 || !Number.isInteger(n)) return { months: null, flags: [...flags, 'DURATION_UNPARSABLE'] };
  // 0 months is no duration: an end on the day of the start would be made up
  if (n === 0) return { months: null, flags: [...flags, 'DURATION_ZERO'] };
  if (n >= 999 && /^9+$/.test(String(n))) return { months: null, flags: [...flags, 'DURATION_PLACEHOLDER'] };
  if (n > 1188) return { months: null, flags: [...flags, 'DURATION_IMPLAUSIBLE'] };
  return { months: n, flags };
}
