/**
 * Every real sample in ../shared/decp/samples is read with the record counts its
 * README gives, and `detect` says the right format for each.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { expandInputs, onePerPath } from '../../src/ingest/source.js';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { readInputs } from '../../src/ingest/reader.js';
import { collect, readBytes, SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';

const SAMPLES = join(SHARED, 'decp/samples');

/** From samples/README.md: marchés, concessions, format, version. */
const EXPECTED: Record<string, { marche: number; concession: number; format: string; version: string }> = {
  '2019-json/pes-marche_via-decp-rama_2019-03-07.json': { marche: 552, concession: 0, format: 'decp-json', version: '2019' },
  '2019-json/aws-marches-publics-info_via-decp-rama_2019-03-07.json': { marche: 4499, concession: 10, format: 'decp-json', version: '2019' },
  '2019-json/marches-securises_ville-de-croix_2019-2021.json': { marche: 159, concession: 0, format: 'decp-json', version: '2019' },
  '2019-xml/grandlyon_metropole-de-lyon_1-record.xml': { marche: 1, concession: 0, format: 'decp-xml', version: '2019' },
  '2024-json/dematis-e-marchespublics_2024-07-daily-13.json': { marche: 137, concession: 0, format: 'decp-json', version: '2024' },
  '2024-json/dematis-e-marchespublics_2024-07-daily-16.json': { marche: 143, concession: 0, format: 'decp-json', version: '2024' },
  '2024-json/dematis-e-marchespublics_2024-07-daily-17.json': { marche: 158, concession: 1, format: 'decp-json', version: '2024' },
  '2024-json/dematis-e-marchespublics_2024-07-daily-18.json': { marche: 74, concession: 0, format: 'decp-json', version: '2024' },
  '2024-json/dematis-e-marchespublics_2024-07-daily-19.json': { marche: 87, concession: 0, format: 'decp-json', version: '2024' },
  '2024-json/dematis-e-marchespublics_2024-07-daily-20.json': { marche: 45, concession: 0, format: 'decp-json', version: '2024' },
  '2024-json/dematis-e-marchespublics_2024-07-early.json': { marche: 141, concession: 0, format: 'decp-json', version: '2024' },
};

function sampleFiles(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(SAMPLES)) {
    const p = join(SAMPLES, dir);
    if (statSync(p).isDirectory()) for (const f of readdirSync(p)) out.push(`${dir}/${f}`);
  }
  return out.sort();
}

