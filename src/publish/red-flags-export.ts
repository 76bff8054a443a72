/**
 * The red flags of a published store, for `decp-ocds flags`: the `red_flags` table that `run` keeps
 * current, the unit prices and the contract values far above their peers', read from the DuckDB
 * file without changing it (read-only: a reader never blocks on, nor alters, the store), one row per
 * flag with what the indicator means.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { PipelineError } from '../core/errors.js';
import { RED_FLAG_CODES } from './red-flags.js';
import { BID_FLAG_CODES } from './bid-flags.js';
import { BID_MARGIN_HIGH, BID_MARGIN_LOW } from './bid-indicators.js';
import { STORE_SCHEMA_VERSION, streamRows } from './store.js';
import { RATIO_THRESHOLD_SQL, UNIT_PRICE_OUTLIER } from './price-anomalies.js';
import { VALUE_OUTLIER } from './indicators.js';
import { csvCell } from '../validate/report.js';

export interface RedFlagRow {
  readonly code: string;
  /** What the indicator measures (RED_FLAG_CODES), for readers without the docs. */
  readonly indicator: string | null;
  readonly ocid: string;
  readonly contract_id: string | null;
  readonly buyer_id: string | null;
  readonly value: number | null;
  readonly threshold: number | null;
  readonly detail: string | null;
  readonly year: number | null;
  /** The item a unit-price anomaly is about (null for the other flags, which are about a contract). */
  readonly item_id: string | null;
}

export const RED_FLAG_COLUMNS = ['code', 'indicator', 'ocid', 'contract_id', 'buyer_id', 'value', 'threshold', 'detail', 'year', 'item_id'] as const;

