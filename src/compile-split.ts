/**
 * compile's first pass over a large JSON Lines file, in two threads: while this thread reads it up
 * to a line at its middle, a worker thread reads the rest, as a file of its
 * own, and spreads its releases over bucket files of its own. When this thread gets there, the rest
 * is taken (its bucket files are compiled with the others) only if both readings are exactly what
 * one reading of the whole file would have given:
 * - this thread's bytes end between two records of JSON Lines of records (the line at the cut is
 *   the start of a record, not inside one), and it read releases only;
 * - the worker read nothing but releases (handed over as text, or parsed: one per record, their
 *   numbers follow from where the rest starts), none with anything to say (a repair, no ocid), and
 *   its reading said nothing about the file (no issue, no error).
 * Otherwise this thread reads the rest itself, as before, and the worker's buckets are dropped:
 * the same output either way, only the time differs.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { chunkSizeFor } from './core/files.js';
import { LineBuffer } from './core/line-buffer.js';
import { readChunkBatches } from './ingest/reader.js';
import { READ_CHUNK } from './ingest/source.js';
import type { FileSummary, ReleaseText } from './ingest/types.js';
import { AtomicWriter } from './publish/atomic.js';
import { hash53 } from './transform/hash.js';
import { jsonKeepingRange } from './transform/json-values.js';

/** Files from this size on are read in two parts when compile has two threads (smaller ones: not worth a thread's start). */
export const SPLIT_BYTES = 64 * 1024 * 1024;

/**
 * Where the worker's part starts, as a share of the file: half of it (compile does not hash its
 * inputs before reading them: see `sha256Of` in compile.ts; when it did, on this thread, its part
 * was the smaller one, 45 %).
 */
export const SPLIT_AT = 0.5;

/** A worker's reading of the rest of a file (see the module's comment). */
export interface PartJob {
  readonly path: string;
  /** The file's name as the reading names it. */
  readonly display: string;
  /** Where the rest starts (a line's first byte). */
  readonly at: number;
  /** The number of buckets, and their folder. */
  readonly buckets: number;
  readonly dir: string;
  /** The part's number (its bucket files and its bucket lines' references name it). */
  readonly segment: number;
  /** What waits in memory for each bucket before it is written. */
  readonly flushAt: number;
  /** Set (non-zero) by the parent when the part is not wanted any more: the reading stops. */
  readonly stop: SharedArrayBuffer;
  readonly maxRecordBytes?: number | undefined;
  readonly maxDepth?: number | undefined;
}

export type PartResult = { readonly ok: true; readonly lines: number; readonly summary: FileSummary } | { readonly ok: false; readonly why: string };

/** The bucket of an ocid, of `n`. */
export function bucketOf(ocid: string, n: number): number {
  return n === 1 ? 0 : hash53(ocid) % n;
}

/** A part's bucket file, of bucket `b`. */
export function partBucket(b: number, segment: number): string {
  return `${b}.s${segment}.jsonl`;
}

/**
 * The bucket line of a release handed over as text: its ocid (its own JSON string's content: it
 * holds no quote, backslash or control character), a tab, `<file> <index> <line> <offset>`, a tab,
 * its bytes (see compileBucket).
 */
export function pushTextLine(pending: LineBuffer, file: string, r: ReleaseText): void {
  const p = r.provenance;
  pending.pushBytes(`"${r.ocid}"\t${file} ${p.index} ${p.line} ${p.offset ?? 0}\t`, r.bytes);
}

/**
 * The bucket line of a release parsed in the first pass: its ocid as a JSON string, a tab,
 * `<file> <index>`, a tab, its JSON (`text`, what it was read as, when known and on one line).
 */
export function pushReleaseLine(pending: LineBuffer, file: string, ocid: string, index: number, release: unknown, text: string | undefined): void {
  // (a number past a double's range stays one: see jsonKeepingRange)
  pending.push(`${JSON.stringify(ocid)}\t${file} ${index}\t${text !== undefined && !text.includes('\n') ? text : jsonKeepingRange(release)}`);
}

/**
 * Bucket lines waiting in memory (`pending`, one buffer per bucket) until they are written to their
 * bucket files. A buffer is written as it is (no copy) and used again once written: copying each
 * into fresh memory was a third of the first pass's copies, and its page faults.
 */
export class BucketSpool {
  readonly pending: LineBuffer[];
  /** The size of a bucket's buffer. */
  private readonly memory: number;
  /** Buffers written, to be used again (at most MAX_FREE). */
  private readonly free: Buffer[] = [];

  constructor(
    readonly writers: readonly AtomicWriter[],
    private readonly flushAt: number,
  ) {
    this.memory = flushAt + (flushAt >> 1);
    this.pending = writers.map(() => new LineBuffer(this.memory));
  }

