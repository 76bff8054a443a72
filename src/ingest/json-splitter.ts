/**
 * JSON record splitter — the hot path of ingest.
 *
 * In: raw bytes of a JSON document (or of JSON Lines), in chunks of any size.
 * Out: one slice of bytes per *record*, with its byte offset and line, ready
 * for JSON.parse; plus the document's "meta" (the root object without its record
 * containers) and problems (bad records, syntax errors) as data.
 *
 * Why bytes and not a token stream: every structural byte of JSON ({}[]":,) is
 * ASCII and never occurs inside a multi-byte UTF-8 or Windows-1252 character, so
 * record boundaries can be found on bytes, without decoding; the record itself
 * is then parsed by V8's native JSON.parse. Strings are skipped with
 * Buffer#indexOf (native memchr). This is several times faster than a
 * token-level streaming parser and keeps memory flat: only the record being
 * read is held (bounded by `maxRecordBytes`).
 *
 * Where are records? The splitter recognises, generically:
 * - `{"marches": [ r, r ]}` (DECP 2019 and the 2023 interim flat shape);
 * - `{"marches": {"marche": [ r ], "contrat-concession": [ r ]}}` (DECP 2024),
 *   including `"marche": r` given once or repeated (duplicate keys, seen in
 *   official interim examples);
 * - `{"releases": [ r ]}` and `{"records": [ r ]}` (OCDS packages; not when an
 *   `ocid`, `compiledRelease` or `versionedRelease` key comes first, since then
 *   the root is itself an OCDS record);
 * - a root array `[ r, r ]`, and the lists among its items (`[[ r, r ], [ r ]]`: pages joined by
 *   `jq -s`), one level down; so the lists among the items of a DECP list (`{"marches": [[ r ], [ r ]]}`);
 * - any other root object is itself a record (a lone DECP record, one line of
 *   JSON Lines, an OCDS release).
 * Several root values may follow each other (JSON Lines, concatenated JSON).
 *
 * Malformed input: a record that is too large or too deep is skipped (not
 * buffered) and reported; a structural error inside a document stops the
 * document, keeping every record before it; in JSON Lines, a broken line is
 * reported and reading resumes on the next line.
 *
 * Pure: no node:* imports beyond Buffer (a global); no I/O.
 */

export interface SplitLimits {
  /** Largest record, in bytes, that is buffered and parsed; larger ones are rejected. */
  readonly maxRecordBytes: number;
  /** Deepest nesting of arrays/objects inside one record. */
  readonly maxDepth: number;
  /**
   * Root keys whose list holds the records (a partner's document that wraps them: `{"contratos": […]}`;
   * a mapping profile's `settings.json.records`), beside the DECP and OCDS ones; `every`: each root
   * key's list (read-json.ts, for an envelope that is not valid JSON).
   */
  readonly recordKeys?: ReadonlySet<string> | 'every' | undefined;
}

export const DEFAULT_SPLIT_LIMITS: SplitLimits = { maxRecordBytes: 16 * 1024 * 1024, maxDepth: 64 };

/** Records of an envelope's lists looked at before it is read as one (see JsonRecordSplitter's `envelope` hook). */
const ENVELOPE_PROBE = 3;

/** Where a record came from in the document. */
export type ContainerName = 'marches' | 'marche' | 'contrat-concession' | 'releases' | 'records' | null;

export interface RecordEvent {
  readonly type: 'record';
  /** The record's bytes (may share memory with the input chunk: copy to keep). */
  readonly bytes: Buffer;
  /** Byte offset of the record's first byte. */
  readonly offset: number;
  /** 1-based line of the record's first byte. */
  readonly line: number;
  readonly container: ContainerName;
  /** True when the record is a whole root value of a JSON Lines / concatenated stream. */
  readonly rootValue: boolean;
  /** True when the record holds a number of 16+ digits (beyond double precision: keep it as text). */
  readonly longNumber: boolean;
  /**
   * The object members written in the record (its colons outside strings), when the scan counted
   * them: a parse that gives fewer means a key given twice in one object (parse-record.ts).
   */
  readonly members?: number;
  /**
   * A document's record with a string not closed at the end of this line (its closing quote missing:
   * the next line opens with a key; see JsonRecordSplitter.reopens): it ends where its braces say.
   */
  readonly unclosedLine?: number;
  /** What the `lineRecord` hook said of a JSON Lines record it vouched for (then not scanned). */
  readonly key?: string;
  /**
   * A record of a list that a `}` too many closed before its end: what follows it in the list is
   * `, "key":`, the rest of its fields (from this line and byte on), which was passed over up to the
   * brace that closes it. Read without them it would be another record than the one written. (Or
   * the next record lost its opening `{`: then the record has that key already; read-json.ts tells.)
   */
  readonly closedEarly?: { readonly line: number; readonly offset: number; readonly key: string; readonly quoteLost?: boolean };
}

/**
 * JSON Lines: vouches for a line, `buf[start..end)` (a root object, `{` to `}`, its line break
 * excluded), as a whole record with no integer of 16+ digits, without the splitter scanning it;
 * returns what it knows of it (e.g. its ocid), or null to have the line scanned as usual.
 */
export type LineRecordHook = (buf: Buffer, start: number, end: number) => string | null;

export interface MetaEvent {
  readonly type: 'meta';
  /** The root object with its record containers emptied, e.g. `{"version":"1.1","releases":[]}`. */
  readonly bytes: Buffer | null;
  readonly containers: readonly Exclude<ContainerName, null>[];
  /** Where the root object starts (its first byte's offset, its line). */
  readonly offset?: number;
  readonly line?: number;
}

export type BadRecordReason = 'too-large' | 'too-deep' | 'truncated' | 'broken-line' | 'junk';

export interface BadRecordEvent {
  readonly type: 'bad-record';
  readonly reason: BadRecordReason;
  readonly message: string;
  /** Start of the record. */
  readonly offset: number;
  readonly line: number;
  readonly container: ContainerName;
}

export interface SyntaxErrorEvent {
  readonly type: 'syntax-error';
  readonly message: string;
  readonly offset: number;
  readonly line: number;
  /** True when reading goes on (JSON Lines resynchronised on the next line). */
  readonly resumed: boolean;
}

/**
 * A fault between the records of a list that loses nothing and is read past (a comma before "]",
 * a missing comma between two records): said (a file issue), no record rejected.
 */
export interface SyntaxRepairedEvent {
  readonly type: 'syntax-repaired';
  readonly message: string;
  readonly offset: number;
  readonly line: number;
}

/**
 * A root object of no known shape that grew past the record size limit (or broke at its own level)
 * is read as an envelope: the lists under its keys are read as lists of records (`{"results":[…]}`,
 * an API's export), since the first objects of them are records (see JsonRecordSplitter's
 * `envelope` hook). Said once, before its records.
 */
export interface EnvelopeEvent {
  readonly type: 'envelope';
  /** The root object's first byte, and its line. */
  readonly offset: number;
  readonly line: number;
}

/**
 * A list opens under the root object, in a splitter whose `recordKeys` are `every` (an envelope's
 * reading): the events up to the next one are that list's. `known`: under a DECP or OCDS name.
 */
export interface ListEvent {
  readonly type: 'list';
  readonly known: boolean;
  readonly offset: number;
  readonly line: number;
}

/** What the first objects of an envelope's list are (see JsonRecordSplitter's `envelope` hook). */
export type EnvelopeList = 'records' | 'other' | 'unsure';

/**
 * A root array holds lists (`[[{…},{…}],[{…}]]`: pages each a bare list of records, joined by
 * `jq -s`), or a DECP list of records does (`{"marches":[[{…}],[{…}]]}`: each page's list appended
 * to it whole): the items of each such list are records, read where they are, as a root array's are.
 * Said once, when the first object in such a list starts (at the first list's "[").
 */
export interface ListOfListsEvent {
  readonly type: 'list-of-lists';
  /** The first inner list's "[", and its line. */
  readonly offset: number;
  readonly line: number;
  /** The DECP list of records that holds the lists (`marches`, `marche`, `contrat-concession`); null: the root array. */
  readonly under: ContainerName;
}

export type SplitEvent = RecordEvent | MetaEvent | BadRecordEvent | SyntaxErrorEvent | SyntaxRepairedEvent | EnvelopeEvent | ListEvent | ListOfListsEvent;

type Role = 'root' | 'root-array' | 'marches' | 'records';

interface Frame {
  readonly type: 'obj' | 'arr';
  readonly role: Role;
  readonly container: ContainerName;
  expect: 'key' | 'colon' | 'value' | 'comma' | 'first';
  key: string;
  sawOcid: boolean;
  hasContainer: boolean;
  containers: Exclude<ContainerName, null>[];
  /** The line it opens on, less the line breaks inside strings before it (see stringBreaks). */
  readonly startLine: number;
  /**
   * A `marches` object not known yet to hold lists of records (`{"marche":[…]}`) or to be one record
   * itself (`{"marches":{"id":…}}`, a list of one written as its item). Its bytes are kept (`cand`),
   * and the records found in its values are held (`held`), until a key names a list of records or
   * the bytes pass the record size limit (it holds lists: the records held are handed on), or it
   * closes (it is one record: the values held were its fields).
   */
  undecided: boolean;
}

/** Collects the bytes of one value across chunks, up to a limit. */
class Capture {
  parts: Buffer[] = [];
  size = 0;
  /** Index in the current chunk where the running part starts, -1 when paused. */
  start = -1;
  overflow = false;
  constructor(private readonly limit: number) {}

  begin(index: number): void {
    this.parts = [];
    this.size = 0;
    this.start = index;
    this.overflow = false;
  }
  pause(chunk: Buffer, endExclusive: number): void {
    if (this.start >= 0) this.add(chunk.subarray(this.start, endExclusive));
    this.start = -1;
  }
  resume(index: number): void {
    this.start = index;
  }
  /** Pause, less the last `n` bytes captured (the running part counted up to `endExclusive`). */
  cut(chunk: Buffer, endExclusive: number, n: number): void {
    this.pause(chunk, endExclusive);
    for (let k = n; k > 0 && this.parts.length > 0; ) {
      const last = this.parts[this.parts.length - 1]!;
      const drop = Math.min(k, last.length);
      if (drop === last.length) this.parts.pop();
      else this.parts[this.parts.length - 1] = last.subarray(0, last.length - drop);
      this.size -= drop;
      k -= drop;
    }
  }
  /** At the end of a chunk: keep the running part. */
  spill(chunk: Buffer): void {
    if (this.start >= 0) {
      this.add(chunk.subarray(this.start));
      this.start = 0;
    }
  }
  /** Bytes captured so far plus the running part up to endExclusive. */
  finish(chunk: Buffer, endExclusive: number): Buffer | null {
    if (this.overflow) return null;
    if (this.parts.length === 0) return this.start >= 0 ? chunk.subarray(this.start, endExclusive) : Buffer.alloc(0);
    this.pause(chunk, endExclusive);
    if (this.overflow) return null;
    const out = Buffer.concat(this.parts, this.size);
    this.parts = [];
    return out;
  }
  /** Would the running part, up to endExclusive, go over the limit? */
  exceeds(endExclusive: number): boolean {
    return this.size + (this.start >= 0 ? endExclusive - this.start : 0) > this.limit;
  }
  private add(part: Buffer): void {
    if (this.overflow) return;
    this.size += part.length;
    if (this.size > this.limit) {
      this.overflow = true;
      this.parts = [];
      return;
    }
    this.parts.push(part);
  }
}

/**
 * Fields every DECP record has, as a value (2019 and 2024, marchés and concessions): one of them
 * directly under `marches` makes it a record (see JsonRecordSplitter.candIsRecord).
 */
const RECORD_FIELDS = new Set(['id', 'uid', '_type', 'objet', 'nature', 'procedure', 'montant', 'valeurGlobale', 'codeCPV', 'dureeMois', 'dateNotification', 'dateSignature', 'datePublicationDonnees', 'formePrix']);

/** Keys that make a root object an OCDS record (so its `releases` are content, not a package's list). */
const RECORD_KEYS = new Set(['ocid', 'compiledRelease', 'versionedRelease']);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const NL = 0x0a;
export const CR = 0x0d;
export const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const MINUS = 0x2d;
/** The first byte of `null`. */
const LOWER_N = 0x6e;
/** Padding between or after root values: NUL (a file preallocated, or cut by a crash) and Ctrl-Z (an old tool's end-of-file mark). */
const NUL = 0x00;
const SUB = 0x1a;

