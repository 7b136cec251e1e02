import { getCurrentDatabase } from '../../db/database';
import { findFollowers } from '../../db/queries/follows';
import { findItemsDueBetween, type NewNotification } from '../../db/queries/notifications';
import { storeNotifications, type NotificationDelivery } from './store-notifications';

/** "Due soon" means an end date from today to this many days ahead (UTC dates). */
export const dueSoonDays = 7;

/**
 * Notifies the followers of every item, in every plan, that is not done and ends within the next
 * week: once per item and end date (`due:<plan>:<item>:<date>`: item ids are unique only
 * within a plan), however often this runs and on however
 * many instances; moving the end date makes it due anew.
 */
export async function notifyDueItems(now: Date = new Date()): Promise<NotificationDelivery[]> {
  const { db } = getCurrentDatabase();
  const from = isoDate(now);
  const to = isoDate(new Date(now.getTime() + dueSoonDays * 24 * 60 * 60 * 1000));
  const due = await findItemsDueBetween(db, from, to);
  const byPlan = new Map<string, typeof due>();
  for (const item of due) byPlan.set(item.planId, [...(byPlan.get(item.planId) ?? []), item]);
  const rows: NewNotification[] = [];
  for (const [planId, items] of byPlan) {
    const followers = await findFollowers(
      db,
      planId,
      items.map((item) => item.itemId),
    );
    for (const item of items) {
      const recipients = new Set(
        followers
          .filter((follower) => follower.itemId === '' || follower.itemId === item.itemId)
          .map((follower) => follower.userId),
      );
      for (const userId of recipients) {
        rows.push({
          userId,
          planId,
          itemId: item.itemId,
          kind: 'due',
          actorId: null,
          commentId: null,
          detail: { due: item.endDate },
          dedupeKey: `due:${planId}:${item.itemId}:${item.endDate}`,
        });
      }
    }
  }
  return storeNotifications(rows);
}

function isoDate(time: Date): string {
  return time.toISOString().slice(0, 10);
}
