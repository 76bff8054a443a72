import { PipelineError, isPipelineError, ERROR_CODES, EXIT } from '../../src/core/errors.js';

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
});
