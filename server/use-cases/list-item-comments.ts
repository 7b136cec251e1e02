import { DomainError } from '../../domain/domain-error';
import { itemIdSchema, type Comment } from '../../domain/realtime-events';
import { getCurrentDatabase } from '../../db/database';
import { listItemComments as listStoredComments } from '../../db/queries/comments';
import { toComment } from './comment-access';
import { getPlanAccess } from './get-plan-access';

/**
 * An item's comments, oldest first, for any member (viewers read comments). An unknown plan and
 * a plan the user is not a member of are both `not_found`, as everywhere over HTTP; an item id
 * that no item can have is `bad_request`, as the socket.io comment commands answer it.
 */
export async function listItemComments(
  slug: string,
  itemId: string,
  userId: string,
): Promise<Comment[]> {
  const access = await getPlanAccess(slug, userId);
  if (!itemIdSchema.safeParse(itemId).success)
    throw new DomainError('bad_request', 'expected an item id');
  const records = await listStoredComments(getCurrentDatabase().db, access.plan.id, itemId);
  return records.map(toComment);
}
