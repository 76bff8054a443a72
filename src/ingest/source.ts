/**
 * Byte sources for ingest: files, folders and stdin → decompressed chunks.
 *
 * - Folders are walked recursively, sorted by path (cli-contract.md).
 * - stdin is spooled to a temporary file first, so that every source has a
 *   content hash before its first record (the nightly job skips files it has
 *   already read by that hash) and memory stays flat.
 * - gzip is recognised by its magic bytes, never by the file name; the
 *   expanded size is capped (`maxExpandedBytes`) so that a "zip bomb" stops
 *   with a clear error instead of filling the disk or memory. A gzip file
 *   whose content is gzip again (compressed twice) is decompressed once more,
 *   under the same cap; no deeper.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, readdir, realpath, rm, stat, type FileHandle } from 'node:fs/promises';
import { scratchDir } from '../core/scratch.js';
import { chunkSizeFor } from '../core/files.js';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { PipelineError } from '../core/errors.js';
import { looksLikeUtf16 } from './decode.js';
import { isWhitespace } from './json-splitter.js';

export const READ_CHUNK = 512 * 1024;

/**
 * The inputs of the nightly job and of validate, a file reached twice by one path (`run data
 * data/a.json`, a folder named inside another) once: one input, not a copy of itself (a copy under
 * another name is one, found by its content). convert and compile read what they are given, twice when
 * named twice.
 */
export function onePerPath<T extends ExpandedInput>(files: readonly T[]): T[] {
  const seen = new Set<string>();
  return files.filter((f) => {
    if (f.stream === true) return true;
    const at = resolve(f.path);
    if (seen.has(at)) return false;
    seen.add(at);
    return true;
  });
}

export interface ExpandedInput {
  /** The path as the user gave it, or "-" for stdin. */
  readonly display: string;
  /** A path that can be opened (a spool file for stdin). */
  readonly path: string;
  /** The file's SHA-256 when the caller already has it (the nightly job hashes every input first to skip known files). */
  readonly sha256?: string;
  /**
   * What the file was when `sha256` was taken (the nightly job's hashing pass): reading it checks that
   * it still is, to its end, else the file ends with INGEST_CHANGED (fatal: its records are not
   * stored under a hash that is not theirs).
   */
  readonly hashed?: HashedStat;
  /**
   * Read from a stream (stdin, a named pipe), spooled: its name says nothing of what it holds (each
   * night's `zcat daily.gz | decp-ocds run -` is another file, not a new version of the last one).
   */
  readonly stream?: boolean;
}

/**
 * What the walk left out of folders that gave no data file, for the one line that refuses them: a
 * folder holding only a download's hidden temporary file (rsync's `.feed.json.Xa3b9`, a `.part`) or
 * documentation said `no data file` and nothing of them (`run` says what it left out once the inputs
 * are read, so never, there).
 */
function leftOut(hidden: readonly string[], skipped: readonly string[], outputs: readonly string[]): string {
  const names = (list: readonly string[]): string => `${list.slice(0, 3).join(', ')}${list.length > 3 ? ', …' : ''}`;
  const parts = [
    hidden.length === 0 ? '' : `${hidden.length} hidden file${hidden.length === 1 ? ' or folder, its name' : 's or folders, their names'} starting with a dot: ${names(hidden)}`,
    skipped.length === 0 ? '' : `${skipped.length} file${skipped.length === 1 ? '' : 's'} as documentation: ${names(skipped)}`,
    outputs.length === 0 ? '' : `${outputs.length} decp-ocds output folder${outputs.length === 1 ? '' : 's'}: ${names(outputs)}`,
  ].filter((p) => p !== '');
  return parts.length === 0 ? '' : ` (left out, unread: ${parts.join('; ')})`;
}

