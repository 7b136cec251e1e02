/**
 * The progress board and its public links against a real server, real y-websocket and
 * socket.io clients and a real database: members read the board; only owners make and revoke
 * links (checked by the server, whatever a page shows); a public board carries no e-mail,
 * comment or staff name; a revoked link stops working at once, open sockets included; edits
 * reach open boards live; the public routes are rate-limited per address.
 */
import { eq } from 'drizzle-orm';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ProgressBoard } from '../../domain/progress-board';
import { createItem, readPlan, updateItem } from '../../domain/plan-document';
import type { ProgressChangedFact } from '../../domain/realtime-events';
import { findPlanBySlug } from '../../db/queries/plans';
import { findUserByEmail, insertUser } from '../../db/queries/users';
import { planItems, plans } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { getProgressBoard } from '../use-cases/get-progress-board';
import { loadPlanDocument } from '../versions/load-plan-document';
import {
  connectSocketIoClient,
  connectSyncClient,
  seededPlanSlug,
  sessionCookieFor,
  startTestServer,
  testOrigin,
  upgradeStatus,
  type RunningTestServer,
  type TestSocket,
  type TestSyncClient,
} from '../testing/test-server';

const waitOptions = { timeout: 10_000, interval: 20 };
const rateLimit = { perSecond: 1, burst: 40 };

let testDatabase: TestDatabase;
let running: RunningTestServer;
const clients: TestSyncClient[] = [];
const sockets: Array<TestSocket | Socket> = [];

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  running = await startTestServer(testDatabase, { shareRateLimit: rateLimit });
  await insertUser(running.database.db, {
    email: 'outsider@coplan.test',
    name: 'Out Sider',
    organisationCode: 'ENTERPRISE',
    passwordHash: 'not-used',
  });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const client of clients) client.destroy();
  await running?.stop();
  await testDatabase?.drop();
});

