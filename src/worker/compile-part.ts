/** Worker thread: compile one part of the run's touched ocids (see src/run/compile-part.ts). */
import { parentPort } from 'node:worker_threads';
import { compilePart, type CompilePartJob } from '../run/compile-part.js';

parentPort?.on('message', (job: CompilePartJob) => {
  compilePart(job).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (err: unknown) => parentPort!.postMessage({ ok: false, error: { message: (err as Error)?.message ?? String(err) } }),
  );
});