/** Expand inputs: folders → their files (recursive, sorted); "-" → stdin; none → nothing (the CLI reads "nothing" as "-"). */
export async function expandInputs(
  inputs: readonly (string | ExpandedInput)[],
  stdin?: Readable,
  options: {
    /**
     * The command's own outputs, never read from a folder walked: folders not walked into (run's
     * --out, when an input folder holds it), files left out with their temporary files (convert's
     * -o, --rejects, validate's --report…: `convert d1 -o d1/releases.jsonl` read its own temp file,
     * then the next night its own releases, every release once more each night).
     */
    readonly exclude?: readonly string[] | undefined;
    /** Can the caller read CSV (a profile that maps rows)? Then a `.txt` of a folder that holds a CSV table is data. */
    readonly csv?: boolean;
    /** Inputs that hold nothing at all are an error (INGEST_EMPTY, see holdNothing), not a day without data. */
    readonly refuseEmpty?: boolean | undefined;
    /** Told each file or folder of the input folders left out (see IngestOptions `skipped`), before inputs that hold nothing are refused. */
    readonly skipped?: ((path: string, why?: 'hidden' | 'output') => void) | undefined;
    /**
     * Where a stream (stdin, a named pipe) is spooled: the temporary folder by default; `run`'s
     * staging folder, which the next run clears after a `kill -9` (a spool in the temporary folder
     * stayed there, the day's feed, after each killed run).
     */
    readonly scratch?: string | undefined;
  } = {},
): Promise<{ files: ExpandedInput[]; skipped: string[]; hidden: string[]; outputs: string[]; cleanup: () => Promise<void> }> {
  const exclude = new Set<string>();
  // (the files by their real path: the one written is the target of a link, its temp file beside it)
  const excludeFiles = new Set<string>();
  for (const d of options.exclude ?? []) {
    const st = await stat(d).catch(() => null);
    if (st?.isDirectory() === true) exclude.add(await realpath(d).catch(() => d));
    else excludeFiles.add(st !== null ? await realpath(d).catch(() => resolve(d)) : join(await realpath(dirname(d)).catch(() => resolve(dirname(d))), basename(d)));
  }
  const own = ownOutput(excludeFiles);
  const files: ExpandedInput[] = [];
  const skipped: string[] = [];
  // hidden entries of the folders walked (`.git/`, `.DS_Store`, an editor's `.feed.json.swp`): left out, said
  const hidden: string[] = [];
  // decp-ocds output folders of the folders walked (an earlier `run --out`): our own files, left out, said
  const outputs: string[] = [];
  const temps: string[] = [];
  const forgets: Array<() => void> = [];
  const cleanup = async (): Promise<void> => {
    for (const t of temps) await rm(t, { recursive: true, force: true });
    for (const f of forgets) f();
  };
  try {
    await expandEach();
    // (said first: a folder of documentation alone is refused below, and what it held is said)
    for (const f of skipped) options.skipped?.(f);
    for (const h of hidden) options.skipped?.(h, 'hidden');
    for (const o of outputs) options.skipped?.(o, 'output');
    // every input named missing (a typo in a cron line, a mount point gone): nothing to read, nothing
    // written, as inputs that hold nothing (run published an empty data set into a new --out, exit 3)
    if (options.refuseEmpty === true && files.length > 0 && (await allMissing(files))) {
      throw new PipelineError('INGEST_NOT_FOUND', `${noSuchFile(files.map((f) => f.display))}`, {
        context: files.length === 1 ? { file: files[0]!.display } : {},
        remedy: 'check the paths; nothing was written, the outputs are left as they were',
      });
    }
    // none of them can be opened at all (a file the user may not read, a folder it may not list, a
    // named pipe found in a folder, some missing beside them): as when every one is missing (run
    // published an empty data set into a new --out, exit 3, for a feed whose permissions were wrong)
    const closed = options.refuseEmpty === true && files.length > 0 ? await noneOpens(files) : null;
    if (closed !== null) {
      throw new PipelineError('INGEST_UNREADABLE', `no input can be read: ${closed.join(', ')}`, {
        context: files.length === 1 ? { file: files[0]!.display } : {},
        remedy: 'give the user running decp-ocds read access to them (a folder: to list it too), or check the paths; nothing was written, the outputs are left as they were',
      });
    }
    if (options.refuseEmpty === true && (await holdNothing(files))) {
      const named = inputs.map((i) => (typeof i !== 'string' ? i.display : i === '-' ? 'stdin' : i)).join(', ');
      throw new PipelineError('INGEST_EMPTY', `the inputs hold nothing to read (${named}): ${files.length === 0 ? `no data file in the folders${leftOut(hidden, skipped, outputs)}` : files.length === 1 ? 'empty, or only white space' : 'every file is empty, or only white space'}`, {
        remedy: 'check the download or the folder; nothing was written, the outputs are left as they were',
      });
    }
  } catch (err) {
    // (a stream half spooled, the temporary folder full: nothing left behind, which would fill it the next night too)
    await cleanup();
    throw err;
  }
  return { files, skipped, hidden, outputs, cleanup };

  async function expandEach(): Promise<void> {
    for (const input of inputs) {
      // an input already expanded (and perhaps hashed) by the caller
      if (typeof input !== 'string') {
        files.push(input);
        continue;
      }
      /** A stream read once, spooled to a temporary file (which can be hashed, sniffed and read again). */
      const spooled = async (from: Readable, display: string): Promise<void> => {
        const { dir, forget } = scratchDir(options.scratch ?? tmpdir(), 'decp-ocds-stdin-');
        temps.push(dir);
        forgets.push(forget);
        const spool = join(dir, 'stdin');
        const to = createWriteStream(spool);
        let writeError: unknown;
        to.once('error', (e) => (writeError = e));
        try {
          await pipeline(from, to);
        } catch (err) {
          // (the temporary folder full or not writable: said as such, not as the output folder's fault;
          // a stream that cannot be read is the input's)
          const code = (err as NodeJS.ErrnoException).code;
          if (err === writeError && code !== undefined && SPOOL_WRITE_ERRORS.has(code)) {
            throw new PipelineError('PUBLISH_WRITE', `${display === '-' ? 'stdin' : display} could not be copied to the ${options.scratch === undefined ? 'temporary' : 'staging'} folder ${dir} (${code}), where a stream is kept to be read`, { cause: err, remedy: options.scratch === undefined ? 'free space in the temporary folder, or set TMPDIR to a folder with room' : 'free disk space where the output goes (or give a path on another disk), then run again' });
          }
          if (err !== writeError && code !== undefined) throw new PipelineError('INGEST_UNREADABLE', `${display === '-' ? 'stdin' : display} cannot be read (${code}): ${(err as Error).message}`, { cause: err });
          throw err;
        }
        files.push({ display, path: spool, stream: true });
      };
      if (input === '-') {
        await spooled(stdin ?? process.stdin, '-');
        continue;
      }
      let st;
      try {
        st = await stat(input);
      } catch (err) {
        // Reported per file by the reader, so that the run goes on with the others.
        files.push({ display: input, path: input });
        void err;
        continue;
      }
      if (st.isFIFO()) {
        // a named pipe or a shell's process substitution (`convert <(zcat a.json.gz)`): read as stdin is
        await spooled(createReadStream(input), input);
        continue;
      }
      if (st.isDirectory()) {
        const real = await realpath(input).catch(() => input);
        if (exclude.has(real)) continue;
        // (an output folder named as an input is walked: named, it is wanted; found inside one, it is left out)
        // (sorted by the whole path, as `LC_ALL=C sort` and the contract: `a-b.json` before `a/x.json`,
        // where a walk that lists each folder sorted gives the folder's files first)
        for (const f of (await walk(input, new Set([real, ...exclude]), hidden, outputs, own)).sort(byPath)) {
          if (isDocumentation(f) && !(await looksLikeData(f, options.csv === true))) skipped.push(f);
          else files.push({ display: f, path: f });
        }
      } else {
        files.push({ display: input, path: input });
      }
    }
  }
}

