#!/usr/bin/env node
import { writeSync } from 'node:fs';
import { interruptedLine, main } from '../dist/cli/main.js';
import { removeScratchOnSignals } from '../dist/core/scratch.js';
// A closed pipe (`decp-ocds convert … | head`) ends the command quietly, as Unix tools do: main() stops
// it without an error line (README, exit codes); this only keeps a late EPIPE from crashing the process.
process.stdout.on('error', (err) => (err.code === 'EPIPE' ? undefined : (process.exitCode ||= 4)));
// A closed stderr (a log reader that went away) loses the log lines, not the command: it goes on and
// exits with its own code (nothing else could be told of it anyway).
process.stderr.on('error', () => undefined);
// Interrupted (Ctrl-C, a cron timeout's SIGTERM): no temp file or scratch folder is left behind, and
// one line says so on stderr.
removeScratchOnSignals((signal, phase) => writeSync(2, interruptedLine(process.argv.slice(2), signal, phase)));
process.exitCode = await main(process.argv.slice(2));
