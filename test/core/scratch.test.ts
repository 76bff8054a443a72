import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeScratch, scratchDir } from '../../src/core/scratch.js';
import { tempDir } from '../helpers/tmp.js';

describe('scratchDir', () => {
  test('makes a private folder of that prefix that is already named when the call returns: a signal handler (removeScratch) removes it', () => {
    const parent = tempDir('scratch-');
    const a = scratchDir(parent, 'decp-ocds-x-');
    const b = scratchDir(parent, 'decp-ocds-x-');
    expect(a.dir).not.toBe(b.dir);
    expect(readdirSync(parent).sort()).toEqual([a.dir, b.dir].map((d) => d.slice(parent.length + 1)).sort());
    for (const d of [a.dir, b.dir]) {
      expect(d.startsWith(join(parent, 'decp-ocds-x-'))).toBe(true);
      expect(statSync(d).mode & 0o777).toBe(0o700);
    }
    writeFileSync(join(a.dir, 'stdin'), 'spooled');
    b.forget(); // committed or removed by its command: no longer the signal's business
    removeScratch();
    expect(existsSync(a.dir)).toBe(false);
    expect(existsSync(b.dir)).toBe(true);
  });

  test('a parent that does not exist is an error of the caller (as mkdtemp gave), not a loop', () => {
    expect(() => scratchDir(join(tempDir('scratch-'), 'missing'), 'p-')).toThrow(/ENOENT/);
  });
});

describe('signals held while a run publishes', () => {
  /** A child process that installs the handlers and sends itself `signal` inside a hold (after `publish` marks the output published, or not). */
  const child = async (publish: boolean): Promise<{ out: string; err: string; signal: NodeJS.Signals | null }> => {
    const { spawn } = await import('node:child_process');
    const scratch = new URL('../../dist/core/scratch.js', import.meta.url).href;
    const main = new URL('../../dist/cli/main.js', import.meta.url).href;
    const script = `
      import { writeSync } from 'node:fs';
      import { holdSignals, markPublished, removeScratchOnSignals } from ${JSON.stringify(scratch)};
      import { interruptedLine } from ${JSON.stringify(main)};
      removeScratchOnSignals((signal, phase) => writeSync(2, interruptedLine([], signal, phase)));
      await holdSignals(async () => {
        process.kill(process.pid, 'SIGTERM');
        await new Promise((r) => setTimeout(r, 100));
        writeSync(1, 'renames done\\n');
        ${publish ? 'markPublished();' : ''}
      });
      writeSync(1, 'after the hold\\n');`;
    const p = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => p.on('close', (_code, sig) => resolve(sig)));
    return { out, err, signal };
  };

  test('a signal during the hold waits for its end, then ends the process by it, saying whether the output was published', async () => {
    const published = await child(true);
    expect(published).toEqual({ out: 'renames done\n', err: expect.stringMatching(/^decp-ocds: INTERRUPTED: SIGTERM received: stopped after its output was published \(exit 143\)/), signal: 'SIGTERM' });
    const before = await child(false);
    expect(before).toEqual({ out: 'renames done\n', err: expect.stringMatching(/^decp-ocds: INTERRUPTED: SIGTERM received: stopped before the end \(exit 143\): .*the output as it was/), signal: 'SIGTERM' });
  });
});
