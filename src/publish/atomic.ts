/**
 * Atomic file output: write beside the target, then rename. A reader never sees
 * a half-written file, and a failed run leaves the previous file in place.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { lstat, readlink, realpath, rename, rm, stat } from 'node:fs/promises';
import { makeDirs } from '../core/files.js';
import { dirname, resolve } from 'node:path';
import { once } from 'node:events';
import { threadId } from 'node:worker_threads';
import { PipelineError, writeRemedy } from '../core/errors.js';
import { scratch } from '../core/scratch.js';

/** Paths that stand for something else than a file (devices, file descriptors). */
const isSystemPath = (p: string): boolean => p.startsWith('/dev/') || p.startsWith('/proc/');

/** Writers opened by this thread (a temp file is named by the process, the thread and this count). */
let writers = 0;

export class AtomicWriter {
  private readonly stream: WriteStream;
  /** Where writes go: the file, or a gzip stream in front of it (for `.gz` paths). */
  private readonly sink: Writable;
  private readonly temp: string;
  private failed: unknown = null;
  private closing = false;
  /** The wait for the sink's next 'drain', shared by every write that finds its buffer full (one listener, not one per write). */
  private draining: Promise<unknown> | null = null;
  /** Forgets the temp file as scratch (removed if the command is interrupted: core/scratch.ts). */
  private readonly forget: () => void;

  /**
   * @param path where the data goes (a symbolic link already resolved to its target)
   * @param direct write straight to `path`, no temp file: it is not a regular file (a device such
   *   as /dev/null, a FIFO): renaming over it would replace it with a file
   */
  private constructor(
    readonly path: string,
    private readonly direct = false,
  ) {
    // (a number of its own: two writers of one process to one path never share a temp file)
    this.temp = direct ? path : `${path}.tmp-${process.pid}-${threadId}-${++writers}`;
    this.forget = direct ? () => undefined : scratch(this.temp);
    // a large buffer: writing does not wait for the disk at every line; a direct write appends (a
    // /dev/stdout redirected with >> to a log must not be truncated)
    this.stream = createWriteStream(this.temp, { highWaterMark: 1 << 20, flags: direct ? 'a' : 'w' });
    this.stream.on('error', (err) => {
      this.failed = err;
    });
    if (path.endsWith('.gz')) {
      // Node's gzip header has no timestamp: the same lines give the same bytes
      const gz = createGzip({ level: 6 });
      gz.on('error', (err) => {
        this.failed = err;
      });
      gz.pipe(this.stream);
      this.sink = gz;
    } else {
      this.sink = this.stream;
    }
  }

  static async open(path: string): Promise<AtomicWriter> {
    if (path.trim() === '') throw new PipelineError('CLI_INVALID_OPTION', 'an output path is empty', { remedy: 'give a file name, or leave the option out to write to stdout' });
    try {
      await makeDirs(dirname(path));
    } catch (err) {
      throw new PipelineError('PUBLISH_WRITE', `cannot create the folder of ${path}: ${(err as Error).message}`, { context: { file: path }, cause: err, remedy: writeRemedy(err) });
    }
    // a symbolic link is written through (its target is replaced, the link stays); anything that is
    // not a regular file is written to directly; a folder is refused
    // (/dev/stdout, /dev/fd/N, /proc/self/fd/N are written to directly, never resolved and replaced:
    // they stand for a file descriptor, whatever file it happens to be)
    let target = path;
    let special = isSystemPath(resolve(path));
    let st = await lstat(path).catch(() => null);
    if (st?.isSymbolicLink() && !special) {
      const link = resolve(dirname(path), await readlink(path).catch(() => ''));
      special = isSystemPath(link);
      if (!special) target = await realpath(path).catch(() => link);
      st = await stat(target).catch(() => null);
    }
    if (st?.isDirectory()) throw new PipelineError('PUBLISH_WRITE', `cannot write ${path}: it is a folder`, { context: { file: path }, remedy: 'give a file name' });
    const w = new AtomicWriter(target, special || (st !== null && !st.isFile()));
    await Promise.race([once(w.stream, 'open'), once(w.stream, 'error').then(([e]) => Promise.reject(e as Error))]).catch((err: unknown) => {
      throw new PipelineError('PUBLISH_WRITE', `cannot write ${path}: ${(err as Error).message}`, { context: { file: path }, cause: err, remedy: writeRemedy(err) });
    });
    return w;
  }

