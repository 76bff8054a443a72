/**
 * Worker thread: compile one bucket of `decp-ocds compile` in memory; the records' bytes are
 * transferred to the parent (not copied), which hands them on in bucket order.
 */
import { parentPort } from 'node:worker_threads';
import { failureOf } from '../core/workers.js';
import { compileBucket, type BucketJob, type BucketOutput } from '../compile.js';

parentPort?.on('message', (job: BucketJob) => {
  const chunks: Buffer[] = [];
  const warningList: BucketOutput['warningList'][number][] = [];
  const rejectList: BucketOutput['rejectList'][number][] = [];
  compileBucket(job, {
    record: () => {
      throw new Error('records are taken as bytes');
    },
    recordBytes: (chunk) => void chunks.push(chunk),
    warning: (w) => void warningList.push(w),
    reject: (r) => void rejectList.push(r),
  }).then(
    (result) => {
      const output: BucketOutput = { ...result, chunks, warningList, rejectList };
      // a chunk with memory of its own (a view of a LineBuffer's memory from its start, larger than
      // a slab of Node's shared buffer pool) is transferred, the view with it; a small one, cut from
      // the pool, is copied
      const own = new Set(chunks.filter((c) => c.byteOffset === 0 && (c.byteLength === c.buffer.byteLength || c.buffer.byteLength > Buffer.poolSize)).map((c) => c.buffer as ArrayBuffer));
      parentPort!.postMessage({ ok: true, result: output }, [...own]);
    },
    (err: unknown) => parentPort!.postMessage({ ok: false, error: failureOf(err) }),
  );
});
