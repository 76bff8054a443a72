/**
 * Text decoding for ingest: bytes → string, per record.
 * UTF-8 (with or without BOM) is the default; Windows-1252 (a superset of the
 * printable Latin-1 range, which is what "latin1" files really are) is used when
 * forced, declared, or when a record's bytes are not valid UTF-8; ISO-8859-15
 * (Latin-9: €, Œ, Š, Ž… where Latin-1 has ¤, ¼, ¦, ´…) when forced or declared.
 * Pure functions: no I/O.
 */
import { CP1252_HIGH } from '../core/cp1252.js';
import { windows1252KeepingUtf8 } from '../transform/html-references.js';
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

/**
 * Other single-byte encodings a partner's files may be in (Cyrillic, Greek, Central European…), as
 * the WHATWG Encoding Standard names them: all keep ASCII's bytes, so records and rows are found on
 * bytes as in UTF-8, and each is decoded with TextDecoder.
 */
const OTHER_SINGLE_BYTE = [
  'windows-1250',
  'windows-1251',
  'windows-1253',
  'windows-1254',
  'windows-1255',
  'windows-1256',
  'windows-1257',
  'windows-1258',
  'iso-8859-2',
  'iso-8859-3',
  'iso-8859-4',
  'iso-8859-5',
  'iso-8859-6',
  'iso-8859-7',
  'iso-8859-8',
  'iso-8859-10',
  'iso-8859-13',
  'iso-8859-14',
  'iso-8859-16',
  'koi8-r',
  'koi8-u',
  'ibm866',
  'macintosh',
  'x-mac-cyrillic',
] as const;
export type OtherSingleByte = (typeof OTHER_SINGLE_BYTE)[number];

export type Encoding = 'utf-8' | 'windows-1252' | 'iso-8859-15' | OtherSingleByte;

/** The encodings a user may name (for messages). */
export const ENCODING_CHOICES = 'utf-8, latin1/windows-1252, iso-8859-15, or another single-byte encoding by its WHATWG label (windows-1251, cp1250, iso-8859-2, koi8-u…)';

const decoders = new Map<string, TextDecoder>();
/** Decode bytes of one of OTHER_SINGLE_BYTE (a decoder per encoding, kept). */
function decodeOther(bytes: Uint8Array, encoding: OtherSingleByte): string {
  let d = decoders.get(encoding);
  if (d === undefined) decoders.set(encoding, (d = new TextDecoder(encoding)));
  return d.decode(bytes);
}

/** The 8 bytes where ISO-8859-15 differs from Latin-1, and its code points there. */
const LATIN9: Readonly<Record<number, number>> = { 0xa4: 0x20ac, 0xa6: 0x0160, 0xa8: 0x0161, 0xb4: 0x017d, 0xb8: 0x017e, 0xbc: 0x0152, 0xbd: 0x0153, 0xbe: 0x0178 };

/** Decode ISO-8859-15 bytes (Latin-1 but for the 8 bytes of LATIN9). */
function decodeLatin9(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return text.replace(/[\xa4\xa6\xa8\xb4\xb8\xbc-\xbe]/g, (c) => String.fromCharCode(LATIN9[c.charCodeAt(0)]!));
}

/** Decode Windows-1252 bytes. Latin-1 bytes outside 0x80–0x9F are the same code points. */
function decodeWindows1252(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let hasC1 = false;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b >= 0x80 && b <= 0x9f) {
      hasC1 = true;
      break;
    }
  }
  if (!hasC1) return buf.toString('latin1', start, end);
  let out = '';
  let runStart = start;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b >= 0x80 && b <= 0x9f) {
      if (i > runStart) out += buf.toString('latin1', runStart, i);
      out += String.fromCharCode(CP1252_HIGH[b - 0x80]!);
      runStart = i + 1;
    }
  }
  if (end > runStart) out += buf.toString('latin1', runStart, end);
  return out;
}

