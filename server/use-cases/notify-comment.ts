import type { Comment } from '../../domain/realtime-events';
import { getCurrentDatabase } from '../../db/database';
import { findFollowers, setFollow } from '../../db/queries/follows';
import { listMemberRoles } from '../../db/queries/members';
import type { NewNotification } from '../../db/queries/notifications';
import { storeNotifications, type NotificationDelivery } from './store-notifications';

/** How much of a comment's body a notification quotes. */
export const excerptLength = 140;

/**
 * After a comment is stored: its author follows the item from now on (as on GitHub), the members
 * it @mentions get a `mention`, and the other followers of the item or the whole plan a `comment`.
 * Every recipient's row carries the same key, `comment:<id>`, so nobody gets both kinds and a
 * retried command (which calls this again) notifies nobody twice.
 *
 * After an edit (`followers: false`) only the members it mentions are considered: the same key
 * means those already told of this comment (as a follower or mentioned before) hear nothing
 * new, and someone the edit newly mentions gets their `mention` now.
 */
export async function notifyComment(
  plan: { id: string; slug: string },
  comment: Comment,
  options: { followers: boolean } = { followers: true },
): Promise<NotificationDelivery[]> {
  const { db } = getCurrentDatabase();
  await setFollow(db, {
    userId: comment.authorId,
    planId: plan.id,
    itemId: comment.itemId,
    following: true,
  });
  const [followers, members] = await Promise.all([
    findFollowers(db, plan.id, [comment.itemId]),
    listMemberRoles(db, plan.id),
  ]);
  const mentioned = new Set(
    comment.mentions.filter((userId) => members.has(userId) && userId !== comment.authorId),
  );
  const following = new Set(
    options.followers
      ? followers
          .map((follower) => follower.userId)
          .filter((userId) => userId !== comment.authorId && !mentioned.has(userId))
      : [],
  );
  const detail = { commentId: comment.id, excerpt: excerptOf(comment.body) };
  const row = (userId: string, kind: 'comment' | 'mention'): NewNotification => ({
    userId,
    planId: plan.id,
    itemId: comment.itemId,
    kind,
    actorId: comment.authorId,
    commentId: comment.id,
    detail,
    dedupeKey: `comment:${comment.id}`,
  });
  return storeNotifications([
    ...[...mentioned].map((userId) => row(userId, 'mention')),
    ...[...following].map((userId) => row(userId, 'comment')),
  ]);
}

/** The body's first characters on one line, cut at a code point, with an ellipsis if cut. */
export function excerptOf(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  const points = Array.from(flat);
  if (points.length <= excerptLength) return flat;
  return `${points
    .slice(0, excerptLength - 1)
    .join('')
    .trimEnd()}…`;
}
