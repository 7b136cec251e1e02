/**
 * Hostile input at every entry point (issue 7, part 4): the route handlers of
 * server/http/coplan-server.ts, every socket.io event of domain/realtime-events.ts and the
 * /public namespace, the sync endpoint `/yjs/<slug>`, and the use cases the Next server actions
 * call (the test server has no Next). Each case is one row of a table; each must end in a clear
 * refusal (a 4xx with `{ error, message }`, an error ack, a WebSocket close code with a reason),
 * leave every table of the database as it was, and leave the process answering its health check.
 *
 * What server/http/coplan-server.integration.test.ts, server/sync/live-access.integration.test.ts
 * and server/realtime/socket-hardening.integration.test.ts already cover (undecodable sync
 * messages, 1 MiB messages, schema-breaking updates, viewers' updates, floods, awareness for
 * another client, recovery with another cookie, oversized socket.io packets) is not repeated.
 */
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import { io as connectSocketIo } from 'socket.io-client';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';

import { DomainError } from '../domain/domain-error';
import { createItem, preparePlanDocument, readPlan } from '../domain/plan-document';
import { closeCodes } from '../domain/sync-protocol';
import { findPlanBySlug } from '../db/queries/plans';
import { findUserByEmail, insertUser } from '../db/queries/users';
import { notifications } from '../db/schema';
import { createCalendarFeed, revokeCalendarFeed } from './use-cases/calendar-feeds';
import { changeMember } from './use-cases/change-membership';
import { createComment } from './use-cases/create-comment';
import { createInvite } from './use-cases/create-invite';
import { acceptInvite, acceptInviteWithNewAccount } from './use-cases/accept-invite';
import { createPlan } from './use-cases/create-plan';
import { createShareLink } from './use-cases/create-share-link';
import { revokePlanInvite } from './use-cases/plan-invites';
import { commandLimit } from './realtime/realtime-server';
import { loadPlanDocument } from './versions/load-plan-document';
import { saveNamedVersion } from './versions/save-named-version';
import { fingerprintDatabase, type DatabaseFingerprint } from './testing/database-fingerprint';
import { createTestDatabase, type TestDatabase } from './testing/test-database';
import {
  connectSocketIoClient,
  openRawSyncSocket,
  seededPlanSlug as plan,
  sessionCookieFor,
  startTestServer,
  testOrigin,
  upgradeStatus,
  type RunningTestServer,
  type TestSocket,
} from './testing/test-server';

const otherPlan = 'hostile-other-plan';
const owner = 'owner@coplan.test';
const editor = 'htc.editor@coplan.test';
const commenter = 'ilo@coplan.test';
const viewer = 'participant@coplan.test';
const outsider = 'outsider@coplan.test';

let testDatabase: TestDatabase;
let running: RunningTestServer;
const sockets: TestSocket[] = [];
const cookies: Record<string, string> = {};
const ids = {
  item: '',
  ownerComment: '',
  otherPlanComment: '',
  otherPlanShareLink: '',
  otherPlanVersion: '',
  planVersion: '',
  otherPlanInvite: '',
  otherPlanInviteToken: '',
  otherPlanFeed: '',
  planShareToken: '',
  outsiderUser: '',
  ownerUser: '',
};

async function userId(email: string): Promise<string> {
  const user = await findUserByEmail(running.database.db, email);
  if (!user) throw new Error(`no user ${email}`);
  return user.id;
}

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  running = await startTestServer(testDatabase);
  const { db } = running.database;
  await insertUser(db, {
    email: outsider,
    name: 'Out Sider',
    organisationCode: 'ILO',
    passwordHash: 'not a hash: never signs in with a password',
  });
  for (const email of [owner, editor, commenter, viewer, outsider]) {
    cookies[email] = await sessionCookieFor(running, email);
  }
  ids.outsiderUser = await userId(outsider);
  ids.ownerUser = await userId(owner);

  // A second plan, owned by the outsider, with a comment, a share link, a version, an invite and
  // a calendar feed of its own: the resources the first plan's members must never reach.
  const created = await createPlan(ids.outsiderUser, {
    title: 'Another partnership',
    slug: otherPlan,
    periodStart: '2024-01-01',
    periodEnd: '2024-12-31',
    partners: [],
    source: { kind: 'blank', workstreams: ['Exchange'] },
  });
  if (!created.ok) throw new Error(`could not create the second plan: ${JSON.stringify(created)}`);
  const other = await findPlanBySlug(db, otherPlan);
  const seeded = await findPlanBySlug(db, plan);
  if (!other || !seeded) throw new Error('plans missing');
  // An item in the second plan, written into its log as a client would.
  {
    const { doc } = await loadPlanDocument(db, other.id);
    const workstream = readPlan(doc).workstreams[0];
    if (!workstream) throw new Error('no workstream');
    const client = preparePlanDocument(new Y.Doc());
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
    const ws = await openRawSyncSocket(running, outsider, otherPlan);
    let update: Uint8Array | null = null;
    client.on('update', (u: Uint8Array) => (update = u));
    createItem(client, {
      id: 'other-item',
      title: 'Exchange visit',
      leadOrg: 'ILO',
      workstreamId: workstream.id,
      start: '2024-02-01',
      end: '2024-03-01',
    });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 2);
    encoding.writeVarUint8Array(encoder, update as unknown as Uint8Array);
    ws.send(encoding.toUint8Array(encoder));
    for (let tries = 0; ; tries++) {
      if (readPlan((await loadPlanDocument(db, other.id)).doc).items.length === 1) break;
      if (tries > 200) throw new Error('the second plan did not get its item');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    ws.close();
  }
  ids.otherPlanComment = (
    await createComment(ids.outsiderUser, {
      plan: otherPlan,
      itemId: 'other-item',
      body: 'Only for this plan',
      clientMessageId: randomUUID(),
    })
  ).comment.id;
  ids.otherPlanShareLink = (await createShareLink(otherPlan, ids.outsiderUser)).id;
  ids.planShareToken = (await createShareLink(plan, ids.ownerUser)).token;
  ids.otherPlanVersion = (await saveNamedVersion(otherPlan, ids.outsiderUser, { name: 'v1' })).id;
  ids.planVersion = (await saveNamedVersion(plan, ids.ownerUser, { name: 'seeded' })).id;
  {
    const invite = await createInvite(
      { id: ids.outsiderUser, name: 'Out Sider' },
      { slug: otherPlan, email: 'guest@example.org', role: 'viewer', organisation: 'ILO' },
      { locale: 'en' },
    );
    ids.otherPlanInvite = invite.id;
    ids.otherPlanInviteToken = invite.token;
  }
  ids.otherPlanFeed = (
    await createCalendarFeed({ slug: otherPlan, userId: ids.outsiderUser, organisationCode: null })
  ).feed.id;
  const { doc } = await loadPlanDocument(db, seeded.id);
  ids.item = readPlan(doc).items[0]?.id ?? '';
  ids.ownerComment = (
    await createComment(ids.ownerUser, {
      plan,
      itemId: ids.item,
      body: 'The owner wrote this',
      clientMessageId: randomUUID(),
    })
  ).comment.id;
  // The first load of the seeded plan builds its projection: done here, not inside a case.
  const warm = await openRawSyncSocket(running, editor);
  await settle();
  warm.close();
  await settle();
}, 120_000);