/** Paths in code point order (`LC_ALL=C sort` of their UTF-8), whatever the folders they are in. */
function byPath(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    // (a surrogate, half of a code point past U+FFFF, sorts after U+E000–U+FFFF)
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit;
}

/** Are these inputs all paths that do not exist (no stream among them)? */
async function allMissing(files: readonly ExpandedInput[]): Promise<boolean> {
  for (const f of files) {
    if (f.stream) return false;
    const code = await stat(f.path).then(
      () => null,
      (err: NodeJS.ErrnoException) => err.code,
    );
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return false;
  }
  return true;
}

/**
 * Can none of these inputs be opened (missing, not to be read or listed by this user, not a regular
 * file nor a folder), but those that hold nothing (empty: a failed download beside them)? Then why,
 * one per input (`a.json (EACCES)`, `b.json (empty)`); else null. An input, a stream too, that holds
 * something, and the reader reads what it can; every one empty, INGEST_EMPTY says so (holdNothing).
 */
async function noneOpens(files: readonly ExpandedInput[]): Promise<string[] | null> {
  const why: string[] = [];
  let closed = false;
  for (const f of files) {
    let reason: string | null = null;
    try {
      const st = await stat(f.path);
      if (st.isDirectory()) await readdir(f.path);
      else if (st.isFile()) {
        await (await open(f.path, 'r')).close();
        // (an empty file beside the others that cannot be opened: nothing read either, an empty data set published)
        if (await isBlankFile(f)) reason = 'empty';
      } else reason = st.isFIFO() ? 'a named pipe found in a folder, not read: name it as an input' : 'not a regular file';
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (f.stream === true || code === undefined || !UNOPENABLE.has(code)) return null;
      reason = code === 'ENOENT' || code === 'ENOTDIR' ? `no such file${notUtf8(f.display)}` : code === 'EACCES' || code === 'EPERM' ? `permission denied, ${code}` : code;
    }
    if (reason === null) return null;
    if (reason !== 'empty') closed = true;
    why.push(`${f.display === '-' ? 'stdin' : f.display} (${reason})`);
  }
  return closed ? why : null;
}

/**
 * A file not found, and why when its name reads as one that is not UTF-8: a folder's file named in
 * Latin-1 (`donn\xe9es.json`, from a Windows zip) is listed as `donn\ufffdes.json`, a name no file
 * has (Node reads names as UTF-8); it cannot be read by it — renamed in UTF-8, it is (found by a
 * probe: "no such file" for a file `ls` shows).
 */
function noSuchFile(displays: readonly string[]): string {
  return `no such file: ${displays.join(', ')}${displays.some((d) => d.includes('\ufffd')) ? notUtf8('\ufffd') : ''}`;
}

const notUtf8 = (display: string): string =>
  display.includes('\ufffd') ? ' (a name that is not UTF-8, read with U+FFFD in place of its bytes: rename the file in UTF-8, e.g. `convmv -f latin1 -t utf8 --notest`)' : '';

/** The errors that say an input cannot be opened at all (not a fault of its content). */
const UNOPENABLE = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'ELOOP', 'ENAMETOOLONG']);

