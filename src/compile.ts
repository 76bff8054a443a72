/**
 * The compile stage: releases (any input shape) → one OCDS record per ocid,
 * with its compiledRelease (and versionedRelease with --versioned).
 *
 * Bounded memory whatever the input size: releases are first spread over
 * bucket files on disk by a hash of their ocid (all releases of an ocid land in
 * one bucket), then each bucket is read back alone, grouped by ocid, merged and
 * written out. The number of buckets grows with the input (up to 256 open
 * files), so a bucket stays around BUCKET_BYTES of JSON. Output order: by bucket, then by ocid
 * (deterministic: the same input gives the same bytes).
 *
 * Releases of the pipeline's own layout (what convert writes) are not parsed while they are spread:
 * ingest hands them over as their bytes with their ocid (`release-text` events), and they are parsed
 * once, when their bucket is compiled. One that does not parse then is repaired or rejected there,
 * as ingest would have (its bucket line carries where it came from, for the reject's provenance).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { readInputBatches, type IngestOptions } from './ingest/reader.js';
import type { FileSummary, Provenance, RejectedRecord, ReleaseText, SourceRecord } from './ingest/types.js';
import type { Issue, IssueCode } from './core/issues.js';
import { parseRecordBytes } from './ingest/parse-record.js';
import { recordRejectReason } from './ingest/read-json.js';
import { excerptOf } from './ingest/file-state.js';
import { compiledTagMessage, embeddedReleases, recordOcid } from './ingest/classify.js';
import { isRejectLine, rejectOcid } from './ingest/rejects.js';
import { expandInputs, hashFile, type ExpandedInput } from './ingest/source.js';
import { AtomicWriter } from './publish/atomic.js';
import { COMPILED_BASE, compiledReleasesBeside, compileReleases, instantOf, releaseIdOf, rulesFor, versionReleases, type JsonValue, type MergeRules, type MergeWarning } from './transform/compile/merge.js';
import { publicationDateOf } from './transform/decp/build-releases.js';
import { jsonKeepingRange } from './transform/json-values.js';
import { withholdOcdsPersons } from './transform/ocds-persons.js';
import { ocdsPersonRules } from './ingest/profiles.js';
import { BucketSpool, bucketOf as bucketIn, joinSummaries, partBucket, pushReleaseLine, pushTextLine, SPLIT_AT, SPLIT_BYTES, type PartJob, type PartResult } from './compile-split.js';
import type { CutPlan } from './ingest/read-json.js';
import { runInWorker, WORKER_LIMITS, workerPool, workerUrl } from './core/workers.js';
import { linesOf } from './core/files.js';
import { LineBuffer } from './core/line-buffer.js';
import { scratchDir } from './core/scratch.js';
import { pointerKeys } from './core/keys.js';

/** Input bytes per bucket: small buckets keep the grouping phase's memory low (measured: 2–7 MB is best). */
const BUCKET_BYTES = 4 * 1024 * 1024;

export interface CompileOptions extends IngestOptions {
  readonly inputs: readonly string[];
  readonly rules: MergeRules;
  /**
   * When set, the rules for a process none of whose releases carries `x_decp` (a partner's): the
   * local extension's merge rule is DECP's convention, and applies to the data that uses it.
   */
  readonly plainRules?: MergeRules | undefined;
  /** When set, the rules for a process with a release from an OCDS 1.0 package (see InputFile.ocds10). */
  readonly ocds10Rules?: MergeRules | undefined;
  readonly versioned: boolean;
  /** Override the number of buckets (tests). */
  readonly buckets?: number;
  /** Files from this size on are read in two parts with two threads or more (default SPLIT_BYTES; tests). */
  readonly splitBytes?: number;
  /** Worker threads compiling buckets (default 1: this thread). */
  readonly concurrency?: number;
  /**
   * Hand releases of the pipeline's own layout to the buckets unparsed (default true: see above);
   * false parses every release in the first pass (the reference behaviour, for tests).
   */
  readonly releaseText?: boolean;
}

/**
 * A merge warning, or what reading an input record changed in it (a repaired syntax fault, a
 * dropped key, a long number kept as a string, bytes decoded as Windows-1252):
 * the release is used as read, and the warning says where it came from.
 */
export type CompileWarning = (MergeWarning | { readonly code: IssueCode; readonly path: string; readonly releaseId: string | null; readonly message: string; readonly file: string; readonly line: number }) & { readonly ocid: string };

export interface CompileSink {
  record(text: string): Promise<void> | void;
  /**
   * Optional: many records at once, as newline-terminated JSON Lines bytes (the chunk's memory is
   * the sink's: compile does not use it again, unless `chunksConsumed` says it may).
   */
  recordBytes?(chunk: Buffer): Promise<void> | void;
  /**
   * Set when recordBytes's promise settles only once the chunk is written or copied: compile then
   * uses its memory again for later chunks (fresh memory for each one cost the worker threads
   * page faults, and the frees across threads made glibc hand pages back to the system).
   */
  readonly chunksConsumed?: boolean;
  warning(w: CompileWarning): Promise<void> | void;
  /** An input record that gives no release: unreadable (ingest's reason) or not an OCDS release/record. */
  reject?(r: RejectedRecord): Promise<void> | void;
  /** An input that could not be read (its code and message), as soon as it is known (also in CompileCounts.fileErrors). */
  fileError?(e: { readonly code: string; readonly message: string }): void;
  /** A file read to its end (or to a fatal error: fileError says it too), with what its reading said. */
  fileEnd?(file: string, summary: FileSummary): void;
  /** Every input is read (the counts so far say which could not be), before the first record is handed over. */
  inputsRead?(counts: Readonly<CompileCounts>): Promise<void> | void;
}

export interface CompileCounts {
  files: number;
  filesUnreadable: number;
  releases: number;
  records: number;
  warnings: number;
  /** Of the warnings, those about input records changed while read (see CompileWarning). */
  inputWarnings: number;
  /**
   * Of the warnings, those about OCDS records without embedded releases that gave their
   * compiledRelease as their one release (TRANSFORM_COMPILED_RELEASE_ONLY: their history not read).
   */
  compiledOnly: number;
  /** Of those read, OCDS records listing linked releases beside embedded ones (TRANSFORM_LINKED_RELEASES_LEFT: the links not fetched). */
  linkedLeft: number;
  /**
   * Of the releases, compiled ones given beside releases of their ocid, left out of its record
   * (MERGE_COMPILED_RELEASE, among the merge warnings): `releases` - this were merged.
   */
  compiledLeftOut: number;
  /**
   * Of the releases, those whose id is given again for their ocid, left out of its record (one of
   * each id is used: MERGE_DUPLICATE_RELEASE, among the merge warnings).
   */
  duplicatesLeftOut: number;
  /** Input records read (a release, or a record with its embedded releases, or a record that was rejected). */
  read: number;
  /** Of those, records that gave no release (see CompileSink.reject); read = used + rejected. */
  rejected: number;
  buckets: number;
  /** Input files read in two parts by two threads (large JSON Lines files: see compile-split.ts). */
  filesInParts: number;
  /** Why each unreadable file could not be read (its code and message). */
  fileErrors: Array<{ code: string; message: string }>;
  /** The metadata of each input that is an OCDS package (uri, publisher, license, extensions, …). */
  packages: Array<Record<string, unknown>>;
}

