/**
 * A record without any date is dated by the run (RELEASE_DATE_FROM_RUN). Read again on a later night
 * — its file's next version, another platform's copy — it keeps the date the first run gave it: each
 * night's date moved the contract in the published data (and across a year's end, into the next
 * year's partitions) every time a cumulative file grew.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { main } from '../../src/cli/main.js';
import { marche } from '../helpers/decp-records.js';
import { CONTEXT, convertAll } from '../helpers/convert.js';
import { storeRows as rows } from '../helpers/store-rows.js';
import { tempDir } from '../helpers/tmp.js';

/** `decp-ocds run` in this process, its clock at `now`. */
async function run(argv: string[], now: string): Promise<number> {
  return main(['run', ...argv, '--quiet'], { stdout: new PassThrough(), stderr: new PassThrough(), stdin: Readable.from([]), isTTY: false, now: () => new Date(now) });
}

const UNDATED = { dateNotification: '', datePublicationDonnees: '' };
/** An undated record with an undated modification: both its releases are dated by the run. */
const undated = marche('U-1', { ...UNDATED, modifications: [{ montant: 1500, dureeMois: 14 }] });

/** The published releases of the process whose DECP id is `id`, by release id, less their source's hash (a file's next version is another content). */
function releaseLines(out: string, id: string): Map<string, string> {
  const lines = gunzipSync(readFileSync(join(out, 'ocds', 'releases.jsonl.gz'))).toString('utf8').split('\n').filter((l) => l.includes(`-${id}",`));
  return new Map(lines.map((l) => [(JSON.parse(l) as { id: string }).id, l.replace(/"sourceSha256":"[0-9a-f]{64}"/, '"sourceSha256":""')]));
}

const datesOf = async (out: string, id: string): Promise<Array<{ release_id: string; date: string; year: number }>> =>
  rows(join(out, 'decp.duckdb'), `SELECT release_id, strftime(date AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS date, year FROM releases WHERE ocid LIKE '%-${id}' ORDER BY release_id`);

/**
 * An output folder whose input folder holds `feed.json`: each night writes its records there (and
 * `daily` gives another file of that night, if any) and runs the job at that date.
 */
function nights(daily?: (runDate: string) => unknown[]): { inDir: string; out: string; night: (marches: unknown[], runDate: string) => Promise<void> } {
  const dir = tempDir('decp-ocds-undated-');
  const inDir = join(dir, 'in');
  const out = join(dir, 'out');
  mkdirSync(inDir);
  const night = async (marches: unknown[], runDate: string): Promise<void> => {
    writeFileSync(join(inDir, 'feed.json'), JSON.stringify({ marches }));
    if (daily) writeFileSync(join(inDir, 'daily.json'), JSON.stringify({ marches: daily(runDate) }));
    expect(await run([inDir, '--out', out, '--run-date', runDate], runDate)).toBe(0);
  };
  return { inDir, out, night };
}

