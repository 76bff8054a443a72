/**
 * Several files at once (--concurrency N): each file is converted by a worker
 * thread into temporary files; the parent hands their lines to the sink in
 * input order, so the output is the same as a sequential run's, byte for byte.
 * One file at a time (N = 1, a single input, or --sample) runs in this thread.
 */
import { rm, stat } from 'node:fs/promises';
import { scratchDir } from './core/scratch.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { convertInputs, noConvertCounts, type ConvertCounts, type ConvertOptions, type ConvertSink } from './convert.js';
import { WORKER_LIMITS, workerError, workerUrl, type WorkerFailure } from './core/workers.js';
import { forwardLines, readLines } from './core/files.js';
import { normalizeIngestOptions } from './ingest/reader.js';
import { csvOptionsOf, jsonRecordKeysOf } from './ingest/profiles.js';
import { expandInputs, type ExpandedInput } from './ingest/source.js';
import type { RejectedRecord } from './ingest/types.js';
import type { ConvertFileJob, ConvertFileResult } from './worker/convert-file.js';

export async function convertInputsParallel(options: ConvertOptions, sink: ConvertSink, concurrency: number, stdin?: Readable): Promise<ConvertCounts> {
  const usesStdin = options.inputs.some((i) => i === '-' || (typeof i !== 'string' && i.display === '-'));
  if (concurrency <= 1 || options.sample !== undefined || usesStdin) return convertInputs(options, sink, stdin);
  const { files, cleanup } = await expandInputs(options.inputs, undefined, { csv: (options.csv ?? csvOptionsOf(options.profile)) !== undefined, exclude: options.exclude, refuseEmpty: options.refuseEmpty, skipped: options.skipped });
  if (files.length <= 1) {
    // the inputs as expanded: a named pipe is read once (spooled), not expanded again
    try {
      return await convertInputs({ ...options, inputs: files }, sink);
    } finally {
      await cleanup();
    }
  }
  // (the files are read by the workers: the bar counts each one's records when it is handed over)
  options.watch?.files(files.length);
  const { dir, forget } = scratchDir(options.scratch ?? tmpdir(), 'decp-ocds-convert-');
  const ingest = normalizeIngestOptions({ ...options, csv: options.csv ?? csvOptionsOf(options.profile), jsonRecordKeys: options.jsonRecordKeys ?? jsonRecordKeysOf(options.profile) });
  const total = noConvertCounts();
  const jobs = jobsOf(files, await Promise.all(files.map((f) => stat(f.path).then((st) => st.size, () => 0))), concurrency);
  const workers = Array.from({ length: Math.min(concurrency, jobs.length) }, () => new Worker(workerUrl('./worker/convert-file.js', import.meta.url), { resourceLimits: WORKER_LIMITS }));
  const results: Array<Promise<ConvertFileResult>> = [];
  let next = 0;
  const run = (w: Worker, i: number): Promise<ConvertFileResult> =>
    new Promise((resolve, reject) => {
      const inputs = jobs[i]!;
      const job: ConvertFileJob = { inputs, ingest, profile: options.profile, context: options.context, releasesPath: join(dir, `${i}.releases`), rejectsPath: join(dir, `${i}.rejects`), lineFormat: options.lineFormat };
      const onMessage = (m: { ok: boolean; result?: ConvertFileResult; error?: WorkerFailure }): void => {
        w.off('error', onError);
        if (m.ok) resolve(m.result!);
        else reject(workerError(inputs.length === 1 ? inputs[0]!.display : `${inputs[0]!.display} (or one of the ${inputs.length - 1} files after it)`, m.error));
      };
      const onError = (err: Error): void => {
        w.off('message', onMessage);
        reject(err);
      };
      w.once('message', onMessage);
      w.once('error', onError);
      w.postMessage(job);
    });
  // each worker takes the next file when it is done with one
  const slots = new Map<number, { resolve: (r: ConvertFileResult) => void; reject: (e: unknown) => void }>();
  for (let i = 0; i < jobs.length; i++) {
    const result = new Promise<ConvertFileResult>((resolve, reject) => slots.set(i, { resolve, reject }));
    // (a later file's failure, while an earlier one is still being forwarded, is thrown when its turn
    // comes or never, not as an unhandled rejection that kills the process)
    result.catch(() => undefined);
    results.push(result);
  }
  const loop = async (w: Worker): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      try {
        slots.get(i)!.resolve(await run(w, i));
      } catch (err) {
        slots.get(i)!.reject(err);
      }
    }
  };
  const loops = Promise.all(workers.map(loop));
  try {
    for (let i = 0; i < jobs.length; i++) {
      const r = await results[i]!;
      await forwardLines(join(dir, `${i}.releases`), sink.releaseBytes?.bind(sink), (line) => sink.release(line));
      for await (const line of readLines(join(dir, `${i}.rejects`))) {
        const p = sink.reject(JSON.parse(line) as RejectedRecord);
        if (p) await p;
      }
      for (const e of r.ends) {
        const p = sink.fileEnd?.(e.file, e.summary, e.converted, e.releases);
        if (p) await p;
      }
      for (const e of r.ends) options.watch?.file(e.summary.read);
      for (const k of Object.keys(total) as Array<keyof ConvertCounts>) total[k] += r.counts[k];
      await rm(join(dir, `${i}.releases`), { force: true });
      await rm(join(dir, `${i}.rejects`), { force: true });
    }
    await loops;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    await rm(dir, { recursive: true, force: true });
    forget();
    await cleanup();
  }
  return total;
}

/** A job gathers consecutive files up to this many bytes (a larger file is a job of its own)… */
const JOB_BYTES = 4 * 1024 * 1024;
/** … and up to this many files. */
const JOB_FILES = 256;

/**
 * The inputs as the workers' jobs: consecutive files, in input order, gathered while they are small.
 * Each job costs a message each way, two temporary files and the parent's reading them back: a file of
 * its own per job made a folder of 3,000 daily files (10 records each) convert twice as slowly on two
 * threads as on one. A job stays under a quarter of each worker's share of the bytes, so that both
 * threads have work until the end.
 */
export function jobsOf(files: readonly ExpandedInput[], sizes: readonly number[], workers: number): ExpandedInput[][] {
  const bytes = sizes.reduce((a, b) => a + b, 0);
  const cap = Math.max(1, Math.min(JOB_BYTES, Math.floor(bytes / (4 * Math.max(1, workers)))));
  const jobs: ExpandedInput[][] = [];
  let job: ExpandedInput[] = [];
  let held = 0;
  files.forEach((f, i) => {
    const size = sizes[i] ?? 0;
    if (job.length > 0 && (held + size > cap || job.length >= JOB_FILES)) {
      jobs.push(job);
      job = [];
      held = 0;
    }
    job.push(f);
    held += size;
  });
  if (job.length > 0) jobs.push(job);
  return jobs;
}
