/**
 * CSV through a mapping profile (src/ingest/read-csv.ts): rows and groups of rows become `unknown`
 * records with their line and byte offset; every row that cannot be read is one reject with its
 * position and reason; the same bytes in any chunking give the same events.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { collect, readBytes, SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';
import { readInputs, type IngestOptions } from '../../src/ingest/reader.js';
import type { CsvOptions } from '../../src/ingest/read-csv.js';
import type { MappingProfile } from '../../src/transform/profile.js';

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

  test('a row with a field too many or too few is rejected with its line; trailing empty fields are padding where the file pads (its header line, or its first row), else a separator too many', async () => {
    const got = await csv('a;b;c\n1;2;3\n1;2\n1;2;3;4\n1;2;3;;\n');
    expect(got.records.map((r) => r.data)).toEqual([{ a: '1', b: '2', c: '3' }]);
    expect(got.rejects.map((r) => [r.provenance.line, r.code, r.reason])).toEqual([
      [3, 'INGEST_RECORD_SYNTAX', 'the row has 2 fields where the header line has 3: its values cannot be matched to the columns'],
      [4, 'INGEST_RECORD_SYNTAX', 'the row has 4 fields where the header line has 3: its values cannot be matched to the columns'],
      [5, 'INGEST_RECORD_SYNTAX', "the row has empty fields past the header line's 3, where the file pads no row so (its header line, its first row): a separator too many inside a field, its values cannot be matched to the columns"],
    ]);
    expect(got.summary.read).toBe(got.summary.accepted + got.summary.rejected);
    // a spreadsheet pads every row to its widest, the header line too; some tools end every row with a separator
    expect((await csv('a;b;c;;\n1;2;3;;\n4;5;6\n')).records.map((r) => r.data)).toEqual([
      { a: '1', b: '2', c: '3' },
      { a: '4', b: '5', c: '6' },
    ]);
    expect((await csv('a;b;c\n1;2;3;\n4;5;6;\n')).records).toHaveLength(2);
    // (found by a probe) a separator inside a text, the last column empty: the row is not read with its columns shifted
    const shifted = await csv('id;designation;cpv;total\nA;Gel;33631600;\nB;Gel; flacon;33631600;\n');
    expect(shifted.records.map((r) => r.data)).toEqual([{ id: 'A', designation: 'Gel', cpv: '33631600', total: '' }]);
    expect(shifted.rejects.map((r) => [r.provenance.line, r.code])).toEqual([[3, 'INGEST_RECORD_SYNTAX']]);
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
    // (its closing quote is looked for up to twice the limit: a quoted text of many lines over it is one reject)
    expect(long.rejects[0]!.reason).toMatch(/within 128 bytes \(2 times --max-record-bytes\)/);
    expect(long.records).toHaveLength(50);
  });

  test('a row larger than --max-record-bytes is rejected whole, without being held', async () => {
    const got = await readBytes(`a,b\n1,${'x'.repeat(500)}\n2,3\n`, { csv: {}, maxRecordBytes: 100 }, 7);
    expect(got.rejects.map((r) => [r.provenance.line, r.code])).toEqual([[2, 'INGEST_RECORD_TOO_LARGE']]);
    expect(got.records.map((r) => r.data)).toEqual([{ a: '2', b: '3' }]);
  });

  test('a row of far more fields than the header has is rejected at the first text past the bound, not split to its end; trailing empty fields, however many, are no fields too many', async () => {
    for (const size of [undefined, 5, 64]) {
      const got = await readBytes(`a,b\n${','.repeat(5000)}\n"x",${'"y",'.repeat(200)}\n1,2,3\n2,3${','.repeat(100)}\n4,5,${','.repeat(100)}z\n`, { csv: {} }, size);
      expect(got.rejects.map((r) => [r.provenance.line, r.code, r.reason])).toEqual([
        [3, 'INGEST_RECORD_SYNTAX', 'the row has more than 72 fields (the header has 2): rejected whole'],
        [4, expect.any(String), expect.not.stringContaining('more than 72 fields')],
        // (trailing empty fields where the file does not pad its rows: a separator too many, see above)
        [5, 'INGEST_RECORD_SYNTAX', expect.stringMatching(/^the row has empty fields past the header line's 2, where the file pads no row so/)],
        [6, 'INGEST_RECORD_SYNTAX', 'the row has more than 72 fields (the header has 2): rejected whole'],
      ]);
      // (a row of separators only is skipped, said: see the blank rows test)
      expect(got.records).toEqual([]);
    }
  });

  test('column names: trimmed, an empty one numbered, a repeated one suffixed, a prototype key left out — each said', async () => {
    const got = await csv(' id ,,id,__proto__\n1,2,3,4\n');
    expect(got.records[0]!.data).toEqual({ id: '1', column_2: '2', id_2: '3' });
    expect(Object.getPrototypeOf(got.records[0]!.data)).toBe(Object.prototype);
    expect(got.summary.issues.map((i) => i.code)).toEqual(['INGEST_DUPLICATE_KEY', 'INGEST_FORBIDDEN_KEY']);
  });

  // found by a partners' probe: the warning named the profile's column and left the partner to find,
  // among 40 header names, the one it meant (`Importe del contrat`; a withheld `Nombre del responsable`
  // whose column is `Nombre del responsable de la UC`, published)
  test('a column the header lacks is said with the header\'s columns spelt nearly so, that the profile does not name: the one it probably meant', async () => {
    const header = 'Código del contrato;Importe del contrato;Título del contrato;Nombre del responsable de la UC;Moneda;Monto\n';
    const columns = { read: [['Código del contrato'], ['Importe del contrat'], ['Titulo contrato'], ['Objeto'], ['Mondea', 'Divisa'], ['Monto total']], withheld: ['Nombre del responsable'], lists: [['renglones']] };
    const got = await csv(`${header}1;2;3;4;MXN;5\n`, { columns });
    expect(got.summary.issues.map((i) => i.message)).toEqual([
      'the profile withholds "Nombre del responsable" (did you mean "Nombre del responsable de la UC"?), which the header line does not have: if a name is misspelt, the column it meant is published (column names are matched without case, accents or separators)',
      'the profile reads "Importe del contrat" (did you mean "Importe del contrato"?), "Titulo contrato" (did you mean "Título del contrato"?), "Objeto", "Mondea" | "Divisa" (did you mean "Moneda"?), "Monto total", which the header line does not have: nothing is read from them (column names are matched without case, accents or separators)',
      'the profile reads the list(s) "renglones", which the header line does not have: none of their items is read (a CSV record\'s list is the row itself, ".", or its grouped rows: settings.csv.groupBy and settings.csv.lines)',
    ]);
    // (`Monto`, five letters, is too short to be taken for the start of `Monto total`)
    // a column the profile names is no guess for another (read as itself)
    const named = await csv('id;montant\n1;2\n', { columns: { read: [['id'], ['montant'], ['montants']], withheld: [] } });
    expect(named.summary.issues.map((i) => i.message)).toEqual(['the profile reads "montants", which the header line does not have: nothing is read from them (column names are matched without case, accents or separators)']);
  });

  test('the profile\'s columns the header lacks are said: a misspelt read column, a misspelt withheld one (which would publish the column it meant); one alternative present is enough', async () => {
    const columns = { read: [['id'], ['montant', 'montant_ht'], ['titulaire_nom'], ['obj\u00e9t']], withheld: ['representant', 'représentant'] };
    const got = await csv('id;montant_ht;titulaire_nom;représentant\n1;2;3;4\n', { columns });
    expect(got.records).toHaveLength(1);
    expect(got.summary.issues.map((i) => [i.code, i.message])).toEqual([
      ['INGEST_PROFILE_COLUMN_MISSING', 'the profile withholds "representant", which the header line does not have: if a name is misspelt, the column it meant is published (column names are matched without case, accents or separators)'],
      ['INGEST_PROFILE_COLUMN_MISSING', 'the profile reads "objét", which the header line does not have: nothing is read from them (column names are matched without case, accents or separators)'],
    ]);
    expect((await csv('id;montant\n1;2\n', { columns: { read: [['id'], ['montant']], withheld: [] } })).summary.issues).toEqual([]);
    // a withheld column named otherwise, even twice or beside its exact name, is withheld (renamed before the columns are named; found by review)
    const twins = await csv('id;representant;REPRESENTANT;Représentant\n1;Ana;Bea;Cid\n', { columns: { read: [['id']], withheld: ['representant'] } });
    expect(twins.records[0]!.data).toEqual({ id: '1', representant: 'Ana', representant_2: 'Bea', representant_3: 'Cid' });
    expect(twins.records[0]!.aliases).toEqual({ representant_2: 'representant', representant_3: 'representant' });
    expect(twins.summary.issues.map((i) => i.message)).toContain('the header line names 2 withheld column(s) otherwise (case, accents or separators): "REPRESENTANT", "Représentant" withheld as the profile\'s');
    // a column named in another case, accents or separators is the profile's (the mapping reads it so): not said missing
    const other = await csv('ID;Montant HT;Représentant\n1;2;3\n', { columns: { read: [['id'], ['montant_ht']], withheld: ['representant'] } });
    expect(other.summary.issues.map((i) => i.message)).toEqual(['the header line names 1 withheld column(s) otherwise (case, accents or separators): "Représentant" withheld as the profile\'s']);
    // an API's name that writes a letter beyond ASCII as `_` (datos.gov.co) withholds the export's
    // spelling with the letter (found by a partners sweep: a SECOP II export's display headers)
    const api = await csv('id;Identificación Representante Legal;Género Representante Legal;Número de Cuenta;Tipo de Cuenta\n1;31294013;F;123;Ahorros\n', { columns: { read: [['id']], withheld: ['identificaci_n_representante_legal', 'g_nero_representante_legal', 'n_mero_de_cuenta', 'tipo_de_cuenta'] } });
    expect(api.records[0]!.data).toEqual({ id: '1', identificaci_n_representante_legal: '31294013', g_nero_representante_legal: 'F', n_mero_de_cuenta: '123', tipo_de_cuenta: 'Ahorros' });
    // (privacy first: a letter at a separator is taken for one left out — `Numeros de Cuenta` is withheld too —; one elsewhere is another column)
    const near = await csv('id;Numero de Cuentas\n1;2\n', { columns: { read: [['id']], withheld: ['n_mero_de_cuenta'] } });
    expect(near.records[0]!.data).toEqual({ id: '1', 'Numero de Cuentas': '2' });
  });

  test('the bundled CSV profiles read columns their files have', async () => {
    const { csvOptionsOf, loadProfile } = await import('../../src/ingest/profiles.js');
    const emergency = csvOptionsOf(await loadProfile(new URL('../../mappings/emergency-csv.json', import.meta.url).pathname))!;
    expect(emergency.columns!.read.length).toBeGreaterThan(10);
    const got = await csv(readFileSync(FIXTURE), emergency);
    expect(got.summary.issues.filter((i) => i.code === 'INGEST_PROFILE_COLUMN_MISSING')).toEqual([]);
    const secop = csvOptionsOf(await loadProfile(new URL('../../mappings/secop2.json', import.meta.url).pathname))!;
    expect(secop.columns!.withheld.length).toBeGreaterThan(0);
    const co = await csv(gunzipSync(readFileSync(join(SHARED, 'partners/colombia-secop2/contratos_20260812.csv.gz'))), secop);
    expect(co.summary.issues.filter((i) => i.code === 'INGEST_PROFILE_COLUMN_MISSING')).toEqual([]);
  });

  test('a list the profile reads from neither the row (".") nor its grouped rows (settings.csv.lines) is said by its key: none of its items is read (found by a probe: every item and unit price dropped, unsaid)', async () => {
    const { csvOptionsOf } = await import('../../src/ingest/profiles.js');
    const bundled = JSON.parse(readFileSync(new URL('../../mappings/emergency-csv.json', import.meta.url), 'utf8')) as MappingProfile;
    const missing = (options: CsvOptions, text: string | Buffer = readFileSync(FIXTURE)) => csv(text, options).then((g) => g.summary.issues.filter((i) => i.code === 'INGEST_PROFILE_COLUMN_MISSING').map((i) => i.message));
    // the rows grouped under the default `lines` while the items list reads `lignes`
    const { lines: _lines, ...grouped } = bundled.settings!.csv!;
    const noLines = csvOptionsOf({ ...bundled, settings: { ...bundled.settings, csv: grouped } })!;
    expect(noLines.columns!.lists).toEqual([['lignes']]);
    expect(await missing(noLines)).toEqual(['the profile reads the list(s) "lignes", which the header line does not have: none of their items is read (a CSV record\'s list is the row itself, ".", or its grouped rows, "lines" (settings.csv.lines))']);
    // rows not grouped at all
    const { csv: _csv, ...ungrouped } = bundled.settings!;
    expect(await missing(csvOptionsOf({ ...bundled, settings: ungrouped })!)).toEqual(['the profile reads the list(s) "lignes", which the header line does not have: none of their items is read (a CSV record\'s list is the row itself, ".", or its grouped rows: settings.csv.groupBy and settings.csv.lines)']);
    // a list named as the rows are, or as a column of the header, is no missing list
    expect(csvOptionsOf(bundled)!.columns!.lists).toEqual([]);
    expect(await missing({ columns: { read: [['id']], withheld: [], lists: [['Lignes']] } }, 'id;lignes\n1;x\n')).toEqual([]);
    // a list marked optional (a field a file may lack, as JSON files are checked too) is not asked for
    const items = bundled.records['unknown']!.fields['items']!;
    const optional = { ...bundled, settings: { ...bundled.settings, csv: grouped }, records: { unknown: { ...bundled.records['unknown']!, fields: { ...bundled.records['unknown']!.fields, items: { ...items, optional: true } } } } };
    expect(csvOptionsOf(optional)!.columns!.lists).toEqual([]);
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
    expect(got.summary.error?.message).toMatch(/convert or run with --profile FILE/);
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

  test('rows without a key are each their own record', async () => {
    const got = await csv(`${header};A;1;masques;4\n;A;2;gants;9\n`, { groupBy: ['contrat'] });
    expect(got.records).toHaveLength(2);
  });

  test('a grouping column missing from the header (another name): the file is not read, one fatal error that names it (read row by row, a contract of two rows became two records with one id)', async () => {
    const missing = await csv(`${header}C1;A;1;masques;4\nC1;A;2;gants;9\n`, { groupBy: ['contrat_id'] });
    expect(missing.records).toEqual([]);
    expect(missing.rejects).toEqual([]);
    expect(missing.summary.error).toMatchObject({ code: 'INGEST_FILE_SYNTAX', fatal: true });
    expect(missing.summary.error?.message).toMatch(/the column\(s\) "contrat_id" that group rows .* not in the header line \(line 1: "contrat", /);
  });

  test('a grouping column named in another case, accents or separators (another tool\'s export) is the profile\'s: rows grouped, said once', async () => {
    const upper = header.replace('contrat', 'CONTRAT').replace('acheteur', 'Achéteur ');
    const got = await csv(`${upper}C1;A;1;masques;4\nC1;A;2;gants;9\nC2;A;1;gel;6\n`, { groupBy: ['acheteur', 'contrat'], lines: 'lignes' });
    expect(got.summary.error).toBeUndefined();
    expect(got.records.map((r) => [r.data['contrat'], r.data['acheteur'], (r.data['lignes'] as unknown[]).length])).toEqual([
      ['C1', 'A', 2],
      ['C2', 'A', 1],
    ]);
    expect(got.summary.issues).toEqual([expect.objectContaining({ code: 'INGEST_PROFILE_COLUMN_MISSING', message: 'the header line names the column(s) that group rows otherwise (case, accents or separators): read "Achéteur" as "acheteur", "CONTRAT" as "contrat"' })]);
    // two columns that match one loosely: neither is taken (the file is not read, as before)
    const two = await csv(`CONTRAT;Contrat;n\nC1;C1;1\n`, { groupBy: ['contrat'] });
    expect(two.summary.error).toMatchObject({ code: 'INGEST_FILE_SYNTAX', fatal: true });
  });

  test('a group larger than --max-record-bytes is rejected whole', async () => {
    const rows = Array.from({ length: 20 }, (_, k) => `C1;A;${k};${'article '.repeat(5)};4`).join('\n');
    const got = await readBytes(`${header}${rows}\nC2;A;1;gel;6\n`, { csv: { groupBy: ['contrat'] }, maxRecordBytes: 300 });
    expect(got.rejects.map((r) => [r.provenance.line, r.code])).toEqual([[2, 'INGEST_RECORD_TOO_LARGE']]);
    expect(got.records.map((r) => r.data['contrat'])).toEqual(['C2']);
    // its rows counted whole; rows of its key that come back later are no record of their own
    // (found by a probe: "the 3 rows" of 20, and a later row published as the contract, one item)
    expect(got.rejects[0]!.reason).toMatch(/^the 20 rows of this group are larger than 300 bytes/);
    const back = await readBytes(`${header}${rows}\nC2;A;1;gel;6\nC1;A;21;masque;4\n`, { csv: { groupBy: ['contrat'] }, maxRecordBytes: 300 });
    expect(back.rejects.map((r) => [r.provenance.line, r.code])).toEqual([[2, 'INGEST_RECORD_TOO_LARGE'], [23, 'INGEST_RECORD_SYNTAX']]);
    expect(back.records.map((r) => r.data['contrat'])).toEqual(['C2']);
  });

  test('a column named as the profile names a record\'s rows (csv.lines) is said: its values are not read (found by a probe: replaced unsaid)', async () => {
    const got = await csv(`contrat;article;lignes\nC1;masque;2\nC1;gel;2\n`, { groupBy: ['contrat'], lines: 'lignes' });
    expect(got.summary.issues).toContainEqual(expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', severity: 'warning', message: expect.stringMatching(/^the column "lignes" \(line 1\) has the name the profile gives a record's rows/) }));
    expect(got.records).toHaveLength(1);
  });
});

describe('what real exports do (found by an audit)', () => {
  const H = 'id;acheteur;objet;montant\n';
  test('a quote that closes on a later line before stray text rejects only the line where it opened', async () => {
    const got = await csv(`${H}A1;1;"normal";1\nA2;1;"Objet 12"" sans fin;1\nA3;1;"normal";1\nA4;1;x;1\n`);
    expect(got.rejects.map((r) => r.provenance.line)).toEqual([3]);
    expect(got.rejects[0]!.reason).toMatch(/closes on a later line/);
    expect(got.records.map((r) => r.data['id'])).toEqual(['A1', 'A3', 'A4']);
  });

  test('a header line that cannot be read: the file is not read (a fatal error that says why), no row taken for the header', async () => {
    const got = await csv('"id" ;"acheteur"\nA1;1\nA2;2\n');
    expect(got.records).toEqual([]);
    expect(got.rejects).toEqual([]);
    expect(got.summary.error).toMatchObject({ code: 'INGEST_FILE_SYNTAX', fatal: true });
    expect(got.summary.error?.message).toMatch(/the header line \(line 1\) cannot be read/);
  });

  test('titles above the header line (a spreadsheet\'s: its name, its date of export) are passed over and said, not taken for the header; a file of one column has none', async () => {
    for (const head of ['Achats urgence COVID\n', 'Achats urgence COVID;;;\n\nExport du 01/04/2020;;;\n', 'Achats urgence, mars 2020\n', '\n  \nsep=;\nTitre\n']) {
      const got = await csv(`${head}${H}A1;1;x;1\nA2;1;y;2\n`);
      expect([head, got.records.map((r) => r.data)]).toEqual([
        head,
        [
          { id: 'A1', acheteur: '1', objet: 'x', montant: '1' },
          { id: 'A2', acheteur: '1', objet: 'y', montant: '2' },
        ],
      ]);
      expect(got.rejects).toEqual([]);
      expect(got.summary.issues).toEqual([expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', severity: 'warning', message: expect.stringMatching(/^\d line\(s\) above the header line \(line \d\), a title, "(Achats urgence(,| COVID)( mars 2020)?|Titre)" \(line \d\): passed over, no record$/) })]);
      expect(got.records.map((r) => r.provenance.line)).toEqual([0, 1].map((k) => head.split('\n').length + 1 + k));
    }
    // a table of two columns under a title without a separator
    expect((await csv(`Titre\na;b\n1;2\n`)).records.map((r) => r.data)).toEqual([{ a: '1', b: '2' }]);
    // two titles that hold a comma each above a table of `;` (found by a probe: the first was taken for the header)
    const two = await csv(`Contratos adjudicados, enero 2024\nFuente: Ministerio, exportado el 01/02/2024\n${H}A1;1;x;1\n`);
    expect([two.records.map((r) => r.data['objet']), two.rejects, two.summary.issues.map((i) => i.message.replace(/ \(line.*/, ''))]).toEqual([['x'], [], ['2 line(s) above the header line']]);
    // a table of two columns of `,` keeps its first line as its header; so does one of `;` whose row
    // holds commas (found by a review: `M2;Papier, encre, stylos` was taken for the header)
    expect((await csv('a,b\n1,2\n3,4\n')).records.map((r) => r.data)).toEqual([{ a: '1', b: '2' }, { a: '3', b: '4' }]);
    expect((await csv('id_marche;objet\nM1;Fournitures\nM2;Papier, encre, stylos\nM3;Chaises\n')).records.map((r) => r.data['objet'])).toEqual(['Fournitures', 'Papier, encre, stylos', 'Chaises']);
    // not titles: a header of two names; a first line whose separator a line of two fields does not
    // say (\`1,5<tab>2\`: see the separator's test); a quoted title (a quote may hold anything)
    expect((await csv(`a;b\n1;2\n`)).records.map((r) => r.data)).toEqual([{ a: '1', b: '2' }]);
    expect((await csv('a\tb\n1,5\t2\n')).records.map((r) => r.data)).toEqual([{ a: '1,5', b: '2' }]);
    // quotes: a quoted title, a header of quoted names (`""` is no text); a quote left open is no title
    const quoted = await csv(`"Titre; mars";;;\n"id";"acheteur";"objet";"montant"\nA1;1;x;1\n`);
    expect([quoted.records.map((r) => r.data['objet']), quoted.summary.issues.map((i) => i.message.replace(/ \(line.*/, ''))]).toEqual([['x'], ['1 line(s) above the header line']]);
    expect((await csv(`"";"";Titre\n${H}A1;1;x;1\n`)).records.map((r) => r.data['id'])).toEqual(['A1']);
    const open = await csv(`"Titre\n${H}A1;1;x;1\n`);
    expect(open.summary.issues.map((i) => i.message)).not.toContainEqual(expect.stringMatching(/a title/));
  });

  test('totals rows (`TOTAL;;;…;12345`, a `Sous-total` between groups) are no record: passed over and said; a row that only mentions a total is read', async () => {
    const got = await csv(`${H}A1;1;x;1\nA1;1;y;2\nSous-total;;;3\nA2;1;z;4\n;;;\nTOTAL général :;;;7\nTotal;;\n`, { groupBy: ['id'] });
    expect(got.records.map((r) => [r.data['id'], (r.data['lines'] as unknown[]).length, r.provenance.line])).toEqual([
      ['A1', 2, 2],
      ['A2', 1, 5],
    ]);
    expect(got.rejects).toEqual([]);
    expect(got.summary.issues.map((i) => [i.code, i.message])).toEqual([
      ['INGEST_FILE_SYNTAX', '1 row(s) holding only separators skipped (the first on line 6)'],
      ['INGEST_FILE_SYNTAX', '3 totals row(s), first on line 4 ("Sous-total"): sums of the rows above them, passed over, no record'],
    ]);
    // (a title or an id that says more than "total" is data; the label in another column than the first is a totals row still)
    const data = await csv(`${H}A3;1;Total rénovation;1\nTotal 2;1;x;1\n;;Total;2\n`);
    expect(data.records.map((r) => r.data['objet'])).toEqual(['Total rénovation', 'x']);
    expect(data.summary.issues.map((i) => i.message)).toEqual(['1 totals row(s), first on line 4 ("Total"): sums of the rows above them, passed over, no record']);
    // a bare `Total` first in a row that fills its columns is a record: TOTAL, a supplier's name, in a
    // file whose supplier column comes first (found by a probe: such contracts were passed over)
    const supplier = await csv(`fournisseur;id;objet;montant\nTOTAL;T-2;Gazole;10\nTOTAL;T-2;Essence;5\nTotal;;;15\n`, { groupBy: ['id'] });
    expect(supplier.records.map((r) => [r.data['fournisseur'], (r.data['lines'] as unknown[]).length])).toEqual([['TOTAL', 2]]);
    expect(supplier.summary.issues.map((i) => i.message)).toEqual(['1 totals row(s), first on line 4 ("Total"): sums of the rows above them, passed over, no record']);
    expect((await csv(`fournisseur;id;objet;montant\nTOTAL;T-2;Gazole;10\n`)).records).toHaveLength(1);
    // … and in a sparse row that holds its contract's key, however few columns it fills (found by a
    // review: a file of ten columns whose rows fill five, its supplier TOTAL, was passed over whole)
    const sparse = await csv(`fournisseur;id;acheteur;objet;montant;cpv;lieu;duree;date;forme\nTOTAL;T-2;2159;Gazole;10;;;;;\nTOTAL;T-2;2159;Essence;5;;;;;\nTotal;;;;15;;;;;\n`, { groupBy: ['id'] });
    expect(sparse.records.map((r) => [r.data['fournisseur'], (r.data['lines'] as unknown[]).length])).toEqual([['TOTAL', 2]]);
    expect(sparse.summary.issues.map((i) => i.message)).toEqual(['1 totals row(s), first on line 4 ("Total"): sums of the rows above them, passed over, no record']);
    // before or after taxes, or a `Montant total` (found by a probe: rejected as records without a buyer)
    const taxes = await csv(`${H}A1;1;x;1\nTotal HT;;;1\nTotal TTC;;;1,2\nMontant total :;;;1\n;Total (H.T.);;1\nTOTAL GÉNÉRAL TTC;;;1\nTotal hors taxes;;;1\nSous-total HT;;;1\nTotal HT 2;1;y;1\n`, { groupBy: ['id'] });
    expect([taxes.records.map((r) => r.data['id']), taxes.rejects]).toEqual([['A1', 'Total HT 2'], []]);
    expect(taxes.summary.issues.map((i) => i.message)).toEqual(['7 totals row(s), first on line 3 ("Total HT"): sums of the rows above them, passed over, no record']);
    // partners' labels: Spanish, English, Ukrainian (found by a partner's probe: an Argentine file's
    // `Subtotal` and `Importe total` rows were rejected as records without a buyer)
    const partners = await csv(`${H}A1;1;x;1\nSubtotal;;;1\nTotal general;;;1\nImporte total:;;;1\nMonto total con IVA;;;1\nTotales;;;1\nGrand total;;;1\nTotal amount;;;1\nВсього;;;1\nРАЗОМ;;;1\nTotal (IVA incluido);;;1\nImporte total 2;1;y;1\n`, { groupBy: ['id'] });
    expect([partners.records.map((r) => r.data['id']), partners.rejects]).toEqual([['A1', 'Importe total 2'], []]);
    expect(partners.summary.issues.map((i) => i.message)).toEqual(['10 totals row(s), first on line 3 ("Subtotal"): sums of the rows above them, passed over, no record']);
    // a contract's own subtotal among its lines, its key its group's and its label in another column
    // (found by a probe: read as one more item line, the contract's value doubled); a bare `Total`
    // there is data (TOTAL, a supplier's name), and so is a subtotal label in a file not grouped
    const own = await csv(`${H}A1;1;x;1
A1;1;y;2
A1;1;Sous-total;3
A2;1;Total;4
A2;1;Total HT :;4
`, { groupBy: ['id'] });
    expect(own.records.map((r) => [r.data['id'], (r.data['lines'] as Array<Record<string, unknown>>).map((l) => l['objet'])])).toEqual([
      ['A1', ['x', 'y']],
      ['A2', ['Total']],
    ]);
    expect(own.summary.issues.map((i) => i.message)).toEqual(['2 totals row(s), first on line 4 ("Sous-total"): sums of the rows above them, passed over, no record']);
    expect((await csv(`${H}A1;1;Sous-total;3
`)).records.map((r) => r.data['objet'])).toEqual(['Sous-total']);
  });

  test('the header line repeated (files put end to end) is skipped and said; a separator ending the header names no column', async () => {
    const got = await csv(`id;acheteur;objet;montant;\nA1;1;x;1\n${H}A2;1;y;2\n`);
    expect(got.records.map((r) => r.data)).toEqual([
      { id: 'A1', acheteur: '1', objet: 'x', montant: '1' },
      { id: 'A2', acheteur: '1', objet: 'y', montant: '2' },
    ]);
    expect(got.summary.issues.map((i) => i.message)).toEqual(['the header line is repeated 1 time(s) (files put end to end?), first on line 3: skipped']);
    // in another case, accents or separators (a file of another tool put after it), as columns are matched (found by a probe: a record of the header's names)
    const loose = await csv(`id_marché;acheteur siret;objet\nA1;1;x\nID_MARCHE;ACHETEUR_SIRET;Objet\nA2;1;y\n`, { groupBy: ['id_marche'] });
    expect([loose.records.map((r) => [r.data['id_marche'], r.data['acheteur siret'], (r.data['lines'] as unknown[]).length]), loose.rejects]).toEqual([
      [
        ['A1', '1', 1],
        ['A2', '1', 1],
      ],
      [],
    ]);
    expect(loose.summary.issues.map((i) => i.message)).toContainEqual('the header line is repeated 1 time(s) (files put end to end?), first on line 3: skipped');
  });

  test.each([
    ['blank lines before the header', `\n \r\n${H}A1;1;x;1\n`, 4],
    ['lines ended by a lone CR (old spreadsheets)', `${H}A1;1;x;1\n`.replaceAll('\n', '\r'), 2],
    ['lines ended by CR CR LF', `${H}A1;1;x;1\n`.replaceAll('\n', '\r\r\n'), 2],
    ['an Excel sep= line', `sep=;\n${H}A1;1;"x,y";1\n`, 3],
  ])('%s', async (_what, text, line) => {
    const got = await csv(text);
    expect(got.summary.error).toBeUndefined();
    expect(got.records.map((r) => [r.data, r.provenance.line])).toEqual([[{ id: 'A1', acheteur: '1', objet: text.includes('x,y') ? 'x,y' : 'x', montant: '1' }, line]]);
  });

  test('lines ended by a lone CR with a line break inside a quoted cell (Excel "CSV (Macintosh)"): the first line end outside quotes decides, whatever the chunks (found by a probe: every row lost)', async () => {
    const text = `${H.replace('\n', '\r')}A1;1;"Surblouses\njetables";1\rA2;1;"x\r\ny";2\rA3;1;z;3\r`;
    for (const size of [undefined, 1, 5, 16]) {
      const got = await csv(text, {}, size);
      expect([size, got.rejects, got.records.map((r) => [r.data['id'], r.data['objet'], r.provenance.line])]).toEqual([
        size,
        [],
        [
          ['A1', 'Surblouses\njetables', 2],
          // (a CR LF inside quotes is kept as it is)
          ['A2', 'x\r\ny', 4],
          ['A3', 'z', 6],
        ],
      ]);
    }
    // a CR LF file with a lone CR inside a quoted cell ends its lines with CR LF still
    const crlf = await csv(`${H.replace('\n', '\r\n')}A1;1;"x\ry";1\r\nA2;1;z;2\r\n`);
    expect(crlf.records.map((r) => [r.data['objet'], r.provenance.line])).toEqual([
      ['x\ry', 2],
      ['z', 3],
    ]);
  });

  // found by a partners' probe: a Latin-1 export read through its profile's settings.csv.encoding was
  // reported as UTF-8 (run.json, the store's sources), what its bytes are not
  test('a file whose rows are read in the profile\'s settings.csv.encoding is reported in it; one all UTF-8 stays UTF-8', async () => {
    const cp1251 = Buffer.concat([Buffer.from('a;b\n'), Buffer.from([0xd8, 0xe5, 0xe2, 0xf7, 0xe5, 0xed, 0xea, 0xee]), Buffer.from(';1\n')]);
    const got = await csv(cp1251, { encoding: 'windows-1251' });
    expect(got.records[0]!.data).toEqual({ a: 'Шевченко', b: '1' });
    expect(got.summary.encoding).toBe('windows-1251');
    expect((await csv('a;b\nШевченко;1\n', { encoding: 'windows-1251' })).summary.encoding).toBe('utf-8');
  });

  test('a file with bytes that are not UTF-8 is reported as Windows-1252', async () => {
    const got = await csv(Buffer.concat([Buffer.from('a;b\n'), Buffer.from([0xe9]), Buffer.from(';1\n')]));
    expect(got.summary.encoding).toBe('windows-1252');
  });

  test('a compressed file cut inside a row: the rows before are kept, the cut one rejected (never a value cut short)', async () => {
    const text = `${H}${Array.from({ length: 3000 }, (_, k) => `A${k};1;objet ${k};987656000`).join('\n')}\n`;
    const gz = gzipSync(Buffer.from(text));
    const file = join(tempDir('csvcut-'), 'cut.csv.gz');
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const got = await collect(readInputs([file], { csv: {} }));
    expect(got.summary.error?.code).toBe('INGEST_GZIP');
    expect(got.rejects.map((r) => r.code)).toEqual(['INGEST_RECORD_TRUNCATED']);
    for (const r of got.records) expect(r.data['montant']).toBe('987656000');
    expect(got.summary.read).toBe(got.records.length + 1);
  });

  test('line numbers stay right after a row too large that holds line breaks in quotes', async () => {
    const got = await readBytes(`a,b,c\n1,"a\nb\nc",${'x'.repeat(80)}\n2,3,4\n`, { csv: {}, maxRecordBytes: 50 }, 16);
    expect(got.rejects.map((r) => [r.provenance.line, r.code])).toEqual([[2, 'INGEST_RECORD_TOO_LARGE']]);
    expect(got.records.map((r) => [r.data['a'], r.provenance.line])).toEqual([['2', 5]]);
  });

  test('columns named again come with the name they were given (a profile that reads or withholds it covers them)', async () => {
    const got = await csv('id;nom;nom;x\n1;a;b;c\n');
    expect(got.records[0]!.data).toEqual({ id: '1', nom: 'a', nom_2: 'b', x: 'c' });
    expect(got.records[0]!.aliases).toEqual({ nom_2: 'nom' });
  });

  test('a rejected row is quoted in its reject unless the profile keeps data out (csv.excerpts false)', async () => {
    expect((await csv('a;b\n1;2;3\n')).rejects[0]!.excerpt).toBe('1;2;3');
    expect((await csv('a;b\n1;2;3\n', { excerpts: false })).rejects[0]!.excerpt).toBeUndefined();
  });

  test('a rejected row of a Windows-1252 file is quoted as its text reads, not with replacement characters', async () => {
    // (an Excel "CSV (séparateur: point-virgule)" export: "Maître Hélène" in Windows-1252)
    const row = Buffer.from('1;Ma\xeetre H\xe9l\xe8ne DURAND;3\n', 'latin1');
    const got = await csv(Buffer.concat([Buffer.from('a;b\n'), row]));
    expect(got.rejects[0]!.excerpt).toBe('1;Maître Hélène DURAND;3');
    const forced = await readBytes(Buffer.concat([Buffer.from('a;b\n'), row]), { csv: {}, encoding: 'windows-1252' });
    expect(forced.rejects[0]!.excerpt).toBe('1;Maître Hélène DURAND;3');
    // a cut inside a UTF-8 character leaves it out, as before
    const long = `1;${'é'.repeat(300)};3\n`;
    expect((await csv(`a;b\n${long}`)).rejects[0]!.excerpt).toMatch(/^1;é+…$/);
  });
});

