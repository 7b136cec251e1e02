/**
 * socket.io: everything live that is not the plan document (docs/realtime.md): comments, follows
 * and notifications. Every socket is in its user's room (`userRoomName`), where notifications and
 * follow changes go to all of that user's tabs. The engine is not attached to the HTTP server: the upgrade router hands it
 * only requests that already passed the Origin and session check, and the auth middleware below
 * checks the session again for every connection.
 *
 * With several instances (REDIS_URL) socket.io's own Redis adapter carries room broadcasts between
 * them; nothing of ours is layered on it.
 *
 * Connection-state recovery: a socket that drops for less than two minutes comes back with its id,
 * rooms and data, and gets the broadcasts it missed. The auth middleware still runs for it
 * (`skipMiddlewares: false`): the session must still be valid and belong to the user whose state
 * is restored. Only the in-memory adapter keeps sessions: @socket.io/redis-adapter (pub/sub) does
 * not implement recovery (its `restoreSession` is the base adapter's, which finds nothing), so
 * with REDIS_URL every reconnection is a new socket. Clients already re-join their plans and
 * reload what they show at every connect (app/lib/realtime-connection.ts), so that only costs a
 * reload; @socket.io/redis-streams-adapter would add recovery across instances.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import { Server as Engine } from 'engine.io';
import { Server, type Namespace } from 'socket.io';

import {
  commentCreateInput,
  commentDeleteInput,
  commentEditInput,
  describeInputIssues,
  followSetInput,
  notificationListInput,
  notificationReadInput,
  planJoinInput,
  publicNamespace,
  threadStateInput,
  userRoomName,
  type Ack,
  type ClientToServerEvents,
  type Comment,
  type ProgressChangedFact,
  type PublicServerToClientEvents,
  type PublicSocketData,
  type RealtimeSocketData,
  type ServerToClientEvents,
} from '../../domain/realtime-events';
import { isDomainError } from '../../domain/domain-error';
import { getCurrentDatabase } from '../../db/database';
import { findMemberRole } from '../../db/queries/members';
import { isAllowedOrigin } from '../auth/check-origin';
import { readSessionClaims } from '../auth/session-cookie';
import { connectRedis } from '../connect-redis';
import { toAckError } from '../errors';
import type { Logger } from '../logger';
import type { HandshakeConfig } from '../use-cases/authenticate-handshake';
import { findSessionUser } from '../use-cases/find-session-user';
import type { CommentChange } from '../use-cases/comment-access';
import { createComment } from '../use-cases/create-comment';
import { deleteComment } from '../use-cases/delete-comment';
import { editComment } from '../use-cases/edit-comment';
import { getPlanAccess } from '../use-cases/get-plan-access';
import { listFollows } from '../use-cases/list-follows';
import { listNotifications } from '../use-cases/list-notifications';
import { markNotificationsRead } from '../use-cases/mark-notifications-read';
import { notifyComment } from '../use-cases/notify-comment';
import { resolveShareToken } from '../use-cases/resolve-share-token';
import { setFollow } from '../use-cases/set-follow';
import { setThreadResolved } from '../use-cases/set-thread-resolved';
import { TokenBucket } from '../sync/token-bucket';
import { deliverNotifications } from './deliver-notifications';
import { coplanMetrics } from '../metrics/metrics';

export type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  RealtimeSocketData
>;

type CommentFactEvent =
  'comment:created' | 'comment:updated' | 'comment:deleted' | 'thread:resolved' | 'thread:reopened';

type ZodMiniResult<T> =
  | { success: true; data: T }
  | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };

export function planRoomName(planId: string): string {
  return `plan:${planId}`;
}

/** In the `/public` namespace: every public board of one plan, whichever link opened it. */
export function publicPlanRoomName(planId: string): string {
  return `public-plan:${planId}`;
}

/** In the `/public` namespace: the public boards opened through one share link. */
export function shareLinkRoomName(linkId: string): string {
  return `share-link:${linkId}`;
}

/**
 * Tells the plan's members and its public boards that the projection moved on. Across instances
 * through the Redis adapter, like every room broadcast.
 */
