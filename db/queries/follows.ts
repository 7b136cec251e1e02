/** Who follows what: a whole plan (`item_id` = '') or one of its items. */
import { and, eq, inArray, or } from 'drizzle-orm';

import type { Database } from '../database';
import { follows, planMembers } from '../schema';

/** The stored form of "the whole plan". */
export const wholePlan = '';

/** Follows (true) or stops following (false); doing either twice changes nothing more. */
export async function setFollow(
  db: Database,
  input: { userId: string; planId: string; itemId: string; following: boolean },
): Promise<void> {
  const { userId, planId, itemId } = input;
  if (input.following) {
    await db.insert(follows).values({ userId, planId, itemId }).onConflictDoNothing();
    return;
  }
  await db
    .delete(follows)
    .where(and(eq(follows.userId, userId), eq(follows.planId, planId), eq(follows.itemId, itemId)));
}

/** What one user follows on one plan: the item ids, '' standing for the whole plan. */
export async function listUserFollows(
  db: Database,
  userId: string,
  planId: string,
): Promise<string[]> {
  const rows = await db
    .select({ itemId: follows.itemId })
    .from(follows)
    .where(and(eq(follows.userId, userId), eq(follows.planId, planId)));
  return rows.map((row) => row.itemId);
}

/**
 * The users who follow any of these items or the whole plan and are members of the plan now
 * (a follow outlives a membership; the notification must not).
 */
export async function findFollowers(
  db: Database,
  planId: string,
  itemIds: readonly string[],
): Promise<Array<{ userId: string; itemId: string }>> {
  const rows = await db
    .selectDistinct({ userId: follows.userId, itemId: follows.itemId })
    .from(follows)
    .innerJoin(
      planMembers,
      and(eq(planMembers.planId, follows.planId), eq(planMembers.userId, follows.userId)),
    )
    .where(
      and(
        eq(follows.planId, planId),
        itemIds.length > 0
          ? or(eq(follows.itemId, wholePlan), inArray(follows.itemId, [...itemIds]))
          : eq(follows.itemId, wholePlan),
      ),
    );
  return rows;
}