/** Waits until the projection and the activity log have caught up with the setup's writes. */
async function settle(): Promise<void> {
  let previous = JSON.stringify(await snapshot());
  for (let tries = 0; tries < 100; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const current = JSON.stringify(await snapshot());
    if (current === previous) return;
    previous = current;
  }
  throw new Error('the database did not settle');
}

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await running?.stop();
  await testDatabase?.drop();
});

/** Tables a refused request may still touch: none, so far. */
const snapshot = (): Promise<DatabaseFingerprint> => fingerprintDatabase(running.database.db);

async function expectAlive(): Promise<void> {
  const response = await fetch(`${running.baseUrl}/api/health`);
  expect(response.status).toBe(200);
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with exactly these headers (duplicates allowed, as arrays), by node:http. */
function send(
  method: string,
  path: string,
  headers: OutgoingHttpHeaders = {},
  body?: string | Buffer,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: running.port, method, path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A 4xx with a JSON body says what went wrong: `{ error, message }`. */
function expectClearRefusal(response: RawResponse, status: number): void {
  expect(response.status, response.body).toBe(status);
  const type = String(response.headers['content-type'] ?? '');
  if (response.status >= 400 && type.includes('application/json')) {
    const parsed = JSON.parse(response.body) as { error?: unknown; message?: unknown };
    expect(typeof parsed.error).toBe('string');
    expect(typeof parsed.message).toBe('string');
  }
}

type As = keyof typeof cookies | 'nobody';

interface HttpCase {
  name: string;
  method: string;
  path: () => string;
  as?: As;
  headers?: Record<string, string | string[] | (() => string[])>;
  body?: string | Buffer;
  status: number;
}

const same = { origin: testOrigin };
const items = () => `/api/plans/${plan}/items`;

const httpCases: HttpCase[] = [
  // Items, comments, activity: members' reads.
  { name: 'items without a session', method: 'GET', path: items, as: 'nobody', status: 401 },
  {
    name: 'items of a plan one is not a member of',
    method: 'GET',
    path: () => `/api/plans/${otherPlan}/items`,
    as: owner,
    status: 404,
  },
  { name: 'items by an outsider', method: 'GET', path: items, as: outsider, status: 404 },
  {
    name: 'items with POST',
    method: 'POST',
    path: items,
    as: owner,
    headers: same,
    body: '{}',
    status: 405,
  },
  {
    name: 'items of a slug that is not URI-encoded',
    method: 'GET',
    path: () => '/api/plans/%E0%A4%A/items',
    as: owner,
    status: 404,
  },
  {
    name: 'items of a 10 000-character slug',
    method: 'GET',
    path: () => `/api/plans/${'a'.repeat(10_000)}/items`,
    as: owner,
    status: 404,
  },
  {
    name: 'comments of an item of another plan',
    method: 'GET',
    path: () => `/api/plans/${plan}/items/other-item/comments`,
    as: owner,
    status: 200,
  },
  {
    name: "comments through another plan's path",
    method: 'GET',
    path: () => `/api/plans/${otherPlan}/items/other-item/comments`,
    as: owner,
    status: 404,
  },
  {
    name: 'comments of a malformed item id',
    method: 'GET',
    path: () => `/api/plans/${plan}/items/${encodeURIComponent('<script>')}/comments`,
    as: owner,
    status: 400,
  },
  {
    name: 'comments without a session',
    method: 'GET',
    path: () => `/api/plans/${plan}/items/${ids.item}/comments`,
    as: 'nobody',
    status: 401,
  },
  {
    name: 'activity with a garbage cursor',
    method: 'GET',
    path: () => `/api/plans/${plan}/activity?before=garbage`,
    as: owner,
    status: 400,
  },
  {
    name: 'activity of an empty item id',
    method: 'GET',
    path: () => `/api/plans/${plan}/activity?item=`,
    as: owner,
    status: 400,
  },
  {
    name: 'activity of a 65-character item id',
    method: 'GET',
    path: () => `/api/plans/${plan}/activity?item=${'a'.repeat(65)}`,
    as: owner,
    status: 400,
  },
  {
    name: 'activity of another plan',
    method: 'GET',
    path: () => `/api/plans/${otherPlan}/activity`,
    as: owner,
    status: 404,
  },
  // Progress and share links.
  {
    name: 'progress of another plan',
    method: 'GET',
    path: () => `/api/plans/${otherPlan}/progress`,
    as: owner,
    status: 404,
  },
  {
    name: 'share links listed by an editor',
    method: 'GET',
    path: () => `/api/plans/${plan}/share-links`,
    as: editor,
    status: 403,
  },
  {
    name: 'share link made by an editor',
    method: 'POST',
    path: () => `/api/plans/${plan}/share-links`,
    as: editor,
    headers: same,
    status: 403,
  },
  {
    name: 'share link made by a viewer',
    method: 'POST',
    path: () => `/api/plans/${plan}/share-links`,
    as: viewer,
    headers: same,
    status: 403,
  },
  {
    name: 'share link made by an outsider',
    method: 'POST',
    path: () => `/api/plans/${plan}/share-links`,
    as: outsider,
    headers: same,
    status: 404,
  },
  {
    name: 'share link without an Origin',
    method: 'POST',
    path: () => `/api/plans/${plan}/share-links`,
    as: owner,
    status: 403,
  },
  {
    name: 'share link with Origin: null',
    method: 'POST',
    path: () => `/api/plans/${plan}/share-links`,
    as: owner,
    headers: { origin: 'null' },
    status: 403,
  },
  {
    name: 'share link from a foreign Origin',
    method: 'POST',
    path: () => `/api/plans/${plan}/share-links`,
    as: owner,
    headers: { origin: 'https://evil.example' },
    status: 403,
  },
  {
    name: 'share link from two Origins',
    method: 'POST',
    path: () => `/api/plans/${plan}/share-links`,
    as: owner,
    headers: { origin: [testOrigin, 'https://evil.example'] },
    status: 403,
  },
  {
    name: 'share link with a 2 MB body, by an editor',
    method: 'POST',
    path: () => `/api/plans/${plan}/share-links`,
    as: editor,
    headers: same,
    body: 'x'.repeat(2_000_000),
    status: 403,
  },
  {
    name: "revoking another plan's share link",
    method: 'DELETE',
    path: () => `/api/plans/${plan}/share-links/${ids.otherPlanShareLink}`,
    as: owner,
    headers: same,
    status: 404,
  },
  {
    name: 'revoking a share link of garbage id',
    method: 'DELETE',
    path: () => `/api/plans/${plan}/share-links/${encodeURIComponent("'; drop table plans; --")}`,
    as: owner,
    headers: same,
    status: 404,
  },
  {
    name: 'revoking a share link with a broken escape',
    method: 'DELETE',
    path: () => `/api/plans/${plan}/share-links/%zz`,
    as: owner,
    headers: same,
    status: 404,
  },
  {
    name: "revoking another plan's share link through its own path",
    method: 'DELETE',
    path: () => `/api/plans/${otherPlan}/share-links/${ids.otherPlanShareLink}`,
    as: owner,
    headers: same,
    status: 404,
  },
  {
    name: 'public board of a garbage token',
    method: 'GET',
    path: () => '/api/share/garbage/progress',
    as: 'nobody',
    status: 404,
  },
  {
    name: 'public board of a broken escape',
    method: 'GET',
    path: () => '/api/share/%E0%A4%A/progress',
    as: 'nobody',
    status: 404,
  },
  {
    name: 'public board with POST',
    method: 'POST',
    path: () => '/api/share/garbage/progress',
    as: 'nobody',
    status: 405,
  },
  // Exports and calendar feeds.
  {
    name: 'CSV of another plan',
    method: 'GET',
    path: () => `/api/plans/${otherPlan}/export/items.csv`,
    as: owner,
    status: 404,
  },
  {
    name: 'CSV without a session',
    method: 'GET',
    path: () => `/api/plans/${plan}/export/indicators.csv`,
    as: 'nobody',
    status: 401,
  },
  {
    name: 'CSV with POST',
    method: 'POST',
    path: () => `/api/plans/${plan}/export/items.csv`,
    as: owner,
    headers: same,
    status: 405,
  },
  {
    name: 'calendar feed of a garbage token',
    method: 'GET',
    path: () => '/calendar/garbage.ics',
    as: 'nobody',
    status: 404,
  },
  {
    name: "calendar feed named by another user's feed id",
    method: 'GET',
    path: () => `/calendar/${ids.otherPlanFeed}.ics`,
    as: owner,
    status: 404,
  },
  {
    name: 'calendar feed of a broken escape',
    method: 'GET',
    path: () => '/calendar/%zz.ics',
    as: 'nobody',
    status: 404,
  },
  // Version restore.
  {
    name: "restore of another plan's version",
    method: 'POST',
    path: () => `/api/plans/${plan}/versions/${ids.otherPlanVersion}/restore`,
    as: owner,
    headers: same,
    status: 404,
  },
  {
    name: 'restore by an editor',
    method: 'POST',
    path: () => `/api/plans/${plan}/versions/${ids.planVersion}/restore`,
    as: editor,
    headers: same,
    status: 403,
  },
  {
    name: 'restore by a viewer',
    method: 'POST',
    path: () => `/api/plans/${plan}/versions/${ids.planVersion}/restore`,
    as: viewer,
    headers: same,
    status: 403,
  },
  {
    name: 'restore by an outsider',
    method: 'POST',
    path: () => `/api/plans/${plan}/versions/${ids.planVersion}/restore`,
    as: outsider,
    headers: same,
    status: 404,
  },
  {
    name: 'restore without a session',
    method: 'POST',
    path: () => `/api/plans/${plan}/versions/${ids.planVersion}/restore`,
    as: 'nobody',
    headers: same,
    status: 401,
  },
  {
    name: 'restore with Origin: null',
    method: 'POST',
    path: () => `/api/plans/${plan}/versions/${ids.planVersion}/restore`,
    as: owner,
    headers: { origin: 'null' },
    status: 403,
  },
  {
    name: 'restore without an Origin',
    method: 'POST',
    path: () => `/api/plans/${plan}/versions/${ids.planVersion}/restore`,
    as: owner,
    status: 403,
  },
  {
    name: 'restore of a garbage version id',
    method: 'POST',
    path: () => `/api/plans/${plan}/versions/not-a-uuid/restore`,
    as: owner,
    headers: same,
    status: 404,
  },
  {
    name: 'restore with GET',
    method: 'GET',
    path: () => `/api/plans/${plan}/versions/${ids.planVersion}/restore`,
    as: owner,
    status: 405,
  },
  {
    name: 'restore with a JSON body of extra fields',
    method: 'POST',
    path: () => `/api/plans/${plan}/versions/${ids.otherPlanVersion}/restore`,
    as: owner,
    headers: { ...same, 'content-type': 'application/json' },
    body: JSON.stringify({ plan: otherPlan, role: 'owner', versionId: ids.planVersion }),
    status: 404,
  },
  // Health.
  {
    name: 'health with POST',
    method: 'POST',
    path: () => '/api/health',
    as: 'nobody',
    status: 405,
  },
  // Header tricks.
  {
    name: 'a malformed Bearer Authorization header',
    method: 'GET',
    path: items,
    as: 'nobody',
    headers: { authorization: 'Bearer' },
    status: 401,
  },
  {
    name: 'a garbage Bearer token',
    method: 'GET',
    path: items,
    as: 'nobody',
    headers: { authorization: 'Bearer ....' },
    status: 401,
  },
  {
    name: 'a cookie header of garbage',
    method: 'GET',
    path: items,
    as: 'nobody',
    headers: { cookie: '=;;=; next-auth.session-token; %%%; next-auth.session-token="' },
    status: 401,
  },
  {
    name: 'a forged chunked session cookie',
    method: 'GET',
    path: items,
    as: 'nobody',
    headers: { cookie: 'next-auth.session-token.0=eyJ; next-auth.session-token.1=forged' },
    status: 401,
  },
  {
    name: 'a garbage cookie before a valid one',
    method: 'GET',
    path: items,
    as: 'nobody',
    headers: { cookie: () => [`next-auth.session-token=garbage`, cookies[owner] ?? ''] },
    status: 401,
  },
  {
    name: 'a 20 KB cookie',
    method: 'GET',
    path: items,
    as: 'nobody',
    headers: { cookie: `a=${'x'.repeat(20_000)}` },
    status: 431,
  },
  {
    name: 'a socket.io handshake without a session',
    method: 'GET',
    path: () => '/socket.io/?EIO=4&transport=polling',
    as: 'nobody',
    headers: same,
    status: 401,
  },
  {
    name: 'a socket.io handshake with Origin: null',
    method: 'GET',
    path: () => '/socket.io/?EIO=4&transport=polling',
    as: owner,
    headers: { origin: 'null' },
    status: 403,
  },
  {
    name: 'a public socket.io handshake with a garbage token',
    method: 'GET',
    path: () => '/socket.io/?EIO=4&transport=polling&share=garbage',
    as: 'nobody',
    headers: same,
    status: 404,
  },
];

function headersFor(testCase: HttpCase): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [key, value] of Object.entries(testCase.headers ?? {})) {
    headers[key] = typeof value === 'function' ? value() : value;
  }
  if (testCase.as && testCase.as !== 'nobody' && headers.cookie === undefined) {
    headers.cookie = cookies[testCase.as];
  }
  return headers;
}

