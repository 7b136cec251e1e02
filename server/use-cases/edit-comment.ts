import { DomainError } from '../../domain/domain-error';
import type { CommentEditInput } from '../../domain/realtime-events';
import { getCurrentDatabase } from '../../db/database';
import { findComment, updateCommentBody } from '../../db/queries/comments';
import { checkMentions } from './check-mentions';
import { getCommentAccess, notFoundComment, toComment, type CommentChange } from './comment-access';

/** Changes one's own comment's body; a commenter demoted to viewer no longer may. */
export async function editComment(userId: string, input: CommentEditInput): Promise<CommentChange> {
  const access = await getCommentAccess(input.plan, userId, { write: true });
  const { db } = getCurrentDatabase();
  const comment = await findComment(db, access.plan.id, input.commentId);
  if (!comment) throw notFoundComment();
  if (comment.authorId !== userId) {
    throw new DomainError('forbidden', 'only its author may edit a comment');
  }
  if (comment.deletedAt) throw new DomainError('conflict', 'the comment was deleted');
  // Without `mentions` the edit keeps those of the comment that its new body still names.
  const mentions = await checkMentions(
    access.plan.id,
    input.body,
    input.mentions ?? comment.mentions,
  );
  if (comment.body === input.body && sameIds(comment.mentions, mentions)) {
    return { plan: access.plan, comment: toComment(comment), changed: false };
  }
  await updateCommentBody(db, comment.id, input.body, mentions);
  const updated = await findComment(db, access.plan.id, comment.id);
  if (!updated) throw notFoundComment();
  return { plan: access.plan, comment: toComment(updated), changed: true };
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}
