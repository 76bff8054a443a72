/** Library API: the CLI is a thin shell over these. */
export { PipelineError, isPipelineError, ERROR_CODES, EXIT, type ErrorCode, type ErrorContext } from './core/errors.js';
export type { Issue, IssueCode, Severity } from './core/issues.js';
export { readInputs, readInputBatches, readFile, readChunks, normalizeIngestOptions, type IngestOptions } from './ingest/reader.js';
export type { SourceRecord, RejectedRecord, IngestEvent, FileSummary, SourceFileInfo, Provenance, InputFormat, DecpVersion, RecordType } from './ingest/types.js';
export { JsonRecordSplitter } from './ingest/json-splitter.js';
export { hashFile, expandInputs, type ExpandedInput } from './ingest/source.js';
export { runJob, DEMO_DATA_DIR, type RunOptions, type RunReport } from './run-job.js';
