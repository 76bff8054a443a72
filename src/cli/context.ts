/** What every command action needs: a logger configured from the common options. */
import type { Effects } from '../core/effects.js';
import { createLogger, type LineSink, type Logger } from '../core/log.js';
import { createProgress, type Progress } from '../core/progress.js';
import type { CommonOptions } from './options.js';

/** With `progress` (a bar on stderr), log and summary lines go through it: the bar's line is cleared before each. */
export function contextOf(opts: CommonOptions, effects: Effects, progress?: Progress): { log: Logger; summary: (text: string, counts: object) => void; skipped: (path: string, why?: 'hidden' | 'output') => void } {
  const stderr: LineSink = progress ? { write: (text: string) => progress.print(text) } : effects.stderr;
  const log = createLogger(stderr, opts.logFormat, opts.quiet, effects.now);
  return {
    log,
    // a file of an input folder left out as documentation (IngestOptions.skipped): said, never silent
    skipped: (path, why) =>
      log.info(
        why === 'hidden'
          ? `${path}: left out of the folder's inputs as hidden (its name starts with a dot; a folder is not walked); name it to read it`
          : why === 'output'
            ? `${path}: left out of the folder's inputs as a decp-ocds output folder (decp.duckdb, run.json: the pipeline's own files, not read again as data); name a file of it to read it`
            : `${path}: left out of the folder's inputs as documentation (not data by its name nor its first bytes); name the file to read it`,
      ),
    // a command's last line, what it did: printed even with --quiet; one JSON object, with the
    // counts as fields, with --log-format json (a log collector reads every line as JSON)
    summary: (text, counts) => {
      stderr.write(opts.logFormat === 'json' ? `${JSON.stringify({ time: effects.now().toISOString(), level: 'info', message: text, summary: counts })}\n` : `decp-ocds: ${text}\n`);
    },
  };
}

/**
 * The progress bar of a command that reads data: on stderr when it is a terminal, unless --no-progress,
 * --quiet, JSON logs (every stderr line a JSON object), or the command's data going to the terminal
 * too (`toStdout`: its lines and the bar would share the screen).
 */
export function progressOf(opts: CommonOptions, effects: Effects, toStdout = false): Progress | undefined {
  return createProgress(effects.stderr, effects.isTTY, opts.progress !== false && !opts.quiet && opts.logFormat !== 'json' && !(toStdout && effects.stdoutIsTTY === true));
}
