/**
 * Damage in an XML file costs the record it is in, never the records after it, whatever the chunks:
 * - a record element whose opening tag is misspelt (`<marhce>…</marche>`) was an element of another
 *   name, left open by its closing tag, then taken for a wrapper of the next record: lost without a
 *   word (4 records read as 3); a record closed by another record name's tag (`<Marche>…</marche>`)
 *   waited for its own and was rejected as cut short at the input's end;
 * - a record never closed whose root closes inside it was said cut short, the file too;
 * - a DOCTYPE whose internal subset holds "]" or ">" in a quoted value or a comment ended at them:
 *   the rest of the subset was read as the document (an entity's value `<marche>…` made the root
 *   `<id>`: the file refused); `<!x` between records took the next record's start tag with it;
 * - a quote in a tag never closed (`<objet a=">`, `<a href="x>` between records) ran on to the next
 *   quote, or to the input's end, and every record in between was lost;
 * - a closing tag between records (`</objet>`, a damaged record's tail) closed the root: the records
 *   after it were said outside the document; an element opened between records and never closed
 *   (`<br>`) left the root open at its closing tag: the file was said cut short (which `run` takes
 *   for a failed download).
 */
import { readBytes } from '../helpers/ingest.js';

const marche = (id: string, objet = 'Voirie'): string => `  <marche>\n    <id>${id}</id>\n    <acheteur><id>21590163800019</id></acheteur>\n    <objet>${objet}</objet>\n    <montant>10</montant>\n  </marche>\n`;
const doc = (...records: string[]): string => `<?xml version="1.0" encoding="UTF-8"?>\n<marches>\n${records.join('')}</marches>\n`;
const SIZES = [undefined, 1, 2, 3, 5, 7, 11, 16, 64];

/** Read in every chunk size: the same records, rejects and summary each time; the whole read. */
async function readAll(xml: string): Promise<Awaited<ReturnType<typeof readBytes>>> {
  const whole = await readBytes(xml);
  for (const size of SIZES.slice(1)) {
    const got = await readBytes(xml, {}, size);
    expect([got.records, got.rejects, got.summary]).toEqual([whole.records, whole.rejects, whole.summary]);
  }
  return whole;
}

const ids = (r: Awaited<ReturnType<typeof readBytes>>): unknown[] => r.records.map((x) => x.data['id']);

describe('a record element named otherwise at one end', () => {
  test.each([0, 1, 3])('<marhce>…</marche> as record %i of 4: it alone is rejected, read and counted', async (k) => {
    const records = ['1', '2', '3', '4'].map((id) => marche(id));
    records[k] = records[k]!.replace('<marche>', '<marhce>');
    const r = await readAll(doc(...records));
    expect(ids(r)).toEqual(['1', '2', '3', '4'].filter((_, i) => i !== k));
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ index: k, line: 3 + 6 * k }), reason: expect.stringMatching(/^invalid XML in <marhce> \(line \d+\): unexpected close tag/) })]);
    expect([r.summary.read, r.summary.rejected, r.summary.error]).toEqual([4, 1, undefined]);
  });

  test.each([
    ['<Marche>…</marche>', (m: string): string => m.replace('<marche>', '<Marche>')],
    ['<marche>…</contrat-concession>', (m: string): string => m.replace('</marche>', '</contrat-concession>')],
  ])('%s, last: rejected at its closing tag by its parse, not as cut short; the file is whole', async (_, damage) => {
    const r = await readAll(doc(marche('1'), marche('2'), damage(marche('3'))));
    expect(ids(r)).toEqual(['1', '2']);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ index: 2, line: 15 }), reason: expect.stringMatching(/^invalid XML in <(M|m)arche> \(line 20\): unexpected close tag/) })]);
    expect(r.summary.error).toBeUndefined();
  });

  test('a last record whose closing tag is misspelt: the root closes inside it, which is said; the file is not cut short', async () => {
    const r = await readAll(doc(marche('1'), marche('2').replace('</marche>', '</marhce>')));
    expect(ids(r)).toEqual(['1']);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ index: 1, line: 9 }), reason: '<marche> opened at line 9 is never closed: the root </marches> closes at line 15 inside it' })]);
    expect(r.summary.error).toBeUndefined();
    // (a record cut short by the input's end is still that)
    const cut = await readAll(doc(marche('1'), marche('2')).slice(0, -30));
    expect(cut.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_TRUNCATED', reason: expect.stringMatching(/^the input ends inside <marche> opened at line 9/) })]);
    expect(cut.summary.error).toEqual(expect.objectContaining({ code: 'INGEST_SYNTAX' }));
  });
});

