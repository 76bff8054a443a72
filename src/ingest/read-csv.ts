/**
 * CSV bytes → records (one per row, or one per group of consecutive rows), read through a mapping
 * profile (records of type `unknown`, as a partner's JSON records).
 *
 * A byte-level row splitter of our own rather than csv-parse: measured on hostile input, csv-parse
 * 6.2 (skip_records_with_error) looped on a record over max_record_size (the same skip again and
 * again, the rows after it lost), let an unclosed quote swallow every row to the end of the file, and
 * crashed on `encoding: null` when a row had a field too many. Here every physical row is accounted
 * for: a quoted field that closes past --max-record-bytes but within twice that (QUOTE_REACH) makes
 * its row, up to its line end, one reject (INGEST_RECORD_TOO_LARGE), reading resuming after it; a
 * quote that does not close within that reach, or by the end of the file, or that closes on a later
 * line before stray text, is one reject at the line where it opened, and reading resumes on the next
 * line.
 *
 * RFC 4180 with the usual tolerances: `,` `;` tab or `|` (given, named by an Excel `sep=;` first line,
 * or the one the header line has most of outside quotes), `\n`, `\r\n` or `\r` line ends (decided on the
 * file's first bytes; in a file of `\n` ones, a lone `\r` that ends a row of the header's width before
 * another row (a separator before the next line end), and
 * every lone `\r` after it, ends a line too: lines of another tool put after), `""` inside
 * quotes, a quote inside an unquoted field kept as it is (`12"`); a quoted field followed by anything
 * but a separator or the line end is a syntax error (the row is rejected). Structural bytes are ASCII,
 * so rows are found on bytes and each row is decoded on its own (UTF-8, its bytes that are not UTF-8
 * read as Windows-1252 and flagged; or the encoding forced).
 *
 * Every decision about a row looks at its bytes up to --max-record-bytes past its start (twice that
 * for a quoted field that runs past it), never further, and waits until they are there: the same
 * bytes in any chunking give the same events.
 */
import { issue, type Issue, type IssueCode } from '../core/issues.js';
import { FORBIDDEN_KEYS } from '../core/keys.js';
import { HashSet53 } from '../core/hash-set53.js';
import { hash53 } from '../transform/hash.js';
import { classifyRecord } from './classify.js';
import { contradiction, flatKeyColumns, flatRecord, groupKeyPart, listColumn } from './group-rows.js';
import { looseKey, underscoredSpelling } from '../transform/profile.js';
import { nearNames } from '../transform/near-names.js';
import { decodeRecord, looksLikeMojibake, type Encoding } from './decode.js';
import { batchesOf, excerptOf, type FileState, type Splitter } from './file-state.js';
import type { IngestEvent } from './types.js';

/** How a profile reads its CSV files (`settings.csv`, docs/mappings.md). */
export interface CsvOptions {
  /** The field separator; default: detected from the header line. */
  readonly delimiter?: string | undefined;
  /** The files' encoding, when no byte order mark nor --encoding says another (a profile's settings.csv.encoding). */
  readonly encoding?: Encoding | undefined;
  /** Columns whose values, equal on consecutive rows, make those rows one record (item lines of one contract). */
  readonly groupBy?: readonly string[] | undefined;
  /** The key under which a grouped record lists its rows (default `lines`). */
  readonly lines?: string | undefined;
  /**
   * The file is flat DECP (flatDecpColumns: read without a profile): each group of rows (groupBy: its
   * id and buyer-id columns) is one DECP record, its rows' suppliers numbered columns (see decpRecord).
   */
  readonly decp?: boolean | undefined;
  /** No profile maps these rows (`detect`): a flat DECP file is read as DECP, as it is without CSV settings (flatDecpColumns). */
  readonly detectDecp?: boolean | undefined;
  /**
   * Quote a rejected row's first bytes in its reject (default true). False when the profile withholds
   * data or names natural persons: a raw row would publish what the profile keeps out.
   */
  readonly excerpts?: boolean | undefined;
  /**
   * The columns the profile reads (each a list of alternatives: one is enough) and those it
   * withholds: the header is checked against them, and what it lacks is said (a misspelt column
   * reads nothing, and a misspelt withheld one publishes the column it meant).
   */
  readonly columns?: {
    readonly read: ReadonlyArray<readonly string[]>;
    readonly withheld: readonly string[];
    /**
     * The profile's lists read neither from the row itself (`.`) nor from its grouped rows (`lines`),
     * each its path's alternatives: a CSV row has them only as columns (a misnamed `lines` key read
     * no item and said nothing).
     */
    readonly lists?: ReadonlyArray<readonly string[]>;
  } | undefined;
}

export interface CsvReadOptions {
  readonly maxRecordBytes: number;
  readonly shouldStop: () => boolean;
  readonly csv: CsvOptions;
  /** Lines end with a lone `\r` (old spreadsheet exports): decided on the file's first bytes. */
  readonly crLineEnds?: boolean;
  /** Did the input break off (a cut compressed file)? Then the row in progress is not a whole row. */
  readonly wasCut?: () => boolean;
}

const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;

type BadCode = 'INGEST_RECORD_SYNTAX' | 'INGEST_RECORD_TOO_LARGE' | 'INGEST_RECORD_TRUNCATED';

