/**
 * The records of a pretty-printed list told apart by their indentation, inside what the splitter
 * took for one record.
 *
 * The splitter finds a record's end where its braces balance. A brace missing inside a record
 * written over lines (`"acheteur": {"id": "…"` never closed) leaves them unbalanced by one, and the
 * record runs on over the records after it, up to where braces happen to balance (the list's
 * closing bracket, or the end of the file): all of them would be lost with it, as one reject. A
 * pretty-printed list says where its records start: each opens with `{` at the start of a line, at
 * the list's own indentation, after the line that closed the one before (`}`, `},`).
 *
 * `recordsByIndent` is asked about a record that does not parse only. It trusts the indentation
 * only when it is consistent: every line inside a piece (not its first, not its last) is indented
 * deeper than the lines that open and close the pieces, and nothing but closing brackets follows
 * the last piece. Otherwise it answers null and the record stays one reject, as before.
 */

import { COMMA, CR, decpContainer, LBRACE, NL, parsesAlone, RBRACE, RBRACKET } from './json-splitter.js';

/** A piece of a run-on record: [start, end), and the DECP list it is in when not the record's own (see nextLists). */
export type Piece = readonly [number, number] | readonly [number, number, 'marche' | 'contrat-concession'];

const SPACE = 0x20;
const TAB = 0x09;

interface Line {
  /** Offset of its first byte. */
  readonly start: number;
  /** Blanks before its first byte that is not one; -1 for a blank line. */
  readonly indent: number;
  /** Its first byte that is not a blank (-1: none). */
  readonly first: number;
  /** Its last byte that is not a blank (-1: none). */
  readonly last: number;
}

const isBlank = (c: number): boolean => c === SPACE || c === TAB || c === CR;

function linesOf(bytes: Uint8Array): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(NL, start);
    if (end < 0) end = bytes.length;
    let first = start;
    while (first < end && isBlank(bytes[first]!)) first++;
    let last = end - 1;
    while (last >= first && isBlank(bytes[last]!)) last--;
    const blank = first === end;
    lines.push({ start, indent: blank ? -1 : first - start, first: blank ? -1 : first, last: blank ? -1 : last });
    start = end + 1;
  }
  return lines;
}

/** Where the `}` that a line ends with is (a comma after it allowed), or -1. */
function closingBrace(bytes: Uint8Array, line: Line): number {
  if (line.last < 0) return -1;
  let k = line.last;
  if (bytes[k] === COMMA) {
    k--;
    while (k >= line.first && isBlank(bytes[k]!)) k--;
  }
  return k >= line.first && bytes[k] === RBRACE ? k : -1;
}

/** Is the line made of closing brackets, commas and blanks only (a blank line too)? */
function onlyClosers(bytes: Uint8Array, line: Line): boolean {
  for (let k = line.first; k >= 0 && k <= line.last; k++) {
    const c = bytes[k]!;
    if (c !== RBRACE && c !== RBRACKET && c !== COMMA && !isBlank(c)) return false;
  }
  return true;
}

/** Is the line a comma alone (blanks around it)? */
function onlyCommas(bytes: Uint8Array, line: Line): boolean {
  if (line.first < 0) return false;
  for (let k = line.first; k <= line.last; k++) if (bytes[k] !== COMMA && !isBlank(bytes[k]!)) return false;
  return true;
}

/**
 * The pieces of `bytes` (a record that does not parse, its first byte its `{`) that are records of
 * their own, as [start, end) offsets, when its lines say so (see the module's comment); null when
 * they do not, or when there is only one.
 */
