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
