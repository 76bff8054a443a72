/**
 * HTML character references in a text (`&eacute;`, `&#8211;`, `&#x2019;`, `&amp;`): what an export
 * that escaped its text for a web page, then wrote it to JSON, leaves in it. Pure.
 */
import { CP1252_HIGH } from '../core/cp1252.js';

/** HTML 4's named references (the 252 names of its DTDs: Latin-1, symbols, special) and XML's `apos`, by name: code point in hex. */
const NAMED_TEXT =
  'apos:27 ' +
  'AElig:c6 Aacute:c1 Acirc:c2 Agrave:c0 Alpha:391 Aring:c5 Atilde:c3 Auml:c4 Beta:392 Ccedil:c7 ' +
  'Chi:3a7 Dagger:2021 Delta:394 ETH:d0 Eacute:c9 Ecirc:ca Egrave:c8 Epsilon:395 Eta:397 Euml:cb ' +
  'Gamma:393 Iacute:cd Icirc:ce Igrave:cc Iota:399 Iuml:cf Kappa:39a Lambda:39b Mu:39c Ntilde:d1 ' +
  'Nu:39d OElig:152 Oacute:d3 Ocirc:d4 Ograve:d2 Omega:3a9 Omicron:39f Oslash:d8 Otilde:d5 Ouml:d6 ' +
  'Phi:3a6 Pi:3a0 Prime:2033 Psi:3a8 Rho:3a1 Scaron:160 Sigma:3a3 THORN:de Tau:3a4 Theta:398 ' +
  'Uacute:da Ucirc:db Ugrave:d9 Upsilon:3a5 Uuml:dc Xi:39e Yacute:dd Yuml:178 Zeta:396 aacute:e1 ' +
  'acirc:e2 acute:b4 aelig:e6 agrave:e0 alefsym:2135 alpha:3b1 amp:26 and:2227 ang:2220 aring:e5 ' +
  'asymp:2248 atilde:e3 auml:e4 bdquo:201e beta:3b2 brvbar:a6 bull:2022 cap:2229 ccedil:e7 cedil:b8 ' +
  'cent:a2 chi:3c7 circ:2c6 clubs:2663 cong:2245 copy:a9 crarr:21b5 cup:222a curren:a4 dArr:21d3 ' +
  'dagger:2020 darr:2193 deg:b0 delta:3b4 diams:2666 divide:f7 eacute:e9 ecirc:ea egrave:e8 ' +
  'empty:2205 emsp:2003 ensp:2002 epsilon:3b5 equiv:2261 eta:3b7 eth:f0 euml:eb euro:20ac ' +
  'exist:2203 fnof:192 forall:2200 frac12:bd frac14:bc frac34:be frasl:2044 gamma:3b3 ge:2265 gt:3e ' +
  'hArr:21d4 harr:2194 hearts:2665 hellip:2026 iacute:ed icirc:ee iexcl:a1 igrave:ec image:2111 ' +
  'infin:221e int:222b iota:3b9 iquest:bf isin:2208 iuml:ef kappa:3ba lArr:21d0 lambda:3bb ' +
  'lang:2329 laquo:ab larr:2190 lceil:2308 ldquo:201c le:2264 lfloor:230a lowast:2217 loz:25ca ' +
  'lrm:200e lsaquo:2039 lsquo:2018 lt:3c macr:af mdash:2014 micro:b5 middot:b7 minus:2212 mu:3bc ' +
  'nabla:2207 nbsp:a0 ndash:2013 ne:2260 ni:220b not:ac notin:2209 nsub:2284 ntilde:f1 nu:3bd ' +
  'oacute:f3 ocirc:f4 oelig:153 ograve:f2 oline:203e omega:3c9 omicron:3bf oplus:2295 or:2228 ' +
  'ordf:aa ordm:ba oslash:f8 otilde:f5 otimes:2297 ouml:f6 para:b6 part:2202 permil:2030 perp:22a5 ' +
  'phi:3c6 pi:3c0 piv:3d6 plusmn:b1 pound:a3 prime:2032 prod:220f prop:221d psi:3c8 quot:22 ' +
  'rArr:21d2 radic:221a rang:232a raquo:bb rarr:2192 rceil:2309 rdquo:201d real:211c reg:ae ' +
  'rfloor:230b rho:3c1 rlm:200f rsaquo:203a rsquo:2019 sbquo:201a scaron:161 sdot:22c5 sect:a7 ' +
  'shy:ad sigma:3c3 sigmaf:3c2 sim:223c spades:2660 sub:2282 sube:2286 sum:2211 sup:2283 sup1:b9 ' +
  'sup2:b2 sup3:b3 supe:2287 szlig:df tau:3c4 there4:2234 theta:3b8 thetasym:3d1 thinsp:2009 ' +
  'thorn:fe tilde:2dc times:d7 trade:2122 uArr:21d1 uacute:fa uarr:2191 ucirc:fb ugrave:f9 uml:a8 ' +
  'upsih:3d2 upsilon:3c5 uuml:fc weierp:2118 xi:3be yacute:fd yen:a5 yuml:ff zeta:3b6 zwj:200d ' +
  'zwnj:200c ';

const NAMED: ReadonlyMap<string, number> = new Map(
  NAMED_TEXT.trim()
    .split(' ')
    .map((e) => {
      const [name, hex] = e.split(':') as [string, string];
      return [name, Number.parseInt(hex, 16)];
    }),
);

