/**
 * Temporary folders for tests: every folder a test file asks for lives under one folder
 * of its own, removed when the file's tests end (a suite run leaves nothing in /tmp).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let root: string | null = null;

// registered when a test file imports this module (hooks cannot be added from inside a test)
afterAll(() => {
  if (root !== null) rmSync(root, { recursive: true, force: true });
  root = null;
});

/** A new empty folder, removed with the others after the test file. */
export function tempDir(prefix = 'tmp-'): string {
  root ??= mkdtempSync(join(tmpdir(), 'decp-ocds-test-'));
  return mkdtempSync(join(root, prefix));
}
