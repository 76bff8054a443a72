/** `decp-ocds compile`: one record per ocid, the last modification wins, packages, bounded grouping. */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { officialRecordPackageValidator } from '../helpers/official-ocds.js';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { compileInputs, type CompileWarning } from '../../src/compile.js';
import type { RejectedRecord } from '../../src/ingest/types.js';
import { mergeRulesFromSchema } from '../../src/transform/compile/merge.js';
import { jsonKeepingRange } from '../../src/transform/json-values.js';
import { loadReleaseSchema } from '../../src/validate/schema-store.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = (): string => tempDir('decp-ocds-compile-');
type J = Record<string, unknown>;
const lines = (text: string): J[] => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as J);

let releasesFile = '';
let releases: J[] = [];
beforeAll(async () => {
  releasesFile = join(tmp(), 'releases.jsonl');
  await runCli(['convert', join(SHARED, 'decp/samples'), '-o', releasesFile, '--run-date', '2026-01-01T00:00:00Z']);
  releases = lines(readFileSync(releasesFile, 'utf8'));
});

/** A file's SHA-256, as rejects name it. */
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

test('one record per ocid; each compiled contract reflects its last modification (amount, duration, suppliers)', async () => {
  const out = join(tmp(), 'records.jsonl');
  const r = await runCli(['compile', releasesFile, '-o', out, '--versioned', '--quiet']);
  expect(r.code).toBe(0);
  const records = lines(readFileSync(out, 'utf8'));
  expect(records.length).toBe(new Set(releases.map((x) => x['ocid'])).size);
  // (the samples' feeds share records: a release id given again is left out, counted; every other release is in its record)
  const summary = new RegExp(`^decp-ocds: ${releases.length} releases(?: \\((\\d+) of them a release id given again for its ocid: left out, one of each id used, MERGE_DUPLICATE_RELEASE\\))? compiled into ${records.length} records`, 'm').exec(r.stderr);
  expect(summary).not.toBeNull();
  expect(records.reduce((n, rec) => n + (rec['releases'] as unknown[]).length, 0)).toBe(releases.length - Number(summary![1] ?? 0));
  let checked = 0;
  for (const rec of records) {
    expect(rec['compiledRelease']).toMatchObject({ ocid: rec['ocid'], tag: ['compiled'] });
    expect(rec['versionedRelease']).toBeDefined();
    const rels = rec['releases'] as J[];
    // per contract: the last release (by date) that gave a value / suppliers must be what the compiled contract shows
    const compiled = ((rec['compiledRelease'] as J)['contracts'] as J[] | undefined) ?? [];
    for (const c of compiled) {
      const touching = rels
        .filter((x) => ((x['contracts'] as J[] | undefined) ?? []).some((y) => y['id'] === c['id']))
        .sort((a, b) => ((a['date'] as string) < (b['date'] as string) ? -1 : (a['date'] as string) > (b['date'] as string) ? 1 : 0));
      if (!touching.some((x) => (x['tag'] as string[]).includes('contractAmendment'))) continue;
      const lastWith = (field: string): unknown => {
        let v: unknown;
        for (const x of touching) for (const y of x['contracts'] as J[]) if (y['id'] === c['id'] && y[field] !== undefined) v = y[field];
        return v;
      };
      const dates = touching.map((x) => x['date']);
      if (new Set(dates).size !== dates.length) continue; // equal dates: input order decides (reported as a warning)
      expect(c['value']).toEqual(lastWith('value'));
      expect(c['period']).toEqual(lastWith('period'));
      expect(c['suppliers']).toEqual(lastWith('suppliers'));
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(50);
});

test('--package writes one record package with its metadata', async () => {
  const out = join(tmp(), 'package.json');
  const r = await runCli(['compile', releasesFile, '--package', '-o', out, '--quiet', '--publisher-name', 'Etalab']);
  expect(r.code).toBe(0);
  const pkg = JSON.parse(readFileSync(out, 'utf8')) as J;
  const records = pkg['records'] as J[];
  expect(records.length).toBe(new Set(releases.map((x) => x['ocid'])).size);
  // (the metadata is checked on the package less its records: a failed match prints the object)
  pkg['records'] = records.slice(0, 2);
  expect(Object.keys(pkg)).toEqual(['uri', 'version', 'extensions', 'publishedDate', 'publisher', 'license', 'publicationPolicy', 'records']);
  expect(pkg).toMatchObject({ uri: pathToFileURL(out).href, version: '1.1', publisher: { name: 'Etalab' }, license: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/', publishedDate: '2026-01-02T03:04:05.000Z' });
  // valid against the official record package schema (uri required; no `packages` rather than an empty list)
  expect(officialRecordPackageValidator()(pkg)).toEqual([]);
  // on stdout, the uri is the caller's to give: without --uri the package has none, and a warning says so
  const few = join(tmp(), 'few.jsonl');
  writeFileSync(few, `${readFileSync(releasesFile, 'utf8').split('\n').slice(0, 20).join('\n')}\n`);
  const piped = await runCli(['compile', few, '--package']);
  expect(piped.code).toBe(0);
  expect(piped.stderr).toMatch(/^decp-ocds: warning: the record package has no uri \(OCDS requires one\): give --uri/m);
  // releases without a package say nothing of who publishes them: the DECP publication's metadata, said
  expect(piped.stderr).toMatch(/^decp-ocds: warning: no input is an OCDS package .* the DECP publication's publisher Etalab, the Licence Ouverte 2\.0, the DECP publication policy; for another publisher's releases give --publisher-name, --license and --publication-policy/m);
  expect((JSON.parse(piped.stdout) as J)['uri']).toBeUndefined();
  const given = await runCli(['compile', few, '--package', '--uri', 'https://data.example.org/decp/records.json', '--quiet']);
  expect((JSON.parse(given.stdout) as J)['uri']).toBe('https://data.example.org/decp/records.json');
  // publishedDate is now unless given: given, the same inputs give the same package, byte for byte
  expect((JSON.parse(given.stdout) as J)['publishedDate']).toBe('2026-01-02T03:04:05.000Z');
  const dated = await runCli(['compile', few, '--package', '--uri', 'https://data.example.org/decp/records.json', '--published-date', '2026-03-01T00:00:00Z', '--quiet']);
  expect((JSON.parse(dated.stdout) as J)['publishedDate']).toBe('2026-03-01T00:00:00Z');
  const bad = await runCli(['compile', few, '--package', '--published-date', '2026-02-30T00:00:00Z']);
  expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/^decp-ocds: CLI_USAGE: option '--published-date <datetime>' argument '2026-02-30T00:00:00Z' is invalid/)]);
});

test("--package on a partner's packages keeps their publisher, licence and policy, lists them as `packages`, and claims no DECP extension", async () => {
  const dncp = join(SHARED, 'partners/paraguay-dncp/release-package_1.1-2.json');
  const source = JSON.parse(readFileSync(dncp, 'utf8')) as J;
  const out = join(tmp(), 'dncp-records.json');
  expect((await runCli(['compile', dncp, '--package', '-o', out, '--quiet'])).code).toBe(0);
  const pkg = JSON.parse(readFileSync(out, 'utf8')) as J;
  expect(pkg).toMatchObject({ publisher: source['publisher'], license: source['license'], publicationPolicy: source['publicationPolicy'], packages: [source['uri']] });
  expect(pkg['extensions']).toEqual(source['extensions']);
  expect(officialRecordPackageValidator()(pkg)).toEqual([]);
  // options win
  const over = join(tmp(), 'over.json');
  expect((await runCli(['compile', dncp, '--package', '-o', over, '--quiet', '--license', 'https://creativecommons.org/publicdomain/zero/1.0/', '--publisher-name', 'Reuser'])).code).toBe(0);
  expect(JSON.parse(readFileSync(over, 'utf8'))).toMatchObject({ publisher: { name: 'Reuser' }, license: 'https://creativecommons.org/publicdomain/zero/1.0/' });
});

// found by a review: `run --publisher-uri` gives the publisher's uri, `compile --package` had no way to:
// a reuser republishing a partner's records named itself without its uri (the options are now one
// definition, src/cli/options.ts addPublisherOptions)
test('compile --package --publisher-uri: the uri of the publisher --publisher-name names, else of the input packages\' own; never Etalab\'s, said', async () => {
  const dncp = join(SHARED, 'partners/paraguay-dncp/release-package_1.1-2.json');
  const source = JSON.parse(readFileSync(dncp, 'utf8')) as J;
  const uri = 'https://reuser.example.org/';
  const named = await runCli(['compile', dncp, '--package', '--uri', 'https://reuser.example.org/records.json', '--publisher-name', 'Reuser', '--publisher-uri', uri]);
  expect(named.code).toBe(0);
  const pkg = JSON.parse(named.stdout) as J;
  expect(pkg['publisher']).toEqual({ name: 'Reuser', uri });
  expect(officialRecordPackageValidator()(pkg)).toEqual([]);
  // without a name: the input packages' publisher (DNCP's, as its package names it) with the uri given
  const theirs = await runCli(['compile', dncp, '--package', '--uri', 'https://reuser.example.org/records.json', '--publisher-uri', uri, '--quiet']);
  expect(JSON.parse(theirs.stdout)['publisher']).toEqual({ ...(source['publisher'] as J), uri });
  // releases without a package (convert's lines): Etalab's, named for want of a publisher, takes no uri; said
  const etalab = await runCli(['compile', releasesFile, '--package', '--uri', 'https://reuser.example.org/records.json', '--publisher-uri', uri]);
  expect(JSON.parse(etalab.stdout)['publisher']).toEqual({ name: 'Etalab' });
  expect(etalab.stderr).toMatch(/--publisher-uri is not given to the publisher Etalab, named for want of one: give --publisher-name with it/);
  // one definition with run's: the same check (an absolute URI), the same usage error
  for (const command of ['compile', 'run']) {
    const bad = await runCli([command, releasesFile, '--publisher-uri', 'reuser.example.org']);
    expect([command, bad.code, bad.stderr]).toEqual([command, 2, expect.stringMatching(/option '--publisher-uri <url>' argument 'reuser.example.org' is invalid\. expected an absolute URI/)]);
  }
});

test('--package on a file of several packages (concatenated, listed, one per line) reads each package\'s metadata: no publisher or licence of one given to the other\'s data', async () => {
  const release = (ocid: string, tenderers: J[]): J => ({ ocid, id: `${ocid}-r`, date: '2024-01-01T00:00:00Z', tag: ['tender'], tender: { id: 't', tenderers } });
  const mx: J = { uri: 'https://mx.example/p1', publishedDate: '2024-01-02T00:00:00Z', publisher: { name: 'SEFIN' }, releases: [release('ocds-mx-1', [{ name: 'Técnicos' }])] };
  const py: J = { uri: 'https://py.example/p2', version: '1.1', publishedDate: '2024-01-03T00:00:00Z', publisher: { name: 'DNCP' }, license: 'https://creativecommons.org/licenses/by/4.0/', publicationPolicy: 'https://py.example/policy', releases: [release('ocds-py-1', [{ name: 'EMPORIO' }])] };
  const dir = tmp();
  const shapes: Record<string, string> = {
    'concatenated.json': `${JSON.stringify(mx, null, 1)}\n${JSON.stringify(py, null, 1)}\n`,
    'listed.json': JSON.stringify([mx, py]),
    'lines.jsonl': `${JSON.stringify(mx)}\n${JSON.stringify(py)}\n`,
  };
  for (const [name, text] of Object.entries(shapes)) {
    writeFileSync(join(dir, name), text);
    const r = await runCli(['compile', join(dir, name), '--package', '--uri', 'https://example.org/records.json']);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(r.stdout) as J;
    // two publishers: neither one's name nor DNCP's licence on SEFIN's data, both packages listed
    expect(pkg['publisher']).toEqual({ name: 'Etalab' });
    expect(pkg['license']).toBeUndefined();
    expect(pkg['publicationPolicy']).toBeUndefined();
    expect(pkg['packages']).toEqual(['https://mx.example/p1', 'https://py.example/p2']);
    expect(r.stderr).toMatch(/the input packages name different publishers/);
    // the licence and policy left out are said too, with the option that gives them (found by a probe: dropped silently)
    expect(r.stderr).toMatch(/the input packages give different licences \(or some none\): the record package gives none; give --license$/m);
    expect(r.stderr).toMatch(/the input packages give different publication policies \(or some none\): the record package gives none; give --publication-policy$/m);
  }
  // given, they are the package's, and nothing is said of them
  const given = await runCli(['compile', join(dir, 'lines.jsonl'), '--package', '--uri', 'https://example.org/records.json', '--publisher-name', 'Reuser', '--license', 'https://example.org/licence', '--publication-policy', 'https://example.org/policy']);
  expect(JSON.parse(given.stdout)).toMatchObject({ publisher: { name: 'Reuser' }, license: 'https://example.org/licence', publicationPolicy: 'https://example.org/policy' });
  expect(given.stderr).not.toMatch(/different/);
  // one publisher's pages listed together: its metadata, and its version (1.1: not merged as 1.0, whose tenderers replace the list)
  const page = (n: number): J => ({ ...py, uri: `https://py.example/p${n}`, releases: [release('ocds-py-1', [{ id: `T${n}`, name: `T${n}` }])] });
  writeFileSync(join(dir, 'pages.json'), JSON.stringify([page(1), { ...page(2), releases: [{ ...release('ocds-py-1', [{ id: 'T2', name: 'T2' }]), id: 'r2', date: '2024-02-01T00:00:00Z' }] }]));
  const r = await runCli(['compile', join(dir, 'pages.json'), '--package', '--uri', 'https://example.org/records.json', '--quiet']);
  const pkg = JSON.parse(r.stdout) as J;
  expect(pkg).toMatchObject({ publisher: { name: 'DNCP' }, license: 'https://creativecommons.org/licenses/by/4.0/', publicationPolicy: 'https://py.example/policy', packages: ['https://py.example/p1', 'https://py.example/p2'] });
  const compiled = ((pkg['records'] as J[])[0]!['compiledRelease'] as J)['tender'] as J;
  expect((compiled['tenderers'] as J[]).map((t) => t['id'])).toEqual(['T1', 'T2']);
});

test('grouping over many buckets (bounded memory) gives the same records as one bucket', async () => {
  const schema = await loadReleaseSchema();
  const rules = mergeRulesFromSchema(schema.schema);
  const run = async (buckets: number): Promise<Map<string, string>> => {
    const out = new Map<string, string>();
    await compileInputs({ inputs: [releasesFile], rules, versioned: false, buckets }, { record: (t) => void out.set((JSON.parse(t) as J)['ocid'] as string, t), warning: () => undefined });
    return out;
  };
  const one = await run(1);
  const many = await run(13);
  expect(many.size).toBe(one.size);
  for (const [ocid, text] of one) expect(many.get(ocid)).toBe(text);
});

test('ocids with quotes, backslashes, control characters or non-ASCII characters are grouped exactly as parsed', async () => {
  const schema = await loadReleaseSchema();
  const rules = mergeRulesFromSchema(schema.schema);
  const ocids = ['ocds-a"b', 'ocds-a\\b', 'ocds-a\tb', 'ocds-é€', 'ocds-a'];
  const lines: string[] = [];
  for (const [k, ocid] of ocids.entries()) {
    for (const d of ['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z']) lines.push(JSON.stringify({ ocid, id: `r-${k}-${d}`, date: d, tag: ['tender'], tender: { id: `t${k}`, title: d } }));
  }
  const input = join(tmp(), 'odd.jsonl');
  writeFileSync(input, `${lines.join('\n')}\n`);
  for (const buckets of [1, 3]) {
    const records: J[] = [];
    await compileInputs({ inputs: [input], rules, versioned: false, buckets }, { record: (t) => void records.push(JSON.parse(t) as J), warning: () => undefined });
    expect(records.map((r) => r['ocid']).sort()).toEqual([...ocids].sort());
    for (const r of records) {
      expect((r['releases'] as J[]).map((x) => x['ocid'])).toEqual([r['ocid'], r['ocid']]);
      expect(((r['compiledRelease'] as J)['tender'] as J)['title']).toBe('2024-02-01T00:00:00Z');
    }
  }
});

test('buckets compiled by worker threads give the same bytes, in the same order, as one thread', async () => {
  const dir = tmp();
  const one = await runCli(['compile', releasesFile, '-o', join(dir, 'one.jsonl'), '--warnings', join(dir, 'w1.jsonl'), '--concurrency', '1', '--quiet']);
  const two = await runCli(['compile', releasesFile, '-o', join(dir, 'two.jsonl'), '--warnings', join(dir, 'w2.jsonl'), '--concurrency', '2', '--quiet']);
  expect([one.code, two.code]).toEqual([0, 0]);
  const a = readFileSync(join(dir, 'one.jsonl'));
  expect(a.length).toBeGreaterThan(1000);
  expect(readFileSync(join(dir, 'two.jsonl')).equals(a)).toBe(true);
  expect(readFileSync(join(dir, 'w2.jsonl')).equals(readFileSync(join(dir, 'w1.jsonl')))).toBe(true);
});

test('record chunks whose memory is used again (a sink that says it is done with each) give the same bytes, in one thread and in two', async () => {
  const schema = await loadReleaseSchema();
  const rules = mergeRulesFromSchema(schema.schema);
  // ~9 MB of releases over 8 buckets (more than the buckets in flight: memory goes back to the threads with later ones), their records in chunks of 1 MiB
  const lines: string[] = [];
  for (let k = 0; k < 6000; k++) {
    const ocid = `ocds-78apv2-chunk-${k % 2000}`;
    lines.push(JSON.stringify({ ocid, id: `${ocid}-${k}`, date: `2024-01-${String(1 + (k % 28)).padStart(2, '0')}T00:00:00Z`, tag: ['tender'], tender: { id: 't', title: `n° ${k} ${'é'.repeat(k % 700)}`, value: { amount: k, currency: 'EUR' } } }));
  }
  const input = join(tmp(), 'chunks.jsonl');
  writeFileSync(input, `${lines.join('\n')}\n`);
  const want: string[] = [];
  await compileInputs({ inputs: [input], rules, versioned: false, buckets: 8, concurrency: 1 }, { record: (t) => void want.push(t), warning: () => undefined });
  for (const concurrency of [1, 2]) {
    const copies: Buffer[] = [];
    const memory: ArrayBufferLike[] = [];
    await compileInputs(
      { inputs: [input], rules, versioned: false, buckets: 8, concurrency },
      {
        record: () => {
          throw new Error('records are taken as bytes');
        },
        // the bytes are read only later (as a stream writes them): memory used again before the
        // promise settled would show here as other records' bytes
        recordBytes: async (chunk: Buffer) => {
          memory.push(chunk.buffer);
          await new Promise((resolve) => setImmediate(resolve));
          copies.push(Buffer.from(chunk));
        },
        chunksConsumed: true,
        warning: () => undefined,
      },
    );
    expect(copies.length).toBeGreaterThanOrEqual(8);
    expect(Buffer.concat(copies).toString('utf8')).toBe(`${want.join('\n')}\n`);
    // (one thread: the memory of a chunk written is that of a later one)
    if (concurrency === 1) expect(new Set(memory).size).toBeLessThan(memory.length);
  }
});

test('merge warnings carry the ocid and release id; --warnings lists them all', async () => {
  const dir = tmp();
  const r = await runCli(['compile', releasesFile, '-o', join(dir, 'r.jsonl'), '--warnings', join(dir, 'w.jsonl')]);
  const warnings = lines(readFileSync(join(dir, 'w.jsonl'), 'utf8'));
  expect(warnings.length).toBeGreaterThan(0);
  expect(warnings[0]).toMatchObject({ code: expect.stringMatching(/^MERGE_/), ocid: expect.stringMatching(/^ocds-78apv2-/), releaseId: expect.any(String) });
  expect(r.stderr).toMatch(new RegExp(`${warnings.length} merge warnings`));
});

test('input records that give no release are rejected with their position and reason, never dropped (read = used + rejected)', async () => {
  const dir = tmp();
  const input = join(dir, 'mixed.jsonl');
  const good = readFileSync(releasesFile, 'utf8').split('\n').slice(0, 3);
  const decp = JSON.stringify({ id: '2024-1', acheteur: { id: '21590163800019' }, montant: 1000 });
  const linked = JSON.stringify({ ocid: 'ocds-78apv2-x', releases: [{ url: 'https://example.org/r.json', date: '2024-01-01T00:00:00Z' }] });
  writeFileSync(input, [good[0], '{"ocid":"ocds-78apv2-y","id":"1",', good[1], decp, linked, good[2]].join('\n') + '\n');
  const rejectsFile = join(dir, 'rejects.jsonl');
  const r = await runCli(['compile', input, '-o', join(dir, 'records.jsonl'), '--rejects', rejectsFile]);
  expect(r.code).toBe(0);
  const rejects = lines(readFileSync(rejectsFile, 'utf8'));
  expect(rejects.map((x) => [x['line'], x['code']])).toEqual([
    [2, 'INGEST_RECORD_SYNTAX'],
    [4, 'TRANSFORM_UNSUPPORTED_RECORD'],
    [5, 'TRANSFORM_UNSUPPORTED_RECORD'],
  ]);
  expect(rejects[1]!['reason']).toMatch(/a DECP marche \(convert it first\)/);
  expect(rejects[2]!['reason']).toMatch(/releases are linked \(URLs\), not embedded/);
  // each names its file by its SHA-256 (computed when the first reject needs it, not before reading)
  for (const x of rejects) expect(x['sha256']).toBe(sha256(input));
  expect(r.stderr).toMatch(/^decp-ocds: 3 releases compiled into \d+ records; \d+ merge warnings; 6 input records read, 3 rejected$/m);
  expect(r.stderr).toMatch(/mixed\.jsonl line 2: INGEST_RECORD_SYNTAX/);
  // --max-rejects: more rejects than allowed is exit 1
  const strict = await runCli(['compile', input, '-o', join(dir, 'records2.jsonl'), '--max-rejects', '2']);
  expect(strict.code).toBe(1);
});

test('a release without a usable ocid (none, blank, not a string) is rejected with why, in every input shape: it names no record (in a record, it takes the record\'s)', async () => {
  const dir = tmp();
  const rel = (ocid: unknown, id: string): Record<string, unknown> => ({ ...(ocid === undefined ? {} : { ocid }), id, date: '2024-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender' });
  const input = join(dir, 'ocids.jsonl');
  // JSON Lines (the first two take the unparsed path), a release package, a record package
  const rows = [rel('', 'a'), rel('  ', 'b'), rel(5, 'c'), rel(undefined, 'd'), rel('ocds-78apv2-ok', 'e')].map((r) => JSON.stringify(r));
  rows.push(JSON.stringify({ releases: [rel(undefined, 'f')] }));
  rows.push(JSON.stringify({ records: [{ ocid: 'ocds-78apv2-r', releases: [rel('ocds-78apv2-r', 'g'), rel(null, 'h')] }] }));
  writeFileSync(input, rows.slice(0, 5).join('\n') + '\n');
  writeFileSync(join(dir, 'p1.json'), rows[5]!);
  writeFileSync(join(dir, 'p2.json'), rows[6]!);
  const rejectsFile = join(dir, 'rejects.jsonl');
  const r = await runCli(['compile', input, join(dir, 'p1.json'), join(dir, 'p2.json'), '-o', join(dir, 'records.jsonl'), '--rejects', rejectsFile]);
  expect(r.code).toBe(0);
  // (a record's release whose ocid is null is the record's process: it takes the record's ocid)
  expect(lines(readFileSync(join(dir, 'records.jsonl'), 'utf8')).map((x) => x['ocid'])).toEqual(['ocds-78apv2-ok', 'ocds-78apv2-r']);
  const rejects = lines(readFileSync(rejectsFile, 'utf8'));
  expect(rejects.map((x) => [x['line'], x['code'], x['reason']])).toEqual([
    [1, 'TRANSFORM_NO_ID', 'a release whose ocid ("") is not a non-blank string: no record can be named for it'],
    [2, 'TRANSFORM_NO_ID', 'a release whose ocid ("  ") is not a non-blank string: no record can be named for it'],
    [3, 'TRANSFORM_NO_ID', 'a release whose ocid (5) is not a non-blank string: no record can be named for it'],
    // (its tag list, id and date make it a release, whose ocid is missing)
    [4, 'TRANSFORM_NO_ID', 'a release without an ocid: no record can be named for it'],
    [1, 'TRANSFORM_NO_ID', 'a release without an ocid: no record can be named for it'],
  ]);
  // each names its own file's SHA-256
  expect(rejects.map((x) => x['sha256'])).toEqual([...Array(4).fill(sha256(input)), sha256(join(dir, 'p1.json'))]);
  expect(r.stderr).toMatch(/^decp-ocds: 3 releases compiled into 2 records; \d+ merge warnings; 7 input records read, 5 rejected$/m);
});

test('releases handed over unparsed that do not parse are read again as ingest reads them: repaired, or rejected with their position', async () => {
  const schema = await loadReleaseSchema();
  const rules = mergeRulesFromSchema(schema.schema);
  const dir = tmp();
  const rel = (k: number, x: string): string => JSON.stringify({ ocid: `ocds-78apv2-t${k % 2}`, id: `r${k}`, date: `2024-01-0${k + 1}T00:00:00Z`, tag: ['tender'], tender: { id: 't', title: x, value: { amount: 1 } } });
  const lines = [
    rel(0, 'a'),
    rel(1, 'b'),
    rel(2, 'x').replace('"x"', '"\\p"'), // does not parse: rejected
    'not json',
    rel(3, 'x').replace('"x"', '"c\td"'), // a raw tab: repaired
    rel(4, 'x').replace('"x"', 'NaN').replace('"amount":1', '"amount":1e400'), // repaired; 1e400 stays past the range (1e999), left out by the merge
    rel(5, 'e'),
    rel(7, 'x').replace('"x"', '"\\q"'), // does not parse: rejected
  ];
  const input = join(dir, 'broken.jsonl');
  writeFileSync(input, `${lines.join('\n')}\n`);
  // asBytes: a sink that takes the records as bytes (releases copied from the buckets, repaired ones written again)
  const run = async (releaseText: boolean, concurrency: number, asBytes = false): Promise<{ records: string[]; rejects: RejectedRecord[]; counts: Record<string, unknown>; warnings: CompileWarning[] }> => {
    const records: string[] = [];
    const chunks: Buffer[] = [];
    const rejects: RejectedRecord[] = [];
    const warnings: CompileWarning[] = [];
    const counts = await compileInputs(
      { inputs: [input], rules, versioned: true, concurrency, buckets: 2, releaseText },
      { record: (t) => void records.push(t), ...(asBytes ? { recordBytes: (b: Buffer) => void chunks.push(Buffer.from(b)) } : {}), warning: (w) => void warnings.push(w), reject: (r) => void rejects.push(r) },
    );
    if (asBytes) {
      expect(records).toEqual([]);
      const text = Buffer.concat(chunks).toString('utf8');
      expect(text.endsWith('\n')).toBe(true);
      records.push(...text.slice(0, -1).split('\n'));
    }
    return { records, rejects, counts: { ...counts }, warnings };
  };
  // the reference: every release parsed in the first pass
  const want = await run(false, 1);
  // what the repairs changed is said, with where (a record changed while read is never silent)
  const inputOnly = (list: CompileWarning[]): CompileWarning[] => list.filter((w) => w.code.startsWith('INGEST_')).sort((a, b) => ('line' in a && 'line' in b ? a.line - b.line : 0));
  expect(inputOnly(want.warnings).map((w) => ['line' in w ? w.line : 0, w.code, w.ocid, w.releaseId, w.message])).toEqual([
    [5, 'INGEST_JSON_REPAIRED', 'ocds-78apv2-t1', 'r3', 'not valid JSON, repaired: 1 raw control character(s) inside strings escaped'],
    [6, 'INGEST_JSON_REPAIRED', 'ocds-78apv2-t0', 'r4', 'not valid JSON, repaired: 1 NaN/Infinity value(s) read as null'],
  ]);
  expect(want.counts['inputWarnings']).toBe(2);
  // (a junk line is the splitter's: rejected in the first pass either way)
  expect(want.rejects.filter((r) => r.provenance.line !== 4).map((r) => [r.provenance.line, r.code])).toEqual([
    [3, 'INGEST_RECORD_SYNTAX'],
    [8, 'INGEST_RECORD_SYNTAX'],
  ]);
  expect(want.counts).toMatchObject({ rejected: want.rejects.length, releases: 5, records: 2 });
  expect(want.counts['read']).toBe(5 + want.rejects.length);
  const byPosition = (list: RejectedRecord[]): RejectedRecord[] => [...list].sort((a, b) => a.provenance.index - b.provenance.index);
  const orders: number[][] = [];
  for (const [concurrency, asBytes] of [[1, false], [2, false], [1, true], [2, true]] as const) {
    const got = await run(true, concurrency, asBytes);
    // the same records, byte for byte; the same rejects (those found when a bucket is compiled come after the first pass's),
    // but that those found in a bucket name the ocid their line was filed under (the first pass, which parses the
    // line, read none of it)
    expect(got.records).toEqual(want.records);
    expect(byPosition(got.rejects).map(({ ocid: _ocid, ...r }) => r)).toEqual(want.rejects);
    expect(byPosition(got.rejects).map((r) => [r.provenance.line, r.ocid])).toEqual([[3, 'ocds-78apv2-t0'], [4, undefined], [8, 'ocds-78apv2-t1']]);
    // (those found when a bucket is compiled, in a worker thread or not, name their file's SHA-256 too)
    for (const r of got.rejects) expect(r.provenance.sha256).toBe(sha256(input));
    expect(got.counts).toEqual(want.counts);
    expect(inputOnly(got.warnings)).toEqual(inputOnly(want.warnings));
    orders.push(got.rejects.map((r) => r.provenance.index));
  }
  // deterministic: the same order with worker threads as in one thread
  for (const order of orders.slice(1)) expect(order).toEqual(orders[0]);
});

test('rejects found when the buckets are compiled name their own file by its SHA-256, with several inputs, in one thread or more', async () => {
  const rules = mergeRulesFromSchema((await loadReleaseSchema()).schema);
  const dir = tmp();
  // lines of the pipeline's layout, handed over unparsed; the second of each file does not parse (found in its bucket)
  const rel = (f: string, k: number, title: string): string => JSON.stringify({ ocid: `ocds-78apv2-${f}${k}`, id: `${f}${k}`, date: '2024-01-01T00:00:00Z', tag: ['tender'], tender: { id: 't', title } }).replace('"bad"', '"\\p"');
  const paths = ['a', 'b', 'c'].map((f) => {
    const path = join(dir, `${f}.jsonl`);
    writeFileSync(path, `${rel(f, 1, 'ok')}\n${rel(f, 2, 'bad')}\n${rel(f, 3, 'ok')}\n`);
    return path;
  });
  for (const concurrency of [1, 2]) {
    const rejects: RejectedRecord[] = [];
    const counts = await compileInputs({ inputs: paths, rules, versioned: false, concurrency, buckets: 3 }, { record: () => undefined, warning: () => undefined, reject: (r) => void rejects.push(r) });
    expect(counts).toMatchObject({ read: 9, releases: 6, rejected: 3, records: 6 });
    expect(rejects.map((r) => [r.provenance.file, r.provenance.line, r.code, r.provenance.sha256]).sort()).toEqual(paths.map((p) => [p, 2, 'INGEST_RECORD_SYNTAX', sha256(p)]));
  }
});

test('a JSON Lines line that only looks whole (a brace too many) is rejected whole, with its line, never dropped', async () => {
  const rules = mergeRulesFromSchema((await loadReleaseSchema()).schema);
  const dir = tmp();
  const rel = (k: number): string => JSON.stringify({ ocid: 'ocds-78apv2-b', id: `r${k}`, date: `2024-01-0${k + 1}T00:00:00Z`, tag: ['tender'], tender: { id: 't', title: `t${k}` } });
  const input = join(dir, 'brace.jsonl');
  writeFileSync(input, `${rel(0)}\n${rel(1)}}\n${rel(2)}\n`);
  for (const concurrency of [1, 2]) {
    const records: string[] = [];
    const rejects: RejectedRecord[] = [];
    const counts = await compileInputs({ inputs: [input], rules, versioned: false, concurrency, buckets: 2 }, { record: (t) => void records.push(t), warning: () => undefined, reject: (r) => void rejects.push(r) });
    expect(rejects.map((r) => [r.provenance.line, r.code])).toEqual([[2, 'INGEST_RECORD_SYNTAX']]);
    expect(rejects[0]!.reason).toMatch(/line 2/);
    expect(counts).toMatchObject({ read: 3, releases: 2, rejected: 1, records: 1 });
    expect((JSON.parse(records[0]!) as { releases: Array<{ id: string }> }).releases.map((r) => r.id)).toEqual(['r0', 'r2']);
  }
});

test("a compiled release keeps the record's raw values and the quality flags of every release (a modification's are its own)", async () => {
  const dir = tmp();
  const decp = join(dir, 'decp.json');
  const marche = {
    id: '2024-1', acheteur: { id: '21590163800019' }, nature: 'Marché', objet: 'x', codeCPV: '45000000', procedure: 'Procédure adaptée',
    dureeMois: 12, dateNotification: '2024-01-10', datePublicationDonnees: '2024-01-12', montant: 1000,
    titulaires: [{ titulaire: { id: '12345678901234', typeIdentifiant: 'SIRET' } }],
    // dated before the notification: its release date is raised, and flagged on the modification's release
    modifications: [{ modification: { id: 1, montant: 2000, dureeMois: 18, dateNotificationModification: '2024-03-01', datePublicationDonneesModification: '2023-03-02' } }],
  };
  writeFileSync(decp, JSON.stringify({ marches: { marche: [marche] } }));
  const releases = join(dir, 'releases.jsonl');
  expect((await runCli(['convert', decp, '-o', releases])).code).toBe(0);
  const rels = lines(readFileSync(releases, 'utf8'));
  expect(rels[1]!['x_decp']).toMatchObject({ modification: { id: '1', position: 0, montant: 2000, dureeMois: 18 } });
  const r = await runCli(['compile', releases, '-o', join(dir, 'records.jsonl')]);
  expect(r.code).toBe(0);
  const compiled = lines(readFileSync(join(dir, 'records.jsonl'), 'utf8'))[0]!['compiledRelease'] as Record<string, Record<string, unknown>>;
  const x = compiled['x_decp']!;
  // the record's own montant and dureeMois; the modification's raw values stay in its release
  expect(x).toMatchObject({ montant: 1000, dureeMois: 12 });
  expect(x['modification']).toBeUndefined();
  // the flags of both releases (the initial's, the modification's RELEASE_DATE_RAISED)
  expect((x['qualityFlags'] as Array<{ id: string; code: string }>).map((f) => [f.id, f.code])).toEqual([
    [expect.stringMatching(/-v0\.1$/), 'SIRET_LUHN'],
    [expect.stringMatching(/-v0\.2$/), 'RELEASE_DATE_AFTER_AMENDMENTS'],
    [expect.stringMatching(/-m1\.1$/), 'RELEASE_DATE_RAISED'],
  ]);
  // the contract is the one after the modification
  expect((compiled['contracts'] as unknown as Array<{ value: { amount: number } }>)[0]!.value.amount).toBe(2000);
});

test("a record lists its releases in date order (OCDS asks for it), whatever the input's order", async () => {
  const check = (records: J[]): number => {
    let multi = 0;
    for (const rec of records) {
      const dates = (rec['releases'] as J[]).map((r) => String(r['date']));
      if (dates.length > 1) multi++;
      expect(dates).toEqual([...dates].sort());
    }
    return multi;
  };
  const out = join(tmp(), 'records.jsonl');
  expect((await runCli(['compile', releasesFile, '-o', out, '--quiet'])).code).toBe(0);
  expect(check(lines(readFileSync(out, 'utf8')))).toBeGreaterThan(200);
  // DNCP's process 284182 in five files, read award, tender, planning, contract…
  const dncp = join(tmp(), 'dncp.jsonl');
  expect((await runCli(['compile', join(SHARED, 'partners/paraguay-dncp/releases-284182'), '-o', dncp, '--quiet'])).code).toBe(0);
  expect(check(lines(readFileSync(dncp, 'utf8')))).toBe(1);
});

test("x_decp's merge rule (a modification's supplier list replaces the last) applies to the processes that use x_decp, never to a partner's", async () => {
  const partner = [
    { ocid: 'ocds-x-1', id: '1', date: '2020-01-01T00:00:00Z', tag: ['contract'], contracts: [{ id: 'c1', suppliers: [{ id: 's1', name: 'A' }, { id: 's2', name: 'B' }] }] },
    { ocid: 'ocds-x-1', id: '2', date: '2020-02-01T00:00:00Z', tag: ['contractAmendment'], contracts: [{ id: 'c1', suppliers: [{ id: 's2', name: 'B' }] }] },
  ];
  const decp = partner.map((r) => ({ ...r, ocid: 'ocds-78apv2-1', x_decp: { recordType: 'marche' } }));
  const file = join(tmp(), 'mixed.jsonl');
  writeFileSync(file, [...partner, ...decp].map((r) => JSON.stringify(r)).join('\n') + '\n');
  for (const concurrency of ['1', '2']) {
    const r = await runCli(['compile', file, '--quiet', '--concurrency', concurrency]);
    const suppliers = Object.fromEntries(lines(r.stdout).map((rec) => [rec['ocid'], (((rec['compiledRelease'] as J)['contracts'] as J[])[0]!['suppliers'] as J[]).map((s) => s['id'])]));
    // OCDS 1.1: an array of objects with ids is merged by id; DECP: the modification's list replaces it
    expect(suppliers).toEqual({ 'ocds-x-1': ['s1', 's2'], 'ocds-78apv2-1': ['s2'] });
  }
  // a schema given is followed for all
  const given = await runCli(['compile', file, '--quiet', '--schema', join(SHARED, 'ocds/1.1.5/release-schema.json')]);
  expect(lines(given.stdout).map((rec) => (((rec['compiledRelease'] as J)['contracts'] as J[])[0]!['suppliers'] as J[]).length)).toEqual([2, 2]);
});

test('a release id given twice by a record and its republication: the later publication\'s is used, whatever the order read (as run keeps it)', async () => {
  const dir = tmp();
  // the AWS sample: 201809101 (one modification, published later) before 201809100 (none) in the file
  const v0 = (index: number, place: string): J => ({ ocid: 'ocds-78apv2-1-2018091', id: 'ocds-78apv2-1-2018091-k-v0', date: '2018-09-10T00:00:00+02:00', tag: ['award', 'contract'], awards: [{ id: 'k', description: place }], x_decp: { sourceSha256: 'aws', sourceIndex: index } });
  // (as convert writes it: a modification's release names no source record; it follows its record's first)
  const m1: J = { ocid: 'ocds-78apv2-1-2018091', id: 'ocds-78apv2-1-2018091-k-m1', date: '2019-01-15T00:00:00+01:00', tag: ['contractAmendment'], contracts: [{ id: 'k', awardID: 'k', value: { amount: 5 } }], x_decp: { modification: { id: null, position: 0 } } };
  writeFileSync(join(dir, 'aws.jsonl'), [v0(3517, 'republished'), m1, v0(3527, 'first publication')].map((x) => JSON.stringify(x)).join('\n'));
  // parsed in the first pass or handed over as text (a file's first line is always parsed), in one thread or two
  writeFileSync(join(dir, 'head.jsonl'), `${JSON.stringify({ ...m1, ocid: 'ocds-78apv2-other', id: 'x' })}\n${readFileSync(join(dir, 'aws.jsonl'), 'utf8')}`);
  for (const order of [['aws.jsonl'], ['head.jsonl'], ['aws.jsonl', '--concurrency', '2']]) {
    const r = await runCli(['compile', ...order.map((f) => (f.endsWith('.jsonl') ? join(dir, f) : f)), '--quiet']);
    const rec = lines(r.stdout).find((x) => x['ocid'] === 'ocds-78apv2-1-2018091');
    expect(((rec!['compiledRelease'] as J)['awards'] as J[])[0]!['description']).toBe('republished');
    expect((rec!['releases'] as J[]).map((x) => x['id'])).toEqual(['ocds-78apv2-1-2018091-k-v0', 'ocds-78apv2-1-2018091-k-m1']);
  }
});

test('a release id that is a number (a publisher numbers its releases) given twice is used once, as run keys it (String(id)); warnings name it', async () => {
  const dir = tmp();
  const rel = (id: number | string, amount: number, date = '2016-06-30T09:49:59Z'): J => ({ ocid: 'ocds-k50g02-1', id, date, tag: ['contract'], awards: [{ id: 4817054, value: { amount, currency: 'COP' } }] });
  writeFileSync(join(dir, 'rel.jsonl'), [rel(58125, 1), rel(58125, 2), rel('58125', 3), rel(58126, 4)].map((x) => JSON.stringify(x)).join('\n'));
  const r = await runCli(['compile', join(dir, 'rel.jsonl'), '--warnings', join(dir, 'w.jsonl')]);
  expect(r.code).toBe(0);
  const [rec] = lines(r.stdout);
  expect((rec!['releases'] as J[]).map((x) => [x['id'], ((x['awards'] as J[])[0]!['value'] as J)['amount']])).toEqual([['58125', 3], [58126, 4]]);
  const warned = lines(readFileSync(join(dir, 'w.jsonl'), 'utf8'));
  expect(warned.filter((w) => w['code'] === 'MERGE_DUPLICATE_RELEASE').map((w) => w['releaseId'])).toEqual(['58125', '58125']);
  // (a same-date warning names the release by its number, not "no id")
  expect(warned.filter((w) => w['code'] === 'MERGE_SAME_DATE').map((w) => w['releaseId'])).toEqual(['58126']);
});

test("a partner's release id given twice with other dates: the later date is used whatever the input order, and the summary counts the one left out (found by a robustness probe)", async () => {
  const dir = tmp();
  const rel = (id: string, date: string, title: string): string => JSON.stringify({ ocid: 'o1', id, date, tag: ['tender'], tender: { title } });
  const rows = [rel('a', '2020-01-05T00:00:00Z', 'late'), rel('a', '2020-01-01T00:00:00Z', 'early'), rel('b', '2020-01-03T00:00:00Z', 'b')];
  writeFileSync(join(dir, 'in.jsonl'), `${rows.join('\n')}\n`);
  writeFileSync(join(dir, 'rev.jsonl'), `${[...rows].reverse().join('\n')}\n`);
  const outs: string[] = [];
  for (const f of ['in.jsonl', 'rev.jsonl']) {
    const r = await runCli(['compile', join(dir, f)]);
    expect(r.code).toBe(0);
    const [rec] = lines(r.stdout);
    expect((rec!['compiledRelease'] as J)['tender']).toEqual({ title: 'late' });
    expect((rec!['releases'] as J[]).map((x) => x['id'])).toEqual(['b', 'a']);
    expect(r.stderr).toMatch(/^decp-ocds: 3 releases \(1 of them a release id given again for its ocid: left out, one of each id used, MERGE_DUPLICATE_RELEASE\) compiled into 1 records; 1 merge warnings; 3 input records read, 0 rejected$/m);
    outs.push(r.stdout);
  }
  expect(outs[1]).toBe(outs[0]);
});

test('a record embedding a release of another ocid: the release is compiled in the record of its own ocid, said with the record\'s (found by a robustness probe: it moved without a word)', async () => {
  const dir = tmp();
  const release = { ocid: 'ocds-abc123-B', id: 'r1', date: '2020-01-01T00:00:00Z', tag: ['tender'], tender: { title: 'B in A' } };
  writeFileSync(join(dir, 'rec.json'), JSON.stringify({ uri: 'u', records: [{ ocid: 'ocds-abc123-A', releases: [release] }] }));
  const r = await runCli(['compile', join(dir, 'rec.json'), '--warnings', join(dir, 'w.jsonl')]);
  expect(r.code).toBe(0);
  expect(lines(r.stdout).map((x) => x['ocid'])).toEqual(['ocds-abc123-B']);
  expect(lines(readFileSync(join(dir, 'w.jsonl'), 'utf8'))).toEqual([
    { code: 'TRANSFORM_RECORD_OCID_MISMATCH', path: 'ocid', releaseId: 'r1', message: 'a release embedded in the record of "ocds-abc123-A" has the ocid "ocds-abc123-B": it is compiled in the record of its own ocid', file: join(dir, 'rec.json'), line: 1, ocid: 'ocds-abc123-B' },
  ]);
});

test('a number past the range of a double in a release read whole (a package\'s, a file\'s first line) is left out and said, as on a later line: not written as null, which removed the earlier value (found by a robustness probe)', async () => {
  const dir = tmp();
  const rel = (id: string, date: string, amount: string): string => `{"ocid":"o","id":"${id}","date":"${date}","tag":["tender"],"tender":{"id":"t","value":{"amount":${amount}}}}`;
  writeFileSync(join(dir, 'pkg.json'), `{"uri":"u","releases":[${rel('a', '2020-01-01T00:00:00Z', '5')},${rel('b', '2020-02-01T00:00:00Z', '-1e400')}]}`);
  writeFileSync(join(dir, 'first.jsonl'), `${rel('b', '2020-02-01T00:00:00Z', '1e400')}\n${rel('a', '2020-01-01T00:00:00Z', '5')}\n`);
  for (const f of ['pkg.json', 'first.jsonl']) {
    const r = await runCli(['compile', join(dir, f), '--warnings', join(dir, 'w.jsonl')]);
    expect(r.code).toBe(0);
    const [rec] = lines(r.stdout);
    expect([f, (rec!['compiledRelease'] as J)['tender']]).toEqual([f, { id: 't', value: { amount: 5 } }]);
    expect(lines(readFileSync(join(dir, 'w.jsonl'), 'utf8')).map((w) => [w['code'], w['releaseId'], w['path']])).toEqual([['MERGE_NUMBER_OUT_OF_RANGE', 'b', 'tender.value.amount']]);
  }
  // convert writes it as a number past the range too (1e999), which compile then reads as such
  const c = await runCli(['convert', join(dir, 'pkg.json')]);
  expect(c.stdout).toContain('"amount":-1e999');
  expect(jsonKeepingRange({ a: [1, Infinity, { b: -Infinity, c: null }], s: 'null' })).toBe('{"a":[1,1e999,{"b":-1e999,"c":null}],"s":"null"}');
  expect(jsonKeepingRange({ a: null, b: [2] })).toBe('{"a":null,"b":[2]}');
});

test('a release id given twice for one ocid (the same record in two feeds) is used once, its last version, with a warning', async () => {
  const dir = tmp();
  const rel = (feed: string, amount: number): J => ({ ocid: 'ocds-78apv2-1', id: 'ocds-78apv2-1-k-v0', date: '2020-01-01T00:00:00Z', tag: ['award'], awards: [{ id: 'k', value: { amount } }], x_decp: { sourceFile: feed } });
  writeFileSync(join(dir, 'aws.jsonl'), `${JSON.stringify(rel('aws', 1))}\n`);
  writeFileSync(join(dir, 'pes.jsonl'), `${JSON.stringify(rel('pes', 2))}\n`);
  const r = await runCli(['compile', join(dir, 'aws.jsonl'), join(dir, 'pes.jsonl'), '--warnings', join(dir, 'w.jsonl'), '--versioned']);
  expect(r.code).toBe(0);
  const [rec] = lines(r.stdout);
  expect((rec!['releases'] as J[]).map((x) => (x['x_decp'] as J)['sourceFile'])).toEqual(['pes']);
  expect(((rec!['compiledRelease'] as J)['awards'] as J[])[0]!['value']).toEqual({ amount: 2 });
  expect(lines(readFileSync(join(dir, 'w.jsonl'), 'utf8'))).toEqual([expect.objectContaining({ code: 'MERGE_DUPLICATE_RELEASE', ocid: 'ocds-78apv2-1', releaseId: 'ocds-78apv2-1-k-v0' })]);
  // on the samples: the AWS and PES feeds share records; every record lists each release id once
  const out = join(dir, 'samples.jsonl');
  expect((await runCli(['compile', releasesFile, '-o', out, '--quiet'])).code).toBe(0);
  for (const x of lines(readFileSync(out, 'utf8'))) {
    const ids = (x['releases'] as J[]).map((y) => y['id']);
    expect(new Set(ids).size).toBe(ids.length);
  }
});

test('what reading a release changed is a warning with its file and line; a number past the range of a double is left out of the compiled release, said', async () => {
  const dir = tmp();
  const file = join(dir, 'odd.jsonl');
  const base = { date: '2020-01-01T00:00:00Z', tag: ['tender'] };
  writeFileSync(
    file,
    [
      JSON.stringify({ ocid: 'ocds-x-1', id: '1', ...base, tender: { id: 't', value: { amount: 1 } } }),
      // a number too large for a double
      '{"ocid":"ocds-x-1","id":"2","date":"2020-02-01T00:00:00Z","tag":["tender"],"tender":{"id":"t","value":{"amount":1e400}}}',
      // a 20-digit integer (kept as a string), a key that could reach a prototype (dropped)
      '{"ocid":"ocds-x-2","id":"3","date":"2020-01-01T00:00:00Z","tag":["tender"],"planning":{"budget":{"id":12345678901234567890}},"__proto__":{"x":1}}',
    ].join('\n') + '\n',
  );
  const r = await runCli(['compile', file, '--warnings', join(dir, 'w.jsonl'), '-o', join(dir, 'out.jsonl')]);
  expect(r.code).toBe(0);
  const warned = lines(readFileSync(join(dir, 'w.jsonl'), 'utf8'));
  expect(warned.map((w) => [w['code'], w['line'] ?? null, w['ocid'], w['releaseId'], w['path']])).toEqual([
    ['INGEST_LONG_NUMBER_AS_STRING', 3, 'ocds-x-2', '3', 'planning.budget.id'],
    ['INGEST_FORBIDDEN_KEY', 3, 'ocds-x-2', '3', '__proto__'],
    ['MERGE_NUMBER_OUT_OF_RANGE', null, 'ocds-x-1', '2', 'tender.value.amount'],
  ]);
  expect(r.stderr).toMatch(/odd\.jsonl line 3 \(ocds-x-2 3\): INGEST_LONG_NUMBER_AS_STRING/);
  expect(r.stderr).toMatch(/^decp-ocds: 3 releases compiled into 2 records; 1 merge warnings \(and 2 about input records changed while read\); 3 input records read, 0 rejected$/m);
  const [one, two] = lines(readFileSync(join(dir, 'out.jsonl'), 'utf8')).map((x) => x['compiledRelease'] as J);
  // the earlier amount stays: the out-of-range one is neither written as null (which would remove it) nor as Infinity
  expect((one!['tender'] as J)['value']).toEqual({ amount: 1 });
  expect(((two!['planning'] as J)['budget'] as J)['id']).toBe('12345678901234567890');
  expect(Object.keys(two!)).not.toContain('x');
});

test('a package that declares an extension this tool does not bundle (lots): said, with what to do; ours (bid) are not', async () => {
  const dir = tmp();
  const release = (id: string, date: string, classes: string[]): J => ({ ocid: 'ocds-03ad3f-L1', id, date, tag: ['tender'], tender: { id: 't', lots: [{ id: 'L1', additionalClassifications: classes.map((c) => ({ scheme: 'UNSPSC', id: c })) }] } });
  const pkg = { version: '1.1', publisher: { name: 'T' }, extensions: ['https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json', 'https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json'], releases: [release('r1', '2024-01-05T10:00:00-03:00', ['1', '2']), release('r2', '2024-02-05T10:00:00-03:00', ['3'])] };
  writeFileSync(join(dir, 'lots.json'), JSON.stringify(pkg));
  const r = await runCli(['compile', join(dir, 'lots.json')]);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/declares the extension https:\/\/raw\.githubusercontent\.com\/open-contracting-extensions\/ocds_lots_extension\/master\/extension\.json, which is not one of this tool's .*--extension FILE/);
  expect(r.stderr).not.toMatch(/ocds_bid_extension/);
});

test('compile says a file\'s own issues, as convert and run do: a file without data beside others; an empty stdin alone is nothing to read (exit 3)', async () => {
  const empty = await runCli(['compile']);
  expect([empty.code, empty.stdout]).toEqual([3, '']);
  expect(empty.stderr).toMatch(/^decp-ocds: INGEST_EMPTY: the inputs hold nothing to read \(stdin\)/);
  const dir = tempDir('compile-issues-');
  writeFileSync(join(dir, 'empty.json'), '');
  writeFileSync(join(dir, 'none.json'), '{"releases":[]}');
  const r = await runCli(['compile', join(dir, 'empty.json'), join(dir, 'none.json')]);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`${join(dir, 'empty.json')}: INGEST_FILE_SYNTAX: the file holds no data`);
});

