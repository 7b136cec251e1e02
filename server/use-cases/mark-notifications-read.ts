import type { NotificationReadInput } from '../../domain/realtime-events';
import { getCurrentDatabase } from '../../db/database';
import { countUnread, markNotificationsRead as markRead } from '../../db/queries/notifications';

/**
 * Marks some or all of the caller's notifications read (ids of other users' notifications change
 * nothing). Answers what to tell the caller's other tabs: which, and the unread count after.
 */
export async function markNotificationsRead(
  userId: string,
  input: NotificationReadInput,
): Promise<{ ids: string[] | 'all'; unread: number }> {
  const { db } = getCurrentDatabase();
  const target = 'all' in input ? 'all' : input.ids;
  await markRead(db, userId, target);
  return { ids: target === 'all' ? 'all' : [...target], unread: await countUnread(db, userId) };
}
