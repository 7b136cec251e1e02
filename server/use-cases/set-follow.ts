import type { FollowSetInput } from '../../domain/realtime-events';
import { getCurrentDatabase } from '../../db/database';
import { setFollow as storeFollow, wholePlan } from '../../db/queries/follows';
import { getPlanAccess, type PlanAccess } from './get-plan-access';

export interface FollowChange {
  plan: PlanAccess['plan'];
  itemId: string | null;
  following: boolean;
}

/**
 * Follows, or stops following, a whole plan (`itemId` null) or one of its items. Any member may,
 * viewers too: following reads, it changes nothing of the plan. Item ids are not checked against
 * the document: following an item that is gone is harmless, and the item may be new.
 */
export async function setFollow(userId: string, input: FollowSetInput): Promise<FollowChange> {
  const access = await getPlanAccess(input.plan, userId);
  const itemId = input.itemId ?? null;
  await storeFollow(getCurrentDatabase().db, {
    userId,
    planId: access.plan.id,
    itemId: itemId ?? wholePlan,
    following: input.following,
  });
  return { plan: access.plan, itemId, following: input.following };
}
