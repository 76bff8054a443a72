/**
 * The worked example of a partner's CSV profile (fixtures/partner-csv/, docs/mappings.md): a made-up
 * Argentine export of awarded item lines, from `convert` to `run`'s store and `flags`. What a partner
 * copying it should get: buyers under their own scheme (settings.buyerIdType), natural persons known by
 * their CUIT and withheld, the signatory's column withheld, Spanish month names read, every row
 * accounted for, the unit prices compared.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { storeObjects } from '../helpers/store-rows.js';
import { tempDir } from '../helpers/tmp.js';

const DIR = new URL('../../fixtures/partner-csv/', import.meta.url).pathname;
const PROFILE = join(DIR, 'profile.json');
const CSV = join(DIR, 'adjudicaciones.csv');
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test('convert: 8 rows make 7 records, 6 contracts and 1 reject with its line and reason; buyers AR-SAF, persons withheld, no warning', async () => {
  const dir = tempDir('partner-csv-');
  const out = join(dir, 'releases.jsonl');
  const rejects = join(dir, 'rejects.jsonl');
  const r = await runCli(['convert', '--profile', PROFILE, '--ocid-prefix', 'ocds-ar0001', CSV, '-o', out, '--rejects', rejects]);
  expect(r.code).toBe(0);
  expect(r.stderr).not.toContain('warning');
  expect(r.stderr).toContain('7 records read: 6 converted (6 releases), 1 rejected');
  const releases = readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Obj);
  expect(releases.map((x) => [x['ocid'], x['buyer']['id'], x['date']])).toEqual([
    ['ocds-ar0001-310-OC-0001', 'AR-SAF-310', '2024-02-05T00:00:00-03:00'],
    ['ocds-ar0001-310-OC-0002', 'AR-SAF-310', '2024-02-12T00:00:00-03:00'],
    ['ocds-ar0001-325-OC-0003', 'AR-SAF-325', '2024-01-20T00:00:00-03:00'],
    ['ocds-ar0001-325-OC-0004', 'AR-SAF-325', '2024-04-01T00:00:00-03:00'],
    ['ocds-ar0001-325-OC-0005', 'AR-SAF-325', '2024-08-10T00:00:00-03:00'],
    ['ocds-ar0001-325-OC-0006', 'AR-SAF-325', '2024-12-03T00:00:00-03:00'],
  ]);
  // a person's CUIT (20-, 27-): the identifier published, the name nowhere; nor the signatory's
  const suppliers = releases.map((x) => (x['parties'] as Obj[]).filter((p) => p['roles'].includes('supplier')).map((p) => [p['id'], p['name'] ?? null])[0]);
  expect(suppliers).toEqual([
    ['AR-CUIT-30712345679', 'Insumos del Plata S.A.'], ['AR-CUIT-20234567893', null], ['AR-CUIT-30709876541', 'Distribuidora Sur S.R.L.'],
    ['AR-CUIT-27123456784', null], ['AR-CUIT-30709876541', 'Distribuidora Sur S.R.L.'], ['AR-CUIT-30712345679', 'Insumos del Plata S.A.'],
  ]);
  const published = readFileSync(out, 'utf8') + readFileSync(rejects, 'utf8');
  for (const name of ['Juan Pérez', 'María Gómez', 'Laura Méndez', 'Pablo Ríos']) expect(published).not.toContain(name);
  // item lines with their unit prices; a contract without a total valued at its lines'
  expect(releases[0]!['contracts'][0]['items'].map((i: Obj) => [i['quantity'], i['unit']])).toEqual([[1000, { name: 'caja', value: { amount: 4500, currency: 'ARS' } }], [2000, { name: 'caja', value: { amount: 3200, currency: 'ARS' } }]]);
  expect(releases[0]!['contracts'][0]['value']).toEqual({ amount: 10900000, currency: 'ARS' });
  const rejected = readFileSync(rejects, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Obj);
  expect(rejected.map((x) => [x['line'], x['code'], x['buyer']])).toEqual([[9, 'TRANSFORM_NO_ID', 'AR-SAF-325']]);
});

test('run: the store compares the gloves\' unit prices, the one at 3 times its peers\' median flagged', async () => {
  const out = join(tempDir('partner-csv-run-'), 'out');
  const r = await runCli(['run', CSV, '--profile', PROFILE, '--ocid-prefix', 'ocds-ar0001', '--publisher-name', 'Ejemplo', '--out', out, '--quiet']);
  expect(r.code).toBe(0);
  const db = join(out, 'decp.duckdb');
  expect(await storeObjects(db, "SELECT ocid, unit_price, group_prices, group_median FROM price_anomalies")).toEqual([{ ocid: 'ocds-ar0001-310-OC-0002', unit_price: 13900, group_prices: 6, group_median: 4525 }]);
  expect(await storeObjects(db, 'SELECT party_id, natural_person FROM parties WHERE natural_person ORDER BY party_id')).toEqual([
    { party_id: 'AR-CUIT-20234567893', natural_person: true },
    { party_id: 'AR-CUIT-27123456784', natural_person: true },
  ]);
  const flags = await runCli(['flags', '--db', db]);
  expect(flags.stdout).toContain('"code":"UNIT_PRICE_OUTLIER"');
});

test('the same profile without its CUIT rule is warned, on convert and run, with the rule to copy', async () => {
  const dir = tempDir('partner-csv-rule-');
  const profile = JSON.parse(readFileSync(PROFILE, 'utf8')) as Obj;
  delete profile['settings']['personIdentifiers'];
  const bare = join(dir, 'profile.json');
  writeFileSync(bare, JSON.stringify(profile));
  const convert = await runCli(['convert', '--profile', bare, '--ocid-prefix', 'ocds-ar0001', CSV, '-o', join(dir, 'r.jsonl')]);
  expect(convert.stderr).toContain('warning: the profile publishes identifiers under a scheme whose natural persons are known by their identifier\'s form');
  expect(readFileSync(join(dir, 'r.jsonl'), 'utf8')).toContain('Juan Pérez');
  const run = await runCli(['run', CSV, '--profile', bare, '--ocid-prefix', 'ocds-ar0001', '--publisher-name', 'Ejemplo', '--out', join(dir, 'out')]);
  expect(run.stderr).toContain('AR-CUIT ("CUIT"): {"scheme":"^AR-CUI[TL]$"');
});

// found by a partners' probe: detect read a partner's files without their profile — the CSV rows
// counted one by one where they make contracts, a JSON document's records under its own list counted
// as one, a misspelt column unsaid — so it could not check a profile before a conversion
test('detect --profile reads the files as convert and run read them through it: rows grouped, the header checked, the profile file left out', async () => {
  // (without it: every row a record)
  const plain = await runCli(['detect', CSV]);
  expect(JSON.parse(plain.stdout)).toMatchObject({ format: 'csv', records: 8 });
  const r = await runCli(['detect', '--profile', PROFILE, DIR]);
  expect(r.code).toBe(0);
  const lines = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Obj);
  expect(lines.map((l) => [l['file'].replace(DIR, ''), l['format'], l['records'], l['issues']])).toEqual([['adjudicaciones.csv', 'csv', 7, undefined]]);
  const dir = tempDir('partner-csv-detect-');
  const profile = JSON.parse(readFileSync(PROFILE, 'utf8')) as Obj;
  profile['records']['unknown']['fields']['title']['from'] = 'Nombre del procedimento';
  profile['settings']['json'] = { records: 'contratos' };
  writeFileSync(join(dir, 'p.json'), JSON.stringify(profile));
  writeFileSync(join(dir, 'c.json'), JSON.stringify({ contratos: [{ a: 1 }, { a: 2 }], total: 2 }));
  const bad = await runCli(['detect', '--profile', join(dir, 'p.json'), CSV, join(dir, 'c.json')]);
  const [csvLine, jsonLine] = bad.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Obj);
  expect(csvLine!['issues']).toEqual([{ code: 'INGEST_PROFILE_COLUMN_MISSING', message: expect.stringContaining('the profile reads "Nombre del procedimento" (did you mean "Nombre del procedimiento"?)') }]);
  expect(jsonLine!['records']).toBe(2);
});
