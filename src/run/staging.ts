/**
 * The run's staging file, split for its two readers. Convert writes one line per
 * release: eleven tab-separated fields that describe it (see convert.ts storeLine),
 * then its JSON. The store needs only the description and the compile parts only
 * the JSON of the releases they merge, so one pass over the bytes writes:
 * - a narrow file: the line number, then the eleven fields (what DuckDB loads,
 *   a tenth of the bytes);
 * - the spans of the JSON texts (start and end offsets, as float64 pairs, line k
 *   at pairs k): a part reads a release's JSON by its line number (SpanReader).
 */
import { open, writeFile } from 'node:fs/promises';
import { PipelineError } from '../core/errors.js';
import { splitLines, type LineSpan } from '../core/files.js';

/** Fields before the JSON on a staging line. */
const STAGING_FIELDS = 11;

export interface StagingIndex {
  readonly lines: number;
}

export async function splitStaging(staged: string, narrowPath: string, spansPath: string): Promise<StagingIndex> {
  let spans = new Float64Array(1 << 16);
  let n = 0;
  const out = await open(narrowPath, 'w');
  // one read's narrow lines (they are shorter than the lines read)
  let outBuf = Buffer.allocUnsafe(1 << 20);
  let outLen = 0;
  const line: LineSpan = (buf, from, to, at) => {
    let tab = from - 1;
    for (let k = 0; k < STAGING_FIELDS; k++) {
      tab = buf.indexOf(0x09, tab + 1);
      if (tab < 0 || tab >= to) throw new PipelineError('INTERNAL', `line ${n + 1} of the staging file has fewer than ${STAGING_FIELDS + 1} fields`);
    }
    if (tab + 1 >= to) throw new PipelineError('INTERNAL', `line ${n + 1} of the staging file has no release JSON`);
    if (2 * n + 2 > spans.length) {
      const bigger = new Float64Array(spans.length * 2);
      bigger.set(spans);
      spans = bigger;
    }
    spans[2 * n] = at + (tab + 1 - from);
    spans[2 * n + 1] = at + (to - from);
    const need = outLen + 24 + (tab - from) + 1;
    if (need > outBuf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, outBuf.length * 2));
      outBuf.copy(bigger, 0, 0, outLen);
      outBuf = bigger;
    }
    outLen += outBuf.write(`${n}\t`, outLen, 'latin1');
    outLen += buf.copy(outBuf, outLen, from, tab);
    outBuf[outLen++] = 0x0a;
    n++;
  };
  try {
    await splitLines(staged, line, async () => {
      // a write may be short (a nearly full disk): the rest is written until none is left
      for (let done = 0; done < outLen; ) done += (await out.write(outBuf, done, outLen - done)).bytesWritten;
      outLen = 0;
    });
  } finally {
    await out.close();
  }
  await writeFile(spansPath, new Uint8Array(spans.buffer, 0, 16 * n));
  return { lines: n };
}
