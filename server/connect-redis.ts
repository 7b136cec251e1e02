/**
 * One Redis connection (ioredis) for the several-instances mode, used only when REDIS_URL is set.
 *
 * Redis is a messenger here, never the record: while it is unreachable each instance keeps
 * serving its own clients from PostgreSQL, and the connection retries in the background. That
 * shapes the defaults below. Commands are refused at once while disconnected (no offline queue),
 * so a publish during an outage is dropped instead of piling up in memory and arriving stale.
 * The connection's state is logged when it changes, not on every retry.
 */
import { Redis, type RedisOptions } from 'ioredis';

import type { Logger } from './logger';

export interface ConnectRedisOptions {
  /** Names the connection in the log, e.g. "sync publisher". */
  name: string;
  log: Logger;
  /**
   * Whether this connection reports outages at warn level. An instance opens four connections to
   * the same Redis; one of them speaking is enough, the others say it at debug level.
   */
  reportsOutages?: boolean;
  /** Overrides of the defaults, e.g. an offline queue for a client that must not lose commands. */
  redis?: RedisOptions;
}

// Retry quickly at first and then every 2 s: a restarted Redis is back within one retry.
const retryDelayMs = (attempt: number) => Math.min(attempt * 200, 2_000);

export interface RedisConnection {
  readonly client: Redis;
  /** Closes the connection and stops retrying; quiet in the log. */
  close(): Promise<void>;
}

export function connectRedis(url: string, options: ConnectRedisOptions): RedisConnection {
  const { name, log } = options;
  const client = new Redis(url, {
    connectionName: `coplan-${name.replaceAll(' ', '-')}`,
    enableOfflineQueue: false,
    // With no offline queue nothing waits for a reconnect, so no retry limit is needed either.
    maxRetriesPerRequest: null,
    retryStrategy: retryDelayMs,
    ...options.redis,
  });
  let state: 'starting' | 'up' | 'down' = 'starting';
  let closing = false;
  const reports = options.reportsOutages ?? false;
  client.on('ready', () => {
    if (state === 'up') return;
    const message = state === 'down' ? 'redis reachable again' : 'redis connected';
    if (reports) log.info({ redis: name }, message);
    else log.debug({ redis: name }, message);
    state = 'up';
  });
  const markDown = (error?: unknown) => {
    if (closing || state === 'down') return;
    state = 'down';
    const fields = { redis: name, err: error };
    const message =
      'redis unreachable: serving this instance’s clients only, retrying in the background';
    if (reports) log.warn(fields, message);
    else log.debug(fields, message);
  };
  // Without an 'error' listener ioredis prints every failed retry; the state change is enough.
  client.on('error', (error: unknown) => markDown(error));
  client.on('close', () => markDown());
  return {
    client,
    async close() {
      closing = true;
      try {
        await client.quit();
      } catch {
        // Not connected (an outage): nothing to say goodbye to, just stop retrying.
        client.disconnect();
      }
    },
  };
}
