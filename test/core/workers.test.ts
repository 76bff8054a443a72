/** Worker threads that stop without an answer never leave the pipeline waiting. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PipelineError } from '../../src/core/errors.js';
import { failureOf, runInWorker, workerError, workerPool } from '../../src/core/workers.js';
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

// a worker's failure reaches the CLI as the same failure in the main thread would: same code, same exit
describe('worker failures', () => {
  test("a PipelineError keeps its code and remedy across the thread (a full disk is exit 4, not 2)", () => {
    const f = failureOf(new PipelineError('PUBLISH_WRITE', 'cannot write x: ENOSPC', { remedy: 'free disk space' }));
    expect(f).toEqual({ message: 'cannot write x: ENOSPC', code: 'PUBLISH_WRITE', remedy: 'free disk space' });
    const e = workerError('file.json', f);
    expect([e.code, e.exitCode, e.message, e.remedy]).toEqual(['PUBLISH_WRITE', 4, 'file.json: cannot write x: ENOSPC', 'free disk space']);
  });

  test('a system error that stops writing is PUBLISH_WRITE; anything else INTERNAL', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(workerError('compile part 1', failureOf(full))).toMatchObject({ code: 'PUBLISH_WRITE', message: 'compile part 1: ENOSPC: no space left on device, write' });
    expect(workerError('compile part 1', failureOf(Object.assign(new Error('read-only'), { code: 'EROFS' }))).exitCode).toBe(4);
    const bug = workerError('file.json', failureOf(new TypeError('x is undefined')));
    expect([bug.code, bug.exitCode, bug.message]).toEqual(['INTERNAL', 2, 'a worker failed on file.json: x is undefined']);
    expect(workerError('file.json', failureOf('thrown text')).message).toBe('a worker failed on file.json: thrown text');
    expect(workerError('file.json', undefined).code).toBe('INTERNAL');
  });
});
