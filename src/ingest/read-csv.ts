/**
 * CSV bytes → records (one per row, or one per group of consecutive rows), read through a mapping
 * profile (records of type `unknown`, as a partner's JSON records).
 *
 * A byte-level row splitter of our own rather than csv-parse: measured on hostile input, csv-parse
 * 6.2 (skip_records_with_error) looped on a record over max_record_size (the same skip again and
 * again, the rows after it lost), let an unclosed quote swallow every row to the end of the file, and
 * crashed on `encoding: null` when a row had a field too many. Here every physical row is accounted
 * for: a quote that is not closed within --max-record-bytes, or by the end of the file, is one reject
 * at the line where it opened, and reading resumes on the next line.
 *
 * RFC 4180 with the usual tolerances: `,` `;` tab or `|` (given, or the one the header line has most
 * of outside quotes), `\n` or `\r\n` line ends, `""` inside quotes, a quote inside an unquoted field
 * kept as it is (`12"`); a quoted field followed by anything but a separator or the line end is a
 * syntax error (the row is rejected). Structural bytes are ASCII, so rows are found on bytes and each
 * row is decoded on its own (UTF-8, its bytes that are not UTF-8 read as Windows-1252 and flagged; or
 * the encoding forced).
 */
import { issue, type Issue } from '../core/issues.js';
import { FORBIDDEN_KEYS } from '../core/keys.js';
import { HashSet53 } from '../core/hash-set53.js';
import { hash53 } from '../transform/hash.js';
import { decodeRecord, looksLikeMojibake, type Encoding } from './decode.js';
import { batchesOf, excerptOf, type FileState, type Splitter } from './file-state.js';
import type { IngestEvent } from './types.js';

/** How a profile reads its CSV files (`settings.csv`, docs/mappings.md). */
export interface CsvOptions {
  /** The field separator; default: detected from the header line. */
  readonly delimiter?: string | undefined;
  /** Columns whose values, equal on consecutive rows, make those rows one record (item lines of one contract). */
  readonly groupBy?: readonly string[] | undefined;
  /** The key under which a grouped record lists its rows (default `lines`). */
  readonly lines?: string | undefined;
}

export interface CsvReadOptions {
  readonly maxRecordBytes: number;
  readonly shouldStop: () => boolean;
  readonly csv: CsvOptions;
}

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;

/** A row found by the splitter: its fields as byte ranges, or why it cannot be read. */
type CsvSplitEvent =
  | { readonly type: 'row'; readonly bytes: Buffer; readonly fields: readonly number[]; readonly line: number; readonly offset: number }
  | { readonly type: 'bad'; readonly line: number; readonly offset: number; readonly code: 'INGEST_RECORD_SYNTAX' | 'INGEST_RECORD_TOO_LARGE'; readonly reason: string; readonly excerpt: Buffer }
  | { readonly type: 'end' };

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Rows of CSV bytes, in any chunking. A row's `fields` are triples (start, end, quoted) relative to
 * `bytes`; a quoted field's range is inside its quotes (`""` still doubled).
 */
export class CsvRowSplitter implements Splitter<CsvSplitEvent> {
  /** Bytes from the start of the row in progress (nothing else is held). */
  private pending: Buffer = Buffer.alloc(0);
  /** Line and byte offset of `pending`'s first byte. */
  private line = 1;
  private offset = 0;
  /** A row too large and not quoted: its bytes are skipped up to its line end. */
  private skipping: { line: number; offset: number; excerpt: Buffer } | null = null;

  constructor(
    private delimiter: number | null,
    private readonly maxRowBytes: number,
  ) {}

  /** The separator in use (null until the header line is whole, when it is detected). */
  get separator(): number | null {
    return this.delimiter;
  }