/** XML's predefined entities: an XML reader reads them itself. */
const XML_NAMES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** Does HTML name this character (`eacute`, `nbsp`, `euro`) where XML does not? (The XML reader keeps such references as text for decodeHtmlReferences.) */
export const isHtmlOnlyName = (name: string): boolean => NAMED.has(name) && !XML_NAMES.has(name);

const REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,7}));/g;

/** The character a numeric reference names, or null (0, a surrogate, past Unicode); 128–159 as Windows-1252 (HTML's rule). */
function character(code: number): string | null {
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
  if (code >= 0x80 && code <= 0x9f) return String.fromCharCode(CP1252_HIGH[code - 0x80]!);
  return String.fromCodePoint(code);
}

/** C1 control characters (U+0080–U+009F): no text holds them, but Windows-1252 text read as Latin-1 does. */
const C1 = /[\u0080-\u009f]/g;
/** The same, to test a text (a test costs about half a replace that finds nothing: every free text is tested). */
const HAS_C1 = /[\u0080-\u009f]/;

/**
 * A UTF-8 character's bytes read as Latin-1 characters: its lead byte (U+00C2–U+00EF), then its
 * continuation bytes (U+0080–U+00BF), the first a C1 control (`â\u0080\u0099` for `’`, `Å\u0093`
 * for `œ`, `â\u0082¬` for `€`). (Four bytes make no character utf8Of takes.)
 */
const UTF8_AS_LATIN1_WITH_C1 = /[\u00c2-\u00df][\u0080-\u009f]|[\u00e0-\u00ef][\u0080-\u009f][\u0080-\u00bf]/g;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The characters Windows-1252 writes with 0x80–0x9F (’ – œ € …): what such a UTF-8 sequence stands
 * for in French text. Any other character it would make (`É\u0085`, Windows-1252's `É…` read as
 * Latin-1, would be UTF-8's U+0245) says the text is Windows-1252's after all.
 */
const CP1252_SPECIALS: ReadonlySet<string> = new Set(CP1252_HIGH.filter((c) => c >= 0xa0).map((c) => String.fromCharCode(c)));

/**
 * The character a UTF-8 sequence read as Latin-1 stands for, or the sequence as it is (not
 * well-formed UTF-8, or a character of none of Windows-1252's specials, see CP1252_SPECIALS, nor a
 * capital letter of Latin-1: `MARCHÃ\u0089` is `MARCHÉ`).
 */
function utf8Of(latin1: string): string {
  try {
    const ch = UTF8.decode(Uint8Array.from(latin1, (c) => c.charCodeAt(0)));
    // (… or a capital letter of Latin-1, `Ã\u0089` for `É`: `Ã` before one of Windows-1252's specials is no French text)
    return CP1252_SPECIALS.has(ch) || (latin1.charCodeAt(0) === 0xc3 && ch >= '\u00c0' && ch <= '\u00df') ? ch : latin1;
  } catch {
    return latin1;
  }
}

/**
 * The text with its C1 control characters read as the Windows-1252 characters they stand for
 * (U+0092 `’`, U+0080 `€`, U+009C `œ`: a Windows-1252 text decoded as Latin-1, or XML's `&#146;`,
 * which HTML reads so and XML does not); the five Windows-1252 leaves undefined stay as they are.
 * C1 controls inside a UTF-8 character read as Latin-1 (`dâ\u0080\u0099apport`: UTF-8 text decoded
 * as Latin-1) stand for that character's bytes: the sequence is read as UTF-8 (`d’apport`), not as
 * Windows-1252 (`dâ€™apport`, the mojibake of another code page). Double-encoded text without C1
 * controls (`Ã©`) is left as it is.
 */
export function decodeC1Controls(text: string): string {
  if (!HAS_C1.test(text)) return text;
  return text.replace(UTF8_AS_LATIN1_WITH_C1, utf8Of).replace(C1, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]!));
}

/** Such a sequence, or a lone C1 control. */
const UTF8_OR_C1 = new RegExp(`${UTF8_AS_LATIN1_WITH_C1.source}|[\\u0080-\\u009f]`, 'g');

/**
 * Latin-1 text (a single-byte document's bytes, one character each) with its C1 controls read as
 * Windows-1252's characters, but for those inside a UTF-8 character's bytes that decodeC1Controls
 * reads as that character (`â\u0080\u0099`, `’`'s bytes): kept as Latin-1's, so that a text a
 * database holds as UTF-8 read as Latin-1 (`d\u00e2\u0080\u0099apport`) reads the same whether it
 * comes in a JSON document, which gives those controls, or in bytes declared ISO-8859-1 or
 * Windows-1252 (E2 80 99), which Windows-1252 alone reads `dâ€™apport`.
 */
export function windows1252KeepingUtf8(latin1: string): string {
  if (!HAS_C1.test(latin1)) return latin1;
  const cp1252 = (t: string): string => t.replace(C1, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]!));
  return latin1.replace(UTF8_OR_C1, (seq) => (seq.length > 1 && utf8Of(seq) !== seq ? seq : cp1252(seq)));
}

/** The text with its HTML character references decoded; one that names nothing is left as it is. */
export function decodeHtmlReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) {
      const code = NAMED.get(name);
      return code === undefined ? whole : String.fromCodePoint(code);
    }
    return character(dec !== undefined ? Number(dec) : Number.parseInt(hex!, 16)) ?? whole;
  });
}