export function recordsByIndent(bytes: Uint8Array): Array<readonly [number, number]> | null {
  if (bytes[0] !== LBRACE || bytes.indexOf(NL) < 0) return null;
  const lines = linesOf(bytes);
  // the list's indentation: the least of the lines (after the first) that open with `{`
  let indent = Number.POSITIVE_INFINITY;
  for (let k = 1; k < lines.length; k++) if (lines[k]!.first >= 0 && bytes[lines[k]!.first] === LBRACE) indent = Math.min(indent, lines[k]!.indent);
  if (indent === Number.POSITIVE_INFINITY) return null;
  // each piece starts on a line that opens with `{` at that indentation, after a line ending with `}`
  // (the one before closed there), or after a line of a comma alone, no deeper (its `}` is the one missing)
  const starts = [0];
  let before = lines[0]!;
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.first < 0) continue;
    if (line.indent === indent && bytes[line.first] === LBRACE && (closingBrace(bytes, before) >= 0 || (before.indent <= indent && onlyCommas(bytes, before)))) starts.push(k);
    before = line;
  }
  if (starts.length < 2) return null;
  const pieces: Array<readonly [number, number]> = [];
  // a piece without its closing line: the record whose own `}` is missing (one at most)
  let unclosed = false;
  for (let p = 0; p < starts.length; p++) {
    const from = starts[p]!;
    const to = p + 1 < starts.length ? starts[p + 1]! : lines.length;
    const last = p + 1 === starts.length;
    // its closing line: the last one of its lines that ends with `}`, at the list's indentation (or
    // its first line, for a record on one line)
    let close = -1;
    for (let k = to - 1; k >= from; k--) {
      const line = lines[k]!;
      if (line.first < 0) continue;
      if ((k === from || (line.indent === indent && bytes[line.first] === RBRACE)) && closingBrace(bytes, line) >= 0) {
        close = k;
        break;
      }
      // (after the last piece's closing line: only the brackets that ended the capture)
      if (last && !onlyClosers(bytes, line)) return null;
      if (!last) break;
    }
    if (close < 0) {
      // it ends at its last line, before the comma that followed its missing brace
      if (last || unclosed) return null;
      unclosed = true;
      let end = to - 1;
      while (end > from && (lines[end]!.first < 0 || (lines[end]!.indent <= indent && onlyCommas(bytes, lines[end]!)))) end--;
      for (let k = from + 1; k <= end; k++) if (lines[k]!.first >= 0 && lines[k]!.indent <= indent) return null;
      pieces.push([p === 0 ? 0 : lines[from]!.first, lines[end]!.last + 1]);
      continue;
    }
    // inside it, every line deeper than the list's indentation
    for (let k = from + 1; k < close; k++) if (lines[k]!.first >= 0 && lines[k]!.indent <= indent) return null;
    pieces.push([lines[from]!.first < 0 ? lines[from]!.start : p === 0 ? 0 : lines[from]!.first, closingBrace(bytes, lines[close]!) + 1]);
  }
  return pieces;
}

/**
 * The first two keys of the object whose `{` is at `at` in `text` (as written, quotes included;
 * the second null when it has one key), or null when it does not start as an object.
 */
function firstKeys(text: string, at: number): readonly [string, string | null] | null {
  const ws = /\s*/y;
  const key = /"(?:[^"\\]|\\.)*"\s*:/y;
  const skip = (i: number): number => {
    ws.lastIndex = i;
    ws.exec(text);
    return ws.lastIndex;
  };
  let i = skip(at + 1);
  key.lastIndex = i;
  const k1 = key.exec(text);
  if (k1 === null) return null;
  // past the first value, to the comma after it (strings skipped whole, brackets counted)
  let depth = 0;
  for (i = key.lastIndex; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === LBRACE || c === 0x5b) depth++;
    else if (c === RBRACE || c === RBRACKET) {
      if (depth === 0) return [k1[0].replace(/\s*:$/, ''), null];
      depth--;
    } else if (c === COMMA && depth === 0) break;
  }
  key.lastIndex = skip(i + 1);
  const k2 = key.exec(text);
  return [k1[0].replace(/\s*:$/, ''), k2 === null ? null : k2[0].replace(/\s*:$/, '')];
}

/** Does `bytes[from..to)` hold one JSON object? */
function isObject(bytes: Buffer, from: number, to: number): boolean {
  const v = parsesAlone(bytes, from, to);
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The records of a list inside a record that ran on over them (its braces do not balance), told
 * apart by their first two keys when the indentation says nothing (a file on one line): each
 * starts at a `{` right after a comma whose first two keys are the damaged record's (the capture's
 * first), and the last one ends before its list's `]`, with no object after it in the capture —
 * or, `lists`, only the DECP lists after it (`],"contrat-concession":[{…}]`), each of objects that
 * parse: their objects are pieces too, of their own list (see nextLists).
 * Trusted only when every piece but the first (the damaged record) is an object that parses.
 */
