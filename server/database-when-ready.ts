/**
 * The database as the server holds it: opened, migrated and seeded in the background, retried
 * until it answers. With PostgreSQL the server starts even while the database is unreachable:
 * health answers 503, connections are refused with 503 and pages fail, until it opens. Nothing
 * is seeded until the database can say whether it is empty, so a database that was only away
 * is never given a second plan or an overwritten one.
 */
import { DomainError } from '../domain/domain-error';
import { openDatabase } from '../db/client';
import type { Database, DatabaseHandle, DatabaseKind } from '../db/database';
import { seedDatabase, type SeedResult } from '../db/seed';
import { hashPassword } from './auth/passwords';
import type { Logger } from './logger';

export interface DatabaseWhenReady extends DatabaseHandle {
  /** Resolves once the database is open, migrated and seeded. */
  readonly ready: Promise<SeedResult>;
}

export function openDatabaseWhenReady(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  log: Logger;
  retryMs?: number;
}): DatabaseWhenReady {
  const { log } = options;
  const kind: DatabaseKind = options.databaseUrl ? 'postgres' : 'pglite';
  let inner: DatabaseHandle | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const unavailable = () =>
    new DomainError('unavailable', 'the database is not reachable yet; try again shortly');

  const ready = new Promise<SeedResult>((resolve, reject) => {
    let reported = false;
    const attempt = async () => {
      retry = null;
      if (closed) return;
      let opened: DatabaseHandle | null = null;
      try {
        opened = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
        const seeded = await seedDatabase(opened.db, {
          // Demo accounts exist only on the embedded database.
          demoAccounts: kind === 'pglite' ? { hashPassword } : null,
          log: (line) => log.info(line),
        });
        if (closed) {
          await opened.close();
          return;
        }
        inner = opened;
        if (reported) log.info('the database is reachable again');
        resolve(seeded);
      } catch (error) {
        await opened?.close().catch(() => {});
        // The embedded database has no network to wait for: its failure is final.
        if (kind === 'pglite') {
          reject(error);
          return;
        }
        if (!reported) {
          log.error({ err: error }, 'the database is not reachable; retrying');
          reported = true;
        }
        retry = setTimeout(() => void attempt(), options.retryMs ?? 2_000);
      }
    };
    void attempt();
  });
  // A caller that never awaits `ready` must not see an unhandled rejection.
  ready.catch(() => {});

  return {
    kind,
    ready,
    get db(): Database {
      if (!inner) throw unavailable();
      return inner.db;
    },
    async ping() {
      if (!inner) throw unavailable();
      await inner.ping();
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await inner?.close();
    },
  };
}
