/**
 * The nightly job (`decp-ocds run`): ingest → convert → load → compile and
 * validate → publish, into the output folder (cli-contract.md).
 *
 * Incremental: the store remembers every source file by content hash. A file
 * already read is skipped; a new file is converted and its releases added; a
 * new version of a path replaces the releases of the old one. Only the ocids
 * the run touches are recompiled, and only their blocks of ocds/ recompressed.
 * Atomic: everything is built in a staging folder with a copy of the store and
 * published by renames (see publish/output-dir.ts).
 */
import { createHash } from 'node:crypto';
import { constants as fsConstants, fstatSync, type Stats } from 'node:fs';
import { copyFile, open, readdir, realpath, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { makeDirs } from './core/files.js';
import { availableParallelism } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertInputsParallel } from './convert-parallel.js';
import { noConvertCounts, ocidOtherLine } from './convert.js';
import { asWriteError, EXIT, PipelineError } from './core/errors.js';
import type { Effects } from './core/effects.js';
import { logFileIssues, type Logger } from './core/log.js';
import { MERGE_WORKER_LIMITS, runInWorker, workerUrl } from './core/workers.js';

/**
 * The rows of a table stored chunk by chunk (`x`: its name or alias) whose ocid is one `ocids` gives
 * (SQL with a column `ocid`, all in `touched_chunks`): the chunks are what lets DuckDB skip the other
 * row groups (store-tables.ts), the ocids what keeps the others of those chunks out.
 */
const touchedRows = (x: string, ocids: string): string => `${x}.chunk IN (SELECT chunk FROM touched_chunks) AND ${x}.ocid IN (${ocids})`;

/**
 * The temporary table `first_published` (ocid, release_id, first): the earliest publication date, as
 * its source wrote it, of each release of `release_sources rs` matching `where` that more than one
 * source gives. Those releases are found first, by their keys alone, and only their rows aggregated:
 * an aggregate's text payload (arg_min's date, per group) lives in memory DuckDB cannot spill, so one
 * aggregation of a full history's every release — 1.4 million groups — ran out of the default
 * --memory-limit now and then (a bench's full run, at compile:export, exit 4); keys spill.
 */
export const firstPublishedSql = (where: string): string =>
  `CREATE OR REPLACE TEMP TABLE first_published AS
   WITH rs AS (SELECT rs.ocid, rs.release_id, rs.published FROM release_sources rs WHERE ${where} AND TRY_CAST(rs.published AS TIMESTAMPTZ) IS NOT NULL),
   multi AS (SELECT ocid, release_id FROM rs GROUP BY ocid, release_id HAVING count(*) > 1)
   SELECT rs.ocid, rs.release_id, arg_min(rs.published, TRY_CAST(rs.published AS TIMESTAMPTZ)) AS first
   FROM rs SEMI JOIN multi m ON m.ocid = rs.ocid AND m.release_id = rs.release_id GROUP BY rs.ocid, rs.release_id`;

/** Files the compile export writes at most (groups of chunks). */
const EXPORT_GROUPS = 192;
/** Below this many touched chunks, the compile stage runs in this thread (no worker threads). */
const SMALL_COMPILE_CHUNKS = 4;
import { readWatch, type Progress } from './core/progress.js';
import { DEFAULT_MAX_EXPANDED_BYTES, type IngestOptions } from './ingest/reader.js';
import { DEFAULT_SPLIT_LIMITS } from './ingest/json-splitter.js';
import { expandInputs, gunzippedHash, hashFile, onePerPath, type ExpandedInput } from './ingest/source.js';
import type { FileSummary, RejectedRecord, SourceFileInfo } from './ingest/types.js';
import { rejectLine } from './ingest/rejects.js';
import { csvOptionsOf, frenchDefaultsWarning, loadProfile, partnerDefaultsWarning, personRulesWarning, publishingOf } from './ingest/profiles.js';
import { writeFileAtomic } from './publish/atomic.js';
import { openLineWriter } from './publish/jsonl-writer.js';
import { CHUNK_OCIDS, collectMembers, concatMembers, liveMembers, memberList, missingMembers, recordMembers, type PublishedFile } from './publish/ocds-members.js';
import { exportParquet, type ParquetCounts } from './publish/parquet.js';
import { GENERATION_DIRS, type LeftBehind, openOutputDir, PUBLISHED_FILES, publishedGeneration } from './publish/output-dir.js';
import { DEFAULT_MEMORY_LIMIT } from './core/limits.js';
import { PUBLICATION_POLICY, publishedPackages } from './publish/packages.js';
import { RED_FLAG_CONTRACT_COLUMNS, RED_FLAG_SQL } from './publish/red-flags.js';
import { bidFlagSql } from './publish/bid-flags.js';
import { PRICE_ANOMALY_SQL, PRICED_ITEMS } from './publish/price-anomalies.js';
import { perOcidRefresh, perOcidRemade, type PerOcidTable } from './publish/per-ocid.js';
import { selectColumns, sqlString, Store, tsvArgs } from './publish/store.js';
import { TABLES, columnsArg, tableSpec } from './publish/store-tables.js';
import { openReportWriters, RELEASE_COUNTS } from './publish/validation-reports.js';
import { splitStaging } from './run/staging.js';
import { FLAT_TABLES, partFiles, type CompilePartJob, type CompilePartResult, compilePart } from './run/compile-part.js';
import type { MappingProfile } from './transform/profile.js';
import { BUYERS_LISTED, NO_BUYER, ValidationReport, type Finding } from './validate/report.js';
import { defaultSchemaFiles, SCHEMAS_DIR } from './validate/schema-store.js';

/** The demo data shipped with the package, used when `run` is given no input. */
export const DEMO_DATA_DIR = fileURLToPath(new URL('../fixtures/demo/', import.meta.url));

export interface RunOptions extends IngestOptions {
  inputs: string[];
  out: string;
  /** Exit 1 when more records than this are rejected. */
  maxRejects: number;
  /** The OCID prefix (default: the profile's settings.ocidPrefix, else DECP's, ocds-78apv2). */
  ocidPrefix?: string | undefined;
  /** Date-time used only for records with no date at all. */
  runDate?: string | undefined;
  /** Mapping profile file (default: the bundled DECP profile). */
  profile?: string | undefined;
  /** Files converted at once, and parts compiled at once (worker threads). */
  concurrency: number;
  /** Add versionedRelease to the records. */
  versioned?: boolean;
  /** gzip level of ocds/ (1 fastest … 9 smallest). */
  gzipLevel?: number;
  /** DuckDB's memory limit. */
  memoryLimit?: string;
  /** Hash every input even when its path, size and modification time match a file already read. */
  rehash?: boolean;
  /**
   * Rebuild a store that must be rebuilt (another version, other release settings, its ocds/ members lost) from this run's
   * inputs even when they leave out sources it holds (they would be lost): else exit 2.
   */
  rebuild?: boolean;
  /** Ocids per chunk of ocds/ (new ocids only). */
  chunkOcids?: number;
  /** Published URL of ocds/x_decp/extension.json: declared in the package metadata (default: under publicationUrl, when given). */
  localExtensionUrl?: string | undefined;
  /** Where ocds/ is published: the packages' uris (see publishedPackages). */
  publicationUrl?: string | undefined;
  /** The OCDS packages' publisher, licence and publication policy (default: Etalab's DECP ones). */
  publisherName?: string | undefined;
  /** The publisher's uri (default: the profile's settings.publisher.uri, when its name is the profile's). */
  publisherUri?: string | undefined;
  license?: string | undefined;
  publicationPolicy?: string | undefined;
  progress?: Progress | undefined;
}

export interface FileReport extends SourceFileInfo, Omit<FileSummary, 'issues' | 'meta' | 'accepted'> {
  /** Records read by ingest. */
  ingested: number;
  /** Records that became releases. */
  converted: number;
  issues: number;
  /**
   * false when nothing of the file was loaded (its error says why: unreadable, or a new version kept
   * out, INGEST_INCOMPLETE): its counts are what reading it found, left out of the run's counts.
   */
  loaded?: false;
}

export interface RunCounts {
  files: number;
  filesNew: number;
  filesUnchanged: number;
  /** Files whose content another input of this run holds (a copy, a gzip beside its content): read once, under the first name. */
  filesDuplicate: number;
  filesReplaced: number;
  /** Of the unchanged files, those read again: moved or renamed (their releases name the new path), or sharing releases with a replaced version. */
  filesReread: number;
  filesUnreadable: number;
  read: number;
  converted: number;
  rejected: number;
  releases: number;
  releasesAdded: number;
  /** Releases given again in this run's inputs (same ocid and id as another): left out, the later publication kept. */
  releasesGivenAgain: number;
  releasesRemoved: number;
  ocidsCompiled: number;
  store: Record<string, number>;
  ocds: { releases: number; records: number };
  /** Parquet files written by this run, and linked unchanged from the previous generation. */
  parquet: ParquetCounts;
}

export interface RunReport {
  tool: string;
  runId: number;
  startedAt: string;
  /** After every stage, the store closed (the runs table's finished_at is earlier: when the store's content was written, before the publication). */
  finishedAt: string;
  /** From the start to finishedAt, by the monotonic clock: at most finishedAt − startedAt. */
  durationMs: number;
  inputs: FileReport[];
  /** Files whose content the store already holds (read by an earlier run): skipped. */
  unchanged: string[];
  /** Files whose content another input of this run holds (`path` read under `of`): read once. */
  duplicates: Array<{ path: string; of: string }>;
  /** Files of the input folders left out as documentation by their names (README, *.md, *.pdf…), their content not being data. */
  skipped: string[];
  /** Hidden files and folders of the input folders (their names start with a dot: `.git/`, `.DS_Store`), left out unread. */
  hidden: string[];
  /** decp-ocds output folders inside the input folders (an earlier run's `--out`: its store beside its run.json), left out unread. */
  outputFolders: string[];
  replaced: Array<{ path: string; previous: string; current: string }>;
  counts: RunCounts;
  outputs: Record<string, string>;
  /**
   * Time per stage, and its share of durationMs. Stages overlap, so their sum exceeds durationMs:
   * `compile:*` are parts of `compile+validate`, and `publish-ocds` runs beside `publish-parquet`.
   */
  /**
   * Each stage's wall time (`ms`), its share of the run's, the process's peak memory at its end, and
   * the CPU time the process spent in it (`cpuMs`: every thread — workers and DuckDB's — user and
   * system; `cpuMs / ms` is how many cores the stage kept busy). Stages that overlap (publish-ocds and
   * publish-parquet; compile+validate holds compile:*) each count the CPU of the other.
   */
  stages: Record<string, { ms: number; share: number; peakRssMB: number; cpuMs: number }>;
  exitCode: number;
}

const emptyCounts = (): RunCounts => ({
  files: 0,
  filesNew: 0,
  filesUnchanged: 0,
  filesDuplicate: 0,
  filesReplaced: 0,
  filesReread: 0,
  filesUnreadable: 0,
  read: 0,
  converted: 0,
  rejected: 0,
  releases: 0,
  releasesAdded: 0,
  releasesGivenAgain: 0,
  releasesRemoved: 0,
  ocidsCompiled: 0,
  store: {},
  ocds: { releases: 0, records: 0 },
  parquet: { written: 0, linked: 0 },
});

/** A date a run gave the initial release of a record without any (RELEASE_DATE_FROM_RUN), as the store remembers it. */
interface RunDated {
  readonly ocid: string;
  readonly id: string;
  /** An ISO instant (UTC, to the millisecond). */
  readonly date: string;
}

/**
 * The dates runs gave the initial releases of records without any date (RELEASE_DATE_FROM_RUN), the
 * first run's for each initial release id (`…-v0`; the record's later releases take its date): those
 * the store remembers (run_dates, kept when the record later gains a date, or its release goes), and
 * those its releases still carry (a store older than run_dates). Nothing when the store cannot tell.
 */
async function datedByRuns(store: Store): Promise<{ all: RunDated[]; unremembered: RunDated[] }> {
  const rows = async (sql: string): Promise<RunDated[]> =>
    (await store.rows<{ ocid: string; id: string; ms: number }>(sql).catch(() => [])).map((r) => ({ ocid: r.ocid, id: r.id, date: new Date(r.ms).toISOString() }));
  const remembered = await rows('SELECT ocid, release_id AS id, epoch_ms(date)::DOUBLE AS ms FROM run_dates WHERE date IS NOT NULL');
  const known = new Set(remembered.map((r) => `${r.ocid}\t${r.id}`));
  // (from the flags, few, to their releases: a scan of every release cost a night 0.2–0.3 s on a store of a million contracts)
  const flagged = await rows(
    "SELECT r.ocid, r.release_id AS id, epoch_ms(r.date)::DOUBLE AS ms FROM (SELECT DISTINCT ocid, release_id FROM quality_flags WHERE code = 'RELEASE_DATE_FROM_RUN' AND suffix(release_id, '-v0')) q JOIN releases r ON r.ocid = q.ocid AND r.release_id = q.release_id WHERE r.date IS NOT NULL",
  );
  const unremembered = flagged.filter((r) => !known.has(`${r.ocid}\t${r.id}`));
  return { all: [...remembered, ...unremembered], unremembered };
}

/**
 * The initial releases (`…-v0`) each source file the store holds gave, by its path then ocid, with
 * the date a run gave each (`dated`), else null; only where one of them has such a date
 * (BuildContext.datedInFiles: a record corrected in the file's next version gets it back), and the
 * paths in the order the store read them, the latest first (BuildContext.movedFrom). Nothing when
 * the store cannot tell.
 */
