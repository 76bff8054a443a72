/**
 * What an operator running the nightly job in cron meets (found by an operator's audit): the same
 * file given by another path, a failed run's leftovers, the lock, the exit codes of a folder that
 * cannot be written, DuckDB's smallest memory.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';
import { toOlderLayout } from '../helpers/out-layout.js';
import { asWriteError, PipelineError } from '../../src/core/errors.js';
import { EMPTY_LOCK_MS, LOCK_STALE_MS, openOutputDir, PUBLISHED_FILES } from '../../src/publish/output-dir.js';
import { storeRows as rows } from '../helpers/store-rows.js';

const tmp = (): string => tempDir('decp-ocds-operator-');
const BIN = join(import.meta.dirname, '../../bin/decp-ocds.js');


const marche = (id: string, montant: number): Record<string, unknown> => ({
  id,
  acheteur: { id: '21350238800019' },
  nature: 'Marché',
  objet: `objet ${id}`,
  codeCPV: '45000000',
  procedure: 'Procédure adaptée',
  dureeMois: 12,
  dateNotification: '2024-01-10',
  datePublicationDonnees: '2024-01-11',
  montant,
  titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '41436537056563' } }],
});

test('a file named by a relative path one night and by its absolute path the next is one file: its corrected version replaces the old', () => {
  const dir = tmp();
  mkdirSync(join(dir, 'in'));
  const feed = join(dir, 'in', 'feed.json');
  const out = join(dir, 'out');
  writeFileSync(feed, JSON.stringify({ marches: [marche('2024-1', 50000), marche('2024-2', 60000)] }));
  execFileSync(process.execPath, [BIN, 'run', 'in', '--out', out, '--quiet'], { cwd: dir, stdio: 'pipe' });
  // corrected the next day (one amount), and the cron line now gives absolute paths
  writeFileSync(feed, JSON.stringify({ marches: [marche('2024-1', 50000), marche('2024-2', 65000)] }));
  execFileSync(process.execPath, [BIN, 'run', join(dir, 'in'), '--out', out, '--quiet'], { cwd: '/', stdio: 'pipe' });
  const report = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { replaced: Array<{ path: string }> };
  expect(report.replaced.map((r) => r.path)).toEqual([feed]);
  return rows<{ status: string; path: string }>(join(out, 'decp.duckdb'), 'SELECT status, path FROM sources ORDER BY status').then(async (sources) => {
    expect(sources).toEqual([
      { status: 'current', path: feed },
      { status: 'replaced', path: feed },
    ]);
    expect(await rows(join(out, 'decp.duckdb'), 'SELECT count(*)::INTEGER AS n, sum(amount)::INTEGER AS total FROM contracts')).toEqual([{ n: 2, total: 115000 }]);
  });
});

test('the members no published store lists are removed before the lock is released (a run that takes it next writes its own)', async () => {
  const out = join(tmp(), 'out');
  const dir = await openOutputDir(out, 'g1');
  for (const f of PUBLISHED_FILES) writeFileSync(join(dir.staging, f), '');
  let lockHeld: boolean | undefined;
  await dir.publish(async () => {
    lockHeld = existsSync(join(out, '.lock'));
  });
  expect(lockHeld).toBe(true);
  expect(existsSync(join(out, '.lock'))).toBe(false);
});

test('a run that fails after writing ocds/ members removes them (the published ones stay); the next run completes', async () => {
  const dir = tmp();
  const out = join(dir, 'out');
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ marches: [marche('2024-1', 50000)] }));
  expect((await runCli(['run', join(dir, 'a.json'), '--out', out, '--quiet'])).code).toBe(0);
  const published = readdirSync(join(out, '.members')).sort();
  // the next night cannot publish: its generations folder is a file (the store kept out of it, as an older version kept it)
  writeFileSync(join(dir, 'b.json'), JSON.stringify({ marches: [marche('2024-2', 60000)] }));
  toOlderLayout(out);
  rmSync(join(out, '.gen'), { recursive: true, force: true });
  writeFileSync(join(out, '.gen'), 'not a folder');
  const failed = await runCli(['run', join(dir, 'a.json'), join(dir, 'b.json'), '--out', out, '--quiet']);
  expect(failed.code).not.toBe(0);
  expect(readdirSync(join(out, '.members')).sort()).toEqual(published);
  expect(existsSync(join(out, '.lock'))).toBe(false);
  rmSync(join(out, '.gen'));
  expect((await runCli(['run', join(dir, 'a.json'), join(dir, 'b.json'), '--out', out, '--quiet'])).code).toBe(0);
  expect(await rows(join(out, 'decp.duckdb'), 'SELECT count(*)::INTEGER AS n FROM contracts')).toEqual([{ n: 2 }]);
});

test('a folder the run cannot write (permissions, a full disk) is exit 4, PUBLISH_WRITE, not a bug to report', () => {
  const denied = Object.assign(new Error("EACCES: permission denied, rename 'a' -> 'b'"), { code: 'EACCES' });
  const e = asWriteError(denied);
  expect(e).toBeInstanceOf(PipelineError);
  expect((e as PipelineError).code).toBe('PUBLISH_WRITE');
  const other = Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  expect(asWriteError(other)).toBe(other);
});

test('--memory-limit below what the store\'s loads need is a usage error, not a failure every night', async () => {
  for (const m of ['64MB', '128MB']) {
    const r = await runCli(['run', '--memory-limit', m, '--out', join(tmp(), 'out')]);
    expect([m, r.code]).toEqual([m, 2]);
    expect(r.stderr).toMatch(/at least 160MB/);
  }
});

test('a run whose member clean-up fails (a folder among the members) still publishes, and its members stay', async () => {
  const dir = tmp();
  const out = join(dir, 'out');
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ marches: [marche('2024-1', 50000)] }));
  expect((await runCli(['run', join(dir, 'a.json'), '--out', out, '--quiet'])).code).toBe(0);
  mkdirSync(join(out, '.members', 'not-a-member.d'));
  writeFileSync(join(dir, 'b.json'), JSON.stringify({ marches: [marche('2024-2', 60000)] }));
  expect((await runCli(['run', join(dir, 'a.json'), join(dir, 'b.json'), '--out', out, '--quiet'])).code).toBe(0);
  const listed = await rows<{ file: string }>(join(out, 'decp.duckdb'), 'SELECT file FROM ocds_members');
  for (const { file } of listed) expect(existsSync(join(out, '.members', file))).toBe(true);
  expect(existsSync(join(out, '.lock'))).toBe(false);
  // and the next night reads them
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ marches: [marche('2024-1', 55000)] }));
  expect((await runCli(['run', join(dir, 'a.json'), join(dir, 'b.json'), '--out', out, '--quiet'])).code).toBe(0);
});

test('run\'s validation report says how many buyers there are, beside those it lists', async () => {
  const dir = tmp();
  const out = join(dir, 'out');
  const siret = (k: number): string => {
    // a SIRET that passes the Luhn check: 13 digits, then the check digit
    const body = `2135023${String(k).padStart(6, '0')}`;
    for (let c = 0; c <= 9; c++) {
      const s = `${body}${c}`;
      const sum = [...s].reverse().reduce((a, d, i) => a + (i % 2 === 1 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][Number(d)]! : Number(d)), 0);
      if (sum % 10 === 0) return s;
    }
    throw new Error('no check digit');
  };
  writeFileSync(join(dir, 'many.json'), JSON.stringify({ marches: Array.from({ length: 130 }, (_, k) => ({ ...marche(`2024-${k}`, 50000 + k), acheteur: { id: siret(k) } })) }));
  expect((await runCli(['run', join(dir, 'many.json'), '--out', out, '--quiet'])).code).toBe(0);
  const report = JSON.parse(readFileSync(join(out, 'reports', 'validation.json'), 'utf8')) as { buyers: unknown[]; buyersTotal: number };
  expect(report.buyers.length).toBeLessThanOrEqual(100);
  expect(report.buyersTotal).toBe(130);
});

test("partners' buyers that the contracts name are the records' and the report's, as validate names them: a buyer given by its party's role only, a 1.0 buyer by its identifier (found by a probe: records.buyer_id null, run's report under \"(no buyer)\" where validate said GDF9712054NA)", async () => {
  const dir = tmp();
  const out = join(dir, 'out');
  const roleOnly = {
    uri: 'http://example.org/p1', version: '1.1', publishedDate: '2024-01-01T00:00:00Z', publisher: { name: 'P' },
    releases: [{ ocid: 'ocds-abc123-11', id: '1', date: '2024-01-01T00:00:00Z', tag: ['contract'], initiationType: 'tender', parties: [{ id: 'B1', name: 'Buyer One', roles: ['buyer'] }], awards: [{ id: 'a', status: 'active' }], contracts: [{ id: 'k', awardID: 'a', value: { amount: -5, currency: 'USD' } }] }],
  };
  writeFileSync(join(dir, 'role.json'), JSON.stringify(roleOnly));
  expect((await runCli(['run', join(dir, 'role.json'), join(SHARED, 'partners/mexico-cdmx/release-package_encoding-utf-8.json'), '--out', out, '--quiet'])).code).toBe(0);
  const db = join(out, 'decp.duckdb');
  expect(await rows(db, 'SELECT ocid, buyer_id FROM records ORDER BY ocid')).toEqual([
    { ocid: 'OCDS-87SD3T-SEFIN-DRM-AD-024-2016', buyer_id: 'GDF9712054NA' },
    { ocid: 'ocds-abc123-11', buyer_id: 'B1' },
  ]);
  expect(await rows(db, 'SELECT DISTINCT ocid, buyer_id FROM contracts ORDER BY ocid')).toEqual(await rows(db, 'SELECT ocid, buyer_id FROM records ORDER BY ocid'));
  type Buyers = { buyers: Array<{ buyer: string; releases: number }>; buyersTotal: number };
  const ran = JSON.parse(readFileSync(join(out, 'reports', 'validation.json'), 'utf8')) as Buyers;
  expect(ran.buyers.map((b) => [b.buyer, b.releases])).toEqual([['GDF9712054NA', 3], ['B1', 1]]);
  // validate on the releases run published names the same buyers, with the same counts
  expect((await runCli(['validate', join(out, 'ocds', 'releases.jsonl.gz'), '--report', join(dir, 'v.json')])).code).toBe(0);
  const validated = JSON.parse(readFileSync(join(dir, 'v.json'), 'utf8')) as Buyers;
  expect(validated.buyers).toEqual(ran.buyers);
  expect(validated.buyersTotal).toBe(2);
});

test('a release given again in the inputs is said and counted, the later publication kept (found by a probe: two rows a profile mapped to one release lost one silently)', async () => {
  const dir = tmp();
  const out = join(dir, 'out');
  // the same contract in two files, the second a later publication with another amount
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ marches: [marche('2024-1', 50000)] }));
  writeFileSync(join(dir, 'b.json'), JSON.stringify({ marches: [{ ...marche('2024-1', 50000), objet: 'objet 2024-1', datePublicationDonnees: '2024-02-01', dureeMois: 13 }] }));
  const r = await runCli(['run', join(dir, 'a.json'), join(dir, 'b.json'), '--out', out]);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/1 release\(s\) given again in the inputs \(same ocid and release id\): the later publication of each is kept.*ocds-78apv2-21350238800019-2024-1 ocds-78apv2-21350238800019-2024-1-\w+-v0/);
  expect((JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { counts: { releasesGivenAgain: number } }).counts.releasesGivenAgain).toBe(1);
  expect(await rows(join(out, 'decp.duckdb'), 'SELECT count(*)::INTEGER AS n, max(duration_months) AS months FROM contracts')).toEqual([{ n: 1, months: 13 }]);
});

test('run with no input takes the bundled demo data, never into a store of other sources (found by a probe: `cat feed | run --out data` mixed the demo into it)', async () => {
  const dir = tmp();
  const out = join(dir, 'out');
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ marches: [marche('2024-1', 50000)] }));
  expect((await runCli(['run', join(dir, 'a.json'), '--out', out, '--quiet'])).code).toBe(0);
  const r = await runCli(['run', '--out', out]);
  expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/^decp-ocds: CLI_INVALID_OPTION: no input given: the bundled demo data would be added to the store in .*, which holds other sources \(.*a\.json\) — name the input files or folders, or - to read stdin/m)]);
  expect(await rows(join(out, 'decp.duckdb'), 'SELECT count(*)::INTEGER AS n FROM sources')).toEqual([{ n: 1 }]);
  // a store of the demo data alone takes it again (the README's first command, run twice)
  const demo = join(dir, 'demo');
  expect((await runCli(['run', '--out', demo, '--quiet'])).code).toBe(0);
  expect((await runCli(['run', '--out', demo, '--quiet'])).code).toBe(0);
});

test('a folder where a published file goes is exit 4 before anything is published (found by a probe: INTERNAL, exit 2, the store swapped and run.json not)', async () => {
  const dir = tmp();
  const out = join(dir, 'out');
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ marches: [marche('2024-1', 50000)] }));
  writeFileSync(join(dir, 'b.json'), JSON.stringify({ marches: [marche('2024-2', 60000)] }));
  expect((await runCli(['run', join(dir, 'a.json'), '--out', out, '--quiet'])).code).toBe(0);
  rmSync(join(out, 'rejects.jsonl'));
  mkdirSync(join(out, 'rejects.jsonl'));
  const r = await runCli(['run', join(dir, 'a.json'), join(dir, 'b.json'), '--out', out, '--quiet']);
  expect([r.code, r.stderr]).toEqual([4, expect.stringMatching(/^decp-ocds: PUBLISH_WRITE: .*rejects\.jsonl is a folder/)]);
  // the previous publication, whole: its store, its run.json
  expect(await rows(join(out, 'decp.duckdb'), 'SELECT count(*)::INTEGER AS n FROM sources')).toEqual([{ n: 1 }]);
  expect((JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { runId: number }).runId).toBe(1);
  rmSync(join(out, 'rejects.jsonl'), { recursive: true });
  expect((await runCli(['run', join(dir, 'a.json'), join(dir, 'b.json'), '--out', out, '--quiet'])).code).toBe(0);
  expect(await rows(join(out, 'decp.duckdb'), 'SELECT count(*)::INTEGER AS n FROM sources')).toEqual([{ n: 2 }]);
});

test('--out holding a decp.duckdb that is no DuckDB database: a usage error naming it, the file left as it is (found by a probe: PUBLISH_WRITE naming a staging path)', async () => {
  const dir = tmp();
  const out = join(dir, 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'decp.duckdb'), 'my notes\n');
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ marches: [marche('2024-1', 50000)] }));
  const r = await runCli(['run', join(dir, 'a.json'), '--out', out]);
  expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/^decp-ocds: CLI_INVALID_OPTION: .*out\/decp\.duckdb is not a DuckDB database/m)]);
  expect(readFileSync(join(out, 'decp.duckdb'), 'utf8')).toBe('my notes\n');
  expect(readdirSync(out)).toEqual(['decp.duckdb']);
});

test('an empty lock (a run that has created it and not yet written its pid) is held while fresh, and stale once old (found by an operator\'s probe: judged stale at once, so two runs could both hold it)', async () => {
  const out = join(tmp(), 'out');
  mkdirSync(out);
  writeFileSync(join(out, '.lock'), '');
  await expect(openOutputDir(out, 'g1')).rejects.toMatchObject({ code: 'PUBLISH_LOCKED' });
  expect(readFileSync(join(out, '.lock'), 'utf8')).toBe('');
  // one left by a run killed between creating and writing it, long ago: taken
  const old = new Date(Date.now() - 2 * EMPTY_LOCK_MS);
  utimesSync(join(out, '.lock'), old, old);
  const dir = await openOutputDir(out, 'g1');
  expect(readFileSync(join(out, '.lock'), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
  await dir.release();
  expect(existsSync(join(out, '.lock'))).toBe(false);
});

test("the lock is written whole before it is in place (a draft linked as .lock): none of a run's drafts stays, and those of killed runs go once old", async () => {
  const out = join(tmp(), 'out');
  mkdirSync(out);
  const old = new Date(Date.now() - 2 * EMPTY_LOCK_MS);
  for (const f of ['.lock.new-1-aaaa', '.lock.stale-1-bbbb', '.lock.new-2-cccc']) writeFileSync(join(out, f), '1 - x\n');
  for (const f of ['.lock.new-1-aaaa', '.lock.stale-1-bbbb']) utimesSync(join(out, f), old, old);
  const dir = await openOutputDir(out, 'g1');
  expect(readFileSync(join(out, '.lock'), 'utf8')).toMatch(new RegExp(`^${process.pid} \\S+ [0-9a-f]{16} \\S+\n$`));
  // (the old leftovers gone; a fresh draft, maybe another run's being linked now, kept; none of this run's)
  expect(readdirSync(out).filter((f) => f.startsWith('.lock')).sort()).toEqual(['.lock', '.lock.new-2-cccc']);
  await dir.release();
  expect(existsSync(join(out, '.lock'))).toBe(false);
});

test("a lock of another container's or machine's run (its pid means nothing here: node is pid 1 in every container) is held while that run keeps it fresh, and stale once it no longer does (found by an operator's probe: two containers' runs on one volume, both pid 1, the second took the first's lock and removed its staging folder, both failed)", async () => {
  const out = join(tmp(), 'out');
  mkdirSync(out);
  const lock = join(out, '.lock');
  // written by a run of another container: our own pid there (both pid 1), or one no process has here
  for (const pid of [process.pid, 2 ** 22 + 1]) {
    const foreign = `${pid} 4242 0123456789abcdef other-container/0123456789ab\n`;
    writeFileSync(lock, foreign);
    await expect(openOutputDir(out, 'g1')).rejects.toMatchObject({ code: 'PUBLISH_LOCKED', message: expect.stringContaining('other-container') as unknown });
    expect(readFileSync(lock, 'utf8')).toBe(foreign);
    expect(readdirSync(out).filter((f) => f.startsWith('.staging-'))).toEqual([]);
  }
  // its run killed long ago (the lock no longer refreshed): taken over
  const old = new Date(Date.now() - 2 * LOCK_STALE_MS);
  utimesSync(lock, old, old);
  const dir = await openOutputDir(out, 'g1', 20);
  const mine = readFileSync(lock, 'utf8');
  // our lock names our machine, so that a run of another one holds it while we refresh it
  expect(mine).toMatch(new RegExp(`^${process.pid} \\S+ [0-9a-f]{16} \\S+/[0-9a-f]{12}\n$`));
  utimesSync(lock, old, old);
  await new Promise((r) => setTimeout(r, 200));
  expect(Date.now() - statSync(lock).mtimeMs).toBeLessThan(LOCK_STALE_MS);
  expect(readFileSync(lock, 'utf8')).toBe(mine);
  await dir.release();
  expect(existsSync(lock)).toBe(false);
});

test("a run whose lock another machine's run took over (it judged it stale: this run stalled past LOCK_STALE_MS, a paused container) publishes nothing and leaves that run's lock and staging folder alone (found by a review: it published over the other run, removed its generations and its lock)", async () => {
  const out = join(tmp(), 'out');
  mkdirSync(out);
  const lock = join(out, '.lock');
  const dir = await openOutputDir(out, 'g1', 20);
  for (const f of PUBLISHED_FILES) writeFileSync(join(dir.staging, f), 'x');
  // the other machine's run took the lock as takeLock does (moved aside, removed, its own linked), and
  // its staging folder has this one's name (both pid 1, in their containers)
  rmSync(lock);
  const theirs = `${process.pid} 4242 0123456789abcdef other-container/0123456789ab\n`;
  writeFileSync(lock, theirs);
  await new Promise((r) => setTimeout(r, 100));
  await expect(dir.publish()).rejects.toMatchObject({ code: 'PUBLISH_LOCKED' });
  expect(existsSync(join(out, '.current'))).toBe(false);
  await dir.release();
  expect(readFileSync(lock, 'utf8')).toBe(theirs);
  expect(existsSync(dir.staging)).toBe(true);
});

test("a run whose lock was taken over while it ran ends PUBLISH_LOCKED, exit 4, and removes none of the new holder's members (found by a review: a failed run's clean-up removed every member the published store does not list, those the new holder was writing too)", async () => {
  const out = join(tmp(), 'out');
  const child = spawn(process.execPath, [BIN, 'run', join(SHARED, 'decp/samples/2019-json'), '--out', out, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  const lock = join(out, '.lock');
  for (let i = 0; i < 400 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 10));
  // another machine's run takes the lock over (this one stalled: see LOCK_STALE_MS) and writes its members
  rmSync(lock);
  const theirs = '1 4242 0123456789abcdef other-container/0123456789ab\n';
  writeFileSync(lock, theirs);
  mkdirSync(join(out, '.members'), { recursive: true });
  writeFileSync(join(out, '.members', 'theirs-000001.jsonl.gz'), 'x');
  expect([await exited, stderr]).toEqual([4, expect.stringMatching(/PUBLISH_LOCKED: this run's lock was taken over/)]);
  expect(readFileSync(lock, 'utf8')).toBe(theirs);
  expect(existsSync(join(out, '.members', 'theirs-000001.jsonl.gz'))).toBe(true);
  expect(existsSync(join(out, '.current'))).toBe(false);
}, 120_000);

test("the lock of a killed run that its parent has not reaped yet (a zombie: its pid still answers) is stale (found by an operator's probe: a run killed under a parent that does not wait for it held the lock, every night PUBLISH_LOCKED)", async () => {
  const out = join(tmp(), 'out');
  mkdirSync(out);
  // a process that has ended, under a parent that never waits for it (exec'd sleep does not reap)
  const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const zombie = Number(await new Promise<string>((r) => parent.stdout.once('data', (d: Buffer) => r(d.toString()))));
    let state = '';
    for (let i = 0; i < 100 && state !== 'Z'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      state = readFileSync(`/proc/${zombie}/stat`, 'utf8').replace(/^.*\) /s, '')[0]!;
    }
    expect(state).toBe('Z');
    writeFileSync(join(out, '.lock'), `${zombie} -\n`);
    const dir = await openOutputDir(out, 'g1');
    expect(readFileSync(join(out, '.lock'), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    await dir.release();
  } finally {
    parent.kill('SIGKILL');
  }
});

test("an earlier generation that cannot be removed (a reader's folder in it) does not make a published run a failure: said, exit 0, removed by a later run once it can (found by an operator's probe: PUBLISH_WRITE, exit 4, each night after publishing, generations piling up)", () => {
  const dir = tmp();
  // the run as a user that cannot remove a folder another user made in the published output (under
  // root, the tests' user here: run as nobody; else a folder it may not write)
  const root = process.getuid?.() === 0;
  const as = root ? { uid: 65534, gid: 65534 } : {};
  for (let d = dir; root && d !== tmpdir(); d = dirname(d)) chmodSync(d, 0o755);
  const feed = join(dir, 'feed.json');
  const out = join(dir, 'out');
  mkdirSync(out);
  if (root) chownSync(out, 65534, 65534);
  const run = (amount: number): { status: number | null; stderr: string } => {
    writeFileSync(feed, JSON.stringify({ marches: [marche('2024-1', amount)] }));
    return spawnSync(process.execPath, [BIN, 'run', feed, '--out', out, '--quiet'], { ...as, encoding: 'utf8' });
  };
  expect(run(50000).status).toBe(0);
  const first = readlinkSync(join(out, '.current'));
  // an analyst's notes beside the reports, in a folder of theirs (in the generation published now)
  const notes = join(out, first, 'reports', 'analyst');
  mkdirSync(notes);
  writeFileSync(join(notes, 'notes.txt'), 'x');
  if (!root) chmodSync(notes, 0o555);
  const second = run(60000);
  expect([second.status, second.stderr]).toEqual([0, expect.stringMatching(/(?:^|\n)decp-ocds: warning: the output is published; 1 earlier generation folder\(s\) could not be removed \(EACCES: .*\.gen\/[^ ]+\): a later run removes them once it can\b.*\n.*output in /)]);
  const now = readlinkSync(join(out, '.current'));
  expect(now).not.toBe(first);
  expect(readdirSync(join(out, '.gen')).sort()).toEqual([first, now].map((g) => g.split('/')[1]).sort());
  expect(existsSync(join(out, '.lock'))).toBe(false);
  expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))).toMatchObject({ exitCode: 0 });
  // the folder made removable, the next run removes what is left of that generation
  if (root) chownSync(notes, 65534, 65534);
  else chmodSync(notes, 0o755);
  expect(run(70000).status).toBe(0);
  expect(readdirSync(join(out, '.gen'))).toEqual([readlinkSync(join(out, '.current')).split('/')[1]]);
});

test('a published store cut short (a DuckDB file that does not open) is said damaged, exit 2, the output left as it is; --rebuild rebuilds it (found by an operator\'s probe: PUBLISH_WRITE naming a staging file, exit 4, every night, --rebuild or not)', async () => {
  const dir = tmp();
  const out = join(dir, 'out');
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ marches: [marche('2024-1', 50000), marche('2024-2', 60000)] }));
  expect((await runCli(['run', join(dir, 'a.json'), '--out', out, '--quiet'])).code).toBe(0);
  const store = realpathSync(join(out, 'decp.duckdb'));
  truncateSync(store, 4096);
  const runJson = readFileSync(join(out, 'run.json'), 'utf8');
  const r = await runCli(['run', join(dir, 'a.json'), '--out', out]);
  expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/^decp-ocds: CLI_INVALID_OPTION: the store .*out\/decp\.duckdb is damaged: DuckDB cannot open it \(.*out\/decp\.duckdb.*\) — restore it from a backup, or give --rebuild/m)]);
  expect(r.stderr).not.toMatch(/staging/);
  expect(statSync(store).size).toBe(4096);
  expect(readFileSync(join(out, 'run.json'), 'utf8')).toBe(runJson);
  expect(readdirSync(out).filter((f) => f.startsWith('.staging') || f === '.lock')).toEqual([]);
  const rebuilt = await runCli(['run', join(dir, 'a.json'), '--out', out, '--rebuild']);
  expect([rebuilt.code, rebuilt.stderr]).toEqual([0, expect.stringMatching(/is damaged \(DuckDB cannot open it: .*\): it is rebuilt from the inputs of this run/)]);
  expect(await rows(join(out, 'decp.duckdb'), 'SELECT count(*)::INTEGER AS n, sum(amount)::INTEGER AS total FROM contracts')).toEqual([{ n: 2, total: 110000 }]);
  // the damaged store's members, which no published store lists, are gone
  const listed = (await rows<{ file: string }>(join(out, 'decp.duckdb'), 'SELECT file FROM ocds_members')).map((m) => m.file);
  expect(readdirSync(join(out, '.members')).filter((f) => !f.endsWith('.blocks')).sort()).toEqual(listed.sort());
});

test('--out holding a run.json or rejects.jsonl that decp-ocds did not write: a usage error naming it, the file left as it is (found by a probe: replaced without a word, exit 0); beside a run.json of ours they are replaced', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ marches: [marche('2024-1', 50000)] }));
  for (const f of ['run.json', 'rejects.jsonl']) {
    const out = join(dir, `out-${f}`);
    mkdirSync(out);
    writeFileSync(join(out, f), '{"mine":1}\n');
    const r = await runCli(['run', join(dir, 'a.json'), '--out', out]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(new RegExp(`^decp-ocds: CLI_INVALID_OPTION: --out .* holds a file ${f.replace('.', '\\.')} that decp-ocds did not write`, 'm'))]);
    expect(readFileSync(join(out, f), 'utf8')).toBe('{"mine":1}\n');
    expect(readdirSync(out)).toEqual([f]);
  }
  // a store removed to rebuild it: its run.json and rejects.jsonl are ours
  const out = join(dir, 'out');
  expect((await runCli(['run', join(dir, 'a.json'), '--out', out, '--quiet'])).code).toBe(0);
  rmSync(join(out, 'decp.duckdb'));
  expect((await runCli(['run', join(dir, 'a.json'), '--out', out, '--quiet'])).code).toBe(0);
  expect(await rows(join(out, 'decp.duckdb'), 'SELECT count(*)::INTEGER AS n FROM contracts')).toEqual([{ n: 1 }]);
});

test('a correction that keeps the release ids changes the packages\' publishedDate; a rerun does not (found by a probe: the date stayed while the data changed)', async () => {
  const dir = tmp();
  const out = join(dir, 'out');
  const published = (): string => (JSON.parse(readFileSync(join(out, 'ocds', 'release-package.json'), 'utf8')) as { publishedDate: string }).publishedDate;
  // (the built command, on the real clock: runCli's is fixed)
  const run = (): void => void execFileSync(process.execPath, [BIN, 'run', join(dir, 'a.json'), '--out', out, '--quiet'], { stdio: 'pipe' });
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ marches: [marche('2024-1', 50000)] }));
  run();
  const first = published();
  run();
  expect(published()).toBe(first);
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ marches: [{ ...marche('2024-1', 50000), dureeMois: 13 }] }));
  run();
  expect(published() > first).toBe(true);
});

test('a file whose records a smaller --max-record-bytes or --max-depth rejected is read again when the limit is raised (not when it is lowered)', async () => {
  const dir = tmp();
  const out = join(dir, 'out');
  const feed = join(dir, 'feed.json');
  // one record of ~6 KB among small ones
  writeFileSync(feed, JSON.stringify({ marches: [marche('2024-1', 50000), { ...marche('2024-2', 60000), objet: 'réfection '.repeat(600) }] }));
  const db = join(out, 'decp.duckdb');
  const state = (): Promise<unknown[]> =>
    rows(db, "SELECT (SELECT count(*) FROM contracts)::INTEGER AS contracts, (SELECT count(*) FROM rejects)::INTEGER AS rejects, (SELECT string_agg(code, ',') FROM rejects) AS codes, (SELECT count(*) FROM sources)::INTEGER AS sources");
  const run = async (...limits: string[]): Promise<{ reread: number; stderr: string }> => {
    const r = await runCli(['run', feed, '--out', out, ...limits]);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { counts: { filesReread: number } };
    return { reread: report.counts.filesReread, stderr: r.stderr };
  };
  await run('--max-record-bytes', '4KB');
  expect(await state()).toEqual([{ contracts: 1, rejects: 1, codes: 'INGEST_RECORD_TOO_LARGE', sources: 1 }]);
  // the same limit: the file is known, nothing read again
  expect((await run('--max-record-bytes', '4KB')).reread).toBe(0);
  expect(await state()).toEqual([{ contracts: 1, rejects: 1, codes: 'INGEST_RECORD_TOO_LARGE', sources: 1 }]);
  // raised (the default): read again, its rejected record now converted
  const raised = await run();
  expect(raised.reread).toBe(1);
  expect(raised.stderr).toMatch(/read again: records of theirs were rejected as too large or too deep/);
  expect(await state()).toEqual([{ contracts: 2, rejects: 0, codes: null, sources: 1 }]);
  // lowered again: what was read stays, nothing read again
  expect((await run('--max-record-bytes', '4KB')).reread).toBe(0);
  expect(await state()).toEqual([{ contracts: 2, rejects: 0, codes: null, sources: 1 }]);
  // the same for --max-depth: a deeper limit reads again what a shallower one rejected
  const deep = join(dir, 'deep.json');
  writeFileSync(deep, JSON.stringify({ marches: [marche('2024-3', 70000)] }));
  const r1 = await runCli(['run', feed, deep, '--out', out, '--max-depth', '2']);
  expect(r1.code).toBe(0);
  expect(await rows(db, 'SELECT code FROM rejects')).toEqual([{ code: 'INGEST_RECORD_TOO_DEEP' }]);
  const r2 = await runCli(['run', feed, deep, '--out', out]);
  expect(r2.code).toBe(0);
  expect(await rows(db, 'SELECT count(*)::INTEGER AS n FROM contracts')).toEqual([{ n: 3 }]);
  expect(await rows(db, 'SELECT count(*)::INTEGER AS n FROM rejects')).toEqual([{ n: 0 }]);
});

test('--out naming a file, or a link to a folder that does not exist, is said as such (found by a probe: the lock\'s ENOTDIR or ENOENT, "cannot write in the output folder")', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ marches: [marche('2024-1', 50000)] }));
  writeFileSync(join(dir, 'a-file'), 'x');
  const file = await runCli(['run', join(dir, 'a.json'), '--out', join(dir, 'a-file')]);
  expect([file.code, file.stderr]).toEqual([4, expect.stringMatching(/^decp-ocds: PUBLISH_WRITE: the output folder --out .*a-file is a file, not a folder — give a folder/)]);
  expect(file.stderr.trim().split('\n')).toHaveLength(1);
  expect(readFileSync(join(dir, 'a-file'), 'utf8')).toBe('x');
  symlinkSync(join(dir, 'nowhere'), join(dir, 'link'));
  const link = await runCli(['run', join(dir, 'a.json'), '--out', join(dir, 'link')]);
  expect([link.code, link.stderr]).toEqual([4, expect.stringMatching(/^decp-ocds: PUBLISH_WRITE: the output folder --out .*link is a symbolic link to .*nowhere, which does not exist — create the folder/)]);
  expect(existsSync(join(dir, 'nowhere'))).toBe(false);
});

test('a run that fails before publishing leaves no empty members folder behind (found by a probe: a first night on a full disk left out/.members, so out/ stayed)', async () => {
  const dir = tmp();
  const out = join(dir, 'out');
  mkdirSync(out);
  // the generations folder is a file: the run fails when it publishes, after writing its ocds/ members
  writeFileSync(join(out, '.gen'), 'not a folder');
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ marches: [marche('2024-1', 50000)] }));
  const r = await runCli(['run', join(dir, 'a.json'), '--out', out, '--quiet']);
  expect(r.code).toBe(4);
  expect(readdirSync(out)).toEqual(['.gen']);
  // a published store's members stay when the next night fails
  rmSync(join(out, '.gen'));
  expect((await runCli(['run', join(dir, 'a.json'), '--out', out, '--quiet'])).code).toBe(0);
  const members = readdirSync(join(out, '.members')).sort();
  expect(members.length).toBeGreaterThan(0);
  toOlderLayout(out);
  rmSync(join(out, '.gen'), { recursive: true });
  writeFileSync(join(out, '.gen'), 'not a folder');
  writeFileSync(join(dir, 'b.json'), JSON.stringify({ marches: [marche('2024-2', 60000)] }));
  expect((await runCli(['run', join(dir, 'a.json'), join(dir, 'b.json'), '--out', out, '--quiet'])).code).toBe(4);
  expect(readdirSync(join(out, '.members')).sort()).toEqual(members);
});

test('a run that publishes nothing removes the --out folders it made (an existing folder stays) (found by a probe: `run emptydir --out new` left new/ behind)', async () => {
  const dir = tmp();
  mkdirSync(join(dir, 'empty'));
  const r = await runCli(['run', join(dir, 'empty'), '--out', join(dir, 'new', 'out'), '--quiet']);
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(/INGEST_EMPTY/);
  expect(existsSync(join(dir, 'new'))).toBe(false);
  mkdirSync(join(dir, 'mine'));
  expect((await runCli(['run', join(dir, 'empty'), '--out', join(dir, 'mine'), '--quiet'])).code).toBe(3);
  expect(readdirSync(join(dir, 'mine'))).toEqual([]);
});

test('the output folder is one generation behind one link: every entry goes through .current; a folder an older version wrote (real files, folders linked into a generation) is taken over whole', async () => {
  const out = join(tmp(), 'out');
  const input = join(SHARED, 'decp/samples/2019-xml');
  expect((await runCli(['run', input, '--out', out, '--quiet'])).code).toBe(0);
  const { lstatSync, readlinkSync } = await import('node:fs');
  const gen = readlinkSync(join(out, '.current'));
  expect(gen).toMatch(/^\.gen\/[^/]+$/);
  for (const e of ['decp.duckdb', 'rejects.jsonl', 'run.json', 'ocds', 'parquet', 'reports']) expect([e, readlinkSync(join(out, e))]).toEqual([e, join('.current', e)]);
  expect(readdirSync(join(out, '.gen'))).toEqual([gen.split('/')[1]]);
  toOlderLayout(out);
  const before = await rows<{ n: string }>(join(out, 'decp.duckdb'), 'SELECT count(*)::VARCHAR AS n FROM releases');
  const again = await runCli(['run', input, join(SHARED, 'decp/samples/2024-json/dematis-e-marchespublics_2024-07-daily-20.json'), '--out', out, '--quiet']);
  expect(again.code).toBe(0);
  for (const e of ['decp.duckdb', 'rejects.jsonl', 'run.json', 'ocds', 'parquet', 'reports']) expect(lstatSync(join(out, e)).isSymbolicLink()).toBe(true);
  const now = readlinkSync(join(out, '.current'));
  expect(readdirSync(join(out, '.gen'))).toEqual([now.split('/')[1]]);
  const after = await rows<{ n: string }>(join(out, 'decp.duckdb'), 'SELECT count(*)::VARCHAR AS n FROM releases');
  expect(Number(after[0]!.n)).toBeGreaterThan(Number(before[0]!.n));
  expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))).toMatchObject({ runId: 2 });
});

test('a log a read-write session left beside the published store (killed before it closed) is not replayed onto the next store (found by a probe: what the session deleted read as deleted from the next night\'s store)', async () => {
  const out = join(tmp(), 'out');
  const input = join(SHARED, 'decp/samples/2019-xml');
  expect((await runCli(['run', input, '--out', out, '--quiet'])).code).toBe(0);
  const releases = async (): Promise<number> => Number((await rows<{ n: string }>(join(out, 'decp.duckdb'), 'SELECT count(*)::VARCHAR AS n FROM releases'))[0]!.n);
  const n = await releases();
  // an analyst's session deletes rows and is killed before it checkpoints: its log stays beside the store
  const script = `import { DuckDBInstance } from '@duckdb/node-api';
    const db = await DuckDBInstance.create(${JSON.stringify(join(out, 'decp.duckdb'))}, { checkpoint_threshold: '1TB' });
    const c = await db.connect();
    await c.run('DELETE FROM releases');
    process.kill(process.pid, 'SIGKILL');`;
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '../..'), stdio: 'ignore' });
  } catch {
    // killed, as meant
  }
  // (DuckDB writes it beside the file the link leads to: in the published generation)
  const { readlinkSync } = await import('node:fs');
  const wal = join(out, readlinkSync(join(out, '.current')), 'decp.duckdb.wal');
  expect(existsSync(wal)).toBe(true);
  expect((await runCli(['run', input, '--out', out, '--quiet'])).code).toBe(0);
  // the next store is another generation's file: the log went with its own
  expect(existsSync(wal)).toBe(false);
  expect(existsSync(join(out, 'decp.duckdb.wal'))).toBe(false);
  expect(await releases()).toBe(n);
});
