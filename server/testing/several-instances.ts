/**
 * What the several-instances tests need: PostgreSQL (DATABASE_URL) shared by the instances, and
 * Redis between them. Locally a test without them is skipped, saying why; in CI (`CI` set) a
 * missing Redis is not a reason to skip: the test runs and fails.
 */
import { connect } from 'node:net';

export const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

function isReachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Why the several-instances tests cannot run here, or null when they can. */
export async function severalInstancesSkipReason(): Promise<string | null> {
  if (!process.env.DATABASE_URL) return 'needs PostgreSQL (set DATABASE_URL)';
  const redisUp = await isReachable(redisUrl.hostname, Number(redisUrl.port || 6379));
  return !redisUp && !process.env.CI ? `needs Redis at ${redisUrl.host}` : null;
}
