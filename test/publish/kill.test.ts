/**
 * kill -9 at any point of a run leaves the previous published output intact
 * and usable, and the next run completes normally.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';
import { toOlderLayout } from '../helpers/out-layout.js';
import { CRASH_POINTS } from '../../src/core/effects.js';

const BIN = join(import.meta.dirname, '../../bin/decp-ocds.js');
const SAMPLES = join(SHARED, 'decp/samples');

function run(args: string[], killAfterMs?: number, crashAt?: string): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    const env = crashAt === undefined ? process.env : { ...process.env, DECP_OCDS_CRASH_AT: crashAt };
    const child = spawn(process.execPath, [BIN, 'run', ...args, '--quiet'], { stdio: 'ignore', env });
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

async function snapshot(out: string): Promise<{ runId: number; files: Record<string, string>; releases: number }> {
  const files: Record<string, string> = {};
  for (const f of ['ocds/releases.jsonl.gz', 'ocds/records.jsonl.gz', 'ocds/release-package.json', 'ocds/record-package.json', 'run.json', 'rejects.jsonl']) files[f] = sha(join(out, f));
  // every file is complete and readable
  gunzipSync(readFileSync(join(out, 'ocds/releases.jsonl.gz')));
  JSON.parse(readFileSync(join(out, 'reports/validation.json'), 'utf8'));
  const runId = (JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { runId: number }).runId;
  const inst = await DuckDBInstance.create(join(out, 'decp.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  const releases = Number((await conn.runAndReadAll('SELECT count(*) FROM releases')).getRows()[0]![0]);
  const parquet = Number((await conn.runAndReadAll(`SELECT count(*) FROM read_parquet('${join(out, 'parquet/releases')}/**/*.parquet')`)).getRows()[0]![0]);
  const storeRun = Number((await conn.runAndReadAll('SELECT max(run_id) FROM runs')).getRows()[0]![0]);
  conn.closeSync();
  inst.closeSync();
  // the store, run.json and the Parquet files of one run, always (a probe found, killed between
  // renames, the store of a run beside the previous run's files)
  expect([parquet, storeRun]).toEqual([releases, runId]);
  return { runId, files, releases };
}

test('kill -9 during a run leaves the previous output intact; the next run completes', async () => {
  const out = join(tempDir('decp-ocds-kill-'), 'out');
  expect((await run([join(SAMPLES, '2019-xml'), '--out', out])).code).toBe(0);
  const before = await snapshot(out);
  // a full run over the samples takes a few seconds: kill it at several points
  const outcomes: string[] = [];
  for (const ms of [150, 400, 800, 1300, 2000, 3000]) {
    const r = await run([SAMPLES, '--out', out], ms);
    const now = await snapshot(out);
    if (r.signal === 'SIGKILL') {
      // killed: either before publishing (the previous output, byte for byte) or after (a complete new one)
      if (now.runId === before.runId) expect(now).toEqual(before);
      else expect(now.releases).toBeGreaterThan(before.releases);
      outcomes.push(now.runId === before.runId ? 'intact' : 'published');
      if (now.runId !== before.runId) break;
    } else {
      expect(r.code).toBe(0);
      outcomes.push('finished');
      break;
    }
  }
  expect(outcomes[0]).toBe('intact');
  const final = await run([SAMPLES, '--out', out]);
  expect(final.code).toBe(0);
  const after = await snapshot(out);
  expect(after.releases).toBeGreaterThan(before.releases);
  expect(readdirSync(out).filter((n) => n.startsWith('.staging') || n === '.lock')).toEqual([]);
  expect(existsSync(join(out, 'decp.duckdb.wal'))).toBe(false);
}, 120_000);

