/**
 * Book-keeping shared by the format readers for one file: record positions,
 * counts (read = accepted + rejected), file-level issues, what was detected.
 */
import type { Issue, IssueCode } from '../core/issues.js';
import { decodeRecord, type Encoding } from './decode.js';
import type { FileSummary, InputFormat, IngestEvent, Provenance, RecordType, ReleaseText, SourceFileInfo, SourceRecord, DecpVersion } from './types.js';

export class FileState {
  index = 0;
  accepted = 0;
  rejected = 0;
  /**
   * Records counted (in `accepted`) that are not whole yet: a flat DECP contract whose rows are being
   * read (group-rows.ts FlatRecordGroups), 1 or 0. --sample counts only whole records.
   */
  held = 0;
  /**
   * Rows rejected (in `rejected`) that are no records of their own for --sample: the rows of a CSV whose
   * rows are grouped (settings.csv.groupBy, flat DECP) that could not be read (fields too many or too
   * few, a quote refused), the lines a record read among them may have lost (read-csv.ts lostRow).
   * --sample N gives N records, with the rows rejected among and around them.
   */
  rowsRejected = 0;
  bytes = 0;
  readonly types: Partial<Record<RecordType, number>> = {};
  readonly issues: Issue[] = [];
  format: InputFormat = 'unknown';
  version: string | null = null;
  encoding: Encoding;
  /**
   * With `encoding` UTF-8, the encoding of the records that are not valid UTF-8 (a profile's
   * settings.csv.encoding); null: those bytes are read as Windows-1252, flagged.
   */
  otherwise: Encoding | null = null;
  /** Records read in `otherwise` (not valid UTF-8): the file is then reported in that encoding. */
  readOtherwise = false;
  /** The file's UTF-16 (read as the UTF-8 it was decoded into), or null. */
  transcodedFrom: 'utf-16le' | 'utf-16be' | null = null;
  bom = false;
  /**
   * Bytes before the text read (its UTF-8 byte order marks): JSON and CSV offsets are the file's (a
   * UTF-16 file's are its UTF-8 text's; XML positions are lines and columns).
   */
  leadingBytes = 0;
  /** Lines before the text read (a preamble before a JSON or XML document: see reader.ts documentAfterPreamble). */
  leadingLines = 0;
  fellBack = false;
  /**
   * The single-byte encoding an XML declaration names (`ISO-8859-1`), or null: a record whose bytes
   * are UTF-8 beyond ASCII is read as UTF-8 all the same (hard-coded headers of exports that write UTF-8).
   */
  declaredSingleByte: string | null = null;
  /** Records read as UTF-8 against the declaration, and as it says. */
  declaredWrong = 0;
  declaredKept = 0;
  /** Records that were neither DECP nor OCDS (rejected). */
  unknownRecords = 0;
  meta: Record<string, unknown> | undefined;
  /** Each distinct package metadata of the file (see FileSummary.packages). */
  readonly packages: Array<Record<string, unknown>> = [];
  /** Each package of the file whose metadata differ from those before, publishedDate included, and where it starts (see FileSummary.packageChecks). */
  readonly packageChecks: Array<{ readonly meta: Record<string, unknown>; readonly line: number; readonly pointer: string }> = [];
  private readonly packageKeys = new Set<string>();
  private readonly packageCheckKeys = new Set<string>();
  private readonly packageOwners = new Set<string>();
  error: FileSummary['error'];
  readonly versions: Partial<Record<DecpVersion, number>> = {};

  constructor(
    readonly file: SourceFileInfo,
    encoding: Encoding,
  ) {
    this.encoding = encoding;
  }

  provenance(where: { line: number; offset?: number | undefined; column?: number | undefined }): Provenance {
    const p: { -readonly [K in keyof Provenance]: Provenance[K] } = { file: this.file.file, sha256: this.file.sha256, index: this.index, line: where.line };
    if (where.offset !== undefined) p.offset = where.offset;
    if (where.column !== undefined) p.column = where.column;
    return p;
  }

  accept(record: SourceRecord): IngestEvent {
    this.index++;
    this.accepted++;
    this.types[record.type] = (this.types[record.type] ?? 0) + 1;
    if (record.version) this.versions[record.version] = (this.versions[record.version] ?? 0) + 1;
    return { type: 'record', record };
  }

