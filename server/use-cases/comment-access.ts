import { DomainError } from '../../domain/domain-error';
import type { Comment } from '../../domain/realtime-events';
import { canComment } from '../../domain/roles';
import type { CommentRecord } from '../../db/queries/comments';
import { getPlanAccess, type PlanAccess } from './get-plan-access';

/** What a comment command returns: the comment as stored, and whether this call changed it. */
export interface CommentChange {
  plan: PlanAccess['plan'];
  comment: Comment;
  /** False for a retry or a command that found the state already there: nothing to announce. */
  changed: boolean;
}

/**
 * The sender's access for a comment command, read from the database now (a role changed since
 * the socket joined counts). A non-member is `forbidden`, like a viewer, as the contract says.
 */
export async function getCommentAccess(
  slug: string,
  userId: string,
  options: { write: boolean },
): Promise<PlanAccess> {
  const access = await getPlanAccess(slug, userId, { distinguishNonMember: true });
  if (options.write && !canComment(access.role)) {
    throw new DomainError('forbidden', 'viewers read comments but may not write them');
  }
  return access;
}

/** The wire form of a stored comment. */
export function toComment(record: CommentRecord): Comment {
  return {
    id: record.id,
    itemId: record.itemId,
    parentId: record.parentId,
    authorId: record.authorId,
    authorName: record.authorName,
    authorOrganisation: record.authorOrganisation,
    body: record.body,
    createdAt: record.createdAt.toISOString(),
    editedAt: record.editedAt?.toISOString() ?? null,
    deletedAt: record.deletedAt?.toISOString() ?? null,
    resolvedAt: record.resolvedAt?.toISOString() ?? null,
    resolvedBy: record.resolvedBy,
    mentions: record.mentions,
  };
}

export function notFoundComment(): DomainError {
  return new DomainError('not_found', 'no such comment on this plan');
}
