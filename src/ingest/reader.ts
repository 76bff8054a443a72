/**
 * Ingest entry points: inputs → a stream of IngestEvents
 * (file-start, record, reject, file-end) — the first stage of the pipeline.
 *
 * The format of each file is decided from its content (magic bytes, BOM, first
 * significant byte, XML declaration, record fields), never from its name.
 * A file that cannot be read is reported in its file-end event and the stream
 * goes on with the next file. Within a file, records come in order, one at a time.
 */
import type { ReadWatch } from '../core/progress.js';
import { isPipelineError, PipelineError } from '../core/errors.js';
import { issue } from '../core/issues.js';
import { looksLikeUtf16, normalizeEncodingLabel, Utf16ToUtf8, type Encoding } from './decode.js';
import { FileState } from './file-state.js';
import { DEFAULT_SPLIT_LIMITS, startsInsideJsonLines } from './json-splitter.js';
import { readJson, type CutPlan } from './read-json.js';
import { endsLinesWithCr, flatDecpColumns, readCsv, type CsvOptions } from './read-csv.js';
import { declaredXmlEncoding, readXml } from './read-xml.js';
import { expandInputs, hashFile, onePerPath, openFile, type ExpandedInput } from './source.js';
import type { IngestEvent, SourceFileInfo } from './types.js';
import type { Readable } from 'node:stream';

export interface IngestOptions {
  /** Force the text encoding (otherwise: BOM, XML declaration, then UTF-8 with per-record fallback). */
  encoding?: Encoding | undefined;
  maxRecordBytes?: number;
  maxDepth?: number;
  /** Largest decompressed size of a gzip file. */
  maxExpandedBytes?: number;
  /** Stop after this many records in all (accepted + rejected). */
  sample?: number | undefined;
  /** Hand releases of the pipeline's own layout over unparsed (`release-text` events; see types.ts). */
  releaseText?: boolean | undefined;
  /**
   * false: a file's SHA-256 is not computed before it is read (its `sha256` and its records'
   * provenance say '', unless the input gives it): for a caller that needs it only now and then and
   * computes it then (compile: for a reject). Default true.
   */
  hashFiles?: boolean | undefined;
  /**
   * Read CSV files, with these settings (a mapping profile's `settings.csv`): their rows become
   * records of type `unknown`. Without it a CSV file is not read (nothing here would map its rows).
   */
  csv?: CsvOptions | undefined;
  /** Root keys of a JSON document whose list holds the records (a mapping profile's `settings.json.records`). */
  jsonRecordKeys?: readonly string[] | undefined;
  /**
   * Told each file of an input folder left out as documentation (see isDocumentation), and each hidden
   * file or folder of one (`why`: 'hidden'), and each decp-ocds output folder in one (`why`:
   * 'output'): nothing is left out unsaid.
   */
  skipped?: ((path: string, why?: 'hidden' | 'output') => void) | undefined;
  /** The command's own outputs (files, folders): never read from a folder walked (see expandInputs). */
  exclude?: readonly string[] | undefined;
  /** Inputs that hold nothing at all (no file in the folders, every file empty) are refused: INGEST_EMPTY, exit 3 (see expandInputs). */
  refuseEmpty?: boolean | undefined;
  /** A file reached twice by its path (named twice, or beside its folder) is read once (onePerPath). */
  onePerPath?: boolean | undefined;
  /** Told how many files the inputs are, then each batch as it is read (a progress bar: core/progress.ts). */
  watch?: ReadWatch | undefined;
  /**
   * Asked for each file before it is read: a plan to stop reading it at a byte, its rest being read
   * apart (see CutPlan). Applied to plain JSON files only (not compressed, no byte order mark, not
   * transcoded: the offsets read are the file's); for any other the plan is told null at once.
   */
  cut?: ((input: ExpandedInput) => CutPlan | undefined) | undefined;
}

export interface NormalizedIngestOptions {
  encoding: Encoding | undefined;
  maxRecordBytes: number;
  maxDepth: number;
  maxExpandedBytes: number;
  sample: number;
  releaseText: boolean;
  hashFiles: boolean;
  csv: CsvOptions | undefined;
  jsonRecordKeys: readonly string[] | undefined;
  cut: ((input: ExpandedInput) => CutPlan | undefined) | undefined;
}

export const DEFAULT_MAX_EXPANDED_BYTES = 8 * 1024 ** 3;