type Obj = { [k: string]: JsonValue };

export interface BucketJob {
  readonly bucket: string;
  readonly rules: MergeRules;
  /** The rules for a process none of whose releases uses x_decp (see CompileOptions.plainRules). */
  readonly plainRules?: MergeRules | undefined;
  /** The rules for a process with a release from an OCDS 1.0 package (see CompileOptions.ocds10Rules). */
  readonly ocds10Rules?: MergeRules | undefined;
  readonly versioned: boolean;
  /** The input files, by number: bucket lines of releases handed over as text name theirs. */
  readonly files: readonly InputFile[];
  /** Memory of record chunks given back by the parent, to write later chunks in (see CompileSink.chunksConsumed). */
  readonly spares?: readonly ArrayBuffer[] | undefined;
  /** More files of this bucket's lines, read after `bucket` (lines of the parts of files read apart). */
  readonly parts?: readonly string[] | undefined;
  /** The parts of files read apart, by number (bucket lines name theirs `s<number>`). */
  readonly segments?: readonly Segment[] | undefined;
  /**
   * Set when the bucket's lines, its parts' after its own, are not in input order: a part is of a
   * file that other files followed (their lines came before the part's), or there are several.
   */
  readonly reorder?: boolean | undefined;
}

/**
 * The rest of an input file, read apart from a byte on (see Splits): its bucket lines number its
 * records from 0 and its lines from 1, and give offsets from that byte; these say where it starts.
 */
export interface Segment {
  /** The input file's number. */
  readonly of: number;
  /** Records of the file before it. */
  readonly index: number;
  /** The number of its first line in the file. */
  readonly line: number;
  /** Its first byte's offset in the file. */
  readonly offset: number;
}

/** Where a bucket line's release was read: its input file's number, the record's index, its line and offset (-1: a release parsed in the first pass). */
interface BucketRef {
  readonly f: number;
  readonly index: number;
  readonly line: number;
  readonly offset: number;
}

/**
 * The reference of the bucket line at `start` (up to its first tab): `<file> <index>` for a release
 * parsed in the first pass, `<file> <index> <line> <offset>` for one handed over as text, the file
 * being `s<number>` for a part of a file read apart (then made the file's own numbers).
 */
function refAt(bytes: Uint8Array, start: number, tab: number, segments: readonly Segment[] | undefined): BucketRef {
  let i = start;
  const inSegment = bytes[i] === 0x73;
  if (inSegment) i++;
  const n = [0, 0, 0, 0];
  let k = 0;
  for (; i < tab; i++) {
    const c = bytes[i]!;
    if (c === 0x20) k++;
    else n[k] = n[k]! * 10 + c - 0x30;
  }
  const s = inSegment ? segments?.[n[0]!] : undefined;
  if (k < 2) return s === undefined ? { f: n[0]!, index: n[1]!, line: -1, offset: 0 } : { f: s.of, index: s.index + n[1]!, line: -1, offset: 0 };
  if (s === undefined) return { f: n[0]!, index: n[1]!, line: n[2]!, offset: n[3]! };
  return { f: s.of, index: s.index + n[1]!, line: s.line + n[2]! - 1, offset: s.offset + n[3]! };
}

export interface InputFile {
  readonly file: string;
  readonly sha256: string;
  /** An OCDS 1.0 package (its `version` says 1.0, or it has none): its processes merge as 1.0 says. */
  ocds10?: boolean;
}

export interface BucketResult {
  readonly records: number;
  readonly warnings: number;
  /** Of the warnings, those about input records (see CompileWarning). */
  readonly inputWarnings: number;
  /** Releases handed over as text that did not parse (rejected here, not in the first pass). */
  readonly rejected: number;
  /** Compiled releases left out beside releases of their ocid (MERGE_COMPILED_RELEASE, among the warnings). */
  readonly compiledLeftOut: number;
  readonly duplicatesLeftOut: number;
}

/**
 * What a worker thread hands back for a bucket, in memory (its record bytes are transferred, not
 * copied): writing them to a file for the parent to read back cost the parent a third core's work.
 */
export interface BucketOutput extends BucketResult {
  /** The records, as JSON Lines bytes in chunks of whole lines. */
  readonly chunks: readonly Uint8Array[];
  readonly warningList: readonly CompileWarning[];
  readonly rejectList: readonly RejectedRecord[];
}

/** Record bytes gathered before they are handed to `CompileSink.recordBytes`. */
const RECORD_CHUNK = 1 << 20;

/** The memory a chunk of records is built in (a record may end past RECORD_CHUNK). */
const CHUNK_MEMORY = RECORD_CHUNK + (RECORD_CHUNK >> 1);

/** Chunk memory kept by a thread for its next buckets (given back by the parent: BucketJob.spares), at most MAX_SPARES. */
const chunkMemory: Buffer[] = [];
const MAX_SPARES = 24;
/** Chunk memory given with a bucket to a worker thread, at most (a bucket's records are ~3 times its size: about 8 chunks). */
const SPARES_PER_JOB = 12;

/** Memory for the next chunk of records: one given back, if any. */
const spareChunk = (): Buffer | undefined => chunkMemory.pop();

/**
 * Is `chunk` a view from the start of a chunk's memory, to be used again? Not memory a huge record
 * grew (over four times the usual): that is left to be freed, not kept for ever.
 */
const reusable = (chunk: Uint8Array): boolean => chunk.byteOffset === 0 && chunk.buffer.byteLength >= CHUNK_MEMORY && chunk.buffer.byteLength <= 4 * CHUNK_MEMORY;

/** The whole memory of `chunk` kept for later chunks, when it is reusable. */
function keepChunkMemory(chunk: Uint8Array): void {
  if (reusable(chunk) && chunkMemory.length < MAX_SPARES) chunkMemory.push(Buffer.from(chunk.buffer as ArrayBuffer));
}

