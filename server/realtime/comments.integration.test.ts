/**
 * Comments over socket.io against a real server and database: the contract in
 * domain/realtime-events.ts, who may (read from the database at every command), idempotent
 * creation, and the GET route for page loads.
 */
import { randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Ack, Comment, CommentFact, ServerToClientEvents } from '../../domain/realtime-events';
import { upsertMember } from '../../db/queries/members';
import { findPlanBySlug } from '../../db/queries/plans';
import { findUserByEmail, insertUser } from '../../db/queries/users';
import { comments } from '../../db/schema';
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
const sockets: TestSocket[] = [];

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  running = await startTestServer(testDatabase);
  await insertUser(running.database.db, {
    email: 'outsider@coplan.test',
    name: 'Out Sider',
    organisationCode: 'ILO',
    passwordHash: 'not a hash: never signs in with a password',
  });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await running?.stop();
  await testDatabase?.drop();
});

interface Member {
  socket: TestSocket;
  /** Every fact this socket received, in order. */
  facts: Array<{ event: keyof ServerToClientEvents; fact: CommentFact }>;
}

const factEvents = [
  'comment:created',
  'comment:updated',
  'comment:deleted',
  'thread:resolved',
  'thread:reopened',
] as const;

async function connect(email: string, options: { join?: boolean } = {}): Promise<Member> {
  const socket = connectSocketIoClient(running, { cookie: await sessionCookieFor(running, email) });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const member: Member = { socket, facts: [] };
  for (const event of factEvents) {
    socket.on(event, (fact: CommentFact) => member.facts.push({ event, fact }));
  }
  if (options.join ?? true) {
    expect(await socket.emitWithAck('plan:join', { plan })).toMatchObject({ ok: true });
  }
  return member;
}

type CommentAck = Ack<{ comment: Comment }>;

function expectOk(ack: CommentAck): Comment {
  if (!('ok' in ack)) throw new Error(`expected ok, got ${ack.error}: ${ack.message}`);
  return ack.comment;
}

const newId = () => randomUUID();

function create(
  member: Member,
  input: {
    itemId: string;
    body: string;
    parentId?: string;
    clientMessageId?: string;
    mentions?: string[];
  },
) {
  return member.socket.emitWithAck('comment:create', {
    plan,
    clientMessageId: input.clientMessageId ?? newId(),
    ...input,
  });
}

async function storedCount(itemId: string): Promise<number> {
  const [row] = await running.database.db
    .select({ n: count() })
    .from(comments)
    .where(eq(comments.itemId, itemId));
  return row?.n ?? 0;
}

async function setRole(email: string, role: 'owner' | 'editor' | 'commenter' | 'viewer') {
  const user = await findUserByEmail(running.database.db, email);
  const found = await findPlanBySlug(running.database.db, plan);
  if (!user || !found) throw new Error('seed missing');
  await upsertMember(running.database.db, { planId: found.id, userId: user.id, role });
}

function sawFact(member: Member, event: keyof ServerToClientEvents, id: string) {
  return () =>
    member.facts.find((entry) => entry.event === event && entry.fact.comment.id === id)?.fact;
}

