/**
 * Markup characters an export did not escape, inside XML text:
 * - a "<" that opens no tag (`Tubes <PVC 20" x 3m`): the splitter took it for a tag, read its `"` as
 *   an attribute's opening quote, and every record up to the next quote's pair was lost without a
 *   reject (6 records read as 2); now the record is read, the "<" as the character, flagged;
 * - HTML markup within a text (`voirie<br/>Lot 1`, `<b>Eclairage</b> public`): the text around the
 *   tags was lost; now the text is read without the tags, flagged;
 * - text beside the elements of a data element (`<acheteur>Ville<id>…`): the elements are read, and
 *   the text, left out, is in the flag (it was lost without a word).
 */
import { readBytes } from '../helpers/ingest.js';

const marche = (id: string, objet: string): string => `<marche><id>${id}</id><acheteur><id>21590163800019</id></acheteur><objet>${objet}</objet><montant>10</montant></marche>\n`;
const doc = (...records: string[]): string => `<?xml version="1.0" encoding="UTF-8"?>\n<marches>\n${records.join('')}</marches>\n`;

describe('a "<" that opens no tag', () => {
  const cases: Array<[string, string]> = [
    ['a quote after no "="', 'Tubes <PVC 20" x 3m'],
    ['an apostrophe after no "="', "Remplacement <PVC l'atelier"],
    ['another "<" before its ">"', 'Lot <A et B<'],
    ['no name after it', 'prix < 50 €'],
  ];
  test.each(cases)('%s: the record is read with it as a character, and no other record is lost', async (_, objet) => {
    const xml = doc(marche('1', 'Voirie'), marche('2', objet), marche('3', 'Salle "Jean Moulin"'), marche('4', "L'atelier"), marche('5', 'Toiture'));
    for (const size of [undefined, 1, 7, 64]) {
      const r = await readBytes(xml, {}, size);
      expect(r.rejects).toEqual([]);
      expect(r.records.map((x) => x.data['id'])).toEqual(['1', '2', '3', '4', '5']);
      expect(r.records[1]!.data['objet']).toBe(objet.trim());
      expect(r.records[1]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_XML_REPAIRED', message: expect.stringMatching(/^\d "<" that open no tag/) })]);
      expect(r.records.filter((_, k) => k !== 1).every((x) => x.issues.length === 0)).toBe(true);
      expect(r.summary.read).toBe(5);
    }
  });

  test('a record whose "<" is read as a character still rejects for another fault, alone; well-formed records are untouched', async () => {
    const r = await readBytes(doc(marche('1', 'prix < 50'), '<marche><id>2</id><objet>a < b</objet><x></y></marche>\n', marche('3', '<![CDATA[a < b]]> et <!-- < --> c')));
    expect(r.records.map((x) => x.data['id'])).toEqual(['1', '3']);
    expect(r.rejects).toEqual([expect.objectContaining({ provenance: expect.objectContaining({ index: 1, line: 4 }), code: 'INGEST_RECORD_SYNTAX', reason: expect.stringMatching(/^invalid XML in <marche> \(line 4\): unexpected close tag/) })]);
    expect(r.records[1]!.data['objet']).toBe('a < b et  c');
    expect(r.records[1]!.issues).toEqual([]);
  });

  test('a "<" inside a quoted attribute value of an element inside a record is the value\'s: the tag ends at its ">" (`<?` or `<!--` there opens nothing)', async () => {
    for (const value of ['a<?b', 'a<!--b', 'a<b']) {
      for (const size of [undefined, 1, 7]) {
        const r = await readBytes(doc(marche('1', 'A'), `<marche><id>2</id><titulaires><titulaire note="${value}"><id>1</id></titulaire></titulaires></marche>\n`, marche('3', 'C'), marche('4', 'D')), {}, size);
        expect(r.records.map((x) => x.data['id'])).toEqual(['1', '3', '4']);
        expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ index: 1 }) })]);
      }
    }
  });
});

