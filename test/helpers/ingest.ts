/** Test helpers for ingest: feed bytes in chunks, collect events. */
import { gzipSync } from 'node:zlib';
import { readChunks, type IngestOptions } from '../../src/ingest/reader.js';
import type { FileSummary, IngestEvent, RejectedRecord, ReleaseText, SourceRecord } from '../../src/ingest/types.js';

export const SHARED = new URL('../../../shared/', import.meta.url).pathname;

export async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield Buffer.from(bytes.subarray(i, i + size));
}

export interface Collected {
  records: SourceRecord[];
  rejects: RejectedRecord[];
  /** Releases handed over as text (ingest option `releaseText`), their bytes copied. */
  texts: ReleaseText[];
  summary: FileSummary;
}

export async function collect(events: AsyncIterable<IngestEvent>): Promise<Collected> {
  const records: SourceRecord[] = [];
  const rejects: RejectedRecord[] = [];
  const texts: ReleaseText[] = [];
  let summary: FileSummary | undefined;
  for await (const ev of events) {
    if (ev.type === 'record') records.push(ev.record);
    else if (ev.type === 'release-text') texts.push({ ...ev.release, bytes: Buffer.from(ev.release.bytes) });
    else if (ev.type === 'reject') rejects.push(ev.reject);
    else if (ev.type === 'file-end') summary = ev.summary;
  }
  if (!summary) throw new Error('no file-end event');
  return { records, rejects, texts, summary };
}

/** Read in-memory bytes as one source, in chunks of `size` bytes (default: whole). */
export function readBytes(bytes: Buffer | string, options: IngestOptions = {}, size?: number): Promise<Collected> {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const info = { file: 'test.json', sha256: 'test', size: buf.length, compressed: null };
  return collect(readChunks(chunked(buf, size ?? Math.max(1, buf.length)), info, options));
}

export { gzipSync };