/** A row found by the splitter: its fields as byte ranges, or why it cannot be read. */
type CsvSplitEvent =
  | { readonly type: 'row'; readonly bytes: Buffer; readonly fields: readonly number[]; readonly line: number; readonly offset: number; /** the input's last row, no line break after it */ readonly last?: boolean }
  | { readonly type: 'bad'; readonly line: number; readonly offset: number; readonly code: BadCode; readonly reason: string; readonly excerpt: Buffer }
  /** A line before the header line that is a title (see CsvRowSplitter.titleAt): no row. */
  | { readonly type: 'title'; readonly line: number; readonly bytes: Buffer }
  | { readonly type: 'end' };

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Columns a header may have (a wider first line is no table's header). */
const MAX_COLUMNS = 16_384;
/**
 * How far from a row's start, in --max-record-bytes, the closing quote of a quoted field that runs
 * past that limit is looked for (its bytes held meanwhile): there, a text of many lines is one
 * reject; further, its quote is taken as stray and only its first line is rejected (see row).
 */
const QUOTE_REACH = 2;
/** Keys of rejected rows held for groups not open yet (see readCsv's badAhead): rows of so many contracts lost in a row are rare. */
const MAX_KEYS_AHEAD = 1024;
/** Rejected rows without a key held with their values for sideOf, in a run (further ones: counted for both sides). */
const MAX_UNKEYED = 64;
/** The characters of each value such a row keeps (enough to tell a title or a name from another). */
const UNKEYED_VALUE_CHARS = 200;
/**
 * A rejected row without a key, as readCsv holds it for sideOf: its values where the header puts them
 * (trimmed, cut), and whether they are all it had (a row short of fields) or only its first ones (a
 * row the splitter refused: the fields before its quote).
 */
interface Unkeyed {
  readonly values: readonly string[];
  readonly whole: boolean;
}
/** Lines before the header line that may be titles (a spreadsheet's title, subtitle, date of export). */
const MAX_TITLE_LINES = 10;
/**
 * A totals row's label, its first text (`TOTAL`, `Total général :`, `Sous-total`, `Totaux`, `Montant
 * total`), before or after taxes (`Total HT`, `Total TTC`, `Total (H.T.)`, `Montant total HT :`, `Total hors taxes`);
 * and as partners' spreadsheets write it (found by a partner's probe: rejected as records without a
 * buyer): Spanish `Subtotal`, `Totales`, `Importe total`, `Monto total`, `Valor total`, `Suma total`,
 * `Total general`, with or without `IVA` (`Total con IVA`, `Total sin IVA`, `Total IVA incluido`);
 * English `Grand total`, `Totals`, `Total amount`; Ukrainian and Russian `Всього`, `Усього`, `Разом`, `Итого`.
 */
const TOTAL_LABEL = /^(?:(?:(?:sous|sub)[- ]?)?tota(?:l|ux|les|ls)|(?:montant|importe|monto|valor|suma|grand)\s+total|total\s+amount|всього|усього|разом|итого)(?:\s+g[ée]n[ée]ral)?(?:\s*\(?\s*(?:h\.?\s?t|t\.?\s?t\.?\s?c|hors\s+taxes?|toutes\s+taxes\s+comprises|(?:con|sin)\s+i\.?v\.?a|i\.?v\.?a\.?\s+inclu[ií]do|(?:incl\.?|excl\.?)\s+vat)\.?\s*\)?)?\s*:?$/iu;

/** A totals label that names nothing else (see TOTAL_LABEL): all but a bare `Total`, also a company's name. */
const isSubtotalLabel = (v: string): boolean => TOTAL_LABEL.test(v) && !/^total$/i.test(v);

type RowScan =
  | { readonly kind: 'row'; readonly end: number; readonly fields: number[]; /** the row ends at a run of this many `\r` not before a `\n` (lines, see CsvRowSplitter.loneCr); `end` is its last */ readonly crEnd?: number }
  /** A quoted field followed by text on its own line: the row runs to `end` (its line end). */
  | { readonly kind: 'malformed'; readonly end: number; readonly at: number; /** as a row's (see `row`) */ readonly crEnd?: number }
  /** A row whose extent is known (a quoted field over the limit that closes within QUOTE_REACH): rejected whole, up to `end` as a row's. */
  | { readonly kind: 'rejected'; readonly end: number; readonly code: BadCode; readonly reason: string; /** as a row's (see `row`) */ readonly crEnd?: number }
  /** The row's first line is rejected and reading resumes on the next line. */
  | { readonly kind: 'first-line'; readonly reason: string }
  /** Too large: rejected up to the first line end after byte `from`. */
  | { readonly kind: 'large'; readonly from: number; readonly code: BadCode; readonly reason: string };

/**
 * Rows of CSV bytes, in any chunking. A row's `fields` are triples (start, end, quoted) relative to
 * its `bytes`; a quoted field's range is inside its quotes (`""` still doubled).
 */
/** The bytes of a row the splitter keeps for a reject's excerpt (a bad row's: the rest is not kept). */
const CSV_EXCERPT_BYTES = 400;

class CsvRowSplitter implements Splitter<CsvSplitEvent> {
  /** Bytes from the start of the row in progress (nothing else is held). */
  private pending: Buffer = Buffer.alloc(0);
  /** Line and byte offset of `pending`'s first byte. */
  private line = 1;
  private offset = 0;
  /** A row rejected while its bytes are skipped up to its line end (not held). */
  private skipping: { line: number; offset: number; code: BadCode; reason: string; excerpt: Buffer; silent: boolean; /** the bytes skipped end with a run of this many `\r` (see skipTo): the next byte says whether they end the line */ crs?: number } | null = null;
  private started = false;
  /** The first line that is not blank has been looked at for an Excel hint (`sep=;`). */
  private hinted = false;
  /** The header's number of fields, once read (see row). */
  private columns: number | null = null;
  /** A row has ended at a lone `\r` (see loneCr). */
  private crSeen = false;

  constructor(
    private delimiter: number | null,
    private readonly maxRowBytes: number,
    private readonly crLineEnds = false,
    private readonly wasCut: () => boolean = () => false,
  ) {}

  /** The field separator's byte, once known (given, or detected from the header line). */
  get separator(): number | null {
    return this.delimiter;
  }

  /** The input's offset of the first byte pushed (the byte order marks before it count in offsets). Before the first push only. */
  startAt(offset: number): void {
    this.offset = offset;
  }

  push(chunk: Buffer): CsvSplitEvent[] {
    const out: CsvSplitEvent[] = [];
    let bytes = this.crLineEnds ? crToLf(chunk) : chunk;
    if (this.skipping) {
      const at = this.skipTo(bytes);
      if (at < 0) {
        this.offset += bytes.length;
        return out;
      }
      this.endSkip(out, at);
      bytes = bytes.subarray(at);
    }
    this.pending = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    this.scan(out, false);
    return out;
  }

  end(): CsvSplitEvent[] {
    const out: CsvSplitEvent[] = [];
    if (this.skipping) this.endSkip(out, 0);
    if (this.wasCut()) {
      // the input broke off: whole rows only; the one in progress is cut
      this.scan(out, false);
      if (this.pending.length > 0) {
        out.push({ type: 'bad', line: this.line, offset: this.offset, code: 'INGEST_RECORD_TRUNCATED', reason: 'the file breaks off inside this row (its compressed data is cut): the row is not whole', excerpt: Buffer.from(this.pending.subarray(0, this.excerptBytes)) });
        this.pending = Buffer.alloc(0);
      }
    } else {
      this.scan(out, true);
    }
    out.push({ type: 'end' });
    return out;
  }

  /**
   * Where the line being skipped ends in this chunk: the count of its bytes up to and with its line
   * end, -1 when it goes on past them. A `\n`; once rows end with a lone `\r` (see loneCr), a run of
   * `\r` not before a `\n` too (one that ends the chunk waits for the next byte: `skipping.crs`, the
   * lines it ends when it is not before a `\n`).
   */
  private skipTo(bytes: Buffer): number {
    const s = this.skipping!;
    if (!this.crSeen || this.crLineEnds) return bytes.indexOf(LF) + 1 || -1;
    let crs = s.crs ?? 0;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!;
      if (c === LF) {
        s.crs = 0;
        return i + 1;
      }
      if (c !== CR && crs > 0) {
        s.crs = crs;
        return i;
      }
      crs = c === CR ? crs + 1 : 0;
    }
    s.crs = crs;
    return -1;
  }

  /** The skipped row's reject, its line end reached `consumed` bytes into this chunk. */
  private endSkip(out: CsvSplitEvent[], consumed: number): void {
    const s = this.skipping!;
    if (!s.silent) out.push({ type: 'bad', line: s.line, offset: s.offset, code: s.code, reason: s.reason, excerpt: s.excerpt });
    this.skipping = null;
    // (a line end of `\r` alone: as many lines as they are; else the `\n` its last byte is, at the end of input none)
    const crs = s.crs ?? 0;
    if (crs > 0) {
      this.offset += consumed;
      this.line += crs;
    } else if (consumed > 0) {
      this.offset += consumed;
      this.line++;
    }
  }

  /** Rows whole in `pending`; at the end of input (`final`), the last one too. */
  private scan(out: CsvSplitEvent[], final: boolean): void {
    const b = this.pending;
    let start = 0;
    while (start < b.length) {
      if (!this.started) {
        // an Excel hint `sep=;` on the first line names the separator; else the header line decides
        const nl = b.indexOf(LF, start);
        if (nl < 0 && !final && b.length - start < this.maxRowBytes) break;
        const first = b.subarray(start, Math.min(nl < 0 ? b.length : nl, start + this.maxRowBytes));
        if (nl >= 0 && first.every((c) => c === CR || c === 0x20 || c === 0x09)) {
          // blank lines before the header decide nothing
          this.advance(b, start, nl + 1);
          start = nl + 1;
          continue;
        }
        const next = nl < 0 ? b.length : nl + 1;
        if (!this.hinted) {
          this.hinted = true;
          const hint = /^sep=(.)\r*$/i.exec(first.toString('latin1'));
          if (hint && CSV_DELIMITERS.includes(hint[1] as (typeof CSV_DELIMITERS)[number])) {
            this.delimiter = hint[1]!.charCodeAt(0);
            this.advance(b, start, next);
            start = next;
            continue;
          }
        }
        // a title above the table (a spreadsheet's: `Achats COVID - export du 01/04/2020;;;;`)
        const title = this.titleAt(b, start, final);
        if (title === null) break;
        if (title) {
          out.push({ type: 'title', line: this.line, bytes: Buffer.from(first.subarray(0, this.excerptBytes)) });
          this.advance(b, start, next);
          start = next;
          continue;
        }
        this.started = true;
        this.delimiter ??= detectDelimiter(first);
      }
      const row = this.row(b, start, final);
      if (row === null) break;
      if (row.kind === 'row' || row.kind === 'malformed' || row.kind === 'rejected') {
        let last = row.end;
        while (last > start && b[last - 1] === CR) last--;
        if (row.kind === 'malformed') {
          out.push({ type: 'bad', line: this.line, offset: this.offset, code: 'INGEST_RECORD_SYNTAX', reason: `a quoted field is followed by ${JSON.stringify(String.fromCharCode(b[row.at]!))} (byte ${row.at - start + 1} of the row) instead of a separator or the line end`, excerpt: Buffer.from(b.subarray(start, Math.min(last, start + this.excerptBytes))) });
        } else if (row.kind === 'rejected') {
          out.push({ type: 'bad', line: this.line, offset: this.offset, code: row.code, reason: row.reason, excerpt: Buffer.from(b.subarray(start, Math.min(last, start + this.excerptBytes))) });
        } else if (last > start) {
          const fields = row.fields.map((v, k) => (k % 3 === 2 ? v : Math.min(v, last) - start));
          // (the first row is the header: its width bounds the others')
          this.columns ??= fields.length / 3;
          out.push(final && row.end >= b.length ? { type: 'row', bytes: b.subarray(start, last), fields, line: this.line, offset: this.offset, last: true } : { type: 'row', bytes: b.subarray(start, last), fields, line: this.line, offset: this.offset });
        }
        const next = Math.min(row.end + 1, b.length);
        this.advance(b, start, next);
        if (row.crEnd !== undefined) {
          this.line += row.crEnd;
          this.crSeen = true;
        }
        start = next;
      } else if (row.kind === 'first-line') {
        const end = this.lineEnd(b, start, final);
        if (end === null) break;
        const nl = end.at;
        out.push({ type: 'bad', line: this.line, offset: this.offset, code: 'INGEST_RECORD_SYNTAX', reason: row.reason, excerpt: Buffer.from(b.subarray(start, Math.min(nl < 0 ? b.length : nl, start + this.excerptBytes))) });
        if (nl < 0 && !final) {
          // the line goes on past what is held: skipped as it comes (its reject is out)
          this.skipping = { line: this.line, offset: this.offset, code: 'INGEST_RECORD_SYNTAX', reason: row.reason, excerpt: Buffer.alloc(0), silent: true };
          this.advance(b, start, b.length);
          start = b.length;
          break;
        }
        if (nl < 0) {
          this.advance(b, start, b.length);
          start = b.length;
          break;
        }
        this.advance(b, start, nl + 1);
        this.line += end.crs;
        start = nl + 1;
      } else {
        const end = this.lineEnd(b, row.from, final);
        const nl = end === null ? -1 : end.at;
        const excerpt = Buffer.from(b.subarray(start, start + this.excerptBytes));
        if (nl < 0 && !final) {
          // (a run of `\r` that ends what is held: the next byte says whether it ends the line)
          const crs = end === null ? b.length - Math.max(skipBack(b), row.from) : 0;
          this.skipping = { line: this.line, offset: this.offset, code: row.code, reason: row.reason, excerpt, silent: false, crs };
          this.advance(b, start, b.length);
          start = b.length;
          break;
        }
        out.push({ type: 'bad', line: this.line, offset: this.offset, code: row.code, reason: row.reason, excerpt });
        const next = nl < 0 ? b.length : nl + 1;
        this.advance(b, start, next);
        if (end !== null) this.line += end.crs;
        start = next;
      }
    }
    this.pending = start >= b.length ? Buffer.alloc(0) : Buffer.from(b.subarray(start));
  }

  /** An excerpt's bytes (excerptOf quotes 200, and the value it cuts to its end): never past what a decision may look at (the same in any chunking). */
  private get excerptBytes(): number {
    return Math.min(CSV_EXCERPT_BYTES, this.maxRowBytes);
  }

  private advance(b: Buffer, from: number, to: number): void {
    for (let i = b.indexOf(LF, from); i >= 0 && i < to; i = b.indexOf(LF, i + 1)) this.line++;
    this.offset += to - from;
  }

  /**
   * Is the line at `start`, before the header line, a title rather than the header? It is when it
   * has text in one field at most and a later line, among the next MAX_TITLE_LINES, has it in two
   * or more: the first such line is the header, and the lines before it are
   * titles (a table's name, its date of export). A file whose lines all have one field (a list of
   * one column) has no title. Fields are counted with the separator given, else with the one that
   * later line uses most (a title holds none, or only the empty cells of its row), outside quotes;
   * a quote left open at a line's end (a field of several lines) ends the search: no title. null: the bytes held do not
   * say yet (decided at the same bytes whatever the chunks: the lines whole within the row size limit).
   */
  private titleAt(b: Buffer, start: number, final: boolean): boolean | null {
    /**
     * The fields with text of the line from `from` to `to` when split at `d` outside quotes (`""`,
     * quotes alone, is no text); -1 when a quote is left open at its end (a field of several lines).
     */
    const texts = (from: number, to: number, d: number): number => {
      let n = 0;
      let quoted = false;
      let text = false;
      for (let k = from; k < to; k++) {
        const c = b[k]!;
        if (c === QUOTE) quoted = !quoted;
        else if (c === d && !quoted) {
          if (text) n++;
          text = false;
        } else if (c !== 0x20 && c !== 0x09 && c !== CR) text = true;
      }
      if (quoted) return -1;
      return text ? n + 1 : n;
    };
    const limit = start + this.maxRowBytes;
    const end = b.indexOf(LF, start);
    if (end < 0) return false;
    let nl = end;
    /** Lines of two fields passed over that did not say the separator (see below). */
    let passed = false;
    for (let lines = 0, from = nl + 1; lines < MAX_TITLE_LINES; lines++, from = nl + 1) {
      nl = b.indexOf(LF, from);
      if (nl < 0 || nl >= limit) return final || b.length >= limit ? false : null;
      // (a title may hold the header's separator once, `Achats, mars 2020` above a table of `;`)
      const d = this.delimiter ?? detectDelimiter(b.subarray(from, nl));
      const n = texts(from, nl, d);
      if (n < 0) return false;
      if (n > 1) {
        // (when the separator is not given, a line of two fields hardly says which it is, `1,5<tab>2`:
        // it decides for a first line without any, only; for one with a separator, the next lines
        // say — a second title with a comma, `Fuente: Ministerio, exportado el 01/02/2024`, above a
        // table of `;`)
        if (this.delimiter === null && n < 3 && CSV_DELIMITERS.some((c) => b.subarray(start, end).includes(c.charCodeAt(0)))) {
          passed = true;
          continue;
        }
        if (passed) {
          // a header found past such lines is one when the line after it has as many fields with its
          // separator (a row of two columns may hold commas: `M2;Papier, encre, stylos` is no header)
          let after = b.indexOf(LF, nl + 1);
          if (after < 0 || after >= limit) {
            if (!(final || b.length >= limit)) return null;
            after = Math.min(b.length, limit);
          }
          if (texts(nl + 1, after, d) !== n) return false;
        }
        const own = texts(start, end, d);
        return own >= 0 && own <= 1;
      }
    }
    return false;
  }

  /**
   * A quoted field from `open` to `q` that holds two whole lines or more (between line breaks) each
   * with exactly as many fields as the header (its separators, `;` in `B;30-1;Min;…`): rows of their
   * own swallowed by a stray quote (`"Obj unclosed;…` closed rows later by an inch mark, `Monitor
   * 24";`), not a text of several lines — the header's number of fields, else null. Tables of 4
   * columns or more only (a text of a few lines may hold a separator or two, or many on one line).
   */
  private rowInQuotes(b: Buffer, open: number, q: number, d: number): number | null {
    if (this.columns === null || this.columns < 4) return null;
    let rows = 0;
    for (let nl = this.breakAt(b, open); nl >= 0 && nl < q; ) {
      const next = this.breakAt(b, nl + 1);
      // (the line the quote closes on is not whole: its fields go on after the quote)
      if (next < 0 || next > q) break;
      let seps = 0;
      for (let x = b.indexOf(d, nl + 1); x >= 0 && x < next; x = b.indexOf(d, x + 1)) seps++;
      if (seps === this.columns - 1 && ++rows >= 2) return this.columns;
      nl = next;
    }
    return null;
  }

  /**
   * Does a lone `\r` (not before a `\n`) outside quotes end the row, the row having `n` fields at it?
   * In a file whose lines end with `\n`, when the header's width is reached: the lines after it end
   * with `\r` (an old spreadsheet's export put after a newer one's), and read as text they made every
   * row after it one (72 of the partner's 73 rows lost to 1 to 33 rejects). Before that width it is a
   * character of the field, as it was (a value with a `\r` in it is whole); once a row has ended so,
   * every lone `\r` after it ends a line (a row short of fields is then not joined to the next).
   */
  private loneCr(n: number): boolean {
    return !this.crLineEnds && this.columns !== null && (this.crSeen || n >= this.columns);
  }

  /**
   * Is there a separator from `from` before the next line end (`\n` or `\r`) and within the row's
   * `limit`? null when the bytes held do not say yet.
   */
  private rowFollows(b: Buffer, from: number, d: number, limit: number, final: boolean): boolean | null {
    const stop = Math.min(b.length, limit + 1);
    let j = from;
    while (j < stop && b[j] !== d && b[j] !== LF && b[j] !== CR) j++;
    if (j < stop) return b[j] === d;
    return j > limit || final ? false : null;
  }

  /** The first line break from `from`: a `\n`, or, once rows end with a lone `\r` (see loneCr), a `\r` too; -1 when none. */
  private breakAt(b: Buffer, from: number): number {
    const nl = b.indexOf(LF, from);
    if (!this.crSeen || this.crLineEnds) return nl;
    const cr = b.indexOf(CR, from);
    return cr >= 0 && (nl < 0 || cr < nl) ? cr : nl;
  }

  /**
   * Where the line from `from` ends: its `\n` (`at`, -1 when none is held), or, once rows end with a
   * lone `\r` (see loneCr), the last `\r` of a run of them not before a `\n`, whichever comes first
   * (`crs`: the lines that run ends). null: a run of `\r` ends what is held (the next byte decides).
   */
  private lineEnd(b: Buffer, from: number, final: boolean): { at: number; crs: number } | null {
    const nl = b.indexOf(LF, from);
    if (!this.crSeen || this.crLineEnds) return { at: nl, crs: 0 };
    for (let k = b.indexOf(CR, from); k >= 0 && (nl < 0 || k < nl); k = b.indexOf(CR, k + 1)) {
      let c = k;
      while (c < b.length && b[c] === CR) c++;
      if (c >= b.length) return final ? { at: c - 1, crs: c - k } : null;
      if (b[c] !== LF) return { at: c - 1, crs: c - k };
      k = c;
    }
    return { at: nl, crs: 0 };
  }

  /**
   * The row starting at `start`: where it ends (the index of its LF, or the buffer's length at the
   * end of input) and its fields; null when more bytes are needed. A row may hold `maxRowBytes`
   * bytes before its line end: what happens past that is decided at that byte, whatever the chunks —
   * but for a quoted field that runs past it, whose closing quote is looked for up to QUOTE_REACH
   * times `maxRowBytes` from the row's start (held): when it closes there, the row, to its line end
   * (decided within that reach too), is one reject (a text of many lines over the limit was one
   * reject per line, its lines read as rows); when it does not, its first line is rejected and
   * reading resumes on the next one (a stray quote: the rows after it are read).
   */
  private row(b: Buffer, start: number, final: boolean): RowScan | null {
    const d = this.delimiter!;
    let limit = start + this.maxRowBytes;
    /** A quoted field of the row has run past `maxRowBytes` (`limit` is then the reach): the row is rejected whole. */
    let over = false;
    const fields: number[] = [];
    // a row of far more fields than the header's is rejected at that field, not read to its end:
    // 15 million separators in a row (a gzip of 15 KB) took 3 GB and two minutes (rows under the
    // bound keep the usual check: a field count that is not the header's)
    const maxFields = this.columns === null ? MAX_COLUMNS : 4 * this.columns + 64;
    const tooWide = (at: number): RowScan => ({ kind: 'large', from: at, code: 'INGEST_RECORD_SYNTAX', reason: `the row has more than ${maxFields} fields${this.columns === null ? '' : ` (the header has ${this.columns})`}: rejected whole` });
    const large = (): RowScan & { kind: 'large' } => ({ kind: 'large', from: limit, code: 'INGEST_RECORD_TOO_LARGE', reason: `the row is larger than ${this.maxRowBytes} bytes (--max-record-bytes): rejected whole` });
    /** The row found, or, when a quoted field of it ran past the limit, its reject (up to the same end). */
    const done = (r: RowScan & { kind: 'row' }): RowScan => {
      // (a row that ended early, at a lone `\r` before that field, is not: see early)
      if (!over || r.end <= start + this.maxRowBytes) return r;
      let lines = 1;
      for (let x = b.indexOf(LF, start); x >= 0 && x < r.end; x = b.indexOf(LF, x + 1)) lines++;
      return { kind: 'rejected', end: r.end, code: 'INGEST_RECORD_TOO_LARGE', reason: `the row is larger than ${this.maxRowBytes} bytes (--max-record-bytes)${lines > 1 ? `, a quoted field of it running over ${lines} lines (to line ${this.line + lines - 1})` : ''}: rejected whole, reading resumes after it`, ...(r.crEnd !== undefined ? { crEnd: r.crEnd } : {}) };
    };
    let i = start;
    /**
     * The row up to the first lone `\r` in a field short of the header's width: when a later lone `\r`
     * ends the row (see loneCr), that one ended a row short of fields (the first line of a file's
     * part with `\r` line ends, damaged), which is not joined to the next.
     */
    let early: (RowScan & { kind: 'row' }) | null = null;
    for (;;) {
      if (i < b.length && b[i] === QUOTE) {
        const open = i + 1;
        let j = open;
        for (;;) {
          const q = b.indexOf(QUOTE, j);
          if (!over && (q >= limit || (q < 0 && b.length >= limit))) {
            // past the limit: its closing quote is looked for up to the reach (see row)
            over = true;
            limit = start + QUOTE_REACH * this.maxRowBytes;
          }
          if (q >= limit || (q < 0 && b.length >= limit)) return { kind: 'first-line', reason: `a quoted field opened on this line is not closed within ${limit - start} bytes (${QUOTE_REACH} times --max-record-bytes): this line is rejected, reading resumes on the next one` };
          if (q < 0 || q + 1 >= b.length) {
            if (!final) return null;
            if (q < 0) return { kind: 'first-line', reason: 'a quoted field opened on this line is not closed by the end of the file: this line is rejected, reading resumes on the next one' };
            fields.push(open, q, 1);
            return done({ kind: 'row', end: b.length, fields });
          }
          if (b[q + 1] === QUOTE) {
            j = q + 2;
            continue;
          }
          if (fields.length >= 3 * maxFields) return tooWide(q);
          const swallowed = this.rowInQuotes(b, open, q, d);
          if (swallowed !== null) return { kind: 'first-line', reason: `a quoted field opened on this line holds whole lines of ${swallowed} fields, as many as the header's, before it closes on a later line (rows swallowed by a stray quote?): this line is rejected, reading resumes on the next one` };
          fields.push(open, q, 1);
          let k = q + 1;
          while (k < b.length && b[k] === CR) k++;
          const after = b[k];
          if (k >= b.length && !final) return null;
          if (after === d && k === q + 1) {
            i = q + 2;
            break;
          }
          if (k > q + 1 && k < b.length && after !== LF && this.loneCr(fields.length / 3)) {
            // (before a row has ended so, only when a row follows it, as for an unquoted value)
            const next = this.crSeen || this.columns! <= 1 ? true : this.rowFollows(b, k, d, limit, final);
            if (next === null) return null;
            if (next) return done(early ?? { kind: 'row', end: k - 1, fields, crEnd: k - q - 1 });
          }
          if (after === LF || (k >= b.length && final)) return k > limit ? large() : done({ kind: 'row', end: k >= b.length ? b.length : k, fields });
          // `"abc"x`: stray text after a closing quote
          const breaks = this.breakAt(b, open);
          const spansLines = breaks >= 0 && breaks < q;
          if (spansLines) return { kind: 'first-line', reason: `a quoted field opened on this line closes on a later line before ${JSON.stringify(String.fromCharCode(b[q + 1]!))} instead of a separator or the line end (a stray quote?): this line is rejected, reading resumes on the next one` };
          const end = this.lineEnd(b, q + 1, final);
          if (end === null) return null;
          const nl = end.at;
          if (nl > limit || (nl < 0 && b.length > limit)) return { ...large(), code: 'INGEST_RECORD_SYNTAX', reason: `a quoted field is followed by ${JSON.stringify(String.fromCharCode(b[q + 1]!))} instead of a separator or the line end` };
          if (nl < 0 && !final) return null;
          return { kind: 'malformed', end: nl < 0 ? b.length : nl, at: q + 1, ...(end.crs > 0 ? { crEnd: end.crs } : {}) };
        }
        continue;
      }
      // an unquoted field: up to the separator or the line end, looked for up to the limit
      let k = i;
      const stop = Math.min(b.length, limit + 1);
      if (this.loneCr(fields.length / 3 + 1)) {
        // (the row's last field, by the header's width: a lone `\r` in it may end the row)
        while (k < stop && b[k] !== d && b[k] !== LF && b[k] !== CR) k++;
        while (k < stop && b[k] === CR) {
          let c = k;
          while (c < b.length && b[c] === CR) c++;
          if (c >= b.length && !final && c <= limit) return null;
          // (before a row has ended so, the \r ends this one only when a row follows it, a separator
          // before the next line end: else it is the value's, `100\r000`, as in a file of \r\n ones)
          const next = c < b.length && b[c] !== LF && !this.crSeen && this.columns! > 1 ? this.rowFollows(b, c, d, limit, final) : true;
          if (next === null) return null;
          if (c < b.length && b[c] !== LF && next) {
            if (k > limit) return large();
            if (early !== null) return done(early);
            fields.push(i, k, 0);
            return done({ kind: 'row', end: c - 1, fields, crEnd: c - k });
          }
          k = c;
          while (k < stop && b[k] !== d && b[k] !== LF && b[k] !== CR) k++;
        }
      } else {
        while (k < stop && b[k] !== d && b[k] !== LF) {
          // (a lone `\r` short of the header's width: text, unless the row ends at a later one — see early)
          if (b[k] === CR && early === null && this.columns !== null && !this.crLineEnds && k + 1 < b.length && b[k + 1] !== LF && b[k + 1] !== CR) {
            early = { kind: 'row', end: k, fields: [...fields, i, k, 0], crEnd: 1 };
          }
          k++;
        }
      }
      if (k > limit) return large();
      if (k >= b.length) {
        if (!final) return null;
        fields.push(i, k, 0);
        return done({ kind: 'row', end: k, fields });
      }
      // (past the bound, an empty field is not kept: trailing empty fields are tolerated, and a row of
      // nothing but separators costs no memory; a field with text there rejects the row)
      if (fields.length < 3 * maxFields) fields.push(i, k, 0);
      else if (k > i) return tooWide(k);
      if (b[k] === d) {
        i = k + 1;
        continue;
      }
      return done({ kind: 'row', end: k, fields });
    }
  }
}

