/**
 * JSON values compared as values: deep equality with an object's keys in any order, and a canonical
 * text (keys sorted) for keying values in a map. Used by the merge (ids, versions) and by validation
 * (`uniqueItems`), which must agree on what "the same value" is; and what a JSON object is
 * (isJsonObject), one guard for ingest, transform and validate.
 */

/** A JSON object (not null, not a list), as a record of its members. */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep equality of JSON values (an object's keys in any order; 0 and -0 alike, as their JSON). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (!jsonEqual(a[k], b[k])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(y, k) || !jsonEqual(x[k], y[k])) return false;
  return true;
}

/** A JSON value's text with every object's keys sorted: equal texts, deep-equal values. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

/** Does a JSON value hold a number JSON cannot write (Infinity: `1e400` as JSON.parse reads it)? */
function holdsNonFinite(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (const x of v) if (holdsNonFinite(x)) return true;
    return false;
  }
  for (const k in v as Record<string, unknown>) if (holdsNonFinite((v as Record<string, unknown>)[k])) return true;
  return false;
}

/** Marks of a number past a double's range while it is written (noncharacters: no text of JSON holds them unescaped). */
const PAST_RANGE = /"\uFDD0([+-])\uFDD1"/g;

/**
 * A value's JSON as JSON.stringify writes it, except that a number past a double's range (`1e400`,
 * read as Infinity) is written `1e999` (`-1e999`), not `null`: null removes a value when releases are
 * merged, where such a number is left out and said (MERGE_NUMBER_OUT_OF_RANGE). Only a text that
 * writes a null is looked into again.
 */
export function jsonKeepingRange(v: unknown): string {
  const text = JSON.stringify(v);
  if (!text.includes('null') || text.includes('\uFDD0') || !holdsNonFinite(v)) return text;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? `\uFDD0${x > 0 ? '+' : '-'}\uFDD1` : x)).replace(PAST_RANGE, (_m, sign: string) => (sign === '+' ? '1e999' : '-1e999'));
}