describe('a thread, live', () => {
  it('create, reply, edit, delete, resolve and reopen are acked and seen by another member', async () => {
    const ilo = await connect('ilo@coplan.test');
    const htc = await connect('htc.editor@coplan.test');
    const itemId = 'thread-live';

    const root = expectOk(await create(ilo, { itemId, body: '  Please add the dates.  ' }));
    expect(root).toMatchObject({
      itemId,
      parentId: null,
      authorName: 'Li Ming',
      authorOrganisation: 'ILO',
      body: 'Please add the dates.',
      editedAt: null,
      deletedAt: null,
      resolvedAt: null,
      resolvedBy: null,
    });
    await expect
      .poll(sawFact(htc, 'comment:created', root.id), waitOptions)
      .toEqual({ plan, comment: root });

    const reply = expectOk(await create(htc, { itemId, body: 'Done.', parentId: root.id }));
    expect(reply).toMatchObject({ parentId: root.id, authorName: 'Chen Jing' });
    await expect.poll(sawFact(ilo, 'comment:created', reply.id), waitOptions).toBeTruthy();

    const edited = expectOk(
      await htc.socket.emitWithAck('comment:edit', {
        plan,
        commentId: reply.id,
        body: 'Done: 1 to 5 March.',
        clientMessageId: newId(),
      }),
    );
    expect(edited.body).toBe('Done: 1 to 5 March.');
    expect(edited.editedAt).not.toBeNull();
    await expect
      .poll(() => sawFact(ilo, 'comment:updated', reply.id)()?.comment.body, waitOptions)
      .toBe('Done: 1 to 5 March.');

    const resolved = expectOk(
      await ilo.socket.emitWithAck('thread:resolve', {
        plan,
        threadId: root.id,
        clientMessageId: newId(),
      }),
    );
    expect(resolved.resolvedAt).not.toBeNull();
    expect(resolved.resolvedBy).toBe(root.authorId);
    await expect.poll(sawFact(htc, 'thread:resolved', root.id), waitOptions).toBeTruthy();

    const reopened = expectOk(
      await htc.socket.emitWithAck('thread:reopen', {
        plan,
        threadId: root.id,
        clientMessageId: newId(),
      }),
    );
    expect(reopened).toMatchObject({ resolvedAt: null, resolvedBy: null });
    await expect.poll(sawFact(ilo, 'thread:reopened', root.id), waitOptions).toBeTruthy();

    const deleted = expectOk(
      await htc.socket.emitWithAck('comment:delete', {
        plan,
        commentId: reply.id,
        clientMessageId: newId(),
      }),
    );
    expect(deleted).toMatchObject({ id: reply.id, body: '' });
    expect(deleted.deletedAt).not.toBeNull();
    await expect.poll(sawFact(ilo, 'comment:deleted', reply.id), waitOptions).toBeTruthy();
    // The thread keeps the deleted reply's place.
    expect(await storedCount(itemId)).toBe(2);
  });

  it('facts go only to sockets that joined the plan', async () => {
    const ilo = await connect('ilo@coplan.test');
    const lurker = await connect('owner@coplan.test', { join: false });
    const watcher = await connect('participant@coplan.test');
    const comment = expectOk(await create(ilo, { itemId: 'rooms', body: 'Only the room hears.' }));
    await expect.poll(sawFact(watcher, 'comment:created', comment.id), waitOptions).toBeTruthy();
    expect(lurker.facts).toEqual([]);
  });
});

describe('retries', () => {
  it('a retried create returns the same comment, stores one row and announces it once', async () => {
    const ilo = await connect('ilo@coplan.test');
    const htc = await connect('htc.editor@coplan.test');
    const clientMessageId = newId();
    const input = { itemId: 'retry', body: 'Only once, please.', clientMessageId };
    const [first, second] = await Promise.all([create(ilo, input), create(ilo, input)]);
    const third = await create(ilo, input);
    expect(expectOk(second)).toEqual(expectOk(first));
    expect(expectOk(third)).toEqual(expectOk(first));
    expect(await storedCount('retry')).toBe(1);
    await expect.poll(() => htc.facts.length, waitOptions).toBe(1);
  });

  it('the same clientMessageId for another item is a conflict', async () => {
    const ilo = await connect('ilo@coplan.test');
    const clientMessageId = newId();
    expectOk(await create(ilo, { itemId: 'reuse-a', body: 'a', clientMessageId }));
    expect(await create(ilo, { itemId: 'reuse-b', body: 'b', clientMessageId })).toMatchObject({
      error: 'conflict',
    });
    expect(await storedCount('reuse-b')).toBe(0);
  });
});

