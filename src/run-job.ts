/**
 * The nightly job (`decp-ocds run`). Today: ingest every input, write the
 * rejects and run.json into the output folder, and account for every record
 * (read = converted + rejected). Later stages (convert, validate, compile,
 * publish) plug in after ingest.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { EXIT } from './core/errors.js';
import type { Effects } from './core/effects.js';
import type { Logger } from './core/log.js';
import { readInputs, type IngestOptions } from './ingest/reader.js';
import type { FileSummary, SourceFileInfo } from './ingest/types.js';
import { AtomicWriter, writeFileAtomic } from './publish/atomic.js';
import { rejectLine } from './ingest/rejects.js';

/** The demo data shipped with the package, used when `run` is given no input. */
export const DEMO_DATA_DIR = fileURLToPath(new URL('../fixtures/demo/', import.meta.url));

export interface RunOptions extends IngestOptions {
  inputs: string[];
  out: string;
  /** Exit 1 when more records than this are rejected. */
  maxRejects: number;
}

export interface FileReport extends SourceFileInfo, Omit<FileSummary, 'issues' | 'meta'> {
  issues: number;
}

export interface RunReport {
  tool: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  inputs: FileReport[];
  counts: { files: number; filesUnreadable: number; read: number; converted: number; rejected: number };
  stages: Record<string, { ms: number }>;
  exitCode: number;
}

export async function runJob(options: RunOptions, effects: Effects, log: Logger): Promise<RunReport> {
  const started = effects.now();
  const t0 = performance.now();
  const inputs = options.inputs.length > 0 ? options.inputs : [DEMO_DATA_DIR];
  if (options.inputs.length === 0) log.info(`no input given: running on the bundled demo data (${DEMO_DATA_DIR})`);
  const rejects = await AtomicWriter.open(join(options.out, 'rejects.jsonl'));
  const files: FileReport[] = [];
  const counts = { files: 0, filesUnreadable: 0, read: 0, converted: 0, rejected: 0 };
  try {
    for await (const ev of readInputs(inputs, options, effects.stdin)) {
      if (ev.type === 'reject') {
        await rejects.write(rejectLine(ev.reject));
      } else if (ev.type === 'file-end') {
        const { issues, meta: _meta, ...summary } = ev.summary;
        files.push({ ...ev.file, ...summary, issues: issues.length });
        counts.files++;
        counts.read += summary.read;
        counts.converted += summary.accepted;
        counts.rejected += summary.rejected;
        if (summary.error?.fatal) {
          counts.filesUnreadable++;
          log.error(`${summary.error.code}: ${summary.error.message}`);
        } else if (summary.error) {
          log.warn(`${summary.error.code}: ${summary.error.message}`);
        }
        for (const i of issues) log.warn(`${ev.file.file}: ${i.code}: ${i.message}`);
        log.info(`${ev.file.file}: ${summary.format} ${summary.version ?? ''} ${summary.read} read, ${summary.accepted} converted, ${summary.rejected} rejected`.replace(/ +/g, ' '), { file: ev.file.file, read: summary.read, converted: summary.accepted, rejected: summary.rejected });
      }
    }
    await rejects.commit();
  } catch (err) {
    await rejects.abort();
    throw err;
  }
  const ingestMs = performance.now() - t0;
  const exitCode = counts.filesUnreadable > 0 ? EXIT.INPUT_UNREADABLE : counts.rejected > options.maxRejects ? EXIT.FOUND_ERRORS : EXIT.OK;
  const report: RunReport = {
    tool: 'decp-ocds',
    startedAt: started.toISOString(),
    finishedAt: effects.now().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    inputs: files,
    counts,
    stages: { ingest: { ms: Math.round(ingestMs) } },
    exitCode,
  };
  await writeFileAtomic(join(options.out, 'run.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
