import type { PlanItemRecord } from '../../db/queries/plan-items';
import { getCurrentDatabase } from '../../db/database';
import {
  listPlanItems as listStoredItems,
  readProjectionStatus,
} from '../../db/queries/plan-items';
import { getPlanAccess } from './get-plan-access';

/** What keeps the projection current (server/projection/item-projector.ts). */
export interface ProjectionFreshness {
  ensureCurrent(planId: string): Promise<void>;
}

export interface PlanItems {
  plan: string;
  /** The plan log's sequence number the rows reflect (at least). */
  seq: number;
  items: PlanItemRecord[];
}

/**
 * A plan's items from the relational projection, for any member. Never older than the stored
 * document: a projection behind the log is brought up to date before the answer. An unknown
 * plan and a plan the user is not a member of are both `not_found`, as everywhere over HTTP.
 */
export async function listPlanItems(
  slug: string,
  userId: string,
  projection: ProjectionFreshness,
): Promise<PlanItems> {
  const access = await getPlanAccess(slug, userId);
  await projection.ensureCurrent(access.plan.id);
  const { db } = getCurrentDatabase();
  const [status, items] = await Promise.all([
    readProjectionStatus(db, access.plan.id),
    listStoredItems(db, access.plan.id),
  ]);
  return { plan: access.plan.slug, seq: status?.projectedSeq ?? 0, items };
}
