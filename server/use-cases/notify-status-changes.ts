import type { ItemStatus } from '../../domain/plan-document';
import { getCurrentDatabase } from '../../db/database';
import { findFollowers } from '../../db/queries/follows';
import type { NewNotification } from '../../db/queries/notifications';
import { storeNotifications, type NotificationDelivery } from './store-notifications';

export interface StatusChange {
  itemId: string;
  from: ItemStatus;
  to: ItemStatus;
  /** Who changed it; null when the change cannot be attributed. */
  actorId: string | null;
  /** The activity entry that records it: one notification per entry and follower. */
  activityId: string;
}

/**
 * Tells the followers of each item (or of the whole plan), all but the one who made the change,
 * that its status changed. Keyed `status:<activityId>`: the same entry reported again (a retry,
 * or an entry that folded a later change in) notifies nobody twice.
 */
export async function notifyStatusChanges(
  plan: { id: string; slug: string },
  changes: ReadonlyArray<StatusChange>,
): Promise<NotificationDelivery[]> {
  const relevant = changes.filter((change) => change.from !== change.to);
  if (relevant.length === 0) return [];
  const followers = await findFollowers(
    getCurrentDatabase().db,
    plan.id,
    relevant.map((change) => change.itemId),
  );
  const rows: NewNotification[] = [];
  for (const change of relevant) {
    const recipients = new Set(
      followers
        .filter((follower) => follower.itemId === '' || follower.itemId === change.itemId)
        .map((follower) => follower.userId)
        .filter((userId) => userId !== change.actorId),
    );
    for (const userId of recipients) {
      rows.push({
        userId,
        planId: plan.id,
        itemId: change.itemId,
        kind: 'status',
        actorId: change.actorId,
        commentId: null,
        detail: { from: change.from, to: change.to },
        dedupeKey: `status:${change.activityId}`,
      });
    }
  }
  return storeNotifications(rows);
}
