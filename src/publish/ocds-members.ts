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
import { open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sqlString, type Store } from './store.js';

/** Ocids per chunk: a chunk of releases is a few MB, recompressed in a fraction of a second. */
export const CHUNK_OCIDS = 1024;

export type Kind = 'releases' | 'records';

/** Record the members a run wrote (replacing those of the touched chunks: a chunk left empty has none). */
export async function recordMembers(store: Store, members: ReadonlyArray<{ kind: Kind; chunk: number; file: string; bytes: number; lines: number }>): Promise<void> {
  await store.run('DELETE FROM ocds_members WHERE chunk IN (SELECT chunk FROM touched_chunks)');
  for (let at = 0; at < members.length; at += 1000) {
    const values = members
      .slice(at, at + 1000)
      .map((m) => `(${sqlString(m.kind)}, ${m.chunk}, ${sqlString(m.file)}, ${m.bytes}, ${m.lines})`)
      .join(', ');
    await store.run(`INSERT INTO ocds_members VALUES ${values}`);
  }
}

export interface MemberFile {
  readonly file: string;
  readonly bytes: number;
  readonly lines: number;
}

/** The members of a kind, in chunk order (the published file's content). */
export async function memberList(store: Store, kind: Kind): Promise<MemberFile[]> {
  return store.rows<MemberFile>(`SELECT file, bytes::DOUBLE AS bytes, lines::DOUBLE AS lines FROM ocds_members WHERE kind = '${kind}' ORDER BY chunk`);
}

/** Concatenate members into `target` (no query: it may run beside the store's work). */
export async function concatMembers(members: readonly MemberFile[], membersDir: string, target: string): Promise<{ bytes: number; lines: number }> {
  const out = await open(target, 'w');
  let bytes = 0;
  let lines = 0;
  try {
    // whole members (a few hundred KB each): one read and one write per member
    for (const m of members) {
      await out.writeFile(await readFile(join(membersDir, m.file)));
      bytes += m.bytes;
      lines += m.lines;
    }
  } finally {
    await out.close();
  }
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