describe('route handlers', () => {
  it.each(httpCases.map((testCase) => [testCase.name, testCase] as const))(
    '%s',
    async (_name, testCase) => {
      const before = await snapshot();
      const response = await send(
        testCase.method,
        testCase.path(),
        headersFor(testCase),
        testCase.body,
      );
      expectClearRefusal(response, testCase.status);
      expect(await snapshot()).toEqual(before);
      await expectAlive();
    },
  );
});

// ---------------------------------------------------------------------------------------------
// socket.io: every client event of domain/realtime-events.ts, and the /public namespace.

async function openSocket(email: string): Promise<TestSocket> {
  const socket = connectSocketIoClient(running, { cookie: cookies[email] });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

const joined = new Map<string, TestSocket>();

/** One socket per user, joined to the seeded plan when the user is a member. */
async function socketOf(email: string): Promise<TestSocket> {
  const existing = joined.get(email);
  if (existing) return existing;
  const socket = await openSocket(email);
  if (email !== outsider) {
    expect(await socket.emitWithAck('plan:join', { plan })).toMatchObject({ ok: true });
  }
  joined.set(email, socket);
  return socket;
}

interface SocketCase {
  name: string;
  as: string;
  event: string;
  payload: () => unknown;
  error: string;
}

const someId = '00000000-0000-4000-8000-000000000000';
const comment = (extra: Record<string, unknown> = {}) => ({
  plan,
  itemId: ids.item,
  body: 'A hostile comment',
  clientMessageId: randomUUID(),
  ...extra,
});

const socketCases: SocketCase[] = [
  {
    name: 'plan:join without a payload',
    as: owner,
    event: 'plan:join',
    payload: () => undefined,
    error: 'bad_request',
  },
  {
    name: 'plan:join with null',
    as: owner,
    event: 'plan:join',
    payload: () => null,
    error: 'bad_request',
  },
  {
    name: 'plan:join with a string',
    as: owner,
    event: 'plan:join',
    payload: () => plan,
    error: 'bad_request',
  },
  {
    name: 'plan:join with an array',
    as: owner,
    event: 'plan:join',
    payload: () => [plan],
    error: 'bad_request',
  },
  {
    name: 'plan:join with a number for the slug',
    as: owner,
    event: 'plan:join',
    payload: () => ({ plan: 42 }),
    error: 'bad_request',
  },
  {
    name: 'plan:join with an extra field',
    as: owner,
    event: 'plan:join',
    payload: () => ({ plan, role: 'owner' }),
    error: 'bad_request',
  },
  {
    name: 'plan:join with a 100 KB slug',
    as: owner,
    event: 'plan:join',
    payload: () => ({ plan: 'a'.repeat(100_000) }),
    error: 'bad_request',
  },
  {
    name: 'plan:join of a plan one is not a member of',
    as: owner,
    event: 'plan:join',
    payload: () => ({ plan: otherPlan }),
    error: 'not_found',
  },
  {
    name: 'plan:join by an outsider',
    as: outsider,
    event: 'plan:join',
    payload: () => ({ plan }),
    error: 'not_found',
  },
  {
    name: 'comment:create by a viewer',
    as: viewer,
    event: 'comment:create',
    payload: () => comment(),
    error: 'forbidden',
  },
  {
    name: 'comment:create by an outsider',
    as: outsider,
    event: 'comment:create',
    payload: () => comment(),
    error: 'forbidden',
  },
  {
    name: 'comment:create on another plan',
    as: owner,
    event: 'comment:create',
    payload: () => comment({ plan: otherPlan, itemId: 'other-item' }),
    error: 'forbidden',
  },
  {
    name: "comment:create replying to another plan's comment",
    as: owner,
    event: 'comment:create',
    payload: () => comment({ parentId: ids.otherPlanComment }),
    error: 'not_found',
  },
  {
    name: 'comment:create with an empty body',
    as: owner,
    event: 'comment:create',
    payload: () => comment({ body: '   ' }),
    error: 'bad_request',
  },
  {
    name: 'comment:create with 10 001 characters',
    as: owner,
    event: 'comment:create',
    payload: () => comment({ body: 'x'.repeat(10_001) }),
    error: 'bad_request',
  },
  {
    name: 'comment:create with a NUL character',
    as: owner,
    event: 'comment:create',
    payload: () => comment({ body: 'a\u0000b' }),
    error: 'bad_request',
  },
  {
    name: 'comment:create with a number for the body',
    as: owner,
    event: 'comment:create',
    payload: () => comment({ body: 42 }),
    error: 'bad_request',
  },
  {
    name: 'comment:create with an object for the body',
    as: owner,
    event: 'comment:create',
    payload: () => comment({ body: { toString: 'x' } }),
    error: 'bad_request',
  },
  {
    name: 'comment:create with a malformed item id',
    as: owner,
    event: 'comment:create',
    payload: () => comment({ itemId: '../../etc' }),
    error: 'bad_request',
  },
  {
    name: 'comment:create with mentions that are not ids',
    as: owner,
    event: 'comment:create',
    payload: () => comment({ mentions: ['everyone'] }),
    error: 'bad_request',
  },
  {
    name: 'comment:create with 1 000 mentions',
    as: owner,
    event: 'comment:create',
    payload: () => comment({ mentions: Array.from({ length: 1000 }, () => randomUUID()) }),
    error: 'bad_request',
  },
  {
    name: 'comment:create without a clientMessageId',
    as: owner,
    event: 'comment:create',
    payload: () => ({ plan, itemId: ids.item, body: 'x' }),
    error: 'bad_request',
  },
  {
    name: 'comment:create with an extra field',
    as: owner,
    event: 'comment:create',
    payload: () => comment({ authorId: ids.outsiderUser }),
    error: 'bad_request',
  },
  {
    name: "comment:edit of the owner's comment by an editor",
    as: editor,
    event: 'comment:edit',
    payload: () => ({
      plan,
      commentId: ids.ownerComment,
      body: 'taken over',
      clientMessageId: randomUUID(),
    }),
    error: 'forbidden',
  },
  {
    name: "comment:edit of another plan's comment",
    as: owner,
    event: 'comment:edit',
    payload: () => ({
      plan,
      commentId: ids.otherPlanComment,
      body: 'taken over',
      clientMessageId: randomUUID(),
    }),
    error: 'not_found',
  },
  {
    name: "comment:edit of another plan's comment by its slug",
    as: owner,
    event: 'comment:edit',
    payload: () => ({
      plan: otherPlan,
      commentId: ids.otherPlanComment,
      body: 'taken over',
      clientMessageId: randomUUID(),
    }),
    error: 'forbidden',
  },
  {
    name: 'comment:edit of a garbage id',
    as: owner,
    event: 'comment:edit',
    payload: () => ({ plan, commentId: 'x', body: 'y', clientMessageId: randomUUID() }),
    error: 'bad_request',
  },
  {
    name: "comment:delete of the owner's comment by a commenter",
    as: commenter,
    event: 'comment:delete',
    payload: () => ({ plan, commentId: ids.ownerComment, clientMessageId: randomUUID() }),
    error: 'forbidden',
  },
  {
    name: "comment:delete of another plan's comment",
    as: owner,
    event: 'comment:delete',
    payload: () => ({ plan, commentId: ids.otherPlanComment, clientMessageId: randomUUID() }),
    error: 'not_found',
  },
  {
    name: 'comment:delete of an unknown id',
    as: owner,
    event: 'comment:delete',
    payload: () => ({ plan, commentId: someId, clientMessageId: randomUUID() }),
    error: 'not_found',
  },
  {
    name: 'thread:resolve by a viewer',
    as: viewer,
    event: 'thread:resolve',
    payload: () => ({ plan, threadId: ids.ownerComment, clientMessageId: randomUUID() }),
    error: 'forbidden',
  },
  {
    name: "thread:resolve of another plan's thread",
    as: owner,
    event: 'thread:resolve',
    payload: () => ({ plan, threadId: ids.otherPlanComment, clientMessageId: randomUUID() }),
    error: 'not_found',
  },
  {
    name: 'thread:reopen with a garbage id',
    as: owner,
    event: 'thread:reopen',
    payload: () => ({ plan, threadId: 42, clientMessageId: randomUUID() }),
    error: 'bad_request',
  },
  {
    name: 'thread:reopen by an outsider',
    as: outsider,
    event: 'thread:reopen',
    payload: () => ({ plan, threadId: ids.ownerComment, clientMessageId: randomUUID() }),
    error: 'forbidden',
  },
  {
    name: 'follow:set on another plan',
    as: owner,
    event: 'follow:set',
    payload: () => ({ plan: otherPlan, following: true }),
    error: 'not_found',
  },
  {
    name: 'follow:set with a string for following',
    as: owner,
    event: 'follow:set',
    payload: () => ({ plan, following: 'yes' }),
    error: 'bad_request',
  },
  {
    name: 'follow:set by an outsider',
    as: outsider,
    event: 'follow:set',
    payload: () => ({ plan, following: true }),
    error: 'not_found',
  },
  {
    name: 'follow:list of another plan',
    as: owner,
    event: 'follow:list',
    payload: () => ({ plan: otherPlan }),
    error: 'not_found',
  },
  {
    name: 'notification:list with a garbage cursor',
    as: owner,
    event: 'notification:list',
    payload: () => ({ before: 'yesterday' }),
    error: 'bad_request',
  },
  {
    name: 'notification:list with a limit of 1 000',
    as: owner,
    event: 'notification:list',
    payload: () => ({ limit: 1000 }),
    error: 'bad_request',
  },
  {
    name: 'notification:read with all: false',
    as: owner,
    event: 'notification:read',
    payload: () => ({ all: false }),
    error: 'bad_request',
  },
  {
    name: 'notification:read of 201 ids',
    as: owner,
    event: 'notification:read',
    payload: () => ({ ids: Array.from({ length: 201 }, () => randomUUID()) }),
    error: 'bad_request',
  },
  {
    name: 'notification:read with both forms',
    as: owner,
    event: 'notification:read',
    payload: () => ({ all: true, ids: [someId] }),
    error: 'bad_request',
  },
  {
    name: 'an event that does not exist',
    as: owner,
    event: 'plan:delete',
    payload: () => ({ plan }),
    error: 'timeout',
  },
];

describe('socket.io events', () => {
  it.each(socketCases.map((testCase) => [testCase.name, testCase] as const))(
    '%s',
    async (_name, testCase) => {
      const socket = await socketOf(testCase.as);
      const before = await snapshot();
      let answer: unknown;
      try {
        answer = await (
          socket.timeout(testCase.error === 'timeout' ? 300 : 5_000) as unknown as {
            emitWithAck(event: string, payload: unknown): Promise<unknown>;
          }
        ).emitWithAck(testCase.event, testCase.payload());
      } catch {
        answer = { error: 'timeout', message: 'no answer' };
      }
      expect(answer).toMatchObject({ error: testCase.error, message: expect.any(String) });
      expect(await snapshot()).toEqual(before);
      expect(socket.connected).toBe(true);
      await expectAlive();
    },
  );

  it("marking another user's notification read changes nothing", async () => {
    const seeded = await findPlanBySlug(running.database.db, plan);
    if (!seeded) throw new Error('no plan');
    const [stored] = await running.database.db
      .insert(notifications)
      .values({
        userId: await userId(editor),
        planId: seeded.id,
        kind: 'mention',
        dedupeKey: `hostile-${randomUUID()}`,
      })
      .returning({ id: notifications.id });
    if (!stored) throw new Error('no notification for the editor');
    await settle();
    const before = await snapshot();
    const reader = await socketOf(commenter);
    expect(await reader.emitWithAck('notification:read', { ids: [stored.id] })).toMatchObject({
      ok: true,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('commands without an acknowledgement are ignored, and the socket stays', async () => {
    const socket = await socketOf(owner);
    const before = await snapshot();
    for (const event of ['plan:join', 'comment:create', 'follow:set', 'notification:read']) {
      (socket as unknown as { emit(event: string, payload: unknown): void }).emit(event, comment());
    }
    expect(await socket.emitWithAck('follow:list', { plan })).toMatchObject({ ok: true });
    expect(await snapshot()).toEqual(before);
    await expectAlive();
  });

  it.each([
    ['no token', {}],
    ['a garbage token', { token: 'garbage' }],
    ['a number for the token', { token: 42 }],
    ['an object for the token', { token: { $ne: null } }],
  ])('the public namespace refuses %s', async (_name, auth) => {
    const socket = connectSocketIo(`${running.baseUrl}/public`, {
      query: { share: ids.planShareToken },
      transports: ['websocket'],
      extraHeaders: { origin: testOrigin },
      reconnection: false,
      forceNew: true,
      auth,
    });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.close();
    expect(error.message).toMatch(/not_found|unauthenticated|forbidden/);
    await expectAlive();
  });
});

// ---------------------------------------------------------------------------------------------
// The sync endpoint: what the other sync tests leave out (truncated and empty messages, garbage
// state vectors, updates whose dependencies never come, the epoch parameter, upgrade headers).

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

/** An update of a client whose first change the server never saw: it cannot be applied. */
function updateWithMissingDependencies(): Uint8Array {
  const doc = preparePlanDocument(new Y.Doc());
  doc.clientID = 987_654;
  doc.getMap('items').set('a', 1);
  const afterFirst = Y.encodeStateVector(doc);
  doc.getMap('items').set('b', 2);
  return Y.encodeStateAsUpdate(doc, afterFirst);
}

function syncMessage(kind: 0 | 1 | 2, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, kind);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

const syncCases: Array<{ name: string; as: string; message: () => Uint8Array }> = [
  { name: 'an empty message', as: editor, message: () => new Uint8Array() },
  { name: 'a truncated varint', as: editor, message: () => new Uint8Array([0x80]) },
  { name: 'a sync message without its kind', as: editor, message: () => new Uint8Array([0]) },
  { name: 'an unknown sync kind', as: editor, message: () => new Uint8Array([0, 9, 0]) },
  {
    name: 'an update shorter than its length',
    as: editor,
    message: () => new Uint8Array([0, 2, 10, 1]),
  },
  {
    name: 'a truncated awareness message',
    as: editor,
    message: () => new Uint8Array([1, 5, 1, 2]),
  },
  {
    name: 'a garbage state vector',
    as: editor,
    message: () => syncMessage(0, new Uint8Array([3, 0xff, 0xff, 0xff])),
  },
  {
    name: 'an update of random bytes',
    as: editor,
    message: () =>
      syncMessage(2, new Uint8Array(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) % 256))),
  },
  {
    name: 'an update whose dependencies never come',
    as: editor,
    message: () => syncMessage(2, updateWithMissingDependencies()),
  },
];

describe('the sync endpoint', () => {
  it.each(syncCases.map((testCase) => [testCase.name, testCase] as const))(
    '%s: closed with a code and a reason, nothing stored',
    async (_name, testCase) => {
      const before = await snapshot();
      const ws = await openRawSyncSocket(running, testCase.as);
      const closed = closeOf(ws);
      ws.send(testCase.message());
      const { code, reason } = await closed;
      expect(code).toBeGreaterThanOrEqual(4000);
      expect(reason.length).toBeGreaterThan(0);
      expect(await snapshot()).toEqual(before);
      await expectAlive();
    },
  );

  it('a garbage epoch parameter is closed with 4400', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${running.port}/yjs/${plan}?epoch=abc`, {
      headers: { origin: testOrigin, cookie: cookies[editor] },
    });
    const { code, reason } = await closeOf(ws);
    expect(code).toBe(closeCodes.malformedMessage);
    expect(reason).toMatch(/epoch/);
    await expectAlive();
  });

  it.each<[string, string, Record<string, string | string[]>, number]>([
    ['Origin: null', `/yjs/${plan}`, { origin: 'null' }, 403],
    ['no Origin', `/yjs/${plan}`, {}, 403],
    [
      'a Bearer header and no cookie',
      `/yjs/${plan}`,
      { origin: testOrigin, authorization: 'Bearer x' },
      401,
    ],
    ['a broken escape in the slug', '/yjs/%zz', { origin: testOrigin }, 404],
    ['no slug', '/yjs/', { origin: testOrigin }, 404],
    ["another plan's slug", `/yjs/${otherPlan}`, { origin: testOrigin }, 403],
    ['a path outside every endpoint', '/elsewhere', { origin: testOrigin }, 404],
  ])('an upgrade with %s is refused', async (_name, path, headers, status) => {
    const withCookie = { cookie: cookies[owner] ?? '', ...headers };
    if (headers.authorization) delete (withCookie as Record<string, unknown>).cookie;
    expect(await upgradeStatus(running, path, withCookie as Record<string, string>)).toBe(status);
    await expectAlive();
  });
});

// ---------------------------------------------------------------------------------------------
// The use cases the Next server actions call (app/**/actions.ts), with what a forged action call
// can send: JSON values of every shape, other plans' and other users' ids, under-privileged users.

type Outcome = { refused: string } | { accepted: unknown };

async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const result = await run();
    if (result === false) return { refused: 'false' };
    if (result && typeof result === 'object' && 'ok' in result && result.ok === false) {
      const { problem, error } = result as { problem?: string; error?: string };
      return { refused: problem ?? error ?? 'not ok' };
    }
    return { accepted: result };
  } catch (error) {
    if (error instanceof DomainError) return { refused: error.code };
    throw error;
  }
}

const asUser = async (email: string) => {
  const user = await findUserByEmail(running.database.db, email);
  if (!user) throw new Error(`no user ${email}`);
  return { id: user.id, email: user.email, name: user.name, organisation: user.organisationCode };
};

const newPlan = (extra: Record<string, unknown>) => ({
  title: 'Hostile plan',
  slug: 'hostile-new',
  periodStart: '2024-01-01',
  periodEnd: '2024-12-31',
  partners: [],
  source: { kind: 'blank', workstreams: [] },
  ...extra,
});

const useCaseCases: Array<{ name: string; run: () => Promise<unknown>; refused: string }> = [
  {
    name: 'createNewPlan with null',
    run: async () => createPlan(ids.outsiderUser, null),
    refused: 'invalid',
  },
  {
    name: 'createNewPlan with a string',
    run: async () => createPlan(ids.outsiderUser, 'plan'),
    refused: 'invalid',
  },
  {
    name: 'createNewPlan with the reserved slug "new"',
    run: async () => createPlan(ids.outsiderUser, newPlan({ slug: 'new' })),
    refused: 'invalid',
  },
  {
    name: 'createNewPlan with a taken slug',
    run: async () => createPlan(ids.outsiderUser, newPlan({ slug: plan })),
    refused: 'slug_taken',
  },
  {
    name: 'createNewPlan with a 10 000-character title',
    run: async () => createPlan(ids.outsiderUser, newPlan({ title: 'x'.repeat(10_000) })),
    refused: 'invalid',
  },
  {
    name: 'createNewPlan with 1 000 workstreams',
    run: async () =>
      createPlan(
        ids.outsiderUser,
        newPlan({
          source: { kind: 'blank', workstreams: Array.from({ length: 1000 }, (_, i) => `W${i}`) },
        }),
      ),
    refused: 'invalid',
  },
  {
    name: 'createNewPlan copying a plan one is not a member of',
    run: async () =>
      createPlan(await userId(editor), newPlan({ source: { kind: 'copy', slug: otherPlan } })),
    refused: 'not_found',
  },
  {
    name: 'createNewPlan with a period that ends before it starts',
    run: async () => createPlan(ids.outsiderUser, newPlan({ periodEnd: '2023-01-01' })),
    refused: 'invalid',
  },
  {
    name: 'inviteMember by an editor',
    run: async () =>
      createInvite(
        await asUser(editor),
        { slug: plan, email: 'x@example.org', role: 'viewer', organisation: 'ILO' },
        { locale: 'en' },
      ),
    refused: 'forbidden',
  },
  {
    name: 'inviteMember to another plan',
    run: async () =>
      createInvite(
        await asUser(owner),
        { slug: otherPlan, email: 'x@example.org', role: 'owner', organisation: 'ILO' },
        { locale: 'en' },
      ),
    refused: 'not_found',
  },
  {
    name: 'inviteMember with an unknown role',
    run: async () =>
      createInvite(
        await asUser(owner),
        { slug: plan, email: 'x@example.org', role: 'admin', organisation: 'ILO' },
        { locale: 'en' },
      ),
    refused: 'bad_request',
  },
  {
    name: 'inviteMember with a malformed email',
    run: async () =>
      createInvite(
        await asUser(owner),
        { slug: plan, email: 'x@', role: 'viewer', organisation: 'ILO' },
        { locale: 'en' },
      ),
    refused: 'bad_request',
  },
  {
    name: "revokeInvitation of another plan's invite",
    run: async () => revokePlanInvite(ids.ownerUser, { slug: plan, inviteId: ids.otherPlanInvite }),
    refused: 'false',
  },
  {
    name: "revokeInvitation through another plan's slug",
    run: async () =>
      revokePlanInvite(ids.ownerUser, { slug: otherPlan, inviteId: ids.otherPlanInvite }),
    refused: 'not_found',
  },
  {
    name: 'revokeInvitation with a garbage id',
    run: async () => revokePlanInvite(ids.ownerUser, { slug: plan, inviteId: "1' or '1'='1" }),
    refused: 'bad_request',
  },
  {
    name: 'setMemberRole by an editor',
    run: async () =>
      changeMember(await userId(editor), { slug: plan, userId: ids.ownerUser, role: null }),
    refused: 'forbidden',
  },
  {
    name: 'setMemberRole of a non-member',
    run: async () =>
      changeMember(ids.ownerUser, { slug: plan, userId: ids.outsiderUser, role: 'owner' }),
    refused: 'not_member',
  },
  {
    name: 'setMemberRole on another plan',
    run: async () =>
      changeMember(ids.ownerUser, { slug: otherPlan, userId: ids.outsiderUser, role: null }),
    refused: 'not_found',
  },
  {
    name: 'setMemberRole with an unknown role',
    run: async () =>
      changeMember(ids.ownerUser, { slug: plan, userId: ids.outsiderUser, role: 'root' }),
    refused: 'bad_request',
  },
  {
    name: 'saveVersionAction by a viewer',
    run: async () => saveNamedVersion(plan, await userId(viewer), { name: 'mine' }),
    refused: 'forbidden',
  },
  {
    name: 'saveVersionAction by a commenter',
    run: async () => saveNamedVersion(plan, await userId(commenter), { name: 'mine' }),
    refused: 'forbidden',
  },
  {
    name: 'saveVersionAction of another plan',
    run: async () => saveNamedVersion(otherPlan, ids.ownerUser, { name: 'mine' }),
    refused: 'not_found',
  },
  {
    name: 'saveVersionAction with a 1 000-character name',
    run: async () => saveNamedVersion(plan, ids.ownerUser, { name: 'x'.repeat(1000) }),
    refused: 'bad_request',
  },
  {
    name: 'saveVersionAction with a number for the name',
    run: async () => saveNamedVersion(plan, ids.ownerUser, { name: 42 }),
    refused: 'bad_request',
  },
  {
    name: 'createCalendarFeedAction for another plan',
    run: async () =>
      createCalendarFeed({ slug: otherPlan, userId: ids.ownerUser, organisationCode: null }),
    refused: 'not_found',
  },
  {
    name: "revokeCalendarFeedAction of another user's feed",
    run: async () =>
      revokeCalendarFeed({ slug: plan, userId: ids.ownerUser, feedId: ids.otherPlanFeed }),
    refused: 'not_found',
  },
  {
    name: "revokeCalendarFeedAction of another user's feed by its plan",
    run: async () =>
      revokeCalendarFeed({ slug: otherPlan, userId: ids.ownerUser, feedId: ids.otherPlanFeed }),
    refused: 'not_found',
  },
  {
    name: 'acceptInvitation of a garbage token',
    run: async () => acceptInvite(await asUser(viewer), 'garbage'),
    refused: 'invalid',
  },
  {
    name: 'acceptInvitation of an object',
    run: async () => acceptInvite(await asUser(viewer), { $gt: '' }),
    refused: 'invalid',
  },
  {
    name: 'acceptInvitation of an invite made for another address',
    run: async () => acceptInvite(await asUser(viewer), ids.otherPlanInviteToken),
    refused: 'wrong_user',
  },
  {
    name: 'createAccountAndJoin with a 3-character password',
    run: async () =>
      acceptInviteWithNewAccount(ids.otherPlanInviteToken, {
        name: 'Eve',
        password: 'abc',
        locale: 'en',
      }),
    refused: 'bad_input',
  },
  {
    name: 'createAccountAndJoin with a 10 000-character name',
    run: async () =>
      acceptInviteWithNewAccount(ids.otherPlanInviteToken, {
        name: 'x'.repeat(10_000),
        password: 'long enough password',
        locale: 'en',
      }),
    refused: 'bad_input',
  },
  {
    name: 'createAccountAndJoin with extra fields naming a role',
    run: async () =>
      acceptInviteWithNewAccount('garbage', {
        name: 'Eve',
        password: 'long enough password',
        locale: 'en',
        role: 'owner',
      }),
    refused: 'invalid',
  },
  {
    name: 'createAccountAndJoin with a garbage token',
    run: async () =>
      acceptInviteWithNewAccount('garbage', {
        name: 'Eve',
        password: 'long enough password',
        locale: 'en',
      }),
    refused: 'invalid',
  },
  {
    name: 'createAccountAndJoin with no input',
    run: async () => acceptInviteWithNewAccount('garbage', null),
    refused: 'bad_input',
  },
];

describe('the use cases behind the server actions', () => {
  it.each(useCaseCases.map((testCase) => [testCase.name, testCase] as const))(
    '%s',
    async (_name, testCase) => {
      const before = await snapshot();
      expect(await outcomeOf(testCase.run)).toEqual({ refused: testCase.refused });
      expect(await snapshot()).toEqual(before);
      await expectAlive();
    },
  );
});

describe('floods', () => {
  it('a socket flooding comment commands is refused past its limit, and recovers', async () => {
    const socket = await openSocket(commenter);
    expect(await socket.emitWithAck('plan:join', { plan })).toMatchObject({ ok: true });
    const before = await snapshot();
    const answers = await Promise.all(
      Array.from({ length: 400 }, (_, index) =>
        socket.emitWithAck('comment:create', comment({ body: `flood ${index}` })),
      ),
    );
    const stored = answers.filter((answer) => 'ok' in answer).length;
    const refused = answers.filter((answer) => 'error' in answer && answer.error === 'unavailable');
    expect(stored).toBeLessThanOrEqual(commandLimit.burst + commandLimit.perSecond * 5);
    expect(refused.length).toBe(400 - stored);
    expect(refused[0]).toMatchObject({ message: expect.stringMatching(/too many/) });
    expect((await snapshot()).comments?.rows).toBe((before.comments?.rows ?? 0) + stored);
    expect(socket.connected).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await socket.emitWithAck('follow:list', { plan })).toMatchObject({ ok: true });
    await expectAlive();
  });
});

describe('namespaces', () => {
  it('a public board socket that sends commands gets no answer and changes nothing', async () => {
    const socket = connectSocketIo(`${running.baseUrl}/public`, {
      query: { share: ids.planShareToken },
      transports: ['websocket'],
      extraHeaders: { origin: testOrigin },
      reconnection: false,
      forceNew: true,
      auth: { token: ids.planShareToken },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const before = await snapshot();
    await expect(socket.timeout(300).emitWithAck('comment:create', comment())).rejects.toThrow();
    await expect(socket.timeout(300).emitWithAck('plan:join', { plan })).rejects.toThrow();
    expect(await snapshot()).toEqual(before);
    expect(socket.connected).toBe(true);
    socket.close();
    await expectAlive();
  });

  it('a namespace that does not exist is refused', async () => {
    const socket = connectSocketIo(`${running.baseUrl}/admin`, {
      transports: ['websocket'],
      extraHeaders: { origin: testOrigin, cookie: cookies[owner] ?? '' },
      reconnection: false,
      forceNew: true,
    });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.close();
    expect(error.message).toMatch(/namespace/i);
    await expectAlive();
  });
});
