/**
 * Damage in a CSV file costs the row it is in (or its key group), never the rows after it, whatever
 * the chunks; and a run over a file read so publishes it (a CSV robustness probe: the emergency-contract
 * fixture, the golden item lines and the partner's SECOP II table, each damaged ~60 ways, also gzipped
 * and in chunks of 1 to 4,096 bytes). Classes that cost more:
 * - an item's description of two lines in a CSV file with CRLF line ends (`"Surblouses\r\njetables"`):
 *   read, converted, then the whole run failed at the store (PUBLISH_STORE, exit 4), whose loader took
 *   the `\r` for a line end.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import type { RunReport } from '../../src/run-job.js';

const FIXTURE = join(import.meta.dirname, '../../fixtures/emergency/achats-urgence.csv');
const PROFILE = join(import.meta.dirname, '../../mappings/emergency-csv.json');

describe('a run over item lines whose description holds a line break, in a file of CRLF line ends', () => {
  test('the store takes the \\r\\n inside the text; the counts add up', async () => {
    const dir = tempDir('csv-crlf-');
    const input = join(dir, 'achats-crlf.csv');
    writeFileSync(input, readFileSync(FIXTURE, 'utf8').replaceAll('\n', '\r\n'));
    const out = join(dir, 'out');
    const r = await runCli(['run', input, '--profile', PROFILE, '--out', out, '--quiet']);
    expect([r.code, r.stderr]).toEqual([0, expect.not.stringContaining('PUBLISH_STORE')]);
    const report = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunReport;
    expect(report.counts).toMatchObject({ read: 9, converted: 8, rejected: 1, releases: 8, store: expect.objectContaining({ releases: 8, items: 10, rejects: 1 }), ocds: { releases: 8, records: 8 } });
  }, 120_000);
});
