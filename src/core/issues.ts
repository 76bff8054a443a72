/**
 * Issues are data (house style): a record-level problem becomes an Issue that
 * travels with the record or goes to the rejects output. They never throw.
 */

export type Severity = 'error' | 'warning' | 'info';

/** Issue codes are API, like failure codes. */
export type IssueCode =
  // ingest: the record could not be read (it is rejected)
  | 'INGEST_RECORD_SYNTAX'
  | 'INGEST_RECORD_TRUNCATED'
  | 'INGEST_RECORD_TOO_LARGE'
  | 'INGEST_RECORD_TOO_DEEP'
  | 'INGEST_RECORD_NOT_OBJECT'
  | 'INGEST_XML_ENTITY'
  | 'INGEST_FILE_SYNTAX'
  // ingest: quality issues (the record is kept)
  | 'INGEST_FORBIDDEN_KEY'
  | 'INGEST_MOJIBAKE'
  | 'INGEST_ENCODING_FALLBACK'
  | 'INGEST_ENCODING_DECLARED_WRONG'
  | 'INGEST_ENCODING_OPTION_IGNORED'
  | 'INGEST_DUPLICATE_ELEMENT'
  | 'INGEST_DUPLICATE_KEY'
  | 'INGEST_JSON_DUPLICATE_KEY'
  | 'INGEST_XML_DOCTYPE_IGNORED'
  | 'INGEST_XML_ATTRIBUTES_DROPPED'
  | 'INGEST_XML_TEXT_DROPPED'
  | 'INGEST_LONG_NUMBER_AS_STRING'
  | 'INGEST_UNKNOWN_RECORD_TYPE'
  | 'INGEST_RECORD_MISFILED'
  | 'INGEST_BUYER_KEY_OTHER_KIND'
  | 'INGEST_GENERATION_MIXED'
  | 'INGEST_JSON_REPAIRED'
  | 'INGEST_XML_REPAIRED'
  | 'INGEST_GROUP_ROWS_REJECTED'
  | 'INGEST_GROUP_VALUES_DIFFER'
  | 'INGEST_PROFILE_COLUMN_MISSING'
  | 'INGEST_PROFILE_DATE_ORDER'
  // transform: the record cannot become a release (it is rejected)
  | 'TRANSFORM_NO_ID'
  | 'TRANSFORM_NO_BUYER_ID'
  | 'TRANSFORM_UNSUPPORTED_RECORD'
  | 'TRANSFORM_RELEASE_TOO_LARGE'
  // transform: an OCDS record without embedded releases gave its compiledRelease (kept, said)
  | 'TRANSFORM_COMPILED_RELEASE_ONLY'
  | 'TRANSFORM_LINKED_RELEASES_LEFT'
  // transform: an OCDS record embeds a release of another ocid (compiled under its own, said)
  | 'TRANSFORM_RECORD_OCID_MISMATCH'
  // … whose tag was not ["compiled"] (tagged so, said)
  | 'TRANSFORM_COMPILED_RELEASE_TAG';

export interface Issue {
  readonly code: IssueCode;
  readonly severity: Severity;
  readonly message: string;
  /** JSON pointer inside the record, when the issue concerns one value. */
  readonly pointer?: string;
  readonly file?: string;
  readonly line?: number;
  readonly offset?: number;
  readonly ocid?: string;
  /** The value concerned, as the source gave it (a duplicate element's dropped value). */
  readonly raw?: unknown;
}

export function issue(code: IssueCode, severity: Severity, message: string, where: Omit<Issue, 'code' | 'severity' | 'message'> = {}): Issue {
  return { code, severity, message, ...where };
}
