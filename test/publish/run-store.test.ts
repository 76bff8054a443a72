/**
 * The nightly job's published data set: every table, the Parquet files and the
 * OCDS packages, counts that add up, idempotent reruns, incremental runs,
 * replaced files, duplicates across files, the lock.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { storeObjects } from '../helpers/store-rows.js';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { TABLES } from '../../src/publish/store-tables.js';
import type { RunReport } from '../../src/run-job.js';
import { LEVEL_MAX_MODIFICATIONS, RED_FLAG_CODES } from '../../src/publish/red-flags.js';
import { VALUE_OUTLIER } from '../../src/publish/indicators.js';
import { NOT_PRODUCT_WORDS } from '../../src/publish/price-anomalies.js';
import { tempDir } from '../helpers/tmp.js';
import { BUYER, marche } from '../helpers/decp-records.js';
import { officialRecordPackageValidator, officialReleasePackageValidator } from '../helpers/official-ocds.js';

const DEMO_2024 = join(import.meta.dirname, '../../fixtures/demo/ville-metropole_decp-2024.json');
const tmp = (): string => tempDir('decp-ocds-store-');

const query = storeObjects;

/** Change a closed store as a tool other than this run would (an older version, an operator). */
async function alter(db: string, sql: string): Promise<void> {
  const inst = await DuckDBInstance.create(db);
  const conn = await inst.connect();
  try {
    await conn.run(sql);
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

const count = async (db: string, sql: string): Promise<number> => Number(Object.values((await query(db, sql))[0]!)[0]);
const lines = (gz: string): string[] => gunzipSync(readFileSync(gz)).toString('utf8').split('\n').filter(Boolean);
const runJson = (out: string): RunReport => JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunReport;
const tableCounts = async (db: string): Promise<Record<string, number>> => Object.fromEntries(await Promise.all(TABLES.filter((t) => t.name !== 'runs').map(async (t) => [t.name, await count(db, `SELECT count(*) FROM ${t.name}`)])));

describe('run over the real samples', () => {
  const out = tmp();
  const db = join(out, 'decp.duckdb');
  let first: ReturnType<typeof runJson>;

  beforeAll(async () => {
    const r = await runCli(['run', join(SHARED, 'decp/samples'), '--out', out, '--quiet', '--concurrency', '2']);
    expect(r.code).toBe(0);
    first = runJson(out);
  });

  test('the same inputs give the same bytes in ocds/ and parquet/ whatever --concurrency (Parquet rows were in the order the parts finished)', async () => {
    const files = (root: string): Record<string, string> => {
      const out: Record<string, string> = {};
      const walk = (d: string): void => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = join(d, e.name);
          if (e.isDirectory()) walk(p);
          else out[p.slice(root.length)] = createHash('sha256').update(readFileSync(p)).digest('hex');
        }
      };
      walk(root);
      return out;
    };
    const snapshot = (o: string): Record<string, string> => {
      const all = { ...files(join(o, 'parquet')), ...Object.fromEntries(Object.entries(files(join(o, 'ocds'))).map(([k, v]) => [`ocds${k}`, v])) };
      // (the runs table and the package's publication date are the run's own)
      return Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith('/runs/') && !k.endsWith('-package.json')));
    };
    const [one, two] = [tmp(), tmp()];
    for (const [o, c] of [[one, '1'], [two, '2']] as const) expect((await runCli(['run', join(SHARED, 'decp/samples'), '--out', o, '--quiet', '--concurrency', c, '--run-date', '2026-01-02T03:04:05Z'])).code).toBe(0);
    const a = snapshot(one);
    expect(Object.keys(a).length).toBeGreaterThan(20);
    expect(snapshot(two)).toEqual(a);
  });

  test("`compile` of the published releases gives the published records, byte for byte (the same merge, the same release order)", async () => {
    const recompiled = join(tmp(), 'records.jsonl');
    expect((await runCli(['compile', join(out, 'ocds/releases.jsonl.gz'), '-o', recompiled, '--quiet'])).code).toBe(0);
    const mine = readFileSync(recompiled, 'utf8').split('\n').filter(Boolean).sort();
    const published = lines(join(out, 'ocds/records.jsonl.gz')).sort();
    expect(mine.length).toBe(published.length);
    const differ = mine.filter((l, k) => l !== published[k]).map((l) => (JSON.parse(l) as { ocid: string }).ocid);
    expect(differ).toEqual([]);
  });

  test('every table of the contract exists, typed, and the counts add up', async () => {
    const tables = (await query<{ table_name: string }>(db, "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'")).map((t) => t.table_name);
    for (const t of ['sources', 'runs', 'releases', 'records', 'parties', 'awards', 'award_suppliers', 'contracts', 'contract_suppliers', 'amendments', 'items', 'validation_errors', 'quality_flags', 'rejects', 'red_flags']) expect(tables).toContain(t);
    const c = first.counts;
    expect(c.read).toBe(6007);
    expect(c.read).toBe(c.converted + c.rejected);
    expect(await count(db, 'SELECT sum(records_read) FROM sources')).toBe(c.read);
    expect(await count(db, 'SELECT sum(converted) + sum(rejected) FROM sources')).toBe(c.read);
    expect(await count(db, 'SELECT count(*) FROM rejects')).toBe(c.rejected);
    // every release produced is accounted for: distinct ids in releases, every occurrence in release_sources
    expect(await count(db, 'SELECT count(*) FROM release_sources')).toBe(c.releases);
    expect(await count(db, 'SELECT count(*) FROM releases')).toBe(await count(db, 'SELECT count(DISTINCT release_id) FROM release_sources'));
    expect(await count(db, 'SELECT count(*) FROM records')).toBe(await count(db, 'SELECT count(DISTINCT ocid) FROM releases'));
    expect(await count(db, 'SELECT count(*) FROM contracts')).toBeGreaterThan(5000);
    for (const t of ['parties', 'awards', 'award_suppliers', 'amendments', 'items', 'validation_errors', 'quality_flags', 'red_flags']) expect(await count(db, `SELECT count(*) FROM ${t}`)).toBeGreaterThan(0);
    const types = Object.fromEntries((await query<{ column_name: string; data_type: string }>(db, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'contracts'")).map((r) => [r.column_name, r.data_type]));
    expect(types).toMatchObject({ date_signed: 'TIMESTAMP WITH TIME ZONE', amount: 'DOUBLE', initial_amount: 'DOUBLE', currency: 'VARCHAR', ocid: 'VARCHAR', year: 'INTEGER' });
    // keys join: every contract's award, every supplier's party
    expect(await count(db, 'SELECT count(*) FROM contracts c ANTI JOIN awards a ON a.ocid = c.ocid AND a.award_id = c.award_id')).toBe(0);
    expect(await count(db, 'SELECT count(*) FROM award_suppliers s ANTI JOIN parties p ON p.ocid = s.ocid AND p.party_id = s.party_id')).toBe(0);
    // provenance on every row that comes from a record: a file the store read, and a record in it
    for (const t of ['awards', 'award_suppliers', 'contracts', 'contract_suppliers', 'parties', 'amendments', 'items', 'quality_flags', 'red_flags', 'validation_errors', 'release_sources']) {
      expect([t, await count(db, `SELECT count(*) FROM ${t} WHERE source_sha256 IS NULL OR source_index IS NULL`)]).toEqual([t, 0]);
      expect([t, await count(db, `SELECT count(*) FROM ${t} x ANTI JOIN sources s ON s.sha256 = x.source_sha256`)]).toEqual([t, 0]);
      expect([t, await count(db, `SELECT count(*) FROM ${t} x JOIN sources s ON s.sha256 = x.source_sha256 WHERE x.source_index >= s.records_read`)]).toEqual([t, 0]);
    }
  });

  test('the current state is after the last modification; the history keeps every amendment', async () => {
    const changed = await query<{ n: bigint }>(db, 'SELECT count(*) AS n FROM contracts WHERE amendments > 0 AND amount IS DISTINCT FROM initial_amount');
    expect(Number(changed[0]!.n)).toBeGreaterThan(0);
    // the current amount is the one of the latest amendment that gave one
    const wrong = await count(
      db,
      // releases apply in release-date order (ties: updates after the others, then the order their records gave them)
      `SELECT count(*) FROM contracts c JOIN (SELECT a.ocid, a.contract_id, arg_max(a.amount, (r.date, r.is_update, r.source_index, r.position)) AS last FROM amendments a JOIN releases r ON r.release_id = a.release_id WHERE a.amount IS NOT NULL GROUP BY ALL) a USING (ocid, contract_id) WHERE c.amount <> a.last`,
    );
    expect(wrong).toBe(0);
    expect(await count(db, 'SELECT sum(amendments) FROM contracts')).toBe(await count(db, 'SELECT count(*) FROM amendments'));
  });

  test("README's way to read dates as days: in Paris time, a notification date is its day and its year the year column's", async () => {
    const inst = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
    const conn = await inst.connect();
    try {
      await conn.run("SET TimeZone = 'Europe/Paris'");
      const day = (await conn.runAndReadAll("SELECT date_signed::DATE::VARCHAR AS d FROM contracts WHERE ocid = 'ocds-78apv2-13002374000439-2024-AOO-0009-1'")).getRowObjectsJS();
      expect(day).toEqual([{ d: '2024-06-18' }]);
      const off = (await conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM contracts WHERE year(date_signed) <> year')).getRowObjectsJS();
      expect(off).toEqual([{ n: 0 }]);
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });

  test('the indicator views answer on the real samples, and agree with the tables and the red flags', async () => {
    for (const v of ['buyer_single_bid', 'buyer_non_competitive', 'buyer_supplier_shares', 'buyer_concentration', 'buyer_concentration_outliers', 'market_concentration', 'repeated_winners', 'splitting_candidates', 'supplier_splitting_candidates', 'threshold_bunching', 'buyer_bunching', 'round_amounts', 'buyer_round_amounts', 'buyer_benford', 'heterogeneous_suppliers', 'value_outliers', 'buyer_publication_delays', 'subcontracted_shares', 'buyer_subcontracting', 'buyer_non_eu_suppliers']) {
      expect([v, await count(db, `SELECT count(*) FROM ${v}`)]).toEqual([v, expect.any(Number)]);
      // (buyer_benford: the samples have no buyer of 100 values that are no maximum, below)
      if (v !== 'buyer_benford') expect([v, await count(db, `SELECT count(*) FROM ${v}`)]).not.toEqual([v, 0]);
    }
    const marches = "FROM contracts WHERE duplicate_of IS NULL AND record_type IS DISTINCT FROM 'contrat-concession'";
    expect(await count(db, 'SELECT count(*) FROM monitor_contracts')).toBe(await count(db, `SELECT count(*) ${marches}`));
    // the single offers counted are the SINGLE_BID flags of the marchés
    expect(await count(db, 'SELECT sum(single_bid) FROM buyer_single_bid')).toBe(await count(db, `SELECT count(*) FROM red_flags WHERE code = 'SINGLE_BID' AND (ocid, contract_id) IN (SELECT (ocid, contract_id) ${marches})`));
    // every buyer's suppliers share all of its spending, and HHI lies between 1/n and 1
    expect(await count(db, 'SELECT count(*) FROM (SELECT buyer, year, currency, sum(share) AS s FROM buyer_supplier_shares GROUP BY ALL) WHERE abs(s - 1) > 1e-9')).toBe(0);
    expect(await count(db, 'SELECT count(*) FROM buyer_concentration WHERE hhi < 1.0 / suppliers - 1e-12 OR hhi > 1 + 1e-12 OR top_share < hhi - 1e-12')).toBe(0);
    expect(await count(db, 'SELECT count(*) FROM market_concentration WHERE hhi < 1.0 / suppliers - 1e-12 OR hhi > 1 + 1e-12 OR top_share < hhi - 1e-12')).toBe(0);
    // every contract with a value, a CPV code and a known supplier is in one market (a framework's call-offs in none)
    expect(await count(db, 'SELECT sum(contracts) FROM market_concentration')).toBe(
      await count(db, 'SELECT count(*) FROM monitor_contracts m WHERE initial_amount > 0 AND NOT value_in_framework AND cpv_group IS NOT NULL AND EXISTS (SELECT 1 FROM contract_suppliers s WHERE s.ocid = m.ocid AND s.contract_id = m.contract_id)'),
    );
    // the samples' places: most French contracts have a région, and each département lies in its région
    expect(await count(db, "SELECT count(*) FROM contracts WHERE place_departement IS NOT NULL AND place_region IS NULL")).toBe(0);
    expect(await count(db, "SELECT count(*) FILTER (WHERE place_region IS NOT NULL) * 10 >= count(*) * 8 FROM contracts WHERE decp_version IS NOT NULL")).toBe(1);
    // rates are rates; a candidate for splitting is under its threshold each time and over it together
    expect(await count(db, 'SELECT count(*) FROM buyer_single_bid WHERE NOT (0 <= wilson_low AND wilson_low <= rate AND rate <= wilson_high AND wilson_high <= 1 AND 0 <= peer_rate AND peer_rate <= 1)')).toBe(0);
    // the peers' expected single offers add up to the single offers found, year by year
    expect(await count(db, 'SELECT count(*) FROM (SELECT year, sum(peer_rate * contracts) AS expected, sum(single_bid) AS found FROM buyer_single_bid GROUP BY year) WHERE abs(expected - found) > 1e-6')).toBe(0);
    expect(await count(db, 'SELECT count(*) FROM splitting_candidates WHERE NOT (largest < threshold AND total >= threshold AND contracts >= 2)')).toBe(0);
    expect(await count(db, "SELECT count(*) FROM buyer_benford WHERE contracts < 100 OR abs(list_sum(frequencies) - 1) > 1e-9")).toBe(0);
    // Ville de Croix's 148 values of marches-securises, the samples' one buyer of 100 or more, hold 60
    // maxima (frameworks, marchés by purchase orders: 38 of them whole multiples of 10,000 €, against 17
    // of its 88 other values): its 88 prices are too few for the law
    const croix = "FROM monitor_contracts WHERE buyer = '215901638' AND initial_amount >= 1";
    expect(await count(db, `SELECT count(*) ${croix}`)).toBe(148);
    expect(await count(db, `SELECT count(*) ${croix} AND (coalesce(framework_agreement, false) OR coalesce(purchase_orders, false))`)).toBe(60);
    expect(await count(db, `SELECT count(*) ${croix} AND (coalesce(framework_agreement, false) OR coalesce(purchase_orders, false)) AND initial_amount % 10000 = 0`)).toBe(38);
    expect(await count(db, `SELECT count(*) ${croix} AND NOT (coalesce(framework_agreement, false) OR coalesce(purchase_orders, false)) AND initial_amount % 10000 = 0`)).toBe(17);
    expect(await count(db, 'SELECT count(*) FROM buyer_benford')).toBe(0);
    // a value 10 € or less under a threshold is under it; a round one is a whole number of thousands, not a maximum
    expect(await count(db, 'SELECT count(*) FROM round_amounts WHERE threshold IS NOT NULL AND NOT (under_by > 0 AND under_by <= 10)')).toBe(0);
    expect(await count(db, 'SELECT count(*) FROM round_amounts WHERE round_to IS NOT NULL AND (initial_amount % round_to <> 0 OR framework_agreement OR purchase_orders)')).toBe(0);
    // (the samples' 220,999 €, 1 € under the EU threshold of 2019, is the one counted for its buyer: the others are under 25,000 € or 40,000 €)
    expect(await count(db, 'SELECT sum(just_under) FROM buyer_round_amounts')).toBe(await count(db, 'SELECT count(*) FROM round_amounts WHERE above_publication_threshold AND buyer IS NOT NULL'));
    expect(await count(db, 'SELECT sum(round) FROM buyer_round_amounts')).toBe(await count(db, 'SELECT count(*) FROM round_amounts WHERE round_to IS NOT NULL AND buyer IS NOT NULL'));
    // an HHI outlier is at or past its category's fence, and its category's HHIs spread (Q1 < Q3)
    expect(await count(db, 'SELECT count(*) FROM buyer_concentration_outliers WHERE NOT (group_q1 < group_q3 AND hhi >= fence - 1e-9 AND group_buyers >= 10 AND contracts >= 5)')).toBe(0);
    // (Ville de Lyon's two HORS-UE suppliers of 2018: a Swiss theatre company and an American artists' agency)
    expect(await count(db, "SELECT sum(non_eu) FROM buyer_non_eu_suppliers")).toBe(await count(db, "SELECT count(DISTINCT (m.ocid, m.contract_id)) FROM monitor_contracts m JOIN contract_suppliers s USING (ocid, contract_id) JOIN parties p ON p.ocid = s.ocid AND p.party_id = s.party_id WHERE p.identifier_scheme = 'FR-DECP-HORS-UE' AND NOT m.in_framework"));
  });

  test("README's SQL runs as written (its paths made this run's folder) and answers", async () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    // (the block that attaches the store first: it makes it the current database, as a reader pasting
    // the blocks in order has it; found by a monitor's audit: the indicators' queries, which name the
    // views alone, failed after the README's own ATTACH — "Table with name buyer_single_bid does not
    // exist" — where the test had made the store current itself)
    const blocks = [...readme.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!).sort((a, b) => Number(b.includes('ATTACH')) - Number(a.includes('ATTACH')));
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    try {
      const answered: number[] = [];
      for (const block of blocks) {
        const statements = block.replace(/--[^\n]*/g, '').split(/;\s*\n/).map((t) => t.trim()).filter(Boolean);
        for (const sql of statements) {
          const r = await conn.runAndReadAll(sql.replace(/'out\//g, `'${out}/`));
          if (/^SELECT/i.test(sql)) answered.push(r.getRows().length);
        }
      }
      expect(answered.length).toBeGreaterThanOrEqual(5);
      // every query of the README answers something on the samples
      expect(answered.filter((n) => n === 0)).toEqual([]);
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });

  test('subcontracts: each award\'s acts with their latest amounts, as the compiled releases give them (found by a store probe: no table held them)', async () => {
    const fromRecords = new Map<string, number | null>();
    for (const line of lines(join(out, 'ocds/records.jsonl.gz'))) {
      const cr = (JSON.parse(line) as { compiledRelease: Record<string, any> }).compiledRelease; // eslint-disable-line @typescript-eslint/no-explicit-any
      // (every act's entry in x_decp.sousTraitance, `<award id>-<act id>`: an act without a subcontractor is there only)
      for (const e of (cr['x_decp']?.['sousTraitance'] ?? []) as Array<Record<string, unknown>>) {
        const award = ((cr['awards'] ?? []) as Array<Record<string, unknown>>).find((a) => String(e['id']).startsWith(`${String(a['id'])}-`))!;
        fromRecords.set(`${cr['ocid']}|${String(award['id'])}|${String(e['id']).slice(String(award['id']).length + 1)}`, (e['montant'] as number | undefined) ?? null);
      }
    }
    const stored = await query<{ k: string; amount: number | null }>(db, "SELECT ocid || '|' || award_id || '|' || subcontract_id AS k, amount FROM subcontracts");
    expect(fromRecords.size).toBeGreaterThan(100);
    expect(new Map(stored.map((r) => [r.k, r.amount]))).toEqual(fromRecords);
    // an act that names its subcontractor names a party of its process
    expect(await count(db, 'SELECT count(*) FROM subcontracts s ANTI JOIN parties p USING (ocid, party_id) WHERE s.party_id IS NOT NULL')).toBe(0);
  });

  test('the views answer a monitor’s first questions', async () => {
    for (const v of ['contracts_per_buyer', 'contracts_per_supplier', 'contracts_per_cpv', 'procedures_mix', 'contract_values', 'duplicate_publications']) {
      expect(await count(db, `SELECT count(*) FROM ${v}`)).toBeGreaterThan(0);
    }
    // money is summed once per contract, whatever the number of suppliers
    expect(await count(db, 'SELECT round(sum(amount)) FROM contracts_per_buyer')).toBe(await count(db, 'SELECT round(sum(amount)) FROM contracts WHERE duplicate_of IS NULL'));
    // … and shared among the contract's current suppliers (after modifications): none lost, none credited twice
    expect(await count(db, 'SELECT round(sum(amount_shared)) FROM contracts_per_supplier')).toBe(await count(db, 'SELECT round(sum(amount)) FROM contracts WHERE suppliers > 0 AND duplicate_of IS NULL'));
    // … and once per contract published by two platforms: Orléans Métropole's 327,030 € voirie works
    // are in the PES feed and on its platform, each titling them its own way
    expect(await query(db, "SELECT count(*)::INTEGER AS n, count(duplicate_of)::INTEGER AS linked FROM contracts WHERE ocid = 'ocds-78apv2-24450046800040-2019M18428S'")).toEqual([{ n: 2, linked: 1 }]);
    // (and two contracts the PES feed and the platform gave with two amounts, one title, day and supplier: 8 + 2)
    expect(await count(db, 'SELECT count(*) FROM contracts WHERE duplicate_of IS NOT NULL')).toBe(10);
    expect(await count(db, 'SELECT count(*) FROM contracts d ANTI JOIN contracts k ON k.ocid = d.ocid AND k.contract_id = d.duplicate_of AND k.duplicate_of IS NULL WHERE d.duplicate_of IS NOT NULL')).toBe(0);
    expect(await count(db, 'SELECT sum(contracts) FROM contracts_per_cpv')).toBe(await count(db, 'SELECT count(*) FROM contracts WHERE duplicate_of IS NULL'));
    expect(await count(db, 'SELECT count(*) FROM contracts c WHERE suppliers <> (SELECT count(*) FROM contract_suppliers s WHERE s.ocid = c.ocid AND s.contract_id = c.contract_id)')).toBe(0);
    // a legal unit's contracts (found by a monitor's audit): contracts_per_supplier's `contracts`, summed
    // over supplier_siren, count a contract naming two establishments of one company twice (SATELEC,
    // 971201546: 5 contracts, one of them with two of its SIRETs, counted 6), as the README says; its
    // query of a legal unit's contracts counts each once, and its amounts add up by SIREN
    expect(await count(db, "SELECT sum(contracts) FROM contracts_per_supplier WHERE supplier_siren = '971201546'")).toBe(6);
    const unitQuery = /-- a supplier's contracts as a legal unit[^\n]*\n([\s\S]*?);\n/.exec(readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8'))![1]!;
    expect(await count(db, `SELECT sum(contracts) FROM (${unitQuery.replace(/ORDER BY[\s\S]*$/, '')}) WHERE supplier_siren = '971201546'`)).toBe(5);
    // (every legal unit: as many as its distinct contracts, year by year)
    expect(await count(db, `SELECT count(*) FROM (${unitQuery.replace(/ORDER BY[\s\S]*$/, '')}) u FULL JOIN (SELECT p.siren, c.year, count(*) AS n FROM contracts c JOIN (SELECT DISTINCT s.ocid, s.contract_id, p.siren FROM contract_suppliers s JOIN parties p USING (ocid, party_id) WHERE p.siren IS NOT NULL) p USING (ocid, contract_id) WHERE c.duplicate_of IS NULL GROUP BY ALL) k ON k.siren = u.supplier_siren AND k.year IS NOT DISTINCT FROM u.year WHERE u.contracts IS DISTINCT FROM k.n`)).toBe(0);
    expect(await count(db, "SELECT round(sum(amount_shared)) FROM contracts_per_supplier WHERE supplier_siren = '971201546'")).toBe(
      await count(db, "SELECT round(sum(c.amount / c.suppliers)) FROM contracts c JOIN contract_suppliers s USING (ocid, contract_id) JOIN parties p USING (ocid, party_id) WHERE c.duplicate_of IS NULL AND p.siren = '971201546'"),
    );
    // a supplier replaced by a modification: credited on the current list, not on the award's
    expect(await count(db, 'SELECT count(*) FROM contract_suppliers s JOIN contracts c USING (ocid, contract_id) ANTI JOIN award_suppliers a ON a.ocid = s.ocid AND a.award_id = c.award_id AND a.party_id = s.party_id')).toBeGreaterThan(0);
    // a party named in one record is named in every row of the views (4 buyers and 57 suppliers of the samples were not)
    for (const [v, name, id] of [['contracts_per_buyer', 'buyer_name', 'buyer_id'], ['contracts_per_supplier', 'supplier_name', 'supplier_id'], ['contract_values', 'buyer_name', 'buyer_id']] as const) {
      expect(await count(db, `SELECT count(*) FROM ${v} v WHERE v.${name} IS NULL AND EXISTS (SELECT 1 FROM parties p WHERE p.party_id = v.${id} AND p.name IS NOT NULL)`)).toBe(0);
    }
    // one row per procedure (and currency) whatever its spelling (the samples spell the open call for tenders two ways)
    const spellings = await query<{ n: number }>(db, "SELECT count(DISTINCT procurement_method_details)::INTEGER AS n FROM contracts WHERE lower(procurement_method_details) IN ('appel d offres ouvert', 'appel d''offres ouvert')");
    expect(spellings).toEqual([{ n: 2 }]);
    const open = await query<{ rows: number; contracts: number }>(db, "SELECT count(*)::INTEGER AS rows, sum(contracts)::INTEGER AS contracts FROM procedures_mix WHERE lower(procedure) IN ('appel d offres ouvert', 'appel d''offres ouvert') GROUP BY year, procurement_method, currency HAVING count(*) > 1");
    expect(open).toEqual([]);
    const mix = await query<{ year: number; s: number }>(db, 'SELECT year, sum(share) AS s FROM procedures_mix GROUP BY year, record_type');
    for (const m of mix) expect(m.s).toBeCloseTo(1, 6);
    // a concession's value (its expected turnover over its life) is never added to the marchés':
    // every view that sums amounts keeps them apart (the samples' concessions: 34.6 M€ of one buyer's 40.4 M€ in 2018)
    expect(await count(db, "SELECT count(*) FROM contracts WHERE record_type = 'contrat-concession' AND duplicate_of IS NULL")).toBeGreaterThan(0);
    for (const v of ['contracts_per_buyer', 'contracts_per_supplier', 'contracts_per_cpv', 'procedures_mix', 'contract_values']) {
      const amount = v === 'contracts_per_supplier' ? 'amount_shared' : v === 'contract_values' ? 'current_amount' : 'amount';
      const only = v === 'contracts_per_supplier' ? ' AND suppliers > 0' : '';
      expect(await count(db, `SELECT round(sum(${amount})) FROM ${v} WHERE record_type = 'contrat-concession'`)).toBe(await count(db, `SELECT round(sum(amount)) FROM contracts WHERE record_type = 'contrat-concession' AND duplicate_of IS NULL${only}`));
    }
    // a buyer's and a supplier's legal unit (SIREN), to group their establishments (red-flags.md §3.4)
    const siret = "regexp_matches(ID, '^FR-RCS-[0-9]{9}([0-9]{5})?$')";
    expect(await count(db, `SELECT count(*) FROM contracts_per_buyer WHERE ${siret.replace('ID', 'buyer_id')} AND buyer_siren IS DISTINCT FROM substr(buyer_id, 8, 9)`)).toBe(0);
    expect(await count(db, 'SELECT count(*) FROM (SELECT buyer_siren FROM contracts_per_buyer WHERE buyer_siren IS NOT NULL GROUP BY buyer_siren HAVING count(DISTINCT buyer_id) > 1)')).toBeGreaterThan(0);
    expect(await count(db, `SELECT count(*) FROM contracts_per_supplier WHERE ${siret.replace('ID', 'supplier_id')} AND supplier_siren IS DISTINCT FROM substr(supplier_id, 8, 9)`)).toBe(0);
    // (a SIREN given alone is its own legal unit; an id of another length is no SIREN nor SIRET)
    expect(await count(db, "SELECT count(*) FROM contracts_per_supplier WHERE supplier_id = 'FR-RCS-823316509' AND supplier_siren = '823316509'")).toBeGreaterThan(0);
    // (a French VAT number whose key fits is its SIREN too: the samples' one is, FR31810059196; another id is no SIREN)
    const vat = "regexp_matches(supplier_id, '^FR-DECP-TVA-FR[0-9]{11}$')";
    // (a SIRET mistyped to another length names its legal unit when its first nine digits pass the
    // SIREN's key: Groupe Labrenne's 324095884000056 beside its 32409588400056; any other id is no SIREN)
    expect(await count(db, `SELECT count(*) FROM contracts_per_supplier WHERE NOT ${siret.replace('ID', 'supplier_id')} AND NOT ${vat} AND supplier_siren IS NOT NULL AND NOT (regexp_matches(supplier_id, '^FR-RCS-[0-9]{10,15}$') AND supplier_siren = substr(supplier_id, 8, 9))`)).toBe(0);
    expect(await query(db, "SELECT DISTINCT supplier_id FROM contracts_per_supplier WHERE supplier_siren = '324095884' ORDER BY 1")).toEqual([{ supplier_id: 'FR-RCS-324095884000056' }, { supplier_id: 'FR-RCS-32409588400056' }]);
    expect(await query(db, `SELECT DISTINCT supplier_id, supplier_siren FROM contracts_per_supplier WHERE ${vat}`)).toEqual([{ supplier_id: 'FR-DECP-TVA-FR31810059196', supplier_siren: '810059196' }]);
  });

  test('red flags carry their value and threshold, and flag exactly the contracts past it', async () => {
    expect(await count(db, "SELECT count(*) FROM red_flags WHERE code NOT IN ('SINGLE_BID', 'EARLY_AMENDMENT', 'THRESHOLD_CROSSED', 'NO_COMPETITION_OVER_THRESHOLD') AND NOT value > threshold")).toBe(0);
    // (a threshold is reached at its value: "under 40,000 €" needs nothing, 40,000 € does)
    expect(await count(db, "SELECT count(*) FROM red_flags WHERE code IN ('THRESHOLD_CROSSED', 'NO_COMPETITION_OVER_THRESHOLD') AND NOT value >= threshold")).toBe(0);
    // every marché awarded without competition at or over 25,000 € (2019 and before) or 40,000 € (2020 on; these samples) is flagged
    expect(await count(db, "SELECT count(*) FROM red_flags WHERE code = 'NO_COMPETITION_OVER_THRESHOLD'")).toBe(
      await count(db, "SELECT count(*) FROM contracts WHERE duplicate_of IS NULL AND decp_version IS NOT NULL AND record_type = 'marche' AND currency = 'EUR' AND procurement_method = 'limited' AND call_off IS NOT TRUE AND initial_amount >= CASE WHEN signed_day < DATE '2015-10-01' THEN 15000 WHEN signed_day < DATE '2020-01-01' THEN 25000 WHEN main_category = 'works' AND signed_day >= DATE '2020-07-24' THEN 100000 ELSE 40000 END"),
    );
    expect(await count(db, "SELECT count(*) FROM red_flags WHERE code = 'NO_COMPETITION_OVER_THRESHOLD'")).toBeGreaterThan(0);
    // (a first modification sooner than the threshold: the one flag under it)
    expect(await count(db, "SELECT count(*) FROM red_flags WHERE code = 'EARLY_AMENDMENT' AND NOT (value >= 0 AND value < threshold)")).toBe(0);
    expect(await count(db, "SELECT count(*) FROM red_flags WHERE code = 'EARLY_AMENDMENT'")).toBe(await count(db, 'SELECT count(*) FROM contracts WHERE duplicate_of IS NULL AND first_amendment_days BETWEEN 0 AND 29'));
    expect(await count(db, "SELECT count(*) FROM red_flags WHERE code = 'FRAMEWORK_TOO_LONG'")).toBe(await count(db, 'SELECT count(*) FROM contracts WHERE duplicate_of IS NULL AND framework_agreement AND initial_duration_months > 48'));
    expect(await count(db, "SELECT count(*) FROM red_flags WHERE code = 'SINGLE_BID' AND value <> 1")).toBe(0);
    const codes = (await query<{ code: string }>(db, 'SELECT DISTINCT code FROM red_flags ORDER BY 1')).map((r) => r.code);
    expect(codes.length).toBeGreaterThanOrEqual(3);
    for (const c of codes) expect(Object.keys(RED_FLAG_CODES)).toContain(c);
    // (a contract published twice, linked by duplicate_of, is flagged once)
    // (or by the EU procedure threshold of its nature, works' for a concession, or more: R.2194-8 and R.3135-8)
    const works = "(main_category = 'works' OR record_type = 'contrat-concession')";
    const eu = `CASE WHEN signed_day < DATE '2018-01-01' THEN CASE WHEN ${works} THEN 5225000 ELSE 209000 END WHEN signed_day < DATE '2020-01-01' THEN CASE WHEN ${works} THEN 5548000 ELSE 221000 END
      WHEN signed_day < DATE '2022-01-01' THEN CASE WHEN ${works} THEN 5350000 ELSE 214000 END WHEN signed_day < DATE '2024-01-01' THEN CASE WHEN ${works} THEN 5382000 ELSE 215000 END
      WHEN signed_day < DATE '2026-01-01' THEN CASE WHEN ${works} THEN 5538000 ELSE 221000 END ELSE CASE WHEN ${works} THEN 5404000 ELSE 216000 END END`;
    const over = await count(db, `SELECT count(*) FROM contracts WHERE duplicate_of IS NULL AND amendments > corrections AND initial_amount > 0 AND decp_version IS NOT NULL
      AND (round((amount - initial_amount) / initial_amount, 9) > CASE WHEN main_category = 'works' AND record_type = 'marche' THEN 0.15 ELSE 0.10 END
        OR (currency = 'EUR' AND signed_day >= DATE '2016-01-01' AND amount - initial_amount >= ${eu}))`);
    expect(await count(db, "SELECT count(*) FROM red_flags WHERE code = 'AMENDMENT_OVER_SAFE_HARBOUR'")).toBe(over);
    // (contracts notified before the obligation began, 2018-10-01, are never late)
    // (the samples' dates are Paris days: the delay is the difference of their Paris days; concessions follow another rule)
    const parisDelay = "date_diff('day', (date_signed AT TIME ZONE 'Europe/Paris')::DATE, (date_published AT TIME ZONE 'Europe/Paris')::DATE)";
    expect(await count(db, `SELECT count(*) FROM contracts WHERE publication_delay_days IS DISTINCT FROM ${parisDelay} AND strftime(date_signed AT TIME ZONE 'Europe/Paris', '%H:%M') = '00:00' AND strftime(date_published AT TIME ZONE 'Europe/Paris', '%H:%M') = '00:00'`)).toBe(0);
    const obliged = `duplicate_of IS NULL AND record_type = 'marche' AND ${parisDelay} > 60 AND (date_signed AT TIME ZONE 'Europe/Paris')::DATE >= DATE '2018-10-01' AND initial_amount >= CASE WHEN (date_signed AT TIME ZONE 'Europe/Paris')::DATE < DATE '2020-01-01' THEN 25000 ELSE 40000 END`;
    // (a 2024-format record of a contract notified before 2024 published first in 2024 is a
    // re-publication in the new format: the samples' July 2024 files hold such contracts of 2009-2023)
    const republished = `decp_version = '2024' AND (date_signed AT TIME ZONE 'Europe/Paris')::DATE < DATE '2024-01-01' AND (date_published AT TIME ZONE 'Europe/Paris')::DATE >= DATE '2024-01-01'`;
    expect(await count(db, "SELECT count(*) FROM red_flags WHERE code = 'LATE_PUBLICATION'")).toBe(await count(db, `SELECT count(*) FROM contracts WHERE ${obliged} AND NOT (${republished})`));
    expect(await count(db, `SELECT count(*) FROM contracts WHERE ${obliged} AND ${republished}`)).toBeGreaterThan(50);
    // (the samples' late marchés below the publication threshold, published by choice: not flagged)
    expect(await count(db, `SELECT count(*) FROM contracts WHERE duplicate_of IS NULL AND record_type = 'marche' AND ${parisDelay} > 60 AND (date_signed AT TIME ZONE 'Europe/Paris')::DATE >= DATE '2018-10-01' AND initial_amount < 25000`)).toBeGreaterThan(0);
    expect(await count(db, `SELECT count(*) FROM contracts WHERE ${parisDelay} > 60 AND (date_signed AT TIME ZONE 'Europe/Paris')::DATE < DATE '2018-10-01'`)).toBeGreaterThan(0);
    expect(await count(db, `SELECT count(*) FROM contracts WHERE record_type = 'contrat-concession' AND ${parisDelay} > 60`)).toBeGreaterThan(0);
    // a single offer in any competitive procedure, procédure adaptée (MAPA) included (red-flags.md §3.4)
    const competitive = "(procurement_method IN ('open', 'selective') OR procurement_method_details ILIKE 'proc_dure adapt_e%')";
    expect(await count(db, `SELECT count(*) FROM contracts WHERE bids = 1 AND procurement_method_details ILIKE 'proc_dure adapt_e%'`)).toBeGreaterThan(0);
    expect(await count(db, "SELECT count(*) FROM red_flags WHERE code = 'SINGLE_BID'")).toBe(await count(db, `SELECT count(*) FROM contracts WHERE duplicate_of IS NULL AND call_off IS NOT TRUE AND bids = 1 AND ${competitive}`));
    expect(await count(db, 'SELECT count(*) FROM red_flags JOIN contracts USING (ocid, contract_id) WHERE duplicate_of IS NOT NULL')).toBe(0);
  });

  test('`flags` prints the store’s red flags, as JSON Lines or CSV, without changing the store', async () => {
    const total = await count(db, 'SELECT (SELECT count(*) FROM red_flags) + (SELECT count(*) FROM price_anomalies) + (SELECT count(*) FROM value_outliers)');
    const before = readFileSync(db);
    const r = await runCli(['flags', '--db', db]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(total);
    const late = await query<{ ocid: string; contract_id: string; value: number }>(db, "SELECT ocid, contract_id, value FROM red_flags WHERE code = 'LATE_PUBLICATION' ORDER BY ocid, contract_id LIMIT 1");
    expect(rows).toContainEqual(expect.objectContaining({ code: 'LATE_PUBLICATION', indicator: RED_FLAG_CODES.LATE_PUBLICATION, ocid: late[0]!.ocid, contract_id: late[0]!.contract_id, value: late[0]!.value, threshold: 60 }));
    expect(r.stderr).toMatch(new RegExp(`${total} red flags \\(.*LATE_PUBLICATION \\d+`));
    // the contract values far above their subject's, with their group's figures
    const outlier = await query<{ ocid: string; contract_id: string; initial_amount: number }>(db, 'SELECT ocid, contract_id, initial_amount FROM value_outliers ORDER BY ocid, contract_id LIMIT 1');
    expect(outlier).toHaveLength(1);
    expect(rows).toContainEqual(expect.objectContaining({ code: 'VALUE_OUTLIER', indicator: VALUE_OUTLIER, ocid: outlier[0]!.ocid, contract_id: outlier[0]!.contract_id, value: outlier[0]!.initial_amount, detail: expect.stringMatching(/^initial value \d+\.\d\d EUR, at or past the upper fence \(\d+\.\d\d\) of the values of the \d+ contracts of CPV class \d{4} \([^)]*\) in EUR of market FR, whose median is /) }));
    const csv = join(tmp(), 'flags.csv');
    expect((await runCli(['flags', '--db', db, '-o', csv, '--quiet'])).code).toBe(0);
    const csvLines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(csvLines[0]).toBe('code,indicator,ocid,contract_id,buyer_id,value,threshold,detail,year,item_id');
    expect(csvLines).toHaveLength(total + 1);
    // (flags.csv.gz: the same CSV, gzipped — found by a probe: it was gzipped JSON Lines)
    const gz = join(tmp(), 'flags.csv.gz');
    expect((await runCli(['flags', '--db', db, '-o', gz, '--quiet'])).code).toBe(0);
    expect(gunzipSync(readFileSync(gz)).toString('utf8')).toBe(readFileSync(csv, 'utf8'));
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  /** A copy of the samples' store (`old.duckdb`), changed by `sql` as an older version would have left it. */
  const alteredCopy = async (sql: string): Promise<string> => {
    const old = join(tmp(), 'old.duckdb');
    // (out/decp.duckdb is a link through out/.current: the copy is of the store, not of the link)
    cpSync(db, old, { dereference: true });
    await alter(old, sql);
    return old;
  };

  test('`flags` on a store of another schema version: exit 3 and one line (its flags followed other rules)', async () => {
    const old = await alteredCopy("UPDATE store_meta SET value = '6' WHERE key = 'schema_version'");
    const r = await runCli(['flags', '--db', old]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^decp-ocds: INGEST_UNKNOWN_FORMAT: .*old\.duckdb is a store of schema v6; this version of decp-ocds reads v\d+/)]);
  });

  test('`flags` on a store whose views an earlier version made (no value_outliers yet): its red flags, without the value outliers', async () => {
    const old = await alteredCopy('DROP VIEW value_outliers');
    const r = await runCli(['flags', '--db', old]);
    expect(r.code).toBe(0);
    const codes = new Set(r.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { code: string }).code));
    expect(codes.has('LATE_PUBLICATION')).toBe(true);
    expect(codes.has('VALUE_OUTLIER')).toBe(false);
  });

  test('`flags` without a store, or on a file that is not one: exit 3 and one line', async () => {
    const dir = tmp();
    const missing = await runCli(['flags', '--db', join(dir, 'none.duckdb')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^decp-ocds: INGEST_NOT_FOUND: no store at .*none\.duckdb/);
    writeFileSync(join(dir, 'x.duckdb'), '{"not":"a store"}');
    const other = await runCli(['flags', '--db', join(dir, 'x.duckdb')]);
    expect(other.code).toBe(3);
    expect(other.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^decp-ocds: INGEST_UNKNOWN_FORMAT: .* is not a DuckDB file/)]);
  });

  test('ocds/ holds every release and every record, with package metadata', async () => {
    const releases = lines(join(out, 'ocds/releases.jsonl.gz'));
    const records = lines(join(out, 'ocds/records.jsonl.gz'));
    expect(releases).toHaveLength(await count(db, 'SELECT count(*) FROM releases'));
    expect(records).toHaveLength(await count(db, 'SELECT count(*) FROM records'));
    const ids = new Set(releases.map((l) => (JSON.parse(l) as { id: string }).id));
    expect(ids.size).toBe(releases.length);
    const rec = JSON.parse(records[0]!) as { ocid: string; releases: unknown[]; compiledRelease: { tag: string[]; ocid: string } };
    expect(rec.compiledRelease).toMatchObject({ ocid: rec.ocid, tag: ['compiled'] });
    const pkg = JSON.parse(readFileSync(join(out, 'ocds/release-package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ version: '1.1', license: expect.stringContaining('licence-ouverte'), publicationPolicy: expect.any(String), publisher: { name: 'Etalab' } });
    expect((pkg['extensions'] as string[]).length).toBeGreaterThan(5);
    expect(existsSync(join(out, 'reports/validation.json'))).toBe(true);
    expect(readFileSync(join(out, 'reports/validation.html'), 'utf8')).toMatch(/<html/i);
    const report = JSON.parse(readFileSync(join(out, 'reports/validation.json'), 'utf8')) as { summary: { releases: number }; rules: Array<{ rule: string; count: number }> };
    // every release, and every input record left out (as `validate` reports them: an input.* error each)
    // (the samples reject nothing: Ville de Croix's 33 records without an id are contracts, ID_MISSING)
    expect(first.counts.rejected).toBe(0);
    expect(report.summary.releases).toBe(releases.length);
    const buyers = (report as unknown as { buyers: Array<{ buyer: string; errors: number; warnings: number }> }).buyers;
    for (let k = 1; k < buyers.length; k++) expect(buyers[k - 1]!.errors).toBeGreaterThanOrEqual(buyers[k]!.errors);
  });

  // found by a docs audit: the publication policy said a contract published by two platforms is
  // published twice in OCDS, where 173 contracts the samples' two platforms (aws-marches-publics-info, pes-marche) publish alike are one release each
  test('a contract two platforms publish alike is one release, listed twice in release_sources, as the publication policy says', async () => {
    const twice = await count(db, "SELECT count(*) FROM duplicate_publications WHERE array_to_string(paths, ' ') LIKE '%/aws-marches-publics-info_via-decp-rama_%' AND array_to_string(paths, ' ') LIKE '%/pes-marche_via-decp-rama_%'");
    expect(twice).toBeGreaterThan(100);
    const ids = lines(join(out, 'ocds/releases.jsonl.gz')).map((l) => (JSON.parse(l) as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
    const policy = readFileSync(join(out, 'ocds/publication-policy.md'), 'utf8').replace(/\s+/g, ' ');
    expect(policy).toMatch(/A contract that two platforms publish alike is one release/);
    expect(policy).not.toMatch(/a contract published by two platforms is published twice/);
  });

  test('a rejected record is in the validation report, an input.* error, under the buyer it names', async () => {
    const dir = tmp();
    const good = { id: 'G1', acheteur: { id: '21590163800019' }, objet: 'Toiture', montant: 1000, dateNotification: '2024-01-02', titulaires: [{ typeIdentifiant: 'SIRET', id: '80268496900016' }] };
    // no id, and nothing that makes it a contract of its own: rejected, its buyer named
    const stray = { id: '', acheteur: { id: '21590163800019' }, objet: 'x' };
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ marches: [good, stray] }));
    const o = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'in.json'), '--out', o, '--quiet'])).code).toBe(0);
    const rep = JSON.parse(readFileSync(join(o, 'reports/validation.json'), 'utf8')) as { summary: { releases: number }; rules: Array<{ rule: string; count: number }>; buyers: Array<{ buyer: string; errors: number }> };
    expect(runJson(o).counts.rejected).toBe(1);
    expect(rep.summary.releases).toBe(lines(join(o, 'ocds/releases.jsonl.gz')).length + 1);
    expect(rep.rules.filter((r) => r.rule.startsWith('input.'))).toEqual([expect.objectContaining({ rule: 'input.TRANSFORM_NO_ID', count: 1 })]);
    expect(readFileSync(join(o, 'reports/validation.html'), 'utf8')).toContain('input.TRANSFORM_NO_ID');
    expect(rep.buyers.find((b) => b.buyer === 'FR-RCS-21590163800019')?.errors).toBe(1);
  });

  test('every table is exported to Parquet (hive-partitioned by year) and reads back with the same counts', async () => {
    for (const t of TABLES) {
      const dir = join(out, 'parquet', t.name);
      expect(existsSync(dir)).toBe(true);
      const n = await count(db, `SELECT count(*) FROM ${t.name}`);
      if (n === 0) continue;
      const fromParquet = await count(db, `SELECT count(*) FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = true)`);
      expect({ table: t.name, rows: fromParquet }).toEqual({ table: t.name, rows: n });
    }
    expect(readdirSync(join(out, 'parquet/contracts')).some((d) => /^year=\d{4}$/.test(d))).toBe(true);
    // the README names the tables partitioned by year, for pandas' partitioning: those that are
    const partitioned = readdirSync(join(out, 'parquet')).filter((t) => readdirSync(join(out, 'parquet', t)).some((d) => d.startsWith('year='))).sort();
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const listed = /name `year`'s type for the tables partitioned by year \(([^)]*)\)/.exec(readme.replace(/\n/g, ' '))![1]!.match(/`\w+`/g)!.map((n) => n.slice(1, -1)).sort();
    expect(listed).toEqual(partitioned);
    // no JSON blob in the Parquet copy of releases: the OCDS JSON is in ocds/
    const cols = (await query<{ name: string }>(db, `SELECT name FROM parquet_schema('${join(out, 'parquet/releases')}/**/*.parquet')`)).map((c) => c.name);
    expect(cols).not.toContain('release_json');
  });

  test('a second run over the same inputs changes nothing', async () => {
    const before = { releases: readFileSync(join(out, 'ocds/releases.jsonl.gz')), records: readFileSync(join(out, 'ocds/records.jsonl.gz')), pkg: readFileSync(join(out, 'ocds/release-package.json')), recordPkg: readFileSync(join(out, 'ocds/record-package.json')), counts: await tableCounts(db) };
    const r = await runCli(['run', join(SHARED, 'decp/samples'), '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const second = runJson(out);
    expect(second.runId).toBe(first.runId + 1);
    expect(second.counts).toMatchObject({ filesNew: 0, filesUnchanged: 11, read: 0, releasesAdded: 0, ocidsCompiled: 0 });
    expect(readFileSync(join(out, 'ocds/releases.jsonl.gz')).equals(before.releases)).toBe(true);
    expect(readFileSync(join(out, 'ocds/records.jsonl.gz')).equals(before.records)).toBe(true);
    expect(readFileSync(join(out, 'ocds/release-package.json')).equals(before.pkg)).toBe(true);
    expect(readFileSync(join(out, 'ocds/record-package.json')).equals(before.recordPkg)).toBe(true);
    expect(await tableCounts(db)).toEqual(before.counts);
    // Parquet: nothing recompiled, so every file of an ocid's table is the previous one, linked
    expect(second.counts.parquet.linked).toBeGreaterThan(0);
    expect(second.counts.parquet.written).toBeLessThanOrEqual(TABLES.filter((t) => !t.columns.some((c) => c.name === 'ocid')).length + TABLES.length);
    // the old generation and the staging area are gone
    expect(readdirSync(join(out, '.gen'))).toHaveLength(1);
    expect(readdirSync(out).filter((n) => n.startsWith('.staging'))).toEqual([]);
  });
});

describe('red flags on hand-made contracts', () => {
  /** A 2024 marché notified on 2024-01-10 for `months`, with one modification (new total and duration). */
  const marche = (id: string, o: { amount?: number; months: number; newAmount?: number; newMonths?: number; published?: string; cpv?: string; notified?: string }): object => ({
    id,
    acheteur: { id: '21350238800019' },
    nature: 'Marché',
    objet: id,
    codeCPV: o.cpv ?? '72000000',
    procedure: "Appel d'offres ouvert",
    lieuExecution: { code: '35238', typeCode: 'Code commune' },
    dureeMois: o.months,
    dateNotification: o.notified ?? '2024-01-10',
    montant: o.amount,
    formePrix: 'Forfaitaire',
    titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '41436537056563' } }],
    datePublicationDonnees: o.published ?? '2024-01-20',
    modifications: [{ modification: { id: 1, dateNotificationModification: '2024-06-01', datePublicationDonneesModification: '2024-06-01', ...(o.newAmount === undefined ? {} : { montant: o.newAmount }), ...(o.newMonths === undefined ? {} : { dureeMois: o.newMonths }) } }],
  });

  test('an increase of exactly the safe harbour, or a duration exactly 1.5 times in months, is not flagged; past them it is', async () => {
    const dir = tmp();
    const marches = [
      marche('value-10', { amount: 100000, months: 12, newAmount: 110000 }),
      marche('value-10-b', { amount: 120000, months: 12, newAmount: 132000 }),
      marche('value-10.5', { amount: 100000, months: 12, newAmount: 110500 }),
      marche('works-15', { amount: 100000, months: 12, newAmount: 115000, cpv: '45000000' }),
      ...[[2, 3], [4, 6], [6, 9], [8, 12], [12, 18]].map(([a, b]) => marche(`months-${a}-${b}`, { amount: 1000, months: a!, newMonths: b! })),
      marche('months-12-19', { amount: 1000, months: 12, newMonths: 19 }),
      marche('late-60', { amount: 40000, months: 12, published: '2024-03-10' }),
      marche('late-61', { amount: 40000, months: 12, published: '2024-03-11' }),
      // under the publication threshold (40,000 € from 2020): published by choice, never late
      marche('late-61-below', { amount: 39999, months: 12, published: '2024-03-11' }),
      marche('late-61-no-amount', { months: 12, published: '2024-03-11' }),
      // a contract of 2023 published again in the 2024 format when modified (the samples' July 2024
      // files): its date is the re-publication's, not the first publication's
      marche('republished-2023', { amount: 40000, months: 12, notified: '2023-12-29', published: '2024-07-01' }),
    ];
    writeFileSync(join(dir, 'flags.json'), JSON.stringify({ marches: { marche: marches } }));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'flags.json'), '--out', out, '--quiet'])).code).toBe(0);
    const rows = await query<{ ocid: string; code: string; value: number }>(join(out, 'decp.duckdb'), "SELECT ocid, code, value FROM red_flags WHERE code <> 'SINGLE_BID' ORDER BY ocid");
    expect(rows.map((r) => [r.ocid.replace(/^.*-21350238800019-/, ''), r.code, r.value])).toEqual([
      ['late-61', 'LATE_PUBLICATION', 61],
      ['months-12-19', 'DURATION_EXTENDED', 0.583333333],
      ['value-10.5', 'AMENDMENT_OVER_SAFE_HARBOUR', 0.105],
    ]);
    expect(await query(join(out, 'decp.duckdb'), "SELECT initial_duration_months, duration_months, initial_duration_days, duration_days FROM contracts WHERE ocid LIKE '%-months-12-18'")).toEqual([
      { initial_duration_months: 12, duration_months: 18, initial_duration_days: 366, duration_days: 547 },
    ]);
  });

  test('a contract of more modifications than LEVEL_MAX_MODIFICATIONS is measured from its last total not flagged a drop (the level fold is quadratic: 10,000 failed the night)', async () => {
    const dir = tmp();
    const mod = (id: number, date: string, extra: object = {}): object => ({ modification: { id, dateNotificationModification: date, datePublicationDonneesModification: date, ...extra } });
    // changes written where the total belongs, then the total back at the level (as steps-drop-back
    // in the next test: +1 %), then modifications of the duration only, up to `count` modifications
    const many = (id: string, count: number): object => ({
      ...(marche(id, { amount: 100000, months: 12 }) as Record<string, unknown>),
      modifications: [
        mod(1, '2024-06-01', { montant: 2000 }),
        mod(2, '2024-06-15', { montant: 3000 }),
        mod(3, '2024-07-01', { montant: 2500 }),
        mod(4, '2024-08-01', { montant: 101000 }),
        ...Array.from({ length: count - 4 }, (_, k) => mod(5 + k, '2024-09-01', { dureeMois: 13 + k })),
      ],
    });
    writeFileSync(join(dir, 'many.json'), JSON.stringify({ marches: { marche: [many('at-max', LEVEL_MAX_MODIFICATIONS), many('past-max', LEVEL_MAX_MODIFICATIONS + 1)] } }));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'many.json'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT count(*)::INTEGER AS n FROM amendments GROUP BY ocid ORDER BY n')).toEqual([{ n: LEVEL_MAX_MODIFICATIONS }, { n: LEVEL_MAX_MODIFICATIONS + 1 }]);
    // at the limit, the level's rule (+1 %: no flag); past it, the step from 2,500 (+98.5 %)
    const rows = await query<{ ocid: string; value: number }>(db, "SELECT ocid, value FROM red_flags WHERE code = 'AMENDMENT_OVER_HALF' ORDER BY ocid");
    expect(rows.map((r) => [r.ocid.replace(/^.*-21350238800019-/, ''), r.value])).toEqual([['past-max', 0.985]]);
  }, 120_000);

  test('modifications: one adding over half the initial value, a first one within 30 days, suppliers changed (by SIREN); a framework agreement over four years', async () => {
    const dir = tmp();
    const mod = (id: number, date: string, extra: object = {}): object => ({ modification: { id, dateNotificationModification: date, datePublicationDonneesModification: date, ...extra } });
    const supplier = (id: string): object => ({ titulaire: { typeIdentifiant: 'SIRET', id } });
    const withMods = (id: string, extra: object): object => ({ ...(marche(id, { amount: 100000, months: 12 }) as Record<string, unknown>), ...extra });
    const marches = [
      // 100k → 140k → 200k: +60 % of the initial value in one step (but +40 % then +60 %); 100k → 150k is exactly half
      withMods('steps-40-60', { modifications: [mod(1, '2024-06-01', { montant: 140000 }), mod(2, '2024-07-01', { montant: 200000 })] }),
      withMods('step-50', { modifications: [mod(1, '2024-06-01', { montant: 150000 })] }),
      // a modification without a value between two: the step is from the last value given
      withMods('steps-gap', { modifications: [mod(1, '2024-06-01', { montant: 120000 }), mod(2, '2024-06-15', { dureeMois: 13 }), mod(3, '2024-07-01', { montant: 180000 })] }),
      // a change written where the new total belongs (4,000: MODIFICATION_AMOUNT_DROP), then the new
      // total: the step is from the last total not flagged a drop (+6 %, not 4,000 → 106,000); +60 % still is
      withMods('steps-drop-6', { modifications: [mod(1, '2024-06-01', { montant: 4000 }), mod(2, '2024-07-01', { montant: 106000 })] }),
      withMods('steps-drop-60', { modifications: [mod(1, '2024-06-01', { montant: 4000 }), mod(2, '2024-07-01', { montant: 160000 })] }),
      // changes written where the total belongs, one after another (only the first, 2,000, is under half
      // the value so far), then the total back at the contract's level: +1 % from 100,000, not +98.5 % from
      // 2,500 (found by an audit of real data: 645,288 then 2,616, 4,244, 3,673, 651,108 was +100 %)
      withMods('steps-drop-back', { modifications: [mod(1, '2024-06-01', { montant: 2000 }), mod(2, '2024-06-15', { montant: 3000 }), mod(3, '2024-07-01', { montant: 2500 }), mod(4, '2024-08-01', { montant: 101000 })] }),
      // two steps of +30 % on one day, the modifications numbered 9 and 10 (in that order, not as text):
      // one change of +60 % to the day's last total, 160,000 (as text, 10 then 9, it would end at 130,000)
      withMods('tie-9-10', { modifications: [mod(9, '2024-06-01', { montant: 130000 }), mod(10, '2024-06-01', { montant: 160000 })] }),
      // 29 days after notification (2024-01-10), then exactly 30
      withMods('early-29', { modifications: [mod(1, '2024-02-08', { dureeMois: 13 })] }),
      // a modification dated before the notification (a typo) does not hide the early one
      withMods('early-masked', { modifications: [mod(1, '2023-02-01', { dureeMois: 13 }), mod(2, '2024-01-20', { dureeMois: 14 })] }),
      withMods('early-30', { modifications: [mod(1, '2024-02-09', { dureeMois: 13 })] }),
      // another company; the same company's other establishment (same SIREN); a modification listing nobody
      withMods('supplier-other', { modifications: [mod(1, '2024-06-01', { titulaires: [supplier('42058740400039')] })] }),
      withMods('supplier-same-siren', { modifications: [mod(1, '2024-06-01', { titulaires: [supplier('41436537056571')] })] }),
      withMods('supplier-none', { modifications: [mod(1, '2024-06-01', { titulaires: [] })] }),
      // the same company given by its VAT number (key 91: its SIREN inside); a VAT number whose key does not fit is not known to be it
      withMods('supplier-vat', { modifications: [mod(1, '2024-06-01', { titulaires: [{ titulaire: { typeIdentifiant: 'TVA', id: 'FR91414365370' } }] })] }),
      withMods('supplier-vat-bad-key', { modifications: [mod(1, '2024-06-01', { titulaires: [{ titulaire: { typeIdentifiant: 'TVA', id: 'FR90414365370' } }] })] }),
      // framework agreements of 49 and 48 months; a marché of 60 months is no framework agreement
      { ...(marche('framework-49', { amount: 1000, months: 49 }) as Record<string, unknown>), nature: 'Accord-cadre', modifications: [] },
      { ...(marche('framework-48', { amount: 1000, months: 48 }) as Record<string, unknown>), techniques: { technique: ['Accord-cadre'] }, modifications: [] },
      { ...(marche('marche-60', { amount: 1000, months: 60 }) as Record<string, unknown>), modifications: [] },
      // no usable notification date: no period to measure, yet the months are given (found by a probe: no flag)
      { ...(marche('framework-undated', { amount: 1000, months: 96 }) as Record<string, unknown>), nature: 'Accord-cadre', dateNotification: '2024-02-30', modifications: [mod(1, '2024-06-01', { dureeMois: 160 })] },
    ];
    writeFileSync(join(dir, 'flags.json'), JSON.stringify({ marches: { marche: marches } }));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'flags.json'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const rows = await query<{ ocid: string; code: string; value: number }>(db, "SELECT ocid, code, value FROM red_flags WHERE code IN ('AMENDMENT_OVER_HALF', 'EARLY_AMENDMENT', 'SUPPLIERS_CHANGED', 'FRAMEWORK_TOO_LONG') ORDER BY ocid, code");
    expect(rows.map((r) => [r.ocid.replace(/^.*-21350238800019-/, ''), r.code, r.value])).toEqual([
      ['early-29', 'EARLY_AMENDMENT', 29],
      ['early-masked', 'EARLY_AMENDMENT', 10],
      ['framework-49', 'FRAMEWORK_TOO_LONG', 49],
      ['framework-undated', 'FRAMEWORK_TOO_LONG', 96],
      ['steps-40-60', 'AMENDMENT_OVER_HALF', 0.6],
      ['steps-drop-60', 'AMENDMENT_OVER_HALF', 0.6],
      ['steps-gap', 'AMENDMENT_OVER_HALF', 0.6],
      ['supplier-other', 'SUPPLIERS_CHANGED', 2],
      ['supplier-vat-bad-key', 'SUPPLIERS_CHANGED', 2],
      ['tie-9-10', 'AMENDMENT_OVER_HALF', 0.6],
    ]);
    expect(await query(db, "SELECT initial_duration_months AS d0, duration_months AS d, initial_duration_days AS days FROM contracts WHERE ocid LIKE '%-framework-undated'")).toEqual([{ d0: 96, d: 160, days: null }]);
    expect(await query(db, "SELECT code, value FROM red_flags WHERE ocid LIKE '%-framework-undated' AND code = 'DURATION_EXTENDED'")).toEqual([{ code: 'DURATION_EXTENDED', value: 0.666666667 }]);
    // the party's legal unit, in the table and in the views that count a supplier by it
    expect(await query(db, "SELECT DISTINCT party_id, siren FROM parties WHERE party_id LIKE 'FR-DECP-TVA-%' ORDER BY party_id")).toEqual([
      { party_id: 'FR-DECP-TVA-FR90414365370', siren: null },
      { party_id: 'FR-DECP-TVA-FR91414365370', siren: '414365370' },
    ]);
    expect(await query(db, "SELECT DISTINCT supplier_siren FROM contracts_per_supplier WHERE supplier_id LIKE 'FR-DECP-TVA-%' ORDER BY 1")).toEqual([{ supplier_siren: '414365370' }, { supplier_siren: null }]);
    expect(await query(db, "SELECT framework_agreement AS f, first_amendment_days AS d FROM contracts WHERE ocid LIKE '%-framework-48' OR ocid LIKE '%-early-30' OR ocid LIKE '%-marche-60' ORDER BY ocid")).toEqual([
      { f: false, d: 30 },
      { f: true, d: null },
      { f: false, d: null },
    ]);
  });

  test('a modification notified on the contract\'s own day corrects its data (found by a probe: "Erreur de saisie" on the day made a contract ×4 on its signature day, five flags, and kept the retracted figure as its initial value); one dated before the contract is flagged, still a modification', async () => {
    const dir = tmp();
    const mod = (id: number, date: string, extra: object = {}): object => ({ modification: { id, dateNotificationModification: date, datePublicationDonneesModification: date, ...extra } });
    const withMods = (id: string, amount: number, months: number, mods: object[]): object => ({ ...(marche(id, { amount, months }) as Record<string, unknown>), modifications: mods });
    const marches = [
      // the amount corrected on the day (13,216 → 52,866), then a real modification +5 % months later: no flag
      withMods('fixed-amount', 13216, 12, [mod(1, '2024-01-10', { montant: 52866, objetModification: 'erreur sur le prix global' }), mod(2, '2024-06-01', { montant: 55509.3 })]),
      // … and one +20 % after the correction: measured from the corrected value
      withMods('fixed-then-20', 10000, 12, [mod(1, '2024-01-10', { montant: 100000 }), mod(2, '2024-06-01', { montant: 120000 })]),
      // the duration corrected on the day (3 → 36 months): no extension, no early amendment
      withMods('fixed-months', 50000, 3, [mod(1, '2024-01-10', { dureeMois: 36, objetModification: 'Rectification durée du marché' })]),
      // the supplier corrected on the day: no change of suppliers
      withMods('fixed-supplier', 50000, 12, [mod(1, '2024-01-10', { titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '42058740400039' } }], objetModification: 'Nom et Siret du titulaire' })]),
      // the same modification a day later is one: all three flags
      withMods('next-day', 13216, 3, [mod(1, '2024-01-11', { montant: 52866, dureeMois: 36, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '42058740400039' } }] })]),
      // a modification dated a month before the contract (a mistyped month): flagged, still a modification
      withMods('before', 100000, 12, [mod(1, '2023-12-10', { montant: 200000 })]),
      // a same-day one after a real modification (ordered by id, its date mistyped) is a modification:
      // it does not make the initial state, the real one's flags stay (found by a review)
      withMods('late-same-day', 100000, 12, [mod(1, '2024-06-01', { montant: 200000 }), mod(2, '2024-01-10', { montant: 200000, objetModification: 'Actualisation données transmises initialement' })]),
      // the supplier corrected on the day, then a real modification that names no supplier: no change
      withMods('fixed-supplier-then-amount', 100000, 12, [mod(1, '2024-01-10', { titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '42058740400039' } }] }), mod(2, '2024-06-01', { montant: 105000 })]),
      // the supplier corrected on the day, then a real modification that lists it again (as DECP
      // modifications repeat their titulaires): no change either (found by a monitor's audit: it was
      // compared with the award's list as first published, SUPPLIERS_CHANGED)
      withMods('fixed-supplier-then-same', 100000, 12, [mod(1, '2024-01-10', { titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '42058740400039' } }] }), mod(2, '2024-06-01', { montant: 105000, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '42058740400039' } }] })]),
    ];
    writeFileSync(join(dir, 'corrections.json'), JSON.stringify({ marches: { marche: marches } }));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'corrections.json'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const short = (ocid: string): string => ocid.replace(/^.*-21350238800019-/, '');
    const flags = await query<{ ocid: string; code: string; value: number }>(db, 'SELECT ocid, code, value FROM red_flags ORDER BY ocid, code');
    expect(flags.map((r) => [short(r.ocid), r.code, r.value])).toEqual([
      ['before', 'AMENDMENT_OVER_HALF', 1],
      ['before', 'AMENDMENT_OVER_SAFE_HARBOUR', 1],
      ['fixed-then-20', 'AMENDMENT_OVER_SAFE_HARBOUR', 0.2],
      ['late-same-day', 'AMENDMENT_OVER_HALF', 1],
      ['late-same-day', 'AMENDMENT_OVER_SAFE_HARBOUR', 1],
      ['late-same-day', 'EARLY_AMENDMENT', 0],
      ['next-day', 'AMENDMENT_OVER_HALF', 3.000151332],
      ['next-day', 'AMENDMENT_OVER_SAFE_HARBOUR', 3.000151332],
      ['next-day', 'DURATION_EXTENDED', 11],
      ['next-day', 'EARLY_AMENDMENT', 1],
      ['next-day', 'SUPPLIERS_CHANGED', 2],
    ]);
    const contracts = await query<{ ocid: string; initial_amount: number; amount: number; d0: number; d: number; amendments: number; corrections: number; first: number | null }>(
      db,
      'SELECT ocid, initial_amount, amount, initial_duration_months AS d0, duration_months AS d, amendments, corrections, first_amendment_days AS first FROM contracts ORDER BY ocid',
    );
    expect(contracts.map((k) => [short(k.ocid), k.initial_amount, k.amount, k.d0, k.d, k.amendments, k.corrections, k.first])).toEqual([
      ['before', 100000, 200000, 12, 12, 1, 0, null],
      ['fixed-amount', 52866, 55509.3, 12, 12, 2, 1, 143],
      ['fixed-months', 50000, 50000, 36, 36, 1, 1, null],
      ['fixed-supplier', 50000, 50000, 12, 12, 1, 1, null],
      ['fixed-supplier-then-amount', 100000, 105000, 12, 12, 2, 1, 143],
      ['fixed-supplier-then-same', 100000, 105000, 12, 12, 2, 1, 143],
      ['fixed-then-20', 100000, 120000, 12, 12, 2, 1, 143],
      ['late-same-day', 100000, 200000, 12, 12, 2, 0, 0],
      ['next-day', 13216, 52866, 3, 36, 1, 0, 1],
    ]);
    expect(await query(db, "SELECT amendment_id, correction FROM amendments WHERE ocid LIKE '%-fixed-amount' ORDER BY position")).toEqual([
      { amendment_id: '1', correction: true },
      { amendment_id: '2', correction: false },
    ]);
    expect(await query(db, "SELECT code, raw FROM quality_flags WHERE code = 'MODIFICATION_BEFORE_CONTRACT'")).toEqual([{ code: 'MODIFICATION_BEFORE_CONTRACT', raw: '"2023-12-10"' }]);
    // a partner's contract mapped through a profile (marchés too, its own law): its same-day addition
    // is one (found by a review: the rule was applied to every mapped record)
    const fixtures = join(import.meta.dirname, '../../fixtures/partner');
    const line = { referencia: 'SAME-DAY', entidad: { nit: '899999061', nombre: 'Alcaldía de Ejemplo' }, objeto: 'x', valor: '1000000', firma: '2024-05-15', plazo_meses: '6', contratistas: [{ doc: '900123456', tipo: 'NIT', nombre: 'Tecnología Andina SAS' }], adiciones: [{ n: 1, fecha: '2024-05-15', valor_total: '3000000', plazo_meses: '12' }] };
    writeFileSync(join(dir, 'contratos.jsonl'), `${JSON.stringify(line)}\n`);
    const mapped = join(dir, 'mapped');
    expect((await runCli(['run', join(dir, 'contratos.jsonl'), '--profile', join(fixtures, 'profile.json'), '--out', mapped, '--quiet'])).code).toBe(0);
    expect(await query(join(mapped, 'decp.duckdb'), 'SELECT initial_amount, amount, corrections, first_amendment_days AS first FROM contracts')).toEqual([{ initial_amount: 1000000, amount: 3000000, corrections: 0, first: 0 }]);
    expect(await query(join(mapped, 'decp.duckdb'), 'SELECT correction FROM amendments')).toEqual([{ correction: false }]);
  });

  test('modifications that take the value to a threshold the initial value was under (R054), increases within 90 days, and marchés without competition over the threshold of R.2122-8 (R010/R049)', async () => {
    const dir = tmp();
    const mod = (id: number, date: string, extra: object = {}): object => ({ modification: { id, dateNotificationModification: date, datePublicationDonneesModification: date, ...extra } });
    const m = (id: string, procedure: string, amount: number, mods: object[], cpv = '72000000'): object => ({ ...(marche(id, { amount, months: 12, cpv }) as Record<string, unknown>), procedure, modifications: mods });
    const mapa = 'Procédure adaptée';
    const open = "Appel d'offres ouvert";
    const nc = 'Marché passé sans publicité ni mise en concurrence préalable';
    const marches = [
      // a procédure adaptée taken to 95,000 €: advertising was due from 90,000 €
      m('mapa-90k', mapa, 80000, [mod(1, '2024-06-01', { montant: 95000 })]),
      m('mapa-exact', mapa, 80000, [mod(1, '2024-06-01', { montant: 90000 })]),
      // an open procedure was advertised: 90,000 € says nothing of it; the EU threshold (221,000 € in 2024) does
      m('open-90k', open, 80000, [mod(1, '2024-06-01', { montant: 95000 })]),
      m('open-eu', open, 200000, [mod(1, '2024-06-01', { montant: 230000 })]),
      // both crossed: one flag, the higher threshold
      m('mapa-both', mapa, 80000, [mod(1, '2024-06-01', { montant: 300000 })]),
      // works: 5,538,000 € in 2024
      m('works-eu', open, 5000000, [mod(1, '2024-06-01', { montant: 5600000 })], '45000000'),
      m('mapa-above', mapa, 95000, [mod(1, '2024-06-01', { montant: 120000 })]),
      // two increases 89 days apart (2024-02-01 → 2024-04-30); 91 days apart; a decrease between two increases
      m('ups-89', open, 10000, [mod(1, '2024-02-01', { montant: 11000 }), mod(2, '2024-04-30', { montant: 12000 })]),
      m('ups-91', open, 10000, [mod(1, '2024-02-01', { montant: 11000 }), mod(2, '2024-05-02', { montant: 12000 })]),
      m('ups-down', open, 10000, [mod(1, '2024-02-01', { montant: 11000 }), mod(2, '2024-02-15', { montant: 10500 }), mod(3, '2024-03-01', { montant: 10600 })]),
      m('ups-duration', open, 10000, [mod(1, '2024-02-01', { dureeMois: 13 }), mod(2, '2024-02-15', { montant: 11000 })]),
      // a change written where the total belongs (400: MODIFICATION_AMOUNT_DROP) is no value the next rises from:
      // 11,000 → 10,900 is no increase
      m('ups-drop', open, 10000, [mod(1, '2024-02-01', { montant: 11000 }), mod(2, '2024-02-15', { montant: 400 }), mod(3, '2024-03-01', { montant: 10900 })]),
      // nor are the changes written so after it (600, then 500: only 400 is under half the value so far):
      // 10,900 is back at the contract's level, measured from 11,000, not from 500
      m('ups-drop-back', open, 10000, [mod(1, '2024-02-01', { montant: 11000 }), mod(2, '2024-02-15', { montant: 400 }), mod(3, '2024-02-20', { montant: 600 }), mod(4, '2024-03-01', { montant: 500 }), mod(5, '2024-03-20', { montant: 10900 })]),
      // 90 calendar days across each change of clocks (Paris midnights 89 days 23 hours, and 90 days 1 hour, apart)
      m('ups-spring', open, 10000, [mod(1, '2024-01-20', { montant: 11000 }), mod(2, '2024-04-19', { montant: 12000 })]),
      m('ups-autumn', open, 10000, [mod(1, '2024-09-01', { montant: 11000 }), mod(2, '2024-11-30', { montant: 12000 })]),
      // one modification published twice, an older one published late between them (the merge order
      // is by publication): 12,000 on 2024-06-01, 11,000, 12,000 on 2024-06-01 again: one increase
      m('ups-twice', open, 10000, [
        mod(1, '2024-06-01', { montant: 12000, datePublicationDonneesModification: '2024-06-02' }),
        mod(2, '2023-06-01', { montant: 11000, datePublicationDonneesModification: '2024-06-03' }),
        mod(3, '2024-06-01', { montant: 12000, datePublicationDonneesModification: '2024-06-04' }),
      ]),
      // modifications without their notification date, published the same day: no date of their own,
      // so neither within 90 days of each other nor early (the release's date is a publication's)
      m('ups-undated', open, 10000, [mod(1, '', { montant: 11000, datePublicationDonneesModification: '2024-01-25' }), mod(2, '', { montant: 12000, datePublicationDonneesModification: '2024-01-25' })].map((x) => {
        const { dateNotificationModification: _d, ...rest } = (x as { modification: Record<string, unknown> }).modification;
        return { modification: rest };
      })),
      // without competition: 30,000 → 45,000 € crosses the 40,000 € of R.2122-8 (and is not over it at award);
      // 40,000 € at award is not under it; 39,999.99 € is
      m('nc-cross', nc, 30000, [mod(1, '2024-06-01', { montant: 45000 })]),
      m('nc-40k', nc, 40000, []),
      m('nc-under', nc, 39999.99, []),
      // works: 100,000 € from 2026 (and, here, from the 2020 raise on): 90,000 € needs nothing
      m('nc-works-90k', nc, 90000, [], '45000000'),
      m('nc-works-100k', nc, 100000, [], '45000000'),
      // a call-off of a framework agreement (a marché subséquent) coded without competition is awarded
      // under its framework, not on one of R.2122-1 to R.2122-11: neither over nor crossing those thresholds
      { ...(m('nc-call-off', nc, 96500, []) as Record<string, unknown>), idAccordCadre: 'AC2024', modalitesExecution: { modaliteExecution: ['Marchés subséquents'] } },
      { ...(m('nc-call-off-cross', nc, 30000, [mod(1, '2024-06-01', { montant: 95000 })]) as Record<string, unknown>), idAccordCadre: 'AC2024', modalitesExecution: { modaliteExecution: ['Marchés subséquents'] } },
    ];
    writeFileSync(join(dir, 'flags.json'), JSON.stringify({ marches: { marche: marches } }));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'flags.json'), '--out', out, '--quiet'])).code).toBe(0);
    const rows = await query<{ ocid: string; code: string; value: number; threshold: number; detail: string }>(join(out, 'decp.duckdb'), "SELECT ocid, code, value, threshold, detail FROM red_flags WHERE code IN ('THRESHOLD_CROSSED', 'REPEATED_INCREASES', 'NO_COMPETITION_OVER_THRESHOLD') ORDER BY ocid, code");
    const which = (detail: string): string => (/EU/.test(detail) ? 'EU' : /advertised/.test(detail) ? 'advertising' : /competition/.test(detail) ? 'competition' : '');
    expect(rows.map((r) => [r.ocid.replace(/^.*-21350238800019-/, ''), r.code, r.value, r.threshold, which(r.detail)])).toEqual([
      ['mapa-90k', 'THRESHOLD_CROSSED', 95000, 90000, 'advertising'],
      ['mapa-both', 'THRESHOLD_CROSSED', 300000, 221000, 'EU'],
      ['mapa-exact', 'THRESHOLD_CROSSED', 90000, 90000, 'advertising'],
      ['nc-40k', 'NO_COMPETITION_OVER_THRESHOLD', 40000, 40000, 'competition'],
      ['nc-cross', 'THRESHOLD_CROSSED', 45000, 40000, 'competition'],
      ['nc-works-100k', 'NO_COMPETITION_OVER_THRESHOLD', 100000, 100000, 'competition'],
      ['open-eu', 'THRESHOLD_CROSSED', 230000, 221000, 'EU'],
      ['ups-89', 'REPEATED_INCREASES', 2, 1, ''],
      ['ups-autumn', 'REPEATED_INCREASES', 2, 1, ''],
      ['ups-down', 'REPEATED_INCREASES', 2, 1, ''],
      ['ups-spring', 'REPEATED_INCREASES', 2, 1, ''],
      ['works-eu', 'THRESHOLD_CROSSED', 5600000, 5538000, 'EU'],
    ]);
    // an undated modification keeps no date of its release's (its year, for the partitions, is the release's)
    const db = join(out, 'decp.duckdb');
    expect(await query(db, "SELECT date, year, amount FROM amendments WHERE ocid LIKE '%-ups-undated' ORDER BY position")).toEqual([
      { date: null, year: 2024, amount: 11000 },
      { date: null, year: 2024, amount: 12000 },
    ]);
    expect(await query(db, "SELECT first_amendment_days AS d FROM contracts WHERE ocid LIKE '%-ups-undated'")).toEqual([{ d: null }]);
    // (the merge order the twice-published modification has: 12,000, then 11,000, then 12,000 again)
    expect(await query(db, "SELECT amount FROM amendments WHERE ocid LIKE '%-ups-twice' ORDER BY position")).toEqual([{ amount: 12000 }, { amount: 11000 }, { amount: 12000 }]);
    expect(await count(db, "SELECT count(*) FROM red_flags WHERE ocid LIKE '%-ups-undated' AND code IN ('REPEATED_INCREASES', 'EARLY_AMENDMENT')")).toBe(0);
  });

  test('publication delay: never for contracts notified before the obligation (2018-10-01); a typo\'d modification date is no evidence of publication', async () => {
    const dir = tmp();
    const base = (id: string, notified: string, published: string, modifications: object[] = []): object => ({
      ...(marche(id, { amount: 50000, months: 12 }) as Record<string, unknown>), dateNotification: notified, datePublicationDonnees: published, modifications,
    });
    const marches = [
      base('before-2018-10', '2018-09-30', '2019-06-01'),
      base('from-2018-10', '2018-10-01', '2019-06-01'),
      // republished in 2024 with its modifications: the first's publication date (2020) is before its
      // own notification and the contract's (a typo, raised by convert); the second's is real
      base('republished', '2021-01-10', '2024-07-18', [
        { modification: { id: 1, montant: 51000, dateNotificationModification: '2021-07-21', datePublicationDonneesModification: '2020-07-18' } },
        { modification: { id: 2, montant: 52000, dateNotificationModification: '2022-01-20', datePublicationDonneesModification: '2022-02-01' } },
      ]),
    ];
    writeFileSync(join(dir, 'late.json'), JSON.stringify({ marches: { marche: marches } }));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'late.json'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const published = await query<{ ocid: string; p: string }>(db, "SELECT ocid, strftime(date_published AT TIME ZONE 'Europe/Paris', '%Y-%m-%d') AS p FROM contracts ORDER BY ocid");
    expect(published.map((r) => [r.ocid.replace(/^.*-21350238800019-/, ''), r.p])).toEqual([
      ['before-2018-10', '2019-06-01'],
      ['from-2018-10', '2019-06-01'],
      ['republished', '2022-02-01'],
    ]);
    const rows = await query<{ ocid: string; value: number }>(db, "SELECT ocid, value FROM red_flags WHERE code = 'LATE_PUBLICATION' ORDER BY ocid");
    expect(rows.map((r) => [r.ocid.replace(/^.*-21350238800019-/, ''), r.value])).toEqual([
      ['from-2018-10', 243],
      ['republished', 387],
    ]);
  });

  test('a framework agreement and its marchés subséquents: each call-off names its framework; SINGLE_BID on the framework only; its money once in the views', async () => {
    const dir = tmp();
    const m = (id: string, amount: number, day: string, extra: object): object => ({ ...(marche(id, { amount, months: 3 }) as Record<string, unknown>), dateNotification: day, datePublicationDonnees: day, offresRecues: 1, modifications: [], ...extra });
    const marches = [
      m('AC-01', 500000, '2024-01-15', { techniques: { technique: ['Accord-cadre'] }, modalitesExecution: { modaliteExecution: ['Sans objet'] } }),
      ...[1, 2, 3, 4].map((k) => m(`MS-0${k}`, 30000, `2024-0${k + 1}-15`, { modalitesExecution: { modaliteExecution: ['Marchés subséquents'] }, idAccordCadre: 'AC-01' })),
    ];
    writeFileSync(join(dir, 'framework.json'), JSON.stringify({ marches: { marche: marches } }));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'framework.json'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const short = (ocid: string | null): string | null => (ocid === null ? null : ocid.replace(/^.*-21350238800019-/, ''));
    const contracts = await query<{ ocid: string; framework_agreement: boolean; call_off: boolean; framework_ocid: string | null }>(db, 'SELECT ocid, framework_agreement, call_off, framework_ocid FROM contracts ORDER BY ocid');
    expect(contracts.map((r) => [short(r.ocid), r.framework_agreement, r.call_off, short(r.framework_ocid)])).toEqual([
      ['AC-01', true, false, null],
      ['MS-01', false, true, 'AC-01'],
      ['MS-02', false, true, 'AC-01'],
      ['MS-03', false, true, 'AC-01'],
      ['MS-04', false, true, 'AC-01'],
    ]);
    expect((await query<{ ocid: string }>(db, "SELECT ocid FROM red_flags WHERE code = 'SINGLE_BID'")).map((r) => short(r.ocid))).toEqual(['AC-01']);
    expect(await query(db, 'SELECT contracts::INTEGER AS n, amount FROM contracts_per_buyer')).toEqual([{ n: 5, amount: 500000 }]);
    expect(await count(db, 'SELECT count(*) FROM repeated_winners')).toBe(0);
  });

  test('a marché republished unchanged (a later datePublicationDonnees) keeps its first publication, in one run or over two nights, whichever comes first', async () => {
    const dir = tmp();
    // notified 2024-02-01, published 2024-02-10; the same record republished on 2024-09-01
    const day = (published: string): string => JSON.stringify({ marches: { marche: [{ ...(marche('republished', { amount: 70000, months: 12 }) as Record<string, unknown>), dateNotification: '2024-02-01', datePublicationDonnees: published, modifications: [] }] } });
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'day1.json'), day('2024-02-10'));
    writeFileSync(join(dir, 'day2.json'), day('2024-09-01'));
    const seen = async (out: string): Promise<unknown> => {
      const db = join(out, 'decp.duckdb');
      return {
        contract: await query(db, "SELECT strftime(date_published AT TIME ZONE 'Europe/Paris', '%Y-%m-%d') AS p, publication_delay_days AS d FROM contracts"),
        flags: await count(db, "SELECT count(*) FROM red_flags WHERE code = 'LATE_PUBLICATION'"),
        // the release kept is the later publication; each source's date is in release_sources
        release: await query(db, "SELECT strftime(source_published AT TIME ZONE 'Europe/Paris', '%Y-%m-%d') AS p FROM releases"),
        sources: await query(db, 'SELECT published FROM release_sources ORDER BY published'),
      };
    };
    const expected = {
      contract: [{ p: '2024-02-10', d: 9 }],
      flags: 0,
      release: [{ p: '2024-09-01' }],
      sources: [{ published: '2024-02-10T00:00:00+01:00' }, { published: '2024-09-01T00:00:00+02:00' }],
    };
    // night 1 publishes day 1; night 2 reads day 2 beside it (day 1 unchanged: not read again)
    const nights = join(dir, 'nights');
    expect((await runCli(['run', join(dir, 'in'), '--out', nights, '--quiet'])).code).toBe(0);
    expect(await seen(nights)).toMatchObject({ contract: [{ p: '2024-02-10', d: 9 }] });
    cpSync(join(dir, 'day2.json'), join(dir, 'in', 'day2.json'));
    expect((await runCli(['run', join(dir, 'in'), '--out', nights, '--quiet'])).code).toBe(0);
    expect(await seen(nights)).toEqual(expected);
    // both in one run: the same
    const once = join(dir, 'once');
    expect((await runCli(['run', join(dir, 'in'), '--out', once, '--quiet'])).code).toBe(0);
    expect(await seen(once)).toEqual(expected);
    // the republication first, the first publication a night later: the same again
    const reversed = join(dir, 'reversed');
    expect((await runCli(['run', join(dir, 'day2.json'), '--out', reversed, '--quiet'])).code).toBe(0);
    expect(await seen(reversed)).toMatchObject({ contract: [{ p: '2024-09-01', d: 213 }], flags: 1 });
    expect((await runCli(['run', join(dir, 'day2.json'), join(dir, 'in', 'day1.json'), '--out', reversed, '--quiet'])).code).toBe(0);
    expect(await seen(reversed)).toEqual(expected);
  });

  test('publication delay in calendar days as the sources gave them, whatever their zone; concessions are not held to the marchés\' two months', async () => {
    const dir = tmp();
    const base = (id: string, notified: string, published: string): object => ({ ...(marche(id, { amount: 50000, months: 12 }) as Record<string, unknown>), dateNotification: notified, datePublicationDonnees: published, modifications: [] });
    const marches = [
      base('antilles-61', '2019-01-01-04:00', '2019-03-03'),
      base('utc-61', '2019-01-01+00:00', '2019-03-03'),
      base('utc-published-60', '2019-01-01', '2019-03-02Z'),
      base('reunion-first-day', '2018-10-01+04:00', '2019-06-01'),
    ];
    // a concession of works signed, published 70 days later, before its execution; +12 % after a modification
    const concession = {
      id: 'DSP-1', autoriteConcedante: { id: '21350238800019' }, nature: 'Concession de travaux', objet: 'DSP-1', procedure: 'Procédure négociée ouverte',
      dureeMois: 120, dateSignature: '2024-01-10', datePublicationDonnees: '2024-03-20', dateDebutExecution: '2024-06-01', valeurGlobale: 1000000, montantSubventionPublique: 0,
      donneesExecution: [], concessionnaires: [{ concessionnaire: { typeIdentifiant: 'SIRET', id: '47904352300014' } }],
      modifications: [{ modification: { id: 1, valeurGlobale: 1120000, dateSignatureModification: '2024-09-01', datePublicationDonneesModification: '2024-09-02' } }],
    };
    writeFileSync(join(dir, 'zones.json'), JSON.stringify({ marches: { marche: marches, 'contrat-concession': [concession] } }));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'zones.json'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const delays = await query<{ ocid: string; d: number; day: string }>(db, "SELECT ocid, publication_delay_days AS d, strftime(signed_day, '%Y-%m-%d') AS day FROM contracts ORDER BY ocid");
    expect(delays.map((r) => [r.ocid.replace(/^.*-21350238800019-/, ''), r.d, r.day])).toEqual([
      ['DSP-1', 70, '2024-01-10'],
      ['antilles-61', 61, '2019-01-01'],
      ['reunion-first-day', 243, '2018-10-01'],
      ['utc-61', 61, '2019-01-01'],
      ['utc-published-60', 60, '2019-01-01'],
    ]);
    const rows = await query<{ ocid: string; code: string; value: number; threshold: number }>(db, "SELECT ocid, code, value, threshold FROM red_flags WHERE code <> 'SINGLE_BID' ORDER BY ocid, code");
    expect(rows.map((r) => [r.ocid.replace(/^.*-21350238800019-/, ''), r.code, r.value, r.threshold])).toEqual([
      // a concession's safe harbour is 10 %, works or not (R.3135-8); its publication is not late
      ['DSP-1', 'AMENDMENT_OVER_SAFE_HARBOUR', 0.12, 0.1],
      ['antilles-61', 'LATE_PUBLICATION', 61, 60],
      ['reunion-first-day', 'LATE_PUBLICATION', 243, 60],
      ['utc-61', 'LATE_PUBLICATION', 61, 60],
    ]);
  });

  test('a single offer in a partner\'s competitive process, told by its bids or its number of tenderers', async () => {
    const dir = tmp();
    const release = (n: number, extra: object): object => ({
      ocid: `ocds-xyz-${n}`, id: `r${n}`, date: '2021-06-01T00:00:00Z', tag: ['award'], initiationType: 'tender',
      tender: { id: `t${n}`, procurementMethod: 'open' },
      awards: [{ id: 'a1', value: { amount: 100, currency: 'PYG' } }],
      contracts: [{ id: 'c1', awardID: 'a1', value: { amount: 100, currency: 'PYG' } }],
      ...extra,
    });
    const lines = [
      release(1, { bids: { details: [{ id: 'b1', status: 'valid' }] } }),
      // (a disqualified offer was received; an invited tenderer's or a withdrawn one was not)
      release(2, { bids: { details: [{ id: 'b1', status: 'valid' }, { id: 'b2', status: 'withdrawn' }, { id: 'b3', status: 'invited' }] } }),
      release(3, { bids: { details: [{ id: 'b1', status: 'valid' }, { id: 'b2', status: 'disqualified' }] } }),
      release(4, { tender: { id: 't4', procurementMethod: 'open', numberOfTenderers: 1 } }),
      release(5, { tender: { id: 't5', procurementMethod: 'open', numberOfTenderers: 3 } }),
      // two awards, three tenderers in all: how many for each is not known
      release(6, { tender: { id: 't6', procurementMethod: 'open', numberOfTenderers: 3 }, awards: [{ id: 'a1' }, { id: 'a2' }], contracts: [{ id: 'c1', awardID: 'a1' }, { id: 'c2', awardID: 'a2' }] }),
      release(7, { tender: { id: 't7', procurementMethod: 'open', numberOfTenderers: 1 }, awards: [{ id: 'a1' }, { id: 'a2' }], contracts: [{ id: 'c1', awardID: 'a1' }, { id: 'c2', awardID: 'a2' }] }),
      release(8, { tender: { id: 't8', procurementMethod: 'direct', numberOfTenderers: 1 } }),
      // Prozorro: "active" bids; an unsuccessful award before the active one (a bidder disqualified):
      // both offers were for the one contract
      release(9, { bids: { details: [{ id: 'b1', status: 'active' }] }, awards: [{ id: 'a1' }], contracts: [{ id: 'c1', awardID: 'a1' }] }),
      release(10, { bids: { details: [{ id: 'b1', status: 'active' }, { id: 'b2', status: 'active' }] }, awards: [{ id: 'a1' }, { id: 'a2', status: 'unsuccessful' }], contracts: [{ id: 'c1', awardID: 'a1' }] }),
      // only invited tenderers in the details: the number of tenderers says how many offers came
      release(11, { tender: { id: 't11', procurementMethod: 'open', numberOfTenderers: 2 }, bids: { details: [{ id: 'b1', status: 'invited' }] }, awards: [{ id: 'a1' }, { id: 'a2' }], contracts: [{ id: 'c1', awardID: 'a1' }] }),
    ];
    writeFileSync(join(dir, 'partner.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'partner.jsonl'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT ocid, contract_id, bids FROM contracts ORDER BY length(ocid), ocid, contract_id')).toEqual([
      { ocid: 'ocds-xyz-1', contract_id: 'c1', bids: 1 },
      { ocid: 'ocds-xyz-2', contract_id: 'c1', bids: 1 },
      { ocid: 'ocds-xyz-3', contract_id: 'c1', bids: 2 },
      { ocid: 'ocds-xyz-4', contract_id: 'c1', bids: 1 },
      { ocid: 'ocds-xyz-5', contract_id: 'c1', bids: 3 },
      { ocid: 'ocds-xyz-6', contract_id: 'c1', bids: null },
      { ocid: 'ocds-xyz-6', contract_id: 'c2', bids: null },
      { ocid: 'ocds-xyz-7', contract_id: 'c1', bids: 1 },
      { ocid: 'ocds-xyz-7', contract_id: 'c2', bids: 1 },
      { ocid: 'ocds-xyz-8', contract_id: 'c1', bids: 1 },
      { ocid: 'ocds-xyz-9', contract_id: 'c1', bids: 1 },
      { ocid: 'ocds-xyz-10', contract_id: 'c1', bids: 2 },
      { ocid: 'ocds-xyz-11', contract_id: 'c1', bids: null },
    ]);
    const flagged = await query<{ ocid: string; contract_id: string }>(db, "SELECT ocid, contract_id FROM red_flags WHERE code = 'SINGLE_BID' ORDER BY length(ocid), ocid, contract_id");
    expect(flagged.map((r) => `${r.ocid}/${r.contract_id}`)).toEqual(['ocds-xyz-1/c1', 'ocds-xyz-2/c1', 'ocds-xyz-4/c1', 'ocds-xyz-7/c1', 'ocds-xyz-7/c2', 'ocds-xyz-9/c1']);
  });

  test('a partner\'s offers count its bidders, as R018 and numberOfTenderers do: one tenderer\'s two bids, one company under two party ids, a consortium\'s bid are one', async () => {
    const dir = tmp();
    const bid = (id: string, ...tenderers: object[]): object => ({ id, status: 'valid', tenderers });
    const release = (n: number, extra: object): object => ({
      ocid: `ocds-xyz-${n}`, id: `r${n}`, date: '2021-06-01T00:00:00Z', tag: ['award'], initiationType: 'tender',
      tender: { id: `t${n}`, procurementMethod: 'open' },
      awards: [{ id: 'a1', status: 'active' }],
      contracts: [{ id: 'c1', awardID: 'a1' }],
      ...extra,
    });
    const company = (id: string, edr: string): object => ({ id, name: id, roles: ['tenderer'], identifier: { scheme: 'UA-EDR', id: edr } });
    const lines = [
      // one tenderer, two bids (a variant): one bidder
      release(1, { bids: { details: [bid('b1', { id: 'T1' }), bid('b2', { id: 'T1' })] } }),
      // the publisher says one tenderer, and its two bids agree
      release(2, { tender: { id: 't2', procurementMethod: 'open', numberOfTenderers: 1 }, bids: { details: [bid('b1', { id: 'T1' }), bid('b2', { id: 'T1' })] } }),
      // one company under two party ids (its identifier tells), and Prozorro's inline tenderers without an id
      release(3, { parties: [company('P1', '123'), company('P2', '123')], bids: { details: [bid('b1', { id: 'P1' }), bid('b2', { id: 'P2' })] } }),
      release(4, { bids: { details: [bid('b1', { name: 'ПП', identifier: { scheme: 'UA-EDR', id: '30374983' } }), bid('b2', { name: 'ПП ПОЧАЙНА', identifier: { scheme: 'UA-EDR', id: '30374983' } })] } }),
      // a consortium's one bid is one offer; two of its bids too
      release(5, { bids: { details: [bid('b1', { id: 'T1' }, { id: 'T2' }), bid('b2', { id: 'T2' }, { id: 'T1' })] } }),
      // two companies: two bidders; tenderers not known (no id, no identifier): each bid counts
      release(6, { parties: [company('P1', '123'), company('P2', '456')], bids: { details: [bid('b1', { id: 'P1' }), bid('b2', { id: 'P2' })] } }),
      release(7, { bids: { details: [bid('b1', { name: 'A' }), bid('b2', { name: 'A' }), bid('b3')] } }),
    ];
    writeFileSync(join(dir, 'partner.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'partner.jsonl'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect((await query<{ ocid: string; bids: number }>(db, 'SELECT ocid, bids FROM contracts ORDER BY ocid')).map((r) => [r.ocid, r.bids])).toEqual([
      ['ocds-xyz-1', 1],
      ['ocds-xyz-2', 1],
      ['ocds-xyz-3', 1],
      ['ocds-xyz-4', 1],
      ['ocds-xyz-5', 1],
      ['ocds-xyz-6', 2],
      ['ocds-xyz-7', 3],
    ]);
    const flagged = await query<{ ocid: string }>(db, "SELECT ocid FROM red_flags WHERE code = 'SINGLE_BID' ORDER BY ocid");
    expect(flagged.map((r) => r.ocid)).toEqual(['ocds-xyz-1', 'ocds-xyz-2', 'ocds-xyz-3', 'ocds-xyz-4', 'ocds-xyz-5']);
  });

  test('a partner\'s duration is extended from the contract\'s as first published, not from the award\'s estimate: a contract signed for longer than its award said is not extended', async () => {
    const dir = tmp();
    const release = (n: number, id: string, contract: object, award: object = { id: 'a1', contractPeriod: { durationInDays: 30 } }): object => ({
      ocid: `ocds-xyz-${n}`, id, date: '2021-06-01T00:00:00Z', tag: ['contract'], initiationType: 'tender',
      awards: [award], contracts: [{ id: 'c1', awardID: 'a1', dateSigned: '2021-06-01T00:00:00Z', ...contract }],
    });
    const lines = [
      // awarded for 30 days, signed for 60, never modified: no extension (it was flagged +100 %)
      release(1, 'r1', { period: { durationInDays: 60 } }),
      // the same in months (3 at award, 6 signed)
      release(2, 'r2', { period: { startDate: '2021-01-01T00:00:00Z', endDate: '2021-07-01T00:00:00Z' } }, { id: 'a1', contractPeriod: { startDate: '2021-01-01T00:00:00Z', endDate: '2021-04-01T00:00:00Z' } }),
      // signed for 60, then a modification to 100: +66.7 %, from the 60 signed
      release(3, 'r3', { period: { durationInDays: 60 } }),
      { ...(release(3, 'r3-amend', { period: { durationInDays: 100 }, amendments: [{ id: 'm1', date: '2021-09-01T00:00:00Z' }] }) as Record<string, unknown>), date: '2021-09-01T00:00:00Z', tag: ['contractAmendment'] },
      // a contract that gives no period of its own: the award's is its duration at award
      release(4, 'r4', {}),
      { ...(release(4, 'r4-amend', { period: { durationInDays: 50 }, amendments: [{ id: 'm1', date: '2021-09-01T00:00:00Z' }] }) as Record<string, unknown>), date: '2021-09-01T00:00:00Z', tag: ['contractAmendment'] },
      // dates without durationInDays, not whole months: in days (357, then 1,087 once its end is moved two years on)
      release(5, 'r5', { period: { startDate: '2024-01-09T00:00:00Z', endDate: '2024-12-31T00:00:00Z' } }),
      { ...(release(5, 'r5-amend', { period: { endDate: '2026-12-31T00:00:00Z' }, amendments: [{ id: 'm1', date: '2024-03-01T00:00:00Z' }] }) as Record<string, unknown>), date: '2024-03-10T00:00:00Z', tag: ['contractAmendment'] },
    ];
    writeFileSync(join(dir, 'partner.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'partner.jsonl'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT ocid, initial_duration_days, duration_days, initial_duration_months, duration_months FROM contracts ORDER BY ocid')).toEqual([
      { ocid: 'ocds-xyz-1', initial_duration_days: 60, duration_days: 60, initial_duration_months: null, duration_months: null },
      { ocid: 'ocds-xyz-2', initial_duration_days: 181, duration_days: 181, initial_duration_months: 6, duration_months: 6 },
      { ocid: 'ocds-xyz-3', initial_duration_days: 60, duration_days: 100, initial_duration_months: null, duration_months: null },
      { ocid: 'ocds-xyz-4', initial_duration_days: 30, duration_days: 50, initial_duration_months: null, duration_months: null },
      { ocid: 'ocds-xyz-5', initial_duration_days: 357, duration_days: 1087, initial_duration_months: null, duration_months: null },
    ]);
    const flagged = await query<{ ocid: string; value: number }>(db, "SELECT ocid, value FROM red_flags WHERE code = 'DURATION_EXTENDED' ORDER BY ocid");
    expect(flagged.map((r) => [r.ocid, r.value])).toEqual([
      ['ocds-xyz-3', 0.666666667],
      ['ocds-xyz-4', 0.666666667],
      ['ocds-xyz-5', 2.044817927],
    ]);
  });

  test('unit prices far above their peers (same product, unit, currency, year; 5 prices or more) are anomalies, with their group\'s figures', async () => {
    const dir = tmp();
    let n = 0;
    /** A partner's process: one contract of these items (unit.value when a price is given), of value `amount`. */
    const process = (items: Array<{ code: string; unit: string; price?: number; quantity?: number; currency?: string }>, amount = 1000): object => {
      n++;
      return {
        ocid: `ocds-xyz-${String(n).padStart(2, '0')}`, id: `r${n}`, date: '2020-03-01T00:00:00-04:00', tag: ['contract'], initiationType: 'tender',
        awards: [{ id: 'a1' }],
        contracts: [{
          id: 'c1', awardID: 'a1', dateSigned: '2020-03-01T00:00:00-04:00', value: { amount, currency: 'PYG' },
          items: items.map((i, k) => ({
            id: `i${k + 1}`, description: `item ${i.code}`, quantity: i.quantity ?? 1,
            // (DNCP spells it "schema")
            classification: k === 0 ? { schema: 'UNSPSC', id: i.code } : { scheme: 'UNSPSC', id: i.code },
            unit: { name: i.unit, ...(i.price === undefined ? {} : { value: { amount: i.price, currency: i.currency ?? 'PYG' } }) },
          })),
        }],
      };
    };
    const lines = [
      // A: 95–110 and one at 250 (a contract of one item without a unit price: 500 for 2)
      ...[95, 100, 100, 105, 110].map((price) => process([{ code: '42201810', unit: 'Unidad', price }])),
      process([{ code: '42201810', unit: 'Unidad', quantity: 2 }], 500),
      // the same product by the box, and in another currency: other groups (too small)
      process([{ code: '42201810', unit: 'Caja', price: 5000 }]),
      process([{ code: '42201810', unit: 'Unidad', price: 9000, currency: 'USD' }]),
      // B: six at 100, one at 160: under twice the median; the IQR is 0, so no fence (160 is not an outlier)
      ...[100, 100, 100, 100, 100, 100, 160].map((price) => process([{ code: '30102512', unit: 'Unidad', price, quantity: 10 }])),
      // D: 100 to 140, and 230: under twice the median (125), past the fence (log10 quartiles 2.03794
      // and 2.16410: 2.35334, a unit price of 225.6)
      ...[100, 110, 120, 130, 140, 230].map((price) => process([{ code: '40141705', unit: 'Unidad', price }])),
      // C: four prices only
      ...[100, 100, 100, 1000].map((price) => process([{ code: '99999999', unit: 'Unidad', price }])),
      // E, F: four at 100 and one dearer: over half the prices are one price, so no fence (type 8 puts
      // Q3 between the fourth and the fifth: a fence of 100.8 would make 101 an outlier), and under twice the median
      ...[100, 100, 100, 100, 101].map((price) => process([{ code: '30102513', unit: 'Unidad', price }])),
      ...[1, 1, 1, 1, 1.99].map((price) => process([{ code: '30102514', unit: 'Unidad', price }])),
    ];
    writeFileSync(join(dir, 'prices.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'prices.jsonl'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const rows = await query<Record<string, unknown>>(db, 'SELECT ocid, product_key, unit, currency, year, unit_price, price_from, group_prices, group_median, ratio, log_fence, over_ratio, over_fence, excess FROM price_anomalies ORDER BY ocid');
    expect(rows).toEqual([
      // median 102.5; log10 prices' type-8 quartiles 1.99814 and 2.07110: fence 2.18054 (151.6)
      { ocid: 'ocds-xyz-06', product_key: 'UNSPSC:42201810 item', unit: 'piece', currency: 'PYG', year: 2020, unit_price: 250, price_from: 'contract value / quantity', group_prices: 6, group_median: 102.5, ratio: 2.439, log_fence: 2.1805, over_ratio: true, over_fence: true, excess: 295 },
      { ocid: 'ocds-xyz-21', product_key: 'UNSPSC:40141705 item', unit: 'piece', currency: 'PYG', year: 2020, unit_price: 230, price_from: 'unit.value', group_prices: 6, group_median: 125, ratio: 1.84, log_fence: 2.3533, over_ratio: false, over_fence: true, excess: 105 },
    ]);
    expect(await query(db, "SELECT DISTINCT classification_scheme FROM items WHERE ocid = 'ocds-xyz-01'")).toEqual([{ classification_scheme: 'UNSPSC' }]);
    // the flags command lists them beside the red flags
    const r = await runCli(['flags', '--db', db]);
    expect(r.code).toBe(0);
    const flags = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).filter((f) => f['code'] === 'UNIT_PRICE_OUTLIER');
    // (the threshold: 2, or the ratio at the (stored, rounded) fence when lower — 10^2.1805 / 102.5, 10^2.3533 / 125)
    expect(flags.map((f) => [f['ocid'], f['item_id'], f['value'], f['threshold']])).toEqual([
      ['ocds-xyz-06', 'i1', 2.439, expect.closeTo(1.4783, 3)],
      ['ocds-xyz-21', 'i1', 1.84, expect.closeTo(1.8046, 3)],
    ]);
    expect(flags[1]!['detail']).toMatch(/^unit price 230(\.0)? PYG per piece of UNSPSC:40141705 item, 1\.84 × the median \(125(\.0)?\) of 6 prices .* in 2020; at or past the upper fence of their logarithms \(2\.3533: a unit price of 225\.5797\)$/);
    // written whole to Parquet (every run computes them again)
    const pq = await query<{ n: number }>(db, `SELECT count(*)::INTEGER AS n FROM read_parquet('${join(out, 'parquet/price_anomalies/**/*.parquet')}', hive_partitioning = true)`);
    expect(pq).toEqual([{ n: 2 }]);
    // a night that brings peers changes the anomalies of contracts it does not touch: the same as one run over everything
    const inc = join(dir, 'inc');
    mkdirSync(join(inc, 'in'), { recursive: true });
    writeFileSync(join(inc, 'in', 'a.jsonl'), lines.slice(0, 9).map((l) => JSON.stringify(l)).join('\n'));
    expect((await runCli(['run', join(inc, 'in'), '--out', join(inc, 'out'), '--quiet'])).code).toBe(0);
    expect(await count(join(inc, 'out', 'decp.duckdb'), 'SELECT count(*) FROM price_anomalies')).toBe(1);
    writeFileSync(join(inc, 'in', 'b.jsonl'), lines.slice(9).map((l) => JSON.stringify(l)).join('\n'));
    expect((await runCli(['run', join(inc, 'in'), '--out', join(inc, 'out'), '--quiet'])).code).toBe(0);
    expect(await query(join(inc, 'out', 'decp.duckdb'), 'SELECT ocid, product_key, unit, currency, year, unit_price, price_from, group_prices, group_median, ratio, log_fence, over_ratio, over_fence, excess FROM price_anomalies ORDER BY ocid')).toEqual(rows);
    expect(await count(join(inc, 'out', 'decp.duckdb'), `SELECT count(*) FROM read_parquet('${join(inc, 'out', 'parquet/price_anomalies/**/*.parquet')}', hive_partitioning = true)`)).toBe(2);
    // the items are priced once each (priced_items), when their ocid is recompiled: a process
    // republished at another price is priced again (its anomaly goes), and comes back with its price
    const incDb = join(inc, 'out', 'decp.duckdb');
    const anomalies = (): Promise<unknown[]> => query(incDb, 'SELECT ocid, product_key, unit, currency, year, unit_price, price_from, group_prices, group_median, ratio, log_fence, over_ratio, over_fence, excess FROM price_anomalies ORDER BY ocid');
    const cheaper = lines.map((l, k) => (k === 5 ? { ...l, contracts: [{ ...(l as { contracts: object[] }).contracts[0], value: { amount: 200, currency: 'PYG' } }] } : l));
    writeFileSync(join(inc, 'in', 'a.jsonl'), cheaper.slice(0, 9).map((l) => JSON.stringify(l)).join('\n'));
    expect((await runCli(['run', join(inc, 'in'), '--out', join(inc, 'out'), '--quiet'])).code).toBe(0);
    expect(await query(incDb, "SELECT ocid, u FROM priced_items WHERE ocid = 'ocds-xyz-06'")).toEqual([{ ocid: 'ocds-xyz-06', u: 100 }]);
    expect(((await anomalies()) as Array<{ ocid: string }>).map((a) => a.ocid)).toEqual(['ocds-xyz-21']);
    writeFileSync(join(inc, 'in', 'a.jsonl'), lines.slice(0, 9).map((l) => JSON.stringify(l)).join('\n'));
    expect((await runCli(['run', join(inc, 'in'), '--out', join(inc, 'out'), '--quiet'])).code).toBe(0);
    expect(await anomalies()).toEqual(rows);
    const priced = await count(incDb, 'SELECT count(*) FROM priced_items');
    expect(priced).toBe(await count(db, 'SELECT count(*) FROM priced_items'));
    // a store whose items were priced by other rules (or before the table) prices every item again,
    // into the table those rules make (older rules may have had other columns)
    await alter(incDb, "DELETE FROM priced_items; ALTER TABLE priced_items DROP COLUMN price_from; UPDATE store_meta SET value = 'older rules' WHERE key = 'priced_items'");
    writeFileSync(join(inc, 'in', 'c.jsonl'), JSON.stringify(process([{ code: '11111111', unit: 'Unidad', price: 7 }])));
    expect((await runCli(['run', join(inc, 'in'), '--out', join(inc, 'out'), '--quiet'])).code).toBe(0);
    expect(await count(incDb, 'SELECT count(*) FROM priced_items')).toBe(priced + 1);
    expect(await anomalies()).toEqual(rows);
    // … and so does one whose last run left the table as it was (a version of decp-ocds without it,
    // which recompiled processes: here one item's price changed in the store, and a run of its own)
    await alter(incDb, "UPDATE items SET unit_price = 1000 WHERE ocid = 'ocds-xyz-01'; INSERT INTO runs SELECT run_id + 1 AS run_id, * EXCLUDE (run_id) FROM runs ORDER BY run_id DESC LIMIT 1");
    writeFileSync(join(inc, 'in', 'd.jsonl'), JSON.stringify(process([{ code: '11111112', unit: 'Unidad', price: 7 }])));
    expect((await runCli(['run', join(inc, 'in'), '--out', join(inc, 'out'), '--quiet'])).code).toBe(0);
    expect(await query(incDb, "SELECT u FROM priced_items WHERE ocid = 'ocds-xyz-01'")).toEqual([{ u: 1000 }]);
  });

  test('packs are compared by the piece (a box of 10 at 50 is 5 a piece), and pieces whatever their unit’s name or UN/CEFACT code', async () => {
    const dir = tmp();
    const rel = (n: number, unit: Record<string, unknown>, price: number, quantity = 10): Record<string, unknown> => ({
      ocid: `ocds-pack-${n}`, id: `r${n}`, date: '2021-06-01T00:00:00Z', tag: ['contract'], initiationType: 'tender', awards: [{ id: 'a1' }],
      contracts: [{ id: 'c1', awardID: 'a1', dateSigned: '2021-06-01T00:00:00Z', items: [{ id: 'i1', quantity, classification: { scheme: 'UNSPSC', id: '42131606' }, unit: { ...unit, value: { amount: price, currency: 'COP' } } }] }],
    });
    const lines = [
      rel(1, { name: 'Caja x 10' }, 50), rel(2, { name: 'Unidad' }, 5), rel(3, { name: 'pza' }, 5.2), rel(4, { name: 'cosa', scheme: 'UNCEFACT', id: 'H87' }, 4.8),
      rel(5, { name: 'Box of 100' }, 480), rel(6, { name: 'pièce' }, 30, 3),
      // a box without its count, and kilograms: units of their own (too few to compare)
      rel(7, { name: 'Caja' }, 500), rel(8, { name: 'kg' }, 99),
    ];
    writeFileSync(join(dir, 'packs.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'packs.jsonl'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT ocid, unit, quantity, unit_price, price_from, group_prices, group_median FROM price_anomalies')).toEqual([
      { ocid: 'ocds-pack-6', unit: 'piece', quantity: 3, unit_price: 30, price_from: 'unit.value', group_prices: 6, group_median: 5 },
    ]);
    expect(await query(db, "SELECT unit_name, unit_code FROM items WHERE ocid = 'ocds-pack-4'")).toEqual([{ unit_name: 'cosa', unit_code: 'H87' }]);
  });

  test('a weight is one unit however written or coded, a price per gram one per kilogram; `flags` says the price was converted (found by a unit-price probe: `kg`, `Kilogramme` and `KGM` were three groups)', async () => {
    const dir = tmp();
    const rel = (n: number, unit: Record<string, unknown>, price: number, quantity = 10): Record<string, unknown> => ({
      ocid: `ocds-kilo-${n}`, id: `r${n}`, date: '2020-05-04T00:00:00-05:00', tag: ['contract'], initiationType: 'tender', awards: [{ id: 'a1' }],
      contracts: [{ id: 'c1', awardID: 'a1', dateSigned: '2020-05-04T00:00:00-05:00', items: [{ id: 'i1', description: 'Lentejas', quantity, classification: { scheme: 'UNSPSC', id: '50221100' }, unit: { ...unit, value: { amount: price, currency: 'COP' } } }] }],
    });
    // lentils at 4,000 to 4,200 pesos a kilo, and 12 pesos a gram (12,000 a kilo: 3 ×)
    const lines = [rel(1, { name: 'kg' }, 4000), rel(2, { name: 'KG' }, 4100), rel(3, { name: 'Kilogramme' }, 4050), rel(4, { scheme: 'UNCEFACT', id: 'KGM' }, 4200), rel(5, { name: 'Kilo' }, 3950), rel(6, { name: 'g', scheme: 'UNCEFACT', id: 'GRM' }, 12, 500)];
    writeFileSync(join(dir, 'kilo.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'kilo.jsonl'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT ocid, unit, quantity, unit_price, price_from, group_prices, group_median, ratio FROM price_anomalies')).toEqual([
      { ocid: 'ocds-kilo-6', unit: 'kg', quantity: 0.5, unit_price: 12000, price_from: 'unit.value × 1000 (g → kg)', group_prices: 6, group_median: 4075, ratio: 2.9448 },
    ]);
    const flags = (await runCli(['flags', '--db', db])).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).filter((f) => f['code'] === 'UNIT_PRICE_OUTLIER');
    expect(flags.map((f) => f['detail'])).toEqual([expect.stringMatching(/^unit price 12000(\.0)? COP per kg \(a price per g: × 1000\) of UNSPSC:50221100 lenteja, 2\.9448 × the median/)]);
  });

  test('a pack of a thousand written as French writes it (`carton de 1 000`) is a thousand pieces, not one', async () => {
    const dir = tmp();
    const rel = (n: number, unit: string, price: number, quantity = 10): Record<string, unknown> => ({
      ocid: `ocds-mille-${n}`, id: `r${n}`, date: '2020-04-01T00:00:00Z', tag: ['contract'], initiationType: 'tender', awards: [{ id: 'a1' }],
      contracts: [{ id: 'c1', awardID: 'a1', dateSigned: '2020-04-01T00:00:00Z', items: [{ id: 'i1', quantity, classification: { scheme: 'CPV', id: '33141000' }, unit: { name: unit, value: { amount: price, currency: 'EUR' } } }] }],
    });
    // 0.85 to 0.90 a mask: by the piece, by the box of 50, by the carton of 1 000 (spaces of every kind), and one at 1.80;
    // a carton of 24 cans of 330 ml is 24 pieces (0.88 each), not a unit of its own named by 24,330 ml (and
    // pieces of 330 ml: no peers of the masks)
    const lines = [rel(1, 'unité', 0.85), rel(2, 'boîte de 50', 42.5), rel(3, 'carton de 1 000', 900), rel(4, 'Carton de 1\u00a0000', 880), rel(5, 'carton de 10\u202f000 masques', 8800), rel(6, 'pièce', 1.8), rel(7, 'carton de 24 330ml', 21.12)];
    writeFileSync(join(dir, 'mille.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'mille.jsonl'), '--out', out, '--quiet'])).code).toBe(0);
    expect(await query(join(out, 'decp.duckdb'), 'SELECT ocid, unit, quantity, unit_price, price_from, group_prices, group_median FROM price_anomalies')).toEqual([
      { ocid: 'ocds-mille-6', unit: 'piece', quantity: 10, unit_price: 1.8, price_from: 'unit.value', group_prices: 6, group_median: 0.88 },
    ]);
    expect(await query(join(out, 'decp.duckdb'), "SELECT product_key, unit, quantity, u FROM priced_items WHERE ocid = 'ocds-mille-7'")).toEqual([
      { product_key: 'CPV:33141000 330 ml', unit: 'piece', quantity: 240, u: 0.88 },
    ]);
  });

  test('a pack of packs (`carton de 10 boîtes de 100`) is the product of its counts in pieces, not its first count (found by a monitor: a false 100× outlier)', async () => {
    const dir = tmp();
    let n = 0;
    const rel = (description: string, unit: string, price: number, quantity = 10): Record<string, unknown> => {
      n++;
      return {
        ocid: `ocds-nest-${String(n).padStart(2, '0')}`, id: `r${n}`, date: '2020-04-01T00:00:00Z', tag: ['contract'], initiationType: 'tender', awards: [{ id: 'a1' }],
        contracts: [{ id: 'c1', awardID: 'a1', dateSigned: '2020-04-01T00:00:00Z', items: [{ id: 'i1', description, quantity, classification: { scheme: 'CPV', id: '18424300' }, unit: { name: unit, value: { amount: price, currency: 'EUR' } } }] }],
      };
    };
    const lines = [
      // nitrile gloves at 0.10 a glove, by the box of 100 and by packs of packs however written; one at 0.50 (5×)
      ...[1, 2, 3, 4, 5].map(() => rel('Gants nitrile', 'boîte de 100', 10)),
      rel('Gants nitrile', 'carton de 10 boîtes de 100', 100, 1), rel('Gants nitrile', 'lot de 4 paquets de 25', 10), rel('Gants nitrile', 'Boîte 10x100 pièces', 100),
      rel('Gants nitrile', 'carton de 10 x 100', 500, 2),
      // a nesting not understood (a count of 1.5 boxes, a third count) is a unit of its own, not 2 or 10 pieces
      rel('Gants nitrile', 'lot de 2 boîtes de 1,5', 15), rel('Gants nitrile', 'carton de 10 boîtes de 10 sachets de 5', 50),
      // a second count followed by a measure is the size of each piece: 2 bottles of 500 ml at 7
      rel('Gel hydroalcoolique', 'lot de 2 flacons de 500 ml', 14),
      // a count after a word that holds no pieces is none: 50 masks of three plies, not 150
      rel('Masques chirurgicaux', 'boîte de 50 masques 3 plis', 5),
    ];
    writeFileSync(join(dir, 'nested.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'nested.jsonl'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, "SELECT ocid, unit, quantity, u, price_from FROM priced_items WHERE ocid >= 'ocds-nest-06' ORDER BY ocid")).toEqual([
      { ocid: 'ocds-nest-06', unit: 'piece', quantity: 1000, u: 0.1, price_from: 'unit.value ÷ 1000 (carton de 10 boîtes de 100)' },
      { ocid: 'ocds-nest-07', unit: 'piece', quantity: 1000, u: 0.1, price_from: 'unit.value ÷ 100 (lot de 4 paquets de 25)' },
      { ocid: 'ocds-nest-08', unit: 'piece', quantity: 10000, u: 0.1, price_from: 'unit.value ÷ 1000 (Boîte 10x100 pièces)' },
      { ocid: 'ocds-nest-09', unit: 'piece', quantity: 2000, u: 0.5, price_from: 'unit.value ÷ 1000 (carton de 10 x 100)' },
      { ocid: 'ocds-nest-10', unit: 'lot de 2 boites de 1,5', quantity: 10, u: 15, price_from: 'unit.value' },
      { ocid: 'ocds-nest-11', unit: 'carton de 10 boites de 10 sachets de 5', quantity: 10, u: 50, price_from: 'unit.value' },
      { ocid: 'ocds-nest-12', unit: 'piece', quantity: 20, u: 7, price_from: 'unit.value ÷ 2 (lot de 2 flacons de 500 ml)' },
      { ocid: 'ocds-nest-13', unit: 'piece', quantity: 500, u: 0.1, price_from: 'unit.value ÷ 50 (boîte de 50 masques 3 plis)' },
    ]);
    expect(await query(db, 'SELECT ocid, unit_price, group_prices, group_median, ratio FROM price_anomalies')).toEqual([
      { ocid: 'ocds-nest-09', unit_price: 0.5, group_prices: 9, group_median: 0.1, ratio: 5 },
    ]);
    const flags = (await runCli(['flags', '--db', db])).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).filter((f) => f['code'] === 'UNIT_PRICE_OUTLIER');
    expect(flags.map((f) => [f['ocid'], f['value']])).toEqual([['ocds-nest-09', 5]]);
    expect(flags[0]!['detail']).toMatch(/^unit price 0\.5 EUR per piece \(a pack's price ÷ 1000 \(carton de 10 x 100\)\)/);
    // (its group's market said: its peers are of one market, a process without one is one of its own)
    expect(flags[0]!['detail']).toMatch(/ of 9 prices of the same product, unit, currency and market \(none known\) in 2020/);
  });

  test('a pack\'s volume or weight is no count; products of one classification are told apart by their words; units by their letters', async () => {
    const dir = tmp();
    let n = 0;
    const rel = (code: string, description: string, unit: string, price: number): Record<string, unknown> => {
      n++;
      return {
        ocid: `ocds-words-${String(n).padStart(2, '0')}`, id: `r${n}`, date: '2021-06-01T00:00:00Z', tag: ['contract'], initiationType: 'tender', awards: [{ id: 'a1' }],
        contracts: [{ id: 'c1', awardID: 'a1', dateSigned: '2021-06-01T00:00:00Z', items: [{ id: 'i1', description, quantity: 10, classification: { scheme: 'UNSPSC', id: code }, unit: { name: unit, value: { amount: price, currency: 'COP' } } }] }],
      };
    };
    const lines = [
      // hand gel at its usual price, by the 500 ml bottle or by the piece: a bottle's 500 ml is not 500 pieces
      ...[7, 7.1, 7.3].map((p) => rel('51102710', 'Gel antiséptico', 'Frasco de 500 ml', p)),
      rel('51102710', 'Gel antiséptico', 'Unidad', 6.8), rel('51102710', 'Gel antiseptico', 'Bolsa de 5 kg', 6.9), rel('51102710', 'Gel antiséptico', 'sachet de 1,5 l', 6.9),
      // gowns and masks under one code: not peers; masks however worded are (the one at 9 is an outlier)
      rel('46181500', 'Batas desechables', 'Unidad', 8),
      ...[3.2, 3.3, 3.4, 3.5].map((p) => rel('46181500', 'Mascarillas FFP2', 'Unidad', p)),
      rel('46181500', 'FFP2 mascarilla (caja de 50)', 'Unidad', 9),
      // a size glued to its unit or not, in ml or l, a hyphen or a space: one product, of that size
      ...[4.1, 4.2].map((p) => rel('51102711', 'Gel hydroalcoolique 500ml', 'Unidad', p)),
      ...[4.3, 4.4].map((p) => rel('51102711', 'gel hydroalcoolique 500 ml', 'Unidad', p)),
      rel('51102711', 'Gel-hydroalcoolique 0,5 L', 'Unidad', 9.5),
      // a unit spelt with or without its accent is one unit (a metre, `m` in the key: MEASURES)
      ...[2, 2, 2, 2].map((p, k) => rel('26121600', 'Cable', k % 2 === 0 ? 'Mètre' : 'metre', p)),
      rel('26121600', 'Cable', 'METRE', 5),
      // a French plural in -aux is its singular: surgical masks however numbered are peers
      ...[0.85, 0.9].map((p) => rel('42131713', 'Masque chirurgical', 'Unidad', p)),
      ...[0.88, 0.87].map((p) => rel('42131713', 'Masques chirurgicaux', 'Unidad', p)),
      rel('42131713', 'masques chirurgicaux', 'Unidad', 2.5),
    ];
    writeFileSync(join(dir, 'words.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'words.jsonl'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT ocid, product_key, unit, unit_price, group_prices, group_median FROM price_anomalies ORDER BY ocid')).toEqual([
      { ocid: 'ocds-words-12', product_key: 'UNSPSC:46181500 ffp2 mascarilla', unit: 'piece', unit_price: 9, group_prices: 5, group_median: 3.4 },
      { ocid: 'ocds-words-17', product_key: 'UNSPSC:51102711 gel hydroalcoolique 500 ml', unit: 'piece', unit_price: 9.5, group_prices: 5, group_median: 4.3 },
      { ocid: 'ocds-words-22', product_key: 'UNSPSC:26121600 cable', unit: 'm', unit_price: 5, group_prices: 5, group_median: 2 },
      { ocid: 'ocds-words-27', product_key: 'UNSPSC:42131713 chirurgical masque', unit: 'piece', unit_price: 2.5, group_prices: 5, group_median: 0.88 },
    ]);
    expect(await count(db, "SELECT count(*) FROM buyer_price_index WHERE price_index > 100 OR price_index < 0.01")).toBe(0);
  });

  test('a description in another script than Latin is words too: a gown and masks of one CPV code written in Cyrillic are not peers, and one without a classification is compared', async () => {
    const dir = tmp();
    let n = 0;
    const rel = (description: string, price: number, cpv?: string): Record<string, unknown> => {
      n++;
      return {
        ocid: `ocds-cyr-${String(n).padStart(2, '0')}`, id: `r${n}`, date: '2020-04-01T00:00:00Z', tag: ['contract'], initiationType: 'tender', awards: [{ id: 'a1' }],
        contracts: [{ id: 'c1', awardID: 'a1', dateSigned: '2020-04-01T00:00:00Z', items: [{ id: 'i1', description, quantity: 100, ...(cpv === undefined ? {} : { classification: { scheme: 'CPV', id: cpv } }), unit: { scheme: 'UNCEFACT', id: 'H87', name: 'штука', value: { amount: price, currency: 'UAH' } } }] }],
      };
    };
    const lines = [
      // masks at 9.5 to 11 however cased and ordered, and a gown at 150: not the masks' outlier (words
      // on a–z only, every key was the CPV code's alone)
      ...[10, 11, 10.2].map((p) => rel('Маска медична тришарова', p, '33140000-3')),
      ...[9.5, 10.5].map((p) => rel('МАСКА тришарова, медична', p, '33140000-3')),
      rel('Халат ізоляційний', 150, '33140000-3'),
      // gloves without a classification: their words are their product (they had none: never compared)
      ...[2, 2.1, 2.2, 2.3].map((p) => rel('Рукавички нітрилові', p)),
      rel('рукавички нітрилові', 6),
    ];
    writeFileSync(join(dir, 'cyr.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'cyr.jsonl'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT ocid, product_key, unit, unit_price, group_prices, group_median FROM price_anomalies ORDER BY ocid')).toEqual([
      { ocid: 'ocds-cyr-11', product_key: 'нітрилові рукавички', unit: 'piece', unit_price: 6, group_prices: 5, group_median: 2.2 },
    ]);
    // (accents go in every script, as strip_accents reads them: a Cyrillic й is и in the key)
    expect(await query(db, "SELECT product_key, count(*)::INTEGER AS n FROM priced_items WHERE product_key LIKE 'CPV:%' GROUP BY ALL ORDER BY product_key")).toEqual([
      { product_key: 'CPV:33140000-3 маска медична тришарова', n: 5 },
      { product_key: 'CPV:33140000-3 халат ізоляціинии', n: 1 },
    ]);
  });

  test('Ukrainian and Russian conjunctions and prepositions are no product words, as French and English ones are: "Маска та рукавички" is "Маска рукавички" (found by a partner)', async () => {
    const dir = tmp();
    let n = 0;
    const rel = (description: string, price: number): Record<string, unknown> => {
      n++;
      return {
        ocid: `ocds-stop-${String(n).padStart(2, '0')}`, id: `r${n}`, date: '2020-04-01T00:00:00Z', tag: ['contract'], initiationType: 'tender', awards: [{ id: 'a1' }],
        contracts: [{ id: 'c1', awardID: 'a1', dateSigned: '2020-04-01T00:00:00Z', items: [{ id: 'i1', description, quantity: 100, unit: { scheme: 'UNCEFACT', id: 'H87', name: 'штука', value: { amount: price, currency: 'UAH' } } }] }],
      };
    };
    const lines = [
      // a mask and gloves, however joined (та, і, й, a comma): one product, the one at 30 its outlier
      ...[10, 10.2].map((p) => rel('Маска та рукавички', p)),
      rel('маска і рукавички', 9.8), rel('Маска й рукавички', 10.1), rel('Маска, рукавички', 30),
      // Ukrainian and Russian prepositions (для, від, із, зі, без; для, из, от, со, об)
      rel('Рукавички для огляду', 2), rel('Рукавички огляду', 2.1), rel('Халат від виробника без рукавів', 50), rel('Халат виробника рукавів', 51),
      rel('Перчатки из нитрила для осмотра', 3), rel('перчатки нитрила осмотра', 3.1), rel('Маска со фильтром от пыли об', 4), rel('Маска фильтром пыли', 4.2),
    ];
    writeFileSync(join(dir, 'stop.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'stop.jsonl'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT product_key, count(*)::INTEGER AS n FROM priced_items GROUP BY ALL ORDER BY product_key')).toEqual([
      { product_key: 'виробника рукавів халат', n: 2 },
      { product_key: 'маска пыли фильтром', n: 2 },
      { product_key: 'маска рукавички', n: 5 },
      { product_key: 'нитрила осмотра перчатки', n: 2 },
      { product_key: 'огляду рукавички', n: 2 },
    ]);
    expect(await query(db, 'SELECT ocid, product_key, unit_price, group_prices, group_median FROM price_anomalies')).toEqual([
      { ocid: 'ocds-stop-05', product_key: 'маска рукавички', unit_price: 30, group_prices: 5, group_median: 10.1 },
    ]);
    // (the words are compared folded, as strip_accents reads them: one listed otherwise would never be met)
    expect(await query(db, `SELECT w FROM unnest([${NOT_PRODUCT_WORDS.map((w) => `'${w}'`).join(', ')}]) t(w) WHERE lower(strip_accents(w)) <> w`)).toEqual([]);
  });

  test('type-8 quantiles, as Hyndman and Fan define them (R\'s quantile(type = 8))', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    expect((await runCli(['run', DEMO_2024, '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const q = await query<{ q: number[] }>(db, 'SELECT [round(quantile_type8([1,2,3,4,5,6,7,8,9,10], p), 6) FOR p IN [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]] AS q');
    expect(q).toEqual([{ q: [1, 1.366667, 2.916667, 5.5, 8.083333, 9.633333, 10] }]);
    expect(await query(db, 'SELECT quantile_type8([42], 0.75) AS q')).toEqual([{ q: 42 }]);
  });

  test('one contract published by two platforms, its title worded anew: linked, counted and flagged once, the publication with its modification kept, public since the first', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'in'));
    // the buyer's platform publishes it late with its modification (+20 %); the other platform on
    // time, without it, under another title, CPV and establishment of the same supplier
    const platform = { ...(marche('M18428S', { amount: 100000, months: 12, newAmount: 120000, published: '2024-04-20' }) as Record<string, unknown>), objet: 'Marché subséquent MS003 : travaux de voirie' };
    const other = {
      ...(marche('M18428S', { amount: 100000, months: 12 }) as Record<string, unknown>),
      objet: 'M18428S : LOT3 TRAVAUX VOIRIE',
      codeCPV: '45233140',
      titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '41436537000011' } }],
      modifications: [],
    };
    // a lot of the same procedure, same day and amount, another supplier: another contract
    const lot = { ...other, objet: 'LOT 4 ÉCLAIRAGE', titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '38012986600019' } }] };
    writeFileSync(join(dir, 'in', 'platform.json'), JSON.stringify({ marches: { marche: [platform] } }));
    writeFileSync(join(dir, 'in', 'other.json'), JSON.stringify({ marches: { marche: [other, lot] } }));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'in'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const rows = await query<{ title: string; amount: number; duplicate_of: string | null; kept: string | null }>(
      db,
      'SELECT c.title, c.amount, c.duplicate_of, k.title AS kept FROM contracts c LEFT JOIN contracts k ON k.ocid = c.ocid AND k.contract_id = c.duplicate_of ORDER BY c.title',
    );
    expect(rows).toEqual([
      { title: 'LOT 4 ÉCLAIRAGE', amount: 100000, duplicate_of: null, kept: null },
      { title: 'M18428S : LOT3 TRAVAUX VOIRIE', amount: 100000, duplicate_of: expect.any(String), kept: 'Marché subséquent MS003 : travaux de voirie' },
      { title: 'Marché subséquent MS003 : travaux de voirie', amount: 120000, duplicate_of: null, kept: null },
    ]);
    // counted once: two contracts, 220,000 € after modifications
    expect(await query(db, 'SELECT contracts::INTEGER AS contracts, amount FROM contracts_per_buyer')).toEqual([{ contracts: 2, amount: 220000 }]);
    expect(await count(db, 'SELECT count(*) FROM contract_values')).toBe(2);
    expect(await count(db, 'SELECT sum(contracts) FROM contracts_per_cpv')).toBe(2);
    expect(await count(db, 'SELECT sum(contracts) FROM procedures_mix')).toBe(2);
    expect(await count(db, 'SELECT round(sum(amount_shared)) FROM contracts_per_supplier')).toBe(220000);
    // flagged once, on the publication kept; not late: the other platform published it in time
    expect(await query(db, 'SELECT code FROM red_flags r JOIN contracts c USING (ocid, contract_id) WHERE c.title LIKE \'Marché subséquent%\' ORDER BY code')).toEqual([{ code: 'AMENDMENT_OVER_SAFE_HARBOUR' }]);
    expect(await query(db, "SELECT strftime(date_published AT TIME ZONE 'Europe/Paris', '%Y-%m-%d') AS p FROM contracts WHERE title LIKE 'Marché subséquent%'")).toEqual([{ p: '2024-01-20' }]);
    expect(await count(db, 'SELECT count(*) FROM red_flags r JOIN contracts c USING (ocid, contract_id) WHERE c.duplicate_of IS NOT NULL')).toBe(0);
  });

  test('the links do not depend on the order of the files: the AWS feed holds both publications, one of them also in the PES feed', async () => {
    const dir = join(SHARED, 'decp/samples/2019-json');
    const [aws, pes] = ['aws-marches-publics-info_via-decp-rama_2019-03-07.json', 'pes-marche_via-decp-rama_2019-03-07.json'].map((f) => join(dir, f));
    const views = async (files: string[]): Promise<unknown> => {
      const out = join(tmp(), 'out');
      expect((await runCli(['run', ...files, '--out', out, '--quiet'])).code).toBe(0);
      const db = join(out, 'decp.duckdb');
      return query(db, "SELECT count(*)::INTEGER AS linked, (SELECT round(sum(amount), 2) FROM contracts_per_buyer) AS amount, (SELECT sum(contracts)::INTEGER FROM contracts_per_buyer) AS contracts FROM contracts WHERE duplicate_of IS NOT NULL");
    };
    const a = await views([aws!, pes!]);
    expect(a).toEqual([{ linked: 9, amount: expect.any(Number), contracts: expect.any(Number) }]);
    expect(await views([pes!, aws!])).toEqual(a);
  });

  test('one contract whose platforms write its id otherwise (2019A015, 2019A01501: two ocids) is not linked, and possible_duplicates lists the pair for a monitor to judge (found by a monitor audit: 215 such pairs in the samples, both counted, nowhere said)', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'in'));
    const rec = (id: string, o: { objet: string; buyer?: string; supplier?: string; cpv?: string; amount?: number }): object => ({
      id, acheteur: { id: o.buyer ?? '21350238800019' }, nature: 'Marché', objet: o.objet, codeCPV: o.cpv ?? '45223220', procedure: 'Procédure adaptée',
      lieuExecution: { code: '35238', typeCode: 'Code commune' }, dureeMois: 12, dateNotification: '2019-01-28', montant: o.amount ?? 208230.34, formePrix: 'Forfaitaire',
      titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: o.supplier ?? '41436537056563' } }], datePublicationDonnees: '2019-02-01',
    });
    // the PES feed and the AWS feed (its id with a suffix; another establishment of the supplier, and its own title)
    writeFileSync(join(dir, 'in', 'pes.json'), JSON.stringify({ marches: { marche: [rec('2019A015', { objet: 'Gros oeuvre - lot 1' }), rec('2019A015', { objet: 'Gros oeuvre - lot 1', buyer: '21440109300015' })] } }));
    writeFileSync(join(dir, 'in', 'aws.json'), JSON.stringify({ marches: { marche: [rec('2019A01501', { objet: 'GROS OEUVRE', supplier: '41436537000011' }), rec('2019A016', { objet: 'Gros oeuvre - lot 1', supplier: '38012986600019' })] } }));
    // two lots of one procedure that no rule links (no CPV, no word in common): listed; two whose titles name other lots: not
    const lots = [rec('P-12', { objet: 'Peinture', cpv: '45442100', amount: 5000 }), rec('P-12', { objet: 'Plomberie', cpv: '45330000', amount: 5000 }), rec('L1', { objet: 'Mobilier - Lot n°1', amount: 7000 }), rec('L2', { objet: 'Matériels - Lot n°2', amount: 7000 })];
    // sibling ids, a stem each with its own short suffix (2019S0129b, 2019S0129c: lots of one procedure), alike in all else: not listed
    lots.push(rec('2019S0129b', { objet: 'Entretien courant', amount: 9000 }), rec('2019S0129c', { objet: 'Entretien courant', amount: 9000 }));
    // one id written with and without a zero, or in another case (2018PA0027 and 2018PA027, in the samples'
    // AWS feed; 2019C0131B and 2019C0131b): no sibling ids, one contract's: listed
    lots.push(rec('2019B0027', { objet: 'Nettoyage des locaux', amount: 11000 }), rec('2019B027', { objet: 'Nettoyage', amount: 11000 }));
    lots.push(rec('2019C0131B', { objet: 'Tonte', amount: 13000 }), rec('2019C0131b', { objet: 'Tonte', amount: 13000 }));
    writeFileSync(join(dir, 'in', 'lots.json'), JSON.stringify({ marches: { marche: lots } }));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'in'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    // not linked (which publication is right, and whether the ids name one contract, is not known): both counted
    expect(await count(db, 'SELECT count(*) FROM contracts WHERE duplicate_of IS NOT NULL')).toBe(0);
    expect(await query(db, "SELECT contracts::INTEGER AS contracts FROM contracts_per_buyer WHERE buyer_id = 'FR-RCS-21350238800019'")).toEqual([{ contracts: 13 }]);
    // said: the pairs of one buyer, day, initial amount and suppliers (by SIREN); not another buyer's, nor another supplier's
    expect(await query(db, 'SELECT ocid, other_ocid, buyer_siren, signed_day::VARCHAR AS day, initial_amount, title, other_title, same_ocid FROM possible_duplicates ORDER BY ocid, title')).toEqual([
      { ocid: 'ocds-78apv2-21350238800019-2019A015', other_ocid: 'ocds-78apv2-21350238800019-2019A01501', buyer_siren: '213502388', day: '2019-01-28', initial_amount: 208230.34, title: 'Gros oeuvre - lot 1', other_title: 'GROS OEUVRE', same_ocid: false },
      { ocid: 'ocds-78apv2-21350238800019-2019B0027', other_ocid: 'ocds-78apv2-21350238800019-2019B027', buyer_siren: '213502388', day: '2019-01-28', initial_amount: 11000, title: 'Nettoyage des locaux', other_title: 'Nettoyage', same_ocid: false },
      { ocid: 'ocds-78apv2-21350238800019-2019C0131B', other_ocid: 'ocds-78apv2-21350238800019-2019C0131b', buyer_siren: '213502388', day: '2019-01-28', initial_amount: 13000, title: 'Tonte', other_title: 'Tonte', same_ocid: false },
      { ocid: 'ocds-78apv2-21350238800019-P-12', other_ocid: 'ocds-78apv2-21350238800019-P-12', buyer_siren: '213502388', day: '2019-01-28', initial_amount: 5000, title: expect.any(String), other_title: expect.any(String), same_ocid: true },
    ]);
  });

  test('the rules of French law (safe harbour, publication delay) are not applied to partners\' data, OCDS or mapped with a profile', async () => {
    const dir = tmp();
    const release = (id: string, date: string, amount: number, extra: object = {}): object => ({
      ocid: 'ocds-xyz-1', id, date, tag: ['contract'], initiationType: 'tender',
      awards: [{ id: 'a1', value: { amount: 100, currency: 'PYG' } }],
      contracts: [{ id: 'c1', awardID: 'a1', dateSigned: '2020-01-01T00:00:00Z', value: { amount, currency: 'PYG' }, ...extra }],
    });
    const lines = [release('r1', '2021-06-01T00:00:00Z', 100), release('r2', '2021-07-01T00:00:00Z', 150, { amendments: [{ id: 'm1', date: '2021-07-01T00:00:00Z' }] })];
    writeFileSync(join(dir, 'partner.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'partner.jsonl'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await count(db, 'SELECT count(*) FROM contracts WHERE decp_version IS NULL AND amount > initial_amount')).toBe(1);
    expect(await count(db, "SELECT count(*) FROM red_flags WHERE code IN ('AMENDMENT_OVER_SAFE_HARBOUR', 'LATE_PUBLICATION')")).toBe(0);
    // nor to a partner's own format mapped with a profile (as marchés)
    const fixtures = join(import.meta.dirname, '../../fixtures/partner');
    const mapped = join(dir, 'mapped');
    expect((await runCli(['run', join(fixtures, 'contratos.jsonl'), '--profile', join(fixtures, 'profile.json'), '--out', mapped, '--quiet'])).code).toBe(0);
    const m = join(mapped, 'decp.duckdb');
    expect(await count(m, "SELECT count(*) FROM contracts WHERE record_type = 'marche' AND decp_version IS NULL AND amendments > 0 AND (amount - initial_amount) / initial_amount > 0.10")).toBeGreaterThan(0);
    expect(await count(m, "SELECT count(*) FROM red_flags WHERE code IN ('AMENDMENT_OVER_SAFE_HARBOUR', 'LATE_PUBLICATION')")).toBe(0);
  });
});

describe('incremental runs', () => {
  test('a store that must be rebuilt (another version) is not rebuilt from inputs that leave out its sources: exit 2, the published output intact; with every input, or --rebuild, it is (found by a probe: an upgrade\'s first night fed the day\'s file by stdin published that day alone)', async () => {
    const dir = tmp();
    const a = join(dir, 'in', 'a.json');
    const b = join(dir, 'in', 'b.json');
    mkdirSync(join(dir, 'in'), { recursive: true });
    const doc = JSON.parse(readFileSync(DEMO_2024, 'utf8')) as { marches: { marche: unknown[] } };
    writeFileSync(a, JSON.stringify({ marches: { marche: doc.marches.marche.slice(0, 2) } }));
    writeFileSync(b, JSON.stringify({ marches: { marche: doc.marches.marche.slice(2) } }));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'in'), '--out', out, '--quiet'])).code).toBe(0);
    const published = readFileSync(join(out, 'ocds/releases.jsonl.gz'));
    const older = async (): Promise<void> => alter(join(out, 'decp.duckdb'), "UPDATE store_meta SET value = '6' WHERE key = 'schema_version'");
    await older();
    const day = await runCli(['run', a, '--out', out]);
    expect(day.code).toBe(2);
    expect(day.stderr).toMatch(/^decp-ocds: CLI_INVALID_OPTION: the store in .* must be rebuilt \(the store was written by another version of decp-ocds\) from every source it holds, and 1 of its 2 sources are not among this run's inputs \(.*b\.json\)/m);
    expect(readFileSync(join(out, 'ocds/releases.jsonl.gz')).equals(published)).toBe(true);
    const viaStdin = await runCli(['run', '-', '--out', out], readFileSync(a, 'utf8'));
    expect(viaStdin.code).toBe(2);
    // with every input: rebuilt, the same data set
    expect((await runCli(['run', join(dir, 'in'), '--out', out, '--quiet'])).code).toBe(0);
    expect(readFileSync(join(out, 'ocds/releases.jsonl.gz')).equals(published)).toBe(true);
    // asked for: what this run reads only
    await older();
    expect((await runCli(['run', a, '--out', out, '--quiet', '--rebuild'])).code).toBe(0);
    expect(runJson(out).counts.files).toBe(1);
    expect(await query(join(out, 'decp.duckdb'), "SELECT count(*)::INTEGER AS n FROM sources WHERE status = 'current'")).toEqual([{ n: 1 }]);
  });

  test('a new file adds only what it brings; the result equals a run over everything', async () => {
    const samples = join(SHARED, 'decp/samples/2024-json');
    const files = readdirSync(samples).filter((f) => f.endsWith('.json')).sort();
    const inc = tmp();
    const src = join(inc, 'in');
    cpSync(samples, src, { recursive: true });
    const last = files[files.length - 1]!;
    rmSync(join(src, last));
    // small chunks: a new file recompiles only the chunks its ocids fall in (and rewrites only their
    // Parquet segments: 64 chunks each)
    expect((await runCli(['run', src, '--out', join(inc, 'out'), '--quiet', '--chunk-size', '4'])).code).toBe(0);
    cpSync(join(samples, last), join(src, last));
    expect((await runCli(['run', src, '--out', join(inc, 'out'), '--quiet', '--chunk-size', '4'])).code).toBe(0);
    const r = runJson(join(inc, 'out'));
    expect(r.counts.filesNew).toBe(1);
    expect(r.counts.filesUnchanged).toBe(files.length - 1);
    const fresh = join(tmp(), 'out');
    expect((await runCli(['run', samples, '--out', fresh, '--quiet', '--chunk-size', '4'])).code).toBe(0);
    const a = join(inc, 'out/decp.duckdb');
    const b = join(fresh, 'decp.duckdb');
    expect(await tableCounts(a)).toEqual(await tableCounts(b));
    // (the red flags below are compared too: the run over everything reads its contracts where they
    // are, the second night a copy of those it recompiled — see ARCHITECTURE.md, Red flags)
    expect(await count(b, "SELECT count(DISTINCT code) FROM red_flags WHERE code <> 'UNIT_PRICE_OUTLIER'")).toBeGreaterThan(2);
    // the validation report's counts (releases without findings by file and by buyer, kept per ocid:
    // release_counts) are those of a run over everything (the files' folders aside)
    const reportCounts = (out: string): unknown => {
      const { summary, sources, buyers, buyersTotal } = JSON.parse(readFileSync(join(out, 'reports/validation.json'), 'utf8')) as Record<string, unknown>;
      return JSON.parse(JSON.stringify({ summary, sources, buyers, buyersTotal }).replace(/"[^"]*\/([^/"]+\.json)"/g, '"$1"'));
    };
    expect(reportCounts(join(inc, 'out'))).toEqual(reportCounts(fresh));
    expect(await count(a, 'SELECT sum(n) FROM release_counts')).toBe(await count(a, 'SELECT count(*) FROM releases r ANTI JOIN validation_errors v ON v.ocid = r.ocid AND v.release_id = r.release_id'));
    const ids = async (db: string): Promise<string[]> => (await query<{ id: string }>(db, 'SELECT release_id AS id FROM releases ORDER BY 1')).map((x) => x.id);
    expect(await ids(a)).toEqual(await ids(b));
    // the same records (the source paths differ: x_decp.sourceFile is left out of the comparison)
    const recs = (out: string): string[] =>
      lines(join(out, 'ocds/records.jsonl.gz'))
        .map((l) => l.replace(/"sourceFile":"[^"]*",/g, ''))
        .sort();
    expect(recs(join(inc, 'out'))).toEqual(recs(fresh));
    // only the ocids of the new file were compiled
    expect(r.counts.ocidsCompiled).toBeLessThan(await count(a, 'SELECT count(*) FROM records'));
    // Parquet: the untouched segments were linked from the previous generation, and every table reads
    // back as the fresh run's (chunk numbers and source ordinals depend on the runs)
    expect(r.counts.parquet.linked).toBeGreaterThan(0);
    const parquetRows = async (out: string, table: string): Promise<unknown[]> =>
      query(a, `SELECT COLUMNS(c -> c NOT IN ('chunk', 'ordinal')) FROM read_parquet('${join(out, 'parquet', table)}/**/*.parquet', hive_partitioning = true) ORDER BY ALL`);
    for (const t of TABLES.filter((x) => x.columns.some((c) => c.name === 'ocid'))) {
      const rows = await parquetRows(join(inc, 'out'), t.name);
      expect({ table: t.name, rows: rows.length }).toEqual({ table: t.name, rows: await count(a, `SELECT count(*) FROM ${t.name}`) });
      expect({ table: t.name, rows }).toEqual({ table: t.name, rows: await parquetRows(fresh, t.name) });
    }
  });

  test('an earlier contract republished with one more modification: only its ocid is recompiled, its chunk keeps the others as they were', async () => {
    const samples = join(SHARED, 'decp/samples/2024-json');
    const files = readdirSync(samples).filter((f) => f.endsWith('.json')).sort();
    const dir = tmp();
    const src = join(dir, 'in');
    cpSync(samples, src, { recursive: true });
    // one record of the first file, republished with one more modification
    const doc = JSON.parse(readFileSync(join(samples, files[0]!), 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } | Array<Record<string, unknown>> };
    const list = Array.isArray(doc.marches) ? doc.marches : doc.marches.marche;
    const rec = list.find((m) => Array.isArray(m['modifications']) && typeof m['montant'] === 'number')!;
    const mods = rec['modifications'] as Array<{ modification: Record<string, unknown> }>;
    mods.push({ modification: { id: mods.length + 1, montant: Math.round((rec['montant'] as number) * 1.05), dureeMois: 60, dateNotificationModification: '2026-10-01', datePublicationDonneesModification: '2026-10-02', titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '41436537056563' } }] } });
    const republished = JSON.stringify({ marches: { marche: [rec] } });
    expect((await runCli(['run', src, '--out', join(dir, 'out'), '--quiet'])).code).toBe(0);
    const before = lines(join(dir, 'out/ocds/records.jsonl.gz'));
    writeFileSync(join(src, 'zz-republished.json'), republished);
    expect((await runCli(['run', src, '--out', join(dir, 'out'), '--quiet'])).code).toBe(0);
    const r = runJson(join(dir, 'out'));
    expect(r.counts.ocidsCompiled).toBe(1);
    // the report's count of releases without findings follows the recompiled ocid (release_counts)
    const store = join(dir, 'out/decp.duckdb');
    expect(await count(store, 'SELECT sum(n) FROM release_counts')).toBe(await count(store, 'SELECT count(*) FROM releases r ANTI JOIN validation_errors v ON v.ocid = r.ocid AND v.release_id = r.release_id'));
    expect(await count(store, 'SELECT count(*) FROM (SELECT ocid, sha FROM release_counts GROUP BY ALL HAVING count(*) > 1)')).toBe(0);
    // every row of the tables stored chunk by chunk carries its ocid's chunk, the republished ocid's new
    // rows too (a run reads the rows of the chunks it recompiles only: a wrong chunk would hide a row);
    // Parquet leaves the column out but where it was already published (records, releases)
    for (const t of TABLES.filter((x) => x.columns.some((c) => c.name === 'chunk'))) {
      expect({ table: t.name, rows: await count(store, `SELECT count(*) FROM ${t.name}`) }).toEqual({ table: t.name, rows: await count(store, `SELECT count(*) FROM ${t.name} x JOIN chunks k ON k.ocid = x.ocid AND k.chunk = x.chunk`) });
      const cols = (await query<{ name: string }>(store, `SELECT name FROM parquet_schema('${join(dir, 'out/parquet', t.name)}/**/*.parquet')`)).map((c) => c.name);
      expect({ table: t.name, chunk: cols.includes('chunk') }).toEqual({ table: t.name, chunk: ['records', 'releases'].includes(t.name) });
    }
    const after = lines(join(dir, 'out/ocds/records.jsonl.gz'));
    expect(after).toHaveLength(before.length);
    // every other record is the same line, in the same place
    const changed = after.filter((l, i) => l !== before[i]);
    expect(changed).toHaveLength(1);
    const compiled = (JSON.parse(changed[0]!) as { compiledRelease: { contracts: Array<{ amendments?: unknown[] }> } }).compiledRelease;
    expect(compiled.contracts[0]!.amendments).toHaveLength(mods.length);
    // the same as a run over everything at once
    const fresh = join(tmp(), 'out');
    const all = join(tmp(), 'in');
    cpSync(src, all, { recursive: true });
    expect((await runCli(['run', all, '--out', fresh, '--quiet'])).code).toBe(0);
    const strip = (ls: string[]): string[] => ls.map((l) => l.replace(/"sourceFile":"[^"]*",/g, '')).sort();
    expect(strip(after)).toEqual(strip(lines(join(fresh, 'ocds/records.jsonl.gz'))));
    expect(strip(lines(join(dir, 'out/ocds/releases.jsonl.gz')))).toEqual(strip(lines(join(fresh, 'ocds/releases.jsonl.gz'))));
    const a = join(dir, 'out/decp.duckdb');
    expect(await tableCounts(a)).toEqual(await tableCounts(join(fresh, 'decp.duckdb')));
    const state = async (db: string): Promise<unknown[]> => query(db, 'SELECT ocid, contract_id, amount, duration_days, amendments FROM contracts ORDER BY ALL');
    expect(await state(a)).toEqual(await state(join(fresh, 'decp.duckdb')));
  });

  test('the local extension is published beside the data and declared when its URL is given', async () => {
    const out = join(tmp(), 'out');
    const url = 'https://data.example.gouv.fr/decp/ocds/x_decp/extension.json';
    expect((await runCli(['run', DEMO_2024, '--out', out, '--quiet', '--local-extension-url', url])).code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(out, 'ocds/release-package.json'), 'utf8')) as { extensions: string[] };
    expect(pkg.extensions.at(-1)).toBe(url);
    const ext = JSON.parse(readFileSync(join(out, 'ocds/x_decp/extension.json'), 'utf8')) as { schemas: string[] };
    for (const f of ext.schemas) expect(readFileSync(join(out, 'ocds/x_decp', f), 'utf8')).toBe(readFileSync(join(import.meta.dirname, '../../schemas/x_decp', f), 'utf8'));
    // the patch other compilers need: a modification's supplier list replaces the previous one
    const schema = JSON.parse(readFileSync(join(out, 'ocds/x_decp/release-schema.json'), 'utf8')) as { definitions: { Contract: { properties: { suppliers: { wholeListMerge?: boolean } } } } };
    expect(schema.definitions.Contract.properties.suppliers.wholeListMerge).toBe(true);
  });

  test('with --publication-url, ocds/release-package.json and record-package.json with their lines are valid OCDS packages', async () => {
    const out = join(tmp(), 'out');
    const base = 'https://data.example.gouv.fr/decp/ocds';
    expect((await runCli(['run', DEMO_2024, '--out', out, '--quiet', '--publication-url', base])).code).toBe(0);
    const releasePackage = JSON.parse(readFileSync(join(out, 'ocds/release-package.json'), 'utf8')) as Record<string, unknown>;
    const recordPackage = JSON.parse(readFileSync(join(out, 'ocds/record-package.json'), 'utf8')) as Record<string, unknown>;
    // metadata only: the releases and records are the lines of their files, not an empty list
    expect(releasePackage).not.toHaveProperty('releases');
    expect(recordPackage).not.toHaveProperty('records');
    expect(releasePackage['uri']).toBe(`${base}/releases.jsonl.gz`);
    expect(recordPackage['uri']).toBe(`${base}/records.jsonl.gz`);
    expect(recordPackage['packages']).toEqual([`${base}/releases.jsonl.gz`]);
    // x_decp (whose merge rule the records follow) is declared where it is published
    expect((releasePackage['extensions'] as string[]).at(-1)).toBe(`${base}/x_decp/extension.json`);
    expect(recordPackage['extensions']).toEqual(releasePackage['extensions']);
    // the publication policy published beside the data says what OCDS asks a policy to say of amounts
    expect(recordPackage['publicationPolicy']).toBe(`${base}/publication-policy.md`);
    expect(readFileSync(join(out, 'ocds/publication-policy.md'), 'utf8')).toMatch(/excluding VAT/);
    // each extension named at the version our schemas encode, not a moving branch
    for (const url of (releasePackage['extensions'] as string[]).slice(0, -1)) expect(url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/open-contracting-extensions\/ocds_\w+_extension\/[0-9a-f]{40}\/extension\.json$/);
    const releases = lines(join(out, 'ocds/releases.jsonl.gz')).slice(0, 3).map((l) => JSON.parse(l) as unknown);
    const records = lines(join(out, 'ocds/records.jsonl.gz')).slice(0, 3).map((l) => JSON.parse(l) as unknown);
    expect(officialReleasePackageValidator()({ ...releasePackage, releases })).toEqual([]);
    expect(officialRecordPackageValidator()({ ...recordPackage, records })).toEqual([]);
    // without it, no uri is made up (a relative one is not a URI): the rest is there
    const plain = join(tmp(), 'out');
    expect((await runCli(['run', DEMO_2024, '--out', plain, '--quiet'])).code).toBe(0);
    const meta = JSON.parse(readFileSync(join(plain, 'ocds/record-package.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).not.toHaveProperty('uri');
    expect(meta).toMatchObject({ version: '1.1', publisher: { name: 'Etalab' }, license: expect.any(String), publicationPolicy: expect.any(String) });
  });

  test('a partner publishing its own data names its publisher, licence and publication policy', async () => {
    const out = join(tmp(), 'out');
    const fixtures = join(import.meta.dirname, '../../fixtures/partner');
    const args = ['--publisher-name', 'Agencia Nacional', '--license', 'https://creativecommons.org/licenses/by/4.0/', '--publication-policy', 'https://example.gov.co/politica'];
    expect((await runCli(['run', join(fixtures, 'contratos.jsonl'), '--profile', join(fixtures, 'profile.json'), '--out', out, '--quiet', ...args])).code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(out, 'ocds/release-package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ publisher: { name: 'Agencia Nacional' }, license: 'https://creativecommons.org/licenses/by/4.0/', publicationPolicy: 'https://example.gov.co/politica' });
  });

  test('a store newer than the published Parquet (a run killed between the two renames) gets every segment rewritten', async () => {
    const out = join(tmp(), 'out');
    expect((await runCli(['run', DEMO_2024, '--out', out, '--quiet'])).code).toBe(0);
    expect(runJson(out).counts.parquet.linked).toBe(0);
    expect((await runCli(['run', DEMO_2024, '--out', out, '--quiet'])).code).toBe(0);
    const rerun = runJson(out).counts.parquet;
    expect(rerun.linked).toBeGreaterThan(0);
    await alter(join(out, 'decp.duckdb'), "UPDATE store_meta SET value = 'another-generation' WHERE key = 'generation'");
    expect((await runCli(['run', DEMO_2024, '--out', out, '--quiet'])).code).toBe(0);
    const after = runJson(out).counts.parquet;
    expect(after.linked).toBe(0);
    expect(after.written).toBe(rerun.written + rerun.linked);
    expect(await count(join(out, 'decp.duckdb'), `SELECT count(*) FROM read_parquet('${join(out, 'parquet/contracts')}/**/*.parquet')`)).toBe(await count(join(out, 'decp.duckdb'), 'SELECT count(*) FROM contracts'));
  });

  test('a trial run (--sample) remembers no file as read: the next run reads them again and replaces what it loaded', async () => {
    const dir = join(SHARED, 'decp/samples/2024-json');
    const out = join(tmp(), 'out');
    const trial = await runCli(['run', dir, '--out', out, '--sample', '10']);
    expect(trial.code).toBe(0);
    expect(trial.stderr).toMatch(/7 file\(s\): 1 with new content, 0 unchanged, 6 not reached \(--sample\); 10 records read/);
    const db = join(out, 'decp.duckdb');
    expect(await count(db, "SELECT count(*) FROM sources WHERE status = 'sample'")).toBe(1);
    expect((await runCli(['run', dir, '--out', out, '--quiet'])).code).toBe(0);
    const full = runJson(out);
    expect(full.counts).toMatchObject({ filesNew: 7, filesUnchanged: 0, read: 786 });
    expect(await count(db, "SELECT count(*) FROM sources WHERE status = 'sample'")).toBe(0);
    // the same store as a run without the trial before it (same releases and records, each once)
    const fresh = join(tmp(), 'fresh');
    expect((await runCli(['run', dir, '--out', fresh, '--quiet'])).code).toBe(0);
    expect(await tableCounts(db)).toEqual(await tableCounts(join(fresh, 'decp.duckdb')));
    const sorted = (f: string): string[] => lines(f).sort();
    for (const f of ['releases', 'records']) expect(sorted(join(out, `ocds/${f}.jsonl.gz`))).toEqual(sorted(join(fresh, `ocds/${f}.jsonl.gz`)));
  });

  test('a run whose --versioned differs from the last one compiles every record again: never a mix', async () => {
    const out = join(tmp(), 'out');
    const day = (k: number): string => join(SHARED, `decp/samples/2024-json/dematis-e-marchespublics_2024-07-daily-${k}.json`);
    const versioned = (): number[] => {
      const recs = lines(join(out, 'ocds/records.jsonl.gz'));
      return [recs.filter((l) => l.includes('"versionedRelease"')).length, recs.length];
    };
    expect((await runCli(['run', day(13), '--out', out, '--quiet'])).code).toBe(0);
    expect((await runCli(['run', day(13), day(16), '--out', out, '--quiet', '--versioned'])).code).toBe(0);
    const [withV, all] = versioned();
    expect(withV).toBe(all);
    // the same again changes nothing; leaving it out compiles every record again, without
    const before = readFileSync(join(out, 'ocds/records.jsonl.gz'));
    expect((await runCli(['run', day(13), day(16), '--out', out, '--quiet', '--versioned'])).code).toBe(0);
    expect(readFileSync(join(out, 'ocds/records.jsonl.gz')).equals(before)).toBe(true);
    expect((await runCli(['run', day(13), day(16), '--out', out, '--quiet'])).code).toBe(0);
    expect(versioned()).toEqual([0, all]);
    // a store of an earlier version does not say how it was compiled: compiled again once
    await alter(join(out, 'decp.duckdb'), "DELETE FROM store_meta WHERE key = 'versioned'");
    const r = await runCli(['run', day(13), day(16), '--out', out]);
    expect(r.stderr).toMatch(new RegExp(`the ${all} records are compiled again`));
    expect(versioned()).toEqual([0, all]);
  });

  test('a trial run replaces no earlier version it did not read to the end, and leaves no reject twice', async () => {
    const dir = join(tmp(), 'in');
    mkdirSync(dir);
    const marche = (k: number, objet: string): string => JSON.stringify({ id: `2024-${k}`, acheteur: { id: '21590163800019' }, objet, montant: 1000 + k, dateNotification: '2024-01-02', datePublicationDonnees: '2024-01-03' });
    const write = (objet: string): void => {
      // a.jsonl starts with a line that is no DECP record: one reject
      writeFileSync(join(dir, 'a.jsonl'), ['{"foo":1}', ...Array.from({ length: 10 }, (_, k) => marche(k, objet))].join('\n'));
      writeFileSync(join(dir, 'b.jsonl'), Array.from({ length: 10 }, (_, k) => marche(100 + k, objet)).join('\n'));
    };
    write('v1');
    const out = join(tmp(), 'out');
    expect((await runCli(['run', dir, '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const full = await tableCounts(db);
    write('v2');
    expect((await runCli(['run', dir, '--out', out, '--quiet', '--sample', '3'])).code).toBe(0);
    expect(runJson(out).counts.filesReplaced).toBe(0);
    // b.jsonl was not reached: its first version stays current, with its releases
    expect(await count(db, "SELECT count(*) FROM sources WHERE path LIKE '%b.jsonl' AND status = 'current'")).toBe(1);
    expect(await count(db, 'SELECT count(*) FROM releases')).toBeGreaterThanOrEqual(full['releases']!);
    expect((await runCli(['run', dir, '--out', out, '--quiet'])).code).toBe(0);
    expect(runJson(out).counts.filesReplaced).toBe(2);
    expect(await count(db, "SELECT count(*) FROM sources WHERE status = 'current'")).toBe(2);
    expect(await count(db, 'SELECT count(*) FROM rejects')).toBe(1);
    expect(await tableCounts(db)).toMatchObject({ releases: full['releases'], rejects: 1, sources: 4 });
  });

  test('a release a trial run took from another file, whose trial file is gone or changed by the next run, is published from the file that holds it, as a rebuild gives (found by an incremental-equals-rebuild probe: the trial\'s copy stayed published from a file the store no longer had)', async () => {
    const dir = tmp();
    const inDir = join(dir, 'in');
    mkdirSync(inDir);
    // M1 in a.json; x.json publishes it again later (same release id, a later publication: it wins)
    const put = (name: string, records: object[]): void => writeFileSync(join(inDir, name), JSON.stringify({ marches: records }));
    put('a.json', [marche('M1', { datePublicationDonnees: '2019-01-12' }), marche('A2', {})]);
    const rebuilt = join(dir, 'rebuilt');
    const published = async (o: string): Promise<unknown> => ({
      releases: lines(join(o, 'ocds/releases.jsonl.gz')).sort(),
      records: lines(join(o, 'ocds/records.jsonl.gz')).sort(),
      sources: await query(join(o, 'decp.duckdb'), 'SELECT r.release_id, s.path, r.source_published::VARCHAR AS published FROM releases r LEFT JOIN sources s ON s.sha256 = r.source_sha256 AND s.status = \'current\' ORDER BY ALL'),
    });
    // gone, changed, or gone and another trial run that published it again from a third file (an
    // earlier publication than a.json's: it should lose to it, and won against the first trial's copy)
    const another = async (out: string): Promise<void> => {
      rmSync(join(inDir, 'x.json'));
      put('y.json', [marche('M1', { datePublicationDonnees: '2019-01-05' })]);
      expect((await runCli(['run', inDir, '--out', out, '--quiet', '--sample', '100'])).code).toBe(0);
    };
    for (const [k, after] of [['gone', async (): Promise<void> => rmSync(join(inDir, 'x.json'))], ['changed', async (): Promise<void> => put('x.json', [marche('X3', {})])], ['trial-again', another]] as const) {
      const out = join(dir, `out-${k}`);
      rmSync(join(inDir, 'x.json'), { force: true });
      rmSync(join(inDir, 'y.json'), { force: true });
      expect((await runCli(['run', inDir, '--out', out, '--quiet'])).code).toBe(0);
      put('x.json', [marche('M1', { datePublicationDonnees: '2019-01-20' }), marche('X2', {})]);
      expect((await runCli(['run', inDir, '--out', out, '--quiet', '--sample', '100'])).code).toBe(0);
      expect(JSON.stringify(await published(out))).toContain('x.json');
      await after(out);
      const r = await runCli(['run', inDir, '--out', out]);
      expect(r.code).toBe(0);
      rmSync(rebuilt, { recursive: true, force: true });
      expect((await runCli(['run', inDir, '--out', rebuilt, '--quiet'])).code).toBe(0);
      expect(await published(out)).toEqual(await published(rebuilt));
      expect(r.stderr).toMatch(/1 unchanged file\(s\) read again: they share releases published from a file this run does not read .*a\.json/);
      // every release is published from a current source
      expect(await count(join(out, 'decp.duckdb'), "SELECT count(*) FROM releases WHERE source_sha256 NOT IN (SELECT sha256 FROM sources WHERE status = 'current')")).toBe(0);
      // and the next run reads nothing again
      expect((await runCli(['run', inDir, '--out', out, '--quiet'])).code).toBe(0);
      expect(runJson(out).counts).toMatchObject({ filesNew: 0, filesReread: 0 });
    }
  }, 240_000);

  test('a release a trial run took, also held by a file the store keeps that this run is not given, is not handed unweighed to the files given: it waits for a run given every file that holds it, then is published as a rebuild gives', async () => {
    const dir = tmp();
    const [inA, inC] = [join(dir, 'in'), join(dir, 'in2')];
    mkdirSync(inA);
    mkdirSync(inC);
    const put = (d: string, name: string, records: object[]): void => writeFileSync(join(d, name), JSON.stringify({ marches: records }));
    // M1 in a.json, and later in c.json (a folder given some nights only): c.json's copy wins
    put(inA, 'a.json', [marche('M1', { datePublicationDonnees: '2019-01-12', formePrix: 'Unitaire' }), marche('A2', {})]);
    put(inC, 'c.json', [marche('M1', { datePublicationDonnees: '2019-01-25', formePrix: 'Forfaitaire' }), marche('C2', {})]);
    const out = join(dir, 'out');
    expect((await runCli(['run', inA, inC, '--out', out, '--quiet'])).code).toBe(0);
    // a trial run publishes it from x.json (later still), which is gone the next night
    put(inA, 'x.json', [marche('M1', { datePublicationDonnees: '2019-01-30', formePrix: 'Ferme' }), marche('X2', {})]);
    expect((await runCli(['run', inA, inC, '--out', out, '--quiet', '--sample', '100'])).code).toBe(0);
    rmSync(join(inA, 'x.json'));
    const published = async (o: string): Promise<unknown> => ({
      releases: lines(join(o, 'ocds/releases.jsonl.gz')).sort(),
      records: lines(join(o, 'ocds/records.jsonl.gz')).sort(),
      sources: await query(join(o, 'decp.duckdb'), 'SELECT r.release_id, s.path, r.source_published::VARCHAR AS published FROM releases r LEFT JOIN sources s ON s.sha256 = r.source_sha256 AND s.status = \'current\' ORDER BY ALL'),
    });
    // a night given a.json only: c.json's copy cannot be weighed, so a.json's (earlier) does not take the release
    const r = await runCli(['run', inA, '--out', out]);
    expect(r.code).toBe(0);
    expect(runJson(out).counts).toMatchObject({ filesReread: 0 });
    expect(r.stderr).toMatch(/1 release\(s\) published from a file the store no longer has .* not given to this run as files \(.*c\.json\)/);
    expect(JSON.stringify(await published(out))).not.toContain('Unitaire');
    // the first night given both: weighed among them, as a rebuild weighs them
    expect((await runCli(['run', inA, inC, '--out', out, '--quiet'])).code).toBe(0);
    const rebuilt = join(dir, 'rebuilt');
    expect((await runCli(['run', inA, inC, '--out', rebuilt, '--quiet'])).code).toBe(0);
    expect(JSON.stringify(await published(rebuilt))).toContain('c.json');
    expect(await published(out)).toEqual(await published(rebuilt));
    // and the night after reads nothing again
    expect((await runCli(['run', inA, inC, '--out', out, '--quiet'])).code).toBe(0);
    expect(runJson(out).counts).toMatchObject({ filesNew: 0, filesReread: 0 });
  }, 120_000);

  test('a release a trial run took, also held by stdin\'s copy (never given again as a file), is read again from the files given: it does not stay on the trial\'s file for good', async () => {
    const dir = tmp();
    const inDir = join(dir, 'in');
    mkdirSync(inDir);
    const doc = (records: object[]): string => JSON.stringify({ marches: records });
    const fromStdin = doc([marche('M1', { datePublicationDonnees: '2019-01-12' }), marche('S2', {})]);
    writeFileSync(join(inDir, 'b.json'), doc([marche('M1', { datePublicationDonnees: '2019-01-12', formePrix: 'Unitaire' }), marche('B2', {})]));
    const out = join(dir, 'out');
    expect((await runCli(['run', '-', inDir, '--out', out, '--quiet'], fromStdin)).code).toBe(0);
    writeFileSync(join(inDir, 'x.json'), doc([marche('M1', { datePublicationDonnees: '2019-01-20', formePrix: 'Ferme' }), marche('X2', {})]));
    expect((await runCli(['run', '-', inDir, '--out', out, '--quiet', '--sample', '100'], fromStdin)).code).toBe(0);
    rmSync(join(inDir, 'x.json'));
    const r = await runCli(['run', '-', inDir, '--out', out], fromStdin);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 unchanged file\(s\) read again: they share releases published from a file this run does not read .*b\.json/);
    // every release is published from a current source, the trial's copy gone
    expect(await count(join(out, 'decp.duckdb'), "SELECT count(*) FROM releases WHERE source_sha256 NOT IN (SELECT sha256 FROM sources WHERE status = 'current')")).toBe(0);
    expect(lines(join(out, 'ocds/releases.jsonl.gz')).join('\n')).not.toContain('Ferme');
    expect((await runCli(['run', '-', inDir, '--out', out, '--quiet'], fromStdin)).code).toBe(0);
    expect(runJson(out).counts).toMatchObject({ filesNew: 0, filesReread: 0 });
  }, 120_000);

  test('stdin is no file name: each night\'s `zcat daily | run -` adds to the store, never replaces the last one', async () => {
    const out = join(tmp(), 'out');
    const day = (k: number): string => readFileSync(join(SHARED, `decp/samples/2024-json/dematis-e-marchespublics_2024-07-daily-${k}.json`), 'utf8');
    expect((await runCli(['run', '-', '--out', out, '--quiet'], day(13))).code).toBe(0);
    const first = runJson(out).counts.store['releases']!;
    expect(first).toBeGreaterThan(0);
    expect((await runCli(['run', '-', '--out', out, '--quiet'], day(16))).code).toBe(0);
    const second = runJson(out);
    expect(second.counts.filesReplaced).toBe(0);
    // nothing of the first night is removed (a release both nights bring is one release)
    expect(second.counts.releasesRemoved).toBe(0);
    expect(second.counts.store['releases']).toBeGreaterThan(first + second.counts.releases - 5);
    expect(await count(join(out, 'decp.duckdb'), "SELECT count(*) FROM sources WHERE status = 'current' AND path = '-'")).toBe(2);
    // the same content again is known, as a file's would be
    expect((await runCli(['run', '-', '--out', out, '--quiet'], day(13))).code).toBe(0);
    expect(runJson(out).counts).toMatchObject({ filesUnchanged: 1, read: 0 });
  });

  test('a file republished with corrections replaces its earlier releases; a removed supplier does not survive', async () => {
    const dir = tmp();
    const f = join(dir, 'in', 'buyer.json');
    const doc = JSON.parse(readFileSync(DEMO_2024, 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } };
    const marche = doc.marches.marche[0]!;
    mkdirSync(join(dir, 'in'));
    // first version: two suppliers, no modification
    marche['titulaires'] = [{ titulaire: { typeIdentifiant: 'SIRET', id: '41436537056563' } }, { titulaire: { typeIdentifiant: 'SIRET', id: '43732332493516' } }];
    const mods = marche['modifications'];
    delete marche['modifications'];
    writeFileSync(f, JSON.stringify(doc));
    const out = join(dir, 'out');
    expect((await runCli(['run', f, '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const ocid = `ocds-78apv2-20694026140141-2024-017-00`;
    const before = await count(db, `SELECT count(*) FROM releases WHERE ocid = '${ocid}'`);
    const storeBefore = await count(db, 'SELECT count(*) FROM releases');
    // corrected version of the same path: a modification leaves one supplier and raises the amount
    marche['modifications'] = mods;
    writeFileSync(f, JSON.stringify(doc));
    const again = await runCli(['run', f, '--out', out]);
    expect(again.code).toBe(0);
    const r = runJson(out);
    expect(r.counts.filesReplaced).toBe(1);
    // the summary's file counts add up: a replacing file is one of those read, not one more
    expect(again.stderr).toMatch(/^decp-ocds: 1 file\(s\): 1 with new content \(1 replacing an earlier version\), 0 unchanged; /m);
    expect(r.replaced).toHaveLength(1);
    expect(await count(db, `SELECT count(*) FROM sources WHERE status = 'current'`)).toBe(1);
    expect(await count(db, `SELECT count(*) FROM releases WHERE ocid = '${ocid}'`)).toBe(before + 1);
    // run.json's figures add up: what the store had, plus what was added, less what was removed
    // (the republished releases replace their earlier versions: they add nothing)
    expect(r.counts.releasesAdded).toBe(1);
    expect(r.counts.store.releases).toBe(storeBefore + r.counts.releasesAdded - (r.counts.releasesRemoved ?? 0));
    // only the current file's records remain
    expect(await count(db, 'SELECT count(*) FROM release_sources rs ANTI JOIN sources s ON s.sha256 = rs.source_sha256 AND s.status = \'current\'')).toBe(0);
    const rec = lines(join(out, 'ocds/records.jsonl.gz'))
      .map((l) => JSON.parse(l) as { ocid: string; compiledRelease: { contracts: Array<{ suppliers: Array<{ id: string }>; value: { amount: number } }> } })
      .find((x) => x.ocid === ocid)!;
    const contract = rec.compiledRelease.contracts.find((k) => k.value.amount === 335900);
    expect(contract).toBeDefined();
    expect(contract!.suppliers.map((s) => s.id)).toEqual(['FR-RCS-41436537056563']);
    expect(await count(db, `SELECT count(*) FROM contracts WHERE ocid = '${ocid}' AND amount = 335900 AND suppliers = 1`)).toBe(1);
    expect(r.counts.releasesRemoved).toBe(0);
    // and published again as it first was (the correction undone): the content of a replaced source
    // is current again (one row per content), the modification's release is removed, the contract is
    // as it was
    delete marche['modifications'];
    writeFileSync(f, JSON.stringify(doc));
    const third = await runCli(['run', f, '--out', out, '--quiet']);
    expect({ code: third.code, stderr: third.stderr }).toMatchObject({ code: 0 });
    expect(await count(db, `SELECT count(*) FROM sources`)).toBe(2);
    // the first content is current again (this run's row), the correction replaced by it
    expect(await count(db, `SELECT count(*) FROM sources WHERE status = 'current' AND run_id = 3`)).toBe(1);
    expect(await count(db, `SELECT count(*) FROM sources r JOIN sources c ON r.replaced_by = c.sha256 WHERE r.status = 'replaced' AND r.run_id = 2 AND c.status = 'current'`)).toBe(1);
    expect(runJson(out).counts.releasesRemoved).toBe(1);
    expect(await count(db, `SELECT count(*) FROM releases WHERE ocid = '${ocid}'`)).toBe(before);
    expect(await count(db, 'SELECT count(*) FROM releases r ANTI JOIN release_sources rs ON rs.release_id = r.release_id')).toBe(0);
    expect(await count(db, `SELECT count(*) FROM contracts WHERE ocid = '${ocid}' AND amount = 335900`)).toBe(0);
    expect(await count(db, `SELECT count(*) FROM contracts WHERE ocid = '${ocid}' AND amount = 312400 AND suppliers = 2`)).toBe(1);
  });

  test('a renamed file, then corrected, replaces its earlier content; a daily file rotated to a dated name keeps its releases', async () => {
    const doc = JSON.parse(readFileSync(DEMO_2024, 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } };
    const all = doc.marches.marche;
    const half = (k: number): string => JSON.stringify({ marches: { marche: all.filter((_, i) => i % 2 === k) } });
    // (the store keeps a row for each content it replaced: sources are compared by the current ones)
    const state = async (out: string): Promise<Record<string, number>> => {
      const { sources: _all, ...tables } = await tableCounts(join(out, 'decp.duckdb'));
      return { ...tables, current: await count(join(out, 'decp.duckdb'), "SELECT count(*) FROM sources WHERE status = 'current'") };
    };
    const run = async (dir: string, out: string): Promise<void> => expect((await runCli(['run', dir, '--out', out, '--quiet'])).code).toBe(0);
    // renamed (nothing to read), then corrected under its new name: the correction replaces it
    const dir = tmp();
    const a = join(dir, 'in', 'a.json');
    const b = join(dir, 'in', 'b.json');
    mkdirSync(join(dir, 'in'));
    writeFileSync(a, half(0));
    const out = join(dir, 'out');
    await run(join(dir, 'in'), out);
    renameSync(a, b);
    await run(join(dir, 'in'), out);
    expect(runJson(out).counts).toMatchObject({ filesUnchanged: 1, filesReplaced: 0 });
    const corrected = JSON.parse(half(0)) as { marches: { marche: Array<Record<string, unknown>> } };
    corrected.marches.marche.pop();
    writeFileSync(b, JSON.stringify(corrected));
    await run(join(dir, 'in'), out);
    expect(runJson(out).counts.filesReplaced).toBe(1);
    const fresh = join(dir, 'fresh');
    await run(join(dir, 'in'), fresh);
    expect(await state(out)).toEqual(await state(fresh));
    // a daily file rotated to a dated name while the next day's takes its name: both contents stay
    const rot = tmp();
    const daily = join(rot, 'in', 'daily.json');
    mkdirSync(join(rot, 'in'));
    writeFileSync(daily, half(0));
    const out2 = join(rot, 'out');
    await run(join(rot, 'in'), out2);
    renameSync(daily, join(rot, 'in', 'daily-1.json'));
    writeFileSync(daily, half(1));
    await run(join(rot, 'in'), out2);
    expect(runJson(out2).counts).toMatchObject({ filesReplaced: 0, releasesRemoved: 0 });
    const fresh2 = join(rot, 'fresh');
    await run(join(rot, 'in'), fresh2);
    expect(await state(out2)).toEqual(await state(fresh2));
    // and the night after, nothing changes
    const before = readFileSync(join(out2, 'ocds/releases.jsonl.gz'));
    await run(join(rot, 'in'), out2);
    expect(runJson(out2).counts).toMatchObject({ filesUnchanged: 2, read: 0 });
    expect(readFileSync(join(out2, 'ocds/releases.jsonl.gz')).equals(before)).toBe(true);
    // the same content under two names, one of them corrected: the other still holds it
    writeFileSync(join(rot, 'in', 'copy.json'), half(1));
    await run(join(rot, 'in'), out2);
    writeFileSync(daily, half(0));
    await run(join(rot, 'in'), out2);
    expect(runJson(out2).counts.releasesRemoved).toBe(0);
    const fresh3 = join(rot, 'fresh3');
    await run(join(rot, 'in'), fresh3);
    expect(await state(out2)).toEqual(await state(fresh3));
  });

  test('a moved or renamed file is read again where it is: its releases and rejects name it, as a rebuild does; a file moved onto a deleted one\'s name replaces it (found by an incremental-equals-rebuild sweep)', async () => {
    const doc = JSON.parse(readFileSync(DEMO_2024, 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } };
    const all = doc.marches.marche;
    const part = (k: number): string => JSON.stringify({ marches: { marche: [...all.filter((_, i) => i % 2 === k), { id: `bad-${k}` }] } });
    const run = async (dir: string, out: string): Promise<void> => expect((await runCli(['run', dir, '--out', out, '--quiet'])).code).toBe(0);
    const named = (out: string): { releases: string[]; rejects: string[] } => ({
      releases: [...new Set(lines(join(out, 'ocds/releases.jsonl.gz')).map((l) => String(((JSON.parse(l) as Record<string, unknown>)['x_decp'] as Record<string, unknown> | undefined)?.['sourceFile'] ?? '')))].filter((f) => f !== '').sort(),
      rejects: [...new Set(readFileSync(join(out, 'rejects.jsonl'), 'utf8').trim().split('\n').map((l) => String((JSON.parse(l) as Record<string, unknown>)['file'])))].sort(),
    });
    // renamed
    const dir = tmp();
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'a.json'), part(0));
    const out = join(dir, 'out');
    await run(join(dir, 'in'), out);
    renameSync(join(dir, 'in', 'a.json'), join(dir, 'in', 'a-2024.json'));
    await run(join(dir, 'in'), out);
    expect(runJson(out).counts).toMatchObject({ filesUnchanged: 1, filesReread: 1, filesReplaced: 0, releasesRemoved: 0 });
    expect(named(out)).toEqual({ releases: [join(dir, 'in', 'a-2024.json')], rejects: [join(dir, 'in', 'a-2024.json')] });
    const fresh = join(dir, 'fresh');
    await run(join(dir, 'in'), fresh);
    expect(readFileSync(join(out, 'ocds/releases.jsonl.gz')).equals(readFileSync(join(fresh, 'ocds/releases.jsonl.gz')))).toBe(true);
    // the night after, nothing to read
    await run(join(dir, 'in'), out);
    expect(runJson(out).counts).toMatchObject({ filesUnchanged: 1, read: 0 });
    // a trial run (--sample) after a move reads nothing again and remembers nothing of it: the next
    // run reads the moved file again (found by a review)
    renameSync(join(dir, 'in', 'a-2024.json'), join(dir, 'in', 'a-2025.json'));
    expect((await runCli(['run', join(dir, 'in'), '--out', out, '--quiet', '--sample', '1'])).code).toBe(0);
    await run(join(dir, 'in'), out);
    expect(runJson(out).counts).toMatchObject({ filesReread: 1 });
    expect(named(out)).toEqual({ releases: [join(dir, 'in', 'a-2025.json')], rejects: [join(dir, 'in', 'a-2025.json')] });
    // a known file whose every record is rejected, moved onto a path whose content converted: no
    // doubtful download (it was read in full before), the earlier content gives way (found by a review)
    const onto = tmp();
    mkdirSync(join(onto, 'in'));
    writeFileSync(join(onto, 'in', 'a.json'), part(0));
    writeFileSync(join(onto, 'in', 'b.json'), JSON.stringify({ marches: { marche: [1, 2] } }));
    const out4 = join(onto, 'out');
    await run(join(onto, 'in'), out4);
    renameSync(join(onto, 'in', 'b.json'), join(onto, 'in', 'a.json'));
    await run(join(onto, 'in'), out4);
    expect(runJson(out4).counts).toMatchObject({ filesReplaced: 1, filesReread: 1, filesUnreadable: 0 });
    expect(await query(join(out4, 'decp.duckdb'), "SELECT path FROM sources WHERE status = 'current'")).toEqual([{ path: join(onto, 'in', 'a.json') }]);
    // a file deleted (its releases stay: the store is cumulative), then another moved onto its name: the
    // deleted one's content gives way, so that a later correction of that name withdraws what it withdraws
    const ghost = tmp();
    mkdirSync(join(ghost, 'in'));
    writeFileSync(join(ghost, 'in', 'a.json'), part(1));
    writeFileSync(join(ghost, 'in', 'b.json'), part(0));
    const out2 = join(ghost, 'out');
    await run(join(ghost, 'in'), out2);
    renameSync(join(ghost, 'in', 'a.json'), join(ghost, 'a.deleted'));
    await run(join(ghost, 'in'), out2);
    renameSync(join(ghost, 'in', 'b.json'), join(ghost, 'in', 'a.json'));
    await run(join(ghost, 'in'), out2);
    expect(await query(join(out2, 'decp.duckdb'), "SELECT path FROM sources WHERE status = 'current'")).toEqual([{ path: join(ghost, 'in', 'a.json') }]);
    const corrected = JSON.parse(part(0)) as { marches: { marche: unknown[] } };
    corrected.marches.marche.shift();
    writeFileSync(join(ghost, 'in', 'a.json'), JSON.stringify(corrected));
    await run(join(ghost, 'in'), out2);
    const fresh2 = join(ghost, 'fresh');
    await run(join(ghost, 'in'), fresh2);
    expect(lines(join(out2, 'ocds/records.jsonl.gz'))).toEqual(lines(join(fresh2, 'ocds/records.jsonl.gz')));
    expect(named(out2)).toEqual(named(fresh2));
    // a path whose new content this run reads first under another name: its earlier content gives way too
    const twin = tmp();
    mkdirSync(join(twin, 'in'));
    writeFileSync(join(twin, 'in', 'b.json'), part(1));
    const out3 = join(twin, 'out');
    await run(join(twin, 'in'), out3);
    writeFileSync(join(twin, 'in', 'a.json'), part(0));
    writeFileSync(join(twin, 'in', 'b.json'), part(0));
    await run(join(twin, 'in'), out3);
    expect(runJson(out3).counts).toMatchObject({ filesReplaced: 1 });
    const fresh3 = join(twin, 'fresh');
    await run(join(twin, 'in'), fresh3);
    expect(lines(join(out3, 'ocds/records.jsonl.gz'))).toEqual(lines(join(fresh3, 'ocds/records.jsonl.gz')));
  });

  test('a failed download under a feed\'s name (empty, null, [], cut before or inside its records) does not replace the feed: exit 3, its contracts stay published (found by an operator sweep)', async () => {
    const doc = readFileSync(DEMO_2024, 'utf8');
    const dir = tmp();
    mkdirSync(join(dir, 'in'));
    const feed = join(dir, 'in', 'feed.json');
    writeFileSync(feed, doc);
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'in'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const before = { releases: await count(db, 'SELECT count(*) FROM releases'), records: await count(db, 'SELECT count(*) FROM records'), ocds: readFileSync(join(out, 'ocds/releases.jsonl.gz')) };
    expect(before.records).toBeGreaterThan(1);
    // (cut inside its last record: the others read, fewer than the version before)
    const all = (JSON.parse(doc) as { marches: { marche: unknown[] } }).marches.marche;
    const cut = `${JSON.stringify({ marches: { marche: all.slice(0, -1) } }).slice(0, -3)},${JSON.stringify(all[all.length - 1]).slice(0, 40)}`;
    // (beside another file: inputs that are all empty are refused before anything, below)
    // (a content of its own: a version equal to a file the store holds is that file, moved or copied)
    writeFileSync(join(dir, 'in', 'other.json'), '{"marches":[], "other":1}');
    for (const bad of ['', 'null', '[]', '{"marches":{"marche":[]}}', '{"marches":{"marche":[{"id":"20', cut]) {
      writeFileSync(feed, bad);
      const r = await runCli(['run', join(dir, 'in'), '--out', out, '--quiet']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/INGEST_INCOMPLETE: .*this version does not replace the one read before/);
      expect(runJson(out).counts).toMatchObject({ filesUnreadable: 1, filesReplaced: 0, releasesRemoved: 0, read: 0, rejected: 0 });
      // the kept-out version says why, and that its counts are not the run's (found by a probe: run.json
      // gave no reason for exit 3, and its counts contradicted the totals)
      expect(runJson(out).inputs.find((f) => f.file === feed)).toMatchObject({ loaded: false, error: { code: 'INGEST_INCOMPLETE', fatal: true, message: expect.stringMatching(/this version does not replace the one read before/) } });
      expect(await count(db, 'SELECT count(*) FROM releases')).toBe(before.releases);
      expect(await count(db, 'SELECT count(*) FROM records')).toBe(before.records);
      // (nothing of it in the rejects either: its records are not counted as read; the next run reads it again)
      expect(await count(db, 'SELECT count(*) FROM rejects')).toBe(0);
      expect(readFileSync(join(out, 'ocds/releases.jsonl.gz')).equals(before.ocds)).toBe(true);
    }
    // empty again beside a file read before, unchanged: a version kept out all the same, not an empty
    // night (found by an operator's probe: INGEST_EMPTY, exit 3 and run.json left as the night before)
    writeFileSync(feed, '');
    const beside = await runCli(['run', join(dir, 'in'), '--out', out, '--quiet']);
    expect([beside.code, beside.stderr]).toEqual([3, expect.stringMatching(/INGEST_INCOMPLETE: .*this version does not replace the one read before/)]);
    expect(runJson(out).counts).toMatchObject({ filesUnreadable: 1, filesUnchanged: 1, filesReplaced: 0, releasesRemoved: 0 });
    expect(readFileSync(join(out, 'ocds/releases.jsonl.gz')).equals(before.ocds)).toBe(true);
    // the feed alone, empty (a failed download, an empty mount): nothing to read, exit 3 before anything
    // is written, the store's sources and run.json left as they were
    rmSync(join(dir, 'in', 'other.json'));
    writeFileSync(feed, '');
    const runBefore = readFileSync(join(out, 'run.json'));
    const empty = await runCli(['run', join(dir, 'in'), '--out', out]);
    expect([empty.code, empty.stderr]).toEqual([3, expect.stringMatching(/^decp-ocds: INGEST_EMPTY: the inputs hold nothing to read \(.*in\): empty, or only white space/)]);
    expect(readFileSync(join(out, 'run.json')).equals(runBefore)).toBe(true);
    expect(await count(db, 'SELECT count(*) FROM releases')).toBe(before.releases);
    expect(readFileSync(join(out, 'ocds/releases.jsonl.gz')).equals(before.ocds)).toBe(true);
    // a correction (one record less, read to its end) still replaces; a first version is loaded whatever it holds
    const corrected = JSON.parse(doc) as { marches: { marche: unknown[] } };
    corrected.marches.marche.pop();
    writeFileSync(feed, JSON.stringify(corrected));
    const fixed = await runCli(['run', join(dir, 'in'), '--out', out, '--quiet']);
    expect(fixed.code).toBe(0);
    expect(runJson(out).counts).toMatchObject({ filesReplaced: 1, filesUnreadable: 0 });
    expect(runJson(out).inputs.map((f) => [f.file, f.loaded, f.error])).toEqual([[feed, undefined, undefined]]);
    writeFileSync(join(dir, 'in', 'other.json'), '[]');
    expect((await runCli(['run', join(dir, 'in'), '--out', out, '--quiet'])).code).toBe(0);
  });

  test('a file decompressed in place (gunzip feed.json.gz) is its new version; an uncompressed copy beside a gzip file read before is that source, read once (found by a probe: the gzip source stayed current, a later correction did not withdraw a contract; the copy was counted twice)', async () => {
    const doc = JSON.parse(readFileSync(DEMO_2024, 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } };
    const dir = tmp();
    mkdirSync(join(dir, 'in'));
    const plain = join(dir, 'in', 'feed.json');
    writeFileSync(`${plain}.gz`, gzipSync(JSON.stringify(doc)));
    const out = join(dir, 'out');
    const run = async (o: string, input = join(dir, 'in')): Promise<void> => expect((await runCli(['run', input, '--out', o, '--quiet'])).code).toBe(0);
    await run(out);
    // night 2: decompressed in place
    writeFileSync(plain, JSON.stringify(doc));
    rmSync(`${plain}.gz`);
    await run(out);
    expect(runJson(out).counts).toMatchObject({ filesNew: 1, filesReplaced: 1, releasesAdded: 0, releasesRemoved: 0 });
    expect(await query(join(out, 'decp.duckdb'), "SELECT path FROM sources WHERE status = 'current'")).toEqual([{ path: plain }]);
    // night 3: corrected (a record removed): as a rebuild from it gives
    doc.marches.marche.pop();
    writeFileSync(plain, JSON.stringify(doc));
    await run(out);
    const fresh = join(dir, 'fresh');
    await run(fresh);
    expect(lines(join(out, 'ocds/records.jsonl.gz'))).toEqual(lines(join(fresh, 'ocds/records.jsonl.gz')));
    // a gzip file read before, then its uncompressed copy beside it (gunzip -k): one source, no duplicate
    const two = join(tmp(), 'in');
    mkdirSync(two);
    writeFileSync(join(two, 'feed.json.gz'), gzipSync(JSON.stringify(doc)));
    const out2 = join(dir, 'out2');
    await run(out2, two);
    writeFileSync(join(two, 'feed.json'), JSON.stringify(doc));
    await run(out2, two);
    expect(runJson(out2).counts).toMatchObject({ filesNew: 0, read: 0, releasesAdded: 0 });
    expect(await query(join(out2, 'decp.duckdb'), "SELECT count(*)::INTEGER AS n FROM sources WHERE status = 'current'")).toEqual([{ n: 1 }]);
    expect(await query(join(out2, 'decp.duckdb'), 'SELECT count(*)::INTEGER AS n FROM duplicate_publications')).toEqual([{ n: 0 }]);
  });

  test('a file compressed in place (gzip feed.json) is its new version under another name: it replaces it, and its later correction too, as a rebuild gives (found by operator sweeps)', async () => {
    const doc = JSON.parse(readFileSync(DEMO_2024, 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } };
    const dir = tmp();
    mkdirSync(join(dir, 'in'));
    const plain = join(dir, 'in', 'feed.json');
    writeFileSync(plain, JSON.stringify(doc));
    const out = join(dir, 'out');
    const run = async (o: string): Promise<void> => expect((await runCli(['run', join(dir, 'in'), '--out', o, '--quiet'])).code).toBe(0);
    await run(out);
    const before = readFileSync(join(out, 'ocds/releases.jsonl.gz'));
    // night 2: compressed in place: the same releases, whose provenance names the file that holds them
    // now (its name and hash), as a rebuild from it gives
    writeFileSync(`${plain}.gz`, gzipSync(readFileSync(plain)));
    rmSync(plain);
    await run(out);
    expect(runJson(out).counts).toMatchObject({ filesNew: 1, filesReplaced: 1, releasesAdded: 0, releasesRemoved: 0 });
    expect(await query(join(out, 'decp.duckdb'), "SELECT path, compressed FROM sources WHERE status = 'current'")).toEqual([{ path: `${plain}.gz`, compressed: 'gzip' }]);
    const rebuilt = join(dir, 'rebuilt');
    await run(rebuilt);
    expect(readFileSync(join(out, 'ocds/releases.jsonl.gz')).equals(readFileSync(join(rebuilt, 'ocds/releases.jsonl.gz')))).toBe(true);
    // (the same releases as the night before, but for their provenance)
    const withoutSource = (gz: string): unknown[] => lines(gz).map((l) => {
      const { sourceFile: _f, sourceSha256: _h, ...rest } = (JSON.parse(l) as { x_decp: Record<string, unknown> }).x_decp;
      return { ...(JSON.parse(l) as object), x_decp: rest };
    });
    const beforeFile = join(dir, 'before.jsonl.gz');
    writeFileSync(beforeFile, before);
    expect(withoutSource(join(out, 'ocds/releases.jsonl.gz'))).toEqual(withoutSource(beforeFile));
    // night 3: corrected (a record removed, another's amount changed): it replaces, as a rebuild from it gives
    doc.marches.marche.pop();
    doc.marches.marche[0]!['montant'] = Number(doc.marches.marche[0]!['montant']) + 1000;
    writeFileSync(`${plain}.gz`, gzipSync(JSON.stringify(doc)));
    await run(out);
    expect(runJson(out).counts.filesReplaced).toBe(1);
    const fresh = join(dir, 'fresh');
    await run(fresh);
    const { sources: _a, ...mine } = await tableCounts(join(out, 'decp.duckdb'));
    const { sources: _b, ...theirs } = await tableCounts(join(fresh, 'decp.duckdb'));
    expect(mine).toEqual(theirs);
    expect(lines(join(out, 'ocds/records.jsonl.gz'))).toEqual(lines(join(fresh, 'ocds/records.jsonl.gz')));
    // compressed twice, one of them with bytes after its gzip data (a line break a server appended):
    // the same content, night after night (found by a review)
    const two = tmp();
    mkdirSync(join(two, 'in'));
    writeFileSync(join(two, 'in', 'feed.json'), JSON.stringify(doc));
    const out2 = join(two, 'out');
    const run2 = async (): Promise<void> => expect((await runCli(['run', join(two, 'in'), '--out', out2, '--quiet'])).code).toBe(0);
    await run2();
    const first = readFileSync(join(out2, 'ocds/releases.jsonl.gz'));
    writeFileSync(join(two, 'in', 'a.json.gz'), gzipSync(JSON.stringify(doc)));
    writeFileSync(join(two, 'in', 'b.json.gz'), Buffer.concat([gzipSync(JSON.stringify(doc), { level: 1 }), Buffer.from('\n')]));
    rmSync(join(two, 'in', 'feed.json'));
    await run2();
    expect(runJson(out2).counts).toMatchObject({ filesNew: 2, releasesAdded: 0, releasesRemoved: 0 });
    const second = readFileSync(join(out2, 'ocds/releases.jsonl.gz'));
    expect(first.length).toBeGreaterThan(0);
    for (let night = 0; night < 2; night++) {
      await run2();
      expect(runJson(out2).counts).toMatchObject({ filesUnchanged: 2, read: 0, releasesAdded: 0 });
      expect(readFileSync(join(out2, 'ocds/releases.jsonl.gz')).equals(second)).toBe(true);
    }
    // beside its uncompressed copy, a gzip file is that content, read once: in a rebuild as night after night
    const both = tmp();
    mkdirSync(join(both, 'in'));
    writeFileSync(join(both, 'in', 'feed.json'), JSON.stringify(doc));
    writeFileSync(join(both, 'in', 'feed.json.gz'), gzipSync(JSON.stringify(doc)));
    expect((await runCli(['run', join(both, 'in'), '--out', join(both, 'out'), '--quiet'])).code).toBe(0);
    expect(runJson(join(both, 'out')).counts).toMatchObject({ filesNew: 1, filesUnchanged: 0, filesDuplicate: 1 });
    expect(await query(join(both, 'out', 'decp.duckdb'), 'SELECT count(*)::INTEGER AS n FROM sources')).toEqual([{ n: 1 }]);
  });

  test('a damaged gzip is no copy of another file: one that gives nothing is read and reported unreadable, one damaged after its content is said (found by a robustness probe)', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'in'));
    // an empty file, and a gzip that is only its 10-byte header (its "content" is empty too)
    writeFileSync(join(dir, 'in', 'a-empty.json'), '');
    writeFileSync(join(dir, 'in', 'b-broken.json.gz'), gzipSync(Buffer.alloc(0)).subarray(0, 10));
    const out = join(dir, 'out');
    const r = await runCli(['run', join(dir, 'in'), '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/INGEST_GZIP: corrupt gzip data in \S*b-broken\.json\.gz/);
    expect(r.stderr).not.toMatch(/the same source/);
    expect(runJson(out).counts).toMatchObject({ filesUnreadable: 1, filesUnchanged: 0 });
    // a gzip of a file's content with bytes after it: that content, read once, and its damage said
    const doc = readFileSync(DEMO_2024);
    const two = tmp();
    mkdirSync(join(two, 'in'));
    writeFileSync(join(two, 'in', 'feed.json'), doc);
    writeFileSync(join(two, 'in', 'feed.json.gz'), Buffer.concat([gzipSync(doc), Buffer.from('junk')]));
    const r2 = await runCli(['run', join(two, 'in'), '--out', join(two, 'out')]);
    expect(r2.code).toBe(0);
    expect(r2.stderr).toMatch(/warning: \S*feed\.json\.gz: the content of \S*feed\.json, compressed \(decompressed up to its damage: [^)]*\): the same source, read once/);
    expect(runJson(join(two, 'out')).counts).toMatchObject({ filesNew: 1, filesUnchanged: 0, filesDuplicate: 1 });
  });

  test('a file given twice in a first run is a duplicate of the other input, not a file "already in the store"; the next night both are unchanged (found by a probe)', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'dup'));
    cpSync(DEMO_2024, join(dir, 'dup', 'a.json'));
    cpSync(DEMO_2024, join(dir, 'dup', 'a-copy.json'));
    const out = join(dir, 'out');
    const first = await runCli(['run', join(dir, 'dup'), '--out', out]);
    expect(first.code).toBe(0);
    expect(first.stderr).not.toMatch(/already in the store/);
    expect(first.stderr).toContain(`1 file(s) with the same content as another input of this run, read once (listed in run.json as duplicates): ${join(dir, 'dup', 'a.json')} (${join(dir, 'dup', 'a-copy.json')})`);
    expect(first.stderr).toMatch(/2 file\(s\): 1 with new content, 0 unchanged, 1 duplicate\(s\) of another input \(same content: read once\); /);
    const r = runJson(out);
    expect([r.unchanged, r.duplicates]).toEqual([[], [{ path: join(dir, 'dup', 'a.json'), of: join(dir, 'dup', 'a-copy.json') }]]);
    expect(r.counts).toMatchObject({ files: 2, filesNew: 1, filesUnchanged: 0, filesDuplicate: 1 });
    expect(await query(join(out, 'decp.duckdb'), 'SELECT files_given, files_new, files_unchanged FROM runs')).toEqual([{ files_given: 2, files_new: 1, files_unchanged: 1 }]);
    const second = await runCli(['run', join(dir, 'dup'), '--out', out]);
    expect(second.stderr).toContain('2 file(s) already in the store (same content): skipped');
    expect([runJson(out).unchanged, runJson(out).duplicates]).toEqual([[join(dir, 'dup', 'a-copy.json'), join(dir, 'dup', 'a.json')], []]);
  });

  test('the same records in two files: one release each, both publications linked, nothing counted twice', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'in'));
    cpSync(DEMO_2024, join(dir, 'in', 'platform-a.json'));
    // the same content under another platform's name (one more space: another file hash)
    writeFileSync(join(dir, 'in', 'platform-b.json'), `${readFileSync(DEMO_2024, 'utf8')} `);
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'in'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const r = runJson(out);
    expect(await count(db, 'SELECT count(*) FROM releases')).toBe(r.counts.releases / 2);
    expect(await count(db, 'SELECT count(*) FROM duplicate_publications WHERE files = 2')).toBe(r.counts.releases / 2);
    // the demo file's 3 marchés and 1 concession, once
    expect(await count(db, 'SELECT count(*) FROM contracts')).toBe(4);
  });

  test('a party named two ways, a procedure spelt two ways: the views name them as a run over everything does, whatever the order of the nights (found by an incremental-equals-rebuild probe: the first row stored won a tie)', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'in'));
    // one buyer, one supplier and one procedure, each written one way in each file (a tie of one each)
    const file = (name: string, id: string, buyer: string, supplier: string, procedure: string): void =>
      writeFileSync(join(dir, 'in', name), JSON.stringify({ marches: [marche(id, { acheteur: { id: BUYER, nom: buyer }, procedure, titulaires: [{ typeIdentifiant: 'SIRET', id: '44189140500017', denominationSociale: supplier }] })] }));
    file('a.json', 'M1', 'Commune de Croix (Nord)', 'SARL Dupont & fils', "Appel d'offres ouvert");
    file('b.json', 'M2', 'Commune de Croix', 'SARL Dupont', 'Appel d offres ouvert');
    const views = async (out: string): Promise<unknown> => {
      const db = join(out, 'decp.duckdb');
      return {
        party_names: await query(db, 'SELECT * FROM party_names ORDER BY ALL'),
        contracts_per_buyer: await query(db, 'SELECT buyer_id, buyer_name, year, contracts::INTEGER AS contracts FROM contracts_per_buyer ORDER BY ALL'),
        contracts_per_supplier: await query(db, 'SELECT supplier_id, supplier_name, year, contracts::INTEGER AS contracts FROM contracts_per_supplier ORDER BY ALL'),
        procedures_mix: await query(db, 'SELECT year, procedure, contracts::INTEGER AS contracts FROM procedures_mix ORDER BY ALL'),
      };
    };
    // night by night, b.json first; then one run over both (a.json read first)
    const nightly = join(dir, 'nightly');
    expect((await runCli(['run', join(dir, 'in', 'b.json'), '--out', nightly, '--quiet'])).code).toBe(0);
    expect((await runCli(['run', join(dir, 'in', 'a.json'), join(dir, 'in', 'b.json'), '--out', nightly, '--quiet'])).code).toBe(0);
    const rebuilt = join(dir, 'rebuilt');
    expect((await runCli(['run', join(dir, 'in'), '--out', rebuilt, '--quiet'])).code).toBe(0);
    const seen = await views(rebuilt);
    expect(await views(nightly)).toEqual(seen);
    // a tie goes to the first name in order
    expect(seen).toMatchObject({
      party_names: [{ party_id: `FR-RCS-${BUYER}`, name: 'Commune de Croix' }, { party_id: 'FR-RCS-44189140500017', name: 'SARL Dupont' }],
      contracts_per_buyer: [{ buyer_name: 'Commune de Croix', contracts: 2 }],
      contracts_per_supplier: [{ supplier_name: 'SARL Dupont', contracts: 2 }],
      procedures_mix: [{ procedure: 'Appel d offres ouvert', contracts: 2 }],
    });
  });

  test('one release published the same day in two files: the later input wins whichever night read it, as in a run over everything (found by an incremental-equals-rebuild probe: the file of the later night won)', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'in'));
    // the same contract (same release id), published the same day, its price form corrected in b.json
    const file = (name: string, formePrix: string): void => writeFileSync(join(dir, 'in', name), JSON.stringify({ marches: [marche('M1', { formePrix })] }));
    file('a.json', 'Unitaire');
    file('b.json', 'Forfaitaire');
    const published = async (out: string): Promise<unknown> => ({
      releases: lines(join(out, 'ocds/releases.jsonl.gz')).sort(),
      records: lines(join(out, 'ocds/records.jsonl.gz')).sort(),
      sources: await query(join(out, 'decp.duckdb'), 'SELECT r.release_id, s.path FROM releases r JOIN sources s ON s.sha256 = r.source_sha256 ORDER BY ALL'),
    });
    const rebuilt = join(dir, 'rebuilt');
    expect((await runCli(['run', join(dir, 'in'), '--out', rebuilt, '--quiet'])).code).toBe(0);
    const everything = await published(rebuilt);
    expect(JSON.stringify(everything)).toContain('Forfaitaire');
    expect(JSON.stringify(everything)).not.toContain('Unitaire');
    // b.json the first night, a.json the next (a new file, but the earlier input)
    const nightly = join(dir, 'nightly');
    expect((await runCli(['run', join(dir, 'in', 'b.json'), '--out', nightly, '--quiet'])).code).toBe(0);
    expect((await runCli(['run', join(dir, 'in', 'a.json'), join(dir, 'in', 'b.json'), '--out', nightly, '--quiet'])).code).toBe(0);
    expect(await published(nightly)).toEqual(everything);
    // … and a.json the first night, b.json the next
    const other = join(dir, 'other');
    expect((await runCli(['run', join(dir, 'in', 'a.json'), '--out', other, '--quiet'])).code).toBe(0);
    expect((await runCli(['run', join(dir, 'in'), '--out', other, '--quiet'])).code).toBe(0);
    expect(await published(other)).toEqual(everything);
  });
});

describe('one record published twice', () => {
  test('a file republished without a record it shared with another feed: the other feed\'s copy takes over, content and provenance, as a rebuild gives', async () => {
    const dir = tmp();
    const doc = JSON.parse(readFileSync(DEMO_2024, 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } };
    const [first, shared] = doc.marches.marche as [Record<string, unknown>, Record<string, unknown>];
    mkdirSync(join(dir, 'in'));
    const put = (name: string, marches: object[]): void => writeFileSync(join(dir, 'in', name), JSON.stringify({ marches: { marche: marches } }));
    // the same record in two feeds, one field apart that is not part of its release id (the offers
    // received); the feed whose name sorts last wins the tie
    put('b-feed.json', [{ ...shared, offresRecues: 5 }]);
    put('z-feed.json', [first, { ...shared, offresRecues: 3 }]);
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'in'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const sharedState = async (o: string): Promise<unknown> =>
      query(join(o, 'decp.duckdb'), `SELECT s.path AS file, c.bids FROM contracts c JOIN sources s ON s.sha256 = c.source_sha256 WHERE c.title = ${JSON.stringify(shared['objet']).replace(/^"|"$/g, "'")}`);
    expect(await sharedState(out)).toEqual([{ file: join(dir, 'in', 'z-feed.json'), bids: 3 }]);
    // z-feed republished without it: b-feed's copy is now the only one, read again
    put('z-feed.json', [first]);
    const r = await runCli(['run', join(dir, 'in'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 unchanged file\(s\) read again: they share releases with a replaced version \(.*b-feed\.json\)/);
    expect(runJson(out).counts).toMatchObject({ files: 2, filesNew: 1, filesUnchanged: 1, filesReread: 1, filesReplaced: 1 });
    expect(await sharedState(out)).toEqual([{ file: join(dir, 'in', 'b-feed.json'), bids: 5 }]);
    // the same as a run over the files as they are now
    const rebuilt = join(dir, 'rebuilt');
    expect((await runCli(['run', join(dir, 'in'), '--out', rebuilt, '--quiet'])).code).toBe(0);
    const releasesOf = (o: string): string[] => lines(join(o, 'ocds/releases.jsonl.gz')).sort();
    expect(releasesOf(out)).toEqual(releasesOf(rebuilt));
    // (the store remembers the replaced version too: one more row in sources, status replaced)
    expect({ ...(await tableCounts(db)), sources: await count(db, "SELECT count(*) FROM sources WHERE status = 'current'") }).toEqual(await tableCounts(join(rebuilt, 'decp.duckdb')));
    expect(await query(db, 'SELECT source_sha256, count(*)::INTEGER AS n FROM release_sources GROUP BY 1 ORDER BY 1')).toEqual(await query(join(rebuilt, 'decp.duckdb'), 'SELECT source_sha256, count(*)::INTEGER AS n FROM release_sources GROUP BY 1 ORDER BY 1'));
    // a third run over the same files reads nothing again
    const again = await runCli(['run', join(dir, 'in'), '--out', out, '--quiet']);
    expect(again.code).toBe(0);
    expect(runJson(out).counts).toMatchObject({ filesNew: 0, filesUnchanged: 2, filesReread: 0 });
    // a sharing feed given under two names is read again once (it was read twice, and the run failed)
    cpSync(join(dir, 'in', 'b-feed.json'), join(dir, 'in', 'b-feed-copy.json'));
    put('z-feed.json', [first, { ...shared, offresRecues: 3 }]);
    expect((await runCli(['run', join(dir, 'in'), '--out', out, '--quiet'])).code).toBe(0);
    put('z-feed.json', [first]);
    const twice = await runCli(['run', join(dir, 'in'), '--out', out, '--quiet']);
    expect(twice.code).toBe(0);
    expect(runJson(out).counts).toMatchObject({ filesReread: 1 });
    expect(await sharedState(out)).toEqual([{ file: expect.stringMatching(/b-feed(-copy)?\.json$/), bids: 5 }]);
    rmSync(join(dir, 'in', 'b-feed-copy.json'));
    // a feed not given to the run cannot be read again: said
    put('z-feed.json', [first, { ...shared, offresRecues: 4 }]);
    const only = join(dir, 'only');
    expect((await runCli(['run', join(dir, 'in'), '--out', only, '--quiet'])).code).toBe(0);
    put('z-feed.json', [first]);
    const alone = await runCli(['run', join(dir, 'in', 'z-feed.json'), '--out', only]);
    expect(alone.stderr).toMatch(/2 release\(s\) of a replaced version are also in 1 file\(s\) not given to this run \(.*b-feed\.json\)/);
  });

  test('a file read again keeps its place: it does not take back a release from a file read after it (same publication)', async () => {
    const dir = tmp();
    const doc = JSON.parse(readFileSync(DEMO_2024, 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } };
    const [first, second, q] = doc.marches.marche as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
    mkdirSync(join(dir, 'in'));
    const put = (name: string, marches: object[]): void => writeFileSync(join(dir, 'in', name), JSON.stringify({ marches: { marche: marches } }));
    const out = join(dir, 'out');
    const bidsOf = async (o: string): Promise<unknown> =>
      query(join(o, 'decp.duckdb'), `SELECT s.path AS file, c.bids FROM contracts c JOIN sources s ON s.sha256 = c.source_sha256 WHERE c.title = ${JSON.stringify(q['objet']).replace(/^"|"$/g, "'")}`);
    // night 1: r-feed shares a record with p-feed; night 2: x-feed publishes r-feed's other record
    // again (same publication date, other number of offers): read last, it wins
    put('p-feed.json', [first]);
    put('r-feed.json', [{ ...q, offresRecues: 1 }, first]);
    expect((await runCli(['run', join(dir, 'in'), '--out', out, '--quiet'])).code).toBe(0);
    put('x-feed.json', [{ ...q, offresRecues: 2 }]);
    expect((await runCli(['run', join(dir, 'in'), '--out', out, '--quiet'])).code).toBe(0);
    expect(await bidsOf(out)).toEqual([{ file: join(dir, 'in', 'x-feed.json'), bids: 2 }]);
    // night 3: p-feed corrected, r-feed read again (it shared a release with p-feed's earlier version):
    // it keeps its place among the sources, before x-feed (it took the release back)
    put('p-feed.json', [second]);
    expect((await runCli(['run', join(dir, 'in'), '--out', out, '--quiet'])).code).toBe(0);
    expect(runJson(out).counts).toMatchObject({ filesReread: 1, filesReplaced: 1 });
    expect(await bidsOf(out)).toEqual([{ file: join(dir, 'in', 'x-feed.json'), bids: 2 }]);
    // as a run over the files as they are now gives
    const rebuilt = join(dir, 'rebuilt');
    expect((await runCli(['run', join(dir, 'in'), '--out', rebuilt, '--quiet'])).code).toBe(0);
    for (const f of ['releases', 'records']) expect(lines(join(out, `ocds/${f}.jsonl.gz`)).sort()).toEqual(lines(join(rebuilt, `ocds/${f}.jsonl.gz`)).sort());
  });

  test('the later publication wins (a record republished with one more modification), whatever the files are called or when they come', async () => {
    const dir = tmp();
    const doc = JSON.parse(readFileSync(DEMO_2024, 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } };
    const newer: Record<string, unknown> = { ...doc.marches.marche.find((m) => Array.isArray(m['modifications']))!, offresRecues: 5 };
    const older: Record<string, unknown> = { ...newer, offresRecues: 2 };
    delete older['modifications'];
    const put = (name: string, m: Record<string, unknown>): string => {
      const f = join(dir, 'in', name);
      mkdirSync(join(dir, 'in'), { recursive: true });
      writeFileSync(f, JSON.stringify({ marches: { marche: [m] } }));
      return f;
    };
    // the older publication's file sorts last (as the samples' "…-early.json" after "…-daily-20.json")
    const a = put('a-daily.json', newer);
    const z = put('z-early.json', older);
    const initialOf = async (out: string): Promise<string[]> => {
      const rows = await query<{ file: string }>(join(out, 'decp.duckdb'), "SELECT s.path AS file FROM releases r JOIN sources s ON s.sha256 = r.source_sha256 WHERE r.release_id LIKE '%-v0'");
      return rows.map((r) => r.file.split('/').pop()!);
    };
    const both = join(dir, 'both');
    expect((await runCli(['run', join(dir, 'in'), '--out', both, '--quiet'])).code).toBe(0);
    expect(await initialOf(both)).toEqual(['a-daily.json']);
    const [rec] = lines(join(both, 'ocds/records.jsonl.gz')).map((l) => JSON.parse(l) as { releases: unknown[] });
    expect(rec!.releases).toHaveLength(2);
    // the older publication read later, in another run: the store keeps the newer
    const later = join(dir, 'later');
    expect((await runCli(['run', a, '--out', later, '--quiet'])).code).toBe(0);
    expect((await runCli(['run', a, z, '--out', later, '--quiet'])).code).toBe(0);
    expect(await initialOf(later)).toEqual(['a-daily.json']);
    for (const f of ['releases', 'records']) expect(lines(join(later, `ocds/${f}.jsonl.gz`))).toEqual(lines(join(both, `ocds/${f}.jsonl.gz`)));
    // and in the other order on the command line, the same
    const reversed = join(dir, 'reversed');
    expect((await runCli(['run', z, a, '--out', reversed, '--quiet'])).code).toBe(0);
    for (const f of ['releases', 'records']) expect(lines(join(reversed, `ocds/${f}.jsonl.gz`))).toEqual(lines(join(both, `ocds/${f}.jsonl.gz`)));
  });

  test('a record republished with a modification older than the earlier publication is the later publication: its initial release was dated back to its notification, yet it wins (found by a probe: the amounts were swapped and amendment flags missed)', async () => {
    const dir = tmp();
    const base = { id: '2021-SWAP-02', acheteur: { id: '26000000500017' }, nature: 'Marché', objet: 'Entretien des espaces verts', codeCPV: '77310000', procedure: 'Procédure adaptée', lieuExecution: { code: '75001', typeCode: 'Code postal' }, dureeMois: 12, dateNotification: '2021-01-10', montant: 100000, formePrix: 'Forfaitaire', offresRecues: 3, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '40000000600017' } }] };
    const older = { ...base, datePublicationDonnees: '2024-07-15' };
    const newer = { ...base, datePublicationDonnees: '2024-07-18', modifications: [{ modification: { id: 1, dateNotificationModification: '2024-02-20', datePublicationDonneesModification: '2024-03-01', montant: 160000 } }] };
    mkdirSync(join(dir, 'in'), { recursive: true });
    const d15 = join(dir, 'in', 'day15.json');
    const d18 = join(dir, 'in', 'day18.json');
    writeFileSync(d15, JSON.stringify({ marches: { marche: [older] } }));
    writeFileSync(d18, JSON.stringify({ marches: { marche: [newer] } }));
    const check = async (out: string): Promise<void> => {
      const [c] = await query<{ initial_amount: number; amount: number }>(join(out, 'decp.duckdb'), 'SELECT initial_amount::DOUBLE AS initial_amount, amount::DOUBLE AS amount FROM contracts');
      expect(c).toEqual({ initial_amount: 100000, amount: 160000 });
      const flags = await query<{ code: string }>(join(out, 'decp.duckdb'), 'SELECT code FROM red_flags ORDER BY code');
      expect(flags.map((f) => f.code)).toEqual(expect.arrayContaining(['AMENDMENT_OVER_HALF', 'AMENDMENT_OVER_SAFE_HARBOUR']));
      const [rec] = lines(join(out, 'ocds/records.jsonl.gz')).map((l) => JSON.parse(l) as { compiledRelease: { contracts: Array<{ value: { amount: number } }> } });
      expect(rec!.compiledRelease.contracts[0]!.value.amount).toBe(160000);
    };
    const one = join(dir, 'one');
    expect((await runCli(['run', d15, d18, '--out', one, '--quiet'])).code).toBe(0);
    await check(one);
    const two = join(dir, 'two');
    expect((await runCli(['run', d15, '--out', two, '--quiet'])).code).toBe(0);
    expect((await runCli(['run', d15, d18, '--out', two, '--quiet'])).code).toBe(0);
    await check(two);
    // compile of convert's output says the same
    const conv = await runCli(['convert', d15, d18]);
    writeFileSync(join(dir, 'rel.jsonl'), conv.stdout);
    const comp = await runCli(['compile', join(dir, 'rel.jsonl'), '--quiet']);
    const [compiled] = comp.stdout.trim().split('\n').map((l) => JSON.parse(l) as { compiledRelease: { contracts: Array<{ value: { amount: number } }> } });
    expect(compiled!.compiledRelease.contracts[0]!.value.amount).toBe(160000);
  });

  test('a date the run gave a record without any is no publication; an undated release loses to a dated one in a later run too', async () => {
    const dir = tmp();
    const doc = JSON.parse(readFileSync(DEMO_2024, 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } };
    const base: Record<string, unknown> = { ...doc.marches.marche.find((m) => m['id'] === 'AC2024-05')! };
    delete base['dateNotification'];
    delete base['modifications'];
    const undated: Record<string, unknown> = { ...base, offresRecues: 7 };
    delete undated['datePublicationDonnees'];
    const daily = { ...base, offresRecues: 3, datePublicationDonnees: '2024-07-01', modifications: [{ modification: { id: 1, montant: 90000, dateNotificationModification: '2024-07-15', datePublicationDonneesModification: '2024-07-20' } }] };
    mkdirSync(join(dir, 'in'), { recursive: true });
    writeFileSync(join(dir, 'in', 'a-early.json'), JSON.stringify({ marches: { marche: [undated] } }));
    writeFileSync(join(dir, 'in', 'b-daily.json'), JSON.stringify({ marches: { marche: [daily] } }));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'in', 'b-daily.json'), join(dir, 'in', 'a-early.json'), '--out', out, '--quiet', '--run-date', '2026-01-01T00:00:00Z'])).code).toBe(0);
    const winner = await query<{ file: string }>(join(out, 'decp.duckdb'), "SELECT s.path AS file FROM releases r JOIN sources s ON s.sha256 = r.source_sha256 WHERE r.release_id LIKE '%-v0'");
    expect(winner.map((w) => w.file.split('/').pop())).toEqual(['b-daily.json']);
    const [rec] = lines(join(out, 'ocds/records.jsonl.gz')).map((l) => JSON.parse(l) as { compiledRelease: { contracts: Array<{ value: { amount: number } }> } });
    expect(rec!.compiledRelease.contracts[0]!.value.amount).toBe(90000);
    // OCDS releases: a dated one read first, an undated copy read in a later run
    const rel = (date: string | undefined, title: string): string => `${JSON.stringify({ ocid: 'ocds-abc123-1', id: 'r1', ...(date ? { date } : {}), tag: ['tender'], tender: { id: 't', title } })}\n`;
    writeFileSync(join(dir, 'p1.jsonl'), rel('2024-07-20T00:00:00Z', 'dated'));
    writeFileSync(join(dir, 'p2.jsonl'), rel(undefined, 'undated'));
    const titleOf = (o: string): string => (JSON.parse(lines(join(o, 'ocds/records.jsonl.gz'))[0]!) as { compiledRelease: { tender: { title: string } } }).compiledRelease.tender.title;
    const once = join(dir, 'once');
    expect((await runCli(['run', join(dir, 'p1.jsonl'), join(dir, 'p2.jsonl'), '--out', once, '--quiet'])).code).toBe(0);
    expect(titleOf(once)).toBe('dated');
    const twice = join(dir, 'twice');
    expect((await runCli(['run', join(dir, 'p1.jsonl'), '--out', twice, '--quiet'])).code).toBe(0);
    expect((await runCli(['run', join(dir, 'p1.jsonl'), join(dir, 'p2.jsonl'), '--out', twice, '--quiet'])).code).toBe(0);
    expect(titleOf(twice)).toBe('dated');
  });
});

describe("partners' data", () => {
  test("a partner's contract keeps its suppliers merged by id (OCDS 1.1): x_decp's rule is DECP's", async () => {
    const dir = tmp();
    const rel = (id: string, date: string, suppliers: string[]): object => ({
      ocid: 'ocds-x-1', id, date, tag: ['contract'], parties: suppliers.map((s) => ({ id: s, name: s, roles: ['supplier'] })),
      contracts: [{ id: 'c1', awardID: 'a1', suppliers: suppliers.map((s) => ({ id: s, name: s })) }],
    });
    writeFileSync(join(dir, 'partner.jsonl'), `${JSON.stringify(rel('1', '2020-01-01T00:00:00Z', ['s1', 's2']))}\n${JSON.stringify(rel('2', '2020-02-01T00:00:00Z', ['s2']))}\n`);
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'partner.jsonl'), '--out', out, '--quiet'])).code).toBe(0);
    expect(await query(join(out, 'decp.duckdb'), 'SELECT party_id FROM contract_suppliers ORDER BY party_id')).toEqual([{ party_id: 's1' }, { party_id: 's2' }]);
  });

  test("a partner's contract in its currency is never added to euros in the views; its own registered ocid prefix is not an error", async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    expect((await runCli(['run', DEMO_2024, join(SHARED, 'partners/paraguay-dncp/release-package_1.1-2.json'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, "SELECT DISTINCT currency FROM contracts ORDER BY currency")).toEqual([{ currency: 'EUR' }, { currency: 'PYG' }]);
    for (const [view, amount] of [['contracts_per_buyer', 'amount'], ['contracts_per_supplier', 'amount_shared'], ['contracts_per_cpv', 'amount'], ['procedures_mix', 'amount']] as const) {
      // each row's amount is in one currency: per currency, the view sums what the contracts hold
      const rows = await query<{ currency: string; total: number }>(db, `SELECT currency, round(sum(${amount}))::DOUBLE AS total FROM ${view} GROUP BY currency ORDER BY currency`);
      const want = await query<{ currency: string; total: number }>(db, `SELECT currency, round(sum(amount))::DOUBLE AS total FROM contracts WHERE duplicate_of IS NULL${view === 'contracts_per_supplier' ? ' AND suppliers > 0' : ''} GROUP BY currency ORDER BY currency`);
      expect(rows).toEqual(want);
    }
    expect(await count(db, "SELECT count(*) FROM validation_errors WHERE rule = 'check.ocid-prefix'")).toBe(0);
  });

  test("a partner's CPV with its check digit (Prozorro's 15860000-4) is the 8-digit code the views group by", async () => {
    const out = join(tmp(), 'out');
    expect((await runCli(['run', join(SHARED, 'partners/ukraine-prozorro'), '--out', out, '--quiet'])).code).toBe(0);
    const cpvs = await query<{ cpv: string }>(join(out, 'decp.duckdb'), 'SELECT DISTINCT cpv FROM contracts WHERE cpv IS NOT NULL');
    expect(cpvs.length).toBeGreaterThan(0);
    for (const c of cpvs) expect(c.cpv).toMatch(/^\d{8}$/);
  });

  test('a record package of linked releases with a compiledRelease (DNCP, CDMX): the compiled release is the ocid\'s one release, its state in the tables, its missing history said', async () => {
    const dir = tmp();
    const compiled = {
      ocid: 'ocds-abc123-1', id: 'ocds-abc123-1-2020-06-01T00:00:00Z', date: '2020-06-01T00:00:00Z', tag: ['compiled'], initiationType: 'tender',
      buyer: { name: 'Ministerio' },
      tender: { id: 't1', procurementMethod: 'open' },
      awards: [{ id: 'a1', date: '2019-02-01T00:00:00Z', value: { amount: 100, currency: 'USD' }, suppliers: [{ name: 'Proveedor SA', identifier: { scheme: 'PY-RUC', id: '8001' } }], contractPeriod: { durationInDays: 90 } }],
      contracts: [{ id: 'c1', awardID: 'a1', dateSigned: '2019-03-01T00:00:00Z', value: { amount: 150, currency: 'USD' }, period: { durationInDays: 120 }, amendments: [{ id: 'm1', date: '2019-05-01T00:00:00Z', description: 'más' }, { id: 'm2', date: '2019-06-01T00:00:00Z', description: 'más aún' }] }],
    };
    const link = (tag: string, date: string): object => ({ url: `https://example.org/${tag}.json`, date, tag: [tag] });
    writeFileSync(join(dir, 'records.json'), JSON.stringify({
      uri: 'https://example.org/records.json', publishedDate: '2020-06-01T00:00:00Z', publisher: { name: 'X' }, version: '1.1',
      records: [
        { ocid: 'ocds-abc123-1', releases: [link('tender', '2019-01-01T00:00:00Z'), link('award', '2019-02-01T00:00:00Z')], compiledRelease: compiled },
        { ocid: 'ocds-abc123-2', releases: [link('tender', '2019-01-01T00:00:00Z')], versionedRelease: { ocid: 'ocds-abc123-2' } },
      ],
    }));
    const out = join(dir, 'out');
    const r = await runCli(['run', join(dir, 'records.json'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 OCDS record\(s\) of the files read have no embedded releases/);
    expect(runJson(out).counts).toMatchObject({ read: 2, converted: 1, rejected: 1 });
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT ocid, release_id, tag FROM releases')).toEqual([{ ocid: 'ocds-abc123-1', release_id: 'ocds-abc123-1-2020-06-01T00:00:00Z', tag: 'compiled' }]);
    expect(await query(db, 'SELECT code, reason FROM rejects')).toEqual([{ code: 'TRANSFORM_UNSUPPORTED_RECORD', reason: expect.stringMatching(/with a versionedRelease and no compiledRelease/) }]);
    // (OCDS 1.1 without parties: built from the references, the buyer by its name)
    expect(await query(db, 'SELECT party_id, roles FROM parties ORDER BY party_id')).toEqual([{ party_id: 'Ministerio', roles: 'buyer' }, { party_id: 'PY-RUC-8001', roles: 'supplier' }]);
    expect(await query(db, 'SELECT award_id, amount::DOUBLE AS amount, currency, suppliers::INTEGER AS suppliers FROM awards')).toEqual([{ award_id: 'a1', amount: 100, currency: 'USD', suppliers: 1 }]);
    // the current value is the compiled one; the value at award the award's (the contract's first
    // publication was not read), and when it was published is unknown (not the compilation's date)
    expect(await query(db, 'SELECT contract_id, buyer_id, amount::DOUBLE AS amount, initial_amount::DOUBLE AS initial_amount, duration_days::INTEGER AS d, initial_duration_days::INTEGER AS d0, amendments::INTEGER AS amendments, date_published, publication_delay_days FROM contracts')).toEqual([
      { contract_id: 'c1', buyer_id: 'Ministerio', amount: 150, initial_amount: 100, d: 120, d0: 90, amendments: 2, date_published: null, publication_delay_days: null },
    ]);
    // each amendment dated, what it left unknown (the compiled contract holds the last state only)
    expect(await query(db, 'SELECT amendment_id, position::INTEGER AS position, amount, duration_days FROM amendments ORDER BY position')).toEqual([
      { amendment_id: 'm1', position: 1, amount: null, duration_days: null },
      { amendment_id: 'm2', position: 2, amount: null, duration_days: null },
    ]);
    expect(await query(db, "SELECT release_id, severity, pointer FROM validation_errors WHERE rule = 'check.compiled-release'")).toEqual([{ release_id: 'ocds-abc123-1-2020-06-01T00:00:00Z', severity: 'warning', pointer: '/tag' }]);
    // compile of the published releases gives the published records
    const compiledOut = join(dir, 'records.jsonl');
    expect((await runCli(['compile', join(out, 'ocds/releases.jsonl.gz'), '-o', compiledOut, '--quiet'])).code).toBe(0);
    expect(readFileSync(compiledOut, 'utf8').split('\n').filter(Boolean).sort()).toEqual(lines(join(out, 'ocds/records.jsonl.gz')).sort());
  });

  // a compiledRelease tagged ["award"] passed for a release of the history: the contract's value at
  // award and its publication date were the compiled ones, the amendment's value the last one
  test('a compiledRelease whose tag is not ["compiled"] is stored as the compiled release it is (no history read from it)', async () => {
    const dir = tmp();
    const compiled = {
      ocid: 'ocds-abc123-1', id: 'c1', date: '2020-06-01T00:00:00Z', tag: ['award'], initiationType: 'tender',
      awards: [{ id: 'a1', status: 'active', value: { amount: 100, currency: 'EUR' } }],
      contracts: [{ id: 'k1', awardID: 'a1', value: { amount: 150, currency: 'EUR' }, amendments: [{ id: 'm1', date: '2020-05-01T00:00:00Z', description: 'x' }] }],
    };
    writeFileSync(join(dir, 'records.json'), JSON.stringify({ uri: 'https://example.org/r.json', publishedDate: '2020-06-01T00:00:00Z', version: '1.1', records: [{ ocid: 'ocds-abc123-1', releases: [{ url: 'https://example.org/1.json', date: '2020-01-01T00:00:00Z', tag: ['tender'] }], compiledRelease: compiled }] }));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'records.json'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT release_id, tag FROM releases')).toEqual([{ release_id: 'c1', tag: 'compiled' }]);
    expect(await query(db, 'SELECT amount::DOUBLE AS amount, initial_amount::DOUBLE AS initial_amount, date_published FROM contracts')).toEqual([{ amount: 150, initial_amount: 100, date_published: null }]);
    expect(await query(db, 'SELECT amount FROM amendments')).toEqual([{ amount: null }]);
    expect(await query(db, "SELECT ocid, severity FROM validation_errors WHERE rule = 'check.compiled-release'")).toEqual([{ ocid: 'ocds-abc123-1', severity: 'warning' }]);
  });

  // some publishers' bulk files hold an ocid's releases and its compiled release side by side: merged
  // as one more release it was counted (3 releases for 2) and, dated as the latest, came between the
  // releases of its date
  test('a compiled release given beside releases of its ocid is left out of the merge and of the record, said and counted (compile and run)', async () => {
    const dir = tmp();
    const release = (id: string, date: string, tag: string, more: object = {}): object => ({ ocid: 'ocds-abc123-9', id, date, tag: [tag], initiationType: 'tender', ...more });
    const award = { awards: [{ id: 'a1', status: 'active', value: { amount: 100, currency: 'EUR' } }] };
    const file = join(dir, 'bulk.jsonl');
    writeFileSync(file, [
      release('r1', '2020-01-01T00:00:00Z', 'tender', { tender: { id: 't1', title: 'Roads' } }),
      release('ocds-abc123-9-2020-03-01T00:00:00Z', '2020-03-01T00:00:00Z', 'compiled', { tender: { id: 't1', title: 'Roads' }, ...award }),
      release('r2', '2020-03-01T00:00:00Z', 'award', award),
      // an ocid with its compiled release only keeps it (an OCDS record whose releases are linked)
      { ocid: 'ocds-abc123-8', id: 'c8', date: '2020-03-01T00:00:00Z', tag: ['compiled'], initiationType: 'tender' },
    ].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const k = await runCli(['compile', file, '-o', join(dir, 'records.jsonl'), '--warnings', join(dir, 'warnings.jsonl')]);
    expect(k.code).toBe(0);
    const records = readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { ocid: string; releases: Array<{ id: string }> });
    expect(records.map((r) => [r.ocid, r.releases.map((x) => x.id)])).toEqual([['ocds-abc123-8', ['c8']], ['ocds-abc123-9', ['r1', 'r2']]]);
    const warned = readFileSync(join(dir, 'warnings.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(warned.map((w) => [w['code'], w['ocid'], w['releaseId']])).toEqual([['MERGE_COMPILED_RELEASE', 'ocds-abc123-9', 'ocds-abc123-9-2020-03-01T00:00:00Z']]);
    expect(k.stderr).toMatch(/4 releases \(1 of them compiled releases given beside releases of their ocid: left out of its record, MERGE_COMPILED_RELEASE\) compiled into 2 records; 1 merge warnings; 4 input records read, 0 rejected/);
    // run: the record lists and merges the two releases; the compiled one stays a release read (the
    // store's, ocds/releases.jsonl.gz's), said in validation_errors and counted in merge_warnings
    const out = join(dir, 'out');
    expect((await runCli(['run', file, '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT ocid, releases::INTEGER AS releases, merge_warnings::INTEGER AS w FROM records ORDER BY ocid')).toEqual([{ ocid: 'ocds-abc123-8', releases: 1, w: 0 }, { ocid: 'ocds-abc123-9', releases: 2, w: 1 }]);
    expect(await query(db, "SELECT ocid, release_id, severity FROM validation_errors WHERE rule = 'check.compiled-release-beside'")).toEqual([{ ocid: 'ocds-abc123-9', release_id: 'ocds-abc123-9-2020-03-01T00:00:00Z', severity: 'warning' }]);
    expect(runJson(out).counts).toMatchObject({ read: 4, converted: 4, rejected: 0, releases: 4 });
    expect(lines(join(out, 'ocds/releases.jsonl.gz'))).toHaveLength(4);
    const published = lines(join(out, 'ocds/records.jsonl.gz'));
    expect(published.map((l) => JSON.parse(l) as { releases: Array<{ id: string }> }).map((r) => r.releases.map((x) => x.id))).toEqual([['c8'], ['r1', 'r2']]);
    // compile of the published releases gives the published records
    expect((await runCli(['compile', join(out, 'ocds/releases.jsonl.gz'), '-o', join(dir, 'again.jsonl'), '--quiet'])).code).toBe(0);
    expect(readFileSync(join(dir, 'again.jsonl'), 'utf8').split('\n').filter(Boolean).sort()).toEqual(published.sort());
  });

  // a record package whose releases are linked (DNCP, Mexico City) gives a process's compiledRelease one
  // night, its next release a later night: the compiled release was left out as one beside its releases,
  // and the record kept the later release only (found by a probe: no award, no supplier)
  test('a compiled release dated before every other release of its ocid is the state they start from, on a later night too: merged first, said (compile and run)', async () => {
    const dir = tmp();
    const snapshot = { ocid: 'ocds-abc123-5', id: 'ocds-abc123-5-2020-01-01T00:00:00Z', date: '2020-01-01T00:00:00Z', tag: ['compiled'], initiationType: 'tender', awards: [{ id: 'a1', status: 'active', value: { amount: 100, currency: 'EUR' }, suppliers: [{ id: 'S1', name: 'One' }, { id: 'S2', name: 'Two' }] }] };
    const day1 = join(dir, 'day1.json');
    writeFileSync(day1, JSON.stringify({ uri: 'https://example.org/rp/1', version: '1.1', publishedDate: '2020-01-01T00:00:00Z', publisher: { name: 'P' }, records: [{ ocid: 'ocds-abc123-5', releases: [{ url: 'https://example.org/r/1', date: '2020-01-01T00:00:00Z', tag: ['award'] }], compiledRelease: snapshot }] }));
    const day3 = join(dir, 'day3.jsonl');
    writeFileSync(day3, `${JSON.stringify({ ocid: 'ocds-abc123-5', id: 'r3', date: '2020-03-01T00:00:00Z', tag: ['contract'], initiationType: 'tender', contracts: [{ id: 'c1', awardID: 'a1', status: 'active', value: { amount: 90, currency: 'EUR' } }] })}\n`);
    const out = join(dir, 'out');
    expect((await runCli(['run', day1, '--out', out, '--quiet'])).code).toBe(0);
    expect((await runCli(['run', day1, day3, '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT ocid, releases::INTEGER AS releases, merge_warnings::INTEGER AS w FROM records')).toEqual([{ ocid: 'ocds-abc123-5', releases: 2, w: 1 }]);
    expect(await query(db, 'SELECT award_id, party_id FROM award_suppliers ORDER BY party_id')).toEqual([{ award_id: 'a1', party_id: 'S1' }, { award_id: 'a1', party_id: 'S2' }]);
    expect(await query(db, "SELECT release_id, rule, severity FROM validation_errors WHERE rule LIKE 'check.compiled-release-%'")).toEqual([{ release_id: 'ocds-abc123-5-2020-01-01T00:00:00Z', rule: 'check.compiled-release-base', severity: 'warning' }]);
    const published = lines(join(out, 'ocds/records.jsonl.gz'));
    const record = JSON.parse(published[0]!) as { releases: Array<{ id: string }>; compiledRelease: Record<string, unknown> };
    expect(record.releases.map((x) => x.id)).toEqual(['ocds-abc123-5-2020-01-01T00:00:00Z', 'r3']);
    expect(record.compiledRelease).toMatchObject({ awards: snapshot.awards, contracts: [{ id: 'c1', awardID: 'a1' }] });
    // compile of the published releases gives the published records, and says the same
    const k = await runCli(['compile', join(out, 'ocds/releases.jsonl.gz'), '-o', join(dir, 'again.jsonl'), '--warnings', join(dir, 'warnings.jsonl')]);
    expect(k.code).toBe(0);
    expect(readFileSync(join(dir, 'again.jsonl'), 'utf8').split('\n').filter(Boolean)).toEqual(published);
    expect(readFileSync(join(dir, 'warnings.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as Record<string, unknown>)['code'])).toEqual(['MERGE_COMPILED_BASE']);
  });

  // two nights' record packages of one process, its releases linked: their compiled releases were merged
  // by identifier as if they were changes, and a supplier the later one removed came back (found by a probe)
  test('of two nights\' compiled releases of one ocid the later is the state: the earlier left out of the record, said (compile and run)', async () => {
    const dir = tmp();
    const day = (n: number, date: string, suppliers: string[]): string => {
      const file = join(dir, `day${n}.json`);
      const compiledRelease = { ocid: 'ocds-abc123-4', id: `ocds-abc123-4-${date}`, date, tag: ['compiled'], initiationType: 'tender', awards: [{ id: 'a1', status: 'active', suppliers: suppliers.map((id) => ({ id, name: id })) }] };
      writeFileSync(file, JSON.stringify({ uri: `https://example.org/rp/${n}`, version: '1.1', publishedDate: date, publisher: { name: 'P' }, records: [{ ocid: 'ocds-abc123-4', releases: [{ url: 'https://example.org/r/1', date: '2020-01-01T00:00:00Z', tag: ['award'] }], compiledRelease }] }));
      return file;
    };
    const [day1, day2] = [day(1, '2020-01-01T00:00:00Z', ['S1', 'S2']), day(2, '2020-02-01T00:00:00Z', ['S1'])];
    const out = join(dir, 'out');
    expect((await runCli(['run', day1, '--out', out, '--quiet'])).code).toBe(0);
    expect((await runCli(['run', day1, day2, '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT releases::INTEGER AS releases, merge_warnings::INTEGER AS w FROM records')).toEqual([{ releases: 1, w: 1 }]);
    expect(await query(db, 'SELECT party_id FROM award_suppliers')).toEqual([{ party_id: 'S1' }]);
    expect(await query(db, "SELECT release_id, rule FROM validation_errors WHERE rule LIKE 'check.compiled-release-%'")).toEqual([{ release_id: 'ocds-abc123-4-2020-01-01T00:00:00Z', rule: 'check.compiled-release-beside' }]);
    const published = lines(join(out, 'ocds/records.jsonl.gz'));
    expect((JSON.parse(published[0]!) as { releases: Array<{ id: string }> }).releases.map((x) => x.id)).toEqual(['ocds-abc123-4-2020-02-01T00:00:00Z']);
    expect(lines(join(out, 'ocds/releases.jsonl.gz'))).toHaveLength(2);
    // compile of the published releases gives the published records
    expect((await runCli(['compile', join(out, 'ocds/releases.jsonl.gz'), '-o', join(dir, 'again.jsonl'), '--quiet'])).code).toBe(0);
    expect(readFileSync(join(dir, 'again.jsonl'), 'utf8').split('\n').filter(Boolean)).toEqual(published);
  });

  test('dates without a zone (2019-03-01T10:00:00), or without a time (2024-01-09), are read as UTC in every table, records\' too, as releases.date; validation still reports them', async () => {
    const dir = tmp();
    const release = {
      ocid: 'ocds-abc123-9', id: 'r1', date: '2019-03-05T00:00:00', tag: ['award', 'contract'], initiationType: 'tender',
      awards: [{ id: 'a1', date: '2019-03-01T10:00:00', value: { amount: 10, currency: 'COP' } }],
      contracts: [{ id: 'c1', awardID: 'a1', dateSigned: '2019-03-02T09:30:00', value: { amount: 10, currency: 'COP' } }],
    };
    writeFileSync(join(dir, 'naive.jsonl'), `${JSON.stringify(release)}\n`);
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'naive.jsonl'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const iso = "strftime(timezone('UTC', %s), '%Y-%m-%dT%H:%M:%S')";
    expect(await query(db, `SELECT ${iso.replace('%s', 'date')} AS d, year FROM releases`)).toEqual([{ d: '2019-03-05T00:00:00', year: 2019 }]);
    expect(await query(db, `SELECT ${iso.replace('%s', 'date')} AS d, year FROM awards`)).toEqual([{ d: '2019-03-01T10:00:00', year: 2019 }]);
    expect(await query(db, `SELECT ${iso.replace('%s', 'date_signed')} AS d, ${iso.replace('%s', 'date_published')} AS p, publication_delay_days::INTEGER AS delay, year FROM contracts`)).toEqual([{ d: '2019-03-02T09:30:00', p: '2019-03-05T00:00:00', delay: 3, year: 2019 }]);
    // (OCDS dates carry their offset: each is still a schema error)
    expect(await query(db, "SELECT pointer FROM validation_errors WHERE rule LIKE 'schema.format%' ORDER BY pointer")).toEqual([{ pointer: '/awards/0/date' }, { pointer: '/contracts/0/dateSigned' }, { pointer: '/date' }]);
    // a date without a time (2024-01-09) is that day at 00:00 UTC in every table, records' too
    const plain = {
      ocid: 'ocds-abc123-5', id: 'c1', date: '2024-01-10', tag: ['contract'], initiationType: 'tender',
      awards: [{ id: 'a1', status: 'active', date: '2024-01-05' }],
      contracts: [{ id: 'k1', awardID: 'a1', dateSigned: '2024-01-09', period: { startDate: '2024-01-09', endDate: '2024-12-31' } }],
    };
    writeFileSync(join(dir, 'plain.jsonl'), `${JSON.stringify(plain)}\n`);
    const days = join(dir, 'days');
    expect((await runCli(['run', join(dir, 'plain.jsonl'), '--out', days, '--quiet'])).code).toBe(0);
    const ddb = join(days, 'decp.duckdb');
    expect(await query(ddb, `SELECT ${iso.replace('%s', 'first_date')} AS f, ${iso.replace('%s', 'last_date')} AS l, year FROM records`)).toEqual([{ f: '2024-01-10T00:00:00', l: '2024-01-10T00:00:00', year: 2024 }]);
    expect(await query(ddb, `SELECT ${iso.replace('%s', 'date')} AS d, year FROM awards`)).toEqual([{ d: '2024-01-05T00:00:00', year: 2024 }]);
    expect(await query(ddb, `SELECT ${iso.replace('%s', 'date_signed')} AS d, ${iso.replace('%s', 'period_start')} AS s, ${iso.replace('%s', 'period_end')} AS e, year, duration_days::INTEGER AS days FROM contracts`)).toEqual([
      { d: '2024-01-09T00:00:00', s: '2024-01-09T00:00:00', e: '2024-12-31T00:00:00', year: 2024, days: 357 },
    ]);
    expect(await query(ddb, "SELECT pointer FROM validation_errors WHERE rule LIKE 'schema.format%' ORDER BY pointer")).toEqual([
      { pointer: '/awards/0/date' }, { pointer: '/contracts/0/dateSigned' }, { pointer: '/contracts/0/period/endDate' }, { pointer: '/contracts/0/period/startDate' }, { pointer: '/date' },
    ]);
  });

  test("an OCDS 1.0 package (Mexico CDMX's: no version) is merged as 1.0 says: each tenderer and supplier once", async () => {
    const out = join(tmp(), 'out');
    expect((await runCli(['run', join(SHARED, 'partners/mexico-cdmx/release-package_encoding-utf-8.json'), '--out', out, '--quiet'])).code).toBe(0);
    const [rec] = lines(join(out, 'ocds/records.jsonl.gz')).map((l) => JSON.parse(l) as { compiledRelease: { tender: { tenderers: unknown[] }; awards: Array<{ suppliers: unknown[] }> } });
    expect(rec!.compiledRelease.tender.tenderers).toHaveLength(3);
    expect(rec!.compiledRelease.awards.map((a) => a.suppliers.length)).toEqual([1]);
    expect(await count(join(out, 'decp.duckdb'), 'SELECT count(*) FROM award_suppliers')).toBe(1);
  });
});

describe('text survives the staging files', () => {
  test('quotes, commas, tabs and line breaks in a title reach the store unchanged', async () => {
    const dir = tmp();
    const doc = JSON.parse(readFileSync(DEMO_2024, 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } };
    const title = 'Lot "A", travaux\tsur 2 lignes\r\net ; "fin"';
    doc.marches.marche[2]!['objet'] = title;
    writeFileSync(join(dir, 'x.json'), JSON.stringify(doc));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'x.json'), '--out', out, '--quiet'])).code).toBe(0);
    const rows = await query<{ title: string }>(join(out, 'decp.duckdb'), "SELECT title FROM contracts WHERE title LIKE 'Lot%'");
    expect(rows).toEqual([{ title }]);
  });
});

describe('records the store cannot take, and files cut short', () => {
  test('a record whose release is longer than a staging line is rejected with its reason; the others are loaded', async () => {
    const dir = tmp();
    const doc = JSON.parse(readFileSync(DEMO_2024, 'utf8')) as { marches: { marche: Array<Record<string, unknown>>; 'contrat-concession'?: unknown[] } };
    const n = doc.marches.marche.length + (doc.marches['contrat-concession']?.length ?? 0);
    // the title is repeated in the release (tender item, award, contract): 4 MiB of it passes the line limit
    doc.marches.marche[1]!['objet'] = `Lot ${'x'.repeat(4 * 1024 * 1024)}`;
    writeFileSync(join(dir, 'big.json'), JSON.stringify(doc));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'big.json'), '--out', out, '--quiet'])).code).toBe(0);
    const c = runJson(out).counts;
    expect([c.read, c.converted, c.rejected]).toEqual([n, n - 1, 1]);
    const rejects = readFileSync(join(out, 'rejects.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { code: string; index: number });
    expect(rejects).toEqual([expect.objectContaining({ code: 'TRANSFORM_RELEASE_TOO_LARGE', index: 1 })]);
    expect(await count(join(out, 'decp.duckdb'), 'SELECT count(DISTINCT source_index) FROM release_sources')).toBe(n - 1);
  });

  test('a release with a numeric ocid and no date is a release without a usable ocid (it was of unknown kind: "the profile decp does not map records of type unknown"), in run, convert, compile and validate', async () => {
    const dir = tmp();
    const file = join(dir, 'num.jsonl');
    writeFileSync(file, [{ ocid: 123, id: 'r1', tag: ['tender'], initiationType: 'tender' }, { ocid: null, id: 'r2', tag: ['tender'] }, { ocid: 'ocds-abc123-1', id: 'r3', date: '2024-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender' }].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const out = join(dir, 'out');
    expect((await runCli(['run', file, '--out', out, '--quiet'])).code).toBe(0);
    expect([runJson(out).counts.read, runJson(out).counts.converted, runJson(out).counts.rejected]).toEqual([3, 1, 2]);
    expect(readFileSync(join(out, 'rejects.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { code: string; reason: string }).map((x) => [x.code, x.reason.split(':')[0]])).toEqual([
      ['TRANSFORM_NO_ID', 'its release 1 has no usable ocid (123, not a string)'],
      ['TRANSFORM_NO_ID', 'its release 1 has no usable ocid (null, not a string)'],
    ]);
    const compiled = await runCli(['compile', file, '-o', join(dir, 'records.jsonl'), '--rejects', join(dir, 'c.rej')]);
    expect(readFileSync(join(dir, 'c.rej'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { code: string; reason: string }).reason)).toEqual([
      'a release whose ocid (123) is not a non-blank string: no record can be named for it',
      'a release whose ocid (null) is not a non-blank string: no record can be named for it',
    ]);
    expect(compiled.code).toBe(0);
    // convert writes them (as it writes any partner release); validate reports each as a release, with its schema errors
    expect((await runCli(['convert', file])).stdout.trim().split('\n')).toHaveLength(3);
    await runCli(['validate', file, '--report', join(dir, 'v.json')]);
    const v = JSON.parse(readFileSync(join(dir, 'v.json'), 'utf8')) as { summary: Record<string, unknown>; findings: Array<Record<string, unknown>> };
    expect(v.summary).toMatchObject({ releases: 3, valid: 1, invalid: 2 });
    expect(v.findings.filter((f) => f['pointer'] === '/ocid').map((f) => [f['line'], f['rule']])).toEqual([[1, 'schema.type /ocid'], [2, 'schema.type /ocid']]);
  });

  test("a partner's number past the range of a double (1e400) is left out of the compiled release and said, not stored as null, which removed the earlier value (found by a robustness probe)", async () => {
    const dir = tmp();
    const rel = (id: string, date: string, amount: string): string => `{"ocid":"ocds-abc123-1","id":"${id}","date":"${date}","tag":["tender"],"tender":{"id":"t","value":{"amount":${amount},"currency":"EUR"}}}`;
    writeFileSync(join(dir, 'p.json'), `{"uri":"u","publishedDate":"2024-01-02T00:00:00Z","releases":[${rel('a', '2024-01-01T00:00:00Z', '5')},${rel('b', '2024-02-01T00:00:00Z', '1e400')}]}`);
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'p.json'), '--out', out, '--quiet'])).code).toBe(0);
    const [record] = lines(join(out, 'ocds/records.jsonl.gz')).map((l) => JSON.parse(l) as { compiledRelease: { tender: unknown } });
    expect(record!.compiledRelease.tender).toEqual({ id: 't', value: { amount: 5, currency: 'EUR' } });
    expect(await count(join(out, 'decp.duckdb'), 'SELECT merge_warnings FROM records')).toBe(1);
    // (the release as published says what was given: a number past the range)
    expect(gunzipSync(readFileSync(join(out, 'ocds/releases.jsonl.gz'))).toString()).toContain('"amount":1e999');
  });

  test('partner releases without a usable ocid or id are rejected with their reason (the store keys releases by them); the others are loaded', async () => {
    const dir = tmp();
    const base = { date: '2024-01-01T00:00:00Z', tag: ['tender'] };
    const releases = [
      { ...base, id: 'r1', tender: { id: 't1' } }, // no ocid
      { ...base, ocid: 'ocds-abc123-2', id: 'r2', tender: { id: 't2' } },
      { ...base, ocid: 'ocds-abc123-3', id: '', tender: { id: 't3' } }, // an empty id
      { ...base, ocid: 'ocds-abc123-4', id: 7, tender: { id: 't4' } }, // a number: usable
      { ...base, ocid: 'ocds-abc123-5', tender: { id: 't5' } }, // no id
      { ...base, ocid: 'ocds-abc123-6', id: 'r\ud800', tender: { id: 't6' } }, // a lone surrogate (UTF-8 cannot hold it): read as U+FFFD, flagged
      // a tab or a line break, which no staging field holds: made a space, it was another process's
      // ocid (`ocds-abc123-2 x`), whose release it replaced
      { ...base, ocid: 'ocds-abc123-2\tx', id: 'r2', tender: { id: 't7' } },
      { ...base, ocid: 'ocds-abc123-2', id: 'r\n2', tender: { id: 't8' } },
    ];
    writeFileSync(join(dir, 'p.json'), JSON.stringify({ uri: 'u', publishedDate: '2024-01-02T00:00:00Z', releases }));
    const out = join(dir, 'out');
    const r = await runCli(['run', join(dir, 'p.json'), '--out', out, '--quiet']);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    const c = runJson(out).counts;
    expect([c.read, c.converted, c.rejected]).toEqual([8, 3, 5]);
    const rejects = readFileSync(join(out, 'rejects.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { code: string; index: number });
    expect(rejects.map((x) => [x.code, x.index])).toEqual([['TRANSFORM_NO_ID', 0], ['TRANSFORM_NO_ID', 2], ['TRANSFORM_NO_ID', 4], ['TRANSFORM_NO_ID', 6], ['TRANSFORM_NO_ID', 7]]);
    const db = join(out, 'decp.duckdb');
    expect(await count(db, 'SELECT count(*) FROM releases')).toBe(3);
    expect(await count(db, "SELECT count(*) FROM releases WHERE release_id = '7'")).toBe(1);
    expect(await count(db, "SELECT count(*) FROM releases WHERE release_id = 'r\uFFFD'")).toBe(1);
    expect(lines(join(out, 'ocds/records.jsonl.gz'))).toHaveLength(3);
    // and the next night goes on as usual
    expect((await runCli(['run', join(dir, 'p.json'), '--out', out, '--quiet'])).code).toBe(0);
    expect(await count(db, 'SELECT count(*) FROM releases')).toBe(3);
  });

  test('two contracting processes whose releases share an id (unique within an ocid only, as OCDS says): both are kept, and each is updated on its own', async () => {
    const dir = tmp();
    const rel = (ocid: string, title: string, date = '2024-01-01T00:00:00Z'): Record<string, unknown> => ({ ocid, id: '1', date, tag: ['tender'], tender: { id: 't', title } });
    const pkg = (releases: unknown[]): string => JSON.stringify({ uri: 'u', publishedDate: '2024-01-02T00:00:00Z', releases });
    writeFileSync(join(dir, 'a.json'), pkg([rel('ocds-abc123-1', 'A'), rel('ocds-abc123-2', 'B')]));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'a.json'), '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await count(db, "SELECT count(*) FROM releases WHERE release_id = '1'")).toBe(2);
    expect(runJson(out).counts.releasesAdded).toBe(2);
    const titles = (): Record<string, string> =>
      Object.fromEntries(lines(join(out, 'ocds/records.jsonl.gz')).map((l) => JSON.parse(l) as { ocid: string; compiledRelease: { tender: { title: string } } }).map((r) => [r.ocid, r.compiledRelease.tender.title]));
    expect(titles()).toEqual({ 'ocds-abc123-1': 'A', 'ocds-abc123-2': 'B' });
    expect(await count(db, "SELECT count(*) FROM validation_errors WHERE rule = 'check.duplicate-release-id'")).toBe(0);
    // a later file brings a second release for the first process (another id) and the same id "1" again for the second: only they change
    writeFileSync(join(dir, 'b.json'), pkg([{ ...rel('ocds-abc123-1', 'A2', '2024-02-01T00:00:00Z'), id: '2' }, rel('ocds-abc123-2', 'B2', '2024-02-01T00:00:00Z')]));
    expect((await runCli(['run', join(dir, 'a.json'), join(dir, 'b.json'), '--out', out, '--quiet'])).code).toBe(0);
    expect(titles()).toEqual({ 'ocds-abc123-1': 'A2', 'ocds-abc123-2': 'B2' });
    expect(await count(db, 'SELECT count(*) FROM releases')).toBe(3);
    expect(await count(db, "SELECT count(*) FROM duplicate_publications WHERE ocid = 'ocds-abc123-2' AND release_id = '1' AND publications = 2")).toBe(1);
  });

  test('a truncated gzip download: the records before the cut are loaded, the one in progress rejected', async () => {
    const dir = tmp();
    const gz = gzipSync(readFileSync(join(SHARED, 'decp/samples/2019-json/pes-marche_via-decp-rama_2019-03-07.json')));
    writeFileSync(join(dir, 'cut.json.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'cut.json.gz'), '--out', out, '--quiet'])).code).toBe(0);
    const c = runJson(out).counts;
    expect(c.converted).toBeGreaterThan(100);
    expect(c.rejected).toBe(1);
    expect(c.read).toBe(c.converted + c.rejected);
    // every release staged is in the store (the sample repeats two release ids: one each)
    expect(c.store.releases).toBe(c.releasesAdded);
    expect(c.releasesAdded).toBeGreaterThan(c.releases - 3);
  });

  test('a file that cannot be read to its end (past the gzip expansion limit): none of it is counted or loaded, the other files are', async () => {
    const dir = tmp();
    const pes = readFileSync(join(SHARED, 'decp/samples/2019-json/pes-marche_via-decp-rama_2019-03-07.json'));
    writeFileSync(join(dir, 'a-big.json.gz'), gzipSync(pes));
    cpSync(DEMO_2024, join(dir, 'b-ok.json'));
    const out = join(dir, 'out');
    const r = await runCli(['run', dir, '--out', out, '--quiet', '--max-expanded-bytes', String(pes.length >> 1)]);
    expect(r.code).toBe(3);
    const c = runJson(out).counts;
    expect(c.filesUnreadable).toBe(1);
    const alone = join(dir, 'alone');
    await runCli(['run', join(dir, 'b-ok.json'), '--out', alone, '--quiet']);
    const a = runJson(alone).counts;
    // the releases converted before the error are not counted either: the counts are the other file's
    for (const k of ['read', 'converted', 'rejected', 'releases', 'releasesAdded'] as const) expect([k, c[k]]).toEqual([k, a[k]]);
    expect(c.store.releases).toBe(c.releases);
  });
});

describe('identifiers the staging files cannot hold as they are', () => {
  test('an ocid with a tab is rejected with its reason: made a space, it was another process\'s key and replaced its release', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'in'));
    const release = (ocid: string, id: string, date: string, title: string): string =>
      JSON.stringify({ ocid, id, date, tag: ['tender'], initiationType: 'tender', tender: { id: 't', title } });
    writeFileSync(join(dir, 'in', 'a.jsonl'), `${release('ocds-abc-a b', 'r 1', '2024-01-01T00:00:00Z', 'legit')}\n`);
    writeFileSync(join(dir, 'in', 'b.jsonl'), `${release('ocds-abc-a\tb', 'r\n1', '2024-02-01T00:00:00Z', 'HIJACK')}\n`);
    expect((await runCli(['run', join(dir, 'in'), '--out', join(dir, 'out'), '--quiet'])).code).toBe(0);
    const c = runJson(join(dir, 'out')).counts;
    expect([c.read, c.converted, c.rejected]).toEqual([2, 1, 1]);
    const records = lines(join(dir, 'out/ocds/records.jsonl.gz')).map((l) => JSON.parse(l) as { ocid: string; compiledRelease: { tender: { title: string } } });
    expect(records.map((r) => [r.ocid, r.compiledRelease.tender.title])).toEqual([['ocds-abc-a b', 'legit']]);
    const rejects = readFileSync(join(dir, 'out/rejects.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { code: string; reason: string });
    expect(rejects).toEqual([expect.objectContaining({ code: 'TRANSFORM_NO_ID', reason: expect.stringContaining('without tab or line break') })]);
  });
});

describe('the output folder is locked while a run writes it', () => {
  test('a live lock stops a second run (exit 4); a stale one is taken over', async () => {
    const out = tmp();
    writeFileSync(join(out, '.lock'), `${process.pid === 1 ? 2 : 1}\n`);
    const locked = await runCli(['run', '--out', out]);
    expect(locked.code).toBe(4);
    expect(locked.stderr).toMatch(/PUBLISH_LOCKED/);
    writeFileSync(join(out, '.lock'), '2147483646\n');
    expect((await runCli(['run', '--out', out, '--quiet'])).code).toBe(0);
    expect(existsSync(join(out, '.lock'))).toBe(false);
  });

  test("a lock names its run by pid and start: a pid the system gave again to another program is no run (where /proc tells)", async () => {
    const stat = (() => {
      try {
        return readFileSync('/proc/1/stat', 'utf8');
      } catch {
        return null;
      }
    })();
    if (stat === null) return; // (no /proc: the pid alone decides, as the test above)
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
    const out = tmp();
    writeFileSync(join(out, '.lock'), `1 ${start} abc\n`);
    expect((await runCli(['run', '--out', out])).code).toBe(4);
    writeFileSync(join(out, '.lock'), `1 ${Number(start) + 1} abc\n`);
    expect((await runCli(['run', '--out', out, '--quiet'])).code).toBe(0);
  });

  test('two runs started together over a stale lock: exactly one runs, the other is refused (exit 4)', async () => {
    const bin = join(import.meta.dirname, '../../bin/decp-ocds.js');
    const once = (out: string): Promise<number> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [bin, 'run', '--out', out, '--quiet'], { stdio: 'ignore' });
        child.on('exit', (code) => resolve(code ?? -1));
      });
    for (let k = 0; k < 4; k++) {
      const out = tmp();
      writeFileSync(join(out, '.lock'), '2147483646\n');
      const codes = await Promise.all([once(out), once(out)]);
      expect(codes.sort()).toEqual([0, 4]);
    }
  }, 120_000);
});

describe('emergency purchases as CSV item lines (mappings/emergency-csv.json)', () => {
  const FIXTURE = join(import.meta.dirname, '../../fixtures/emergency/achats-urgence.csv');
  const PROFILE = join(import.meta.dirname, '../../mappings/emergency-csv.json');
  test('the items table holds each line’s quantity, unit and unit price; a price twice the median of the same product is an anomaly; a second run changes nothing', async () => {
    const out = join(tmp(), 'out');
    const r = await runCli(['run', FIXTURE, '--profile', PROFILE, '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const db = join(out, 'decp.duckdb');
    const report = runJson(out);
    expect(report.counts).toMatchObject({ read: 9, converted: 8, rejected: 1, releases: 8 });
    expect(await count(db, 'SELECT count(*) FROM rejects')).toBe(1);
    expect(await query(db, "SELECT item_id, quantity, unit_name, unit_price, unit_currency FROM items WHERE ocid = 'ocds-78apv2-21130055300016-2020-URG-001' ORDER BY item_id")).toEqual([
      // (an item's id is its award's, then its line's)
      { item_id: expect.stringMatching(/^\w{14}-1$/), quantity: 50000, unit_name: 'boîte de 50', unit_price: 42.5, unit_currency: 'EUR' },
      { item_id: expect.stringMatching(/^\w{14}-2$/), quantity: 2000, unit_name: 'flacon', unit_price: 6.9, unit_currency: 'EUR' },
    ]);
    // masks by the box of 50 in 2020, compared by the piece: 0.80, 0.82, 0.85, 0.88 and 1.90 (2.24 × the median)
    expect(await query(db, 'SELECT ocid, item_id, product_key, unit, quantity, unit_price, price_from, group_prices, group_median, ratio, over_ratio, excess FROM price_anomalies')).toEqual([
      { ocid: 'ocds-78apv2-24130005600017-2020-URG-005', item_id: expect.stringMatching(/-1$/), product_key: 'CPV:33141000 chirurgical iir masque type', unit: 'piece', quantity: 1000000, unit_price: 1.9, price_from: 'unit.value ÷ 50 (boîte de 50)', group_prices: 5, group_median: 0.85, ratio: 2.2353, over_ratio: true, excess: 1050000 },
    ]);
    const flags = (await runCli(['flags', '--db', db])).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(flags.filter((f) => f['code'] === 'UNIT_PRICE_OUTLIER').map((f) => f['ocid'])).toEqual(['ocds-78apv2-24130005600017-2020-URG-005']);
    // the buyer's price index (red-flags.md §5): 1,000,000 pieces at 1.90 and 500,000 at 0.80 where peers paid 0.85
    expect(await query(db, "SELECT items::INTEGER AS items, processes::INTEGER AS processes, price_index, excess FROM buyer_price_index WHERE buyer = '241300056'")).toEqual([{ items: 2, processes: 2, price_index: 1.8039, excess: 1050000 }]);
    expect(await query(db, "SELECT price_index, excess FROM supplier_price_index WHERE supplier = '814067208'")).toEqual([{ price_index: 1.3223, excess: 1050000 }]);
    const before = readFileSync(join(out, 'ocds/releases.jsonl.gz'));
    expect((await runCli(['run', FIXTURE, '--profile', PROFILE, '--out', out, '--quiet'])).code).toBe(0);
    expect(runJson(out).counts).toMatchObject({ filesUnchanged: 1, releasesAdded: 0 });
    expect(readFileSync(join(out, 'ocds/releases.jsonl.gz')).equals(before)).toBe(true);
  });

  test('a size, in the unit\'s name or the description, is the product\'s: a 5 l can is no peer of 500 ml bottles (H87 or not), and 500 ml however written is one size', async () => {
    const dir = tmp();
    const header = 'id_marche;acheteur_siret;acheteur_nom;date_notification;procedure;objet;titulaire_siret;titulaire_nom;cpv_marche;montant_total_ht;ligne;designation;cpv;quantite;unite;code_unite;prix_unitaire_ht;montant_ligne_ht';
    const row = (k: number, designation: string, unite: string, code: string, price: string): string =>
      `G-${k};21130055300016;Commune de Marseille;2020-04-0${k};Procédure adaptée;Gel;81406720800011;Pharma Sud SARL;33631600;;1;${designation};33631600;100;${unite};${code};${price};`;
    const rows = [
      // 500 ml of gel at 6.80 to 7.20, the size in the unit or the description, in ml, cl or l, and one at 16
      row(1, 'Gel hydroalcoolique', 'flacon de 500 ml', 'H87', '6,90'),
      row(2, 'Gel hydroalcoolique', 'Flacon de 50 cl', 'H87', '7,10'),
      row(3, 'Gel hydroalcoolique 500ml', 'unité', 'H87', '6,80'),
      row(4, 'Gel hydroalcoolique flacon 0,5 L', 'flacon de 0,5 l', 'C62', '7,00'),
      row(5, 'gel hydroalcoolique', 'flacon de 500 ml', '', '7,20'),
      row(6, 'Gel hydroalcoolique', 'flacon de 500 ml', 'H87', '16,00'),
      // 5 l cans: a size of their own, by the unit or the description (two: not compared)
      row(7, 'Gel hydroalcoolique', 'bidon de 5 l', 'H87', '45,00'),
      row(8, 'Gel hydroalcoolique 5 L', 'unité', 'H87', '44,00'),
    ];
    writeFileSync(join(dir, 'gel.csv'), [header, ...rows].join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'gel.csv'), '--profile', PROFILE, '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT product_key, unit, unit_price, group_prices, group_median FROM price_anomalies')).toEqual([
      { product_key: 'CPV:33631600 gel hydroalcoolique 500 ml', unit: 'piece', unit_price: 16, group_prices: 6, group_median: 7.05 },
    ]);
    expect(await query(db, 'SELECT product_key, unit, count(*)::INTEGER AS n FROM priced_items GROUP BY ALL ORDER BY product_key')).toEqual([
      { product_key: 'CPV:33631600 gel hydroalcoolique 5 l', unit: 'piece', n: 2 },
      { product_key: 'CPV:33631600 gel hydroalcoolique 500 ml', unit: 'piece', n: 6 },
    ]);
  });

  test('a size\'s thousands grouped by a space (1 000 ml; a narrow or a no-break space too) are its number: 1 l, the key of "1 l"; two numbers apart, a lot\'s then a size (lot 2 500 ml), stay two (found by a monitor)', async () => {
    const dir = tmp();
    const header = 'id_marche;acheteur_siret;acheteur_nom;date_notification;procedure;objet;titulaire_siret;titulaire_nom;cpv_marche;montant_total_ht;ligne;designation;cpv;quantite;unite;code_unite;prix_unitaire_ht;montant_ligne_ht';
    const row = (k: number, designation: string, price: string): string =>
      `T-${k};21130055300016;Commune de Marseille;2020-04-0${k % 9 + 1};Procédure adaptée;Gel;81406720800011;Pharma Sud SARL;33631600;;1;${designation};33631600;100;unité;H87;${price};`;
    const rows = [
      // 1 l of gel however its thousands are spaced (a plain, a no-break or a narrow no-break space), one at 16
      row(1, 'Gel hydroalcoolique 1 l', '12,00'),
      row(2, 'Gel hydroalcoolique 1 000 ml', '12,50'),
      row(3, 'Gel hydroalcoolique 1\u202F000 ml', '11,90'),
      row(4, 'Gel hydroalcoolique 1\u00A0000 ml', '12,20'),
      row(5, 'Gel hydroalcoolique 1000ml', '25,00'),
      // a lot's number, then a size: 500 ml (a plain space before 500 may part two numbers)
      row(6, 'Gel hydroalcoolique lot 2 500 ml', '6,90'),
      // weights too: 2 050 g (a group that starts with 0 is no number of its own), 1 kg
      row(7, 'Savon 1\u00A0000 g', '4,00'),
      row(8, 'Savon 1 kg', '4,10'),
      row(9, 'Savon 2 050 g', '8,00'),
      // a no-break space is an HTML &nbsp; or a word processor's too, between any words: before a
      // group that does not start with 0, it parts two numbers as a plain space does (found by a review)
      row(10, 'Gel hydroalcoolique lot\u00A02\u00A0500\u00A0ml', '6,80'),
      row(11, 'Gel hydroalcoolique 1\u202F500 ml', '18,00'),
    ];
    writeFileSync(join(dir, 'gel.csv'), [header, ...rows].join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'gel.csv'), '--profile', PROFILE, '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT product_key, count(*)::INTEGER AS n FROM priced_items GROUP BY ALL ORDER BY product_key')).toEqual([
      { product_key: 'CPV:33631600 gel hydroalcoolique 1 l', n: 5 },
      { product_key: 'CPV:33631600 gel hydroalcoolique 1.5 l', n: 1 },
      { product_key: 'CPV:33631600 gel hydroalcoolique 500 ml', n: 2 },
      { product_key: 'CPV:33631600 savon 1 kg', n: 2 },
      { product_key: 'CPV:33631600 savon 2.05 kg', n: 1 },
    ]);
    expect(await query(db, 'SELECT product_key, unit_price, group_prices, group_median FROM price_anomalies')).toEqual([
      { product_key: 'CPV:33631600 gel hydroalcoolique 1 l', unit_price: 25, group_prices: 5, group_median: 12.2 },
    ]);
  });

  test('an item priced by a measure (per litre, per kilogram) has no size from its description: the number there is the quantity ordered (found by a review: "Gazole 20000 litres" was a product of its own)', async () => {
    const dir = tmp();
    const header = 'id_marche;acheteur_siret;acheteur_nom;date_notification;procedure;objet;titulaire_siret;titulaire_nom;cpv_marche;montant_total_ht;ligne;designation;cpv;quantite;unite;code_unite;prix_unitaire_ht;montant_ligne_ht';
    const row = (k: number, designation: string, quantite: string, unite: string, code: string, price: string): string =>
      `F-${k};21130055300016;Commune de Marseille;2020-04-0${k};Procédure adaptée;Gazole;81406720800011;Carburants SARL;09134100;;1;${designation};09134100;${quantite};${unite};${code};${price};`;
    const rows = [
      row(1, 'Gazole 20000 litres', '20000', 'litre', 'LTR', '1,50'),
      row(2, 'Gazole 15000 litres', '15000', 'litre', 'LTR', '1,55'),
      row(3, 'Gazole 8 000 L', '8000', 'litre', '', '1,52'),
      row(4, 'Gazole 12000 l', '12000', 'litre', 'LTR', '1,48'),
      row(5, 'Gazole 9000 litres', '9000', 'litre', 'LTR', '3,90'),
    ];
    writeFileSync(join(dir, 'fuel.csv'), [header, ...rows].join('\n'));
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 'fuel.csv'), '--profile', PROFILE, '--out', out, '--quiet'])).code).toBe(0);
    const db = join(out, 'decp.duckdb');
    expect(await query(db, 'SELECT product_key, count(*)::INTEGER AS n FROM priced_items GROUP BY ALL ORDER BY product_key')).toEqual([{ product_key: 'CPV:09134100 gazole', n: 5 }]);
    expect(await query(db, 'SELECT product_key, unit_price, group_prices FROM price_anomalies')).toEqual([{ product_key: 'CPV:09134100 gazole', unit_price: 3.9, group_prices: 5 }]);
  });

  test('a CSV file given with a profile that maps no CSV rows (the default DECP one) cannot be read: exit 3, one line that says what to give', async () => {
    const out = join(tmp(), 'out');
    const r = await runCli(['run', FIXTURE, '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--profile/);
  });
});

describe("run.json's times", () => {
  test('finishedAt is after every stage: finishedAt − startedAt covers durationMs; the runs row ends before the publication (found by a probe: finishedAt was taken before publish-ocds, publish-parquet, publish-reports and store-close)', async () => {
    const out = join(tmp(), 'out');
    const stderr = new PassThrough();
    stderr.resume();
    // (the real clock: runCli's is fixed)
    const code = await main(['run', DEMO_2024, '--out', out, '--quiet'], { stdout: new PassThrough(), stderr, stdin: Readable.from([]), isTTY: false, now: () => new Date() });
    expect(code).toBe(0);
    const r = runJson(out);
    const window = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
    expect(r.durationMs).toBeLessThanOrEqual(window);
    // the stages after the runs row was written are inside the window
    const after = ['publish-parquet', 'publish-reports', 'store-close'].reduce((n, k) => n + (r.stages[k]?.ms ?? Number.NaN), 0);
    const [row] = await query<{ started: number; finished: number }>(join(out, 'decp.duckdb'), 'SELECT epoch_ms(started_at) AS started, epoch_ms(finished_at) AS finished FROM runs');
    expect(Number(row!.started)).toBe(Date.parse(r.startedAt));
    expect(Date.parse(r.finishedAt) - Number(row!.finished)).toBeGreaterThanOrEqual(after - 1);
    // each stage says the CPU time the process spent in it (every thread): a whole number of
    // milliseconds, and the stages that convert and compile (worker threads) spent some
    for (const [name, s] of Object.entries(r.stages as Record<string, { ms: number; cpuMs: number }>)) {
      expect([name, Number.isInteger(s.cpuMs) && s.cpuMs >= 0]).toEqual([name, true]);
    }
    expect(r.stages['ingest+convert']!.cpuMs).toBeGreaterThan(0);
    expect(r.stages['compile+validate']!.cpuMs).toBeGreaterThanOrEqual(r.stages['compile:merge']!.cpuMs);
  });
});
