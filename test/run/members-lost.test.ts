/**
 * A store whose ocds/ member files are gone (`out/.members/` deleted as a cache, a backup restored
 * without it): every later run failed with INTERNAL ENOENT, exit 2, --rebuild or not (found by an
 * operator's probe). The run now says so and rebuilds the store from its inputs, as for a store of
 * another version.
 */
import { readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runCli } from '../helpers/cli.js';
import { marche } from '../helpers/decp-records.js';
import { tempDir } from '../helpers/tmp.js';
import { membersLost } from '../../src/run-job.js';
import { storeRows as rows } from '../helpers/store-rows.js';


const contracts = async (out: string): Promise<number> => (await rows<{ n: number }>(join(out, 'decp.duckdb'), 'SELECT count(*)::INTEGER AS n FROM contracts'))[0]!.n;
const releaseLines = (out: string): number => gunzipSync(readFileSync(join(out, 'ocds', 'releases.jsonl.gz'))).toString('utf8').split('\n').filter((l) => l !== '').length;

test('membersLost: nothing missing is no rebuild; missing members say how many, and one of them', () => {
  expect(membersLost({ missing: [], listed: 4 }, '/out/.members')).toBeNull();
  expect(membersLost({ missing: ['releases-4-ab.gz', 'records-4-cd.gz'], listed: 4 }, '/out/.members')).toMatch(/^2 of the 4 ocds\/ member files the store lists are missing from \/out\/\.members or not whole, releases-4-ab\.gz …/);
});

test('.members deleted: the next run says so once and rebuilds the store from its inputs; from fewer inputs only with --rebuild', async () => {
  const dir = tempDir('decp-ocds-members-');
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  const out = join(dir, 'out');
  writeFileSync(a, JSON.stringify({ marches: [marche('2019-a1', { montant: 1000 }), marche('2019-a2', { montant: 2000 })] }));
  writeFileSync(b, JSON.stringify({ marches: [marche('2019-b1', { montant: 3000 })] }));
  expect((await runCli(['run', a, b, '--out', out, '--quiet'])).code).toBe(0);
  const published = releaseLines(out);

  // every input given: rebuilt, a warning, exit 0, the same data published
  rmSync(join(out, '.members'), { recursive: true });
  const again = await runCli(['run', a, b, '--out', out, '--quiet']);
  expect(again.code).toBe(0);
  expect(again.stderr).not.toMatch(/INTERNAL/);
  expect(again.stderr.match(/member files the store lists are missing/g)).toHaveLength(1);
  expect(again.stderr).toMatch(/^decp-ocds: warning: \d+ of the \d+ ocds\/ member files .*: it is rebuilt from the inputs of this run$/m);
  expect(await contracts(out)).toBe(3);
  expect(releaseLines(out)).toBe(published);
  expect(readdirSync(join(out, '.members')).length).toBeGreaterThan(0);
  // and the night after is an ordinary one
  const next = await runCli(['run', a, b, '--out', out, '--quiet']);
  expect([next.code, next.stderr]).toEqual([0, expect.not.stringMatching(/missing/) as unknown]);

  // a member cut short is as good as gone; the night's inputs leave out a source: refused (exit 2,
  // the published output as it was) unless --rebuild, which publishes what it reads
  const member = readdirSync(join(out, '.members')).find((f) => f.endsWith('.gz'))!;
  truncateSync(join(out, '.members', member), 10);
  const refused = await runCli(['run', b, '--out', out, '--quiet']);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/^decp-ocds: CLI_INVALID_OPTION: the store in .* must be rebuilt \(1 of the \d+ ocds\/ member files .* not whole/m);
  expect(await contracts(out)).toBe(3);
  const rebuilt = await runCli(['run', b, '--out', out, '--quiet', '--rebuild']);
  expect(rebuilt.code).toBe(0);
  expect(await contracts(out)).toBe(1);
  expect(releaseLines(out)).toBe(1);
});
