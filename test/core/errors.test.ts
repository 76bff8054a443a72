import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineError, isPipelineError, ERROR_CODES, EXIT, WRITE_ERRNOS, writeRemedy } from '../../src/core/errors.js';

describe('PipelineError', () => {
  test('carries a stable code, its exit code, a frozen context and a cause', () => {
    const cause = new Error('low level');
    const e = new PipelineError('INGEST_NOT_FOUND', 'no such file: x', { context: { file: 'x' }, cause, remedy: 'check the path' });
    expect(isPipelineError(e)).toBe(true);
    expect(isPipelineError(new Error('x'))).toBe(false);
    expect(e).toMatchObject({ code: 'INGEST_NOT_FOUND', exitCode: EXIT.INPUT_UNREADABLE, context: { file: 'x' }, remedy: 'check the path' });
    expect(e.cause).toBe(cause);
    expect(Object.isFrozen(e.context)).toBe(true);
  });

  test('every code maps to an exit code of the contract', () => {
    for (const code of Object.values(ERROR_CODES)) expect([2, 3, 4]).toContain(code);
    expect(ERROR_CODES.PUBLISH_WRITE).toBe(EXIT.OUTPUT_UNWRITABLE);
    expect(ERROR_CODES.CLI_INVALID_OPTION).toBe(EXIT.USAGE);
  });

  // found by a docs audit: `decp-ocds: INTERRUPTED: …`, the line of a command ended by a signal, was
  // missing from ARCHITECTURE.md's table of failure codes (error codes are API)
  test('every code the contract\'s error line can give is in ARCHITECTURE.md\'s table, with its exit code', () => {
    const text = readFileSync(join(import.meta.dirname, '../../ARCHITECTURE.md'), 'utf8');
    const start = text.indexOf('| code | exit | meaning |');
    expect(start).toBeGreaterThan(0);
    const rows = new Map<string, string>();
    for (const line of text.slice(start).split('\n').slice(2)) {
      if (!line.startsWith('|')) break;
      const [codes = '', exit = ''] = line.split('|').slice(1).map((c) => c.trim());
      for (const m of codes.matchAll(/`([A-Z_]+)`/g)) rows.set(m[1]!, exit);
    }
    // INGEST_SYNTAX is never thrown: a file's reading stopped, said on its summary, not fatal
    for (const [code, exit] of Object.entries(ERROR_CODES)) expect([code, rows.get(code)]).toEqual([code, code === 'INGEST_SYNTAX' ? '—' : String(exit)]);
    // the codes of lines that are not thrown: the --max-rejects line, a new version of a file kept out, a signal
    expect([rows.get('INGEST_TOO_MANY_REJECTS'), rows.get('INGEST_INCOMPLETE'), rows.get('INTERRUPTED')]).toEqual(['1', '3', '130, 143, 129']);
  });

  // found by a review: too many open files, an I/O error and a rename across file systems were told
  // to free disk space
  test('a write error gets the remedy of its cause, each cause its own', () => {
    const remedy = (code: string): string => writeRemedy(Object.assign(new Error(code), { code }));
    expect(remedy('ENOSPC')).toMatch(/free disk space/);
    expect(remedy('EACCES')).toMatch(/can write/);
    expect(remedy('EMFILE')).toMatch(/ulimit -n/);
    expect(remedy('ENFILE')).toMatch(/ulimit -n/);
    expect(remedy('EIO')).toMatch(/input\/output error/);
    expect(remedy('EXDEV')).toMatch(/one file system/);
    // the causes the write errors list share a remedy only when they are one cause (a full disk, a
    // permission, too many files open)
    const by = new Map<string, string[]>();
    for (const code of WRITE_ERRNOS) by.set(remedy(code), [...(by.get(remedy(code)) ?? []), code]);
    expect([...by.values()].filter((codes) => codes.length > 1).map((c) => c.sort().join(' ')).sort()).toEqual(['EACCES EPERM EROFS', 'EDQUOT EFBIG ENOSPC', 'EMFILE ENFILE']);
    expect(remedy('EIO')).not.toMatch(/free disk space/);
  });
});