async function initialsInFiles(store: Store, dated: readonly RunDated[]): Promise<{ files: Map<string, Map<string, Array<[string, string | null]>>>; latestFirst: string[] }> {
  const files = new Map<string, Map<string, Array<[string, string | null]>>>();
  const read = new Map<string, number>();
  if (dated.length === 0) return { files, latestFirst: [] };
  const dateOf = new Map(dated.map((d) => [d.id, d.date]));
  const ocids = [...new Set(dated.map((d) => d.ocid))];
  const rows = await (async () => {
    await store.run('CREATE OR REPLACE TEMP TABLE run_dated_ocids (ocid VARCHAR)');
    for (let i = 0; i < ocids.length; i += 1000) await store.run(`INSERT INTO run_dated_ocids VALUES ${ocids.slice(i, i + 1000).map((o) => `(${sqlString(o)})`).join(', ')}`);
    return store.rows<{ path: string; ocid: string; id: string; ordinal: number }>(
      "SELECT s.path, rs.ocid, rs.release_id AS id, max(s.ordinal)::DOUBLE AS ordinal FROM release_sources rs JOIN sources s ON s.sha256 = rs.source_sha256 WHERE s.status = 'current' AND suffix(rs.release_id, '-v0') AND rs.ocid IN (SELECT ocid FROM run_dated_ocids) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    );
  })().catch(() => []);
  for (const r of rows) {
    read.set(r.path, Math.max(read.get(r.path) ?? 0, r.ordinal));
    let byOcid = files.get(r.path);
    if (byOcid === undefined) files.set(r.path, (byOcid = new Map()));
    let initials = byOcid.get(r.ocid);
    if (initials === undefined) byOcid.set(r.ocid, (initials = []));
    initials.push([r.id, dateOf.get(r.id) ?? null]);
  }
  for (const [path, byOcid] of files) {
    for (const [ocid, initials] of byOcid) if (initials.every(([, d]) => d === null)) byOcid.delete(ocid);
    if (byOcid.size === 0) files.delete(path);
  }
  return { files, latestFirst: [...files.keys()].sort((a, b) => read.get(b)! - read.get(a)! || (a < b ? -1 : 1)) };
}

/**
 * The path a source the store holds (its content, its path) is named by tonight: the first input that
 * holds its content (`pathHash`: each input path → its content, in the inputs' order), but for the
 * uncompressed copy of a gzip file read before when its own path still holds it (that source, read
 * once, keeps its name); undefined when no input holds it.
 */
export function sourceNamer(pathHash: ReadonlyMap<string, string>, uncompressedCopies: ReadonlySet<string>): (sha256: string, path: string) => string | undefined {
  // (each content's first path, and its first that is no such copy, found once: a look through every
  // input for each source cost a night of 5,000 daily files 1 s, of 20,000 26 s)
  const first = new Map<string, string>();
  const firstOwn = new Map<string, string>();
  for (const [p, h] of pathHash) {
    if (!first.has(h)) first.set(h, p);
    if (!firstOwn.has(h) && !uncompressedCopies.has(p)) firstOwn.set(h, p);
  }
  return (sha256, path) => (pathHash.get(path) === sha256 ? firstOwn : first).get(sha256);
}

/** Remember in the store the dates of `dated` it does not hold yet (a rebuild starts from an empty store). */
async function rememberRunDates(store: Store, dated: readonly RunDated[]): Promise<void> {
  for (let i = 0; i < dated.length; i += 1000) {
    const values = dated.slice(i, i + 1000).map((d) => `(${sqlString(d.ocid)}, ${sqlString(d.id)}, ${sqlString(d.date)}::TIMESTAMPTZ)`);
    await store.run(`INSERT INTO run_dates SELECT * FROM (VALUES ${values.join(', ')}) v(ocid, release_id, date) WHERE NOT EXISTS (SELECT 1 FROM run_dates d WHERE d.ocid = v.ocid AND d.release_id = v.release_id)`);
  }
}

/**
 * Remember the date a run gave the record that a record of `paths` (files read tonight whose version
 * already read gave initial releases a run dated: `before`, BuildContext.datedInFiles) corrects with
 * a date of its own: under one ocid, when the file now gives as many initial releases it did not give
 * before as it no longer gives, and those it no longer gives had all one date a run gave them (the
 * rule by which an undated correction takes that date, redateCorrected in convert.ts). The record,
 * dated by its publisher, keeps its date; the next version that drops it again, perhaps corrected
 * again, gets back the first run's date: the record's lineage is kept through the dated versions.
 */
async function rememberCorrected(store: Store, before: ReadonlyMap<string, ReadonlyMap<string, ReadonlyArray<readonly [string, string | null]>>>, paths: readonly string[]): Promise<void> {
  const pairs = paths.flatMap((p) => [...before.get(p)!.keys()].map((o) => [p, o] as const));
  if (pairs.length === 0) return;
  await store.run('CREATE OR REPLACE TEMP TABLE corrected_files (path VARCHAR, ocid VARCHAR)');
  for (let i = 0; i < pairs.length; i += 1000) await store.run(`INSERT INTO corrected_files VALUES ${pairs.slice(i, i + 1000).map(([p, o]) => `(${sqlString(p)}, ${sqlString(o)})`).join(', ')}`);
  const now = await store.rows<{ path: string; ocid: string; id: string }>(
    "SELECT DISTINCT s.path, rs.ocid, rs.release_id AS id FROM release_sources rs JOIN sources s ON s.sha256 = rs.source_sha256 JOIN corrected_files c ON c.path = s.path AND c.ocid = rs.ocid WHERE s.status = 'current' AND suffix(rs.release_id, '-v0')",
  );
  const given = new Map<string, string[]>();
  for (const r of now) {
    const k = `${r.path}\t${r.ocid}`;
    const ids = given.get(k);
    if (ids === undefined) given.set(k, [r.id]);
    else ids.push(r.id);
  }
  const dated: RunDated[] = [];
  for (const [path, ocid] of pairs) {
    const initials = before.get(path)!.get(ocid)!;
    const ids = given.get(`${path}\t${ocid}`) ?? [];
    const had = new Set(initials.map(([id]) => id));
    const gone = initials.filter(([id]) => !ids.includes(id));
    const added = ids.filter((id) => !had.has(id));
    const dates = new Set(gone.map(([, d]) => d));
    const date = dates.size === 1 ? [...dates][0] : null;
    if (date === null || date === undefined || added.length !== gone.length) continue;
    for (const id of added) dated.push({ ocid, id, date });
  }
  // (those dated by this run are remembered already, with the date they were given)
  await rememberRunDates(store, dated);
}

export async function runJob(given: RunOptions, effects: Effects, log: Logger): Promise<RunReport> {
  // the profile's own ocid prefix and publisher (settings.ocidPrefix, settings.publisher), where the
  // options give none (loaded again below, with the run's other checks)
  const options = { ...given, ...publishingOf(await loadProfile(given.profile), given) };
  const started = effects.now();
  // the date given to releases of records without any usable date (RELEASE_DATE_FROM_RUN), as a UTC
  // instant to the millisecond, the form the next runs give it back in (datedByRuns: a --run-date
  // written without milliseconds, or at another offset, was another text from the second night on,
  // the record's releases changed; one at an offset was not written in the source's zone either)
  const runDate = new Date(options.runDate ?? started).toISOString();
  const t0 = performance.now();
  const stageMs: Record<string, number> = {};
  const peakMB: Record<string, number> = {};
  const cpuMs: Record<string, number> = {};
  const time = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    try {
      return await fn();
    } finally {
      stageMs[name] = (stageMs[name] ?? 0) + (performance.now() - t);
      const used = process.cpuUsage(cpu);
      cpuMs[name] = (cpuMs[name] ?? 0) + (used.user + used.system) / 1000;
      // the process's peak memory so far (worker threads and DuckDB included): where a peak happens
      peakMB[name] = Math.round(process.resourceUsage().maxRSS / 1024);
    }
  };
  const inputs = options.inputs.length > 0 ? options.inputs : [DEMO_DATA_DIR];
  if (options.inputs.length === 0) log.info(`no input given: running on the bundled demo data (${DEMO_DATA_DIR})${stdinPiped() ? '; stdin is not read unless named -' : ''}`);
  const profile = await loadProfile(options.profile);
  const partner = partnerDefaultsWarning(profile, options.ocidPrefix, options.publisherName);
  if (partner !== null) log.warn(partner);
  const french = frenchDefaultsWarning(profile);
  if (french !== null) log.warn(french);
  const persons = personRulesWarning(profile);
  if (persons !== null) log.warn(persons);
  const out = resolve(options.out);
  await inputsOutsideOutput(inputs, out, options.out);
  const parts = Math.max(1, Math.min(options.concurrency, availableParallelism()));
  const counts = emptyCounts();
  const files: FileReport[] = [];
  const unchanged: string[] = [];
  const duplicates: RunReport['duplicates'] = [];
  const replaced: RunReport['replaced'] = [];

  const dir = await openOutputDir(out, `${started.toISOString().replace(/[:.]/g, '')}-${process.pid}`);
  const stage = dir.staging;
  let store: Store | null = null;
  // the members the published store lists: a run that fails removes those it wrote (not the published ones)
  let publishedLive: Set<string> | null = null;
  try {
    // the store: a copy of the published one (the published file stays untouched until the end)
    const dbPath = join(stage, 'decp.duckdb');
    const publishedStore = join(out, 'decp.duckdb');
    const hasStore = await stat(publishedStore).then(
      () => true,
      () => false,
    );
    await time('store-copy', async () => {
      // a copy-on-write clone where the file system makes one (btrfs, XFS: no byte copied, whatever the
      // store's size), else a copy in the kernel
      if (hasStore) await copyFile(publishedStore, dbPath, fsConstants.COPYFILE_FICLONE);
    });
    const limits = { memoryLimit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT, threads: parts, tempDirectory: join(stage, 'duckdb-tmp') };
    // the published store damaged (a DuckDB file DuckDB cannot open: cut short by a full disk while
    // a backup was restored or copied), said as such and rebuilt with --rebuild
    let damaged: string | null = null;
    store = await Store.open(dbPath, limits).catch(async (err: unknown) => {
      // the published store's copy that DuckDB cannot open: a file of that name that is no store
      // (the user's), said as such, the folder left as it is (not a write failure in the staging)
      if (hasStore && err instanceof PipelineError && /not a valid DuckDB database file|not a DuckDB database/i.test(err.message)) {
        throw new PipelineError('CLI_INVALID_OPTION', `${publishedStore} is not a DuckDB database: --out ${options.out} holds a file of that name that is no decp-ocds store`, { remedy: 'give another --out folder, or move that file away' });
      }
      // a DuckDB file that does not open (found by an operator's probe: every later night failed with
      // PUBLISH_WRITE naming a staging file already gone, exit 4, --rebuild or not)
      if (hasStore && err instanceof PipelineError && (await isDuckDbFile(publishedStore))) {
        const why = ((err.cause as Error | undefined)?.message ?? err.message).split('\n')[0]!.split(dbPath).join(publishedStore);
        if (options.rebuild !== true) {
          throw new PipelineError('CLI_INVALID_OPTION', `the store ${publishedStore} is damaged: DuckDB cannot open it (${why})`, {
            context: { option: '--out', file: publishedStore },
            remedy: 'restore it from a backup, or give --rebuild with every input to rebuild it from them; the published output is left as it is',
          });
        }
        damaged = `the store ${publishedStore} is damaged (DuckDB cannot open it: ${why})`;
        await rm(dbPath, { force: true });
        await rm(`${dbPath}.wal`, { force: true });
        return Store.open(dbPath, limits);
      }
      throw err;
    });
    // (unreadable, or damaged: nothing is removed on failure, rather than every member)
    publishedLive = damaged !== null ? null : hasStore ? await liveMembers(store).catch(() => null) : new Set<string>();
    // a store of another version, or whose releases were made with other settings (their ocids, their
    // mapping: a file already read would never be converted again with this run's), is rebuilt
    const settings = releaseSettings(options, profile, options.profile === undefined ? profile : await loadProfile());
    // (so is a store whose ocds/ members are gone: `.members/` deleted as a cache, a backup restored
    // without it; every later run failed to read them, exit 2, --rebuild or not)
    const rebuild = damaged !== null
      ? ((await store.migrate()), damaged as string)
      : !(await store.migrate())
      ? 'the store was written by another version of decp-ocds'
      : (settingsChange((await store.rows<{ value: string }>("SELECT value FROM store_meta WHERE key = 'release_settings'"))[0]?.value, settings) ?? membersLost(await missingMembers(store, join(out, '.members')), join(out, '.members')));
    // the dates earlier runs gave records without any (RELEASE_DATE_FROM_RUN): such a record read again
    // (its file's next version, a rebuild) keeps the date it was first published with
    const { all: runDated, unremembered } = damaged !== null ? { all: [], unremembered: [] } : await datedByRuns(store);
    // (a store older than run_dates remembers from now on the dates its releases carry: the record
    // that gains a date tonight gets it back when it loses it)
    if (rebuild === null) await rememberRunDates(store, unremembered);
    const datedBefore = new Map(runDated.map((d) => [d.id, d.date]));
    // … and the initial releases each file gave under the same ocids: a record corrected in its file's
    // next version (another award id) keeps the date its earlier version had
    const { files: datedInFiles, latestFirst: datedPaths } = await initialsInFiles(store, runDated);
    // the sources the store holds, which a rebuild keeps only when this run reads them again
    let heldBefore: string[] = [];
    if (rebuild !== null) {
      heldBefore = await store.rows<{ path: string }>("SELECT DISTINCT path FROM sources WHERE status = 'current'").then(
        (rows) => rows.map((r) => r.path),
        () => [],
      );
      await store.close();
      await rm(dbPath, { force: true });
      store = await Store.open(dbPath, limits);
      await store.migrate();
      // (what the store remembered of the dates runs gave, which no input may say again)
      await rememberRunDates(store, runDated);
    }
    const db = store;
    const runId = (await db.scalar('SELECT coalesce(max(run_id), 0) FROM runs')) + 1;
    // what the store was published with: the next generation reuses its unchanged files
    const published = await publishedGeneration(out, (await db.rows<{ value: string }>("SELECT value FROM store_meta WHERE key = 'generation'"))[0]?.value);
    const publishedMembers = { releases: await memberList(db, 'releases'), records: await memberList(db, 'records') };

    // 1. sources: which files are new, which are known, which replace an earlier version of a path
    // (never the output folder itself, when an input folder holds it: `cd data && decp-ocds run .`)
    const { files: named, skipped, hidden, outputs: outputFolders, cleanup } = await expandInputs(inputs, effects.stdin, { exclude: [out, ...(options.profile === undefined ? [] : [options.profile])], csv: csvOptionsOf(profile) !== undefined, refuseEmpty: options.refuseEmpty, scratch: stage });
    const given = onePerPath(named);
    // a file is known by its absolute path: `in/feed.json` one night and `/data/in/feed.json` the
    // next are one file, whose new version replaces the old (by the path as given, both stayed current)
    const expanded = given.map((f) => (f.stream ? f : { ...f, display: resolve(f.display) }));
    if (skipped.length > 0) log.info(`${skipped.length} file(s) of the input folders left out as documentation (listed in run.json): ${skipped.slice(0, 3).join(', ')}${skipped.length > 3 ? ', …' : ''}`);
    if (outputFolders.length > 0) log.warn(`${outputFolders.length} decp-ocds output folder(s) in the input folders left out, unread (an earlier run's --out: its packages, rejects and reports are not data to read again; listed in run.json): ${outputFolders.slice(0, 3).join(', ')}${outputFolders.length > 3 ? ', …' : ''}`);
    if (hidden.length > 0) log.info(`${hidden.length} hidden file(s) or folder(s) of the input folders left out, unread (names starting with a dot; listed in run.json): ${hidden.slice(0, 3).join(', ')}${hidden.length > 3 ? ', …' : ''}`);
    // a rebuild from inputs that leave out sources the store holds would publish a data set without
    // them (an upgrade's first night fed only the day's file by stdin kept that day alone): refused
    // unless asked for, the published output left as it is (a stream's earlier content is never given
    // again under its name)
    if (heldBefore.length > 0 && options.rebuild !== true) {
      const given = new Set(expanded.filter((f) => !f.stream).map((f) => f.display));
      const left = heldBefore.filter((p) => !given.has(p));
      if (left.length > 0) {
        await cleanup();
        throw new PipelineError('CLI_INVALID_OPTION', `the store in ${options.out} must be rebuilt (${rebuild}) from every source it holds, and ${left.length} of its ${heldBefore.length} sources are not among this run's inputs (${left[0]}${left.length > 1 ? ', …' : ''}): the published data set would lose their contracts`, {
          remedy: 'run once with every input (the folders of sources), or give --rebuild to publish only what this run reads; the published output is left as it is',
        });
      }
    }
    if (rebuild !== null) log.warn(`${rebuild}: it is rebuilt from the inputs of this run`);
    // the files of datedInFiles this run is not given, the latest read first: a file new tonight may be
    // one of them moved (renamed), perhaps corrected (see BuildContext.movedFrom)
    const givenPaths = new Set(expanded.filter((f) => !f.stream).map((f) => f.display));
    const movedFrom = datedPaths.filter((p) => !givenPaths.has(p));
    const current = await db.rows<{ sha256: string; path: string; bytes: number; mtime_ms: number; converted: number }>("SELECT sha256, path, bytes::DOUBLE AS bytes, mtime_ms::DOUBLE AS mtime_ms, converted::DOUBLE AS converted FROM sources WHERE status = 'current'");
    // no input named: the bundled demo data, never into a store of real data (`cat feed.json | decp-ocds
    // run --out data` mixed made-up contracts into it: stdin is read when named `-`)
    if (options.inputs.length === 0) {
      const demo = resolve(DEMO_DATA_DIR);
      const real = current.find((r) => !resolve(r.path).startsWith(demo + sep));
      if (real !== undefined) {
        await cleanup();
        throw new PipelineError('CLI_INVALID_OPTION', `no input given: the bundled demo data would be added to the store in ${options.out}, which holds other sources (${real.path})`, { remedy: 'name the input files or folders, or - to read stdin' });
      }
    }
    const known = new Map(current.map((r) => [r.sha256, r.path]));
    const knownByPath = new Map(current.map((r) => [r.path, r]));
    const fresh: ExpandedInput[] = [];
    // the files already read (same content), each content once: some are read again (see below)
    const unchangedInputs: ExpandedInput[] = [];
    const mtimes = new Map<string, number>();
    // the new contents of this run, by the input that holds each first
    const seenNow = new Map<string, string>();
    // what each input path holds now, and its size (for the sources that moved: see below)
    const pathHash = new Map<string, string>();
    // the uncompressed copies of a gzip file read before (`gunzip -k`), which hold its content (see below)
    const uncompressedCopies = new Set<string>();
    const sizes = new Map<string, number>();
    const present = new Set<string>();
    // each content's place among this run's inputs (its first input): of two sources this run is given
    // that publish a release at the same date, the later input wins, whichever night read each, as in
    // a run over everything (their ordinals say which night read them)
    const inputOrdinal = new Map<string, number>();
    await time('hash', async () => {
      const hashed: Array<{ f: ExpandedInput; st: Stats | null; prev: (typeof current)[number] | undefined; sha256: string }> = [];
      for (const f of expanded) {
        const st = await stat(f.path).catch(() => null);
        // (a stream's name is no identity: what it brings adds to the store, never replaces a source)
        const prev = f.stream ? undefined : knownByPath.get(f.display);
        // same path, size and modification time as a file already read: its hash is trusted (--rehash to check)
        const sha256 = st && prev && !options.rehash && prev.bytes === st.size && prev.mtime_ms === Math.trunc(st.mtimeMs) ? prev.sha256 : await hashFile(f.path).catch(() => '');
        hashed.push({ f, st, prev, sha256 });
      }
      // a new gzip file whose decompressed content this run also has uncompressed (`feed.json` beside
      // `feed.json.gz`, an archive copy) is that content: read once, as a rebuild reads it (not a
      // second copy of its releases and rejects); one whose content was read before and is no longer
      // given (`gzip feed.json` in place) is its new version, under another name: it replaces it, as
      // a correction of the path would (the old content's releases were left current, under a path
      // gone, and a later correction of the gzip file did not withdraw them). A new gzip file is
      // decompressed once more for this, when there is anything it could be.
      const plain = new Map(hashed.filter((h) => !h.f.stream && h.sha256 !== '').map((h) => [h.sha256, h.f.display]));
      const compressedFrom = new Map<string, string>();
      if (known.size > 0 || plain.size > 1) {
        for (const h of hashed) {
          if (h.f.stream || h.sha256 === '' || known.has(h.sha256)) continue;
          const got = await gunzippedHash(h.f.path, options.maxExpandedBytes ?? DEFAULT_MAX_EXPANDED_BYTES);
          if (got === null || got.sha256 === h.sha256) continue;
          const inner = got.sha256;
          // (a damaged gzip that holds that content before its damage: said, as reading it would say it)
          const damaged = got.damage === null ? '' : ` (decompressed up to its damage: ${got.damage})`;
          const say = (m: string): void => (damaged === '' ? log.info(m) : log.warn(m));
          if (plain.has(inner)) {
            say(`${h.f.display}: the content of ${plain.get(inner)}, compressed${damaged}: the same source, read once`);
            h.sha256 = inner;
          } else if (known.has(inner) && options.sample === undefined) {
            say(`${h.f.display}: the content of ${known.get(inner)} (no longer given), compressed${damaged}: its new version`);
            compressedFrom.set(h.f.display, inner);
          }
        }
      }
      // the other way: a new plain file beside a gzip file read before (`gunzip -k feed.json.gz`) that
      // holds its decompressed content is that source, read once; one where a gzip file read before is
      // no longer given (`gunzip feed.json.gz` in place) is its new version, as `gzip feed.json` is
      // (its releases stayed current, and a later correction of the plain file did not withdraw them)
      for (const h of hashed) {
        if (h.f.stream || h.sha256 === '' || known.has(h.sha256) || /\.gz$/i.test(h.f.display)) continue;
        const gz = `${h.f.display}.gz`;
        const before = knownByPath.get(gz);
        if (before === undefined) continue;
        const given = hashed.find((g) => g.f.display === gz);
        if (given === undefined) {
          if (options.sample !== undefined) continue;
          log.info(`${h.f.display}: ${gz} (no longer given), uncompressed: its new version`);
          compressedFrom.set(h.f.display, before.sha256);
        } else if (given.sha256 === before.sha256) {
          const got = await gunzippedHash(given.f.path, options.maxExpandedBytes ?? DEFAULT_MAX_EXPANDED_BYTES);
          if (got === null || got.damage !== null || got.sha256 !== h.sha256) continue;
          log.info(`${h.f.display}: the content of ${gz}, uncompressed: the same source, read once`);
          h.sha256 = before.sha256;
          uncompressedCopies.add(h.f.display);
        }
      }
      for (const [i, { f: asGiven, st, prev, sha256 }] of hashed.entries()) {
        // (what the file was when hashed: its reading checks that it still is, else nothing of it is
        // stored under this hash — INGEST_CHANGED —, and the next run reads it again)
        const f: ExpandedInput = st ? { ...asGiven, hashed: { size: st.size, mtimeMs: st.mtimeMs } } : asGiven;
        if (st) mtimes.set(f.display, Math.trunc(st.mtimeMs));
        if (sha256 !== '') {
          present.add(sha256);
          if (!inputOrdinal.has(sha256)) inputOrdinal.set(sha256, runId * 1_000_000 + i);
          if (!f.stream && !pathHash.has(f.display)) {
            pathHash.set(f.display, sha256);
            if (st) sizes.set(f.display, st.size);
          }
        }
        if (sha256 !== '' && (known.has(sha256) || seenNow.has(sha256))) {
          // (a content new to the store that another input of this run holds is no file already read:
          // said as a duplicate of that input, not as "already in the store")
          if (known.has(sha256)) unchanged.push(f.display);
          else duplicates.push({ path: f.display, of: seenNow.get(sha256)! });
          // (each content once: a file given under two names is read again once)
          if (!f.stream && !unchangedInputs.some((u) => u.sha256 === sha256)) unchangedInputs.push({ ...f, sha256 });
          // a path that held another content now holds one already read (a file moved or copied onto
          // the name of one deleted; or a new content this run reads under another name first): the
          // earlier content gives way, as to any new version of the path
          // (it stayed current beside it, and a later correction of the path replaced one of the two)
          if (prev !== undefined && prev.sha256 !== sha256 && options.sample === undefined) replaced.push({ path: f.display, previous: prev.sha256, current: sha256 });
          continue;
        }
        if (sha256 !== '') seenNow.set(sha256, f.display);
        fresh.push({ ...f, sha256 });
        if (prev !== undefined && prev.sha256 !== sha256 && sha256 !== '') replaced.push({ path: f.display, previous: prev.sha256, current: sha256 });
        else if (compressedFrom.has(f.display) && sha256 !== '') replaced.push({ path: f.display, previous: compressedFrom.get(f.display)!, current: sha256 });
      }
    });
    // a content still held by another input (the same file under two names, a daily file rotated
    // to a dated name while the next day's takes its name) is not replaced: its releases stay
    replaced.splice(0, replaced.length, ...replaced.filter((r) => !present.has(r.previous)));
    // a file that shares releases with a replaced version (the same record in two feeds) is read
    // again: the releases the replaced version won may now be its own (the new version no longer
    // has them, or publishes them earlier), and its copies are weighed again against the new
    // version's. Not in a trial run (--sample: nothing is replaced). One not given to this run
    // cannot be: its shared releases keep the replaced version's content (said in the log)
    const reread = new Set<string>();
    const rereadOrdinal = new Map<string, number>();
    let rereadFailed = 0;
    // why each is read again: the replaced versions it shares releases with (sharesWith), or another
    // reason (a move, a trial's release, a limit raised). One read again only for versions this run
    // keeps out after all (a failed download: INGEST_INCOMPLETE) is left as the store had it
    const sharesWith = new Map<string, readonly string[]>();
    const rereadOther = new Set<string>();
    /** Read the unchanged contents `shas` again (what the store has of them gives way to this reading). */
    const readAgain = async (shas: readonly string[], why: string, other = true): Promise<void> => {
      if (other) for (const h of shas) rereadOther.add(h);
      const more = shas.filter((h) => !reread.has(h) && unchangedInputs.some((f) => f.sha256 === h));
      if (more.length === 0) return;
      for (const h of more) reread.add(h);
      // a file read again keeps its place among the sources (its ordinal): ties with files not read
      // again are decided as they were
      for (const r of await db.rows<{ sha256: string; ordinal: number }>(`SELECT sha256, ordinal::DOUBLE AS ordinal FROM sources WHERE status = 'current' AND sha256 IN (${more.map(sqlString).join(', ')})`)) rereadOrdinal.set(r.sha256, Number(r.ordinal));
      // (in the order of the inputs, as a run over everything would read them)
      const order = new Map(expanded.map((f, i) => [f.display, i]));
      fresh.push(...unchangedInputs.filter((f) => more.includes(f.sha256!)));
      fresh.sort((a, b) => order.get(a.display)! - order.get(b.display)!);
      log.info(`${more.length} unchanged file(s) read again: ${why} (${more.map((h) => unchangedInputs.find((f) => f.sha256 === h)!.display).join(', ')})`);
    };
    if (replaced.length > 0 && options.sample === undefined) {
      const previous = replaced.map((r) => sqlString(r.previous)).join(', ');
      const sharing = await db.rows<{ sha256: string; releases: number; previous: string }>(
        `SELECT b.source_sha256 AS sha256, count(DISTINCT (b.ocid, b.release_id))::INTEGER AS releases, string_agg(DISTINCT a.source_sha256, ',') AS previous FROM release_sources a
         JOIN release_sources b ON b.ocid = a.ocid AND b.release_id = a.release_id AND b.source_sha256 <> a.source_sha256
         WHERE a.source_sha256 IN (${previous}) AND b.source_sha256 NOT IN (${previous}) GROUP BY b.source_sha256 ORDER BY 1`,
      );
      const given = new Map(unchangedInputs.map((f) => [f.sha256!, f]));
      // (a content this run has under another form — a stream — is not missing, only not read again)
      const missing = sharing.filter((r) => !given.has(r.sha256) && !present.has(r.sha256));
      for (const r of sharing) sharesWith.set(r.sha256, r.previous.split(','));
      await readAgain(sharing.map((r) => r.sha256), 'they share releases with a replaced version', false);
      if (missing.length > 0) {
        log.warn(`${missing.reduce((n, r) => n + r.releases, 0)} release(s) of a replaced version are also in ${missing.length} file(s) not given to this run (${missing.map((r) => known.get(r.sha256) ?? r.sha256).join(', ')}): they keep the replaced version's content until those files are read again`);
      }
    }
    // a release published from a source that is no longer current and that this run does not read:
    // a trial run's file (--sample: what it loaded gives way in this run) removed or changed since, or
    // a replaced version whose sharing file was not given that night. Its other sources are read
    // again when given, so that the release is weighed again among the sources the store keeps, as
    // a run over everything does (it stayed published from the trial's copy: found by an
    // incremental-equals-rebuild probe)
    if (options.sample === undefined && current.length > 0) {
      // (one this run reads again is no exception: a trial's copy read in full is weighed against the
      // store's winner only, which another trial may have made itself, unweighed: its sharers come too)
      const stale = (await db.rows<{ sha256: string }>("SELECT DISTINCT source_sha256 AS sha256 FROM releases WHERE source_sha256 NOT IN (SELECT sha256 FROM sources WHERE status = 'current') ORDER BY 1")).map((r) => r.sha256);
      if (stale.length > 0) {
        // (only the releases whose every copy the store keeps can be read again: a copy of a file the
        // store keeps but this run is not given would never be weighed against the ones read again,
        // which won unweighed, for good — a review found a trial's release handed to an earlier copy
        // that way —: those releases wait, as they are, for a run given every file that holds them;
        // said in the log)
        const readable = new Set(unchangedInputs.map((f) => f.sha256!));
        const copies = await db.rows<{ ocid: string; id: string; sha256: string }>(
          `SELECT DISTINCT r.ocid, r.release_id AS id, b.source_sha256 AS sha256 FROM releases r JOIN release_sources b ON b.ocid = r.ocid AND b.release_id = r.release_id AND b.source_sha256 <> r.source_sha256
           JOIN sources src ON src.sha256 = b.source_sha256 AND src.status = 'current'
           WHERE r.source_sha256 IN (${stale.map(sqlString).join(', ')}) ORDER BY ALL`,
        );
        // (a version this run replaces is no copy to wait for: its releases go tonight — found by an
        // operator's probe: after a trial of a corrected file, the full run said the file "not given",
        // and left the other copies unread, the trial's copy published where a rebuild took another)
        const going = new Set(replaced.map((r) => r.previous));
        const byRelease = new Map<string, string[]>();
        for (const c of copies) byRelease.set(`${c.ocid}\u0000${c.id}`, [...(byRelease.get(`${c.ocid}\u0000${c.id}`) ?? []), ...(going.has(c.sha256) ? [] : [c.sha256])]);
        // (stdin's copy is never given again as a file: it does not hold the others back, and is left
        // unweighed, as before; a release held by stdin's copy alone keeps its content until a rebuild)
        const stdin = (h: string): boolean => known.get(h) === '-';
        const sharing = new Set<string>();
        const waiting = new Map<string, number>();
        let stuck = 0;
        for (const shas of byRelease.values()) {
          // (its only other copies were a replaced version's: nothing to weigh it against)
          if (shas.length === 0) continue;
          const some = shas.some((h) => readable.has(h));
          if (some && shas.every((h) => readable.has(h) || stdin(h))) {
            for (const h of shas) if (readable.has(h)) sharing.add(h);
            continue;
          }
          stuck++;
          for (const h of shas.filter((x) => !readable.has(x))) waiting.set(h, (waiting.get(h) ?? 0) + 1);
        }
        await readAgain([...sharing].sort(), 'they share releases published from a file this run does not read (a trial run\'s, or a replaced version\'s)');
        if (stuck > 0) {
          log.warn(`${stuck} release(s) published from a file the store no longer has (a trial run's, or a replaced version's) are also in ${waiting.size} file(s) not given to this run as files (${[...waiting.keys()].map((h) => known.get(h) ?? h).join(', ')}): they keep that content until a run is given every file that holds them (stdin's copy, never: rebuild)`);
        }
      }
    }
    // a content known under a path that no longer holds it (renamed, or that path now holds another
    // content) is remembered under a path that does: a later correction of that file replaces it.
    // So is one whose path still holds it when an input before it holds it too (a copy given under a
    // name sorted first): a run over everything reads a content under its first name, and names it in
    // its releases and rejects (found by an incremental-equals-rebuild probe: the copy's name was the
    // rebuild's, the night's first name stayed)
    const moved: Array<{ sha256: string; path: string; bytes: number | null; mtime: number | null; gone: boolean }> = [];
    // (not the uncompressed copy beside a gzip file read before: that source, read once, keeps its name)
    const nameOf = sourceNamer(pathHash, uncompressedCopies);
    for (const row of current) {
      if (!present.has(row.sha256)) continue;
      const path = nameOf(row.sha256, row.path);
      if (path === undefined || path === row.path) continue;
      // (the old path still holds it, not given this time: the same file reached another way, a
      // symbolic link to the folder: the old path still finds it)
      const old = pathHash.has(row.path) ? null : await stat(row.path).catch(() => null);
      const gone = old === null || old.size !== row.bytes || Math.trunc(old.mtimeMs) !== row.mtime_ms;
      moved.push({ sha256: row.sha256, path, bytes: sizes.get(path) ?? null, mtime: mtimes.get(path) ?? null, gone });
    }
    // … and read again there when its old path is gone or holds another file: its releases and
    // rejects name the file that holds them now (x_decp.sourceFile, rejects.file), as a run over the
    // folder as it is would, not a path that is gone or holds another day's file (not in a trial
    // run: --sample reads nothing to its end)
    if (options.sample === undefined) await readAgain(moved.filter((m) => m.gone).map((m) => m.sha256), 'moved or renamed, their releases and rejects name the path that holds them now');
    // … and read again when records of theirs were rejected as too large or too deep under a smaller
    // limit than this run's (--max-record-bytes, --max-depth raised after such a reject): those
    // records may be read now (a smaller limit reads nothing again: what was read stays)
    if (options.sample === undefined && unchangedInputs.length > 0) {
      const maxBytes = options.maxRecordBytes ?? DEFAULT_SPLIT_LIMITS.maxRecordBytes;
      const maxDepth = options.maxDepth ?? DEFAULT_SPLIT_LIMITS.maxDepth;
      const limited = await db.rows<{ sha256: string }>(
        `SELECT DISTINCT r.source_sha256 AS sha256 FROM rejects r
         LEFT JOIN (SELECT sha256, max(max_record_bytes) AS bytes, max(max_depth) AS depth FROM source_limits GROUP BY sha256) l ON l.sha256 = r.source_sha256
         WHERE r.source_sha256 IN (${unchangedInputs.map((f) => sqlString(f.sha256!)).join(', ')})
           AND ((r.code = 'INGEST_RECORD_TOO_LARGE' AND coalesce(l.bytes, ${DEFAULT_SPLIT_LIMITS.maxRecordBytes}) < ${maxBytes})
             OR (r.code = 'INGEST_RECORD_TOO_DEEP' AND coalesce(l.depth, ${DEFAULT_SPLIT_LIMITS.maxDepth}) < ${maxDepth}))
         ORDER BY 1`,
      );
      await readAgain(limited.map((r) => r.sha256), 'records of theirs were rejected as too large or too deep under a smaller --max-record-bytes or --max-depth than this run\'s');
    }
    counts.files = expanded.length;
    counts.filesUnchanged = unchanged.length;
    counts.filesDuplicate = duplicates.length;
    counts.filesReplaced = replaced.length;
    if (unchanged.length > reread.size) log.info(`${unchanged.length - reread.size} file(s) already in the store (same content): skipped`);
    if (duplicates.length > 0) log.info(`${duplicates.length} file(s) with the same content as another input of this run, read once (listed in run.json as duplicates): ${duplicates.slice(0, 3).map((d) => `${d.path} (${d.of})`).join(', ')}${duplicates.length > 3 ? ', …' : ''}`);
    // (the files to read: reading tells the bar how many, through its watch)
    if (fresh.length === 0) options.progress?.start(0);
    await effects.afterHash?.();

    // 2. convert the new files into staging lines
    const staged = join(stage, 'new-releases.tsv');
    const rejectsFile = join(stage, 'new-rejects.jsonl');
    const sourcesFile = join(stage, 'new-sources.jsonl');
    const releases = await openLineWriter(staged, effects.stdout);
    const rejects = await openLineWriter(rejectsFile, effects.stdout);
    const sources = await openLineWriter(sourcesFile, effects.stdout);
    const order = new Map(fresh.map((f, i) => [f.sha256!, i]));
    const unloaded = { read: 0, converted: 0, releases: 0 };
    // the contents of this run not loaded (unreadable, or a new version kept out: see incompleteVersion)
    const unloadedFiles = new Set<string>();
    // a new version of a path read before, by its content: how many records the version it replaces converted (see incompleteVersion)
    const convertedBefore = new Map(current.map((r) => [r.sha256, Number(r.converted)]));
    // (a content read in full before — moved or copied onto the path — is no doubtful download)
    const replacing = new Map(options.sample === undefined ? replaced.filter((r) => !known.has(r.current)).map((r) => [r.current, convertedBefore.get(r.previous) ?? 0]) : []);
    // the contents whose reading ended inside a record (a download cut short)
    const cutShort = new Set<string>();
    let keptOut = 0;
    /** What each file loaded this run brought (to leave out a file read again for nothing). */
    const fileCounts = new Map<string, { read: number; converted: number; releases: number }>();
    /** The unchanged files read again only for a new version kept out: left as the store had them. */
    const rereadForNothing: string[] = [];
    try {
      const none = noConvertCounts();
      const c = await time('ingest+convert', async () =>
        fresh.length === 0
          ? none
          : convertInputsParallel(
          // (the bar counts records as they are read, a worker's file's when it is handed over)
          // (every input was judged above, before anything was written: the new contents alone, all
          // empty — a failed download beside unchanged files —, are no empty night but a version kept out)
          { ...options, inputs: fresh, refuseEmpty: false, profile, scratch: stage, context: { ocidPrefix: options.ocidPrefix, runDate, ...(datedBefore.size === 0 ? {} : { datedBefore }), ...(datedInFiles.size === 0 ? {} : { datedInFiles }), ...(movedFrom.length === 0 ? {} : { movedFrom }) }, lineFormat: 'store', watch: readWatch(options.progress) },
          {
            release: (text) => releases.write(text),
            releaseBytes: (chunk) => releases.writeBytes(chunk),
            reject: (r) => {
              if (r.code === 'INGEST_RECORD_TRUNCATED') cutShort.add(r.provenance.sha256);
              return rejects.write(rejectRow(r));
            },
            fileEnd: (file, summary, converted, fileReleases) => {
              const { issues, meta: _meta, packages: _packages, packageChecks: _checks, accepted, ...rest } = summary;
              const incomplete = summary.error?.fatal ? null : incompleteVersion(replacing.get(file.sha256), summary, converted, cutShort.has(file.sha256));
              const keptOutWhy = incomplete === null ? null : `${incomplete}: this version does not replace the one read before, whose releases stay published; the next run reads it again (to withdraw a feed, rebuild without it: README)`;
              const loaded = !summary.error?.fatal && incomplete === null;
              // (a file not loaded says so, and why — a version kept out, its error INGEST_INCOMPLETE —:
              // its counts are what reading it found, which the run's counts leave out)
              files.push({ ...file, ...rest, ...(keptOutWhy === null ? {} : { error: { code: 'INGEST_INCOMPLETE', message: keptOutWhy, fatal: true } }), ingested: accepted, converted, rejected: summary.read - converted, issues: issues.length, ...(loaded ? {} : { loaded: false as const }) });
              if (keptOutWhy !== null) {
                // kept out as an unreadable file is (below), said as one: the version before stays published
                keptOut++;
                log.error(`INGEST_INCOMPLETE: ${file.file}: ${keptOutWhy}`);
              }
              if (summary.error?.fatal || incomplete !== null) {
                if (summary.error?.fatal) log.error(`${summary.error.code}: ${summary.error.message}`);
                unloadedFiles.add(file.sha256);
                // (a file read again keeps what the store has of it: unreadable now, no longer unchanged)
                if (reread.has(file.sha256)) rereadFailed++;
                // nothing of a file that could not be read to its end is loaded (it has no sources
                // row: the next run reads it again); its records are not counted as read either
                unloaded.read += summary.read;
                unloaded.converted += converted;
                unloaded.releases += fileReleases;
                if (summary.error?.fatal && converted > 0) log.error(`${file.file}: the ${converted} record(s) converted before the error are not loaded; the next run reads the file again`, { code: summary.error.code, file: file.file });
              }
              else if (summary.error) log.warn(`${file.file}: ${summary.error.code}: ${summary.error.message}`, { code: summary.error.code, file: file.file });
              logFileIssues(log, file.file, issues);
              log.info(`${file.file}: ${summary.format} ${summary.version ?? ''} ${summary.read} read, ${converted} converted, ${summary.read - converted} rejected${loaded ? '' : ': not loaded, left out of the counts (read again next run)'}`.replace(/ +/g, ' '), { file: file.file, read: summary.read, converted, rejected: summary.read - converted, loaded });
              // an unreadable file is not remembered: the next run tries it again
              if (summary.error?.fatal || incomplete !== null || file.sha256 === '') return undefined;
              fileCounts.set(file.sha256, { read: summary.read, converted, releases: fileReleases });
              return sources.write(
                JSON.stringify({
                  sha256: file.sha256,
                  path: file.file,
                  format: summary.format,
                  version: summary.version ?? null,
                  encoding: summary.encoding ?? null,
                  compressed: file.compressed,
                  bytes: file.size,
                  mtime_ms: mtimes.get(file.file) ?? null,
                  records_read: summary.read,
                  converted,
                  rejected: summary.read - converted,
                  releases: 0,
                  ordinal: rereadOrdinal.get(file.sha256) ?? runId * 1_000_000 + (order.get(file.sha256) ?? 0),
                  run_id: runId,
                  // a trial run's files are read again (and what it loaded replaced) by the next run
                  status: options.sample !== undefined ? 'sample' : 'current',
                  replaced_by: null,
                }),
              );
            },
          },
          options.concurrency,
          effects.stdin,
        ),
      );
      // (the files read again are unchanged, or unreadable when they could not be read this time)
      counts.filesNew = c.files - c.filesUnreadable - keptOut - (reread.size - rereadFailed);
      counts.filesUnchanged -= rereadFailed;
      counts.filesUnreadable = c.filesUnreadable + keptOut;
      counts.read = c.read - unloaded.read;
      counts.converted = c.converted - unloaded.converted;
      counts.rejected = c.rejected - (unloaded.read - unloaded.converted);
      counts.releases = c.releases - unloaded.releases;
      // a file read again only because it shares releases with a version this run kept out (a failed
      // download: the version before stays) is not loaded: what the store has of it stands, as it was
      // weighed, and nothing is recompiled (found by an incremental-equals-rebuild sweep: each night a
      // failed download stayed, its sharers were read again, their ocids recompiled, and publishedDate
      // changed, a run over the same inputs no longer the same bytes)
      const keptOutPrevious = new Set(replaced.filter((r) => unloadedFiles.has(r.current)).map((r) => r.previous));
      for (const h of reread) {
        const prev = sharesWith.get(h);
        const n = fileCounts.get(h);
        if (rereadOther.has(h) || prev === undefined || n === undefined || !prev.every((p) => keptOutPrevious.has(p))) continue;
        rereadForNothing.push(h);
        unloadedFiles.add(h);
        counts.read -= n.read;
        counts.converted -= n.converted;
        counts.rejected -= n.read - n.converted;
        counts.releases -= n.releases;
        unloaded.releases += n.releases;
        const i = files.findIndex((f) => f.sha256 === h);
        if (i >= 0) files[i] = { ...files[i]!, loaded: false };
      }
      for (const h of rereadForNothing) reread.delete(h);
      if (rereadForNothing.length > 0) log.info(`${rereadForNothing.length} file(s) read again for a new version kept out: not loaded, left as the store had them`);
      // (their releases tagged "compiled", each with a check.compiled-release warning in validation_errors)
      if (c.linkedLeft > 0) log.warn(`${c.linkedLeft} OCDS record(s) of the files read list linked releases beside their embedded ones (URLs, not fetched: no network): their history here lacks those releases, and their own compiledRelease is not used`);
      if (c.ocidFromRecord > 0) log.warn(`${c.ocidFromRecord} OCDS record(s) whose compiledRelease or embedded releases leave out their ocid: given the record's own`);
      if (c.ocidOther > 0) log.warn(ocidOtherLine(c.ocidOther));
      if (c.compiledOnly > 0) log.warn(`${c.compiledOnly} OCDS record(s) of the files read have no embedded releases (linked, not fetched: no network; or none): each gave its compiledRelease as its one release, the current state without its history`);
      await releases.commit();
      await rejects.commit();
      await sources.commit();
    } catch (err) {
      await releases.abort();
      await rejects.abort();
      await sources.abort();
      throw err;
    } finally {
      await cleanup();
    }
    options.progress?.done();

    // 3. load: sources, replaced versions, release occurrences, winners, chunks, rejects
    // the staging file split in two: its descriptions (for the store) and where each release's JSON is (for the compile parts)
    const stagedNarrow = join(stage, 'new-releases.narrow.tsv');
    const stagedSpans = join(stage, 'new-releases.spans');
    const stagedCsv = `read_csv(${sqlString(stagedNarrow)}, ${tsvArgs({ rn: 'BIGINT', sha: 'VARCHAR', idx: 'BIGINT', line: 'BIGINT', pos: 'INTEGER', ocid: 'VARCHAR', id: 'VARCHAR', date: 'VARCHAR', tag: 'VARCHAR', pub: 'VARCHAR', first: 'VARCHAR', persons: 'VARCHAR' })})`;
    /** Whether this run touches ocids the store had before (else nothing of theirs is looked up or deleted). */
    let touchesKnown = false;
    /** A hash of the SIRENs the store's releases say are natural persons' (store_meta person_sirens), once the load has read them. */
    let personSirensHash: string | undefined;
    await time('load', async () => {
      // every release converted has its line (never a silent loss between the writer and the store)
      const split = await splitStaging(staged, stagedNarrow, stagedSpans);
      // (those of a file that could not be read to its end are there too, left out of the counts)
      if (split.lines !== counts.releases + unloaded.releases) {
        throw new PipelineError('PUBLISH_STORE', `the staging file holds ${split.lines} of the ${counts.releases + unloaded.releases} releases converted in this run`, { remedy: 'check the free space of the output folder, then run again' });
      }
      await db.run('BEGIN TRANSACTION');
      await db.run('CREATE TEMP TABLE touched (ocid VARCHAR)');
      // records compiled with and without versionedRelease never mix in one output: a change of
      // --versioned since the store was published compiles every record again
      // (a store of an earlier version does not say: compiled again once)
      const wasVersioned = (await db.rows<{ value: string }>("SELECT value FROM store_meta WHERE key = 'versioned'"))[0]?.value ?? 'unknown';
      if (wasVersioned !== String(options.versioned ?? false)) {
        const n = await db.scalar('SELECT count(DISTINCT ocid) FROM releases');
        if (n > 0) log.info(`--versioned ${options.versioned ? 'given' : 'left out'} this time (not last time): the ${n} records are compiled again`);
        await db.run('INSERT INTO touched SELECT DISTINCT ocid FROM releases');
      }
      // what a trial run (--sample) loaded gives way: its files were not read to their end, so they
      // were not remembered as read; this run reads them again (or leaves them out)
      const sampled = "SELECT sha256 FROM sources WHERE status = 'sample'";
      await db.run(`INSERT INTO touched SELECT DISTINCT ocid FROM release_sources WHERE source_sha256 IN (${sampled})`);
      await db.run(`DELETE FROM release_sources WHERE source_sha256 IN (${sampled})`);
      await db.run(`DELETE FROM rejects WHERE source_sha256 IN (${sampled})`);
      await db.run("DELETE FROM sources WHERE status = 'sample'");
      await db.loadJson('sources', [sourcesFile]);
      if (rereadForNothing.length > 0) await db.run(`DELETE FROM sources WHERE run_id = ${runId} AND sha256 IN (${rereadForNothing.map(sqlString).join(', ')})`);
      // (the limits this run read its sources with: see source_limits in store.ts)
      await db.run(`DELETE FROM source_limits WHERE sha256 IN (SELECT sha256 FROM sources WHERE run_id = ${runId})`);
      await db.run(`INSERT INTO source_limits SELECT sha256, ${options.maxRecordBytes ?? DEFAULT_SPLIT_LIMITS.maxRecordBytes}, ${options.maxDepth ?? DEFAULT_SPLIT_LIMITS.maxDepth} FROM sources WHERE run_id = ${runId}`);
      // (not by a trial run, which reads nothing again: the next run sees the move and reads it again;
      // nor for a content read again here: its row is this run's, or, when that reading failed, the
      // next run sees the move again)
      if (options.sample === undefined) {
        for (const m of moved) if (!reread.has(m.sha256)) await db.run(`UPDATE sources SET path = ${sqlString(m.path)}, bytes = ${m.bytes ?? 'bytes'}, mtime_ms = ${m.mtime ?? 'NULL'} WHERE sha256 = ${sqlString(m.sha256)} AND status = 'current'`);
      }
      // a new version replaces the earlier one only when it was read to its end: not by a trial run
      // (--sample: the earlier version stays until the next run reads the new one), not when it failed
      const readNow = new Set((await db.rows<{ sha256: string }>(`SELECT sha256 FROM sources WHERE run_id = ${runId} AND status = 'current'`)).map((r) => r.sha256));
      // (or a content read before, still current: a file moved or copied onto the path)
      replaced.splice(0, replaced.length, ...replaced.filter((r) => readNow.has(r.current) || (known.has(r.current) && !reread.has(r.current))));
      counts.filesReplaced = replaced.length;
      // the files read again (see above), read to their end: what the store had of them gives way
      // to what this run read
      const rereadDone = [...reread].filter((h) => readNow.has(h));
      counts.filesReread = rereadDone.length;
      if (rereadDone.length > 0) {
        const list = rereadDone.map(sqlString).join(', ');
        await db.run(`INSERT INTO touched SELECT DISTINCT ocid FROM release_sources WHERE source_sha256 IN (${list})`);
        await db.run(`DELETE FROM release_sources WHERE source_sha256 IN (${list})`);
        await db.run(`DELETE FROM rejects WHERE source_sha256 IN (${list})`);
        await db.run(`DELETE FROM sources WHERE sha256 IN (${list}) AND run_id <> ${runId}`);
      }
      // a file whose content comes back (a correction undone): its earlier row (replaced) gives way to
      // this run's, so that the store keeps one row per content
      await db.run(`DELETE FROM sources WHERE status = 'replaced' AND sha256 IN (SELECT sha256 FROM sources WHERE run_id = ${runId})`);
      if (replaced.length > 0) {
        const list = replaced.map((r) => sqlString(r.previous)).join(', ');
        for (const r of replaced) await db.run(`UPDATE sources SET status = 'replaced', replaced_by = ${sqlString(r.current)} WHERE sha256 = ${sqlString(r.previous)}`);
        await db.run(`INSERT INTO touched SELECT DISTINCT ocid FROM release_sources WHERE source_sha256 IN (${list})`);
        await db.run(`DELETE FROM release_sources WHERE source_sha256 IN (${list})`);
      }
      // rejects of files that are no longer current (replaced, or unreadable last time)
      await db.run("DELETE FROM rejects WHERE source_sha256 NOT IN (SELECT sha256 FROM sources WHERE status IN ('current', 'sample'))");
      await db.run('DELETE FROM source_limits WHERE sha256 NOT IN (SELECT sha256 FROM sources)');
      // the releases' descriptions, each with its line in the staging file (the compile parts read its JSON there)
      // (this run's rows only: a file read again that fails has none, and an older row of the same content does not stand for it)
      // (published: the latest publication date among the releases of the record each came from — its last
      // publication, modifications included — which decides between two sources of one release id;
      // a date a run gave a record without any, RELEASE_DATE_FROM_RUN, is no publication: convert
      // describes it without one, publicationDateOf)
      // (given: the source's place among this run's inputs, which decides between two of them at equal publications)
      await db.run('CREATE OR REPLACE TEMP TABLE input_order (sha VARCHAR, ord BIGINT)');
      if (inputOrdinal.size > 0) await db.run(`INSERT INTO input_order VALUES ${[...inputOrdinal].map(([h, o]) => `(${sqlString(h)}, ${o})`).join(', ')}`);
      await db.run(
        `CREATE TEMP TABLE staged AS SELECT s.*, src.ordinal, coalesce(io.ord, src.ordinal) AS given, max(TRY_CAST(s.pub AS TIMESTAMPTZ)) OVER (PARTITION BY s.sha, s.idx) AS published
         FROM ${stagedCsv} s JOIN sources src ON src.sha256 = s.sha AND src.run_id = ${runId} LEFT JOIN input_order io ON io.sha = s.sha`,
      );
      // every staged line must have been read (never a silent loss): only the releases of files that
      // could not be read to their end are left out (they have no sources row)
      const stagedRows = await db.scalar('SELECT count(*) FROM staged');
      if (stagedRows !== counts.releases) {
        throw new PipelineError('PUBLISH_STORE', `the store read ${stagedRows} of the ${counts.releases} releases converted in this run`, { remedy: 'run again with --debug and report the problem' });
      }
      await db.run('INSERT INTO touched SELECT DISTINCT ocid FROM staged');
      await db.run('CREATE TEMP TABLE touched_ocids AS SELECT DISTINCT ocid FROM touched');
      // (temporary tables live in DuckDB's memory until the run ends: each of a full run's holds a
      // million ocids, dropped once read)
      await db.run('DROP TABLE touched');
      // ocids the store has never seen (no chunk yet): nothing of theirs is in any table, so a night of
      // new contracts only (the usual daily file) has nothing to look up or delete
      await db.run('CREATE TEMP TABLE new_ocids AS SELECT s.ocid, min(TRY_CAST(s.date AS TIMESTAMPTZ)) AS first_date FROM staged s ANTI JOIN chunks c ON c.ocid = s.ocid GROUP BY s.ocid');
      await db.run('CREATE TEMP TABLE known_ocids AS SELECT ocid FROM touched_ocids ANTI JOIN new_ocids USING (ocid)');
      touchesKnown = (await db.scalar('SELECT count(*) FROM known_ocids')) > 0;
      // new ocids get new chunks, in the order of their first release date (then ocid): chunks follow
      // time, so that the modifications of recent contracts touch recent chunks (and Parquet segments)
      const maxChunk = await db.scalar('SELECT coalesce(max(chunk), -1) FROM chunks');
      await db.run(
        `INSERT INTO chunks SELECT ocid, ${maxChunk + 1} + ((row_number() OVER (ORDER BY first_date NULLS FIRST, ocid) - 1) // ${options.chunkOcids ?? CHUNK_OCIDS})::INTEGER
         FROM new_ocids`,
      );
      await db.run('DROP TABLE new_ocids');
      // the chunks of the touched ocids: the tables stored chunk by chunk are read there only
      await db.run('CREATE TEMP TABLE touched_chunks AS SELECT DISTINCT chunk FROM chunks WHERE ocid IN (SELECT ocid FROM touched_ocids)');
      // every occurrence, with its ocid's chunk (stored chunk by chunk, as releases below)
      await db.run("INSERT INTO release_sources SELECT s.id, s.ocid, s.sha, s.idx, s.line, s.ordinal, s.first, k.chunk, nullif(s.persons, '') FROM staged s JOIN chunks k ON k.ocid = s.ocid ORDER BY k.chunk");
      // releases whose every source is gone
      // (the touched ocids' releases are looked up in release_sources, not the other way round: no
      // hash table of every release id for a daily file; a release without an id cannot be looked up
      // and is never removed this way)
      if (touchesKnown) {
        await db.run(
          `CREATE TEMP TABLE gone AS WITH c AS (SELECT ocid, release_id FROM releases r WHERE ${touchedRows('r', 'SELECT ocid FROM known_ocids')} AND release_id IS NOT NULL)
           SELECT ocid, release_id FROM c ANTI JOIN (SELECT rs.ocid, rs.release_id FROM release_sources rs SEMI JOIN c ON c.ocid = rs.ocid AND c.release_id = rs.release_id WHERE ${touchedRows('rs', 'SELECT ocid FROM known_ocids')}) x ON x.ocid = c.ocid AND x.release_id = c.release_id`,
        );
        counts.releasesRemoved = await db.scalar('SELECT count(*) FROM gone');
        await db.run('DELETE FROM releases r USING gone g WHERE r.ocid = g.ocid AND r.release_id = g.release_id');
        await db.run('DROP TABLE gone');
      }
      // a release id seen more than once: the latest publication of its record wins (a record
      // republished with one more modification, whatever the files' names), then the source read last
      // (the others are only in release_sources)
      // a release is its ocid and id (OCDS: an id is unique within its contracting process, not beyond)
      // (added: not in the store before; a republished release replaces its earlier version, it adds none)
      counts.releasesAdded = await db.scalar(
        known
          ? `SELECT count(*) FROM (SELECT DISTINCT ocid, id FROM staged) s
             WHERE s.ocid NOT IN (SELECT ocid FROM known_ocids) OR NOT EXISTS (SELECT 1 FROM releases r WHERE r.ocid = s.ocid AND r.release_id = s.id)`
          : 'SELECT count(DISTINCT (ocid, id)) FROM staged',
      );
      await db.run('CREATE TEMP TABLE losers AS SELECT sha, idx, pos FROM staged QUALIFY row_number() OVER (PARTITION BY ocid, id ORDER BY published DESC NULLS LAST, given DESC, idx DESC, pos DESC) > 1');
      // a release given again in this run's inputs (the same publication in two files, a record
      // republished; or two rows a profile mapped to one release): the later publication is kept, the
      // others are in release_sources — said, with examples, never silently (compile says it of each:
      // MERGE_DUPLICATE_RELEASE)
      counts.releasesGivenAgain = await db.scalar('SELECT count(*) FROM losers');
      if (counts.releasesGivenAgain > 0) {
        const again = await db.rows<{ ocid: string; id: string }>('SELECT s.ocid, s.id FROM staged s JOIN losers l ON l.sha = s.sha AND l.idx = s.idx AND l.pos = s.pos ORDER BY s.ocid, s.id LIMIT 3');
        const shown = again.map((r) => `${r.ocid} ${r.id}`).join(', ');
        log.info(`${counts.releasesGivenAgain} release(s) given again in the inputs (same ocid and release id): the later publication of each is kept, the others are listed in release_sources (MERGE_DUPLICATE_RELEASE): ${shown}${counts.releasesGivenAgain > 3 ? ', …' : ''}`);
      }
      if (touchesKnown) {
        // … also against what the store holds from an earlier run (from a file still current): an
        // older publication read later does not replace a newer one; at equal publications, of two
        // sources this run is given the later input wins, as in a run over everything, whichever night
        // read each; against a source no longer given (stdin, a file left out), the one read last by its
        // ordinal: a file read again keeps its earlier place, so it does not take back a release from a
        // file read after it (its own rows give way)
        await db.run(
          `INSERT INTO losers SELECT s.sha, s.idx, s.pos FROM staged s JOIN releases r ON r.ocid = s.ocid AND r.release_id = s.id
           JOIN sources src ON src.sha256 = r.source_sha256 AND src.status IN ('current', 'sample') LEFT JOIN input_order io ON io.sha = r.source_sha256
           WHERE r.source_sha256 <> s.sha AND (coalesce(r.source_published, '-infinity'::TIMESTAMPTZ) > coalesce(s.published, '-infinity'::TIMESTAMPTZ)
             OR (coalesce(r.source_published, '-infinity'::TIMESTAMPTZ) = coalesce(s.published, '-infinity'::TIMESTAMPTZ) AND CASE WHEN io.ord IS NOT NULL THEN io.ord > s.given ELSE src.ordinal > s.ordinal END))`,
        );
        await db.run('DELETE FROM releases r USING (SELECT s.ocid, s.id FROM staged s ANTI JOIN losers l ON l.sha = s.sha AND l.idx = s.idx AND l.pos = s.pos) w WHERE r.ocid = w.ocid AND r.release_id = w.id');
      }
      // the store keeps what describes each release; its JSON lives in the ocds/ members (immutable
      // files); stored chunk by chunk, as the tables compiled per ocid (a run reads the chunks it touches)
      await db.run(
        `INSERT INTO releases SELECT s.id, s.ocid, TRY_CAST(s.date AS TIMESTAMPTZ) AS d, CASE WHEN d IS NOT NULL THEN TRY_CAST(left(s.date, 4) AS INTEGER) END, s.tag, s.sha, s.idx, s.line, regexp_matches(coalesce(s.tag, ''), '(Amendment|Update|implementation|Termination)'), s.pos, k.chunk, s.published
         FROM staged s JOIN chunks k ON k.ocid = s.ocid ANTI JOIN losers l ON l.sha = s.sha AND l.idx = s.idx AND l.pos = s.pos
         ORDER BY k.chunk`,
      );
      await db.run(`UPDATE sources SET releases = r.n FROM (SELECT sha, count(*) AS n FROM staged GROUP BY sha) r WHERE sources.sha256 = r.sha AND sources.run_id = ${runId}`);
      // (not those of a file not loaded: its records are not counted as read, and the next run reads it again)
      const notLoaded = unloadedFiles.size === 0 ? '' : ` WHERE source_sha256 NOT IN (${[...unloadedFiles].map(sqlString).join(', ')})`;
      await db.run(`INSERT INTO rejects SELECT ${selectColumns(tableSpec('rejects'))} FROM read_json(${sqlString(rejectsFile)}, format = 'newline_delimited', columns = ${rejectsColumns})${notLoaded}`);
      await db.run('COMMIT');
      // natural persons by their legal unit (SIREN): those the current releases say are persons
      // (release_sources.persons, from x_decp.personParties: every copy of a release counts, not only
      // the one published — a platform's copy with the EI, another's without it) are named in no process. The processes this run
      // does not touch whose parties say otherwise (a SIREN that became a person's — a sole trader's
      // EI in tonight's file —, or is no longer one: a corrected file) are compiled again, so that the
      // store is what a run over everything makes of it
      await db.run("CREATE TEMP TABLE person_sirens AS SELECT DISTINCT siren FROM (SELECT unnest(string_split(persons, ',')) AS siren FROM release_sources WHERE persons IS NOT NULL) WHERE siren <> ''");
      // (only when that set changed since the run before, which left every process it did not touch as
      // it says: the parties table is read whole, a few hundred milliseconds a night on 1,000,000 records)
      personSirensHash = (await db.rows<{ h: string }>("SELECT coalesce(md5(string_agg(siren, ',' ORDER BY siren)), '') AS h FROM person_sirens"))[0]?.h ?? '';
      const hashBefore = (await db.rows<{ value: string }>("SELECT value FROM store_meta WHERE key = 'person_sirens'"))[0]?.value;
      /** The ocids of a temporary table (dropped after) compiled too, as processes this run touches. */
      const touchToo = async (table: string): Promise<void> => {
        if ((await db.scalar(`SELECT count(*) FROM ${table}`)) > 0) {
          await db.run(`INSERT INTO touched_ocids SELECT ocid FROM ${table}`);
          await db.run(`INSERT INTO known_ocids SELECT ocid FROM ${table}`);
          await db.run(`INSERT INTO touched_chunks SELECT DISTINCT chunk FROM chunks WHERE ocid IN (SELECT ocid FROM ${table}) EXCEPT SELECT chunk FROM touched_chunks`);
          touchesKnown = true;
        }
        await db.run(`DROP TABLE ${table}`);
      };
      await db.run(
        `CREATE TEMP TABLE person_stale AS SELECT DISTINCT ocid FROM parties p
         WHERE ${hashBefore === personSirensHash ? 'false' : '(p.siren IN (SELECT siren FROM person_sirens) AND NOT coalesce(p.natural_person, false) AND NOT coalesce(p.is_buyer, false)) OR (p.person_elsewhere AND p.siren NOT IN (SELECT siren FROM person_sirens))'}
         EXCEPT SELECT ocid FROM touched_ocids`,
      );
      await touchToo('person_stale');
      // the processes whose "date in the future" (check.date-future: over a day past the run that
      // compiled them) is no longer so tonight are compiled again: their finding went on being
      // reported, night after night, where a run over everything reports none (found by an operator's probe).
      // (the date as the check read it, instantOf: RFC 3339's lower-case `z`, and a time without its
      // seconds, `10:00Z`, which DuckDB does not read — such a finding stayed for good)
      await db.run(
        `CREATE TEMP TABLE future_stale AS SELECT DISTINCT ocid FROM validation_errors
         WHERE rule = 'check.date-future'
           AND TRY_CAST(regexp_replace(upper(trim(value, '"')), '^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2})([^:0-9].*)?$', '\\1:00\\2') AS TIMESTAMPTZ) <= TIMESTAMPTZ ${sqlString(started.toISOString())} + INTERVAL 1 DAY
         EXCEPT SELECT ocid FROM touched_ocids`,
      );
      await touchToo('future_stale');
    });
    const personSirens = (await db.rows<{ siren: string }>('SELECT siren FROM person_sirens ORDER BY siren')).map((r) => r.siren);
    await db.run('DROP TABLE person_sirens');
    // 4. compile and validate the touched ocids, by chunk, in parts (worker threads); each part
    // also writes its chunks' ocds/ members; then the store loads their rows
    let warnings = 0;
    const membersDir = join(out, '.members');
    const level = options.gzipLevel ?? 6;
    await time('compile+validate', async () => {
      // a partitioned write keeps a file open per partition: chunks are exported in groups (at most
      // ~200 files), and each part's worker splits a group into its chunks
      const nTouched = await db.scalar('SELECT count(*) FROM touched_chunks');
      const per = Math.max(1, Math.ceil(nTouched / EXPORT_GROUPS));
      await db.run('SET partitioned_write_flush_threshold = 2000');
      await db.run(`SET partitioned_write_max_open_files = ${EXPORT_GROUPS + 8}`);
      // by group of chunks: the description of every current release of the touched ocids (with the line
      // of the staging file that holds its JSON when this run brings it, and the earliest publication of
      // it any current source gave: the store keeps the later one, the contract was public from the
      // first), and the touched ocids themselves
      const metaDir = join(stage, 'meta');
      const touchedDir = join(stage, 'touched');
      await time('compile:export', async () => {
        // (the earliest publication of the releases given by several sources, apart first: aggregated
        // beside the partitioned export, over a full history's every release, it ran out of memory; a
        // release of one source has its own date, the release's)
        await db.run(firstPublishedSql(touchedRows('rs', 'SELECT ocid FROM touched_ocids')));
        await db.run(
          `COPY (SELECT r.chunk // ${per} AS grp, r.chunk, r.ocid, r.release_id, r.source_sha256, r.source_index, (epoch(r.date) * 1000)::BIGINT, r.is_update, r.position, w.rn, p.first
           FROM releases r LEFT JOIN (SELECT s.ocid, s.id, s.rn FROM staged s ANTI JOIN losers l ON l.sha = s.sha AND l.idx = s.idx AND l.pos = s.pos) w ON w.ocid = r.ocid AND w.id = r.release_id
           LEFT JOIN first_published p ON p.ocid = r.ocid AND p.release_id = r.release_id
           WHERE ${touchedRows('r', 'SELECT ocid FROM touched_ocids')}) TO ${sqlString(metaDir)} (FORMAT csv, DELIMITER '\t', QUOTE '', ESCAPE '', HEADER false, PARTITION_BY (grp))`,
        );
        // the touched ocids by chunk (one that lost every release has no description left)
        await db.run(
          `COPY (SELECT k.chunk // ${per} AS grp, k.chunk, k.ocid FROM chunks k WHERE k.ocid IN (SELECT ocid FROM touched_ocids)) TO ${sqlString(touchedDir)} (FORMAT csv, DELIMITER '\t', QUOTE '', ESCAPE '', HEADER false, PARTITION_BY (grp))`,
        );
      });
      await db.run('DROP TABLE staged');
      await db.run('DROP TABLE losers');
      await db.run('DROP TABLE first_published');
      const filesOf = async (root: string): Promise<Map<number, string[]>> => {
        const m = new Map<number, string[]>();
        for (const d of await readdir(root).catch(() => [] as string[])) {
          const g = /^grp=(\d+)$/.exec(d);
          if (g) m.set(Number(g[1]), (await readdir(join(root, d))).sort().map((f) => join(root, d, f)));
        }
        return m;
      };
      const metaFiles = await filesOf(metaDir);
      const touchedFiles = await filesOf(touchedDir);
      // the members the touched chunks had: the other ocids' lines and the touched ocids' other releases are read back from there
      const oldMembers = { releases: {} as Record<string, string>, records: {} as Record<string, string> };
      for (const r of await db.rows<{ kind: 'releases' | 'records'; chunk: number; file: string }>('SELECT kind, chunk, file FROM ocds_members WHERE chunk IN (SELECT chunk FROM touched_chunks)')) {
        oldMembers[r.kind][String(r.chunk)] = join(membersDir, r.file);
      }
      await makeDirs(membersDir);
      const jobs: CompilePartJob[] = [];
      // a few chunks (a daily file) are compiled in this thread: a worker's start and its own compile of
      // the schema would cost more than they save
      const compileParts = nTouched < SMALL_COMPILE_CHUNKS ? 1 : parts;
      // OCDS 1.0 packages (their `version` says 1.0, or they have none): merged as 1.0 says
      const ocds10Sources = (await db.rows<{ sha256: string }>("SELECT sha256 FROM sources WHERE status = 'current' AND version = '1.0' AND format IN ('ocds-release-package', 'ocds-record-package')")).map((r) => r.sha256);
      for (let k = 0; k < compileParts; k++) {
        const partDir = join(stage, `part-${k}`);
        await makeDirs(partDir);
        const groups = [...touchedFiles.entries()]
          .filter(([g]) => g % compileParts === k)
          .sort((x, y) => x[0] - y[0])
          .map(([g, touched]) => ({ touched, meta: metaFiles.get(g) ?? [] }));
        jobs.push({ groups, staged: { file: staged, spans: stagedSpans }, oldMembers, dir: partDir, membersDir, gzipLevel: level, versioned: options.versioned ?? false, ocds10Sources, schema: defaultSchemaFiles(), ocidPrefix: options.ocidPrefix, now: started.toISOString(), personSirens });
      }
      const results: CompilePartResult[] = await time('compile:merge', async () => {
        if (compileParts === 1) return [await compilePart(jobs[0]!)];
        // every part settles before a failure is thrown: the staging folder is removed only when no part writes there
        const settled = await Promise.allSettled(jobs.map((j, k) => runInWorker<CompilePartJob, CompilePartResult>(workerUrl('./worker/compile-part.js', import.meta.url), j, `compile part ${k}`, MERGE_WORKER_LIMITS)));
        return settled.map((r) => {
          if (r.status === 'rejected') throw r.reason;
          return r.value;
        });
      });
      warnings = results.reduce((a, r) => a + r.warnings, 0);
      counts.ocidsCompiled = results.reduce((a, r) => a + r.records, 0);
      await time('compile:load', async () => {
      // the ocids recompiled are the touched ones (a name for what the red flags read); the rows of
      // those the store knew are replaced, table by table: one transaction per table (the run works
      // on a copy of the store, published whole or not at all), so that DuckDB does not hold every
      // table's new rows at once (one transaction for all was the full run's peak of memory)
      await db.run('CREATE TEMP VIEW recompiled AS SELECT ocid FROM touched_ocids');
      const recordFiles = jobs.map((j) => sqlString(partFiles(j.dir).records)).join(', ');
      const rec = tableSpec('records');
      for (const t of ['records', ...FLAT_TABLES] as const) {
        await db.run('BEGIN TRANSACTION');
        if (touchesKnown) await db.run(`DELETE FROM ${t} WHERE ${touchedRows(t, 'SELECT ocid FROM known_ocids')}`);
        if (t === 'records') await db.run(`INSERT INTO records SELECT * FROM read_csv([${recordFiles}], ${tsvArgs(Object.fromEntries(rec.columns.map((c) => [c.name, c.type])))})`);
        else await db.loadCsv(t, jobs.map((j) => partFiles(j.dir)[t]));
        await db.run('COMMIT');
      }
      await db.run('BEGIN TRANSACTION');
      await recordMembers(db, results.flatMap((r) => r.members));
      // the dates this run gave records without any, remembered (the first run's stays): the record
      // that gains a date, then loses it again in a later version of its file, gets back the first
      await db.run(
        `INSERT INTO run_dates SELECT DISTINCT r.ocid, r.release_id, r.date FROM quality_flags q JOIN releases r ON r.ocid = q.ocid AND r.release_id = q.release_id
         WHERE q.code = 'RELEASE_DATE_FROM_RUN' AND suffix(q.release_id, '-v0') AND r.date IS NOT NULL AND q.ocid IN (SELECT ocid FROM recompiled)
         AND NOT EXISTS (SELECT 1 FROM run_dates d WHERE d.ocid = r.ocid AND d.release_id = r.release_id)`,
      );
      // … and the date a run gave the record a correction dated tonight stands for (its next version
      // undated again gets it back)
      await rememberCorrected(db, datedInFiles, fresh.filter((f) => !f.stream && datedInFiles.has(f.display)).map((f) => f.display));
      await db.run('COMMIT');
      });
    });
    if (warnings > 0) log.info(`${warnings} merge warning(s): records.merge_warnings counts them per ocid`);
    // the tables the store derives per ocid: the rows of the recompiled ocids worked out again (see per-ocid.ts)
    const recompiledRows = (x: string): string => touchedRows(x, 'SELECT ocid FROM recompiled');
    // (those made again whole: their Parquet segments, when exported, are all written again)
    const remade: string[] = [];
    const refreshPerOcid = async (t: PerOcidTable): Promise<void> => {
      const said = (await db.rows<{ value: string }>(`SELECT value FROM store_meta WHERE key = ${sqlString(t.name)}`))[0]?.value;
      if (perOcidRemade(t, said, runId)) remade.push(t.name);
      for (const sql of perOcidRefresh(t, said, runId, 'SELECT ocid FROM known_ocids', recompiledRows)) await db.run(sql);
    };

    // 5. red flags of the recompiled contracts, and the unit-price anomalies
    await time('red-flags', async () => {
      await db.run('BEGIN TRANSACTION');
      if (touchesKnown) await db.run('DELETE FROM red_flags WHERE ocid IN (SELECT ocid FROM known_ocids)');
      // the recompiled contracts, read once for every red flag (the columns they read): a copy of
      // them, unless they are every contract of the store (a first run, a rebuild): then the table
      // itself (a copy of a million contracts was a full run's peak of memory: 150 MB more, and
      // slower than reading the table — see ARCHITECTURE.md)
      const everyContract = (await db.scalar('SELECT count(*) FROM (SELECT 1 FROM contracts ANTI JOIN touched_ocids USING (ocid) LIMIT 1)')) === 0;
      const kind = everyContract ? 'VIEW' : 'TABLE';
      await db.run(`CREATE TEMP ${kind} recompiled_contracts AS SELECT ${RED_FLAG_CONTRACT_COLUMNS.map((c) => `"${c}"`).join(', ')} FROM contracts x WHERE ${everyContract ? '' : `${recompiledRows('x')} AND `}duplicate_of IS NULL`);
      for (const sql of RED_FLAG_SQL) await db.run(sql);
      await db.run(`DROP ${kind} recompiled_contracts`);
      // the red flags of the recompiled processes' offers (partners' bids.details: DECP has none, and a
      // store without a tender row skips them)
      if ((await db.scalar('SELECT count(*) FROM (SELECT 1 FROM tenders LIMIT 1)')) > 0) for (const sql of bidFlagSql('SELECT ocid FROM recompiled')) await db.run(sql);
      // unit prices compared with their peers' (many processes): computed again whole, from the
      // items priced once each (those of the recompiled ocids priced now)
      await refreshPerOcid(PRICED_ITEMS);
      for (const sql of PRICE_ANOMALY_SQL) await db.run(sql);
      await db.run('COMMIT');
    });

    // 6. publish into the staging generation
    const gen = dir.generation;
    const outputs = {
      store: join(out, 'decp.duckdb'),
      releases: join(out, 'ocds', 'releases.jsonl.gz'),
      records: join(out, 'ocds', 'records.jsonl.gz'),
      package: join(out, 'ocds', 'release-package.json'),
      recordPackage: join(out, 'ocds', 'record-package.json'),
      parquet: join(out, 'parquet'),
      validationJson: join(out, 'reports', 'validation.json'),
      validationHtml: join(out, 'reports', 'validation.html'),
      rejects: join(out, 'rejects.jsonl'),
      run: join(out, 'run.json'),
    };
    // publishedDate changes only when the data does: a rerun writes the same bytes; a release
    // republished with a correction under its id changes the data too (its ocid recompiled)
    if (counts.releasesAdded > 0 || counts.releasesRemoved > 0 || counts.ocidsCompiled > 0 || (await db.scalar("SELECT count(*) FROM store_meta WHERE key = 'published_date'")) === 0) {
      await db.run("DELETE FROM store_meta WHERE key = 'published_date'");
      await db.run(`INSERT INTO store_meta VALUES ('published_date', ${sqlString(started.toISOString())})`);
    }
    const publishedDate = (await db.rows<{ value: string }>("SELECT value FROM store_meta WHERE key = 'published_date'"))[0]!.value;
    const exitCode = counts.filesUnreadable > 0 ? EXIT.INPUT_UNREADABLE : counts.rejected > options.maxRejects ? EXIT.FOUND_ERRORS : EXIT.OK;
    // (the runs row is published with the other tables, in Parquet: it ends where the store's
    // content does, before the publication; run.json's finishedAt is the end of the whole run)
    const storeWritten = effects.now();
    await db.run(
      `INSERT INTO runs VALUES (${runId}, ${sqlString(started.toISOString())}, ${sqlString(storeWritten.toISOString())}, ${counts.files}, ${counts.filesNew}, ${counts.filesUnchanged + counts.filesDuplicate}, ${counts.filesReplaced}, ${counts.filesUnreadable}, ${counts.read}, ${counts.converted}, ${counts.rejected}, ${counts.releasesAdded}, ${counts.releasesRemoved}, ${counts.ocidsCompiled}, ${exitCode})`,
    );
    counts.store['runs'] = runId;
    // the generation this store is published with: the next run reuses its unchanged files
    await db.run("DELETE FROM store_meta WHERE key IN ('generation', 'versioned', 'release_settings')");
    // (the SIRENs of natural persons the processes of the store now agree with: the next run looks for
    // processes that do not only when they changed)
    if (personSirensHash !== undefined) {
      await db.run("DELETE FROM store_meta WHERE key = 'person_sirens'");
      await db.run(`INSERT INTO store_meta VALUES ('person_sirens', ${sqlString(personSirensHash)})`);
    }
    await db.run(`INSERT INTO store_meta VALUES ('versioned', '${String(options.versioned ?? false)}')`);
    await db.run(`INSERT INTO store_meta VALUES ('release_settings', ${sqlString(JSON.stringify(settings))})`);
    await db.run(`INSERT INTO store_meta VALUES ('generation', ${sqlString(dir.generationName)})`);
    // the ocds/ files are plain file copies: they run beside DuckDB's Parquet export (stage times overlap)
    const members = { releases: await memberList(db, 'releases'), records: await memberList(db, 'records') };
    // both settle before a failure is thrown: the staging folder is removed only when nothing writes there
    const settled = await Promise.allSettled([
      time('publish-ocds', async () => {
        const previous = (kind: 'releases' | 'records'): PublishedFile | null => (published === null ? null : { path: join(published, 'ocds', `${kind}.jsonl.gz`), members: publishedMembers[kind] });
        const [rel, rec] = await Promise.all([
          concatMembers(members.releases, membersDir, join(gen, 'ocds', 'releases.jsonl.gz'), previous('releases')),
          concatMembers(members.records, membersDir, join(gen, 'ocds', 'records.jsonl.gz'), previous('records')),
        ]);
        counts.ocds.releases = rel.lines;
        counts.ocds.records = rec.lines;
        // (our extensions declared when the data holds releases of our mapping: a release whose source
        // is not OCDS — DECP, a CSV or a file of `unknown` records read through a profile: the sources
        // table has those as `unknown`, not as a format of their own)
        // (the sources, few, looked up by each release until one is found: a join of every release cost
        // 0.4 s a night on 250,000 of them)
        const ownReleases = (await db.scalar("SELECT count(*) FROM (SELECT 1 FROM releases WHERE source_sha256 IN (SELECT sha256 FROM sources WHERE format IS NULL OR format NOT LIKE 'ocds-%') LIMIT 1)")) > 0;
        const packages = publishedPackages({ publishedDate, publicationUrl: options.publicationUrl, localExtensionUrl: options.localExtensionUrl, publisherName: options.publisherName, publisherUri: options.publisherUri, license: options.license, publicationPolicy: options.publicationPolicy, ownReleases });
        await writeFile(join(gen, 'ocds', 'release-package.json'), `${JSON.stringify(packages.releasePackage, null, 2)}\n`);
        await writeFile(join(gen, 'ocds', 'record-package.json'), `${JSON.stringify(packages.recordPackage, null, 2)}\n`);
        // the local extension beside the data, to be published where --local-extension-url says (its
        // merge rule on Contract.suppliers is what makes other compilers drop a removed supplier)
        await makeDirs(join(gen, 'ocds', 'x_decp'));
        for (const f of ['extension.json', 'release-schema.json']) await copyFile(join(SCHEMAS_DIR, 'x_decp', f), join(gen, 'ocds', 'x_decp', f));
        // the publication policy the packages point to when --publication-url is given (amounts excluding VAT, updates, personal data)
        await copyFile(PUBLICATION_POLICY, join(gen, 'ocds', 'publication-policy.md'));
      }),
      time('publish-parquet', async () => {
        counts.parquet = await exportParquet(db, { target: join(gen, 'parquet'), scratch: join(stage, 'parquet-new'), previous: published === null ? null : join(published, 'parquet'), touchedChunks: 'SELECT chunk FROM touched_chunks', remade });
      }),
    ]);
    for (const r of settled) if (r.status === 'rejected') throw r.reason;
    await time('publish-reports', async () => {
      await refreshPerOcid(RELEASE_COUNTS);
      await writeValidationReports(db, join(gen, 'reports'), started.toISOString(), stage);
      await db.run(`COPY (SELECT reject_json FROM rejects ORDER BY source_sha256, source_index) TO ${sqlString(join(stage, 'rejects.jsonl'))} (FORMAT csv, DELIMITER '\t', QUOTE '', ESCAPE '', HEADER false)`);
    });
    for (const t of TABLES) counts.store[t.name] = await db.scalar(`SELECT count(*) FROM ${t.name}`);

    const live = await liveMembers(db);
    await time('store-close', () => db.close());
    store = null;
    // the end after every stage (it was taken before the publication: finishedAt − startedAt fell
    // short of durationMs); durationMs rounded down, so that it never exceeds the dates' difference
    const total = performance.now() - t0;
    const finished = effects.now();
    const stages = Object.fromEntries(Object.entries(stageMs).map(([k, ms]) => [k, { ms: Math.round(ms), share: Math.round((ms / total) * 1000) / 1000, peakRssMB: peakMB[k] ?? 0, cpuMs: Math.round(cpuMs[k] ?? 0) }]));
    const report: RunReport = {
      tool: 'decp-ocds',
      runId,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: Math.floor(total),
      inputs: files,
      unchanged,
      duplicates,
      skipped,
      hidden,
      outputFolders,
      replaced,
      counts,
      outputs,
      stages,
      exitCode,
    };
    await writeFileAtomic(join(stage, 'run.json'), `${JSON.stringify(report, null, 2)}\n`);
    // the members no published file lists are removed before the lock goes: a run that takes it next
    // may write members this run's store does not know
    const left = await dir.publish(() => collectMembers(live, membersDir).catch(() => 0));
    const said = (l: LeftBehind): string => `${l.error}: ${l.path}`;
    const earlier = left.filter((l) => l.generation);
    if (earlier.length > 0) log.warn(`the output is published; ${earlier.length} earlier generation folder(s) could not be removed (${earlier.slice(0, 3).map(said).join(', ')}${earlier.length > 3 ? ', …' : ''}): a later run removes them once it can (each holds a whole data set: check that this user may remove what is in them)`);
    for (const l of left.filter((x) => !x.generation)) log.warn(`the output is published; its staging folder could not be removed (${said(l)}): the next run removes it`);
    return report;
  } catch (err) {
    if (store) {
      try {
        await store.close();
      } catch {
        // the run failed already: its staging folder is dropped below
      }
    }
    // (under the lock: the members this run wrote, which no published store lists; a member file
    // the published store lists is never removed)
    // (once the new store is in place, it lists this run's members: none is removed; one left behind
    // is removed by the next run)
    // (not once the lock is taken over: the members the published store does not list are then the new holder's too)
    if (publishedLive !== null && !dir.storeSwapped && (await dir.ownsLock())) await collectMembers(publishedLive, join(out, '.members')).catch(() => undefined);
    // (a members folder left empty by a run that published nothing goes, so that the --out folder it
    // made goes too: only an empty one is removed, a published store's members stay)
    if (!dir.storeSwapped) await rmdir(join(out, '.members')).catch(() => undefined);
    await dir.release();
    // (a folder of ocds/ members or generations this user cannot write: exit 4, not a bug to report)
    throw asWriteError(err);
  }
}

