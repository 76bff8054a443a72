/** Encodings a user or a profile may name (src/ingest/decode.ts): single-byte ones by any WHATWG label; multi-byte ones refused. */
import { decodeRecord, normalizeEncodingLabel } from '../../src/ingest/decode.js';

test('labels: UTF-8, Windows-1252 and Latin-9 as before; other single-byte encodings by their WHATWG labels; multi-byte and unknown ones refused', () => {
  expect(['utf8', 'ASCII', 'latin1', 'cp1252', 'latin-9'].map(normalizeEncodingLabel)).toEqual(['utf-8', 'utf-8', 'windows-1252', 'windows-1252', 'iso-8859-15']);
  expect(['windows-1251', 'CP1251', 'win-1251', 'win1250', 'latin2', 'koi8-u', 'greek', 'ISO_8859-5'].map(normalizeEncodingLabel)).toEqual(['windows-1251', 'windows-1251', 'windows-1251', 'windows-1250', 'iso-8859-2', 'koi8-u', 'iso-8859-7', 'iso-8859-5']);
  for (const no of ['ebcdic', 'shift_jis', 'gbk', 'utf-7', 'x-user-defined', 'replacement', '']) expect([no, normalizeEncodingLabel(no)]).toEqual([no, undefined]);
});

test('a record in Windows-1251 or KOI8-U decodes to its Cyrillic text, never flagged as a fallback', () => {
  expect(decodeRecord(Buffer.from([0xd8, 0xe5, 0xe2, 0xf7, 0xe5, 0xed, 0xea, 0xee]), 'windows-1251')).toEqual({ text: 'Шевченко', encoding: 'windows-1251', fellBack: false });
  expect(decodeRecord(Buffer.from([0xfb, 0xc5, 0xd7, 0xde, 0xc5, 0xce, 0xcb, 0xcf]), 'koi8-u')).toEqual({ text: 'Шевченко', encoding: 'koi8-u', fellBack: false });
});
