/**
 * Follows and notifications over socket.io against a real server and database: the commands in
 * domain/realtime-events.ts, who may follow, who is notified of a comment (followers but the
 * author; mentions instead of comments), once only (retries, rescans), delivery to a user's every
 * tab and, for a user who was offline, through `notification:list` at the next connect.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Notification } from '../../domain/notifications';
import type { Ack, Comment } from '../../domain/realtime-events';
import { findPlanBySlug } from '../../db/queries/plans';
import { findUserByEmail, insertUser } from '../../db/queries/users';
import { comments, notifications, planItems } from '../../db/schema';
import { notifyComment } from '../use-cases/notify-comment';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  connectSocketIoClient,
  seededPlanSlug,
  sessionCookieFor,
  startTestServer,
  type RunningTestServer,
  type TestSocket,
} from '../testing/test-server';

const waitOptions = { timeout: 10_000, interval: 20 };
const plan = seededPlanSlug;

let testDatabase: TestDatabase;
let running: RunningTestServer;
let planId: string;
const sockets: TestSocket[] = [];
const ids = new Map<string, string>();

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  running = await startTestServer(testDatabase);
  await insertUser(running.database.db, {
    email: 'outsider@coplan.test',
    name: 'Out Sider',
    organisationCode: 'ILO',
    passwordHash: 'not a hash: never signs in with a password',
  });
  const found = await findPlanBySlug(running.database.db, plan);
  if (!found) throw new Error('seed missing');
  planId = found.id;
  for (const email of [
    'owner@coplan.test',
    'htc.editor@coplan.test',
    'npia.editor@coplan.test',
    'ilo@coplan.test',
    'participant@coplan.test',
    'outsider@coplan.test',
  ]) {
    const user = await findUserByEmail(running.database.db, email);
    if (!user) throw new Error(`no user ${email}`);
    ids.set(email, user.id);
  }
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await running?.stop();
  await testDatabase?.drop();
});

function idOf(email: string): string {
  const id = ids.get(email);
  if (!id) throw new Error(`no user ${email}`);
  return id;
}

interface Client {
  socket: TestSocket;
  created: Notification[];
  read: Array<{ ids: string[] | 'all'; unread: number }>;
  followChanges: Array<{ plan: string; itemId: string | null; following: boolean }>;
}

async function connect(email: string): Promise<Client> {
  const socket = connectSocketIoClient(running, { cookie: await sessionCookieFor(running, email) });
  sockets.push(socket);
  const client: Client = { socket, created: [], read: [], followChanges: [] };
  socket.on('notification:created', (notification) => client.created.push(notification));
  socket.on('notification:read', (fact) => client.read.push(fact));
  socket.on('follow:changed', (fact) => client.followChanges.push(fact));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return client;
}

function ok<T extends object>(ack: Ack<T>): T {
  if (!('ok' in ack)) throw new Error(`expected ok, got ${ack.error}: ${ack.message}`);
  return ack;
}

async function follow(client: Client, itemId: string | null, following = true) {
  return ok(await client.socket.emitWithAck('follow:set', { plan, itemId, following }));
}

async function comment(client: Client, itemId: string, body: string, clientMessageId?: string) {
  const ack = await client.socket.emitWithAck('comment:create', {
    plan,
    itemId,
    body,
    clientMessageId: clientMessageId ?? randomUUID(),
  });
  return ok(ack).comment;
}

async function list(client: Client, input: { before?: string; limit?: number } = {}) {
  return ok(await client.socket.emitWithAck('notification:list', input));
}

function aboutComment(client: Client, commentId: string) {
  return () =>
    client.created.filter(
      (notification) =>
        (notification.kind === 'comment' || notification.kind === 'mention') &&
        notification.commentId === commentId,
    );
}

async function storedFor(email: string, dedupeKey: string) {
  return running.database.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, idOf(email)), eq(notifications.dedupeKey, dedupeKey)));
}

/** A realtime round trip: when it is answered, facts sent before it have arrived. */
async function settle(client: Client) {
  await client.socket.emitWithAck('follow:list', { plan });
}