describe('grouped rows, as real files give them', () => {
  const H = 'contrat;acheteur;ligne;prix\n';
  test('keys compare without surrounding spaces; a row with any grouping column empty is a record alone', async () => {
    const got = await csv(`${H}M3;A;1;1\nM3 ;A;2;1\n;A;1;1\n;A;2;1\nM4;;1;1\nM4;;2;1\n`, { groupBy: ['acheteur', 'contrat'] });
    expect(got.records.map((r) => (r.data['lines'] as unknown[]).length)).toEqual([2, 1, 1, 1, 1]);
    expect(got.rejects).toEqual([]);
  });

  test('rows rejected between a group’s rows are said on the group: its lines may be incomplete', async () => {
    const got = await csv(`${H}M1;A;1;1\nM1;A;2\nM1;A;3;1\nM2;A;x\nM3;A;1;1\n`, { groupBy: ['contrat'] });
    expect(got.records.map((r) => [r.data['contrat'], r.issues.map((i) => i.code)])).toEqual([
      ['M1', ['INGEST_GROUP_ROWS_REJECTED']],
      ['M3', []],
    ]);
    expect(got.rejects.map((r) => r.provenance.line)).toEqual([3, 5]);
  });

  test('a group’s first line rejected is said on it, even when another rejected row comes between (a line break in an unquoted text)', async () => {
    // (found by a CSV probe) M2's first line, cut in two by an unquoted line break: its first part
    // short of fields (M2's key), its second part another short row (`jetables;…`, of no group);
    // M2 was published with one line of two, its total made of it, unsaid
    const got = await csv(`${H}M1;A;1;1\nM2;A;Surblouses\njetables;5\nM2;A;2;1\nM3;A;1;1\n`, { groupBy: ['acheteur', 'contrat'] });
    expect(got.records.map((r) => [r.data['contrat'], (r.data['lines'] as unknown[]).length, r.issues.map((i) => i.code)])).toEqual([
      ['M1', 1, []],
      ['M2', 1, ['INGEST_GROUP_ROWS_REJECTED']],
      ['M3', 1, []],
    ]);
    expect(got.rejects.map((r) => r.provenance.line)).toEqual([3, 4]);
    expect(got.summary.read).toBe(got.summary.accepted + got.summary.rejected);
    // rows rejected ahead of several groups, each its own key: each group that opens takes its own only
    const two = await csv(`${H}M1;A;1;1\nM2;A;x\nM3;A;y\nM3;A;2;1\nM4;A;1;1\n`, { groupBy: ['contrat'] });
    expect(two.records.map((r) => [r.data['contrat'], r.issues.map((i) => i.code)])).toEqual([
      ['M1', []],
      ['M3', ['INGEST_GROUP_ROWS_REJECTED']],
      ['M4', []],
    ]);
  });

  test('a rejected row without its key is the group’s whose values it repeats (title, date…), both neighbours’ only when it repeats as many of each', async () => {
    // (found by a CSV probe) the grouping columns last: a row short of fields has no key. M1's last
    // line, cut, flagged M2 too, whose total made of its lines was then lost; M3's first line, M1's
    // neighbour no more, flagged M2 as well. Lots alike (M4, M5: one title, one date) cannot be told apart
    const text = 'ligne;objet;date;prix;contrat;acheteur\n'
      + '1;Masques;2020-03-20;1;M1;A\n2;Masques;2020-03-20;1;M1;A\n3;Masques;2020-03-20\n'
      + '1;Gel;2020-03-27;2;M2;A\n2;Gel;2020-03-27;2;M2;A\n'
      + '1;Gants;2020-04-02\n2;Gants;2020-04-02;3;M3;A\n'
      + '1;Lot;2020-04-05;1;M4;A\n2;Lot;2020-04-05\n1;Lot;2020-04-05;1;M5;A\n'
      + '2;Lot;2020-04-05\n';
    const got = await csv(text, { groupBy: ['acheteur', 'contrat'] });
    expect(got.records.map((r) => [r.data['contrat'], r.issues.map((i) => i.code)])).toEqual([
      ['M1', ['INGEST_GROUP_ROWS_REJECTED']],
      ['M2', []],
      ['M3', ['INGEST_GROUP_ROWS_REJECTED']],
      ['M4', ['INGEST_GROUP_ROWS_REJECTED']],
      // (and the last row, short, at the end of the file: the last group's)
      ['M5', ['INGEST_GROUP_ROWS_REJECTED']],
    ]);
    expect(got.rejects.map((r) => r.provenance.line)).toEqual([4, 7, 10, 12]);
    expect(got.summary.read).toBe(got.summary.accepted + got.summary.rejected);
    // (found by a CSV probe) a note under the table (text in one cell, repeating nothing of the last
    // contract's) or a heading between contracts: rejected, but no line of theirs
    const notes = await csv(`ligne;objet;date;prix;contrat;acheteur\n1;Masques;2020-03-20;1;M1;A\nLot 2 : gants\n1;Gants;2020-03-27;2;M2;A\nExport généré le 01/04/2020 par ACHATPUBLIC\n`, { groupBy: ['acheteur', 'contrat'] });
    expect(notes.records.map((r) => [r.data['contrat'], r.issues.map((i) => i.code)])).toEqual([
      ['M1', []],
      ['M2', []],
    ]);
    expect(notes.rejects.map((r) => r.provenance.line)).toEqual([3, 5]);
    // (a row the splitter refuses, its plain fields before the quote: M1's by its title and date)
    const refused = await csv('ligne;objet;date;note;contrat;acheteur\n1;Masques;2020-03-20;x;M1;A\n2;Masques;2020-03-20;"a"b;M1;A\n1;Gel;2020-03-27;y;M2;A\n', { groupBy: ['acheteur', 'contrat'] });
    expect(refused.records.map((r) => [r.data['contrat'], r.issues.map((i) => i.code)])).toEqual([
      ['M1', ['INGEST_GROUP_ROWS_REJECTED']],
      ['M2', []],
    ]);
  });

  test('a row the splitter refuses, its quote in its second field, is no note: only its first field is known, the rest may be a line (found by a review)', async () => {
    // `3;"Blouses "FFP2"…`: the fields before the quote are its line number alone, which repeats
    // nothing of M1's first row nor of M2's; taken for a note under the table, it was no one's lost
    // line, and M1 was published with its total made of its two other lines, unsaid
    const text = 'ligne;designation;prix;objet;contrat;acheteur\n1;Masques;1;Achats;M1;A\n2;Gants;1;Achats;M1;A\n3;"Blouses "FFP2" x";5;Achats;M1;A\n1;Gel;2;Gel;M2;A\n';
    const got = await csv(text, { groupBy: ['acheteur', 'contrat'] });
    expect(got.records.map((r) => [r.data['contrat'], r.issues.map((i) => i.code)])).toEqual([
      ['M1', ['INGEST_GROUP_ROWS_REJECTED']],
      ['M2', ['INGEST_GROUP_ROWS_REJECTED']],
    ]);
    expect(got.rejects.map((r) => r.provenance.line)).toEqual([4]);
    expect(got.summary.read).toBe(got.summary.accepted + got.summary.rejected);
    // (a short row read whole, with one text that repeats nothing, is still a note: a line of neither)
    const note = await csv('ligne;designation;prix;objet;contrat;acheteur\n1;Masques;1;Achats;M1;A\nLot 2 : gants\n1;Gel;2;Gel;M2;A\n', { groupBy: ['acheteur', 'contrat'] });
    expect(note.records.map((r) => [r.data['contrat'], r.issues.map((i) => i.code)])).toEqual([
      ['M1', []],
      ['M2', []],
    ]);
  });

  test('a row the splitter refuses is its group’s when its key comes before the fault; else said on the groups on both sides', async () => {
    // `"1"x` and the unclosed quote come after the key: the row is M1's, M4's; a fault in the key
    // itself (`"M2"x`, `"bad"x`): the last line of the group before, or the first of the next?
    const got = await csv(`${H}"bad"x;A;0;1\nM1;A;1;1\nM1;A;2;"1"x\nM2;A;1;1\n"M2"x;A;2;1\nM3;A;1;1\nM5;A;1;1\nM4;A;1;1\nM4;A;2;"open\n`, { groupBy: ['contrat'] });
    expect(got.records.map((r) => [r.data['contrat'], r.issues.map((i) => i.code)])).toEqual([
      ['M1', ['INGEST_GROUP_ROWS_REJECTED']],
      ['M2', ['INGEST_GROUP_ROWS_REJECTED']],
      ['M3', ['INGEST_GROUP_ROWS_REJECTED']],
      ['M5', []],
      ['M4', ['INGEST_GROUP_ROWS_REJECTED']],
    ]);
    expect(got.rejects.map((r) => r.provenance.line)).toEqual([2, 4, 6, 10]);
    // (a refused row whose key is read is not its neighbours': M2 alone, not M1)
    const alone = await csv(`${H}M1;A;1;1\nM2;A;1;"1"x\nM2;A;2;1\n`, { groupBy: ['contrat'] });
    expect(alone.records.map((r) => [r.data['contrat'], r.issues.map((i) => i.code)])).toEqual([
      ['M1', []],
      ['M2', ['INGEST_GROUP_ROWS_REJECTED']],
    ]);
  });
});

