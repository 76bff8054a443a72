/**
 * The DuckDB store (`out/decp.duckdb`): a thin wrapper over @duckdb/node-api
 * with the tables of store-tables.ts, the monitors' views, and the loaders
 * (DuckDB reads the staging files the job writes: read_csv / read_json, never
 * row-by-row INSERTs).
 */
import { INDICATOR_VIEWS } from './indicators.js';
import { BID_INDICATOR_VIEWS } from './bid-indicators.js';
import { FRAMEWORKS_IN_STORE, IN_FRAMEWORK, sirenOf, SUM_OUTSIDE_FRAMEWORKS, unitOf, VALUE_IN_FRAMEWORK } from './sql-parts.js';
import { PRICE_INDEX_VIEWS, PRICED_ITEMS, QUANTILE_TYPE8_MACRO } from './price-anomalies.js';
import { perOcidDdl } from './per-ocid.js';
import { RELEASE_COUNTS } from './validation-reports.js';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { PipelineError } from '../core/errors.js';
import { STAGING_MAX_LINE_BYTES } from '../core/limits.js';
import { columnsArg, createTableSql, TABLES, tableSpec, type TableSpec } from './store-tables.js';

/**
 * Bumped when a table changes shape or the mapping gives other ids for the same sources: an older
 * store is rebuilt from the inputs of the run (its releases would not merge with the new ones).
 * 2: statistic and framework ids per award, 2019 counters as published, release dates that follow
 * the contract's history.
 * 3: table contract_suppliers (the view contracts_per_supplier credits the current suppliers); each
 * contract row's offers received, procedure and category are its own lot's (rows of ocids a
 * run does not touch are never recomputed: a rebuild gives every contract its values); releases
 * keyed by ocid and id (an older store that lost releases sharing an id gets them back).
 * 4: contracts' durations in whole months beside the days (the duration red flag compares months,
 * as red-flags.md defines it); the red flags of French law only on DECP contracts; provenance
 * (source_sha256, source_index) on parties, award_suppliers, contract_suppliers, items, red_flags.
 * 5: x_decp of amendment and implementation releases (modification, execution; flags with ids);
 * modification ids of 0, new totals of 0 and 0-month durations no longer taken as such; a typo'd
 * date is no evidence of a contract's first publication; LATE_PUBLICATION from 2018-10-01.
 * 6: contracts.duplicate_of (one contract published twice, counted once by the views and red
 * flags); partners' processes merged without x_decp's supplier-list rule.
 * 7: releases.source_published: of two sources of one release id, the later publication wins (a
 * record republished with one more modification), not the file read last.
 * 8: contracts.signed_day and publication_delay_days (the days as the sources gave them: the late
 * publication flag no longer depends on a date's zone), bids of partners' processes from their
 * bids.details or numberOfTenderers, concessions' own safe harbour, no late publication flag for
 * concessions; releases.year is its date's own year (it was the machine's time zone's); table
 * price_anomalies (red-flags.md §5) and the macro quantile_type8.
 * 9: items.unit_code; unit-price anomalies compare packs in pieces (a box of 50 at 42.50 is 0.85 a
 * piece), and pieces whatever their unit's name or code (pièce, unidad, H87, C62…).
 * 10: contracts.framework_agreement and first_amendment_days, amendments.position (four more red flags).
 * 11: a placeholder record id (zeros) gives each record its own ocid (other ocids for the same
 * sources); an amendment is one row by its id within its contract; subcontracting acts'
 * modifications are releases; natural persons found by name are withheld.
 * 12: LATE_PUBLICATION only for marchés of the publication threshold or more (a red flag of an
 * unchanged contract is computed again only by a rebuild); the views split by record_type;
 * sources are known by their absolute path (a store of relative paths would replace nothing).
 * 13: quality flags' and subcontracting acts' ids in x_decp carry the award's id (lots of one ocid
 * kept each theirs); a withheld person's name masked in every text of the record; labels of every
 * script compared by their letters (the releases of older stores differ: rebuilt).
 * 14: a partner's offers received (contracts.bids, SINGLE_BID) count its bidders, as R018 and
 * tender.numberOfTenderers do: one tenderer's (or consortium's) bids are one, a company is one
 * whatever the party id it is referenced under; the duration at award is the contract's as first
 * published (a partner's award estimates one: DURATION_EXTENDED without a modification).
 * 15: the tables compiled per ocid carry its chunk (last column): a run reads the rows of the chunks it
 * recompiled only (an older store's rows were never stored chunk by chunk).
 * 16: releases and rows the fixes of 2026-12 change, for files already read: a withheld person masked
 * in x_decp's raw values and procedure labels; date_published null without a publication date; a
 * French VAT number's SIREN; x_decp.lieuExecution.code as given; empty subcontracting acts; instants
 * at a profile's utcOffset (older stores: rebuilt).
 * 17: releases.source_published on the dates sources gave (not those moved for the merge); a
 * partner's contracts never linked as duplicates; a buyer by its party's role; durations in months
 * without a start; negative modification totals, placeholder framework ids, joined labels (older
 * stores: rebuilt).
 * 18: release_sources.published (each source's publication of a release): contracts.date_published
 * is a contract's first publication across its sources, not the later one the releases table keeps
 * (a record republished unchanged: LATE_PUBLICATION no longer counts to its republication; older
 * stores: rebuilt).
 * 19: contracts.call_off and framework_ocid (a marché subséquent and its framework agreement): the
 * views that add values count a framework's money once; SINGLE_BID not on call-offs.
 * 20: releases as this version converts them (unchanged files are never converted again, so a store
 * of 19 is rebuilt): 2019 ocids whose modification counter followed a separator lose it (no ocid
 * ends in `-`: the same contract's publications under two ocids otherwise); a byte order mark wins
 * over --encoding; "+127000" and "127000." are amounts; grouped CSV rows' contract fields from the
 * first row that gives them; source_limits (the limits each source was read with).
 * 21: "127000,", "127 000," and "127 000." are amounts (their releases' award ids, made of the
 * initial amount, change), and the records of a JSON list of lists are read (they were rejected): a
 * store of 20 is rebuilt, as for 20.
 * 22: a 2024 record keeping a 2019 name (`lieuExecution.nom`) beside enough 2024 fields is read as
 * 2024 (its ocid no longer cut by the 2019 rule; INGEST_GENERATION_MIXED); a framework agreement
 * executed by subsequent contracts is no call-off; UTF-8 read as Latin-1 with C1 controls in free
 * texts is read as UTF-8; a DECP total back at a contract's level after
 * changes written as totals is measured from that level (red flags of unchanged contracts are
 * computed again only by a rebuild): a store of 21 is rebuilt.
 * 23: natural persons of partners' OCDS data withheld (mappings/ocds-persons.json); an OCDS record
 * whose releases come before its compiledRelease read as a record (not a 1.0 release package); a
 * place's name in x_decp masked as its copy in the item's address is: a store of 22 is rebuilt.
 * 24: a call-off of a framework agreement coded without competition is no NO_COMPETITION_OVER_THRESHOLD,
 * nor crosses the thresholds of advertising and R.2122-8 (red flags of unchanged contracts are
 * computed again only by a rebuild): a store of 23 is rebuilt.
 * 25: natural persons by SIREN across processes (x_decp.personParties, release_sources.persons,
 * parties.natural_person and person_elsewhere; a name withheld wherever its SIREN is a person's): a
 * store of 24 is rebuilt.
 * 26: a SIRET mistyped to another length names its legal unit when its digits say which
 * (parties.siren; the red flags' supplier change judged by legal unit); no LATE_PUBLICATION of a
 * 2024-format re-publication of a contract notified before 2024 (red flags of unchanged contracts
 * are computed again only by a rebuild); partners' natural persons identified by a taxpayer number
 * under UA-IPN, a passport under UA-EDR or an identity card (CI, cédula) withheld
 * (mappings/ocds-persons.json); a partner's amounts, quantities and unit prices written as plain
 * decimal strings read: a store of 25 is rebuilt.
 * 27: a reference naming a natural person's party by name alone given the party's id (contract
 * suppliers joined no party); a partner's award and amendment periods without durationInDays
 * measured from their dates (awards.duration_days, amendments.duration_days); table subcontracts and
 * awards.has_subcontracting (the views subcontracted_shares, buyer_subcontracting): a store of 26 is rebuilt.
 * 28: a DECP modification notified on its contract's day is a correction
 * (amendments.correction, contracts.corrections): the initial value and duration are those it gave,
 * and the red flags of modifications leave it out: a store of 27 is rebuilt.
 * 29: where a contract is performed (contracts.place_departement, place_region; the view
 * market_concentration): a store of 28 is rebuilt.
 * 30: a marché executed by purchase orders (contracts.purchase_orders: its value is a maximum), which
 * value_outliers compares among its own: a store of 29 is rebuilt.
 * 31: a partner's party stating a natural person's legal entity type (details.legalEntityTypeDetail)
 * withheld; the offers of a partner's lot (bids.details[].relatedLots) counted for its award's
 * contracts (contracts.bids); a partner's CPV code under the scheme ДК021 (contracts.cpv): a store of
 * 30 is rebuilt.
 * 32: a reject gives the ocid its record gave (rejects.ocid, after its position; null when none): a
 * store of 31 is rebuilt.
 * 33: contracts compared within one market (contracts.market, after decp_version: France's DECP, a
 * partner's country, see markets.ts; price_anomalies.market, after its currency): a store of 32 is
 * rebuilt.
 * 34: contracts.suppliers_changed (SUPPLIERS_CHANGED against the suppliers at award as a correction
 * notified on the contract's day left them, not as first published): a store of 33 is rebuilt.
 * 35: a partner's offers and tender (tables tenders, bids, bid_tenderers: what the bid-based red flags
 * read): a store of 34 is rebuilt.
 * 36: AMENDMENT_OVER_SAFE_HARBOUR also for an increase of the EU procedure threshold or more (red
 * flags of unchanged contracts are computed again only by a rebuild): a store of 35 is rebuilt.
 * 37: AMENDMENT_OVER_HALF and REPEATED_INCREASES take the modifications of one day as one change (red
 * flags of unchanged contracts are computed again only by a rebuild): a store of 36 is rebuilt.
 * 38: a contract republished with its notification day corrected is linked (contracts.duplicate_of:
 * it was counted twice, in both years), two lots alike but for their CPV and title words are not, a first publication on the signing day is one whatever its
 * offset (date_published), a record dated by the run has Paris's day (rows of unchanged contracts
 * are computed again only by a rebuild): a store of 37 is rebuilt.
 * 39: releases of files already read are made again with this version's mapping (flat DECP
 * modification columns and rows grouped in JSON too, DGFiP's urlProfilAcheteur and
 * dateTransmissionDonneesEtalab, a concession year's tariff on the year, the later releases of an
 * undated record flagged RELEASE_DATE_FROM_RUN, a partner's amounts and clock marks, its persons by
 * country and NIT) and their rows with its flatten (a partner's offers lot by lot, an initial value in
 * another currency left out): a store of 38 is rebuilt.
 * 40: an award's lots (awards.related_lots), so that LATE_BID_WON reads the offers for a lot its
 * supplier won, and LOWEST_BID_DISQUALIFIED compares offers within the same lots; a modification's
 * new total in another currency than its contract's is no step of its value (red flags of unchanged
 * processes are computed again only by a rebuild): a store of 39 is rebuilt.
 * 41: a contract's DECP nature (contracts.decp_nature, after record_type: Marché de partenariat,
 * Accord-cadre, Marché subséquent… in the schema's words): a store of 40 is rebuilt.
 * 42: a concession's execution years and tariffs (tables executions, with the investment of each
 * year, and tariffs): a store of 41 is rebuilt.
 * 43: a subcontracting act's price variation (subcontracts.price_variation): a store of 42 is rebuilt.
 * 44: a contract's DECP values without an OCDS field (table contract_decp, by ocid and contract_id:
 * decp_id, price_form, price_types, techniques, execution_modes, social_ and
 * environmental_considerations, innovative, ccag, advance_payment, advance_rate, origin_eu,
 * origin_france, grouping_type, framework_id, public_subsidy and its currency, buyer_profile_url,
 * date_transmitted; narrow and without a year, not in contracts: its Parquet export ran out of
 * memory 18 columns wider): a store of 43 is rebuilt.
 */
