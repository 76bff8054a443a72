/** Worker threads that stop without an answer never leave the pipeline waiting. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInWorker, workerPool } from '../../src/core/workers.js';
import { tempDir } from '../helpers/tmp.js';

const worker = (body: string): URL => {
  const file = join(tempDir('workers-'), 'w.mjs');
  writeFileSync(file, `import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (job) => { ${body} });\n`);
  return pathToFileURL(file);
};

test('runInWorker: an answer resolves; a worker that exits without one rejects (INTERNAL)', async () => {
  await expect(runInWorker(worker('parentPort.postMessage({ ok: true, result: job * 2 });'), 21, 'double')).resolves.toBe(42);
  await expect(runInWorker(worker('process.exit(0);'), 1, 'quitter')).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('quitter') });
});

test('workerPool: a worker that exits without an answer rejects its job', async () => {
  const pool = workerPool<number, number>(worker('if (job < 0) process.exit(3); parentPort.postMessage({ ok: true, result: job + 1 });'), 1);
  try {
    await expect(pool.run(1, 'one')).resolves.toBe(2);
    await expect(pool.run(-1, 'minus one')).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('exit code 3') });
  } finally {
    await pool.close();
  }
});