/**
 * The options of `run` that shape the releases' content, as the store remembers them (store_meta
 * `release_settings`): the ocid prefix (every ocid, and the validation of it), the mapping profile
 * (by its content: an edited profile maps otherwise; the bundled one is named, not hashed, as an
 * upgrade is handled apart: README) and a forced encoding (the decoded text). Not here: what only
 * says which records are accepted (the limits), `--run-date` (by default the time of each run, and it
 * only dates records that have no date), `--versioned` (records only: compiled again, see load),
 * and what changes neither (--concurrency, --gzip-level, --chunk-size, --quiet…).
 */
export interface ReleaseSettings {
  ocidPrefix: string;
  profile: string;
  encoding: string | null;
}

export function releaseSettings(options: { ocidPrefix: string } & Pick<RunOptions, 'encoding'>, profile: MappingProfile, bundledProfile: MappingProfile): ReleaseSettings {
  const hash = (p: MappingProfile): string => `sha256:${createHash('sha256').update(JSON.stringify(p)).digest('hex')}`;
  return {
    ocidPrefix: options.ocidPrefix,
    // (a copy of the bundled profile maps as it does: it is the bundled one)
    profile: hash(profile) === hash(bundledProfile) ? 'bundled' : hash(profile),
    encoding: options.encoding ?? null,
  };
}

