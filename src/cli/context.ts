/** What every command action needs: a logger configured from the common options. */
import type { Effects } from '../core/effects.js';
import { createLogger, type LineSink, type Logger } from '../core/log.js';
import type { Progress } from '../core/progress.js';
import type { CommonOptions } from './options.js';

/** With `progress` (a bar on stderr), log and summary lines go through it: the bar's line is cleared before each. */
export function contextOf(opts: CommonOptions, effects: Effects, progress?: Progress): { log: Logger; summary: (text: string, counts: object) => void } {
  const stderr: LineSink = progress ? { write: (text: string) => progress.print(text) } : effects.stderr;
  return {
    log: createLogger(stderr, opts.logFormat, opts.quiet, effects.now),
    // a command's last line, what it did: printed even with --quiet; one JSON object, with the
    // counts as fields, with --log-format json (a log collector reads every line as JSON)
    summary: (text, counts) => {
      stderr.write(opts.logFormat === 'json' ? `${JSON.stringify({ time: effects.now().toISOString(), level: 'info', message: text, summary: counts })}\n` : `decp-ocds: ${text}\n`);
    },
  };
}
