/**
 * Shared command-line options, defined once (like ocdskit's add_package_arguments)
 * and normalised into typed options with every default applied in one place.
 */
import { DECP_OCID_PREFIX } from '../ingest/profiles.js';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { availableParallelism } from 'node:os';
import { statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { PipelineError } from '../core/errors.js';
import { ENCODING_CHOICES, normalizeEncodingLabel, type Encoding } from '../ingest/decode.js';
import { daysInMonth } from '../transform/dates.js';
import type { LogFormat, Logger } from '../core/log.js';
import { DEFAULT_MEMORY_LIMIT } from '../core/limits.js';

/**
 * A parser of whole-number options between `min` and `max`, written in digits only: "1.5", "1e9",
 * "0x10", "abc" and "" are refused with a usage error (exit 2, one line), never read as NaN or
 * rounded.
 */
function wholeNumberIn(min: number, max: number = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? (min === 0 ? 'a whole number' : min === 1 ? 'a positive whole number' : `a whole number of at least ${min}`) : `a whole number from ${min} to ${max}`;
      throw new InvalidArgumentError(`expected ${range}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

const positiveInt = wholeNumberIn(1);

/**
 * The deepest --max-depth accepted: the pipeline walks a record's values recursively (convert's
 * withholding of names, the checks, the merge), and past about 2,500 levels a walk ran out of stack
 * (`INTERNAL: Maximum call stack size exceeded`, the run lost). 1,000 levels are read, converted,
 * validated and compiled (tested); no real record comes near.
 */
const MAX_DEPTH = 1000;
export const nonNegativeInt = wholeNumberIn(0);
/** A package's URI (uri, license, publicationPolicy, an extension's URL): absolute, as OCDS's `uri` format asks. */
export function absoluteUri(value: string): string {
  let ok = false;
  try {
    ok = value.trim() === value && new URL(value).protocol !== '';
  } catch {
    ok = false;
  }
  if (!ok) throw new InvalidArgumentError(`expected an absolute URI (https://…, file:…), got ${JSON.stringify(value)}`);
  return value;
}

/** A folder's URL (where ocds/ is published): absolute, without a query or fragment (the files' URLs are made under it). */
function folderUrl(value: string): string {
  const url = absoluteUri(value);
  const parsed = new URL(url);
  if (parsed.search !== '' || parsed.hash !== '') throw new InvalidArgumentError(`expected the URL of a folder, without a query or a fragment, got ${JSON.stringify(value)}`);
  return url;
}

/** A name (a publisher's): not blank. */
export function nonBlank(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('expected a name, got a blank text');
  return value;
}

/** Worker threads: one per core is the useful most; thousands would only exhaust memory. */
export const MAX_CONCURRENCY = 256;
export const concurrency = wholeNumberIn(1, MAX_CONCURRENCY);

/** Sizes: "16MB", "4GiB", "1024". */
function parseSize(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$/i.exec(value);
  if (!m) throw new InvalidArgumentError(`expected a size such as 16MB or 4GiB, got ${JSON.stringify(value)}`);
  const unit = (m[2] ?? '').toLowerCase().replace(/i?b$/, '');
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[unit];
  if (mult === undefined) throw new InvalidArgumentError(`unknown size unit in ${JSON.stringify(value)}`);
  const n = Math.round(Number(m[1]) * mult);
  if (n <= 0) throw new InvalidArgumentError(`expected a positive size, got ${JSON.stringify(value)}`);
  return n;
}

/** The inputs of a command that reads stdin when given none (`decp-ocds convert < file`). */
export function orStdin(inputs: readonly string[]): string[] {
  return inputs.length === 0 ? ['-'] : inputPaths(inputs);
}

/** The input paths as given, none empty (`run ""`: an unset shell variable names no file, nor the current folder). */
export function inputPaths(inputs: readonly string[]): string[] {
  if (inputs.some((i) => i.trim() === '')) throw new PipelineError('CLI_INVALID_OPTION', 'an input path is empty ("")', { remedy: 'give a file or folder, or "-" for stdin' });
  return [...inputs];
}

/**
 * No output a command writes is one of its input files (`convert feed.json -o feed.json`, or a link
 * to it): writing it would replace the data being read. Checked before any output is opened.
 * Returns the output files, for the reading to leave out of the folders it walks (IngestOptions
 * `exclude`): an output inside an input folder, and its temporary file, are never read as input.
 */
export function outputsNotInputs(outputs: ReadonlyArray<readonly [option: string, path: string | undefined]>, inputs: readonly string[]): string[] {
  // the input files as the file system knows them (device and inode: another spelling, a link)
  const inputFiles = inputs.flatMap((i) => {
    const st = i === '-' ? null : statOrNull(i);
    return st !== null && st.isFile() ? [[st.dev, st.ino] as const] : [];
  });
  for (const [option, path] of outputs) {
    if (path === undefined || path === '-' || path === '') continue;
    const st = statOrNull(path);
    if (st !== null && st.isFile() && inputFiles.some(([dev, ino]) => dev === st.dev && ino === st.ino)) {
      throw new PipelineError('CLI_INVALID_OPTION', `${option} names an input file (${path}): writing it would replace the data being read`, { context: { option }, remedy: 'give the output another file' });
    }
  }
  return outputs.flatMap(([, path]) => (path === undefined || path === '-' || path === '' ? [] : [path]));
}

/**
 * The files a command reads as its settings (`--profile`, `--schema`, `--extension`), for the reading
 * to leave out of the input folders it walks (IngestOptions `exclude`): a partner keeps the profile
 * beside the data it maps, and it is no data record (read as one, it was a reject every night).
 */
export function settingsFiles(...paths: ReadonlyArray<string | readonly string[] | undefined>): string[] {
  return paths.flatMap((p) => (p === undefined ? [] : typeof p === 'string' ? [p] : [...p])).filter((p) => p !== '' && p !== '-');
}

/**
 * The files a command writes, by option, checked apart before any is opened: two options naming one
 * file (`-o x --rejects x`) would each replace it with half of the output (stdout, "-", aside); nor
 * may one be an input file (outputsNotInputs). Returns the output files (see outputsNotInputs).
 */
export function distinctOutputs(outputs: ReadonlyArray<readonly [option: string, path: string | undefined]>, inputs: readonly string[]): string[] {
  const files = outputsNotInputs(outputs, inputs);
  const seen = new Map<string, string>();
  // stdout takes one output (the first, the data, when it names no file): two there would mix
  const onStdout = outputs.filter(([, path], k) => path === '-' || (k === 0 && path === undefined));
  if (onStdout.length > 1) throw new PipelineError('CLI_INVALID_OPTION', `${onStdout[1]![0]} - would write to stdout, which carries ${onStdout[0]![0]}'s lines: give it a file`, { context: { option: onStdout[1]![0] } });
  for (const [option, path] of outputs) {
    if (path === undefined || path === '-' || path === '') continue;
    // (a device or a pipe, /dev/null, /dev/stdout, is written straight to: two may share one)
    const st = statOrNull(path);
    if (st !== null && !st.isFile()) continue;
    const at = resolve(path);
    const before = seen.get(at);
    if (before !== undefined) throw new PipelineError('CLI_INVALID_OPTION', `${before} and ${option} name the same file (${path}): each output needs its own`, { context: { option } });
    seen.set(at, option);
  }
  return files;
}

const statOrNull = (path: string): Stats | null => {
  try {
    return statSync(path);
  } catch {
    return null;
  }
};

/** DuckDB's memory limit as DuckDB reads it (`512MB`, `2GiB`), checked here: DuckDB's own refusal came as an internal error. */
function memoryLimit(value: string): string {
  const v = value.trim();
  if (!/^\d+(\.\d+)?\s*([KMGT]i?B|B)$/i.test(v)) throw new InvalidArgumentError(`expected a size such as 512MB or 2GiB, got ${JSON.stringify(value)}`);
  // (measured: the store's loads read their files through buffers of 32 MiB, two threads at once;
  // below ~150 MB the first load of a run fails whatever the data's size)
  if (parseSize(v) < 160 * 1024 ** 2 * 0.95) throw new InvalidArgumentError(`expected at least 160MB (the store's loads need it, whatever the data's size), got ${JSON.stringify(value)}`);
  return v;
}

function encoding(value: string): Encoding {
  const e = normalizeEncodingLabel(value);
  if (!e) throw new InvalidArgumentError(`unsupported encoding ${JSON.stringify(value)} (use ${ENCODING_CHOICES})`);
  return e;
}

/** For repeatable options (`--report a --report b`). */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Options every command takes. */
export function addCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--log-format <format>', 'log lines on stderr').choices(['text', 'json']).default('text'))
    .option('--quiet', 'only warnings, errors and the summary line on stderr', false)
    .option('--debug', 'print stack traces of failures', false);
}

/**
 * The common options of cli-contract.md that a command has no use for: accepted all the same (a
 * cron line that gives them to every command must not fail with a usage error), and said to have
 * no effect there.
 */
export function acceptCommonOptions(cmd: Command): void {
  const has = (flag: string): boolean => cmd.options.some((o) => o.long === flag);
  const unused = '(a common option: no effect on this command)';
  if (!has('--ocid-prefix')) cmd.option('--ocid-prefix <prefix>', `ocid prefix ${unused}`);
  if (!has('--concurrency')) cmd.option('--concurrency <n>', `parallelism ${unused}`, concurrency);
  if (!has('--sample')) cmd.option('--sample <n>', `stop after N records ${unused}`, positiveInt);
  if (!has('--progress')) cmd.option('--progress', `progress bar ${unused}`);
  if (!has('--no-progress')) cmd.option('--no-progress', `no progress bar ${unused}`);
}

/** Options of every command that reads data. */
export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('--encoding <name>', 'force the text encoding of the inputs (utf-8, latin1/windows-1252, iso-8859-15, windows-1251…: any single-byte encoding by its WHATWG label)', encoding)
    .option('--sample <n>', 'stop after N records', positiveInt)
    .option('--max-record-bytes <size>', 'largest record accepted', parseSize, 16 * 1024 * 1024)
    .option('--max-depth <n>', `deepest nesting accepted inside a record (at most ${MAX_DEPTH})`, wholeNumberIn(1, MAX_DEPTH), 64)
    .option('--max-expanded-bytes <size>', 'largest decompressed size of a gzip input', parseSize, 8 * 1024 ** 3);
}

/** An RFC 3339 date-time (OCDS's `date-time`: seconds and a zone), on a day that exists. */
export function isoDateTime(given: string): string {
  // (RFC 3339 allows a lower-case `t` and `z`: read as the same instant, written as OCDS writes it)
  const value = given.toUpperCase();
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/.exec(value);
  const n = (k: number): number => Number(m![k] ?? 0);
  if (m === null || n(2) < 1 || n(2) > 12 || n(3) < 1 || n(3) > daysInMonth(n(1), n(2)) || n(4) > 23 || n(5) > 59 || n(6) > 59 || n(9) > 23 || n(10) > 59) {
    throw new InvalidArgumentError(`expected an ISO date-time with seconds and a zone on a day that exists (2026-01-02T03:04:05Z), got ${JSON.stringify(given)}`);
  }
  return value;
}

/** A registered OCID prefix's form (`ocds-` and six letters or digits): another can name no publisher's ocids. */
export function ocidPrefix(value: string): string {
  if (!/^ocds-[a-z0-9]{6}$/.test(value)) {
    // (ocids are compared case-sensitively: an upper-case prefix would name other processes than the registered one's)
    const lower = /^ocds-[a-z0-9]{6}$/i.test(value) ? ` (prefixes are issued lower-case: ${value.toLowerCase()})` : '';
    // (found by a partner's probe: `ocds-test` was refused without the form a prefix takes, nor where to get one)
    throw new InvalidArgumentError(`expected a registered prefix, "ocds-" and six lower-case letters or digits, such as ocds-78apv2, got ${JSON.stringify(value)}${lower}; a publisher without one asks the OCDS Data Support Team for its own (https://standard.open-contracting.org/latest/en/schema/identifiers/#contracting-process-identifier-ocid)`);
  }
  return value;
}

/** Options of the commands that map data to OCDS. */
export function addMappingOptions(cmd: Command): Command {
  return cmd
    .option('--profile <file>', 'mapping profile (default: the bundled DECP profile, mappings/decp.json)')
    .option('--ocid-prefix <prefix>', `registered OCID prefix (default: the profile's settings.ocidPrefix, else ${DECP_OCID_PREFIX})`, ocidPrefix)
    .option('--run-date <datetime>', 'date-time used for releases whose record has no date at all (default: now)', isoDateTime)
    .option('--max-rejects <n>', 'exit with code 1 when more records than this are rejected', nonNegativeInt)
    .option('--concurrency <n>', `files converted in parallel (worker threads, 1 to ${MAX_CONCURRENCY}; the output order stays the input order)`, concurrency, Math.min(MAX_CONCURRENCY, Math.max(1, availableParallelism())));
}

export interface MappingOptions {
  concurrency: number;
  profile?: string;
  /** Not given: the profile's (settings.ocidPrefix), else DECP's (ingest/profiles.ts publishingOf). */
  ocidPrefix?: string;
  runDate?: string;
}

/** The package metadata options (PublisherOptions), each command's help saying what it publishes and its defaults. */
export interface PublisherHelp {
  readonly publisherName: string;
  readonly publisherUri: string;
  readonly license: string;
  readonly publicationPolicy: string;
}

/** The packages' publisher, licence and publication policy as given on the command line (addPublisherOptions). */
export interface PublisherOptions {
  publisherName?: string;
  publisherUri?: string;
  license?: string;
  publicationPolicy?: string;
}

/**
 * The options that say who publishes a package and under which terms: `run`'s ocds/ packages and
 * `compile --package`'s record package take the same, one definition (their names and checks: a
 * publisher's name not blank, URIs absolute), each command's help its own defaults.
 */
export function addPublisherOptions(cmd: Command, help: PublisherHelp): Command {
  return cmd
    .option('--publisher-name <name>', help.publisherName, nonBlank)
    .option('--publisher-uri <url>', help.publisherUri, absoluteUri)
    .option('--license <url>', help.license, absoluteUri)
    .option('--publication-policy <url>', help.publicationPolicy, absoluteUri);
}

export function addRunOptions(cmd: Command): Command {
  return addPublisherOptions(addRunOwnOptions(cmd), {
    publisherName: "publisher of the OCDS packages in ocds/ (default: the profile's settings.publisher, else Etalab; a partner publishing its own data names itself)",
    publisherUri: "the publisher's URI in the OCDS packages (default: the profile's settings.publisher.uri, unless --publisher-name names another)",
    license: 'licence of the OCDS packages in ocds/ (default: Licence Ouverte 2.0)',
    publicationPolicy: "publication policy of the OCDS packages in ocds/ (default: the DECP consolidated files')",
  });
}

function addRunOwnOptions(cmd: Command): Command {
  return addMappingOptions(cmd)
    .option('-o, --out <dir>', 'output folder', 'out')
    .option('--versioned', 'add the versionedRelease to every record', false)
    .option('--gzip-level <n>', 'gzip level of ocds/ files: 1 (fastest) to 9 (smallest)', wholeNumberIn(1, 9), 6)
    .option('--memory-limit <size>', "DuckDB's memory limit (it spills to disk beyond; at least 160MB)", memoryLimit, DEFAULT_MEMORY_LIMIT)
    .option('--rehash', 'hash every input again, even a file whose path, size and modification time are those of a file already read', false)
    .option('--rebuild', 'when the store must be rebuilt (another version of decp-ocds, other release settings, its out/.members files lost, the store damaged), rebuild it from this run\'s inputs even if they leave out sources it holds (without it, such a run stops with exit 2)', false)
    .option('--publication-url <url>', "where the ocds/ folder will be published: the packages' uri in ocds/release-package.json and ocds/record-package.json, and x_decp's URL", folderUrl)
    .option('--local-extension-url <url>', 'where ocds/x_decp/extension.json will be published, if not under --publication-url: declared in the package metadata', absoluteUri)
    .option('--chunk-size <ocids>', 'ocids per chunk of ocds/ (a run rewrites the chunks it touches and recompresses their touched blocks of about 128 ocids: smaller chunks are fewer bytes to copy per night, more files)', positiveInt, 1024);
}

/** The progress bar of a command that reads data (core/progress.ts; cli/context.ts progressOf). */
export function addProgressOptions(cmd: Command): Command {
  return cmd
    .option('--progress', 'progress bar on stderr when it is a terminal (default; none with --quiet, --log-format json, or the output on the terminal)')
    .option('--no-progress', 'no progress bar');
}

export interface CommonOptions {
  logFormat: LogFormat;
  quiet: boolean;
  debug: boolean;
  /** --progress / --no-progress (commands that read data: addProgressOptions). */
  progress?: boolean;
}

export interface InputOptions {
  encoding?: Encoding;
  sample?: number;
  maxRecordBytes: number;
  maxDepth: number;
  maxExpandedBytes: number;
}

/**
 * More records rejected than --max-rejects allows? Then said and true (the command exits 1 after its
 * outputs are written: no failure, so the code is its line's, not one of core/errors.ts's).
 */
export function tooManyRejects(log: Logger, rejected: number, max: number | undefined, unreadable = false): boolean {
  if (max === undefined || rejected <= max) return false;
  // (a file that could not be read makes the exit code 3, which wins: said so)
  log.error(`INGEST_TOO_MANY_REJECTS: ${rejected} records rejected, more than --max-rejects ${max}: exit ${unreadable ? '3 (a file could not be read)' : '1'}`);
  return true;
}
