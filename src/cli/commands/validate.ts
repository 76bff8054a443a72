/** `decp-ocds validate [inputs] [--report FILE.{json,csv,html}]... [--schema FILE] [--extension FILE]...` */
import type { Command } from 'commander';
import type { Effects } from '../../core/effects.js';
import { EXIT } from '../../core/errors.js';
import { openReportWriters } from '../../publish/validation-reports.js';
import { defaultSchemaFiles, loadDecpSchemas, loadReleaseSchema } from '../../validate/schema-store.js';
import { validateInputs } from '../../validate/validate.js';
import { addCommonOptions, addInputOptions, addProgressOptions, collect, ocidPrefix, type CommonOptions, type InputOptions, orStdin, outputsNotInputs, settingsFiles } from '../options.js';
import { contextOf, progressOf } from '../context.js';
import { readWatch } from '../../core/progress.js';
import { DECP_OCID_PREFIX, loadProfile } from '../../ingest/profiles.js';
import { converterOf } from '../../convert.js';
import type { SourceRecord } from '../../ingest/types.js';
import { createLocale } from '../../transform/locale.js';

interface ValidateCliOptions extends CommonOptions, InputOptions {
  report: string[];
  schema?: string;
  extension: string[];
  ocidPrefix?: string;
  decp?: boolean;
}


export function registerValidate(program: Command, effects: Effects, setExit: (code: number) => void): void {
  const cmd = program
    .command('validate')
    .description('validate OCDS releases (any input shape) against the OCDS 1.1.5 schema and extensions, plus data checks; exit 0 no error, 1 errors found, 2 could not run (3 an input unreadable, 4 a report unwritable)')
    .argument('[inputs...]', 'files or folders; "-" or nothing reads stdin')
    .option('--report <file>', 'write a report: .json, .csv (one row per finding) or .html (one page); repeatable (without it, the totals only: the summary line and the exit code)', collect, [])
    .option('--schema <file>', 'validate every release against this release schema (and the --extension patches) instead of ours: OCDS 1.1.5 with our extensions for releases with x_decp, OCDS 1.1.5 alone for the others')
    .option('--extension <file>', "also apply this extension's release-schema patch (JSON Merge Patch), to every release; repeatable", collect, [])
    .option('--ocid-prefix <prefix>', 'expected ocid prefix, such as ocds-78apv2 (default: any registered-looking prefix); with --decp, the prefix of the ocids the findings name, as convert and run give them (default ocds-78apv2)', ocidPrefix)
    .option('--decp', 'validate DECP source records (against the 2019 / 2024 DECP schemas, with DECP checks) instead of OCDS releases');
  addProgressOptions(addInputOptions(addCommonOptions(cmd))).action(async (inputs: string[], opts: ValidateCliOptions) => {
    const progress = progressOf(opts, effects);
    const { log, summary, skipped } = contextOf(opts, effects, progress);
    const profile = await loadProfile();
    // a DECP record's rows name the ocid convert and run give it (with --ocid-prefix, or theirs by
    // default), so that an auditor finds its process in the store; none for a record they reject
    const decp = opts.decp ? { ...(await loadDecpSchemas()), ocidOf: decpOcids(converterOf(profile, { ocidPrefix: opts.ocidPrefix ?? DECP_OCID_PREFIX, runDate: effects.now().toISOString() })) } : undefined;
    // ours (OCDS core, our extensions, x_decp) for the releases that use x_decp, with the extensions
    // given added; OCDS core with the extensions given for the others (a partner's): extensions
    // apply to the data that declares them. --schema: that schema and the extensions given, for all
    const defaults = defaultSchemaFiles();
    const schema = await loadReleaseSchema(opts.schema === undefined ? { extensions: [...defaults.extensions, ...opts.extension] } : { schema: opts.schema, extensions: opts.extension });
    const plainSchema = opts.schema === undefined ? await loadReleaseSchema({ schema: defaults.schema, extensions: opts.extension }) : undefined;
    // (one report given twice is written once: only an input named as a report is refused; the
    // reports are never read back from an input folder that holds them)
    const exclude = [...outputsNotInputs(opts.report.map((r) => ['--report', r] as const), inputs), ...settingsFiles(opts.schema, opts.extension)];
    // the report quotes values of the data: none that names a natural person, as convert publishes
    // none (RGPD); who is one, the bundled profile says, as it says it to convert
    const persons = createLocale(profile.settings);
    const writers = await openReportWriters(opts.report);
    let result;
    try {
      result = await validateInputs(
        {
          inputs: orStdin(inputs),
          exclude,
          refuseEmpty: true,
          // (a file named twice is validated once: twice, each of its releases was its own duplicate)
          onePerPath: true,
          schema,
          plainSchema,
          checks: { ocidPrefix: opts.ocidPrefix, now: effects.now().toISOString() },
          decp,
          persons,
          encoding: opts.encoding,
          sample: opts.sample,
          maxRecordBytes: opts.maxRecordBytes,
          maxDepth: opts.maxDepth,
          maxExpandedBytes: opts.maxExpandedBytes,
          skipped,
          watch: readWatch(progress),
        },
        { row: (r) => writers.row(r) },
        effects.stdin,
      );
      await writers.finish(result.report, { title: decp ? 'DECP source validation report' : 'OCDS validation report', generatedAt: effects.now().toISOString(), unit: decp ? 'DECP records' : 'releases', idLabel: decp ? 'DECP id' : 'release' });
    } catch (err) {
      await writers.abort();
      throw err;
    } finally {
      progress?.done();
    }
    const s = result.report.summary();
    for (const e of result.fileErrors) log.error(`${e.code}: ${e.message}`);
    if (result.notOcds > 0) log.warn(decp ? `${result.notOcds} record(s) are not DECP records: each is an error (input.not-decp)` : `${result.notOcds} record(s) are not OCDS releases: each is an error (input.not-ocds; DECP sources: use --decp, or convert them first)`);
    const reports = opts.report.length > 0 ? `; report: ${opts.report.join(', ')}` : '';
    // (an OCDS record of linked releases only: none of its releases validated, said apart)
    const unvalidated = s.notValidated > 0 ? `; ${s.notValidated} record(s) not validated (linked releases only: input.linked-releases)` : '';
    summary(`${s.releases} ${decp ? 'DECP records' : 'releases'} validated: ${s.valid} valid, ${s.invalid} invalid (with a schema or input error)${unvalidated}; ${s.errors} errors (${s.schemaErrors} schema, ${s.inputErrors} input, ${s.checkErrors} checks), ${s.warnings} warnings${reports}`, s);
    setExit(result.filesUnreadable > 0 ? EXIT.INPUT_UNREADABLE : s.errors > 0 ? EXIT.FOUND_ERRORS : EXIT.OK);
  });
}

/** The ocid a converter gives a DECP record (its releases share one), or null when it rejects the record. */
function decpOcids(converter: ReturnType<typeof converterOf>): (rec: SourceRecord) => string | null {
  return (rec) => {
    const got = converter.convert(rec);
    const ocid = got.ok ? got.releases[0]?.['ocid'] : undefined;
    return typeof ocid === 'string' ? ocid : null;
  };
}
