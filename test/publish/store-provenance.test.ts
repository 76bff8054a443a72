/**
 * The CLI contract: "every row that comes from an input record carries `ocid` and enough provenance
 * (source file hash, position) to find it again". Each table of the store against that sentence: by
 * its definition (store-tables.ts), and by its rows after a run over DECP and partners' OCDS files.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';
import { TABLES } from '../../src/publish/store-tables.js';

/** Tables whose rows come from no input record: a file read, a run. */
const NOT_FROM_RECORDS = ['sources', 'runs'];
const has = (table: string, column: string): boolean => TABLES.find((t) => t.name === table)!.columns.some((c) => c.name === column);

test('every table of input rows has an ocid and its provenance, or a doc that says where the provenance is', () => {
  const tables = TABLES.filter((t) => !NOT_FROM_RECORDS.includes(t.name));
  expect(tables.filter((t) => !has(t.name, 'ocid')).map((t) => t.name)).toEqual([]);
  const without = tables.filter((t) => !(has(t.name, 'source_sha256') && has(t.name, 'source_index')));
  // a record is compiled from many source records: release_sources (by ocid) lists them
  expect(without.map((t) => t.name)).toEqual(['records']);
  expect(without[0]!.doc).toMatch(/release_sources \(by ocid/);
  // a reject has its provenance; its ocid is null when the record gave none, and its doc says which
  const ocid = TABLES.find((t) => t.name === 'rejects')!.columns.find((c) => c.name === 'ocid')!;
  expect(ocid.doc).toMatch(/Null when the record gave none/);
});

describe('the rows of a run over DECP and partners’ OCDS files', () => {
  const out = join(tempDir('decp-ocds-provenance-'), 'out');
  const db = join(out, 'decp.duckdb');
  let conn: Awaited<ReturnType<DuckDBInstance['connect']>>;
  let inst: DuckDBInstance;
  const one = async (sql: string): Promise<number> => Number(Object.values((await conn.runAndReadAll(sql)).getRowObjectsJS()[0]!)[0]);

  beforeAll(async () => {
    const inputs = [join(SHARED, 'decp/samples/2024-json'), join(SHARED, 'partners/paraguay-dncp'), join(SHARED, 'partners/mexico-cdmx'), join(import.meta.dirname, '../../fixtures/demo')];
    const r = await runCli(['run', ...inputs, '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    inst = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
    conn = await inst.connect();
  });
  afterAll(() => {
    conn.closeSync();
    inst.closeSync();
  });

  test.each(TABLES.filter((t) => !NOT_FROM_RECORDS.includes(t.name) && t.name !== 'rejects').map((t) => t.name))('%s: no row without its ocid or its provenance', async (name) => {
    const cols = ['ocid', ...(has(name, 'source_sha256') ? ['source_sha256', 'source_index'] : [])];
    expect(await one(`SELECT count(*) FROM ${name} WHERE ${cols.map((c) => `${c} IS NULL`).join(' OR ')}`)).toBe(0);
    // … and its provenance names a source file of the store
    if (has(name, 'source_sha256')) expect(await one(`SELECT count(*) FROM ${name} WHERE source_sha256 NOT IN (SELECT sha256 FROM sources)`)).toBe(0);
  });

  test('records: every record finds its source records by release_sources, each a source file of the store', async () => {
    expect(await one('SELECT count(*) FROM records')).toBeGreaterThan(500);
    expect(await one('SELECT count(*) FROM records r WHERE NOT EXISTS (SELECT 1 FROM release_sources s JOIN sources f ON f.sha256 = s.source_sha256 WHERE s.ocid = r.ocid)')).toBe(0);
  });
});
