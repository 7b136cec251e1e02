import { buildReport } from '../../domain/plan-report';
import type { PlanItemRecord } from '../../db/queries/plan-items';
import { listPlanItems } from './list-plan-items';
import { storedLogFreshness } from './stored-log-freshness';

/**
 * The printable report's content for a member: the plan's items from the relational projection,
 * brought up to the stored log first (pages cannot reach the server's projector).
 */
export async function getPlanReport(slug: string, userId: string) {
  const { items } = await listPlanItems(slug, userId, storedLogFreshness);
  return buildReport<PlanItemRecord>(items);
}