/** The flags of the store at `path`, in the table's order (code, ocid, contract). */
export async function* readRedFlags(path: string): AsyncGenerator<RedFlagRow[]> {
  if (!existsSync(path)) throw new PipelineError('INGEST_NOT_FOUND', `no store at ${path}`, { context: { file: path }, remedy: 'run `decp-ocds run` first, or give the store with --db' });
  // a DuckDB file says so at byte 8 ("DUCK"): anything else is refused before DuckDB reads it
  const magic = Buffer.alloc(4);
  try {
    if (!statSync(path).isFile()) throw new PipelineError('INGEST_UNREADABLE', `${path} is not a file`, { context: { file: path }, remedy: 'give the store file (out/decp.duckdb) with --db' });
    const fd = openSync(path, 'r');
    try {
      readSync(fd, magic, 0, 4, 8);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (err instanceof PipelineError) throw err;
    // (permissions, an I/O error: the file is there but cannot be read)
    throw new PipelineError('INGEST_UNREADABLE', `cannot read the store ${path}: ${(err as Error).message}`, { context: { file: path }, cause: err, remedy: 'check the permissions of the store file' });
  }
  if (magic.toString('latin1') !== 'DUCK') throw new PipelineError('INGEST_UNKNOWN_FORMAT', `${path} is not a DuckDB file`, { context: { file: path }, remedy: 'give the store that `decp-ocds run` writes (out/decp.duckdb)' });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? '';
    const locked = /lock/i.test(message);
    throw new PipelineError('INGEST_UNREADABLE', `cannot read the store ${path}: ${locked ? 'a job is writing it' : message}`, { context: { file: path }, cause: err, remedy: locked ? 'retry when the run is over' : 'give the store that `decp-ocds run` writes (out/decp.duckdb)' });
  }
  const conn = await instance.connect().catch((err: unknown) => {
    instance.closeSync();
    throw err;
  });
  try {
    const tables = await conn.runAndReadAll("SELECT count(*) FROM information_schema.tables WHERE table_name = 'red_flags'");
    if (Number(tables.getRows()[0]?.[0] ?? 0) === 0) {
      throw new PipelineError('INGEST_UNKNOWN_FORMAT', `${path} is not a decp-ocds store (it has no red_flags table)`, { context: { file: path }, remedy: 'give the store that `decp-ocds run` writes (out/decp.duckdb)' });
    }
    // a store of another version holds flags computed by other rules (or other columns): refused,
    // as `run` rebuilds it
    const meta = await conn.runAndReadAll("SELECT value FROM store_meta WHERE key = 'schema_version'").catch(() => null);
    const version = meta?.getRows()[0]?.[0];
    if (String(version) !== String(STORE_SCHEMA_VERSION)) {
      throw new PipelineError('INGEST_UNKNOWN_FORMAT', `${path} is a store of schema ${version === undefined || version === null ? '(unknown)' : `v${String(version)}`}; this version of decp-ocds reads v${STORE_SCHEMA_VERSION} (its red flags follow other rules)`, {
        context: { file: path },
        remedy: 'run `decp-ocds run` again on the same inputs: it rebuilds the store',
      });
    }
    // the values far above their subject's (a view, made by each run: a store written by an earlier
    // version has none, or one without these columns, until its next run)
    const views = await conn.runAndReadAll("SELECT count(*) FROM information_schema.columns WHERE table_name = 'value_outliers' AND column_name = 'buyer_id'");
    const outliers =
      Number(views.getRows()[0]?.[0] ?? 0) === 0
        ? ''
        : `SELECT 'VALUE_OUTLIER', ocid, contract_id, buyer_id, initial_amount, round(fence_amount, 2),
                  format('initial value {} {}, at or past the upper fence ({}) of the values of the {} contracts of CPV class {} ({}{}) in {} of market {}, whose median is {}; robust z {}', printf('%.2f', initial_amount), currency, printf('%.2f', fence_amount),
                         group_contracts, cpv_class, replace(nature, '_', ' and '), CASE WHEN framework THEN ', framework agreements' ELSE '' END || CASE WHEN purchase_orders THEN ', executed by purchase orders' ELSE '' END, currency, coalesce(market, '(none known)'), printf('%.2f', group_median), round(robust_z, 2)),
                  year, NULL FROM value_outliers
           UNION ALL`;
    // the winning offers' margins at or past their fences (R024 low, R058 high), one row per process
    // and flag, their group's figures in the detail (a store without the view: none)
    const margins = await conn.runAndReadAll("SELECT count(*) FROM information_schema.tables WHERE table_name = 'bid_margin_outliers'");
    const marginRows = (code: string, flag: string, fence: string, side: string): string =>
      `SELECT '${code}', ocid, NULL, buyer_id, round(margin, 6), round(${fence}, 6),
              format('winning offer {} {}, second-lowest valid offer {}: a margin of {}, ${side} fence ({}) of the margins of the {} processes of market {} (Q1 {}, Q3 {})',
                     winning_amount, coalesce(currency, '(no currency)'), second_amount, round(margin, 6), round(${fence}, 6), group_processes, coalesce(market, '(none known)'), round(q1, 6), round(q3, 6)),
              year, NULL FROM bid_margin_outliers WHERE ${flag}
       UNION ALL
       `;
    const bidMargins = Number(margins.getRows()[0]?.[0] ?? 0) === 0 ? '' : marginRows('BID_MARGIN_LOW', 'low', 'lower_fence', 'at or under the lower') + marginRows('BID_MARGIN_HIGH', 'high', 'upper_fence', 'at or over the upper');
    // with the unit-price anomalies, one row per item (its group's figures in the detail)
    const sql = `SELECT code, ocid, contract_id, buyer_id, value, threshold, detail, year, item_id FROM (
         SELECT code, ocid, contract_id, buyer_id, value, threshold, detail, year, NULL AS item_id FROM red_flags
         UNION ALL
         ${outliers}
         ${bidMargins}
         SELECT 'UNIT_PRICE_OUTLIER', ocid, contract_id, buyer_id, ratio, ${RATIO_THRESHOLD_SQL},
                format('unit price {} {} per {}{} of {}, {} × the median ({}) of {} prices of the same product, unit, currency and market ({}) in {}{}', round(unit_price, 4), currency, unit,
                       CASE WHEN contains(price_from, '→') THEN format(' (a price per {}: {})', regexp_extract(price_from, '[(]([^()]*) → [^()]*[)]$', 1), regexp_extract(price_from, '[÷×] [0-9]+', 0))
                            WHEN contains(price_from, '÷') THEN format(' (a pack''s price {})', regexp_extract(price_from, '÷.*$')) ELSE '' END, product_key, ratio, round(group_median, 4), group_prices, coalesce(market, 'none known'), year,
                       CASE WHEN over_fence THEN format('; at or past the upper fence of their logarithms ({}: a unit price of {})', log_fence, round(power(10, log_fence), 4)) ELSE '' END),
                year, item_id FROM price_anomalies)
       ORDER BY code, ocid, contract_id, item_id`;
    const codes: Readonly<Record<string, string>> = { ...RED_FLAG_CODES, ...BID_FLAG_CODES, BID_MARGIN_LOW, BID_MARGIN_HIGH, UNIT_PRICE_OUTLIER, VALUE_OUTLIER };
    // (every flag, or an error: a stream that fails on its way is counted short, see streamRows)
    for await (const rows of streamRows(conn, sql)) {
      yield rows.map(([code, ocid, contractId, buyerId, value, threshold, detail, year, itemId]) => ({
        code: String(code),
        indicator: codes[String(code)] ?? null,
        ocid: String(ocid),
        contract_id: contractId === null ? null : String(contractId),
        buyer_id: buyerId === null ? null : String(buyerId),
        value: value === null ? null : Number(value),
        threshold: threshold === null ? null : Number(threshold),
        detail: detail === null ? null : String(detail),
        year: year === null ? null : Number(year),
        item_id: itemId === null ? null : String(itemId),
      }));
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** A flag as one CSV line (the columns of RED_FLAG_COLUMNS). */
export function redFlagCsv(row: RedFlagRow): string {
  return RED_FLAG_COLUMNS.map((c) => csvCell(row[c])).join(',');
}