/**
 * Do these files hold nothing at all: none, or every one empty (0 bytes, or only white space and a
 * byte order mark, UTF-8 or UTF-16, once gzip is taken off)? A failed download (a 0-byte file, an
 * empty mount point, a pipe from a command that failed, `curl … | gzip` of nothing) read as a day
 * without contracts replaced the published output with an empty one, exit 0. A file that cannot be
 * opened (missing, a folder that cannot be listed) or whose gzip is damaged may hold data: the
 * reader says why it cannot be read. A document without records (`{"marches":[]}`) holds
 * something: a day without contracts. Read up to the first byte of data: the first file, as a rule.
 */
async function holdNothing(files: readonly ExpandedInput[]): Promise<boolean> {
  for (const f of files) if (!(await isBlankFile(f))) return false;
  return true;
}

/** Does this input hold nothing (a regular file of 0 bytes, or only white space; see holdNothing)? */
async function isBlankFile(f: ExpandedInput): Promise<boolean> {
  try {
    const st = await stat(f.path);
    if (!st.isFile()) return false;
    if (st.size === 0) return true;
    const { chunks } = await openFile(f.path, f.display, BLANK_SCAN_LIMIT);
    return await blank(chunks);
  } catch {
    return false;
  }
}

/** How many decompressed bytes of a gzip input are looked at for data before it is taken to hold some (white space that long is no failed download). */
const BLANK_SCAN_LIMIT = 64 * 1024 * 1024;

/**
 * Are these bytes white space only, after a byte order mark (UTF-8, or UTF-16 either way, whose
 * white space is a byte of it beside a 0)? Stops at the first byte of data (the source is closed).
 */
async function blank(chunks: AsyncIterable<Buffer>): Promise<boolean> {
  let head: Buffer | null = Buffer.alloc(0);
  // (UTF-16: the byte of each unit that must be 0, 0 or 1, by the unit's position; -1: 8-bit)
  let zeroAt = -1;
  let pos = 0;
  for await (let chunk of chunks) {
    if (head !== null) {
      // (the byte order mark, whatever the chunks: three bytes are enough to tell)
      chunk = Buffer.concat([head, chunk]);
      if (chunk.length < 3 && !(chunk.length === 2 && (chunk[0] === 0xff || chunk[0] === 0xfe))) {
        head = chunk;
        continue;
      }
      head = null;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      else if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
        zeroAt = chunk[0] === 0xff ? 1 : 0;
        chunk = chunk.subarray(2);
      }
    }
    for (let k = 0; k < chunk.length; k++, pos++) {
      const b = chunk[k]!;
      if (zeroAt >= 0 && pos % 2 === zeroAt ? b !== 0 : !isWhitespace(b)) return false;
    }
  }
  if (head !== null) for (let k = head[0] === 0xef ? 3 : 0; k < head.length; k++) if (!isWhitespace(head[k]!)) return false;
  return pos % 2 === 0 || zeroAt < 0;
}

/** Errors of writing a stream's spool that are the temporary folder's (full, read-only, not allowed). */
const SPOOL_WRITE_ERRORS: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM']);

/**
 * Files that a data folder often holds beside the data (READMEs, licences,
 * scripts, pictures), by their names. Skipped when walking a folder unless their
 * content is data (looksLikeData), listed in run.json; a file named explicitly is
 * always read.
 */
function isDocumentation(path: string): boolean {
  const name = path.split(/[\\/]/).pop() ?? '';
  return /^(readme|licen[cs]e|copying|changelog|notice)(\.|$)/i.test(name) || /\.(md|markdown|txt|rst|pdf|html?|docx?|odt|xlsx?|ods|png|jpe?g|gif|svg|py|sh|js|ts|ya?ml|toml|ini|xsd|sha256|md5)$/i.test(name);
}

/**
 * Does a file named like documentation hold data all the same (formats come from content): gzip, a
 * JSON document, DECP XML (a `<marches>` or `<marche>` root), or, when the caller reads CSV, a CSV
 * export named `.txt` (a header line of short column names, then rows with as many separators; a
 * Markdown table or a data dictionary beside data a DECP run reads is not taken for one)?
 */
async function looksLikeData(path: string, csv: boolean): Promise<boolean> {
  const head = Buffer.alloc(4096);
  let got = 0;
  try {
    // (a named pipe is not opened: that waits for a writer; the reader says what it is)
    if (!(await stat(path)).isFile()) return true;
    const fh = await open(path, 'r');
    try {
      got = (await fh.read(head, 0, head.length, 0)).bytesRead;
    } finally {
      await fh.close();
    }
  } catch {
    return true; // unreadable: read it, and say why
  }
  if (got >= 2 && head[0] === 0x1f && head[1] === 0x8b) return true;
  const text = headText(head.subarray(0, got)).trimStart();
  return text.startsWith('{') || text.startsWith('[') || opensDecpXml(text) || (csv && /\.txt$/i.test(path) && looksLikeCsv(text));
}

/**
 * A file's first bytes as text, to be judged: UTF-16 decoded (with its byte order mark, or without
 * one, as the reader tells it: Excel's "Unicode Text" export, named `.txt`, was left out of a folder
 * as documentation, its zero bytes hiding its table — found by a CSV probe), else byte for byte
 * (Latin-1: the marks judged are ASCII), a UTF-8 byte order mark left out.
 */
