/**
 * compile's first pass over a large JSON Lines file in two threads (src/compile-split.ts): the
 * records, warnings, rejects, counts and file summaries are those of one reading of the whole file,
 * whether the rest read apart is taken or not.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileInputs, type CompileCounts, type CompileWarning } from '../../src/compile.js';
import { BucketSpool } from '../../src/compile-split.js';
import { AtomicWriter } from '../../src/publish/atomic.js';
import type { CutPlan } from '../../src/ingest/read-json.js';
import { readChunkBatches } from '../../src/ingest/reader.js';
import type { FileSummary, IngestEvent, RejectedRecord } from '../../src/ingest/types.js';
import { JsonRecordSplitter } from '../../src/ingest/json-splitter.js';
import { mergeRulesFromSchema } from '../../src/transform/compile/merge.js';
import { readReleaseSchema } from '../../src/validate/schema-store.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = (): string => tempDir('decp-ocds-split-');

/**
 * Releases as convert writes them, over 60 ocids: a record's later releases without its name
 * (x_decp names the first only), dates shared (the input order decides then), and one release in
 * seven that the reading parses instead of handing it over (an escaped character in a title).
 */
function releaseLines(from: number, count: number, ocids = 60): string[] {
  const out: string[] = [];
  for (let k = from; k < from + count; k++) {
    const ocid = `ocds-78apv2-s${k % ocids}`;
    const title = k % 7 === 0 ? `Lot \\u00e9 ${k}` : `Lot ${k}`;
    const x = k % 3 === 0 ? `,"x_decp":{"sourceSha256":"${'a'.repeat(64)}","sourceIndex":${k}}` : '';
    out.push(`{"ocid":"${ocid}","id":"${ocid}-r${k % 11}","date":"2024-01-0${1 + (k % 4)}T00:00:00Z","tag":["award"],"awards":[{"id":"a${k % 5}","title":"${title}","value":{"amount":${k},"currency":"EUR"}}]${x}}`);
  }
  return out;
}

interface Got {
  records: string[];
  warnings: CompileWarning[];
  rejects: RejectedRecord[];
  summaries: FileSummary[];
  counts: CompileCounts;
}

async function compile(inputs: string[], concurrency: number, splitBytes?: number): Promise<Got> {
  const rules = mergeRulesFromSchema((await readReleaseSchema()).schema);
  const got: Omit<Got, 'counts'> = { records: [], warnings: [], rejects: [], summaries: [] };
  const counts = await compileInputs(
    { inputs, rules, versioned: false, concurrency, buckets: 3, ...(splitBytes === undefined ? {} : { splitBytes }) },
    { record: (t) => void got.records.push(t), warning: (w) => void got.warnings.push(w), reject: (r) => void got.rejects.push(r), fileEnd: (_, s) => void got.summaries.push(s) },
  );
  return { ...got, counts };
}

/** Two readings give the same results (the count of files read in parts aside). */
function expectSame(got: Got, want: Got): void {
  expect(got.records).toEqual(want.records);
  expect(got.warnings).toEqual(want.warnings);
  expect(got.rejects).toEqual(want.rejects);
  expect(got.summaries).toEqual(want.summaries);
  expect({ ...got.counts, filesInParts: 0 }).toEqual({ ...want.counts, filesInParts: 0 });
}

test('a large JSON Lines file read in two parts gives exactly what one reading gives (records, warnings, counts, summaries)', async () => {
  const dir = tmp();
  const big = join(dir, 'big.jsonl');
  const after = join(dir, 'after.jsonl');
  writeFileSync(big, `${releaseLines(0, 1500).join('\n')}\n`);
  // a second file with releases of the same ocids and dates: after the first file's, whichever thread read them
  writeFileSync(after, `${releaseLines(1500, 300).join('\n')}\n`);
  const want = await compile([big, after], 1);
  expect(want.counts.filesInParts).toBe(0);
  expect(want.records.length).toBe(60);
  expect(want.warnings.some((w) => w.code === 'MERGE_SAME_DATE')).toBe(true);
  const parts = await compile([big, after], 2, 1);
  expect(parts.counts.filesInParts).toBe(2);
  expectSame(parts, want);
  // the first file only (the second is smaller than the size that splits): its part's lines are put back before the second file's
  const first = await compile([big, after], 2, statSync(after).size + 1);
  expect(first.counts.filesInParts).toBe(1);
  expectSame(first, want);
  // (and two threads without parts, for good measure)
  const whole = await compile([big, after], 2, 1e12);
  expect(whole.counts.filesInParts).toBe(0);
  expectSame(whole, want);
});

test('a rest with something to say (a junk line, a repaired release) is read by this thread: the same rejects, where they are', async () => {
  const dir = tmp();
  const file = join(dir, 'bad-rest.jsonl');
  const lines = releaseLines(0, 1000);
  lines[900] = 'not json';
  lines[950] = lines[950]!.replace('"Lot 950"', '"Lot\t950"');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const want = await compile([file], 1);
  expect(want.rejects.map((r) => [r.provenance.line, r.provenance.index])).toEqual([[901, 900]]);
  expect(want.warnings.filter((w) => w.code === 'INGEST_JSON_REPAIRED').map((w) => ('line' in w ? w.line : 0))).toEqual([951]);
  const got = await compile([file], 2, 1);
  expect(got.counts.filesInParts).toBe(0);
  expectSame(got, want);
});

