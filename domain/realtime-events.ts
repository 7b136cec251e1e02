/**
 * The socket.io contract (everything that is not the plan document), typed both ways and read
 * by both ends. Event names are `noun:verb`. Every client command is acknowledged with
 * `{ ok: true, … }` or `{ error: code, message }`; payloads are validated with these schemas on
 * the server. Later issues add notifications and follows here.
 *
 * Comments (docs/realtime.md): every comment command names the plan by its slug and carries a
 * `clientMessageId` the client makes up once per intended action and sends again on a retry. A
 * retried `comment:create` answers with the comment the first attempt stored (a unique
 * constraint on author and clientMessageId, not a hope); the other commands set a state, so doing
 * them twice changes nothing more. Every command is authorised against the sender's role as the
 * database has it at that moment. What was stored goes, as a fact, to every socket that joined
 * the plan's room, the sender's included; clients apply facts by comment id, so a fact seen twice
 * is harmless.
 */
import * as z from 'zod/mini';

import type { ActivityEntry } from './activity';
import type { DomainErrorCode } from './domain-error';
import type { Notification } from './notifications';
import type { OrganisationCode } from './organisations';
import type { Role } from './roles';
import { planSlugPattern } from './sync-protocol';

export const planJoinInput = z.strictObject({ plan: z.string().check(z.regex(planSlugPattern)) });
export type PlanJoinInput = z.infer<typeof planJoinInput>;

export const commentLimits = {
  /** Characters of a body once trimmed. */
  bodyLength: 10_000,
  /** The same limit as the plan document's item ids. */
  itemIdLength: 64,
  clientMessageIdLength: 100,
  /** Members one comment may @mention. */
  mentions: 20,
} as const;

const planSlugSchema = z.string().check(z.regex(planSlugPattern, 'expected a plan slug'));

/** An item id as comments name it (the plan document's id shape). */
export const itemIdSchema = z
  .string()
  .check(
    z.minLength(1, 'expected an item id'),
    z.maxLength(commentLimits.itemIdLength, 'expected an item id'),
    z.regex(/^[A-Za-z0-9_-]+$/, 'expected an item id'),
  );

const commentIdSchema = z.uuid('expected a comment id');

/**
 * The user ids of the members a body @mentions, as the author picked them from the completion.
 * The server keeps only plan members whose name the body still mentions (`@Name`).
 */
const mentionsSchema = z.optional(
  z
    .array(z.uuid('expected a user id'))
    .check(
      z.maxLength(
        commentLimits.mentions,
        `a comment mentions at most ${commentLimits.mentions} people`,
      ),
    ),
);

const clientMessageIdSchema = z
  .string()
  .check(
    z.minLength(1, 'expected a clientMessageId'),
    z.maxLength(
      commentLimits.clientMessageIdLength,
      `a clientMessageId has at most ${commentLimits.clientMessageIdLength} characters`,
    ),
    z.regex(/^[A-Za-z0-9_.:-]+$/, 'a clientMessageId uses letters, digits and "_.:-"'),
  );

/** Plain text, trimmed. Clients show it as text: nothing in it is markup. */
export const commentBodySchema = z.string('expected the comment as text').check(
  z.trim(),
  z.minLength(1, 'a comment cannot be empty'),
  z.maxLength(
    commentLimits.bodyLength,
    `a comment has at most ${commentLimits.bodyLength.toLocaleString('en')} characters`,
  ),
  // PostgreSQL text cannot hold U+0000; refused here rather than failing in the database.
  z.refine((value) => !value.includes('\u0000'), 'a comment cannot contain a NUL character'),
);

export const commentCreateInput = z.strictObject({
  plan: planSlugSchema,
  itemId: itemIdSchema,
  body: commentBodySchema,
  /** The thread's first comment when this is a reply; replies go one level deep. */
  parentId: z.optional(z.nullable(commentIdSchema)),
  mentions: mentionsSchema,
  clientMessageId: clientMessageIdSchema,
});
export type CommentCreateInput = z.infer<typeof commentCreateInput>;

