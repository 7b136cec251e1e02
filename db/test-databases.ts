/**
 * Fresh databases for integration tests, one per driver, so that a contract suite can run the
 * same cases against both: PGlite in a temporary directory, and a throw-away database
 * `coplan_test_<random>` on the PostgreSQL at COPLAN_TEST_POSTGRES_URL (default: the local one,
 * trust auth), dropped afterwards.
 *
 * Without a reachable PostgreSQL the PostgreSQL suite is skipped with a warning, unless
 * COPLAN_TEST_POSTGRES_URL is set, in which case failing to reach it fails the run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import postgres from 'postgres';

import { openDatabase, type DatabaseHandle } from './client';

export interface TestDatabase {
  handle: DatabaseHandle;
  /** Opens a second handle on the same database (PGlite: only once the first is closed). */
  reopen(): Promise<DatabaseHandle>;
  dispose(): Promise<void>;
}

export interface TestDatabaseKind {
  name: 'pglite' | 'postgres';
  /** Null when the kind can run here; otherwise why not. */
  unavailable: string | null;
  /**
   * `concurrentOpens` (PostgreSQL only) opens that many handles at once on the fresh database,
   * as several server instances starting together would; `handle` is the first of them.
   */
  create(options?: { concurrentOpens?: number }): Promise<TestDatabase>;
}

const explicitPostgresUrl = process.env['COPLAN_TEST_POSTGRES_URL'] ?? process.env['DATABASE_URL'];
const postgresAdminUrl = explicitPostgresUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function checkPostgres(): Promise<string | null> {
  const admin = postgres(postgresAdminUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await admin`select 1`;
    return null;
  } catch (error) {
    if (explicitPostgresUrl) throw error;
    const reason = `no PostgreSQL at ${postgresAdminUrl} (${(error as Error).message})`;
    console.warn(`skipping the PostgreSQL contract suites: ${reason}`);
    return reason;
  } finally {
    await admin.end({ timeout: 1 });
  }
}

function temporaryDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'coplan-test-'));
}

const pglite: TestDatabaseKind = {
  name: 'pglite',
  unavailable: null,
  async create() {
    const dataDir = temporaryDataDir();
    const handle = await openDatabase({ dataDir });
    return {
      handle,
      reopen: () => openDatabase({ dataDir }),
      async dispose() {
        await handle.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

const postgresKind: TestDatabaseKind = {
  name: 'postgres',
  unavailable: await checkPostgres(),
  async create(options = {}) {
    const name = `coplan_test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
    await admin`create database ${admin(name)}`;
    const url = new URL(postgresAdminUrl);
    url.pathname = `/${name}`;
    const dataDir = temporaryDataDir(); // unused by postgres, but required by openDatabase
    const opened: DatabaseHandle[] = [];
    const open = async () => {
      const handle = await openDatabase({ databaseUrl: url.toString(), dataDir });
      opened.push(handle);
      return handle;
    };
    try {
      const handles = await Promise.all(
        Array.from({ length: options.concurrentOpens ?? 1 }, () => open()),
      );
      const handle = handles[0];
      if (!handle) throw new Error('concurrentOpens must be at least 1');
      return {
        handle,
        reopen: open,
        async dispose() {
          await Promise.all(opened.map((each) => each.close()));
          await admin`drop database if exists ${admin(name)} with (force)`;
          await admin.end({ timeout: 5 });
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      await Promise.all(opened.map((each) => each.close().catch(() => {})));
      await admin`drop database if exists ${admin(name)} with (force)`;
      await admin.end({ timeout: 5 });
      throw error;
    }
  },
};

export const testDatabaseKinds: readonly TestDatabaseKind[] = [pglite, postgresKind];
