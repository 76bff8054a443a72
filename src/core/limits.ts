/**
 * The longest staging line the store reads (DuckDB's read_csv `max_line_size` for the run's staging
 * files, see publish/store.ts). A record whose release would make a longer line is rejected by `run`
 * with a reason (say a 4 MB contract title, repeated in the release's tender, award and contract);
 * `convert` still writes it.
 */
export const STAGING_MAX_LINE_BYTES = 16 * 1024 * 1024;
