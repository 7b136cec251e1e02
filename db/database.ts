/**
 * The process's current database, and the types every query takes. This module holds no driver:
 * code bundled by Next (route handlers, server components) imports it without pulling PGlite,
 * postgres.js or the migrator into the bundle; db/client.ts opens the database.
 *
 * Next bundles app/ separately from server/, so this module can be evaluated twice in one
 * process. The open handle is therefore kept on `globalThis`, not in a module variable: the
 * server opens the database and calls `setCurrentDatabase`; route handlers call
 * `getCurrentDatabase`.
 */
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

import type * as schema from './schema';

/** The Drizzle database both drivers share; queries (and transactions) take this type. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseHandle {
  readonly db: Database;
  readonly kind: DatabaseKind;
  /** Resolves when the database answers a trivial query (readiness checks). */
  ping(): Promise<void>;
  /** Closes the pool (or PGlite); also stops being the current database if it was. */
  close(): Promise<void>;
}

const currentKey = Symbol.for('coplan.database');

type CoplanGlobal = typeof globalThis & { [currentKey]?: DatabaseHandle };

const coplanGlobal = globalThis as CoplanGlobal;

/** Makes `handle` the process's database, for code that cannot be handed it (Next route handlers). */
export function setCurrentDatabase(handle: DatabaseHandle): void {
  const current = coplanGlobal[currentKey];
  if (current && current !== handle) {
    throw new Error('another database is already current; close or clear it first');
  }
  coplanGlobal[currentKey] = handle;
}

export function getCurrentDatabase(): DatabaseHandle {
  const current = coplanGlobal[currentKey];
  if (!current) {
    throw new Error(
      'no database is open in this process: the Coplan server opens it when it starts (npm start, npm run dev)',
    );
  }
  return current;
}

/** Forgets `handle` if it is the current database (called when it closes). */
export function forgetDatabase(handle: DatabaseHandle): void {
  if (coplanGlobal[currentKey] === handle) delete coplanGlobal[currentKey];
}

/** Forgets the current database without closing it. */
export function clearCurrentDatabase(): void {
  delete coplanGlobal[currentKey];
}
