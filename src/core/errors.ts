/**
 * Failures: the one error class of the pipeline (house style, "errors: two kinds").
 * Record-level problems are not errors but Issues (see issues.ts).
 * `code` is API and stable; `message` is for people and may change.
 */

/** Every failure code, grouped by area. Adding a code is fine; renaming one is a breaking change. */
export const ERROR_CODES = {
  CLI_INVALID_OPTION: 2,
  CLI_USAGE: 2,
  INGEST_NOT_FOUND: 3,
  INGEST_UNREADABLE: 3,
  INGEST_EMPTY: 3,
  INGEST_UNKNOWN_FORMAT: 3,
  INGEST_ENCODING: 3,
  INGEST_SYNTAX: 3,
  INGEST_GZIP: 3,
  INGEST_GZIP_LIMIT: 3,
  /** A file that changed between its hashing and the end of its reading (`run`): nothing of it is loaded. */
  INGEST_CHANGED: 3,
  VALIDATE_SCHEMA_LOAD: 2,
  PUBLISH_WRITE: 4,
  PUBLISH_LOCKED: 4,
  PUBLISH_STORE: 4,
  INTERNAL: 2,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Where a failure happened, as far as it is known. */
export interface ErrorContext {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** Byte offset in the (decompressed) input. */
  readonly offset?: number;
  readonly pointer?: string;
  readonly ocid?: string;
  readonly option?: string;
}

export class PipelineError extends Error {
  override readonly name = 'PipelineError';
  readonly code: ErrorCode;
  readonly context: ErrorContext;
  /** What the user can do about it, shown by the CLI after the message. */
  readonly remedy: string | undefined;

  constructor(code: ErrorCode, message: string, options: { context?: ErrorContext; cause?: unknown; remedy?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = Object.freeze({ ...(options.context ?? {}) });
    this.remedy = options.remedy;
  }

  /** The exit code that the CLI uses for this failure (cli-contract.md). */
  get exitCode(): number {
    return ERROR_CODES[this.code];
  }
}

/** System errors that mean an output cannot be written (a full disk, a read-only or someone else's folder…): exit 4. */
// (EISDIR, ENOTDIR: a folder where an output file goes, or a file where its folder goes; EXDEV: a
// rename the file system refuses)
export const WRITE_ERRNOS: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EFBIG', 'EMFILE', 'ENFILE', 'EISDIR', 'ENOTDIR', 'EXDEV']);

/**
 * What to do about a system error met while writing an output (the contract's remedy on the error
 * line): by its code, a full disk, a folder this user may not write, a file where a folder goes.
 */
export function writeRemedy(err: unknown): string {
  switch ((err as NodeJS.ErrnoException | null)?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return 'free disk space where the output goes (or give a path on another disk), then run again';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'give an output path in a folder this user can write (or give it write access), then run again';
    case 'ENOTDIR':
      return 'a part of the output path is a file, not a folder: give another path';
    case 'EISDIR':
      return 'give a file name, not a folder';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files open: raise the limit of open files (ulimit -n) or lower --concurrency, then run again';
    case 'EIO':
      return 'the disk reported an input/output error: check the device (dmesg) or give a path on another disk, then run again';
    case 'EXDEV':
      return 'the output folder spans two file systems (a mount inside it): give an output folder on one file system';
    default:
      return 'free disk space, or give an output path this user can write, then run again';
  }
}

/**
 * A system error met while writing an output, as PUBLISH_WRITE (exit 4: "the output cannot be
 * written", not a bug to report); anything else as it is.
 */
export function asWriteError(err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (isPipelineError(err) || typeof code !== 'string' || !WRITE_ERRNOS.has(code)) return err;
  return new PipelineError('PUBLISH_WRITE', (err as Error).message, { cause: err, remedy: 'free disk space, or give an output folder (and subfolders) this user can write, then run again' });
}

export function isPipelineError(value: unknown): value is PipelineError {
  return value instanceof PipelineError;
}

/** Exit codes of the command-line contract. */
export const EXIT = {
  OK: 0,
  FOUND_ERRORS: 1,
  USAGE: 2,
  INPUT_UNREADABLE: 3,
  OUTPUT_UNWRITABLE: 4,
} as const;