  /** Bucket `b`'s lines written when they are more than the flush size (or, `last`, whatever they are). */
  async flush(b: number, last = false): Promise<void> {
    const lines = this.pending[b]!;
    if (lines.length === 0 || (!last && lines.length <= this.flushAt)) return;
    const chunk = lines.swap(last ? null : this.free.pop());
    const size = chunk.buffer.byteLength;
    await this.writers[b]!.write(chunk, (err) => {
      // (a buffer's memory from its start, its own: LineBuffer's, never Node's shared pool; not one
      // a huge line grew, which is left to be freed)
      if (!err && chunk.byteOffset === 0 && size <= 4 * this.memory && this.free.length < MAX_FREE) this.free.push(Buffer.from(chunk.buffer as ArrayBuffer));
    });
  }

  /** Every bucket's last lines written, and its file closed and in place. */
  async commit(): Promise<void> {
    for (let b = 0; b < this.writers.length; b++) {
      await this.flush(b, true);
      await this.writers[b]!.commit();
    }
  }
}
const MAX_FREE = 64;

/** Read the rest of a file into its part's bucket files (all of them written, even empty), or say why not. */
export async function readPart(job: PartJob): Promise<PartResult> {
  const stop = new Int32Array(job.stop);
  const writers = await Promise.all(Array.from({ length: job.buckets }, (_, b) => AtomicWriter.open(join(job.dir, partBucket(b, job.segment)))));
  const spool = new BucketSpool(writers, job.flushAt);
  const pending = spool.pending;
  const fail = async (why: string): Promise<PartResult> => {
    for (const w of writers) await w.abort().catch(() => undefined);
    return { ok: false, why };
  };
  try {
    const size = (await stat(job.path)).size - job.at;
    const chunks = createReadStream(job.path, { start: job.at, highWaterMark: chunkSizeFor(size, READ_CHUNK) });
    let lines = 0;
    let summary: FileSummary | undefined;
    const file = `s${job.segment}`;
    for await (const batch of readChunkBatches(chunks, { file: job.display, sha256: '', size, compressed: null }, { releaseText: true, ...(job.maxRecordBytes === undefined ? {} : { maxRecordBytes: job.maxRecordBytes }), ...(job.maxDepth === undefined ? {} : { maxDepth: job.maxDepth }) })) {
      if (Atomics.load(stop, 0) !== 0) return await fail('not wanted');
      for (const ev of batch) {
        let b = -1;
        if (ev.type === 'release-text' && ev.release.ocid.trim() !== '') {
          b = bucketOf(ev.release.ocid, job.buckets);
          pushTextLine(pending[b]!, file, ev.release);
        } else if (ev.type === 'record' && ev.record.type === 'release' && ev.record.issues.length === 0 && typeof ev.record.data['ocid'] === 'string' && ev.record.data['ocid'].trim() !== '') {
          // (a release the reading parsed: what compile's first pass does with it; one with
          // something to say, or without an ocid, is left to one reading of the whole file)
          const ocid = ev.record.data['ocid'];
          b = bucketOf(ocid, job.buckets);
          pushReleaseLine(pending[b]!, file, ocid, ev.record.provenance.index, ev.record.data, ev.record.text);
        }
        if (b >= 0) {
          lines++;
          await spool.flush(b);
        } else if (ev.type === 'file-end') summary = ev.summary;
        else return await fail(`a ${ev.type} event`);
      }
    }
    // (a package among the lines makes the file a package's, with its metadata: one reading says that)
    if (summary === undefined || summary.error !== undefined || summary.issues.length > 0 || summary.format !== 'ocds-jsonl' || summary.meta !== undefined || (summary.packages?.length ?? 0) > 0) return await fail('its reading said something of the file');
    await spool.commit();
    return { ok: true, lines, summary };
  } catch (err) {
    return await fail(err instanceof Error ? err.message : String(err));
  }
}

/** The summary of a file read in two parts, as one reading of the whole would have given it. */
export function joinSummaries(first: FileSummary, rest: FileSummary): FileSummary {
  const types: Record<string, number> = { ...first.types };
  for (const [k, v] of Object.entries(rest.types)) types[k] = (types[k] ?? 0) + (v ?? 0);
  return {
    ...first,
    // (several root values: JSON Lines, whichever part held them; a package's among them, as the first part says)
    format: first.format === 'ocds-json' ? 'ocds-jsonl' : first.format,
    read: first.read + rest.read,
    accepted: first.accepted + rest.accepted,
    rejected: first.rejected + rest.rejected,
    bytes: first.bytes + rest.bytes,
    types,
  };
}