export const commentEditInput = z.strictObject({
  plan: planSlugSchema,
  commentId: commentIdSchema,
  body: commentBodySchema,
  mentions: mentionsSchema,
  clientMessageId: clientMessageIdSchema,
});
export type CommentEditInput = z.infer<typeof commentEditInput>;

export const commentDeleteInput = z.strictObject({
  plan: planSlugSchema,
  commentId: commentIdSchema,
  clientMessageId: clientMessageIdSchema,
});
export type CommentDeleteInput = z.infer<typeof commentDeleteInput>;

/** `thread:resolve` and `thread:reopen`: the thread is named by its first comment's id. */
export const threadStateInput = z.strictObject({
  plan: planSlugSchema,
  threadId: commentIdSchema,
  clientMessageId: clientMessageIdSchema,
});
export type ThreadStateInput = z.infer<typeof threadStateInput>;

export const followSetInput = z.strictObject({
  plan: planSlugSchema,
  /** Null (or absent) follows the whole plan. */
  itemId: z.optional(z.nullable(itemIdSchema)),
  following: z.boolean('expected following: true or false'),
});
export type FollowSetInput = z.infer<typeof followSetInput>;

export const notificationLimits = {
  /** Notifications one `notification:list` answers with at most. */
  page: 50,
  /** Ids one `notification:read` names at most. */
  readIds: 200,
} as const;

export const notificationListInput = z.strictObject({
  /** A notification id: answer with the ones older than it. */
  before: z.optional(z.uuid('expected a notification id')),
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(notificationLimits.page))),
});
export type NotificationListInput = z.infer<typeof notificationListInput>;

export const notificationReadInput = z.union([
  z.strictObject({
    ids: z
      .array(z.uuid('expected a notification id'))
      .check(z.minLength(1), z.maxLength(notificationLimits.readIds)),
  }),
  z.strictObject({ all: z.literal(true) }),
]);
export type NotificationReadInput = z.infer<typeof notificationReadInput>;

/** One message per failed check, for the ack: "body: a comment cannot be empty". */
export function describeInputIssues(error: {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>;
}): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** A comment as stored and sent. Times are ISO 8601 strings; a deleted comment's body is "". */
export interface Comment {
  id: string;
  itemId: string;
  /** Null for a thread's first comment (the thread's id is that comment's id). */
  parentId: string | null;
  authorId: string;
  authorName: string;
  authorOrganisation: OrganisationCode;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  /** Only ever set on a thread's first comment. */
  resolvedAt: string | null;
  resolvedBy: string | null;
  /** User ids of the members the body @mentions. */
  mentions: string[];
}

export type AckError = { error: DomainErrorCode; message: string };
export type Ack<T extends object = object> = ({ ok: true } & T) | AckError;

type CommentAck = (result: Ack<{ comment: Comment }>) => void;

