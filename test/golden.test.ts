/**
 * Golden tests (the Observable pattern): each fixtures/golden/<case>/input.*
 * is converted and compared with expected/releases.jsonl and expected/rejects.jsonl.
 * On a mismatch a *.changed.jsonl file is written beside the expected one;
 * UPDATE_GOLDEN=1 rewrites the expected files. Neither happens when CI=true.
 * A case named only.* runs alone; skip.* is skipped. A case with a file `profile` is converted with
 * the mapping profile that file names (a path from the repository's root), else with mappings/decp.json.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll, PROFILE } from './helpers/convert.js';
import type { MappingProfile } from '../src/transform/profile.js';

const ROOT = new URL('../fixtures/golden/', import.meta.url).pathname;
const REPO = new URL('../', import.meta.url).pathname;
const CI = process.env['CI'] === 'true';
const UPDATE = !CI && process.env['UPDATE_GOLDEN'] === '1';

const all = readdirSync(ROOT).sort();
const only = all.filter((c) => c.startsWith('only.'));
const cases = (only.length > 0 ? only : all).filter((c) => !c.startsWith('skip.'));

/** Provenance in x_decp names the input path: make it relative so the files do not depend on the checkout. */
function normalise(line: string): string {
  return line.split(ROOT).join('fixtures/golden/');
}

function compare(dir: string, name: string, actual: string[]): void {
  const expectedPath = join(dir, 'expected', `${name}.jsonl`);
  const text = actual.map((l) => `${normalise(l)}\n`).join('');
  if (UPDATE) writeFileSync(expectedPath, text);
  const expected = existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : '';
  if (expected !== text && !CI) writeFileSync(join(dir, 'expected', `${name}.changed.jsonl`), text);
  expect(text.split('\n').map((l) => (l ? JSON.parse(l) : l))).toEqual(expected.split('\n').map((l) => (l ? JSON.parse(l) : l)));
}

describe.each(cases)('golden %s', (name) => {
  const dir = join(ROOT, name);
  const input = readdirSync(dir).find((f) => f.startsWith('input.'))!;
  test('releases and rejects match', async () => {
    const named = join(dir, 'profile');
    const profile = existsSync(named) ? (JSON.parse(readFileSync(join(REPO, readFileSync(named, 'utf8').trim()), 'utf8')) as MappingProfile) : PROFILE;
    const r = await convertAll([join(dir, input)], profile);
    expect(r.counts.converted + r.counts.rejected).toBe(r.counts.read);
    compare(dir, 'releases', r.texts);
    // (a reject's ocid as rejects.jsonl writes it: null when the record gave none)
    compare(dir, 'rejects', r.rejects.map((x) => JSON.stringify({ code: x.code, reason: x.reason, index: x.provenance.index, line: x.provenance.line, ocid: x.ocid ?? null })));
  });
});
