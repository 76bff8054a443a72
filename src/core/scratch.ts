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

/** Where a command is when a signal comes: still working, or its output published (`run`). */
export type SignalPhase = 'working' | 'published';

let held = 0;
let pending: NodeJS.Signals | null = null;
let phase: SignalPhase = 'working';
let onSignal: ((signal: NodeJS.Signals) => void) | null = null;

/**
 * Run `fn` with the signals held: one that comes meanwhile ends the command when `fn` has settled,
 * not halfway through it (`run`'s publication: a store renamed into the output folder beside the
 * previous packages' links). Holds nest.
 */
export async function holdSignals<T>(fn: () => Promise<T>): Promise<T> {
  held++;
  try {
    return await fn();
  } finally {
    held--;
    if (held === 0 && pending !== null && onSignal !== null) onSignal(pending);
  }
}

/** Say that the command's output is published: a signal from now on says so. */
export function markPublished(): void {
  phase = 'published';
}

/**
 * On SIGINT, SIGTERM or SIGHUP: remove the scratch paths, say so in one line (`say`: the contract's
 * fatal line, written synchronously, as the process is about to end), then end as the signal ends a
 * process (the shell and cron see 130, 143…), its default action restored first. While signals are
 * held (holdSignals), the first one waits for the end of the hold.
 */
export function removeScratchOnSignals(say?: (signal: NodeJS.Signals, phase: SignalPhase) => void): void {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  let ending = false;
  onSignal = (signal) => {
    if (held > 0) {
      pending ??= signal;
      return;
    }
    if (ending) return;
    ending = true;
    removeScratch();
    try {
      say?.(signal, phase);
    } catch {
      // a closed stderr: nothing more can be told
    }
    for (const s of signals) process.removeAllListeners(s);
    process.kill(process.pid, signal);
  };
  for (const signal of signals) process.on(signal, (s: NodeJS.Signals) => onSignal?.(s));
}