describe('who may', () => {
  it("a viewer's and a non-member's create is forbidden and stores nothing", async () => {
    const viewer = await connect('participant@coplan.test');
    expect(await create(viewer, { itemId: 'refused', body: 'Hello' })).toMatchObject({
      error: 'forbidden',
    });
    const outsider = await connect('outsider@coplan.test', { join: false });
    expect(await create(outsider, { itemId: 'refused', body: 'Hello' })).toMatchObject({
      error: 'forbidden',
    });
    expect(await storedCount('refused')).toBe(0);
  });

  it('a viewer may not resolve a thread', async () => {
    const ilo = await connect('ilo@coplan.test');
    const viewer = await connect('participant@coplan.test');
    const root = expectOk(await create(ilo, { itemId: 'viewer-resolve', body: 'Thread' }));
    expect(
      await viewer.socket.emitWithAck('thread:resolve', {
        plan,
        threadId: root.id,
        clientMessageId: newId(),
      }),
    ).toMatchObject({ error: 'forbidden' });
  });

  it('a commenter demoted to viewer while connected is refused on the next command', async () => {
    const ilo = await connect('ilo@coplan.test');
    const root = expectOk(await create(ilo, { itemId: 'demoted', body: 'Before' }));
    await setRole('ilo@coplan.test', 'viewer');
    try {
      expect(await create(ilo, { itemId: 'demoted', body: 'After' })).toMatchObject({
        error: 'forbidden',
      });
      expect(
        await ilo.socket.emitWithAck('comment:edit', {
          plan,
          commentId: root.id,
          body: 'Changed',
          clientMessageId: newId(),
        }),
      ).toMatchObject({ error: 'forbidden' });
      expect(await storedCount('demoted')).toBe(1);
    } finally {
      await setRole('ilo@coplan.test', 'commenter');
    }
    expectOk(await create(ilo, { itemId: 'demoted', body: 'Back again' }));
  });

  it("only the author edits; an owner may delete anyone's comment, an editor may not", async () => {
    const ilo = await connect('ilo@coplan.test');
    const htc = await connect('htc.editor@coplan.test');
    const owner = await connect('owner@coplan.test');
    const comment = expectOk(await create(ilo, { itemId: 'moderation', body: 'Mine' }));
    const byId = { plan, commentId: comment.id, clientMessageId: newId() };
    expect(
      await htc.socket.emitWithAck('comment:edit', { ...byId, body: 'Yours now' }),
    ).toMatchObject({ error: 'forbidden' });
    expect(
      await owner.socket.emitWithAck('comment:edit', { ...byId, body: 'Yours now' }),
    ).toMatchObject({ error: 'forbidden' });
    expect(await htc.socket.emitWithAck('comment:delete', byId)).toMatchObject({
      error: 'forbidden',
    });
    expect(expectOk(await owner.socket.emitWithAck('comment:delete', byId)).deletedAt).not.toBe(
      null,
    );
  });

  it('an unknown plan or comment is not_found', async () => {
    const ilo = await connect('ilo@coplan.test');
    expect(
      await ilo.socket.emitWithAck('comment:create', {
        plan: 'no-such-plan',
        itemId: 'x',
        body: 'x',
        clientMessageId: newId(),
      }),
    ).toMatchObject({ error: 'not_found' });
    expect(
      await ilo.socket.emitWithAck('comment:edit', {
        plan,
        commentId: newId(),
        body: 'x',
        clientMessageId: newId(),
      }),
    ).toMatchObject({ error: 'not_found' });
    expect(await create(ilo, { itemId: 'x', body: 'x', parentId: newId() })).toMatchObject({
      error: 'not_found',
    });
  });
});

