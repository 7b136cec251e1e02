/**
 * A real Coplan server for integration tests: the real HTTP server, sync rooms and socket.io on
 * port 0, against a real database (see test-database.ts), without Next. Clients are real
 * y-websocket providers and socket.io clients carrying a real next-auth session cookie.
 */
import { randomBytes } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { WebSocket as NodeWebSocket } from 'ws';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

import { preparePlanDocument } from '../../domain/plan-document';
import type { ClientToServerEvents, ServerToClientEvents } from '../../domain/realtime-events';
import { messageEpoch, messageSaved } from '../../domain/sync-protocol';
import { openDatabase } from '../../db/client';
import { clearCurrentDatabase, setCurrentDatabase, type DatabaseHandle } from '../../db/database';
import { findUserByEmail } from '../../db/queries/users';
import { seedDatabase } from '../../db/seed';
import { hashPassword } from '../auth/passwords';
import type { SignInLimits } from '../auth/sign-in-throttle';
import { sessionCookieName } from '../auth/session-cookie';
import { createCoplanServer, type CoplanServer } from '../http/coplan-server';
import { createRootLogger } from '../logger';
import type { TestDatabase } from './test-database';

export const testOrigin = 'http://coplan.test';
export const seededPlanSlug = 'htc-npia-2022-2023';

export interface RunningTestServer {
  server: CoplanServer;
  database: DatabaseHandle;
  port: number;
  baseUrl: string;
  secret: string;
  stop(): Promise<void>;
}

const secrets = new WeakMap<TestDatabase, string>();

/** Starts a server on the test database, seeding it (with the demo accounts) on first start. */
export async function startTestServer(
  testDatabase: TestDatabase,
  options: {
    membershipIntervalMs?: number;
    shareRateLimit?: { perSecond: number; burst: number };
    redisUrl?: string;
    trustedProxies?: number;
    signInLimits?: SignInLimits;
    versionClock?: () => Date;
    /** Serves GET /metrics with this bearer token. */
    metricsToken?: string;
  } = {},
): Promise<RunningTestServer> {
  const secret = secrets.get(testDatabase) ?? randomBytes(32).toString('base64url');
  secrets.set(testDatabase, secret);
  const database = await openDatabase({
    databaseUrl: testDatabase.databaseUrl,
    dataDir: testDatabase.dataDir,
  });
  setCurrentDatabase(database);
  await seedDatabase(database.db, { demoAccounts: { hashPassword } });
  const log = createRootLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const server = createCoplanServer({
    env: { ...testServerEnv(secret), metricsToken: options.metricsToken },
    database,
    log,
    unloadGraceMs: 50,
    membershipIntervalMs: options.membershipIntervalMs,
    shareRateLimit: options.shareRateLimit,
    redisUrl: options.redisUrl,
    trustedProxies: options.trustedProxies,
    signInLimits: options.signInLimits,
    versionClock: options.versionClock,
  });
  const address = await server.listen();
  return {
    server,
    database,
    port: address.port,
    baseUrl: `http://127.0.0.1:${address.port}`,
    secret,
    async stop() {
      await server.close();
      await database.close();
      clearCurrentDatabase();
    },
  };
}

/** The configuration of a test server: its secret, the test origin, any port on loopback. */
export function testServerEnv(secret: string) {
  return {
    authSecret: secret,
    publicUrl: new URL(testOrigin),
    allowedOrigins: new Set([testOrigin]),
    port: 0,
    host: '127.0.0.1',
  };
}

/** A next-auth session cookie, encoded exactly as next-auth does at sign-in. */
export async function sessionCookieWith(
  secret: string,
  user: { id: string; name: string; email: string; organisationCode: string },
  maxAgeSeconds = 60 * 60,
): Promise<string> {
  const token = await encode({
    token: {
      sub: user.id,
      name: user.name,
      email: user.email,
      organisation: user.organisationCode,
    },
    secret,
    maxAge: maxAgeSeconds,
  });
  return `${sessionCookieName(new URL(testOrigin))}=${token}`;
}

