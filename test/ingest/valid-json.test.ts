/**
 * Valid JSON is read as JSON.parse reads it, whatever the splitter's damage rules (a key's rest after
 * a record, a "[" after a record, a record that ran on to the input's end): its strings full of the
 * bytes those rules look at (braces, brackets, commas, colons, quotes), one line or pretty-printed,
 * in any chunks. And the valid sample files read the same minified or pretty-printed.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonRecordSplitter, type SplitEvent } from '../../src/ingest/json-splitter.js';
import { readBytes, SHARED } from '../helpers/ingest.js';

const unit = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', 'a', 'x', 'é', ',}', '}[{', '"x":');
const value = fc.jsonValue({ maxDepth: 3, stringUnit: unit }).filter((v) => !JSON.stringify(v).match(/\d{16}/));
const record = fc.dictionary(fc.string({ unit, maxLength: 6 }), value, { minKeys: 1, maxKeys: 5 });

function split(buf: Buffer, size: number): SplitEvent[] {
  const s = new JsonRecordSplitter();
  const out: SplitEvent[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(...s.push(buf.subarray(i, i + size)));
  out.push(...s.end());
  return out;
}

test('a valid list of records, one line or pretty-printed, under "marches" or as a root array, gives its records as JSON.parse does and nothing else, whatever the chunks', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 5 }), fc.constantFrom(0, 2, '\t'), fc.boolean(), fc.integer({ min: 1, max: 13 }), async (records, indent, rooted, size) => {
      const text = JSON.stringify(rooted ? records : { marches: records }, null, indent);
      const buf = Buffer.from(text);
      const events = split(buf, size);
      expect(events.filter((e) => e.type !== 'record' && e.type !== 'meta')).toEqual([]);
      const got = events.flatMap((e) => (e.type === 'record' ? [e] : []));
      expect(got.map((e) => e.closedEarly)).toEqual(records.map(() => undefined));
      expect(got.map((e) => JSON.parse(e.bytes.toString()) as unknown)).toEqual(JSON.parse(JSON.stringify(records)) as unknown);
      // (and through ingest, with its hooks: every record read, none rejected, no fault said)
      const r = await readBytes(buf, {}, size);
      expect([r.summary.read, r.rejects, r.summary.issues.filter((i) => i.code === 'INGEST_FILE_SYNTAX')]).toEqual([records.length, [], []]);
    }),
    { numRuns: 300 },
  );
});

test.each(['2019-json/pes-marche_via-decp-rama_2019-03-07.json', '2019-json/marches-securises_ville-de-croix_2019-2021.json', '2024-json/dematis-e-marchespublics_2024-07-daily-17.json', '2024-json/dematis-e-marchespublics_2024-07-early.json'])('the valid sample %s reads the same as written, minified and pretty-printed, in chunks of any size', async (file) => {
  const written = readFileSync(join(SHARED, 'decp/samples', file));
  const whole = await readBytes(written);
  expect(whole.rejects).toEqual([]);
  const doc = JSON.parse(written.toString()) as unknown;
  for (const [form, size] of [
    [JSON.stringify(doc), 7],
    [JSON.stringify(doc, null, 2), 13],
    [JSON.stringify(doc, null, '\t'), 4096],
  ] as const) {
    const r = await readBytes(form, {}, size);
    expect([size, r.records.map((x) => [x.type, x.data])]).toEqual([size, whole.records.map((x) => [x.type, x.data])]);
    expect(r.rejects).toEqual([]);
    expect(r.summary.issues).toEqual(whole.summary.issues);
  }
});
