/**
 * An OCDS record without an ocid of its own (Prozorro's bare records: `publisher`, `releases`,
 * `compiledRelease`, `versionedRelease`, in any order) whose `releases` come before the key that says
 * it is a record: not a release package (no 1.0 version, no package metadata), and its
 * compiledRelease is read when its releases are linked.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from '../helpers/convert.js';
import { readBytes, SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';

const RECORD = JSON.parse(readFileSync(join(SHARED, 'partners/ukraine-prozorro/record_ocds-be6bcu-UA-2017-04-10-002020-b.json'), 'utf8')) as Record<string, unknown>;
const releases = RECORD['releases'] as Array<Record<string, unknown>>;
const compiled = RECORD['compiledRelease'] as Record<string, unknown>;

test('embedded releases before the compiledRelease: the file is an OCDS record (no package version), its releases read', async () => {
  const text = JSON.stringify({ publisher: RECORD['publisher'], releases, compiledRelease: compiled, versionedRelease: RECORD['versionedRelease'] }, null, 2);
  for (const size of [undefined, 7]) {
    const got = await readBytes(text, {}, size);
    expect(got.records.map((r) => [r.type, r.data['id']])).toEqual([['release', releases[0]!['id']]]);
    expect(got.rejects).toEqual([]);
    // (it read as a release package of OCDS 1.0, whose processes are merged by 1.0's rules)
    expect(got.summary).toMatchObject({ format: 'ocds-json', version: null, read: 1, accepted: 1 });
  }
});

test('linked releases before the compiledRelease: the record gives its compiledRelease (it was lost)', async () => {
  const linked = [{ url: 'http://ocds.prozorro.openprocurement.io/x.json', date: releases[0]!['date'], tag: ['tender'] }];
  const text = JSON.stringify({ publisher: RECORD['publisher'], releases: linked, compiledRelease: compiled }, null, 2);
  for (const size of [undefined, 7]) {
    const got = await readBytes(text, {}, size);
    const record = got.records.find((r) => r.type === 'record');
    expect(record?.data['compiledRelease']).toEqual(compiled);
    expect(record?.provenance.line).toBe(1);
    expect(got.summary).toMatchObject({ format: 'ocds-json', version: null });
  }
});

test('a release package with keys after its releases is still one', async () => {
  const text = JSON.stringify({ releases: [releases[0]], version: '1.1', publisher: { name: 'p' } });
  const got = await readBytes(text);
  expect(got.summary).toMatchObject({ format: 'ocds-release-package', version: '1.1', read: 1 });
});

test('… and convert publishes no release of the link read before it: it is rejected, said to be a link (found by a review)', async () => {
  const linked = [{ url: 'http://ocds.prozorro.openprocurement.io/x.json', date: releases[0]!['date'], tag: ['tender'] }];
  const file = join(tempDir('linked-first-'), 'r.json');
  writeFileSync(file, JSON.stringify({ publisher: RECORD['publisher'], releases: linked, compiledRelease: compiled }));
  const got = await convertAll([file]);
  expect(got.releases.map((r) => r['id'])).toEqual([compiled['id']]);
  expect(got.rejects).toHaveLength(1);
  expect(got.rejects[0]).toMatchObject({ code: 'TRANSFORM_UNSUPPORTED_RECORD' });
  expect(got.rejects[0]!.reason).toContain('linked release');
});
