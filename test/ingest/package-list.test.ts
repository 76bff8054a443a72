/**
 * OCDS packages given as the items of a list (`[{"releases":[…]}, {"releases":[…]}]`: pages of an
 * API saved together): their releases (records) are read as in a package file, each accounted for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBytes, SHARED } from '../helpers/ingest.js';

const release = (ocid: string, id: string): Record<string, unknown> => ({ ocid, id, date: '2024-01-01T00:00:00Z', tag: ['tender'], tender: { id: 't' } });
const pkg = (releases: unknown[]): Record<string, unknown> => ({ uri: 'https://example.org/p', version: '1.1', publishedDate: '2024-01-02T00:00:00Z', releases });

test('a list of release packages: every release of every package, each at its own line and byte (it was at its package\'s: found by a probe), whatever the chunks', async () => {
  const text = JSON.stringify([pkg([release('a', '1'), release('a', '2')]), pkg([release('b', '3')]), pkg([])], null, 1);
  for (const size of [undefined, 1, 7]) {
    const got = await readBytes(text, {}, size);
    expect(got.records.map((r) => [r.type, r.data['id']])).toEqual([
      ['release', '1'],
      ['release', '2'],
      ['release', '3'],
    ]);
    expect(got.records.map((r) => r.provenance.index)).toEqual([0, 1, 2]);
    // each release where its "{" is (lines 7, 18 and 36 of the list; its package's "{" at line 2 or 31)
    expect([size, got.records.map((r) => [r.provenance.line, r.provenance.offset])]).toEqual([
      size,
      [
        [7, 121],
        [18, 271],
        [36, 544],
      ],
    ]);
    expect(got.records.every((r) => text.startsWith('{\n    "ocid"', r.provenance.offset))).toBe(true);
    expect(got.rejects).toEqual([]);
    expect(got.summary).toMatchObject({ format: 'ocds-release-package', read: 3, accepted: 3, rejected: 0 });
  }
});

test('a list of record packages; an item of a package that is not an object is rejected with why and where', async () => {
  const record = { ocid: 'c', releases: [release('c', '1')], compiledRelease: release('c', 'c-compiled') };
  const text = `[${JSON.stringify({ uri: 'u', records: [record, 42] })}]`;
  for (const size of [undefined, 1, 7]) {
    const got = await readBytes(text, {}, size);
    expect(got.records.map((r) => [r.type, r.data['ocid']])).toEqual([['record', 'c']]);
    expect(got.rejects.map((r) => [r.code, r.reason])).toEqual([['INGEST_RECORD_NOT_OBJECT', 'record 2 of the package at line 1 is number, not an object']]);
    // (each at its own byte: the record's "{", the 42; not the package's "{", byte 1)
    expect([size, [...got.records, ...got.rejects].map((r) => [r.provenance.line, r.provenance.offset])]).toEqual([size, [[1, 23], [1, 254]]]);
    expect([text.indexOf('{"ocid":"c"'), text.indexOf('42]')]).toEqual([23, 254]);
    expect(got.summary).toMatchObject({ format: 'ocds-record-package', read: 2, accepted: 1, rejected: 1 });
  }
});

test('a list of releases and records is read as before: items with an ocid are no packages', async () => {
  const record = { ocid: 'c', releases: [release('c', '1')] };
  const got = await readBytes(JSON.stringify([release('a', '1'), record]));
  expect(got.records.map((r) => r.type)).toEqual(['release', 'record']);
});

test("a partner's real release package, listed twice, gives its releases twice", async () => {
  const one = JSON.parse(readFileSync(join(SHARED, 'partners/paraguay-dncp/release-package_1.1-2.json'), 'utf8')) as { releases: unknown[] };
  const got = await readBytes(JSON.stringify([one, one]));
  expect(got.records).toHaveLength(2 * one.releases.length);
  expect(got.records.every((r) => r.type === 'release')).toBe(true);
});

test('each package of a list or of concatenated packages gives its metadata (version, publisher), each distinct one once', async () => {
  const a = { uri: 'https://a.example/1', version: '1.1', publisher: { name: 'A' }, releases: [release('a', '1')] };
  const b = { uri: 'https://b.example/1', publisher: { name: 'B' }, releases: [release('b', '2')] };
  for (const text of [JSON.stringify([a, a, b, a]), [a, a, b, a].map((p) => JSON.stringify(p, null, 1)).join('\n')]) {
    const got = await readBytes(text);
    expect(got.summary.packages).toEqual([
      { uri: 'https://a.example/1', version: '1.1', publisher: { name: 'A' } },
      { uri: 'https://b.example/1', publisher: { name: 'B' } },
    ]);
    // the version is the last package's, as for concatenated packages (a list of 1.1 pages was read as 1.0)
    expect(got.summary).toMatchObject({ format: 'ocds-release-package', version: '1.1', read: 4 });
  }
  expect((await readBytes(JSON.stringify([a]))).summary.version).toBe('1.1');
});

test('JSON Lines of releases with a package on a later line: its releases are read, with its metadata (none lost as "no ocid")', async () => {
  const lines = [release('a', '1'), pkg([release('b', '2'), release('a', '3')]), release('c', '4')].map((x) => JSON.stringify(x)).join('\n');
  for (const size of [undefined, 5]) {
    const got = await readBytes(`${lines}\n`, { releaseText: true }, size);
    // (a line of the pipeline's layout may be handed over as text: by its ocid and line either way)
    const all = [...got.records.map((r) => [r.type, r.data['ocid'], r.provenance.index, r.provenance.line]), ...got.texts.map((t) => ['release', t.ocid, t.provenance.index, t.provenance.line])];
    expect(all.sort((x, y) => (x[2] as number) - (y[2] as number))).toEqual([
      ['release', 'a', 0, 1],
      ['release', 'b', 1, 2],
      ['release', 'a', 2, 2],
      ['release', 'c', 3, 3],
    ]);
    expect(got.records.filter((r) => r.provenance.line === 2).map((r) => r.data['id'])).toEqual(['2', '3']);
    // (the package's releases each at its own byte of line 2, which starts at byte 89)
    expect(got.records.filter((r) => r.provenance.line === 2).map((r) => r.provenance.offset)).toEqual([187, 276]);
    expect([lines.indexOf('{"ocid":"b"'), lines.indexOf('{"ocid":"a","id":"3"')]).toEqual([187, 276]);
    expect(got.rejects).toEqual([]);
    expect(got.summary).toMatchObject({ format: 'ocds-release-package', read: 4, accepted: 4, rejected: 0, packages: [{ uri: 'https://example.org/p', version: '1.1', publishedDate: '2024-01-02T00:00:00Z' }] });
  }
});

test("an API's page of packages (`{\"count\":…,\"results\":[package, …]}`): every release of every package, with its metadata, also past the record size limit", async () => {
  const a = { uri: 'https://a.example/1', version: '1.1', publisher: { name: 'A' }, releases: [release('a', '1'), release('a', '2')] };
  const b = { uri: 'https://a.example/2', version: '1.1', publisher: { name: 'A' }, releases: [release('b', '3')] };
  const text = JSON.stringify({ count: 2, next: null, results: [a, b] }, null, 1);
  // (whole, and as an envelope read one package at a time: the page is larger than the record size limit, each package not)
  expect(text.length).toBeGreaterThan(600);
  expect(JSON.stringify(a, null, 3).length).toBeLessThan(600);
  for (const options of [{}, { maxRecordBytes: 600 }]) {
    for (const size of [undefined, 7]) {
      const got = await readBytes(text, options, size);
      expect(got.records.map((r) => [r.type, r.data['ocid'], r.data['id']])).toEqual([
        ['release', 'a', '1'],
        ['release', 'a', '2'],
        ['release', 'b', '3'],
      ]);
      expect(got.rejects).toEqual([]);
      expect(got.summary).toMatchObject({ format: 'ocds-release-package', version: '1.1', read: 3, accepted: 3, rejected: 0 });
      expect(got.summary.packages).toEqual([
        { uri: 'https://a.example/1', version: '1.1', publisher: { name: 'A' } },
        { uri: 'https://a.example/2', version: '1.1', publisher: { name: 'A' } },
      ]);
    }
  }
  // a page of record packages; an item of the page that is not an object is a reject that says where it is
  const record = { ocid: 'c', releases: [release('c', '1')], compiledRelease: release('c', 'c-compiled') };
  const got = await readBytes(JSON.stringify({ results: [{ uri: 'u', records: [record] }, null] }));
  expect(got.records.map((r) => [r.type, r.data['ocid']])).toEqual([['record', 'c']]);
  expect(got.rejects.map((r) => [r.code, r.reason])).toEqual([['INGEST_RECORD_NOT_OBJECT', 'item 2 of /results is null, not an object']]);
  expect(got.summary).toMatchObject({ format: 'ocds-record-package', read: 2, accepted: 1, rejected: 1 });
});

test('an OCDS package or record as an envelope\'s value (`{"data":{…package…}}`, `{"result":{…record…}}`): its releases with its metadata, the record whole (found by a probe: every release lost, or link stubs read as releases)', async () => {
  const full = { uri: 'https://api.example.org/releases?page=1', version: '1.1', publishedDate: '2024-01-01T00:00:00Z', publisher: { name: 'Example' }, license: 'https://creativecommons.org/licenses/by/4.0/', releases: [release('a', '1'), release('a', '2')] };
  const got = await readBytes(JSON.stringify({ data: full }));
  expect(got.records.map((r) => [r.type, r.data['id']])).toEqual([
    ['release', '1'],
    ['release', '2'],
  ]);
  expect(got.summary).toMatchObject({ format: 'ocds-release-package', version: '1.1', read: 2, accepted: 2, rejected: 0 });
  expect(got.summary.packages).toEqual([{ uri: full.uri, version: '1.1', publishedDate: full.publishedDate, publisher: { name: 'Example' }, license: full.license }]);
  // a small package without a version (OCDS 1.0) keeps what it says: read as 1.0, its publisher kept
  const small = await readBytes(JSON.stringify({ result: { publisher: { name: 'P' }, releases: [release('b', '3')] } }));
  expect(small.records.map((r) => r.data['id'])).toEqual(['3']);
  expect(small.summary).toMatchObject({ format: 'ocds-release-package', version: '1.0' });
  expect(small.summary.packages).toEqual([{ publisher: { name: 'P' } }]);
  // a record whose releases are links: one record (its compiledRelease is read by compile), not its links as releases
  const record = { ocid: 'c', releases: [{ url: 'https://example.org/r/1.json', date: '2024-01-01T00:00:00Z', tag: ['tender'] }], compiledRelease: release('c', 'c-compiled') };
  const wrapped = await readBytes(JSON.stringify({ data: record }));
  expect(wrapped.records.map((r) => [r.type, r.data['ocid'], 'compiledRelease' in r.data])).toEqual([['record', 'c', true]]);
});

test("the releases of an API's page of packages, or of a package as an envelope's value, read whole, are each at its own line and byte, as when the page is streamed past the record size limit (they were all at the page's line 1: found by a probe), whatever the chunks", async () => {
  const a = pkg([release('a', '1'), release('a', '2')]);
  const b = pkg([release('b', '3')]);
  const page = JSON.stringify({ count: 2, results: [a, b] }, null, 2);
  // (whole, and as an envelope read one package at a time: the page is larger than the limit, a package not)
  expect([page.length, JSON.stringify(a, null, 4).length]).toEqual([981, 605]);
  for (const options of [{}, { maxRecordBytes: 700 }]) {
    for (const size of [undefined, 1, 7, 64]) {
      const got = await readBytes(page, options, size);
      expect([options, size, got.records.map((r) => [r.data['id'], r.provenance.index, r.provenance.line, r.provenance.offset])]).toEqual([
        options,
        size,
        [
          ['1', 0, 9, 174],
          ['2', 1, 20, 390],
          ['3', 2, 38, 755],
        ],
      ]);
      expect(got.records.every((r) => page.startsWith('{\n          "ocid"', r.provenance.offset))).toBe(true);
      expect(got.rejects).toEqual([]);
      expect(got.summary.issues.some((i) => i.message.includes('larger than the record size limit'))).toBe('maxRecordBytes' in options);
    }
  }
  // `{"data":{…package…}}` (Prozorro's API)
  const data = JSON.stringify({ data: a }, null, 2);
  for (const size of [undefined, 1, 7]) {
    const got = await readBytes(data, {}, size);
    expect([size, got.records.map((r) => [r.data['id'], r.provenance.line, r.provenance.offset])]).toEqual([
      size,
      [
        ['1', 7, 141],
        ['2', 18, 335],
      ],
    ]);
    expect(got.records.every((r) => data.startsWith('{\n        "ocid"', r.provenance.offset))).toBe(true);
  }
});

test("a package whose own fields (a long publisher block, extensions) pass 1 MiB keeps its version; past the record size limit they are not read, said (found by a probe: a 1.1 package read as 1.0, merged by 1.0's rules, unsaid)", async () => {
  const big = { ...pkg([]), publisher: { name: 'DNCP', description: 'x'.repeat(1_200_000) } } as Record<string, unknown>;
  const { releases: _, ...head } = big;
  const text = JSON.stringify({ ...head, releases: [release('a', '1')] });
  const got = await readBytes(text, {}, 65536);
  expect(got.records.map((r) => r.data['id'])).toEqual(['1']);
  expect(got.summary).toMatchObject({ format: 'ocds-release-package', version: '1.1', read: 1 });
  expect(got.summary.packages?.[0]).toMatchObject({ version: '1.1', publisher: { name: 'DNCP' } });
  // past the limit: the release read, the version not (1.0), and that said
  const over = await readBytes(JSON.stringify({ releases: [release('a', '1')], ...head }), { maxRecordBytes: 1_000_000 }, 65536);
  expect(over.records.map((r) => r.data['id'])).toEqual(['1']);
  expect(over.summary).toMatchObject({ format: 'ocds-release-package', version: '1.0', read: 1 });
  expect(over.summary.issues.map((i) => i.message)).toEqual([expect.stringContaining('larger than the record size limit: not read (its version taken for 1.0)')]);
});

test('a package whose own fields pass the record size limit before its list: each release read once (found by a probe: read twice, as an envelope too)', async () => {
  const head = { uri: 'https://example.org/p', version: '1.1', publisher: { name: 'DNCP', description: 'x'.repeat(300_000) } };
  for (const [list, type] of [['releases', 'release'], ['records', 'record']] as const) {
    const items = list === 'releases' ? [release('a', '1'), release('a', '2')] : [{ ocid: 'a', releases: [release('a', '1')] }];
    const text = JSON.stringify({ ...head, [list]: items });
    for (const size of [undefined, 4096, 65536]) {
      const got = await readBytes(text, { maxRecordBytes: 200_000 }, size);
      expect([size, got.records.map((r) => r.type)]).toEqual([size, items.map(() => type)]);
      expect(got.summary).toMatchObject({ read: items.length, rejected: 0 });
      expect(got.summary.issues.map((i) => i.message)).toEqual([expect.stringContaining('larger than the record size limit: not read')]);
    }
  }
});