test("an undated record read again on a later night keeps the date the first run gave it (its year's partition too), its releases unchanged", async () => {
  const dir = tempDir('decp-ocds-undated-');
  const inDir = join(dir, 'in');
  const out = join(dir, 'out');
  mkdirSync(inDir);
  writeFileSync(join(inDir, 'feed.json'), JSON.stringify({ marches: [undated, marche('P-1', {})] }));
  // the last night of 2025 (in Paris: 2025-12-31T22:30+01:00)
  expect(await run([inDir, '--out', out], '2025-12-31T21:30:00Z')).toBe(0);
  const first = releaseLines(out, 'U-1');
  expect(first.size).toBe(2);
  for (const line of first.values()) expect(JSON.parse(line)).toMatchObject({ date: '2025-12-31T22:30:00.000+01:00' });
  const before = await datesOf(out, 'U-1');
  expect(before.map((r) => [r.date, r.year])).toEqual([['2025-12-31T21:30:00Z', 2025], ['2025-12-31T21:30:00Z', 2025]]);

  // the cumulative file grows: read again in 2026, the undated record keeps its date and year
  writeFileSync(join(inDir, 'feed.json'), JSON.stringify({ marches: [undated, marche('P-1', {}), marche('N-1', {})] }));
  expect(await run([inDir, '--out', out], '2026-01-05T03:00:00Z')).toBe(0);
  expect(releaseLines(out, 'U-1')).toEqual(first);
  expect(await datesOf(out, 'U-1')).toEqual(before);
  const flags = await rows<{ code: string }>(join(out, 'decp.duckdb'), "SELECT code FROM quality_flags WHERE ocid LIKE '%-U-1' AND code = 'RELEASE_DATE_FROM_RUN'");
  expect(flags).toHaveLength(2);
  // no publication date is made of it (contracts.date_published stays unknown)
  expect(await rows(join(out, 'decp.duckdb'), "SELECT date_published FROM contracts WHERE ocid LIKE '%-U-1'")).toEqual([{ date_published: null }]);

  // another platform's copy of it, first read tonight, is the same release, dated as the first copy was
  writeFileSync(join(inDir, 'other.json'), JSON.stringify({ marches: [undated] }));
  expect(await run([inDir, '--out', out], '2026-01-06T03:00:00Z')).toBe(0);
  expect(await datesOf(out, 'U-1')).toEqual(before);
  const sources = await rows<{ path: string }>(join(out, 'decp.duckdb'), "SELECT DISTINCT s.path FROM release_sources r JOIN sources s ON s.sha256 = r.source_sha256 WHERE r.ocid LIKE '%-U-1' ORDER BY 1");
  expect(sources.map((r) => r.path.split('/').pop())).toEqual(['feed.json', 'other.json']);

  // a run over everything from nothing has no earlier date to keep: that night's
  const fresh = join(tempDir('decp-ocds-undated-'), 'out');
  expect(await run([inDir, '--out', fresh], '2026-01-06T03:00:00Z')).toBe(0);
  expect((await datesOf(fresh, 'U-1')).map((r) => r.date)).toEqual(['2026-01-06T03:00:00Z', '2026-01-06T03:00:00Z']);
});

test('a record first undated, then dated by its next version, takes its dates (nothing of the run is kept)', async () => {
  const dir = tempDir('decp-ocds-undated-');
  const inDir = join(dir, 'in');
  const out = join(dir, 'out');
  mkdirSync(inDir);
  writeFileSync(join(inDir, 'feed.json'), JSON.stringify({ marches: [marche('U-2', UNDATED)] }));
  expect(await run([inDir, '--out', out], '2026-02-01T03:00:00Z')).toBe(0);
  writeFileSync(join(inDir, 'feed.json'), JSON.stringify({ marches: [marche('U-2', { ...UNDATED, datePublicationDonnees: '2026-01-20' })] }));
  expect(await run([inDir, '--out', out], '2026-02-02T03:00:00Z')).toBe(0);
  expect((await datesOf(out, 'U-2')).map((r) => r.date)).toEqual(['2026-01-19T23:00:00Z']);
  expect(await rows(join(out, 'decp.duckdb'), "SELECT code FROM quality_flags WHERE ocid LIKE '%-U-2' AND code LIKE 'RELEASE_DATE_FROM_%'")).toEqual([]);
});

test('a --run-date without milliseconds, or at another offset: the undated record\'s releases are the same text on the next nights', async () => {
  const dir = tempDir('decp-ocds-undated-');
  const inDir = join(dir, 'in');
  const out = join(dir, 'out');
  mkdirSync(inDir);
  writeFileSync(join(inDir, 'feed.json'), JSON.stringify({ marches: [undated] }));
  expect(await run([inDir, '--out', out, '--run-date', '2026-01-01T04:30:00+05:00'], '2026-01-01T00:00:00Z')).toBe(0);
  const first = releaseLines(out, 'U-1');
  // (in the source's zone, as the run's own clock is written)
  for (const line of first.values()) expect(JSON.parse(line)).toMatchObject({ date: '2026-01-01T00:30:00.000+01:00' });
  writeFileSync(join(inDir, 'feed.json'), JSON.stringify({ marches: [undated, marche('N-2', {})] }));
  expect(await run([inDir, '--out', out, '--run-date', '2026-01-02T03:00:00Z'], '2026-01-02T03:00:00Z')).toBe(0);
  expect(releaseLines(out, 'U-1')).toEqual(first);
});

