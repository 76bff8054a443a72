/**
 * kill -9 at any point of a run leaves the previous published output intact
 * and usable, and the next run completes normally.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';

const BIN = join(import.meta.dirname, '../../bin/decp-ocds.js');
const SAMPLES = join(SHARED, 'decp/samples');

function run(args: string[], killAfterMs?: number): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'run', ...args, '--quiet'], { stdio: 'ignore' });
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
  const inst = await DuckDBInstance.create(join(out, 'decp.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  const releases = Number((await conn.runAndReadAll('SELECT count(*) FROM releases')).getRows()[0]![0]);
  const parquet = Number((await conn.runAndReadAll(`SELECT count(*) FROM read_parquet('${join(out, 'parquet/releases')}/**/*.parquet')`)).getRows()[0]![0]);
  conn.closeSync();
  inst.closeSync();
  expect(parquet).toBe(releases);
  return { runId: (JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { runId: number }).runId, files, releases };
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
