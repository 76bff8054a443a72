/**
 * A record under an ISO-8859-1 / Windows-1252 declaration is read as UTF-8 only when its bytes say
 * UTF-8 beyond chance: Latin-1 text makes two-byte UTF-8 sequences by chance ("CAFÉ" then the
 * no-break space French puts before a colon, C9 A0, is valid UTF-8: "ɠ"), and a valid XML file, as
 * declared, was published as "CAFɠ: travaux" (found by an XML/JSON differential fuzz).
 */
import { isUtf8BeyondChance } from '../../src/ingest/decode.js';
import { readBytes } from '../helpers/ingest.js';

const record = (objet: Buffer): Buffer =>
  Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<marches><marche><id>2019AB1200</id><objet>'), objet, Buffer.from('</objet></marche></marches>')]);

test('Latin-1 text that is valid UTF-8 by chance is read as declared', async () => {
  for (const [latin1, text] of [
    [Buffer.from('CAFÉ\u00a0: travaux', 'latin1'), 'CAFÉ\u00a0: travaux'],
    [Buffer.from('ÉTÉ\u00bb', 'latin1'), 'ÉTÉ»'],
  ] as const) {
    const r = await readBytes(record(latin1));
    expect(r.records[0]!.data['objet']).toBe(text);
    expect(r.records[0]!.issues).toEqual([]);
    expect(r.summary.issues ?? []).toEqual([]);
  }
});

test('UTF-8 text under a Latin-1 declaration (a hard-coded header) is still read as UTF-8, and said', async () => {
  for (const text of ['Réfection', 'CAFÉ\u00a0: travaux', 'l’école', 'Ŭ €']) {
    const r = await readBytes(record(Buffer.from(text, 'utf8')));
    expect(r.records[0]!.data['objet']).toBe(text);
    expect(r.records[0]!.issues.map((i) => i.code)).toEqual(['INGEST_ENCODING_DECLARED_WRONG']);
  }
});

test('isUtf8BeyondChance', () => {
  expect(isUtf8BeyondChance(Buffer.from('é', 'utf8'))).toBe(true);
  expect(isUtf8BeyondChance(Buffer.from('€', 'utf8'))).toBe(true);
  expect(isUtf8BeyondChance(Buffer.from([0xc9, 0xa0]))).toBe(false);
  expect(isUtf8BeyondChance(Buffer.from([0xe9]))).toBe(false);
  expect(isUtf8BeyondChance(Buffer.from('abc'))).toBe(false);
});

/**
 * A text a database holds as UTF-8 read as Latin-1 (`d\u00e2\u0080\u0099apport`, as the real JSON
 * samples have it) written in a document declared ISO-8859-1 is the bytes E2 80 99: read as
 * Windows-1252 whole, it was `dâ€™apport`, kept so, where its JSON twin is published `d’apport` (and
 * the ids made of the title differed). Found by the JSON/XML parity test (pes-marche, dematis daily-13).
 */
test('a UTF-8 character read as Latin-1 under an ISO-8859-1 declaration reads as its JSON twin; a lone 0x92 is still ’', async () => {
  const r = await readBytes(record(Buffer.concat([Buffer.from('Collecte des points d', 'latin1'), Buffer.from([0xe2, 0x80, 0x99]), Buffer.from('apport, l', 'latin1'), Buffer.from([0x92]), Buffer.from('école', 'latin1')])));
  expect(r.records[0]!.data['objet']).toBe('Collecte des points d\u00e2\u0080\u0099apport, l’école');
  // (Windows-1252 declared says what it says: those bytes are its characters)
  const w = await readBytes(Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1252"?>\n<marches><marche><id>2019AB1200</id><objet>\xe9cole d', 'latin1'), Buffer.from([0xe2, 0x80, 0x99]), Buffer.from('apport</objet></marche></marches>')]));
  expect(w.records[0]!.data['objet']).toBe('école dâ€™apport');
});
