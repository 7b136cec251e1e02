/**
 * Throttling of password sign-ins, per account (the normalised e-mail) and per client address.
 * next-auth gives credentials sign-in none; the custom server checks this before next-auth runs
 * and answers 429 with Retry-After (server/http/sign-in-route.ts).
 *
 * Only failures count, in fixed windows: an account is held after 10 failures in 15 minutes, an
 * address after 100. A success clears the account's count (not the address's: one person getting
 * in says nothing of the other guesses from that address).
 *
 * Why these numbers: a college lab or a workshop room signs in from one NAT address; 40 people
 * each mistyping twice at the start of a session is 80 failures, still under the address limit,
 * and a person who forgot a password retries a handful of times, not ten. A guesser gets 10
 * guesses per account per 15 minutes (under 1,000 a day) against passwords of at least 12
 * characters, and 100 per address. The price of the per-account limit is that a stranger can hold
 * an account for 15 minutes by failing on purpose; the window is short so that costs little.
 *
 * Two stores with one contract: Redis when REDIS_URL is set (several instances share the counts;
 * INCR and PEXPIRE in one Lua script), otherwise a PostgreSQL/PGlite table with one upsert per
 * failure.
 */
import type { Redis } from 'ioredis';

import type { DatabaseHandle } from '../../db/database';
import {
  addSignInFailure,
  clearSignInFailures,
  listSignInFailures,
  sweepSignInFailures,
} from '../../db/queries/sign-in-failures';
import { normaliseEmail } from '../../db/queries/users';

export interface SignInLimits {
  /** Failures one account may have in a window. */
  perAccount: number;
  /** Failures one client address may have in a window. */
  perAddress: number;
  windowMs: number;
}

export const defaultSignInLimits: SignInLimits = {
  perAccount: 10,
  perAddress: 100,
  windowMs: 15 * 60_000,
};

export interface SignInAttempt {
  email: string;
  address: string;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Where the counts live: one fixed window per key. */
export interface FailureStore {
  /** Each key's failures in its current window and the ms until that window ends. */
  read(keys: readonly string[]): Promise<Map<string, { failures: number; endsInMs: number }>>;
  add(key: string, windowMs: number): Promise<void>;
  clear(key: string): Promise<void>;
}

function accountKey(email: string): string {
  return `account:${normaliseEmail(email)}`;
}

function addressKey(address: string): string {
  return `address:${address}`;
}

export class SignInThrottle {
  constructor(
    private readonly store: FailureStore,
    readonly limits: SignInLimits = defaultSignInLimits,
  ) {}

  /** Whether this attempt may be checked at all; when not, how long to wait. */
  async check(attempt: SignInAttempt): Promise<ThrottleVerdict> {
    const account = accountKey(attempt.email);
    const address = addressKey(attempt.address);
    const counts = await this.store.read([account, address]);
    let waitMs = 0;
    const accountCount = counts.get(account);
    if (accountCount && accountCount.failures >= this.limits.perAccount) {
      waitMs = Math.max(waitMs, accountCount.endsInMs);
    }
    const addressCount = counts.get(address);
    if (addressCount && addressCount.failures >= this.limits.perAddress) {
      waitMs = Math.max(waitMs, addressCount.endsInMs);
    }
    if (waitMs <= 0) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  async recordFailure(attempt: SignInAttempt): Promise<void> {
    await Promise.all([
      this.store.add(accountKey(attempt.email), this.limits.windowMs),
      this.store.add(addressKey(attempt.address), this.limits.windowMs),
    ]);
  }

  async recordSuccess(attempt: SignInAttempt): Promise<void> {
    await this.store.clear(accountKey(attempt.email));
  }
}

/** The table sign_in_failures; rows of ended windows are swept at most once a window. */
export function createDatabaseFailureStore(database: () => DatabaseHandle): FailureStore {
  let lastSweep = Date.now();
  return {
    async read(keys) {
      const rows = await listSignInFailures(database().db, keys);
      const now = Date.now();
      return new Map(
        rows.map((row) => [
          row.key,
          { failures: row.failures, endsInMs: row.windowEndsAt.getTime() - now },
        ]),
      );
    },
    async add(key, windowMs) {
      await addSignInFailure(database().db, key, windowMs);
      if (Date.now() - lastSweep > windowMs) {
        lastSweep = Date.now();
        await sweepSignInFailures(database().db);
      }
    },
    async clear(key) {
      await clearSignInFailures(database().db, key);
    },
  };
}

// INCR, and start the window's expiry with the first failure, atomically.
const addFailureScript = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

/** Keys `coplan:sign-in:<key>` that expire with their window. */
export function createRedisFailureStore(redis: Redis, prefix = 'coplan:sign-in:'): FailureStore {
  return {
    async read(keys) {
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.get(prefix + key).pttl(prefix + key);
      const replies = (await pipeline.exec()) ?? [];
      const counts = new Map<string, { failures: number; endsInMs: number }>();
      keys.forEach((key, index) => {
        const [getError, value] = replies[index * 2] ?? [];
        const [ttlError, ttl] = replies[index * 2 + 1] ?? [];
        if (getError) throw getError;
        if (ttlError) throw ttlError;
        if (typeof value !== 'string' || typeof ttl !== 'number' || ttl <= 0) return;
        counts.set(key, { failures: Number(value), endsInMs: ttl });
      });
      return counts;
    },
    async add(key, windowMs) {
      await redis.eval(addFailureScript, 1, prefix + key, String(windowMs));
    },
    async clear(key) {
      await redis.del(prefix + key);
    },
  };
}
