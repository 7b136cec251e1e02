/**
 * What tells one version of a plan's progress board from the next: the log position its item
 * rows reflect and the latest activity entry's time. The projector writes the rows, then the
 * activity, in two steps; a board computed between them must not be kept as the board of that
 * seq, so both go into the key (server/use-cases/get-progress-board.ts).
 */
import { eq, max } from 'drizzle-orm';

import type { Database } from '../database';
import { planActivity, plans } from '../schema';

export async function readBoardVersion(
  db: Database,
  planId: string,
): Promise<{ projectedSeq: number; activityAt: string } | null> {
  const [plan] = await db
    .select({ projectedSeq: plans.projectedSeq })
    .from(plans)
    .where(eq(plans.id, planId))
    .limit(1);
  if (!plan) return null;
  // Served by plan_activity_plan_index (plan_id, updated_at): one index probe.
  const [latest] = await db
    .select({ at: max(planActivity.updatedAt) })
    .from(planActivity)
    .where(eq(planActivity.planId, planId));
  return { projectedSeq: plan.projectedSeq, activityAt: latest?.at?.toISOString() ?? '' };
}
