/** Reading the pipeline's own temporary files (their non-empty lines, or their bytes handed on in large chunks), and making folders. */
import { createReadStream, readSync } from 'node:fs';
import { mkdir as mkdirOne, stat } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';

/** One line handed by LineSplitter: `buf[start, end)`, `at` being the file offset of `buf[start]`. */
export type LineSpan = (buf: Buffer, start: number, end: number, at: number) => void;

/**
 * Splits a byte stream, chunk by chunk, into its non-empty lines (`\n` ends a line, a `\r` before it
 * is dropped), each handed as bytes with its offset in the stream (a line break is never part of a
 * multi-byte UTF-8 character). A line cut by chunk boundaries waits, as its pieces, for the chunk that
 * ends it; only that line is then joined: the chunks themselves are never copied (joining each chunk
 * to the rest of the previous one cost 7–10 % of the compile workers, in fresh memory).
 * The bytes handed to `line` are valid during the call only.
 */
export class LineSplitter {
  /** The pieces of a line not ended yet, and the stream offset where it starts. */
  private pieces: Buffer[] = [];
  private restAt = 0;
  private pos = 0;

  push(chunk: Buffer, line: LineSpan): void {
    const base = this.pos;
    this.pos += chunk.length;
    let start = 0;
    if (this.pieces.length > 0) {
      const nl = chunk.indexOf(0x0a);
      if (nl < 0) {
        this.pieces.push(chunk);
        return;
      }
      this.pieces.push(chunk.subarray(0, nl));
      const joined = Buffer.concat(this.pieces);
      this.pieces = [];
      const end = joined.length > 0 && joined[joined.length - 1] === 0x0d ? joined.length - 1 : joined.length;
      if (end > 0) line(joined, 0, end, this.restAt);
      start = nl + 1;
    }
    for (let nl = chunk.indexOf(0x0a, start); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      const end = nl > start && chunk[nl - 1] === 0x0d ? nl - 1 : nl;
      if (end > start) line(chunk, start, end, base + start);
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pieces.push(chunk.subarray(start));
      this.restAt = base + start;
    }
  }

  /** The last line, when the stream does not end with a line break. */
  end(line: LineSpan): void {
    if (this.pieces.length === 0) return;
    const rest = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces);
    this.pieces = [];
    const end = rest[rest.length - 1] === 0x0d ? rest.length - 1 : rest.length;
    if (end > 0) line(rest, 0, end, this.restAt);
  }
}

/** Every line of a file handed to `line` (see LineSplitter), read 1 MiB at a time; `afterChunk` runs after each read. */
export async function splitLines(path: string, line: LineSpan, afterChunk?: () => Promise<void>): Promise<void> {
  const splitter = new LineSplitter();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    splitter.push(chunk as Buffer, line);
    if (afterChunk) await afterChunk();
  }
  splitter.end(line);
  if (afterChunk) await afterChunk();
}

/**
 * The non-empty lines of a UTF-8 file (the pipeline's own files: see LineSplitter), each decoded
 * alone: about three times faster than readline, whose decoding, regular expression and events cost
 * about a tenth of the compile workers' time.
 */
export async function* readLines(path: string): AsyncGenerator<string> {
  yield* linesOf(createReadStream(path, { highWaterMark: await chunkSizeOf(path, 1 << 20) }) as AsyncIterable<Buffer>);
}

/**
 * The chunk size of a read stream over a file of `size` bytes: `max`, or less for a small file. A
 * read stream allocates each chunk (and one more for the read that meets the end): for a folder of
 * thousands of daily files, a MiB each had the garbage collector compact the heap every few files.
 */
export const chunkSizeFor = (size: number, max: number): number => Math.min(max, Math.max(1 << 16, size));

/** chunkSizeFor of the file at `path` (`max` when it is not a regular file, or cannot be read: opening it says why). */
const chunkSizeOf = (path: string, max: number): Promise<number> =>
  stat(path).then(
    (s) => (s.isFile() ? chunkSizeFor(s.size, max) : max),
    () => max,
  );

/** The non-empty lines of chunks of UTF-8 bytes (see LineSplitter), each decoded alone, a chunk at a time. */
export async function* linesOf(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<string> {
  const splitter = new LineSplitter();
  let lines: string[] = [];
  const take: LineSpan = (buf, start, end) => void lines.push(buf.toString('utf8', start, end));
  for await (const chunk of chunks) {
    splitter.push(chunk, take);
    const ready = lines;
    lines = [];
    yield* ready;
  }
  splitter.end(take);
  yield* lines;
}

/** Hand a file's bytes to `write`, 1 MiB at a time, waiting when it asks to (backpressure). */
async function copyBytes(path: string, write: (chunk: Buffer) => Promise<void> | void): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: await chunkSizeOf(path, 1 << 20) })) {
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

/** Reads texts back from a file by their byte spans (pairs: start, end), synchronously: for worker threads. */
export class SpanReader {
  private buf = Buffer.allocUnsafe(1 << 16);
  constructor(
    private readonly fd: number,
    private readonly spans: Float64Array,
  ) {}

  get size(): number {
    return this.spans.length / 2;
  }

  /** Span k (0-based), decoded as UTF-8. */
  text(k: number): string {
    if (!(Number.isInteger(k) && k >= 0 && k < this.size)) throw new RangeError(`span ${k} is not in the index (${this.size} spans)`);
    const from = this.spans[2 * k]!;
    const length = this.spans[2 * k + 1]! - from;
    if (length > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(length, this.buf.length * 2));
    let got = 0;
    while (got < length) {
      const r = readSync(this.fd, this.buf, got, length - got, from + got);
      if (r === 0) throw new Error(`span ${k} is cut short: the file changed since it was indexed`);
      got += r;
    }
    return this.buf.toString('utf8', 0, length);
  }
}

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir spins for ever (a core busy, no error) where
 * the system answers ENOENT for a folder whose parent exists (`-o /proc/x/y`): here that ENOENT is
 * the answer. An existing path is left as it is (a file there fails the write that follows it).
 */
export async function makeDirs(path: string): Promise<void> {
  const at = resolvePath(path);
  try {
    await mkdirOne(at);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || dirname(at) === at) throw err;
  }
  await makeDirs(dirname(at));
  try {
    await mkdirOne(at);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
