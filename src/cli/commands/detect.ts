/** `decp-ocds detect [inputs]`: one JSON line per file: format, version, encoding, compression. */
import type { Command } from 'commander';
import type { Effects } from '../../core/effects.js';
import { readInputs } from '../../ingest/reader.js';
import { EXIT } from '../../core/errors.js';
import { addCommonOptions, addInputOptions, type CommonOptions, type InputOptions, orStdin, settingsFiles } from '../options.js';
import { contextOf } from '../context.js';
import { csvOptionsOf, jsonRecordKeysOf, loadProfile } from '../../ingest/profiles.js';

export function registerDetect(program: Command, effects: Effects, setExit: (code: number) => void): void {
  const cmd = program
    .command('detect')
    .description('print what each input file is: format, version, encoding, compression (one JSON line per file)')
    .argument('[inputs...]', 'files or folders; "-" or nothing reads stdin')
    .option('--profile <file>', "read the files as convert and run read them through this mapping profile: its CSV settings (encoding, separator, rows grouped into records, the header checked against the columns it reads) and its JSON records' list");
  addInputOptions(addCommonOptions(cmd)).action(async (inputs: string[], opts: CommonOptions & InputOptions & { profile?: string }) => {
    const { log, skipped } = contextOf(opts, effects);
    let unreadable = 0;
    // (without a profile, CSV files are read with their separator detected, a flat DECP one as DECP
    // records, as run reads it without a profile; with one, as convert and run read them through it —
    // found by a partners' probe: detect said 7 records of a CSV whose rows make 6 contracts, and 1 of
    // a JSON document whose 6 records its profile's settings.json.records finds, and could not say a
    // misspelt column)
    const profile = opts.profile === undefined ? undefined : await loadProfile(opts.profile);
    const csv = profile === undefined ? { detectDecp: true } : (csvOptionsOf(profile) ?? { detectDecp: true });
    const ingest = { skipped, refuseEmpty: true, sample: opts.sample, maxRecordBytes: opts.maxRecordBytes, maxDepth: opts.maxDepth, maxExpandedBytes: opts.maxExpandedBytes, encoding: opts.encoding, csv, ...(profile === undefined ? {} : { jsonRecordKeys: jsonRecordKeysOf(profile), exclude: settingsFiles(opts.profile) }) };
    for await (const ev of readInputs(orStdin(inputs), ingest, effects.stdin)) {
      // the reader of stdout went away (a closed pipe): nothing more to read for (see main.ts)
      if (effects.stdout.errored) throw effects.stdout.errored;
      if (ev.type !== 'file-end') continue;
      const s = ev.summary;
      const line = {
        file: ev.file.file,
        format: s.format,
        version: s.version,
        encoding: s.encoding,
        compressed: ev.file.compressed !== null,
        compression: ev.file.compressed,
        bom: s.bom,
        records: s.read,
        // records that could not be read (a document cut short, a broken line), and what reading the file found
        rejected: s.rejected,
        ...(s.issues.length > 0 ? { issues: s.issues.map((i) => ({ code: i.code, message: i.message })) } : {}),
        types: s.types,
        sha256: ev.file.sha256,
        ...(s.error ? { error: s.error } : {}),
      };
      effects.stdout.write(`${JSON.stringify(line)}\n`);
      if (s.error?.fatal) {
        unreadable++;
        log.error(`${s.error.code}: ${s.error.message}`);
      }
    }
    setExit(unreadable > 0 ? EXIT.INPUT_UNREADABLE : EXIT.OK);
  });
}
