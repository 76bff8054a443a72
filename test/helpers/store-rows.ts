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
