/** `decp-ocds compile [inputs] [--versioned] [--package] [-o FILE]`: records with the OCDS merge rules. */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type { Effects } from '../../core/effects.js';
import { EXIT } from '../../core/errors.js';
import { compileInputs, type CompileCounts } from '../../compile.js';
import { rejectLine } from '../../ingest/rejects.js';
import { recordPackageMetadata } from '../../publish/packages.js';
import { abortAll, commitAll } from '../../publish/atomic.js';
import { openLineWriter, type LineWriter } from '../../publish/jsonl-writer.js';
import { DECLARED_EXTENSIONS, unbundledExtensions } from '../../validate/schema-source/ocds.js';
import { mergeRulesFromSchema } from '../../transform/compile/merge.js';
import { loadReleaseSchema, readReleaseSchema, releaseSchemaForOcds10, releaseSchemaWithoutLocalExtension } from '../../validate/schema-store.js';
import { absoluteUri, addCommonOptions, addInputOptions, addProgressOptions, addPublisherOptions, collect, concurrency, MAX_CONCURRENCY, nonNegativeInt, type CommonOptions, type InputOptions, type PublisherOptions, orStdin, distinctOutputs, settingsFiles, tooManyRejects, isoDateTime } from '../options.js';
import { logFileEnd } from '../../core/log.js';
import { contextOf, progressOf } from '../context.js';
import { readWatch } from '../../core/progress.js';

interface CompileCliOptions extends CommonOptions, InputOptions, PublisherOptions {
  concurrency: number;
  output?: string;
  versioned: boolean;
  package: boolean;
  schema?: string;
  extension: string[];
  warnings?: string;
  uri?: string;
  localExtensionUrl?: string;
  publishedDate?: string;
  rejects?: string;
  maxRejects?: number;
}

const SHOWN_WARNINGS = 20;

