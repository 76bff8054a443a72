/**
 * Damage in a CSV file costs the row it is in (or its key group), never the rows after it, whatever
 * the chunks; and a run over a file read so publishes it (a CSV robustness probe: the emergency-contract
 * fixture, the golden item lines and the partner's SECOP II table, each damaged ~60 ways, also gzipped
 * and in chunks of 1 to 4,096 bytes). Two classes cost more:
 * - lines that end with a lone `\r` after lines that end with `\n` (an old spreadsheet's export put
 *   after a newer one's; the line ends are decided on the file's first bytes): every row from there
 *   was one, rejected, or a few rejects of hundreds of fields (the partner's table lost 72 of its 73
 *   rows when its second row onwards ended so);
 * - a second export put after the first, its header line giving the columns in another order (or
 *   with some added or left out, as the partner's extracts of one table do): its header line was a
 *   record (published as a contract of buyer "acheteur_nom"), and its rows were read by the first
 *   header's names, values under the wrong columns unsaid (quantities as unit prices);
 * - an item's description of two lines in a CSV file with CRLF line ends (`"Surblouses\r\njetables"`):
 *   read, converted, then the whole run failed at the store (PUBLISH_STORE, exit 4), whose loader took
 *   the `\r` for a line end.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBytes } from '../helpers/ingest.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import type { CsvOptions } from '../../src/ingest/read-csv.js';
import type { RunReport } from '../../src/run-job.js';

const SIZES = [undefined, 1, 2, 3, 5, 7, 11, 16, 64, 4096];
const FIXTURE = join(import.meta.dirname, '../../fixtures/emergency/achats-urgence.csv');
const PROFILE = join(import.meta.dirname, '../../mappings/emergency-csv.json');

/** Read in every chunk size: the same records, rejects and summary each time; the whole read. */
async function readAll(text: string, csv: CsvOptions = {}, maxRecordBytes?: number): Promise<Awaited<ReturnType<typeof readBytes>>> {
  const options = { csv, ...(maxRecordBytes === undefined ? {} : { maxRecordBytes }) };
  const whole = await readBytes(text, options);
  for (const size of SIZES.slice(1)) {
    const got = await readBytes(text, options, size);
    expect([got.records, got.rejects, got.summary]).toEqual([whole.records, whole.rejects, whole.summary]);
  }
  expect(whole.summary.read).toBe(whole.summary.accepted + whole.summary.rejected);
  return whole;
}

const HEADER = 'id;buyer;title;amount';
const row = (n: number, title = `Lot ${n}`): string => `M${n};21590163800019;${title};${n}00`;
const ids = (r: Awaited<ReturnType<typeof readBytes>>): unknown[] => r.records.map((x) => x.data['id']);
const lines = (r: Awaited<ReturnType<typeof readBytes>>): unknown[] => r.records.map((x) => x.provenance.line);

