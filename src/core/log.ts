/**
 * Log lines for operators: plain text by default, one JSON object per line with
 * --log-format json (for cron log collectors). Always on stderr; stdout carries data.
 */
export type LogFormat = 'text' | 'json';
export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A message as one line whatever it holds (a path with a line break): the contract's lines are lines. */
export const oneLine = (text: string): string =>
  text
    .replace(/\r\n|[\r\n\t\u2028\u2029]/g, ' ')
    // other control characters (a file name or an ocid that holds ESC, BEL: a terminal would obey
    // them, clear the screen, retitle the window) are written as escapes
    // eslint-disable-next-line no-control-regex -- control characters are what this finds
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Issues of a file shown at most (the others are counted; detect lists them all, run.json counts them). */
const FILE_ISSUES_SHOWN = 20;

/**
 * What reading a file said without stopping there: an error it read past (a gzip stream cut short,
 * a syntax fault between records), then its own issues. A fatal error is the caller's (its exit code).
 */
export function logFileEnd(log: Logger, file: string, summary: { readonly issues: ReadonlyArray<{ readonly code: string; readonly message: string }>; readonly error?: { readonly code: string; readonly message: string; readonly fatal: boolean } | undefined }): void {
  if (summary.error !== undefined && !summary.error.fatal) log.warn(`${file}: ${summary.error.code}: ${summary.error.message}`, { code: summary.error.code, file });
  logFileIssues(log, file, summary.issues);
}

/**
 * A file's own issues (not its records'), as warnings: the first ones, then how many more. Each gives
 * its code and file as fields (a JSON line's `code`, what a collector filters on: the message starts
 * with the file, so the logger does not find it there).
 */
export function logFileIssues(log: Logger, file: string, issues: ReadonlyArray<{ readonly code: string; readonly message: string }>): void {
  for (const i of issues.slice(0, FILE_ISSUES_SHOWN)) log.warn(`${file}: ${i.code}: ${i.message}`, { code: i.code, file });
  if (issues.length > FILE_ISSUES_SHOWN) log.warn(`${file}: ${issues.length - FILE_ISSUES_SHOWN} more issue(s) of the file (decp-ocds detect lists them all)`, { file });
}

/** Where log lines go: stderr, or a progress bar in front of it (core/progress.ts: the bar is cleared first). */
export interface LineSink {
  write(text: string): unknown;
}

export function createLogger(stream: LineSink, format: LogFormat, quiet: boolean, now: () => Date): Logger {
  const write = (level: LogLevel, message: string, fields: Record<string, unknown> = {}): void => {
    if (quiet && level === 'info') return;
    if (format === 'json') {
      // (a message that starts with a code, `INGEST_NOT_FOUND: …`, gives it as a field too: what a collector filters on)
      const code = fields['code'] === undefined ? /^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+): /.exec(message)?.[1] : undefined;
      stream.write(`${JSON.stringify({ time: now().toISOString(), level, message, ...(code === undefined ? {} : { code }), ...fields })}\n`);
    } else {
      stream.write(`decp-ocds: ${level === 'warn' ? 'warning: ' : ''}${oneLine(message)}\n`);
    }
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
