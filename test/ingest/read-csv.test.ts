/**
 * CSV through a mapping profile (src/ingest/read-csv.ts): rows and groups of rows become `unknown`
 * records with their line and byte offset; every row that cannot be read is one reject with its
 * position and reason; the same bytes in any chunking give the same events.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { readBytes, SHARED } from '../helpers/ingest.js';
import type { CsvOptions } from '../../src/ingest/read-csv.js';

const FIXTURE = new URL('../../fixtures/emergency/achats-urgence.csv', import.meta.url).pathname;
const csv = (text: string | Buffer, options: CsvOptions = {}, size?: number) => readBytes(text, { csv: options }, size);

describe('CSV rows', () => {
  test('a header line, then one record per row with its line and offset; quoted fields with separators, quotes and line breaks', async () => {
    const text = 'id,buyer,title\nA1,123,"Masques, gants"\r\nA2,456,"Le ""grand"" lot\nsur deux lignes"\nA3,789,12" pipe\n';
    const got = await csv(text);
    expect(got.summary.format).toBe('csv');
    expect(got.records.map((r) => r.data)).toEqual([
      { id: 'A1', buyer: '123', title: 'Masques, gants' },
      { id: 'A2', buyer: '456', title: 'Le "grand" lot\nsur deux lignes' },
      { id: 'A3', buyer: '789', title: '12" pipe' },
    ]);
    expect(got.records.map((r) => [r.type, r.provenance.index, r.provenance.line, r.provenance.offset])).toEqual([
      ['unknown', 0, 2, 15],
      ['unknown', 1, 3, text.indexOf('A2')],
      ['unknown', 2, 5, text.indexOf('A3')],
    ]);
    expect(got.summary.read).toBe(3);
  });

  test('the separator is the one the header line has most of outside quotes, or the one the profile gives', async () => {
    expect((await csv('"a,b";c;d\n1;2;3\n')).records[0]!.data).toEqual({ 'a,b': '1', c: '2', d: '3' });
    expect((await csv('a\tb\n1,5\t2\n')).records[0]!.data).toEqual({ a: '1,5', b: '2' });
    expect((await csv('a;b,c\n1;2,3\n', { delimiter: ';' })).records[0]!.data).toEqual({ a: '1', 'b,c': '2,3' });
  });

  test('a row with a field too many or too few is rejected with its line; trailing empty fields are a spreadsheet’s, not data', async () => {
    const got = await csv('a;b;c\n1;2;3\n1;2\n1;2;3;4\n1;2;3;;\n');
    expect(got.records.map((r) => r.data)).toEqual([
      { a: '1', b: '2', c: '3' },
      { a: '1', b: '2', c: '3' },
    ]);
    expect(got.rejects.map((r) => [r.provenance.line, r.code, r.reason])).toEqual([
      [3, 'INGEST_RECORD_SYNTAX', 'the row has 2 fields where the header line has 3: its values cannot be matched to the columns'],
      [4, 'INGEST_RECORD_SYNTAX', 'the row has 4 fields where the header line has 3: its values cannot be matched to the columns'],
    ]);
    expect(got.summary.read).toBe(got.summary.accepted + got.summary.rejected);
  });

  test('a quoted field followed by text is rejected alone; reading goes on with the next row', async () => {
    const got = await csv('a,b\n"x"y,1\n2,3\n');
    expect(got.rejects).toHaveLength(1);
    expect(got.rejects[0]!.provenance.line).toBe(2);
    expect(got.rejects[0]!.reason).toMatch(/a quoted field is followed by "y"/);
    expect(got.records.map((r) => r.data)).toEqual([{ a: '2', b: '3' }]);
  });

  test('a quote that never closes is one reject at the line where it opened, and the rows after it are read', async () => {
    const got = await csv('a,b\n1,"unclosed\n2,3\n4,5\n');
    expect(got.rejects.map((r) => [r.provenance.line, r.code])).toEqual([[2, 'INGEST_RECORD_SYNTAX']]);
    expect(got.rejects[0]!.reason).toMatch(/not closed by the end of the file/);
    expect(got.records.map((r) => r.data)).toEqual([
      { a: '2', b: '3' },
      { a: '4', b: '5' },
    ]);
    // within the size limit when the file goes on: the limit decides, not the end of the file
    const rows = Array.from({ length: 50 }, (_, k) => `${k},x`).join('\n');
    const long = await readBytes(`a,b\n1,"open\n${rows}\n`, { csv: {}, maxRecordBytes: 64 }, 16);
    expect(long.rejects.map((r) => [r.provenance.line, r.code])).toEqual([[2, 'INGEST_RECORD_SYNTAX']]);
    expect(long.rejects[0]!.reason).toMatch(/within 64 bytes/);
    expect(long.records).toHaveLength(50);
  });

  test('a row larger than --max-record-bytes is rejected whole, without being held', async () => {
    const got = await readBytes(`a,b\n1,${'x'.repeat(500)}\n2,3\n`, { csv: {}, maxRecordBytes: 100 }, 7);
    expect(got.rejects.map((r) => [r.provenance.line, r.code])).toEqual([[2, 'INGEST_RECORD_TOO_LARGE']]);
    expect(got.records.map((r) => r.data)).toEqual([{ a: '2', b: '3' }]);
  });

  test('column names: trimmed, an empty one numbered, a repeated one suffixed, a prototype key left out — each said', async () => {
    const got = await csv(' id ,,id,__proto__\n1,2,3,4\n');
    expect(got.records[0]!.data).toEqual({ id: '1', column_2: '2', id_2: '3' });
    expect(Object.getPrototypeOf(got.records[0]!.data)).toBe(Object.prototype);
    expect(got.summary.issues.map((i) => i.code)).toEqual(['INGEST_DUPLICATE_KEY', 'INGEST_FORBIDDEN_KEY']);
  });

  test('rows of separators only are skipped and counted in a file issue; blank lines are nothing', async () => {
    const got = await csv('a;b\n1;2\n\n;;\n ; \n3;4\n');
    expect(got.records).toHaveLength(2);
    expect(got.summary.issues.map((i) => i.message)).toEqual(['2 row(s) holding only separators skipped (the first on line 4)']);
  });

  test('bytes that are not UTF-8 are read as Windows-1252 in that row and flagged; --encoding reads them all so', async () => {
    const bytes = Buffer.concat([Buffer.from('nom;prix\nFa'), Buffer.from([0xe7]), Buffer.from('ade;5 '), Buffer.from([0x80]), Buffer.from('\nEté;6\n')]);
    const got = await csv(bytes);
    expect(got.records.map((r) => r.data)).toEqual([
      { nom: 'Façade', prix: '5 €' },
      { nom: 'Eté', prix: '6' },
    ]);
    expect(got.records[0]!.issues.map((i) => i.code)).toEqual(['INGEST_ENCODING_FALLBACK']);
    expect(got.records[1]!.issues).toEqual([]);
    const forced = await readBytes(Buffer.concat([Buffer.from('nom;n\n'), Buffer.from([0x9c, 0x75, 0x76, 0x72, 0x65]), Buffer.from(';1')]), { csv: {}, encoding: 'windows-1252' });
    expect(forced.records[0]!.data).toEqual({ nom: 'œuvre', n: '1' });
  });

  test('a UTF-8 byte order mark is not part of the first column name', async () => {
    const got = await csv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id;x\n1;2\n')]));
    expect(got.records[0]!.data).toEqual({ id: '1', x: '2' });
    expect(got.summary.bom).toBe(true);
  });

  test('without CSV settings (a profile that maps no `unknown` records), a CSV file is not read: one fatal error that says what to give', async () => {
    const got = await readBytes('a,b\n1,2\n');
    expect(got.summary.format).toBe('csv');
    expect(got.summary.error?.fatal).toBe(true);
    expect(got.summary.error?.message).toMatch(/--profile/);
  });
});

describe('CSV item lines grouped into records (settings.csv.groupBy)', () => {
  const header = 'contrat;acheteur;ligne;article;prix\n';
  test('consecutive rows with the same key are one record: the first row’s columns, and every row under `lines`', async () => {
    const got = await csv(`${header}C1;A;1;masques;4\nC1;A;2;gants;9\nC2;A;1;gel;6\n`, { groupBy: ['acheteur', 'contrat'], lines: 'lignes' });
    expect(got.records).toHaveLength(2);
    expect(got.records[0]!.data).toEqual({ contrat: 'C1', acheteur: 'A', ligne: '1', article: 'masques', prix: '4', lignes: [
      { contrat: 'C1', acheteur: 'A', ligne: '1', article: 'masques', prix: '4' },
      { contrat: 'C1', acheteur: 'A', ligne: '2', article: 'gants', prix: '9' },
    ] });
    expect(got.records.map((r) => [r.provenance.line, r.provenance.index])).toEqual([[2, 0], [4, 1]]);
    expect(got.summary.read).toBe(2);
  });

  test('a bad row inside a group is rejected alone; the group goes on', async () => {
    const got = await csv(`${header}C1;A;1;masques;4\nC1;A;2;gants\nC1;A;3;gel;6\n`, { groupBy: ['contrat'] });
    expect(got.rejects.map((r) => r.provenance.line)).toEqual([3]);
    expect(got.records).toHaveLength(1);
    expect((got.records[0]!.data['lines'] as unknown[]).length).toBe(2);
    expect(got.summary.read).toBe(got.summary.accepted + got.summary.rejected);
  });

  test('rows of one key apart from each other: the later group is rejected with what to do (sort the file)', async () => {
    const got = await csv(`${header}C1;A;1;masques;4\nC2;A;1;gel;6\nC1;A;2;gants;9\n`, { groupBy: ['contrat'] });
    expect(got.records.map((r) => r.data['contrat'])).toEqual(['C1', 'C2']);
    expect(got.rejects).toHaveLength(1);
    expect(got.rejects[0]!.provenance.line).toBe(4);
    expect(got.rejects[0]!.reason).toMatch(/sort the file by contrat/);
  });

  test('rows without a key are each their own record; a grouping column missing from the header is said', async () => {
    const got = await csv(`${header};A;1;masques;4\n;A;2;gants;9\n`, { groupBy: ['contrat'] });
    expect(got.records).toHaveLength(2);
    const missing = await csv(`${header}C1;A;1;masques;4\n`, { groupBy: ['lot'] });
    expect(missing.summary.issues.map((i) => i.message).join(' ')).toMatch(/"lot"/);
  });

  test('a group larger than --max-record-bytes is rejected whole', async () => {
    const rows = Array.from({ length: 20 }, (_, k) => `C1;A;${k};${'article '.repeat(5)};4`).join('\n');
    const got = await readBytes(`${header}${rows}\nC2;A;1;gel;6\n`, { csv: { groupBy: ['contrat'] }, maxRecordBytes: 300 });
    expect(got.rejects.map((r) => [r.provenance.line, r.code])).toEqual([[2, 'INGEST_RECORD_TOO_LARGE']]);
    expect(got.records.map((r) => r.data['contrat'])).toEqual(['C2']);
  });
});

describe('chunk boundaries', () => {
  const fixture = readFileSync(FIXTURE);
  const secop = gunzipSync(readFileSync(`${SHARED}partners/colombia-secop2/contratos_20260812.csv.gz`));
  const small = [1, 2, 3, 5, 7, 16, 100];
  const cases: Array<[string, Buffer, CsvOptions, number[]]> = [
    ['quotes, CRLF, a bad row, multi-byte text', Buffer.from('a;b\r\n"x;""y""\r\nz";é€\r\n1;2;3\r\n"q"w;1\r\n"open;2\r\n4;5'), {}, small],
    ['the emergency fixture, grouped', fixture, { groupBy: ['acheteur_siret', 'id_marche'], lines: 'lignes' }, small],
    // (rows of ~2 kB: one-byte chunks would copy each row thousands of times)
    ['SECOP II', secop, {}, [7, 64, 1000, 4096]],
  ];
  describe.each(cases)('%s', (_name, bytes, options, sizes) => {
    test.each(sizes)('chunks of %i byte(s) give what the whole buffer gives', async (size) => {
      const whole = await csv(bytes, options);
      expect(whole.records.length).toBeGreaterThan(0);
      const got = await csv(bytes, options, size);
      expect(got.records).toEqual(whole.records);
      expect(got.rejects).toEqual(whole.rejects);
      expect(got.summary).toEqual(whole.summary);
    });
  });
});

test('SECOP II: every row read, cells with line breaks kept, the collector’s trailing columns included', async () => {
  const got = await readBytes(gunzipSync(readFileSync(`${SHARED}partners/colombia-secop2/contratos_20260812.csv.gz`)), { csv: {} });
  expect(got.rejects).toEqual([]);
  expect(got.records).toHaveLength(73);
  const cols = Object.keys(got.records[0]!.data);
  expect(cols).toHaveLength(92);
  expect(got.records.some((r) => /\n/.test(String(r.data['direcci_n_de_ejecuci_n_del_contrato'])))).toBe(true);
  // a record's line is where its row starts: rows with line breaks in a cell push the next ones down
  const lines = got.records.map((r) => r.provenance.line);
  expect(lines[0]).toBe(2);
  expect(lines.every((l, k) => k === 0 || l > lines[k - 1]!)).toBe(true);
  expect(lines[lines.length - 1]).toBeGreaterThan(74);
});
