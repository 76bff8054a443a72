/**
 * The nightly job (`decp-ocds run`). Today: ingest and convert every input,
 * write every release (ocds/releases.jsonl.gz), the rejects and run.json into
 * the output folder, and account for every record (read = converted + rejected).
 * Validation, compilation and the DuckDB/Parquet store plug in after convert.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { EXIT } from './core/errors.js';
import type { Effects } from './core/effects.js';
import type { Logger } from './core/log.js';
import { convertInputsParallel } from './convert-parallel.js';
import type { IngestOptions } from './ingest/reader.js';
import type { FileSummary, SourceFileInfo } from './ingest/types.js';
import { rejectLine } from './ingest/rejects.js';
import { loadProfile } from './ingest/profiles.js';
import { writeFileAtomic } from './publish/atomic.js';
import { openLineWriter } from './publish/jsonl-writer.js';

/** The demo data shipped with the package, used when `run` is given no input. */
export const DEMO_DATA_DIR = fileURLToPath(new URL('../fixtures/demo/', import.meta.url));

export interface RunOptions extends IngestOptions {
  inputs: string[];
  out: string;
  /** Exit 1 when more records than this are rejected. */
  maxRejects: number;
  ocidPrefix: string;
  /** Date-time used only for records with no date at all. */
  runDate?: string | undefined;
  /** Mapping profile file (default: the bundled DECP profile). */
  profile?: string | undefined;
  /** Files converted at once (worker threads). */
  concurrency: number;
}

export interface FileReport extends SourceFileInfo, Omit<FileSummary, 'issues' | 'meta' | 'accepted'> {
  /** Records read by ingest. */
  ingested: number;
  /** Records that became releases. */
  converted: number;
  issues: number;
}

export interface RunReport {
  tool: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  inputs: FileReport[];
  counts: { files: number; filesUnreadable: number; read: number; converted: number; rejected: number; releases: number };
  outputs: Record<string, string>;
  stages: Record<string, { ms: number }>;
  exitCode: number;
}

export async function runJob(options: RunOptions, effects: Effects, log: Logger): Promise<RunReport> {
  const started = effects.now();
  const t0 = performance.now();
  const inputs = options.inputs.length > 0 ? options.inputs : [DEMO_DATA_DIR];
  if (options.inputs.length === 0) log.info(`no input given: running on the bundled demo data (${DEMO_DATA_DIR})`);
  const profile = await loadProfile(options.profile);
  const outputs = { releases: join(options.out, 'ocds', 'releases.jsonl.gz'), rejects: join(options.out, 'rejects.jsonl'), run: join(options.out, 'run.json') };
  const releases = await openLineWriter(outputs.releases, effects.stdout);
  const rejects = await openLineWriter(outputs.rejects, effects.stdout);
  const files: FileReport[] = [];
  let counts;
  try {
    counts = await convertInputsParallel(
      { ...options, inputs, profile, context: { ocidPrefix: options.ocidPrefix, runDate: options.runDate ?? started.toISOString() } },
      {
        release: (text) => releases.write(text),
        releaseBytes: (chunk) => releases.writeBytes(chunk),
        reject: (r) => rejects.write(rejectLine(r).trimEnd()),
        fileEnd: (file, summary, converted) => {
          const { issues, meta: _meta, accepted, ...rest } = summary;
          files.push({ ...file, ...rest, ingested: accepted, converted, rejected: summary.read - converted, issues: issues.length });
          if (summary.error?.fatal) log.error(`${summary.error.code}: ${summary.error.message}`);
          else if (summary.error) log.warn(`${file.file}: ${summary.error.code}: ${summary.error.message}`);
          for (const i of issues) log.warn(`${file.file}: ${i.code}: ${i.message}`);
          log.info(`${file.file}: ${summary.format} ${summary.version ?? ''} ${summary.read} read, ${converted} converted, ${summary.read - converted} rejected`.replace(/ +/g, ' '), { file: file.file, read: summary.read, converted, rejected: summary.read - converted });
        },
      },
      options.concurrency,
      effects.stdin,
    );
    await releases.commit();
    await rejects.commit();
  } catch (err) {
    await releases.abort();
    await rejects.abort();
    throw err;
  }
  const convertMs = performance.now() - t0;
  const exitCode = counts.filesUnreadable > 0 ? EXIT.INPUT_UNREADABLE : counts.rejected > options.maxRejects ? EXIT.FOUND_ERRORS : EXIT.OK;
  const { files: nFiles, filesUnreadable, read, converted, rejected, releases: nReleases } = counts;
  const report: RunReport = {
    tool: 'decp-ocds',
    startedAt: started.toISOString(),
    finishedAt: effects.now().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    inputs: files,
    counts: { files: nFiles, filesUnreadable, read, converted, rejected, releases: nReleases },
    outputs,
    stages: { 'ingest+convert': { ms: Math.round(convertMs) } },
    exitCode,
  };
  await writeFileAtomic(outputs.run, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
