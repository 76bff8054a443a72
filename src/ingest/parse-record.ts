/**
 * One record's bytes → a plain object, with ingest quality issues.
 *
 * Fast path: decode + native JSON.parse. A cheap check on the text sends the
 * rare suspicious record to a careful path that:
 * - drops the keys `__proto__`, `constructor`, `prototype` (hostile input never
 *   reaches an object's prototype, even through later Object.assign or merges);
 * - keeps integers of 16+ digits (beyond IEEE-754 exactness) as strings, so an
 *   identifier is never rounded;
 * - points at values that look like mojibake (UTF-8 read as Latin-1), which are
 *   flagged, not "fixed".
 * Pure: no I/O.
 */
import type { Issue } from '../core/issues.js';
import { issue } from '../core/issues.js';
import { decodeRecord, LONE_SURROGATE, looksLikeMojibake, type Encoding } from './decode.js';
import { escapePointer, FORBIDDEN_KEYS } from '../core/keys.js';
import { duplicateKeys, membersOf, pointerAt } from './duplicate-keys.js';
import { isWhitespace } from './json-splitter.js';

/** Text that sends a record to the careful path: the forbidden keys and the markers of mojibake. */
const SUSPECT_TEXT = ['proto', 'constructor', 'Ã', 'Â', 'â€'] as const;

/**
 * After `\u00`: an escaped letter or "_" (\u005x–\u007x, a key spelled to dodge the checks) or
 * escaped mojibake (\u00c2/\u00c3, either case).
 */
const suspectEscape = (c: number | undefined): boolean => c !== undefined && ((c >= 0x35 && c <= 0x37) || c === 0x63 || c === 0x43);

/**
 * Might this record need the careful path? A handful of native indexOf calls
 * (a regular expression here cost a quarter of ingest time). False positives
 * only cost time. Covers: the forbidden keys, spelled plainly or with escaped
 * letters (`\u005f_proto__`), and the markers of mojibake ("Ã", "Â", "â€", or
 * their escapes `\u00c3`, `\u00C2`, …).
 */
function isSuspect(text: string): boolean {
  for (const marker of SUSPECT_TEXT) if (text.indexOf(marker) >= 0) return true;
  // escapes: one pass over the "\u00" sequences (frequent in \u-escaped files) instead of one scan per pattern
  for (let i = text.indexOf('\\u00'); i >= 0; i = text.indexOf('\\u00', i + 4)) if (suspectEscape(text.charCodeAt(i + 4))) return true;
  // … and the escapes of surrogates (`\ud83d\ude00`, or a lone `\ud800` that no UTF-8 can write)
  return text.indexOf('\\ud') >= 0 || text.indexOf('\\uD') >= 0;
}

/** After `\u`: a surrogate's escape (`d8`–`df`, either case)? */
const surrogateEscape = (c: number | undefined, d: number | undefined): boolean =>
  (c === 0x64 || c === 0x44) && d !== undefined && ((d >= 0x38 && d <= 0x39) || (d >= 0x61 && d <= 0x66) || (d >= 0x41 && d <= 0x46));


