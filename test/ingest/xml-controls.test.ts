/**
 * Control characters that XML 1.0 forbids (U+0001, a vertical tab pasted into a title: an export's
 * fault that DECP consolidations strip) rejected the whole record: each is a space (none beside a
 * space), the record is read, and said (INGEST_XML_REPAIRED).
 */
import { readBytes } from '../helpers/ingest.js';

test('a record with control characters XML does not allow is read without them, flagged; a well-formed one is untouched', async () => {
  const r = await readBytes('<marches><marche><id>1</id><objet>Entretien \u0001des espaces\u000b verts</objet><montant>10</montant></marche><marche><id>2</id><objet>A\tB</objet></marche></marches>');
  expect(r.records.map((x) => x.data['objet'])).toEqual(['Entretien des espaces verts', 'A\tB']);
  expect(r.records[0]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_XML_REPAIRED', message: expect.stringMatching(/^2 control character/) })]);
  expect(r.records[1]!.issues).toEqual([]);
  // one between two words separates them (found by a probe: taken out, `TRAVAUX\vISOLATION` was one word)
  const joined = await readBytes('<marches><marche><id>1</id><objet>TRAVAUX\u000bISOLATION &amp; LOT\u00011 \u000b\u000bA\u000b\u000bB</objet></marche></marches>');
  expect(joined.records.map((x) => x.data['objet'])).toEqual(['TRAVAUX ISOLATION & LOT 1 A B']);
  // another fault beside them is still the record's reject
  const bad = await readBytes('<marches><marche><id>3</id><objet>\u0001</objet><a></b></marche></marches>');
  expect(bad.records).toEqual([]);
});

test('after the root closed: a record is read and said, text is said (found by a probe: both unsaid); padding is not text', async () => {
  const rec = (id: string): string => `<marche><id>${id}</id><objet>x</objet></marche>`;
  const r = await readBytes(`<marches>${rec('1')}</marches>\ntrailing junk ${rec('2')}\n`);
  expect(r.records.map((x) => x.data['id'])).toEqual(['1', '2']);
  expect(r.summary.issues?.map((i) => [i.code, i.message])).toEqual([
    ['INGEST_FILE_SYNTAX', '1 record(s) after the root </marches> closed, the first at line 2: read, though outside the document'],
    ['INGEST_FILE_SYNTAX', 'text after the root </marches> closed, at line 2: not XML, not read'],
  ]);
  const padded = await readBytes(Buffer.concat([Buffer.from(`<marches>${rec('1')}</marches>\n`), Buffer.alloc(64), Buffer.from('\u001a')]));
  expect(padded.records).toHaveLength(1);
  expect(padded.summary.issues ?? []).toEqual([]);
});

test('two XML documents concatenated, the second with its byte order mark (`cat a.xml b.xml`): both read, the mark is no text after the root (found by a probe: "not XML, not read" of a document that was read)', async () => {
  const doc = (id: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<marches><marche><id>${id}</id><objet>x</objet></marche></marches>\n`;
  const bytes = Buffer.concat([Buffer.from(`\ufeff${doc('1')}`), Buffer.from(`\ufeff${doc('2')}`)]);
  for (const size of [undefined, 1, 2, 3, 7]) {
    const r = await readBytes(bytes, {}, size);
    expect(r.records.map((x) => x.data['id'])).toEqual(['1', '2']);
    expect((r.summary.issues ?? []).filter((i) => i.message.startsWith('text after the root'))).toEqual([]);
  }
  // (text that is more than a mark is still said)
  const junk = await readBytes(`<marches><marche><id>1</id></marche></marches>\ufeffjunk`);
  expect(junk.summary.issues?.map((i) => i.message)).toEqual(['text after the root </marches> closed, at line 1: not XML, not read']);
});

test('character references to characters XML does not allow are read as what they were meant for, flagged (found by a probe: the whole record rejected, INGEST_XML_ENTITY)', async () => {
  const objet = (text: string): string => `<marches><marche><id>1</id><objet>${text}</objet><montant>10</montant></marche><marche><id>2</id><objet>&#233;t&#xE9; &#x1F600;</objet></marche></marches>`;
  const cases: Array<[string, string, number]> = [
    // a control a serialiser escaped: a space, none beside a space, a run one gap
    ['TRAVAUX&#11;ISOLATION', 'TRAVAUX ISOLATION', 1],
    ['LOT&#x1;&#x0B;1 &#0;A', 'LOT 1 A', 3],
    // an emoji written as its UTF-16 surrogate pair's halves (Java serialisers): the character
    ['Caf&#xE9; &#xD83D;&#xDE00;', 'Café \u{1F600}', 2],
    ['&#55357;&#56832;', '\u{1F600}', 2],
    // a half alone, a code point past Unicode, a noncharacter XML forbids
    ['A&#xD800;B&#99999999;C&#xFFFE;D', 'A\uFFFDB\uFFFDC D', 3],
  ];
  for (const [given, read, count] of cases) {
    const r = await readBytes(objet(given));
    expect(r.rejects).toEqual([]);
    expect(r.records.map((x) => x.data['objet'])).toEqual([read, 'été \u{1F600}']);
    expect(r.records[0]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_XML_REPAIRED', severity: 'warning', message: expect.stringMatching(new RegExp(`^${count} character reference`)) })]);
    // (a record whose references XML allows is untouched)
    expect(r.records[1]!.issues).toEqual([]);
  }
  // in a CDATA section a reference is text, left as written; another fault still rejects the record
  const cdata = await readBytes(objet('&#11;<![CDATA[&#11;]]>'));
  expect(cdata.records[0]!.data['objet']).toBe('&#11;');
  const bad = await readBytes('<marches><marche><id>3</id><objet>&#1;</objet><a></b></marche></marches>');
  expect(bad.records).toEqual([]);
  expect(bad.rejects).toHaveLength(1);
});
