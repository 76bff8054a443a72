/**
 * One job in a fresh worker thread. The worker module is looked up beside the
 * caller when built, else in dist/ (tests run the TypeScript sources).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ERROR_CODES, PipelineError, WRITE_ERRNOS, type ErrorCode } from './errors.js';

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

/** A failure as a worker thread reports it to its parent (an Error does not cross threads whole). */
export interface WorkerFailure {
  readonly message: string;
  /** A PipelineError's code, or a system error's (`ENOSPC`). */
  readonly code?: string | undefined;
  readonly remedy?: string | undefined;
}

/** What a worker posts when its job failed. */
export function failureOf(err: unknown): WorkerFailure {
  const e = err as { message?: unknown; code?: unknown; remedy?: unknown } | null;
  return { message: typeof e?.message === 'string' ? e.message : String(err), code: typeof e?.code === 'string' ? e.code : undefined, remedy: typeof e?.remedy === 'string' ? e.remedy : undefined };
}


/**
 * A worker's failure as the error the same failure in this thread would have been: its
 * PipelineError's code kept (a full disk is PUBLISH_WRITE, exit 4, whichever thread met it), a
 * system error that stops writing as PUBLISH_WRITE; anything else INTERNAL.
 */
export function workerError(what: string, f: WorkerFailure | undefined): PipelineError {
  const code = f?.code;
  const message = `${what}: ${f?.message ?? '?'}`;
  const remedy = f?.remedy === undefined ? {} : { remedy: f.remedy };
  if (code !== undefined && Object.prototype.hasOwnProperty.call(ERROR_CODES, code)) return new PipelineError(code as ErrorCode, message, remedy);
  if (code !== undefined && WRITE_ERRNOS.has(code)) return new PipelineError('PUBLISH_WRITE', message, { remedy: 'free disk space or give a writable output folder, then run again' });
  return new PipelineError('INTERNAL', `a worker failed on ${message}`);
}

export function runInWorker<J, R>(url: URL, job: J, what: string, limits: WorkerLimits = WORKER_LIMITS): Promise<R> {
  return new Promise((resolve, reject) => {
    const w = new Worker(url, { resourceLimits: limits });
    const done = (): void => void w.terminate();
    w.once('message', (m: { ok: boolean; result?: R; error?: WorkerFailure }) => {
      done();
      if (m.ok) resolve(m.result as R);
      else reject(workerError(what, m.error));
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
  /** `transfer`: memory moved to the thread with the job (no longer usable here). */
  run(job: J, what: string, transfer?: readonly ArrayBuffer[]): Promise<R>;
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
    async run(job, what, transfer) {
      const w = await take();
      try {
        return await new Promise<R>((resolve, reject) => {
          const onError = (err: Error): void => {
            w.off('message', onMessage);
            w.off('exit', onExit);
            reject(err);
          };
          const onMessage = (m: { ok: boolean; result?: R; error?: WorkerFailure }): void => {
            w.off('error', onError);
            w.off('exit', onExit);
            if (m.ok) resolve(m.result as R);
            else reject(workerError(what, m.error));
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
          w.postMessage(job, transfer === undefined ? undefined : [...transfer]);
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
