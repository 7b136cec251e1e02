/**
 * Notifications and follows: the contract both ends read (docs/realtime.md). A member follows a
 * whole plan or one item; followers are notified of comments, status changes and items due
 * within a week; anyone @mentioned in a comment is notified of it. Each notification reports one
 * event to one user once (the server keeps a unique key per user and event).
 */
import type { OrganisationCode } from './organisations';
import type { ItemStatus } from './plan-document';

export const notificationKinds = ['comment', 'mention', 'status', 'due'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** What the notification reports, per kind. */
export type NotificationDetail =
  | { kind: 'comment'; commentId: string; excerpt: string }
  | { kind: 'mention'; commentId: string; excerpt: string }
  | { kind: 'status'; from: ItemStatus; to: ItemStatus }
  | { kind: 'due'; due: string };

/** One notification as socket.io sends it. Times are ISO 8601 strings. */
export type Notification = {
  id: string;
  /** The plan's slug and title. */
  plan: string;
  planTitle: string;
  itemId: string | null;
  itemTitle: string | null;
  /** Who caused it; null for "due soon" and for accounts that are gone. */
  actor: { id: string; name: string; organisation: OrganisationCode } | null;
  createdAt: string;
  readAt: string | null;
} & NotificationDetail;