export const STORE_SCHEMA_VERSION = 44;

export const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** A remedy as PipelineError's options take it (none: no key). */
const remedyOf = (remedy: string | undefined): { remedy?: string } => (remedy === undefined ? {} : { remedy });

/**
 * What an operator can do about a failure of the store, by DuckDB's message: a full disk or a folder
 * it may not write (the output folder, its temp_directory), memory; else none (a bug to report).
 */
export function storeRemedy(message: string): string | undefined {
  // (DuckDB says a full temporary directory as memory: "Out of Memory Error: failed to offload data
  // block … This limit was set by the 'max_temp_directory_size' setting", by default the disk's free space)
  if (/No space left on device|Disk quota exceeded|File too large|failed to offload|max_temp_directory_size/i.test(message)) return 'free disk space in the output folder (the store, its staging copy and DuckDB\'s temporary files are written there), then run again: the published output is the one before';
  if (/Permission denied|Read-only file system/i.test(message)) return 'give the output folder (and its subfolders) to the user that runs decp-ocds, then run again';
  if (/Out of Memory|could not allocate/i.test(message)) return 'raise --memory-limit (DuckDB spills to disk beyond it) or free memory, then run again';
  return undefined;
}

/**
 * Rows of a query on `conn`, chunk by chunk (bounded memory), all of them: a streamed result that
 * fails on its way (DuckDB out of memory in a sort) just ends — empty chunks, no error (the bindings
 * do not give a result's error) —, so the rows given are counted against the query's count at the
 * end (a count without the ORDER BY's work: DuckDB drops an ordering under a count), and a result cut
 * short is PUBLISH_STORE, not a shorter report (a validation report of 1,800,000 findings under a
 * 160 MB limit ended after 120,000–250,000 of them, unsaid). For the store's own connection and for
 * a reader's (the `flags` export).
 */
