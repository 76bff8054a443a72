/**
 * The monitor's markets (contracts.market, markets.ts) on stores of the real files: DECP is France's market,
 * a partner's data its country's (or its publisher's), and a store of DECP alone gives the figures it
 * gave when every contract was one market.
 */
import { join } from 'node:path';
import { INDICATOR_VIEWS } from '../../src/publish/indicators.js';
import { PRICE_ANOMALY_SQL, PRICE_INDEX_VIEWS } from '../../src/publish/price-anomalies.js';
import { Store, VIEWS } from '../../src/publish/store.js';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';

/** Every contract (and priced item) in one market: the figures as the views gave them before markets. */
async function oneMarket(s: Store): Promise<void> {
  await s.run('UPDATE contracts SET market = NULL');
  await s.run('UPDATE priced_items SET market = NULL');
}

/** Every view of the store. */
const VIEW_NAMES = [...VIEWS, ...PRICE_INDEX_VIEWS, ...INDICATOR_VIEWS].map((sql) => /VIEW (\w+) AS/.exec(sql)![1]!);

const open = (db: string): Promise<Store> => Store.open(db, { memoryLimit: '512MB', threads: 1, tempDirectory: join(tempDir('markets-tmp-'), 'tmp') });

/** A number as a text of 12 significant digits (a sum's last bits follow the order it was made in). */
const norm = (v: unknown): unknown =>
  typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? Number(v.toPrecision(12)) : Array.isArray(v) ? v.map(norm) : v instanceof Object && v.constructor === Object ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)])) : v;

/** Each view's rows (and the price anomalies'), less their market, sorted. */
async function figures(s: Store): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const v of [...VIEW_NAMES, 'price_anomalies']) {
    // (less a French région's name too: only France's market names one, so one market of none names none)
    const left = (await s.rows<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = '${v}' AND column_name IN ('market', 'region_name')`)).map((r) => r.column_name);
    out[v] = (await s.rows(`SELECT ${left.length > 0 ? `* EXCLUDE (${left.join(', ')})` : '*'} FROM ${v} ORDER BY ALL`)).map(norm);
  }
  return out;
}

describe('markets on the real files', () => {
  test('a store of DECP alone: every contract is France\'s, and every view and the price anomalies give what they gave with one market', async () => {
    const out = tempDir('markets-decp-');
    expect((await runCli(['run', join(SHARED, 'decp/samples'), '--out', out, '--quiet'])).code).toBe(0);
    const s = await open(join(out, 'decp.duckdb'));
    try {
      expect(await s.rows('SELECT market, count(*) > 5000 AS many FROM contracts GROUP BY market')).toEqual([{ market: 'FR', many: true }]);
      const perMarket = await figures(s);
      // (not an empty comparison: the samples give rows to most views)
      expect(Object.values(perMarket).filter((r) => r.length > 0).length).toBeGreaterThan(12);
      await oneMarket(s);
      for (const sql of PRICE_ANOMALY_SQL) await s.run(sql);
      expect(await figures(s)).toEqual(perMarket);
    } finally {
      await s.close();
    }
  }, 300_000);

  test('DECP and partners\' OCDS in one store: France\'s, Ukraine\'s (its buyer\'s UA-EDR), and the publishers\' of buyers named without an identifier (DNCP, CDMX); the mixed figures were not these', async () => {
    const out = tempDir('markets-mixed-');
    const partners = ['ukraine-prozorro/record_ocds-be6bcu-UA-2017-04-10-002020-b.json', 'paraguay-dncp/record-package_284182.json', 'paraguay-dncp/release-package_1.1-2.json', 'mexico-cdmx/release-package_encoding-utf-8.json'];
    const r = await runCli(['run', join(SHARED, 'decp/samples/2024-json'), ...partners.map((f) => join(SHARED, 'partners', f)), '--out', out, '--quiet']);
    expect(r.code).toBeLessThanOrEqual(1);
    const s = await open(join(out, 'decp.duckdb'));
    try {
      const markets = await s.rows(`SELECT lower(regexp_extract(c.ocid, '^([A-Za-z]+-[A-Za-z0-9]{6})', 1)) AS prefix, c.decp_version IS NOT NULL AS decp, c.market
        FROM contracts c GROUP BY ALL ORDER BY ALL`);
      expect(markets).toEqual([
        { prefix: 'ocds-03ad3f', decp: false, market: 'ocds-03ad3f' },
        { prefix: 'ocds-78apv2', decp: true, market: 'FR' },
        { prefix: 'ocds-87sd3t', decp: false, market: 'ocds-87sd3t' },
        { prefix: 'ocds-be6bcu', decp: false, market: 'UA' },
      ]);
      const perMarket = await figures(s);
      await oneMarket(s);
      const mixed = await figures(s);
      // (a procedure's share of the year's contracts was of every country's)
      expect(mixed['procedures_mix']).not.toEqual(perMarket['procedures_mix']);
    } finally {
      await s.close();
    }
  }, 300_000);
});