/** A string's UTF-8 bytes as a regular expression over a Latin-1 reading of bytes (one char per byte). */
const bytesPattern = (text: string): string => [...Buffer.from(text, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');

/** isSuspect's markers in a Latin-1 reading of UTF-8 bytes, for one pass (ten `Buffer#indexOf` scans cost more than parsing the record). */
const SUSPECT_BYTES = `${SUSPECT_TEXT.map(bytesPattern).join('|')}|\\\\u00[5-7cC]|\\\\u[dD][89a-fA-F]`;

/** The pipeline's own release layout: ocid, id, date, then tag (strings without escapes or control characters). */
// eslint-disable-next-line no-control-regex -- control characters are what the strings must not hold
const OWN_RELEASE = /^\{"ocid":"([^"\\\u0000-\u001f]*)","id":"[^"\\\u0000-\u001f]*","date":"[^"\\\u0000-\u001f]*","tag":\[/;
/**
 * What sends such a release to the careful path: the suspect markers, a line break, another key
 * named ocid (JSON.parse keeps the last of duplicate keys), or the keys that make a record.
 */
const NOT_PLAIN = new RegExp(`${SUSPECT_BYTES}|[\\n\\r]|"ocid"[:\\s]|"compiledRelease"|"versionedRelease"`);

/**
 * The ocid of a record that can be handed over unparsed (ingest's `releaseText` option), or null.
 * For valid UTF-8 `bytes` (checked by the caller) with no integer of 16+ digits, a string means that
 * `parseRecordBytes` would take the fast path (a plain `JSON.parse` of the text, no issue), that the
 * result is an OCDS release (its top-level keys start with ocid, id, date, tag: never a record) whose
 * ocid is this string, and that the text is one line.
 */
export function ownReleaseOcid(bytes: Buffer): string | null {
  if (bytes[0] !== 0x7b || bytes[1] !== 0x22) return null;
  const m = OWN_RELEASE.exec(bytes.toString('utf8', 0, Math.min(bytes.length, 4096)));
  // (from the third byte: the first key is the ocid this layout has)
  if (!m || NOT_PLAIN.test(bytes.toString('latin1', 2))) return null;
  return m[1]!;
}

/** OWN_RELEASE at a given index of a text (sticky), for OwnReleaseLines. */
const OWN_RELEASE_AT = new RegExp(OWN_RELEASE.source.slice(1), 'y');
/**
 * ownReleaseOcid's checks (the line break aside: a line holds none), for a whole slice of lines at
 * once, in two parts: the words, by a regular expression whose every branch is five characters or
 * more (V8 then skips ahead instead of trying each position: one expression with the one-byte
 * markers too ran at a third of the speed), and the markers that start with a byte rare in JSON
 * (rareMarkers).
 */
const NOT_PLAIN_WORDS = /proto|constructor|"(?:compiledRelease"|versionedRelease"|ocid"[:\s])/g;
const CR = 0x0d;
const BACKSLASH = 0x5c;

/**
 * Where UTF-8 `buf` holds a carriage return, an escape `\u00` that isSuspect looks at (after an
 * escaped backslash too, as there: a false alarm costs only time), or mojibake's markers "Ã"
 * (C3 83), "Â" (C3 82) and "â€" (C3 A2 E2 82 AC): found from a byte rare in JSON (a native byte
 * search each, not a test at every position), in no given order.
 */
function rareMarkers(buf: Buffer, at: number[]): void {
  for (let i = buf.indexOf(CR); i >= 0; i = buf.indexOf(CR, i + 1)) at.push(i);
  for (let i = buf.indexOf(BACKSLASH); i >= 0; i = buf.indexOf(BACKSLASH, i + 1)) {
    if (buf[i + 1] === 0x75 && ((buf[i + 2] === 0x30 && buf[i + 3] === 0x30 && suspectEscape(buf[i + 4])) || surrogateEscape(buf[i + 2], buf[i + 3]))) at.push(i);
  }
  // (a slice may start inside a character: a continuation byte at 0 ends no search)
  for (let i = buf.indexOf(0x83); i >= 0; i = buf.indexOf(0x83, i + 1)) if (i >= 1 && buf[i - 1] === 0xc3) at.push(i - 1);
  for (let i = buf.indexOf(0x82); i >= 0; i = buf.indexOf(0x82, i + 1)) {
    if (i >= 1 && buf[i - 1] === 0xc3) at.push(i - 1);
    else if (i >= 3 && buf[i - 1] === 0xe2 && buf[i - 2] === 0xa2 && buf[i - 3] === 0xc3 && buf[i + 1] === 0xac) at.push(i - 3);
  }
}
/**
 * What the splitter's scan notes as a long number, anywhere (in strings too: more than needed costs
 * only time). Spelled out, not `\d{16}`: V8 then skips ahead 16 characters at a time (ten times faster).
 */
const LONG_DIGITS = new RegExp('\\d'.repeat(16), 'g');
/** Bytes before an own release's ocid: `{"ocid":"`. */
const OCID_AT = 9;

/** Where `re` (global) matches in `text`, in order. */
function matchesOf(re: RegExp, text: string): number[] {
  const at: number[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) at.push(m.index);
  return at;
}

/** Does `at` (sorted) hold a position in [start, end)? `from` is a cursor into `at`, moved past positions before `start`. */
function anyIn(at: readonly number[], from: { k: number }, start: number, end: number): boolean {
  while (from.k < at.length && at[from.k]! < start) from.k++;
  return from.k < at.length && at[from.k]! < end;
}

