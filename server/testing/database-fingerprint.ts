/**
 * A fingerprint of every table in a test database: its row count and a hash of its rows, so a
 * test can assert that a refused request changed nothing (`expect(after).toEqual(before)`).
 * Works on PostgreSQL and PGlite alike.
 */
import { sql } from 'drizzle-orm';

import type { Database } from '../../db/database';

export type DatabaseFingerprint = Record<string, { rows: number; hash: string | null }>;

/** `db.execute` returns an array on postgres.js and `{ rows }` on PGlite. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

export async function fingerprintDatabase(
  db: Database,
  options: { except?: string[] } = {},
): Promise<DatabaseFingerprint> {
  const tables = rowsOf<{ table_name: string }>(
    await db.execute(
      sql`select table_name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    ),
  )
    .map((row) => row.table_name)
    .filter((name) => !(options.except ?? []).includes(name));
  const fingerprint: DatabaseFingerprint = {};
  for (const table of tables) {
    const [row] = rowsOf<{ rows: number | string; hash: string | null }>(
      await db.execute(
        sql.raw(
          `select count(*) as rows, md5(string_agg(t::text, '|' order by t::text)) as hash
           from "${table.replaceAll('"', '""')}" t`,
        ),
      ),
    );
    fingerprint[table] = { rows: Number(row?.rows ?? 0), hash: row?.hash ?? null };
  }
  return fingerprint;
}