/**
 * Bytes that are UTF-8 but for a few bytes (a record edited with two tools: "é" typed in Latin-1 in a
 * UTF-8 text): each well-formed UTF-8 sequence as UTF-8, each other byte as Windows-1252. Decoding
 * the whole record as Windows-1252 instead turned its correct UTF-8 text into mojibake ("Ã©").
 * But a record written in Windows-1252 throughout has well-formed UTF-8 sequences by chance
 * ("É" then a no-break space, C9 A0, reads as "ɠ"). Chance makes two-byte sequences only, and not
 * those that French UTF-8 text is made of (led by C2 or C3: "é" is C3 A9, a no-break space C2 A0; in
 * Windows-1252 "Ã©" or "Â " are themselves mojibake): a record with none of those, nor any longer
 * sequence, whose bytes that are not UTF-8 are at least twice its chance sequences, is
 * Windows-1252 and read so whole.
 * Chance makes three-byte sequences too, from a lower-case accented letter (E0–EF) and two of
 * Windows-1252's 80–BF (punctuation, the no-break space French puts before "»"): "cité\u00a0»" is
 * E9 A0 BB, the CJK "頻"; "é’€" is "钀". Those read as characters no French text holds (the
 * Indic, Samaritan…, braille, CJK, Hangul and private-use blocks: notThreeByteText): in a record that
 * is not UTF-8 anyway, such a sequence is no UTF-8, its bytes are Windows-1252 ones.
 */
function decodeUtf8Lenient(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let chance = 0;
  let utf8 = false;
  // the bytes that are not UTF-8, where they are (one pass: the text is built from them after)
  const invalid: number[] = [];
  for (let i = 0; i < buf.length; ) {
    if (buf[i]! < 0x80) {
      i++;
      continue;
    }
    const len = utf8Sequence(buf, i);
    if (len === 3 && notThreeByteText(buf, i)) invalid.push(i++);
    else if (len > 0) {
      if (len > 2 || buf[i] === 0xc2 || buf[i] === 0xc3) utf8 = true;
      else chance++;
      i += len;
    } else invalid.push(i++);
  }
  if (!utf8 && invalid.length >= 2 * chance) return decodeWindows1252(buf);
  let out = '';
  let run = 0;
  for (const i of invalid) {
    if (i > run) out += buf.toString('utf8', run, i);
    out += decodeWindows1252(buf, i, i + 1);
    run = i + 1;
  }
  return out + buf.toString('utf8', run);
}

/**
 * Are these bytes UTF-8 beyond what chance makes of single-byte text? Valid UTF-8 with at least one
 * sequence that Windows-1252 or Latin-1 text does not make by chance (three or four bytes, or two led
 * by C2 or C3: French UTF-8 text is made of them), as decodeUtf8Lenient tells. "CAFÉ" then a
 * no-break space in Latin-1 (C9 A0) is valid UTF-8 ("ɠ") and nothing more; so is "cité" then a
 * no-break space and "»" (E9 A0 BB, "頻": notThreeByteText).
 */
export function isUtf8BeyondChance(bytes: Uint8Array): boolean {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let signal = false;
  for (let i = 0; i < buf.length; ) {
    if (buf[i]! < 0x80) {
      i++;
      continue;
    }
    const len = utf8Sequence(buf, i);
    if (len === 0) return false;
    if ((len > 2 && !(len === 3 && notThreeByteText(buf, i))) || buf[i] === 0xc2 || buf[i] === 0xc3) signal = true;
    i += len;
  }
  return signal;
}

/**
 * Is the three-byte UTF-8 sequence at `i` a character of a block that Latin-script text does not
 * hold — U+0800–U+1DFF (Samaritan to Mongolian), U+2800–U+28FF (braille), U+2C00–U+FAFF (CJK,
 * Hangul, Yi, private use) —, which a lower-case accented letter of Windows-1252 followed by two of
 * its punctuation bytes makes by chance? Kept as UTF-8: general punctuation, currency, letterlike
 * and other symbols (U+2000–U+27FF: ’ – … € ™), Latin and Greek extended (U+1E00–U+1FFF), and
 * U+FB00 up (ligatures, the byte order mark, U+FFFD).
 */