/**
 * The splitter's `lineRecord` hook for JSON Lines of the pipeline's own releases: vouches for a line
 * exactly when ownReleaseOcid would hand it over and the splitter's scan would note no long number
 * (or for fewer lines), and gives its ocid. The checks run once per slice of lines (one Latin-1
 * reading of the slice, two passes of regular expressions), not once per line: decoding and testing
 * each line, after the splitter had scanned it, took a third of compile's first pass. Lines come in
 * order within a slice. Valid UTF-8 is the caller's to check (per chunk).
 */
export class OwnReleaseLines {
  private buf: Buffer | null = null;
  private text = '';
  private suspect: number[] = [];
  private long: number[] = [];
  private readonly atSuspect = { k: 0 };
  private readonly atLong = { k: 0 };

  readonly ocid = (buf: Buffer, start: number, end: number): string | null => {
    if (buf !== this.buf) this.load(buf);
    if (buf[start + 1] !== 0x22) return null;
    OWN_RELEASE_AT.lastIndex = start;
    const m = OWN_RELEASE_AT.exec(this.text);
    // (from the third byte, as ownReleaseOcid: the first key is the ocid this layout has)
    if (!m || anyIn(this.suspect, this.atSuspect, start + 2, end) || anyIn(this.long, this.atLong, start, end)) return null;
    const ocid = m[1]!;
    // read as Latin-1: an ocid with other than ASCII is decoded from its bytes
    return /[^ -~]/.test(ocid) ? buf.toString('utf8', start + OCID_AT, start + OCID_AT + ocid.length) : ocid;
  };

  private load(buf: Buffer): void {
    this.buf = buf;
    this.text = buf.toString('latin1');
    this.suspect = matchesOf(NOT_PLAIN_WORDS, this.text);
    const rare: number[] = [];
    rareMarkers(buf, rare);
    if (rare.length > 0) this.suspect = this.suspect.concat(rare).sort((a, b) => a - b);
    this.long = matchesOf(LONG_DIGITS, this.text);
    this.atSuspect.k = 0;
    this.atLong.k = 0;
  }
}

export type ParsedRecord =
  | { ok: true; data: Record<string, unknown>; issues: Issue[]; encoding: Encoding; /** the JSON text, when `data` is exactly its parse */ text: string | undefined }
  | { ok: false; code: 'INGEST_RECORD_SYNTAX' | 'INGEST_RECORD_NOT_OBJECT' | 'INGEST_RECORD_TOO_DEEP'; message: string; /** byte offset inside the record */ at: number | undefined };

/**
 * Parse one record. `encoding` is the file's encoding; `longNumber` says that the
 * splitter saw an integer of 16+ digits in it (then it is kept as a string);
 * `knownUtf8` that its bytes were already checked as valid UTF-8 (with their chunk);
 * `members` how many object members its text writes, when the splitter counted them (a
 * parse with fewer had a key given twice in one object; not counted: the text is scanned).
 */