describe('an element left open between records', () => {
  test.each([['<br>'], ['<div>junk'], ['<p><b>x']])('%s: the records around it read; the root closing by its name, the document is whole (said), not cut short', async (junk) => {
    const r = await readAll(doc(marche('1'), `${junk}\n`, marche('2'), marche('3')));
    expect([ids(r), r.rejects, r.summary.error]).toEqual([['1', '2', '3'], [], undefined]);
    const name = /^<(\w+)/.exec(junk)![1]!;
    expect(r.summary.issues).toEqual([expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', line: 22, message: `the root </marches> at line 22 closes with element(s) inside it never closed (<${name}> at line 9): the document is read as whole` })]);
    // (cut short after it, the document is still said so)
    const cut = await readAll(doc(marche('1'), `${junk}\n`, marche('2')).replace('</marches>\n', ''));
    expect(cut.summary.error).toEqual(expect.objectContaining({ code: 'INGEST_SYNTAX', message: 'the document ends before its root <marches> closes: the file is cut short' }));
  });
});

describe('declarations', () => {
  test('a DOCTYPE whose internal subset holds "]" and ">" in quoted values and comments, and markup in an entity: passed over whole', async () => {
    const subset = '<!DOCTYPE marches [\n  <!ENTITY a "]">\n  <!ENTITY b \'x > y\'>\n  <!-- ] > <marche> -->\n  <?pi ] > ?>\n  <!ENTITY c "<marche><id>q</id></marche>">\n]>\n';
    const r = await readAll(doc(marche('1'), marche('2')).replace('<marches>', `${subset}<marches>`));
    expect(ids(r)).toEqual(['1', '2']);
    expect(r.records.map((x) => x.provenance.line)).toEqual([10, 16]);
    expect([r.rejects, r.summary.error]).toEqual([[], undefined]);
    expect(r.summary.issues).toEqual([expect.objectContaining({ code: 'INGEST_XML_DOCTYPE_IGNORED', line: 2 })]);
    // (its external id quoted, holding ">")
    const external = await readAll(doc(marche('1')).replace('<marches>', '<!DOCTYPE marches SYSTEM "a>b.dtd">\n<marches>'));
    expect([ids(external), external.rejects]).toEqual([['1'], []]);
  });

  test('"<!" that starts no comment, CDATA section or declaration, between records: a stray "<", the next record kept', async () => {
    for (const junk of ['<!x', '<!-x', '<!']) {
      const r = await readAll(doc(marche('1'), junk, marche('2'), marche('3')));
      expect([ids(r), r.rejects]).toEqual([['1', '2', '3'], []]);
      expect(r.summary.issues).toEqual([expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', line: 9, message: expect.stringMatching(/^a "<" at line 9, column 1 opens no element/) })]);
    }
  });
});

describe('a quote in a tag never closed', () => {
  test.each([
    ['an attribute value, no quote after it', '<objet a=">', 'Voirie'],
    ['an apostrophe, none after it', "<objet a='>", 'Voirie'],
    ['an attribute value closed in a later record', '<objet a="x>', 'Salle "Jean Moulin"'],
  ])('%s, inside a record: that record alone is rejected', async (_, tag, objet) => {
    for (const k of [0, 1, 2]) {
      const records = ['1', '2', '3'].map((id) => marche(id, objet));
      records[k] = records[k]!.replace('<objet>', tag);
      const r = await readAll(doc(...records));
      expect(ids(r)).toEqual(['1', '2', '3'].filter((_, i) => i !== k));
      expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ index: k, line: 3 + 6 * k }) })]);
    }
  });

  test.each([['<a href="x>'], ['<PVC 20" x 3m'], ["<img alt='l>"]])('%s between records: a stray "<", every record read', async (junk) => {
    const r = await readAll(doc(marche('1'), `${junk}\n`, marche('2', 'A "B" C'), marche('3')));
    expect([ids(r), r.rejects]).toEqual([['1', '2', '3'], []]);
    expect(r.summary.issues).toEqual([expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', line: 9 })]);
  });

  test("a record's own start tag with a quote never closed: the record opens there all the same, one reject", async () => {
    const r = await readAll(doc(marche('1'), marche('2').replace('<marche>', '<marche note="x>'), marche('3'), marche('4')));
    expect(ids(r)).toEqual(['1', '3', '4']);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ index: 1, line: 9 }) })]);
    expect(r.summary.issues).toEqual([]);
  });

  test.each([['a<b'], ['</marche>'], ['a</contrat-concession>']])('a "<" in a quoted value that starts no closing tag, or a record\'s, is the value\'s, as before (%s: the record one reject)', async (value) => {
    const r = await readAll(doc(marche('1'), marche('2').replace('<objet>', `<objet note="${value}">`), marche('3')));
    expect(ids(r)).toEqual(['1', '3']);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ index: 1 }) })]);
  });

  test.each([
    ['the root', '<marches note="<b>Lyon</b> x">', '</marches>'],
    ['the root, its quote never closed', '<marches note="x>', '</marches>'],
    ['an envelope', '<reponse msg="ok</b>">\n<marches>', '</marches></reponse>'],
  ])('%s: a start tag before the DECP root whose quoted value holds a closing tag ends at its first ">", every record read (found by a review: the root lost, no record read, no reject)', async (_, open, close) => {
    const r = await readAll(`<?xml version="1.0" encoding="UTF-8"?>\n${open}\n${marche('1')}${marche('2')}${close}\n`);
    expect([ids(r), r.rejects, r.summary.error]).toEqual([['1', '2'], [], undefined]);
  });

  test.each(['<!doctype marches>', '<!Doctype marches>'])('%s, lower-case as HTML5 writes it, is a DOCTYPE still, said so, not a stray "<" (found by a review)', async (doctype) => {
    const r = await readAll(`<?xml version="1.0" encoding="UTF-8"?>\n${doctype}\n<marches>\n${marche('1')}</marches>\n`);
    expect([ids(r), r.rejects]).toEqual([['1'], []]);
    expect(r.summary.issues.map((i) => i.code)).toEqual(['INGEST_XML_DOCTYPE_IGNORED']);
  });

  test('a DOCTYPE inside a record costs that record alone, not the records up to a later "]>" (found by a review: 2 records of 4 lost, no reject)', async () => {
    const r = await readAll(doc(marche('1', 'a <!DOCTYPE x [ b'), marche('2', "l'un"), marche('3', "d'un ]>"), marche('4')));
    expect(ids(r)).toEqual(['2', '3', '4']);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ index: 0, line: 3 }) })]);
    expect([r.summary.read, r.summary.rejected]).toEqual([4, 1]);
  });

  test("a closing tag between records that is not the root's closes nothing: said, the records after it inside the document", async () => {
    for (const junk of ['</objet>', '</marche>', '</foo>']) {
      const r = await readAll(doc(marche('1'), `${junk}\n`, marche('2')));
      expect([ids(r), r.rejects, r.summary.error]).toEqual([['1', '2'], [], undefined]);
      expect(r.summary.issues.map((i) => i.message)).toEqual([`a closing tag ${junk} at line 9, column 1 closes no element open between records: skipped`]);
    }
  });
});