/** Are the bytes from `from` to `to` (excluded) spaces, tabs or CRs only? */
function onlyBlanks(buf: Buffer, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = buf[k]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** The longest text read as the rest of a key after a record (see keyRestOn). */
const KEY_REST_BYTES = 256;

/** Does a record (`{` … `}`) end with a comma before its closing brace (`…},}`, a trailing comma the record parser repairs)? */
function endsAfterComma(bytes: Buffer): boolean {
  if (bytes[bytes.length - 1] !== RBRACE) return false;
  let k = bytes.length - 2;
  while (k > 0 && isWhitespace(bytes[k]!)) k--;
  return bytes[k] === COMMA;
}

/** Can this byte be in a key's text, as `reopens` reads one (no quote, escape, line break or JSON punctuation)? */
function keyByte(c: number): boolean {
  return c >= 0x20 && c !== QUOTE && c !== BACKSLASH && c !== COMMA && c !== COLON && c !== LBRACE && c !== RBRACE && c !== LBRACKET && c !== RBRACKET;
}

/** Does this byte end a number or literal (`NaN`, as the record parser repairs it, included)? */
function endsScalar(c: number): boolean {
  return c === COMMA || c === COLON || c === RBRACE || c === RBRACKET || isWhitespace(c);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A byte of JSON's whitespace: space, line feed, carriage return, tab. */
export function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

type Mode = 'top' | 'outer' | 'key' | 'scan' | 'literal' | 'resync' | 'follow' | 'dead';

/** What the value being scanned is. */
type Target = 'record' | 'skip' | 'root-record';

export class JsonRecordSplitter {
  private readonly limits: SplitLimits;
  private base = 0;
  private line = 1;
  private mode: Mode = 'top';
  private readonly stack: Frame[] = [];
  // string state (shared by key and value scanning)
  private inString = false;
  private escaped = false;
  // key capture
  private keyParts: Buffer[] = [];
  /** Bytes of the key being read held in keyParts so far (see push). */
  private keyBytes = 0;
  private keyStart = -1;
  // value scan state
  private depth = 0;
  private target: Target = 'skip';
  private tooDeep = false;
  private longNumber = false;
  /** Colons outside strings in the value being scanned: its object members. */
  private members = 0;
  /** Digits of a number that runs to the end of the previous chunk. */
  private digitRun = 0;
  private valueOffset = 0;
  private valueLine = 1;
  private valueContainer: ContainerName = null;
  private readonly rec: Capture;
  private readonly root: Capture;
  /** The bytes of an undecided `marches` object (see Frame.undecided), and where it starts. */
  private readonly cand: Capture;
  private candOffset = 0;
  private candLine = 1;
  /** Events of the records found inside an undecided `marches` object (see Frame.undecided). */
  private held: SplitEvent[] | null = null;
  /**
   * The undecided `marches` object gave a value of a field every DECP record has (`id`, `objet`,
   * `montant`…): it can be one record. Without one it holds lists, whatever their names
   * (`{"contrats":[…]}`), or nothing (`{}`).
   */
  private candIsRecord = false;
  /** Set once the first root value fitted on one line: JSON Lines rules apply. */
  private lineMode = false;
  /** JSON Lines of records: each root object is scanned straight as a record. */
  private jsonlRecords = false;
  private rootStartOffset = 0;
  private rootStartLine = 1;
  private sawRoot = false;
  private events: SplitEvent[] = [];
  /** Resync: the next byte starts a line. */
  private resyncLineStart = false;
  /** JSON Lines: the last chunk ended with a line break inside a string (see stringEnd). */
  private nlPendingInString = false;
  /**
   * Bytes of a UTF-8 byte order mark seen between root values (files concatenated with their BOMs,
   * `cat a.jsonl b.jsonl`): 0–2, and where it began. A whole BOM there is skipped as whitespace.
   */
  private topBom = 0;
  private topBomAt = 0;
  private topBomLine = 1;
  /** Padding (NUL, Ctrl-Z) is being passed over between root values: said once per run of it. */
  private padding = false;
  /** The last chunk ended at the start of a line (then only whitespace): for lineStartsAt at a chunk's first byte. */
  private chunkEndsAtLineStart = true;
  /**
   * Index (in the current chunk) of the next line break at or after where strings are being
   * scanned; -1 none in the rest of the chunk, -2 not looked for yet in this chunk.
   */
  private nlAt = -2;
  /**
   * Line breaks counted inside strings of a document: `line` less these is the line as the
   * structure counts it (a root object on one line, whatever its strings hold, opens JSON Lines).
   */
  private stringBreaks = 0;
  /**
   * A document's string being scanned in a value has had a raw line break, and only spaces, tabs or
   * CRs since the last one (see reopens).
   */
  private breakWs = false;
  /**
   * A key after a string closed as reopens describes, still being read when the last chunk ended: 1
   * in its text (keyBytes of it so far), 2 in the blanks after its closing quote; 0 none.
   */
  private probe: 0 | 1 | 2 = 0;
  private probeKeyBytes = 0;
  /** The first line of the value being scanned whose string was not closed at its end (see reopens), or 0. */
  private unclosed = 0;
  /**
   * The last chunk ended after a string's closing quote inside a value, then only spaces or tabs:
   * whether that quote closed the string is decided by the next byte (see strayQuote).
   */
  private quotePending = false;
  /** The last byte of the last chunk that is not a blank, outside strings (0: none): see prevAt. */
  private prev = 0;
  /** The last byte of the last chunk, whatever it is (0: none): see junkAt. */
  private lastByte = 0;
  /** A quote was met on the line the last chunk ended in, since its line break (see quoteBeforeOnLine). */
  private quoteOnLine = false;
  /** Junk is being passed over in a list of records (see junkAt). */
  private junk = false;
  /**
   * The last record of a list, kept until the bytes after it say that it ended where it was written
   * to end: `, "key":` after it is the rest of its fields (a `}` too many closed it; see closedEarly).
   */
  private pendingRecord: RecordEvent | null = null;
  /** A string item right after pendingRecord (`, "key"`): a key when a ":" follows it. */
  private pendingString: RecordEvent | null = null;
  /**
   * Text right after pendingRecord, which ended with a comma before its `}` (`,}objet": …`): the rest
   * of a key whose opening quote became that `}` when its quote, blanks and a ":" follow (see
   * keyRestOn). `quoted`: its quote was met; `bytes`: its text so far. Where it starts, for the
   * reject said as junk when it is not one.
   */
  private keyRest: { offset: number; line: number; bytes: number[]; quoted: boolean } | null = null;
  /**
   * A "[" right after a record of a list, where a "," was expected (`}[{`): the "," that became it
   * when a "{" follows (after blanks; see bracketOn). Where it is.
   */
  private bracketAt: { offset: number; line: number } | null = null;
  /**
   * The root object being read as an envelope (see startEnvelope): its bytes go to `sub`, a splitter
   * that reads the lists under every key as lists of records; `from` is where the bytes of the
   * current chunk not given to it yet start. Its events are judged list by list (envTake); once a
   * list holds records they are this splitter's. `refused`: none did (the root object is one record
   * too large, as before). `fault`: where its reading stopped.
   */
  private env: {
    sub: JsonRecordSplitter;
    from: number;
    /** The `envelope` event said: a list of it holds records. */
    accepted: boolean;
    /** Events held until then (outside lists, or of lists the hook was unsure of), and their records' bytes. */
    pre: SplitEvent[];
    preBytes: number;
    /** The list being read, and what its first objects say. */
    list: { state: 'pending' | EnvelopeList; held: SplitEvent[]; bytes: number; sample: Buffer[] } | null;
    refused: boolean;
    fault: SyntaxErrorEvent | null;
  } | null = null;

  constructor(
    limits: Partial<SplitLimits> = {},
    /** Once the input reads as JSON Lines of records: lines the hook vouches for are not scanned. */
    private readonly lineRecord?: LineRecordHook,
    /**
     * Does a record of a list that ended with "]" hold the records after it (read-json.ts asks
     * indent-split.ts)? Then that "]" was its list's: a brace missing in the record made the
     * braces balance there, and the list is closed at it (see finishValue). `atEnd`: a record of a
     * list that the input ended in (its braces never balanced): does it hold records of its own?
     * Then it is handed on whole, to be read in pieces (see finish), not lost as one cut record.
     */
    private readonly ranOver?: (bytes: Buffer, atEnd?: boolean) => boolean,
    /**
     * Are these (the first objects of a list of a root object past the size limit, up to
     * ENVELOPE_PROBE of them) records, other objects, or unsure (some do not parse)? A list of
     * records makes the root object an envelope, its lists read as lists of records, streamed (see
     * envTake); without the hook, or when no list holds records, the root object is one record too
     * large.
     */
    private readonly envelope?: (records: readonly Buffer[]) => EnvelopeList,
  ) {
    this.limits = { ...DEFAULT_SPLIT_LIMITS, ...limits };
    this.rec = new Capture(this.limits.maxRecordBytes);
    this.root = new Capture(this.limits.maxRecordBytes);
    this.cand = new Capture(this.limits.maxRecordBytes);
  }

  /**
   * The input's offset of its first byte given to push(): the bytes before it (byte order marks)
   * count in every offset said. Before the first push only.
   */
  startAt(offset: number, line = 1): void {
    this.base = offset;
    this.line = line;
  }

  /** Bytes consumed so far. */
  get position(): number {
    return this.base;
  }

  /**
   * The input's first two lines, held until both are whole (or HEAD_BYTES are held):
   * JSON Lines whose first line was cut (a file that starts or was split mid-line) would otherwise
   * be read as one value running on into the next lines, which were all lost inside one reject.
   * See firstLineCut. Null once decided.
   */
  private head: Buffer[] | null = [];
  private headSize = 0;
  private headLines = 0;

  /** Feed the next chunk; returns the events it completed. */
  push(chunk: Buffer): SplitEvent[] {
    if (this.head === null) return this.step(chunk);
    this.head.push(chunk);
    this.headSize += chunk.length;
    for (let at = chunk.indexOf(NL); at >= 0 && this.headLines < 2; at = chunk.indexOf(NL, at + 1)) this.headLines++;
    if (this.headLines < 2 && this.headSize < HEAD_BYTES) return [];
    return this.flushHead(false);
  }

  /** Is the input read as JSON Lines of records (each root object a record)? */
  get inJsonLines(): boolean {
    return this.jsonlRecords;
  }

  /**
   * When the bytes pushed so far end exactly between two records of JSON Lines of records (every
   * record before whole, nothing held, the next byte starts a line): the number of the next line;
   * else null. What follows can then be read apart, as the rest of the same file.
   */
  lineStart(): number | null {
    const between = this.head === null && this.pendingRecord === null && this.jsonlRecords && this.mode === 'top' && this.stack.length === 0 && this.held === null && this.topBom === 0 && !this.nlPendingInString && this.chunkEndsAtLineStart;
    return between ? this.line : null;
  }

  /** Feed the held first lines, less a first line that firstLineCut says was cut (one reject for it). */
  private flushHead(atEnd: boolean): SplitEvent[] {
    const all = this.head!.length === 1 ? this.head![0]! : Buffer.concat(this.head!, this.headSize);
    this.head = null;
    // (decided on the first HEAD_BYTES whatever the chunks: the same bytes give the same records)
    const cut = firstLineCut(all.length > HEAD_BYTES ? all.subarray(0, HEAD_BYTES) : all, atEnd && all.length <= HEAD_BYTES);
    if (cut === null || !this.isBrokenLine(all.subarray(cut.start, cut.next))) return this.step(all);
    const message = 'line 1 is not a whole JSON value (the input starts or ends inside that line): reading goes on at line 2';
    const bad: SplitEvent = { type: 'bad-record', reason: 'broken-line', message, offset: cut.start, line: 1, container: null };
    this.base = cut.next;
    this.line = 2;
    return [bad, ...this.step(all.subarray(cut.next))];
  }

  /**
   * Is this line, read alone, broken: does it give nothing whole (no object or array, even one the
   * record parser will repair or reject, such as one holding NaN; no document, such as a whole
   * `{"marches":[…]}` on one line), without being the start of a document of records (a root
   * array, `{"marches":`, `{"releases":`…, whose records the next lines are)? A line that gives
   * something whole is read as before: nothing it held is lost.
   */
  private isBrokenLine(line: Buffer): boolean {
    // (an envelope broken on that line gives its records before the fault: it is read, see startEnvelope)
    const probe = new JsonRecordSplitter(this.limits, undefined, undefined, this.envelope);
    probe.head = null;
    const events = probe.step(line);
    const root = probe.stack[0];
    if (root !== undefined) {
      const key = root.key;
      if (root.role === 'root-array' || root.hasContainer || namesRecords(key, root.sawOcid) || this.listedKey(key)) return false;
    }
    events.push(...probe.finish());
    // (a scalar is no record: a line cut at its start often begins inside a string); a line that
    // holds only scalars or an empty array, or a record too large or too deep, is not cut either
    if (events.some((e) => e.type === 'meta' || (e.type === 'record' && (e.bytes[0] === LBRACE || e.bytes[0] === LBRACKET)))) return false;
    return events.some((e) => e.type === 'syntax-error' || (e.type === 'bad-record' && (e.reason === 'truncated' || e.reason === 'broken-line' || e.reason === 'junk')));
  }

  private step(chunk: Buffer): SplitEvent[] {
    this.events = [];
    if (this.env !== null) this.env.from = 0;
    const n = chunk.length;
    let i = 0;
    this.nlAt = -2;
    if (this.nlPendingInString) {
      this.nlPendingInString = false;
      if (this.inString && n > 0) {
        this.line++;
        if (chunk[0] === LBRACE) this.brokenLine(chunk, 0);
      }
    }
    // a number that ran to the end of the last chunk ends here unless this chunk goes on with digits
    if (this.digitRun > 0 && !(n > 0 && chunk[0]! >= 0x30 && chunk[0]! <= 0x39)) this.digitRun = 0;
    while (i < n) {
      switch (this.mode) {
        case 'top':
          i = this.stepTop(chunk, i);
          break;
        case 'outer':
          i = this.stepOuter(chunk, i);
          break;
        case 'key':
          i = this.stepKey(chunk, i);
          break;
        case 'scan':
          i = this.stepScan(chunk, i);
          break;
        case 'literal':
          i = this.stepLiteral(chunk, i);
          break;
        case 'resync': {
          // skip to the next line that opens an object or an array at its first byte: the rest
          // of a broken pretty-printed record (indented lines) is not read as records of its own
          if (this.resyncLineStart) {
            while (i < n && chunk[i] !== NL && isWhitespace(chunk[i]!)) i++; // indentation
            if (i === n) break; // the line goes on in the next chunk
            this.resyncLineStart = false;
            const c = chunk[i]!;
            if (c === LBRACE || c === LBRACKET) {
              this.mode = 'top';
              break;
            }
          }
          const nl = chunk.indexOf(NL, i);
          if (nl < 0) {
            i = n;
          } else {
            this.line++;
            i = nl + 1;
            this.resyncLineStart = true;
          }
          break;
        }
        case 'follow':
          i = this.stepFollow(chunk, i);
          break;
        case 'dead':
          i = n;
          break;
      }
    }
    // (what the next chunk's first quote may look back to: see prevAt)
    if (this.mode === 'scan' && !this.inString) this.prev = this.prevAt(chunk, n);
    if (n > 0) {
      this.lastByte = chunk[n - 1]!;
      this.quoteOnLine = this.quoteBeforeOnLine(chunk, n);
    }
    this.rec.spill(chunk);
    // (a root object of no known shape past the size limit: read as an envelope when its lists hold records)
    if (this.env === null && this.root.start >= 0 && !this.root.overflow && this.root.exceeds(n)) this.startEnvelope(chunk, n);
    if (this.env !== null) this.envFeed(chunk, n);
    this.root.spill(chunk);
    this.cand.spill(chunk);
    // (past the size limit an undecided `marches` object cannot be one record: it holds lists)
    if (this.cand.overflow && this.stack.some((f) => f.undecided)) this.decideLists();
    if (this.keyStart >= 0) {
      // (a key is held at most a record's size: a key of 500 MB in a gzip of 0.5 MB took 2 GB)
      this.keyBytes += n - this.keyStart;
      if (this.keyBytes <= this.limits.maxRecordBytes) this.keyParts.push(chunk.subarray(this.keyStart));
      else this.keyParts = [];
      this.keyStart = 0;
    }
    this.base += n;
    let k = n - 1;
    while (k >= 0 && isWhitespace(chunk[k]!) && chunk[k] !== NL) k--;
    if (k >= 0) this.chunkEndsAtLineStart = chunk[k] === NL;
    return this.events;
  }

  /** End of input: reports what was left open. */
  end(): SplitEvent[] {
    if (this.head === null) return this.finish();
    const held = this.flushHead(true);
    return [...held, ...this.finish()];
  }

  /** A BOM begun between root values and not finished: one reject from its first byte. */
  private cutBom(): void {
    this.topBom = 0;
    this.badRecord('junk', `text that is not JSON between JSON values: byte 0xef (at byte ${this.topBomAt}, line ${this.topBomLine})`, this.topBomAt, this.topBomLine, null);
  }

  private finish(): SplitEvent[] {
    this.events = [];
    if (this.keyRest !== null) this.keyRestJunk();
    if (this.bracketAt !== null) {
      // (the input ends after it: as when it was read as junk at once)
      const at = this.bracketAt;
      this.bracketAt = null;
      this.bracketJunk(Buffer.from('['), 0, this.stack[this.stack.length - 1]!, at);
    }
    // (the list's last record took the document's closing brackets: see tookClosers)
    const took = this.mode === 'outer' && this.pendingRecord !== null && this.pendingString === null ? this.tookClosers(this.pendingRecord.bytes) : null;
    this.flushPending();
    if (took !== null) {
      this.closeWith(took);
      this.mode = 'dead';
      return this.events;
    }
    // (the input ends inside an envelope: what its reading says of its lists says where)
    if (this.envEnd(Buffer.alloc(0), 0)) {
      this.envRead = false;
      this.mode = 'dead';
      return this.events;
    }
    const empty = Buffer.alloc(0);
    const at = this.base;
    // (the input ends inside a BOM between root values)
    if (this.topBom > 0) this.cutBom();
    if (this.mode === 'literal') {
      // a bare scalar that ends the input (e.g. a last JSON Lines value with no newline)
      this.localeHeld = 0;
      this.finishValue(empty, 0);
    }
    if (this.held !== null) {
      if (this.cand.overflow || this.cand.exceeds(0) || !this.candIsRecord) this.decideLists();
      else {
        // the input ends inside a `marches` object that is one record (what its values gave were its fields)
        this.held = null;
        this.dropCandidate();
        this.badRecord('truncated', `the input ends inside a record (at byte ${at}, line ${this.line})`, this.candOffset, this.candLine, null);
        this.mode = 'dead';
        return this.events;
      }
    }
    if (this.mode === 'scan' || this.mode === 'key' || this.mode === 'outer' || this.mode === 'literal') {
      if (this.mode === 'scan' && (this.target === 'record' || this.target === 'root-record') && this.tooDeep) {
        this.badRecord('too-deep', `record nested deeper than ${this.limits.maxDepth} levels (and never closed)`, this.valueOffset, this.valueLine, this.valueContainer);
      } else if (this.mode === 'scan' && this.target === 'record' && this.ranOnToEnd()) {
        // (a record of a list that ran on over the records after it to the input's end, a bracket
        // of it read as text: handed on whole, its pieces read; unless it took the document's
        // closing brackets, the document was cut all the same)
        const took = this.tookClosers(this.lastRunOn!);
        if (took !== null) this.closeWith(took);
        else this.events.push({ type: 'syntax-error', message: `the input ends before the JSON document is complete (at byte ${at}, line ${this.line})`, offset: at, line: this.line, resumed: false });
      } else if (this.mode === 'scan' && (this.target === 'record' || this.target === 'root-record')) {
        this.badRecord('truncated', `the input ends inside a record (at byte ${at}, line ${this.line})`, this.valueOffset, this.valueLine, this.valueContainer);
      } else if (this.stack.length > 0 && this.stack[0]!.role === 'root' && !this.stack[0]!.hasContainer) {
        // a lone record / JSON Lines value, cut short
        this.badRecord('truncated', `the input ends inside a JSON value (at byte ${at}, line ${this.line})`, this.rootStartOffset, this.rootStartLine, null);
      } else {
        this.events.push({ type: 'syntax-error', message: `the input ends before the JSON document is complete (at byte ${at}, line ${this.line})`, offset: at, line: this.line, resumed: false });
      }
    }
    this.mode = 'dead';
    return this.events;
  }

  // ---- top level: between root values --------------------------------------------------

  private stepTop(buf: Buffer, i: number): number {
    const n = buf.length;
    while (i < n) {
      const c = buf[i]!;
      if (this.topBom > 0 && c !== BOM[this.topBom]) {
        // the start of a BOM, then something else: not JSON, from the BOM's first byte on
        this.cutBom();
        this.resetToTop();
        this.mode = 'resync';
        return i;
      }
      if (c === NL) {
        this.line++;
        i++;
        continue;
      }
      if (isWhitespace(c)) {
        i++;
        continue;
      }
      if ((c === NUL || c === SUB) && this.topBom === 0) {
        // padding, not a record: passed over, said once per run of it (it was a record rejected,
        // counted among those read; what follows it is read as before)
        if (!this.padding) {
          this.padding = true;
          this.events.push({ type: 'syntax-repaired', message: `${c === NUL ? 'NUL bytes' : 'an end-of-file mark (Ctrl-Z)'} between or after JSON values (at byte ${this.base + i}, line ${this.line}): padding, passed over`, offset: this.base + i, line: this.line });
        }
        i++;
        continue;
      }
      this.padding = false;
      if (c === BOM[this.topBom]) {
        if (this.topBom === 0) {
          this.topBomAt = this.base + i;
          this.topBomLine = this.line;
        }
        this.topBom = (this.topBom + 1) % 3;
        i++;
        continue;
      }
      this.rootStartOffset = this.base + i;
      this.rootStartLine = this.line;
      if (c === LBRACE && this.jsonlRecords) {
        const next = this.lineRecord ? this.vouchedLine(buf, i) : -1;
        if (next >= 0) {
          i = next;
          continue;
        }
        this.startValue(buf, i, 'root-record', null);
        return i;
      }
      if (c === LBRACE) {
        this.stack.push(this.frame('obj', 'root', null));
        this.root.begin(i);
        this.mode = 'outer';
        this.sawRoot = true;
        return i + 1;
      }
      if (c === LBRACKET) {
        const f = this.frame('arr', 'root-array', null);
        f.expect = 'first';
        this.stack.push(f);
        this.mode = 'outer';
        this.sawRoot = true;
        return i + 1;
      }
      if (!isValueStart(c)) {
        // Text that cannot start a JSON value (an HTML error page appended by a proxy, a stray
        // "}"...): one reject for it, up to the next line that opens an object or an array.
        this.badRecord('junk', `text that is not JSON between JSON values: ${describe(c)} (at byte ${this.base + i}, line ${this.line})`, this.base + i, this.line, null);
        this.resetToTop();
        this.mode = 'resync';
        return i;
      }
      // A scalar at the top level: hand it on as a record; the record decoder
      // rejects it with a reason ("expected an object").
      this.startValue(buf, i, 'root-record', null);
      return i;
    }
    return i;
  }

  /**
   * JSON Lines: the root object at `i` as a record without scanning it, when its whole line is in
   * this chunk, ends with its closing brace (then CR LF or LF), fits the size limit, and the
   * `lineRecord` hook vouches for it. Returns where the next line starts, or -1 (scan it as usual).
   * A line that only looks whole (a brace that closes no object) is the record parser's to reject,
   * as a line broken off is in JSON Lines.
   */
  private vouchedLine(buf: Buffer, i: number): number {
    const nl = buf.indexOf(NL, i);
    if (nl < 0) return -1;
    const end = buf[nl - 1] === CR ? nl - 1 : nl;
    if (end - i < 2 || buf[end - 1] !== RBRACE || end - i > this.limits.maxRecordBytes) return -1;
    const key = this.lineRecord!(buf, i, end);
    if (key === null) return -1;
    this.events.push({ type: 'record', bytes: buf.subarray(i, end), offset: this.base + i, line: this.line, container: null, rootValue: true, longNumber: false, key });
    this.line++;
    return nl + 1;
  }

  /** Is the list under this root key one of records by the limits' `recordKeys`? */
  private listedKey(key: string): boolean {
    const keys = this.limits.recordKeys;
    return keys === 'every' || keys?.has(key) === true;
  }

  private frame(type: 'obj' | 'arr', role: Role, container: ContainerName): Frame {
    return { type, role, container, expect: type === 'obj' ? 'key' : 'value', key: '', sawOcid: false, hasContainer: false, containers: [], startLine: this.line - this.stringBreaks, undecided: false };
  }

  // ---- outer levels: root object, `marches` object, record arrays ---------------------

  private stepOuter(buf: Buffer, i: number): number {
    const n = buf.length;
    while (i < n && this.mode === 'outer') {
      const c = buf[i]!;
      if (this.keyRest !== null) {
        // (the text after a record closed by a "}" in a key's quote's place: see keyRestOn)
        const got = this.keyRestOn(c);
        if (got === 'more') {
          i++;
          continue;
        }
        const f = this.stack[this.stack.length - 1]!;
        const rest = this.keyRest;
        if (got === 'key') {
          this.keyRest = null;
          return this.closedEarly(buf, i, f, decodeKey(Buffer.from(rest.bytes)), rest.line, rest.offset, true);
        }
        // not a key's rest: junk from its first byte, as it was read byte by byte (this one read as its next)
        this.keyRestJunk();
      }
      if (c === NL) {
        this.line++;
        if (this.lineMode && this.rootIsRecordLike()) {
          this.brokenLine(buf, i);
          return i + 1;
        }
        i++;
        continue;
      }
      if (isWhitespace(c)) {
        i++;
        continue;
      }
      const f = this.stack[this.stack.length - 1]!;
      if (f.type === 'obj') {
        switch (f.expect) {
          case 'key':
            if (c === QUOTE) {
              this.reopen = null;
              this.mode = 'key';
              this.keyParts = [];
              this.keyBytes = 0;
              this.keyStart = i + 1;
              this.inString = true;
              this.escaped = false;
              return i + 1;
            }
            if (c === RBRACE) return this.closeFrame(buf, i);
            if (c === LBRACE && this.reopen?.parent === f) return this.reopenList(buf, i, f);
            return this.syntax(buf, i, `expected a key or "}", got ${describe(c)}`);
          case 'colon':
            if (c === COLON) {
              f.expect = 'value';
              i++;
              continue;
            }
            return this.syntax(buf, i, `expected ":" after key ${JSON.stringify(f.key)}, got ${describe(c)}`);
          case 'value':
            if (!isValueStart(c)) return this.syntax(buf, i, `expected a value after key ${JSON.stringify(f.key)}, got ${describe(c)}`);
            f.expect = 'comma';
            return this.objectValue(buf, i, f, c);
          case 'comma':
            if (c === COMMA) {
              f.expect = 'key';
              i++;
              continue;
            }
            if (c === RBRACE) return this.closeFrame(buf, i);
            // (`},]{`: the "]" too many after a comma, see reopenList)
            if (c === LBRACE && this.reopen?.parent === f) return this.reopenList(buf, i, f);
            return this.syntax(buf, i, `expected "," or "}", got ${describe(c)}`);
          case 'first':
            return this.syntax(buf, i, 'internal state');
        }
      } else {
        const list = f.role === 'records' || f.role === 'root-array';
        if (this.bracketAt !== null) return this.bracketOn(buf, i, f);
        // (`}[{`: see bracketOn; not in a root array of lists, whose items may be lists; nor after a
        // record that does not parse: a byte of it become "}" closed it early, `"lots"}[{…}]`, and the
        // "[" is its own list's, whose "]" would end the list of records: every record after it lost)
        if (c === LBRACKET && f.expect === 'comma' && this.pendingRecord !== null && this.pendingString === null && (f.role === 'records' || this.innerList === null) && parsesAlone(this.pendingRecord.bytes) !== undefined) {
          this.bracketAt = { offset: this.base + i, line: this.line };
          return i + 1;
        }
        if (this.pendingRecord !== null) {
          // (a record and the string after it are kept only as far as `, "key":` is possible)
          if (this.pendingString !== null && c === COLON) {
            const key = stringOf(this.pendingString.bytes);
            if (!this.nextList(key)) return this.closedEarly(buf, i, f, key ?? '', this.pendingString.line, this.pendingString.offset, false);
          }
          // (`,}objet": …`: text after a record whose "}" follows a comma may be the rest of a key, see keyRestOn)
          if (this.pendingString === null && f.expect === 'comma' && keyByte(c) && endsAfterComma(this.pendingRecord.bytes)) {
            this.keyRest = { offset: this.base + i, line: this.line, bytes: [c], quoted: false };
            i++;
            continue;
          }
          if (this.pendingString !== null || !((f.expect === 'comma' && c === COMMA) || (f.expect === 'value' && c === QUOTE))) this.flushPending();
        }
        if (f.expect === 'comma') {
          if (c === COMMA) {
            f.expect = 'value';
            i++;
            continue;
          }
          if (c === RBRACKET) return this.closeFrame(buf, i);
          // `} {` in a list of records: the comma left out between two records (hand-joined files)
          if (c === LBRACE && list) {
            if (this.junk) {
              // (after junk: the next record, nothing left out)
              this.startValue(buf, i, 'record', f.container);
              return i;
            }
            this.events.push({ type: 'syntax-repaired', message: `a "," is missing between two records (at byte ${this.base + i}, line ${this.line}): read as if it were there`, offset: this.base + i, line: this.line });
            this.startValue(buf, i, 'record', f.container);
            return i;
          }
          // anything else between two records of a list: junk (see junkAt), reading goes on
          if (list) return this.junkAt(buf, i, f);
          return this.syntax(buf, i, `expected "," or "]", got ${describe(c)}`);
        }
        if (c === RBRACKET && f.expect === 'first') return this.closeFrame(buf, i);
        // `…},]`: a comma after the last record (a list written by hand or by a template)
        if (c === RBRACKET && list && this.junk) return this.closeFrame(buf, i);
        if (c === RBRACKET && list) {
          this.events.push({ type: 'syntax-repaired', message: `a "," after the last record of a list (at byte ${this.base + i}, line ${this.line}): ignored`, offset: this.base + i, line: this.line });
          return this.closeFrame(buf, i);
        }
        if (c === RBRACKET) return this.syntax(buf, i, 'expected a value after ",", got "]"');
        // (junk goes on up to the next record; a list's item that is not a value starts junk)
        if (list && c !== LBRACE && (this.junk || !isValueStart(c))) return this.junkAt(buf, i, f);
        if (!isValueStart(c)) return this.syntax(buf, i, `expected a value, got ${describe(c)}`);
        f.expect = 'comma';
        // a list as an item of the root array (`[[{…}],[{…}]]`, pages each a list of records joined by
        // `jq -s`): its items are records, each streamed where it is (read as one value, every record
        // in it was lost in one reject, not an object). One level only: a list in it is an item.
        // So is a list as an item of a DECP list of records (`{"marches":[[{…}],[{…}]]}`, the pages of
        // an export appended to the list whole, not their records; `"marche":[[…]]` so in 2024): its
        // items are records of that list's kind. One level only there too.
        if (c === LBRACKET && (f.role === 'root-array' || (f.role === 'records' && isDecpList(f.container) && this.stack[this.stack.length - 2]?.type !== 'arr'))) {
          this.innerList ??= { offset: this.base + i, line: this.line, under: f.role === 'root-array' ? null : f.container };
          const a = this.frame('arr', 'records', f.container);
          a.expect = 'first';
          this.stack.push(a);
          return i + 1;
        }
        // (said at the first object of such a list: a table of plain values, `[["id","montant"],[…]]`,
        // is no list of lists of records, its values each rejected as a root array's are)
        if (this.innerList !== null && !this.listsSaid && c === LBRACE && f.role === 'records' && this.stack[this.stack.length - 2]?.type === 'arr') {
          this.events.push({ type: 'list-of-lists', ...this.innerList });
          this.listsSaid = true;
        }
        this.startValue(buf, i, 'record', f.container);
        return i;
      }
    }
    return i;
  }

  /** A list was met as an item of a root array (see ListOfListsEvent): said once, at its first object. */
  private listsSaid = false;
  /** Where the first list met as an item of a root array (or of a DECP list of records, `under` it) starts. */
  private innerList: { offset: number; line: number; under: ContainerName } | null = null;

  /** The list of records last closed, while only a "," and blanks follow its "]" (see reopenList). */
  private reopen: { list: Frame; parent: Frame; offset: number; line: number } | null = null;

  /**
   * `],{` where a key was expected, or `]{` (after the list's last comma): the "]" was one too many
   * between two records of the list it closed, and the list goes on (no key can follow a list so:
   * the document stopped here before, the records after it lost). Said, as a fault read past; the
   * "]" and "," are not the document's other fields (its metadata, when the list is under the root).
   */
  private reopenList(buf: Buffer, i: number, f: Frame): number {
    const { list, offset, line } = this.reopen!;
    this.reopen = null;
    if (this.stack.length === 1 && f.role === 'root') this.root.cut(buf, i, this.base + i - offset);
    this.events.push({ type: 'syntax-repaired', message: `a "]" too many between two records of a list (at byte ${offset}, line ${line}): ignored, the list goes on`, offset, line });
    f.expect = 'comma';
    list.expect = 'comma';
    this.stack.push(list);
    this.startValue(buf, i, 'record', list.container);
    return i;
  }

  /**
   * Junk in a list of records, where a "," or the next record was expected (a stray byte or word, a
   * "}" too many, the rest of a record that a brace too many closed early): one reject for the run of
   * it, at its first byte, then passed over up to the next record ("{" where a value may start) or
   * the list's end; its strings are skipped whole (a brace or a comma inside one is text). Reading
   * stopped there before: the records after it were lost.
   */
  private junkAt(buf: Buffer, i: number, f: Frame): number {
    const c = buf[i]!;
    if (!this.junk) {
      this.junk = true;
      this.badRecord('junk', `text that is not a record in the list of records: ${describe(c)} (at byte ${this.base + i}, line ${this.line}); the records after it are read`, this.base + i, this.line, f.container);
    }
    f.expect = c === COMMA ? 'value' : 'comma';
    // a quote right after text, with no blank between (`]montant": 1`: a key whose opening quote became
    // another byte), closes a string whose opening quote is missing: read as opening one, it would turn
    // every quote after it the wrong way round, the braces of the records after it would all be inside
    // strings, and the rest of the input would be lost with the junk (as stepScan's rule in a record)
    if (c === QUOTE && afterText(i > 0 ? buf[i - 1]! : this.lastByte)) return i + 1;
    if (c === QUOTE || c === LBRACKET) {
      this.startValue(buf, i, 'skip', null);
      return i;
    }
    return i + 1;
  }

  /** True when the current root value is not a record container (a lone record or a JSON Lines value). */
  private rootIsRecordLike(): boolean {
    const r = this.stack[0];
    return r !== undefined && r.role === 'root' && !r.hasContainer;
  }

  private objectValue(buf: Buffer, i: number, f: Frame, c: number): number {
    const key = f.key;
    if (f.role === 'root' && this.stack.length === 1) {
      const isArray = c === LBRACKET;
      // (a list of marchés or concessions beside `marches`, or instead of it, is read too; so is an
      // object under such a name, as `marches` is: `"contrats-concession":{"contrat-concession":[…]}`)
      const sibling = key !== 'marches' && !f.sawOcid ? decpContainer(key) : null;
      const containerKey = namesRecords(key, f.sawOcid) || sibling !== null;
      // (a singular name over an object, `{"marche":{…}}`, is one record wrapped: not a container)
      // `"marches": null` (xmltodict's `<marches></marches>`, an export that writes an empty list so):
      // a day without contracts, as `[]` is (the document was one record, of no known type: a reject)
      if (c === LOWER_N && (key === 'marches' || (sibling !== null && isPluralName(key)))) {
        f.hasContainer = true;
        f.containers.push(sibling ?? 'marches');
        this.startValue(buf, i, 'skip', null);
        return i;
      }
      if (containerKey && (isArray || ((key === 'marches' || (sibling !== null && isPluralName(key))) && c === LBRACE))) {
        const name = sibling ?? (key as Exclude<ContainerName, null>);
        // (a root read as a possible envelope because its own fields passed the size limit before
        // this list, a package's long `publisher` or `extensions`: it is a package, its list read
        // here; the envelope's reading, not yet accepted, is dropped, else each record came twice)
        if (this.env !== null && !this.env.accepted) {
          this.envRefuse();
          this.env = null;
        }
        f.hasContainer = true;
        f.containers.push(name);
        this.root.pause(buf, i + 1); // keep "[" or "{"; the contents are not meta
        if (this.limits.recordKeys === 'every') this.events.push({ type: 'list', known: true, offset: this.base + i, line: this.line });
        if (isArray) {
          const a = this.frame('arr', 'records', sibling ?? (key as ContainerName));
          a.expect = 'first';
          this.stack.push(a);
        } else {
          // `marches` itself holds the lists (`{"marches":{"marche":[…]}}`) unless it is one record
          // (`{"marches":{"id":…}}`): undecided until a key names a list (see Frame.undecided)
          this.openMarches(i, key === 'marches');
        }
        return i + 1;
      }
      if (isArray && !f.sawOcid && this.listedKey(key)) {
        // a partner's own list of records (settings.json.records): its items are records, of no DECP kind
        f.hasContainer = true;
        this.root.pause(buf, i + 1);
        if (this.limits.recordKeys === 'every') this.events.push({ type: 'list', known: false, offset: this.base + i, line: this.line });
        const a = this.frame('arr', 'records', null);
        a.expect = 'first';
        this.stack.push(a);
        return i + 1;
      }
      this.startValue(buf, i, 'skip', null);
      return i;
    }
    if (f.role === 'marches' && key === 'marches' && c === LBRACE && !this.stack.some((s) => s.undecided && s !== f)) {
      // `marches` wrapped in `marches` again (`{"marches":{"marches":{"marche":[…]}}}`, an export that
      // wrapped the document once more): the outer one holds a list-holder, the inner one is read as
      // the root's is (its lists, or one record when no key names a list)
      if (f.undecided) this.decideLists();
      this.openMarches(i, true);
      return i + 1;
    }
    if (f.role === 'marches') {
      // every list or object under `marches` holds records: the 2024 names in any case or spelling
      // (`Marche`, `contrats-concession`, `concession`…) as those containers; others (never silently
      // left out) with no container: the records' fields then say what they are
      const name = decpContainer(key);
      // the root element's attributes as an XML-to-JSON converter writes them beside its records
      // (xml2js' `"$": {"xmlns:xsi": …}`, xml-js' `"_attributes"`, `"@xmlns:xsi"` as xmltodict and
      // fast-xml-parser write them): not a record (read as one, a reject of no known type in every
      // file so converted)
      if (name === null && (key === '$' || key === '_attributes' || key.startsWith('@'))) {
        this.startValue(buf, i, 'skip', null);
        return i;
      }
      // a list named as one: `marches` holds lists
      if (f.undecided && (name !== null || (c === LBRACKET && isPluralName(key)))) this.decideLists();
      if (f.undecided && c !== LBRACKET && c !== LBRACE && RECORD_FIELDS.has(key)) this.candIsRecord = true;
      if (name !== null || c === LBRACKET || c === LBRACE) {
        if (name !== null) this.stack[0]?.containers.push(name);
        // (`"marche": null`, `"contrat-concession": null`: a list of that kind without records, as
        // xmltodict writes an empty element; not a record)
        if (c === LOWER_N) {
          this.startValue(buf, i, 'skip', null);
          return i;
        }
        if (c === LBRACKET) {
          const a = this.frame('arr', 'records', name);
          a.expect = 'first';
          this.stack.push(a);
          return i + 1;
        }
        this.startValue(buf, i, 'record', name);
        return i;
      }
    }
    this.startValue(buf, i, 'skip', null);
    return i;
  }

  private closeFrame(buf: Buffer, i: number): number {
    this.flushPending();
    const f = this.stack[this.stack.length - 1]!;
    this.junk = false;
    // (too large to be one record, whatever the chunks: it held lists)
    if (f.undecided && (this.cand.overflow || this.cand.exceeds(i + 1) || !this.candIsRecord)) this.decideLists();
    this.stack.pop();
    if (f.undecided) {
      // no key named a list: the `marches` object is one record (a list of one written as its
      // item), and what its values gave were its fields
      const bytes = this.cand.finish(buf, i + 1)!;
      this.held = null;
      this.dropCandidate();
      this.events.push({ type: 'record', bytes, offset: this.candOffset, line: this.candLine, container: null, rootValue: false, longNumber: true });
    }
    if (f.role === 'records' || f.role === 'marches') {
      if (this.stack.length === 1 && this.stack[0]!.role === 'root') this.root.resume(i);
      // (`],{`: see reopenList)
      this.reopen = f.type === 'arr' && f.role === 'records' ? { list: f, parent: this.stack[this.stack.length - 1]!, offset: this.base + i, line: this.line } : null;
      return i + 1;
    }
    if (f.role === 'root-array') {
      this.mode = 'top';
      return i + 1;
    }
    // root object closes
    this.mode = 'top';
    const oneLine = f.startLine === this.line - this.stringBreaks;
    if (f.hasContainer) {
      const bytes = this.root.finish(buf, i + 1);
      this.events.push({ type: 'meta', bytes, containers: f.containers, offset: this.rootStartOffset, line: this.rootStartLine });
    } else {
      const tooLarge = this.root.overflow || this.root.exceeds(i + 1);
      // (one past the size limit in this chunk, or read as an envelope already: its last bytes)
      if (tooLarge && this.env === null) this.startEnvelope(buf, i + 1, f);
      // (its reading as an envelope goes on past this brace: it is followed to its end)
      if (this.follows(buf, i + 1)) return i + 1;
      const bytes = this.envEnd(buf, i + 1) ? null : tooLarge ? null : this.root.finish(buf, i + 1);
      const enveloped = this.envRead;
      if (this.envRead) {
        // its records were read, each in its list (see startEnvelope)
        this.envRead = false;
      } else if (bytes === null) {
        // (a root object of no known shape this large whose lists hold no records, or whose records
        // are deeper, `{"data":{"items":[…]}}`: the list is read only from the whole document)
        this.badRecord('too-large', `record larger than ${this.limits.maxRecordBytes} bytes: the document's root object holds no list this reader streams ("marches", "releases", "records", or a list of records under another name), so it is one record; if its records are deeper in it ({"data":{"items":[…]}}), a --max-record-bytes above the file's size reads it whole`, this.rootStartOffset, this.rootStartLine, null);
      } else {
        this.events.push({ type: 'record', bytes, offset: this.rootStartOffset, line: this.rootStartLine, container: null, rootValue: true, longNumber: true });
      }
      // (an envelope on one line is not a JSON Lines record: the next line may be another one, an API's next page)
      if (oneLine && !this.sawRootBefore && !enveloped) this.jsonlRecords = true;
    }
    this.root.start = -1;
    if (oneLine && !this.sawRootBefore) this.lineMode = true;
    this.sawRootBefore = true;
    if (this.stopAfterRoot) {
      // (an envelope's reading: its root object ends here, and so does its reading; see stepFollow)
      this.rootEndAt = this.base + i + 1;
      this.rootEndLine = this.line;
      this.mode = 'dead';
    }
    return i + 1;
  }
  private sawRootBefore = false;

  // ---- keys -------------------------------------------------------------------------------

  private stepKey(buf: Buffer, i: number): number {
    const end = this.scanString(buf, i);
    if (end === STRING_BROKEN_LINE) return this.nlAt + 1;
    if (end < 0) return buf.length;
    // end = index of the closing quote
    if (this.keyBytes + end - this.keyStart > this.limits.maxRecordBytes) {
      this.keyParts = [];
      this.keyBytes = 0;
      this.keyStart = -1;
      this.mode = 'outer';
      return this.syntax(buf, end, `a key longer than ${this.limits.maxRecordBytes} bytes`);
    }
    let raw: Buffer;
    if (this.keyParts.length === 0) raw = buf.subarray(this.keyStart, end);
    else {
      this.keyParts.push(buf.subarray(this.keyStart, end));
      raw = Buffer.concat(this.keyParts);
    }
    this.keyParts = [];
    this.keyBytes = 0;
    this.keyStart = -1;
    const f = this.stack[this.stack.length - 1]!;
    f.key = decodeKey(raw);
    if (f.role === 'root' && RECORD_KEYS.has(f.key)) f.sawOcid = true;
    f.expect = 'colon';
    this.mode = 'outer';
    return end + 1;
  }

  /**
   * Continue a string from `i` (the byte after the opening quote, or a later
   * chunk). Returns the index of the closing quote, or -1 if the chunk ends first.
   */
  private scanString(buf: Buffer, i: number): number {
    const n = buf.length;
    const start = i;
    if (this.escaped) {
      this.escaped = false;
      i++;
      if (i >= n) return this.stringEnd(buf, start, -1);
    }
    for (;;) {
      const q = buf.indexOf(QUOTE, i);
      if (q < 0) {
        let run = 0;
        for (let k = n - 1; k >= i && buf[k] === BACKSLASH; k--) run++;
        this.escaped = (run & 1) === 1;
        return this.stringEnd(buf, start, -1);
      }
      let run = 0;
      for (let k = q - 1; k >= i && buf[k] === BACKSLASH; k--) run++;
      if ((run & 1) === 0) {
        this.inString = false;
        return this.stringEnd(buf, start, q);
      }
      i = q + 1;
      if (i >= n) return this.stringEnd(buf, start, -1);
    }
  }

  /**
   * A string scanned from `start` ends at `q` (its closing quote; -1: past the chunk's end). The
   * raw line breaks inside it (a JSON fault the record parser repairs, frequent in DECP exports) are
   * counted, so that the lines of what follows stay true. One search for a line break per line, not
   * per string. JSON Lines: a string cannot hold a raw line break, so one that runs past the end of
   * its line means the line was cut inside a string: the line is a broken record and reading goes on
   * with the next line (instead of the string swallowing the lines after it). Returns
   * STRING_BROKEN_LINE then (the caller returns `nlAt + 1`).
   */
  private stringEnd(buf: Buffer, start: number, q: number): number {
    if (this.nlAt === -2 || (this.nlAt >= 0 && this.nlAt < start)) this.nlAt = buf.indexOf(NL, start);
    if (this.nlAt < 0 || (q >= 0 && q < this.nlAt)) {
      if (this.breakWs) this.breakWs = onlyBlanks(buf, start, q < 0 ? buf.length : q);
      return q;
    }
    if (!this.lineMode || !(this.target === 'root-record' || this.rootIsRecordLike())) {
      // a document: every line break inside the string is a line
      let last = -1;
      while (this.nlAt >= 0 && (q < 0 || this.nlAt < q)) {
        this.line++;
        this.stringBreaks++;
        last = this.nlAt;
        this.nlAt = buf.indexOf(NL, this.nlAt + 1);
      }
      this.breakWs = onlyBlanks(buf, last + 1, q < 0 ? buf.length : q);
      return q;
    }
    for (;;) {
      if (this.nlAt < 0 || (q >= 0 && q < this.nlAt)) return q;
      // a line break inside the string: the line was cut if the next line opens a record; otherwise
      // it is a raw line break in the text (a JSON fault the record parser repairs), and the string goes on
      if (this.nlAt + 1 >= buf.length) {
        this.nlPendingInString = true; // the next line's first byte is in the next chunk: decided there
        return q;
      }
      if (buf[this.nlAt + 1] === LBRACE) {
        this.line++;
        this.brokenLine(buf, this.nlAt);
        return STRING_BROKEN_LINE;
      }
      this.line++;
      this.nlAt = buf.indexOf(NL, this.nlAt + 1);
    }
  }

  /**
   * A string of a document's value closed at `q` after a raw line break with only blanks since it
   * (the quote opens its line): when a key follows the quote (`"objet": "Travaux 1,` then
   * `"montant": 1001,` on the next line: a key's text, its quote, blanks, a colon), the string was not
   * closed at the end of its line — the quote opens that key. Read so, the record still ends where its
   * braces say (and is rejected, its JSON being broken) and the records after it are read; read as the
   * text gives it, every quote after would be taken the wrong way round, and the string would swallow
   * the rest of the input. Then the line break counts as a line of the structure, and the scan goes on
   * from `q` (true). A valid string cannot close so (a raw quote after a raw line break, then text:
   * broken JSON either way); text that is not a key (`"Les Jardins" lot 2"`) is read as before.
   * A key that runs past the chunk's end is decided in the next (see probeOn): meanwhile the bytes are
   * read as the text gives them, which the key's bytes do not change (see keyByte).
   */
  private reopens(buf: Buffer, q: number): boolean {
    if (!this.breakWs) return false;
    this.breakWs = false;
    this.probe = 1;
    this.probeKeyBytes = 0;
    return this.probeOn(buf, q + 1) >= 0;
  }

  /**
   * Go on reading the key `probe` says from `i`: the index of its colon when it is one (then the
   * string is taken as closed with its line), -1 when it is not, -2 when the chunk ends first (the
   * probe goes on in the next chunk).
   */
  private probeOn(buf: Buffer, i: number): number {
    for (let j = i; j < buf.length; j++) {
      const c = buf[j]!;
      if (this.probe === 1) {
        if (c === QUOTE && this.probeKeyBytes > 0) this.probe = 2;
        else if (keyByte(c)) this.probeKeyBytes++;
        else {
          this.probe = 0;
          return -1;
        }
      } else if (c === COLON) {
        this.probe = 0;
        this.unclosed ||= this.line - 1;
        this.stringBreaks--;
        return j;
      } else if (c !== 0x20 && c !== 0x09) {
        this.probe = 0;
        return -1;
      }
    }
    return -2;
  }

  // ---- values -------------------------------------------------------------------------------

  private startValue(buf: Buffer, i: number, target: Target, container: ContainerName): void {
    this.target = target;
    this.valueContainer = container;
    this.valueOffset = this.base + i;
    this.valueLine = this.line;
    this.depth = 0;
    this.tooDeep = false;
    this.longNumber = false;
    this.members = 0;
    this.digitRun = 0;
    this.breakWs = false;
    this.probe = 0;
    this.unclosed = 0;
    this.quotePending = false;
    this.prev = 0;
    if (target !== 'skip') {
      this.junk = false;
      this.rec.begin(i);
    }
    const c = buf[i]!;
    this.valueOpen = c;
    if (c === LBRACE || c === LBRACKET || c === QUOTE) {
      this.mode = 'scan';
    } else {
      this.mode = 'literal';
    }
  }

  /** The first byte of the value being scanned. */
  private valueOpen = 0;

  /** The fast loop: skip a value (record or not), counting depth and lines. */
  private stepScan(buf: Buffer, i: number): number {
    const n = buf.length;
    if (this.probe !== 0) {
      // a key that the last chunk ended in, after a string closed with its line (see reopens): when it
      // is one, it is read from its colon on (its text, quote and blanks change nothing else);
      // otherwise the bytes are read as the text gives them, as they were so far
      const colon = this.probeOn(buf, i);
      if (colon >= 0) {
        this.inString = false;
        this.escaped = false;
        i = colon;
      }
    }
    if (this.quotePending) {
      // the last chunk ended after a closing quote and blanks: the first byte after them decides
      i = pastBlanks(buf, i);
      if (i === n) return this.checkSize(buf, n);
      this.quotePending = false;
      if (!closesString(buf[i]!)) {
        // (the quote and the blanks were the string's: it goes on)
        this.inString = true;
        this.escaped = false;
      } else if (this.depth === 0) return this.finishValue(buf, i);
    }
    while (this.inString) {
      const q = this.scanString(buf, i);
      if (q === STRING_BROKEN_LINE) return this.nlAt + 1;
      if (q < 0) return this.checkSize(buf, n);
      const afterBreak = this.breakWs;
      if (this.depth > 0 && this.reopens(buf, q)) i = q;
      else {
        i = q + 1;
        if (this.depth > 0 && !afterBreak && this.line === this.valueLine && this.strayQuote(buf, q)) {
          this.inString = true;
          continue;
        }
        if (this.depth === 0 && this.memberQuote(buf, q)) {
          this.inString = true;
          continue;
        }
        if (this.depth === 0 && this.quotePending) return n;
        if (this.depth === 0) return this.finishValue(buf, i);
      }
    }
    let depth = this.depth;
    while (i < n) {
      const c = buf[i]!;
      if (c === QUOTE) {
        if (depth > 0 && (this.line === this.valueLine ? !opensString(this.prevAt(buf, i)) : afterText(i > 0 ? buf[i - 1]! : this.lastByte) && !this.quoteBeforeOnLine(buf, i))) {
          // a quote after text (`:2024-07-19"}`, `, objet": "ok"`) cannot open a string: it is the
          // closing quote of one whose opening quote is missing; read as opening one, it would turn
          // every quote after it the wrong way round (on a record's first line, as strayQuote; on the
          // lines after it, where the line rules apply, only right after the text and as the line's
          // first quote: `[nom": "x"` after a byte that took the place of the key's quote. A quote after
          // text with quotes before it on its line is the publisher's unescaped quote inside a text,
          // `"Travaux "X" [lot 2]"`, whose quotes pair as they come: passed over, the one after the
          // brackets would open a string that swallows the record's end)
          i++;
          continue;
        }
        this.inString = true;
        this.escaped = false;
        this.breakWs = false;
        const q = this.scanString(buf, i + 1);
        if (q === STRING_BROKEN_LINE) return this.nlAt + 1;
        if (q < 0) {
          this.depth = depth;
          return this.checkSize(buf, n);
        }
        const afterBreak = this.breakWs;
        if (depth > 0 && this.reopens(buf, q)) {
          i = q;
          continue;
        }
        if (depth > 0 && !afterBreak && this.line === this.valueLine && this.strayQuote(buf, q)) {
          // a quote inside the string, not its end: the scan goes on in the string
          this.inString = true;
          this.escaped = false;
          this.depth = depth;
          const end = this.continueString(buf, q + 1);
          if (end === STRING_BROKEN_LINE) return this.nlAt + 1;
          if (end < 0) return this.checkSize(buf, n);
          i = end;
          continue;
        }
        i = q + 1;
        if (depth === 0) {
          this.depth = 0;
          if (this.memberQuote(buf, q)) {
            this.inString = true;
            this.escaped = false;
            return i;
          }
          if (this.quotePending) return n;
          return this.finishValue(buf, i);
        }
        continue;
      }
      if (c === LBRACE || c === LBRACKET) {
        depth++;
        if (depth > this.limits.maxDepth && !this.tooDeep) this.tooDeep = true;
      } else if (c === RBRACE || c === RBRACKET) {
        depth--;
        if (depth === 0) {
          this.depth = 0;
          // (a value of a root object of no known shape closed by the other bracket: a "}" or "]" too
          // many inside it, a fault at the root's level, where its reading as an envelope may go on)
          if (this.target === 'skip' && (c === RBRACE) !== (this.valueOpen === LBRACE) && this.stack.length === 1 && this.rootIsRecordLike()) {
            return this.syntax(buf, i, `"${c === RBRACE ? '}' : ']'}" closes the ${this.valueOpen === LBRACE ? 'object' : 'list'} under "${this.stack[0]!.key}" (a bracket too many inside it)`);
          }
          return this.finishValue(buf, i + 1);
        }
      } else if (c >= 0x30 && c <= 0x39) {
        // a number: skip its digits at once, noting integers too long for a double
        let j = i + 1;
        while (j < n && buf[j]! >= 0x30 && buf[j]! <= 0x39) j++;
        const run = (i === 0 ? this.digitRun : 0) + (j - i);
        if (run >= 16) this.longNumber = true;
        this.digitRun = j === n ? run : 0;
        i = j;
        continue;
      } else if (c === COLON) {
        this.members++;
      } else if (c === NL) {
        this.line++;
        if (this.lineMode && (this.target === 'root-record' || this.rootIsRecordLike())) {
          this.depth = 0;
          this.brokenLine(buf, i);
          return i + 1;
        }
      }
      i++;
    }
    this.depth = depth;
    return this.checkSize(buf, n);
  }

  /**
   * Inside a value, a string's closing quote is always followed (after blanks) by ":", ",", "}" or
   * "]". A quote followed by anything else is one the publisher left unescaped inside the text
   * (`"objet":"Ecole "Jules Ferry" lot 2"`), or the stray quote of a key whose opening one is missing
   * (`, objet": "ok"`): taken as closing the string, every quote after it would be read the wrong way
   * round, and the record would swallow the records after it (to the end of the input, in a file
   * on one line). Taken as part of the string (true), the record still ends where its braces say: it
   * is rejected alone (its JSON is broken) and the records after it are read. Valid JSON never meets
   * this. When the chunk ends after the quote and blanks, the next chunk decides (quotePending).
   * Only while the record is on its first line (callers check): a file on one line has nothing else
   * to go by, while in a record written over lines the line rules (reopens, and the braces of the
   * lines after) do better — there a byte in place of a line break after a closing quote
   * (`"Croix"@      },`) would make the quote stray, and the string would swallow the brace.
   */
  private strayQuote(buf: Buffer, q: number): boolean {
    const j = pastBlanks(buf, q + 1);
    if (j === buf.length) {
      this.quotePending = true;
      return false;
    }
    return !closesString(buf[j]!);
  }

  /**
   * Is the quote at `q`, which ends a member's string value at the document's outer level (a lone
   * record's, a JSON Lines line's, the root object's own), inside that string (`"objet":"Marché "Lot"
   * 1"`: words quoted in a text an export did not escape)? As strayQuote says of a record's strings:
   * what follows it cannot follow a string; on the value's line only. Taken for the string's end, the
   * document stopped there (`expected "," or "}"`); the record parser reads such quotes as quotes.
   */
  private memberQuote(buf: Buffer, q: number): boolean {
    if (this.target !== 'skip' || this.valueOpen !== QUOTE || this.breakWs || this.line !== this.valueLine) return false;
    const f = this.stack[this.stack.length - 1];
    return f !== undefined && f.type === 'obj' && this.strayQuote(buf, q);
  }

  /**
   * Is there a quote before `i` on its line: back to the line break in `buf`, else as the chunks before
   * left their last line (quoteOnLine)? Bytes only, inside strings or not, so the same whatever the
   * chunks' sizes.
   */
  private quoteBeforeOnLine(buf: Buffer, i: number): boolean {
    for (let k = i - 1; k >= 0; k--) {
      const c = buf[k]!;
      if (c === QUOTE) return true;
      if (c === NL) return false;
    }
    return this.quoteOnLine;
  }

  /**
   * The last byte before `i` that is not a blank (outside strings: a string before it ends with its
   * closing quote, which is not a blank), looked for back to the chunk's start, then the last chunk's.
   */
  private prevAt(buf: Buffer, i: number): number {
    for (let k = i - 1; k >= 0; k--) if (!isWhitespace(buf[k]!)) return buf[k]!;
    return this.prev;
  }

  /** Scan on inside a string from `i` after a stray quote: the index after its closing quote (taken as such), or scanString's negative answer. */
  private continueString(buf: Buffer, i: number): number {
    for (;;) {
      const q = this.scanString(buf, i);
      if (q < 0) return q;
      if (this.line !== this.valueLine || !this.strayQuote(buf, q)) return q + 1;
      this.inString = true;
      i = q + 1;
    }
  }

  private stepLiteral(buf: Buffer, i: number): number {
    const n = buf.length;
    if (this.localeHeld !== 0) {
      // (a "," or a space that ended the last chunk after a member's digits: see localeNumber)
      const held = this.localeHeld;
      this.localeHeld = 0;
      if (i < n && isDigit(buf[i]!)) this.literalLast = buf[i]!;
      else {
        this.mode = 'outer';
        // (the "," was the member's: a key follows)
        if (held === COMMA) this.stack[this.stack.length - 1]!.expect = 'key';
        return i;
      }
    }
    // the first byte always belongs to the value: a stray "}" "]" or "," at the top level is
    // handed on as a one-byte record (rejected with its position), never an empty one read forever
    if (i < n && this.base + i === this.valueOffset) {
      this.literalLast = buf[i]!;
      i++;
    }
    // bare words at the top level (`not json either` on a JSON Lines line) run on over spaces and
    // tabs to the line's end: one reject for the line, not one per word
    const top = this.target === 'root-record' && this.stack.length === 0;
    while (i < n) {
      const c = buf[i]!;
      if (c === COMMA || c === RBRACE || c === RBRACKET || (top ? c === NL || c === CR || c === LBRACE || c === LBRACKET : isWhitespace(c))) {
        const goes = this.localeNumber(buf, i, c);
        if (goes === 'held') return n;
        if (goes === 'no') return this.finishValue(buf, i);
        i++;
        continue;
      }
      this.literalLast = c;
      i++;
    }
    return this.checkSize(buf, n);
  }

  /** The last byte of the literal being read (see localeNumber). */
  private literalLast = 0;
  /** A "," or a space that ended a chunk after a member's digits, its meaning left to the next chunk's first byte. */
  private localeHeld = 0;

  /**
   * Does the number at a member's value go on over `c`, a "," or a space between digits (`1234,56`,
   * `1 234`: a number as a locale writes it, not JSON, which the record parser reads as its text)? In
   * valid JSON a digit never follows the comma after a member's value (a key's quote does), so the
   * "," is the number's; without this the document's outer level (a lone record, a JSON Lines line,
   * the root object) stopped at it. Only for a skipped member's value whose bytes so far end in a
   * digit and began with one (or "-"); 'held' when `c` ends the chunk.
   */
  private localeNumber(buf: Buffer, i: number, c: number): 'yes' | 'no' | 'held' {
    if ((c !== COMMA && c !== SPACE) || this.target !== 'skip' || !isDigit(this.literalLast)) return 'no';
    if (!isDigit(this.valueOpen) && this.valueOpen !== MINUS) return 'no';
    const f = this.stack[this.stack.length - 1];
    if (f === undefined || f.type !== 'obj') return 'no';
    if (i + 1 === buf.length) {
      this.localeHeld = c;
      return 'held';
    }
    return isDigit(buf[i + 1]!) ? 'yes' : 'no';
  }

  /** At a chunk end inside a value: stop buffering a record that is already too large. */
  private checkSize(_buf: Buffer, n: number): number {
    if (this.target !== 'skip' && !this.rec.overflow && this.rec.exceeds(n)) {
      this.rec.overflow = true;
      this.rec.parts = [];
      this.rec.start = -1;
    }
    if (this.target === 'root-record' || this.target === 'skip') {
      if (this.stack.length > 0 && !this.root.overflow && this.root.start >= 0 && this.root.exceeds(n) && !this.startEnvelope(_buf, n)) {
        this.root.overflow = true;
        this.root.parts = [];
        this.root.start = -1;
      }
    }
    return n;
  }

  /** A value ends just before `end`. */
  private finishValue(buf: Buffer, end: number): number {
    const target = this.target;
    if (target === 'skip') {
      this.mode = 'outer';
      return end;
    }
    const tooLarge = this.rec.overflow || this.rec.exceeds(end);
    const bytes = tooLarge ? null : this.rec.finish(buf, end);
    this.rec.start = -1;
    if (this.tooDeep) {
      this.badRecord('too-deep', `record nested deeper than ${this.limits.maxDepth} levels`, this.valueOffset, this.valueLine, this.valueContainer);
    } else if (bytes === null) {
      this.badRecord('too-large', `record larger than ${this.limits.maxRecordBytes} bytes`, this.valueOffset, this.valueLine, this.valueContainer);
    } else {
      const ev: RecordEvent = { type: 'record', bytes, offset: this.valueOffset, line: this.valueLine, container: this.valueContainer, rootValue: target === 'root-record', longNumber: this.longNumber, members: this.members, ...(this.unclosed > 0 ? { unclosedLine: this.unclosed } : {}) };
      const top = this.stack[this.stack.length - 1];
      const inList = target === 'record' && top !== undefined && top.type === 'arr' && (top.role === 'records' || top.role === 'root-array');
      const closesList = inList && bytes[0] === LBRACE && bytes[bytes.length - 1] === RBRACKET && buf[end - 1] === RBRACKET && this.ranOver?.(bytes) === true;
      // (not one that ran on over its list's end: what follows it is the list's container's)
      if (inList && bytes[0] === LBRACE && !closesList) {
        this.flushPending();
        this.pendingRecord = ev;
      } else if (inList && bytes[0] === QUOTE && this.pendingRecord !== null && this.pendingString === null) {
        this.pendingString = ev;
      } else {
        this.flushPending();
        (this.held ?? this.events).push(ev);
      }
      if (closesList) {
        // what follows is the list's container's (the document's end, or `, "contrat-concession": […]`)
        this.mode = 'outer';
        return this.closeFrame(buf, end - 1);
      }
    }
    this.mode = target === 'root-record' ? 'top' : 'outer';
    return end;
  }

  /**
   * At the input's end, inside a record of a list (not too large): when the `ranOver` hook says its
   * bytes hold records of their own (a record that ran on over the records after it, its braces
   * never balanced: a `}` or `]` of it read as text, `"id":"1"x}]`), it is handed on whole (true),
   * to be read in pieces; else it stays one record cut short.
   */
  private ranOnToEnd(): boolean {
    const top = this.stack[this.stack.length - 1];
    if (this.ranOver === undefined || this.tooDeep || this.rec.overflow || top === undefined || top.type !== 'arr' || (top.role !== 'records' && top.role !== 'root-array')) return false;
    const bytes = this.rec.finish(Buffer.alloc(0), 0);
    if (bytes === null || bytes[0] !== LBRACE || !this.ranOver(bytes, true)) return false;
    this.lastRunOn = bytes;
    this.flushPending();
    (this.held ?? this.events).push({ type: 'record', bytes, offset: this.valueOffset, line: this.valueLine, container: this.valueContainer, rootValue: false, longNumber: this.longNumber, members: this.members });
    return true;
  }

  /** The record ranOnToEnd handed on. */
  private lastRunOn: Buffer | null = null;

  /**
   * At the input's end, the bytes of the last record of a list: when they hold records of their own
   * (the `ranOver` hook, `atEnd`) and end with the closing brackets of every frame still open, one
   * each, in their order (`]}}` for `{"marches":{"marche":[`; blanks between), that record ran on
   * over the records after it and took those brackets with it: the document is whole. Returns those
   * brackets, or null.
   */
  private tookClosers(bytes: Buffer): Buffer | null {
    if (this.ranOver === undefined || this.held !== null || this.stack.length === 0 || this.stack.some((f) => f.undecided)) return null;
    const top = this.stack[this.stack.length - 1]!;
    if (top.type !== 'arr' || (top.role !== 'records' && top.role !== 'root-array')) return null;
    const closers: number[] = [];
    let k = bytes.length - 1;
    // (from the last byte back: the root's bracket first)
    for (let s = 0; s < this.stack.length; s++) {
      while (k > 0 && isWhitespace(bytes[k]!)) k--;
      if (k <= 0 || bytes[k] !== (this.stack[s]!.type === 'arr' ? RBRACKET : RBRACE)) return null;
      closers.unshift(bytes[k]!);
      k--;
    }
    return this.ranOver(bytes, true) ? Buffer.from(closers) : null;
  }

  /** Close every frame still open with these brackets (see tookClosers), as if read after the record. */
  private closeWith(closers: Buffer): void {
    for (let k = 0; k < closers.length; k++) {
      this.mode = 'outer';
      this.closeFrame(closers, k);
    }
  }

  private badRecord(reason: BadRecordReason, message: string, offset: number, line: number, container: ContainerName): void {
    this.flushPending();
    (this.held ?? this.events).push({ type: 'bad-record', reason, message, offset, line, container });
  }

  /** Hand on the record (and the string after it) kept to see what follows them, in their order. */
  private flushPending(): void {
    if (this.pendingRecord === null) return;
    const to = this.held ?? this.events;
    to.push(this.pendingRecord);
    this.pendingRecord = null;
    if (this.pendingString !== null) to.push(this.pendingString);
    this.pendingString = null;
  }

  /**
   * Is the record kept one that ran on to its list's end (it ends with "]", a brace missing in it),
   * and the key after it the name of the next list of the document (`"contrat-concession"`)? Then
   * what follows is that list, not the record's rest: read as before (junk).
   */
  private nextList(key: string | null): boolean {
    const r = this.pendingRecord!.bytes;
    return r[r.length - 1] === RBRACKET && key !== null && (decpContainer(key) !== null || namesRecords(key, false));
  }

  /**
   * `{…}, "key":` in a list: the record kept ended early (a `}` too many) and this is the rest of its
   * fields. The record goes on marked so (read-json.ts rejects it, as one); its rest, from the ":",
   * is passed over up to the brace that closes it, its objects included (they are not records).
   */
  private closedEarly(buf: Buffer, i: number, f: Frame, name: string, line: number, offset: number, quoteLost: boolean): number {
    const record = this.pendingRecord!;
    this.pendingRecord = null;
    this.pendingString = null;
    (this.held ?? this.events).push({ ...record, closedEarly: { line, offset, key: name, ...(quoteLost ? { quoteLost } : {}) } });
    f.expect = 'comma';
    this.startValue(buf, i, 'skip', null);
    this.mode = 'scan';
    this.depth = 1;
    return i + 1;
  }

  /**
   * The next byte of the text after a record that ended with a comma before its `}` (keyRest): a
   * `}` in place of a key's opening quote (`,"objet": …` become `,}objet": …`) closed the record
   * there, and the text is that key's rest — its text (as `reopens` reads one), its quote, spaces or
   * tabs, then a ":" ('key': the record goes on marked closedEarly and its rest is passed over up to
   * the brace that ends it, as after `, "key":`). Read without them the record would be published
   * without its later fields (the trailing comma repaired). 'no': anything else, and the text is junk,
   * read as before. Byte by byte, so the same whatever the chunks. A valid document never has text
   * there, nor a comma before a record's "}".
   */
  private keyRestOn(c: number): 'more' | 'key' | 'no' {
    const rest = this.keyRest!;
    if (rest.quoted) return c === COLON ? 'key' : c === 0x20 || c === 0x09 ? 'more' : 'no';
    if (c === QUOTE) {
      rest.quoted = true;
      return 'more';
    }
    if (!keyByte(c) || rest.bytes.length >= KEY_REST_BYTES) return 'no';
    rest.bytes.push(c);
    return 'more';
  }

  /**
   * The first byte after blanks that follows a "[" right after a record of a list (bracketAt): a "{"
   * says that the "[" took the place of the "," between two records (`},{` become `}[{`): said, as a
   * fault read past, and the next record is read. Read as junk, the "[" began a list that ran over
   * every record after it to the list's end, and the document was said cut at its end: all of them
   * lost. Anything else: the "[" is junk, as before (one reject, the list it opens passed over).
   * A valid document never has a "[" there.
   */
  private bracketOn(buf: Buffer, i: number, f: Frame): number {
    const at = this.bracketAt!;
    this.bracketAt = null;
    this.flushPending();
    if (buf[i] === LBRACE) {
      this.events.push({ type: 'syntax-repaired', message: `a "[" in place of the "," between two records (at byte ${at.offset}, line ${at.line}): read as if it were a ","`, offset: at.offset, line: at.line });
      f.expect = 'comma';
      this.startValue(buf, i, 'record', f.container);
      return i;
    }
    this.bracketJunk(buf, i, f, at);
    return i;
  }

  /** A "[" kept as bracketAt is junk: one reject for it, and the list it opens passed over from `i` (the bytes after it so far were blanks). */
  private bracketJunk(buf: Buffer, i: number, f: Frame, at: { offset: number; line: number }): void {
    this.flushPending();
    this.junk = true;
    this.badRecord('junk', `text that is not a record in the list of records: "[" (at byte ${at.offset}, line ${at.line}); the records after it are read`, at.offset, at.line, f.container);
    f.expect = 'comma';
    this.startValue(buf, i, 'skip', null);
    // (as from the "[" itself)
    this.mode = 'scan';
    this.valueOpen = LBRACKET;
    this.valueOffset = at.offset;
    this.valueLine = at.line;
    this.depth = 1;
    this.prev = LBRACKET;
  }

  /** The text kept as a key's rest is not one (or the input ends in it): junk, as it was read before, from its first byte. */
  private keyRestJunk(): void {
    const rest = this.keyRest!;
    this.keyRest = null;
    const f = this.stack[this.stack.length - 1]!;
    this.flushPending();
    this.junk = true;
    this.badRecord('junk', `text that is not a record in the list of records: ${describe(rest.bytes[0]!)} (at byte ${rest.offset}, line ${rest.line}); the records after it are read`, rest.offset, rest.line, f.container);
    f.expect = 'comma';
  }

  /** JSON Lines: a line ended inside a value. Report it as a bad record and go on with the next line. */
  private brokenLine(buf: Buffer, i: number): void {
    const isRoot = this.target === 'root-record' && this.mode === 'scan';
    const offset = isRoot ? this.valueOffset : this.rootStartOffset;
    const line = isRoot ? this.valueLine : this.rootStartLine;
    // (an envelope read so far: its records before the break are read, and its reading says where it stopped)
    if (!this.envEnd(buf, i, true)) this.badRecord('broken-line', `the line ends before its JSON value is complete (line ${line})`, offset, line, null);
    this.envRead = false;
    this.resetToTop();
  }

  // ---- a root object of no known shape past the size limit: an envelope? ----------------

  /**
   * The root object, of no known shape (no DECP or OCDS list under its keys), has grown past the
   * record size limit (its bytes up to `end` of `chunk`): it cannot be read as one record. An API's
   * export often wraps its records so (`{"count":…,"results":[…]}`): from here on its bytes, from
   * its first one, go to a splitter of their own that reads the lists under every key as lists of
   * records (streamed: nothing more is kept of the root object). Its events are held until the
   * `envelope` hook has seen its first records: when they are records, they and all that follow are
   * this splitter's events (after an `envelope` event); else the root object stays one record too
   * large, as without the hook. False when it does not apply.
   */
  private startEnvelope(chunk: Buffer, end: number, f: Frame | undefined = this.stack[0]): boolean {
    if (this.envelope === undefined || this.env !== null || f === undefined || f.role !== 'root' || f.hasContainer || this.root.overflow || this.root.start < 0) return false;
    // (its offsets and lines are the input's: it reads from the root object's first byte, and stops after its last)
    const sub = this.envelopeReading();
    const parts = this.root.parts;
    const start = this.root.start;
    // (the root object's bytes are the envelope's reading's now: not kept here too)
    this.root.parts = [];
    this.root.start = -1;
    this.root.overflow = true;
    this.env = { sub, from: end, accepted: false, pre: [], preBytes: 0, list: null, refused: false, fault: null };
    for (const part of parts) this.envTake(sub.push(part));
    this.envTake(sub.push(chunk.subarray(start, end)));
    return true;
  }

  /** The envelope's bytes of the current chunk not given to its reading yet, up to `end`. */
  private envFeed(chunk: Buffer, end: number): void {
    const env = this.env!;
    if (!env.refused && env.fault === null && env.from < end) this.envTake(env.sub.push(chunk.subarray(env.from, end)));
    env.from = end;
  }

  /**
   * Events of the envelope's reading (at the input's offsets and lines), list by list: a list is
   * judged on its first objects (the `envelope` hook, ENVELOPE_PROBE of them or a record's size of
   * bytes, or fewer when it ends first): a list of records is read (the first one makes the root an
   * envelope: its `envelope` event, then what was held); a list of other objects (`"links":[…]`,
   * facets) is the envelope's own data, left out as a root read whole leaves it out; a list the hook
   * is unsure of (objects that do not parse) is read once the root is an envelope, or held till then
   * (at most a record's size: past it, the root is one record too large). A fault that stops its
   * reading is kept (`fault`) until this splitter meets it too (envEnd says it), or sees that reading
   * stop there (stepFollow).
   */
  private envTake(events: readonly SplitEvent[]): void {
    const env = this.env!;
    for (const e of events) {
      if (env.refused) return;
      // (the envelope's own fields are not a package's metadata)
      if (e.type === 'meta' || e.type === 'envelope') continue;
      if (e.type === 'syntax-error' && !e.resumed) {
        env.fault ??= e;
        continue;
      }
      if (e.type === 'list') {
        this.envJudge();
        env.list = { state: e.known ? 'records' : 'pending', held: [], bytes: 0, sample: [] };
        if (e.known) this.envAccept();
        continue;
      }
      const list = env.list;
      if (list === null || list.state === 'unsure' || list.state === 'records') {
        this.envHold(e);
        continue;
      }
      if (list.state === 'other') continue;
      list.held.push(e);
      if (e.type === 'record') {
        list.bytes += e.bytes.length;
        if (e.bytes[0] === LBRACE) list.sample.push(e.bytes);
      }
      if (list.bytes > this.limits.maxRecordBytes) this.envJudge();
      else if (list.sample.length >= ENVELOPE_PROBE) this.envJudge(false);
    }
  }

  /**
   * A whole root object (`bytes`, from the input's `offset` and `line`) read as an envelope, as one
   * past the size limit is (startEnvelope, envTake: its lists judged one by one by the hook): its
   * events (the `envelope` event first), or null when no list of it holds records. For a root that
   * the splitter took whole but that does not parse (a record in it broken).
   */
  static envelopeOf(bytes: Buffer, offset: number, line: number, limits: Partial<SplitLimits>, ranOver: ((bytes: Buffer) => boolean) | undefined, envelope: (records: readonly Buffer[]) => EnvelopeList): SplitEvent[] | null {
    const outer = new JsonRecordSplitter(limits, undefined, ranOver, envelope);
    outer.rootStartOffset = offset;
    outer.rootStartLine = line;
    outer.events = [];
    const sub = outer.envelopeReading();
    outer.env = { sub, from: 0, accepted: false, pre: [], preBytes: 0, list: null, refused: false, fault: null };
    outer.envTake(sub.push(bytes));
    return outer.envEnd(Buffer.alloc(0), 0, true) ? outer.events : null;
  }

  /** A splitter that reads the root object from here (its first byte) as an envelope: every list under its keys one of records, at the input's offsets and lines, up to its end. */
  private envelopeReading(): JsonRecordSplitter {
    const sub = new JsonRecordSplitter({ ...this.limits, recordKeys: 'every' }, undefined, this.ranOver);
    sub.head = null; // (it starts at the root object's brace: no first line to look at)
    sub.base = this.rootStartOffset;
    sub.line = this.rootStartLine;
    sub.stopAfterRoot = true;
    return sub;
  }

  /** An event of the envelope to hand on: now when its root is known to be an envelope, else held (see envTake). */
  private envHold(e: SplitEvent): void {
    const env = this.env!;
    if (env.accepted) {
      this.events.push(e);
      return;
    }
    env.pre.push(e);
    if (e.type === 'record') env.preBytes += e.bytes.length;
    if (env.preBytes > this.limits.maxRecordBytes) this.envRefuse();
  }

  /**
   * The list being read is judged on the objects seen (see envTake), unless it was already; not
   * `final`, a list the hook is unsure of is judged again on its next objects (its first records
   * broken), its events held meanwhile (up to a record's size).
   */
  private envJudge(final = true): void {
    const env = this.env!;
    const list = env.list;
    if (list === null || list.state !== 'pending') return;
    // (no whole object seen: a list of scalars is the envelope's data; one with a broken value, cut short, may be records)
    const got = list.sample.length > 0 ? this.envelope!(list.sample) : list.held.some((e) => e.type === 'bad-record') ? 'unsure' : 'other';
    if (got === 'unsure' && !final) {
      list.sample = [];
      return;
    }
    list.state = got;
    if (list.state === 'records') this.envAccept();
    const held = list.held;
    list.held = [];
    list.sample = [];
    if (list.state !== 'other') for (const e of held) this.envHold(e);
  }

  /** A list of the root object holds records: it is an envelope (said once), and what was held is handed on. */
  private envAccept(): void {
    const env = this.env!;
    if (env.accepted) return;
    env.accepted = true;
    this.events.push({ type: 'envelope', offset: this.rootStartOffset, line: this.rootStartLine }, ...env.pre);
    env.pre = [];
  }

  /** The root object is no envelope: one record too large, as without the hook. */
  private envRefuse(): void {
    const env = this.env!;
    env.refused = true;
    env.pre = [];
    env.list = null;
  }

  /** Decided now: is the root object an envelope (its current list judged on what was seen)? */
  private envDecide(): void {
    const env = this.env!;
    if (env.accepted || env.refused) return;
    this.envJudge();
    if (!env.accepted) this.envRefuse();
  }

  /**
   * The envelope ends at `end` of `chunk` (its closing brace, a fault, or the input's end): its last
   * bytes given, its reading ended (`resumes`: this splitter reads on after it, so a fault that
   * stopped the envelope's reading is a reject at the fault, not the end of the reading; `here`: it
   * reads on at the fault's byte, which then loses nothing and is said only). True when it was read
   * as an envelope (its events are this splitter's; `envRead` is set until the caller has seen it);
   * false when there was none or it was refused (the root object is then one record too large).
   */
  private envEnd(chunk: Buffer, end: number, resumes = false, here = false): boolean {
    const env = this.env;
    if (env === null) return false;
    this.envFeed(chunk, end);
    if (!env.refused && env.fault === null) this.envTake(env.sub.end());
    if (!env.refused) this.envJudge();
    this.envDecide();
    // (the fault that stopped the envelope's reading: where this splitter reads on after it, a reject there)
    const fault = env.fault;
    if (!env.refused && fault !== null) {
      if (!resumes) this.events.push(fault);
      // (reading goes on at the fault's byte, a record's first at its line's start: nothing lost there)
      else if (here) this.events.push({ type: 'syntax-repaired', message: `${fault.message}: the envelope's reading stops here; what follows is read as values of their own, from this line`, offset: fault.offset, line: fault.line });
      else this.events.push({ type: 'bad-record', reason: 'broken-line', message: `${fault.message}: the envelope's reading stops here, and reading goes on at the next line that opens an object or a list`, offset: fault.offset, line: fault.line, container: null });
    }
    this.env = null;
    this.envRead = !env.refused;
    return this.envRead;
  }
  private envRead = false;

  /**
   * This splitter sees a fault in an envelope at `end` of `chunk` that its reading, given the same
   * bytes, took in its stride: a `}` or `]` too many between or inside the records of its list, which
   * a list's reading rejects with its record (as in a `marches` list) and reads on. When its first
   * records are records (the hook), it is followed from here to its end (stepFollow): this splitter
   * reads nothing itself until then. False when the envelope's reading stopped there too, or it is
   * refused.
   */
  private follows(chunk: Buffer, end: number): boolean {
    const env = this.env;
    if (env === null || env.refused) return false;
    this.envFeed(chunk, end);
    if (env.fault !== null || env.sub.rootEndAt >= 0) return false;
    this.envDecide();
    if (env.refused) return false;
    this.resetToTop();
    this.env = env;
    this.mode = 'follow';
    return true;
  }

  /**
   * Follow an envelope's reading (see follows): the bytes go to it, and this splitter reads on after
   * the envelope's last byte, or, when its reading stopped at a fault, from the next line after it
   * (one reject at the fault, as for a lone record broken there), or from the fault itself when it
   * is a record's first byte at its line's start (said only: nothing is lost there).
   */
  private stepFollow(chunk: Buffer, i: number): number {
    const env = this.env!;
    const n = chunk.length;
    this.envFeed(chunk, n);
    const sub = env.sub;
    const fault = env.fault;
    if (fault === null && sub.rootEndAt < 0) return n;
    const at = Math.max(i, Math.min(n, (fault?.offset ?? sub.rootEndAt) - this.base));
    // (a fault at a record's first byte, at its line's start: reading goes on right there, nothing lost)
    const here = fault !== null && chunk[at] === LBRACE && lineStartsAt(chunk, at, this.chunkEndsAtLineStart);
    this.envEnd(chunk, n, true, here);
    this.envRead = false;
    this.resetToTop();
    if (fault !== null) {
      this.line = fault.line;
      if (here) return at;
      this.events.push({ type: 'syntax-error', message: fault.message, offset: fault.offset, line: fault.line, resumed: true });
      this.mode = 'resync';
      this.resyncLineStart = false;
      return at;
    }
    this.line = sub.rootEndLine;
    if (sub.rootEndLine === this.rootStartLine && !this.sawRootBefore) this.lineMode = true;
    this.sawRootBefore = true;
    return at;
  }

  /** An envelope's reading (see startEnvelope) stops after its root object: where it ended (the next byte's offset), and its line. */
  private stopAfterRoot = false;
  private rootEndAt = -1;
  private rootEndLine = 0;

  /** The undecided `marches` object holds lists of records: the records held are handed on. */
  /**
   * A `marches` object opens at `i` (its brace): a frame holding lists, or, `undecided`, one that may
   * be one record, whose bytes are kept (the candidate) until a key names a list.
   */
  private openMarches(i: number, undecided: boolean): void {
    const m = this.frame('obj', 'marches', null);
    m.undecided = undecided;
    if (undecided) {
      this.held = [];
      this.candIsRecord = false;
      this.cand.begin(i);
      this.candOffset = this.base + i;
      this.candLine = this.line;
    }
    this.stack.push(m);
  }

  private decideLists(): void {
    for (const f of this.stack) f.undecided = false;
    this.dropCandidate();
  }

  /** Stop keeping the bytes of an undecided `marches` object, and hand on the records held (if any). */
  private dropCandidate(): void {
    if (this.held !== null) this.events.push(...this.held);
    this.held = null;
    this.cand.start = -1;
    this.cand.parts = [];
    this.cand.size = 0;
    this.cand.overflow = false;
  }

  private resetToTop(): void {
    this.flushPending();
    this.dropCandidate();
    this.env = null;
    this.reopen = null;
    this.stack.length = 0;
    this.rec.start = -1;
    this.rec.parts = [];
    this.root.start = -1;
    this.root.parts = [];
    this.inString = false;
    this.escaped = false;
    this.breakWs = false;
    this.probe = 0;
    this.quotePending = false;
    this.junk = false;
    this.keyStart = -1;
    this.keyParts = [];
    this.keyBytes = 0;
    this.depth = 0;
    this.mode = 'top';
  }

  /** A structural error outside records. */
  private syntax(buf: Buffer, i: number, message: string): number {
    this.flushPending();
    const offset = this.base + i;
    const line = this.line;
    // (an envelope's reading reads one root object: a fault at its level stops it, see stepFollow)
    const recordLike = !this.stopAfterRoot && this.rootIsRecordLike() && this.stack.length === 1;
    // (a root object of no known shape broken at its own level may be an envelope, of any size: its
    // reading sees the same fault, its records before it are read, and it says the fault, as a
    // reject when reading goes on here)
    if (recordLike && this.env === null) this.startEnvelope(buf, Math.min(buf.length, i + 1));
    // (unless that reading took the byte in its stride: then it is followed to the envelope's end)
    if (recordLike && this.follows(buf, Math.min(buf.length, i + 1))) return Math.min(buf.length, i + 1);
    const startsLine = buf[i] === LBRACE && lineStartsAt(buf, i, this.chunkEndsAtLineStart);
    const envelope = this.envEnd(buf, Math.min(buf.length, i + 1), recordLike, startsLine);
    this.envRead = false;
    if (recordLike) {
      // A lone record or a JSON Lines value: reject it and resume at the next line
      // (or right here when the offending byte starts a new line's value).
      if (!envelope) this.badRecord('broken-line', `${message} (at byte ${offset}, line ${line})`, this.rootStartOffset, this.rootStartLine, null);
      this.events.push({ type: 'syntax-error', message, offset, line, resumed: true });
      this.resetToTop();
      if (startsLine) return i;
      this.mode = 'resync';
      this.resyncLineStart = false;
      return i;
    }
    if (this.held !== null) {
      if (this.cand.overflow || this.cand.exceeds(i) || !this.candIsRecord) this.decideLists();
      else {
        // inside a `marches` object that is one record: that record is the one broken
        this.held = null;
        this.dropCandidate();
        this.badRecord('broken-line', `${message} (at byte ${offset}, line ${line})`, this.candOffset, this.candLine, null);
      }
    }
    if (!envelope) this.events.push({ type: 'syntax-error', message: `${message} (at byte ${offset}, line ${line})`, offset, line, resumed: false });
    this.mode = 'dead';
    return buf.length;
  }

  /** True when at least one root value was seen. */
  get sawAnyRoot(): boolean {
    return this.sawRoot || this.sawRootBefore;
  }
}

/** The string a string's JSON gives (a key kept as a list's item), or null. */
function stringOf(bytes: Buffer): string | null {
  const v = parsesAlone(bytes, 0, bytes.length, 'utf8');
  return typeof v === 'string' ? v : null;
}

/** Does a root key hold the records (`marches`, or an OCDS package's `releases` / `records` when no ocid came first)? */
/** A list of DECP records (`marches`, or a 2024 `marche` / `contrat-concession` list). */
function isDecpList(container: ContainerName): boolean {
  return container === 'marches' || container === 'marche' || container === 'contrat-concession';
}

function namesRecords(key: string, sawOcid: boolean): boolean {
  return key === 'marches' || ((key === 'releases' || key === 'records') && !sawOcid);
}

/** Does a DECP container key name a list (`contrats-concession`, `concessions`, `Marchés`), not one record? */
function isPluralName(key: string): boolean {
  const k = key.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[_\s]+/g, '-');
  return /^(marches|contrats-(de-)?concessions?|concessions)$/.test(k);
}

/**
 * The DECP record kind a key (or an XML element) names, whatever its case, accents or spelling
 * (`Marche`, `marché`, `contrats-concession`, `contrat_concession`, `concession`…), or null.
 */
export function decpContainer(key: string): 'marche' | 'contrat-concession' | null {
  if (key === 'marche' || key === 'contrat-concession') return key;
  // (called for every XML element: most names are settled without normalising them)
  const lower = key.toLowerCase();
  if (!lower.includes('march') && !lower.includes('concession')) return null;
  const k = lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[_\s]+/g, '-');
  if (k === 'marche') return 'marche';
  if (/^(contrats?-(de-)?)?concessions?$/.test(k)) return 'contrat-concession';
  return null;
}