export function parseRecordBytes(bytes: Buffer, encoding: Encoding, longNumber = true, knownUtf8 = false, members?: number): ParsedRecord {
  const decoded = knownUtf8 ? { text: bytes.toString('utf8'), encoding, fellBack: false } : decodeRecord(bytes, encoding);
  const text = decoded.text;
  const issues: Issue[] = [];
  if (decoded.fellBack) {
    // (where: the field that holds the first such bytes, for an auditor to find them in a long record)
    const first = firstInvalidUtf8(bytes);
    issues.push(issue('INGEST_ENCODING_FALLBACK', 'warning', 'record bytes are not all valid UTF-8: those that are not were decoded as Windows-1252', first === null ? {} : { pointer: pointerAt(text, first) }));
  }
  let value: unknown;
  /** The text that parsed (repaired, when it was) */
  let parsed = text;
  let suspect = longNumber || decoded.fellBack || isSuspect(text);
  try {
    value = suspect ? carefulParse(text, issues, longNumber) : JSON.parse(text);
  } catch (err) {
    // (valid JSON nested too deep for a reading's recursion, thousands of levels: no syntax fault to
    // name; what the splitter says of a record past --max-depth, where it did not count the levels)
    if (err instanceof RangeError) return { ok: false, code: 'INGEST_RECORD_TOO_DEEP', message: 'record nested too deep to be read (thousands of levels)', at: undefined };
    const message = syntaxError(text, err);
    // faults of some DECP exports are repaired rather than losing the record: raw control
    // characters inside strings (escaped), NaN / Infinity tokens (null), a comma before a closing
    // brace or bracket (`"nom":"Rennes",}`, `},]`: a list written by hand or by a template; dropped),
    // a member's number written as a locale writes it (`1234,56`, `1 234`, `01000`: its text, which
    // the mapping reads as it reads any number written as text), an apostrophe escaped `\'` (PHP's
    // addslashes: the apostrophe), a quote inside a string that no JSON could follow there (`"Marché
    // "Lot" 1"`: a quote); all are flagged
    const repaired = repairJson(text);
    let ok = false;
    /** The fault left once those are repaired (at its place in the record's own text) */
    let left: string | undefined;
    if (repaired.controls + repaired.nonFinite + repaired.commas + repaired.numbers + repaired.apostrophes + repaired.quotes > 0) {
      try {
        value = carefulParse(repaired.text, issues, longNumber);
        parsed = repaired.text;
        ok = true;
      } catch (again) {
        // not only these faults: the record is rejected with the one left (the first error may
        // name a fault the repair reads past: `NaN` beside the real one)
        left = syntaxError(repaired.text, again).replace(/position (\d+)/, (_, p: string) => `position ${positionBeforeRepair(Number(p), repaired.shifts)}`);
      }
    }
    if (!ok) {
      const why = left ?? message;
      return { ok: false, code: 'INGEST_RECORD_SYNTAX', message: `invalid JSON: ${why}`, at: syntaxOffset(why, text) };
    }
    suspect = true;
    const what = [
      repaired.controls > 0 ? `${repaired.controls} raw control character(s) inside strings escaped` : '',
      repaired.nonFinite > 0 ? `${repaired.nonFinite} NaN/Infinity value(s) read as null` : '',
      repaired.commas > 0 ? `${repaired.commas} comma(s) before a closing "}" or "]" ignored` : '',
      repaired.numbers > 0 ? `${repaired.numbers} number(s) written as a locale writes them (a decimal comma, digits grouped by spaces or dots, leading zeros) read as their text` : '',
      repaired.apostrophes > 0 ? `${repaired.apostrophes} apostrophe(s) escaped as \\' (PHP's addslashes, JavaScript; not a JSON escape) read as the apostrophe` : '',
      repaired.quotes > 0 ? `${repaired.quotes} quote(s) inside a string not escaped (no JSON could follow the string there) read as quotes` : '',
    ].filter(Boolean).join('; ');
    // (where: the first repair's place, the value or member it is in; said when there are more)
    const several = repaired.controls + repaired.nonFinite + repaired.commas + repaired.numbers + repaired.apostrophes + repaired.quotes > 1;
    const first = repaired.shifts.length > 0 ? pointerAt(repaired.text, Math.max(0, repaired.shifts[0]! - 1)) : undefined;
    issues.push(issue('INGEST_JSON_REPAIRED', 'warning', `not valid JSON, repaired: ${what}${several && first !== undefined ? ` (the first at ${first === '' ? 'the record itself' : first})` : ''}`, first === undefined ? {} : { pointer: first }));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return { ok: false, code: 'INGEST_RECORD_NOT_OBJECT', message: `expected a JSON object, got ${got}`, at: 0 };
  }
  if (suspect) flagMojibake(value, '', issues);
  // JSON.parse keeps the last value of a key given twice in one object: the others are flagged,
  // not dropped without a word (the careful scan only when the count says so)
  if (members === undefined || members !== membersOf(value)) {
    for (const d of duplicateKeys(parsed, { value: droppedValue, key: wellFormedKey })) {
      issues.push(issue('INGEST_JSON_DUPLICATE_KEY', 'warning', `the key ${JSON.stringify(d.key)} is given ${d.times} times in one object: its last value is kept, as JSON readers do; the value${d.times > 2 ? 's' : ''} left out ${d.times > 2 ? 'are' : 'is'} in raw`, { pointer: d.pointer, raw: d.times > 2 ? d.dropped : d.dropped[0] }));
    }
  }
  return { ok: true, data: value as Record<string, unknown>, issues, encoding: decoded.encoding, text: suspect ? undefined : text };
}