function notThreeByteText(b: Buffer, i: number): boolean {
  const cp = ((b[i]! & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f);
  return cp < 0x1e00 || (cp >= 0x2800 && cp < 0x2900) || (cp >= 0x2c00 && cp < 0xfb00);
}

/** The length of the well-formed UTF-8 sequence at `i` (its lead byte is not ASCII), or 0. */
function utf8Sequence(b: Buffer, i: number): number {
  const c = b[i]!;
  const cont = (k: number): boolean => i + k < b.length && (b[i + k]! & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const c1 = b[i + 1]!;
    // (no overlong form, no surrogate)
    return (c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f) ? 0 : 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const c1 = b[i + 1]!;
    return (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f) ? 0 : 4;
  }
  return 0;
}

/** Is this label one of ISO-8859-1's (not Windows-1252's, which both read as Windows-1252)? */
export function isLatin1Label(label: string): boolean {
  return ['latin1', 'latin-1', 'iso-8859-1', 'iso8859-1', 'l1'].includes(label.trim().toLowerCase().replace(/_/g, '-'));
}

/**
 * Bytes a document declares ISO-8859-1: as Windows-1252 (what such documents are written in: 0x92
 * is `’`), but for the bytes of a UTF-8 character that a text held as UTF-8 read as Latin-1 has
 * (E2 80 99 for `’`), read as ISO-8859-1 says, C1 controls, as that text's JSON twin gives them
 * (`d\u00e2\u0080\u0099apport`): the mapping's prose then reads both as `d’apport` (Windows-1252
 * alone made them `dâ€™apport`, left as it was). Found by the JSON/XML parity test on real records.
 */
export function decodeDeclaredLatin1(bytes: Uint8Array): string {
  return windows1252KeepingUtf8(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
}

/** Normalise a user- or document-given encoding label. Returns undefined for labels we cannot decode. */
export function normalizeEncodingLabel(label: string): Encoding | undefined {
  const l = label.trim().toLowerCase().replace(/_/g, '-');
  if (l === 'utf-8' || l === 'utf8') return 'utf-8';
  if (['iso-8859-15', 'iso8859-15', 'latin9', 'latin-9', 'l9'].includes(l)) return 'iso-8859-15';
  if (['latin1', 'latin-1', 'iso-8859-1', 'iso8859-1', 'windows-1252', 'cp1252', 'l1', 'us-ascii', 'ascii'].includes(l)) {
    return l === 'us-ascii' || l === 'ascii' ? 'utf-8' : 'windows-1252';
  }
  // another single-byte encoding, by any label the Encoding Standard gives it (`cp1251`, `win-1251`… are `windows-1251`)
  let name = '';
  try {
    name = new TextDecoder(l.replace(/^win-?(125\d)$/, 'windows-$1')).encoding;
  } catch {
    // (no label of the Encoding Standard)
  }
  return (OTHER_SINGLE_BYTE as readonly string[]).includes(name) ? (name as OtherSingleByte) : undefined;
}

export interface DecodedText {
  text: string;
  /** The encoding actually used for these bytes. */
  encoding: Encoding;
  /** True when the bytes were not valid in the file's encoding and a fallback was used. */
  fellBack: boolean;
}

/**
 * Decode one record's bytes. With `utf-8`, bytes that are not valid UTF-8 are
 * decoded as Windows-1252, one by one (the rest stays UTF-8), and reported (never replaced by
 * U+FFFD silently); or, when `otherwise` names the encoding of such bytes (a profile's
 * settings.csv.encoding), the record is decoded in that one.
 */
export function decodeRecord(bytes: Buffer, encoding: Encoding, otherwise: Encoding | null = null): DecodedText {
  if (encoding === 'windows-1252') return { text: decodeWindows1252(bytes), encoding, fellBack: false };
  if (encoding === 'iso-8859-15') return { text: decodeLatin9(bytes), encoding, fellBack: false };
  if (encoding !== 'utf-8') return { text: decodeOther(bytes, encoding), encoding, fellBack: false };
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), encoding, fellBack: false };
  // (bytes that are not UTF-8 in a file whose profile names their encoding: that one, no fallback)
  if (otherwise !== null && otherwise !== 'utf-8') return decodeRecord(bytes, otherwise);
  // (its UTF-8 text kept as such: only the bytes that are not UTF-8 are read as Windows-1252)
  return { text: decodeUtf8Lenient(bytes), encoding: 'windows-1252', fellBack: true };
}