/** A chunk of records to the sink; its memory used again when the sink says it is done with it then. */
async function handOver(chunk: Buffer, sink: CompileSink): Promise<void> {
  const p = sink.recordBytes!(chunk);
  if (p) await p;
  if (sink.chunksConsumed === true) keepChunkMemory(chunk);
}

/**
 * Compile one bucket file: group its releases by ocid, merge each group, records in ocid order.
 * A bucket line is the ocid as a JSON string, a tab, where the release came from when it was handed
 * over as text (`<file number> <index> <line> <offset>`; the file number and the record's index for
 * a release parsed in the first pass), a tab, then the release's JSON. The bucket is read as bytes and grouped by where its lines
 * are; a release's text is decoded and parsed only when its ocid is merged (text kept for a whole
 * bucket outlived the young generation: garbage collection took ~15 % of the threads' time).
 * When the sink takes bytes, the records are built as bytes: the releases' bytes are copied from the
 * bucket as they are (not encoded again), in chunks of whole lines. Removes the bucket file.
 */
export async function compileBucket(job: BucketJob, sink: CompileSink): Promise<BucketResult> {
  // read at once: a bucket is a few MB, and the thread has nothing else to do meanwhile
  const paths = [job.bucket, ...(job.parts ?? [])];
  const bytes = readBucket(paths);
  // (removed off this thread, meanwhile: freeing a file's cached pages took 3 % of a thread's time)
  const removed = Promise.all(paths.map((path) => rm(path, { force: true })));
  removed.catch(() => undefined); // awaited below
  // by ocid: the start (after the ocid's tab) and the end of each of its lines
  const groups = new Map<string, number[]>();
  for (let at = 0; at < bytes.length; ) {
    let end = bytes.indexOf(0x0a, at);
    if (end < 0) end = bytes.length;
    const tab = bytes.indexOf(0x09, at);
    const key = bytes.toString('utf8', at, tab);
    const ocid = key.includes('\\') ? (JSON.parse(key) as string) : key.slice(1, -1);
    let g = groups.get(ocid);
    if (!g) groups.set(ocid, (g = []));
    g.push(tab + 1, end);
    at = end + 1;
  }
  // a file read in parts gives its later lines after other files' (in the parts): each ocid's
  // releases are put back in input order, as one reading gives them (stable: the order of one record's releases stays)
  if (job.reorder === true) {
    for (const [ocid, spans] of groups) {
      if (spans.length <= 2) continue;
      const order = Array.from({ length: spans.length / 2 }, (_, k) => ({ k, ref: refAt(bytes, spans[2 * k]!, bytes.indexOf(0x09, spans[2 * k]!), job.segments) }));
      order.sort((a, b) => a.ref.f - b.ref.f || a.ref.index - b.ref.index || a.k - b.k);
      groups.set(ocid, order.flatMap(({ k }) => [spans[2 * k]!, spans[2 * k + 1]!]));
    }
  }
  for (const m of job.spares ?? []) if (chunkMemory.length < MAX_SPARES) chunkMemory.push(Buffer.from(m));
  // (each chunk handed over is the sink's: the next one is built in other memory, no copy made)
  const out = sink.recordBytes ? new LineBuffer(CHUNK_MEMORY, false, spareChunk()) : undefined;
  let records = 0;
  let warnings = 0;
  let inputWarned = 0;
  let rejected = 0;
  let compiledLeftOut = 0;
  let duplicatesLeftOut = 0;
  const ocds10 = job.ocds10Rules !== undefined && job.files.some((f) => f.ocds10);
  for (const ocid of [...groups.keys()].sort()) {
    const spans = groups.get(ocid)!;
    groups.delete(ocid);
    const texts: string[] = [];
    // where each release's text is in the bucket (start, end), or -1 when it was repaired (texts has it)
    const at: number[] = [];
    const releases: Obj[] = [];
    // of each release, whether it is of an OCDS 1.0 package (the rules are chosen from the releases
    // merged: not from one left out below, a compiled release beside them, as run chooses them)
    const of10: boolean[] = [];
    // where each release was read: its input file's number and record index (-1: not known)
    const read: Array<readonly [number, number]> = [];
    for (let k = 0; k < spans.length; k += 2) {
      const start = spans[k]!;
      const tab = bytes.indexOf(0x09, start);
      const text = bytes.toString('utf8', tab + 1, spans[k + 1]);
      const ref = refAt(bytes, start, tab, job.segments);
      if (ref.line < 0) {
        texts.push(text);
        at.push(tab + 1, spans[k + 1]!);
        releases.push(JSON.parse(text) as Obj);
        of10.push(ocds10 && job.files[ref.f]?.ocds10 === true);
        read.push([ref.f, ref.index]);
        continue;
      }
      const got = releaseOfText(text, ref, job.files, ocid);
      if ('reject' in got) {
        rejected++;
        const p = sink.reject?.(got.reject);
        if (p) await p;
        continue;
      }
      for (const w of got.issues ?? []) {
        warnings++;
        inputWarned++;
        const p = sink.warning(w);
        if (p) await p;
      }
      texts.push(got.text);
      if (got.text === text) at.push(tab + 1, spans[k + 1]!);
      else at.push(-1, -1);
      releases.push(got.release);
      of10.push(ocds10 && job.files[ref.f]?.ocds10 === true);
      read.push([ref.f, ref.index]);
    }
    if (releases.length === 0) continue;
    // a release id is unique within its process (OCDS): one given again (the same record in two
    // feeds, or republished with one more modification) is used once (duplicateReleases)
    const dropped = releases.length > 1 ? duplicateReleases(releases, read) : [];
    for (const k of dropped) {
      warnings++;
      duplicatesLeftOut++;
      const p = sink.warning({ code: 'MERGE_DUPLICATE_RELEASE', path: 'id', releaseId: releaseIdOf(releases[k]!), message: 'this release id is given again in the input: the one of the later publication (its record\'s latest release date), else the one read last, is used; this one left out', ocid });
      if (p) await p;
    }
    for (const k of dropped.reverse()) {
      releases.splice(k, 1);
      of10.splice(k, 1);
      texts.splice(k, 1);
      at.splice(2 * k, 2);
    }
    // a partner's natural persons, across the ocid's releases, as the nightly job withholds them
    // (convert sees one release at a time: the supplier a contract release identifies as a person is
    // named without identifier in the award release; found by a partners probe: `convert | compile`
    // published a name `run` withholds); a release changed is written as changed
    const partner: number[] = [];
    releases.forEach((r, k) => void (!('x_decp' in r) && partner.push(k)));
    if (partner.length > 0) {
      for (const j of withholdOcdsPersons(partner.map((k) => releases[k]!), ocdsPersonRules())) {
        const k = partner[j]!;
        texts[k] = jsonKeepingRange(releases[k]);
        at[2 * k] = -1;
        at[2 * k + 1] = -1;
      }
    }
    // a compiled release beside releases of its history is what they merge into, not one of them;
    // one dated before them all is the state they start from (compiledReleasesBeside)
    const found = compiledReleasesBeside(releases);
    for (const { at: k, message } of found.leftOut) {
      warnings++;
      compiledLeftOut++;
      const p = sink.warning({ code: 'MERGE_COMPILED_RELEASE', path: 'tag', releaseId: releaseIdOf(releases[k]!), message, ocid });
      if (p) await p;
    }
    if (found.base >= 0) {
      warnings++;
      const p = sink.warning({ code: 'MERGE_COMPILED_BASE', path: 'tag', releaseId: releaseIdOf(releases[found.base]!), message: COMPILED_BASE, ocid });
      if (p) await p;
    }
    for (const k of found.leftOut.map((x) => x.at).reverse()) {
      releases.splice(k, 1);
      of10.splice(k, 1);
      texts.splice(k, 1);
      at.splice(2 * k, 2);
    }
    const rules = rulesFor(job, releases, of10.includes(true));
    const compiled = compileReleases(releases, rules);
    // the record lists its releases in merge order (date order, as OCDS asks), whatever the input's
    if (compiled.order.some((i, k) => i !== k)) {
      const [t, a] = [[...texts], [...at]];
      compiled.order.forEach((i, k) => {
        texts[k] = t[i]!;
        at[2 * k] = a[2 * i]!;
        at[2 * k + 1] = a[2 * i + 1]!;
      });
    }
    for (const w of compiled.warnings) {
      warnings++;
      const p = sink.warning({ ...w, ocid });
      if (p) await p;
    }
    const compiledJson = JSON.stringify(compiled.compiledRelease);
    const versionedJson = job.versioned ? JSON.stringify(versionReleases(releases, rules)) : undefined;
    records++;
    if (!out) {
      const p = sink.record(recordText(ocid, texts, compiledJson, versionedJson));
      if (p) await p;
      continue;
    }
    addRecordLine(out, ocid, texts, bytes, at, compiledJson, versionedJson);
    if (out.length >= RECORD_CHUNK) await handOver(out.swap(spareChunk()), sink);
  }
  if (out) {
    // (the memory of the last chunk is not needed here again; unused, it is kept for the next bucket)
    const last = out.swap(null);
    if (last.length > 0) await handOver(last, sink);
    else keepChunkMemory(last);
  }
  await removed;
  return { records, warnings, inputWarnings: inputWarned, rejected, compiledLeftOut, duplicatesLeftOut };
}

