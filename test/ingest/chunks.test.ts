/**
 * Chunk-boundary tests (stream-json's sliding window): the same bytes fed in
 * chunks of 1..16 bytes give the same records, rejects and summary as the
 * whole buffer — including a split BOM, split multi-byte UTF-8 (é, ç, €),
 * split CRLF, strings with escaped quotes and backslashes, and XML.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readBytes, SHARED } from '../helpers/ingest.js';

const DEMO = new URL('../../fixtures/demo/', import.meta.url).pathname;

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const cases: Array<[string, Buffer]> = [
  ...readdirSync(DEMO).map((f): [string, Buffer] => {
    const b = readFileSync(join(DEMO, f));
    return [`demo ${f}`, f.endsWith('.gz') ? gunzipSync(b) : b];
  }),
  ['2019 with BOM and CRLF', Buffer.concat([BOM, Buffer.from('{\r\n"marches":[\r\n{"id":"A1","acheteur":{"id":"21350238800019"},"objet":"Réfection façade — 5 €","montant":1},\r\n{"id":"A\\"2\\\\","acheteur":{"id":"2"},"objet":"x\\\\","montant":2}\r\n]\r\n}\r\n')])],
  ['2024 nested, escaped', Buffer.from('{"marches":{"marche":[{"id":"1","acheteur":{"id":"1"},"objet":"March\\u00e9 \\"sp\\u00e9cial\\" \\\\","titulaires":[{"titulaire":{"id":"1"}}]}],"contrat-concession":[{"id":"c","autoriteConcedante":{"id":"2"},"valeurGlobale":3}]}}')],
  ['JSON Lines with a bad line', Buffer.from('{"id":"1","acheteur":{"id":"1"},"objet":"çà"}\n{"id":"2","acheteur":\n{"id":"3","acheteur":{"id":"3"},"objet":"€"}\n')],
  ['XML with comments, CDATA and multi-byte text', Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<!-- <marche> in a comment -->\n<marches>\n<marche><id>1</id><objet><![CDATA[a <b> & ç]]></objet><acheteur><id>1</id></acheteur></marche>\n<marche><id>2</id><objet>élagage &amp; ç</objet><acheteur><id>2</id></acheteur></marche>\n</marches>\n')],
  ['XML Latin-1 declared', Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><marches><marche><id>1</id><objet>'), Buffer.from([0xe9, 0x6c, 0x61, 0x67, 0x61, 0x67, 0x65]), Buffer.from('</objet></marche></marches>')])],
  ['real 2024 sample (first 20 kB cut into a valid document)', realPrefix()],
  // files concatenated with their byte order marks (cat a.jsonl b.jsonl), and one BOM cut short
  ['JSON Lines with BOMs between lines', Buffer.concat([BOM, Buffer.from('{"id":"1","acheteur":{"id":"1"}}\n'), BOM, Buffer.from('{"id":"2","acheteur":{"id":"2"}}\r\n'), BOM, BOM, Buffer.from('{"id":"3","objet":"é"}\n'), BOM.subarray(0, 2), Buffer.from('x\n{"id":"4"}\n')])],
  // numbers of 16 digits and more (kept as text when a double cannot hold them), in a document and in JSON Lines, their digits cut anywhere
  ['long numbers', Buffer.from('{"marches":[{"id":12345678901234567890,"acheteur":{"id":21350238800019},"montant":1234567890123456.5},{"id":"2","acheteur":{"id":"1"},"montant":9007199254740993}]}')],
  ['JSON Lines with long numbers', Buffer.from('{"id":"1","acheteur":{"id":21350238800019123},"montant":1}\n{"id":98765432109876543210,"acheteur":{"id":"2"}}\n')],
  // padding between and after values: NUL bytes (a file preallocated, or cut by a crash) and Ctrl-Z (an old tool's end-of-file mark)
  ['a document with NUL padding after it', Buffer.concat([Buffer.from('{"marches":[{"id":"1","acheteur":{"id":"1"}}]}\n'), Buffer.alloc(40)])],
  ['JSON Lines with padding between lines', Buffer.concat([Buffer.from('{"id":"1"}\n'), Buffer.alloc(3), Buffer.from('{"id":"2"}\n'), Buffer.from([0x1a]), BOM, Buffer.from('{"id":"3"}\n'), Buffer.alloc(2), Buffer.from('x\n{"id":"4"}\n'), Buffer.from([0x1a])])],
  // a BOM broken by a line break, and one cut by the end of the input
  ['JSON Lines with broken BOMs', Buffer.concat([Buffer.from('{"id":"1"}\n'), BOM.subarray(0, 1), Buffer.from('\n'), BOM.subarray(1), Buffer.from('{"id":"2"}\n{"id":"3"}\n'), BOM.subarray(0, 1)])],
  // byte damage between and inside records of a list (a mutation fuzz's): a "}" in place of a key's
  // opening quote after a comma (the record rejected whole), a "[" in place of the "," between two records
  ['a list with a key\'s quote become "}" and a comma become "["', Buffer.from('{"marches":[{"id":"1","acheteur":{"id":"2"},}objet" : "a } b", "lieu": {"x": [1]}},\n  {"id":"2","acheteur":{"id":"2"},"montant":1,}obj x,\n"montant":2}[ 1, {"a":"]"}],{"id":"3","objet":"é"}[{"id":"4"}]}\n')],
];

/** A real 2024 sample, its first records only (cut at a record boundary). */
function realPrefix(): Buffer {
  const b = readFileSync(join(SHARED, 'decp/samples/2024-json/dematis-e-marchespublics_2024-07-daily-18.json'));
  const cut = b.indexOf('},{"id"', 20000);
  return Buffer.concat([b.subarray(0, cut + 1), Buffer.from(']}}')]);
}

