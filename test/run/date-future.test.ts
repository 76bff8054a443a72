/**
 * A "date in the future" (check.date-future) is judged against the night that compiles the process: a
 * process the later nights do not touch kept the finding once its date had come (found by an
 * operator's probe). Its process is compiled again the first night its date is no longer in the
 * future, as a run over everything would judge it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { marche } from '../helpers/decp-records.js';
import { storeRows as rows } from '../helpers/store-rows.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = (): string => tempDir('decp-ocds-future-');

/** `decp-ocds run` in this process, its clock at `now`. */
async function run(argv: string[], now: string): Promise<number> {
  return main(['run', ...argv, '--quiet'], { stdout: new PassThrough(), stderr: new PassThrough(), stdin: Readable.from([]), isTTY: false, now: () => new Date(now) });
}

/** The process (`F-1`) of each check.date-future finding, and its value. */
const futureFindings = async (out: string): Promise<Array<{ ocid: string; value: string }>> =>
  rows<{ ocid: string; value: string }>(join(out, 'decp.duckdb'), "SELECT ocid, value FROM validation_errors WHERE rule = 'check.date-future' ORDER BY ALL");

test('a process whose date was in the future is compiled again the night it no longer is; the others are left alone', async () => {
  const dir = tmp();
  const inDir = join(dir, 'in');
  const out = join(dir, 'out');
  mkdirSync(inDir);
  // published on 2026-03-01 (a date typed ahead), and a process in the farther future
  writeFileSync(join(inDir, 'a.json'), JSON.stringify({ marches: [marche('F-1', { dateNotification: '2026-02-25', datePublicationDonnees: '2026-03-01' }), marche('F-2', { dateNotification: '2030-02-25', datePublicationDonnees: '2030-03-01' }), marche('P-1', {})] }));
  expect(await run([inDir, '--out', out], '2026-01-02T03:04:05Z')).toBe(0);
  const first = await futureFindings(out);
  expect(new Set(first.map((f) => f.ocid.split('-').slice(-2).join('-')))).toEqual(new Set(['F-1', 'F-2']));
  // a later night, after 2026-03-01, with another file only
  writeFileSync(join(inDir, 'b.json'), JSON.stringify({ marches: [marche('B-1', {})] }));
  expect(await run([inDir, '--out', out], '2026-04-01T03:04:05Z')).toBe(0);
  const later = await futureFindings(out);
  expect(new Set(later.map((f) => f.ocid.split('-').slice(-2).join('-')))).toEqual(new Set(['F-2']));
  const report = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { counts: { ocidsCompiled: number } };
  // (B-1, and F-1 again: not P-1, nor F-2, still in the future)
  expect(report.counts.ocidsCompiled).toBe(2);
  // as a run over everything that night judges it
  const fresh = join(tmp(), 'out');
  expect(await run([inDir, '--out', fresh], '2026-04-01T03:04:05Z')).toBe(0);
  expect((await futureFindings(fresh)).map((f) => f.value)).toEqual(later.map((f) => f.value));
  // a night with nothing new changes nothing
  expect(await run([inDir, '--out', out], '2026-04-02T03:04:05Z')).toBe(0);
  expect((JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { counts: { ocidsCompiled: number } }).counts.ocidsCompiled).toBe(0);
  // … but for the date that has come, on a night without any new file
  expect(await run([inDir, '--out', out], '2030-04-01T03:04:05Z')).toBe(0);
  expect((JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { counts: { ocidsCompiled: number } }).counts.ocidsCompiled).toBe(1);
  expect(await futureFindings(out)).toEqual([]);
});

test("a future date written as Date.parse reads it but DuckDB does not (`10:00Z`, without its seconds; RFC 3339's lower-case `z`) is judged again too (found by a review: such a finding stayed for good)", async () => {
  const dir = tmp();
  const inDir = join(dir, 'in');
  const out = join(dir, 'out');
  mkdirSync(inDir);
  const release = (n: number, signed: string): unknown => ({ ocid: `ocds-03ad3f-${n}`, id: `r${n}`, date: '2026-01-01T00:00:00Z', tag: ['contract'], initiationType: 'tender', contracts: [{ id: 'k1', awardID: 'a1', dateSigned: signed }] });
  const releases = [release(1, '2026-03-01T10:00Z'), release(2, '2026-03-01T10:00:00z'), release(3, '2026-03-01T10:00+01:00'), release(4, '2030-03-01T10:00Z')];
  writeFileSync(join(inDir, 'p.json'), JSON.stringify({ uri: 'https://example.org/p.json', publishedDate: '2026-01-01T00:00:00Z', version: '1.1', publisher: { name: 'x' }, releases }));
  expect(await run([inDir, '--out', out], '2026-01-02T03:04:05Z')).toBe(0);
  expect((await futureFindings(out)).map((f) => f.ocid)).toEqual(['ocds-03ad3f-1', 'ocds-03ad3f-2', 'ocds-03ad3f-3', 'ocds-03ad3f-4']);
  // a later night with no new file: the three whose date has come are compiled again, not the fourth
  expect(await run([inDir, '--out', out], '2026-04-01T03:04:05Z')).toBe(0);
  expect(await futureFindings(out)).toEqual([{ ocid: 'ocds-03ad3f-4', value: '"2030-03-01T10:00Z"' }]);
  expect((JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { counts: { ocidsCompiled: number } }).counts.ocidsCompiled).toBe(3);
  // and the next night none (the fourth's date is still ahead)
  expect(await run([inDir, '--out', out], '2026-04-02T03:04:05Z')).toBe(0);
  expect((JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { counts: { ocidsCompiled: number } }).counts.ocidsCompiled).toBe(0);
});
