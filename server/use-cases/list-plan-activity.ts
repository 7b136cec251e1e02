import type { ActivityEntry } from '../../domain/activity';
import { DomainError } from '../../domain/domain-error';
import { getCurrentDatabase } from '../../db/database';
import { listPlanActivity as listStoredActivity } from '../../db/queries/plan-activity';
import { getPlanAccess } from './get-plan-access';
import { toActivityEntry } from './to-activity-entry';

export const activityPageSize = 50;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A page of a plan's activity (or of one item's), newest first, for any member. `before` is the
 * id of the last entry of the previous page. Unknown plan or non-member: `not_found`.
 */
export async function listPlanActivity(
  slug: string,
  userId: string,
  query: { itemId?: string; before?: string },
): Promise<{ entries: ActivityEntry[]; more: boolean }> {
  const access = await getPlanAccess(slug, userId);
  if (query.before !== undefined && !uuidPattern.test(query.before)) {
    throw new DomainError('bad_request', '"before" must be the id of an activity entry');
  }
  if (query.itemId !== undefined && (query.itemId.length === 0 || query.itemId.length > 64)) {
    throw new DomainError('bad_request', '"item" must be an item id');
  }
  const page = await listStoredActivity(getCurrentDatabase().db, access.plan.id, {
    ...query,
    limit: activityPageSize,
  });
  return { entries: page.entries.map(toActivityEntry), more: page.more };
}