  /**
   * Write, waiting for the disk when the buffer is full (backpressure). `written` is called once the
   * bytes are handed over (to the file, or to gzip): a buffer may be used again from then on.
   */
  async write(text: string | Buffer, written?: (err?: Error | null) => void): Promise<void> {
    if (this.failed) throw this.error();
    if (!this.sink.write(text, written)) {
      try {
        // (writes not awaited one by one, such as a process's many rows, each waited with listeners of
        // their own: Node's MaxListenersExceededWarning on stderr, past 10)
        await (this.draining ??= once(this.sink, 'drain').finally(() => (this.draining = null)));
      } catch (err) {
        this.failed ??= err;
        throw this.error();
      }
    }
  }

  /**
   * Write, resolving once the bytes are handed over (to the file, or to gzip, which has read them):
   * the buffer may be reused then. Slower than `write` for many small writes (each one waits).
   */
  async writeThrough(bytes: Buffer): Promise<void> {
    if (this.failed) throw this.error();
    await new Promise<void>((resolve, reject) => {
      this.sink.write(bytes, (err) => {
        if (err) {
          this.failed ??= err;
          reject(this.error());
        } else resolve();
      });
    });
  }

  /**
   * Everything written reaches the temporary file, which is closed; the target is not replaced yet
   * (commit() does that). A write error (a full disk) is this writer's failure, reported as
   * PUBLISH_WRITE (exit 4), and the temporary file is removed.
   */
  async close(): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      this.sink.end();
      // (a stream that failed is closed already: its 'close' came before)
      if (!this.stream.closed) {
        await once(this.stream, 'close').catch((err: unknown) => {
          this.failed ??= err;
        });
      }
    }
    if (this.failed) {
      if (!this.direct) await rm(this.temp, { force: true });
      this.forget();
      throw this.error();
    }
  }

  async commit(): Promise<void> {
    await this.close();
    if (!this.direct) await rename(this.temp, this.path);
    this.forget();
  }

  async abort(): Promise<void> {
    this.sink.destroy();
    this.stream.destroy();
    if (!this.direct) await rm(this.temp, { force: true });
    this.forget();
  }

  private error(): PipelineError {
    return new PipelineError('PUBLISH_WRITE', `cannot write ${this.path}: ${String((this.failed as Error)?.message ?? this.failed)}`, { context: { file: this.path }, cause: this.failed, remedy: writeRemedy(this.failed) });
  }
}

/** What commitAll() commits: an AtomicWriter, or a LineWriter over one. */
export interface Committable {
  close(): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Commit several outputs as one: each is written to its end first; only when all of them were is
 * any target replaced. A failure aborts them all (no temporary file is left, no target replaced:
 * exit 4 leaves nothing partial). A rename that fails after others succeeded aborts the rest.
 */
export async function commitAll(writers: ReadonlyArray<Committable | null | undefined>): Promise<void> {
  const all = writers.filter((w): w is Committable => w !== null && w !== undefined);
  try {
    for (const w of all) await w.close();
    for (const w of all) await w.commit();
  } catch (err) {
    await abortAll(all);
    throw err;
  }
}

/** Abort every writer (none left with a temporary file), whatever each one's own failure. */
export async function abortAll(writers: ReadonlyArray<Committable | null | undefined>): Promise<void> {
  for (const w of writers) await w?.abort().catch(() => undefined);
}

/** Write a whole small file atomically. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const w = await AtomicWriter.open(path);
  try {
    await w.write(text);
    await w.commit();
  } catch (err) {
    await w.abort();
    throw err;
  }
}