/**
 * Why a store must be rebuilt whose member files `missing` (of the `listed` it lists, in `membersDir`)
 * are gone (see missingMembers), or null when none is.
 */
export function membersLost({ missing, listed }: { readonly missing: readonly string[]; readonly listed: number }, membersDir: string): string | null {
  if (missing.length === 0) return null;
  return `${missing.length} of the ${listed} ocds/ member files the store lists are missing from ${membersDir} or not whole, ${missing[0]}${missing.length > 1 ? ' …' : ''} (deleted, or not restored with the store): the published ocds/ files are made of them`;
}

/** What differs between the settings a store was made with (its JSON; none: a store of before) and this run's; null when nothing does. */
function settingsChange(stored: string | undefined, now: ReleaseSettings): string | null {
  if (stored === undefined) return null;
  let was: Partial<ReleaseSettings>;
  try {
    was = JSON.parse(stored) as Partial<ReleaseSettings>;
  } catch {
    was = {};
  }
  const show = (v: unknown): string => (v === null || v === undefined ? 'none' : v === 'bundled' ? 'the bundled one' : String(v).startsWith('sha256:') ? `a file of ${String(v).slice(0, 19)}…` : String(v));
  const names: Record<keyof ReleaseSettings, string> = { ocidPrefix: '--ocid-prefix', profile: '--profile', encoding: '--encoding' };
  const changed = (Object.keys(names) as Array<keyof ReleaseSettings>)
    .filter((k) => (was[k] ?? null) !== now[k])
    .map((k) => `${names[k]} ${show(was[k])}, now ${show(now[k])}`);
  return changed.length === 0 ? null : `the store's releases were made with other settings (${changed.join('; ')})`;
}

