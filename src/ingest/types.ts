/**
 * Types that ingest hands to the rest of the pipeline.
 * A SourceRecord is one DECP record (marché or contrat de concession) or one
 * OCDS release/record, as a plain object, with where it came from.
 */
import type { Issue, IssueCode } from '../core/issues.js';
import type { Encoding } from './decode.js';

/** What a file is, as `detect` reports it. */
export type InputFormat =
  | 'decp-json'
  | 'decp-xml'
  | 'decp-jsonl'
  | 'ocds-release-package'
  | 'ocds-record-package'
  | 'ocds-jsonl'
  | 'ocds-json'
  | 'csv'
  | 'empty'
  | 'unknown';

/**
 * DECP regulatory generation of a record: 2019 (arrêté du 22 mars 2019, schema 1.5.0),
 * 2024 (arrêtés du 22 décembre 2022, schemas 2.0.1+, wrapped lists) or the
 * 2023 interim flat shape (draft schema 2.0.0: 2024 field names, flat lists).
 */
export type DecpVersion = '2019' | '2024' | '2023-interim';

export type RecordType = 'marche' | 'contrat-concession' | 'release' | 'record' | 'unknown';

/** Where a record is in its source. Every record and every reject carries one. */
export interface Provenance {
  /** Path as given (or "-" for stdin). */
  readonly file: string;
  /** SHA-256 of the file's bytes as stored (compressed bytes for .gz). */
  readonly sha256: string;
  /** 0-based position among the file's records (rejects included). */
  readonly index: number;
  /** 1-based line of the record's first byte (in the decompressed text). */
  readonly line: number;
  /** Byte offset of the record's first byte (decompressed); absent for XML. */
  readonly offset?: number;
  /** 1-based column (XML only). */
  readonly column?: number;
}

export interface SourceRecord {
  readonly type: RecordType;
  /** DECP generation; null for OCDS data. */
  readonly version: DecpVersion | null;
  readonly data: Record<string, unknown>;
  readonly provenance: Provenance;
  /** Quality issues found while reading (the record is kept). */
  readonly issues: Issue[];
  /**
   * The record's JSON text when `data` is exactly its parse (JSON inputs read on
   * the fast path): stages that pass records on unchanged reuse it instead of
   * serialising again.
   */
  readonly text?: string;
  /**
   * Columns a CSV header names again, as read (`nom_2`) → the name given (`nom`): what the profile
   * reads or withholds under that name covers them too.
   */
  readonly aliases?: Readonly<Record<string, string>>;
  /**
   * A flat DECP contract of several rows (group-rows.ts flatRecord): its supplier and modification
   * columns renumbered after the rows before (`titulaire.id_2`, the second row's `titulaire.id`) → the
   * column as the rows name it. The flags that name a column name the file's (KEY_RESPELLED, KEY_SYNONYM).
   */
  readonly renamed?: Readonly<Record<string, string>>;
}

/** A record that could not be read. Goes to the rejects output. */
export interface RejectedRecord {
  readonly provenance: Provenance;
  /**
   * The ocid the record gave, when it was read before the record was rejected: an OCDS record's own
   * (rejected for its releases), the ocid of the release at fault (a release too large for the store,
   * one without a usable id), a DECP record's once built (its id and buyer read). Absent when the
   * record gave none (it does not parse; a DECP record without an id or a buyer; an ocid that is not
   * a non-blank string). rejects.jsonl and the store's `rejects.ocid` write it null then.
   */
  readonly ocid?: string;
  readonly code: IssueCode;
  readonly reason: string;
  /** The first bytes of the record, for a human to find it. */
  readonly excerpt?: string;
  /** The party id of the record's buyer, when it could be read (a record without an id): reports group by buyer. */
  readonly buyer?: string;
}

export interface SourceFileInfo {
  readonly file: string;
  readonly sha256: string;
  /** Size on disk, in bytes. */
  readonly size: number;
  readonly compressed: 'gzip' | null;
}

/** What reading a file found, at its end. */
export interface FileSummary {
  readonly format: InputFormat;
  /** DECP generation, or the OCDS version of a package; null when unknown. */
  readonly version: string | null;
  /** The file's encoding (UTF-16 is decoded into UTF-8 first: its offsets are those of that UTF-8). */
  readonly encoding: Encoding | 'utf-16le' | 'utf-16be';
  readonly bom: boolean;
  /** Records read = records accepted + records rejected. */
  readonly read: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Bytes after decompression. */
  readonly bytes: number;
  /** Record counts by type. */
  readonly types: Readonly<Partial<Record<RecordType, number>>>;
  /** File-level problems (DOCTYPE ignored, truncated document, …). */
  readonly issues: readonly Issue[];
  /** Set when the file could not be read at all, or reading stopped early. */
  readonly error?: { readonly code: string; readonly message: string; readonly fatal: boolean };
  /** Package metadata (OCDS packages: publisher, version, …), when small: the last package's. */
  readonly meta?: Record<string, unknown>;
  /**
   * The metadata of every package of the file (several when packages are concatenated, listed
   * `[{…}, {…}]` or one per line: each says who publishes its releases, under which licence), each
   * distinct one once (its publishedDate aside).
   */
  readonly packages?: ReadonlyArray<Record<string, unknown>>;
  /**
   * The metadata of the file's packages as validate checks them against the package schema: each
   * different one once, publishedDate included (the first 10,000), with where its package starts —
   * its line, and its pointer in the JSON document there (`/results/3`, else empty).
   */
  readonly packageChecks?: ReadonlyArray<{ readonly meta: Record<string, unknown>; readonly line: number; readonly pointer: string }>;
}

/**
 * An OCDS release handed over as its bytes, unparsed (only with the ingest option `releaseText`):
 * its layout is the pipeline's own (`{"ocid":"…","id":"…","date":"…","tag":[`), its bytes are valid
 * UTF-8 on one line, and nothing in it needs ingest's careful path, so parsing it gives exactly
 * what a `record` event would have carried. Whether it parses at all is left to the consumer
 * (compile parses it anyway, later): one that does not is the consumer's reject, with this
 * provenance (see compile.ts).
 */
export interface ReleaseText {
  readonly ocid: string;
  /** The release's JSON (valid until the next batch: copy what is kept). */
  readonly bytes: Buffer;
  readonly provenance: Provenance;
}

export type IngestEvent =
  | { readonly type: 'file-start'; readonly file: SourceFileInfo }
  | { readonly type: 'record'; readonly record: SourceRecord }
  | { readonly type: 'release-text'; readonly release: ReleaseText }
  | {
      readonly type: 'reject';
      readonly reject: RejectedRecord;
      /**
       * The rejected record's text past its excerpt, for a profile to look for a natural person's
       * marker in before it quotes the excerpt (a name's `EI` may come after the excerpt, with the
       * same supplier given again): its first REJECT_SCAN_BYTES, or null when the record is longer
       * (not looked at: the excerpt is then not quoted where persons are looked for). Never
       * published. Absent when the excerpt is the whole record, or there is none.
       */
      readonly text?: string | null;
    }
  | { readonly type: 'file-end'; readonly file: SourceFileInfo; readonly summary: FileSummary };
