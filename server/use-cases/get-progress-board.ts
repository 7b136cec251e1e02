import {
  computeProgressBoard,
  withoutPersonalNames,
  type ProgressBoard,
} from '../../domain/progress-board';
import { recentActivityLimit } from '../../domain/progress-board';
import { getCurrentDatabase } from '../../db/database';
import { listPlanActivity } from '../../db/queries/plan-activity';
import { listPlanItems, readProjectionStatus } from '../../db/queries/plan-items';
import { getPlanAccess } from './get-plan-access';
import type { ProjectionFreshness } from './list-plan-items';
import { resolveShareToken } from './resolve-share-token';
import { toActivityEntry } from './to-activity-entry';

/**
 * The progress board of a plan, read from the relational projection (`plan_items`,
 * `plan_activity`), never from the Yjs document. With `projection` (the server's projector) rows
 * behind the stored log are brought up to date first; pages rendered by Next, which has no
 * projector, read the rows as they are and the browser refetches through the server at once.
 */
async function readBoard(
  plan: { id: string; slug: string; title: string },
  projection: ProjectionFreshness | undefined,
  now: Date,
): Promise<ProgressBoard> {
  await projection?.ensureCurrent(plan.id);
  const { db } = getCurrentDatabase();
  const [status, items, activity] = await Promise.all([
    readProjectionStatus(db, plan.id),
    listPlanItems(db, plan.id),
    listPlanActivity(db, plan.id, { limit: recentActivityLimit }),
  ]);
  return computeProgressBoard({
    plan: { slug: plan.slug, title: plan.title },
    seq: status?.projectedSeq ?? 0,
    items,
    activity: activity.entries.map(toActivityEntry),
    now,
  });
}

/** The board for any member of the plan (viewers included). */
export async function getProgressBoard(
  slug: string,
  userId: string,
  options: { projection?: ProjectionFreshness; now?: Date } = {},
): Promise<ProgressBoard> {
  const access = await getPlanAccess(slug, userId);
  return readBoard(access.plan, options.projection, options.now ?? new Date());
}

/**
 * The board for anyone holding an active share link. It carries no comments, no e-mail
 * addresses and no user ids, and names organisations instead of people in the recent activity:
 * a public page should not publish who among a college's staff did what.
 */
export async function getPublicProgressBoard(
  token: unknown,
  options: { projection?: ProjectionFreshness; now?: Date } = {},
): Promise<ProgressBoard> {
  const { plan } = await resolveShareToken(token);
  const board = await readBoard(plan, options.projection, options.now ?? new Date());
  return { ...board, recentActivity: board.recentActivity.map(withoutPersonalNames) };
}