describe('markup within a text', () => {
  test('HTML tags within a text: its text is read without them, flagged at its pointer', async () => {
    const r = await readBytes(
      doc(
        marche('1', 'Travaux de voirie<br/>Lot 1'),
        marche('2', '<b>Eclairage</b> public'),
        '<marche><id>3</id><objet>Parc</objet><titulaires><titulaire><id>1</id><denominationSociale>SARL <i>Dupont</i> &amp; <span><b>Fils</b></span></denominationSociale></titulaire></titulaires></marche>\n',
      ),
    );
    expect(r.rejects).toEqual([]);
    expect(r.records.map((x) => x.data['objet'])).toEqual(['Travaux de voirie Lot 1', 'Eclairage public', 'Parc']);
    // (the blanks between two elements before any text are a space: words, not glued)
    const glued = await readBytes(doc(marche('4', '<b>Travaux</b> <i>voirie</i> lot 1')));
    expect(glued.records[0]!.data['objet']).toBe('Travaux voirie lot 1');
    expect((r.records[2]!.data['titulaires'] as Array<Record<string, unknown>>)[0]!['denominationSociale']).toBe('SARL Dupont & Fils');
    expect(r.records[0]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_XML_REPAIRED', pointer: '/objet', message: expect.stringContaining('(<br>)') })]);
    expect(r.records[2]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_XML_REPAIRED', pointer: '/titulaires/0/denominationSociale', message: expect.stringContaining('(<i>, <span>, <b>)') })]);
  });

  test('text beside the elements of a data element: the elements are read, the text is kept in the flag', async () => {
    const r = await readBytes(doc('<marche><id>1</id><acheteur>Ville de Croix<id>21590163800019</id></acheteur><objet>A</objet></marche>\n'));
    expect(r.records[0]!.data['acheteur']).toEqual({ id: '21590163800019' });
    expect(r.records[0]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_XML_TEXT_DROPPED', pointer: '/acheteur', raw: 'Ville de Croix' })]);
  });

  test('white space between elements is no text: nothing is said', async () => {
    const r = await readBytes(doc('<marche>\n  <id>1</id>\n  <acheteur>\n    <id>2</id>\n  </acheteur>\n  <objet>A</objet>\n</marche>\n'));
    expect(r.records[0]!.issues).toEqual([]);
    expect(r.records[0]!.data['acheteur']).toEqual({ id: '2' });
  });
});

describe('a record whose own tag is malformed (found by a review of the rule above)', () => {
  test('a "<" or a stray quote in a record element\'s attribute: the record is still one record, rejected by its parse; the others read, whatever the chunks', async () => {
    for (const bad of ['<marche ref="lot<img src=\'a.png\'>2"><id>2</id><acheteur><id>1</id></acheteur><objet>B</objet></marche>', '<marche objet="prix<50"><id>2</id><acheteur><id>1</id></acheteur></marche>', '<marche id="2" objet="prix<50" montant="1000"/>']) {
      for (const size of [undefined, 1, 7, 64]) {
        const r = await readBytes(doc(marche('1', 'A'), `${bad}\n`, marche('3', 'C')), {}, size);
        expect(r.records.map((x) => x.data['id'])).toEqual(['1', '3']);
        expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ index: 1, line: 4 }) })]);
        expect(r.summary.issues).toEqual([]);
      }
    }
    // records of another name under <marches> (read as records): the ones after the bad one are untouched
    const other = (id: string, attr = ''): string => `<marchePublic${attr}><id>${id}</id><acheteur><id>1</id></acheteur></marchePublic>\n`;
    for (const attr of [' ref="lot "A""', ' note="a<b"', ' a<b']) {
      const r = await readBytes(doc(other('1'), other('2', attr), other('3'), other('4')));
      expect(r.records.map((x) => x.data['id'])).toEqual(['1', '3', '4']);
      expect(r.rejects).toHaveLength(1);
    }
    // … and inside one, a child's malformed tag is read as its closing tag is (the record's depth counts both)
    for (const child of ['<titulaire note="a<b">', '<titulaire "x">']) {
      const r = await readBytes(doc(other('1'), `<marchePublic><id>2</id><titulaires>${child}<id>1</id></titulaire></titulaires></marchePublic>\n`, other('3'), other('4')));
      expect(r.records.map((x) => x.data['id'])).toEqual(['1', '3', '4']);
      expect(r.rejects).toHaveLength(1);
    }
  });

  test('"<" between records that open no element: said one by one up to 20, then counted once', async () => {
    const r = await readBytes(doc(marche('1', 'A'), 'a < b '.repeat(50), '\n', marche('2', 'B')));
    expect(r.records.map((x) => x.data['id'])).toEqual(['1', '2']);
    expect(r.summary.issues).toHaveLength(21);
    expect(r.summary.issues[20]!.message).toBe('30 more "<" that open no element, or closing tags that close none, between records: skipped');
  });

  test('an element named like HTML markup that is a DECP element (<code>) beside text is data, not text', async () => {
    const r = await readBytes(doc('<marche><id>1</id><lieuExecution>Croix<code>59170</code><typeCode>Code postal</typeCode></lieuExecution></marche>\n'));
    expect(r.records[0]!.data['lieuExecution']).toEqual({ code: '59170', typeCode: 'Code postal' });
    expect(r.records[0]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_XML_TEXT_DROPPED', raw: 'Croix' })]);
  });
});
