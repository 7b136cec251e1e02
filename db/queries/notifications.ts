/**
 * Users' notifications. Rows are written once per (user, dedupe key), so the same event retried,
 * or seen by two instances, notifies nobody twice. What a notification names (the plan's slug and
 * title, the item's title, the actor) is joined when it is read, so a rename shows.
 */
import { and, count, desc, eq, gte, inArray, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';

import type { NotificationKind } from '../../domain/notifications';
import type { OrganisationCode } from '../../domain/organisations';
import type { Database } from '../database';
import { notifications, planItems, plans, users } from '../schema';

export interface NewNotification {
  userId: string;
  planId: string;
  itemId: string | null;
  kind: NotificationKind;
  actorId: string | null;
  commentId: string | null;
  detail: Record<string, unknown>;
  dedupeKey: string;
}

/** A notification with what it names, as read (Dates, detail as stored). */
export interface NotificationRecord {
  id: string;
  userId: string;
  planSlug: string;
  planTitle: string;
  itemId: string | null;
  itemTitle: string | null;
  kind: NotificationKind;
  detail: unknown;
  actorId: string | null;
  actorName: string | null;
  actorOrganisation: OrganisationCode | null;
  createdAt: Date;
  readAt: Date | null;
}

/**
 * Inserts them in one statement; those whose (user, dedupe key) is already stored are skipped.
 * Returns the ids of the rows this call stored.
 */
export async function insertNotifications(
  db: Database,
  rows: readonly NewNotification[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const stored = await db
    .insert(notifications)
    .values([...rows])
    .onConflictDoNothing({ target: [notifications.userId, notifications.dedupeKey] })
    .returning({ id: notifications.id });
  return stored.map((row) => row.id);
}

const actors = alias(users, 'actors');

function selectRecords(db: Database) {
  return db
    .select({
      id: notifications.id,
      userId: notifications.userId,
      planSlug: plans.slug,
      planTitle: plans.title,
      itemId: notifications.itemId,
      itemTitle: planItems.title,
      kind: notifications.kind,
      detail: notifications.detail,
      actorId: actors.id,
      actorName: actors.name,
      actorOrganisation: actors.organisationCode,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .innerJoin(plans, eq(plans.id, notifications.planId))
    .leftJoin(
      planItems,
      and(eq(planItems.planId, notifications.planId), eq(planItems.itemId, notifications.itemId)),
    )
    .leftJoin(actors, eq(actors.id, notifications.actorId));
}

/** These notifications, whoever they are for (the caller emits each to its user). */
export async function findNotifications(
  db: Database,
  ids: readonly string[],
): Promise<NotificationRecord[]> {
  if (ids.length === 0) return [];
  return selectRecords(db).where(inArray(notifications.id, [...ids]));
}

/**
 * One user's notifications, newest first; with `before`, only those older than that one (ties on
 * the time broken by id, so paging neither repeats nor skips).
 */
export async function listUserNotifications(
  db: Database,
  userId: string,
  options: { before?: string | undefined; limit: number },
): Promise<NotificationRecord[]> {
  let olderThan = undefined;
  if (options.before) {
    const [cursor] = await db
      .select({ createdAt: notifications.createdAt, id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.id, options.before), eq(notifications.userId, userId)))
      .limit(1);
    if (!cursor) return [];
    olderThan = or(
      lt(notifications.createdAt, cursor.createdAt),
      and(eq(notifications.createdAt, cursor.createdAt), lt(notifications.id, cursor.id)),
    );
  }
  return selectRecords(db)
    .where(and(eq(notifications.userId, userId), olderThan))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(options.limit);
}

export async function countUnread(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Marks the user's unread notifications read: these ids, or all. Returns the ids it changed. */
export async function markNotificationsRead(
  db: Database,
  userId: string,
  ids: readonly string[] | 'all',
): Promise<string[]> {
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        ids === 'all' ? undefined : inArray(notifications.id, [...ids]),
      ),
    )
    .returning({ id: notifications.id });
  return rows.map((row) => row.id);
}

/** Items not done whose end date is within [from, to] (ISO dates, inclusive), in every plan. */
export async function findItemsDueBetween(
  db: Database,
  from: string,
  to: string,
): Promise<Array<{ planId: string; itemId: string; endDate: string }>> {
  return db
    .select({ planId: planItems.planId, itemId: planItems.itemId, endDate: planItems.endDate })
    .from(planItems)
    .where(
      and(ne(planItems.status, 'done'), gte(planItems.endDate, from), lte(planItems.endDate, to)),
    );
}
