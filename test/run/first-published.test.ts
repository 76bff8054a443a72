/**
 * The earliest publication of a release that several sources give (`firstPublishedSql`, run's
 * compile export): right, and within DuckDB's memory limit over a full history's every release.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { firstPublishedSql } from '../../src/run-job.js';
import { tempDir } from '../helpers/tmp.js';

test('over 2 million releases under a 160 MB memory limit: only the releases of several sources, each with its earliest publication as written', async () => {
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '160MB', threads: '2', temp_directory: join(tempDir('first-published-'), 'tmp'), preserve_insertion_order: 'false' });
  const c = await instance.connect();
  try {
    await c.run("SET TimeZone = 'UTC'");
    // 2,000,000 releases of one source each (ids and dates of the pipeline's lengths: one aggregation
    // of them all, its dates held per release, ran out of this memory), then a second publication of
    // 100 of them, a day before; a third of release 7, its date no date; release 8's two publications
    // in two zones, the later text the earlier instant
    await c.run(`CREATE TABLE release_sources AS
      SELECT 'ocds-78apv2-' || i || '-21350238800019' AS ocid, 'ocds-78apv2-' || i || '-21350238800019-k1-v0' AS release_id,
             '2024-03-' || lpad((2 + i % 27)::VARCHAR, 2, '0') || 'T00:00:00.000+01:00' AS published
      FROM range(2000000) t(i)
      UNION ALL SELECT 'ocds-78apv2-' || i || '-21350238800019', 'ocds-78apv2-' || i || '-21350238800019-k1-v0', '2024-03-01T00:00:00.000+01:00' FROM range(100) t(i) WHERE i <> 8
      UNION ALL SELECT 'ocds-78apv2-7-21350238800019', 'ocds-78apv2-7-21350238800019-k1-v0', 'le 3 mars'
      UNION ALL SELECT 'ocds-78apv2-8-21350238800019', 'ocds-78apv2-8-21350238800019-k1-v0', '2024-03-09T20:00:00-05:00'`);
    await c.run(firstPublishedSql('true'));
    const rows = (await c.runAndReadAll('SELECT ocid, first FROM first_published ORDER BY ocid')).getRowObjectsJson();
    expect(rows).toHaveLength(100);
    expect(rows.filter((r) => r['first'] !== '2024-03-01T00:00:00.000+01:00')).toEqual([
      // its own publication: 23:00 UTC on the 9th, before the other's 01:00 UTC on the 10th, whose text sorts first
      { ocid: 'ocds-78apv2-8-21350238800019', first: '2024-03-10T00:00:00.000+01:00' },
    ]);
    // a release of one source is not listed; release 7's date that is no date is left aside (its two others listed it)
    expect((await c.runAndReadAll("SELECT count(*)::INTEGER AS n FROM first_published WHERE ocid IN ('ocds-78apv2-100-21350238800019', 'ocds-78apv2-7-21350238800019')")).getRowObjectsJson()).toEqual([{ n: 1 }]);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}, 120_000);
