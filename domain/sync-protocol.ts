/**
 * The sync endpoint's wire contract, read by the server (server/sync) and the browser's
 * connection wrapper (app/lib/plan-connection.ts).
 *
 * A client opens `ws(s)://<host>/yjs/<plan-slug>` with its next-auth session cookie. Messages
 * are the y-websocket protocol (y-protocols): a varUint message type, then the payload.
 *
 *   0  sync         step 1 (state vector), step 2 (missing updates), update
 *   1  awareness    presence; the server rewrites the user fields from the session
 *   3  query awareness
 *   100 saved       ours: server → client, a varUint N meaning "every message you sent on this
 *                   connection, up to and including the N-th, is processed; every update among
 *                   them is committed to the database". y-websocket ignores types it does not
 *                   know, so the wrapper registers a handler for it and shows "saved".
 *   101 epoch       ours: server → client, a varUint E: "the plan's restore epoch is E". Sent
 *                   on joining and, to every open connection, right after a restore committed
 *                   (after the restore's update, so a client that holds E holds the restore).
 *
 * Restores and the epoch. An owner may restore a saved version; the server writes it as one
 * ordinary update and bumps the plan's epoch (`plans.epoch`). A client keeps the epoch its
 * device copy (IndexedDB) belongs to and sends it when it connects, as the query parameter
 * `epoch` (`/yjs/<slug>?epoch=E`, y-websocket's `params`). A connection with an older epoch is
 * closed with 4410 before any of its messages is read: its copy may hold what the restore
 * removed (or edits made on top of it, offline), and merging it would bring that back. The
 * client discards its copy, tells the person, and connects again with the current epoch. A
 * connection without the parameter is treated as current (clients that keep no device copy).
 *
 * The server closes a connection with one of the codes below and a short reason. Codes
 * 4400–4499 mean "reconnecting cannot help" and y-websocket 3 stops retrying on them;
 * 4500–4599 and the standard codes mean "try again".
 */
export const messageSync = 0;
export const messageAwareness = 1;
export const messageQueryAwareness = 3;
export const messageSaved = 100;
export const messageEpoch = 101;

/** The query parameter that carries the client's epoch (see above). */
export const epochParam = 'epoch';

/** Parses the `epoch` query parameter: null when absent, undefined when malformed. */
export function parseEpochParam(value: string | null): number | null | undefined {
  if (value === null) return null;
  return /^(0|[1-9][0-9]{0,8})$/.test(value) ? Number(value) : undefined;
}

export const closeCodes = {
  /** The server is shutting down or restarting; reconnect. */
  goingAway: 1001,
  /** A message larger than the limit. */
  messageTooBig: 1009,
  /** A message that could not be decoded (not the y-websocket protocol). */
  malformedMessage: 4400,
  /** The session is missing, invalid or expired: sign in again. */
  sessionExpired: 4401,
  /** The user is no longer a member of this plan. */
  forbidden: 4403,
  /** The user's role on this plan changed while connected: reload to continue in the new role. */
  roleChanged: 4409,
  /**
   * The plan was restored to a saved version since this client's copy was made: the copy is
   * discarded and the client connects again with the current epoch.
   */
  planRestored: 4410,
  /** The plan does not exist (any more). */
  planNotFound: 4404,
  /** The update breaks the plan's schema and was not saved. */
  invalidUpdate: 4422,
  /** The update carries a Yjs client id that another user's edits already use. */
  clientIdTaken: 4423,
  /** The plan could not be loaded from the database; nothing was created in its place. */
  planUnavailable: 4500,
  /** The update could not be committed (database unreachable); reconnecting re-sends it. */
  notSaved: 4503,
  /** The connection could not keep up with what it was sent; reconnecting re-syncs cheaply. */
  slowReader: 4508,
  /** The update depends on content the server has not seen; reconnecting re-syncs. */
  outOfSync: 4512,
  /** Too many messages in too short a time; the client reconnects after a back-off. */
  rateLimited: 4529,
} as const;

export type CloseCode = (typeof closeCodes)[keyof typeof closeCodes];

/** True for close codes after which the client must not reconnect by itself. */
export function isTerminalCloseCode(code: number): boolean {
  return code >= 4400 && code < 4500;
}

/** The path of a plan's sync endpoint. */
export function syncPath(slug: string): string {
  return `/yjs/${encodeURIComponent(slug)}`;
}

export const planSlugPattern = /^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$/;

export function isPlanSlug(value: unknown): value is string {
  return typeof value === 'string' && planSlugPattern.test(value);
}