/** Where the run of `\r` that ends `b` starts. */
function skipBack(b: Buffer): number {
  let k = b.length;
  while (k > 0 && b[k - 1] === CR) k--;
  return k;
}

/** Lone CRs as LFs (same length: offsets hold); a CR before an LF stays. */
function crToLf(chunk: Buffer): Buffer {
  if (chunk.indexOf(CR) < 0) return chunk;
  const out = Buffer.from(chunk);
  for (let i = out.indexOf(CR); i >= 0; i = out.indexOf(CR, i + 1)) if (out[i + 1] !== LF) out[i] = LF;
  return out;
}

/**
 * Does a file's start end its lines with a lone `\r`? Its first line end outside quotes says: `\r`
 * (or `\r\r`…) not before a `\n`. A `\n` inside a quoted cell ends no line: Excel's "CSV (Macintosh)"
 * ends rows with `\r` and breaks lines within a cell with `\n` (read as LF-ended, all its rows were
 * one line). A head without a line end outside quotes (a stray quote) is one when it has a `\r`
 * and no `\n` at all.
 */
export function endsLinesWithCr(head: Buffer): boolean {
  let quoted = false;
  for (let i = 0; i < head.length; i++) {
    const c = head[i]!;
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && c === LF) return false;
    else if (!quoted && c === CR) {
      let k = i;
      while (k < head.length && head[k] === CR) k++;
      // (a run of `\r` at the head's end says nothing yet: not decided on it)
      return k < head.length && head[k] !== LF;
    }
  }
  const cr = head.indexOf(CR);
  return cr >= 0 && head.indexOf(LF) < 0 && cr + 1 < head.length;
}

