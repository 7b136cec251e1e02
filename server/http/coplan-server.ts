/**
 * The one process, one port: an HTTP server that routes
 *
 *   GET  /api/health            → database check (here, so it answers even if Next is broken)
 *   GET  /api/plans/<slug>/items/<item>/comments → an item's comments (item-comments-route.ts)
 *   GET  /api/plans/<slug>/items → the items' relational projection (plan-items-route.ts)
 *   GET  /api/plans/<slug>/activity → the activity log, a page (plan-activity-route.ts)
 *   GET  /api/plans/<slug>/export/… → CSV files; GET /calendar/<token>.ics (export-routes.ts)
 *   GET  /api/plans/<slug>/progress, /share-links… → the progress board, share links (progress-routes.ts)
 *   GET  /api/share/<token>/progress → the public progress board (rate-limited per address)
 *   HTTP /share/<token>          → Next's public page, after the per-address rate limit
 *   HTTP /socket.io/…           → socket.io's engine, after the Origin and session check (or,
 *                                 with `?share=<token>`, the share token: public boards)
 *   POST /api/auth/callback/credentials, /api/auth/signout → next-auth, after the sign-in
 *                                 throttle; sign-out ends the user's sessions (auth-routes.ts)
 *   POST /api/plans/<slug>/versions/<id>/restore → an owner restores a version (plan-version-restore-route.ts)
 *   WS   /yjs/<plan-slug>       → the plan's sync room, after Origin, session and membership
 *   WS   /socket.io/…           → socket.io's engine, after the Origin and session check
 *   WS   /_next/…  (dev only)   → Next's HMR
 *   everything else            → Next's request handler
 *
 * Upgrades are refused with a plain HTTP status before the handshake completes: 401 without a
 * valid session, 403 for a foreign Origin or a non-member, 404 for an unknown plan.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

import { DomainError } from '../../domain/domain-error';
import { closeCodes, epochParam, isPlanSlug, parseEpochParam } from '../../domain/sync-protocol';
import type { DatabaseHandle } from '../../db/database';
import type { Env } from '../env';
import { toHttpError } from '../errors';
import { handleItemComments, isItemCommentsPath } from './item-comments-route';
import { createExportRoutes, isExportPath } from './export-routes';
import { handlePlanActivity, isPlanActivityPath } from './plan-activity-route';
import { handlePlanItems, isPlanItemsPath } from './plan-items-route';
import {
  AddressRateLimit,
  defaultShareRateLimit,
  type AddressRateLimitOptions,
} from './address-rate-limit';
import {
  handleProgress,
  handlePublicProgress,
  isProgressPath,
  isPublicProgressPath,
  type ProgressRouteContext,
} from './progress-routes';
import { handlePlanVersionRestore, isPlanVersionRestorePath } from './plan-version-restore-route';
import { applySecurityHeaders, type SecurityHeaderConfig } from './security-headers';
import { handleAuthPost, isAuthPostPath } from './auth-routes';
import {
  createDatabaseFailureStore,
  createRedisFailureStore,
  SignInThrottle,
  type SignInLimits,
} from '../auth/sign-in-throttle';
import { connectRedis } from '../connect-redis';
import { startSessionWatch, type SessionWatch } from '../sync/session-watch';
import type { Logger } from '../logger';
import { ItemProjector, type RecordedActivity } from '../projection/item-projector';
import { startDueSoonScan, type DueSoonScan } from '../notifications/due-soon';
import { deliverNotifications } from '../realtime/deliver-notifications';
import {
  announceProgressChanged,
  createRealtimeServer,
  disconnectShareLink,
  planRoomName,
} from '../realtime/realtime-server';
import { PlanCompactor, type PlanCompactorOptions } from '../sync/plan-compactor';
import { closeReason, type PlanRoom } from '../sync/plan-room';
import { createDatabasePlanStore } from '../sync/plan-store';
import { RedisBridge } from '../sync/redis-bridge';
import { RoomRegistry } from '../sync/room-registry';
import { startEmailDigest } from '../notifications/email-digest';
import { getCurrentMailer, setCurrentMailer, type Mailer } from '../mail/mailer';
import { createSmtpMailer } from '../mail/smtp-mailer';
import { startMembershipWatch, type MembershipWatch } from '../sync/membership-watch';
import { attachSyncConnection } from '../sync/ws-transport';
import { authenticateHandshake } from '../use-cases/authenticate-handshake';
import { getPlanAccess } from '../use-cases/get-plan-access';
import { notifyStatusChanges, type StatusChange } from '../use-cases/notify-status-changes';
import { resolveShareToken } from '../use-cases/resolve-share-token';
import { isAllowedOrigin } from '../auth/check-origin';
import { DailyVersions } from '../versions/daily-versions';
import type { RestoreDependencies } from '../versions/restore-version';
import { handleMetrics } from '../metrics/metrics-route';

export const maxSyncMessageBytes = 1024 * 1024;
const heartbeatMs = 30_000;

/** What the server needs of Next: its request handler, and whether it serves HMR (dev). */
export interface NextHandlers {
  handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void>;
  dev: boolean;
}

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface CoplanServerOptions {
  env: Pick<Env, 'authSecret' | 'publicUrl' | 'allowedOrigins' | 'port' | 'host' | 'metricsToken'>;
  database: DatabaseHandle;
  log: Logger;
  next?: NextHandlers | null;
  unloadGraceMs?: number;
  /** When a plan's log is folded into a snapshot (default: 500 updates or 1 MiB). */
  compaction?: PlanCompactorOptions;
  /** Several instances serve the same plans: commits and presence are announced on Redis. */
  redisUrl?: string | undefined;
  /** How often open connections are checked against current roles (default 2 s). */
  membershipIntervalMs?: number;
  /** Told after activity entries are written (e.g. to notify followers of status changes). */
  onActivityRecorded?(plan: { id: string; slug: string }, entries: RecordedActivity[]): void;
  /** How often items due within a week are looked for (default hourly; also once at start). */
  dueSoonIntervalMs?: number;
  /** E-mail digests of unread notifications (SMTP_URL); none when absent. */
  mail?: Env['mail'];
  /** Requests per client address to the public share pages, API and sockets. */
  shareRateLimit?: AddressRateLimitOptions;
  /** The clock that decides a plan's UTC day for its daily version (tests move it). */
  versionClock?: () => Date;
  /** How many proxies in front of this server to believe X-Forwarded-For from (TRUST_PROXY). */
  trustedProxies?: number;
  /** Failed sign-ins allowed per account and per address (auth/sign-in-throttle.ts). */
  signInLimits?: SignInLimits;
}