/**
 * Mojibake: UTF-8 bytes that went through a Latin-1/Windows-1252 round trip
 * ("Ã©" for "é", "â€™" for "’"). Detected, never "fixed": the raw value is kept.
 */
const MOJIBAKE = /[ÃÂ][\u0080-\u00bf\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2122]|â€/;

export function looksLikeMojibake(text: string): boolean {
  return MOJIBAKE.test(text);
}

/** A surrogate that is not half of a pair (JSON may escape one; UTF-16 may hold one; no UTF-8 text can). */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * UTF-16 (little- or big-endian) bytes, in chunks cut anywhere, as UTF-8 bytes. A code unit that is
 * half of a surrogate pair with no other half (a corrupt character in the middle of a file) is read
 * as U+FFFD and `onBad` is told its byte offset; what the input ends inside (an odd byte, the first
 * half of a pair) is left out and `onCut` told (a download cut there: the record in progress is then
 * rejected as truncated, as for a UTF-8 file cut inside a character).
 */
export class Utf16ToUtf8 {
  private held: Buffer = Buffer.alloc(0);
  constructor(
    private readonly littleEndian: boolean,
    private readonly onBad: (offset: number) => void,
    private readonly onCut: () => void,
    /** The offset in the file of the first byte pushed (after a byte order mark), then of the first byte not converted yet. */
    private offset = 0,
  ) {}

  /** The UTF-8 of `chunk` (with what the last call held back); `more`: the input goes on. */
  push(chunk: Uint8Array | undefined, more: boolean): Buffer {
    const data = this.held.length === 0 ? Buffer.from(chunk?.buffer ?? new ArrayBuffer(0), chunk?.byteOffset, chunk?.byteLength) : Buffer.concat(chunk === undefined ? [this.held] : [this.held, chunk]);
    let n = data.length & ~1;
    // the first half of a pair at the end waits for its other half (or is the end, cut there)
    if (n >= 2) {
      const last = this.littleEndian ? data[n - 1]! : data[n - 2]!;
      if (last >= 0xd8 && last <= 0xdb) n -= 2;
    }
    if (more) this.held = Buffer.from(data.subarray(n));
    else {
      if (n < data.length) this.onCut();
      this.held = Buffer.alloc(0);
    }
    const units = this.littleEndian ? data.subarray(0, n) : Buffer.from(data.subarray(0, n)).swap16();
    let text = units.toString('utf16le');
    const at = this.offset;
    this.offset += n;
    if (SURROGATE.test(text)) {
      text = text.replace(LONE_SURROGATE, (_unit, index: number) => {
        this.onBad(at + 2 * index);
        return '\ufffd';
      });
    }
    return Buffer.from(text, 'utf8');
  }
}

/**
 * UTF-16 without a byte order mark (Windows "Unicode" exports): ASCII text in UTF-16 has a zero
 * byte at every other position, which UTF-8 and Windows-1252 text never has.
 */
export function looksLikeUtf16(head: Buffer): boolean {
  const n = Math.min(head.length, 64) & ~1;
  if (n < 4) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  const half = n / 2;
  return (odd >= 0.8 * half && even === 0) || (even >= 0.8 * half && odd === 0);
}
