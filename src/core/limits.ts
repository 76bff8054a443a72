/**
 * The longest staging line the store reads (DuckDB's read_csv `max_line_size` for the run's staging
 * files, see publish/store.ts). A record whose release would make a longer line is rejected by `run`
 * with a reason (say a 4 MB contract title, repeated in the release's tender, award and contract);
 * `convert` still writes it.
 */
export const STAGING_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * DuckDB's memory limit by default. The store's memory was most of the nightly job's peak: with
 * 512MB, a run of 1,000,000 records peaked at 841–1,046 MB over the sessions (over the 1 GB target
 * at times); with 384MB at 735–752 MB (two runs).
 */
export const DEFAULT_MEMORY_LIMIT = '384MB';