/**
 * What a number quoted by carefulParse starts with until it is found in the parsed value (and its
 * pointer noted): a noncharacter of U+FDD0–U+FDEF that the record's text holds nowhere, neither as
 * itself nor escaped (they are rare in text, not impossible); null if it holds them all.
 */
function longMark(text: string): number | null {
  for (let code = 0xfdd0; code <= 0xfdef; code++) {
    if (!text.includes(String.fromCharCode(code)) && !new RegExp(`\\\\u${code.toString(16)}`, 'i').test(text)) return code;
  }
  return null;
}

function carefulParse(text: string, issues: Issue[], longNumber: boolean): unknown {
  let source = text;
  let quotedLong = 0;
  let mark: number | null = null;
  if (longNumber && /\d{16}/.test(text)) {
    mark = longMark(text);
    const quoted = quoteLongIntegers(text, mark === null ? '' : `\\u${mark.toString(16)}`);
    quotedLong = quoted.count;
    if (quoted.count > 0) source = quoted.text;
  }
  /** Each key dropped, with the object it was in (found in the value read afterwards, for its pointer). */
  const dropped: Array<[object, string]> = [];
  let lone = 0;
  const wellFormed = (t: string): string =>
    t.replace(LONE_SURROGATE, () => {
      lone++;
      return '\uFFFD';
    });
  // per object, the well-formed keys that lone-surrogate keys were moved to (see below)
  const moved = new WeakMap<object, Set<string>>();
  let value: unknown = JSON.parse(source, function reviver(this: unknown, key: string, v: unknown) {
    if (FORBIDDEN_KEYS.has(key) && this !== null && typeof this === 'object' && !Array.isArray(this)) {
      dropped.push([this, key]);
      return undefined;
    }
    const text = typeof v === 'string' ? wellFormed(v) : v;
    // a key with a lone surrogate: moved to its well-formed spelling (keys are revived once each)
    if (this !== null && typeof this === 'object' && !Array.isArray(this)) {
      const fixed = wellFormed(key);
      if (fixed !== key) {
        // the later of two keys that are one once repaired is kept, as for any key given twice
        // (duplicateKeys flags it): a key the text writes after this one is not overwritten
        const holder = this as Record<string, unknown>;
        let into = moved.get(holder);
        if (!into) moved.set(holder, (into = new Set()));
        const keys = Object.keys(holder);
        if (into.has(fixed) || !Object.prototype.hasOwnProperty.call(holder, fixed) || keys.indexOf(fixed) < keys.indexOf(key)) {
          holder[fixed] = text;
          into.add(fixed);
        }
        return undefined;
      }
    }
    return text;
  });
  if (quotedLong > 0 && mark === null) {
    issues.push(issue('INGEST_LONG_NUMBER_AS_STRING', 'info', `${quotedLong} number(s) of 16 or more digits, more than a double holds exactly, kept as strings to avoid rounding`));
  } else if (quotedLong > 0) {
    // each number where it is (a number inside a key dropped as unsafe is not)
    const found: Array<[string, string]> = [];
    // (a value alone: a value left out of a key given twice, read by droppedValue)
    if (typeof value === 'string' && value.charCodeAt(0) === mark) value = value.slice(1);
    else unmarkLong(value, '', found, mark!);
    for (const [pointer, digits] of found.slice(0, MAX_LONG_ISSUES)) {
      issues.push(issue('INGEST_LONG_NUMBER_AS_STRING', 'info', `a number of ${digits.replace('-', '').length} digits, more than a double holds exactly, kept as a string so that it is not rounded`, { pointer, raw: digits }));
    }
    if (found.length > MAX_LONG_ISSUES) issues.push(issue('INGEST_LONG_NUMBER_AS_STRING', 'info', `${found.length - MAX_LONG_ISSUES} more number(s) of 16 or more digits, more than a double holds exactly, kept as strings`));
  }
  if (dropped.length > 0) forbiddenKeyIssues(value, dropped, issues);
  if (lone > 0) issues.push(issue('INGEST_JSON_REPAIRED', 'warning', `${lone} lone surrogate escape(s) (\\ud800…: half of a character, which no UTF-8 text can hold) read as U+FFFD`));
  return value;
}