describe.each(cases)('%s', (_name, bytes) => {
  let whole: Awaited<ReturnType<typeof readBytes>>;
  beforeAll(async () => {
    whole = await readBytes(bytes);
    expect(whole.records.length + whole.rejects.length).toBeGreaterThan(0);
  });
  test.each(Array.from({ length: 16 }, (_, i) => i + 1))('chunks of %i byte(s) give the same result', async (size) => {
    const got = await readBytes(bytes, {}, size);
    expect(got.records).toEqual(whole.records);
    expect(got.rejects).toEqual(whole.rejects);
    expect(got.summary).toEqual(whole.summary);
  });
});

test('BOMs between JSON Lines (files concatenated) are skipped; a cut one is text that is not JSON', async () => {
  const bytes = cases.find(([name]) => name === 'JSON Lines with BOMs between lines')![1];
  const r = await readBytes(bytes);
  expect(r.records.map((x) => x.data['id'])).toEqual(['1', '2', '3', '4']);
  expect(r.rejects.map((x) => [x.provenance.line, x.code, x.reason])).toEqual([[4, 'INGEST_RECORD_SYNTAX', expect.stringMatching(/not JSON between JSON values: byte 0xef .*line 4/)]]);
});

test('padding (NUL bytes, Ctrl-Z) between or after values is no record: passed over, said once per run of it with its place; text after it is still a reject', async () => {
  const doc = await readBytes(cases.find(([name]) => name === 'a document with NUL padding after it')![1]);
  expect([doc.records.length, doc.rejects]).toEqual([1, []]);
  expect(doc.summary.issues.map((i) => [i.code, i.message])).toEqual([['INGEST_FILE_SYNTAX', 'NUL bytes between or after JSON values (at byte 47, line 2): padding, passed over']]);
  const lines = await readBytes(cases.find(([name]) => name === 'JSON Lines with padding between lines')![1]);
  expect(lines.records.map((x) => [x.data['id'], x.provenance.line])).toEqual([
    ['1', 1],
    ['2', 2],
    ['3', 3],
    ['4', 5],
  ]);
  expect(lines.rejects.map((x) => [x.provenance.line, x.code, x.reason])).toEqual([[4, 'INGEST_RECORD_SYNTAX', expect.stringMatching(/not JSON between JSON values: "x" .*line 4/)]]);
  expect(lines.summary.issues.map((i) => i.message.replace(/ \(at .*/, '') + ` ${i.line}`)).toEqual(['NUL bytes between or after JSON values 2', 'an end-of-file mark (Ctrl-Z) between or after JSON values 3', 'NUL bytes between or after JSON values 4', 'an end-of-file mark (Ctrl-Z) between or after JSON values 6']);
  // every value read is accounted for: the padding is not among them
  expect([lines.summary.read, lines.summary.accepted, lines.summary.rejected]).toEqual([5, 4, 1]);
});

test('a BOM broken by a line break, or cut by the end of the input, is a reject: no byte is left out', async () => {
  const bytes = cases.find(([name]) => name === 'JSON Lines with broken BOMs')![1];
  const r = await readBytes(bytes);
  expect(r.records.map((x) => x.data['id'])).toEqual(['1', '3']);
  expect(r.rejects.map((x) => x.provenance.line)).toEqual([2, 5]);
});

test('a byte order mark wins over --encoding for its file (said once); a file without one is read as the option says', async () => {
  const text = '{"marches":[{"id":"é€ç","acheteur":{"id":"1","nom":"Département"},"montant":1}]}';
  const xml = '<marches><marche><id>é€ç</id><acheteur><id>1</id></acheteur></marche></marches>';
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  for (let size = 1; size <= 4; size++) {
    for (const [bytes, encoding] of [[Buffer.concat([BOM, Buffer.from(text)]), 'utf-8'], [Buffer.concat([BOM, Buffer.from(xml)]), 'utf-8'], [utf16, 'utf-16le']] as const) {
      const r = await readBytes(bytes, { encoding: 'windows-1252' }, size);
      expect(r.records[0]!.data['id']).toBe('é€ç');
      expect(r.summary.encoding).toBe(encoding);
      expect(r.summary.issues.filter((i) => i.code === 'INGEST_ENCODING_OPTION_IGNORED')).toEqual([
        expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^--encoding windows-1252 is not applied to this file: it starts with a UTF-(8|16LE) byte order mark/) }),
      ]);
    }
  }
  // (no mark: the option is obeyed, and nothing is said; a mark with --encoding utf-8 says nothing either)
  const plain = await readBytes(Buffer.from(text), { encoding: 'windows-1252' });
  expect(plain.records[0]!.data['id']).toBe('Ã©â‚¬Ã§');
  expect((await readBytes(Buffer.concat([BOM, Buffer.from(text)]), { encoding: 'utf-8' })).summary.issues).toEqual([]);
  expect(plain.summary.issues.map((i) => i.code)).not.toContain('INGEST_ENCODING_OPTION_IGNORED');
});

test('a split BOM is removed and multi-byte characters survive any split', async () => {
  const text = '{"marches":[{"id":"é€ç","acheteur":{"id":"1"},"montant":1}]}';
  for (let size = 1; size <= 4; size++) {
    const r = await readBytes(Buffer.concat([BOM, Buffer.from(text)]), {}, size);
    expect(r.summary.bom).toBe(true);
    expect(r.records[0]!.data['id']).toBe('é€ç');
  }
});