/** A session cookie for the user with this email. */
export async function sessionCookieFor(
  running: Pick<RunningTestServer, 'database' | 'secret'>,
  email: string,
  maxAgeSeconds?: number,
): Promise<string> {
  const user = await findUserByEmail(running.database.db, email);
  if (!user) throw new Error(`no user ${email}`);
  return sessionCookieWith(running.secret, user, maxAgeSeconds);
}

function webSocketWith(headers: Record<string, string>) {
  return class extends NodeWebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  } as unknown as typeof WebSocket;
}

export interface TestSyncClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Positions acknowledged by the server's "saved" message. */
  saved: number[];
  /** The plan epochs the server announced (domain/sync-protocol.ts, message 101). */
  epochs: number[];
  closes: Array<{ code: number; reason: string }>;
  destroy(): void;
}

export function connectSyncClient(
  running: RunningTestServer,
  options: { cookie?: string; origin?: string; slug?: string; params?: Record<string, string> },
): TestSyncClient {
  const doc = preparePlanDocument(new Y.Doc());
  const headers: Record<string, string> = { origin: options.origin ?? testOrigin };
  if (options.cookie) headers.cookie = options.cookie;
  const provider = new WebsocketProvider(
    `ws://127.0.0.1:${running.port}/yjs`,
    options.slug ?? seededPlanSlug,
    doc,
    { WebSocketPolyfill: webSocketWith(headers), disableBc: true, params: options.params ?? {} },
  );
  const client: TestSyncClient = {
    doc,
    provider,
    saved: [],
    epochs: [],
    closes: [],
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
  provider.messageHandlers[messageSaved] = (_encoder, decoder) => {
    client.saved.push(decoding.readVarUint(decoder));
  };
  provider.messageHandlers[messageEpoch] = (_encoder, decoder) => {
    client.epochs.push(decoding.readVarUint(decoder));
  };
  provider.on('connection-close', (event) => {
    if (event) client.closes.push({ code: event.code, reason: event.reason });
  });
  return client;
}

/** Resolves with the HTTP status of a refused upgrade (or 101 if it was accepted). */
export function upgradeStatus(
  running: RunningTestServer,
  path: string,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new NodeWebSocket(`ws://127.0.0.1:${running.port}${path}`, { headers });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      resolve(101);
      ws.close();
    });
    ws.once('error', (error) => {
      if (!String(error.message).includes('Unexpected server response')) reject(error);
    });
  });
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connectSocketIoClient(
  running: RunningTestServer,
  options: {
    cookie?: string;
    origin?: string;
    /** Reconnect after a drop (with connection-state recovery), quickly. Off by default. */
    reconnection?: boolean;
    /** The CONNECT packet's auth: a test may present another socket's recovery session. */
    auth?: Record<string, unknown>;
  },
): TestSocket {
  const extraHeaders: Record<string, string> = { origin: options.origin ?? testOrigin };
  if (options.cookie) extraHeaders.cookie = options.cookie;
  return connectSocketIo(running.baseUrl, {
    transports: ['websocket'],
    extraHeaders,
    reconnection: options.reconnection ?? false,
    reconnectionDelay: 100,
    reconnectionDelayMax: 200,
    forceNew: true,
    ...(options.auth ? { auth: options.auth } : {}),
  });
}

/** A raw WebSocket on a plan's sync endpoint, open, for sending hand-made messages. */
export async function openRawSyncSocket(
  running: Pick<RunningTestServer, 'port' | 'database' | 'secret'>,
  email: string,
  slug = seededPlanSlug,
): Promise<NodeWebSocket> {
  const ws = new NodeWebSocket(`ws://127.0.0.1:${running.port}/yjs/${slug}`, {
    headers: { origin: testOrigin, cookie: await sessionCookieFor(running, email) },
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}
