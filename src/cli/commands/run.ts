/** `decp-ocds run [inputs] [--out DIR]`: the nightly job (see src/run-job.ts). */
import type { Command } from 'commander';
import type { Effects } from '../../core/effects.js';
import { runJob } from '../../run-job.js';
import { addCommonOptions, addInputOptions, addRunOptions, type CommonOptions, type InputOptions, type MappingOptions } from '../options.js';
import { contextOf } from '../context.js';

interface RunCliOptions extends CommonOptions, InputOptions, MappingOptions {
  out: string;
  maxRejects?: number;
}

export function registerRun(program: Command, effects: Effects, setExit: (code: number) => void): void {
  const cmd = program
    .command('run')
    .description('the nightly job: read and convert every input into the output folder (with no input: the bundled demo data)')
    .argument('[inputs...]', 'files or folders; "-" reads stdin');
  addRunOptions(addInputOptions(addCommonOptions(cmd))).action(async (inputs: string[], opts: RunCliOptions) => {
    const { log } = contextOf(opts, effects);
    const report = await runJob(
      {
        inputs,
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
      },
      effects,
      log,
    );
    const c = report.counts;
    const unreadable = c.filesUnreadable > 0 ? `, ${c.filesUnreadable} unreadable file(s)` : '';
    effects.stderr.write(`decp-ocds: ${c.files} file(s), ${c.read} records read: ${c.converted} converted (${c.releases} releases), ${c.rejected} rejected${unreadable}; output in ${opts.out}\n`);
    setExit(report.exitCode);
  });
}
