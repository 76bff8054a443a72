/**
 * One job in a fresh worker thread. The worker module is looked up beside the
 * caller when built, else in dist/ (tests run the TypeScript sources).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PipelineError } from './errors.js';

export function workerUrl(relative: string, base: string | URL): URL {
  const here = new URL(relative, base);
  if (existsSync(fileURLToPath(here))) return here;
  const dist = fileURLToPath(here).replace(/\/src\//, '/dist/').replace(/\.ts$/, '.js');
  return new URL(`file://${dist}`);
}

export function runInWorker<J, R>(url: URL, job: J, what: string): Promise<R> {
  return new Promise((resolve, reject) => {
    const w = new Worker(url);
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
    w.postMessage(job);
  });
}