/** The separator a header line uses most outside quotes (`,` when it has none). */
function detectDelimiter(line: Buffer): number {
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
function fieldTexts(bytes: Buffer, fields: readonly number[], encoding: Encoding | null, otherwise: Encoding | null): string[] {
  const out: string[] = [];
  for (let k = 0; k < fields.length; k += 3) {
    const s = fields[k]!;
    const e = fields[k + 1]!;
    let v = encoding === null ? bytes.toString('utf8', s, e) : decodeRecord(bytes.subarray(s, e), encoding, otherwise).text;
    if (fields[k + 2] === 1) v = v.replaceAll('""', '"');
    out.push(v);
  }
  return out;
}

interface Group {
  readonly key: string;
  readonly rows: Record<string, string>[];
  /** Its first row (kept past the size limit, as the rows are not) and how many rows it has. */
  readonly first: Record<string, string>;
  count: number;
  readonly line: number;
  readonly offset: number;
  readonly issues: Issue[];
  bytes: number;
  readonly excerpt: Buffer;
  /** Rows rejected between this group's rows (they were its lines, most likely). */
  rejectedRows: number;
  /** Each kept row's line, offset and first bytes (flat DECP: a row that contradicts the first starts another contract there). */
  readonly places: Array<{ readonly line: number; readonly offset: number; readonly excerpt: Buffer }>;
}

export async function* readCsv(chunks: AsyncIterable<Buffer>, state: FileState, options: CsvReadOptions): AsyncGenerator<IngestEvent[]> {
  state.format = 'csv';
  const given = options.csv.delimiter;
  const splitter = new CsvRowSplitter(given === undefined ? null : given.charCodeAt(0), options.maxRecordBytes, options.crLineEnds ?? false, options.wasCut);
  splitter.startAt(state.leadingBytes);
  const linesKey = options.csv.lines ?? 'lines';
  const groupBy = options.csv.groupBy ?? [];
  const quote = options.csv.excerpts ?? true;
  const excerpt = (b: Buffer): string | undefined => (quote ? excerptOf(b, undefined, state.encoding, state.otherwise) : undefined);
  // (a whole row: its excerpt, and its text past it, where a person's marker is looked for too)
  const quoting = (where: { line: number; offset?: number | undefined }, code: IssueCode, reason: string, b: Buffer): IngestEvent => (quote ? state.rejectQuoting(where, code, reason, b) : state.reject(where, code, reason));
  let header: string[] | null = null;
  /** Lines before the header line passed over as titles: how many, and the first one's line and text. */
  const titles = { n: 0, line: 0, text: '' };
  /** Columns named again (`nom_2` → `nom`), given with each record when there are any. */
  let aliases: Record<string, string> | undefined;
  /** The header line's texts, trimmed, and spelt loosely (a repeat of it is a header, not a row). */
  let headerTexts: string[] = [];
  // the widths at which a row's trailing empty fields are padding: the header line's own (a
  // spreadsheet pads every row to its widest), and the first row's when every row ends with a
  // separator; wider is a separator too many inside the row (found by a probe: a row with an
  // unquoted `;` and its last, optional column empty was read with its columns shifted)
  let paddedWidth = 0;
  let firstRowSeen = false;
  let headerLoose: string[] = [];
  /** The positions of the columns that group rows (settings.csv.groupBy), once the header is read. */
  let groupColumns = new Set<number>();
  /** Set when the header line cannot be read: nothing after it can be matched to columns. */
  let dead = false;
  /** Why the rows after a header line of another export that lacks a grouping column are rejected (see takeHeader). */
  let ungrouped: string | null = null;
  const skipped = { blank: 0, firstBlank: 0, headers: 0, firstHeader: 0, totals: 0, firstTotal: 0, total: '' };
  let group: Group | null = null;
  /**
   * Rows rejected since the last row read, whose key could not be read (a grouping column past the
   * end of a row short of fields, or after a quote the splitter refused): the lines of the group
   * before them, or of the one after. Each keeps the values it has where the header puts them (trimmed,
   * cut: see lostRow), and when the next group's first row comes, it is counted for the group whose
   * values it repeats more (sideOf); as many for both, both are said to have lost rows (a short row,
   * the last line of one contract, flagged the next one too, which lost its total made of its lines:
   * found by a CSV probe).
   */
  let unkeyed: Unkeyed[] = [];
  /** Rows of `unkeyed` judged, when a group was flushed, to be (also) the next group's lines. */
  let unkeyedAhead = 0;
  /**
   * Rows rejected whose key could be read (a field too many or too few), for groups not open yet, by
   * key: every key since the last group opened, not the last one only — a group's first line cut in
   * two by a line break in an unquoted text gave two rejects, the second (`jetables;33141000;…`) of
   * another key, and the group published without it was not said to lack a line (found by a CSV
   * probe). At most MAX_KEYS_AHEAD keys, the oldest dropped.
   */
  const badAhead = new Map<string, number>();
  const seen = new HashSet53();
  const keyOf = (row: Record<string, string>): string => groupBy.map((c) => groupKeyPart(row[c] ?? '')).join('\u0000');
  const blankKey = (row: Record<string, string>): boolean => groupBy.some((c) => (row[c] ?? '').trim() === '');
  /**
   * The grouping key of a row the splitter refused, when its grouping columns come before its first
   * quote (fields there are plain: split at the separator) and whole in its excerpt; else null.
   */
  const keyOfRefused = (values: readonly string[]): string | null => {
    if (header === null || groupBy.length === 0) return null;
    const at = groupBy.map((c) => header!.indexOf(c));
    return at.every((k) => k >= 0 && k < values.length && values[k] !== '') ? at.map((k) => groupKeyPart(values[k]!)).join('\u0000') : null;
  };
  /** The plain fields of a row the splitter refused, before its first quote and whole in its excerpt (split at the separator), trimmed. */
  const fieldsOfRefused = (bytes: Buffer): string[] => {
    const sep = splitter.separator;
    const values: string[] = [];
    if (sep === null) return values;
    const quote = bytes.indexOf(QUOTE);
    const end = quote < 0 ? bytes.length : quote;
    // (the piece after the last separator before `end` may be cut: only fields ended by a separator)
    for (let from = 0, at = bytes.indexOf(sep, 0); at >= 0 && at < end; from = at + 1, at = bytes.indexOf(sep, at + 1)) {
      values.push(decodeRecord(bytes.subarray(from, at), state.encoding, state.otherwise).text.trim());
    }
    return values;
  };
  /**
   * Whose lines a rejected row without a key was, by the values it repeats where the header puts them
   * (the contract's columns: its buyer's name, its date, its title, its supplier…): the group before
   * it (`prev`, its first row), the group after (`next`, its first row's values), or, as many for
   * both, either (`next` unknown, a header line of another export after it: either). No next group
   * (the end of the file): the one before. A line read whole (not one the splitter refused, whose
   * fields after its quote are unknown) with text in one cell at most that repeats nothing
   * of either is no line of theirs (`none`): a note under the table, `Export généré le …`, or a
   * heading between contracts — rejected all the same, it cost the last contract its total made of its
   * lines (found by a CSV probe).
   */
  const sideOf = ({ values: lost, whole }: Unkeyed, prev: Record<string, string>, next: readonly string[] | null | undefined): 'prev' | 'next' | 'both' | 'none' => {
    let p = 0;
    let n = 0;
    for (let k = 0; header !== null && k < Math.min(lost.length, header.length); k++) {
      if (groupColumns.has(k) || lost[k] === '' || header[k] === '') continue;
      if (lost[k] === (prev[header[k]!] ?? '').trim().slice(0, UNKEYED_VALUE_CHARS)) p++;
      if (next && lost[k] === (next[k] ?? '').trim().slice(0, UNKEYED_VALUE_CHARS)) n++;
    }
    // (a row past MAX_UNKEYED keeps no values: not judged, both sides')
    // (only a row read whole: of one the splitter refused, only the fields before its quote are known —
    // `3;"Blouses "FFP2"…;M1;A`, its line number alone —, and the rest of it may be a contract's line:
    // taken for a note, it was no group's lost line, and M1's total was made of its other lines, unsaid)
    if (whole && p === 0 && n === 0 && lost.length > 0 && lost.filter((v) => v !== '').length <= 1) return 'none';
    if (next === null) return 'prev';
    if (next === undefined) return 'both';
    return p > n ? 'prev' : n > p ? 'next' : 'both';
  };
  /** A rejected row counted for the group whose lines it most likely was (see Group.rejectedRows). */
  const lostRow = (rowKey: string | null, values: readonly string[], whole: boolean): void => {
    // (a row of the records read, whichever it was: no record of its own for --sample — it counted as
    // one, and `--sample 1` on a contract with a row rejected among its lines gave that row alone)
    if (groupBy.length > 0) state.rowsRejected++;
    if (rowKey !== null && group !== null && rowKey === group.key) group.rejectedRows++;
    else if (rowKey !== null) {
      if (!badAhead.has(rowKey) && badAhead.size >= MAX_KEYS_AHEAD) badAhead.delete(badAhead.keys().next().value!);
      badAhead.set(rowKey, (badAhead.get(rowKey) ?? 0) + 1);
    }
    // (past MAX_UNKEYED rows in a run, none is judged: each the lines of both sides)
    else unkeyed.push({ values: unkeyed.length < MAX_UNKEYED ? values.slice(0, header?.length ?? 0).map((v) => v.trim().slice(0, UNKEYED_VALUE_CHARS)) : [], whole });
  };
  /**
   * The group read, as a record (or its reject); `next`: the values of the row that opens the next
   * group, null at the end of the file, undefined when not known (a header line of another export).
   */
  const flush = (next?: readonly string[] | null): IngestEvent | readonly IngestEvent[] | null => {
    if (group === null) return null;
    const g = group;
    group = null;
    // (rows lost after its last row, their key unread: its own, the next group's, or either — see sideOf)
    for (const lost of unkeyed) {
      const side = sideOf(lost, g.first, next);
      if (side === 'prev' || side === 'both') g.rejectedRows++;
      if (side === 'next' || side === 'both') unkeyedAhead++;
    }
    unkeyed = [];
    const where = { line: g.line, offset: g.offset };
    // (a key seen is remembered whatever becomes of its group: rows of a group rejected as too large
    // that come back later are no record of their own either)
    // (flat DECP: a contract given again further down is a record of its own, as the same records in
    // flat JSON are — the consolidated DECP republishes contracts; duplicates are linked downstream)
    if (!blankKey(g.first) && options.csv.decp !== true) {
      const h = hash53(g.key);
      if (seen.has(h)) {
        return state.reject(where, 'INGEST_RECORD_SYNTAX', `rows of ${groupBy.join(' + ')} ${JSON.stringify(g.key.split('\u0000').join(' + '))} were read earlier in the file, apart from these: the rows of one record must follow each other (sort the file by ${groupBy.join(', ')})`, excerpt(g.excerpt));
      }
      seen.add(h);
    }
    if (g.bytes > options.maxRecordBytes) return state.reject(where, 'INGEST_RECORD_TOO_LARGE', `the ${g.count} rows of this group are larger than ${options.maxRecordBytes} bytes (--max-record-bytes) together`, excerpt(g.excerpt));
    if (g.rejectedRows > 0) g.issues.push(issue('INGEST_GROUP_ROWS_REJECTED', 'warning', `${g.rejectedRows} row(s) among or next to this record's rows could not be read (see the rejects): its lines may be incomplete`));
    if (options.csv.decp === true) return decpGroup(g, where);
    const data: Record<string, unknown> = { ...g.first, [linesKey]: g.rows };
    return state.accept({ type: 'unknown', version: null, data, provenance: state.provenance(where), issues: g.issues, ...(aliases ? { aliases } : {}) });
  };
  /**
   * A flat DECP group as its records (see decpRecord): its rows, one contract each run of rows that
   * repeat the contract columns of the run's first row; a row that gives others (another lot numbered
   * alike, the contract published again) starts another contract, a record of its own from its line —
   * the same test as a flat JSON list's records (group-rows.ts contradiction).
   */
  const decpGroup = (g: Group, where: { line: number; offset: number }): IngestEvent[] => {
    const runs: Array<{ rows: Array<Record<string, string>>; where: { line: number; offset: number } }> = [{ rows: [g.first], where }];
    for (let k = 1; k < g.rows.length; k++) {
      const row = g.rows[k]!;
      const run = runs[runs.length - 1]!;
      if (contradiction(run.rows, row, groupBy) === undefined) run.rows.push(row);
      else runs.push({ rows: [row], where: g.places[k]! });
    }
    const out: IngestEvent[] = [];
    for (const [n, run] of runs.entries()) {
      // (--sample: the contracts of a group count one by one, as the group's first does; those past
      // the limit are not given, as the rows after it are not read)
      if (n > 0 && options.shouldStop()) break;
      // (a CSV has no null: an empty cell is no field)
      const renamed: Record<string, string> = {};
      const data = flatRecord(run.rows.map((row) => Object.fromEntries(Object.entries(row).filter(([, v]) => v.trim() !== ''))), renamed);
      const { type, version, said } = classifyRecord(data, null);
      // (what was said of the group's rows, with its first contract)
      const issues = [...(n === 0 ? g.issues : []), ...(said ?? [])];
      out.push(state.accept({ type, version, data, provenance: state.provenance(run.where), issues, ...(aliases ? { aliases } : {}), ...(Object.keys(renamed).length > 0 ? { renamed } : {}) }));
    }
    return out;
  };
  /** The header line's names (the file's first, or one of another export put after: `first` false). */
  const takeHeader = (values: readonly string[], line: number, first: boolean): void => {
    headerTexts = values.map((v) => v.trim());
    paddedWidth = values.length;
    firstRowSeen = false;
    aliases = undefined;
    // trailing empty names (a separator that ends the header line) name no column
    while (headerTexts.length > 1 && headerTexts[headerTexts.length - 1] === '') headerTexts.pop();
    headerLoose = headerTexts.map(looseKey);
    withholdLoosely(headerTexts, options.csv.columns?.withheld ?? [], state, line);
    const names = columnsOf(headerTexts, state, line);
    header = names;
    if (groupBy.length > 0) groupLoosely(names, groupBy, state, line);
    groupColumns = new Set(groupBy.map((c) => names.indexOf(c)));
    names.forEach((name, k) => {
      if (name !== '' && name !== headerTexts[k] && headerTexts[k] !== '') (aliases ??= {})[name] = headerTexts[k]!;
    });
    if (options.csv.columns !== undefined) missingColumns(names, options.csv.columns, state, groupBy.length > 0 ? linesKey : null);
    // a column named as the profile names a record's item lines: its values would be replaced by them, unsaid
    if (groupBy.length > 0 && names.includes(linesKey)) {
      state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the column ${JSON.stringify(linesKey)} (line ${line}) has the name the profile gives a record's rows (settings.csv.lines): its values are not read; rename the column, or give csv.lines another name`, { file: state.file.file, line }));
    }
    const missing = groupBy.filter((c) => !names.includes(c));
    ungrouped = null;
    if (missing.length > 0 && !first) {
      // (another export's header line: its rows are rejected, each with why, the rows above it kept —
      // the file was unreadable, the first export's contracts lost with it)
      ungrouped = `the header line above it (line ${line}) has no column ${missing.map((c) => JSON.stringify(c)).join(', ')} that groups rows (the profile's settings.csv.groupBy): its row cannot be put with the other rows of its contract`;
    } else if (missing.length > 0) {
      // the rows of a record cannot be put together: read one by one, a contract of several rows
      // would be several records with one id, each with part of its lines (the store keeping one)
      dead = true;
      state.error = { code: 'INGEST_FILE_SYNTAX', message: `${state.file.file}: the column(s) ${missing.map((c) => JSON.stringify(c)).join(', ')} that group rows (the profile's settings.csv.groupBy) are not in the header line (line ${line}: ${names.map((c) => JSON.stringify(c)).join(', ')}): the file is not read (column names are matched without case, accents or separators)`, fatal: true };
    }
  };
  /**
   * Is a row, past the header line, the header line of another export put after, its columns in
   * another order, or some added or left out? Half the header's names or more (at least 2), each
   * once, are three quarters or more of its texts (matched as columns are: case, accents, separators).
   */
  const isOtherHeader = (values: readonly string[]): boolean => {
    const names = new Set(headerLoose.filter((x) => x !== ''));
    const texts = values.map((v) => v.trim()).filter((v) => v !== '');
    const known = texts.map(looseKey).filter((v) => names.has(v));
    if (!(new Set(known).size === known.length && known.length >= Math.max(2, Math.ceil(names.size / 2)) && known.length * 4 >= texts.length * 3)) return false;
    // … and not a row (a review: a contract `M2;buyer;title;amount`, or `;buyer;;amount`, was taken for
    // one, no record nor reject, and the rows after it lost their id): a header line names its columns
    // up to its last, no more empty names among them than the header's; and one whose names each stand
    // under their own column, with other texts there, is a row whose values are names (or a renamed
    // column: read by the header's names, the rows after it are read right)
    const last = values.findLastIndex((v) => v.trim() !== '');
    const empty = (xs: readonly string[]): number => xs.filter((v) => v.trim() === '').length;
    if (empty(values.slice(0, last + 1)) > empty(headerTexts)) return false;
    const keys = values.map((v) => looseKey(v.trim()));
    const inPlace = keys.every((v, k) => !names.has(v) || headerLoose[k] === v);
    const otherWithin = keys.slice(0, headerLoose.length).some((v) => v !== '' && !names.has(v));
    return !(inPlace && otherWithin);
  };
  const handle = (ev: CsvSplitEvent): IngestEvent | readonly IngestEvent[] | null => {
    if (dead) return null;
    if (ev.type === 'end') {
      if (header === null && state.error === undefined) state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', 'the CSV file has no header line', { file: state.file.file }));
      if (skipped.blank > 0) state.issues.push(issue('INGEST_FILE_SYNTAX', 'info', `${skipped.blank} row(s) holding only separators skipped (the first on line ${skipped.firstBlank})`, { file: state.file.file, line: skipped.firstBlank }));
      if (skipped.headers > 0) state.issues.push(issue('INGEST_FILE_SYNTAX', 'info', `the header line is repeated ${skipped.headers} time(s) (files put end to end?), first on line ${skipped.firstHeader}: skipped`, { file: state.file.file, line: skipped.firstHeader }));
      if (skipped.totals > 0) state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `${skipped.totals} totals row(s), first on line ${skipped.firstTotal} (${JSON.stringify(skipped.total)}): sums of the rows above them, passed over, no record`, { file: state.file.file, line: skipped.firstTotal }));
      return flush(null);
    }
    if (ev.type === 'title') {
      if (titles.n++ === 0) {
        titles.line = ev.line;
        titles.text = decodeRecord(ev.bytes, state.encoding, state.otherwise).text.replace(/[\s,;|]+$/, '').trim();
      }
      return null;
    }
    const where = { line: ev.line, offset: ev.offset };
    if (ev.type === 'bad') {
      if (header === null) {
        // without its header line, no row can be matched to columns: the file is not read
        dead = true;
        state.error = { code: 'INGEST_FILE_SYNTAX', message: `${state.file.file}: the header line (line ${ev.line}) cannot be read: ${ev.reason}`, fatal: true };
        return null;
      }
      // (a bad row is rejected alone: the group it was read for, or the groups around it, go on and
      // say they may have lost a row)
      const refused = fieldsOfRefused(ev.excerpt);
      lostRow(keyOfRefused(refused), refused, false);
      // (the splitter keeps a bad row's first bytes only: one that may go on past them is taken as
      // naming a person there, its excerpt not quoted by a profile that looks for persons)
      return state.reject(where, ev.code, ev.reason, excerpt(ev.excerpt), ev.excerpt.length >= Math.min(CSV_EXCERPT_BYTES, options.maxRecordBytes) ? null : undefined);
    }
    const decoded = decodeRecord(ev.bytes, state.encoding, state.otherwise);
    if (decoded.fellBack) state.fellBack = true;
    else if (state.otherwise !== null && decoded.encoding === state.otherwise && decoded.encoding !== state.encoding) state.readOtherwise = true;
    const values = fieldTexts(ev.bytes, ev.fields, decoded.encoding === 'utf-8' ? null : state.encoding, state.otherwise);
    if (header === null) {
      if (titles.n > 0) {
        const text = titles.text.length > 120 ? `${titles.text.slice(0, 120)}…` : titles.text;
        state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `${titles.n} line(s) above the header line (line ${ev.line}), a title, ${JSON.stringify(text)} (line ${titles.line}): passed over, no record`, { file: state.file.file, line: titles.line }));
      }
      takeHeader(values, ev.line, true);
      return null;
    }
    if (values.every((v) => v.trim() === '')) {
      if (skipped.blank++ === 0) skipped.firstBlank = ev.line;
      return null;
    }
    // trailing empty fields beyond the header (a spreadsheet's padding) are nothing; other counts are misaligned
    let n = values.length;
    while (n > header.length && values[n - 1]!.trim() === '') n--;
    if (!firstRowSeen) {
      firstRowSeen = true;
      if (n === header.length) paddedWidth = Math.max(paddedWidth, values.length);
    }
    const unpadded = values.length > paddedWidth && n === header.length;
    if (values.length > paddedWidth) n = values.length;
    // (in another case, accents or separators, as columns are matched: `ID_MARCHE;ACHETEUR_SIRET;…`,
    // a file exported by another tool put after, was a record of the header's names)
    if (n === headerTexts.length && values.slice(0, n).every((v, k) => looseKey(v) === headerLoose[k])) {
      if (skipped.headers++ === 0) skipped.firstHeader = ev.line;
      return null;
    }
    // (… or in another order of columns, or with other columns: the rows after it are read by its
    // names — found by a CSV probe: read by the first header's, a second export's quantities and unit
    // prices swapped places unsaid, and its header line was published as a contract)
    if (isOtherHeader(values)) {
      const before = headerTexts;
      const early = flush();
      takeHeader(values, ev.line, false);
      const added = headerTexts.filter((t) => t !== '' && !before.some((b) => looseKey(b) === looseKey(t)));
      const gone = before.filter((t) => t !== '' && !headerTexts.some((h) => looseKey(h) === looseKey(t)));
      const what = [added.length > 0 ? `${added.length} column(s) added (${added.slice(0, 5).map((c) => JSON.stringify(c)).join(', ')}${added.length > 5 ? '…' : ''})` : '', gone.length > 0 ? `${gone.length} left out (${gone.slice(0, 5).map((c) => JSON.stringify(c)).join(', ')}${gone.length > 5 ? '…' : ''})` : ''].filter(Boolean).join(', ');
      state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `line ${ev.line} is a header line of its own, its columns in another order${what === '' ? '' : ` (${what})`} (files put end to end?): ${ungrouped === null ? 'the rows after it are read by its names' : 'the rows after it are rejected, each with why (it has not every column that groups rows)'}`, { file: state.file.file, line: ev.line }));
      return early;
    }
    // a totals row (a spreadsheet's `TOTAL;;;…;12345`, a `Sous-total` between groups), its label its
    // first text: the sum of rows read as records, not one (it was a record rejected for its empty
    // ids, or a row of fields too few); said with its line
    // (… or a contract's own subtotal among its lines, `M-12;…;Sous-total;;;1200`: its key is its
    // group's, its label in another column — there the label says more than "Total", which is also a
    // company's name, TOTAL, a supplier's)
    const label = values.find((v) => v.trim() !== '')!.trim();
    const inGroup = groupBy.length > 0 ? values.find((v, k) => !groupColumns.has(k) && isSubtotalLabel(v.trim()))?.trim() : undefined;
    // (a bare `Total` first is a supplier's name, TOTAL, in a file whose name column comes first,
    // when the row fills half its columns or more beside it: a spreadsheet's totals row gives its
    // label and a sum or two — found by a probe: such contracts were passed over as totals rows)
    // … or whatever it fills, when it holds its contract's key (every groupBy column filled, the label
    // in none of them): a totals row sums contracts, it is none (a sparse row, its supplier TOTAL and
    // a few columns beside it, was passed over, the contract lost)
    const filled = values.reduce((n, v) => (v.trim() === '' ? n : n + 1), 0);
    const labelAt = values.findIndex((v) => v.trim() !== '');
    const keyed = groupBy.length > 0 && [...groupColumns].every((k) => k >= 0 && k !== labelAt && (values[k] ?? '').trim() !== '');
    const namesRecord = /^total$/i.test(label) && (keyed || filled - 1 >= Math.max(2, Math.ceil(header.length / 2)));
    if ((TOTAL_LABEL.test(label) && !namesRecord) || inGroup !== undefined) {
      if (skipped.totals++ === 0) {
        skipped.firstTotal = ev.line;
        skipped.total = inGroup ?? label;
      }
      return null;
    }
    if (ungrouped !== null) {
      // (each alone: not counted among the rows a contract read may have lost)
      return quoting(where, 'INGEST_RECORD_SYNTAX', ungrouped, ev.bytes);
    }
    if (n !== header.length) {
      // whose rows was it? its grouping columns, where the header puts them, say it when it has them
      const at = groupBy.map((c) => header!.indexOf(c));
      const known = groupBy.length > 0 && at.every((k) => k >= 0 && k < values.length && values[k]!.trim() !== '');
      const rowKey = known ? at.map((k) => groupKeyPart(values[k]!)).join('\u0000') : null;
      lostRow(rowKey, values, true);
      // (the file's last row, short of fields and without its line break: a download cut inside it)
      if (ev.last === true && n < header.length) return quoting(where, 'INGEST_RECORD_TRUNCATED', `the file ends inside this row (${values.length} of the header's ${header.length} fields, no line break after it): it is cut short`, ev.bytes);
      if (unpadded) return quoting(where, 'INGEST_RECORD_SYNTAX', `the row has empty fields past the header line's ${header.length}, where the file pads no row so (its header line, its first row): a separator too many inside a field, its values cannot be matched to the columns`, ev.bytes);
      return quoting(where, 'INGEST_RECORD_SYNTAX', `the row has ${values.length} fields where the header line has ${header.length}: its values cannot be matched to the columns`, ev.bytes);
    }
    const row: Record<string, string> = {};
    for (let k = 0; k < header.length; k++) if (header[k] !== '') row[header[k]!] = values[k]!;
    const issues: Issue[] = [];
    if (decoded.fellBack) issues.push(issue('INGEST_ENCODING_FALLBACK', 'warning', 'row bytes are not all valid UTF-8: those that are not were decoded as Windows-1252'));
    if (looksLikeMojibake(decoded.text)) issues.push(issue('INGEST_MOJIBAKE', 'warning', 'the row looks double-encoded ("Ã©" for "é"): kept as it is'));
    if (groupBy.length === 0) return state.accept({ type: 'unknown', version: null, data: row, provenance: state.provenance(where), issues, ...(aliases ? { aliases } : {}) });
    const key = keyOf(row);
    let early: IngestEvent | readonly IngestEvent[] | null = null;
    // a row without a key (a grouping column empty) is a record alone
    if (group !== null && (blankKey(row) || group.key !== key || blankKey(group.first))) early = flush(values);
    if (group === null) {
      group = { key, rows: [], first: row, count: 0, line: ev.line, offset: ev.offset, issues: [], bytes: 0, excerpt: Buffer.from(ev.bytes.subarray(0, 400)), rejectedRows: 0, places: [] };
      // rows rejected ahead of it with its key were its lines; those of other keys were not, nor are
      // they any later group's (its rows would come back apart from these: rejected as such)
      const ahead = badAhead.get(key) ?? 0;
      badAhead.clear();
      group.rejectedRows += ahead;
    }
    // (rows lost since the last row read: between this group's rows, or before its first one)
    group.rejectedRows += unkeyed.length + unkeyedAhead;
    unkeyed = [];
    unkeyedAhead = 0;
    group.bytes += ev.bytes.length;
    group.count++;
    // (past the size limit, the rows are counted, not kept: the group is rejected whole)
    if (group.bytes <= options.maxRecordBytes) {
      group.rows.push(row);
      if (options.csv.decp === true) group.places.push({ line: ev.line, offset: ev.offset, excerpt: Buffer.from(ev.bytes.subarray(0, CSV_EXCERPT_BYTES)) });
    }
    for (const i of issues) if (!group.issues.some((x) => x.code === i.code)) group.issues.push(i);
    return early;
  };
  // whole chunks: the splitter joins what it holds with each new piece
  yield* batchesOf(chunks, state, splitter, handle, options.shouldStop, undefined, Number.POSITIVE_INFINITY);
  if (state.fellBack) state.encoding = 'windows-1252';
  // (a profile's settings.csv.encoding that rows were read in: the file's, as run.json and the store's
  // sources say it — found by a partners' probe: a Latin-1 export read so was reported as UTF-8)
  else if (state.readOtherwise && state.otherwise !== null) state.encoding = state.otherwise;
  // (flat DECP: the generation most records had, as a DECP JSON file's)
  if (options.csv.decp === true) state.version = state.dominantVersion();
}

