/** `decp-ocds run [inputs] [--out DIR]`: the nightly job (see src/run-job.ts). */
import type { Command } from 'commander';
import type { Effects } from '../../core/effects.js';
import { addCommonOptions, addInputOptions, addProgressOptions, addRunOptions, inputPaths, tooManyRejects, type CommonOptions, type InputOptions, type MappingOptions, type PublisherOptions } from '../options.js';
import { contextOf, progressOf } from '../context.js';
import { PipelineError } from '../../core/errors.js';

interface RunCliOptions extends CommonOptions, InputOptions, MappingOptions, PublisherOptions {
  out: string;
  maxRejects?: number;
  versioned: boolean;
  gzipLevel: number;
  memoryLimit: string;
  chunkSize: number;
  rehash: boolean;
  rebuild: boolean;
  localExtensionUrl?: string;
  publicationUrl?: string;
}

export function registerRun(program: Command, effects: Effects, setExit: (code: number) => void): void {
  const cmd = program
    .command('run')
    .description('the nightly job: read and convert every input into the output folder (with no input: the bundled demo data)')
    .argument('[inputs...]', 'files or folders; "-" reads stdin');
  addProgressOptions(addRunOptions(addInputOptions(addCommonOptions(cmd)))).action(async (inputs: string[], opts: RunCliOptions) => {
    // (under --log-format json every stderr line is a JSON object: no bar)
    const progress = progressOf(opts, effects);
    const { log, summary } = contextOf(opts, effects, progress);
    if (opts.out.trim() === '') throw new PipelineError('CLI_INVALID_OPTION', '--out is empty', { context: { option: '--out' }, remedy: 'give the output folder (default: out)' });
    // (loaded when run runs: the job and the store's DuckDB were a third of every command's start)
    const { runJob } = await import('../../run-job.js');
    // (a failure's line, written by main.ts, never follows the bar either)
    const report = await runJob(
      {
        inputs: inputPaths(inputs),
        // (nothing at all to read: a failed download, exit 3, the published data set left as it was)
        refuseEmpty: true,
        out: opts.out,
        maxRejects: opts.maxRejects ?? Number.POSITIVE_INFINITY,
        encoding: opts.encoding,
        sample: opts.sample,
        maxRecordBytes: opts.maxRecordBytes,
        maxDepth: opts.maxDepth,
        maxExpandedBytes: opts.maxExpandedBytes,
        ocidPrefix: opts.ocidPrefix,
        runDate: opts.runDate,
        profile: opts.profile,
        concurrency: opts.concurrency,
        versioned: opts.versioned,
        gzipLevel: opts.gzipLevel,
        memoryLimit: opts.memoryLimit,
        chunkOcids: opts.chunkSize,
        rehash: opts.rehash,
        rebuild: opts.rebuild,
        localExtensionUrl: opts.localExtensionUrl,
        publicationUrl: opts.publicationUrl,
        publisherName: opts.publisherName,
        publisherUri: opts.publisherUri,
        license: opts.license,
        publicationPolicy: opts.publicationPolicy,
        progress,
      },
      effects,
      log,
    ).finally(() => progress?.done());
    const c = report.counts;
    const unreadable = c.filesUnreadable > 0 ? `, ${c.filesUnreadable} unreadable file(s)` : '';
    // with --sample, the files after the last one read are not reached
    const notReached = c.files - c.filesNew - c.filesUnchanged - c.filesDuplicate - c.filesUnreadable;
    summary(
      // (files = read + unchanged + duplicates + unreadable; a file that replaces an earlier version of its path is one of those read)
      `${c.files} file(s): ${c.filesNew} with new content${c.filesReplaced > 0 ? ` (${c.filesReplaced} replacing an earlier version)` : ''}, ${c.filesUnchanged} unchanged${c.filesReread > 0 ? ` (${c.filesReread} read again: moved, sharing releases with a replaced version or a trial run's file, or records rejected under a smaller limit)` : ''}${c.filesDuplicate > 0 ? `, ${c.filesDuplicate} duplicate(s) of another input (same content: read once)` : ''}${notReached > 0 ? `, ${notReached} not reached (--sample)` : ''}; ${c.read} records read: ${c.converted} converted (${c.releases} releases), ${c.rejected} rejected${unreadable}; store: ${c.store['releases'] ?? 0} releases, ${c.store['records'] ?? 0} records; output in ${opts.out}`,
      c,
    );
    tooManyRejects(log, c.rejected, opts.maxRejects, c.filesUnreadable > 0);
    setExit(report.exitCode);
  });
}
