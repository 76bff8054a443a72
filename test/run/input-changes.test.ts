/**
 * Inputs that change under the nightly job (found by an operator's probe): a file deleted before it is
 * read is one unreadable file, not a crash.
 */
import { existsSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { main } from '../../src/cli/main.js';
import { openFile } from '../../src/ingest/source.js';
import { marche } from '../helpers/decp-records.js';
import { tempDir } from '../helpers/tmp.js';

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

async function rows<T>(db: string, sql: string): Promise<T[]> {
  const inst = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as unknown as T[];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

describe('ingest: a file deleted while it is opened', () => {
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
  });
});

describe('run: an input that changes between its hashing and its reading', () => {
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