export function normalizeIngestOptions(raw: IngestOptions = {}): NormalizedIngestOptions {
  const positive = (name: string, v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    if (Number.isNaN(v) || v <= 0) throw new PipelineError('CLI_INVALID_OPTION', `${name} must be a positive number, got ${String(v)}`, { context: { option: name } });
    return v;
  };
  return {
    encoding: raw.encoding,
    maxRecordBytes: positive('maxRecordBytes', raw.maxRecordBytes, DEFAULT_SPLIT_LIMITS.maxRecordBytes),
    maxDepth: positive('maxDepth', raw.maxDepth, DEFAULT_SPLIT_LIMITS.maxDepth),
    maxExpandedBytes: positive('maxExpandedBytes', raw.maxExpandedBytes, DEFAULT_MAX_EXPANDED_BYTES),
    sample: positive('sample', raw.sample, Number.POSITIVE_INFINITY),
    releaseText: raw.releaseText === true,
    hashFiles: raw.hashFiles !== false,
    csv: raw.csv,
    jsonRecordKeys: raw.jsonRecordKeys === undefined || raw.jsonRecordKeys.length === 0 ? undefined : [...raw.jsonRecordKeys],
    cut: raw.cut,
  };
}

/** Counter shared by the files of one run, for --sample. */
export interface ReadBudget {
  used: number;
  readonly limit: number;
}

/** Read every input (files, folders, "-" for stdin), one file after the other, one event at a time. */
export async function* readInputs(inputs: readonly (string | ExpandedInput)[], options: IngestOptions = {}, stdin?: Readable): AsyncGenerator<IngestEvent> {
  for await (const batch of readInputBatches(inputs, options, stdin)) yield* batch;
}

/**
 * The same events in batches (one per chunk read): the form for hot consumers,
 * since every `await` per record costs more than the work on a small record.
 */
export async function* readInputBatches(inputs: readonly (string | ExpandedInput)[], options: IngestOptions = {}, stdin?: Readable): AsyncGenerator<IngestEvent[]> {
  const opts = normalizeIngestOptions(options);
  const expanded = await expandInputs(inputs, stdin, { csv: opts.csv !== undefined, exclude: options.exclude, refuseEmpty: options.refuseEmpty, skipped: options.skipped });
  const { cleanup } = expanded;
  const files = options.onePerPath === true ? onePerPath(expanded.files) : expanded.files;
  const budget: ReadBudget = { used: 0, limit: opts.sample };
  try {
    const watch = options.watch;
    watch?.files(files.length);
    for (const f of files) {
      if (budget.used >= budget.limit) break;
      if (watch === undefined) yield* readFile(f, opts, budget);
      else {
        for await (const batch of readFile(f, opts, budget)) {
          watch.batch(batch);
          yield batch;
        }
      }
    }
  } finally {
    await cleanup();
  }
}

/** Read one file. Never throws for a bad file: its file-end event carries the error. */
export async function* readFile(input: ExpandedInput, opts: NormalizedIngestOptions, budget: ReadBudget = { used: 0, limit: Number.POSITIVE_INFINITY }): AsyncGenerator<IngestEvent[]> {
  let info: SourceFileInfo = { file: input.display, sha256: '', size: 0, compressed: null };
  let opened;
  // (asked first: the rest is read apart while this thread reads its start)
  const cut = opts.cut?.(input);
  try {
    const sha256 = input.sha256 ?? (opts.hashFiles ? await hashFile(input.path).catch(() => '') : '');
    opened = await openFile(input.path, input.display, opts.maxExpandedBytes, input.sha256 === undefined ? undefined : input.hashed);
    info = { file: input.display, sha256, size: opened.size, compressed: opened.compressed };
  } catch (err) {
    void cut?.decide(null);
    const state = new FileState(info, opts.encoding ?? 'utf-8');
    state.format = 'unknown';
    state.error = errorOf(err, info.file);
    yield [
      { type: 'file-start', file: info },
      { type: 'file-end', file: info, summary: state.summary() },
    ];
    return;
  }
  try {
    yield [{ type: 'file-start', file: info }];
    yield* readChunkBatches(opened.chunks, info, opts, budget, cut, opened.changed);
  } finally {
    await opened.close();
  }
}

/**
 * Read decompressed bytes (any chunking) of one source, event by event. Used
 * directly by tests that feed bytes in small chunks.
 */
