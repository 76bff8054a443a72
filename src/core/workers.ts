/**
 * One job in a fresh worker thread. The worker module is looked up beside the
 * caller when built, else in dist/ (tests run the TypeScript sources).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PipelineError } from './errors.js';

/**
 * Heap limits of a worker thread: a worker holds one unit of work at a time
 * (a file's batch, a bucket, a group of chunks), so a modest heap is enough,
 * and a limit makes V8 collect early instead of growing towards the machine's
 * memory (the nightly job's peak RSS counts every thread).
 */
export const WORKER_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 } as const;

/**
 * Workers that parse, merge and serialise releases allocate short-lived objects at a high rate: a
 * larger young generation means fewer scavenges (measured on the nightly job's compile stage, 100,000
 * records: 15–20 % less time, same peak RSS).
 */
export const MERGE_WORKER_LIMITS = { ...WORKER_LIMITS, maxYoungGenerationSizeMb: 128 } as const;

export type WorkerLimits = { readonly maxOldGenerationSizeMb: number; readonly maxYoungGenerationSizeMb: number };

export function workerUrl(relative: string, base: string | URL): URL {
  const here = new URL(relative, base);
  if (existsSync(fileURLToPath(here))) return here;
  const dist = fileURLToPath(here).replace(/\/src\//, '/dist/').replace(/\.ts$/, '.js');
  return new URL(`file://${dist}`);
}

export function runInWorker<J, R>(url: URL, job: J, what: string, limits: WorkerLimits = WORKER_LIMITS): Promise<R> {
  return new Promise((resolve, reject) => {
    const w = new Worker(url, { resourceLimits: limits });
    const done = (): void => void w.terminate();
    w.once('message', (m: { ok: boolean; result?: R; error?: { message: string } }) => {
      done();
      if (m.ok) resolve(m.result as R);
      else reject(new PipelineError('INTERNAL', `a worker failed on ${what}: ${m.error?.message ?? '?'}`));
    });
    w.once('error', (err) => {
      done();
      reject(err);
    });
    // a worker that stops without an answer (its event loop ran dry, process.exit) never hangs the run
    // (after an answer or an error, this rejection changes nothing)
    w.once('exit', (code) => reject(new PipelineError('INTERNAL', `the worker for ${what} stopped (exit code ${code}) without a result`)));
    w.postMessage(job);
  });
}

/** A few worker threads that take jobs in turn (one at a time each); `close` ends them. */
export interface WorkerPool<J, R> {
  run(job: J, what: string): Promise<R>;
  close(): Promise<void>;
}

export function workerPool<J, R>(url: URL, size: number, limits: WorkerLimits = WORKER_LIMITS): WorkerPool<J, R> {
  const idle: Worker[] = Array.from({ length: size }, () => new Worker(url, { resourceLimits: limits }));
  const all = [...idle];
  const waiting: Array<(w: Worker) => void> = [];
  const take = (): Promise<Worker> => (idle.length > 0 ? Promise.resolve(idle.pop()!) : new Promise((resolve) => waiting.push(resolve)));
  const give = (w: Worker): void => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  return {
    async run(job, what) {
      const w = await take();
      try {
        return await new Promise<R>((resolve, reject) => {
          const onError = (err: Error): void => {
            w.off('message', onMessage);
            w.off('exit', onExit);
            reject(err);
          };
          const onMessage = (m: { ok: boolean; result?: R; error?: { message: string } }): void => {
            w.off('error', onError);
            w.off('exit', onExit);
            if (m.ok) resolve(m.result as R);
            else reject(new PipelineError('INTERNAL', `a worker failed on ${what}: ${m.error?.message ?? '?'}`));
          };
          // a worker that stops without an answer never leaves the job waiting
          const onExit = (code: number): void => {
            w.off('message', onMessage);
            w.off('error', onError);
            reject(new PipelineError('INTERNAL', `the worker for ${what} stopped (exit code ${code}) without a result`));
          };
          w.once('message', onMessage);
          w.once('error', onError);
          w.once('exit', onExit);
          w.postMessage(job);
        });
      } finally {
        give(w);
      }
    },
    async close() {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