test('a --schema given is checked as validate checks it; ours is read for its merge rules only, and gives the same records as when given', async () => {
  const dir = tmp();
  // one that is no release schema, and one that no validator can be made of (a type that is no type)
  const notRelease = join(dir, 'not-release.json');
  writeFileSync(notRelease, JSON.stringify({ properties: { uri: { type: 'string' } } }));
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, JSON.stringify({ properties: { ocid: { type: 'string' }, id: { type: 'string' }, date: { type: 'string' }, tag: { type: 'array' }, awards: { type: 5 } } }));
  for (const [schema, message] of [
    [notRelease, /^decp-ocds: VALIDATE_SCHEMA_LOAD: .*not-release\.json is not an OCDS release schema: its properties lack ocid, id, date, tag/m],
    [broken, /^decp-ocds: VALIDATE_SCHEMA_LOAD: /m],
  ] as const) {
    const r = await runCli(['compile', releasesFile, '-o', join(dir, 'never.jsonl'), '--quiet', '--schema', schema]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
  // ours, not compiled into a validator, against ours given whole (the same schema and extensions, compiled)
  const ours = await loadReleaseSchema();
  const given = join(dir, 'ours.json');
  writeFileSync(given, JSON.stringify(ours.schema));
  const a = await runCli(['compile', releasesFile, '-o', join(dir, 'a.jsonl'), '--quiet']);
  const b = await runCli(['compile', releasesFile, '-o', join(dir, 'b.jsonl'), '--quiet', '--schema', given]);
  expect([a.code, b.code]).toEqual([0, 0]);
  expect(readFileSync(join(dir, 'a.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'b.jsonl'), 'utf8'));
});

test('a compiled release left out beside the releases of its ocid does not choose the merge rules: a versionless (1.0) record package\'s compiledRelease beside 1.1 releases merges them as 1.1, as run does (found by a probe: compile dropped a supplier)', async () => {
  const dir = tmp();
  const compiled = { ocid: 'ocds-abc123-mv', id: 'ocds-abc123-mv-compiled', date: '2024-01-02T00:00:00Z', tag: ['compiled'], awards: [{ id: 'a1', suppliers: [{ id: 'S1', name: 'One' }, { id: 'S2', name: 'Two' }] }] };
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ uri: 'https://example.org/rp/1.json', publishedDate: '2024-03-01T00:00:00Z', publisher: { name: 'P' }, records: [{ ocid: 'ocds-abc123-mv', releases: [{ url: 'https://example.org/r1.json', date: '2024-01-01T00:00:00Z', tag: ['award'] }], compiledRelease: compiled }] }));
  const rel = (id: string, date: string, supplier: string): string => JSON.stringify({ ocid: 'ocds-abc123-mv', id, date, tag: ['award'], initiationType: 'tender', awards: [{ id: 'a1', suppliers: [{ id: supplier }] }] });
  writeFileSync(join(dir, 'b.jsonl'), `${rel('r1', '2024-01-01T00:00:00Z', 'S1')}\n${rel('r2', '2024-01-02T00:00:00Z', 'S2')}\n`);
  for (const extra of [[], ['--concurrency', '2']]) {
    const r = await runCli(['compile', join(dir, 'a.json'), join(dir, 'b.jsonl'), '--quiet', ...extra]);
    expect(r.code).toBe(0);
    const [rec] = lines(r.stdout);
    expect(((rec!['compiledRelease'] as J)['awards'] as J[])[0]!['suppliers']).toEqual([{ id: 'S1' }, { id: 'S2' }]);
  }
});

// a publisher of record packages whose releases are linked (DNCP, Mexico City) gives a process's
// compiledRelease one day, its next release later: the compiled release was left out as one given beside
// its releases, and the record kept the later release only (found by a probe: no award, no supplier)
test('a compiled release dated before every other release of its ocid is the state they start from: merged first, they onto it, said (MERGE_COMPILED_BASE); one dated at or after one of them is still left out', async () => {
  const dir = tmp();
  const snapshot = { ocid: 'ocds-abc123-snap', id: 'ocds-abc123-snap-2020-01-01T00:00:00Z', date: '2020-01-01T00:00:00Z', tag: ['compiled'], awards: [{ id: 'a1', status: 'active', value: { amount: 100, currency: 'EUR' }, suppliers: [{ id: 'S1', name: 'One' }, { id: 'S2', name: 'Two' }] }] };
  writeFileSync(join(dir, 'day1.json'), JSON.stringify({ uri: 'https://example.org/rp/1', version: '1.1', publishedDate: '2020-01-01T00:00:00Z', publisher: { name: 'P' }, records: [{ ocid: 'ocds-abc123-snap', releases: [{ url: 'https://example.org/r/1', date: '2020-01-01T00:00:00Z', tag: ['award'] }], compiledRelease: snapshot }] }));
  const contract = { ocid: 'ocds-abc123-snap', id: 'r3', date: '2020-03-01T00:00:00Z', tag: ['contract'], contracts: [{ id: 'c1', awardID: 'a1', status: 'active', value: { amount: 90, currency: 'EUR' } }] };
  writeFileSync(join(dir, 'day3.json'), JSON.stringify({ uri: 'https://example.org/p/3', version: '1.1', publishedDate: '2020-03-01T00:00:00Z', publisher: { name: 'P' }, releases: [contract] }));
  for (const order of [['day1.json', 'day3.json'], ['day3.json', 'day1.json']]) {
    const warnings = join(dir, 'warnings.jsonl');
    const r = await runCli(['compile', ...order.map((f) => join(dir, f)), '--warnings', warnings]);
    expect(r.code).toBe(0);
    const [rec] = lines(r.stdout);
    expect((rec!['releases'] as J[]).map((x) => x['id'])).toEqual(['ocds-abc123-snap-2020-01-01T00:00:00Z', 'r3']);
    const compiled = rec!['compiledRelease'] as J;
    expect(compiled).toMatchObject({ id: 'ocds-abc123-snap-2020-03-01T00:00:00Z', date: '2020-03-01T00:00:00Z', awards: snapshot.awards, contracts: contract.contracts });
    const warned = lines(readFileSync(warnings, 'utf8'));
    expect(warned.filter((w) => String(w['code']).startsWith('MERGE_')).map((w) => [w['code'], w['releaseId']])).toEqual([['MERGE_COMPILED_BASE', 'ocds-abc123-snap-2020-01-01T00:00:00Z']]);
    expect(r.stderr).toMatch(/^decp-ocds: 2 releases compiled into 1 records; 1 merge warnings;/m);
  }
  // a release of the history dated at (or before) the compiled release: it is what they merge into, left out
  const same = join(dir, 'same-day.jsonl');
  writeFileSync(same, `${JSON.stringify({ ...contract, id: 'r1', date: '2020-01-01T00:00:00Z' })}\n`);
  const r = await runCli(['compile', join(dir, 'day1.json'), same, join(dir, 'day3.json'), '--warnings', join(dir, 'w2.jsonl')]);
  const [rec] = lines(r.stdout);
  expect((rec!['releases'] as J[]).map((x) => x['id'])).toEqual(['r1', 'r3']);
  expect((rec!['compiledRelease'] as J)['awards']).toBeUndefined();
  expect(lines(readFileSync(join(dir, 'w2.jsonl'), 'utf8')).filter((w) => String(w['code']).startsWith('MERGE_COMPILED')).map((w) => w['code'])).toEqual(['MERGE_COMPILED_RELEASE']);
});

// two days' record packages of one process, its releases linked: their compiled releases (ids
// `<ocid>-<date>`) were merged by identifier as if they were changes, and a supplier the later one
// removed came back (found by a probe)
test('of several compiled releases of one ocid the latest is the state: an earlier one is left out, said (MERGE_COMPILED_RELEASE); the latest then starts the releases dated after it', async () => {
  const dir = tmp();
  const award = (amount: number, suppliers: string[]): J[] => [{ id: 'a1', status: 'active', value: { amount, currency: 'EUR' }, suppliers: suppliers.map((id) => ({ id, name: id })) }];
  const day = (n: number, date: string, awards: J[]): string => {
    const file = join(dir, `day${n}.json`);
    const compiledRelease = { ocid: 'ocds-abc123-snap', id: `ocds-abc123-snap-${date}`, date, tag: ['compiled'], awards };
    writeFileSync(file, JSON.stringify({ uri: `https://example.org/rp/${n}`, version: '1.1', publishedDate: date, publisher: { name: 'P' }, records: [{ ocid: 'ocds-abc123-snap', releases: [{ url: 'https://example.org/r/1', date: '2020-01-01T00:00:00Z', tag: ['award'] }], compiledRelease }] }));
    return file;
  };
  const day1 = day(1, '2020-01-01T00:00:00Z', award(100, ['S1', 'S2']));
  const day2 = day(2, '2020-02-01T00:00:00Z', award(90, ['S1']));
  const day3 = join(dir, 'day3.jsonl');
  writeFileSync(day3, `${JSON.stringify({ ocid: 'ocds-abc123-snap', id: 'r3', date: '2020-03-01T00:00:00Z', tag: ['contract'], contracts: [{ id: 'c1', awardID: 'a1' }] })}\n`);
  for (const inputs of [[day1, day2], [day2, day1]]) {
    const warnings = join(dir, 'warnings.jsonl');
    const r = await runCli(['compile', ...inputs, '--warnings', warnings]);
    expect(r.code).toBe(0);
    const [rec] = lines(r.stdout);
    expect((rec!['releases'] as J[]).map((x) => x['id'])).toEqual(['ocds-abc123-snap-2020-02-01T00:00:00Z']);
    expect((rec!['compiledRelease'] as J)['awards']).toEqual(award(90, ['S1']));
    const said = lines(readFileSync(warnings, 'utf8')).filter((w) => String(w['code']).startsWith('MERGE_'));
    expect(said.map((w) => [w['code'], w['releaseId']])).toEqual([['MERGE_COMPILED_RELEASE', 'ocds-abc123-snap-2020-01-01T00:00:00Z']]);
    expect(said[0]!['message']).toMatch(/a later compiled release of its ocid replaces/);
    expect(r.stderr).toMatch(/^decp-ocds: 2 releases \(1 of them compiled releases given beside releases of their ocid: left out of its record, MERGE_COMPILED_RELEASE\) compiled into 1 records/m);
  }
  // with a later release: the latest compiled release is its start, the earlier one still left out
  const w3 = join(dir, 'w3.jsonl');
  const r = await runCli(['compile', day3, day2, day1, '--warnings', w3]);
  const [rec] = lines(r.stdout);
  expect((rec!['releases'] as J[]).map((x) => x['id'])).toEqual(['ocds-abc123-snap-2020-02-01T00:00:00Z', 'r3']);
  expect(rec!['compiledRelease']).toMatchObject({ awards: award(90, ['S1']), contracts: [{ id: 'c1', awardID: 'a1' }] });
  expect(lines(readFileSync(w3, 'utf8')).filter((w) => String(w['code']).startsWith('MERGE_')).map((w) => [w['code'], w['releaseId']])).toEqual([
    ['MERGE_COMPILED_RELEASE', 'ocds-abc123-snap-2020-01-01T00:00:00Z'],
    ['MERGE_COMPILED_BASE', 'ocds-abc123-snap-2020-02-01T00:00:00Z'],
  ]);
});
