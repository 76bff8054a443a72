/**
 * Worker thread: convert one file, or several small ones, into temporary JSON
 * Lines files (releases, rejects) and report their counts and summaries. The parent concatenates the
 * files' outputs in input order, so a parallel run writes the same bytes as a
 * sequential one.
 */
import { parentPort } from 'node:worker_threads';
import { failureOf } from '../core/workers.js';
import { convertBatches, converterOf, type ConvertCounts, type LineFormat } from '../convert.js';
import type { Converter } from '../transform/decp/convert-record.js';
import { readFile, type NormalizedIngestOptions } from '../ingest/reader.js';
import type { ExpandedInput } from '../ingest/source.js';
import type { FileSummary, IngestEvent, SourceFileInfo } from '../ingest/types.js';
import { openLineWriter } from '../publish/jsonl-writer.js';
import type { BuildContext } from '../transform/decp/build-releases.js';
import type { MappingProfile } from '../transform/profile.js';

export interface ConvertFileJob {
  /** Consecutive input files, converted in their order into one pair of output files. */
  readonly inputs: readonly ExpandedInput[];
  readonly ingest: NormalizedIngestOptions;
  readonly profile: MappingProfile;
  readonly context: BuildContext;
  readonly releasesPath: string;
  readonly rejectsPath: string;
  readonly lineFormat?: LineFormat | undefined;
}

export interface ConvertFileResult {
  readonly counts: ConvertCounts;
  readonly ends: Array<{ file: SourceFileInfo; summary: FileSummary; converted: number; releases: number }>;
}

/**
 * The converter of the last profile and context this worker was given: a run hands every file the
 * same ones, and compiling a profile (its generated code, its locale's expressions, compiled by V8
 * on their first use) cost about 4 ms a file — two thirds of the time of a file of 10 records.
 */
let last: { key: string; converter: Converter } | undefined;
function converterFor(job: ConvertFileJob): Converter {
  // (a Map as its entries: the dates earlier runs gave undated records, context.datedBefore)
  const key = JSON.stringify([job.profile, job.context], (_k, v: unknown) => (v instanceof Map ? [...v] : v));
  if (last?.key !== key) last = { key, converter: converterOf(job.profile, job.context) };
  return last.converter;
}

async function convertFile(job: ConvertFileJob): Promise<ConvertFileResult> {
  const releases = await openLineWriter(job.releasesPath, process.stdout);
  const rejects = await openLineWriter(job.rejectsPath, process.stdout);
  const ends: ConvertFileResult['ends'] = [];
  async function* batches(): AsyncGenerator<IngestEvent[]> {
    for (const input of job.inputs) yield* readFile(input, job.ingest);
  }
  const counts = await convertBatches(batches(), converterFor(job), {
    release: (text) => releases.write(text),
    reject: (r) => rejects.write(JSON.stringify(r)),
    fileEnd: (file, summary, converted, releases) => void ends.push({ file, summary, converted, releases }),
  }, job.lineFormat, job.context);
  await releases.commit();
  await rejects.commit();
  return { counts, ends };
}

parentPort?.on('message', (job: ConvertFileJob) => {
  convertFile(job).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (err: unknown) => parentPort!.postMessage({ ok: false, error: failureOf(err) }),
  );
});
