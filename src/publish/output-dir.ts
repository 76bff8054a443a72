/**
 * The output folder of `run`, published atomically.
 *
 * A run builds everything in `out/.staging-<pid>/`: its own copy of the store and the new
 * generation (`decp.duckdb`, `rejects.jsonl`, `run.json`, `ocds/`, `parquet/`, `reports/`). Published,
 * the generation is `out/.gen/<run>/`, and one link, `out/.current`, names it: every entry of the
 * output folder is a link through it (`out/decp.duckdb` → `.current/decp.duckdb`, `out/ocds` →
 * `.current/ocds`…), so that renaming a new `.current` over the old one switches the whole data set
 * at once. A reader never sees a half-written file, nor files of two runs side by side; a run that
 * fails or is killed (even `kill -9`) before that rename leaves the previous output as it was, after
 * it the new one, and the next run removes its leftovers. A lock file keeps two runs out of one folder.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, link, lstat, readdir, readFile, readlink, rename, rm, rmdir, stat, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { makeDirs } from '../core/files.js';
import { crashPoint } from '../core/effects.js';
import { holdSignals, markPublished } from '../core/scratch.js';
import { dirname, join } from 'node:path';
import { PipelineError, writeRemedy } from '../core/errors.js';

export const GENERATION_DIRS = ['ocds', 'parquet', 'reports'] as const;
export const PUBLISHED_FILES = ['decp.duckdb', 'rejects.jsonl', 'run.json'] as const;
/** The link that names the published generation: every entry of the output folder goes through it. */
export const CURRENT = '.current';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A folder a published run could not remove (its staging folder, or an earlier generation), and why. */
export interface LeftBehind {
  readonly path: string;
  readonly generation: boolean;
  readonly error: string;
}

export interface OutputDir {
  readonly out: string;
  /** Where this run builds everything. */
  readonly staging: string;
  /** This run's generation folder (ocds/, parquet/, reports/ go there). */
  readonly generation: string;
  readonly generationName: string;
  /**
   * Publish the staging area (renames), then remove what no link points to any more; `underLock`
   * runs after, before the lock is released (what removes files a later run may write must not run
   * once another run can hold the lock). Returns what could not be removed once published (the
   * staging folder, earlier generations), which a later run removes: the output is published all the same.
   */
  publish(underLock?: () => Promise<unknown>): Promise<LeftBehind[]>;
  /** Has publish() put the new store in place (from then on, the published store is this run's)? */
  readonly storeSwapped: boolean;
  /** Drop the staging area (failed run) and the lock. */
  release(): Promise<void>;
  /**
   * Does this run still hold the lock (not taken over by a run of another machine or container, which
   * judged it stale)? What a failed run removes in the output folder beside its staging folder (the
   * members it wrote) may otherwise be the new holder's.
   */
  ownsLock(): Promise<boolean>;
}

/**
 * `lockRefreshMs`: how often the run touches its lock, so that a run of another container or machine,
 * which cannot check its pid, holds it (`LOCK_REFRESH_MS`; tests give less).
 */
