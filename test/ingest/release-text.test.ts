/**
 * The ingest option `releaseText` (compile's first pass): releases of the pipeline's own layout are
 * handed over as their bytes, unparsed. Whatever the record, a `release-text` event must stand for
 * exactly what the same bytes read without the option give: an accepted OCDS release, with no
 * ingest issue, whose JSON text is those bytes and whose ocid is the one handed over. Anything
 * else (other layouts, the careful path's triggers, duplicate ocid keys, records) is read as usual.
 */
import fc from 'fast-check';
import { readBytes } from '../helpers/ingest.js';
import { OwnReleaseLines, ownReleaseOcid } from '../../src/ingest/parse-record.js';

const own = (fields: Record<string, unknown>, ocid: unknown = 'ocds-78apv2-1'): string =>
  JSON.stringify({ ocid, id: 'r1', date: '2024-01-01T00:00:00+01:00', tag: ['award'], ...fields });

/**
 * Read with and without the option; check the correspondence record by record. A text that does
 * not parse stands for what ingest gives it otherwise (a repair or a reject): compile reads such a
 * text again as ingest does (test/cli/compile.test.ts).
 */
async function both(text: string, size?: number): Promise<{ lazy: number; eager: number }> {
  const plain = await readBytes(text, {}, size);
  const fast = await readBytes(text, { releaseText: true }, size);
  expect(plain.texts).toEqual([]);
  const records = new Map(plain.records.map((r) => [r.provenance.index, r]));
  const rejects = new Map(plain.rejects.map((r) => [r.provenance.index, r]));
  let unparsed = 0;
  for (const t of fast.texts) {
    const r = records.get(t.provenance.index);
    const text = t.bytes.toString('utf8');
    let parses = true;
    try {
      JSON.parse(text);
    } catch {
      parses = false;
    }
    if (!parses) {
      unparsed++;
      const rej = rejects.get(t.provenance.index);
      if (rej) expect(rej.code).toBe('INGEST_RECORD_SYNTAX');
      else expect(r!.issues.map((i) => i.code)).toEqual(['INGEST_JSON_REPAIRED']);
      continue;
    }
    expect(r).toBeDefined();
    expect(r!.type).toBe('release');
    expect(r!.issues).toEqual([]);
    expect(r!.text).toBe(text);
    expect(r!.data['ocid']).toBe(t.ocid);
    expect(t.provenance).toEqual(r!.provenance);
  }
  expect(fast.records.length + fast.texts.length + fast.rejects.length).toBe(plain.records.length + plain.rejects.length);
  for (const rej of fast.rejects) expect(rejects.get(rej.provenance.index)).toEqual(rej);
  for (const rec of fast.records) expect(records.get(rec.provenance.index)).toEqual(rec);
  expect(fast.summary.read).toBe(plain.summary.read);
  if (unparsed === 0) expect(fast.summary).toEqual(plain.summary);
  return { lazy: fast.texts.length, eager: fast.records.length };
}

test('releases of the pipeline layout are handed over as text; others are parsed as usual', async () => {
  const lines = [
    own({ tender: { id: 't', title: 'Travaux de voirie — lot 1, maîtrise d’œuvre' } }),
    JSON.stringify({ id: 'r2', ocid: 'ocds-78apv2-2', date: '2024-01-01T00:00:00Z', tag: ['award'] }), // another key order
    own({ x: 1 }, 'ocds-a"b'), // an escape in the ocid
    own({ x: 1 }, 'ocds-é€'), // non-ASCII in the ocid: no escape, handed over
    own({ title: 'proto' }),
    own({ title: 'Ã©tÃ©' }), // mojibake markers
    own({ ['\u005f_proto__']: 1 }).replace('"__proto__"', '"\\u005f_proto__"'),
    own({ parties: [{ ocid: 'x' }] }), // another "ocid" key, nested
    own({ compiledRelease: {} }),
    own({ n: 'long' }).replace('"long"', '12345678901234567'), // a long integer
    own({ a: 1 }).replace('"a":1', '"a" :1'), // whitespace after the layout: handed over
    own({ a: 1 }).replace('"ocid":', '"ocid" :'), // not the layout (space before the colon)
    `${own({ a: 1 }).slice(0, -1)},"ocid" :"other"}`, // a duplicate ocid key (JSON.parse keeps the last)
  ];
  // (the first value of a file is always parsed: the splitter has not yet seen that it is JSON Lines)
  const r = await both(`${own({})}\n${lines.join('\n')}\n`);
  expect(r).toEqual({ lazy: 3, eager: lines.length - 2 });
  // the same when every record is cut by reads (records joined from several chunks)
  expect(await both(`${own({})}\n${lines.join('\n')}\n`, 7)).toEqual(r);
  // pretty-printed: on several lines, parsed as usual
  expect(await both(JSON.stringify(JSON.parse(lines[0]!), null, 2))).toEqual({ lazy: 0, eager: 1 });
  // a release package of our layout: handed over too (its releases are releases whatever their keys)
  expect(await both(JSON.stringify({ uri: 'u', releases: [JSON.parse(lines[0]!), JSON.parse(lines[2]!), JSON.parse(lines[3]!)] }))).toEqual({ lazy: 2, eager: 1 });
});

test('a line that passes the splitter but does not parse is handed over as text (compile reads it again); ingest counts it as read', async () => {
  const lines = [own({}), own({ a: 'x' }).replace('"x"', '"\\p"'), own({ a: 'x' }).replace('"x"', '"a\tb"'), own({ a: 'x' }).replace('"x"', 'NaN')];
  // (the first value of a file is always parsed: the splitter has not yet seen that it is JSON Lines)
  expect(await both(`${lines.join('\n')}\n`)).toEqual({ lazy: 3, eager: 1 });
  const fast = await readBytes(`${lines.join('\n')}\n`, { releaseText: true });
  expect(fast.summary.read).toBe(4);
  expect(fast.summary.accepted).toBe(4);
});