/** The columns of the run's rejects file (rejectRow), as the store's table has them. */
const rejectsColumns = columnsArg(tableSpec('rejects'));

/**
 * Why a new version of a path read before is kept out (null: it replaces the version before, which
 * converted `before` records; undefined: it replaces none). A version from which no record converts
 * (empty, `null`, `[]`, a document cut before its first record, every record rejected) where the one
 * before had some, or whose reading stopped early (cut inside a record, a gzip stream or a document
 * that breaks off) with fewer records than the one before, is a failed download far more often than
 * a publisher's correction: taken in place of the version before, it removed that feed's contracts
 * with exit 0. It is kept out as an unreadable file is (exit 3, not remembered: the next run reads it
 * again). A first version is loaded whatever it holds (it replaces nothing), and so is a version cut
 * short that still holds as many records as the one before, or more (a feed that always ends so, and grows).
 */
export function incompleteVersion(before: number | undefined, summary: Pick<FileSummary, 'error' | 'read'>, converted: number, cutShort: boolean): string | null {
  if (before === undefined || before === 0) return null;
  if (converted === 0) return summary.read === 0 ? `it holds no record (the version before: ${before})` : `none of its ${summary.read} record(s) converts (the version before: ${before})`;
  // a gzip file whose data fails its own check (CRC, length): bytes that are not what was compressed,
  // whatever it holds — not a version to replace a good one with
  if (summary.error !== undefined && /incorrect (?:data|length) check/i.test(summary.error.message)) return `its gzip data fails its integrity check (${summary.error.message}): its bytes are not the ones compressed`;
  if (converted >= before) return null;
  const fewer = `${converted} record(s) converted, the version before ${before}`;
  if (summary.error !== undefined) return `its reading stopped early (${summary.error.code}: ${summary.error.message}), ${fewer}`;
  if (cutShort) return `it ends inside a record (cut short), ${fewer}`;
  return null;
}