export function announceProgressChanged(
  io: RealtimeServer,
  planId: string,
  fact: ProgressChangedFact,
): void {
  io.to(planRoomName(planId)).emit('progress:changed', fact);
  io.of(publicNamespace).to(publicPlanRoomName(planId)).emit('progress:changed', fact);
}

/**
 * Ends the public boards open on a revoked link, on every instance. They fetch nothing more: every
 * HTTP request checks the token again, and a new connection is refused.
 */
export function disconnectShareLink(io: RealtimeServer, linkId: string): void {
  io.of(publicNamespace).in(shareLinkRoomName(linkId)).disconnectSockets(true);
}

export interface RealtimeServerOptions {
  /** Several instances: broadcasts reach sockets on the other instances through Redis. */
  redisUrl?: string | undefined;
}

/** Commands one socket may send: a burst, then a steady rate (far above any person's). */
export const commandLimit = { burst: 60, perSecond: 20 };

export function createRealtimeServer(
  config: HandshakeConfig,
  log: Logger,
  options: RealtimeServerOptions = {},
) {
  const engine = new Engine({
    maxHttpBufferSize: 1e6,
    // The browser client uses WebSocket only (the plan's sync needs WebSocket anyway), so every
    // handshake carries an Origin header that can be checked.
    transports: ['websocket'],
    allowRequest: (req, callback) => {
      callback(null, isAllowedOrigin(req.headers.origin, config.allowedOrigins));
    },
  });
  const io: RealtimeServer = new Server({
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
  });
  io.bind(engine);
  const redis = options.redisUrl ? attachRedisAdapter(io, options.redisUrl, log) : null;

  io.use(async (socket, next) => {
    try {
      const claims = await readSessionClaims(socket.request.headers.cookie, {
        secret: config.authSecret,
        publicUrl: config.publicUrl,
      });
      const user = claims ? await findSessionUser(claims) : null;
      if (!user) {
        next(new Error('unauthenticated'));
        return;
      }
      if (socket.recovered) {
        // A restored session is only its own user's: someone else's cookie with a stolen
        // session id gets nothing of it.
        if (socket.data.userId !== user.id) {
          next(new Error('unauthenticated'));
          return;
        }
        socket.data.sessionVersion = claims?.sessionVersion ?? 0;
        await leavePlansNoLongerMember(socket);
      } else {
        socket.data.userId = user.id;
        socket.data.sessionVersion = claims?.sessionVersion ?? 0;
        socket.data.plans = {};
        socket.data.roles = {};
      }
      // The session ends for open sockets too, not only at the next handshake.
      const expiry = setTimeout(
        () => socket.disconnect(true),
        Math.max(0, Math.min((claims?.expiresAt ?? 0) - Date.now(), 2 ** 31 - 1)),
      );
      expiry.unref();
      socket.once('disconnect', () => clearTimeout(expiry));
      next();
    } catch (error) {
      log.error({ err: error }, 'socket.io authentication failed');
      next(new Error('unavailable'));
    }
  });

  attachPublicNamespace(io, log);

  io.on('connection', (socket) => {
    void socket.join(userRoomName(socket.data.userId));
    countSocketIo(socket);

    // A person sends a command per click; a script sending thousands would fill the comments
    // table. Past the limit a command is answered at once and not run.
    const commands = new TokenBucket(commandLimit.perSecond, commandLimit.burst);
    socket.use(([, ...args], next) => {
      if (commands.take()) {
        next();
        return;
      }
      const ack = args.at(-1);
      if (typeof ack === 'function') {
        ack({ error: 'unavailable', message: 'too many commands at once; wait a moment' });
      }
    });

    socket.on('plan:join', async (input, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const parsed = planJoinInput.safeParse(input);
        if (!parsed.success) {
          ack({ error: 'bad_request', message: 'expected { plan: "<plan slug>" }' });
          return;
        }
        const access = await getPlanAccess(parsed.data.plan, socket.data.userId);
        await socket.join(planRoomName(access.plan.id));
        socket.data.plans[access.plan.id] = access.plan.slug;
        socket.data.roles[access.plan.id] = access.role;
        ack({ ok: true, role: access.role });
      } catch (error) {
        ack(toAckError(error, log));
      }
    });

    /**
     * One comment command: parse, run the use case (which reads the sender's role now), answer,
     * and tell the plan's room what changed. Nothing thrown here escapes to the process.
     */
    function onCommentCommand<Input>(
      schema: { safeParse(value: unknown): ZodMiniResult<Input> },
      run: (userId: string, input: Input) => Promise<CommentChange>,
      fact: CommentFactEvent,
      after?: (change: CommentChange) => Promise<void>,
    ) {
      return (input: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        const answer = ack as (result: Ack<{ comment: Comment }>) => void;
        const handle = async () => {
          const parsed = schema.safeParse(input);
          if (!parsed.success) {
            answer({ error: 'bad_request', message: describeInputIssues(parsed.error) });
            return;
          }
          const change = await run(socket.data.userId, parsed.data);
          // Before the answer, so that a comment acknowledged as saved has its notifications
          // stored too (they are delivered from the database on reconnect). If this fails the
          // comment still stands: the sender is told it is saved, the failure is logged, and a
          // retry of the same command stores the notifications then (once, by their keys).
          await after?.(change).catch((error: unknown) => {
            log.error({ err: error }, 'after a comment command');
          });
          answer({ ok: true, comment: change.comment });
          if (change.changed) {
            io.to(planRoomName(change.plan.id)).emit(fact, {
              plan: change.plan.slug,
              comment: change.comment,
            });
          }
        };
        handle().catch((error: unknown) => answer(toAckError(error, log)));
      };
    }

    /** A follow or notification command: parse, run, answer; nothing thrown escapes. */
    function onCommand<Input, Result extends object>(
      schema: { safeParse(value: unknown): ZodMiniResult<Input> },
      run: (userId: string, input: Input) => Promise<Result>,
    ) {
      return (input: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        const answer = ack as (result: Ack<Result>) => void;
        const handle = async () => {
          const parsed = schema.safeParse(input);
          if (!parsed.success) {
            answer({ error: 'bad_request', message: describeInputIssues(parsed.error) });
            return;
          }
          answer({ ok: true, ...(await run(socket.data.userId, parsed.data)) });
        };
        handle().catch((error: unknown) => answer(toAckError(error, log)));
      };
    }

    socket.on(
      'comment:create',
      onCommentCommand(commentCreateInput, createComment, 'comment:created', async (change) => {
        deliverNotifications(io, await notifyComment(change.plan, change.comment));
        // The author follows the item now; their other tabs show it.
        io.to(userRoomName(change.comment.authorId)).emit('follow:changed', {
          plan: change.plan.slug,
          itemId: change.comment.itemId,
          following: true,
        });
      }),
    );
    socket.on(
      'comment:edit',
      onCommentCommand(commentEditInput, editComment, 'comment:updated', async (change) => {
        // Someone the edit newly @mentions is told now; nobody already told hears it again.
        if (change.changed && change.comment.mentions.length > 0) {
          deliverNotifications(
            io,
            await notifyComment(change.plan, change.comment, { followers: false }),
          );
        }
      }),
    );
    socket.on(
      'comment:delete',
      onCommentCommand(commentDeleteInput, deleteComment, 'comment:deleted'),
    );
    socket.on(
      'thread:resolve',
      onCommentCommand(
        threadStateInput,
        (userId, input) => setThreadResolved(userId, input, true),
        'thread:resolved',
      ),
    );
    socket.on(
      'thread:reopen',
      onCommentCommand(
        threadStateInput,
        (userId, input) => setThreadResolved(userId, input, false),
        'thread:reopened',
      ),
    );

    socket.on('follow:list', onCommand(planJoinInput, listFollows));
    socket.on(
      'follow:set',
      onCommand(followSetInput, async (userId, input) => {
        const change = await setFollow(userId, input);
        io.to(userRoomName(userId)).emit('follow:changed', {
          plan: change.plan.slug,
          itemId: change.itemId,
          following: change.following,
        });
        return { following: change.following };
      }),
    );
    socket.on('notification:list', onCommand(notificationListInput, listNotifications));
    socket.on(
      'notification:read',
      onCommand(notificationReadInput, async (userId, input) => {
        const result = await markNotificationsRead(userId, input);
        io.to(userRoomName(userId)).emit('notification:read', result);
        return { unread: result.unread };
      }),
    );
  });

  return {
    io,
    engine,
    /** Closes socket.io, then its Redis connections (the adapter unsubscribes on close). */
    async close(): Promise<void> {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await redis?.close();
    },
  };
}