export function registerCompile(program: Command, effects: Effects, setExit: (code: number) => void): void {
  const cmd = program
    .command('compile')
    .description('compile releases into records (one per ocid) with the OCDS 1.1 merge rules; JSON Lines, or a record package')
    .argument('[inputs...]', 'releases: JSON Lines, release or record packages; "-" or nothing reads stdin')
    .option('-o, --output <file>', 'where to write the records (default: stdout)')
    .option('--versioned', 'add the versionedRelease of each record', false)
    .option('--package', 'write one record package (with publisher, licence, extensions) instead of JSON Lines', false)
    .option('--schema <file>', 'derive the merge rules from this release schema instead of ours')
    .option('--extension <file>', "apply this extension's release-schema patch first; repeatable", collect, [])
    .option('--warnings <file>', 'write every warning (JSON Lines): merge warnings, and what reading an input record changed in it')
    .option('--rejects <file>', 'where to write the input records that gave no release (unreadable, or not OCDS), with file, position and reason (JSON Lines)')
    .option('--max-rejects <n>', 'exit with code 1 when more input records than this are rejected', nonNegativeInt)
    .option('--uri <uri>', "the record package's uri, where it will be published (with --package; default: the file: URL of -o)", absoluteUri)
    .option('--local-extension-url <url>', 'published URL of the x_decp extension.json, declared in the package', absoluteUri)
    .option('--published-date <datetime>', "the record package's publishedDate (with --package; default: now): the same inputs then give the same bytes", isoDateTime)
    .option('--concurrency <n>', `buckets of releases compiled in parallel (worker threads, 1 to ${MAX_CONCURRENCY}; the output is the same)`, concurrency, Math.min(MAX_CONCURRENCY, Math.max(1, availableParallelism())));
  addPublisherOptions(cmd, {
    publisherName: "package publisher (with --package; default: the input packages', else Etalab)",
    publisherUri: "the publisher's URI in the record package (with --package): the publisher --publisher-name names, else the input packages' (their own uri replaced)",
    license: "package licence (with --package; default: the input packages', else Licence Ouverte 2.0 for DECP releases)",
    publicationPolicy: "package publication policy (with --package; default: the input packages', else the DECP one)",
  });
  addProgressOptions(addInputOptions(addCommonOptions(cmd))).action(async (inputs: string[], opts: CompileCliOptions) => {
    const progress = progressOf(opts, effects, opts.output === undefined || opts.output === '-' || opts.warnings === '-' || opts.rejects === '-');
    const { log, summary, skipped } = contextOf(opts, effects, progress);
    // (and never read back from an input folder that holds them)
    const exclude = [...distinctOutputs([['--output', opts.output], ['--warnings', opts.warnings], ['--rejects', opts.rejects]], inputs), ...settingsFiles(opts.schema, opts.extension)];
    // our schema: x_decp's merge rule for the processes that use it, not for a partner's
    const ours = opts.schema === undefined && opts.extension.length === 0;
    // only the merge rules are read from it: ours is not compiled into a validator (a quarter of a
    // second); a schema given is, so that one that could not validate anything is refused as
    // `validate` refuses it (VALIDATE_SCHEMA_LOAD), not followed
    const choice = { schema: opts.schema, extensions: ours ? undefined : opts.extension };
    const rules = mergeRulesFromSchema(ours ? (await readReleaseSchema(choice)).schema : (await loadReleaseSchema(choice)).schema);
    const plainRules = ours ? mergeRulesFromSchema(await releaseSchemaWithoutLocalExtension()) : undefined;
    // … and OCDS 1.0's for the processes of an OCDS 1.0 package
    const ocds10Rules = ours ? mergeRulesFromSchema(await releaseSchemaForOcds10()) : undefined;
    const out = await openLineWriter(opts.output, effects.stdout);
    let warnings: LineWriter | null = null;
    let rejects: LineWriter | null = null;
    let rejectsShown = 0;
    let first = true;
    let shown = 0;
    let counts;
    try {
      // (opened inside: when one cannot be, those opened before are aborted, not left behind)
      warnings = opts.warnings !== undefined ? await openLineWriter(opts.warnings, effects.stdout) : null;
      rejects = opts.rejects !== undefined ? await openLineWriter(opts.rejects, effects.stdout) : null;
      // nothing is written before every input is read: when none could be (exit 3), stdout gets
      // nothing at all (not an empty package), as a file given with -o is not written
      let nothingRead = false;
      const noInputRead = (c: Readonly<CompileCounts>): boolean => c.files > 0 && c.filesUnreadable === c.files;
      counts = await compileInputs(
        { skipped, inputs: orStdin(inputs), exclude, refuseEmpty: true, rules, plainRules, ocds10Rules, versioned: opts.versioned, concurrency: opts.concurrency, encoding: opts.encoding, sample: opts.sample, maxRecordBytes: opts.maxRecordBytes, maxDepth: opts.maxDepth, maxExpandedBytes: opts.maxExpandedBytes, watch: readWatch(progress) },
        {
          fileError: (e) => {
            log.error(`${e.code}: ${e.message}`);
            // the code reached, kept if stdout closes before the end (a closed pipe stops quietly: main.ts)
            setExit(EXIT.INPUT_UNREADABLE);
          },
          // a file's own issues (no data at all, a wrong declared encoding), as convert and run say them
          fileEnd: (file, s) => logFileEnd(log, file, s),
          inputsRead: (c) => {
            nothingRead = noInputRead(c);
            // a partner's extension that is not ours: its merge rules are not applied unless given
            if (ours) for (const url of unbundledExtensions(c.packages.flatMap((p) => (Array.isArray(p['extensions']) ? (p['extensions'] as unknown[]) : [])))) log.warn(`an input package declares the extension ${url}, which is not one of this tool's (${DECLARED_EXTENSIONS.join(', ')}): its merge rules (lists it marks wholeListMerge) are not applied; give its release-schema.json with --extension FILE`);
            if (nothingRead || !opts.package) return undefined;
            const uri = opts.uri ?? (opts.output !== undefined && opts.output !== '-' ? pathToFileURL(resolve(opts.output)).href : undefined);
            const { meta, notes } = recordPackageMetadata(c.packages, { publishedDate: opts.publishedDate ?? effects.now().toISOString(), uri, publisherName: opts.publisherName, publisherUri: opts.publisherUri, license: opts.license, publicationPolicy: opts.publicationPolicy, localExtensionUrl: opts.localExtensionUrl });
            for (const n of notes) log.warn(n);
            const head = JSON.stringify(meta);
            return out.write(`${head.slice(0, -1)},"records":[`);
          },
          record: (text) => {
            if (nothingRead) return undefined;
            if (!opts.package) return out.write(text);
            const line = first ? text : `,${text}`;
            first = false;
            return out.write(line);
          },
          // (written through: the chunk's memory is used again for later records)
          ...(opts.package ? {} : { recordBytes: (chunk: Buffer) => (nothingRead ? undefined : out.writeBytesThrough(chunk)), chunksConsumed: true }),
          warning: (w) => {
            if (shown < SHOWN_WARNINGS) log.warn('file' in w ? `${w.file} line ${w.line} (${w.ocid} ${w.releaseId ?? '(no id)'}): ${w.code}: ${w.message}` : `${w.ocid} ${w.releaseId ?? '(no id)'}: ${w.code}: ${w.message}`);
            shown++;
            return warnings?.write(JSON.stringify(w));
          },
          reject: (r) => {
            if (rejectsShown < SHOWN_WARNINGS) log.warn(`${r.provenance.file} line ${r.provenance.line}: ${r.code}: ${r.reason}`);
            rejectsShown++;
            return rejects?.write(rejectLine(r).trimEnd());
          },
        },
        effects.stdin,
      );
      if (noInputRead(counts)) {
        // no input could be read at all (exit 3): the previous output stays, not an empty file
        await abortAll([out, warnings, rejects]);
      } else {
        if (opts.package) await out.write(']}');
        // all written to their end before any replaces its file
        await commitAll([out, warnings, rejects]);
      }
    } catch (err) {
      await abortAll([out, warnings, rejects]);
      throw err;
    } finally {
      progress?.done();
    }
    if (opts.package && counts.records === 0 && counts.filesUnreadable < counts.files) log.warn('the record package has no record (OCDS requires at least one)');
    if (counts.warnings > SHOWN_WARNINGS) log.warn(`${counts.warnings - SHOWN_WARNINGS} more warning(s)${opts.warnings ? ` in ${opts.warnings}` : ' (--warnings FILE lists them all)'}`);
    if (counts.rejected > SHOWN_WARNINGS) log.warn(`${counts.rejected - SHOWN_WARNINGS} more rejected input record(s)${opts.rejects ? ` in ${opts.rejects}` : ' (--rejects FILE lists them all)'}`);
    const unreadable = counts.filesUnreadable > 0 ? `, ${counts.filesUnreadable} unreadable file(s)` : '';
    const flagged = counts.inputWarnings > 0 ? ` (and ${counts.inputWarnings} about input records changed while read)` : '';
    const compiledOnly = `${counts.compiledOnly > 0 ? `, ${counts.compiledOnly} of them records that gave only their compiledRelease (history not read)` : ''}${counts.linkedLeft > 0 ? `, ${counts.linkedLeft} records with linked releases beside embedded ones (the links not fetched)` : ''}`;
    const leftOutWhy = [
      ...(counts.compiledLeftOut > 0 ? [`${counts.compiledLeftOut} of them compiled releases given beside releases of their ocid: left out of its record, MERGE_COMPILED_RELEASE`] : []),
      ...(counts.duplicatesLeftOut > 0 ? [`${counts.duplicatesLeftOut} of them a release id given again for its ocid: left out, one of each id used, MERGE_DUPLICATE_RELEASE`] : []),
    ];
    const leftOut = leftOutWhy.length > 0 ? ` (${leftOutWhy.join('; ')})` : '';
    summary(`${counts.releases} releases${leftOut} compiled into ${counts.records} records; ${counts.warnings - counts.inputWarnings - counts.compiledOnly - counts.linkedLeft} merge warnings${flagged}; ${counts.read} input records read${compiledOnly}, ${counts.rejected} rejected${unreadable}`, counts);
    const over = tooManyRejects(log, counts.rejected, opts.maxRejects, counts.filesUnreadable > 0);
    setExit(counts.filesUnreadable > 0 ? EXIT.INPUT_UNREADABLE : over ? EXIT.FOUND_ERRORS : EXIT.OK);
  });
}
