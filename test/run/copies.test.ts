/**
 * A file's copy given under a name sorted before its own: a run over everything reads the content
 * under its first name; night after night, the store must name the same file (found by an
 * incremental-equals-rebuild probe: the releases kept the name of the night that first read them).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.js';
import { sourceNamer } from '../../src/run-job.js';
import { marche } from '../helpers/decp-records.js';
import { storeRows as rows } from '../helpers/store-rows.js';
import { tempDir } from '../helpers/tmp.js';

async function run(folder: string, out: string): Promise<number> {
  return main(['run', folder, '--out', out, '--quiet', '--run-date', '2024-10-26T22:30:00Z'], { stdout: new PassThrough(), stderr: new PassThrough(), stdin: Readable.from([]), isTTY: false, now: () => new Date('2026-01-02T03:04:05Z') });
}

const lines = (file: string): string[] => gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter(Boolean).sort();
const sourceFiles = (out: string): string[] => [...new Set(lines(join(out, 'ocds/releases.jsonl.gz')).map((l) => String(((JSON.parse(l) as Record<string, unknown>)['x_decp'] as Record<string, unknown>)['sourceFile'])))];

test('a copy given later under a name sorted first names the releases, as in a rebuild; the next night reads nothing again', async () => {
  const dir = tempDir('decp-ocds-copies-');
  const folder = join(dir, 'in');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  const body = JSON.stringify({ marches: [marche('C-1', {}), marche('C-2', { montant: 2000 })] });
  writeFileSync(join(folder, 'm.json'), body);
  const nightly = join(dir, 'nightly');
  expect(await run(folder, nightly)).toBe(0);
  expect(sourceFiles(nightly)).toEqual([join(folder, 'm.json')]);
  // the next night: a copy sorted before it, and a gzip copy after it
  copyFileSync(join(folder, 'm.json'), join(folder, '0-copy.json'));
  writeFileSync(join(folder, 'sub', 'm.json.gz'), gzipSync(body));
  expect(await run(folder, nightly)).toBe(0);
  const rebuilt = join(dir, 'rebuilt');
  expect(await run(folder, rebuilt)).toBe(0);
  expect(sourceFiles(rebuilt)).toEqual([join(folder, '0-copy.json')]);
  expect(sourceFiles(nightly)).toEqual(sourceFiles(rebuilt));
  for (const f of ['ocds/releases.jsonl.gz', 'ocds/records.jsonl.gz']) expect(lines(join(nightly, f))).toEqual(lines(join(rebuilt, f)));
  const current = "SELECT path FROM sources WHERE status = 'current' ORDER BY path";
  expect(await rows(join(nightly, 'decp.duckdb'), current)).toEqual(await rows(join(rebuilt, 'decp.duckdb'), current));
  // (then stable: the night after reads nothing again)
  expect(await run(folder, nightly)).toBe(0);
  expect(await rows(join(nightly, 'decp.duckdb'), 'SELECT records_read::INTEGER AS n FROM runs ORDER BY run_id DESC LIMIT 1')).toEqual([{ n: 0 }]);
  expect(sourceFiles(nightly)).toEqual([join(folder, '0-copy.json')]);
});

// found by a review: each source the store holds looked for its name among every input (a copy of the
// inputs' list for each): a folder of 5,000 daily files cost each night 1 s, of 20,000 26 s
test('the name of each source the store holds: each its own, one copy sorted first, one gzip\'s uncompressed copy (found in one pass over the inputs)', () => {
  const pathHash = new Map<string, string>();
  const n = 2_000;
  pathHash.set('/in/a-copy.json', 'sha-7');
  for (let i = 0; i < n; i++) pathHash.set(`/in/d-${String(i).padStart(6, '0')}.json`, `sha-${i}`);
  pathHash.set('/in/z.json', 'sha-gz');
  pathHash.set('/in/z.json.gz', 'sha-gz');
  const nameOf = sourceNamer(pathHash, new Set(['/in/z.json']));
  const renamed: Array<[string, string]> = [];
  for (let i = 0; i < n; i++) {
    const path = `/in/d-${String(i).padStart(6, '0')}.json`;
    const name = nameOf(`sha-${i}`, path);
    if (name !== path) renamed.push([path, String(name)]);
  }
  // (the copy sorted first names its content; a gzip read before keeps its name beside its uncompressed copy; a path that holds nothing now, the first that does)
  expect(renamed).toEqual([['/in/d-000007.json', '/in/a-copy.json']]);
  expect([nameOf('sha-gz', '/in/z.json.gz'), nameOf('sha-gz', '/gone/z.json.gz'), nameOf('sha-none', '/in/x.json')]).toEqual(['/in/z.json.gz', '/in/z.json', undefined]);
});