test('rejects and warnings in the first part do not stop the rest from being taken, and keep their positions', async () => {
  const dir = tmp();
  const file = join(dir, 'bad-start.jsonl');
  const lines = releaseLines(0, 1000);
  lines[3] = 'not json';
  lines[5] = lines[5]!.replace('"Lot 5"', '"Lot\t5"');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const want = await compile([file], 1);
  const got = await compile([file], 2, 1);
  expect(got.counts.filesInParts).toBe(1);
  expectSame(got, want);
  expect(got.rejects.map((r) => r.provenance.line)).toEqual([4]);
});

test('a file whose first part holds something else than releases (an OCDS record) is read whole by this thread', async () => {
  const dir = tmp();
  const file = join(dir, 'mixed.jsonl');
  const lines = releaseLines(0, 1000);
  const first = JSON.parse(lines[10]!) as Record<string, unknown>;
  lines[10] = JSON.stringify({ ocid: 'ocds-78apv2-rec', releases: [{ ...first, ocid: 'ocds-78apv2-rec' }] });
  writeFileSync(file, `${lines.join('\n')}\n`);
  const want = await compile([file], 1);
  const got = await compile([file], 2, 1);
  expect(got.counts.filesInParts).toBe(0);
  expectSame(got, want);
});

test('a package among the lines of the rest (the file is then a package\'s, with its metadata) is read by this thread', async () => {
  const dir = tmp();
  const file = join(dir, 'package-in-rest.jsonl');
  const lines = releaseLines(0, 1000);
  const inner = [JSON.parse(lines[800]!) as unknown, JSON.parse(lines[801]!) as unknown];
  lines.splice(800, 2, JSON.stringify({ uri: 'https://example.org/p', version: '1.1', publisher: { name: 'P' }, releases: inner }));
  writeFileSync(file, `${lines.join('\n')}\n`);
  const want = await compile([file], 1);
  expect(want.summaries[0]).toMatchObject({ format: 'ocds-release-package', read: 1000 });
  expect(want.counts.packages).toEqual([{ uri: 'https://example.org/p', version: '1.1', publisher: { name: 'P' } }]);
  const got = await compile([file], 2, 1);
  expect(got.counts.filesInParts).toBe(0);
  expectSame(got, want);
});

test('the reading stops at the cut only when told so, and says where it is, whatever the chunks', async () => {
  const lines = releaseLines(0, 40);
  const text = `${lines.join('\n')}\n`;
  const bytes = Buffer.from(text);
  // the cut: the start of line 26 (25 records before it)
  const at = Buffer.byteLength(`${lines.slice(0, 25).join('\n')}\n`);
  const info = { file: 'x.jsonl', sha256: '', size: bytes.length, compressed: null };
  const read = async (size: number, answer: boolean): Promise<{ where: unknown; events: IngestEvent[] }> => {
    let where: unknown = 'not asked';
    const plan: CutPlan = {
      at,
      decide: (w) => {
        if (where === 'not asked') where = w;
        return Promise.resolve(answer);
      },
    };
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let k = 0; k < bytes.length; k += size) yield bytes.subarray(k, k + size);
    }
    const events: IngestEvent[] = [];
    for await (const batch of readChunkBatches(chunks(), info, { releaseText: true }, undefined, plan)) events.push(...batch);
    return { where, events };
  };
  for (const size of [1, 7, 100, at, at + 1, 64 * 1024]) {
    const stopped = await read(size, true);
    expect(stopped.where).toEqual({ line: 26, index: 25 });
    const releases = (events: IngestEvent[]): number => events.filter((e) => e.type === 'release-text' || e.type === 'record').length;
    expect(releases(stopped.events)).toBe(25);
    const end = stopped.events.at(-1)!;
    expect(end.type === 'file-end' && end.summary).toMatchObject({ read: 25, bytes: at, issues: [] });
    const whole = await read(size, false);
    expect(whole.where).toEqual({ line: 26, index: 25 });
    expect(releases(whole.events)).toBe(40);
  }
});

test('the splitter says where the next line starts only between two records of JSON Lines', () => {
  const lines = releaseLines(0, 3);
  const s = new JsonRecordSplitter({}, () => 'x');
  s.push(Buffer.from(`${lines[0]}\n${lines[1]}\n`));
  expect(s.lineStart()).toBe(3);
  // inside a record
  s.push(Buffer.from(lines[2]!.slice(0, 20)));
  expect(s.lineStart()).toBeNull();
  s.push(Buffer.from(`${lines[2]!.slice(20)}\n`));
  expect(s.lineStart()).toBe(4);
  // a document over several lines is not JSON Lines
  const doc = new JsonRecordSplitter();
  doc.push(Buffer.from('[\n{"ocid":"a","id":"1"},\n{"ocid":"a","id":"2"},\n'));
  expect(doc.lineStart()).toBeNull();
});

test('bucket lines written from buffers used again once written (BucketSpool) reach their files whole and in order', async () => {
  const dir = tmp();
  // a small flush size: hundreds of writes, each buffer handed to the stream and used again for the
  // next lines once written; lines that the stream still held when their buffer took others' would
  // show here as other lines
  const writers = await Promise.all([0, 1, 2].map((b) => AtomicWriter.open(join(dir, `${b}.jsonl`))));
  const spool = new BucketSpool(writers, 256);
  const want: string[][] = [[], [], []];
  for (let k = 0; k < 6000; k++) {
    const b = (k * 7) % 3;
    const line = `{"k":${k},"t":"${'é'.repeat(k % 50)}"}`;
    spool.pending[b]!.push(line);
    want[b]!.push(line);
    // (not awaited every time: writes pile up in the streams, as the first pass's do between reads)
    const p = spool.flush(b);
    if (k % 5 === 0) await p;
  }
  await spool.commit();
  for (const b of [0, 1, 2]) expect(readFileSync(join(dir, `${b}.jsonl`), 'utf8')).toBe(`${want[b]!.join('\n')}\n`);
});
