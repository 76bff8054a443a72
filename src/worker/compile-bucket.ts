/** Worker thread: compile one bucket of `decp-ocds compile` into a file the parent reads in bucket order. */
import { parentPort } from 'node:worker_threads';
import { compileBucket, type BucketJob } from '../compile.js';
import { openLineWriter } from '../publish/jsonl-writer.js';

parentPort?.on('message', (job: BucketJob) => {
  void (async () => {
    const out = await openLineWriter(job.out, process.stdout);
    const warnings = await openLineWriter(job.warnings, process.stdout);
    const rejects = await openLineWriter(job.rejects, process.stdout);
    try {
      const result = await compileBucket(job, { record: (text) => out.write(text), warning: (w) => warnings.write(JSON.stringify(w)), reject: (r) => rejects.write(JSON.stringify(r)) });
      await out.commit();
      await warnings.commit();
      await rejects.commit();
      return result;
    } catch (err) {
      await out.abort();
      await warnings.abort();
      await rejects.abort();
      throw err;
    }
  })().then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (err: unknown) => parentPort!.postMessage({ ok: false, error: { message: (err as Error)?.message ?? String(err) } }),
  );
});