/** Every file of the published ocds/ folder, by name, as bytes. */
function ocdsFiles(out: string): Map<string, Buffer> {
  const dir = join(out, 'ocds');
  return new Map(readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => {
    const path = join(e.parentPath, e.name);
    return [path.slice(dir.length), readFileSync(path)];
  }));
}

test('a record undated, then dated by its next version, then undated again gets back the date the first run gave it', async () => {
  const { inDir, out, night } = nights();
  await night([undated, marche('P-3', {})], '2026-03-01T03:00:00Z');
  const first = releaseLines(out, 'U-1');
  expect((await datesOf(out, 'U-1')).map((r) => r.date)).toEqual(['2026-03-01T03:00:00Z', '2026-03-01T03:00:00Z']);
  // dated by its publication (the same award: datePublicationDonnees is none of its id's fields)
  await night([{ ...undated, datePublicationDonnees: '2026-02-20' }, marche('P-3', {})], '2026-03-02T03:00:00Z');
  expect((await datesOf(out, 'U-1')).map((r) => r.date)).toEqual(['2026-02-19T23:00:00Z', '2026-02-19T23:00:00Z']);
  // … then by its notification (another award id), then by nothing again: the first run's date, the releases as first published
  await night([{ ...undated, dateNotification: '2026-02-10' }, marche('P-3', {})], '2026-03-03T03:00:00Z');
  expect((await datesOf(out, 'U-1')).map((r) => r.date)).toEqual(['2026-02-09T23:00:00Z', '2026-02-09T23:00:00Z']);
  await night([undated, marche('P-3', {})], '2026-03-04T03:00:00Z');
  expect((await datesOf(out, 'U-1')).map((r) => r.date)).toEqual(['2026-03-01T03:00:00Z', '2026-03-01T03:00:00Z']);
  expect(releaseLines(out, 'U-1')).toEqual(first);
  // a second run over the same inputs changes nothing
  const published = ocdsFiles(out);
  expect(await run([inDir, '--out', out, '--run-date', '2026-03-05T03:00:00Z'], '2026-03-05T03:00:00Z')).toBe(0);
  expect(ocdsFiles(out)).toEqual(published);
  // … nor does a store rebuilt (its ocds/ members lost) while the record is dated: it remembers the first run's date
  rmSync(join(out, '.members'), { recursive: true, force: true });
  await night([{ ...undated, datePublicationDonnees: '2026-02-20' }, marche('P-3', {})], '2026-03-06T03:00:00Z');
  expect((await datesOf(out, 'U-1')).map((r) => r.date)).toEqual(['2026-02-19T23:00:00Z', '2026-02-19T23:00:00Z']);
  await night([undated, marche('P-3', {})], '2026-03-07T03:00:00Z');
  expect(releaseLines(out, 'U-1')).toEqual(first);
});

