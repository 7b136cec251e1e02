/** Failed sign-ins per key in fixed windows (the PostgreSQL side of server/auth/sign-in-throttle.ts). */
import { and, gt, inArray, lte, sql } from 'drizzle-orm';

import type { Database } from '../database';
import { signInFailures } from '../schema';

/**
 * Counts one failure for `key` in one statement: a new row, a new window when the last one
 * ended, or one more in the current window. Returns the count and when the window ends.
 */
export async function addSignInFailure(
  db: Database,
  key: string,
  windowMs: number,
): Promise<{ failures: number; windowEndsAt: Date }> {
  const windowEnds = sql`now() + make_interval(secs => ${windowMs / 1000})`;
  const [row] = await db
    .insert(signInFailures)
    .values({ key, failures: 1, windowEndsAt: windowEnds })
    .onConflictDoUpdate({
      target: signInFailures.key,
      set: {
        failures: sql`case when ${signInFailures.windowEndsAt} <= now() then 1 else ${signInFailures.failures} + 1 end`,
        windowEndsAt: sql`case when ${signInFailures.windowEndsAt} <= now() then ${windowEnds} else ${signInFailures.windowEndsAt} end`,
      },
    })
    .returning({ failures: signInFailures.failures, windowEndsAt: signInFailures.windowEndsAt });
  if (!row) throw new Error('upsert into sign_in_failures returned no row');
  return row;
}

/** The current windows of these keys (ended windows are left out). */
export async function listSignInFailures(
  db: Database,
  keys: readonly string[],
): Promise<Array<{ key: string; failures: number; windowEndsAt: Date }>> {
  if (keys.length === 0) return [];
  return db
    .select()
    .from(signInFailures)
    .where(
      and(inArray(signInFailures.key, [...keys]), gt(signInFailures.windowEndsAt, sql`now()`)),
    );
}

export async function clearSignInFailures(db: Database, key: string): Promise<void> {
  await db.delete(signInFailures).where(inArray(signInFailures.key, [key]));
}

/** Drops the rows of windows that ended (they would be restarted anyway). */
export async function sweepSignInFailures(db: Database): Promise<void> {
  await db.delete(signInFailures).where(lte(signInFailures.windowEndsAt, sql`now()`));
}