  /** A release handed over as text (a `release-text` event): counted as an accepted release. */
  acceptText(release: ReleaseText): IngestEvent {
    this.index++;
    this.accepted++;
    this.types.release = (this.types.release ?? 0) + 1;
    return { type: 'release-text', release };
  }

  reject(where: { line: number; offset?: number | undefined; column?: number | undefined }, code: IssueCode, reason: string, excerpt?: string, text?: string | null): IngestEvent {
    const provenance = this.provenance(where);
    this.index++;
    this.rejected++;
    const reject = excerpt === undefined ? { provenance, code, reason } : { provenance, code, reason, excerpt };
    return text === undefined || excerpt === undefined ? { type: 'reject', reject } : { type: 'reject', reject, text };
  }

  /**
   * A record rejected with its excerpt (excerptOf) and, when it is longer than that, its text to
   * look for a person's marker in (see IngestEvent `text`: a marker anywhere in the record withholds
   * the excerpt, not only one inside it).
   */
  rejectQuoting(where: { line: number; offset?: number | undefined; column?: number | undefined }, code: IssueCode, reason: string, bytes: Buffer): IngestEvent {
    const excerpt = excerptOf(bytes, EXCERPT_BYTES, this.encoding);
    return this.reject(where, code, reason, excerpt, bytes.length > EXCERPT_BYTES ? scanTextOf(bytes, this.encoding) : undefined);
  }

  /** The DECP generation most records had (ties: the newer). */
  dominantVersion(): DecpVersion | null {
    let best: DecpVersion | null = null;
    let n = 0;
    for (const v of ['2019', '2023-interim', '2024'] as const) {
      const c = this.versions[v] ?? 0;
      if (c > 0 && c >= n) {
        best = v;
        n = c;
      }
    }
    return best;
  }

  summary(): FileSummary {
    const base = {
      format: this.format,
      version: this.version,
      encoding: this.transcodedFrom ?? this.encoding,
      bom: this.bom,
      read: this.accepted + this.rejected,
      accepted: this.accepted,
      rejected: this.rejected,
      bytes: this.bytes,
      types: { ...this.types },
      issues: this.issues,
    };
    return {
      ...base,
      ...(this.error ? { error: this.error } : {}),
      ...(this.meta ? { meta: this.meta } : {}),
      ...(this.packages.length > 0 ? { packages: this.packages } : {}),
      ...(this.packageChecks.length > 0 ? { packageChecks: this.packageChecks } : {}),
    };
  }

  /**
   * A package of the file, by its metadata (its list of releases or records left out): the file's
   * `meta` (the last package's), and one of its `packages` unless an equal one was met (publishedDate
   * aside). Past MAX_PACKAGES distinct ones (a file of a million API pages, each with its own uri),
   * only those that name another publisher, licence, policy or extensions are kept: a disagreement
   * is never lost, only uris past that many. `at`: where the package starts (its line, and its
   * pointer in the JSON document there: `/results/3` for an API's page in an envelope, else empty).
   */
  addPackage(meta: Record<string, unknown>, at: { readonly line: number; readonly pointer: string }): void {
    this.meta = meta;
    // (for validate, each different metadata once, publishedDate included — a page's "yesterday" beside
    // the others' date-times is an error of that page —, where it is; as many as packages are kept)
    const full = JSON.stringify(meta);
    if (!this.packageCheckKeys.has(full) && this.packageChecks.length < MAX_PACKAGES) {
      this.packageCheckKeys.add(full);
      this.packageChecks.push({ meta, line: at.line, pointer: at.pointer });
    }
    const { publishedDate: _date, ...rest } = meta;
    const key = JSON.stringify(rest);
    if (this.packageKeys.has(key)) return;
    const { uri: _uri, ...owner } = rest;
    const ownerKey = JSON.stringify(owner);
    if (this.packages.length >= MAX_PACKAGES && this.packageOwners.has(ownerKey)) return;
    this.packageKeys.add(key);
    this.packageOwners.add(ownerKey);
    this.packages.push(meta);
  }
}

/** Distinct package metadata kept per file before only new owners are (see FileState.addPackage). */
const MAX_PACKAGES = 10_000;

/** Bytes of a record a reject quotes (then to the end of the value they cut). */
const EXCERPT_BYTES = 200;