/** Does the file begin as a DuckDB database does (its magic bytes `DUCK` after the header's checksum)? */
async function isDuckDbFile(path: string): Promise<boolean> {
  const fd = await open(path, 'r').catch(() => null);
  if (fd === null) return false;
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await fd.read(head, 0, 12, 0);
    return bytesRead === 12 && head.subarray(8, 12).toString('latin1') === 'DUCK';
  } finally {
    await fd.close();
  }
}

function rejectRow(r: RejectedRecord): string {
  const p = r.provenance;
  return JSON.stringify({ source_sha256: p.sha256, source_index: p.index, file: p.file, line: p.line, byte_offset: p.offset ?? null, ocid: r.ocid ?? null, code: r.code, reason: r.reason, reject_json: rejectLine(r).trimEnd() });
}

/** reports/validation.{json,html}: every current release, with its findings from the store. */
async function writeValidationReports(db: Store, dir: string, generatedAt: string, scratch: string): Promise<void> {
  const report = new ValidationReport(['OCDS 1.1.5 release schema, the declared extensions and x_decp (schemas/ of decp-ocds)']);
  const writers = await openReportWriters([join(dir, 'validation.json'), join(dir, 'validation.html')], scratch);
  // releases without findings are counted in SQL, by file and by the buyers the report can list
  // (each buyer with findings, then the first others by name); releases with findings are read one by one
  await db.run('CREATE TEMP TABLE valid_counts AS SELECT sha, buyer, sum(n) AS n FROM release_counts GROUP BY ALL');
  const byFile = await db.rows<{ file: string; n: number }>('SELECT coalesce(s.path, v.sha) AS file, sum(v.n) AS n FROM valid_counts v LEFT JOIN sources s ON s.sha256 = v.sha GROUP BY ALL ORDER BY ALL');
  const byBuyer = await db.rows<{ buyer: string; n: number }>(
    `WITH b AS (SELECT buyer, sum(n) AS n FROM valid_counts GROUP BY buyer),
          p AS (SELECT DISTINCT coalesce(rec.buyer_id, ${sqlString(NO_BUYER)}) AS buyer FROM validation_errors v LEFT JOIN records rec ON rec.ocid = v.ocid
                UNION SELECT coalesce(json_extract_string(reject_json, '$.buyer'), ${sqlString(NO_BUYER)}) FROM rejects)
     SELECT * FROM b WHERE buyer IN (SELECT buyer FROM p)
     UNION ALL (SELECT * FROM b WHERE buyer NOT IN (SELECT buyer FROM p) ORDER BY buyer LIMIT ${BUYERS_LISTED})`,
  );
  const buyers = await db.scalar(
    `SELECT count(DISTINCT buyer) FROM (SELECT buyer FROM valid_counts UNION SELECT coalesce(rec.buyer_id, ${sqlString(NO_BUYER)}) FROM validation_errors v LEFT JOIN records rec ON rec.ocid = v.ocid
     UNION SELECT coalesce(json_extract_string(reject_json, '$.buyer'), ${sqlString(NO_BUYER)}) FROM rejects)`,
  );
  await db.run('DROP TABLE valid_counts');
  report.addValidCounts(
    byFile.map((r) => [r.file, r.n] as const),
    byBuyer.map((r) => [r.buyer, r.n] as const),
    buyers,
  );
  // one row per finding, a release's in a row (its findings by rule and pointer): a list of them
  // aggregated per release held every list in memory DuckDB cannot spill — 1,500,000 releases of
  // three findings each ran out of the default --memory-limit, every night —; a sort spills
  const sql = `SELECT coalesce(s.path, r.source_sha256), r.source_line::DOUBLE, r.source_index::DOUBLE, r.ocid, r.release_id, rec.buyer_id, v.severity, v.rule, v.pointer, v.message, v.value
    FROM releases r JOIN validation_errors v ON v.ocid = r.ocid AND v.release_id = r.release_id
    LEFT JOIN sources s ON s.sha256 = r.source_sha256 LEFT JOIN records rec ON rec.ocid = r.ocid
    ORDER BY r.ocid, r.date NULLS FIRST, r.is_update, r.source_index, r.position, r.release_id, v.rule, v.pointer, v.severity, v.message, v.value`;
  try {
    // input records that could not be read or converted are in the report too, as `validate` reports
    // them (an auditor reading it learns they were left out): one entry each, an `input.<code>` error
    for await (const rows of db.stream('SELECT coalesce(s.path, j.file), j.line::DOUBLE, j.source_index::DOUBLE, j.ocid, j.code, j.reason, j.reject_json FROM rejects j LEFT JOIN sources s ON s.sha256 = j.source_sha256 ORDER BY j.source_sha256, j.source_index')) {
      for (const [file, line, index, ocid, code, reason, json] of rows as Array<[string, number | null, number, string | null, string, string, string]>) {
        const { excerpt, buyer } = JSON.parse(json) as { excerpt?: unknown; buyer?: unknown };
        const where = { file, line: line ?? 0, index, ocid, releaseId: null, buyer: typeof buyer === 'string' ? buyer : null };
        for (const row of report.add(where, [{ kind: 'input', rule: `input.${code}`, severity: 'error', pointer: '', message: reason, ...(typeof excerpt === 'string' ? { value: excerpt } : {}) }])) await writers.row(row);
      }
    }
    // (a release's findings gathered from its consecutive rows, then reported)
    let release: { where: { file: string; line: number; index: number; ocid: string; releaseId: string; buyer: string | null }; findings: Finding[] } | null = null;
    const reportRelease = async (): Promise<void> => {
      if (release !== null) for (const row of report.add(release.where, release.findings)) await writers.row(row);
    };
    for await (const rows of db.stream(sql)) {
      for (const [file, line, index, ocid, releaseId, buyer, severity, rule, pointer, message, value] of rows as Array<[string, number, number, string, string, string | null, 'error' | 'warning', string, string, string, string | null]>) {
        if (release === null || release.where.ocid !== ocid || release.where.releaseId !== releaseId) {
          await reportRelease();
          release = { where: { file, line, index, ocid, releaseId, buyer }, findings: [] };
        }
        release.findings.push({
          kind: rule.startsWith('schema.') ? 'schema' : 'check',
          rule,
          severity,
          pointer,
          message,
          // (the store's value is JSON: the report gives it as validate does, a string without its quotes)
          ...(value === null ? {} : { value: storedValue(value) }),
        });
      }
    }
    await reportRelease();
    await writers.finish(report, { title: 'OCDS validation report (decp-ocds run)', generatedAt });
  } catch (err) {
    await writers.abort();
    throw err;
  }
}