/**
 * Positions of the releases left out because their string id is given again (ascending). Of one
 * id's releases, the one of the latest publication is used — the latest release date of its source
 * record (`x_decp.sourceSha256` and `sourceIndex` name the record; a release without them is a record
 * of its own), as `run` keeps the later publication (`releases.source_published`): a record
 * republished with one more modification wins over the older publication read after it — then the
 * one read last. A release without its record's name (convert names it on the record's first
 * release only) is of the record of the release read just before it, in the same input record or
 * the one before (`read`: file number and record index), when that one is of a named record:
 * convert writes a record's releases one after the other. Releases that no record names (a
 * partner's, one per line) are each their own publication: the later date wins, whatever the order.
 */
function duplicateReleases(releases: readonly Obj[], read: ReadonlyArray<readonly [number, number]>): number[] {
  const byId = new Map<string, number[]>();
  releases.forEach((r, k) => {
    // (a number too, as the store keys it: `58125` twice is one release given again)
    const id = releaseIdOf(r);
    if (id === null) return;
    const list = byId.get(id);
    if (list) list.push(k);
    else byId.set(id, [k]);
  });
  if (byId.size === releases.length) return [];
  const named = releases.map((r) => {
    const x = r['x_decp'];
    if (x !== null && typeof x === 'object' && !Array.isArray(x) && typeof x['sourceSha256'] === 'string' && (typeof x['sourceIndex'] === 'number' || typeof x['sourceIndex'] === 'string')) return `${x['sourceSha256']}#${x['sourceIndex']}`;
    return null;
  });
  // in input order: a release without a name takes the one of the release read just before it
  const order = releases.map((_, k) => k).sort((a, b) => read[a]![0] - read[b]![0] || read[a]![1] - read[b]![1] || a - b);
  const sources: string[] = [];
  order.forEach((k, n) => {
    const before = n > 0 ? order[n - 1]! : -1;
    // (the same record: one index; the next record of the file: the next index)
    const follows = before >= 0 && read[before]![0] === read[k]![0] && (read[before]![1] === read[k]![1] || read[before]![1] === read[k]![1] - 1);
    // (a named record's: `sha#index`; an anonymous one's `#k` is no record the next release can be of)
    sources[k] = named[k] ?? (follows && !sources[before]!.startsWith('#') ? sources[before]! : `#${k}`);
  });
  const published = new Map<string, number>();
  releases.forEach((r, k) => {
    const date = publicationDateOf(r);
    // (the instant as the merge and the store read it, a date-time without its zone in UTC: Date.parse
    // read it in the machine's zone, and which publication won depended on it)
    const t = date === undefined ? null : instantOf(date);
    published.set(sources[k]!, Math.max(published.get(sources[k]!) ?? Number.NEGATIVE_INFINITY, t ?? Number.NEGATIVE_INFINITY));
  });
  const dropped: number[] = [];
  for (const list of byId.values()) {
    if (list.length < 2) continue;
    let keep = list[0]!;
    for (const k of list.slice(1)) if (published.get(sources[k]!)! >= published.get(sources[keep]!)!) keep = k;
    for (const k of list) if (k !== keep) dropped.push(k);
  }
  return dropped.sort((a, b) => a - b);
}

/**
 * The memory buckets are read into, kept from one bucket to the next (a thread compiles one at a
 * time, as every caller awaits each compileBucket): a fresh buffer per bucket cost a tenth of the
 * threads' time in page faults. Nothing keeps a view of it past compileBucket (strings are decoded
 * from it, record bytes copied).
 */
let bucketMemory = Buffer.allocUnsafeSlow(0);