export async function* readChunks(chunks: AsyncIterable<Buffer>, info: SourceFileInfo, options: NormalizedIngestOptions | IngestOptions = {}, budget?: ReadBudget): AsyncGenerator<IngestEvent> {
  for await (const batch of readChunkBatches(chunks, info, options, budget)) yield* batch;
}

/**
 * `changed`, asked once the chunks are read or given up: why they may not be the bytes the file's hash
 * was taken of (see openFile), which makes the file's error INGEST_CHANGED, fatal.
 */
export async function* readChunkBatches(chunks: AsyncIterable<Buffer>, info: SourceFileInfo, options: NormalizedIngestOptions | IngestOptions = {}, budget: ReadBudget = { used: 0, limit: Number.POSITIVE_INFINITY }, plan?: CutPlan, changed?: () => string | null): AsyncGenerator<IngestEvent[]> {
  const opts = normalizeIngestOptions(options);
  const state = new FileState(info, opts.encoding ?? 'utf-8');
  /** The file says its encoding itself, which --encoding does not overrule: said once (the option applies to the other inputs). */
  const encodingSetAside = (why: string): void => {
    if (opts.encoding !== undefined && opts.encoding !== 'utf-8') state.issues.push(issue('INGEST_ENCODING_OPTION_IGNORED', 'warning', `--encoding ${opts.encoding} is not applied to this file: ${why}, read as such`, { file: info.file }));
  };
  let iterator: AsyncIterator<Buffer> = chunks[Symbol.asyncIterator]();
  try {
    const head = await readHead(iterator, 64 * 1024);
    let body = head.bytes;
    // (known by its first bytes, before any reading of text: a ZIP's zeros may look like UTF-16)
    const kind = binaryKind(body);
    if (kind !== null) {
      // (said below)
    } else if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
      state.bom = true;
      // (an export that adds its mark to text that already had one: every mark at the start is one)
      while (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
        body = body.subarray(3);
        state.leadingBytes += 3;
      }
      if (state.leadingBytes > 3) state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the file starts with ${state.leadingBytes / 3} UTF-8 byte order marks: all are skipped`, { file: info.file }));
      // a byte order mark is no guess: it wins over --encoding, as UTF-16's does (a forced single-byte
      // encoding made every accented letter two, "DÃ©partement", and lost the codes they spell)
      state.encoding = 'utf-8';
      encodingSetAside('it starts with a UTF-8 byte order mark');
    } else if (body.length >= 2 && ((body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff))) {
      // UTF-16 with its byte order mark (Windows "Unicode" exports): read as the UTF-8 it becomes
      state.bom = true;
      state.transcodedFrom = body[0] === 0xff ? 'utf-16le' : 'utf-16be';
      encodingSetAside(`it starts with a ${state.transcodedFrom.toUpperCase()} byte order mark`);
    } else if (looksLikeUtf16(body)) {
      // (ASCII text: its zero bytes come second in little-endian order)
      state.transcodedFrom = body[1] === 0 ? 'utf-16le' : 'utf-16be';
      encodingSetAside(`it is ${state.transcodedFrom.toUpperCase()} (a zero byte in every other place, which no single-byte text has)`);
    }
    if (state.transcodedFrom !== null) {
      const name = state.transcodedFrom.toUpperCase();
      const onCut = (): void => void state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the file ends inside a ${name} character (an odd number of bytes, or half a surrogate pair: a cut download?): its last byte(s) are left out`, { file: info.file }));
      let bad = false;
      const onBad = (offset: number): void => {
        if (!bad) state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the ${name} code unit at byte ${offset} is half of a surrogate pair without its other half (no character): read as U+FFFD, as any other such unit in the file`, { file: info.file }));
        bad = true;
      };
      // (the byte order mark is no text: offsets in the file count it)
      const mark = state.bom ? 2 : 0;
      const transcoder = new Utf16ToUtf8(state.transcodedFrom === 'utf-16le', onBad, onCut, mark);
      body = transcoder.push(body.subarray(mark), !head.done);
      if (!head.done) iterator = transcoded(iterator, transcoder);
      state.encoding = 'utf-8';
    }
    // lines before a JSON or XML document that are not data (a PHP warning an export printed first, a
    // `//` comment): passed over, said, the document read (it was unreadable whole: every record lost)
    // (JSON Lines that start inside a line are not that: their first line is a record cut, rejected)
    const preamble = kind === null && !startsInsideJsonLines(body, head.done) ? documentAfterPreamble(body) : null;
    if (preamble !== null) {
      const text = body.toString('utf8', 0, Math.min(preamble.at, 200)).split(/\r?\n/)[0]!.trim();
      state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `${preamble.lines} line(s) before the ${preamble.xml ? 'XML' : 'JSON'} document, ${JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text)} (line 1): not data, passed over`, { file: info.file, line: 1 }));
      body = body.subarray(preamble.at);
      state.leadingBytes += preamble.at;
      state.leadingLines += preamble.lines;
    }
    const first = firstSignificant(body);
    // a compressed file that breaks off (truncated download, corrupt tail) is read
    // like a plain file cut there: the records before are kept, the one in progress is rejected
    const cut: { error?: PipelineError } = {};
    const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => endAtCut(prepend(body, iterator, head.done), cut) };
    // (whole records only: a flat contract whose rows are being read is not one yet, state.held; a
    // grouped CSV's row rejected is none, state.rowsRejected)
    const shouldStop = (): boolean => budget.used + state.accepted + state.rejected - state.held - state.rowsRejected >= budget.limit;
    const limits = { maxRecordBytes: opts.maxRecordBytes, maxDepth: opts.maxDepth, shouldStop };
    const script = kind === null ? scriptKind(body, first) : null;
    if (kind !== null || script !== null) {
      const { what, remedy } = (kind ?? script)!;
      state.format = 'unknown';
      state.error = { code: 'INGEST_UNKNOWN_FORMAT', message: `${info.file} is ${what}, not data this reads: ${remedy}`, fatal: true };
    } else if (first === 0x22 && ENCODED_DOCUMENT.test(body.subarray(0, 64).toString('latin1'))) {
      // a JSON document written as one JSON string (`"{\"marches\": …}"`: an API's answer saved
      // encoded twice): that document, read once decoded, up to the record size limit (it is one value)
      const parts: Buffer[] = [];
      let size = 0;
      for await (const c of rest) {
        size += c.length;
        if (size > opts.maxRecordBytes) break;
        parts.push(c);
      }
      let inner: unknown;
      try {
        inner = size > opts.maxRecordBytes ? undefined : JSON.parse(Buffer.concat(parts).toString('utf8'));
      } catch {
        inner = undefined;
      }
      if (size > opts.maxRecordBytes) {
        state.format = 'unknown';
        state.error = { code: 'INGEST_UNKNOWN_FORMAT', message: `${info.file} is a JSON document written as one JSON string (encoded twice), larger than the record size limit (${opts.maxRecordBytes} bytes): not read; decode it first (jq -r . FILE > decoded.json), or raise --max-record-bytes`, fatal: true };
      } else if (typeof inner !== 'string') {
        state.format = 'unknown';
        state.error = { code: 'INGEST_UNKNOWN_FORMAT', message: `${info.file} starts as a JSON string holding a JSON document (encoded twice), but is not one JSON string: not read`, fatal: true };
      } else {
        state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', 'the file is one JSON string that holds a JSON document (encoded twice, as an API\'s answer saved as text): read as that document (lines and offsets are the decoded document\'s)', { file: info.file, line: 1 }));
        const decoded = Buffer.from(inner, 'utf8');
        yield* readJson((async function* () { yield decoded; })(), state, { ...limits, releaseText: opts.releaseText, recordKeys: opts.jsonRecordKeys === undefined ? undefined : new Set(opts.jsonRecordKeys) });
      }
    } else if (first === 0x7b || first === 0x5b || (head.done && isJsonScalar(body)) || (first !== 0x3c && startsInsideJsonLines(body, head.done))) {
      // a whole file that is one JSON scalar (`null`, `"…"`) is JSON too: one record, rejected as not
      // an object; so are JSON Lines that start inside a line (their first line is rejected)
      // (a plan applies where the offsets read are the file's: no mark skipped, nothing decoded or decompressed)
      const taken = plan !== undefined && state.leadingBytes === 0 && state.transcodedFrom === null && info.compressed === null;
      // (flat DECP records repeated per supplier or modification: one contract, as a flat DECP CSV's rows:
      // readJson groups them, group-rows.ts)
      yield* readJson(rest, state, { ...limits, releaseText: opts.releaseText, recordKeys: opts.jsonRecordKeys === undefined ? undefined : new Set(opts.jsonRecordKeys), cut: taken ? plan : undefined });
    } else if (first === 0x3c) {
      // (an XML declaration says UTF-16 in a file already decoded from it)
      if (opts.encoding === undefined && !state.bom && state.transcodedFrom === null) {
        const declared = declaredXmlEncoding(body);
        if (declared !== undefined && /^(utf-?16|utf-?32|ucs-?2|ucs-?4|unicode)/i.test(declared)) {
          // a declaration of UTF-16 over bytes that are not (`<?xml` in single bytes, no BOM): the
          // declaration is wrong (.NET string writers say UTF-16 whatever they write); read as UTF-8
          // (bytes that are not UTF-8 as Windows-1252, flagged), said once for the file
          state.issues.push(issue('INGEST_ENCODING_DECLARED_WRONG', 'warning', `the XML declaration says ${JSON.stringify(declared)} but the file is written in single bytes: read as UTF-8`, { file: info.file }));
        } else if (declared !== undefined) {
          const enc = normalizeEncodingLabel(declared);
          if (enc === undefined) throw new PipelineError('INGEST_ENCODING', `unsupported XML encoding ${JSON.stringify(declared)} in ${info.file}`, { context: { file: info.file }, remedy: 'retry with --encoding utf-8 or --encoding latin1' });
          state.encoding = enc;
          if (enc !== 'utf-8') state.declaredSingleByte = declared;
        }
      }
      yield* readXml(rest, state, limits);
    } else if (first === -1) {
      state.format = 'empty';
      state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', 'the file holds no data', { file: info.file }));
    } else if (looksLikeCsv(body)) {
      state.format = 'csv';
      // (the profile's encoding for its CSV files' rows that are not UTF-8: not over --encoding nor a byte order mark)
      if (opts.csv?.encoding !== undefined && opts.encoding === undefined && !state.bom && state.transcodedFrom === null) state.otherwise = opts.csv.encoding;
      // (without a profile, a header of flat DECP columns is read as DECP records: flatDecpColumns)
      const flat = opts.csv === undefined || opts.csv.detectDecp === true ? flatDecpColumns(body) : null;
      if (flat !== null) state.issues.push(issue('INGEST_FILE_SYNTAX', 'info', `a CSV file of flat DECP columns (${JSON.stringify(flat.id)}, ${JSON.stringify(flat.buyer)} and other DECP field names): read without a profile as DECP records, consecutive rows of one ${flat.id} and ${flat.buyer} as one contract, its suppliers and its modifications`, { file: info.file }));
      const csv = flat !== null ? { decp: true, groupBy: [flat.id, flat.buyer] } : opts.csv;
      if (csv !== undefined) yield* readCsv(rest, state, { maxRecordBytes: opts.maxRecordBytes, shouldStop, csv, crLineEnds: endsLinesWithCr(body), wasCut: () => cut.error !== undefined });
      else state.error = { code: 'INGEST_UNKNOWN_FORMAT', message: `${info.file} is CSV: its rows are read through a mapping profile that maps them (convert or run with --profile FILE, a profile with a records.unknown mapping; see docs/mappings.md), and their releases validated then`, fatal: true };
    } else {
      state.format = 'unknown';
      state.error = { code: 'INGEST_UNKNOWN_FORMAT', message: `${info.file} is neither JSON, JSON Lines, XML nor CSV (first significant byte 0x${first.toString(16).padStart(2, '0')})`, fatal: true };
    }
    if (cut.error) {
      state.error = { code: cut.error.code, message: `${cut.error.message}${cut.error.remedy ? ` (${cut.error.remedy})` : ''}: the records before this point are kept`, fatal: false };
    }
  } catch (err) {
    state.error = errorOf(err, info.file);
  } finally {
    await iterator.return?.();
    // (a plan not taken, or not reached, is told so: what reads the rest apart stops; told already, it keeps its first answer)
    if (plan !== undefined) await plan.decide(null);
  }
  // a file rewritten since it was hashed (a download in progress): what was read is not the content
  // of that hash, and must not be remembered under it (the next run reads the file again)
  const why = changed?.() ?? null;
  if (why !== null && state.error?.fatal !== true) state.error = { code: 'INGEST_CHANGED', message: why, fatal: true };
  // a document that holds no record (`{"marches":[]}`, `<marches/>`, `[]`): said, as a file without data
  if (state.accepted + state.rejected === 0 && state.error === undefined && state.format !== 'empty' && budget.used < budget.limit) {
    state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', 'the file holds no record', { file: info.file }));
  }
  budget.used += state.accepted + state.rejected - state.rowsRejected;
  yield [{ type: 'file-end', file: info, summary: state.summary() }];
}

