/**
 * ocds/releases.jsonl.gz and ocds/records.jsonl.gz, incrementally.
 *
 * Every ocid belongs to a chunk (new ocids get new chunks, ~1,024 ocids each,
 * in ocid order). Each chunk's lines are compressed as one gzip member, kept
 * in `out/.members/` under a name that holds its content hash (immutable
 * files). The published file is the concatenation of the members in chunk
 * order: a valid gzip file (gzip, zcat, Python, Node and DuckDB read every
 * member). A run recompresses only the chunks its ocids touch, so a nightly
 * file of a thousand records costs a few chunks, not the whole history; the
 * same store always gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Store } from './store.js';
import { sqlString } from './store.js';

const gzipAsync = promisify(gzip);

/** Ocids per chunk: a chunk of releases is a few MB, recompressed in a fraction of a second. */
export const CHUNK_OCIDS = 1024;

/** Chunks exported (and sorted by DuckDB) at once. */
const EXPORT_CHUNKS = 8;

export const KINDS = {
  releases: { table: 'releases', json: 'release_json', order: 'chunk, ocid, date NULLS FIRST, is_update, source_index, position, release_id' },
  records: { table: 'records', json: 'record_json', order: 'chunk, ocid' },
} as const;
export type Kind = keyof typeof KINDS;

export interface MemberResult {
  chunks: number;
  bytes: number;
}

/**
 * Recompress the members of the touched chunks (table `touched_chunks(chunk)`
 * in the store) for one kind, and record them in `ocds_members`.
 * `level`: gzip level (6 by default; lower is faster, larger).
 */
export async function rebuildMembers(store: Store, kind: Kind, membersDir: string, workDir: string, level: number, parallel: number): Promise<MemberResult> {
  const k = KINDS[kind];
  await mkdir(membersDir, { recursive: true });
  const dump = join(workDir, `${kind}-touched.tsv`);
  const touched = (await store.rows<{ chunk: number }>('SELECT chunk FROM touched_chunks ORDER BY chunk')).map((r) => r.chunk);
  const rows: Array<{ chunk: number; file: string; bytes: number; lines: number }> = [];
  const inFlight = new Set<Promise<void>>();
  const compress = (chunk: number, lines: string[]): Promise<void> => {
    const p = (async () => {
      const body = await gzipAsync(Buffer.from(`${lines.join('\n')}\n`), { level });
      const name = `${kind}-${chunk}-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.gz`;
      const tmp = join(membersDir, `${name}.tmp-${process.pid}`);
      await writeFile(tmp, body);
      await rename(tmp, join(membersDir, name));
      rows.push({ chunk, file: name, bytes: body.length, lines: lines.length });
    })();
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };
  // a few chunks per export: DuckDB sorts a bounded amount of JSON at a time
  for (let at = 0; at < touched.length; at += EXPORT_CHUNKS) {
    const group = touched.slice(at, at + EXPORT_CHUNKS);
    await store.run(
      `COPY (SELECT chunk, ${k.json} FROM ${k.table} WHERE chunk IN (${group.join(', ')}) ORDER BY ${k.order}) TO ${sqlString(dump)} (FORMAT csv, DELIMITER '\t', QUOTE '', ESCAPE '', HEADER false)`,
    );
    let current = -1;
    let lines: string[] = [];
    const rl = createInterface({ input: createReadStream(dump, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of rl) {
      if (!line) continue;
      const tab = line.indexOf('\t');
      const chunk = Number(line.slice(0, tab));
      if (chunk !== current) {
        if (lines.length > 0) {
          void compress(current, lines);
          // members compress on the thread pool: a few at a time, memory stays bounded
          while (inFlight.size >= parallel) await Promise.race(inFlight);
        }
        current = chunk;
        lines = [];
      }
      lines.push(line.slice(tab + 1));
    }
    if (lines.length > 0) void compress(current, lines);
    while (inFlight.size >= parallel) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await rm(dump, { force: true });
  await store.run(`DELETE FROM ocds_members WHERE kind = '${kind}' AND chunk IN (SELECT chunk FROM touched_chunks)`);
  if (rows.length > 0) {
    const values = rows.map((r) => `('${kind}', ${r.chunk}, ${sqlString(r.file)}, ${r.bytes}, ${r.lines})`).join(', ');
    await store.run(`INSERT INTO ocds_members VALUES ${values}`);
  }
  return { chunks: rows.length, bytes: rows.reduce((a, r) => a + r.bytes, 0) };
}

/** Concatenate the members of a kind, in chunk order, into `target`. */
export async function concatMembers(store: Store, kind: Kind, membersDir: string, target: string): Promise<{ bytes: number; lines: number }> {
  const members = await store.rows<{ file: string; bytes: number; lines: number }>(`SELECT file, bytes::DOUBLE AS bytes, lines::DOUBLE AS lines FROM ocds_members WHERE kind = '${kind}' ORDER BY chunk`);
  const out = createWriteStream(target);
  let bytes = 0;
  let lines = 0;
  await pipeline(async function* () {
    for (const m of members) {
      for await (const b of createReadStream(join(membersDir, m.file), { highWaterMark: 1 << 20 })) yield b as Buffer;
      bytes += m.bytes;
      lines += m.lines;
    }
  }, out);
  return { bytes, lines };
}

/** The member files the store lists (read before the store is closed). */
export async function liveMembers(store: Store): Promise<Set<string>> {
  return new Set((await store.rows<{ file: string }>('SELECT file FROM ocds_members')).map((r) => r.file));
}

/** Remove member files the published store no longer lists (replaced chunks, leftovers of killed runs). */
export async function collectMembers(live: ReadonlySet<string>, membersDir: string): Promise<number> {
  let removed = 0;
  for (const name of await readdir(membersDir).catch(() => [] as string[])) {
    if (!live.has(name)) {
      await rm(join(membersDir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