/** A bucket's bytes (its files one after the other), in bucketMemory (valid until the next call). */
function readBucket(paths: readonly string[]): Buffer {
  const fds = paths.map((path) => openSync(path, 'r'));
  try {
    const sizes = fds.map((fd) => fstatSync(fd).size);
    const size = sizes.reduce((a, b) => a + b, 0);
    if (bucketMemory.length < size) bucketMemory = Buffer.allocUnsafeSlow(Math.max(size, Math.ceil(bucketMemory.length * 1.25)));
    let got = 0;
    fds.forEach((fd, k) => {
      for (let from = 0; from < sizes[k]!; ) {
        const n = readSync(fd, bucketMemory, got, sizes[k]! - from, from);
        if (n === 0) break;
        got += n;
        from += n;
      }
    });
    return bucketMemory.subarray(0, got);
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

/**
 * A release handed over as text (see ReleaseText in ingest/types.ts): parsed, or, when that fails,
 * read as ingest would have read it (two faults are repaired, anything else is rejected with its
 * position), with its provenance rebuilt from the bucket line's reference (read only then) and the
 * ocid its bucket line is filed under.
 */
function releaseOfText(text: string, ref: BucketRef, files: readonly InputFile[], ocid: string): { release: Obj; text: string; issues?: readonly CompileWarning[] } | { reject: RejectedRecord } {
  try {
    return { release: JSON.parse(text) as Obj, text };
  } catch {
    // read again below, as ingest reads a record
  }
  const { index, line, offset } = ref;
  const source = files[ref.f];
  const provenance: Provenance = { file: source?.file ?? '?', sha256: source?.sha256 ?? '', index, line, offset };
  const bytes = Buffer.from(text, 'utf8');
  const r = parseRecordBytes(bytes, 'utf-8', false, true);
  // (its ocid was read when it was handed over: the bucket groups its lines by it)
  if (!r.ok) return { reject: { provenance, ...ocidOf(ocid), code: r.code, reason: recordRejectReason(r, bytes, line, offset), excerpt: excerptOf(bytes) } };
  // repaired (raw control characters, NaN): written again and read back, as a release parsed in the
  // first pass goes through its bucket (a number too large for a double stays one, as there)
  const again = jsonKeepingRange(r.data);
  const release = JSON.parse(again) as Obj;
  return { release, text: again, issues: inputWarnings(r.issues, provenance, release) };
}

/**
 * What reading an input record changed in it, as compile warnings (see CompileWarning). Mojibake is
 * only noticed, not changed (and convert's releases carry it as a quality flag already): not repeated.
 */
function inputWarnings(issues: readonly Issue[], provenance: Provenance, record: Obj): CompileWarning[] {
  const ocid = typeof record['ocid'] === 'string' ? record['ocid'] : '';
  const releaseId = typeof record['id'] === 'string' ? record['id'] : null;
  return issues.filter((i) => i.code !== 'INGEST_MOJIBAKE').map((i) => ({ code: i.code, path: dottedPath(i.pointer ?? ''), releaseId, message: i.message, file: provenance.file, line: provenance.line, ocid }));
}

/** A JSON pointer written as the merge warnings' paths are (`/planning/budget/id` → `planning.budget.id`; indexes kept: `awards.0.id`). */
function dottedPath(pointer: string): string {
  return pointerKeys(pointer).join('.');
}

/** A reject's `ocid` key, when `v` is one it may carry (rejectOcid). */
const ocidOf = (v: unknown): { ocid?: string } => {
  const ocid = rejectOcid(v);
  return ocid === undefined ? {} : { ocid };
};

/** Can this name a record? An ocid is a string that is not blank (the run's store rejects the others too). */
const usableOcid = (ocid: unknown): ocid is string => typeof ocid === 'string' && ocid.trim() !== '';

/** What the TRANSFORM_LINKED_RELEASES_LEFT warning says: `linked` releases of a record given as links beside `embedded` ones. */
const linkedLeftMessage = (linked: number, embedded: number): string =>
  `the record lists ${linked} linked release(s) (URLs, not fetched: no network) beside its ${embedded} embedded one(s): it is compiled from the embedded ones only, so its compiled release may lack what the linked ones say (its own compiledRelease is not used)`;

/** What the TRANSFORM_COMPILED_RELEASE_ONLY warning says (`convert` and `validate` say it too). */
const COMPILED_ONLY = 'an OCDS record without embedded releases (linked, not fetched: no network; or none): its compiledRelease, the publisher\'s statement of the current state (tag "compiled"), is used as its one release; its history is not read';

/** Why a release whose ocid is `ocid` (not usable) is rejected. */
const noOcid = (ocid: unknown): string => `a release ${ocid === undefined ? 'without an ocid' : `whose ocid (${JSON.stringify(ocid)}) is not a non-blank string`}: no record can be named for it`;

/**
 * An OCDS record as JSON text; its releases are spliced in as the text they were read as, its
 * compiled (and versioned) release as the JSON given.
 */
function recordText(ocid: string, releaseTexts: readonly string[], compiledJson: string, versionedJson?: string): string {
  return `${recordHead(ocid)}${releaseTexts.join(',')}${recordTail(compiledJson, versionedJson)}`;
}

/**
 * An OCDS record as a line of `out` (see recordText): release k is copied from `bytes` (its UTF-8
 * from `at[2k]` to `at[2k+1]`) when `at[2k]` is not negative, else encoded from `texts[k]`.
 */
export function addRecordLine(out: LineBuffer, ocid: string, texts: readonly string[], bytes: Uint8Array, at: readonly number[], compiledJson: string, versionedJson?: string): void {
  out.add(recordHead(ocid));
  for (let k = 0; k < texts.length; k++) {
    if (k > 0) out.add(',');
    if (at[2 * k]! >= 0) out.addBytes(bytes, at[2 * k]!, at[2 * k + 1]!);
    else out.add(texts[k]!);
  }
  out.add(recordTail(compiledJson, versionedJson));
  out.endLine();
}

/** A record's text up to its releases (see recordText). */
function recordHead(ocid: string): string {
  return `{"ocid":${JSON.stringify(ocid)},"releases":[`;
}

/** A record's text after its releases (see recordText). */
function recordTail(compiledJson: string, versionedJson: string | undefined): string {
  return versionedJson === undefined ? `],"compiledRelease":${compiledJson}}` : `],"compiledRelease":${compiledJson},"versionedRelease":${versionedJson}}`;
}

/** A worker's record bytes handed to the sink: as they are when it takes bytes, else line by line. */
async function forwardChunks(chunks: readonly Uint8Array[], sink: CompileSink): Promise<void> {
  const buffers = chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  if (sink.recordBytes) {
    for (const b of buffers) {
      const p = sink.recordBytes(b);
      if (p) await p;
    }
    return;
  }
  for await (const line of linesOf(buffers)) {
    const p = sink.record(line);
    if (p) await p;
  }
}

export async function compileInputs(options: CompileOptions, sink: CompileSink, stdin?: Readable): Promise<CompileCounts> {
  const counts: CompileCounts = { files: 0, filesUnreadable: 0, releases: 0, records: 0, warnings: 0, inputWarnings: 0, compiledOnly: 0, linkedLeft: 0, compiledLeftOut: 0, duplicatesLeftOut: 0, read: 0, rejected: 0, buckets: 0, filesInParts: 0, fileErrors: [], packages: [] };
  // the inputs expanded once (stdin and named pipes are spooled to files, read once), then sized:
  // the buckets' number follows the inputs' size on disk
  const { files: inputs, cleanup } = await expandInputs(options.inputs, stdin, { exclude: options.exclude, refuseEmpty: options.refuseEmpty, skipped: options.skipped });
  try {
    return await compileExpanded(inputs, options, sink, counts);
  } finally {
    await cleanup();
  }
}

async function compileExpanded(inputs: readonly ExpandedInput[], options: CompileOptions, sink: CompileSink, counts: CompileCounts): Promise<CompileCounts> {
  let total = 0;
  for (const f of inputs) total += await stat(f.path).then((s) => s.size, () => 0);
  const n = options.buckets ?? Math.min(256, Math.max(1, Math.ceil(total / BUCKET_BYTES)));
  // what waits in memory for each bucket before it is written: 32 MiB in all
  const flushAt = Math.max(64 * 1024, Math.floor((32 << 20) / n));
  counts.buckets = n;
  const { dir, forget } = scratchDir(tmpdir(), 'decp-ocds-compile-');
  const threads = Math.max(1, Math.min(options.concurrency ?? 1, n));
  // a large JSON Lines file is read in two parts with two threads (see compile-split.ts)
  const split = threads >= 2 && options.sample === undefined && options.encoding === undefined && (options.releaseText ?? true) ? new Splits(dir, n, flushAt, options) : undefined;
  try {
    // each bucket's lines wait as UTF-8 bytes in a buffer of its own (no joined strings)
    const spool = new BucketSpool(await Promise.all(Array.from({ length: n }, (_, k) => AtomicWriter.open(join(dir, `${k}.jsonl`)))), flushAt);
    const pending = spool.pending;
    const bucketOf = (ocid: string): number => bucketIn(ocid, n);
    /** One more release in bucket `b`'s pending lines: written out when they are enough. */
    const added = async (b: number): Promise<void> => {
      counts.releases++;
      await spool.flush(b);
    };
    const put = async (release: unknown, index: number, known?: string): Promise<void> => {
      const ocid = release !== null && typeof release === 'object' ? (release as Obj)['ocid'] : undefined;
      const key = typeof ocid === 'string' ? ocid : '';
      const b = bucketOf(key);
      // the ocid first (a JSON string holds no raw tab): the bucket groups lines without parsing them
      // (the input file's number and the record's index: which releases came one after the other);
      // a release read from JSON keeps its text: no need to serialise it again
      pushReleaseLine(pending[b]!, String(files.length - 1), key, index, release, known);
      await added(b);
    };
    // the input files, by number, for the provenance of releases handed over as text
    const files: InputFile[] = [];
    const putText = async (r: ReleaseText): Promise<void> => {
      if (!usableOcid(r.ocid)) {
        return reject({ provenance: r.provenance, code: 'TRANSFORM_NO_ID', reason: noOcid(r.ocid) });
      }
      const b = bucketOf(r.ocid);
      pushTextLine(pending[b]!, String(files.length - 1), r);
      await added(b);
    };
    // A file's SHA-256 is in its rejects' provenance, and nowhere else here: it is computed when a
    // reject first needs it, not before the file is read (hashing 1.67 GB took 1.2 s of the first
    // pass's busier thread, for nothing when every release is good); the file is read again then
    const hashes = new Map<number, Promise<string>>();
    const sha256Of = (k: number): Promise<string> => {
      let h = hashes.get(k);
      if (h === undefined) hashes.set(k, (h = files[k]!.sha256 !== '' ? Promise.resolve(files[k]!.sha256) : hashFile(inputs[k]!.path).catch(() => '')));
      return h;
    };
    /** The reject, its provenance naming file `k`'s SHA-256 (-1: a file not known by that name). */
    const hashed = async (r: RejectedRecord, k: number): Promise<RejectedRecord> => (r.provenance.sha256 !== '' || k < 0 ? r : { ...r, provenance: { ...r.provenance, sha256: await sha256Of(k) } });
    // (a bucket's rejects name their file as its records do)
    const hashedByName = (r: RejectedRecord): Promise<RejectedRecord> => hashed(r, files.findIndex((f) => f.file === r.provenance.file));
    const reject = async (r: RejectedRecord): Promise<void> => {
      counts.rejected++;
      if (sink.reject === undefined) return;
      const p = sink.reject(await hashed(r, files.length - 1));
      if (p) await p;
    };
    // what reading a record that gives releases changed in it, said
    const changed = async (rec: SourceRecord): Promise<void> => {
      for (const w of inputWarnings(rec.issues, rec.provenance, rec.data as Obj)) {
        counts.warnings++;
        counts.inputWarnings++;
        const p = sink.warning(w);
        if (p) await p;
      }
    };
    for await (const batch of readInputBatches(inputs, { ...options, releaseText: options.releaseText ?? true, hashFiles: false, cut: split?.plan })) {
      for (const ev of batch) {
        // (a file read in parts: records before the cut are releases, else the rest is not taken: see Splits)
        if (split !== undefined && ev.type === 'record' && ev.record.type !== 'release') split.mixed = true;
        if (ev.type === 'release-text') {
          counts.read++;
          await putText(ev.release);
        } else if (ev.type === 'record') {
          counts.read++;
          const rec = ev.record;
          if (rec.type === 'release') {
            if (usableOcid(rec.data['ocid'])) {
              if (rec.issues.length > 0) await changed(rec);
              await put(rec.data, rec.provenance.index, rec.text);
            } else await reject({ provenance: rec.provenance, code: 'TRANSFORM_NO_ID', reason: noOcid(rec.data['ocid']) });
          } else if (rec.type === 'record') {
            const got = embeddedReleases(rec.data);
            const bad = 'reason' in got ? -1 : got.releases.findIndex((r) => !usableOcid(r['ocid']));
            // (a record rejected for its releases names its process all the same, when it gives an ocid)
            if ('reason' in got) await reject({ provenance: rec.provenance, ...ocidOf(recordOcid(rec.data)), code: 'TRANSFORM_UNSUPPORTED_RECORD', reason: got.reason });
            else if (bad >= 0) await reject({ provenance: rec.provenance, ...ocidOf(recordOcid(rec.data)), code: 'TRANSFORM_NO_ID', reason: `release ${bad + 1} of the record: ${noOcid(got.releases[bad]!['ocid'])} (the record is left out whole)` });
            else {
              if (rec.issues.length > 0) await changed(rec);
              if (got.compiled) {
                // its releases are linked (not fetched) or absent: its compiledRelease is the ocid's one release
                counts.warnings++;
                counts.compiledOnly++;
                const r = got.releases[0]!;
                const w = sink.warning({ code: 'TRANSFORM_COMPILED_RELEASE_ONLY', path: 'compiledRelease', releaseId: releaseIdOf(r as Obj), message: COMPILED_ONLY, file: rec.provenance.file, line: rec.provenance.line, ocid: r['ocid'] as string });
                if (w) await w;
                if (got.tagGiven !== undefined) {
                  // (a change made to the input record: counted with those, apart from the merge's warnings)
                  counts.warnings++;
                  counts.inputWarnings++;
                  const t = sink.warning({ code: 'TRANSFORM_COMPILED_RELEASE_TAG', path: 'compiledRelease/tag', releaseId: releaseIdOf(r as Obj), message: compiledTagMessage(got.tagGiven), file: rec.provenance.file, line: rec.provenance.line, ocid: r['ocid'] as string });
                  if (t) await t;
                }
              }
              if (got.linked !== undefined) {
                // linked releases beside embedded ones: not fetched, so the record's history here lacks
                // them (said: the compiled release may not be the publisher's)
                counts.warnings++;
                counts.linkedLeft++;
                const r = got.releases[0]!;
                const w = sink.warning({ code: 'TRANSFORM_LINKED_RELEASES_LEFT', path: 'releases', releaseId: null, message: linkedLeftMessage(got.linked, got.releases.length), file: rec.provenance.file, line: rec.provenance.line, ocid: typeof r['ocid'] === 'string' ? r['ocid'] : '' });
                if (w) await w;
              }
              // a release names its process: one embedded in the record of another ocid is compiled
              // under its own (the record's ocid names no release then), said
              const ownOcid = rec.data['ocid'];
              const strays = typeof ownOcid === 'string' && !got.compiled ? got.releases.filter((r) => r['ocid'] !== ownOcid) : [];
              for (const r of strays) {
                counts.warnings++;
                const w = sink.warning({ code: 'TRANSFORM_RECORD_OCID_MISMATCH', path: 'ocid', releaseId: releaseIdOf(r as Obj), message: `a release embedded in the record of ${JSON.stringify(ownOcid)} has the ocid ${JSON.stringify(r['ocid'])}: it is compiled in the record of its own ocid`, file: rec.provenance.file, line: rec.provenance.line, ocid: r['ocid'] as string });
                if (w) await w;
              }
              for (const r of got.releases) await put(r, rec.provenance.index);
            }
          } else if (rec.type === 'unknown' && 'ocid' in rec.data && !isRejectLine(rec.data)) await reject({ provenance: rec.provenance, code: 'TRANSFORM_NO_ID', reason: noOcid(rec.data['ocid']) });
          else await reject({ provenance: rec.provenance, code: 'TRANSFORM_UNSUPPORTED_RECORD', reason: `not an OCDS release or record: ${rec.type === 'unknown' ? `${'ocid' in rec.data ? 'a line of decp-ocds rejects output (a record rejected before)' : 'an object without an ocid'} (keys: ${Object.keys(rec.data).slice(0, 8).join(', ')})` : `a DECP ${rec.type} (convert it first)`}` });
        } else if (ev.type === 'reject') {
          counts.read++;
          await reject(ev.reject);
        } else if (ev.type === 'file-start') {
          files.push({ file: ev.file.file, sha256: ev.file.sha256 });
          if (split !== undefined) split.file = files.length - 1;
        } else if (ev.type === 'file-end') {
          counts.files++;
          // the rest of a file read apart: its releases are in its bucket files
          const rest = split?.taken(files.length - 1);
          if (rest !== undefined) {
            counts.filesInParts++;
            counts.read += rest.lines;
            counts.releases += rest.lines;
          }
          sink.fileEnd?.(ev.file.file, rest === undefined ? ev.summary : joinSummaries(ev.summary, rest.summary));
          if (ev.summary.format === 'ocds-release-package' || ev.summary.format === 'ocds-record-package') {
            counts.packages.push(...(ev.summary.packages ?? (ev.summary.meta ? [ev.summary.meta] : [])));
            if (ev.summary.version === '1.0' && files.length > 0) files[files.length - 1]!.ocds10 = true;
          }
          if (ev.summary.error?.fatal) {
            counts.filesUnreadable++;
            counts.fileErrors.push({ code: ev.summary.error.code, message: ev.summary.error.message });
            sink.fileError?.({ code: ev.summary.error.code, message: ev.summary.error.message });
          }
        }
      }
    }
    const read = sink.inputsRead?.(counts);
    if (read) await read;
    const add = (r: BucketResult): void => {
      counts.records += r.records;
      counts.warnings += r.warnings;
      counts.inputWarnings += r.inputWarnings;
      counts.compiledLeftOut += r.compiledLeftOut;
      counts.duplicatesLeftOut += r.duplicatesLeftOut;
      counts.releases -= r.rejected;
      counts.rejected += r.rejected;
    };
    await spool.commit();
    // one bucket in memory at a time (per thread); with several threads, buckets are compiled in
    // parallel and their outputs handed to the sink in bucket order (the same bytes as one thread)
    const parts = split?.parts(n) ?? [];
    const segments = split?.segments;
    // (one part, of the last file read: its lines follow the bucket's own in input order already)
    const reorder = split !== undefined && (split.takenCount > 1 || (split.takenCount === 1 && !split.taken(files.length - 1)));
    const job = (b: number): BucketJob => ({ bucket: join(dir, `${b}.jsonl`), parts: parts[b]?.map((p) => join(dir, p)), segments, reorder, rules: options.rules, plainRules: options.plainRules, ocds10Rules: options.ocds10Rules, versioned: options.versioned, files });
    const step = (b: number): void => options.watch?.step('compiling: bucket', b, n);
    step(0);
    if (threads === 1) {
      const bucketSink: CompileSink =
        sink.reject === undefined
          ? sink
          : Object.assign(Object.create(sink) as CompileSink, {
              reject: async (r: RejectedRecord): Promise<void> => {
                const p = sink.reject!(await hashedByName(r));
                if (p) await p;
              },
            });
      for (let b = 0; b < n; b++) {
        add(await compileBucket(job(b), bucketSink));
        step(b + 1);
      }
    } else {
      // a bucket is a few MB of JSON: a small heap keeps the threads' memory low
      const pool = workerPool<BucketJob, BucketOutput>(workerUrl('./worker/compile-bucket.js', import.meta.url), threads, { ...WORKER_LIMITS, maxOldGenerationSizeMb: 128 });
      const pending = new Map<number, Promise<BucketOutput>>();
      let next = 0;
      // the memory of record chunks written out, given back to the threads with their next buckets
      const given: ArrayBuffer[] = [];
      const start = (b: number): void => {
        const spares = given.splice(0, SPARES_PER_JOB);
        const p = pool.run({ ...job(b), spares }, `bucket ${b}`, spares);
        p.catch(() => undefined); // awaited in bucket order below
        pending.set(b, p);
      };
      try {
        // two buckets in flight per thread: workers never wait for the parent to write one out; with
        // --versioned (records ~5 times larger, each bucket's held in memory until its turn) one per
        // thread: 2 threads on 1,000,000 releases peaked at 495–499 MB with 3 or 4 in flight
        const inFlight = options.versioned ? threads : threads * 2;
        for (; next < Math.min(n, inFlight); next++) start(next);
        for (let b = 0; b < n; b++) {
          const r = await pending.get(b)!;
          pending.delete(b);
          if (next < n) start(next++);
          for (const w of r.warningList) {
            const p = sink.warning(w);
            if (p) await p;
          }
          for (const rej of r.rejectList) {
            if (sink.reject === undefined) break;
            const p = sink.reject(await hashedByName(rej));
            if (p) await p;
          }
          await forwardChunks(r.chunks, sink);
          if (sink.chunksConsumed === true) {
            for (const c of r.chunks) if (reusable(c) && given.length < MAX_SPARES) given.push(c.buffer as ArrayBuffer);
          }
          add(r);
          step(b + 1);
        }
      } finally {
        await pool.close();
      }
    }
  } finally {
    // (a part's reading still going on, not wanted: stopped, and waited for before its folder goes)
    await split?.close();
    await rm(dir, { recursive: true, force: true });
    forget();
  }
  return counts;
}

/**
 * The large JSON Lines files of one compile read in two parts (see compile-split.ts): `plan` is
 * asked for each input before it is read, and starts a worker on the rest of a file that qualifies;
 * the reading of this thread asks the plan, at the cut, whether to stop there.
 */
class Splits {
  /** The parts read apart, by number (its file's numbers are set when it is taken). */
  readonly segments: Segment[] = [];
  /** The input file being read (its number). */
  file = -1;
  /** Set when the file being read gave a record that is not a release (then its rest is not taken: the file's summary would not be what its parts' add up to). */
  mixed = false;
  private readonly running: Array<Promise<unknown>> = [];
  private readonly stops: Int32Array[] = [];
  /** The parts taken, by input file number: what their reading gave. */
  private readonly done = new Map<number, { segment: number; lines: number; summary: FileSummary }>();

  constructor(
    private readonly dir: string,
    private readonly buckets: number,
    private readonly flushAt: number,
    private readonly options: CompileOptions,
  ) {}

  readonly plan = (input: ExpandedInput): CutPlan | undefined => {
    const at = cutOf(input.path, this.options.splitBytes ?? SPLIT_BYTES);
    if (at === null) return undefined;
    const segment = this.segments.length;
    // (a placeholder until the part is taken)
    this.segments.push({ of: -1, index: 0, line: 1, offset: at });
    const stop = new SharedArrayBuffer(4);
    this.stops.push(new Int32Array(stop));
    const job: PartJob = { path: input.path, display: input.display, at, buckets: this.buckets, dir: this.dir, segment, flushAt: this.flushAt, stop, maxRecordBytes: this.options.maxRecordBytes, maxDepth: this.options.maxDepth };
    const reading = runInWorker<PartJob, PartResult>(workerUrl('./worker/compile-split.js', import.meta.url), job, `the rest of ${input.display}`).catch((err: unknown): PartResult => ({ ok: false, why: String(err) }));
    this.running.push(reading);
    let answer: Promise<boolean> | undefined;
    this.mixed = false;
    return {
      at,
      // (the first answer holds: the reader tells null again when it ends)
      decide: (where) =>
        (answer ??= (async () => {
          if (where === null || this.mixed) {
            Atomics.store(this.stops[segment]!, 0, 1);
            return false;
          }
          const r = await reading;
          if (!r.ok) return false;
          this.segments[segment] = { of: this.file, index: where.index, line: where.line, offset: at };
          this.done.set(this.file, { segment, lines: r.lines, summary: r.summary });
          return true;
        })()),
    };
  };

  /** The part taken of input file `file`, if any (asked once, at its end). */
  taken(file: number): { lines: number; summary: FileSummary } | undefined {
    return this.done.get(file);
  }

  /** How many parts are taken. */
  get takenCount(): number {
    return this.done.size;
  }

  /** Each bucket's part files, in the order of the parts (the parts taken only). */
  parts(buckets: number): string[][] {
    const taken = [...this.done.values()].map((d) => d.segment).sort((a, b) => a - b);
    return Array.from({ length: buckets }, (_, b) => taken.map((s) => partBucket(b, s)));
  }

  /** Stop the readings not wanted and wait for every one to end. */
  async close(): Promise<void> {
    for (const s of this.stops) Atomics.store(s, 0, 1);
    await Promise.all(this.running);
  }
}

/**
 * Where the rest of a file is read apart from (the first byte of the line after SPLIT_AT of it), or
 * null when it is not worth it or cannot be: smaller than `min`, not a regular file, or not starting
 * as a release of the pipeline's own layout (`{"ocid":"`); the readings decide the rest.
 */
function cutOf(path: string, min: number): number | null {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const st = fstatSync(fd);
    if (!st.isFile() || st.size < min) return null;
    const head = Buffer.alloc(OWN_START.length);
    if (readSync(fd, head, 0, head.length, 0) < head.length || !head.equals(OWN_START)) return null;
    const from = Math.floor(st.size * SPLIT_AT);
    const window = Buffer.alloc(Math.min(1 << 20, st.size - from));
    const got = readSync(fd, window, 0, window.length, from);
    const nl = window.subarray(0, got).indexOf(0x0a);
    if (nl < 0 || from + nl + 1 >= st.size) return null;
    return from + nl + 1;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

const OWN_START = Buffer.from('{"ocid":"');
