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
  /** Is stdout a terminal (no progress bar then for a command that writes its data there)? */
  readonly stdoutIsTTY?: boolean;
  readonly now: () => Date;
  /**
   * Called by the nightly job once its inputs are hashed, before any is read: where a test changes or
   * removes a file in between, deterministically (a download still being written, a file deleted).
   */
  readonly afterHash?: (() => Promise<void> | void) | undefined;
}

export function processEffects(): Effects {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    now: () => new Date(),
  };
}

/**
 * A named point of a run where the kill test stops it dead: with `DECP_OCDS_CRASH_AT=<name>` in its
 * environment the process kills itself (SIGKILL: no handler runs, as with `kill -9`). Killing at
 * random times never reached the publish step's renames; these points do, deterministically.
 */
export function crashPoint(name: string): void {
  if (process.env['DECP_OCDS_CRASH_AT'] === name) process.kill(process.pid, 'SIGKILL');
}

/** The crash points of a run, in their order (see crashPoint). */
export const CRASH_POINTS = ['publish:staged', 'publish:generation-moved', 'publish:links-made', 'publish:current-swapped', 'publish:done'] as const;