export async function openOutputDir(out: string, generationName: string, lockRefreshMs = LOCK_REFRESH_MS): Promise<OutputDir> {
  // the folders this run creates for --out (it and missing parents, deepest first): a run that
  // publishes nothing (refused, failed) removes them again when they are empty
  const created: string[] = [];
  for (let d = out; (await lstat(d).catch(() => null)) === null && dirname(d) !== d; d = dirname(d)) created.push(d);
  try {
    await makeDirs(out);
  } catch (err) {
    throw new PipelineError('PUBLISH_WRITE', `cannot create the output folder ${out}: ${(err as Error).message}`, { context: { file: out }, cause: err, remedy: writeRemedy(err) });
  }
  // (a file there, or a link to nothing, was said as the lock's ENOTDIR or ENOENT)
  const isDir = await stat(out).then((st) => st.isDirectory(), () => null);
  if (isDir !== true) {
    const link = isDir === null ? await readlink(out).catch(() => null) : null;
    const what = link !== null ? `a symbolic link to ${link}, which does not exist` : 'a file, not a folder';
    throw new PipelineError('PUBLISH_WRITE', `the output folder --out ${out} is ${what}`, { context: { option: '--out', file: out }, remedy: link !== null ? 'create the folder it points to, or give another --out' : 'give a folder (a new one is made), or move that file away' });
  }
  // a real folder ocds/, parquet/ or reports/ is replaced only in an output folder of ours (one with a
  // store: an older version wrote real folders); elsewhere it is the user's, and never removed
  const ours = (await lstat(join(out, 'decp.duckdb')).catch(() => null)) !== null;
  for (const d of GENERATION_DIRS) {
    const st = await lstat(join(out, d)).catch(() => null);
    if (st && !st.isSymbolicLink() && !ours) {
      throw new PipelineError('CLI_INVALID_OPTION', `--out ${out} holds a folder ${d}/ that decp-ocds did not write (no decp.duckdb beside it): it would be replaced`, { context: { option: '--out', file: join(out, d) }, remedy: 'give an empty or new folder, or one that decp-ocds wrote' });
    }
  }
  // so is a file run.json or rejects.jsonl: replaced only beside a store, or beside a run.json that
  // decp-ocds wrote (a store removed to rebuild it); elsewhere it is the user's (a folder there is said below)
  const ran = ours || (await readFile(join(out, 'run.json'), 'utf8').then((t) => (JSON.parse(t) as { tool?: unknown } | null)?.tool === 'decp-ocds', () => false));
  for (const f of PUBLISHED_FILES) {
    const st = await lstat(join(out, f)).catch(() => null);
    if (st && !st.isDirectory() && !ran) {
      throw new PipelineError('CLI_INVALID_OPTION', `--out ${out} holds a file ${f} that decp-ocds did not write (no decp.duckdb beside it): it would be replaced`, { context: { option: '--out', file: join(out, f) }, remedy: 'give an empty or new folder, or one that decp-ocds wrote' });
    }
  }
  // (said before the night's work, and again when publishing: see publish)
  await noFolderAtFiles(out);
  const lock = join(out, '.lock');
  const mine = await takeLock(lock);
  // the lock kept fresh while the run holds it: a run of another container or machine sharing the
  // folder cannot check our pid, and holds the lock while it is fresh (see lockHolderAlive)
  const heartbeat = setInterval(() => void refreshLock(lock, mine), lockRefreshMs);
  heartbeat.unref();
  // (a run of another machine or container takes the lock over when it was not refreshed for
  // LOCK_STALE_MS: this run stalled that long, a paused container. It is that run's from then on: not
  // removed, and this run publishes nothing over it — found by a review: it published, removed that
  // run's generations and its lock)
  const stillMine = async (): Promise<boolean> => (await readFile(lock, 'utf8').catch(() => null)) === mine;
  const dropLock = async (): Promise<void> => {
    clearInterval(heartbeat);
    if (await stillMine()) await unlink(lock).catch(() => undefined);
  };
  try {
    // leftovers of runs that failed or were killed
    for (const name of await readdir(out)) {
      if (name.startsWith('.staging-') || name.startsWith('.link-') || /\.tmp-\d+(?:-\d+)*$/.test(name)) await rm(join(out, name), { recursive: true, force: true });
      // (a lock's draft or a stale lock moved aside, of a run killed in between: once old enough
      // that no run taking the lock now can still be using it)
      else if (name.startsWith('.lock.new-') || name.startsWith('.lock.stale-')) {
        const st = await lstat(join(out, name)).catch(() => null);
        if (st !== null && Date.now() - st.mtimeMs > EMPTY_LOCK_MS) await rm(join(out, name), { force: true });
      }
    }
    const staging = join(out, `.staging-${process.pid}`);
    const generation = join(staging, 'gen');
    let unlocked = false;
    let swapped = false;
    await makeDirs(generation);
    for (const d of GENERATION_DIRS) await makeDirs(join(generation, d));
    return {
      out,
      staging,
      generation,
      generationName,
      get storeSwapped() {
        return swapped;
      },
      publish: async (underLock) => {
        const gens = join(out, '.gen');
        if (!(await stillMine())) throw lockLost(lock);
        await noFolderAtFiles(out);
        crashPoint('publish:staged');
        await makeDirs(gens);
        const target = join(gens, generationName);
        await rm(target, { recursive: true, force: true });
        // the whole data set in one folder: the store and the files join the generation's folders
        for (const f of PUBLISHED_FILES) await rename(join(staging, f), join(generation, f));
        // (a signal — a cron timeout's SIGTERM — waits for the renames: the generation is published
        // whole, or not at all)
        await holdSignals(async () => {
          await rename(generation, target);
          crashPoint('publish:generation-moved');
          // a folder an older version wrote (its store and files real, its folders linked into its
          // generation) is taken over first: its files join that generation (hard links) and
          // .current names it, so that readers see it unchanged while every entry becomes a link
          // through .current, and the switch below is one rename there too
          if ((await readlink(join(out, CURRENT)).catch(() => null)) === null) {
            const old = /^\.gen\/([^/]+)\/ocds$/.exec((await readlink(join(out, 'ocds')).catch(() => null)) ?? '')?.[1];
            if (old !== undefined && old !== generationName && (await stat(join(gens, old)).then((st) => st.isDirectory(), () => false))) {
              for (const f of PUBLISHED_FILES) {
                if ((await lstat(join(out, f)).catch(() => null))?.isFile() !== true) continue;
                await link(join(out, f), join(gens, old, f)).catch(async (err: NodeJS.ErrnoException) => {
                  if (err.code !== 'EEXIST') await copyFile(join(out, f), join(gens, old, f));
                });
              }
              const previous = join(out, `.link-current-${process.pid}`);
              await symlink(join('.gen', old), previous);
              await rename(previous, join(out, CURRENT));
            }
          }
          // every entry a link through .current (one already is: nothing to do, night after night)
          for (const e of [...PUBLISHED_FILES, ...GENERATION_DIRS]) {
            const path = join(out, e);
            const want = join(CURRENT, e);
            if ((await readlink(path).catch(() => null)) === want) continue;
            const st = await lstat(path).catch(() => null);
            // a real folder (from an older version still): moved aside, then removed with the old generations
            if (st?.isDirectory()) await rename(path, join(gens, `old-${e}-${process.pid}`));
            const link = join(out, `.link-${e}-${process.pid}`);
            await symlink(want, link);
            await rename(link, path);
          }
          crashPoint('publish:links-made');
          // a log beside the published store, left by a read-write session that did not close (an
          // analyst's, killed), is that store's: DuckDB would replay it onto the new one (found by a probe)
          await rm(join(out, 'decp.duckdb.wal'), { force: true });
          // the one switch
          const current = join(out, `.link-current-${process.pid}`);
          await symlink(join('.gen', generationName), current);
          await rename(current, join(out, CURRENT));
          swapped = true;
          crashPoint('publish:current-swapped');
          markPublished();
        });
        // what no link points to any more: the staging folder, the generations before this one. The
        // output is published: a removal that fails (a folder a reader made in a generation, which
        // this user may not empty; a file held open on NFS) is said, not a failure of the run, and a
        // later run removes it (found by an operator's probe: PUBLISH_WRITE, exit 4, each night after
        // publishing, and the generations after it left too, piling up)
        const left: LeftBehind[] = [];
        const remove = (path: string, generation: boolean): Promise<void> => rm(path, { recursive: true, force: true }).catch((err: unknown) => void left.push({ path, generation, error: (err as NodeJS.ErrnoException).code ?? (err as Error).message }));
        await remove(staging, false);
        for (const g of await readdir(gens).catch(() => [])) if (g !== generationName) await remove(join(gens, g), true);
        crashPoint('publish:done');
        try {
          await underLock?.();
        } finally {
          unlocked = true;
          await dropLock();
        }
        return left;
      },
      ownsLock: stillMine,
      release: async () => {
        // (a lock taken over: the staging folder of this name may be the new holder's, a run of
        // another container with this pid; the next run removes it when it is a leftover)
        if (unlocked || (await stillMine())) await rm(staging, { recursive: true, force: true });
        // (once published, the lock may be another run's)
        if (!unlocked) await dropLock();
        else clearInterval(heartbeat);
        // nothing published: the folders made for it go (`run emptydir --out new` refused, exit 3,
        // left an empty new/ behind); one that holds anything stays (rmdir removes only an empty one)
        if (!swapped) for (const d of created) if (!(await rmdir(d).then(() => true, () => false))) break;
      },
    };
  } catch (err) {
    await dropLock();
    throw err;
  }
}

