/**
 * Line output to a file (atomic: temp file then rename) or to stdout, with
 * backpressure. Used by convert for releases and rejects.
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { AtomicWriter } from './atomic.js';

export interface LineWriter {
  write(line: string): Promise<void> | void;
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
      commit: async () => undefined,
      abort: async () => undefined,
    };
  }
  const w = await AtomicWriter.open(path);
  let buffer = '';
  return {
    // small writes are gathered: one stream write per ~64 KiB
    write(line) {
      buffer += `${line}\n`;
      if (buffer.length >= 65536) {
        const b = buffer;
        buffer = '';
        return w.write(b);
      }
      return undefined;
    },
    async commit() {
      if (buffer) await w.write(buffer);
      buffer = '';
      await w.commit();
    },
    abort: () => w.abort(),
  };
}