/** DECP field names (matched as keys are) that, beside an id and a buyer's id, say a CSV header is flat DECP (flatDecpColumns). */
const DECP_COLUMNS = new Set(['objet', 'codecpv', 'montant', 'datenotification', 'procedure', 'nature', 'dureemois', 'formeprix', 'datepublicationdonnees', 'acheteurnom', 'valeurglobale', 'datesignature', 'datedebutexecution', 'montantsubventionpublique', 'lieuexecutioncode', 'lieuexecutiontypecode', 'lieuexecutionnom', 'autoriteconcedantenom', 'offresrecues', 'techniques', 'modalitesexecution', 'ccag', 'typesprix', 'attributionavance', 'tauxavance', 'origineue', 'originefrance', 'soustraitancedeclaree', 'typegroupementoperateurs', 'marcheinnovant', 'idaccordcadre']);

/**
 * The header of a CSV file read without a profile, when it is flat DECP (the consolidated DECP as
 * data.economie.gouv.fr's Opendatasoft exports it, `;`-separated, and decp-processing's tabular files,
 * `,`-separated, one row per contract and supplier): among its first lines (blank lines, an Excel
 * `sep=` line and a few titles above it passed over), one with an `id` (or `uid`) column, a buyer's
 * id column (`acheteur_id`, `acheteur.id`, `autoriteConcedante_id`…) and two other DECP field names
 * or more (DECP_COLUMNS, or a supplier's column), all matched without case, accents or separators.
 * Its id and buyer-id columns as named (they group the rows of one contract); null for any other CSV.
 */