describe('chunk boundaries', () => {
  const fixture = readFileSync(FIXTURE);
  const secop = gunzipSync(readFileSync(`${SHARED}partners/colombia-secop2/contratos_20260812.csv.gz`));
  const small = [1, 2, 3, 5, 7, 16, 100];
  const tight = (csvOptions: CsvOptions, maxRecordBytes: number): IngestOptions => ({ csv: csvOptions, maxRecordBytes });
  const rows = (n: number, cell: (k: number) => string): string => Array.from({ length: n }, (_, k) => `${k},${cell(k)},z`).join('\n');
  const cases: Array<[string, Buffer, IngestOptions, number[]]> = [
    ['quotes, CRLF, a bad row, multi-byte text', Buffer.from('a;b\r\n"x;""y""\r\nz";é€\r\n1;2;3\r\n"q"w;1\r\n"open;2\r\n4;5'), { csv: {} }, small],
    ['the emergency fixture, grouped', fixture, { csv: { groupBy: ['acheteur_siret', 'id_marche'], lines: 'lignes' } }, small],
    // the size limit is met at the same byte whatever the chunks: long rows, a quoted cell of many
    // lines over the limit, a stray quote, a lone-CR file
    ['rows and quoted cells over --max-record-bytes', Buffer.from(`a,b,c\n${rows(20, (k) => (k % 3 === 0 ? `"${'l\n'.repeat(k + 10)}"` : 'x'.repeat(k * 7)))}\n9,"open\n8,9,10\n`), tight({}, 60), [1, 3, 7, 16, 61, 100]],
    ['a stray quote and a lone-CR file', Buffer.from('a;b\r1;"x\r2;y"z\r3;4\r'), { csv: {} }, small],
    // titles above the header line (one with the empty cells of its row, one with the header's separator)
    ['titles above the header', Buffer.from('Achats urgence, mars 2020\r\n\r\nExport du 01/04/2020;;;\r\nid;acheteur;objet;montant\r\nA1;1;x;1\r\nA2;1;y;2\r\n'), { csv: {} }, small],
    // (rows of ~2 kB: one-byte chunks would copy each row thousands of times)
    ['SECOP II', secop, { csv: {} }, [7, 64, 1000, 4096]],
  ];
  describe.each(cases)('%s', (_name, bytes, options, sizes) => {
    test.each(sizes)('chunks of %i byte(s) give what the whole buffer gives', async (size) => {
      const whole = await readBytes(bytes, options);
      expect(whole.records.length).toBeGreaterThan(0);
      const got = await readBytes(bytes, options, size);
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

test('a byte order mark counts in the rows\' offsets, as in JSON: they are the file\'s', async () => {
  const body = 'a,b\n1,2\n3,"x\n';
  const plain = await csv(body);
  const marked = await csv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]));
  expect(plain.rejects).toHaveLength(1);
  expect(marked.rejects[0]!.provenance.offset).toBe(plain.rejects[0]!.provenance.offset! + 3);
  expect(marked.records[0]!.provenance.offset).toBe(plain.records[0]!.provenance.offset! + 3);
});

test('the last row short of fields and without its line break is a row cut short (INGEST_RECORD_TRUNCATED); with its line break, a misaligned row (found by a review)', async () => {
  for (const size of [undefined, 1, 3, 7]) {
    const cut = await csv('a;b;c\n1;2;3\n4;5', {}, size);
    expect(cut.rejects.map((r) => [r.code, r.provenance.line])).toEqual([['INGEST_RECORD_TRUNCATED', 3]]);
    expect(cut.rejects[0]!.reason).toMatch(/the file ends inside this row/);
    const whole = await csv('a;b;c\n1;2;3\n4;5\n', {}, size);
    expect(whole.rejects.map((r) => r.code)).toEqual(['INGEST_RECORD_SYNTAX']);
    // (a short row before the last one is misaligned, not cut)
    const inside = await csv('a;b;c\n4;5\n1;2;3', {}, size);
    expect(inside.rejects.map((r) => r.code)).toEqual(['INGEST_RECORD_SYNTAX']);
    expect(inside.records).toHaveLength(1);
  }
});

test('a stray quote that swallows whole rows up to an inch mark is that row\'s reject, the rows after it read, whatever the chunks (found by a probe: three rows lost in a title)', async () => {
  const text = 'id;cuit;organismo;objeto;procedimiento;monto\nA;30-1;Min;"Obj unclosed;Licitación Pública;100\nB;30-1;Min;Sillas;Licitación Pública;200\nC;30-1;Min;Mesas;Licitación Pública;300\nD;30-1;Min;Monitor 24";Licitación Pública;400\nE;30-1;Min;"Texto de\ndos líneas; con punto y coma";Licitación Pública;500\n';
  for (const size of [undefined, 1, 7, 64]) {
    const got = await csv(text, { delimiter: ';' }, size);
    expect([size, got.records.map((r) => [r.provenance.line, r.data['id'], r.data['objeto']])]).toEqual([
      size,
      [
        [3, 'B', 'Sillas'],
        [4, 'C', 'Mesas'],
        [5, 'D', 'Monitor 24"'],
        // (a text of two lines is one field: its second line is no row)
        [6, 'E', 'Texto de\ndos líneas; con punto y coma'],
      ],
    ]);
    expect(got.rejects.map((r) => [r.provenance.line, r.reason.replace(/ \(rows.*/, '')])).toEqual([[2, 'a quoted field opened on this line holds whole lines of 6 fields, as many as the header\'s, before it closes on a later line']]);
  }
  // a text of several lines with as many commas as the header has on one of its lines is a text (found by a review)
  const H8 = 'id_marche,acheteur_siret,acheteur_nom,objet,date_notification,designation,quantite,prix_unitaire_ht\n';
  for (const objet of ['Fourniture de bureau\nstylos, papier, encre, agrafes, colle, ciseaux, regles, gommes', 'Lots :\nLot 1, 21750001600019, papier, encre, 2024-01-05, colle, 3, 4\nfin']) {
    const text = `${H8}M1,21750001600019,Ville,"${objet}",2024-01-02,stylos,10,1\nM2,21750001600019,Ville,Chaises,2024-01-03,chaise,2,50\n`;
    const got = await csv(text, { delimiter: ',' });
    expect([got.records.map((r) => [r.data['id_marche'], r.data['objet']]), got.rejects]).toEqual([[['M1', objet], ['M2', 'Chaises']], []]);
  }
});
