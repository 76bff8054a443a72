/**
 * ocds/releases.jsonl.gz and ocds/records.jsonl.gz, incrementally.
 *
 * Every ocid belongs to a chunk (new ocids get new chunks, ~1,024 ocids each,
 * in the order of their first release date). Each chunk's lines are compressed as one member, kept
 * in `out/.members/` under a name that holds its content hash (immutable
 * files), itself a series of gzip members, blocks of about 128 ocids
 * (publish/member-blocks.ts). The published file is the concatenation of the members in chunk
 * order: a valid gzip file (gzip, zcat, Python, Node and DuckDB read every
 * member). A run writes only the chunks its ocids touch, and recompresses only their touched blocks, so a nightly
 * file of a thousand records costs a few chunks, not the whole history; the
 * same store always gives the same bytes.
 */
import { open, readdir, readFile, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BLOCKS_SUFFIX } from './member-blocks.js';
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

/** The file a previous run published, and the members it holds (in order). */
export interface PublishedFile {
  readonly path: string;
  readonly members: readonly MemberFile[];
}

/**
 * Concatenate members into `target` (no query: it may run beside the store's work). Members the
 * previous published file holds are copied from it, in runs of consecutive members (one file read
 * sequentially: much faster than a thousand small files when the page cache has dropped them);
 * the others from their member files.
 */
export async function concatMembers(members: readonly MemberFile[], membersDir: string, target: string, previous: PublishedFile | null = null): Promise<{ bytes: number; lines: number }> {
  const offsets = new Map<string, number>();
  if (previous !== null) {
    let at = 0;
    for (const m of previous.members) {
      offsets.set(m.file, at);
      at += m.bytes;
    }
    // a file that is not what the store says (size) is not used
    const size = await stat(previous.path).then((st) => st.size, () => -1);
    if (size !== at) offsets.clear();
  }
  const out = await open(target, 'w');
  const old = offsets.size > 0 ? await open(previous!.path, 'r') : null;
  try {
    // no member (a store without releases): one empty gzip member, as a file of no bytes is no gzip
    // file (zcat and Node's gunzip refuse it)
    if (members.length === 0) await out.writeFile(EMPTY_MEMBER);
    for (let i = 0; i < members.length; ) {
      const m = members[i]!;
      const from = offsets.get(m.file);
      if (from === undefined || old === null) {
        await out.writeFile(await readFile(join(membersDir, m.file)));
        i++;
      } else {
        // the longest run of members that follow each other in the previous file
        let end = from + m.bytes;
        let j = i + 1;
        while (j < members.length && offsets.get(members[j]!.file) === end) end += members[j++]!.bytes;
        await copyRange(old, from, end, out);
        i = j;
      }
    }
  } finally {
    await old?.close();
    await out.close();
  }
  return { bytes: members.reduce((a, m) => a + m.bytes, 0), lines: members.reduce((a, m) => a + m.lines, 0) };
}

const COPY_BLOCK = 8 * 1024 * 1024;

/** A gzip member of no data (the same bytes every time: no name, no time). */
const EMPTY_MEMBER = gzipSync(Buffer.alloc(0));

async function copyRange(from: FileHandle, start: number, end: number, to: FileHandle): Promise<void> {
  const buf = Buffer.allocUnsafe(Math.min(COPY_BLOCK, end - start));
  for (let at = start; at < end; ) {
    const { bytesRead } = await from.read(buf, 0, Math.min(buf.length, end - at), at);
    if (bytesRead === 0) throw new Error(`the published file ended at byte ${at}, before ${end}`);
    await to.writeFile(buf.subarray(0, bytesRead));
    at += bytesRead;
  }
}

/** The member files the store lists (read before the store is closed). */
export async function liveMembers(store: Store): Promise<Set<string>> {
  return new Set((await store.rows<{ file: string }>('SELECT file FROM ocds_members')).map((r) => r.file));
}

/**
 * The member files the store lists that `membersDir` does not hold whole (missing, or of another size:
 * `.members/` deleted as a cache, a backup restored without it), by name. A store whose members are
 * gone cannot be compiled incrementally (its chunks' other ocids are read from them) nor published
 * (the ocds/ files are their concatenation): run rebuilds it from its inputs.
 */
export async function missingMembers(store: Store, membersDir: string): Promise<{ missing: string[]; listed: number }> {
  const listed = await store.rows<{ file: string; bytes: number }>('SELECT file, bytes::DOUBLE AS bytes FROM ocds_members ORDER BY kind, chunk');
  const missing: string[] = [];
  for (const m of listed) {
    const size = await stat(join(membersDir, m.file)).then(
      (st) => (st.isFile() ? st.size : -1),
      () => -1,
    );
    if (size !== Number(m.bytes)) missing.push(m.file);
  }
  return { missing, listed: listed.length };
}

/**
 * Remove member files the published store no longer lists (replaced chunks, leftovers of killed runs),
 * and their lists of blocks.
 */
export async function collectMembers(live: ReadonlySet<string>, membersDir: string): Promise<number> {
  let removed = 0;
  for (const name of await readdir(membersDir).catch(() => [] as string[])) {
    if (!live.has(name) && !(name.endsWith(BLOCKS_SUFFIX) && live.has(name.slice(0, -BLOCKS_SUFFIX.length)))) {
      await rm(join(membersDir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