/** A file's fatal error: its one line on stderr names the file (a run reads many), unless the error already does. */
function errorOf(err: unknown, file: string): { code: string; message: string; fatal: boolean } {
  const named = (m: string): string => (m.includes(file) ? m : `${file}: ${m}`);
  if (isPipelineError(err)) return { code: err.code, message: named(err.message + (err.remedy ? ` (${err.remedy})` : '')), fatal: true };
  return { code: 'INGEST_UNREADABLE', message: named(err instanceof Error ? err.message : String(err)), fatal: true };
}

/** The rest of a UTF-16 file as UTF-8 bytes (what a chunk ends inside waits in the transcoder). */
async function* transcoded(source: AsyncIterator<Buffer>, transcoder: Utf16ToUtf8): AsyncGenerator<Buffer> {
  try {
    for (;;) {
      const r = await source.next();
      if (r.done) {
        const tail = transcoder.push(undefined, false);
        if (tail.length > 0) yield tail;
        return;
      }
      yield transcoder.push(r.value, true);
    }
  } finally {
    await source.return?.();
  }
}

async function readHead(it: AsyncIterator<Buffer>, want: number): Promise<{ bytes: Buffer; done: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  while (size < want) {
    const r = await it.next();
    if (r.done) return { bytes: Buffer.concat(parts, size), done: true };
    parts.push(r.value);
    size += r.value.length;
    // enough to decide as soon as a significant byte is there (JSON/XML), except for the XML declaration
    if (size >= 1024 || (size >= 256 && firstSignificant(Buffer.concat(parts, size)) !== -1)) break;
  }
  return { bytes: Buffer.concat(parts, size), done: false };
}

