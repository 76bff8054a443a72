/** Run the CLI in-process with injected effects (no child process, no mocks). */
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], stdin = ''): Promise<CliResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => (stdout += d.toString()));
  err.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await main(argv, { stdout: out, stderr: err, stdin: Readable.from([Buffer.from(stdin)]), isTTY: false, now: () => new Date('2026-01-02T03:04:05Z') });
  return { code, stdout, stderr };
}
