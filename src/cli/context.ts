/** What every command action needs: a logger configured from the common options. */
import type { Effects } from '../core/effects.js';
import { createLogger, type Logger } from '../core/log.js';
import type { CommonOptions } from './options.js';

export function contextOf(opts: CommonOptions, effects: Effects): { log: Logger; summary: (text: string, counts: object) => void } {
  return {
    log: createLogger(effects.stderr, opts.logFormat, opts.quiet, effects.now),
    // a command's last line, what it did: printed even with --quiet; one JSON object, with the
    // counts as fields, with --log-format json (a log collector reads every line as JSON)
    summary: (text, counts) => {
      effects.stderr.write(opts.logFormat === 'json' ? `${JSON.stringify({ time: effects.now().toISOString(), level: 'info', message: text, summary: counts })}\n` : `decp-ocds: ${text}\n`);
    },
  };
}
