/**
 * Starts the app the way `npm start` does (building it when stale) on a database of its own:
 * a fresh PostgreSQL database when DATABASE_URL is set, with the actors created through the
 * admin CLI; otherwise the embedded database in a temporary directory, with its demo accounts.
 * Returns the teardown: SIGTERM, then drop the database.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createTestDatabase } from '../server/testing/test-database';
import { actorPassword, actors, planSlug } from './actors';
import { e2eBaseUrl, e2ePort } from './e2e-config';

const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): void {
  const result = spawnSync(tsx, ['server/cli/main.ts', ...args], {
    cwd: root,
    env,
    input,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`coplan ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }
}

async function waitForHealth(server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10 * 60_000; // the first start builds the app
  while (Date.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(`the server exited (${server.exitCode}); see test-results/e2e-server.log`);
    try {
      const response = await fetch(`${e2eBaseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the server did not become healthy in time');
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const database = await createTestDatabase();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(e2ePort),
    COPLAN_DATA_DIR: database.dataDir,
    COPLAN_PUBLIC_URL: e2eBaseUrl,
    LOG_LEVEL: 'warn',
  };
  if (database.databaseUrl) {
    env.DATABASE_URL = database.databaseUrl;
    env.AUTH_SECRET = randomBytes(32).toString('base64url');
    // For specs that change roles with the admin CLI, as an operator would (workers inherit it).
    process.env.E2E_DATABASE_URL = database.databaseUrl;
  } else {
    delete env.DATABASE_URL;
    delete env.AUTH_SECRET;
  }

  mkdirSync(join(root, 'test-results'), { recursive: true });
  const log = createWriteStream(join(root, 'test-results', 'e2e-server.log'));
  const server = spawn(tsx, ['server/start.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  await waitForHealth(server);
  // For the check that no secret reaches the client bundle (security-headers.spec.ts); on the
  // embedded database the server generated it into its data directory.
  process.env.E2E_AUTH_SECRET =
    env.AUTH_SECRET ?? readFileSync(join(database.dataDir, 'auth-secret'), 'utf8').trim();

  if (database.databaseUrl) {
    // A real deployment has no demo accounts: create the actors as an operator would.
    for (const actor of actors) {
      runCli(
        ['user', 'add', '--email', actor.email, '--name', actor.name, '--org', actor.org],
        env,
        `${actorPassword}\n`,
      );
      runCli(
        ['member', 'add', '--plan', planSlug, '--email', actor.email, '--role', actor.role],
        env,
      );
    }
  }

  return async () => {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    await database.drop();
  };
}