/**
 * The published generation folder (`out/.gen/<name>`) when the output folder publishes it (`.current`
 * names it and every folder goes through it; in a folder an older version wrote, every folder links
 * into it) and its name is the one the store was published with (store_meta `generation`); else null:
 * the next generation then reuses nothing from the published files.
 */
export async function publishedGeneration(out: string, name: string | undefined): Promise<string | null> {
  if (name === undefined) return null;
  const through = (await readlink(join(out, CURRENT)).catch(() => null)) === join('.gen', name);
  for (const d of GENERATION_DIRS) {
    const l = await readlink(join(out, d)).catch(() => null);
    if (l !== (through ? join(CURRENT, d) : join('.gen', name, d))) return null;
  }
  return join(out, '.gen', name);
}

/**
 * A folder where a published file goes (rejects.jsonl, run.json) would stop the publication half-way,
 * after the store is swapped: refused (PUBLISH_WRITE, exit 4) with nothing changed.
 */
async function noFolderAtFiles(out: string): Promise<void> {
  const current = await lstat(join(out, CURRENT)).catch(() => null);
  if (current !== null && !current.isSymbolicLink()) {
    throw new PipelineError('PUBLISH_WRITE', `${join(out, CURRENT)} is not the link decp-ocds publishes through`, { context: { file: join(out, CURRENT) }, remedy: 'move it out of the output folder, then run again' });
  }
  for (const f of PUBLISHED_FILES) {
    const st = await lstat(join(out, f)).catch(() => null);
    if (st?.isDirectory()) throw new PipelineError('PUBLISH_WRITE', `${join(out, f)} is a folder: the run's ${f} cannot take its place`, { context: { file: join(out, f) }, remedy: 'move that folder out of the output folder, then run again' });
  }
}

