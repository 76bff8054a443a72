/**
 * Tables the store derives from its own, one ocid at a time (`priced_items`, `release_counts`):
 * what every run worked out again for the whole store is kept, and each run works out again the
 * rows of the ocids it recompiled only. A row depends on its own ocid's rows only, so these are all
 * that change.
 *
 * store_meta `<table>` names the rules a table was made by (a hash of their SQL) and the run that
 * left it up to date. A run whose store names other rules, or another run than the one before it
 * (a store written before the table, or last run by a version of decp-ocds without it, which
 * recompiled ocids and left their rows as they were), makes the whole table again (dropped and
 * created: other rules may have had other columns).
 */
import { createHash } from 'node:crypto';

export interface PerOcidTable {
  readonly name: string;
  /** The SELECT of every row. */
  readonly all: string;
  /**
   * The rows of the ocids recompiled: statements to run first (copies of the ocids' rows), the
   * SELECT, statements to run after (dropping the copies). `recompiled(x)` is the condition that keeps
   * the recompiled ocids' rows of a table aliased `x` with columns `ocid` and `chunk` (it reads the
   * chunks recompiled only: see store-tables.ts).
   */
  some(recompiled: (alias: string) => string): { readonly before: readonly string[]; readonly select: string; readonly after: readonly string[] };
}

/** The table, without rows (the store's migration makes it: views may read it). */
export const perOcidDdl = (t: PerOcidTable): string => `CREATE TABLE IF NOT EXISTS ${t.name} AS ${t.all} LIMIT 0`;

/** What store_meta says of a table that run `runId` left up to date. */
const perOcidMarker = (t: PerOcidTable, runId: number): string => `${createHash('sha256').update(t.all).digest('hex').slice(0, 16)} run ${runId}`;

/** Whether run `runId` makes table `t` again whole (store_meta says `said`: not the marker of the run before). */
export const perOcidRemade = (t: PerOcidTable, said: string | undefined, runId: number): boolean => said !== perOcidMarker(t, runId - 1);

/**
 * The statements that bring table `t` up to date for run `runId`: the rows of the ocids touched
 * (`touched`: SQL with a column `ocid`) replaced by those of the ocids recompiled (`recompiled`: see
 * PerOcidTable.some), or the whole table when `said` (store_meta's value) is not the marker of the run
 * before.
 */
export function perOcidRefresh(t: PerOcidTable, said: string | undefined, runId: number, touched: string, recompiled: (alias: string) => string): string[] {
  // (a table's name and its marker are ours: letters, digits, `_` and spaces)
  const marker = [`DELETE FROM store_meta WHERE key = '${t.name}'`, `INSERT INTO store_meta VALUES ('${t.name}', '${perOcidMarker(t, runId)}')`];
  if (perOcidRemade(t, said, runId)) return [`DROP TABLE IF EXISTS ${t.name}`, `CREATE TABLE ${t.name} AS ${t.all}`, ...marker];
  const some = t.some(recompiled);
  return [...some.before, `DELETE FROM ${t.name} WHERE ocid IN (${touched})`, `INSERT INTO ${t.name} ${some.select}`, ...some.after, ...marker];
}
