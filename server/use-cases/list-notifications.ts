import type { Notification } from '../../domain/notifications';
import { notificationLimits, type NotificationListInput } from '../../domain/realtime-events';
import { getCurrentDatabase } from '../../db/database';
import { countUnread, listUserNotifications } from '../../db/queries/notifications';
import { toNotification } from './store-notifications';

/** The caller's notifications, newest first, a page at a time, with their unread count. */
export async function listNotifications(
  userId: string,
  input: NotificationListInput,
): Promise<{ notifications: Notification[]; unread: number; more: boolean }> {
  const { db } = getCurrentDatabase();
  const limit = input.limit ?? notificationLimits.page;
  // One more than asked says whether there are more, without a second count.
  const [records, unread] = await Promise.all([
    listUserNotifications(db, userId, { before: input.before, limit: limit + 1 }),
    countUnread(db, userId),
  ]);
  return {
    notifications: records.slice(0, limit).map(toNotification),
    unread,
    more: records.length > limit,
  };
}
