/** `decp-ocds convert [inputs] [-o FILE] [--rejects FILE] [--profile FILE]`: releases as JSON Lines. */
import type { Command } from 'commander';
import type { Effects } from '../../core/effects.js';
import { EXIT } from '../../core/errors.js';
import { convertInputsParallel } from '../../convert-parallel.js';
import { ocidOtherLine } from '../../convert.js';
import { frenchDefaultsWarning, loadProfile, partnerDefaultsWarning, personRulesWarning, publishingOf } from '../../ingest/profiles.js';
import { rejectLine } from '../../ingest/rejects.js';
import { abortAll, commitAll } from '../../publish/atomic.js';
import { openLineWriter, type LineWriter } from '../../publish/jsonl-writer.js';
import { addCommonOptions, addInputOptions, addMappingOptions, addProgressOptions, type CommonOptions, type InputOptions, type MappingOptions, orStdin, distinctOutputs, settingsFiles, tooManyRejects } from '../options.js';
import { contextOf, progressOf } from '../context.js';
import { readWatch } from '../../core/progress.js';
import { logFileEnd } from '../../core/log.js';

interface ConvertCliOptions extends CommonOptions, InputOptions, MappingOptions {
  output?: string;
  rejects?: string;
  maxRejects?: number;
}

export function registerConvert(program: Command, effects: Effects, setExit: (code: number) => void): void {
  const cmd = program
    .command('convert')
    .description('map DECP records to OCDS 1.1.5 releases (JSON Lines, one release per line)')
    .argument('[inputs...]', 'files or folders; "-" or nothing reads stdin')
    .option('-o, --output <file>', 'where to write the releases (default: stdout)')
    .option('--rejects <file>', 'where to write the records that could not be converted (JSON Lines)');
  addProgressOptions(addMappingOptions(addInputOptions(addCommonOptions(cmd)))).action(async (inputs: string[], opts: ConvertCliOptions) => {
    const progress = progressOf(opts, effects, opts.output === undefined || opts.output === '-' || opts.rejects === '-');
    const { log, summary, skipped } = contextOf(opts, effects, progress);
    // (and never read back from an input folder that holds them)
    const exclude = [...distinctOutputs([['--output', opts.output], ['--rejects', opts.rejects]], inputs), ...settingsFiles(opts.profile)];
    const profile = await loadProfile(opts.profile);
    // (the option's prefix, else the profile's own: settings.ocidPrefix)
    const { ocidPrefix } = publishingOf(profile, { ocidPrefix: opts.ocidPrefix });
    // (convert names no publisher: the prefix alone)
    const partner = partnerDefaultsWarning(profile, ocidPrefix, null);
    if (partner !== null) log.warn(partner);
    const french = frenchDefaultsWarning(profile);
    if (french !== null) log.warn(french);
    const persons = personRulesWarning(profile);
    if (persons !== null) log.warn(persons);
    const out = await openLineWriter(opts.output, effects.stdout);
    let rejects: LineWriter | null = null;
    let counts;
    try {
      // (opened inside: when it cannot be, the output opened above is aborted, not left behind)
      rejects = opts.rejects === undefined ? null : await openLineWriter(opts.rejects, effects.stdout);
      counts = await convertInputsParallel(
        {
          inputs: orStdin(inputs),
          exclude,
          // (nothing at all to read: a failed download, exit 3, the previous output left as it was)
          refuseEmpty: true,
          profile,
          context: { ocidPrefix, runDate: opts.runDate ?? effects.now().toISOString() },
          encoding: opts.encoding,
          sample: opts.sample,
          maxRecordBytes: opts.maxRecordBytes,
          maxDepth: opts.maxDepth,
          maxExpandedBytes: opts.maxExpandedBytes,
          skipped,
          watch: readWatch(progress),
        },
        {
          release: (text) => out.write(text),
          releaseBytes: (chunk) => out.writeBytes(chunk),
          reject: (r) => (rejects ? rejects.write(rejectLine(r).trimEnd()) : undefined),
          fileEnd: (file, summary) => {
            if (summary.error?.fatal) {
              log.error(`${summary.error.code}: ${summary.error.message}`);
              // the code reached, kept if stdout closes before the end (a closed pipe stops quietly: main.ts)
              setExit(EXIT.INPUT_UNREADABLE);
            }
            // the file's own issues (a DOCTYPE ignored, a wrong declared encoding, no record at all), as run says them
            logFileEnd(log, file.file, summary);
          },
        },
        opts.concurrency,
        effects.stdin,
      );
      if (counts.files > 0 && counts.filesUnreadable === counts.files) {
        // no input could be read at all (exit 3): the previous output stays, not an empty file
        await abortAll([out, rejects]);
      } else {
        // both written to their end before either replaces its file
        await commitAll([out, rejects]);
      }
    } catch (err) {
      await abortAll([out, rejects]);
      throw err;
    } finally {
      progress?.done();
    }
    const unreadable = counts.filesUnreadable > 0 ? `, ${counts.filesUnreadable} unreadable file(s)` : '';
    // (a record without embedded releases gave its compiledRelease, tag "compiled": said, never silent)
    if (counts.linkedLeft > 0) log.warn(`${counts.linkedLeft} OCDS record(s) list linked releases beside their embedded ones (URLs, not fetched: no network): only the embedded ones are written`);
    if (counts.ocidFromRecord > 0) log.warn(`${counts.ocidFromRecord} OCDS record(s) whose compiledRelease or embedded releases leave out their ocid: given the record's own`);
    if (counts.ocidOther > 0) log.warn(ocidOtherLine(counts.ocidOther));
    if (counts.compiledOnly > 0) log.warn(`${counts.compiledOnly} OCDS record(s) without embedded releases (linked, not fetched: no network; or none) gave their compiledRelease as their one release: the current state, their history not read`);
    summary(`${counts.read} records read: ${counts.converted} converted (${counts.releases} releases), ${counts.rejected} rejected${unreadable}`, counts);
    const over = tooManyRejects(log, counts.rejected, opts.maxRejects, counts.filesUnreadable > 0);
    setExit(counts.filesUnreadable > 0 ? EXIT.INPUT_UNREADABLE : over ? EXIT.FOUND_ERRORS : EXIT.OK);
  });
}