/**
 * Public progress boards: a socket authenticates with its share link's token (checked against
 * the database on every connection, recovered ones too) and is put in the link's room and the
 * plan's public room; it may send nothing. No session is needed or read here: a signed-in user
 * opening a public link is as anonymous as anyone.
 */
function attachPublicNamespace(io: RealtimeServer, log: Logger): void {
  const publicIo = io.of(publicNamespace) as unknown as Namespace<
    Record<string, never>,
    PublicServerToClientEvents,
    Record<string, never>,
    PublicSocketData
  >;
  publicIo.use(async (socket, next) => {
    try {
      const auth = socket.handshake.auth as { token?: unknown } | undefined;
      const shared = await resolveShareToken(auth?.token);
      socket.data.linkId = shared.linkId;
      socket.data.planId = shared.plan.id;
      next();
    } catch (error) {
      if (!isDomainError(error)) log.error({ err: error }, 'public socket authentication failed');
      next(new Error(isDomainError(error) ? 'not_found' : 'unavailable'));
    }
  });
  publicIo.on('connection', (socket) => {
    countSocketIo(socket);
    void socket.join([
      shareLinkRoomName(socket.data.linkId),
      publicPlanRoomName(socket.data.planId),
    ]);
    // No handlers: whatever a public socket sends is ignored; it only listens.
  });
}