describe('real DECP samples', () => {
  test('the expectation table covers every sample file', () => {
    expect(sampleFiles()).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(Object.entries(EXPECTED))('%s is read whole, with provenance', async (name, want) => {
    const path = join(SAMPLES, name);
    const { records, rejects, summary } = await collect(readInputs([path]));
    expect(rejects).toEqual([]);
    expect(summary.error).toBeUndefined();
    expect(summary.format).toBe(want.format);
    expect(summary.version).toBe(want.version);
    expect(summary.types).toEqual({ ...(want.marche ? { marche: want.marche } : {}), ...(want.concession ? { 'contrat-concession': want.concession } : {}) });
    expect(summary.read).toBe(want.marche + want.concession);
    expect(summary.read).toBe(summary.accepted + summary.rejected);
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    records.forEach((r, i) => {
      expect(r.provenance).toMatchObject({ file: path, sha256: sha, index: i });
      expect(r.provenance.line).toBeGreaterThanOrEqual(1);
    });
    // positions point at the record: the byte at `offset` opens it
    const bytes = readFileSync(path);
    for (const r of records.slice(0, 50)) {
      if (r.provenance.offset !== undefined) expect(String.fromCharCode(bytes[r.provenance.offset]!)).toBe('{');
    }
  });

  test('identifiers and codes stay strings; numbers are not rounded', async () => {
    const { records } = await collect(readInputs([join(SAMPLES, '2019-json/marches-securises_ville-de-croix_2019-2021.json')]));
    for (const r of records) {
      expect(typeof r.data['id']).toBe('string');
      expect(typeof (r.data['acheteur'] as { id: unknown }).id).toBe('string');
    }
    // the dirty file keeps its strings as strings ("30000.00", "36")
    expect(records.some((r) => typeof r.data['montant'] === 'string')).toBe(true);
  });

  test('2024 records keep their wrapped lists; 2019 records are flat', async () => {
    const a = await collect(readInputs([join(SAMPLES, '2024-json/dematis-e-marchespublics_2024-07-daily-13.json')]));
    const t = a.records[0]!.data['titulaires'] as Array<Record<string, unknown>>;
    expect(Object.keys(t[0]!)).toEqual(['titulaire']);
    const b = await collect(readInputs([join(SAMPLES, '2019-json/pes-marche_via-decp-rama_2019-03-07.json')]));
    expect(b.records[0]!.data['_type']).toBe('Marché');
  });

  test('the lone Grand Lyon XML record: first of a repeated element kept, the other in the flag; text trimmed', async () => {
    const { records } = await collect(readInputs([join(SAMPLES, '2019-xml/grandlyon_metropole-de-lyon_1-record.xml')]));
    const r = records[0]!;
    expect(r.data['datePublicationDonnees']).toBe('2019-01-17');
    // the value left out is in the flag, never lost
    expect(r.issues.filter((i) => i.code === 'INGEST_DUPLICATE_ELEMENT')).toEqual([expect.objectContaining({ pointer: '/datePublicationDonnees', raw: '2018-09-15' })]);
    expect(r.data['objet']).toMatch(/^Lot 2 : Prestations/);
    // (an xs:decimal of the XSD: the number it names, as the JSON twin gives it)
    expect(r.data['montant']).toBe(260000);
    expect(r.data['titulaires']).toEqual([{ id: '42058740400039', typeIdentifiant: 'SIRET', denominationSociale: 'IVANHOE' }]);
    expect(r.data['modifications']).toEqual([]);
    expect(r.provenance).toMatchObject({ line: 3, column: 1 });
  });

  test('the same XML with a namespace prefix on every element reads the same', async () => {
    const file = join(SAMPLES, '2019-xml/grandlyon_metropole-de-lyon_1-record.xml');
    const prefixed = readFileSync(file, 'utf8')
      .replace(/<(\/?)([A-Za-z])/g, '<$1d:$2')
      .replace(/<d:marches(?=[\s>])/, '<d:marches xmlns:d="urn:example:decp"');
    expect(prefixed).toMatch(/<d:marche>/);
    const dir = tempDir('decp-ocds-xmlns-');
    writeFileSync(join(dir, 'prefixed.xml'), prefixed);
    const plain = await collect(readInputs([file]));
    const withPrefix = await collect(readInputs([join(dir, 'prefixed.xml')]));
    expect(withPrefix.summary.error).toBeUndefined();
    expect(withPrefix.records.map((r) => [r.type, r.data])).toEqual(plain.records.map((r) => [r.type, r.data]));
  });

  test('a whole folder is read in path order, counting every record', async () => {
    let read = 0;
    const files: string[] = [];
    for await (const ev of readInputs([SAMPLES])) {
      if (ev.type === 'file-end') {
        files.push(ev.file.file);
        read += ev.summary.read;
      }
    }
    expect(files).toEqual([...files].sort());
    expect(files.some((f) => f.endsWith('README.md'))).toBe(false);
    expect(read).toBe(6007);
  });
});

test('a folder: symbolic links are followed (a cycle walked once), documentation by name is left out unless its content is data', async () => {
  const dir = tempDir('decp-ocds-walk-');
  const data = join(dir, 'data');
  mkdirSync(join(data, 'sub'), { recursive: true });
  const daily = join(SAMPLES, '2024-json/dematis-e-marchespublics_2024-07-daily-17.json');
  symlinkSync(daily, join(data, 'a-link.json')); // a link to a file
  symlinkSync(join(SAMPLES, '2019-xml'), join(data, 'b-linked-folder')); // a link to a folder
  symlinkSync(data, join(data, 'sub', 'cycle')); // a cycle
  writeFileSync(join(data, 'c-export.txt'), readFileSync(daily)); // data named like documentation
  writeFileSync(join(data, 'README.md'), '# Données\n');
  writeFileSync(join(data, 'index.html'), '<html><body>liste</body></html>');
  // XML data named like documentation (comments before the root), and a notice that only looks like
  // the start of it: `<!---->` forty times once took a pattern hours to refuse (the test's timeout would say so)
  writeFileSync(join(data, 'd-marches.txt'), `<?xml version="1.0"?>\n<!-- export -->\n<!-- v2 -->\n<marches>${readFileSync(join(SAMPLES, '2019-xml/grandlyon_metropole-de-lyon_1-record.xml'), 'utf8').replace(/^[\s\S]*?<marches[^>]*>/, '')}`);
  writeFileSync(join(data, 'notice.txt'), `${'<!---->'.repeat(40)}X`);
  // hidden entries (an editor's swap file, a version-control folder): left out, unread, and listed
  writeFileSync(join(data, '.a-link.json.swp'), readFileSync(daily));
  mkdirSync(join(data, 'sub', '.git'));
  writeFileSync(join(data, 'sub', '.git', 'feed.json'), readFileSync(daily));
  const { files, skipped, hidden, cleanup } = await expandInputs([data]);
  await cleanup();
  expect(files.map((f) => f.path.slice(data.length + 1))).toEqual(['a-link.json', ...readdirSync(join(SAMPLES, '2019-xml')).sort().map((f) => `b-linked-folder/${f}`), 'c-export.txt', 'd-marches.txt']);
  expect(skipped.map((f) => f.slice(data.length + 1))).toEqual(['README.md', 'index.html', 'notice.txt']);
  // (a hidden folder as itself, not its files)
  expect(hidden.map((f) => f.slice(data.length + 1))).toEqual(['.a-link.json.swp', 'sub/.git']);
});

// (found by a CSV probe) Excel's "Unicode Text" export is UTF-16, tab-separated, named `.txt`: its zero
// bytes hid its table, and a folder walk left it out as documentation (read when named, as every input)
test('a folder: a CSV export named .txt in UTF-16 (with or without its byte order mark) is data to a command that reads CSV; a UTF-16 notice is not', async () => {
  const data = tempDir('decp-ocds-utf16-');
  // (as Excel writes it: tabs, CR LF line ends)
  const table = readFileSync(new URL('../../fixtures/emergency/achats-urgence.csv', import.meta.url), 'utf8').replaceAll(';', '\t').replaceAll('\n', '\r\n');
  const le = Buffer.from(table, 'utf16le');
  const be = Buffer.from(le).swap16();
  writeFileSync(join(data, 'a-le.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), le]));
  writeFileSync(join(data, 'b-be.txt'), Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
  writeFileSync(join(data, 'c-le-no-mark.txt'), le);
  writeFileSync(join(data, 'd-notice.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Achats urgents, export du 1er avril.\r\nColonnes : voir la notice, page 2.\r\nContact : service achats.\r\n', 'utf16le')]));
  const { files, skipped, cleanup } = await expandInputs([data], undefined, { csv: true });
  await cleanup();
  expect(files.map((f) => f.path.slice(data.length + 1))).toEqual(['a-le.txt', 'b-be.txt', 'c-le-no-mark.txt']);
  expect(skipped.map((f) => f.slice(data.length + 1))).toEqual(['d-notice.txt']);
});

// found by a contract audit ("folders are walked, sorted by path"): each folder was listed sorted, its
// subfolders walked in place, so `a/x.json` came before `a-b.json` and `a.b.json` ('-' and '.' sort before '/')
test('a folder\'s files come sorted by their whole path (code point order, as LC_ALL=C sort), not folder by folder', async () => {
  const data = tempDir('decp-ocds-order-');
  const names = ['a/x.json', 'a-b.json', 'a.b.json', 'B/y.json', 'Z.json', 'a/b/c.json', 'a/b-c.json', 'é/1.json', 'e.json', '\u{1F600}.json', '\uFB01.json'];
  for (const n of names) {
    mkdirSync(join(data, dirname(n)), { recursive: true });
    writeFileSync(join(data, n), '{"marches":[]}');
  }
  const { files, cleanup } = await expandInputs([data]);
  await cleanup();
  const sorted = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  expect(files.map((f) => f.path.slice(data.length + 1))).toEqual(sorted);
  expect(sorted.slice(0, 6)).toEqual(['B/y.json', 'Z.json', 'a-b.json', 'a.b.json', 'a/b-c.json', 'a/b/c.json']);
});

test('a file reached twice by one path (named beside its folder, or with another spelling of its path) is one input (found by an operator\'s probe: a duplicate of itself, counted twice)', async () => {
  const data = tempDir('decp-ocds-twice-');
  writeFileSync(join(data, 'a.json'), '{"marches":[]}');
  writeFileSync(join(data, 'b.json'), '{"marches":[]}');
  const { files, cleanup } = await expandInputs([data, join(data, 'a.json'), `${data}/./b.json`, join(data, 'b.json')]);
  await cleanup();
  // (convert and compile read what they are named, twice when named twice; validate and the nightly job once)
  expect(files).toHaveLength(5);
  expect(onePerPath(files).map((f) => f.path.slice(data.length + 1))).toEqual(['a.json', 'b.json']);
});

describe('official examples (../shared/decp/schemas/*/examples)', () => {
  const base = join(SHARED, 'decp/schemas');
  /**
   * An XML example and its JSON twin have the same structure: every key path of
   * the JSON exists in the XML record (the official twins differ in some values
   * and in one extra modification upstream, so values are not compared).
   */
  const paths = (v: unknown, at = ''): string[] => {
    if (Array.isArray(v)) return [`${at}[]`, ...v.flatMap((x) => paths(x, `${at}[]`))];
    if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [`${at}/${k}`, ...paths(x, `${at}/${k}`)]);
    return [];
  };
  /** Values are text (codes keep their zeros), but where the XSD says a number (xs:decimal, xs:integer): a number, as in the JSON twin. */
  const NUMBERS = new Set(['montant', 'valeurGlobale', 'montantSubventionPublique', 'depensesInvestissement', 'tarif', 'dureeMois']);
  const strings = (v: unknown, key = ''): boolean =>
    Array.isArray(v) ? v.every((x) => strings(x)) : v !== null && typeof v === 'object' ? Object.entries(v).every(([k, x]) => strings(x, k)) : NUMBERS.has(key) ? typeof v === 'number' : typeof v === 'string';

  test.each(['mar-basique', 'mar-avec-modifications', 'cc-basique', 'cc-avec-modifications'])('2019 %s: XML reads as its JSON twin', async (name) => {
    const x = await collect(readInputs([join(base, `2019-v1.5.0/examples/xml/${name}.xml`)]));
    const j = await collect(readInputs([join(base, `2019-v1.5.0/examples/json/${name}.json`)]));
    expect(x.records).toHaveLength(1);
    expect(x.records[0]!.type).toBe(j.records[0]!.type);
    expect(x.records[0]!.version).toBe('2019');
    const { _type: _ignored, ...jsonData } = j.records[0]!.data;
    const xmlPaths = new Set(paths(x.records[0]!.data));
    const missing = paths(jsonData).filter((p) => !xmlPaths.has(p));
    expect(missing).toEqual([]);
    expect(strings(x.records[0]!.data)).toBe(true);
  });

  test('an XML file mixing 2019 and 2024 records: each record its own generation, whatever their order', async () => {
    const r2019 = '<marche><id>2019MAPA1701</id><acheteur><id>21750001600019</id><nom>Ville</nom></acheteur><objet>Travaux</objet><montant>1000</montant></marche>';
    const r2024 = '<marche><id>2024-00042</id><acheteur><id>21750001600019</id></acheteur><objet>Travaux</objet><montant>1000</montant><offresRecues>3</offresRecues></marche>';
    const vague = '<marche><id>2024-00043</id><acheteur><id>21750001600019</id></acheteur><objet>Travaux</objet><montant>1000</montant></marche>';
    const read = async (...records: string[]): Promise<string[]> => (await readBytes(`<?xml version="1.0"?><marches>${records.join('')}</marches>`)).records.map((x) => x.version as string);
    expect(await read(r2024, r2019, vague)).toEqual(['2024', '2019', '2024']);
    expect(await read(r2019, r2024, vague)).toEqual(['2019', '2024', '2024']);
    // a record of neither kind is of the file's generation so far (2019 by default)
    expect(await read(vague, r2019)).toEqual(['2019', '2019']);
  });

  test('2024 XML uses the wrapped lists of the 2024 JSON', async () => {
    const x = await collect(readInputs([join(base, '2024-v2.0.3/examples/xml/Marche.xml')]));
    const d = x.records[0]!.data;
    expect(x.records[0]!.version).toBe('2024');
    expect(d['titulaires']).toEqual([{ titulaire: { id: '55204599900869', typeIdentifiant: 'SIRET' } }]);
    expect(d['techniques']).toEqual({ technique: ['Concours', 'Accord-cadre'] });
    expect(d['considerationsSociales']).toEqual({ considerationSociale: ['Clause sociale', 'Critère social'] });
    const c = await collect(readInputs([join(base, '2024-v2.0.3/examples/xml/Contrat-concession.xml')]));
    const tarifs = ((c.records[0]!.data['donneesExecution'] as Array<{ donneesAnnuelles: { tarifs: unknown } }>)[0]!.donneesAnnuelles.tarifs);
    expect(tarifs).toEqual([{ tarif: { intituleTarif: 'Intitulé du tarif', tarif: 14.29 } }]);
  });

  test("2024 XML: the XSD's item name for subcontracting modifications is read as a list; a list holding text keeps its text", async () => {
    const xml = readFileSync(join(base, '2024-v2.0.3/examples/xml/Marche.xml'), 'utf8');
    const item = (k: number): string => `<modificationActesSousTraitance><id>${k}</id><dureeMois>2</dureeMois><dateNotificationModificationSousTraitance>2024-03-0${k}</dateNotificationModificationSousTraitance><montant>${k}00</montant><datePublicationDonnees>2024-03-0${k}</datePublicationDonnees></modificationActesSousTraitance>`;
    const withActs = xml.replace('<procedure>', `<modificationsActesSousTraitance>${item(1)}${item(2)}</modificationsActesSousTraitance><procedure>`);
    expect(withActs).not.toBe(xml);
    const r = await readBytes(withActs);
    const acts = r.records[0]!.data['modificationsActesSousTraitance'] as Array<Record<string, { id: number; montant: number }>>;
    // as the 2024 JSON spells them: every item, none dropped
    expect(acts.map((a) => [a['modificationActeSousTraitance']!.id, a['modificationActeSousTraitance']!.montant])).toEqual([[1, 100], [2, 200]]);
    expect(r.records[0]!.issues.filter((i) => i.code === 'INGEST_DUPLICATE_ELEMENT')).toEqual([]);
    // <typesPrix>Définitif ferme</typesPrix> (no item element: invalid) is its text, as the same value in JSON
    const texty = xml.replace(/<typesPrix>[\s\S]*?<\/typesPrix>/, '<typesPrix>Définitif ferme</typesPrix>');
    expect(texty).not.toBe(xml);
    expect((await readBytes(texty)).records[0]!.data['typesPrix']).toBe('Définitif ferme');
    // an empty list stays an empty list
    const empty = xml.replace(/<typesPrix>[\s\S]*?<\/typesPrix>/, '<typesPrix/>');
    expect((await readBytes(empty)).records[0]!.data['typesPrix']).toEqual({ typePrix: [] });
  });

  test('the interim 2024 package with duplicate "marche" keys yields every record', async () => {
    const r = await collect(readInputs([join(base, '2024-v2.0.1/examples-interim-20240114/json/paquet.json')]));
    expect(r.summary.types).toEqual({ marche: 3, 'contrat-concession': 2 });
    expect(r.summary.version).toBe('2024');
  });

  test('one contract exported alone under its name, `{"marche":{…}}`, reads as the listed one', async () => {
    const listed = await collect(readInputs([join(base, '2024-v2.0.3/examples/json/marches_avec_modifications.json')]));
    const first = listed.records[0]!;
    for (const text of [JSON.stringify({ marche: first.data }), `${JSON.stringify({ marche: first.data })}\n${JSON.stringify({ marche: first.data })}\n`]) {
      const r = await readBytes(text, {}, 97);
      expect(r.rejects).toEqual([]);
      expect(r.records.length).toBeGreaterThan(0);
      for (const rec of r.records) expect(rec).toMatchObject({ type: 'marche', version: '2024', data: first.data });
      expect(r.summary.version).toBe('2024');
    }
    const c = await readBytes(JSON.stringify({ 'contrat-concession': { id: 'C1', valeurGlobale: 10 } }));
    expect(c.records.map((x) => [x.type, x.data])).toEqual([['contrat-concession', { id: 'C1', valeurGlobale: 10 }]]);
    // a 2019 record takes this form too (xml2json of a lone 2019 <marche>): its generation is its fields'
    const m2019 = (await collect(readInputs([join(base, '2019-v1.5.0/examples/json/mar-avec-modifications.json')]))).records[0]!;
    for (const key of ['marche', 'Marché']) {
      const r = await readBytes(JSON.stringify({ [key]: m2019.data }));
      expect(r.records.map((x) => [x.type, x.version])).toEqual([['marche', '2019']]);
      expect(r.records[0]!.data).toEqual(m2019.data);
    }
    // nor is its generation the container's: 2019 records under {"marches":{"marche":[…]}} (a 2019 XML
    // file turned into JSON) are 2019 records, ocids by the 2019 rule; a 2024 record beside them stays 2024
    const mixed = await readBytes(JSON.stringify({ marches: { marche: [m2019.data, first.data] } }));
    expect(mixed.records.map((x) => x.version)).toEqual(['2019', '2024']);
    // a root object with other fields beside it is not one of these
    const other = await readBytes(JSON.stringify({ marche: { id: 'M1', montant: 1 }, note: 'x' }));
    expect(other.records[0]!.data).toEqual({ marche: { id: 'M1', montant: 1 }, note: 'x' });
  });

  test('the 2023 interim flat shape is told apart from 2019', async () => {
    const r = await collect(readInputs([join(base, '2024-v2.0.0/examples/json/paquet.json')]));
    expect(r.summary).toMatchObject({ format: 'decp-json', version: '2023-interim', read: 2 });
  });
});

test('a stream whose spooling fails leaves no spool behind (found by a probe: a full temporary folder kept each night\'s spool and stayed full)', async () => {
  const tmp = tempDir('decp-ocds-spool-');
  const was = process.env['TMPDIR'];
  process.env['TMPDIR'] = tmp;
  try {
    const failing = (code: string): Readable =>
      new Readable({
        read(): void {
          this.push(Buffer.from('{"marches":['));
          this.destroy(Object.assign(new Error(`${code}: failed`), { code }));
        },
      });
    await expect(expandInputs(['-'], failing('ECONNRESET'))).rejects.toMatchObject({ code: 'INGEST_UNREADABLE' });
    expect(readdirSync(tmp)).toEqual([]);
    // (an error of reading the stream is the input's, whatever its errno: not the temporary folder's — found by a review)
    await expect(expandInputs(['-'], failing('EACCES'))).rejects.toMatchObject({ code: 'INGEST_UNREADABLE', message: expect.stringMatching(/^stdin cannot be read \(EACCES\)/) });
    expect(readdirSync(tmp)).toEqual([]);
  } finally {
    if (was === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = was;
  }
});