  push(chunk: Buffer): CsvSplitEvent[] {
    const out: CsvSplitEvent[] = [];
    let bytes = chunk;
    if (this.skipping) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.offset += chunk.length;
        return out;
      }
      const s = this.skipping;
      out.push({ type: 'bad', line: s.line, offset: s.offset, code: 'INGEST_RECORD_TOO_LARGE', reason: `the row is larger than ${this.maxRowBytes} bytes (--max-record-bytes): rejected whole`, excerpt: s.excerpt });
      this.skipping = null;
      this.offset += nl + 1;
      this.line++;
      bytes = chunk.subarray(nl + 1);
    }
    this.pending = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    this.scan(out, false);
    return out;
  }

  end(): CsvSplitEvent[] {
    const out: CsvSplitEvent[] = [];
    if (this.skipping) {
      const s = this.skipping;
      out.push({ type: 'bad', line: s.line, offset: s.offset, code: 'INGEST_RECORD_TOO_LARGE', reason: `the row is larger than ${this.maxRowBytes} bytes (--max-record-bytes): rejected whole`, excerpt: s.excerpt });
      this.skipping = null;
    }
    this.scan(out, true);
    out.push({ type: 'end' });
    return out;
  }

  /** Rows whole in `pending`; at the end of input, the last one too. */
  private scan(out: CsvSplitEvent[], final: boolean): void {
    const b = this.pending;
    let start = 0;
    for (;;) {
      if (start >= b.length) break;
      if (this.delimiter === null) {
        // the header line decides the separator: wait until it is whole
        const nl = b.indexOf(LF, start);
        if (nl < 0 && !final) break;
        this.delimiter = detectDelimiter(b.subarray(start, nl < 0 ? b.length : nl));
      }
      const row = this.row(b, start, final);
      if (row === null) break;
      if (row.kind === 'row' || row.kind === 'malformed') {
        const end = row.end;
        let last = end;
        if (last > start && b[last - 1] === CR) last--;
        if (row.kind === 'malformed') {
          out.push({ type: 'bad', line: this.line, offset: this.offset, code: 'INGEST_RECORD_SYNTAX', reason: `a quoted field is followed by ${JSON.stringify(String.fromCharCode(b[row.at]!))} (byte ${row.at - start + 1} of the row) instead of a separator or the line end`, excerpt: Buffer.from(b.subarray(start, Math.min(last, start + 200))) });
        } else if (last > start) {
          const fields = row.fields.map((v, k) => (k % 3 === 2 ? v : Math.min(v, last) - start));
          out.push({ type: 'row', bytes: b.subarray(start, last), fields, line: this.line, offset: this.offset });
        }
        const next = Math.min(end + 1, b.length);
        this.advance(b, start, next);
        start = next;
      } else if (row.kind === 'unclosed') {
        // a quote that does not close: the row is rejected from its first line, reading resumes on the
        // line after it (the quote may have been a stray one)
        const nl = b.indexOf(LF, start);
        const lineEnd = nl < 0 ? b.length : nl;
        out.push({ type: 'bad', line: this.line, offset: this.offset, code: 'INGEST_RECORD_SYNTAX', reason: `a quoted field opened on this line is not closed ${final ? 'by the end of the file' : `within ${this.maxRowBytes} bytes`}: this line is rejected, reading resumes on the next one`, excerpt: b.subarray(start, Math.min(lineEnd, start + 200)) });
        const next = Math.min(lineEnd + 1, b.length);
        this.advance(b, start, next);
        start = next;
      } else {
        // too large and not inside quotes: skip to its line end
        this.skipping = { line: this.line, offset: this.offset, excerpt: Buffer.from(b.subarray(start, start + 200)) };
        this.offset += b.length - start;
        start = b.length;
        break;
      }
    }
    this.pending = start >= b.length ? Buffer.alloc(0) : Buffer.from(b.subarray(start));
  }

  private advance(b: Buffer, from: number, to: number): void {
    for (let i = from; i < to; i++) if (b[i] === LF) this.line++;
    this.offset += to - from;
  }

  /**
   * The row starting at `start`: its end (the index of its LF, or the buffer's length at the end of
   * input) and its fields; null when more bytes are needed.
   */
  private row(b: Buffer, start: number, final: boolean): { kind: 'row'; end: number; fields: number[] } | { kind: 'malformed'; end: number; at: number } | { kind: 'unclosed' } | { kind: 'large' } | null {
    const d = this.delimiter!;
    const fields: number[] = [];
    let i = start;
    for (;;) {
      // a field starts at i
      if (i < b.length && b[i] === QUOTE) {
        const open = i + 1;
        let j = open;
        for (;;) {
          const q = b.indexOf(QUOTE, j);
          if (q < 0 || q + 1 >= b.length) {
            if (q >= 0 && final) {
              // the closing quote is the file's last byte
              fields.push(open, q, 1);
              return { kind: 'row', end: b.length, fields };
            }
            if (final) return { kind: 'unclosed' };
            return b.length - start > this.maxRowBytes ? { kind: 'unclosed' } : null;
          }
          if (b[q + 1] === QUOTE) {
            j = q + 2;
            continue;
          }
          fields.push(open, q, 1);
          const after = b[q + 1]!;
          if (after === d) {
            i = q + 2;
            break;
          }
          if (after === LF) return { kind: 'row', end: q + 1, fields };
          if (after === CR && (q + 2 >= b.length ? final : b[q + 2] === LF)) return { kind: 'row', end: q + 2 >= b.length ? b.length : q + 2, fields };
          if (after === CR && q + 2 >= b.length) return null;
          // `"abc"x`: the row is malformed; it ends at its line end (outside quotes from here)
          const nl = b.indexOf(LF, q + 1);
          if (nl < 0 && !final) return b.length - start > this.maxRowBytes ? { kind: 'large' } : null;
          return { kind: 'malformed', end: nl < 0 ? b.length : nl, at: q + 1 };
        }
        continue;
      }
      // an unquoted field: up to the separator or the line end
      let k = i;
      while (k < b.length && b[k] !== d && b[k] !== LF) k++;
      if (k >= b.length && !final) return b.length - start > this.maxRowBytes ? { kind: 'large' } : null;
      fields.push(i, k, 0);
      if (k < b.length && b[k] === d) {
        i = k + 1;
        continue;
      }
      return { kind: 'row', end: k, fields };
    }
  }
}