/** Keys dropped said each where it was, up to this many (then their number). */
const MAX_FORBIDDEN_ISSUES = 20;

/**
 * Each key dropped as unsafe (`__proto__`, `constructor`, `prototype`) said where it was: its pointer
 * is the key's own (`/acheteur/__proto__`), so that validate can judge the record as written — a
 * DECP 2024 record, whose schema takes no field it does not list, is invalid with it, as the
 * official schema says. A key inside the value of another dropped key is said by that one.
 */
function forbiddenKeyIssues(value: unknown, dropped: ReadonlyArray<readonly [object, string]>, issues: Issue[]): void {
  const holders = new Map<object, string>();
  const walk = (v: unknown, pointer: string): void => {
    if (v === null || typeof v !== 'object') return;
    holders.set(v, pointer);
    if (Array.isArray(v)) v.forEach((x, k) => walk(x, `${pointer}/${k}`));
    else for (const [k, x] of Object.entries(v)) walk(x, `${pointer}/${escapePointer(k)}`);
  };
  walk(value, '');
  const found = dropped.filter(([holder]) => holders.has(holder));
  for (const [holder, key] of found.slice(0, MAX_FORBIDDEN_ISSUES)) {
    issues.push(issue('INGEST_FORBIDDEN_KEY', 'warning', `key ${JSON.stringify(key)} dropped (never used as data: it could reach an object's prototype)`, { pointer: `${holders.get(holder)!}/${escapePointer(key)}` }));
  }
  if (found.length > MAX_FORBIDDEN_ISSUES) issues.push(issue('INGEST_FORBIDDEN_KEY', 'warning', `${found.length - MAX_FORBIDDEN_ISSUES} more key(s) named __proto__, constructor or prototype dropped`));
}

/** A key as carefulParse reads it: lone surrogates as U+FFFD. */
const wellFormedKey = (key: string): string => key.replace(LONE_SURROGATE, '\uFFFD');

/**
 * A value a key given twice had before its last one, read as the record is read (long numbers kept
 * as text, unsafe keys dropped, lone surrogates repaired); its text when it does not parse alone.
 */
function droppedValue(raw: string): unknown {
  try {
    return carefulParse(raw, [], true);
  } catch {
    return raw;
  }
}

/**
 * Repair the JSON faults seen in DECP exports: raw control characters (U+0000–U+001F) inside
 * strings become escapes, bare `NaN`, `Infinity`, `-Infinity` values become `null`, and a comma
 * before a closing `}` or `]` (blanks between them) is dropped, and a member's bare number written as
 * a locale writes it (`1234,56`, `1 234`, `01000`) becomes a string of its text, and `\'` inside a
 * string (PHP's addslashes) becomes the apostrophe, and a quote followed by what cannot follow a
 * string (a letter, a digit, a quote: an inner quote not escaped) is escaped. Anything else is left as it is (the
 * caller parses the result and rejects the record if it still fails).
 */