/**
 * Files people hand in for data that hold it in another container, known by their first bytes:
 * what each is and what to do (gzip is read as it is, and compressed twice too: source.ts; gzip
 * here is content still compressed after that).
 */
const BINARY_KINDS: ReadonlyArray<{ readonly magic: readonly number[]; readonly what: string; readonly remedy: string }> = [
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (or a spreadsheet saved as .xlsx/.ods, which are ZIP)', remedy: 'unzip it and give its files or their folder (a spreadsheet: export it as CSV)' },
  { magic: [0x50, 0x4b, 0x05, 0x06], what: 'an empty ZIP archive', remedy: 'it holds no file' },
  { magic: [0x42, 0x5a, 0x68], what: 'bzip2-compressed', remedy: 'decompress it (bunzip2), or recompress it with gzip, which is read as it is' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed', remedy: 'decompress it (unxz), or recompress it with gzip, which is read as it is' },
  { magic: [0x1f, 0x8b], what: 'gzip-compressed more times than are read (gzip is decompressed twice at most)', remedy: 'gunzip it until it is JSON, XML or CSV' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed', remedy: 'decompress it (unzstd), or recompress it with gzip, which is read as it is' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive', remedy: 'extract it and give its files or their folder' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'an Excel 97–2003 workbook (.xls)', remedy: 'export it as CSV' },
  { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document', remedy: 'its data is published elsewhere as JSON, XML or CSV' },
];

/** What binary container `head` (a file's first bytes) is, or null. */
function binaryKind(head: Buffer): { what: string; remedy: string } | null {
  return BINARY_KINDS.find((k) => head.length >= k.magic.length && k.magic.every((b, j) => head[j] === b)) ?? null;
}

/** JavaScript that wraps a JSON document: `callback({…})`, `var data = […];`, `window.x = {…}`. */
const SCRIPT_WRAPPER = /^(?:(?:var|let|const)\s+[\w$]+\s*=|[\w$.]+\s*=|[\w$.]+\s*\()\s*[[{]/;

/**
 * A JSON document wrapped in JavaScript (JSONP, an assignment): said so, not "CSV" (its first
 * line has commas) nor "no format"; `first` is the first significant byte.
 */
function scriptKind(body: Buffer, first: number): { what: string; remedy: string } | null {
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a) || first === 0x24 || first === 0x5f)) return null;
  const text = body.toString('latin1', 0, Math.min(body.length, 256)).trimStart();
  return SCRIPT_WRAPPER.test(text) ? { what: 'JavaScript: a JSON document wrapped in code (`callback({…})`, `var data = {…};`)', remedy: 'take the JSON out of its wrapper, so that the file starts with "{" or "["' } : null;
}

/**
 * Decompression errors that cut a file short (a truncated download, a corrupt tail): end the bytes
 * there, keep the error (not fatal: a complete copy has another hash and is read again). The
 * expansion limit stays fatal: the same file, given a higher limit, must be read again.
 */
const CUT_CODES: ReadonlySet<string> = new Set(['INGEST_GZIP']);

async function* endAtCut(chunks: AsyncGenerator<Buffer>, cut: { error?: PipelineError }): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (err) {
    if (isPipelineError(err) && CUT_CODES.has(err.code)) {
      cut.error = err;
      return;
    }
    throw err;
  }
}

async function* prepend(head: Buffer, it: AsyncIterator<Buffer>, done: boolean): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  if (done) return;
  for (;;) {
    const r = await it.next();
    if (r.done) return;
    yield r.value;
  }
}

