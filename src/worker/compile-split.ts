/**
 * Worker thread: read the rest of a large JSON Lines file for `decp-ocds compile`'s first pass into
 * bucket files of its own (see compile-split.ts).
 */
import { parentPort } from 'node:worker_threads';
import { failureOf } from '../core/workers.js';
import { readPart, type PartJob } from '../compile-split.js';

parentPort?.on('message', (job: PartJob) => {
  readPart(job).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (err: unknown) => parentPort!.postMessage({ ok: false, error: failureOf(err) }),
  );
});