/**
 * A recovered socket is back in the rooms it had; one whose membership of a plan ended while it
 * was away leaves that plan's room now rather than at the membership watch's next round (the
 * client re-joins its plans at connect, and is refused there). A role change is told by the watch.
 */
async function leavePlansNoLongerMember(socket: {
  data: RealtimeSocketData;
  leave(room: string): unknown;
}): Promise<void> {
  const { db } = getCurrentDatabase();
  for (const planId of Object.keys(socket.data.plans)) {
    if ((await findMemberRole(db, planId, socket.data.userId)) !== null) continue;
    delete socket.data.plans[planId];
    delete socket.data.roles[planId];
    await socket.leave(planRoomName(planId));
  }
}

function attachRedisAdapter(io: RealtimeServer, url: string, log: Logger) {
  const publisher = connectRedis(url, { name: 'socket.io publisher', log });
  // The adapter publishes without handling a rejection; with no offline queue (connect-redis.ts)
  // a publish during an outage would reject and end the process. Such a broadcast is dropped
  // instead, as socket.io drops events for a client that is disconnected.
  const publish = publisher.client.publish.bind(publisher.client);
  publisher.client.publish = ((...args: Parameters<typeof publish>) =>
    publish(...args).catch((error: unknown) => {
      log.debug({ err: error }, 'socket.io broadcast not published: redis unreachable');
      return 0;
    })) as typeof publish;
  // The adapter subscribes once, at creation: keep those commands until Redis is there, and let
  // ioredis renew the subscriptions after each reconnect.
  const subscriber = connectRedis(url, {
    name: 'socket.io subscriber',
    log,
    redis: { enableOfflineQueue: true, autoResubscribe: true },
  });
  io.adapter(createAdapter(publisher.client, subscriber.client));
  return {
    async close() {
      await Promise.all([publisher.close(), subscriber.close()]);
    },
  };
}

/** Counts a socket while it is open, and each event it sends under a name the server handles. */
function countSocketIo(socket: {
  use(fn: (event: unknown[], next: (error?: Error) => void) => void): unknown;
  listeners(event: string): unknown[];
  once(event: 'disconnect', listener: () => void): unknown;
}): void {
  const metrics = coplanMetrics();
  metrics.socketIoConnections.inc();
  socket.once('disconnect', () => metrics.socketIoConnections.dec());
  socket.use(([event], next) => {
    // A client makes up any name it likes; only the server's own become labels.
    const known = typeof event === 'string' && socket.listeners(event).length > 0;
    metrics.socketIoEvents.inc({ event: known ? event : 'unknown' });
    next();
  });
}