function headText(head: Buffer): string {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le').decode(head.subarray(2));
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be').decode(head.subarray(2));
  if (looksLikeUtf16(head)) return new TextDecoder(head[1] === 0 ? 'utf-16le' : 'utf-16be').decode(head);
  return head.toString('latin1').replace(/^\xef\xbb\xbf/, '');
}

/**
 * Does this text open a DECP XML document: an XML declaration, comments, then `<marches` or
 * `<marche`? Read step by step (a pattern with a repeated group of comments backtracked
 * exponentially on `<!---->` written forty times: a 281-byte notice hung the job).
 */
function opensDecpXml(text: string): boolean {
  let at = 0;
  const skipSpace = (): void => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  if (text.startsWith('<?xml', at)) {
    const end = text.indexOf('>', at);
    if (end < 0) return false;
    at = end + 1;
  }
  skipSpace();
  while (text.startsWith('<!--', at)) {
    const end = text.indexOf('-->', at + 4);
    if (end < 0) return false;
    at = end + 3;
    skipSpace();
  }
  return /^<marches?[\s>/]/.test(text.slice(at, at + 10));
}

/**
 * The head of a CSV table: a header of 2 or more short names (no sentence: a README's prose has
 * commas too) split by one separator, and every following whole line (two at least) with as many
 * outside quotes.
 */
function looksLikeCsv(text: string): boolean {
  // (quoted fields aside: a separator inside quotes separates nothing)
  const lines = text.replace(/"(?:[^"]|"")*"/g, '""').split(/\r\n|\n|\r/).slice(0, -1).slice(0, 6);
  if (lines.length < 3) return false;
  return [';', ',', '\t', '|'].some((sep) => {
    const names = lines[0]!.split(sep);
    if (names.length < 2 || names.some((n) => n.trim().length > 64 || n.trim().split(/\s+/).length > 5)) return false;
    return lines.slice(1).every((l) => l.split(sep).length === names.length);
  });
}

/**
 * Is a folder a decp-ocds output folder (`run --out`: its store beside its run.json or its
 * generations)? Its files are the pipeline's own (its packages, rejects, reports, Parquet, store):
 * walked as inputs they would be read again as data — every release a second time, every reject
 * line a reject, every Parquet file unreadable. A file of it named as an input is read.
 */
async function isOutputFolder(dir: string): Promise<boolean> {
  const has = (name: string): Promise<boolean> => stat(join(dir, name)).then(() => true, () => false);
  return (await has('decp.duckdb')) && ((await has('run.json')) || (await has('.gen')));
}

/**
 * Is a file of a folder walked one of the command's own outputs (by real path), or the temporary
 * file one is written to (publish/atomic.ts: `<file>.tmp-<pid>-<thread>-<n>`)? Only a name that
 * starts with an output's (or a link) costs a look at its real path.
 */
function ownOutput(files: ReadonlySet<string>): (path: string, link: boolean) => Promise<boolean> {
  if (files.size === 0) return () => Promise.resolve(false);
  const names = [...files].map((f) => basename(f));
  return async (path, link) => {
    const name = basename(path);
    if (!link && !names.some((n) => name.startsWith(n))) return false;
    const real = await realpath(path).catch(() => path);
    return files.has(real) || [...files].some((f) => real.startsWith(`${f}.tmp-`) && /^\d+-\d+-\d+$/.test(real.slice(f.length + 5)));
  };
}

/**
 * The files of a folder, sorted by path, hidden ones (their name starts with a dot) left out and put
 * in `hidden` (a hidden folder as itself, not walked), decp-ocds output folders put in `outputs`
 * (isOutputFolder). Symbolic links are followed (a folder of links
 * to the day's files is a folder of those files); a folder reached twice (a link cycle) is walked
 * once, and one in `seen` from the start not at all; the command's own output files (`own`) are
 * left out, unsaid.
 */
async function walk(dir: string, seen: Set<string>, hidden: string[], outputs: string[], own: (path: string, link: boolean) => Promise<boolean>): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    // a folder that cannot be listed (permissions): handed on as an input, which the reader reports
    // as unreadable, with why, while the run goes on with the others
    return [dir];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.name.startsWith('.')) {
      hidden.push(p);
      continue;
    }
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      const st = await stat(p).catch(() => null);
      if (st === null) {
        out.push(p); // a dangling link: read, and reported as not found
        continue;
      }
      isDir = st.isDirectory();
      isFile = st.isFile();
    }
    if (isDir) {
      // (also the folders to exclude, which are in `seen` from the start)
      const real = await realpath(p).catch(() => p);
      if (seen.has(real)) continue;
      seen.add(real);
      if (await isOutputFolder(p)) {
        outputs.push(p);
        continue;
      }
      out.push(...(await walk(p, seen, hidden, outputs, own)));
    } else if (isFile && !(await own(p, e.isSymbolicLink()))) out.push(p);
    // a named pipe, a socket or a device in a folder: not read (a pipe no one writes would hold the
    // run forever), handed on so that the reader says it is no regular file — never left out unsaid
    else if (!isFile) out.push(p);
  }
  return out;
}

