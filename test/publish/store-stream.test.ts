/**
 * Store.stream gives every row of its query or fails: a streamed DuckDB result that fails on its way
 * (out of memory in a sort) just ends, without an error, and a report read from it was cut short unsaid.
 */
import { join } from 'node:path';
import { PipelineError } from '../../src/core/errors.js';
import { Store } from '../../src/publish/store.js';
import { tempDir } from '../helpers/tmp.js';

test('a sort of 1,800,000 rows joined under a 160 MB limit: all its rows, or PUBLISH_STORE with a remedy — never fewer rows unsaid', async () => {
  const dir = tempDir('store-stream-');
  const store = await Store.open(join(dir, 'decp.duckdb'), { memoryLimit: '160MB', threads: 2, tempDirectory: join(dir, 'tmp') });
  let rows = 0;
  let error: unknown = null;
  try {
    const ocid = (i: string): string => `'ocds-78apv2-' || ${i} || '-21350238800019'`;
    await store.run(`CREATE TABLE r AS SELECT ${ocid('i')} AS ocid, ${ocid('i')} || '-k1-v0' AS release_id, 'aa' AS sha, i AS source_index, i + 1 AS line, TIMESTAMPTZ '2024-03-01 00:00:00+00' AS date FROM range(600000) t(i)`);
    await store.run(`CREATE TABLE rec AS SELECT ${ocid('i')} AS ocid, 'FR-RCS-21350238800019' AS buyer_id FROM range(600000) t(i)`);
    await store.run("CREATE TABLE s AS SELECT 'aa' AS sha, 'in/decp.json' AS path");
    await store.run(`CREATE TABLE v AS SELECT ${ocid('i // 3')} AS ocid, ${ocid('i // 3')} || '-k1-v0' AS release_id, 'warning' AS severity, 'check.rule-' || (2 - i % 3) AS rule, '/contracts/0/value/amount' AS pointer, '0' AS value,
      'the amount of release ' || (i // 3) || ' is zero: a placeholder, or a value not published' AS message FROM range(1800000) t(i)`);
    try {
      for await (const chunk of store.stream(`SELECT coalesce(s.path, r.sha), r.line::DOUBLE, r.source_index::DOUBLE, r.ocid, r.release_id, rec.buyer_id, v.severity, v.rule, v.pointer, v.message, v.value
      FROM r JOIN v ON v.ocid = r.ocid AND v.release_id = r.release_id LEFT JOIN s ON s.sha = r.sha LEFT JOIN rec ON rec.ocid = r.ocid
      ORDER BY r.ocid, r.date, r.source_index, r.release_id, v.rule, v.pointer, v.severity, v.message, v.value`)) rows += chunk.length;
    } catch (err) {
      error = err;
    }
  } finally {
    await store.close();
  }
  if (error === null) expect(rows).toBe(1_800_000);
  else {
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as PipelineError).code).toBe('PUBLISH_STORE');
    expect((error as PipelineError).message).toMatch(/stopped after \d+ of its 1800000 rows/);
    expect((error as PipelineError).remedy).toMatch(/--memory-limit/);
  }
}, 120_000);
