/**
 * Keys that never become properties of the pipeline's objects: hostile input drops them (ingest) and
 * a mapping profile may not name a field after them (transform), so that nothing reaches a prototype.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