describe('lines that end with a lone \\r after lines that end with \\n', () => {
  test.each([1, 2, 4])('from row %i on: every row is read, at its own line', async (from) => {
    const rows = [1, 2, 3, 4, 5, 6].map((n) => row(n));
    const text = `${[HEADER, ...rows.slice(0, from - 1)].join('\n')}\n${rows.slice(from - 1).join('\r')}\r`;
    const r = await readAll(text);
    expect(ids(r)).toEqual(['M1', 'M2', 'M3', 'M4', 'M5', 'M6']);
    expect(lines(r)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(r.rejects).toEqual([]);
    expect(r.records[5]!.data).toEqual({ id: 'M6', buyer: '21590163800019', title: 'Lot 6', amount: '600' });
  });

  test('a row short of a field, or whose quoted field is followed by text, or whose quote is never closed, among them: that row alone is rejected, at its line', async () => {
    const rows = [row(1), row(2), 'M3;21590163800019;Lot 3', row(4), 'M5;21590163800019;"Lot 5"x;500', row(6), 'M7;21590163800019;"Lot 7;700', row(8), row(9)];
    const text = `${HEADER}\n${rows.join('\r')}\r`;
    const r = await readAll(text);
    expect(ids(r)).toEqual(['M1', 'M2', 'M4', 'M6', 'M8', 'M9']);
    expect(lines(r)).toEqual([2, 3, 5, 7, 9, 10]);
    expect(r.rejects.map((x) => [x.provenance.line, x.code])).toEqual([
      [4, 'INGEST_RECORD_SYNTAX'],
      [6, 'INGEST_RECORD_SYNTAX'],
      [8, 'INGEST_RECORD_SYNTAX'],
    ]);
  });

  test('the first row that ends so is short of a field: it alone is rejected, not joined to the next', async () => {
    const rows = [row(1), 'M2;21590163800019;Lot 2', row(3), row(4)];
    const r = await readAll(`${HEADER}\n${rows[0]}\n${rows.slice(1).join('\r')}\r`);
    expect(ids(r)).toEqual(['M1', 'M3', 'M4']);
    expect(lines(r)).toEqual([2, 4, 5]);
    expect(r.rejects.map((x) => [x.provenance.line, x.reason])).toEqual([[3, 'the row has 3 fields where the header line has 4: its values cannot be matched to the columns']]);
  });

  test.each([
    ['a field', (n: number): string => row(n, 'x'.repeat(300))],
    ['a quoted field', (n: number): string => row(n, `"${'x'.repeat(300)}"`)],
    ['a quoted field of several lines', (n: number): string => row(n, `"${'x\n'.repeat(150)}"`)],
  ])('a row over --max-record-bytes among them (%s): that row alone is rejected, reading resumes at its line end', async (_, big) => {
    const rows = [row(1), row(2), big(3), row(4), row(5)];
    const r = await readAll(`${HEADER}\n${rows.join('\r')}\r`, {}, 200);
    expect(ids(r)).toEqual(expect.arrayContaining(['M1', 'M2', 'M4', 'M5']));
    expect(ids(r)).not.toContain('M3');
    expect(r.rejects[0]).toEqual(expect.objectContaining({ provenance: expect.objectContaining({ line: 4 }) }));
    expect(r.records.at(-1)!.data).toEqual({ id: 'M5', buyer: '21590163800019', title: 'Lot 5', amount: '500' });
  });

  test('quoted texts of several lines (\\n inside the quotes) in rows that end with \\r', async () => {
    const rows = [row(1), row(2, '"Travaux\nde voirie"'), row(3, '"a\nb\nc"'), row(4)];
    const r = await readAll(`${HEADER}\n${rows.join('\r')}\r`);
    expect(r.records.map((x) => x.data['title'])).toEqual(['Lot 1', 'Travaux\nde voirie', 'a\nb\nc', 'Lot 4']);
    expect(r.rejects).toEqual([]);
  });

  test('a lone \\r inside a field before the header line\'s last column, in a file of \\n line ends, is still text', async () => {
    const r = await readAll(`${HEADER}\nM1;21590163800019;Lot\r1;100\nM2;21590163800019;Lot 2;200\n`);
    expect(r.records.map((x) => x.data['title'])).toEqual(['Lot\r1', 'Lot 2']);
  });

  test.each([
    ['\\n', '\n'],
    ['\\r\\n', '\r\n'],
  ])('a lone \\r inside the last column\'s unquoted value, in a file of %s line ends, is still text: the row is read whole, and so are the rows after it', async (_, eol) => {
    // (a review: the value was cut at the \r, its rest a reject, and every later lone \r a line end,
    // a title's "Lot\r3" making two rejects: 2 of 3 rows read and 3 rejects where 3 rows were read whole)
    const r = await readAll(`${HEADER}${eol}M1;21590163800019;Lot 1;100\r000${eol}M2;21590163800019;Lot 2;200${eol}M3;21590163800019;Lot\r3;300${eol}`);
    expect(r.records.map((x) => [x.provenance.line, x.data['title'], x.data['amount']])).toEqual([
      [2, 'Lot 1', '100\r000'],
      [3, 'Lot 2', '200'],
      [4, 'Lot\r3', '300'],
    ]);
    expect(r.rejects).toEqual([]);
  });

  test('… and so is a run of lone \\r in it, or one that ends the file, whatever the chunks', async () => {
    const r = await readAll(`${HEADER}\nM1;21590163800019;Lot 1;1\r\r00\nM2;21590163800019;Lot 2;2\r00`);
    expect(r.records.map((x) => x.data['amount'])).toEqual(['1\r\r00', '2\r00']);
    expect(r.rejects).toEqual([]);
  });

  test('a quoted last value followed by a lone \\r and text, in a file of \\r\\n line ends: that row alone is rejected, as it was', async () => {
    // (a review: the row was read, its "1", the text after the \r a reject, and a later title's
    // "Lot\r2" two rejects: the next row lost)
    const r = await readAll(`${HEADER}\r\nM1;21590163800019;Lot 1;"1"\r0\r\nM2;21590163800019;Lot\r2;200\r\n`);
    expect(r.records.map((x) => [x.provenance.line, x.data['title']])).toEqual([[3, 'Lot\r2']]);
    expect(r.rejects.map((x) => x.provenance.line)).toEqual([2]);
  });

  test('grouped item lines (the emergency profile\'s settings): the contracts after the change of line ends are read whole', async () => {
    const file = readFileSync(FIXTURE, 'utf8').split('\n');
    // lines 1-9 end with \n (the fixture's short row is line 9), the rest with \r
    const text = `${file.slice(0, 9).join('\n')}\n${file.slice(9).join('\r')}`;
    const r = await readAll(text, { groupBy: ['acheteur_siret', 'id_marche'], lines: 'lignes' });
    expect(r.records.map((x) => [x.data['id_marche'], x.provenance.line, (x.data['lignes'] as unknown[]).length])).toEqual([
      ['2020-URG-001', 2, 2],
      ['2020-URG-002', 4, 2],
      ['2020-URG-003', 6, 1],
      ['2020-URG-004', 8, 1],
      ['2020-URG-005', 10, 1],
      ['2020-URG-006', 11, 1],
      ['2020-URG-007', 12, 1],
      ['2020-URG-008', 13, 1],
    ]);
    expect(r.rejects.map((x) => x.provenance.line)).toEqual([9]);
  });
});

describe('a header line of other columns mid-file (exports put end to end)', () => {
  const first = `${HEADER}\n${row(1)}\n${row(2)}\n`;
  test('its columns in another order: the rows after it are read by its names; said, with its line', async () => {
    const r = await readAll(`${first}amount;title;id;buyer\n300;Lot 3;M3;21590163800019\n400;Lot 4;M4;21590163800019\n`);
    expect(r.records.map((x) => x.data)).toEqual([
      { id: 'M1', buyer: '21590163800019', title: 'Lot 1', amount: '100' },
      { id: 'M2', buyer: '21590163800019', title: 'Lot 2', amount: '200' },
      { amount: '300', title: 'Lot 3', id: 'M3', buyer: '21590163800019' },
      { amount: '400', title: 'Lot 4', id: 'M4', buyer: '21590163800019' },
    ]);
    expect([lines(r), r.rejects]).toEqual([[2, 3, 5, 6], []]);
    expect(r.summary.issues).toEqual([expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', line: 4, message: 'line 4 is a header line of its own, its columns in another order (files put end to end?): the rows after it are read by its names' })]);
  });

  test('with a column added and one left out, in another case: read by its names, which are said', async () => {
    const r = await readAll(`${first}ID;Buyer;Amount;Extra\nM3;21590163800019;300;x\n`);
    expect(r.records.at(-1)!.data).toEqual({ ID: 'M3', Buyer: '21590163800019', Amount: '300', Extra: 'x' });
    expect(r.summary.issues.map((i) => i.message)).toEqual(['line 4 is a header line of its own, its columns in another order (1 column(s) added ("Extra"), 1 left out ("title")) (files put end to end?): the rows after it are read by its names']);
  });

  test.each([
    ['a contract whose other values are their columns\' names', 'M2;buyer;title;amount', { id: 'M2', buyer: 'buyer', title: 'title', amount: 'amount' }],
    ['a row of mostly empty fields, two of them column names', ';buyer;;amount', { id: '', buyer: 'buyer', title: '', amount: 'amount' }],
  ])('%s is a row, not a header line: read (or rejected) and counted, the rows after it by the first header\'s names', async (_, line, data) => {
    // (a review: taken for a header line, the row was no record and no reject, and every row after it
    // lost its id: read under the column "M2", or an unnamed one)
    const r = await readAll(`${first}${line}\n${row(3)}\n`);
    expect(r.records.map((x) => x.data)).toEqual([
      { id: 'M1', buyer: '21590163800019', title: 'Lot 1', amount: '100' },
      { id: 'M2', buyer: '21590163800019', title: 'Lot 2', amount: '200' },
      data,
      { id: 'M3', buyer: '21590163800019', title: 'Lot 3', amount: '300' },
    ]);
    expect(r.summary.issues).toEqual([]);
  });

  test('a header line that leaves a column out, or adds one after the last, in the same order: the rows after it are read by its names', async () => {
    const left = await readAll(`${first}id;buyer;title\nM3;21590163800019;Lot 3\n`);
    expect([left.records.at(-1)!.data, left.rejects]).toEqual([{ id: 'M3', buyer: '21590163800019', title: 'Lot 3' }, []]);
    const added = await readAll(`${first}id;buyer;title;amount;cpv\nM3;21590163800019;Lot 3;300;45000000\n`);
    expect([added.records.at(-1)!.data, added.rejects, added.records.length]).toEqual([{ id: 'M3', buyer: '21590163800019', title: 'Lot 3', amount: '300', cpv: '45000000' }, [], 3]);
  });

  test('grouped item lines: the second export\'s quantities and unit prices stay in their columns; its header line is no record', async () => {
    const file = readFileSync(FIXTURE, 'utf8').split('\n');
    const swap = (line: string): string => {
      const p = line.split(';');
      [p[13], p[16]] = [p[16]!, p[13]!];
      return p.join(';');
    };
    const second = [swap(file[0]!), ...file.slice(3, 5).map((l) => swap(l.replaceAll('2020-URG-00', '2021-URG-00')))];
    const r = await readAll(`${file.join('\n')}${second.join('\n')}\n`, { groupBy: ['acheteur_siret', 'id_marche'], lines: 'lignes' });
    expect(r.records.map((x) => x.data['id_marche'])).toEqual(['2020-URG-001', '2020-URG-002', '2020-URG-003', '2020-URG-004', '2020-URG-005', '2020-URG-006', '2020-URG-007', '2020-URG-008', '2021-URG-002']);
    expect((r.records.at(-1)!.data['lignes'] as Array<Record<string, string>>).map((l) => [l['quantite'], l['montant_ligne_ht']])).toEqual([
      ['1000', '9800'],
      ['500', '5100'],
    ]);
    expect(r.summary.rejected).toBe(1);
  });
});

  test('grouped item lines: a second export without a column that groups rows costs its rows, each rejected with why, not the file', async () => {
    // (a review: the file was unreadable, exit 3, the first export's 8 contracts lost with it; before
    // the header line was taken, 8 converted and its 3 lines rejected)
    const file = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
    const drop = (line: string): string => line.split(';').slice(1).join(';');
    const r = await readAll(`${file.join('\n')}\n${[file[0]!, file[1]!, file[2]!].map(drop).join('\n')}\n`, { groupBy: ['acheteur_siret', 'id_marche'], lines: 'lignes' });
    expect(r.summary.error).toBeUndefined();
    expect(r.summary.issues.map((i) => i.message)).toContain('line 14 is a header line of its own, its columns in another order (1 left out ("id_marche")) (files put end to end?): the rows after it are rejected, each with why (it has not every column that groups rows)');
    expect(r.records.map((x) => x.data['id_marche'])).toEqual(['2020-URG-001', '2020-URG-002', '2020-URG-003', '2020-URG-004', '2020-URG-005', '2020-URG-006', '2020-URG-007', '2020-URG-008']);
    expect(r.rejects.slice(1).map((x) => [x.provenance.line, x.code, x.reason])).toEqual([15, 16].map((line) => [line, 'INGEST_RECORD_SYNTAX', 'the header line above it (line 14) has no column "id_marche" that groups rows (the profile\'s settings.csv.groupBy): its row cannot be put with the other rows of its contract']));
  });

describe('a run over item lines whose description holds a line break, in a file of CRLF line ends', () => {
  test('the store takes the \\r\\n inside the text; the counts add up', async () => {
    const dir = tempDir('csv-crlf-');
    const input = join(dir, 'achats-crlf.csv');
    writeFileSync(input, readFileSync(FIXTURE, 'utf8').replaceAll('\n', '\r\n'));
    const out = join(dir, 'out');
    const r = await runCli(['run', input, '--profile', PROFILE, '--out', out, '--quiet']);
    expect([r.code, r.stderr]).toEqual([0, expect.not.stringContaining('PUBLISH_STORE')]);
    const report = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunReport;
    expect(report.counts).toMatchObject({ read: 9, converted: 8, rejected: 1, releases: 8, store: expect.objectContaining({ releases: 8, items: 10, rejects: 1 }), ocds: { releases: 8, records: 8 } });
  }, 120_000);
});

// a quoted cell of many lines over --max-record-bytes (a long description exported with its line
// breaks) was rejected at its first line, and each of its other lines read as a row of its own: one
// reject per line (21 for a cell of 20 lines), each a "row" of 1 or 2 fields, for one record
describe('a quoted cell of many lines over --max-record-bytes', () => {
  const text = (n: number, eol: string): string => `"${Array.from({ length: n }, (_, k) => `Ligne ${String(k + 1).padStart(2, '0')} de la description longue`).join(eol)}"`;

  test.each([
    ['\\n', '\n'],
    ['\\r\\n', '\r\n'],
  ])('is one reject for its row, at its first line (INGEST_RECORD_TOO_LARGE), and the rows after it are read at their lines, whatever the chunks (lines end with %s)', async (_, eol) => {
    // (20 lines of 33 bytes: a row of some 700 bytes, over 500 and within twice that)
    const rows = [row(1), row(2), row(3, text(20, eol)), row(4), row(5)];
    const r = await readAll(`${HEADER}${eol}${rows.join(eol)}${eol}`, {}, 500);
    expect(r.rejects.map((x) => [x.provenance.line, x.code, x.reason])).toEqual([[4, 'INGEST_RECORD_TOO_LARGE', 'the row is larger than 500 bytes (--max-record-bytes), a quoted field of it running over 20 lines (to line 23): rejected whole, reading resumes after it']]);
    expect(ids(r)).toEqual(['M1', 'M2', 'M4', 'M5']);
    expect(lines(r)).toEqual([2, 3, 24, 25]);
    expect(r.summary).toMatchObject({ read: 5, accepted: 4, rejected: 1 });
    // its excerpt is its first bytes, as any reject's
    expect(r.rejects[0]!.excerpt).toMatch(/^M3;21590163800019;"Ligne 01/);
  });

  test('… and so is a row whose quoted cell closes past the limit before more fields, one of them quoted over lines too', async () => {
    const rows = [row(1), `M2;21590163800019;${text(15, '\n')};"2\n00"`, row(3)];
    const r = await readAll(`${HEADER}\n${rows.join('\n')}\n`, {}, 400);
    expect(r.rejects.map((x) => [x.provenance.line, x.code])).toEqual([[3, 'INGEST_RECORD_TOO_LARGE']]);
    expect(r.records.map((x) => [x.provenance.line, x.data['id']])).toEqual([
      [2, 'M1'],
      [19, 'M3'],
    ]);
  });

  test('beyond twice --max-record-bytes its closing quote is not looked for (the bytes held are bounded): taken for a stray quote, its first line is rejected and reading resumes on the next, every line accounted for', async () => {
    const rows = [row(1), row(2, text(40, '\n')), row(3)];
    const r = await readAll(`${HEADER}\n${rows.join('\n')}\n`, {}, 500);
    expect(r.rejects[0]).toMatchObject({ provenance: expect.objectContaining({ line: 3 }), code: 'INGEST_RECORD_SYNTAX', reason: 'a quoted field opened on this line is not closed within 1000 bytes (2 times --max-record-bytes): this line is rejected, reading resumes on the next one' });
    // (its 39 other lines, rows of 1 field and the last of 2)
    expect(r.rejects).toHaveLength(40);
    expect(r.records.map((x) => [x.provenance.line, x.data['id']])).toEqual([
      [2, 'M1'],
      [43, 'M3'],
    ]);
  });

  test('convert with the emergency-contract profile: one reject for that contract, every other contract converted, the counts adding up', async () => {
    const dir = tempDir('csv-long-cell-');
    const [header, ...rest] = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
    const cells = rest[0]!.split(';');
    cells[0] = '2020-URG-LONG';
    cells[11] = text(20, '\n');
    const input = join(dir, 'achats.csv');
    writeFileSync(input, `${[header, ...rest.slice(0, 4), cells.join(';'), ...rest.slice(4)].join('\n')}\n`);
    const rejectsOf = (file: string): Array<{ line: number; code: string; reason: string }> => readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { line: number; code: string; reason: string });
    const base = await runCli(['convert', '--profile', PROFILE, FIXTURE, '-o', join(dir, 'base.jsonl'), '--rejects', join(dir, 'base-rejects.jsonl')]);
    const read = /(\d+) records read: (\d+) converted \(\d+ releases\), (\d+) rejected/.exec(base.stderr)!.slice(1).map(Number);
    const r = await runCli(['convert', '--profile', PROFILE, input, '--max-record-bytes', '800', '-o', join(dir, 'out.jsonl'), '--rejects', join(dir, 'rejects.jsonl')]);
    const rejects = rejectsOf(join(dir, 'rejects.jsonl'));
    // (the fixture's own rejects, 20 lines further down past line 6)
    expect(rejects.map((x) => [x.line, x.code])).toEqual([[6, 'INGEST_RECORD_TOO_LARGE'], ...rejectsOf(join(dir, 'base-rejects.jsonl')).map((x) => [x.line >= 6 ? x.line + 20 : x.line, x.code])]);
    expect(rejects[0]!.reason).toMatch(/^the row is larger than 800 bytes \(--max-record-bytes\), a quoted field of it running over 20 lines \(to line 25\)/);
    // the fixture's records and rejects, and this one
    expect(r.stderr).toMatch(new RegExp(`${read[0]! + 1} records read: ${read[1]!} converted \\(\\d+ releases\\), ${read[2]! + 1} rejected`));
  });
});
