/**
 * The outside world, passed in (Observable-style) so that commands are testable
 * without mocking: streams, clock, working directory.
 */
import type { Readable, Writable } from 'node:stream';

export interface Effects {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable;
  /** Is stderr a terminal (progress bar)? */
  readonly isTTY: boolean;
  readonly now: () => Date;
}

export function processEffects(): Effects {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: Boolean(process.stderr.isTTY),
    now: () => new Date(),
  };
}