/** The start of a JSON string whose text is a JSON object or list (`"{\"marches\"`, `"[{\"id\"`). */
const ENCODED_DOCUMENT = /^[ \t\r\n]*"[ \t]*(?:\\[rnt])*[ \t]*[{[][ \t]*(?:\\[rnt][ \t]*)*(?:\\"|[{[\]}])/;

function isJsonScalar(body: Buffer): boolean {
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return v === null || typeof v !== 'object';
  } catch {
    return false;
  }
}

/** First byte that is not JSON/XML whitespace, or -1. */
/**
 * Where a JSON or XML document starts after lines that are not data, and how many lines come before
 * it: a file that starts with a comment (`//`, `#`, `/*`) or a PHP notice (`Warning: …`, `Notice: …`,
 * `<br />\n<b>Warning</b>…`), then, at the start of a line within its first bytes, `{"` or `[{` (a
 * DECP or OCDS document: an object's first key, or a list of objects), or `<?xml` or `<marches` (a
 * DECP XML document: `xml`). Null for any other start (a CSV header, XML, text: never taken for a
 * preamble), or when no such line comes.
 */
function documentAfterPreamble(head: Buffer): { at: number; lines: number; xml: boolean } | null {
  const first = firstSignificant(head);
  if (first === -1 || first === 0x7b || first === 0x5b) return null;
  const text = head.toString('latin1');
  if (!PREAMBLE_START.test(text)) return null;
  const m = /(?:^|\n)([ \t]*)(\{\s*"|\[\s*\{|<\?xml\b|<marches\b)/.exec(text);
  if (m === null || m.index === 0) return null;
  const at = m.index + (text[m.index] === '\n' ? 1 : 0) + m[1]!.length;
  const before = text.slice(0, at);
  // (CSV rows or JSON Lines before it are data: a preamble is a few lines of text)
  const lines = (before.match(/\n/g) ?? []).length;
  if (lines === 0 || lines > 20) return null;
  return { at, lines, xml: m[2]!.startsWith('<') };
}

/** How a preamble before a JSON document starts: a comment, a PHP message, an HTML notice's tag. */
const PREAMBLE_START = /^\s*(?:\/\/|#|\/\*|(?:PHP )?(?:Warning|Notice|Deprecated|Fatal error|Parse error|Strict Standards)\b|<(?:br|b|p|font|div)(?=[\s/>]))/i;

/** The first byte that is not whitespace, or -1. */
function firstSignificant(buf: Buffer): number {
  for (const c of buf) {
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
  }
  return -1;
}

function looksLikeCsv(head: Buffer): boolean {
  const text = head.subarray(0, 4096).toString('latin1');
  // (blank lines before the header; lines ended by CR LF, LF or a lone CR; an Excel `sep=;` hint)
  const lines = text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '');
  const from = /^sep=.$/i.test(lines[0] ?? '') && lines.length > 1 ? 1 : 0;
  // (titles above the header line, without a separator, as the CSV reader passes them over: the
  // header is a later line of two names or more; see CsvRowSplitter.titleAt)
  const at = lines.findIndex((l, k) => k >= from && k <= from + 10 && /[;,\t|]/.test(l));
  if (at < 0 || (at > from && !/[^;,\t|\s]\s*[;,\t|]+\s*[^;,\t|\s]/.test(lines[at]!))) return false;
  return lines.slice(from, at + 1).every((line) => [...line].every((ch) => ch >= ' ' || ch === '\t'));
}