/** Bytes per read of the hashing pass (two buffers of it). */
const HASH_READ = 4 * 1024 * 1024;

/**
 * SHA-256 of a file's bytes, streamed: two buffers, the next read runs while the last one is hashed
 * (a read stream's 512 KiB reads, one at a time, left this thread waiting: 115 MB hashed in ~100 ms
 * instead of 200–280 ms).
 */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  // (opening a named pipe waits for a writer: only a regular file is hashed)
  if (!(await stat(path)).isFile()) throw new Error(`not a regular file: ${path}`);
  const fh = await open(path, 'r');
  try {
    // (a small file gets small buffers: folders of thousands of daily files)
    const size = Math.max(1, Math.min(HASH_READ, (await fh.stat()).size));
    const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
    let k = 0;
    let position = 0;
    let reading = fh.read(buffers[0]!, 0, size, position);
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      const filled = buffers[k]!;
      position += bytesRead;
      k ^= 1;
      reading = fh.read(buffers[k]!, 0, size, position);
      hash.update(filled.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

/**
 * The SHA-256 of a gzip file's content (decompressed as ingest reads it), or null when the file is
 * not gzip or does not decompress (past `limit` bytes, unreadable, or damaged before any byte of
 * content). `run` asks it of a new compressed file only, to know a file compressed in place
 * (`gzip feed.json`) as the content it already read. `damage` is what ingest says of a file that
 * decompresses only up to a point (bytes after its last member, a cut): its content is what comes
 * before, and whoever reads it in place of the file must say so.
 */
export async function gunzippedHash(path: string, limit: number): Promise<{ readonly sha256: string; readonly damage: string | null } | null> {
  try {
    const opened = await openFile(path, path, limit);
    if (opened.compressed !== 'gzip') {
      await opened.close();
      return null;
    }
    const hash = createHash('sha256');
    let bytes = 0;
    let damage: string | null = null;
    try {
      for await (const chunk of opened.chunks) {
        hash.update(chunk);
        bytes += chunk.length;
      }
    } catch (err) {
      if (!(err instanceof PipelineError && err.code === 'INGEST_GZIP')) throw err;
      // (a gzip that gives nothing before its damage is no copy of anything: an empty file's content
      // is not what a broken one holds, and the broken one must be read, to be reported)
      if (bytes === 0) return null;
      damage = err.message;
    }
    return { sha256: hash.digest('hex'), damage };
  } catch {
    return null;
  }
}

export interface OpenedFile {
  readonly size: number;
  readonly compressed: 'gzip' | null;
  readonly chunks: AsyncIterable<Buffer>;
  /**
   * Once the chunks are read (or given up): why the bytes read may not be the ones `expected` describes
   * (the file changed since it was hashed, or while it was read), or null. Always null without `expected`.
   */
  readonly changed: () => string | null;
  /** Close the file when its chunks are not read to their end (reading them closes it); closing twice is nothing. */
  readonly close: () => Promise<void>;
}

/** What a file was when its hash was taken (`stat` just before hashing it): its reading must find the same. */
export interface HashedStat {
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * Open a file as decompressed chunks. Throws PipelineError INGEST_NOT_FOUND /
 * INGEST_UNREADABLE before the first chunk (INGEST_CHANGED when the file is no longer what `expected`
 * says: rewritten since it was hashed); the iterable throws INGEST_GZIP or INGEST_GZIP_LIMIT while reading.
 *
 * The file is opened once, here, and read through that descriptor: a file deleted or renamed after
 * this call is still read whole (the bytes it held), and nothing can fail between the open and the
 * first read but the reads themselves, which throw to the reader (a read stream opened by path
 * failed with an 'error' event nobody listened to yet, when the file vanished in between: the
 * process died with a stack trace, its lock and staging left behind).
 */
export async function openFile(path: string, display: string, maxExpandedBytes: number, expected?: HashedStat): Promise<OpenedFile> {
  let size: number;
  const magic = Buffer.alloc(2);
  let got = 0;
  let fh: FileHandle | null = null;
  let opened: { size: number; mtimeMs: number };
  try {
    const st = await stat(path);
    if (st.isDirectory()) {
      // (a folder handed on by the walk because it could not be listed)
      const why = await readdir(path).then(
        () => 'a folder',
        (e: Error) => e.message,
      );
      throw new PipelineError('INGEST_UNREADABLE', `cannot read the folder ${display}: ${why}`, { context: { file: display } });
    }
    if (!st.isFile()) throw new PipelineError('INGEST_UNREADABLE', `not a regular file: ${display}${st.isFIFO() ? ' (a named pipe found in a folder is not read: name it as an input to read it)' : ''}`, { context: { file: display } });
    fh = await open(path, 'r');
    // (what is read is what this descriptor holds: its size and time, not the path's a moment before)
    const fst = await fh.stat();
    size = fst.size;
    opened = { size: fst.size, mtimeMs: fst.mtimeMs };
    got = (await fh.read(magic, 0, 2, 0)).bytesRead;
  } catch (err) {
    await fh?.close().catch(() => undefined);
    if (err instanceof PipelineError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PipelineError('INGEST_NOT_FOUND', noSuchFile([display]), { context: { file: display }, cause: err });
    throw new PipelineError('INGEST_UNREADABLE', `cannot read ${display}: ${(err as Error).message}`, { context: { file: display }, cause: err });
  }
  const handle = fh;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close().catch(() => undefined);
  };
  const before = expected === undefined ? null : statChange(display, expected, opened, null);
  if (before !== null) {
    await close();
    throw new PipelineError('INGEST_CHANGED', before, { context: { file: display }, remedy: CHANGED_REMEDY });
  }
  let verdict: string | null = null;
  const raw = readHandle(handle, chunkSizeFor(size, READ_CHUNK), close, async (bytes, eof) => {
    if (expected === undefined) return;
    const now = await handle.stat().catch(() => null);
    verdict = statChange(display, expected, now ?? opened, eof ? bytes : null);
  });
  const gzip = got === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  return {
    size,
    compressed: gzip ? 'gzip' : null,
    // (the file is closed when its decompressed chunks end or are given up: the decompressing pipeline does not finish its source)
    chunks: gzip ? closing(gunzipTwice(gunzipLimited(raw, display, maxExpandedBytes, { path, size }), display, maxExpandedBytes), close) : raw,
    changed: () => verdict,
    close,
  };
}

/** The chunks, then `close` run, however they end (read to their end, given up, or failed). */
async function* closing(chunks: AsyncIterable<Buffer>, close: () => Promise<void>): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } finally {
    await close();
  }
}

/** What to do about a file that changed while a run read it. */
const CHANGED_REMEDY = 'nothing of it is loaded and the next run reads it again; give files once they are complete: download to a temporary name, then rename';

/**
 * How a file differs from what it was when hashed (`expected`): its size or modification time now
 * (`now`), or the bytes read to its end (`read`, when the end was reached); null when it is the same.
 */
function statChange(display: string, expected: HashedStat, now: { size: number; mtimeMs: number }, read: number | null): string | null {
  const when = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));
  if (now.size !== expected.size || now.mtimeMs !== expected.mtimeMs) {
    return `${display} changed since it was hashed (a file still being written?): ${expected.size} bytes modified ${when(expected.mtimeMs)} then, ${now.size} bytes modified ${when(now.mtimeMs)} when read`;
  }
  if (read !== null && read !== expected.size) return `${display} changed since it was hashed (a file still being written?): ${expected.size} bytes then, ${read} bytes read to its end`;
  return null;
}