test.each(CRASH_POINTS.map((p) => [p]))('killed at %s of publishing: the previous output or the new one, each file whole; the next run completes', async (point) => {
  const dir = tempDir('decp-ocds-crash-');
  const base = join(dir, 'base');
  expect((await run([join(SAMPLES, '2019-xml'), '--out', base])).code).toBe(0);
  const out = join(dir, 'out');
  cpSync(base, out, { recursive: true, verbatimSymlinks: true });
  const before = await snapshot(out);
  const inputs = [join(SAMPLES, '2019-xml'), join(SAMPLES, '2024-json/dematis-e-marchespublics_2024-07-daily-20.json')];
  const killed = await run([...inputs, '--out', out], undefined, point);
  expect(killed.signal).toBe('SIGKILL');
  const order = CRASH_POINTS.indexOf(point);
  if (order < CRASH_POINTS.indexOf('publish:current-swapped')) {
    // before the one rename readers see: the previous output, byte for byte
    expect(await snapshot(out)).toEqual(before);
  } else {
    // after it: the new output, whole and consistent — the store, the files and the folders of one
    // run (a probe found the store of a run beside the previous run's files, killed between renames)
    const now = await snapshot(out);
    expect(now.releases).toBeGreaterThan(before.releases);
  }
  const next = await run([...inputs, '--out', out]);
  expect(next.code).toBe(0);
  const after = await snapshot(out);
  expect(after.releases).toBeGreaterThan(before.releases);
  expect(readdirSync(out).filter((n) => n.startsWith('.staging') || n === '.lock')).toEqual([]);
}, 120_000);

test.each([['publish:generation-moved'], ['publish:links-made'], ['publish:current-swapped']])('killed at %s while taking over a folder an older version wrote: the previous output or the new one, never a mix (found by a review)', async (point) => {
  const dir = tempDir('decp-ocds-crash-old-');
  const out = join(dir, 'out');
  expect((await run([join(SAMPLES, '2019-xml'), '--out', out])).code).toBe(0);
  toOlderLayout(out);
  const before = await snapshot(out);
  const inputs = [join(SAMPLES, '2019-xml'), join(SAMPLES, '2024-json/dematis-e-marchespublics_2024-07-daily-20.json')];
  const killed = await run([...inputs, '--out', out], undefined, point);
  expect(killed.signal).toBe('SIGKILL');
  if (point === 'publish:current-swapped') expect((await snapshot(out)).releases).toBeGreaterThan(before.releases);
  else expect(await snapshot(out)).toEqual(before);
  expect((await run([...inputs, '--out', out])).code).toBe(0);
  expect((await snapshot(out)).releases).toBeGreaterThan(before.releases);
}, 120_000);

test("kill -9 while run reads stdin leaves no copy of it outside the output folder, and the next run clears it (found by an operator's probe: each killed `zcat feed | run -` left the day's feed in /tmp)", async () => {
  const dir = tempDir('decp-ocds-kill-stdin-');
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  const out = join(dir, 'out');
  expect((await run([join(SAMPLES, '2019-xml'), '--out', out])).code).toBe(0);
  // a feed still streaming in (its writer has not closed the pipe): the run is spooling it when killed
  const child = spawn(process.execPath, [BIN, 'run', '-', '--out', out, '--quiet'], { stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, TMPDIR: tmp } });
  child.stdin.write(readFileSync(join(SAMPLES, '2019-json/marches-securises_ville-de-croix_2019-2021.json')).subarray(0, 50_000));
  const spools = (): string[] => [tmp, ...readdirSync(out).filter((n) => n.startsWith('.staging-')).map((n) => join(out, n))].flatMap((d) => readdirSync(d).filter((n) => n.startsWith('decp-ocds-stdin-')).map((n) => join(d, n)));
  for (let i = 0; i < 200 && !spools().some((s) => existsSync(join(s, 'stdin')) && statSync(join(s, 'stdin')).size > 0); i++) await new Promise((r) => setTimeout(r, 50));
  expect(spools()).toHaveLength(1);
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await exited;
  // the spool is in the run's staging folder, which the next run clears: never in the temporary folder
  expect(readdirSync(tmp)).toEqual([]);
  expect((await run([join(SAMPLES, '2019-xml'), '--out', out])).code).toBe(0);
  expect(spools()).toEqual([]);
  expect(readdirSync(out).filter((n) => n.startsWith('.staging') || n === '.lock')).toEqual([]);
}, 60_000);
