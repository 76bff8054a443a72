/**
 * Line output to a file (atomic: temp file then rename) or to stdout, with
 * backpressure. Used by convert for releases and rejects.
 */
import type { Writable } from 'node:stream';
import { AtomicWriter } from './atomic.js';
import { LineBuffer } from '../core/line-buffer.js';

export interface LineWriter {
  write(line: string): Promise<void> | void;
  /** Whole lines already serialised (newline-terminated), e.g. a worker's output file. */
  writeBytes(chunk: Buffer): Promise<void> | void;
  /**
   * The same, resolving once the bytes are written (handed to the file or stream): the chunk's
   * memory may be reused then (writeBytes may hold it until later).
   */
  writeBytesThrough(chunk: Buffer): Promise<void>;
  /** Everything written is flushed (a file: closed, not yet in place; see commitAll in atomic.ts). */
  close(): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Lines to a file (atomic) or, for undefined / "-", to the given stream. */
export async function openLineWriter(path: string | undefined, stdout: Writable): Promise<LineWriter> {
  if (path === undefined || path === '-') {
    return {
      write(line) {
        if (!stdout.write(`${line}\n`)) return drained(stdout);
        return undefined;
      },
      writeBytes(chunk) {
        if (!stdout.write(chunk)) return drained(stdout);
        return undefined;
      },
      writeBytesThrough: (chunk) => writtenThrough(stdout, chunk),
      close: async () => undefined,
      commit: async () => undefined,
      abort: async () => undefined,
    };
  }
  const w = await AtomicWriter.open(path);
  // small writes are gathered: one stream write per ~256 KiB. The buffer starts small and keeps the
  // size it grows to: a worker opens two writers per file, and a MiB each for a folder of thousands
  // of small daily files had the garbage collector compact the heap every few files (~15 ms each)
  const FLUSH_AT = 262144;
  const pending = new LineBuffer(1 << 16, 4 * FLUSH_AT);
  const flush = (): Promise<void> | undefined => (pending.length > 0 ? w.write(pending.take()) : undefined);
  return {
    write(line) {
      pending.push(line);
      return pending.length >= FLUSH_AT ? flush() : undefined;
    },
    async writeBytes(chunk) {
      await flush();
      await w.write(chunk);
    },
    async writeBytesThrough(chunk) {
      await flush();
      await w.writeThrough(chunk);
    },
    async close() {
      await flush();
      await w.close();
    },
    async commit() {
      await flush();
      await w.commit();
    },
    abort: () => w.abort(),
  };
}

/** `chunk` written to `stream` (its callback called): a failure rejects. */
function writtenThrough(stream: Writable, chunk: Buffer): Promise<void> {
  if (stream.errored) return Promise.reject(stream.errored);
  if (stream.destroyed) return Promise.reject(Object.assign(new Error('the output was closed'), { code: 'EPIPE' }));
  return new Promise<void>((resolve, reject) => {
    stream.write(chunk, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * The stream can take more, or failed: its error (a full disk, a closed pipe) rejects, also when it
 * came before the wait (waiting for 'drain' alone would then wait forever).
 */
function drained(stream: Writable): Promise<void> {
  if (stream.errored) return Promise.reject(stream.errored);
  if (stream.destroyed) return Promise.reject(Object.assign(new Error('the output was closed'), { code: 'EPIPE' }));
  return new Promise<void>((resolve, reject) => {
    const done = (err: Error | null): void => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => done(null);
    const onError = (e: Error): void => done(e);
    const onClose = (): void => done(stream.errored ?? Object.assign(new Error('the output was closed'), { code: 'EPIPE' }));
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