export interface ClientToServerEvents {
  /** Join a plan's room; answered with the caller's role on that plan. */
  'plan:join': (input: PlanJoinInput, ack: (result: Ack<{ role: Role }>) => void) => void;
  /** Comment on an item, or reply to a thread (owner, editor, commenter). */
  'comment:create': (input: CommentCreateInput, ack: CommentAck) => void;
  /** Change one's own comment's body. */
  'comment:edit': (input: CommentEditInput, ack: CommentAck) => void;
  /** Delete one's own comment (owners: any comment); the thread stays. */
  'comment:delete': (input: CommentDeleteInput, ack: CommentAck) => void;
  /** Mark a thread resolved (owner, editor, commenter). */
  'thread:resolve': (input: ThreadStateInput, ack: CommentAck) => void;
  /** Open a resolved thread again (owner, editor, commenter). */
  'thread:reopen': (input: ThreadStateInput, ack: CommentAck) => void;
  /** What the caller follows on a plan: the whole plan, and which items. Any member. */
  'follow:list': (
    input: PlanJoinInput,
    ack: (result: Ack<{ plan: boolean; items: string[] }>) => void,
  ) => void;
  /** Follow or stop following a plan (`itemId` null) or one item. Any member, viewers too. */
  'follow:set': (input: FollowSetInput, ack: (result: Ack<{ following: boolean }>) => void) => void;
  /**
   * The caller's notifications, newest first, with the unread count. A client calls it on every
   * connect (so what arrived while it was offline shows up) and merges by id (so none shows
   * twice); `before` pages back through older ones.
   */
  'notification:list': (
    input: NotificationListInput,
    ack: (result: Ack<{ notifications: Notification[]; unread: number; more: boolean }>) => void,
  ) => void;
  /** Mark some (`ids`) or all (`all: true`) of the caller's notifications read. */
  'notification:read': (
    input: NotificationReadInput,
    ack: (result: Ack<{ unread: number }>) => void,
  ) => void;
}

/** A fact about one comment, sent to the plan's room. */
export interface CommentFact {
  /** The plan's slug. */
  plan: string;
  comment: Comment;
}

export interface ServerToClientEvents {
  /**
   * The user's access to a plan they joined changed: `role` is the new role, or null when they
   * are no longer a member (the socket has left the plan's room). Later issues add notifications
   * here.
   */
  'plan:access-changed': (payload: { plan: string; role: Role | null }) => void;
  'comment:created': (fact: CommentFact) => void;
  'comment:updated': (fact: CommentFact) => void;
  /** The comment is kept with an empty body, so its thread's replies keep their place. */
  'comment:deleted': (fact: CommentFact) => void;
  'thread:resolved': (fact: CommentFact) => void;
  'thread:reopened': (fact: CommentFact) => void;
  /** To the plan's room: the server recorded (or folded into) an activity entry. */
  'activity:recorded': (fact: { plan: string; entry: ActivityEntry }) => void;
  /** To the user's own sockets (every tab): a new notification. */
  'notification:created': (notification: Notification) => void;
  /** To the user's own sockets: notifications were marked read (in another tab too). */
  'notification:read': (fact: { ids: string[] | 'all'; unread: number }) => void;
  /** To the user's own sockets: they started or stopped following something. */
  'follow:changed': (fact: { plan: string; itemId: string | null; following: boolean }) => void;
  /**
   * To the plan's room: the relational projection (items, activity) now reflects log position
   * `seq`. Progress boards fetch their JSON again (debounced); a board at `seq` or later already
   * shows it.
   */
  'progress:changed': (fact: ProgressChangedFact) => void;
}

export interface ProgressChangedFact {
  /** The plan's slug. */
  plan: string;
  seq: number;
}

/**
 * The `/public` namespace: public progress boards opened through a share link. The socket
 * authenticates with the link's token (`auth: { token }`, and `?share=<token>` on the handshake
 * URL for the engine's check); it is put in the link's room at once and joins nothing else. It
 * sends nothing; it receives only `progress:changed`. Revoking the link disconnects it.
 */
export interface PublicServerToClientEvents {
  'progress:changed': (fact: ProgressChangedFact) => void;
}

/** What the `/public` namespace keeps on a socket. */
export interface PublicSocketData {
  linkId: string;
  planId: string;
}

export const publicNamespace = '/public';

/** What the server's auth middleware and handlers keep on a socket. */
export interface RealtimeSocketData {
  userId: string;
  /** The session version this socket was opened with; a newer one ends it (session-watch.ts). */
  sessionVersion: number;
  /** Plans this socket joined: plan id → slug. */
  plans: Record<string, string>;
  /** The role this socket was last told it has on each joined plan: plan id → role. */
  roles: Record<string, Role>;
}

/** The socket.io room of one user's sockets (notifications, follows). */
export function userRoomName(userId: string): string {
  return `user:${userId}`;
}
