/**
 * Line output to a file (atomic: temp file then rename) or to stdout, with
 * backpressure. Used by convert for releases and rejects.
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { AtomicWriter } from './atomic.js';
import { LineBuffer } from '../core/line-buffer.js';

export interface LineWriter {
  write(line: string): Promise<void> | void;
  /** Whole lines already serialised (newline-terminated), e.g. a worker's output file. */
  writeBytes(chunk: Buffer): Promise<void> | void;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Lines to a file (atomic) or, for undefined / "-", to the given stream. */
export async function openLineWriter(path: string | undefined, stdout: Writable): Promise<LineWriter> {
  if (path === undefined || path === '-') {
    return {
      write(line) {
        if (!stdout.write(`${line}\n`)) return once(stdout, 'drain').then(() => undefined);
        return undefined;
      },
      writeBytes(chunk) {
        if (!stdout.write(chunk)) return once(stdout, 'drain').then(() => undefined);
        return undefined;
      },
      commit: async () => undefined,
      abort: async () => undefined,
    };
  }
  const w = await AtomicWriter.open(path);
  // small writes are gathered: one stream write per ~256 KiB
  const pending = new LineBuffer();
  const FLUSH_AT = 262144;
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
    async commit() {
      await flush();
      await w.commit();
    },
    abort: () => w.abort(),
  };
}
