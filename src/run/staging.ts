/**
 * The run's staging file, split for its two readers. Convert writes one line per
 * release: eight tab-separated fields that describe it (see convert.ts storeLine),
 * then its JSON. The store needs only the description and the compile parts only
 * the JSON of the releases they merge, so one pass over the bytes writes:
 * - a narrow file: the line number, then the eight fields (what DuckDB loads,
 *   a tenth of the bytes);
 * - the spans of the JSON texts (start and end offsets, as float64 pairs, line k
 *   at pairs k): a part reads a release's JSON by its line number (SpanReader).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { PipelineError } from '../core/errors.js';

/** Fields before the JSON on a staging line. */
export const STAGING_FIELDS = 8;

export interface StagingIndex {
  readonly lines: number;
}

export async function splitStaging(staged: string, narrowPath: string, spansPath: string): Promise<StagingIndex> {
  let spans = new Float64Array(1 << 16);
  let n = 0;
  const out = await open(narrowPath, 'w');
  let outBuf = Buffer.allocUnsafe(1 << 20);
  let outLen = 0;
  const flush = async (): Promise<void> => {
    if (outLen > 0) await out.write(outBuf, 0, outLen);
    outLen = 0;
  };
  const put = async (src: Buffer, from: number, to: number): Promise<void> => {
    if (outLen + (to - from) > outBuf.length) {
      await flush();
      if (to - from > outBuf.length) outBuf = Buffer.allocUnsafe(to - from);
    }
    outLen += src.copy(outBuf, outLen, from, to);
  };
  /** One line: `buf[from, to)`, at file offset `at` (a `\r` before the line break is left out). */
  const line = async (buf: Buffer, from: number, to: number, at: number): Promise<void> => {
    if (to > from && buf[to - 1] === 0x0d) to--;
    if (to <= from) return;
    let tab = from - 1;
    for (let k = 0; k < STAGING_FIELDS; k++) {
      tab = buf.indexOf(0x09, tab + 1);
      if (tab < 0 || tab >= to) throw new PipelineError('INTERNAL', `line ${n + 1} of the staging file has fewer than ${STAGING_FIELDS + 1} fields`);
    }
    if (2 * n + 2 > spans.length) {
      const bigger = new Float64Array(spans.length * 2);
      bigger.set(spans);
      spans = bigger;
    }
    spans[2 * n] = at + (tab + 1 - from);
    spans[2 * n + 1] = at + (to - from);
    if (outLen + 24 > outBuf.length) await flush();
    outLen += outBuf.write(`${n}\t`, outLen, 'latin1');
    await put(buf, from, tab);
    await put(NEWLINE, 0, 1);
    n++;
  };
  try {
    let rest: Buffer | null = null;
    let restAt = 0; // file offset of rest's first byte
    let pos = 0; // file offset of the next chunk's first byte
    for await (const chunk of createReadStream(staged, { highWaterMark: 1 << 20 })) {
      const c = chunk as Buffer;
      const buf: Buffer = rest === null ? c : Buffer.concat([rest, c]);
      const base = rest === null ? pos : restAt;
      pos += c.length;
      let start = 0;
      for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a, start)) {
        await line(buf, start, nl, base + start);
        start = nl + 1;
      }
      rest = start < buf.length ? buf.subarray(start) : null;
      restAt = base + start;
    }
    if (rest !== null) await line(rest, 0, rest.length, restAt);
    await flush();
  } finally {
    await out.close();
  }
  const out2 = await open(spansPath, 'w');
  try {
    await out2.write(new Uint8Array(spans.buffer, 0, 16 * n));
  } finally {
    await out2.close();
  }
  return { lines: n };
}

const NEWLINE = Buffer.from('\n');