function repairJson(text: string): { text: string; controls: number; nonFinite: number; commas: number; numbers: number; apostrophes: number; quotes: number; shifts: number[] } {
  let out = '';
  let last = 0;
  let controls = 0;
  let nonFinite = 0;
  let commas = 0;
  let numbers = 0;
  let apostrophes = 0;
  let quotes = 0;
  // after each repair, where the text goes on: its position in the repaired text, then in `text`
  const shifts: number[] = [];
  let inString = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        // `\'`, an apostrophe escaped as PHP's addslashes and JavaScript write it (JSON has no such
        // escape): the apostrophe
        if (text.charCodeAt(i + 1) === 0x27) {
          out += text.slice(last, i);
          last = i + 1;
          apostrophes++;
          shifts.push(out.length, last);
        }
        i++;
      } else if (c === 0x22) {
        // a quote that no JSON could follow here (a letter, a digit, a bracket, a quote right after it:
        // `"Marché "Lot" 1"`, `"SARL "Dupont""`, words quoted in a text an export did not escape) is
        // inside the string: escaped. (A quote after blanks, `"a" "b"`, may be a comma left out: not so read)
        let j = i + 1;
        while (j < n && isWhitespace(text.charCodeAt(j))) j++;
        if (j < n && !endsString(text.charCodeAt(j)) && !(j > i + 1 && text.charCodeAt(j) === 0x22)) {
          out += `${text.slice(last, i)}\\"`;
          last = i + 1;
          quotes++;
          shifts.push(out.length, last);
        } else inString = false;
      }
      else if (c < 0x20) {
        out += text.slice(last, i) + (c === 0x0a ? '\\n' : c === 0x0d ? '\\r' : c === 0x09 ? '\\t' : `\\u${c.toString(16).padStart(4, '0')}`);
        last = i + 1;
        controls++;
        shifts.push(out.length, last);
      }
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    if (c === 0x3a) {
      // a member's bare number as a locale writes it (`1234,56`, `1 234`, `1.234.567`, `01000`): its text
      let j = i + 1;
      while (j < n && isWhitespace(text.charCodeAt(j))) j++;
      const token = localeNumberAt(text, j);
      if (token !== null) {
        out += `${text.slice(last, j)}"${token}"`;
        last = j + token.length;
        i = last - 1;
        numbers++;
        shifts.push(out.length, last);
      }
      continue;
    }
    if (c === 0x2c) {
      let j = i + 1;
      while (j < n && isWhitespace(text.charCodeAt(j))) j++;
      const next = text.charCodeAt(j);
      if (next === 0x7d || next === 0x5d) {
        out += text.slice(last, i);
        last = i + 1;
        commas++;
        shifts.push(out.length, last);
      }
      continue;
    }
    if (c === 0x4e || c === 0x49 || c === 0x2d) {
      const token = c === 0x4e ? 'NaN' : c === 0x49 ? 'Infinity' : '-Infinity';
      if (text.startsWith(token, i)) {
        const after = text.charCodeAt(i + token.length);
        if (Number.isNaN(after) || !/[A-Za-z0-9_]/.test(String.fromCharCode(after))) {
          out += `${text.slice(last, i)}null`;
          last = i + token.length;
          i = last - 1;
          nonFinite++;
          shifts.push(out.length, last);
        }
      }
    }
  }
  return { text: last === 0 ? text : out + text.slice(last), controls, nonFinite, commas, numbers, apostrophes, quotes, shifts };
}

/** A bare number up to the end of its member (digits and the marks a locale groups or splits them with), then blanks and "," "}" or "]". */
const BARE_NUMBER = /-?\d[\d \u00a0\u202f.,]*\d(?=[ \t\n\r]*[,}\]])|-?\d(?=[ \t\n\r]*[,}\]])/y;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
/** Digits grouped by threes with a space (a no-break one too) or a dot, then a decimal comma; or leading zeros (a code). */
const LOCALE_NUMBER = /^-?\d+(?:[ \u00a0\u202f.]\d{3})*(?:,\d+)?$|^-?0\d+(?:\.\d+)?$/;

/**
 * The member value at `at`, when it is a number written as a locale writes it, which JSON does not
 * allow (`1234,56`, `1 234 567,8`, `1.234.567`, `01000`), else null. Never a valid JSON number; never
 * inside a list (`[1,234]` is two numbers): only after a member's ":". In valid JSON a "," after a
 * member's value is followed by a key's quote, never by a digit, so the decimal comma is no guess.
 */
function localeNumberAt(text: string, at: number): string | null {
  BARE_NUMBER.lastIndex = at;
  const m = BARE_NUMBER.exec(text);
  if (m === null) return null;
  const token = m[0];
  return !JSON_NUMBER.test(token) && LOCALE_NUMBER.test(token) ? token : null;
}

/**
 * Where, in the text of `bytes` decoded as UTF-8, the first bytes that are not UTF-8 are (a character
 * offset: the text before them is the same however they are decoded), or null when there are none.
 * A U+FFFD the bytes spell themselves (EF BF BD) is text, not a fault.
 */
function firstInvalidUtf8(bytes: Buffer): number | null {
  const text = bytes.toString('utf8');
  let bytesBefore = 0;
  let counted = 0;
  for (let k = text.indexOf('\uFFFD'); k >= 0; k = text.indexOf('\uFFFD', k + 1)) {
    bytesBefore += Buffer.byteLength(text.slice(counted, k));
    counted = k;
    if (!(bytes[bytesBefore] === 0xef && bytes[bytesBefore + 1] === 0xbf && bytes[bytesBefore + 2] === 0xbd)) return k;
    bytesBefore += 3;
    counted = k + 1;
  }
  return null;
}

