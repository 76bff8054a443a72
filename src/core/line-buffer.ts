/**
 * JSON Lines bytes built in one reusable buffer: each line is encoded as UTF-8
 * straight into it (`Buffer#write`), no joined string and no buffer per line.
 * Joining a batch of lines and encoding the result cost about six times more
 * (the joined string is copied, then encoded through a slower path).
 */
export class LineBuffer {
  private buf: Buffer;
  private at = 0;

  /** The largest size kept by `take`/`clear` (a larger buffer is given back for one of `initial`). */
  private readonly keepUpTo: number;

  /**
   * @param initial the starting size (grown when a line does not fit, shrunk back on `take`/`clear`)
   * @param keep never shrink back (`true`): for a buffer filled to about the same size again and
   *   again (each regrowth copies everything into fresh memory); or the largest size kept (default:
   *   four times `initial`)
   * @param memory where to start (memory given back to be used again), when it is at least `initial` bytes
   */
  constructor(
    private readonly initial = 1 << 20,
    keep: boolean | number = false,
    memory?: Buffer,
  ) {
    this.keepUpTo = keep === true ? Number.POSITIVE_INFINITY : keep === false ? 4 * initial : keep;
    this.buf = memory !== undefined && memory.length >= initial ? memory : Buffer.allocUnsafe(initial);
  }

  /** Bytes held. */
  get length(): number {
    return this.at;
  }

  /** Append one line and its line break. */
  push(line: string): void {
    this.add(line);
    this.endLine();
  }

  /** Append one line made of a text then bytes (already UTF-8, without line break), and its line break. */
  pushBytes(head: string, bytes: Uint8Array): void {
    this.add(head);
    this.addBytes(bytes, 0, bytes.length);
    this.endLine();
  }

  /** Append a text to the line being built (see `endLine`). */
  add(text: string): void {
    // at most 3 bytes per UTF-16 unit (a surrogate pair is 2 units for 4 bytes)
    this.room(text.length * 3);
    this.at += this.buf.write(text, this.at, 'utf8');
  }

  /** Append bytes `start`–`end` of `bytes` (UTF-8 already) to the line being built. */
  addBytes(bytes: Uint8Array, start: number, end: number): void {
    this.room(end - start);
    if (Buffer.isBuffer(bytes)) bytes.copy(this.buf, this.at, start, end);
    else this.buf.set(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), this.at);
    this.at += end - start;
  }

  /** End the line being built with its line break. */
  endLine(): void {
    this.room(1);
    this.buf[this.at++] = 0x0a;
  }

  private room(need: number): void {
    if (this.at + need > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + need));
      this.buf.copy(bigger, 0, 0, this.at);
      this.buf = bigger;
    }
  }

  /** The bytes so far, in the buffer itself: valid until the next push or clear. */
  view(): Buffer {
    return this.buf.subarray(0, this.at);
  }

  /** Empty the buffer (its memory is kept unless a huge line grew it). */
  clear(): void {
    this.at = 0;
    if (this.buf.length > this.keepUpTo) this.buf = Buffer.allocUnsafe(this.initial);
  }

  /**
   * The bytes so far, handed over without a copy (a view of this buffer's memory, which is the
   * receiver's from now on), then empty: lines go on in `next` when it is at least `initial` bytes
   * (memory given back to be used again), else in fresh memory (null: none, no more lines to come).
   */
  swap(next?: Buffer | null): Buffer {
    const out = this.buf.subarray(0, this.at);
    // (null: no more lines to come; a line added anyway grows the buffer from nothing)
    this.buf = next === null ? Buffer.alloc(0) : next !== undefined && next.length >= this.initial ? next : Buffer.allocUnsafeSlow(this.initial);
    this.at = 0;
    return out;
  }

  /** The bytes so far as a buffer of their own (for a stream that keeps it), then empty. */
  take(): Buffer {
    // (memory of its own, never from Node's pool, not zero-filled first: it is written over at once)
    const out = Buffer.allocUnsafeSlow(this.at);
    this.buf.copy(out, 0, 0, this.at);
    this.clear();
    return out;
  }
}