/** The separator a header line uses most outside quotes (`,` when it has none). */
export function detectDelimiter(line: Buffer): number {
  const counts = new Map<number, number>(CSV_DELIMITERS.map((c) => [c.charCodeAt(0), 0]));
  let quoted = false;
  for (const c of line) {
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = 0x2c;
  let n = 0;
  for (const [c, k] of counts) {
    if (k > n) {
      best = c;
      n = k;
    }
  }
  return best;
}

/**
 * The fields of a row as text (quotes removed, `""` undoubled), each decoded on its own: as UTF-8
 * when the row is, else in `encoding` (UTF-8 with Windows-1252 for the bytes that are not: decodeRecord).
 */
function fieldTexts(bytes: Buffer, fields: readonly number[], encoding: Encoding | null): string[] {
  const out: string[] = [];
  for (let k = 0; k < fields.length; k += 3) {
    const s = fields[k]!;
    const e = fields[k + 1]!;
    let v = encoding === null ? bytes.toString('utf8', s, e) : decodeRecord(bytes.subarray(s, e), encoding).text;
    if (fields[k + 2] === 1) v = v.replaceAll('""', '"');
    out.push(v);
  }
  return out;
}

export async function* readCsv(chunks: AsyncIterable<Buffer>, state: FileState, options: CsvReadOptions): AsyncGenerator<IngestEvent[]> {
  state.format = 'csv';
  const given = options.csv.delimiter;
  const splitter = new CsvRowSplitter(given === undefined ? null : given.charCodeAt(0), options.maxRecordBytes);
  const linesKey = options.csv.lines ?? 'lines';
  const groupBy = options.csv.groupBy ?? [];
  let header: string[] | null = null;
  /** Rows that are only separators (spreadsheet exports end with them): skipped, counted. */
  let blank = 0;
  let firstBlank = 0;
  // the group in progress: its rows and where its first row is
  let group: { key: string; rows: Record<string, string>[]; line: number; offset: number; issues: Issue[]; bytes: number; excerpt: Buffer } | null = null;
  const seen = new HashSet53();
  const keyOf = (row: Record<string, string>): string => groupBy.map((c) => row[c] ?? '').join('\u0000');
  const flush = (): IngestEvent | null => {
    if (group === null) return null;
    const g = group;
    group = null;
    const where = { line: g.line, offset: g.offset };
    if (g.bytes > options.maxRecordBytes) return state.reject(where, 'INGEST_RECORD_TOO_LARGE', `the ${g.rows.length} rows of this group are larger than ${options.maxRecordBytes} bytes (--max-record-bytes) together`, excerptOf(g.excerpt));
    const blankKey = groupBy.every((c) => (g.rows[0]![c] ?? '').trim() === '');
    if (!blankKey) {
      const h = hash53(g.key);
      if (seen.has(h)) {
        return state.reject(where, 'INGEST_RECORD_SYNTAX', `rows of ${groupBy.join(' + ')} ${JSON.stringify(g.key.split('\u0000').join(' + '))} were read earlier in the file, apart from these: the rows of one record must follow each other (sort the file by ${groupBy.join(', ')})`, excerptOf(g.excerpt));
      }
      seen.add(h);
    }
    const data: Record<string, unknown> = { ...g.rows[0]!, [linesKey]: g.rows };
    return state.accept({ type: 'unknown', version: null, data, provenance: state.provenance(where), issues: g.issues });
  };
  const handle = (ev: CsvSplitEvent): IngestEvent | readonly IngestEvent[] | null => {
    if (ev.type === 'end') {
      if (header === null) state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', 'the CSV file has no header line', { file: state.file.file }));
      if (blank > 0) state.issues.push(issue('INGEST_FILE_SYNTAX', 'info', `${blank} row(s) holding only separators skipped (the first on line ${firstBlank})`, { file: state.file.file, line: firstBlank }));
      return flush();
    }
    const where = { line: ev.line, offset: ev.offset };
    // (a bad row inside a group is rejected alone: the group goes on)
    if (ev.type === 'bad') return state.reject(where, ev.code, ev.reason, excerptOf(ev.excerpt));
    const decoded = decodeRecord(ev.bytes, state.encoding);
    if (decoded.fellBack) state.fellBack = true;
    const values = fieldTexts(ev.bytes, ev.fields, decoded.encoding === 'utf-8' ? null : state.encoding);
    if (header === null) {
      header = columnsOf(values, state, ev.line);
      return null;
    }
    if (values.every((v) => v.trim() === '')) {
      if (blank++ === 0) firstBlank = ev.line;
      return null;
    }
    // trailing empty fields beyond the header (a spreadsheet's) are nothing; other counts are misaligned
    let n = values.length;
    while (n > header.length && values[n - 1]!.trim() === '') n--;
    if (n !== header.length) return state.reject(where, 'INGEST_RECORD_SYNTAX', `the row has ${values.length} fields where the header line has ${header.length}: its values cannot be matched to the columns`, excerptOf(ev.bytes));
    const row: Record<string, string> = {};
    for (let k = 0; k < header.length; k++) if (header[k] !== '') row[header[k]!] = values[k]!;
    const issues: Issue[] = [];
    if (decoded.fellBack) issues.push(issue('INGEST_ENCODING_FALLBACK', 'warning', 'row bytes are not all valid UTF-8: those that are not were decoded as Windows-1252'));
    if (looksLikeMojibake(decoded.text)) issues.push(issue('INGEST_MOJIBAKE', 'warning', 'the row looks double-encoded ("Ã©" for "é"): kept as it is'));
    if (groupBy.length === 0) return state.accept({ type: 'unknown', version: null, data: row, provenance: state.provenance(where), issues });
    const key = keyOf(row);
    const blankKey = groupBy.every((c) => (row[c] ?? '').trim() === '');
    let early: IngestEvent | null = null;
    if (group !== null && (blankKey || group.key !== key || groupBy.every((c) => (group!.rows[0]![c] ?? '').trim() === ''))) early = flush();
    if (group === null) group = { key, rows: [], line: ev.line, offset: ev.offset, issues: [], bytes: 0, excerpt: Buffer.from(ev.bytes.subarray(0, 200)) };
    group.bytes += ev.bytes.length;
    // (past the size limit, the rows are counted, not kept: the group is rejected whole)
    if (group.bytes <= options.maxRecordBytes) group.rows.push(row);
    for (const i of issues) if (!group.issues.some((x) => x.code === i.code)) group.issues.push(i);
    return early;
  };
  // whole chunks: the splitter joins what it holds with each new piece
  yield* batchesOf(chunks, state, splitter, handle, options.shouldStop, undefined, Number.POSITIVE_INFINITY);
  if (header !== null && groupBy.length > 0) {
    const missing = groupBy.filter((c) => !(header as string[]).includes(c));
    if (missing.length > 0) state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the column(s) ${missing.map((c) => JSON.stringify(c)).join(', ')} that group rows (settings.csv.groupBy) are not in the header: each row was one record`, { file: state.file.file }));
  }
}

/**
 * Column names from the header line: trimmed; an empty one is `column_<n>`; a name given again is
 * `<name>_2`, `<name>_3`…; a prototype key (`__proto__`) is left out, its values with it. Said.
 */
function columnsOf(values: readonly string[], state: FileState, line: number): string[] {
  const used = new Set<string>();
  const out: string[] = [];
  values.forEach((raw, k) => {
    let name = raw.trim();
    if (name === '') name = `column_${k + 1}`;
    if (FORBIDDEN_KEYS.has(name)) {
      state.issues.push(issue('INGEST_FORBIDDEN_KEY', 'warning', `the column ${JSON.stringify(name)} is a reserved key: its values are left out`, { file: state.file.file, line }));
      out.push('');
      return;
    }
    if (used.has(name)) {
      let n = 2;
      while (used.has(`${name}_${n}`)) n++;
      state.issues.push(issue('INGEST_DUPLICATE_KEY', 'warning', `the column ${JSON.stringify(name)} is named again (column ${k + 1}): read as ${JSON.stringify(`${name}_${n}`)}`, { file: state.file.file, line }));
      name = `${name}_${n}`;
    }
    used.add(name);
    out.push(name);
  });
  return out;
}