describe('bad input', () => {
  it('empty and 10,001-character bodies are refused with a clear message', async () => {
    const ilo = await connect('ilo@coplan.test');
    expect(await create(ilo, { itemId: 'bodies', body: '   ' })).toEqual({
      error: 'bad_request',
      message: 'body: a comment cannot be empty',
    });
    expect(await create(ilo, { itemId: 'bodies', body: 'x'.repeat(10_001) })).toEqual({
      error: 'bad_request',
      message: 'body: a comment has at most 10,000 characters',
    });
    expect(await storedCount('bodies')).toBe(0);
    expect(expectOk(await create(ilo, { itemId: 'bodies', body: 'x'.repeat(10_000) })).body).toBe(
      'x'.repeat(10_000),
    );
  });

  it('a reply to a reply is refused', async () => {
    const ilo = await connect('ilo@coplan.test');
    const root = expectOk(await create(ilo, { itemId: 'depth', body: 'Root' }));
    const reply = expectOk(
      await create(ilo, { itemId: 'depth', body: 'Reply', parentId: root.id }),
    );
    expect(
      await create(ilo, { itemId: 'depth', body: 'Deeper', parentId: reply.id }),
    ).toMatchObject({ error: 'bad_request', message: expect.stringContaining('one level deep') });
    expect(
      await create(ilo, { itemId: 'elsewhere', body: 'Moved', parentId: root.id }),
    ).toMatchObject({ error: 'bad_request' });
    expect(
      await ilo.socket.emitWithAck('thread:resolve', {
        plan,
        threadId: reply.id,
        clientMessageId: newId(),
      }),
    ).toMatchObject({ error: 'bad_request' });
    expect(await storedCount('depth')).toBe(2);
  });

  it('a payload that is not an object, or lacks its clientMessageId, is bad_request', async () => {
    const ilo = await connect('ilo@coplan.test');
    const raw = ilo.socket as unknown as {
      emitWithAck(event: string, payload: unknown): Promise<unknown>;
    };
    expect(await raw.emitWithAck('comment:create', 'hello')).toMatchObject({
      error: 'bad_request',
    });
    expect(
      await raw.emitWithAck('comment:create', { plan, itemId: 'x', body: 'no id' }),
    ).toMatchObject({ error: 'bad_request', message: expect.stringContaining('clientMessageId') });
  });

  it('a body with markup is stored and sent verbatim, as text', async () => {
    const ilo = await connect('ilo@coplan.test');
    const body = '<script>alert("x")</script><img src=x onerror=alert(1)> [a](javascript:alert(1))';
    const comment = expectOk(await create(ilo, { itemId: 'markup', body }));
    expect(comment.body).toBe(body);
    const [row] = await running.database.db
      .select({ body: comments.body })
      .from(comments)
      .where(eq(comments.id, comment.id));
    expect(row?.body).toBe(body);
  });
});

describe('GET /api/plans/<slug>/items/<itemId>/comments', () => {
  const url = (slug: string, itemId: string) =>
    `${running.baseUrl}/api/plans/${slug}/items/${itemId}/comments`;

  it('returns the thread to members, viewers included', async () => {
    const ilo = await connect('ilo@coplan.test');
    const root = expectOk(await create(ilo, { itemId: 'listed', body: 'First' }));
    const reply = expectOk(
      await create(ilo, { itemId: 'listed', body: 'Second', parentId: root.id }),
    );
    for (const email of ['ilo@coplan.test', 'participant@coplan.test']) {
      const response = await fetch(url(plan, 'listed'), {
        headers: { cookie: await sessionCookieFor(running, email) },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ comments: [root, reply] });
    }
  });

  it('answers 401 without a session and 404 to a non-member or for an unknown plan', async () => {
    expect((await fetch(url(plan, 'listed'))).status).toBe(401);
    const outsider = { cookie: await sessionCookieFor(running, 'outsider@coplan.test') };
    expect((await fetch(url(plan, 'listed'), { headers: outsider })).status).toBe(404);
    const member = { cookie: await sessionCookieFor(running, 'ilo@coplan.test') };
    expect((await fetch(url('no-such-plan', 'listed'), { headers: member })).status).toBe(404);
  });
});