/** The published initial releases of the process whose DECP id is `id`: each contract's title and the release's date. */
function initialDates(out: string, id: string): Array<[string, string]> {
  return [...releaseLines(out, id).values()]
    .map((l) => JSON.parse(l) as { id: string; date: string; contracts: Array<{ title: string }> })
    .filter((r) => r.id.endsWith('-v0'))
    .map((r): [string, string] => [r.contracts[0]!.title, r.date])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

test('an undated record whose title, amount or suppliers a later version of its file corrects keeps the date the first run gave it; a lot added later keeps its own', async () => {
  // (another file read each night too: the files are converted by worker threads)
  const { inDir, out, night } = nights((runDate) => [marche(`P-${runDate.slice(0, 10)}`, {})]);
  const lot = (title: string, montant: number): unknown => marche('L-1', { ...UNDATED, objet: title, montant });
  await night([undated, lot('lot A', 100), lot('lot B', 200)], '2026-04-01T03:00:00Z');
  const first = releaseLines(out, 'U-1');
  // its title corrected (another award id: its releases' ids change), then its amount and suppliers
  const retitled = { ...undated, objet: 'objet U-1 (corrigé)' };
  await night([retitled, lot('lot A', 100), lot('lot B', 200)], '2026-04-02T03:00:00Z');
  expect(initialDates(out, 'U-1')).toEqual([['objet U-1 (corrigé)', '2026-04-01T05:00:00.000+02:00']]);
  expect((await datesOf(out, 'U-1')).map((r) => r.date)).toEqual(['2026-04-01T03:00:00Z', '2026-04-01T03:00:00Z']);
  expect([...releaseLines(out, 'U-1').keys()]).not.toEqual([...first.keys()]);
  const recast = { ...retitled, montant: 1200, titulaires: [{ typeIdentifiant: 'SIRET', id: '55203253400646', denominationSociale: 'Y' }] };
  // … while a lot is added under the lots' ocid: that lot is first recorded tonight, the others keep theirs
  await night([recast, lot('lot A', 100), lot('lot B', 200), lot('lot C', 300)], '2026-04-03T03:00:00Z');
  expect(initialDates(out, 'U-1')).toEqual([['objet U-1 (corrigé)', '2026-04-01T05:00:00.000+02:00']]);
  expect(initialDates(out, 'L-1')).toEqual([['lot A', '2026-04-01T05:00:00.000+02:00'], ['lot B', '2026-04-01T05:00:00.000+02:00'], ['lot C', '2026-04-03T05:00:00.000+02:00']]);
  // a lot corrected keeps its own date (lot C's, not its first-read siblings'); a lot corrected while another is added: no telling which is which, tonight's
  await night([recast, lot('lot A', 100), lot('lot B', 200), lot('lot C (corrigé)', 300)], '2026-04-04T03:00:00Z');
  expect(initialDates(out, 'L-1')).toEqual([['lot A', '2026-04-01T05:00:00.000+02:00'], ['lot B', '2026-04-01T05:00:00.000+02:00'], ['lot C (corrigé)', '2026-04-03T05:00:00.000+02:00']]);
  await night([recast, lot('lot A (corrigé)', 100), lot('lot B', 200), lot('lot C (corrigé)', 300), lot('lot D', 400)], '2026-04-05T03:00:00Z');
  expect(initialDates(out, 'L-1')).toEqual([['lot A (corrigé)', '2026-04-05T05:00:00.000+02:00'], ['lot B', '2026-04-01T05:00:00.000+02:00'], ['lot C (corrigé)', '2026-04-03T05:00:00.000+02:00'], ['lot D', '2026-04-05T05:00:00.000+02:00']]);
  // a second run over the same inputs changes nothing
  const published = ocdsFiles(out);
  expect(await run([inDir, '--out', out, '--run-date', '2026-04-06T03:00:00Z'], '2026-04-06T03:00:00Z')).toBe(0);
  expect(ocdsFiles(out)).toEqual(published);
});

test('a store older than run_dates remembers the dates its releases carry: the record dated, then undated again, gets back the first run\'s', async () => {
  const { out, night } = nights();
  await night([undated], '2026-05-01T03:00:00Z');
  const first = releaseLines(out, 'U-1');
  // (the store as a version without the table left it)
  const inst = await DuckDBInstance.create(join(out, 'decp.duckdb'));
  const conn = await inst.connect();
  await conn.run('DROP TABLE run_dates');
  conn.closeSync();
  inst.closeSync();
  await night([{ ...undated, datePublicationDonnees: '2026-04-20' }], '2026-05-02T03:00:00Z');
  await night([undated], '2026-05-03T03:00:00Z');
  expect(releaseLines(out, 'U-1')).toEqual(first);
});

// found by a review: each ocid of the records held to the file's end looked for the initial releases
// added under it through every one the file gave (quadratic in them: now one pass, redateCorrected)
test('a file whose undated records all correct the ones its version already read gets each its date back', async () => {
  const file = join(tempDir('decp-ocds-undated-many-'), 'feed.json');
  // (ids that end in a letter: a 2019 id ending in two digits is cut of its modification counter, M-100 is M-1's ocid)
  writeFileSync(file, JSON.stringify({ marches: Array.from({ length: 300 }, (_, i) => marche(`M-${i}-X`, { ...UNDATED, objet: `objet ${i} (corrigé)` })) }));
  const ocids = [...new Set((await convertAll([file])).releases.map((r) => String(r['ocid'])))];
  expect(ocids).toHaveLength(300);
  // (the version already read: one initial release under each ocid, another award id, dated by a run; each ocid its own night)
  const night = (k: number): string => new Date(Date.UTC(2026, 0, 1 + (k % 28), 3)).toISOString();
  const datedInFiles = new Map([[file, new Map(ocids.map((o, k) => [o, [[`${o}-before-v0`, night(k)]] as Array<[string, string | null]>]))]]);
  const got = await convertAll([file], undefined, { ...CONTEXT, datedInFiles });
  const dateOf = new Map(got.releases.map((r) => [String(r['ocid']), String(r['date'])]));
  expect(ocids.map((o) => dateOf.get(o))).toEqual(ocids.map((_, k) => `2026-01-${String(1 + (k % 28)).padStart(2, '0')}T04:00:00.000+01:00`));
});


test('a file moved (renamed) and corrected on one night: its corrected undated record keeps the first run\'s date, as after a rebuild; a new file that gives none of its records again is no move', async () => {
  const { inDir, out, night } = nights();
  const other = marche('U-3', UNDATED);
  await night([undated, other, marche('P-3', {})], '2026-06-01T03:00:00Z');
  // the publisher renames its file and, that night, corrects the undated record's title: the file
  // gives the other undated record again as it was (the store still holds the old name's version)
  rmSync(join(inDir, 'feed.json'));
  writeFileSync(join(inDir, 'feed-2026.json'), JSON.stringify({ marches: [{ ...undated, objet: 'objet U-1 (corrigé)' }, other, marche('P-3', {})] }));
  expect(await run([inDir, '--out', out, '--run-date', '2026-06-02T03:00:00Z'], '2026-06-02T03:00:00Z')).toBe(0);
  // (before: the corrected record took that night's date, 2026-06-02T05:00:00.000+02:00)
  expect(initialDates(out, 'U-1')).toEqual([['objet U-1', '2026-06-01T05:00:00.000+02:00'], ['objet U-1 (corrigé)', '2026-06-01T05:00:00.000+02:00']]);
  // a store rebuilt (its ocds/ members lost) from the renamed file alone dates it the same
  const published = releaseLines(out, 'U-1');
  rmSync(join(out, '.members'), { recursive: true, force: true });
  expect(await run([inDir, '--out', out, '--run-date', '2026-06-03T03:00:00Z', '--rebuild'], '2026-06-03T03:00:00Z')).toBe(0);
  expect(initialDates(out, 'U-1')).toEqual([['objet U-1 (corrigé)', '2026-06-01T05:00:00.000+02:00']]);
  const corrected = [...published].filter(([id]) => releaseLines(out, 'U-1').has(id));
  expect(corrected).toHaveLength(2);
  expect(new Map(corrected)).toEqual(releaseLines(out, 'U-1'));
  // the next day's file of new publications, the day's file before it no longer given: a record
  // corrected in it is no record of that file moved (it gives none of them again as they were)
  rmSync(join(inDir, 'feed-2026.json'));
  writeFileSync(join(inDir, 'day-2.json'), JSON.stringify({ marches: [{ ...other, objet: 'objet U-3 (corrigé)' }] }));
  expect(await run([inDir, '--out', out, '--run-date', '2026-06-04T03:00:00Z'], '2026-06-04T03:00:00Z')).toBe(0);
  expect(initialDates(out, 'U-3')).toEqual([['objet U-3', '2026-06-01T05:00:00.000+02:00'], ['objet U-3 (corrigé)', '2026-06-04T05:00:00.000+02:00']]);
});

test('a record undated, then corrected with a date of its own, then corrected and undated again gets back the first run\'s date, as after a rebuild', async () => {
  const { inDir, out, night } = nights();
  await night([undated, marche('P-3', {})], '2026-07-01T03:00:00Z');
  // dated by its notification (another award id: its releases' ids change), then its title corrected and its date dropped
  await night([{ ...undated, dateNotification: '2026-06-20' }, marche('P-3', {})], '2026-07-02T03:00:00Z');
  expect(initialDates(out, 'U-1')).toEqual([['objet U-1', '2026-06-20T00:00:00+02:00']]);
  await night([{ ...undated, objet: 'objet U-1 (corrigé)' }, marche('P-3', {})], '2026-07-03T03:00:00Z');
  // (before: that night's date, 2026-07-03T05:00:00.000+02:00)
  expect(initialDates(out, 'U-1')).toEqual([['objet U-1 (corrigé)', '2026-07-01T05:00:00.000+02:00']]);
  const published = releaseLines(out, 'U-1');
  // … through two dated versions too
  await night([{ ...undated, objet: 'objet U-1 (corrigé)', dateNotification: '2026-06-21' }, marche('P-3', {})], '2026-07-04T03:00:00Z');
  await night([{ ...undated, objet: 'objet U-1 (corrigé)', dateNotification: '2026-06-22' }, marche('P-3', {})], '2026-07-05T03:00:00Z');
  await night([{ ...undated, objet: 'objet U-1 (corrigé)' }, marche('P-3', {})], '2026-07-06T03:00:00Z');
  expect(releaseLines(out, 'U-1')).toEqual(published);
  // a store rebuilt (its ocds/ members lost) from the dated version, then the undated one: the same
  rmSync(join(out, '.members'), { recursive: true, force: true });
  await night([{ ...undated, objet: 'objet U-1 (corrigé)', dateNotification: '2026-06-22' }, marche('P-3', {})], '2026-07-07T03:00:00Z');
  await night([{ ...undated, objet: 'objet U-1 (corrigé)' }, marche('P-3', {})], '2026-07-08T03:00:00Z');
  expect(releaseLines(out, 'U-1')).toEqual(published);
  // a second run over the same inputs changes nothing
  const files = ocdsFiles(out);
  expect(await run([inDir, '--out', out, '--run-date', '2026-07-09T03:00:00Z'], '2026-07-09T03:00:00Z')).toBe(0);
  expect(ocdsFiles(out)).toEqual(files);
});

test('a file taken for one moved is matched to the latest read of the files no longer given whose records it gives again', async () => {
  const file = join(tempDir('decp-ocds-undated-moved-'), 'feed-v3.json');
  writeFileSync(file, JSON.stringify({ marches: [marche('K-1-X', {}), marche('A-1-X', { ...UNDATED, objet: 'objet A (corrigé)' })] }));
  const initials = (await convertAll([file])).releases.filter((r) => String(r['id']).endsWith('-v0'));
  const [k, a] = ['K-1-X', 'A-1-X'].map((id) => initials.find((r) => String(r['ocid']).endsWith(id))!);
  const [kOcid, kId, aOcid] = [String(k!['ocid']), String(k!['id']), String(a!['ocid'])];
  // two snapshots no longer given, the latest read first: each gave K-1-X as it is, and A-1-X before its
  // correction, dated by a run (the later snapshot's A-1-X an earlier correction, dated by its own night)
  const versions = (aDate: string): Map<string, Array<[string, string | null]>> => new Map([[kOcid, [[kId, null]]], [aOcid, [[`${aOcid}-${aDate}-v0`, aDate]]]]);
  const datedInFiles = new Map([['/in/feed-v2.json', versions('2026-01-02T03:00:00.000Z')], ['/in/feed-v1.json', versions('2026-01-01T03:00:00.000Z')]]);
  const dated = async (movedFrom: string[]): Promise<unknown> => (await convertAll([file], undefined, { ...CONTEXT, datedInFiles, movedFrom })).releases.find((r) => r['id'] === a!['id'])!['date'];
  expect(await dated(['/in/feed-v2.json', '/in/feed-v1.json'])).toBe('2026-01-02T04:00:00.000+01:00');
  expect(await dated(['/in/feed-v1.json', '/in/feed-v2.json'])).toBe('2026-01-01T04:00:00.000+01:00');
  // none of them given again: no move, the run's date
  const none = new Map([['/in/feed-v1.json', new Map([[aOcid, [[`${aOcid}-old-v0`, '2026-01-01T03:00:00.000Z']] as Array<[string, string | null]>]])]]);
  expect((await convertAll([file], undefined, { ...CONTEXT, datedInFiles: none, movedFrom: ['/in/feed-v1.json'] })).releases.find((r) => r['id'] === a!['id'])!['date']).toBe(a!['date']);
});