export function recordsByKeys(bytes: Uint8Array, lists = false): Piece[] | null {
  if (bytes[0] !== LBRACE) return null;
  // (single bytes to characters: offsets stay byte offsets; keys and structure are ASCII)
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const text = buf.toString('latin1');
  // (the damaged record's first two keys: a list's records are written alike; the objects of a list
  // inside a record, its suppliers, parse too, and are no records of this list)
  const own = firstKeys(text, 0);
  if (own === null || own[1] === null) return null;
  const starts: number[] = [];
  // (after any value: the record before may be the one whose own "}" is missing)
  const between = /,\s*\{/g;
  for (let m = between.exec(text); m !== null; m = between.exec(text)) {
    const open = m.index + m[0].length - 1;
    const keys = firstKeys(text, open);
    if (keys !== null && keys[0] === own[0] && keys[1] === own[1]) starts.push(open);
  }
  if (starts.length === 0) return null;
  // the last record ends at a "}" that its list's "]" follows (the first one where it parses); after
  // it, only the document's own brackets and keys: no object, nothing of another list lost with it
  // (where the braces balanced depends on the fault: at the list's "]", or past it when a quote lost
  // made brackets of text, up to the "}" of the object that holds the list)
  const last = starts[starts.length - 1]!;
  const listEnd = /\}\s*\]/g;
  listEnd.lastIndex = last;
  let lastEnd = -1;
  for (let m = listEnd.exec(text); m !== null && lastEnd < 0; m = listEnd.exec(text)) if (isObject(buf, last, m.index + 1)) lastEnd = m.index + 1;
  if (lastEnd < 0) return null;
  // (… or, `lists`, the next DECP lists of the document, each of objects that parse: a 2024
  // document's concessions after its marchés, read in their own list, not lost with the capture)
  const after = !text.includes('{', lastEnd) ? [] : lists ? nextLists(buf, text, lastEnd) : null;
  if (after === null) return null;
  const pieces: Piece[] = [];
  for (let p = 0; p <= starts.length; p++) {
    const from = p === 0 ? 0 : starts[p - 1]!;
    // (a piece ends before the comma that comes before the next one)
    let to = p < starts.length ? text.lastIndexOf(',', starts[p]!) : lastEnd;
    while (to > from && /\s/.test(text[to - 1]!)) to--;
    pieces.push([from, to]);
  }
  return pieces.slice(1).every(([from, to]) => isObject(buf, from, to)) ? [...pieces, ...after] : null;
}

/**
 * After the list of a run-on record's last piece (`text` from that list's `]` at `from`): the DECP
 * lists that follow it in the capture (`],"contrat-concession":[{…},{…}]`, a 2024 document's), each
 * of objects that each parse, then only closing brackets: their objects as pieces of their list; null
 * when the text is anything else (an object after it would be lost with the capture: the record
 * stays one reject).
 */
function nextLists(buf: Buffer, text: string, from: number): Piece[] | null {
  const out: Piece[] = [];
  const head = /\s*\]\s*,\s*"([^"\\]*)"\s*:\s*\[/y;
  const blanks = /\s*/y;
  let i = from;
  for (;;) {
    head.lastIndex = i;
    const m = head.exec(text);
    if (m === null) break;
    const container = decpContainer(m[1]!);
    if (container === null) return null;
    i = head.lastIndex;
    for (let first = true; ; first = false) {
      blanks.lastIndex = i;
      blanks.exec(text);
      i = blanks.lastIndex;
      if (text[i] === ']' && first) break;
      if (text[i] !== '{') return null;
      const end = objectEnd(text, i);
      if (end < 0 || !isObject(buf, i, end)) return null;
      out.push([i, end, container]);
      blanks.lastIndex = end;
      blanks.exec(text);
      i = blanks.lastIndex;
      if (text[i] === ']') break;
      if (text[i] !== ',') return null;
      i++;
    }
    // (i: at the list's "]", which the next head or the closing brackets take)
  }
  return text.includes('{', i) ? null : out;
}

/** The end (after its "}") of the object whose "{" is at `at`, its strings skipped whole; -1 when it does not close. */
function objectEnd(text: string, at: number): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === LBRACE || c === 0x5b) depth++;
    else if ((c === RBRACE || c === RBRACKET) && --depth === 0) return i + 1;
  }
  return -1;
}

/** The records of a list inside a record that ran on over them: by indentation, else by their keys. */
export function recordsOfRunOn(bytes: Uint8Array): { readonly pieces: readonly Piece[]; readonly by: 'indentation' | 'first keys' } | null {
  const byIndent = recordsByIndent(bytes);
  if (byIndent !== null) return { pieces: byIndent, by: 'indentation' };
  const byKeys = recordsByKeys(bytes, true);
  return byKeys === null ? null : { pieces: byKeys, by: 'first keys' };
}
