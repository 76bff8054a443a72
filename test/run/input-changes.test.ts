/**
 * Inputs that change under the nightly job (found by an operator's probe): a file rewritten between its
 * hashing and its reading (a download in progress) must not be stored under the hash of what it held
 * before; a file deleted before it is read is one unreadable file, not a crash.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.js';
import { normalizeIngestOptions, readFile } from '../../src/ingest/reader.js';
import { hashFile, openFile } from '../../src/ingest/source.js';
import type { IngestEvent } from '../../src/ingest/types.js';
import { collect } from '../helpers/ingest.js';
import { marche } from '../helpers/decp-records.js';
import { tempDir } from '../helpers/tmp.js';
import { storeRows as rows } from '../helpers/store-rows.js';

const tmp = (): string => tempDir('decp-ocds-changes-');

/** A DECP 2019 file of `n` marchés (ids prefix-1…n), pretty-printed: a few hundred bytes each. */
function feed(path: string, prefix: string, n: number): void {
  writeFileSync(path, JSON.stringify({ marches: Array.from({ length: n }, (_, i) => marche(`${prefix}-${i + 1}`, { montant: 1000 + i })) }, null, 2));
}

/** `decp-ocds run` in this process, with `afterHash` called between the hashing of the inputs and their reading. */
async function run(argv: string[], afterHash?: () => void): Promise<{ code: number; stderr: string }> {
  const err = new PassThrough();
  let stderr = '';
  err.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await main(['run', ...argv, '--quiet', '--concurrency', '2'], { stdout: new PassThrough(), stderr: err, stdin: Readable.from([]), isTTY: false, now: () => new Date('2026-01-02T03:04:05Z'), ...(afterHash === undefined ? {} : { afterHash }) });
  return { code, stderr };
}


const hashedStat = (path: string): { size: number; mtimeMs: number } => {
  const st = statSync(path);
  return { size: st.size, mtimeMs: st.mtimeMs };
};

describe('ingest: a file read with the stat of its hashing', () => {
  test('rewritten before it is opened: INGEST_CHANGED, fatal, no record', async () => {
    const file = join(tmp(), 'feed.json');
    feed(file, 'a', 20);
    const input = { display: file, path: file, sha256: await hashFile(file), hashed: hashedStat(file) };
    truncateSync(file, 1000);
    const got = await collect((async function* () {
      for await (const batch of readFile(input, normalizeIngestOptions())) yield* batch;
    })());
    expect(got.records).toHaveLength(0);
    expect(got.summary.error).toMatchObject({ code: 'INGEST_CHANGED', fatal: true });
    expect(got.summary.error?.message).toMatch(/changed since it was hashed/);
  });

  test.each([false, true])('cut while it is read (gzip: %s): INGEST_CHANGED, fatal, whatever it read', async (gz) => {
    const dir = tmp();
    const plain = join(dir, 'feed.json');
    // (several reads of 512 KiB: the cut comes after the first)
    feed(plain, 'a', 5000);
    const file = gz ? `${plain}.gz` : plain;
    if (gz) writeFileSync(file, gzipSync(readFileSync(plain), { level: 0 }));
    expect(statSync(file).size).toBeGreaterThan(2 * 512 * 1024);
    const input = { display: file, path: file, sha256: await hashFile(file), hashed: hashedStat(file) };
    const events: IngestEvent[] = [];
    let cut = false;
    for await (const batch of readFile(input, normalizeIngestOptions())) {
      events.push(...batch);
      if (!cut && batch.some((e) => e.type === 'record')) {
        truncateSync(file, 600 * 1024);
        cut = true;
      }
    }
    expect(cut).toBe(true);
    const end = events.at(-1)!;
    expect(end.type).toBe('file-end');
    if (end.type === 'file-end') expect(end.summary.error).toMatchObject({ code: 'INGEST_CHANGED', fatal: true });
  });

  test('unchanged, or read without a stat of its hashing (convert): no error', async () => {
    const file = join(tmp(), 'feed.json');
    feed(file, 'a', 20);
    for (const input of [{ display: file, path: file, sha256: await hashFile(file), hashed: hashedStat(file) }, { display: file, path: file }]) {
      const got = await collect((async function* () {
        for await (const batch of readFile(input, normalizeIngestOptions())) yield* batch;
      })());
      expect(got.records).toHaveLength(20);
      expect(got.summary.error).toBeUndefined();
    }
  });

  test('a file deleted once opened is read whole, no unhandled error event (the process died of one)', async () => {
    const file = join(tmp(), 'feed.json');
    feed(file, 'a', 20);
    const opened = await openFile(file, file, 1e9);
    unlinkSync(file);
    // (the open by path of a read stream failed here, with nobody listening yet)
    await new Promise((resolve) => setTimeout(resolve, 50));
    let bytes = 0;
    for await (const chunk of opened.chunks) bytes += chunk.length;
    expect(bytes).toBe(opened.size);
    expect(opened.changed()).toBeNull();
  });
});

