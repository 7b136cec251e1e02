import { DomainError } from '../../domain/domain-error';
import type { ThreadStateInput } from '../../domain/realtime-events';
import { getCurrentDatabase } from '../../db/database';
import { findComment, setThreadResolution } from '../../db/queries/comments';
import { getCommentAccess, notFoundComment, toComment, type CommentChange } from './comment-access';

/**
 * Resolves a thread (`resolved` true) or opens it again (owner, editor, commenter). A thread
 * already in that state is answered as it is, unchanged.
 */
export async function setThreadResolved(
  userId: string,
  input: ThreadStateInput,
  resolved: boolean,
): Promise<CommentChange> {
  const access = await getCommentAccess(input.plan, userId, { write: true });
  const { db } = getCurrentDatabase();
  const root = await findComment(db, access.plan.id, input.threadId);
  if (!root) throw notFoundComment();
  if (root.parentId !== null) {
    throw new DomainError(
      'bad_request',
      "a thread is named by its first comment's id; this comment is a reply",
    );
  }
  if ((root.resolvedAt !== null) === resolved) {
    return { plan: access.plan, comment: toComment(root), changed: false };
  }
  await setThreadResolution(db, root.id, resolved ? userId : null);
  const updated = await findComment(db, access.plan.id, root.id);
  if (!updated) throw notFoundComment();
  return { plan: access.plan, comment: toComment(updated), changed: true };
}
