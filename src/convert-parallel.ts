/**
 * Several files at once (--concurrency N): each file is converted by a worker
 * thread into temporary files; the parent hands their lines to the sink in
 * input order, so the output is the same as a sequential run's, byte for byte.
 * One file at a time (N = 1, a single input, or --sample) runs in this thread.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { scratch } from './core/scratch.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { convertInputs, type ConvertCounts, type ConvertOptions, type ConvertSink } from './convert.js';
import { WORKER_LIMITS, workerError, workerUrl, type WorkerFailure } from './core/workers.js';
import { forwardLines, readLines } from './core/files.js';
import { normalizeIngestOptions } from './ingest/reader.js';
import { csvOptionsOf, jsonRecordKeysOf } from './ingest/profiles.js';
import { expandInputs } from './ingest/source.js';
import type { RejectedRecord } from './ingest/types.js';
import type { ConvertFileJob, ConvertFileResult } from './worker/convert-file.js';

export async function convertInputsParallel(options: ConvertOptions, sink: ConvertSink, concurrency: number, stdin?: Readable): Promise<ConvertCounts> {
  const usesStdin = options.inputs.some((i) => i === '-' || (typeof i !== 'string' && i.display === '-'));
  if (concurrency <= 1 || options.sample !== undefined || usesStdin) return convertInputs(options, sink, stdin);
  const { files, skipped, cleanup } = await expandInputs(options.inputs, undefined, { csv: (options.csv ?? csvOptionsOf(options.profile)) !== undefined });
  for (const s of skipped) options.skipped?.(s);
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
  const dir = await mkdtemp(join(options.scratch ?? tmpdir(), 'decp-ocds-convert-'));
  const forget = scratch(dir);
  const ingest = normalizeIngestOptions({ ...options, csv: options.csv ?? csvOptionsOf(options.profile), jsonRecordKeys: options.jsonRecordKeys ?? jsonRecordKeysOf(options.profile) });
  const total: ConvertCounts = { files: 0, filesUnreadable: 0, read: 0, converted: 0, rejected: 0, releases: 0 };
  const workers = Array.from({ length: Math.min(concurrency, files.length) }, () => new Worker(workerUrl('./worker/convert-file.js', import.meta.url), { resourceLimits: WORKER_LIMITS }));
  const results: Array<Promise<ConvertFileResult>> = [];
  let next = 0;
  const run = (w: Worker, i: number): Promise<ConvertFileResult> =>
    new Promise((resolve, reject) => {
      const job: ConvertFileJob = { input: files[i]!, ingest, profile: options.profile, context: options.context, releasesPath: join(dir, `${i}.releases`), rejectsPath: join(dir, `${i}.rejects`), lineFormat: options.lineFormat };
      const onMessage = (m: { ok: boolean; result?: ConvertFileResult; error?: WorkerFailure }): void => {
        w.off('error', onError);
        if (m.ok) resolve(m.result!);
        else reject(workerError(files[i]!.display, m.error));
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
  for (let i = 0; i < files.length; i++) {
    const result = new Promise<ConvertFileResult>((resolve, reject) => slots.set(i, { resolve, reject }));
    // (a later file's failure, while an earlier one is still being forwarded, is thrown when its turn
    // comes or never, not as an unhandled rejection that kills the process)
    result.catch(() => undefined);
    results.push(result);
  }
  const loop = async (w: Worker): Promise<void> => {
    while (next < files.length) {
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
    for (let i = 0; i < files.length; i++) {
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