export function flatDecpColumns(head: Buffer): { id: string; buyer: string } | null {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r\n|\n|\r/).slice(0, MAX_TITLE_LINES + 2);
  for (const line of lines) {
    if (line.trim() === '' || /^sep=.$/i.test(line)) continue;
    const sep = String.fromCharCode(detectDelimiter(Buffer.from(line, 'utf8')));
    const names = line.split(sep).map((n) => n.trim().replace(/^"(.*)"$/s, '$1').trim());
    const keys = flatKeyColumns(names);
    const others = new Set(names.filter((n) => DECP_COLUMNS.has(looseKey(n)) || listColumn(n) !== null).map(looseKey));
    if (keys !== null && others.size >= 2) return keys;
  }
  return null;
}

/**
 * Column names from the header line's (trimmed) texts: an empty one is `column_<n>`; a name given
 * again is `<name>_2`, `<name>_3`…; a prototype key (`__proto__`) is left out, its values with it. Said.
 */
function columnsOf(values: readonly string[], state: FileState, line: number): string[] {
  const used = new Set<string>();
  const out: string[] = [];
  values.forEach((raw, k) => {
    let name = raw;
    if (name === '') name = `column_${k + 1}`;
    if (FORBIDDEN_KEYS.has(name)) {
      state.issues.push(issue('INGEST_FORBIDDEN_KEY', 'warning', `the column ${JSON.stringify(name)} is a reserved key: its values are left out`, { file: state.file.file, line }));
      out.push('');
      return;
    }
    if (used.has(name)) {
      let n = 2;
      while (used.has(`${name}_${n}`)) n++;
      state.issues.push(issue('INGEST_DUPLICATE_KEY', 'warning', `the column ${JSON.stringify(name)} is named again (column ${k + 1}): read as ${JSON.stringify(`${name}_${n}`)} (what a profile reads or withholds as ${JSON.stringify(name)} covers it: it is then not published)`, { file: state.file.file, line }));
      name = `${name}_${n}`;
    }
    used.add(name);
    out.push(name);
  });
  return out;
}

