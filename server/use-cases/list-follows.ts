import type { PlanJoinInput } from '../../domain/realtime-events';
import { getCurrentDatabase } from '../../db/database';
import { listUserFollows, wholePlan } from '../../db/queries/follows';
import { getPlanAccess } from './get-plan-access';

/** What the caller follows on a plan: the whole plan or not, and which items. Any member. */
export async function listFollows(
  userId: string,
  input: PlanJoinInput,
): Promise<{ plan: boolean; items: string[] }> {
  const access = await getPlanAccess(input.plan, userId);
  const followed = await listUserFollows(getCurrentDatabase().db, userId, access.plan.id);
  return {
    plan: followed.includes(wholePlan),
    items: followed.filter((itemId) => itemId !== wholePlan).sort(),
  };
}