describe('follows', () => {
  it('follow and unfollow an item and the plan; follow:list says what; other tabs hear', async () => {
    const participant = await connect('participant@coplan.test');
    const otherTab = await connect('participant@coplan.test');
    expect(ok(await participant.socket.emitWithAck('follow:list', { plan }))).toEqual({
      ok: true,
      plan: false,
      items: [],
    });

    // A viewer may follow: following changes nothing of the plan.
    expect(await follow(participant, 'follow-b')).toEqual({ ok: true, following: true });
    await follow(participant, 'follow-a');
    await follow(participant, 'follow-a');
    await follow(participant, null);
    expect(ok(await participant.socket.emitWithAck('follow:list', { plan }))).toEqual({
      ok: true,
      plan: true,
      items: ['follow-a', 'follow-b'],
    });
    await expect
      .poll(() => otherTab.followChanges, waitOptions)
      .toContainEqual({ plan, itemId: 'follow-b', following: true });

    expect(await follow(participant, 'follow-a', false)).toEqual({ ok: true, following: false });
    await follow(participant, null, false);
    expect(ok(await participant.socket.emitWithAck('follow:list', { plan }))).toEqual({
      ok: true,
      plan: false,
      items: ['follow-b'],
    });
    await expect
      .poll(() => otherTab.followChanges.at(-1), waitOptions)
      .toEqual({ plan, itemId: null, following: false });
  });

  it('a non-member may neither follow nor list, and learns nothing of the plan', async () => {
    const outsider = await connect('outsider@coplan.test');
    expect(
      await outsider.socket.emitWithAck('follow:set', { plan, itemId: 'x', following: true }),
    ).toMatchObject({ error: 'not_found' });
    expect(await outsider.socket.emitWithAck('follow:list', { plan })).toMatchObject({
      error: 'not_found',
    });
  });

  it('bad payloads are answered bad_request and the connection keeps serving', async () => {
    const participant = await connect('participant@coplan.test');
    const emit = participant.socket.emitWithAck.bind(participant.socket) as (
      event: string,
      input: unknown,
    ) => Promise<unknown>;
    const bad: Array<[string, unknown]> = [
      ['follow:set', { plan, itemId: 'x' }],
      ['follow:set', { plan, itemId: 'has space', following: true }],
      ['follow:set', { plan: '../etc', following: true }],
      ['follow:list', {}],
      ['follow:list', 'nope'],
      ['notification:list', { limit: 500 }],
      ['notification:list', { before: 'not-a-uuid' }],
      ['notification:read', { ids: [] }],
      ['notification:read', { all: false }],
      ['notification:read', { ids: ['x'], all: true }],
      ['notification:read', null],
    ];
    for (const [event, input] of bad) {
      expect(await emit(event, input), `${event} ${JSON.stringify(input)}`).toMatchObject({
        error: 'bad_request',
      });
    }
    expect(await list(participant)).toMatchObject({ ok: true });
  });
});

