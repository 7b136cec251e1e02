import { DomainError } from '../../domain/domain-error';
import type { CommentDeleteInput } from '../../domain/realtime-events';
import { canComment, canDeleteAnyComment } from '../../domain/roles';
import { getCurrentDatabase } from '../../db/database';
import { findComment, markCommentDeleted } from '../../db/queries/comments';
import { getCommentAccess, notFoundComment, toComment, type CommentChange } from './comment-access';

/**
 * Deletes a comment, keeping its place in the thread: its author may (while they may comment),
 * and an owner may delete anyone's (moderation). Deleting a deleted comment changes nothing.
 */
export async function deleteComment(
  userId: string,
  input: CommentDeleteInput,
): Promise<CommentChange> {
  const access = await getCommentAccess(input.plan, userId, { write: false });
  const { db } = getCurrentDatabase();
  const comment = await findComment(db, access.plan.id, input.commentId);
  if (!comment) throw notFoundComment();
  const mayDelete =
    canDeleteAnyComment(access.role) || (comment.authorId === userId && canComment(access.role));
  if (!mayDelete) {
    throw new DomainError('forbidden', 'only its author or a plan owner may delete a comment');
  }
  if (comment.deletedAt) return { plan: access.plan, comment: toComment(comment), changed: false };
  await markCommentDeleted(db, comment.id);
  const deleted = await findComment(db, access.plan.id, comment.id);
  if (!deleted) throw notFoundComment();
  return { plan: access.plan, comment: toComment(deleted), changed: true };
}
