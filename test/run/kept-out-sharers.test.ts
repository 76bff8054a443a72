/**
 * A failed download under a feed's name, the feed sharing a release with another file: the other
 * file is not read again for a version kept out (found by an incremental-equals-rebuild sweep).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { storeRows } from '../helpers/store-rows.js';
import { tempDir } from '../helpers/tmp.js';
import type { RunReport } from '../../src/run-job.js';

const DAILY = join(SHARED, 'decp/samples/2024-json/dematis-e-marchespublics_2024-07-daily-13.json');
const runJson = (out: string): RunReport => JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunReport;
const records = (out: string): string[] => gunzipSync(readFileSync(join(out, 'ocds/records.jsonl.gz'))).toString('utf8').split('\n').filter(Boolean).map((l) => l.replace(/"sourceFile":"[^"]*"/g, '')).sort();

test('a file sharing a release with a feed whose new version is kept out (cut short) is not read again night after night: nothing recompiled, its source as it was; the feed fixed, as a rebuild gives', async () => {
  const marches = (JSON.parse(readFileSync(DAILY, 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } }).marches.marche.slice(0, 3);
  const dir = tempDir('decp-ocds-kept-out-');
  const inDir = join(dir, 'in');
  mkdirSync(inDir);
  const out = join(dir, 'out');
  const run = async (o: string): Promise<number> => (await runCli(['run', inDir, '--out', o, '--quiet', '--chunk-size', '4'])).code;
  const feed = JSON.stringify({ marches: { marche: marches } });
  writeFileSync(join(inDir, 'a.json'), feed);
  expect(await run(out)).toBe(0);
  // night 2: a second platform republishes one of the feed's contracts later; the feed's download is cut short
  writeFileSync(join(inDir, 'b.json'), JSON.stringify({ marches: { marche: [{ ...marches[0], datePublicationDonnees: '2024-09-01' }] } }));
  writeFileSync(join(inDir, 'a.json'), feed.slice(0, Math.floor(feed.length * 0.6)));
  expect(await run(out)).toBe(3);
  const b = await storeRows<{ run_id: number }>(join(out, 'decp.duckdb'), `SELECT run_id FROM sources WHERE path = '${join(inDir, 'b.json')}'`);
  // night 3: the same inputs (the feed still cut): b.json is not read again, nothing is recompiled
  expect(await run(out)).toBe(3);
  expect(runJson(out).counts).toMatchObject({ filesReread: 0, read: 0, converted: 0, rejected: 0, releases: 0, ocidsCompiled: 0, filesUnreadable: 1 });
  expect(await storeRows(join(out, 'decp.duckdb'), `SELECT run_id FROM sources WHERE path = '${join(inDir, 'b.json')}'`)).toEqual(b);
  // night 4: the feed fixed, with a correction: it replaces the earlier version, b.json read again, as a rebuild gives
  marches[1] = { ...marches[1], dureeMois: 99 };
  writeFileSync(join(inDir, 'a.json'), JSON.stringify({ marches: { marche: marches } }));
  expect(await run(out)).toBe(0);
  expect(runJson(out).counts).toMatchObject({ filesReplaced: 1, filesReread: 1 });
  const fresh = join(dir, 'fresh');
  expect(await run(fresh)).toBe(0);
  expect(records(out)).toEqual(records(fresh));
});