/** What may follow a string's closing quote in JSON (after blanks): "," "}" "]" or ":" (a key's). */
const endsString = (c: number): boolean => c === 0x2c || c === 0x7d || c === 0x5d || c === 0x3a;


/**
 * Why `text` is not JSON, as JSON.parse says it of the text itself: carefulParse quotes long
 * numbers first, so the positions its errors give are off by a few bytes per such number before the
 * fault. `failure`, what the parse that failed threw, is the answer if JSON.parse takes the text.
 */
function syntaxError(text: string, failure: unknown): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return withoutSource(err instanceof Error ? err.message : String(err));
  }
  return withoutSource(failure instanceof Error ? failure.message : String(failure));
}

/** A position in repairJson's text → the same place in the text it repaired (see its `shifts`). */
function positionBeforeRepair(at: number, shifts: readonly number[]): number {
  let k = shifts.length - 2;
  while (k >= 0 && shifts[k]! > at) k -= 2;
  return k < 0 ? at : shifts[k + 1]! + (at - shifts[k]!);
}

/** Long numbers flagged one by one in a record; past them, one flag says how many more. */
const MAX_LONG_ISSUES = 20;

/** Strip `mark` (longMark) from the strings of `value` that start with it (in place), noting each one's pointer and digits. */
function unmarkLong(value: unknown, pointer: string, found: Array<[string, string]>, mark: number): void {
  if (value === null || typeof value !== 'object') return;
  const holder = value as Record<string, unknown>;
  for (const k of Object.keys(holder)) {
    const v = holder[k];
    const at = `${pointer}/${Array.isArray(value) ? k : escapePointer(k)}`;
    if (typeof v === 'string') {
      if (v.charCodeAt(0) === mark) {
        holder[k] = v.slice(1);
        found.push([at, v.slice(1)]);
      }
    } else unmarkLong(v, at, found, mark);
  }
}

/**
 * Does a double hold this integer's digits exactly (`1000000000000000`, `10000000000000000`: read
 * as a number, written back the same), so that reading it as a number loses nothing?
 */
export const exactInteger = (digits: string): boolean => String(Number(digits)) === digits;

/**
 * Quote integers of 16+ digits that stand outside strings and that a double cannot hold exactly:
 * `{"id":12345678901234567}` → `{"id":"12345678901234567"}` (after `mark`, JSON text put before the
 * digits, when given).
 */
function quoteLongIntegers(text: string, mark = ''): { text: string; count: number } {
  let out = '';
  let count = 0;
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
      continue;
    }
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
      let j = i;
      while (j < n && /[-+0-9.eE]/.test(text[j]!)) j++;
      const token = text.slice(i, j);
      if (/^-?\d{16,}$/.test(token) && !exactInteger(token)) {
        out += `${text.slice(last, i)}"${mark}${token}"`;
        last = j;
        count++;
      }
      i = j;
      continue;
    }
    i++;
  }
  return { text: count === 0 ? text : out + text.slice(last), count };
}

function flagMojibake(value: unknown, pointer: string, issues: Issue[]): void {
  if (issues.length > 50) return;
  if (typeof value === 'string') {
    if (looksLikeMojibake(value)) {
      issues.push(issue('INGEST_MOJIBAKE', 'warning', `text looks double-encoded (UTF-8 read as Latin-1): ${JSON.stringify(value.slice(0, 80))}`, { pointer }));
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, k) => flagMojibake(v, `${pointer}/${k}`, issues));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flagMojibake(v, `${pointer}/${escapePointer(k)}`, issues);
  }
}


/** V8 reports "... at position N" (UTF-16 units); turn it into a byte offset. */
/**
 * JSON.parse's message less the record's text it may quote (`Unexpected token 'x', "…" is not valid
 * JSON`): a reject's reason names the fault and its position, never the data, which may name a
 * natural person (the excerpt is the reject's, withheld when the profile says so).
 */
function withoutSource(message: string): string {
  return message.replace(/,\s*(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)?\s+is not valid JSON$/, ' (the text is not valid JSON)');
}

function syntaxOffset(message: string, text: string): number | undefined {
  const m = /position (\d+)/.exec(message);
  if (!m) return undefined;
  const pos = Number(m[1]);
  return Buffer.byteLength(text.slice(0, pos), 'utf8');
}
