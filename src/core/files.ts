/** Reading the pipeline's own temporary files: their non-empty lines, or their bytes handed on in large chunks. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** The non-empty lines of a UTF-8 file. */
export async function* readLines(path: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) if (line) yield line;
}

/** Hand a file's bytes to `write`, 1 MiB at a time, waiting when it asks to (backpressure). */
export async function copyBytes(path: string, write: (chunk: Buffer) => Promise<void> | void): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const p = write(chunk as Buffer);
    if (p) await p;
  }
}

/** A worker's JSON Lines output handed on: as bytes when the sink takes them, else line by line. */
export async function forwardLines(path: string, bytes: ((chunk: Buffer) => Promise<void> | void) | undefined, line: (text: string) => Promise<void> | void): Promise<void> {
  if (bytes) return copyBytes(path, bytes);
  for await (const text of readLines(path)) {
    const p = line(text);
    if (p) await p;
  }
}