export async function* streamRows(conn: DuckDBConnection, sql: string): AsyncGenerator<unknown[][]> {
  const result = await conn.stream(sql);
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    rows += chunk.rowCount;
    yield chunk.getRows() as unknown[][];
  }
  const all = Number((await conn.runAndReadAll(`SELECT count(*) FROM (${sql})`)).getRows()[0]?.[0] ?? 0);
  if (rows !== all) {
    throw new PipelineError('PUBLISH_STORE', `the store's answer to "${sql.replace(/\s+/g, ' ').slice(0, 100)}…" stopped after ${rows} of its ${all} rows (DuckDB said no more: most likely out of memory)`, remedyOf(storeRemedy('Out of Memory')));
  }
}

export interface StoreLimits {
  /** DuckDB's memory limit (it spills to temp_directory beyond). */
  readonly memoryLimit: string;
  readonly threads: number;
  readonly tempDirectory: string;
}

export class Store {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    readonly path: string,
  ) {}

  static async open(path: string, limits: StoreLimits): Promise<Store> {
    try {
      // the allocator gives memory back after each task (background threads purge it): DuckDB's peak
      // does not stay resident while the worker threads compile (measured: ~250 MB less peak RSS on
      // 100,000 records, same time within noise)
      const instance = await DuckDBInstance.create(path, {
        memory_limit: limits.memoryLimit,
        threads: String(limits.threads),
        temp_directory: limits.tempDirectory,
        preserve_insertion_order: 'false',
        allocator_flush_threshold: '16MB',
        allocator_background_threads: 'true',
      });
      const conn = await instance.connect();
      // a date-time without a zone (a partner's `2019-03-01T10:00:00`) is read as UTC on every machine,
      // as flatten.ts and the merge read it (the session's zone is the machine's otherwise); a DuckDB
      // without ICU reads it as UTC already, and has no such setting
      await conn.run("SET TimeZone = 'UTC'").catch(() => undefined);
      return new Store(instance, conn, path);
    } catch (err) {
      throw new PipelineError('PUBLISH_WRITE', `cannot open the store ${path}: ${(err as Error).message}`, { context: { file: path }, cause: err });
    }
  }

  async run(sql: string): Promise<void> {
    try {
      await this.conn.run(sql);
    } catch (err) {
      const message = (err as Error).message.split('\n')[0]!;
      throw new PipelineError('PUBLISH_STORE', `the store failed on "${sql.replace(/\s+/g, ' ').slice(0, 100)}…": ${message}`, { cause: err, ...remedyOf(storeRemedy(message)) });
    }
  }

  async rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const r = await this.conn.runAndReadAll(sql);
    return r.getRowObjectsJS() as T[];
  }

  async scalar(sql: string): Promise<number> {
    const r = await this.conn.runAndReadAll(sql);
    const v = r.getRows()[0]?.[0];
    return v === null || v === undefined ? 0 : Number(v);
  }

  /** Rows of a query, chunk by chunk, all of them or PUBLISH_STORE (see streamRows). */
  stream(sql: string): AsyncGenerator<unknown[][]> {
    return streamRows(this.conn, sql);
  }

  /** Create the tables and views (idempotent). Returns false when the store has another schema version. */
  async migrate(): Promise<boolean> {
    await this.run('CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR, value VARCHAR)');
    const v = await this.rows<{ value: string }>("SELECT value FROM store_meta WHERE key = 'schema_version'");
    if (v.length > 0 && Number(v[0]!.value) !== STORE_SCHEMA_VERSION) return false;
    for (const t of TABLES) await this.run(createTableSql(t));
    await this.run('CREATE TABLE IF NOT EXISTS chunks (ocid VARCHAR, chunk INTEGER)');
    await this.run('CREATE TABLE IF NOT EXISTS ocds_members (kind VARCHAR, chunk INTEGER, file VARCHAR, bytes BIGINT, lines BIGINT)');
    // the limits each source was read with (a store older than this table: the defaults), so that a
    // later run with a larger limit reads again the files whose records the smaller one rejected
    await this.run('CREATE TABLE IF NOT EXISTS source_limits (sha256 VARCHAR, max_record_bytes BIGINT, max_depth INTEGER)');
    // the date the first run gave each initial release of a record without any (RELEASE_DATE_FROM_RUN),
    // by ocid and release id, kept when the record gains a date or its release goes (a store older
    // than this table: the dates its releases carry), so that the record, undated again, gets it back
    // (and of a correction of such a record that its publisher dated: run-job's rememberCorrected)
    await this.run('CREATE TABLE IF NOT EXISTS run_dates (ocid VARCHAR, release_id VARCHAR, date TIMESTAMPTZ)');
    if (v.length === 0) await this.run(`INSERT INTO store_meta VALUES ('schema_version', '${STORE_SCHEMA_VERSION}')`);
    for (const t of [PRICED_ITEMS, RELEASE_COUNTS]) await this.run(perOcidDdl(t));
    await this.run(QUANTILE_TYPE8_MACRO);
    for (const sql of VIEWS) await this.run(sql);
    for (const sql of INDICATOR_VIEWS) await this.run(sql);
    // (partners' offers compared with their peers: they name tenderers by party_unit_names, above)
    for (const sql of BID_INDICATOR_VIEWS) await this.run(sql);
    for (const sql of PRICE_INDEX_VIEWS) await this.run(sql);
    return true;
  }

  /**
   * Append the rows of CSV files written with csvLine (typed by the table's columns). Their lines end
   * with `\n`, said to DuckDB: left to itself, it guessed them from the first line break it met, and
   * when that was a `\r` inside a quoted text (an item's description of two lines in a CSV file with
   * CRLF line ends, `"Surblouses\r\njetables"`) it found the quote unterminated, and the whole run
   * failed at the store (PUBLISH_STORE).
   */
  async loadCsv(table: string, files: readonly string[]): Promise<void> {
    if (files.length === 0) return;
    const t = tableSpec(table);
    const list = `[${files.map(sqlString).join(', ')}]`;
    await this.run(
      `INSERT INTO ${t.name} SELECT ${t.columns.map((c) => `"${c.name}"`).join(', ')} FROM read_csv(${list}, delim = ',', quote = '"', escape = '"', new_line = '\\n', header = false, auto_detect = false, max_line_size = ${STAGING_MAX_LINE_BYTES}, buffer_size = 33554432, columns = ${columnsArg(t)})`,
    );
  }

  /** Append the rows of NDJSON files to a table (DuckDB parses them, typed by the table's columns). */
  async loadJson(table: string, files: readonly string[]): Promise<void> {
    if (files.length === 0) return;
    const t = tableSpec(table);
    const list = `[${files.map(sqlString).join(', ')}]`;
    await this.run(`INSERT INTO ${t.name} SELECT ${t.columns.map((c) => `"${c.name}"`).join(', ')} FROM read_json(${list}, format = 'newline_delimited', columns = ${columnsArg(t)}, maximum_object_size = 33554432)`);
  }

  async close(): Promise<void> {
    try {
      await this.run('CHECKPOINT');
    } finally {
      this.conn.closeSync();
      this.instance.closeSync();
    }
  }
}