/**
 * A value of validation_errors (the value as JSON, cut at 500 characters: jsonText) as `validate`'s
 * reports give it: a string is its text, without its quotes (`EURO`, not `"EURO"`); a cut string is
 * its text to the cut.
 */
export function storedValue(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json.startsWith('"') ? json.slice(1) : json;
  }
}

/**
 * An input that is the output folder, or one of the run's own outputs in it (`run data --out data`,
 * `run out/ocds --out out`), is refused before anything is read or written: the run would read its
 * own output (the walk leaves the output folder out, so `run . --out .` read nothing and published
 * an empty data set). A source file the operator keeps in the output folder is an input like another.
 */
async function inputsOutsideOutput(inputs: readonly string[], out: string, given: string): Promise<void> {
  const outReal = await realpath(out).catch(() => out);
  for (const input of inputs) {
    if (input === '-') continue;
    const real = await realpath(input).catch(() => resolve(input));
    const entry = real.startsWith(outReal + sep) ? real.slice(outReal.length + 1).split(sep)[0]! : null;
    if (real === outReal || (entry !== null && (OWN_ENTRIES.has(entry) || entry.startsWith('.')))) {
      throw new PipelineError('CLI_INVALID_OPTION', `the input ${input} is ${real === outReal ? 'the output folder' : 'an output of the run, in the output folder'} (--out ${given}): the run would read its own output`, { remedy: 'give the folder of the source files as input, and another folder as --out' });
    }
  }
}

/** What a run writes in its output folder (and its hidden folders: generations, members, staging). */
const OWN_ENTRIES: ReadonlySet<string> = new Set<string>([...GENERATION_DIRS, ...PUBLISHED_FILES]);

/** Is stdin a pipe or a file (data sent to a command that was given no input)? */
function stdinPiped(): boolean {
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isFile();
  } catch {
    return false;
  }
}