async function request(
  path: string,
  options: { email?: string; method?: string; origin?: string | null } = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (options.email) headers.cookie = await sessionCookieFor(running, options.email);
  if (options.origin !== null) headers.origin = options.origin ?? testOrigin;
  const response = await fetch(`${running.baseUrl}${path}`, {
    method: options.method ?? 'GET',
    headers,
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

async function createLink(): Promise<{ id: string; token: string }> {
  const created = await request(`/api/plans/${seededPlanSlug}/share-links`, {
    email: 'owner@coplan.test',
    method: 'POST',
  });
  expect(created.status).toBe(201);
  return (JSON.parse(created.text) as { link: { id: string; token: string } }).link;
}

function connectPublic(token: string): Socket {
  const socket = connectSocketIo(`${running.baseUrl}/public`, {
    transports: ['websocket'],
    extraHeaders: { origin: testOrigin },
    query: { share: token },
    auth: { token },
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  return socket;
}

async function syncedClient(email: string): Promise<TestSyncClient> {
  const client = connectSyncClient(running, { cookie: await sessionCookieFor(running, email) });
  clients.push(client);
  await expect.poll(() => client.provider.synced, waitOptions).toBe(true);
  return client;
}

describe('the members’ progress board', () => {
  it('answers any member, and nobody else', async () => {
    const viewer = await request(`/api/plans/${seededPlanSlug}/progress`, {
      email: 'participant@coplan.test',
    });
    expect(viewer.status).toBe(200);
    const board = JSON.parse(viewer.text) as ProgressBoard;
    expect(board.plan.slug).toBe(seededPlanSlug);
    expect(board.overall.items).toBeGreaterThan(0);
    expect(board.workstreams.length).toBeGreaterThan(0);
    expect(board.organisations.length).toBeGreaterThan(0);

    expect((await request(`/api/plans/${seededPlanSlug}/progress`)).status).toBe(401);
    expect(
      (await request(`/api/plans/${seededPlanSlug}/progress`, { email: 'outsider@coplan.test' }))
        .status,
    ).toBe(404);
  });
});

describe('a page rendered without the server’s projector', () => {
  it('shows every activity of a plan whose rows were never written (nobody has opened it)', async () => {
    const { db } = running.database;
    const plan = await findPlanBySlug(db, seededPlanSlug);
    if (!plan) throw new Error('seed missing');
    // As on a fresh install: no rows, never projected.
    await db.delete(planItems).where(eq(planItems.planId, plan.id));
    await db.update(plans).set({ projectedSeq: -1 }).where(eq(plans.id, plan.id));
    const participant = await findUserByEmail(db, 'participant@coplan.test');
    if (!participant) throw new Error('seed missing');
    const board = await getProgressBoard(seededPlanSlug, participant.id);
    const stored = await loadPlanDocument(db, plan.id);
    expect(board.overall.items).toBe(readPlan(stored.doc).items.length);
    expect(board.overall.items).toBeGreaterThan(0);
  });
});

describe('share links', () => {
  it('may be made, listed and revoked by owners only', async () => {
    for (const email of ['htc.editor@coplan.test', 'ilo@coplan.test', 'participant@coplan.test']) {
      const made = await request(`/api/plans/${seededPlanSlug}/share-links`, {
        email,
        method: 'POST',
      });
      expect(made.status).toBe(403);
      const listed = await request(`/api/plans/${seededPlanSlug}/share-links`, { email });
      expect(listed.status).toBe(403);
    }
    const link = await createLink();
    const revokedByEditor = await request(`/api/plans/${seededPlanSlug}/share-links/${link.id}`, {
      email: 'htc.editor@coplan.test',
      method: 'DELETE',
    });
    expect(revokedByEditor.status).toBe(403);
    // A cookie without the app's Origin (another site's form) changes nothing.
    const foreign = await request(`/api/plans/${seededPlanSlug}/share-links`, {
      email: 'owner@coplan.test',
      method: 'POST',
      origin: 'http://evil.test',
    });
    expect(foreign.status).toBe(403);

    const listed = await request(`/api/plans/${seededPlanSlug}/share-links`, {
      email: 'owner@coplan.test',
    });
    expect(listed.status).toBe(200);
    const links = (JSON.parse(listed.text) as { links: Array<{ id: string }> }).links;
    expect(links.map((entry) => entry.id)).toContain(link.id);
    // Tokens are shown once, at creation, and never listed.
    expect(listed.text).not.toContain(link.token);
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('opens a public board without comments, e-mail addresses or staff names', async () => {
    // An edit by a named person, so the recent activity has someone to (not) name.
    const editor = await syncedClient('htc.editor@coplan.test');
    const workstreamId = readPlan(editor.doc).workstreams[0]?.id ?? '';
    const itemId = createItem(editor.doc, {
      title: 'Public board check',
      workstreamId,
      leadOrg: 'HTC',
      start: '2026-01-01',
      end: '2026-12-31',
    });
    const link = await createLink();
    await expect
      .poll(async () => {
        const answer = await request(`/api/share/${link.token}/progress`, { origin: null });
        return answer.text.includes(itemId);
      }, waitOptions)
      .toBe(true);
    const answer = await request(`/api/share/${link.token}/progress`, { origin: null });
    expect(answer.status).toBe(200);
    const board = JSON.parse(answer.text) as ProgressBoard;
    expect(board.recentActivity.some((entry) => entry.itemId === itemId)).toBe(true);
    for (const entry of board.recentActivity) {
      if (entry.actor) expect(entry.actor).toEqual(expect.objectContaining({ id: '' }));
    }
    expect(answer.text).not.toMatch(/@/);
    expect(answer.text).not.toMatch(/comment/i);
    expect(answer.text).not.toContain('Chen Jing');
    expect(answer.text).not.toContain('owners');
  });

  it('stops working at once when revoked: HTTP and open sockets alike, same 404 as unknown', async () => {
    const link = await createLink();
    const socket = connectPublic(link.token);
    await expect.poll(() => socket.connected, waitOptions).toBe(true);

    const revoked = await request(`/api/plans/${seededPlanSlug}/share-links/${link.id}`, {
      email: 'owner@coplan.test',
      method: 'DELETE',
    });
    expect(revoked.status).toBe(204);
    await expect.poll(() => socket.connected, waitOptions).toBe(false);

    const afterRevoke = await request(`/api/share/${link.token}/progress`, { origin: null });
    const unknown = await request(`/api/share/${'x'.repeat(43)}/progress`, { origin: null });
    expect(afterRevoke.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(afterRevoke.text).toBe(unknown.text);

    // A new public socket is refused at the handshake.
    expect(
      await upgradeStatus(running, `/socket.io/?EIO=4&transport=websocket&share=${link.token}`, {
        origin: testOrigin,
      }),
    ).toBe(404);
    // Revoking twice is not found.
    const again = await request(`/api/plans/${seededPlanSlug}/share-links/${link.id}`, {
      email: 'owner@coplan.test',
      method: 'DELETE',
    });
    expect(again.status).toBe(404);
  });
});

describe('live', () => {
  it('tells members and public boards progress:changed after an edit', async () => {
    const link = await createLink();
    const publicFacts: ProgressChangedFact[] = [];
    const publicSocket = connectPublic(link.token);
    publicSocket.on('progress:changed', (fact: ProgressChangedFact) => publicFacts.push(fact));
    const member = connectSocketIoClient(running, {
      cookie: await sessionCookieFor(running, 'participant@coplan.test'),
    });
    sockets.push(member);
    const memberFacts: ProgressChangedFact[] = [];
    member.on('progress:changed', (fact) => memberFacts.push(fact));
    const joined = await member.emitWithAck('plan:join', { plan: seededPlanSlug });
    expect(joined).toEqual({ ok: true, role: 'viewer' });
    await expect.poll(() => publicSocket.connected, waitOptions).toBe(true);

    const editor = await syncedClient('npia.editor@coplan.test');
    const item = readPlan(editor.doc).items.find((candidate) => candidate.status !== 'done');
    if (!item) throw new Error('no open item');
    const storedSeq = async () =>
      (await findPlanBySlug(running.database.db, seededPlanSlug))?.updateSeq ?? -1;
    const seqBefore = await storedSeq();
    updateItem(editor.doc, item.id, { status: 'done' });
    // The log's position once the edit is stored: the boards must hear of it.
    await expect.poll(storedSeq, waitOptions).toBeGreaterThan(seqBefore);
    const editSeq = await storedSeq();

    const reached = (facts: ProgressChangedFact[]) => facts.some((fact) => fact.seq >= editSeq);
    await expect.poll(() => reached(memberFacts), waitOptions).toBe(true);
    await expect.poll(() => reached(publicFacts), waitOptions).toBe(true);
    expect(publicFacts.at(-1)?.plan).toBe(seededPlanSlug);

    const board = JSON.parse(
      (await request(`/api/share/${link.token}/progress`, { origin: null })).text,
    ) as ProgressBoard;
    expect(board.seq).toBeGreaterThanOrEqual(editSeq);
    const done = board.organisations
      .flatMap((organisation) => organisation.activities)
      .find((activity) => activity.id === item.id);
    expect(done?.status).toBe('done');
  });

  it('gives a share token no way into the members’ namespace', async () => {
    const link = await createLink();
    const socket = connectSocketIo(running.baseUrl, {
      transports: ['websocket'],
      extraHeaders: { origin: testOrigin },
      query: { share: link.token },
      auth: { token: link.token },
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error.message).toBe('unauthenticated');
  });

  it('refuses a public socket with a wrong token', async () => {
    const socket = connectSocketIo(`${running.baseUrl}/public`, {
      transports: ['websocket'],
      extraHeaders: { origin: testOrigin },
      auth: { token: 'y'.repeat(43) },
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    // Without a session and without a share token, the engine refuses before socket.io.
    expect(error).toBeInstanceOf(Error);
    expect(socket.connected).toBe(false);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once an address has used its burst', async () => {
    let limited: { status: number; headers: Headers } | null = null;
    for (let attempt = 0; attempt < rateLimit.burst + 5 && !limited; attempt++) {
      const answer = await request(`/api/share/${'z'.repeat(43)}/progress`, { origin: null });
      if (answer.status === 429) limited = answer;
      else expect(answer.status).toBe(404);
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Members' routes are not limited by it.
    expect(
      (await request(`/api/plans/${seededPlanSlug}/progress`, { email: 'owner@coplan.test' }))
        .status,
    ).toBe(200);
  });
});