/**
 * The bytes of an open file, in chunks of `chunk` bytes, the next read under way while a chunk is
 * handed on; `end` is told how many bytes were read, and whether the end of the file was reached,
 * before the file is closed (by `close`, whether read to its end or given up).
 */
async function* readHandle(fh: FileHandle, chunk: number, close: () => Promise<void>, end: (bytes: number, eof: boolean) => Promise<void>): AsyncGenerator<Buffer> {
  let bytes = 0;
  let eof = false;
  let pending: Promise<{ bytesRead: number; buffer: Buffer }> | null = null;
  const next = (): Promise<{ bytesRead: number; buffer: Buffer }> => {
    const p = fh.read(Buffer.allocUnsafeSlow(chunk), 0, chunk, null);
    // (a read under way when the file is closed by its reader's end, this generator left suspended,
    // fails unawaited: not an unhandled rejection)
    p.catch(() => undefined);
    return p;
  };
  try {
    pending = next();
    for (;;) {
      const { bytesRead, buffer } = await pending;
      pending = null;
      if (bytesRead === 0) {
        eof = true;
        break;
      }
      bytes += bytesRead;
      pending = next();
      // (a short read keeps only its bytes, not the whole buffer alive)
      yield bytesRead === buffer.length ? buffer : Buffer.from(buffer.subarray(0, bytesRead));
    }
  } finally {
    // (a read under way when the reader gave up settles before the file is closed)
    if (pending !== null) await pending.catch(() => undefined);
    await end(bytes, eof).catch(() => undefined);
    await close();
  }
}

/**
 * A gzip file's content, decompressed once more when it is gzip itself: a file compressed twice
 * (`gzip` run on a `.json.gz`, a download saved with its transfer encoding) was refused as of no
 * format ("first significant byte 0x1f"). Each layer stops at `limit` expanded bytes; a third layer
 * is left as it is (the reader names it: no data is compressed three times but a bomb).
 */
