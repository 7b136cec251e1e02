/**
 * Which notifications go out by e-mail. A digest claims its rows before sending (sets
 * `emailed_at`) in one UPDATE: PostgreSQL locks each row it updates, and a second instance's
 * concurrent UPDATE waits for those locks, re-reads `emailed_at`, and skips the rows, so no
 * notification is e-mailed by two instances. A failed send gives its rows back.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';

import type { NotificationKind } from '../../domain/notifications';
import type { Database } from '../database';
import { notifications, planItems, plans, users } from '../schema';

/** Claims every unread notification not yet e-mailed; returns the claimed ids. */
export async function claimNotificationsToEmail(db: Database): Promise<string[]> {
  const rows = await db
    .update(notifications)
    .set({ emailedAt: sql`now()` })
    .where(and(isNull(notifications.readAt), isNull(notifications.emailedAt)))
    .returning({ id: notifications.id });
  return rows.map((row) => row.id);
}

/** Gives claimed notifications back, for the next digest (their e-mail was not sent). */
export async function releaseNotificationsToEmail(db: Database, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.update(notifications).set({ emailedAt: null }).where(inArray(notifications.id, ids));
}

/** One claimed notification with what an e-mail says about it. */
export interface NotificationToEmail {
  id: string;
  userId: string;
  userEmail: string;
  userName: string;
  userLocale: string | null;
  kind: NotificationKind;
  detail: unknown;
  planSlug: string;
  planTitle: string;
  itemTitle: string | null;
  actorName: string | null;
  createdAt: Date;
}

const actors = alias(users, 'actors');

/** The claimed notifications, by user, oldest first. */
export async function listNotificationsToEmail(
  db: Database,
  ids: string[],
): Promise<NotificationToEmail[]> {
  if (ids.length === 0) return [];
  return db
    .select({
      id: notifications.id,
      userId: notifications.userId,
      userEmail: users.email,
      userName: users.name,
      userLocale: users.locale,
      kind: notifications.kind,
      detail: notifications.detail,
      planSlug: plans.slug,
      planTitle: plans.title,
      itemTitle: planItems.title,
      actorName: actors.name,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .innerJoin(plans, eq(plans.id, notifications.planId))
    .leftJoin(
      planItems,
      and(eq(planItems.planId, notifications.planId), eq(planItems.itemId, notifications.itemId)),
    )
    .leftJoin(actors, eq(actors.id, notifications.actorId))
    .where(inArray(notifications.id, ids))
    .orderBy(asc(notifications.userId), asc(notifications.createdAt), asc(notifications.id));
}