/**
 * How much of the input's start is held to look for a cut first line (JSON Lines whose first two
 * lines are longer are read as before: a cut first line then runs on into the next lines). Small:
 * held bytes are handed on at once, not slice by slice.
 */
const HEAD_BYTES = 64 * 1024;

/** A UTF-8 byte order mark, byte by byte. */
const BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Might the first line of `buf` (the input's first bytes, holding its first two lines unless
 * `atEnd`) be a JSON Lines line that was cut (at its end, or at its start: a file split mid-line)?
 * When the second line is a whole JSON object (a pretty-printed document's second line never is
 * one). Then: where the line's text starts and where the second line starts. (The caller checks
 * that the line is broken.)
 */
function firstLineCut(buf: Buffer, atEnd: boolean): { start: number; next: number } | null {
  let start = 0;
  while (start < buf.length && buf[start] !== NL && isWhitespace(buf[start]!)) start++;
  const nl = buf.indexOf(NL, start);
  if (nl <= start || !nextLineIsObject(buf, nl + 1, atEnd)) return null;
  return { start, next: nl + 1 };
}

/** The JSON value of bytes `from`..`to`, or undefined (read as Latin-1: only the structure matters). */
/** What JSON.parse gives for `buf[from..to)` (decoded as `encoding`: Latin-1 when only the structure matters), or undefined when it throws. */
export function parsesAlone(buf: Buffer, from = 0, to = buf.length, encoding: 'latin1' | 'utf8' = 'latin1'): unknown {
  try {
    return JSON.parse(buf.toString(encoding, from, to)) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Where the values at `pointers` (JSON pointers, unescaped by `keysOf`) start in `buf`, a JSON value
 * that parsed (maybe once repaired by the record parser: a comma before "]", NaN, raw control
 * characters): their offsets in `buf`, in the order given; -1 for one not found (a key read
 * otherwise: its bytes not UTF-8, half a surrogate). For the items of an object read whole, each at its own place as the splitter gives a
 * streamed one. One pass, its strings skipped with indexOf; only the values on the pointers' way are
 * looked into. A key given twice: its last value, as JSON.parse keeps.
 */
export function valueStarts(buf: Buffer, pointers: readonly string[], keysOf: (pointer: string) => readonly string[]): number[] {
  interface Step {
    readonly found: number[];
    readonly next: Map<string, Step>;
  }
  const root: Step = { found: [], next: new Map() };
  pointers.forEach((pointer, k) => {
    let step = root;
    for (const key of keysOf(pointer)) {
      let next = step.next.get(key);
      if (next === undefined) step.next.set(key, (next = { found: [], next: new Map() }));
      step = next;
    }
    step.found.push(k);
  });
  const out = pointers.map(() => -1);
  let i = 0;
  const blanks = (): void => {
    while (i < buf.length && isWhitespace(buf[i]!)) i++;
  };
  /** From a quote, past the string's closing one. */
  const string = (): void => {
    for (let q = buf.indexOf(QUOTE, i + 1); q >= 0; q = buf.indexOf(QUOTE, q + 1)) {
      let run = 0;
      for (let b = q - 1; buf[b] === BACKSLASH; b--) run++;
      if ((run & 1) === 0) {
        i = q + 1;
        return;
      }
    }
    i = buf.length;
  };
  /** Past the value at `i` (a scalar stops before what ends it). */
  const skip = (): void => {
    const first = buf[i];
    if (first === QUOTE) return string();
    if (first !== LBRACE && first !== LBRACKET) {
      while (i < buf.length && !endsScalar(buf[i]!)) i++;
      return;
    }
    // (inside it, only quotes and brackets matter: the loop the scan's time goes to)
    let depth = 0;
    while (i < buf.length) {
      const c = buf[i]!;
      if (c === QUOTE) {
        string();
        continue;
      }
      if (c === LBRACE || c === LBRACKET) depth++;
      else if ((c === RBRACE || c === RBRACKET) && --depth === 0) {
        i++;
        return;
      }
      i++;
    }
  };
  const walk = (step: Step): void => {
    for (const k of step.found) out[k] = i;
    const open = buf[i];
    if (step.next.size === 0 || (open !== LBRACE && open !== LBRACKET)) return skip();
    i++;
    let index = 0;
    while (i < buf.length) {
      blanks();
      const c = buf[i];
      if (c === RBRACE || c === RBRACKET) {
        i++;
        return;
      }
      // (a comma, or a byte that text that parsed cannot hold here: passed)
      if (c === COMMA || (open === LBRACE && c !== QUOTE)) {
        i++;
        continue;
      }
      let key = String(index++);
      if (open === LBRACE) {
        const from = i;
        string();
        key = decodeKey(buf.subarray(from + 1, i - 1));
        blanks();
        if (buf[i] === COLON) i++;
        blanks();
      }
      const next = step.next.get(key);
      const at = i;
      if (next !== undefined) walk(next);
      else skip();
      if (i === at) i++;
    }
  };
  blanks();
  walk(root);
  return out;
}

/** Is the line starting at `at` one whole JSON object (a line of JSON Lines)? Undecided (false) when it runs past `buf` and more may come. */
function nextLineIsObject(buf: Buffer, at: number, atEnd: boolean): boolean {
  if (buf[at] !== LBRACE) return false;
  let end = buf.indexOf(NL, at);
  if (end < 0) {
    if (!atEnd) return false;
    end = buf.length;
  }
  const v = parsesAlone(buf, at, end);
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Input that does not start a JSON value (not at "{" or "[") but whose second line is a whole JSON
 * object: JSON Lines that start inside a line (a file split mid-line). `head` is the input's first
 * bytes, `whole` says they are all of it.
 */
export function startsInsideJsonLines(head: Buffer, whole: boolean): boolean {
  const nl = head.indexOf(NL);
  return nl >= 0 && nextLineIsObject(head, nl + 1, whole);
}

/** scanString's answer when a JSON Lines line ends inside a string (see stringEnd). */
const STRING_BROKEN_LINE = -3;

/** The index of the first byte from `i` that is not a space or a tab (the buffer's length: none). */
function pastBlanks(buf: Buffer, i: number): number {
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  return i;
}

/** Can a string open after this byte (the last one before it that is not a blank; 0: none)? */
function opensString(c: number): boolean {
  return c === LBRACE || c === LBRACKET || c === COMMA || c === COLON || c === 0;
}

/**
 * Is this byte (the one right before a quote, outside strings) text, after which no string can open?
 * A quote too (the last one closed a string, or was passed over so): no string opens right after a
 * quote either. A text that ends with a quoted word, its quotes left unescaped (`"SARL "Dupont""`,
 * `"A "B" de "C""`), has its last quote there: taken for the opening of a string, it turned every quote
 * after it the wrong way round, the brackets after it on its line (`}]`) or its record's closing brace
 * on the next lines inside that string, and the record ran on over the records after it. Passed over,
 * it closes nothing more, as the first-line rule (prevAt) has it.
 */
function afterText(c: number): boolean {
  return !opensString(c) && !isWhitespace(c) && c !== RBRACE && c !== RBRACKET;
}

/**
 * Can this byte follow a string's closing quote inside a value (after blanks)? A line break too: left
 * to the line rules. So can "{" and "[", though JSON has no place for them there: a key whose colon is
 * missing (`"titulaires"[{…}]`); taken for a quote inside the string, the quote would turn every
 * string after it inside out and the braces would no longer say where records end.
 */
function closesString(c: number): boolean {
  return c === COLON || c === COMMA || c === RBRACE || c === RBRACKET || c === NL || c === CR || c === LBRACE || c === LBRACKET;
}

/** Can this byte start a JSON value? ({ [ " - digit t f n, and N and I for the NaN and Infinity some publishers write) */
function isValueStart(c: number): boolean {
  return c === LBRACE || c === LBRACKET || c === QUOTE || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e || c === 0x4e || c === 0x49;
}

/** Is `i` the first non-blank byte of its line? `before`: whether the previous chunk ended at a line start. */
function lineStartsAt(buf: Buffer, i: number, before: boolean): boolean {
  for (let k = i - 1; k >= 0; k--) {
    const c = buf[k]!;
    if (c === NL) return true;
    if (!isWhitespace(c)) return false;
  }
  return before;
}

function decodeKey(raw: Buffer): string {
  if (raw.indexOf(BACKSLASH) < 0) return raw.toString('utf8');
  try {
    return JSON.parse(`"${raw.toString('utf8')}"`) as string;
  } catch {
    return raw.toString('utf8');
  }
}

function describe(c: number): string {
  return c >= 0x20 && c < 0x7f ? JSON.stringify(String.fromCharCode(c)) : `byte 0x${c.toString(16).padStart(2, '0')}`;
}