describe('run: an input that changes between its hashing and its reading', () => {
  test('a new file cut after it was hashed: INGEST_CHANGED, exit 3, nothing of it stored; read whole by the next run', async () => {
    const dir = tmp();
    const a = join(dir, 'in', 'a.json');
    const z = join(dir, 'in', 'z.json');
    const out = join(dir, 'out');
    mkdirSync(join(dir, 'in'));
    feed(a, 'a', 3);
    feed(z, 'z', 40);
    const full = readFileSync(z);
    const first = await run([join(dir, 'in'), '--out', out], () => truncateSync(z, Math.floor(full.length / 3)));
    expect(first.code).toBe(3);
    expect(first.stderr).toMatch(/^decp-ocds: INGEST_CHANGED: .*z\.json changed since it was hashed/m);
    const db = join(out, 'decp.duckdb');
    // the other file is published; the changed one has no sources row, no release, no reject
    expect(await rows(db, 'SELECT path FROM sources ORDER BY path')).toEqual([{ path: a }]);
    expect(await rows(db, "SELECT count(*)::INTEGER AS n FROM release_sources WHERE ocid LIKE '%z-%'")).toEqual([{ n: 0 }]);
    expect(await rows(db, 'SELECT count(*)::INTEGER AS n FROM rejects')).toEqual([{ n: 0 }]);
    // the download completes (the very bytes hashed): the next run reads it, all of it
    writeFileSync(z, full);
    const second = await run([join(dir, 'in'), '--out', out]);
    expect(second.code).toBe(0);
    expect(await rows(db, "SELECT records_read::INTEGER AS n FROM sources WHERE path LIKE '%z.json'")).toEqual([{ n: 40 }]);
    expect(await rows(db, 'SELECT count(*)::INTEGER AS n FROM contracts')).toEqual([{ n: 43 }]);
  });

  test('a new version of a known file cut after it was hashed: the version before stays published, exit 3', async () => {
    const dir = tmp();
    const z = join(dir, 'z.json');
    const out = join(dir, 'out');
    feed(z, 'z', 10);
    expect((await run([z, '--out', out])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const before = await rows<{ sha256: string }>(db, 'SELECT sha256 FROM sources');
    feed(z, 'z', 30);
    const r = await run([z, '--out', out], () => truncateSync(z, 2000));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^decp-ocds: INGEST_CHANGED: /m);
    expect(await rows(db, "SELECT sha256 FROM sources WHERE status = 'current'")).toEqual(before);
    expect(await rows(db, 'SELECT count(*)::INTEGER AS n FROM contracts')).toEqual([{ n: 10 }]);
  });

  test('a file deleted after it was hashed: INGEST_NOT_FOUND, the others published, exit 3, no lock or staging left', async () => {
    const dir = tmp();
    const a = join(dir, 'a.json');
    const z = join(dir, 'z.json');
    const out = join(dir, 'out');
    feed(a, 'a', 3);
    feed(z, 'z', 5);
    const r = await run([a, z, '--out', out], () => unlinkSync(z));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^decp-ocds: INGEST_NOT_FOUND: no such file: .*z\.json$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await rows(join(out, 'decp.duckdb'), 'SELECT path FROM sources')).toEqual([{ path: a }]);
    expect(existsSync(join(out, '.lock'))).toBe(false);
    expect(readdirSync(out).filter((f) => f.startsWith('.staging'))).toEqual([]);
  });
});

test('a trial run of a corrected file, then the full run: the corrected file\'s old version is not a file "not given to this run", and the file sharing the trial\'s releases is read again (found by an operator\'s probe: a false warning, the sharing file left unread)', async () => {
  const dir = tmp();
  const feeds = join(dir, 'in');
  mkdirSync(feeds);
  const doc = (montants: number[]): string => JSON.stringify({ marches: montants.map((m, i) => marche(`a-${i + 1}`, { montant: m })) });
  writeFileSync(join(feeds, 'a.json'), doc([1000, 2000, 3000]));
  // another feed publishing a-1 as it was (same publication: the later input wins, as in a rebuild)
  writeFileSync(join(feeds, 'zz.json'), doc([1000]));
  const out = join(dir, 'out');
  expect((await run([feeds, '--out', out])).code).toBe(0);
  writeFileSync(join(feeds, 'a.json'), doc([1500, 2000, 3000]));
  expect((await run([feeds, '--out', out, '--sample', '5'])).code).toBe(0);
  const full = await run([feeds, '--out', out]);
  expect(full.code).toBe(0);
  const scratch = join(dir, 'scratch');
  expect((await run([feeds, '--out', scratch])).code).toBe(0);
  const amounts = 'SELECT ocid, amount::INTEGER AS amount FROM contracts ORDER BY ocid';
  expect(await rows(join(out, 'decp.duckdb'), amounts)).toEqual(await rows(join(scratch, 'decp.duckdb'), amounts));
  expect(full.stderr).not.toMatch(/not given to this run/);
  // the file that shares those releases is read again, as the replaced version's sharers are
  const report = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { counts: { filesReread: number; filesReplaced: number } };
  expect(report.counts).toMatchObject({ filesReplaced: 1, filesReread: 1 });
});
