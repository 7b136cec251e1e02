/**
 * Starts Coplan: configuration, database (migrations and first-start seed), Next, then the one
 * HTTP server. SIGTERM and SIGINT shut it down in order: stop accepting, commit what is queued,
 * close connections, close the database.
 */
import { resolve } from 'node:path';

import { acquireDataDirLock } from '../db/data-dir-lock';
import { clearCurrentDatabase, setCurrentDatabase } from '../db/database';
import { buildIfStale } from './build-if-stale';
import { openDatabaseWhenReady } from './database-when-ready';
import { EnvError, exportEnvForNext, loadEnv } from './env';
import { createCoplanServer, type NextHandlers } from './http/coplan-server';
import { createRootLogger } from './logger';

const say = (line: string) => process.stdout.write(`${line}\n`);

export async function runServer(options: { dev: boolean }): Promise<void> {
  const started = performance.now();
  const root = resolve(import.meta.dirname, '..');
  let env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`Coplan cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createRootLogger(env.logLevel);

  if (!options.dev) await buildIfStale(root, say);

  const lock = env.databaseUrl ? null : acquireDataDirLock(env.dataDir, 'the Coplan server');
  const database = openDatabaseWhenReady({
    databaseUrl: env.databaseUrl,
    dataDir: env.dataDir,
    log: log.child({ module: 'database' }),
  });
  setCurrentDatabase(database);
  // The embedded database opens now or never; PostgreSQL may come later (see
  // database-when-ready.ts), and the server serves 503 until it does.
  if (database.kind === 'pglite') {
    const seeded = await database.ready;
    if (seeded.created && seeded.demoAccounts.length > 0) {
      say('\nDemo accounts (embedded database only):');
      for (const account of seeded.demoAccounts) {
        say(
          `  ${account.email.padEnd(26)} ${account.password}   ${account.role} (${account.organisation})`,
        );
      }
      say('');
    }
  }

  exportEnvForNext(env);
  const { default: next } = await import('next');
  const app = next({ dev: options.dev, dir: root, port: env.port, hostname: 'localhost' });
  await app.prepare();
  const handle = app.getRequestHandler();
  const nextHandlers: NextHandlers = {
    handleRequest: (req, res) => handle(req, res),
    dev: options.dev,
  };
  const server = createCoplanServer({
    env,
    database,
    log,
    next: nextHandlers,
    redisUrl: env.redisUrl,
    mail: env.mail,
    trustedProxies: env.trustedProxies,
  });
  const address = await server.listen();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  say(
    `Coplan is ready on ${env.publicUrl.origin} (port ${address.port}, ` +
      `${database.kind === 'pglite' ? `embedded database in ${env.dataDir}` : 'PostgreSQL'}, ` +
      `${options.dev ? 'development' : 'production'}, ${seconds} s)`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    try {
      await server.close();
      await app.close();
      await database.close();
      clearCurrentDatabase();
    } catch (error) {
      log.error({ err: error }, 'error during shutdown');
    } finally {
      lock?.release();
      process.exit(0);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
