/** A published store's rows, read-only (tests). */
import { DuckDBInstance } from '@duckdb/node-api';

export async function storeRows<T>(db: string, sql: string): Promise<T[]> {
  const inst = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as unknown as T[];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

/** A store's rows as JavaScript objects (BIGINT as bigint, DATE as a Date-like value: getRowObjectsJS), read-only; `:memory:` for a scratch database. */
export async function storeObjects<T = Record<string, unknown>>(db: string, sql: string): Promise<T[]> {
  const inst = await DuckDBInstance.create(db, db === ':memory:' ? {} : { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as T[];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}
