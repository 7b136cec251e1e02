import type { Notification } from '../../domain/notifications';
import type { ItemStatus } from '../../domain/plan-document';
import { getCurrentDatabase } from '../../db/database';
import {
  findNotifications,
  insertNotifications,
  type NewNotification,
  type NotificationRecord,
} from '../../db/queries/notifications';

const insertBatch = 2_000;

/** A stored notification and the user whose sockets should hear of it. */
export interface NotificationDelivery {
  userId: string;
  notification: Notification;
}

/**
 * Stores the notifications in one statement and answers the ones this call stored, to be sent
 * to their users' rooms. Rows whose (user, dedupe key) exists already are skipped, so an event
 * processed twice (a retried command, two instances scanning) is delivered once.
 */
export async function storeNotifications(
  rows: readonly NewNotification[],
): Promise<NotificationDelivery[]> {
  const { db } = getCurrentDatabase();
  const ids: string[] = [];
  // One statement for any usual event; a scan of many due items stays under PostgreSQL's
  // 65,535 parameters per statement.
  for (let start = 0; start < rows.length; start += insertBatch) {
    ids.push(...(await insertNotifications(db, rows.slice(start, start + insertBatch))));
  }
  const records = await findNotifications(db, ids);
  return records.map((record) => ({ userId: record.userId, notification: toNotification(record) }));
}

/** The wire form of a stored notification. */
export function toNotification(record: NotificationRecord): Notification {
  const common = {
    id: record.id,
    plan: record.planSlug,
    planTitle: record.planTitle,
    itemId: record.itemId,
    itemTitle: record.itemTitle,
    actor:
      record.actorId && record.actorName && record.actorOrganisation
        ? { id: record.actorId, name: record.actorName, organisation: record.actorOrganisation }
        : null,
    createdAt: record.createdAt.toISOString(),
    readAt: record.readAt?.toISOString() ?? null,
  };
  // The detail was written by this server for this kind (notify-*.ts).
  const detail = record.detail as Record<string, string>;
  switch (record.kind) {
    case 'comment':
    case 'mention':
      return {
        ...common,
        kind: record.kind,
        commentId: detail.commentId ?? '',
        excerpt: detail.excerpt ?? '',
      };
    case 'status':
      return {
        ...common,
        kind: 'status',
        from: detail.from as ItemStatus,
        to: detail.to as ItemStatus,
      };
    case 'due':
      return { ...common, kind: 'due', due: detail.due ?? '' };
  }
}
