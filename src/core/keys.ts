/**
 * Keys that never become properties of the pipeline's objects: hostile input drops them (ingest) and
 * a mapping profile may not name a field after them (transform), so that nothing reaches a prototype.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A key as a JSON pointer token (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The keys a JSON pointer names, unescaped (`/a~1b/0` → `a/b`, `0`; `` → none). */
export function pointerKeys(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
}
