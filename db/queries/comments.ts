/** Comments on items. Who may do what is the server's decision (server/use-cases/comments.ts). */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';

import type { OrganisationCode } from '../../domain/organisations';
import type { Database } from '../database';
import { comments, users, type CommentRow } from '../schema';

/** A stored comment with its author's name and organisation, as the API sends it (but Dates). */
export interface CommentRecord {
  id: string;
  planId: string;
  itemId: string;
  parentId: string | null;
  authorId: string;
  authorName: string;
  authorOrganisation: OrganisationCode;
  clientMessageId: string;
  body: string;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  mentions: string[];
}

const recordColumns = {
  id: comments.id,
  planId: comments.planId,
  itemId: comments.itemId,
  parentId: comments.parentId,
  authorId: comments.authorId,
  authorName: users.name,
  authorOrganisation: users.organisationCode,
  clientMessageId: comments.clientMessageId,
  body: comments.body,
  createdAt: comments.createdAt,
  editedAt: comments.editedAt,
  deletedAt: comments.deletedAt,
  resolvedAt: comments.resolvedAt,
  resolvedBy: comments.resolvedBy,
  mentions: comments.mentions,
};

/** A comment of this plan (null when there is none with that id, or it belongs to another). */
export async function findComment(
  db: Database,
  planId: string,
  commentId: string,
): Promise<CommentRecord | null> {
  const [record] = await db
    .select(recordColumns)
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.id, commentId), eq(comments.planId, planId)))
    .limit(1);
  return record ?? null;
}

/** The comment this author stored under this client message id, in any plan. */
export async function findCommentByClientMessage(
  db: Database,
  authorId: string,
  clientMessageId: string,
): Promise<CommentRow | null> {
  const [row] = await db
    .select()
    .from(comments)
    .where(and(eq(comments.authorId, authorId), eq(comments.clientMessageId, clientMessageId)))
    .limit(1);
  return row ?? null;
}

export interface NewComment {
  planId: string;
  itemId: string;
  parentId: string | null;
  authorId: string;
  clientMessageId: string;
  body: string;
  /** Members the body mentions, already checked by the caller. */
  mentions: string[];
}

/**
 * Stores a comment once per (author, client message id). Returns the new row, or null when that
 * pair is already taken (a retry): the caller then reads the row the first attempt stored. A
 * concurrent duplicate waits for the first insert's transaction and then also gets null.
 */
export async function insertCommentOnce(
  db: Database,
  input: NewComment,
): Promise<CommentRow | null> {
  const [row] = await db
    .insert(comments)
    .values(input)
    .onConflictDoNothing({ target: [comments.authorId, comments.clientMessageId] })
    .returning();
  return row ?? null;
}

/** A new body and the members it mentions (checked by the caller). */
export async function updateCommentBody(
  db: Database,
  commentId: string,
  body: string,
  mentions: string[],
): Promise<void> {
  await db
    .update(comments)
    .set({ body, mentions, editedAt: sql`now()` })
    .where(and(eq(comments.id, commentId), isNull(comments.deletedAt)));
}

/** Soft delete: the row stays (its replies keep their thread), its text goes. */
export async function markCommentDeleted(db: Database, commentId: string): Promise<void> {
  await db
    .update(comments)
    .set({ body: '', mentions: [], deletedAt: sql`now()` })
    .where(and(eq(comments.id, commentId), isNull(comments.deletedAt)));
}

/** Resolves a thread's first comment (resolvedBy a user) or opens it again (null). */
export async function setThreadResolution(
  db: Database,
  threadId: string,
  resolvedBy: string | null,
): Promise<void> {
  await db
    .update(comments)
    .set(
      resolvedBy ? { resolvedAt: sql`now()`, resolvedBy } : { resolvedAt: null, resolvedBy: null },
    )
    .where(and(eq(comments.id, threadId), isNull(comments.parentId)));
}

/** An item's comments, oldest first (threads and their replies, deleted ones included). */
export async function listItemComments(
  db: Database,
  planId: string,
  itemId: string,
): Promise<CommentRecord[]> {
  return db
    .select(recordColumns)
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.planId, planId), eq(comments.itemId, itemId)))
    .orderBy(asc(comments.createdAt), asc(comments.id));
}
