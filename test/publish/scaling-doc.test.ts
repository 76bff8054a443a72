/**
 * docs/scaling.md's DuckDB way to read a Parquet data set gives the store's types: `year` an
 * INTEGER, also for a table without rows (whose only folder is year=__HIVE_DEFAULT_PARTITION__).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test("docs/scaling.md's DuckDB read of a table's Parquet gives `year` the store's type, INTEGER, with rows or without (a review: BIGINT, VARCHAR for an empty table)", async () => {
  const out = join(tempDir('decp-ocds-scaling-'), 'out');
  expect((await runCli(['run', '--out', out, '--quiet'])).code).toBe(0);
  const doc = readFileSync(join(import.meta.dirname, '../../docs/scaling.md'), 'utf8');
  const read = /\*\*DuckDB\*\*: `SELECT … FROM (read_parquet\('s3:\/\/bucket\/decp\/parquet\/contracts\/[^`]*\))`/.exec(doc)?.[1];
  expect(read).toBeDefined();
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    const types: Record<string, unknown> = {};
    // contracts has rows in the demo; price_anomalies has none
    for (const table of ['contracts', 'price_anomalies']) {
      const from = read!.replace('s3://bucket/decp/parquet/contracts/', `${out}/parquet/${table}/`);
      const rows = (await conn.runAndReadAll(`SELECT column_type FROM (DESCRIBE SELECT * FROM ${from}) WHERE column_name = 'year'`)).getRowObjectsJS();
      types[table] = rows[0]?.['column_type'];
    }
    expect(types).toEqual({ contracts: 'INTEGER', price_anomalies: 'INTEGER' });
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
});
