/**
 * docs/scaling.md: the views of the store are plain SQL over the tables, and `out/parquet/` is those
 * tables for an engine past one machine. Every view must then be computable from the Parquet data
 * sets alone, and give there what it gives in the store.
 */
import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';
import { VIEWS } from '../../src/publish/store.js';
import { INDICATOR_VIEWS } from '../../src/publish/indicators.js';
import { BID_INDICATOR_VIEWS } from '../../src/publish/bid-indicators.js';
import { PRICE_INDEX_VIEWS, QUANTILE_TYPE8_MACRO } from '../../src/publish/price-anomalies.js';

const VIEW_SQL = [...VIEWS, ...INDICATOR_VIEWS, ...BID_INDICATOR_VIEWS, ...PRICE_INDEX_VIEWS];
const viewName = (sql: string): string => /CREATE OR REPLACE VIEW (\w+)/.exec(sql)![1]!;

/** A view's rows, sorted, amounts rounded (sums of DOUBLEs may differ in their last digits with the order of rows). */
async function rows(conn: DuckDBConnection, view: string): Promise<string[]> {
  const cols = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${view}`)).getRowObjectsJS() as Array<{ column_name: string; column_type: string }>;
  const select = cols.map((c) => (c.column_type === 'DOUBLE' ? `round("${c.column_name}", 6)` : `"${c.column_name}"`)).join(', ');
  return (await conn.runAndReadAll(`SELECT ${select} FROM ${view}`)).getRowsJson().map((r) => JSON.stringify(r)).sort();
}

test('every view of the store runs over the Parquet data sets alone and gives what it gives in the store (a review: the price indexes read priced_items, which was not exported)', async () => {
  const out = join(tempDir('decp-ocds-parquet-views-'), 'out');
  // Paraguay's process prices 90 items (priced_items, weekly_unit_prices); Ukraine's has offers
  expect((await runCli(['run', join(SHARED, 'partners/paraguay-dncp'), join(SHARED, 'partners/ukraine-prozorro'), '--out', out, '--quiet'])).code).toBe(0);
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    await conn.run(`ATTACH '${join(out, 'decp.duckdb')}' AS store (READ_ONLY)`);
    // the Parquet side: one view per data set, read as docs/scaling.md says, then the store's views over them
    await conn.run('CREATE SCHEMA pq');
    await conn.run('USE memory.pq');
    for (const table of readdirSync(join(out, 'parquet'))) {
      const byYear = readdirSync(join(out, 'parquet', table)).some((d) => d.startsWith('year='));
      await conn.run(
        `CREATE VIEW ${table} AS SELECT * FROM read_parquet('${join(out, 'parquet', table)}/**/*.parquet', hive_partitioning = true${byYear ? ", hive_types = {'year': INTEGER}" : ''})`,
      );
    }
    await conn.run(QUANTILE_TYPE8_MACRO);
    const failed: string[] = [];
    for (const sql of VIEW_SQL) await conn.run(sql).catch((e: Error) => failed.push(`${viewName(sql)}: ${e.message.split('\n')[0]}`));
    expect(failed).toEqual([]);
    const differ: string[] = [];
    let withRows = 0;
    for (const view of VIEW_SQL.map(viewName)) {
      const fromParquet = await rows(conn, `memory.pq.${view}`);
      await conn.run('USE store');
      const fromStore = await rows(conn, `store.${view}`);
      await conn.run('USE memory.pq');
      if (fromStore.length > 0) withRows++;
      if (JSON.stringify(fromParquet) !== JSON.stringify(fromStore)) differ.push(`${view}: ${fromStore.length} rows in the store, ${fromParquet.length} from Parquet`);
    }
    expect(differ).toEqual([]);
    // the views as the store keeps them (duckdb_views(): what a reader with the store and no source has)
    // also build over the Parquet (a review: DuckDB prints a CROSS JOIN as a comma, and `FROM b, n LEFT
    // JOIN k ON k.unit = b.buyer` then names b outside its join: "Non-inner join on correlated columns")
    await conn.run('CREATE SCHEMA kept');
    await conn.run('USE memory.kept');
    await conn.run(QUANTILE_TYPE8_MACRO);
    for (const table of readdirSync(join(out, 'parquet'))) await conn.run(`CREATE VIEW ${table} AS SELECT * FROM memory.pq.${table}`);
    const kept = (await conn.runAndReadAll("SELECT view_name, sql FROM duckdb_views() WHERE database_name = 'store' AND NOT internal")).getRowObjectsJS() as Array<{ view_name: string; sql: string }>;
    expect(kept.map((v) => v.view_name).sort()).toEqual(VIEW_SQL.map(viewName).sort());
    // (in an order where each view follows those it reads)
    let pending = kept;
    const keptFailed: string[] = [];
    for (let round = 0; round < kept.length && pending.length > 0; round++) {
      const next: typeof pending = [];
      for (const v of pending) await conn.run(v.sql).catch((e: Error) => (next.push(v), keptFailed.push(`${v.view_name}: ${e.message.split('\n')[0]}`)));
      if (next.length === pending.length) break;
      keptFailed.length = 0;
      pending = next;
    }
    expect(keptFailed).toEqual([]);
    // (not a comparison of empty views: the price series has rows)
    expect(withRows).toBeGreaterThan(5);
    expect((await rows(conn, 'memory.pq.weekly_unit_prices')).length).toBeGreaterThan(0);
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
});

test('priced_items made again whole (a version with other pricing rules) is written again whole to Parquet: no segment of the earlier rules is kept (a review: untouched segments were linked from the previous generation)', async () => {
  const out = join(tempDir('decp-ocds-parquet-priced-'), 'out');
  const input = join(SHARED, 'partners/paraguay-dncp');
  expect((await runCli(['run', input, '--out', out, '--quiet'])).code).toBe(0);
  const folder = join(out, 'parquet/priced_items');
  const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet'));
  expect(files.length).toBeGreaterThan(0);
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    // the published files as an earlier version's rules priced them (another price per unit), and a
    // store that says its priced_items was made by other rules: the next run makes it again whole
    for (const f of files) {
      const path = join(folder, f);
      await conn.run(`COPY (SELECT * REPLACE (u * 10 AS u) FROM read_parquet('${path}')) TO '${path}.old' (FORMAT parquet)`);
      renameSync(`${path}.old`, path);
    }
    await conn.run(`ATTACH '${join(out, 'decp.duckdb')}' AS store`);
    await conn.run("UPDATE store.store_meta SET value = 'older rules' WHERE key = 'priced_items'");
    await conn.run('DETACH store');
    // nothing new to read: no ocid recompiled, no segment touched
    expect((await runCli(['run', input, '--out', out, '--quiet'])).code).toBe(0);
    await conn.run(`ATTACH '${join(out, 'decp.duckdb')}' AS store (READ_ONLY)`);
    const differ = async (a: string, b: string): Promise<number> => Number((await conn.runAndReadAll(`SELECT count(*) FROM (SELECT ocid, item_id, u FROM ${a} EXCEPT ALL SELECT ocid, item_id, u FROM ${b})`)).getRowsJS()[0]![0]);
    const parquet = `read_parquet('${folder}/**/*.parquet', hive_partitioning = true)`;
    expect(await differ(parquet, 'store.priced_items')).toBe(0);
    expect(await differ('store.priced_items', parquet)).toBe(0);
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
});
