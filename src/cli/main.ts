/**
 * The command line: commander wiring only. Turns failures into exit codes and
 * one line on stderr (`decp-ocds: CODE: message`), as cli-contract.md fixes.
 */
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { EXIT, isPipelineError, writeRemedy } from '../core/errors.js';
import { processEffects, type Effects } from '../core/effects.js';
import { oneLine } from '../core/log.js';
import type { SignalPhase } from '../core/scratch.js';
import { registerDetect } from './commands/detect.js';
import { registerRun } from './commands/run.js';
import { registerConvert } from './commands/convert.js';
import { registerValidate } from './commands/validate.js';
import { registerCompile } from './commands/compile.js';
import { registerFlags } from './commands/flags.js';
import { acceptCommonOptions } from './options.js';

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };

/** Whether the command line asks for JSON log lines (`--log-format json`), read before commander parses it. */
const jsonLog = (argv: readonly string[]): boolean => argv.some((a, k) => a === '--log-format=json' || (a === '--log-format' && argv[k + 1] === 'json'));

/**
 * The contract's one line `decp-ocds: CODE: message`; under --log-format json, that line as the
 * message of a JSON line with its code and exit code (every stderr line then parses). With --debug,
 * the stack trace: after the line, or as its `stack` field under JSON.
 */
function fatalText(json: boolean, now: Date, code: string, text: string, exit: number, stack?: string): string {
  const line = `decp-ocds: ${code}: ${oneLine(text)}`;
  if (json) return `${JSON.stringify({ time: now.toISOString(), level: 'error', code, exitCode: exit, message: line, ...(stack === undefined ? {} : { stack }) })}\n`;
  return stack === undefined ? `${line}\n` : `${line}\n${stack}\n`;
}

/**
 * The one line of a command ended by a signal (Ctrl-C, a cron timeout's SIGTERM), as a fatal
 * failure's (`decp-ocds: INTERRUPTED: …`). The exit code is the signal's (130, 143, 129).
 */
export function interruptedLine(argv: readonly string[], signal: NodeJS.Signals, phase: SignalPhase = 'working', now: Date = new Date()): string {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
  const exit = 128 + (numbers[signal] ?? 0);
  const text =
    phase === 'published'
      ? `${signal} received: stopped after its output was published (exit ${exit}): the output is this run's; what it had left to tidy (older generations, the lock) the next run does`
      : `${signal} received: stopped before the end (exit ${exit}): its temporary files removed, nothing half-written left, the output as it was (a run's staging copy and lock are cleared by the next run)`;
  return fatalText(jsonLog(argv), now, 'INTERRUPTED', text, exit);
}

/** Run the CLI with `argv` (without node and script). Resolves to the exit code. */
export async function main(argv: readonly string[], effects: Effects = processEffects()): Promise<number> {
  let exitCode: number = EXIT.OK;
  const json = jsonLog(argv);
  const fatalLine = (code: string, text: string, exit: number, stack?: string): string => fatalText(json, effects.now(), code, text, exit, stack);
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command();
  program
    .name('decp-ocds')
    .description('French public-procurement data (DECP) to OCDS 1.1.5')
    .version(pkg.version)
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (s) => effects.stdout.write(s),
      writeErr: (s) => effects.stderr.write(s),
      outputError: (s, write) => write(fatalLine('CLI_USAGE', s.replace(/^error: /, '').trimEnd(), EXIT.USAGE)),
    });
  registerDetect(program, effects, setExit);
  registerConvert(program, effects, setExit);
  registerValidate(program, effects, setExit);
  registerCompile(program, effects, setExit);
  registerRun(program, effects, setExit);
  registerFlags(program, effects, setExit);
  for (const c of program.commands) {
    acceptCommonOptions(c);
    c.exitOverride();
  }

  // `help <command>` of a command that does not exist: commander shows the general help and exits 0
  const asked = argv[0] === 'help' ? argv[1] : undefined;
  if (asked !== undefined && !asked.startsWith('-') && !program.commands.some((c) => c.name() === asked || c.aliases().includes(asked))) {
    effects.stderr.write(fatalLine('CLI_USAGE', `unknown command '${asked}': expected one of ${program.commands.map((c) => c.name()).join(', ')} (decp-ocds --help)`, EXIT.USAGE));
    return EXIT.USAGE;
  }
  const debug = argv.includes('--debug');
  // a failed write to stdout (a full disk) is an output error, never lost; a closed pipe (the reader
  // went away: `decp-ocds convert … | head`) stops the command quietly, as Unix tools do: no error
  // line, and the exit code the command had reached (0 unless it had already set another)
  let outputError: Error | null = null;
  const onOutputError = (e: Error): void => {
    outputError ??= e;
  };
  effects.stdout.on('error', onOutputError);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    // everything written has reached stdout, or failed (an empty write calls back after the others);
    // only while writes are pending: a write done has said its failure, and a command that wrote
    // nothing there (`run`, `-o FILE`) must not fail on /dev/full, which refuses even 0 bytes
    if (outputError === null && !effects.stdout.destroyed && effects.stdout.writableLength > 0) await new Promise<void>((resolve) => effects.stdout.write('', () => resolve()));
    outputError ??= (effects.stdout.errored as Error | null) ?? null;
    if (outputError !== null) throw outputError;
    return exitCode;
  } catch (err) {
    if (isClosedPipe(err) || (isClosedPipe(outputError) && effects.stdout.destroyed)) return exitCode;
    if (err instanceof CommanderError) {
      // --help and --version exit 0; usage errors exit 2 (commander already printed the message)
      if (err.exitCode === 0) return EXIT.OK;
      // no command: commander printed the help as an error, without the contract's line
      if (err.code === 'commander.help') effects.stderr.write(fatalLine('CLI_USAGE', `no command given: expected one of ${program.commands.map((c) => c.name()).join(', ')} (decp-ocds --help)`, EXIT.USAGE));
      return EXIT.USAGE;
    }
    if (isPipelineError(err)) {
      effects.stderr.write(fatalLine(err.code, `${err.message}${err.remedy ? ` — ${err.remedy}` : ''}`, err.exitCode, debug ? err.stack : undefined));
      return err.exitCode;
    }
    const e = err as Error;
    if (OUTPUT_ERRNO.has((err as NodeJS.ErrnoException)?.code ?? '')) {
      effects.stderr.write(fatalLine('PUBLISH_WRITE', `cannot write the output: ${e.message} — ${writeRemedy(err)}`, EXIT.OUTPUT_UNWRITABLE));
      return EXIT.OUTPUT_UNWRITABLE;
    }
    effects.stderr.write(fatalLine('INTERNAL', `${e?.message ?? String(err)} — please report this with --debug output`, EXIT.USAGE, debug ? e?.stack : undefined));
    return EXIT.USAGE;
  } finally {
    // (a stream that failed may emit its 'error' after this returns: it stays listened to, never unhandled)
    if (!effects.stdout.errored) effects.stdout.off('error', onOutputError);
  }
}

/** System errors that only writing gives: a full disk or quota, a file too large, a read-only file system. */
const OUTPUT_ERRNO: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS']);

/** The reader of stdout went away (a closed pipe): not a failure of the command (see main). */
const isClosedPipe = (err: unknown): boolean => (err as NodeJS.ErrnoException | null)?.code === 'EPIPE';
