/**
 * What a command leaves on disk while it works — temp files of outputs not yet committed, scratch
 * folders (compile's buckets, convert's parts, stdin's spool) — named here, so that an interrupted
 * command (Ctrl-C, a cron timeout's SIGTERM) removes them before it ends (bin/decp-ocds.js). A
 * command that ends otherwise removes its own as it always did; this is only for the signal.
 * `run` names none of its own: its staging folder and lock are left for the next run to clear, as
 * after `kill -9` (a publication cut between two renames must be judged by that run, not undone here).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const paths = new Set<string>();

/** Name a temp file or folder of this thread's work; returns what forgets it (once removed or committed). */
export function scratch(path: string): () => void {
  paths.add(path);
  return () => void paths.delete(path);
}

/**
 * Create a scratch folder `<parent>/<prefix><random>` and name it as scratch, with no await between
 * the two: a signal handler runs on this thread, so it finds the folder either not made yet or made
 * and named (with mkdtemp, a signal that came before its answer left the folder behind). Returns the
 * folder and what forgets it.
 */
export function scratchDir(parent: string, prefix: string): { dir: string; forget: () => void } {
  for (;;) {
    const dir = join(parent, `${prefix}${randomBytes(6).toString('base64url')}`);
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    return { dir, forget: scratch(dir) };
  }
}

/** Remove every scratch path named (synchronously: the process is about to end). */
export function removeScratch(): void {
  for (const p of paths) {
    try {
      // (worker threads may still be writing into a folder: retried while it is not empty yet)
      rmSync(p, { recursive: true, force: true, maxRetries: 20, retryDelay: 10 });
    } catch {
      // nothing more can be done for it now
    }
  }
  paths.clear();
}

/**
 * On SIGINT, SIGTERM or SIGHUP: remove the scratch paths, say so in one line (`say`: the contract's
 * fatal line, written synchronously, as the process is about to end), then end as the signal ends a
 * process (the shell and cron see 130, 143…), its default action restored first.
 */
export function removeScratchOnSignals(say?: (signal: NodeJS.Signals) => void): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      removeScratch();
      try {
        say?.(signal);
      } catch {
        // a closed stderr: nothing more can be told
      }
      process.kill(process.pid, signal);
    });
  }
}