export interface CoplanServer {
  readonly registry: RoomRegistry;
  readonly compactor: PlanCompactor;
  readonly membership: MembershipWatch;
  readonly projector: ItemProjector;
  readonly dueSoon: DueSoonScan;
  readonly dailyVersions: DailyVersions;
  readonly sessions: SessionWatch;
  /**
   * Stores and sends the notifications for status changes the activity log recorded (followers of
   * each item or the plan, not the actor). Never rejects: a failure is logged.
   */
  notifyStatusChanges(plan: { id: string; slug: string }, changes: StatusChange[]): Promise<void>;
  listen(): Promise<AddressInfo>;
  /** Stops accepting, commits what is queued, closes every connection. */
  close(): Promise<void>;
}

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function pathOf(req: IncomingMessage): string {
  const raw = req.url ?? '/';
  const queryAt = raw.indexOf('?');
  return queryAt === -1 ? raw : raw.slice(0, queryAt);
}

export function createCoplanServer(options: CoplanServerOptions): CoplanServer {
  const { env, database, log } = options;
  const handshake = {
    authSecret: env.authSecret,
    publicUrl: env.publicUrl,
    allowedOrigins: env.allowedOrigins,
  };
  const bridge = options.redisUrl
    ? new RedisBridge({
        url: options.redisUrl,
        log: log.child({ module: 'redis-bridge' }),
        loadedRoom: (planId) => registry.loadedRoom(planId),
      })
    : null;
  const compactor = new PlanCompactor(
    () => database.db,
    log.child({ module: 'compaction' }),
    options.compaction,
  );
  const registry = new RoomRegistry(
    createDatabasePlanStore(() => database),
    log.child({ module: 'sync' }),
    {
      unloadGraceMs: options.unloadGraceMs ?? 30_000,
      compactor,
      hooks: {
        loaded(room) {
          projector.attach(room);
        },
        committed(room, commit) {
          bridge?.announce(room, commit.lastSeq);
          projector.committed(room, commit);
          dailyVersions.committed(room);
        },
        destroyed(room) {
          projector.detach(room);
        },
      },
    },
  );
  const {
    io,
    engine,
    close: closeRealtime,
  } = createRealtimeServer(handshake, log.child({ module: 'realtime' }), {
    redisUrl: options.redisUrl,
  });
  const projector = new ItemProjector({
    database: () => database.db,
    log: log.child({ module: 'projection' }),
    io: () => io,
    onRecorded(plan, entries) {
      options.onActivityRecorded?.(plan, entries);
      const changes: StatusChange[] = entries.flatMap(({ entry, actorId }) =>
        entry.kind === 'status'
          ? [
              {
                itemId: entry.itemId,
                from: entry.from,
                to: entry.to,
                actorId,
                activityId: entry.id,
              },
            ]
          : [],
      );
      if (changes.length > 0) void notifyStatus(plan, changes);
    },
    onProjected(plan, seq) {
      announceProgressChanged(io, plan.id, { plan: plan.slug, seq });
    },
  });
  compactor.onCompacted = (planId) => projector.compacted(planId);
  const dailyVersions = new DailyVersions(
    () => database.db,
    log.child({ module: 'versions' }),
    options.versionClock,
  );
  const restoreDependencies: RestoreDependencies = {
    registry,
    roomAcquired: (room) => bridge?.track(room),
    epochChanged: (room, epoch, seq) => bridge?.announceEpoch(room, epoch, seq),
    activityRecorded(plan, entry) {
      io.to(planRoomName(plan.id)).emit('activity:recorded', { plan: plan.slug, entry });
    },
  };
  const membership = startMembershipWatch({
    registry,
    io,
    database,
    log: log.child({ module: 'membership' }),
    intervalMs: options.membershipIntervalMs ?? 2_000,
  });
  const notificationLog = log.child({ module: 'notifications' });
  /** Status changes the activity log recorded notify the item's and the plan's followers. */
  async function notifyStatus(
    plan: { id: string; slug: string },
    changes: StatusChange[],
  ): Promise<void> {
    try {
      deliverNotifications(io, await notifyStatusChanges(plan, changes));
    } catch (error) {
      notificationLog.error({ err: error, planId: plan.id }, 'status notifications failed');
    }
  }
  const dueSoon = startDueSoonScan({
    intervalMs: options.dueSoonIntervalMs ?? 60 * 60 * 1000,
    log: notificationLog,
    deliver: (deliveries) => deliverNotifications(io, deliveries),
  });
  const digest = options.mail
    ? startEmailDigest({
        database,
        log: log.child({ module: 'email-digest' }),
        smtpUrl: options.mail.smtpUrl,
        from: options.mail.from,
        publicUrl: env.publicUrl,
        intervalMs: options.mail.digestIntervalMinutes * 60_000,
      })
    : null;
  // Invitations are mailed from server actions, which find the mailer through the process.
  const mailer: Mailer | null = options.mail
    ? createSmtpMailer({
        smtpUrl: options.mail.smtpUrl,
        from: options.mail.from,
        publicUrl: env.publicUrl,
      })
    : null;
  if (mailer) setCurrentMailer(mailer);
  const exportRoutes = createExportRoutes({
    config: handshake,
    projection: projector,
    log: log.child({ module: 'export' }),
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxSyncMessageBytes });
  const alive = new WeakSet<WebSocket>();

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  async function handleHealth(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    try {
      await database.ping();
      sendJson(res, 200, { status: 'ok', database: database.kind });
    } catch (error) {
      log.warn({ err: error }, 'health check: database unreachable');
      sendJson(res, 503, { status: 'unavailable', database: database.kind });
    }
  }

  const sessions = startSessionWatch({
    io,
    database,
    log: log.child({ module: 'sessions' }),
    intervalMs: options.membershipIntervalMs ?? 2_000,
  });
  // Several instances share the counts in Redis; one instance keeps them in the database.
  const throttleRedis = options.redisUrl
    ? connectRedis(options.redisUrl, {
        name: 'sign-in throttle',
        log: log.child({ module: 'sign-in' }),
        // A sign-in waits for a reconnect briefly rather than fail at once.
        redis: { enableOfflineQueue: true, maxRetriesPerRequest: 1 },
      })
    : null;
  const authContext = {
    authSecret: env.authSecret,
    publicUrl: env.publicUrl,
    trustedProxies: options.trustedProxies ?? 0,
    throttle: new SignInThrottle(
      throttleRedis
        ? createRedisFailureStore(throttleRedis.client)
        : createDatabaseFailureStore(() => database),
      options.signInLimits,
    ),
    log: log.child({ module: 'sign-in' }),
  };

  const shareLimit = new AddressRateLimit(options.shareRateLimit ?? defaultShareRateLimit);
  const progressContext: ProgressRouteContext = {
    config: handshake,
    projection: projector,
    log: log.child({ module: 'progress' }),
    disconnectShareLink: (linkId) => disconnectShareLink(io, linkId),
  };

  /** The share token a public board's socket.io handshake carries, if any. */
  function shareTokenOf(req: IncomingMessage): string | null {
    return new URL(req.url ?? '/', 'http://localhost').searchParams.get('share');
  }

  /** Public entry points are limited per client address; false when this request was refused. */
  function withinShareLimit(req: IncomingMessage): boolean {
    return shareLimit.take(req.socket.remoteAddress ?? 'unknown').ok;
  }

  function refuseTooMany(res: ServerResponse, page = false): void {
    const retryAfter = String(
      Math.max(1, Math.ceil(1 / (options.shareRateLimit ?? defaultShareRateLimit).perSecond)),
    );
    res.setHeader('Retry-After', retryAfter);
    if (!page) {
      sendJson(res, 429, {
        error: 'rate_limited',
        message: 'too many requests; try again shortly',
      });
      return;
    }
    // A person reads this one: in the three languages, as there is no page to translate it.
    const body =
      'Too many requests: please wait a moment and reload.\n' +
      '请求过多：请稍候再刷新页面。\n' +
      'សំណើច្រើនពេក៖ សូមរង់ចាំបន្តិច រួចផ្ទុកទំព័រឡើងវិញ។\n';
    res
      .writeHead(429, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store',
      })
      .end(body);
  }

  /** The engine's check for a public board's socket: the app's Origin and an active share token. */
  async function checkPublicHandshake(req: IncomingMessage, token: string): Promise<void> {
    if (!isAllowedOrigin(req.headers.origin, handshake.allowedOrigins)) {
      throw new DomainError('forbidden', 'this origin may not connect');
    }
    await resolveShareToken(token);
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    if (path === '/api/health') return handleHealth(req, res);
    if (path === '/metrics') return handleMetrics(req, res, env.metricsToken);
    const publicPage = path.startsWith('/share/');
    if ((publicPage || isPublicProgressPath(path)) && !withinShareLimit(req)) {
      return refuseTooMany(res, publicPage);
    }
    if (isPublicProgressPath(path)) return handlePublicProgress(req, res, path, progressContext);
    if (isProgressPath(path)) return handleProgress(req, res, path, progressContext);
    if (isItemCommentsPath(path)) {
      return handleItemComments(req, res, path, handshake, log.child({ module: 'comments' }));
    }
    if (isPlanItemsPath(path)) {
      return handlePlanItems(req, res, path, handshake, projector, log.child({ module: 'items' }));
    }
    if (isExportPath(path)) return exportRoutes.handle(req, res, path);
    if (isPlanActivityPath(path)) {
      return handlePlanActivity(req, res, path, handshake, log.child({ module: 'activity' }));
    }
    if (isPlanVersionRestorePath(path)) {
      return handlePlanVersionRestore(
        req,
        res,
        path,
        handshake,
        restoreDependencies,
        log.child({ module: 'versions' }),
      );
    }
    if (req.method === 'POST' && isAuthPostPath(path)) {
      return handleAuthPost(req, res, path, authContext);
    }
    if (path.startsWith('/socket.io/')) {
      const shareToken = shareTokenOf(req);
      if (shareToken !== null && !withinShareLimit(req)) return refuseTooMany(res);
      try {
        if (shareToken !== null) await checkPublicHandshake(req, shareToken);
        else await authenticateHandshake(req.headers, handshake);
      } catch (error) {
        const refusal = toHttpError(error, log);
        sendJson(res, refusal.status, { error: refusal.code, message: refusal.message });
        return;
      }
      engine.handleRequest(req, res);
      return;
    }
    if (options.next) return options.next.handleRequest(req, res);
    sendJson(res, 404, { error: 'not_found', message: 'no such page' });
  }

  async function upgradeSync(req: IncomingMessage, socket: Duplex, head: Buffer, slug: string) {
    const { user, expiresAt, sessionVersion } = await authenticateHandshake(req.headers, handshake);
    const access = await getPlanAccess(slug, user.id, { distinguishNonMember: true });
    let room: PlanRoom | null = null;
    let loadFailed = false;
    try {
      room = await registry.acquire(access.plan.id);
      bridge?.track(room);
    } catch {
      loadFailed = true;
    }
    if (socket.destroyed) {
      if (room) registry.release(room);
      return;
    }
    const clientEpoch = parseEpochParam(
      new URL(req.url ?? '/', 'http://localhost').searchParams.get(epochParam),
    );
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      if (clientEpoch === undefined) {
        if (room) registry.release(room);
        ws.close(closeCodes.malformedMessage, 'the epoch parameter is not a number');
        return;
      }
      if (clientEpoch !== null && clientEpoch < access.plan.epoch) {
        // Its copy predates a restore: nothing of it may be merged (domain/sync-protocol.ts).
        if (room) registry.release(room);
        ws.close(
          closeCodes.planRestored,
          closeReason('the plan was restored to a saved version; this copy is out of date'),
        );
        return;
      }
      if (!room || loadFailed) {
        // Never start an empty document in place of one that failed to load.
        ws.close(
          closeCodes.planUnavailable,
          closeReason('the plan could not be loaded; try again'),
        );
        return;
      }
      attachSyncConnection({
        ws,
        socket,
        room,
        registry,
        user,
        sessionExpiresAt: expiresAt,
        role: access.role,
        epoch: access.plan.epoch,
        log: log.child({ module: 'sync', planId: access.plan.id }),
      });
      const untrack = sessions.track({
        userId: user.id,
        sessionVersion,
        end: () =>
          ws.close(
            closeCodes.sessionExpired,
            closeReason('you signed out or changed your password; sign in again'),
          ),
      });
      ws.once('close', untrack);
    });
  }

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', (error) => log.debug({ err: error }, 'upgrade socket error'));
    const path = pathOf(req);
    try {
      if (path.startsWith('/yjs/')) {
        let slug = '';
        try {
          slug = decodeURIComponent(path.slice('/yjs/'.length));
        } catch {
          slug = '';
        }
        if (!isPlanSlug(slug)) throw new DomainError('not_found', 'no such plan');
        await upgradeSync(req, socket, head, slug);
        return;
      }
      if (path.startsWith('/socket.io/')) {
        const shareToken = shareTokenOf(req);
        if (shareToken !== null) {
          if (!withinShareLimit(req)) {
            refuseUpgrade(socket, 429, 'too many requests; try again shortly');
            return;
          }
          await checkPublicHandshake(req, shareToken);
        } else {
          await authenticateHandshake(req.headers, handshake);
        }
        engine.handleUpgrade(req, socket, head);
        return;
      }
      if (path.startsWith('/_next/') && options.next?.dev && nextUpgradeListener) {
        nextUpgradeListener(req, socket, head);
        return;
      }
      refuseUpgrade(socket, 404, 'no WebSocket endpoint here');
    } catch (error) {
      if (!(error instanceof DomainError)) {
        // Not a refusal but an outage (the database, most often): the client retries.
        log.warn({ err: error }, 'could not check a connection; answering 503');
        refuseUpgrade(socket, 503, 'temporarily unavailable; try again');
        return;
      }
      const refusal = toHttpError(error, log);
      refuseUpgrade(socket, refusal.status, refusal.message);
    }
  }

  const securityHeaders: SecurityHeaderConfig = {
    publicUrl: env.publicUrl,
    allowedOrigins: env.allowedOrigins,
    dev: options.next?.dev ?? false,
  };
  const httpServer = createServer((req, res) => {
    applySecurityHeaders(req, res, securityHeaders);
    handleRequest(req, res).catch((error: unknown) => {
      log.error({ err: error }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'server error' });
      else res.destroy();
    });
  });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void handleUpgrade(req, socket, head);
  };
  httpServer.on('upgrade', onUpgrade);
  // Next's request handler registers its own `upgrade` listener on the first request. Left on
  // the server it would end sockets whose path matches a page while ours are still
  // authenticating, so this server owns the event: the listener is kept aside and called only
  // for Next's own HMR socket in development (`app.getUpgradeHandler()` is a no-op there).
  let nextUpgradeListener: UpgradeListener | null = null;
  const on = httpServer.on.bind(httpServer);
  const guardedOn = ((event: string, listener: (...args: unknown[]) => void) => {
    if (event !== 'upgrade') return on(event, listener);
    nextUpgradeListener ??= listener as UpgradeListener;
    return httpServer;
  }) as typeof httpServer.on;
  httpServer.on = guardedOn;
  httpServer.addListener = guardedOn;

  return {
    registry,
    compactor,
    membership,
    projector,
    dueSoon,
    dailyVersions,
    sessions,
    notifyStatusChanges: notifyStatus,
    listen() {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(env.port, env.host, () => {
          httpServer.off('error', reject);
          resolve(httpServer.address() as AddressInfo);
        });
      });
    },
    async close() {
      clearInterval(heartbeat);
      membership.stop();
      sessions.stop();
      await dueSoon.stop();
      await digest?.stop();
      if (mailer) {
        if (getCurrentMailer() === mailer) setCurrentMailer(null);
        mailer.close();
      }
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await registry.closeAll(closeCodes.goingAway, 'the server is restarting');
      // A compaction cut short loses nothing, but one left running would query a closed pool.
      await compactor.close();
      // After the rooms are closed: their last commits' rows and activity are written.
      await projector.close();
      await dailyVersions.settled();
      await closeRealtime();
      // After the rooms are closed, so the announcements of their last commits go out.
      await bridge?.close();
      await throttleRedis?.close();
      for (const ws of wss.clients) ws.terminate();
      httpServer.closeIdleConnections();
      const forced = setTimeout(() => httpServer.closeAllConnections(), 2_000);
      await stopped;
      clearTimeout(forced);
    },
  };
}
