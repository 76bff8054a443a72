/** Worker thread: compile one part of the run's touched ocids (see src/run/compile-part.ts). */
import { parentPort } from 'node:worker_threads';
import { failureOf } from '../core/workers.js';
import { compilePart, type CompilePartJob } from '../run/compile-part.js';

parentPort?.on('message', (job: CompilePartJob) => {
  compilePart(job).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (err: unknown) => parentPort!.postMessage({ ok: false, error: failureOf(err) }),
  );
});