/**
 * When a process started (Linux: its start time in clock ticks since boot, /proc/<pid>/stat's 22nd
 * field), or null where that cannot be read: a lock names its run by pid and start, so that a pid
 * the system gave again to another program after a killed run is not taken for that run.
 */
async function processStart(pid: number): Promise<string | null> {
  return (await processStat(pid))?.[19] ?? null;
}

/** /proc/<pid>/stat's fields after the command name (its state first), or null where it cannot be read. */
async function processStat(pid: number): Promise<string[] | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return null;
  // (the command name, in parentheses, may hold spaces: the fields after its closing one)
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * Has a live process ended, its parent not having reaped it yet (a zombie, state Z, or dead, X)? Its
 * pid still answers signals, but it holds nothing: a run killed under a parent that does not wait for
 * it (a container's first process that reaps no orphan) held the lock, each night PUBLISH_LOCKED
 * (found by an operator's probe).
 */
async function ended(pid: number): Promise<boolean> {
  const state = (await processStat(pid))?.[0];
  return state === 'Z' || state === 'X';
}

/**
 * Where this process runs, as a lock names it: the host name, and a digest of the boot (Linux's boot
 * id) and of the pid namespace (/proc/self/ns/pid). A pid means something only where both are ours:
 * each container has its own pids (node is pid 1 in every one), another machine or an earlier boot
 * its own too.
 */
async function lockMachine(): Promise<string> {
  const boot = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim();
  const pids = await readlink('/proc/self/ns/pid').catch(() => '');
  const host = hostname().replace(/[\s/]+/g, '_') || '-';
  return `${host}/${createHash('sha256').update(`${boot}\n${pids}`).digest('hex').slice(0, 12)}`;
}

/** How often a run touches its lock (its modification time) while it holds it. */
const LOCK_REFRESH_MS = 30_000;
/** A lock of another container or machine untouched this long is a killed run's (stale). */
export const LOCK_STALE_MS = 3 * 60_000;

/** The lock was taken over by a run of another machine or container (see dropLock). */
function lockLost(lock: string): PipelineError {
  return new PipelineError('PUBLISH_LOCKED', `this run's lock was taken over by another run (it was not refreshed for ${LOCK_STALE_MS / 60_000} minutes: the run was stopped or paused that long): nothing was published`, { context: { file: lock }, remedy: 'run again once the other run is done' });
}

/** Touch the lock, while it is still this run's. */
async function refreshLock(lock: string, mine: string): Promise<void> {
  try {
    if ((await readFile(lock, 'utf8')) !== mine) return;
    const now = new Date();
    await utimes(lock, now, now);
  } catch {
    // (gone: released, or moved aside by a run that judged it stale)
  }
}

/**
 * Is the run a lock's text names still going: its pid alive, and the same process (same start) where
 * that can be told. A lock of another machine or container (its fourth field, the holder's machine,
 * not ours) cannot be checked by pid: its run is going while it keeps the lock fresh (found by an
 * operator's probe: two containers' runs on one volume, both pid 1, the second judged the first's
 * lock its own pid's, so stale, took it and removed the first's staging folder, `.staging-1`, its own).
 * A lock without that field (an earlier version's) is taken for this machine's.
 */
async function lockHolderAlive(text: string, lock: string, here: string): Promise<{ pid: number; alive: boolean; machine?: string }> {
  const [p, start, , machine] = text.trim().split(/\s+/);
  const pid = Number(p);
  if (machine !== undefined && machine !== here) {
    const age = await stat(lock).then(
      (st) => Date.now() - st.mtimeMs,
      () => null,
    );
    return { pid, alive: age !== null && age < LOCK_STALE_MS, machine };
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !alive(pid) || (await ended(pid))) return { pid, alive: false };
  if (start === undefined || start === '-') return { pid, alive: true };
  const now = await processStart(pid);
  return { pid, alive: now === null || now === start };
}

/** How long an empty lock is taken for one being written (after that, a run's killed in between). */
export const EMPTY_LOCK_MS = 60_000;

/**
 * Take `out/.lock`: written whole beside it, then linked into place (link fails when the lock
 * exists: an exclusive creation that is never seen empty), holding this run's pid, start, a random
 * token and its machine (`lockMachine`); returns that text. A lock whose run is gone (killed; of
 * another machine or container, no longer refreshed) is stale: it is moved aside atomically (rename),
 * and only the run that moved the very lock it judged stale removes it; one that moved another run's
 * fresh lock puts it back. So two runs started together after a killed one never both hold it.
 */

async function takeLock(lock: string): Promise<string> {
  const here = await lockMachine();
  const mine = `${process.pid} ${(await processStart(process.pid)) ?? '-'} ${randomBytes(8).toString('hex')} ${here}\n`;
  for (let attempt = 0; attempt < 8; attempt++) {
    // (created with its content, not created then written: a lock seen empty was taken for a stale
    // one by a run that read it in between, and both ran — found by an operator's probe)
    const draft = `${lock}.new-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await writeFile(draft, mine, { flag: 'wx' });
      await link(draft, lock);
      return mine;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // (a draft removed meanwhile, by the cleanup of a run that holds the lock: try again)
      if (code === 'ENOENT') continue;
      if (code !== 'EEXIST') throw new PipelineError('PUBLISH_WRITE', `cannot write in the output folder: ${(err as Error).message}`, { context: { file: lock }, cause: err, remedy: writeRemedy(err) });
    } finally {
      await unlink(draft).catch(() => undefined);
    }
    const seen = await readFile(lock, 'utf8').catch(() => null);
    if (seen === null) continue; // gone meanwhile: try again
    // an empty lock is a run's that has created it and not yet written its pid (found by an operator's
    // probe: judged stale at once, a second run moved it aside and both ran): held while it is
    // fresh; an old one is a run's killed in between, stale
    if (seen.trim() === '') {
      const age = await stat(lock).then(
        (st) => Date.now() - st.mtimeMs,
        () => null,
      );
      if (age === null) continue;
      if (age < EMPTY_LOCK_MS) throw new PipelineError('PUBLISH_LOCKED', 'another run is taking the lock of this output folder (its lock is being written)', { context: { file: lock }, remedy: `wait for it to finish, or remove ${lock} if no run is going on` });
    }
    const holder = await lockHolderAlive(seen, lock, here);
    if (holder.alive) {
      const where = holder.machine === undefined ? '' : ` on ${holder.machine}, another container or machine`;
      const stale = holder.machine === undefined ? '' : ` (its lock, which it refreshes while it runs, is taken over once ${LOCK_STALE_MS / 60_000} minutes untouched)`;
      throw new PipelineError('PUBLISH_LOCKED', `another run (pid ${holder.pid}${where}) is writing this output folder`, { context: { file: lock }, remedy: `wait for it to finish${stale}, or remove ${lock} if no run is going on` });
    }
    // the run that held it is gone: move the lock aside, and remove it only if it is the one judged stale
    const aside = `${lock}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    const moved = await rename(lock, aside).then(
      () => true,
      () => false,
    );
    if (!moved) continue; // another run moved it first
    const took = await readFile(aside, 'utf8').catch(() => null);
    if (took !== seen) {
      // another run's fresh lock, taken after the stale one was judged: put it back (unless a third took the place)
      await link(aside, lock).catch(() => undefined);
    }
    await unlink(aside).catch(() => undefined);
  }
  throw new PipelineError('PUBLISH_LOCKED', `cannot take the lock ${lock}`, { context: { file: lock }, remedy: `remove ${lock} if no run is going on` });
}