/** read_csv arguments for the job's tab-separated staging files (no quoting: fields hold no tab or line break). */
export function tsvArgs(columns: Readonly<Record<string, string>>): string {
  return `delim = '\\t', quote = '', escape = '', header = false, auto_detect = false, max_line_size = ${STAGING_MAX_LINE_BYTES}, buffer_size = 33554432, columns = {${Object.entries(columns)
    .map(([k, v]) => `'${k}': '${v}'`)
    .join(', ')}}`;
}

export function selectColumns(t: TableSpec, exclude: readonly string[] = []): string {
  return t.columns
    .filter((c) => !exclude.includes(c.name))
    .map((c) => `"${c.name}"`)
    .join(', ');
}

/** SQL: how many characters two texts share from their start. */
const commonPrefix = (a: string, b: string): string =>
  `(coalesce(nullif(list_position(list_transform(range(1, least(length(${a}), length(${b})) + 1), i -> substr(${a}, i::INTEGER, 1) = substr(${b}, i::INTEGER, 1)), false), 0), least(length(${a}), length(${b})) + 1) - 1)`;

/**
 * Views for the first questions of a monitor. Amounts are summed per currency (partners' data
 * is in theirs: an amount in PYG is never added to one in EUR; contracts without an amount have no
 * currency: their row's is null) and per `record_type` (a concession's value is its expected
 * turnover over its whole life, paid by its users, not what its buyer spends: never added to the
 * marchés' amounts; partners' contracts have none) and once per
 * contract (never once per supplier, never once per publication: rows with a
 * `duplicate_of` are left out), and a framework agreement's money once: the value of a call-off of a
 * framework the store holds is within the framework's (its maximum), and left out of the sums
 * (VALUE_IN_FRAMEWORK: when the framework gives a value; the call-off is still counted among the contracts). A party's name is its name in the
 * contract's own record, else its most frequent name in the others (a buyer
 * named in one file and not in another is named everywhere). A view's row of several contracts is
 * named by the name (or spelling) most frequent among them; ties go to the first in order, never to
 * the first row stored: a store built night by night, its rows in the order the nights brought them,
 * names them as a run over everything does (DuckDB's mode keeps the first of a tie in its input's
 * order: given sorted). The views that compare contracts of several buyers (a median, a share of the
 * year's contracts) compare them within one market (`contracts.market`: France's DECP, a partner's
 * country), as the monitor's indicators do.
 */