test('property: a text event always stands for the release ingest would have parsed', async () => {
  const risky = fc.constantFrom('proto', 'constructor', 'Ã', 'Â', 'â€', 'é', '’', '\\', '"', '\n', '\t', '\u0000', '\u2028', '\ud800', 'ocid', '"ocid":', 'compiledRelease', '12345678901234567', '\\u0070');
  const value = fc.oneof(fc.string(), fc.array(risky).map((a) => a.join('')), fc.integer(), fc.double(), fc.constant(null));
  const key = fc.oneof(fc.string({ maxLength: 6 }), risky);
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string({ maxLength: 8 }), risky), fc.dictionary(key, value, { maxKeys: 4 }), fc.integer({ min: 1, max: 64 }), async (ocid, extra, size) => {
      const text = own(extra, ocid);
      // and the same with every escape of its ASCII letters undone: raw bytes the checks must see
      const raw = text.replace(/\\u00([4-7][0-9a-f])/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
      await both(`${own({})}\n${text}\n${raw}\n`, size);
      // whole lines in one read: the splitter takes them as the lineRecord hook vouches for them, unscanned
      await both(`${own({})}\r\n${text}\n${raw}\r\n${text}`);
    }),
    { numRuns: 300 },
  );
});

test('JSON Lines vouched for by the lineRecord hook: the same texts, offsets and lines as scanned, with CR LF too, whatever the reads', async () => {
  const lines = Array.from({ length: 40 }, (_, k) => own({ k, title: k % 3 === 0 ? 'é’' : 'x', n: k % 7 === 0 ? 'long' : k }, `ocds-${k % 5 === 0 ? 'é' : ''}${k}`).replace('"long"', '12345678901234567'));
  const text = `${lines.join('\n')}\n${lines.slice(0, 5).join('\r\n')}\r\n`;
  const whole = await both(text);
  // parsed: the first line (JSON Lines is not known yet; it has a long number too) and the 6 other
  // lines with a long number (k = 7, 14 … 35, and k = 0 again)
  expect(whole).toEqual({ lazy: 45 - 7, eager: 7 });
  for (const size of [100, 333, 4096]) expect(await both(text, size)).toEqual(whole);
});

test('a vouched line that only looks whole (a brace too many) is handed over whole: compile rejects it, where scanning kept a record and rejected the brace', async () => {
  const text = `${own({})}\n${own({ a: { b: 1 } })}}\n${own({ c: 1 })}\n`;
  const fast = await readBytes(text, { releaseText: true });
  expect(fast.texts.map((t) => t.provenance.line)).toEqual([2, 3]);
  expect(() => JSON.parse(fast.texts[0]!.bytes.toString('utf8'))).toThrow();
  const plain = await readBytes(text, {});
  expect(plain.records).toHaveLength(3);
  expect(plain.rejects.map((r) => r.code)).toEqual(['INGEST_RECORD_SYNTAX']);
});

test('property: the checks run on a slice of lines vouch for a line exactly when those run on the line alone do (no long number)', () => {
  // the markers, split over neighbouring values and lines too (a slice's checks must not see one
  // that a line's would not, nor miss one)
  const risky = fc.constantFrom('proto', 'constructor', 'Ã', 'Â', 'â€', 'â', '€', 'é', 'ƒ', '‚', '\\u0070', '\\u00C3', '\\u00e9', '\\\\u0070', '\\', '\r', 'Release', 'ocid', '"ocid":', 'compiledRelease', 'versionedRelease', '\u00c3', '\u00e2\u20ac');
  const value = fc.oneof(fc.string({ maxLength: 4 }), fc.array(risky, { maxLength: 3 }).map((a) => a.join('')), fc.integer());
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 4 }), risky), fc.dictionary(fc.oneof(fc.string({ maxLength: 4 }), risky), value, { maxKeys: 3 })), { minLength: 1, maxLength: 8 }), (specs) => {
      // (JSON.stringify escapes a raw CR; some lines carry one unescaped, as a file can)
      const lines = specs.map(([ocid, extra], k) => (k % 3 === 2 ? own(extra, ocid).replace('\\r', '\r') : own(extra, ocid)));
      const buf = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
      const slice = new OwnReleaseLines();
      let start = 0;
      for (const line of lines) {
        const end = start + Buffer.byteLength(line, 'utf8');
        const alone = /\d{16}/.test(line) ? null : ownReleaseOcid(Buffer.from(line, 'utf8'));
        expect(slice.ocid(buf, start, end)).toBe(alone);
        start = end + 1;
      }
    }),
    { numRuns: 500 },
  );
});

test('a slice that starts inside a character (a read cut a "€" or a "т") still finds the markers after it', () => {
  const line = own({ t: 'â€ Â' });
  for (const head of ['€', 'т', 'Â', 'ł']) {
    const whole = Buffer.from(`${head}\n${line}\n`, 'utf8');
    // the slice from the character's second byte: a continuation byte at 0
    const b = whole.subarray(1);
    const start = b.indexOf(10) + 1;
    expect([head, new OwnReleaseLines().ocid(b, start, b.length - 1)]).toEqual([head, ownReleaseOcid(b.subarray(start, b.length - 1))]);
    expect(ownReleaseOcid(b.subarray(start, b.length - 1))).toBeNull();
  }
});
