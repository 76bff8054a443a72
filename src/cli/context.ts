/** What every command action needs: a logger configured from the common options. */
import type { Effects } from '../core/effects.js';
import { createLogger, type Logger } from '../core/log.js';
import type { CommonOptions } from './options.js';

export function contextOf(opts: CommonOptions, effects: Effects): { log: Logger } {
  return { log: createLogger(effects.stderr, opts.logFormat, opts.quiet, effects.now) };
}
