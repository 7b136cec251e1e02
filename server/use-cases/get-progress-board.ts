import {
  computeProgressBoard,
  recentActivityLimit,
  utcDate,
  withoutPersonalNames,
  type ProgressBoard,
} from '../../domain/progress-board';
import { getCurrentDatabase } from '../../db/database';
import { listPlanActivity } from '../../db/queries/plan-activity';
import { listPlanItems } from '../../db/queries/plan-items';
import { readBoardVersion } from '../../db/queries/progress-board';
import { getPlanAccess } from './get-plan-access';
import type { ProjectionFreshness } from './list-plan-items';
import { resolveShareToken } from './resolve-share-token';
import { storedLogFreshness } from './stored-log-freshness';
import { toActivityEntry } from './to-activity-entry';

/**
 * The last board computed per plan. Every open board refetches after each projection write, so
 * many readers ask for the same version within a second: they share one computation, and pay two
 * index probes each (db/queries/progress-board.ts). Keyed by the rows' seq and the latest
 * activity's time, the plan's title, and the UTC day (overdue and upcoming move at midnight).
 */
const cache = new Map<string, { key: string; board: ProgressBoard }>();
const cachedPlans = 200;

/**
 * The progress board of a plan, read from the relational projection (`plan_items`,
 * `plan_activity`), never from the Yjs document. Rows behind the stored log are brought up to date
 * first: by the server's projector (`projection`) in its routes, or rebuilt from the log for pages
 * rendered by Next, which cannot reach it.
 */
async function readBoard(
  plan: { id: string; slug: string; title: string },
  projection: ProjectionFreshness | undefined,
  now: Date,
): Promise<ProgressBoard> {
  // Pages rendered by Next have no projector: rows behind the log are rebuilt from the log, so a
  // first render never shows an empty or old board (a plan nobody has opened yet, for one).
  await (projection ?? storedLogFreshness).ensureCurrent(plan.id);
  const { db } = getCurrentDatabase();
  const version = await readBoardVersion(db, plan.id);
  const seq = version?.projectedSeq ?? 0;
  const key = [seq, version?.activityAt, utcDate(now), plan.slug, plan.title].join('\u0000');
  const cached = cache.get(plan.id);
  if (cached?.key === key) return cached.board;
  const [items, activity] = await Promise.all([
    listPlanItems(db, plan.id),
    listPlanActivity(db, plan.id, { limit: recentActivityLimit }),
  ]);
  const board = computeProgressBoard({
    plan: { slug: plan.slug, title: plan.title },
    seq,
    items,
    // The rows come in board order, workstreams in the plan's order.
    workstreamOrder: [...new Set(items.map((item) => item.workstreamId))],
    activity: activity.entries.map(toActivityEntry),
    now,
  });
  // Rows written meanwhile carry a later seq: only a board at least as new replaces the entry.
  const current = cache.get(plan.id);
  if (!current || current.board.seq <= seq) {
    cache.delete(plan.id);
    cache.set(plan.id, { key, board });
    if (cache.size > cachedPlans) cache.delete(cache.keys().next().value as string);
  }
  return board;
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
