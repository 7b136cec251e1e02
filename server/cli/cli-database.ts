/**
 * The CLI's way to the database: PostgreSQL when DATABASE_URL is set, otherwise the embedded
 * PGlite in COPLAN_DATA_DIR. PGlite is single-process, so the CLI first takes the data
 * directory's lock, the same one the server holds while it runs, and refuses clearly if it can't.
 *
 * Taking the lock and opening the database are separate steps, so a command can refuse at once
 * when the server runs, and still ask for a password before spending a second opening PGlite.
 */
import { openDatabase, type DatabaseHandle } from '../../db/client';
import { acquireDataDirLock, type DataDirLock } from '../../db/data-dir-lock';

/** Reads DATABASE_URL and COPLAN_DATA_DIR; `process.env` fits. */
export type CliDatabaseEnv = Readonly<Record<string, string | undefined>>;

export interface CliDatabase {
  open(): Promise<DatabaseHandle>;
  /** Closes the database if it was opened and releases the lock; safe to call more than once. */
  close(): Promise<void>;
}

export const defaultDataDir = './.data';

export function prepareCliDatabase(env: CliDatabaseEnv): CliDatabase {
  const databaseUrl = env['DATABASE_URL']?.trim() || undefined;
  const dataDir = env['COPLAN_DATA_DIR']?.trim() || defaultDataDir;
  const lock: DataDirLock | null = databaseUrl
    ? null
    : acquireDataDirLock(dataDir, 'the Coplan CLI');
  let opening: Promise<DatabaseHandle> | undefined;
  return {
    open() {
      opening ??= openDatabase({ databaseUrl, dataDir });
      return opening;
    },
    async close() {
      try {
        const handle = await opening?.catch(() => undefined);
        await handle?.close();
      } finally {
        lock?.release();
      }
    },
  };
}
