import { DomainError } from '../../domain/domain-error';
import type { CommentCreateInput } from '../../domain/realtime-events';
import { getCurrentDatabase } from '../../db/database';
import {
  findComment,
  findCommentByClientMessage,
  insertCommentOnce,
} from '../../db/queries/comments';
import type { CommentRow } from '../../db/schema';
import { checkMentions } from './check-mentions';
import { getCommentAccess, notFoundComment, toComment, type CommentChange } from './comment-access';

/**
 * Comments on an item, or replies to a thread (owner, editor, commenter). A retry with the same
 * clientMessageId answers with the comment the first attempt stored and stores nothing.
 */
export async function createComment(
  userId: string,
  input: CommentCreateInput,
): Promise<CommentChange> {
  const access = await getCommentAccess(input.plan, userId, { write: true });
  const { db } = getCurrentDatabase();

  const earlier = await findCommentByClientMessage(db, userId, input.clientMessageId);
  if (earlier) return replay(earlier, access.plan, input);

  const parentId = input.parentId ?? null;
  if (parentId) {
    const parent = await findComment(db, access.plan.id, parentId);
    if (!parent) throw notFoundComment();
    if (parent.parentId !== null) {
      throw new DomainError(
        'bad_request',
        "replies go one level deep: reply to the thread's first comment",
      );
    }
    if (parent.itemId !== input.itemId) {
      throw new DomainError('bad_request', 'a reply belongs to the same item as its thread');
    }
  }

  const row = await insertCommentOnce(db, {
    planId: access.plan.id,
    itemId: input.itemId,
    parentId,
    authorId: userId,
    clientMessageId: input.clientMessageId,
    body: input.body,
    mentions: await checkMentions(access.plan.id, input.body, input.mentions),
  });
  if (!row) {
    // A concurrent attempt with the same clientMessageId stored it first.
    const stored = await findCommentByClientMessage(db, userId, input.clientMessageId);
    if (!stored) throw new Error('comment insert conflicted but no row holds its key');
    return replay(stored, access.plan, input);
  }
  const record = await findComment(db, access.plan.id, row.id);
  if (!record) throw new Error('a comment just stored could not be read');
  return { plan: access.plan, comment: toComment(record), changed: true };
}

async function replay(
  earlier: CommentRow,
  plan: CommentChange['plan'],
  input: CommentCreateInput,
): Promise<CommentChange> {
  if (
    earlier.planId !== plan.id ||
    earlier.itemId !== input.itemId ||
    earlier.parentId !== (input.parentId ?? null)
  ) {
    throw new DomainError(
      'conflict',
      'this clientMessageId was already used for another comment; make up a new one',
    );
  }
  const record = await findComment(getCurrentDatabase().db, plan.id, earlier.id);
  if (!record) throw new Error('a stored comment could not be read');
  return { plan, comment: toComment(record), changed: false };
}