async function* gunzipTwice(content: AsyncGenerator<Buffer>, display: string, limit: number): AsyncGenerator<Buffer> {
  // (the first two bytes, whatever the chunks)
  const held: Buffer[] = [];
  let size = 0;
  for (let next = await content.next(); ; next = await content.next()) {
    if (next.done === true) break;
    held.push(next.value);
    size += next.value.length;
    if (size >= 2) break;
  }
  const head = Buffer.concat(held, size);
  async function* whole(): AsyncGenerator<Buffer> {
    yield* held;
    yield* content;
  }
  if (!(size >= 2 && head[0] === 0x1f && head[1] === 0x8b)) yield* whole();
  // (no retry of its tail byte by byte: the inner layer is no file; see gunzipLimited)
  else yield* gunzipLimited(Readable.from(whole(), { objectMode: false }), display, limit);
}

/**
 * Decompress, stopping with INGEST_GZIP_LIMIT past `limit` expanded bytes. A fault (bytes after the
 * last gzip member, such as a line break or an error page a server appended; a cut file) ends the
 * data there with INGEST_GZIP; zlib then drops the output of the read that met the fault (up to
 * ~200 KB of records, which a file's reject count never showed), so a file (`again`: its path and
 * size) is decompressed once more, its last RETRY_TAIL bytes one at a time: only the fault's own
 * bytes give no output, and the records up to it are all read.
 */
async function* gunzipLimited(raw: AsyncIterable<Buffer>, display: string, limit: number, again?: { path: string; size: number }): AsyncGenerator<Buffer> {
  let total = 0;
  try {
    for await (const chunk of gunzipOnceMore(raw, again)) {
      total += chunk.length;
      if (total > limit) {
        // hand on what fits, so that the records before the limit are kept
        const fits = chunk.length - (total - limit);
        if (fits > 0) yield chunk.subarray(0, fits);
        throw new PipelineError('INGEST_GZIP_LIMIT', `gzip expands beyond the limit of ${limit} bytes: ${display}`, {
          context: { file: display, offset: limit },
          remedy: 'raise --max-expanded-bytes if the file is genuine',
        });
      }
      yield chunk;
    }
  } catch (err) {
    if (err instanceof PipelineError) throw err;
    throw new PipelineError('INGEST_GZIP', `corrupt gzip data in ${display} after ${total} bytes: ${(err as Error).message}`, { context: { file: display, offset: total }, cause: err });
  }
}

/** The decompressed bytes of `raw`; after a fault, those the reading of `again` byte by byte adds (see gunzipLimited); then zlib's error. */
async function* gunzipOnceMore(raw: AsyncIterable<Buffer>, again?: { path: string; size: number }): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  const feeding = pipeline(raw as Readable, gunzip).catch((err: unknown) => err);
  let handed = 0;
  let fault: unknown = null;
  try {
    for await (const chunk of gunzip) {
      handed += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  } catch (err) {
    fault = err;
  } finally {
    gunzip.destroy();
    (raw as Partial<Readable>).destroy?.();
    await feeding;
  }
  if (fault === null) return;
  if (again === undefined) throw fault;
  let seen = 0;
  for await (const chunk of gunzipTailByByte(again.path, again.size)) {
    // the bytes before `handed` were handed on by the first reading
    const skip = Math.min(chunk.length, Math.max(0, handed - seen));
    seen += chunk.length;
    if (skip < chunk.length) yield chunk.subarray(skip);
  }
}

/** The end of a gzip file fed one byte at a time (see gunzipLimited): up to 16 KiB of trailing bytes. */
const RETRY_TAIL = 16 * 1024;

/**
 * Decompress the gzip file at `path` (`size` bytes), writing its last RETRY_TAIL bytes one at a
 * time; throws zlib's error after handing on every byte decompressed before it.
 */
async function* gunzipTailByByte(path: string, size: number): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  const out: Buffer[] = [];
  let fault: Error | null = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  // flowing: each output is taken as zlib gives it (nothing waits in the stream's buffer when it fails)
  gunzip.on('data', (c: Buffer) => {
    out.push(c);
    notify();
  });
  gunzip.on('error', (e: Error) => {
    fault = e;
    notify();
  });
  gunzip.on('end', () => {
    ended = true;
    notify();
  });
  const settled = (): boolean => fault !== null || ended;
  const fh = await open(path, 'r');
  try {
    const cut = Math.max(0, size - RETRY_TAIL);
    const buf = Buffer.alloc(READ_CHUNK);
    for (let pos = 0; pos < size && !settled(); ) {
      const len = pos < cut ? Math.min(buf.length, cut - pos) : 1;
      const { bytesRead } = await fh.read(buf, 0, len, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      gunzip.write(Buffer.from(buf.subarray(0, bytesRead)));
      // until the input drains (or zlib fails), handing on its output meanwhile
      while (gunzip.writableNeedDrain && !settled()) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            gunzip.off('drain', done);
            resolve();
          };
          gunzip.on('drain', done);
          wake = done;
        });
        while (out.length > 0) yield out.shift()!;
      }
      while (out.length > 0) yield out.shift()!;
    }
    if (!settled()) gunzip.end();
    while (!settled()) await new Promise<void>((resolve) => (wake = resolve));
    while (out.length > 0) yield out.shift()!;
    if (fault !== null) throw fault;
  } finally {
    await fh.close();
    gunzip.destroy();
  }
}
