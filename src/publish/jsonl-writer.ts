/**
 * Line output to a file (atomic: temp file then rename) or to stdout, with
 * backpressure. Used by convert for releases and rejects.
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { AtomicWriter } from './atomic.js';

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
  let lines: string[] = [];
  let size = 0;
  return {
    // small writes are gathered: one stream write per ~256 KiB
    write(line) {
      lines.push(line);
      size += line.length + 1;
      if (size >= 262144) {
        const b = `${lines.join('\n')}\n`;
        lines = [];
        size = 0;
        return w.write(b);
      }
      return undefined;
    },
    async writeBytes(chunk) {
      if (lines.length > 0) {
        const b = `${lines.join('\n')}\n`;
        lines = [];
        size = 0;
        await w.write(b);
      }
      await w.write(chunk);
    },
    async commit() {
      if (lines.length > 0) await w.write(`${lines.join('\n')}\n`);
      lines = [];
      await w.commit();
    },
    abort: () => w.abort(),
  };
}
