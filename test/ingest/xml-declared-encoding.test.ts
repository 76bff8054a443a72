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