/**
 * Every column of the header that a withheld column (personal data) names in another case, accents
 * or separators (`NOMBRE_SUPERVISOR`, `Nombre Supervisor` for `nombre_supervisor`) is that column:
 * renamed so before the columns are named, it is withheld (a second one is `<name>_2`, which the
 * profile's withholding covers). The mapping's own respelling (KEY_RESPELLED) takes one spelling
 * only: a second, or one beside the exact name, was published in `x_decp.unmapped`.
 */
function withholdLoosely(texts: string[], withheld: readonly string[], state: FileState, line: number): void {
  if (withheld.length === 0) return;
  const exact = new Set(withheld);
  const byLoose = new Map<string, string>();
  for (const w of withheld) if (!byLoose.has(looseKey(w))) byLoose.set(looseKey(w), w);
  // an API's column name may write each letter beyond ASCII as `_` (Socrata's datos.gov.co:
  // `identificaci_n_representante_legal` for the export's `Identificación Representante Legal`): there,
  // a `_` is a separator or a letter left out (privacy first: such a header is withheld too)
  const spelt = withheld.flatMap((w) => {
    const re = underscoredSpelling(w);
    return re === undefined ? [] : [{ w, re }];
  });
  const renamed: string[] = [];
  texts.forEach((t, k) => {
    if (t === '' || exact.has(t)) return;
    const loose = looseKey(t);
    const w = byLoose.get(loose) ?? spelt.find((s) => s.re.test(loose))?.w;
    if (w === undefined) return;
    renamed.push(JSON.stringify(t));
    texts[k] = w;
  });
  if (renamed.length > 0) state.issues.push(issue('INGEST_PROFILE_COLUMN_MISSING', 'warning', `the header line names ${renamed.length} withheld column(s) otherwise (case, accents or separators): ${renamed.join(', ')} withheld as the profile's`, { file: state.file.file, line }));
}

