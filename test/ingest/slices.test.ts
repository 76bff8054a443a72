/**
 * Large reads are handed to the splitters in slices of SPLIT_SLICE bytes (so that a batch of
 * parsed records stays small): the slices cover the chunk exactly, one batch comes per slice, and
 * records that straddle a slice boundary (with a multi-byte character cut there, in UTF-8 and in
 * Windows-1252 files) read exactly as when the same bytes come in small chunks.
 */
import { batchesOf, FileState, SPLIT_SLICE, type Splitter } from '../../src/ingest/file-state.js';
import { readChunkBatches } from '../../src/ingest/reader.js';
import type { IngestEvent } from '../../src/ingest/types.js';
import { collect, chunked, readBytes } from '../helpers/ingest.js';
import { readChunks } from '../../src/ingest/reader.js';

const info = { file: 'slices.json', sha256: 'test', size: 0, compressed: null };

test('a large chunk reaches the splitter in slices that cover it, one batch per slice', async () => {
  const pushed: Buffer[] = [];
  // one event per slice: its length
  const splitter: Splitter<number> = {
    push: (b) => {
      pushed.push(b);
      return [b.length];
    },
    end: () => [],
  };
  const chunk = Buffer.alloc(SPLIT_SLICE * 3 + 1234, 7);
  async function* one(): AsyncGenerator<Buffer> {
    yield chunk;
  }
  const state = new FileState(info, 'utf-8');
  const handle = (n: number): IngestEvent => state.reject({ line: 1, offset: 0 }, 'INGEST_RECORD_SYNTAX', String(n));
  const batches: number[] = [];
  for await (const batch of batchesOf(one(), state, splitter, handle, () => false)) batches.push(batch.length);
  expect(pushed.map((b) => b.length)).toEqual([SPLIT_SLICE, SPLIT_SLICE, SPLIT_SLICE, 1234]);
  expect(Buffer.concat(pushed).equals(chunk)).toBe(true);
  expect(batches).toEqual([1, 1, 1, 1, 0]);
  expect(state.bytes).toBe(chunk.length);
});

/** ~4 slices of 2024 records whose text is full of multi-byte characters (cut anywhere). */
function bigFile(): Buffer {
  const records: string[] = [];
  for (let i = 0; records.join(',').length < SPLIT_SLICE * 4; i++) {
    records.push(JSON.stringify({ id: `2024-${i}`, acheteur: { id: '21350238800019' }, objet: `Réfection de la façade n°${i} — ${'é€ç'.repeat(i % 37)}`, montant: i + 1 }));
  }
  return Buffer.from(`{"marches":{"marche":[${records.join(',')}]}}`, 'utf8');
}

test.each([
  ['utf-8', bigFile()],
  // the same text in Windows-1252 (not valid UTF-8: each record is decoded with the fallback)
  ['windows-1252', Buffer.from(bigFile().toString('utf8').replace(/€/g, 'E'), 'latin1')],
])('%s records straddling slice boundaries read as in small chunks', async (encoding, bytes) => {
  const whole = await readBytes(bytes);
  const small = await readBytes(bytes, {}, 4093);
  expect(whole.records.length).toBeGreaterThan(200);
  expect(whole.rejects).toEqual([]);
  expect(whole.records).toEqual(small.records);
  expect(whole.summary).toEqual(small.summary);
  expect(whole.summary.encoding).toBe(encoding);
  expect(whole.records[40]!.data['objet']).toContain('façade');
  const ids = whole.records.map((r) => r.data['id']);
  expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => `2024-${i}`));
  // and the batches of one whole-file chunk are slices, not the whole file
  let batches = 0;
  for await (const batch of readChunkBatches(chunked(bytes, bytes.length), info)) if (batch.some((e) => e.type === 'record')) batches++;
  expect(batches).toBeGreaterThanOrEqual(Math.floor(bytes.length / SPLIT_SLICE));
});

test('a record joined from two small (pooled) chunks gets its own UTF-8 check', async () => {
  // small buffers come from Node's shared pool: the joined copy of a record that straddles two
  // chunks can share an ArrayBuffer with the chunk that was checked, without lying inside it
  const head = Buffer.concat([Buffer.from(`{"marches":[{"id":"1","acheteur":{"id":"1"},"objet":"${'x'.repeat(1100)}"},{"id":"2","acheteur":{"id":"2"},"objet":"caf`), Buffer.from([0xe9])]);
  const tail = Buffer.from(' au lait"}]}');
  async function* two(): AsyncGenerator<Buffer> {
    yield Buffer.from(head);
    yield Buffer.from(tail);
  }
  const got = await collect(readChunks(two(), info));
  expect(got.records.map((r) => r.data['objet'])).toEqual(['x'.repeat(1100), 'café au lait']);
  expect(got.summary.encoding).toBe('windows-1252');
});

describe('XML held across reads', () => {
  /** Records of very different sizes (one of ~1 MB), with comments, CDATA and multi-byte text. */
  const xml = (): Buffer => {
    const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<marches>\n'];
    for (let i = 0; i < 40; i++) {
      const size = i === 17 ? 1 << 20 : (i * 7919) % 3000;
      parts.push(`<!-- n°${i} --><marche><id>${i}</id><acheteur><id>${i}</id></acheteur><objet><![CDATA[é <${i}> ]]>${'ç€'.repeat(size / 2)}</objet></marche>\n`);
    }
    parts.push('</marches>\n');
    return Buffer.from(parts.join(''), 'utf8');
  };
  test.each([1000, 4093, 65536, 300_000])('chunks of %i bytes read as the whole document', async (size) => {
    const bytes = xml();
    const whole = await readBytes(bytes);
    expect(whole.records.map((r) => r.data['id'])).toEqual(Array.from({ length: 40 }, (_, i) => String(i)));
    const got = await readBytes(bytes, {}, size);
    expect(got.records).toEqual(whole.records);
    expect(got.rejects).toEqual(whole.rejects);
    expect(got.summary).toEqual(whole.summary);
  });
});