describe('mentions', () => {
  async function idOf(email: string): Promise<string> {
    const user = await findUserByEmail(running.database.db, email);
    if (!user) throw new Error(`no user ${email}`);
    return user.id;
  }

  it('keeps members whose @Name the body contains; drops non-members and names not in the body', async () => {
    const ilo = await connect('ilo@coplan.test');
    const htc = await connect('htc.editor@coplan.test');
    const [chen, sok, outsider] = await Promise.all([
      idOf('htc.editor@coplan.test'),
      idOf('npia.editor@coplan.test'),
      idOf('outsider@coplan.test'),
    ]);
    const comment = expectOk(
      await create(ilo, {
        itemId: 'mentions',
        // Sok Dara was picked, then the text deleted; Out Sider is on no plan.
        body: '@Chen Jing please check, and @Out Sider too',
        mentions: [chen, sok, outsider, chen],
      }),
    );
    expect(comment.mentions).toEqual([chen]);
    await expect
      .poll(() => sawFact(htc, 'comment:created', comment.id)()?.comment.mentions, waitOptions)
      .toEqual([chen]);
    const [stored] = await running.database.db
      .select({ mentions: comments.mentions })
      .from(comments)
      .where(eq(comments.id, comment.id));
    expect(stored?.mentions).toEqual([chen]);
  });

  it('an edit keeps the mentions its body still names, and takes new ones', async () => {
    const ilo = await connect('ilo@coplan.test');
    const [chen, sok] = await Promise.all([
      idOf('htc.editor@coplan.test'),
      idOf('npia.editor@coplan.test'),
    ]);
    const comment = expectOk(
      await create(ilo, {
        itemId: 'mentions-edit',
        body: '@Chen Jing and @Sok Dara',
        mentions: [chen, sok],
      }),
    );
    expect(comment.mentions).toEqual([chen, sok]);
    const edit = (body: string, mentions?: string[]) =>
      ilo.socket.emitWithAck('comment:edit', {
        plan,
        commentId: comment.id,
        clientMessageId: newId(),
        body,
        ...(mentions ? { mentions } : {}),
      });
    // No mentions sent: those whose name is still in the body stay.
    expect(expectOk(await edit('Only @Sok Dara now')).mentions).toEqual([sok]);
    expect(expectOk(await edit('@Chen Jing again', [chen])).mentions).toEqual([chen]);
    expect(expectOk(await edit('nobody')).mentions).toEqual([]);
  });

  it('more than 20 mentions, or ids that are not uuids, are bad_request', async () => {
    const ilo = await connect('ilo@coplan.test');
    const many = Array.from({ length: 21 }, () => newId());
    expect(await create(ilo, { itemId: 'mentions-bad', body: 'hi', mentions: many })).toMatchObject(
      { error: 'bad_request' },
    );
    expect(
      await create(ilo, { itemId: 'mentions-bad', body: 'hi', mentions: ['not-an-id'] }),
    ).toMatchObject({ error: 'bad_request' });
    expect(await storedCount('mentions-bad')).toBe(0);
  });
});

describe('failures', () => {
  it('a command that fails unexpectedly answers internal and the server keeps serving', async () => {
    const ilo = await connect('ilo@coplan.test');
    // The table out of the way: the use case's query throws a driver error, not a DomainError.
    await running.database.db.execute(sql`alter table comments rename to comments_away`);
    try {
      expect(await create(ilo, { itemId: 'outage', body: 'Lost?' })).toEqual({
        error: 'internal',
        message: 'something went wrong on the server',
      });
    } finally {
      await running.database.db.execute(sql`alter table comments_away rename to comments`);
    }
    expect(expectOk(await create(ilo, { itemId: 'outage', body: 'Back' })).body).toBe('Back');
    expect(ilo.socket.connected).toBe(true);
  });
});