/**
 * Each column that groups rows (settings.csv.groupBy) that the header lacks, found under a name that
 * differs in case, accents or separators only (`ID_MARCHE`, `Id marché` for `id_marche`: one table
 * exported by another tool), is read under the profile's name, said once. The other columns a
 * profile reads are matched so by the mapping, per record (`KEY_RESPELLED`); these are needed
 * before any record is made, and without them the file was not read. Only one column may match,
 * and none the profile names as it is.
 */
function groupLoosely(header: string[], groupBy: readonly string[], state: FileState, line: number): void {
  const renamed: string[] = [];
  for (const want of groupBy) {
    if (header.includes(want)) continue;
    const loose = looseKey(want);
    const at = header.flatMap((h, k) => (h !== '' && !groupBy.includes(h) && looseKey(h) === loose ? [k] : []));
    if (at.length !== 1) continue;
    renamed.push(`${JSON.stringify(header[at[0]!])} as ${JSON.stringify(want)}`);
    header[at[0]!] = want;
  }
  if (renamed.length > 0) state.issues.push(issue('INGEST_PROFILE_COLUMN_MISSING', 'warning', `the header line names the column(s) that group rows otherwise (case, accents or separators): read ${renamed.join(', ')}`, { file: state.file.file, line }));
}

/**
 * The profile's columns the header lacks, said once per file (see CsvOptions.columns); `lines`: the
 * key of a record's grouped rows, null when rows are not grouped.
 */
function missingColumns(header: readonly string[], columns: NonNullable<CsvOptions['columns']>, state: FileState, lines: string | null): void {
  // (a column named in another case or with other separators is the profile's: the mapping reads it
  // so, KEY_RESPELLED; unless two of the profile's names share that loose spelling: then neither)
  const exact = new Set(header);
  const loose = new Set(header.map(looseKey));
  const profileLoose = new Map<string, number>();
  for (const c of new Set([...columns.read.flat(), ...columns.withheld, ...(columns.lists ?? []).flat()])) profileLoose.set(looseKey(c), (profileLoose.get(looseKey(c)) ?? 0) + 1);
  const has = { has: (c: string): boolean => exact.has(c) || (loose.has(looseKey(c)) && profileLoose.get(looseKey(c)) === 1) };
  const read = columns.read.filter((alternatives) => !alternatives.some((c) => has.has(c)));
  const withheld = columns.withheld.filter((c) => !has.has(c)).map((c) => [c]);
  // (each with the header's columns the profile does not name that are spelt nearly so, the column it
  // probably meant: `"Importe del contrat" (the header has "Importe del contrato")`)
  const unnamed = header.filter((h) => h !== '' && !profileLoose.has(looseKey(h)));
  const list = (names: readonly (readonly string[])[], hint = true): string =>
    names
      .map((alternatives) => {
        const near = hint ? nearNames(alternatives, unnamed) : [];
        return `${alternatives.map((c) => JSON.stringify(c)).join(' | ')}${near.length > 0 ? ` (did you mean ${near.map((c) => JSON.stringify(c)).join(' or ')}?)` : ''}`;
      })
      .join(', ');
  if (withheld.length > 0) state.issues.push(issue('INGEST_PROFILE_COLUMN_MISSING', 'warning', `the profile withholds ${list(withheld)}, which the header line does not have: if a name is misspelt, the column it meant is published (column names are matched without case, accents or separators)`, { file: state.file.file }));
  if (read.length > 0) state.issues.push(issue('INGEST_PROFILE_COLUMN_MISSING', 'warning', `the profile reads ${list(read)}, which the header line does not have: nothing is read from them (column names are matched without case, accents or separators)`, { file: state.file.file }));
  const lists = (columns.lists ?? []).filter((alternatives) => !alternatives.some((c) => has.has(c)));
  if (lists.length > 0) state.issues.push(issue('INGEST_PROFILE_COLUMN_MISSING', 'warning', `the profile reads the list(s) ${list(lists, false)}, which the header line does not have: none of their items is read (a CSV record's list is the row itself, ".", ${lines === null ? 'or its grouped rows: settings.csv.groupBy and settings.csv.lines' : `or its grouped rows, ${JSON.stringify(lines)} (settings.csv.lines)`})`, { file: state.file.file }));
}