export const VIEWS: readonly string[] = [
  `CREATE OR REPLACE VIEW party_names AS
   SELECT party_id, mode(name ORDER BY name) AS name FROM parties WHERE name IS NOT NULL GROUP BY party_id`,
  `CREATE OR REPLACE VIEW contract_values AS
   SELECT c.ocid, c.contract_id, c.buyer_id, coalesce(b.name, (SELECT n.name FROM party_names n WHERE n.party_id = c.buyer_id)) AS buyer_name, c.year, c.title, c.procurement_method_details AS procedure,
          c.main_category, c.cpv, c.initial_amount, c.amount AS current_amount, c.amount - c.initial_amount AS change,
          CASE WHEN c.initial_amount > 0 THEN (c.amount - c.initial_amount) / c.initial_amount END AS change_ratio,
          c.amendments, c.corrections, c.currency, c.record_type, c.framework_agreement, c.call_off, c.framework_ocid, ${IN_FRAMEWORK('f')} AS in_framework,
          ${VALUE_IN_FRAMEWORK('f')} AS value_in_framework
   FROM contracts c LEFT JOIN parties b ON b.ocid = c.ocid AND b.party_id = c.buyer_id ${FRAMEWORKS_IN_STORE('c', 'f')}
   WHERE c.duplicate_of IS NULL`,
  // a concession's tariffs year on year (what its users pay: a monitor's first question of them, how
  // much they rose): one row per tariff and year that follows an earlier year of it, the tariff known
  // by its title's letters and digits ("Repas enfant", "REPAS ENFANT"), its currency and who pays it;
  // a title given twice in one year (two entries of a year, or twice in one entry) is its last
  // published (in an entry, by position: the 10th after the 2nd). A tariff without an amount, a title
  // or a year is no point of the series, nor one of a DECP year given without a date
  // (`executions.execution_id` n1, n2…: its release's date is the record's, not its year's)
  `CREATE OR REPLACE VIEW tariff_changes AS
   WITH t AS (
     SELECT t.ocid, t.contract_id, c.buyer_id, c.title AS contract_title, t.title, t.year, t.amount, t.currency, t.paid_by,
            lower(regexp_replace(strip_accents(t.title), '[^A-Za-z0-9]+', '', 'g')) AS title_key
     FROM tariffs t JOIN contracts c ON c.ocid = t.ocid AND c.contract_id = t.contract_id
     LEFT JOIN executions e ON e.ocid = t.ocid AND e.release_id = t.release_id
     WHERE c.duplicate_of IS NULL AND t.amount IS NOT NULL AND t.year IS NOT NULL AND t.title IS NOT NULL AND e.execution_id NOT LIKE 'n%' IS NOT FALSE
     QUALIFY row_number() OVER (PARTITION BY t.ocid, t.contract_id, title_key, t.currency, t.paid_by, t.year ORDER BY t.date DESC NULLS LAST, TRY_CAST(regexp_extract(t.tariff_id, '[0-9]+$') AS BIGINT) DESC NULLS LAST, t.tariff_id DESC) = 1),
   s AS (
     SELECT *, lag(year) OVER w AS previous_year, lag(amount) OVER w AS previous_amount
     FROM t WINDOW w AS (PARTITION BY ocid, contract_id, title_key, currency, paid_by ORDER BY year))
   SELECT s.ocid, s.contract_id, s.buyer_id, n.name AS buyer_name, s.contract_title, s.title, s.currency, s.paid_by,
          s.previous_year, s.previous_amount, s.year, s.amount, s.amount - s.previous_amount AS change,
          CASE WHEN s.previous_amount > 0 THEN s.amount / s.previous_amount - 1 END AS change_ratio
   FROM s LEFT JOIN party_names n ON n.party_id = s.buyer_id
   WHERE s.previous_year IS NOT NULL`,
  `CREATE OR REPLACE VIEW contracts_per_buyer AS
   SELECT c.buyer_id, ${sirenOf('c.buyer_id')} AS buyer_siren, coalesce(mode(p.name ORDER BY p.name), any_value(n.name)) AS buyer_name, c.year, c.record_type, c.currency, count(*) AS contracts,
          ${SUM_OUTSIDE_FRAMEWORKS('c.amount', 'f')} AS amount, ${SUM_OUTSIDE_FRAMEWORKS('c.initial_amount', 'f')} AS initial_amount
   FROM contracts c LEFT JOIN parties p ON p.ocid = c.ocid AND p.party_id = c.buyer_id
   LEFT JOIN party_names n ON n.party_id = c.buyer_id ${FRAMEWORKS_IN_STORE('c', 'f')}
   WHERE c.duplicate_of IS NULL
   GROUP BY c.buyer_id, c.year, c.record_type, c.currency`,
  `CREATE OR REPLACE VIEW contracts_per_supplier AS
   SELECT s.party_id AS supplier_id, ${sirenOf('s.party_id')} AS supplier_siren, coalesce(mode(p.name ORDER BY p.name), any_value(n.name)) AS supplier_name, c.year, c.record_type, c.currency, count(DISTINCT c.ocid || '/' || c.contract_id) AS contracts,
          ${SUM_OUTSIDE_FRAMEWORKS('c.amount / greatest(c.suppliers, 1)', 'f')} AS amount_shared
   FROM contracts c JOIN contract_suppliers s ON s.ocid = c.ocid AND s.contract_id = c.contract_id
   LEFT JOIN parties p ON p.ocid = s.ocid AND p.party_id = s.party_id
   LEFT JOIN party_names n ON n.party_id = s.party_id ${FRAMEWORKS_IN_STORE('c', 'f')}
   WHERE c.duplicate_of IS NULL
   GROUP BY s.party_id, c.year, c.record_type, c.currency`,
  `CREATE OR REPLACE VIEW contracts_per_cpv AS
   SELECT c.market, left(c.cpv, 2) AS cpv_division, c.cpv, c.year, c.record_type, c.currency, count(*) AS contracts,
          ${SUM_OUTSIDE_FRAMEWORKS('c.amount', 'f')} AS amount, median(c.amount) AS median_amount
   FROM contracts c ${FRAMEWORKS_IN_STORE('c', 'f')}
   WHERE c.duplicate_of IS NULL GROUP BY c.market, c.cpv, c.year, c.record_type, c.currency`,
  // one row per procedure whatever its spelling ("Appel d offres ouvert", "Appel d'offres ouvert",
  // "APPEL D'OFFRES OUVERT"): grouped by its letters and digits, named by its most frequent spelling
  `CREATE OR REPLACE VIEW procedures_mix AS
   SELECT c.market, c.year, c.record_type, c.procurement_method, mode(c.procurement_method_details ORDER BY c.procurement_method_details) AS procedure, c.currency, count(*) AS contracts, ${SUM_OUTSIDE_FRAMEWORKS('c.amount', 'f')} AS amount,
          CAST(count(*) AS DOUBLE) / sum(count(*)) OVER (PARTITION BY c.market, c.year, c.record_type) AS share
   FROM (SELECT *, lower(regexp_replace(strip_accents(procurement_method_details), '[^A-Za-z0-9]+', '', 'g')) AS procedure_key
         FROM contracts WHERE duplicate_of IS NULL) c ${FRAMEWORKS_IN_STORE('c', 'f')}
   GROUP BY c.market, c.year, c.record_type, c.procurement_method, c.procedure_key, c.currency`,
  // contracts that may be one contract counted twice, which no rule links: its platforms wrote its id
  // otherwise (2019A015 and 2019A01501, 201818PA0027 and 201818PA027: two ocids), or under one ocid
  // their CPVs and titles share nothing (flatten's alikeSets). Both stay counted — two lots of one
  // company, same day and amount, look the same — and are listed here, pair by pair, for a monitor to
  // judge: one buyer (by SIREN), signature day, kind, initial amount above 0 and currency, and the same
  // suppliers at award (by SIREN), DECP contracts counted only; not two whose titles name other lots
  // ("Lot n°1 Mobilier", "Lot n°2 Matériels": as flatten's lotNumbers reads them)
  // (nor two sibling ids, a stem each with a suffix of its own of 1 to 3 characters — 2019S0129b and
  // 2019S0129c, 18A06903 and 18A06906, FCS0022L1 and FCS0022L2: lots of one procedure, most of the
  // samples' pairs —; one id that goes on from the other, 2019A015 and 2019A01501, stays listed, and so
  // does one id written with and without a zero or in another case, 18PA0027 and 18PA027, 2019C0131B
  // and 2019C0131b: their suffixes, 027 and 27, B and b, are one)
  // (the suppliers are gathered only for contracts that share buyer, day, amount, currency and kind
  // with another: on a 1M-contract store, gathering every contract's took 20 s and 1 GB)
  `CREATE OR REPLACE VIEW possible_duplicates AS
   WITH base AS (
     SELECT c.ocid, c.contract_id, c.award_id, ${unitOf('c.buyer_id')} AS buyer_siren, c.signed_day, c.record_type, c.initial_amount, c.currency, c.cpv, c.title
     FROM contracts c
     WHERE c.duplicate_of IS NULL AND c.decp_version IS NOT NULL AND c.signed_day IS NOT NULL AND c.initial_amount > 0 AND c.buyer_id IS NOT NULL),
   twin AS (
     SELECT * FROM base QUALIFY count(*) OVER (PARTITION BY buyer_siren, signed_day, initial_amount, currency, record_type) > 1),
   sup AS (
     SELECT s.ocid, s.award_id, string_agg(DISTINCT ${unitOf('s.party_id')}, ' ' ORDER BY ${unitOf('s.party_id')}) AS suppliers
     FROM award_suppliers s WHERE s.ocid IN (SELECT ocid FROM twin) GROUP BY s.ocid, s.award_id),
   k AS (
     SELECT t.*, sup.suppliers,
            list_sort(list_distinct(list_transform(regexp_extract_all(strip_accents(coalesce(t.title, '')), '(?i)\\blots?\\s*(?:n\\s*[°o]\\s*|no\\.?\\s*|#\\s*)?([0-9]{1,4})(?:[^0-9]|$)', 1), x -> x::INTEGER))) AS lots
     FROM twin t LEFT JOIN sup ON sup.ocid = t.ocid AND sup.award_id = t.award_id)
   SELECT a.ocid, a.contract_id, b.ocid AS other_ocid, b.contract_id AS other_contract_id, a.ocid = b.ocid AS same_ocid, a.buyer_siren, a.signed_day, a.record_type,
          a.initial_amount, a.currency, a.title, b.title AS other_title, a.cpv, b.cpv AS other_cpv
   FROM k a JOIN k b ON b.buyer_siren = a.buyer_siren AND b.signed_day = a.signed_day AND b.initial_amount = a.initial_amount AND b.suppliers = a.suppliers
     AND b.currency IS NOT DISTINCT FROM a.currency AND b.record_type IS NOT DISTINCT FROM a.record_type AND (b.ocid, b.contract_id) > (a.ocid, a.contract_id)
   CROSS JOIN LATERAL (SELECT ${commonPrefix('a.ocid', 'b.ocid')} AS n) c
   WHERE (len(a.lots) = 0 OR len(b.lots) = 0 OR a.lots = b.lots)
     AND NOT (length(a.ocid) - c.n BETWEEN 1 AND 3 AND length(b.ocid) - c.n BETWEEN 1 AND 3
       AND lower(ltrim(substr(a.ocid, c.n + 1), '0')) <> lower(ltrim(substr(b.ocid, c.n + 1), '0')))`,
  `CREATE OR REPLACE VIEW duplicate_publications AS
   SELECT rs.release_id, rs.ocid, count(*) AS publications, count(DISTINCT rs.source_sha256) AS files,
          list(DISTINCT s.path ORDER BY s.path) AS paths
   FROM release_sources rs LEFT JOIN sources s ON s.sha256 = rs.source_sha256
   GROUP BY rs.release_id, rs.ocid HAVING count(*) > 1`,
];
