/**
 * A small deterministic string hash for identifiers (pure, no node:crypto, so
 * that the transform layer stays free of node modules). 64 bits from two
 * independent 32-bit FNV-1a-style lanes with a final avalanche, written in base
 * 36 (13 characters at most). Not for security: only to name things stably.
 */
export function shortHash(text: string): string {
  h1 = 0x811c9dc5;
  h2 = 0x01000193 ^ 0x5bd1e995;
  feed(text);
  return digest();
}

/** The state of the hash being fed (module state: hashing is synchronous). */
let h1 = 0;
let h2 = 0;

function feed(text: string): void {
  let a = h1;
  let b = h2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  h1 = a;
  h2 = b;
}

function digest(): string {
  let a = h1;
  let b = h2;
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  a ^= a >>> 16;
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b ^= b >>> 16;
  return (a >>> 0).toString(36).padStart(7, '0') + (b >>> 0).toString(36).padStart(7, '0');
}

/** A string that JSON writes as itself between quotes (no quote, backslash, control character or surrogate). */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

export type HashableJson = string | number | boolean | null | readonly HashableJson[];

function feedJson(v: HashableJson): void {
  if (typeof v === 'string') {
    if (NEEDS_ESCAPE.test(v)) {
      feed(JSON.stringify(v));
    } else {
      feed('"');
      feed(v);
      feed('"');
    }
  } else if (Array.isArray(v)) {
    feed('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) feed(',');
      // (JSON writes a hole or undefined in a list as null)
      feedJson((v[i] ?? null) as HashableJson);
    }
    feed(']');
  } else {
    feed(JSON.stringify(v));
  }
}

/**
 * `shortHash(JSON.stringify(value))`, the same string, without building the JSON text (the award
 * id of every record hashes its title: the text cost more than the hash).
 */
export function shortHashOfJson(value: HashableJson): string {
  h1 = 0x811c9dc5;
  h2 = 0x01000193 ^ 0x5bd1e995;
  feedJson(value);
  return digest();
}

/**
 * A 53-bit hash of a string as a number (for sets of many ids: a number costs
 * a fraction of the memory of the string). Two different strings share a value
 * with a probability of about n²/2^54 for n strings (1e-4 for a million).
 */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
