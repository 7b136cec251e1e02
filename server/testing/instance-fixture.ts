/**
 * One Coplan instance in a child process, for the several-instances tests: the real server
 * (sync, socket.io, Redis bridge) without Next, configured from the environment like
 * `npm start` (DATABASE_URL, AUTH_SECRET, COPLAN_PUBLIC_URL, REDIS_URL; PORT=0 picks a port).
 * The caller seeds the database first. Prints `{"port":…}` on one line once it listens.
 *
 * A process of its own, not a second server in the test's process: the database handle is a
 * process-wide singleton, and killing an instance must be a real kill -9 that flushes nothing.
 */
import { openDatabase } from '../../db/client';
import { setCurrentDatabase } from '../../db/database';
import { loadEnv } from '../env';
import { createCoplanServer } from '../http/coplan-server';
import { createRootLogger } from '../logger';

const env = loadEnv();
const log = createRootLogger(env.logLevel);
const database = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
setCurrentDatabase(database);
const server = createCoplanServer({
  env,
  database,
  log,
  unloadGraceMs: 50,
  redisUrl: env.redisUrl,
});
const address = await server.listen();
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => database.close())
    .finally(() => process.exit(0));
});