/** First bytes of a record, as text, for a human reading the rejects. */
export function excerptOf(bytes: Buffer, max = EXCERPT_BYTES, encoding: Encoding = 'utf-8', otherwise: Encoding | null = null): string {
  let end = Math.min(bytes.length, max);
  // the value the cut falls in is quoted to its end (up to `max` bytes more): what says whose name a
  // value is ("DUPONT Jean EI") comes after the name, and the excerpt is what a profile looks at
  // before it publishes one (settings.personNames)
  for (const limit = Math.min(bytes.length, 2 * max); end < limit && !VALUE_ENDS.has(bytes[end]!); ) end++;
  // (a cut inside a UTF-8 character leaves the character out: its first bytes alone are not UTF-8)
  if (encoding === 'utf-8' && end < bytes.length && (bytes[end]! & 0xc0) === 0x80) {
    for (let k = end - 1; k >= 0 && k >= end - 3; k--) {
      if ((bytes[k]! & 0xc0) === 0xc0) {
        end = k;
        break;
      }
    }
  }
  // decoded as the record is (a Windows-1252 file's "Maître" is not "Ma\ufffdtre": a reject's reader
  // reads it, and a profile's personNames find their markers in it)
  const s = decodeRecord(bytes.subarray(0, end), encoding, otherwise).text;
  return bytes.length > end ? `${s}…` : s;
}

/**
 * How much of a rejected record is looked at for a natural person's marker beyond its excerpt: 1 MiB
 * (about 6 ms for the DECP profile's expressions; DECP records are a few KiB). A longer record's
 * excerpt is not quoted by a profile that looks for persons.
 */
export const REJECT_SCAN_BYTES = 1024 * 1024;

/** A rejected record's text to look for a marker in (its first REJECT_SCAN_BYTES), or null when it is longer. */
function scanTextOf(bytes: Buffer, encoding: Encoding = 'utf-8'): string | null {
  return bytes.length > REJECT_SCAN_BYTES ? null : decodeRecord(bytes, encoding).text;
}

/**
 * The bytes that end a value in JSON, XML or CSV: a quote, a tag, a line end (not a separator: a
 * quoted CSV value holds them, `"DUPONT Jean, EI"`).
 */
const VALUE_ENDS = new Set([0x22, 0x3c, 0x0a, 0x0d]);

/** A splitter of one format: events per chunk, then what the end of input leaves. */
export interface Splitter<E> {
  push(chunk: Buffer): E[];
  end(): E[];
}

/**
 * Bytes handed to a splitter at once. Every record of a slice is parsed before the first one is
 * converted, so a slice's records live together: slices of a whole 512 KiB read (~450 records)
 * outlived the young generation and garbage collection took ~17 % of convert; slices of 64 KiB
 * bring it to ~6 % (1.3 s → 0.45 s on 100,000 2024-format records), and reads stay large.
 */
export const SPLIT_SLICE = 64 * 1024;

/**
 * The loop every format reader shares: feed chunks to the splitter (in slices of `sliceBytes`),
 * turn its events into ingest events, yield them as one batch per slice, stop early for
 * --sample. `onChunk` sees each chunk first (byte counts, UTF-8 checks).
 */
export async function* batchesOf<E>(chunks: AsyncIterable<Buffer>, state: FileState, splitter: Splitter<E>, handle: (ev: E) => IngestEvent | readonly IngestEvent[] | null, shouldStop: () => boolean, onChunk?: (chunk: Buffer) => void, sliceBytes = SPLIT_SLICE): AsyncGenerator<IngestEvent[], boolean> {
  for await (const chunk of chunks) {
    state.bytes += chunk.length;
    onChunk?.(chunk);
    for (let at = 0; at < chunk.length; at += sliceBytes) {
      const slice = at === 0 && chunk.length <= sliceBytes ? chunk : chunk.subarray(at, at + sliceBytes);
      const batch: IngestEvent[] = [];
      for (const ev of splitter.push(slice)) {
        const out = handle(ev);
        if (Array.isArray(out)) batch.push(...(out as readonly IngestEvent[]));
        else if (out) batch.push(out as IngestEvent);
        if (shouldStop()) {
          yield batch;
          return false;
        }
      }
      if (batch.length > 0) yield batch;
    }
  }
  const last: IngestEvent[] = [];
  for (const ev of splitter.end()) {
    const out = handle(ev);
    if (Array.isArray(out)) last.push(...(out as readonly IngestEvent[]));
    else if (out) last.push(out as IngestEvent);
    if (shouldStop()) {
      yield last;
      return false;
    }
  }
  yield last;
  return true;
}