describe('comment notifications', () => {
  it('followers of the item and of the plan are notified live; the author is not, and now follows', async () => {
    const itemId = 'notify-live';
    const participant = await connect('participant@coplan.test');
    const htc = await connect('htc.editor@coplan.test');
    const ilo = await connect('ilo@coplan.test');
    const npia = await connect('npia.editor@coplan.test');
    await follow(participant, itemId);
    await follow(htc, null);
    // The author follows the plan too: still not told of their own comment.
    await follow(ilo, itemId);

    const created = await comment(
      ilo,
      itemId,
      `Please add the dates. ${'Long enough to be cut. '.repeat(10)}`,
    );

    await expect.poll(aboutComment(participant, created.id), waitOptions).toHaveLength(1);
    await expect.poll(aboutComment(htc, created.id), waitOptions).toHaveLength(1);
    const [notification] = aboutComment(participant, created.id)();
    expect(notification).toMatchObject({
      kind: 'comment',
      plan,
      planTitle: expect.any(String),
      itemId,
      itemTitle: null,
      actor: { id: idOf('ilo@coplan.test'), name: 'Li Ming', organisation: 'ILO' },
      readAt: null,
    });
    if (notification?.kind !== 'comment') throw new Error('expected a comment notification');
    expect(notification.excerpt.startsWith('Please add the dates. Long enough')).toBe(true);
    expect(Array.from(notification.excerpt)).toHaveLength(140);
    expect(notification.excerpt.endsWith('…')).toBe(true);

    await settle(ilo);
    await settle(npia);
    expect(aboutComment(ilo, created.id)()).toEqual([]);
    expect(aboutComment(npia, created.id)()).toEqual([]);
    expect(await storedFor('ilo@coplan.test', `comment:${created.id}`)).toEqual([]);

    // The participant's list has it, unread, newest first.
    const listed = await list(participant);
    expect(listed.notifications[0]).toEqual(notification);
    expect(listed.unread).toBeGreaterThanOrEqual(1);
  });

  it('the author of a comment follows its item from then on', async () => {
    const itemId = 'notify-author-follows';
    const ilo = await connect('ilo@coplan.test');
    await comment(ilo, itemId, 'First word.');
    expect(ok(await ilo.socket.emitWithAck('follow:list', { plan })).items.includes(itemId)).toBe(
      true,
    );
    await expect
      .poll(() => ilo.followChanges, waitOptions)
      .toContainEqual({ plan, itemId, following: true });

    const htc = await connect('htc.editor@coplan.test');
    const reply = await comment(htc, itemId, 'A reply.');
    await expect.poll(aboutComment(ilo, reply.id), waitOptions).toHaveLength(1);
  });

  it('the item title comes from the projection when there is a row for it', async () => {
    const itemId = 'notify-titled';
    await running.database.db.insert(planItems).values({
      planId,
      itemId,
      title: 'Robotics training module',
      workstreamId: 'ws',
      workstreamName: 'Workstream',
      status: 'planned',
      leadOrganisation: 'HTC',
      startDate: '2030-01-01',
      endDate: '2030-02-01',
      progress: 0,
      position: 'a0',
      projectedSeq: 1,
    });
    const participant = await connect('participant@coplan.test');
    await follow(participant, itemId);
    const ilo = await connect('ilo@coplan.test');
    const created = await comment(ilo, itemId, 'Titled?');
    await expect
      .poll(() => aboutComment(participant, created.id)()[0]?.itemTitle, waitOptions)
      .toBe('Robotics training module');
  });

  it('a retried comment:create (same clientMessageId) notifies once', async () => {
    const itemId = 'notify-retry';
    const participant = await connect('participant@coplan.test');
    await follow(participant, itemId);
    const ilo = await connect('ilo@coplan.test');
    const clientMessageId = randomUUID();
    const first = await comment(ilo, itemId, 'Once only.', clientMessageId);
    const again = await comment(ilo, itemId, 'Once only.', clientMessageId);
    expect(again.id).toBe(first.id);
    await expect.poll(aboutComment(participant, first.id), waitOptions).toHaveLength(1);
    await settle(participant);
    await settle(ilo);
    await settle(participant);
    expect(aboutComment(participant, first.id)()).toHaveLength(1);
    expect(await storedFor('participant@coplan.test', `comment:${first.id}`)).toHaveLength(1);
  });

  it('those mentioned get a mention, not also a comment; non-members are not notified', async () => {
    const itemId = 'notify-mention';
    const participant = await connect('participant@coplan.test');
    await follow(participant, itemId);
    await follow(await connect('npia.editor@coplan.test'), itemId);
    const ilo = await connect('ilo@coplan.test');
    const created = await comment(ilo, itemId, '@Chea Sophea please look.');
    // The mention completion (another part of this issue) fills `mentions`; the notification
    // reads them from the stored comment, as here.
    const mentioned: Comment = {
      ...created,
      id: randomUUID(),
      mentions: [idOf('participant@coplan.test'), idOf('outsider@coplan.test')],
    };
    await running.database.db.insert(comments).values({
      id: mentioned.id,
      planId,
      itemId,
      authorId: created.authorId,
      clientMessageId: randomUUID(),
      body: 'mention',
      mentions: mentioned.mentions,
    });
    const deliveries = await notifyComment({ id: planId, slug: plan }, mentioned);
    const kinds = new Map<string, string[]>();
    for (const { userId, notification } of deliveries) {
      kinds.set(userId, [...(kinds.get(userId) ?? []), notification.kind]);
    }
    expect(kinds.get(idOf('participant@coplan.test'))).toEqual(['mention']);
    expect(kinds.get(idOf('npia.editor@coplan.test'))).toEqual(['comment']);
    expect(kinds.has(idOf('outsider@coplan.test'))).toBe(false);
    expect(kinds.has(created.authorId)).toBe(false);
    expect(await storedFor('outsider@coplan.test', `comment:${mentioned.id}`)).toEqual([]);
    // Again (a retry): nothing new.
    expect(await notifyComment({ id: planId, slug: plan }, mentioned)).toEqual([]);
  });

  it('an edit that adds a mention notifies the newly mentioned member, and nobody else again', async () => {
    const itemId = 'notify-edit-mention';
    const follower = await connect('npia.editor@coplan.test');
    await follow(follower, itemId);
    const participant = await connect('participant@coplan.test');
    const ilo = await connect('ilo@coplan.test');
    const created = await comment(ilo, itemId, 'Who can host the trainers?');
    await expect.poll(aboutComment(follower, created.id), waitOptions).toHaveLength(1);

    const edited = ok(
      await ilo.socket.emitWithAck('comment:edit', {
        plan,
        commentId: created.id,
        body: 'Who can host the trainers? @Chea Sophea',
        mentions: [idOf('participant@coplan.test')],
        clientMessageId: randomUUID(),
      }),
    ).comment;
    expect(edited.mentions).toEqual([idOf('participant@coplan.test')]);
    await expect.poll(aboutComment(participant, created.id), waitOptions).toHaveLength(1);
    expect(aboutComment(participant, created.id)()[0]?.kind).toBe('mention');

    // Editing again (and the follower, told at creation) adds nothing.
    ok(
      await ilo.socket.emitWithAck('comment:edit', {
        plan,
        commentId: created.id,
        body: 'Who can host the trainers next month? @Chea Sophea',
        mentions: [idOf('participant@coplan.test')],
        clientMessageId: randomUUID(),
      }),
    );
    await settle(participant);
    await settle(follower);
    expect(aboutComment(participant, created.id)()).toHaveLength(1);
    expect(aboutComment(follower, created.id)()).toHaveLength(1);
    expect(await storedFor('participant@coplan.test', `comment:${created.id}`)).toHaveLength(1);
    expect(await storedFor('npia.editor@coplan.test', `comment:${created.id}`)).toHaveLength(1);
  });

  it('a follower offline while the comment is made gets it from notification:list, once', async () => {
    const itemId = 'notify-offline';
    const first = await connect('participant@coplan.test');
    await follow(first, itemId);
    const before = await list(first);
    first.socket.disconnect();

    const ilo = await connect('ilo@coplan.test');
    const created = await comment(ilo, itemId, 'While you were away.');

    // The client merges what it had, the list and anything live by id, as the browser does. The
    // notification may also arrive live on the new socket (it is delivered after the ack): by id,
    // it is still one.
    const merged = new Map(before.notifications.map((n) => [n.id, n]));
    const back = await connect('participant@coplan.test');
    const after = await list(back);
    await settle(back);
    for (const notification of [...after.notifications, ...back.created]) {
      merged.set(notification.id, notification);
    }
    const about = [...merged.values()].filter(
      (n) => n.kind === 'comment' && n.commentId === created.id,
    );
    expect(about).toHaveLength(1);
    expect(after.notifications.filter((n) => n.id === about[0]?.id)).toHaveLength(1);
    expect(after.unread).toBe(before.unread + 1);
    // And it is stored once for this user.
    expect(await storedFor('participant@coplan.test', `comment:${created.id}`)).toHaveLength(1);
  });

  it('pages newest first with before and more', async () => {
    const htc = await connect('htc.editor@coplan.test');
    const itemId = 'notify-pages';
    await follow(htc, itemId);
    const ilo = await connect('ilo@coplan.test');
    for (let n = 0; n < 5; n += 1) await comment(ilo, itemId, `Page ${n}`);
    await expect.poll(() => htc.created.length, waitOptions).toBeGreaterThanOrEqual(5);
    const all = await list(htc);
    const firstPage = await list(htc, { limit: 2 });
    expect(firstPage.more).toBe(true);
    expect(firstPage.notifications.map((n) => n.id)).toEqual(
      all.notifications.slice(0, 2).map((n) => n.id),
    );
    const secondPage = await list(htc, { limit: 2, before: firstPage.notifications[1]?.id });
    expect(secondPage.notifications.map((n) => n.id)).toEqual(
      all.notifications.slice(2, 4).map((n) => n.id),
    );
    const times = all.notifications.map((n) => n.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });
});

describe('reading', () => {
  it('mark one and all read: unread counts, and the other tab hears', async () => {
    const itemId = 'notify-read';
    const tab = await connect('npia.editor@coplan.test');
    const otherTab = await connect('npia.editor@coplan.test');
    await follow(tab, itemId);
    const ilo = await connect('ilo@coplan.test');
    const one = await comment(ilo, itemId, 'One');
    const two = await comment(ilo, itemId, 'Two');
    await expect.poll(() => tab.created.length, waitOptions).toBeGreaterThanOrEqual(2);
    const before = await list(tab);
    const target = before.notifications.find((n) => n.kind === 'comment' && n.commentId === one.id);
    if (!target) throw new Error('notification missing');

    expect(await tab.socket.emitWithAck('notification:read', { ids: [target.id] })).toEqual({
      ok: true,
      unread: before.unread - 1,
    });
    await expect
      .poll(() => otherTab.read, waitOptions)
      .toContainEqual({ ids: [target.id], unread: before.unread - 1 });
    // Once read, read again changes nothing.
    expect(await tab.socket.emitWithAck('notification:read', { ids: [target.id] })).toEqual({
      ok: true,
      unread: before.unread - 1,
    });
    const listed = await list(tab);
    expect(listed.notifications.find((n) => n.id === target.id)?.readAt).not.toBeNull();
    expect(
      listed.notifications.find((n) => n.kind === 'comment' && n.commentId === two.id)?.readAt,
    ).toBeNull();

    // Another user's ids are not the caller's to mark.
    const outsiderRead = await (
      await connect('owner@coplan.test')
    ).socket.emitWithAck('notification:read', { ids: listed.notifications.map((n) => n.id) });
    expect(outsiderRead).toMatchObject({ ok: true });
    expect((await list(tab)).unread).toBe(before.unread - 1);

    expect(await tab.socket.emitWithAck('notification:read', { all: true })).toEqual({
      ok: true,
      unread: 0,
    });
    await expect.poll(() => otherTab.read.at(-1), waitOptions).toEqual({ ids: 'all', unread: 0 });
    expect((await list(tab)).unread).toBe(0);
  });
});

describe('status changes and due items', () => {
  it('followers but the actor are told of a status change, once per activity entry', async () => {
    const itemId = 'notify-status';
    const participant = await connect('participant@coplan.test');
    const htc = await connect('htc.editor@coplan.test');
    await follow(participant, itemId);
    await follow(htc, itemId);
    const change = {
      itemId,
      from: 'planned' as const,
      to: 'in_progress' as const,
      actorId: idOf('htc.editor@coplan.test'),
      activityId: randomUUID(),
    };
    await running.server.notifyStatusChanges({ id: planId, slug: plan }, [change]);
    await running.server.notifyStatusChanges({ id: planId, slug: plan }, [change]);
    const aboutStatus = (client: Client) => () =>
      client.created.filter((n) => n.kind === 'status' && n.itemId === itemId);
    await expect.poll(aboutStatus(participant), waitOptions).toHaveLength(1);
    expect(aboutStatus(participant)()[0]).toMatchObject({
      kind: 'status',
      from: 'planned',
      to: 'in_progress',
      actor: { name: 'Chen Jing' },
    });
    await settle(participant);
    await settle(htc);
    expect(aboutStatus(participant)()).toHaveLength(1);
    expect(aboutStatus(htc)()).toEqual([]);
    expect(await storedFor('htc.editor@coplan.test', `status:${change.activityId}`)).toEqual([]);
  });

  it('items due within a week notify their followers once, however often the scan runs', async () => {
    const today = new Date();
    const inDays = (days: number) =>
      new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
    const item = (itemId: string, endDate: string, status: string) => ({
      planId,
      itemId,
      title: `Item ${itemId}`,
      workstreamId: 'ws',
      workstreamName: 'Workstream',
      status,
      leadOrganisation: 'HTC' as const,
      startDate: '2020-01-01',
      endDate,
      progress: 0,
      position: 'a0',
      projectedSeq: 1,
    });
    await running.database.db
      .insert(planItems)
      .values([
        item('due-soon', inDays(3), 'in_progress'),
        item('due-done', inDays(2), 'done'),
        item('due-later', inDays(30), 'planned'),
        item('due-past', inDays(-2), 'planned'),
      ]);
    const participant = await connect('participant@coplan.test');
    for (const itemId of ['due-soon', 'due-done', 'due-later', 'due-past']) {
      await follow(participant, itemId);
    }
    await running.server.dueSoon.scan();
    await running.server.dueSoon.scan();
    const aboutDue = () => participant.created.filter((n) => n.kind === 'due');
    await expect.poll(aboutDue, waitOptions).toHaveLength(1);
    expect(aboutDue()[0]).toMatchObject({
      kind: 'due',
      itemId: 'due-soon',
      itemTitle: 'Item due-soon',
      due: inDays(3),
      actor: null,
    });
    await settle(participant);
    expect(aboutDue()).toHaveLength(1);
    const stored = await running.database.db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, idOf('participant@coplan.test')),
          eq(notifications.kind, 'due'),
        ),
      );
    expect(stored).toHaveLength(1);
  });
});
