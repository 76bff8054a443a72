/**
 * Worker thread: convert one file into temporary JSON Lines files (releases,
 * rejects) and report its counts and summary. The parent concatenates the
 * files' outputs in input order, so a parallel run writes the same bytes as a
 * sequential one.
 */
import { parentPort } from 'node:worker_threads';
import { failureOf } from '../core/workers.js';
import { convertBatches, converterOf, type LineFormat } from '../convert.js';
import { readFile, type NormalizedIngestOptions } from '../ingest/reader.js';
import type { ExpandedInput } from '../ingest/source.js';
import type { FileSummary, SourceFileInfo } from '../ingest/types.js';
import { openLineWriter } from '../publish/jsonl-writer.js';
import type { BuildContext } from '../transform/decp/build-releases.js';
import type { MappingProfile } from '../transform/profile.js';

export interface ConvertFileJob {
  readonly input: ExpandedInput;
  readonly ingest: NormalizedIngestOptions;
  readonly profile: MappingProfile;
  readonly context: BuildContext;
  readonly releasesPath: string;
  readonly rejectsPath: string;
  readonly lineFormat?: LineFormat | undefined;
}

export interface ConvertFileResult {
  readonly counts: { files: number; filesUnreadable: number; read: number; converted: number; rejected: number; releases: number };
  readonly ends: Array<{ file: SourceFileInfo; summary: FileSummary; converted: number; releases: number }>;
}

export async function convertFile(job: ConvertFileJob): Promise<ConvertFileResult> {
  const releases = await openLineWriter(job.releasesPath, process.stdout);
  const rejects = await openLineWriter(job.rejectsPath, process.stdout);
  const ends: ConvertFileResult['ends'] = [];
  const counts = await convertBatches(readFile(job.input, job.ingest), converterOf(job.profile, job.context), {
    release: (text) => releases.write(text),
    reject: (r) => rejects.write(JSON.stringify(r)),
    fileEnd: (file, summary, converted, releases) => void ends.push({ file, summary, converted, releases }),
  }, job.lineFormat);
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
