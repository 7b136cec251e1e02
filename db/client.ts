/**
 * Opens the one database client. With a DATABASE_URL it talks to PostgreSQL through postgres.js;
 * without, it runs PGlite (PostgreSQL compiled to WebAssembly) in this process, storing its files
 * under `<dataDir>/pglite`. Both sit behind the same Drizzle type, so queries never know which.
 *
 * Opening applies the committed migrations (db/migrations) before anything else can query.
 *
 * Only the server and the CLI import this module; code that Next bundles reaches the open
 * database through db/database.ts.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

import { forgetDatabase, type Database, type DatabaseHandle, type DatabaseKind } from './database';
import * as schema from './schema';

export type { Database, DatabaseHandle, DatabaseKind };

/** A pino logger satisfies this; so does anything with a structured `info`. */
export interface DatabaseLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

export interface OpenDatabaseOptions {
  /** postgres://… — when absent, the embedded PGlite database under `dataDir` is used. */
  databaseUrl?: string;
  /** Coplan's data directory (COPLAN_DATA_DIR); PGlite keeps its files in `<dataDir>/pglite`. */
  dataDir: string;
  /**
   * Where the committed migrations are. Defaults to `<cwd>/db/migrations`: a path derived from
   * `import.meta.url` would point into `.next/` once Next has bundled this module.
   */
  migrationsFolder?: string;
  logger?: DatabaseLogger;
}

const openPgliteDirsKey = Symbol.for('coplan.database.pgliteDirs');

type CoplanGlobal = typeof globalThis & {
  [openPgliteDirsKey]?: Set<string>;
};

const coplanGlobal = globalThis as CoplanGlobal;

/**
 * PGlite must not open one data directory twice in a process (the two instances would overwrite
 * each other's files), and both copies of this module must see the same record of that.
 */
function openPgliteDirs(): Set<string> {
  coplanGlobal[openPgliteDirsKey] ??= new Set();
  return coplanGlobal[openPgliteDirsKey];
}

// Any constant works; it only has to be the same in every Coplan instance sharing a database.
const migrationLockKey = 0x636f706c; // "copl"

function resolveMigrationsFolder(option: string | undefined): string {
  const folder = path.resolve(option ?? path.join(process.cwd(), 'db', 'migrations'));
  if (!existsSync(path.join(folder, 'meta', '_journal.json'))) {
    throw new Error(
      `no migrations in ${folder}: start Coplan from the repository root, or pass migrationsFolder`,
    );
  }
  return folder;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const migrationsFolder = resolveMigrationsFolder(options.migrationsFolder);
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, migrationsFolder, options.logger)
    : openPglite(options.dataDir, migrationsFolder, options.logger);
}

/**
 * Several Coplan instances may start at once against one PostgreSQL. Drizzle's migrator reads
 * the applied migrations before its transaction, so two of them would both try to apply the same
 * one. A session advisory lock on a dedicated one-connection client serialises them.
 */
async function migratePostgresOnce(databaseUrl: string, migrationsFolder: string): Promise<void> {
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${migrationLockKey})`;
    await migratePostgres(drizzlePostgres({ client, casing: 'snake_case' }), { migrationsFolder });
    await client`select pg_advisory_unlock(${migrationLockKey})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function openPostgres(
  databaseUrl: string,
  migrationsFolder: string,
  logger: DatabaseLogger | undefined,
): Promise<DatabaseHandle> {
  await migratePostgresOnce(databaseUrl, migrationsFolder);
  const client = postgres(databaseUrl, { max: 10, onnotice: () => {} });
  const db: Database = drizzlePostgres({ client, schema, casing: 'snake_case' });
  logger?.info({ kind: 'postgres' }, 'database ready');
  return createHandle(db, 'postgres', () => client.end({ timeout: 5 }));
}

async function openPglite(
  dataDir: string,
  migrationsFolder: string,
  logger: DatabaseLogger | undefined,
): Promise<DatabaseHandle> {
  const directory = path.resolve(dataDir, 'pglite');
  const openDirs = openPgliteDirs();
  if (openDirs.has(directory)) {
    throw new Error(`PGlite is already open on ${directory} in this process`);
  }
  openDirs.add(directory);
  let client: PGlite | undefined;
  try {
    mkdirSync(directory, { recursive: true });
    client = await PGlite.create(directory);
    const pgliteDb = drizzlePglite({ client, schema, casing: 'snake_case' });
    await migratePglite(pgliteDb, { migrationsFolder });
    const db: Database = pgliteDb;
    logger?.info({ kind: 'pglite', directory }, 'database ready');
    const opened = client;
    return createHandle(db, 'pglite', async () => {
      try {
        await opened.close();
      } finally {
        openDirs.delete(directory);
      }
    });
  } catch (error) {
    await client?.close().catch(() => {});
    openDirs.delete(directory);
    throw error;
  }
}

function createHandle(
  db: Database,
  kind: DatabaseKind,
  closeDriver: () => Promise<void>,
): DatabaseHandle {
  let closing: Promise<void> | undefined;
  const handle: DatabaseHandle = {
    db,
    kind,
    async ping() {
      await db.execute(sql`select 1`);
    },
    close() {
      // Idempotent: shutdown paths (SIGTERM, a failed start, a test's afterAll) may overlap.
      closing ??= (async () => {
        forgetDatabase(handle);
        await closeDriver();
      })();
      return closing;
    },
  };
  return handle;
}
