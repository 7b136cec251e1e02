import { and, eq } from 'drizzle-orm';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { readPlan, updateItem } from '../../domain/plan-document';
import { presenceStateSchema } from '../../domain/presence';
import {
  closeCodes,
  messageAwareness,
  messageSaved,
  messageSync,
} from '../../domain/sync-protocol';
import { upsertMember } from '../../db/queries/members';
import { findPlanBySlug } from '../../db/queries/plans';
import { findUserByEmail } from '../../db/queries/users';
import { planClients, planMembers } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  connectSocketIoClient,
  connectSyncClient,
  openRawSyncSocket,
  seededPlanSlug,
  sessionCookieFor,
  startTestServer,
  type RunningTestServer,
  type TestSyncClient,
} from '../testing/test-server';

const waitOptions = { timeout: 10_000, interval: 20 };

let testDatabase: TestDatabase;
let running: RunningTestServer;
const clients: TestSyncClient[] = [];

async function syncedClient(email: string, cookie?: string): Promise<TestSyncClient> {
  const client = connectSyncClient(running, {
    cookie: cookie ?? (await sessionCookieFor(running, email)),
  });
  clients.push(client);
  await expect.poll(() => client.provider.synced, waitOptions).toBe(true);
  return client;
}

async function ids(email: string) {
  const user = await findUserByEmail(running.database.db, email);
  const plan = await findPlanBySlug(running.database.db, seededPlanSlug);
  if (!user || !plan) throw new Error('seed missing');
  return { userId: user.id, planId: plan.id };
}

function firstItemId(doc: Y.Doc): string {
  const item = readPlan(doc).items[0];
  if (!item) throw new Error('no items');
  return item.id;
}

const rawSocket = (email: string) => openRawSyncSocket(running, email);

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  running = await startTestServer(testDatabase, { membershipIntervalMs: 500 });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await running?.stop();
  await testDatabase?.drop();
});

describe('roles that change while connected', () => {
  it('a demoted editor is closed with 4409 within 5 s and does not reconnect', async () => {
    const { userId, planId } = await ids('npia.editor@coplan.test');
    const npia = await syncedClient('npia.editor@coplan.test');
    const demotedAt = Date.now();
    await upsertMember(running.database.db, { planId, userId, role: 'viewer' });
    await expect.poll(() => npia.closes.at(-1)?.code, waitOptions).toBe(closeCodes.roleChanged);
    expect(Date.now() - demotedAt).toBeLessThan(5_000);
    expect(npia.provider.shouldConnect).toBe(false);

    // Reconnecting now makes a read-only connection: its edits go nowhere.
    const again = await syncedClient('npia.editor@coplan.test');
    const editor = await syncedClient('htc.editor@coplan.test');
    const itemId = firstItemId(again.doc);
    updateItem(again.doc, itemId, { progress: 77 });
    await expect.poll(() => again.saved.length, waitOptions).toBeGreaterThan(0);
    expect(readPlan(editor.doc).items.find((item) => item.id === itemId)?.progress).not.toBe(77);
    await upsertMember(running.database.db, { planId, userId, role: 'editor' });
  });

  it('a removed member is closed with 4403 and told over socket.io', async () => {
    const { userId, planId } = await ids('participant@coplan.test');
    const participant = await syncedClient('participant@coplan.test');
    const socket = connectSocketIoClient(running, {
      cookie: await sessionCookieFor(running, 'participant@coplan.test'),
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    expect(await socket.emitWithAck('plan:join', { plan: seededPlanSlug })).toMatchObject({
      ok: true,
    });
    const told = new Promise<{ plan: string; role: string | null }>((resolve) =>
      socket.once('plan:access-changed', resolve),
    );

    await running.database.db
      .delete(planMembers)
      .where(and(eq(planMembers.planId, planId), eq(planMembers.userId, userId)));
    await expect
      .poll(() => participant.closes.at(-1)?.code, waitOptions)
      .toBe(closeCodes.forbidden);
    expect(await told).toEqual({ plan: seededPlanSlug, role: null });
    socket.close();
    await upsertMember(running.database.db, { planId, userId, role: 'viewer' });
  });

  it('a commenter demoted to viewer and back is told each new role over socket.io', async () => {
    const { userId, planId } = await ids('ilo@coplan.test');
    const socket = connectSocketIoClient(running, {
      cookie: await sessionCookieFor(running, 'ilo@coplan.test'),
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    expect(await socket.emitWithAck('plan:join', { plan: seededPlanSlug })).toEqual({
      ok: true,
      role: 'commenter',
    });
    const told: Array<{ plan: string; role: string | null }> = [];
    socket.on('plan:access-changed', (change) => told.push(change));
    try {
      await upsertMember(running.database.db, { planId, userId, role: 'viewer' });
      await expect
        .poll(() => told, waitOptions)
        .toEqual([{ plan: seededPlanSlug, role: 'viewer' }]);
      await upsertMember(running.database.db, { planId, userId, role: 'commenter' });
      await expect
        .poll(() => told, waitOptions)
        .toEqual([
          { plan: seededPlanSlug, role: 'viewer' },
          { plan: seededPlanSlug, role: 'commenter' },
        ]);
      // Still in the plan's room: the demotion did not cut it off from comments.
      const seen: string[] = [];
      socket.on('comment:created', (fact) => seen.push(fact.comment.body));
      const htc = connectSocketIoClient(running, {
        cookie: await sessionCookieFor(running, 'htc.editor@coplan.test'),
      });
      try {
        await new Promise<void>((resolve) => htc.once('connect', () => resolve()));
        await htc.emitWithAck('plan:join', { plan: seededPlanSlug });
        await htc.emitWithAck('comment:create', {
          plan: seededPlanSlug,
          itemId: 'role-change',
          body: 'Still here?',
          clientMessageId: crypto.randomUUID(),
        });
        await expect.poll(() => seen, waitOptions).toEqual(['Still here?']);
      } finally {
        htc.close();
      }
    } finally {
      socket.close();
      await upsertMember(running.database.db, { planId, userId, role: 'commenter' });
    }
  });

  it('a session that expires closes its connection with 4401', async () => {
    const cookie = await sessionCookieFor(running, 'ilo@coplan.test', 2);
    const ilo = await syncedClient('ilo@coplan.test', cookie);
    await expect.poll(() => ilo.closes.at(-1)?.code, waitOptions).toBe(closeCodes.sessionExpired);
    expect(ilo.provider.shouldConnect).toBe(false);
  });
});

describe('who may speak for whom', () => {
  it('binds a Yjs client id to its first user and refuses it from anyone else', async () => {
    const htc = await syncedClient('htc.editor@coplan.test');
    const itemId = firstItemId(htc.doc);
    updateItem(htc.doc, itemId, { progress: 31 });
    await expect.poll(() => htc.saved.length, waitOptions).toBeGreaterThan(0);
    const { planId, userId } = await ids('htc.editor@coplan.test');
    await expect
      .poll(async () => {
        const rows = await running.database.db
          .select({ userId: planClients.userId })
          .from(planClients)
          .where(and(eq(planClients.planId, planId), eq(planClients.clientId, htc.doc.clientID)));
        return rows[0]?.userId;
      }, waitOptions)
      .toBe(userId);

    // Sending again content the server already has claims nothing, whoever wrote it: a copy
    // restored from a device's store does this.
    const relay = await rawSocket('npia.editor@coplan.test');
    const relayed = new Promise<number>((resolve) =>
      relay.on('message', (data: Buffer) => {
        if (data[0] === messageSaved) resolve(data[1] ?? 0);
      }),
    );
    const whole = encoding.createEncoder();
    encoding.writeVarUint(whole, messageSync);
    encoding.writeVarUint(whole, 2);
    encoding.writeVarUint8Array(whole, Y.encodeStateAsUpdate(htc.doc));
    relay.send(encoding.toUint8Array(whole));
    expect(await relayed).toBe(1);
    expect(relay.readyState).toBe(relay.OPEN);
    relay.close();

    // Another user whose document uses the same client id, with new content.
    const impostorDoc = new Y.Doc();
    Y.applyUpdate(impostorDoc, Y.encodeStateAsUpdate(htc.doc));
    // Set after syncing: Yjs itself picks a new id when it sees its own id in remote content.
    impostorDoc.clientID = htc.doc.clientID;
    const before = Y.encodeStateVector(impostorDoc);
    updateItem(impostorDoc, itemId, { progress: 99 });
    const forged = Y.encodeStateAsUpdate(impostorDoc, before);
    const ws = await rawSocket('npia.editor@coplan.test');
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageSync);
    encoding.writeVarUint(encoder, 2);
    encoding.writeVarUint8Array(encoder, forged);
    ws.send(encoding.toUint8Array(encoder));
    expect(await closed).toBe(closeCodes.clientIdTaken);
    expect(readPlan(htc.doc).items.find((item) => item.id === itemId)?.progress).toBe(31);
  });

  it('presence shows the session user, and a connection cannot speak for another client', async () => {
    const watcher = await syncedClient('owner@coplan.test');
    const ws = await rawSocket('npia.editor@coplan.test');
    // Awareness updates written by hand: [count, (clientId, clock, JSON state)…].
    const send = (entries: Array<[clientId: number, clock: number, state: unknown]>) => {
      const update = encoding.createEncoder();
      encoding.writeVarUint(update, entries.length);
      for (const [clientId, clock, state] of entries) {
        encoding.writeVarUint(update, clientId);
        encoding.writeVarUint(update, clock);
        encoding.writeVarString(update, JSON.stringify(state));
      }
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, messageAwareness);
      encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
      ws.send(encoding.toUint8Array(encoder));
    };
    const claimed = { id: 'x', name: 'The Director', organisation: 'ILO', color: '#000000' };
    const spoofId = 424242;
    send([[spoofId, 1, { user: claimed, focus: null }]]);
    const shown = () => {
      const state = presenceStateSchema.safeParse(
        watcher.provider.awareness.getStates().get(spoofId),
      );
      return state.success ? state.data : null;
    };
    await expect
      .poll(() => shown() && `${shown()?.user.name} (${shown()?.user.organisation})`, waitOptions)
      .toBe('Sok Dara (NPIA)');

    // Now it claims to speak for the watcher's client id, then (honestly) for its own: the
    // second arrives, so the first was handled, and ignored.
    const victim = watcher.provider.awareness.clientID;
    const itemId = firstItemId(watcher.doc);
    send([[victim, 1000, { user: claimed, focus: null }]]);
    send([[spoofId, 2, { focus: itemId }]]);
    await expect.poll(() => shown()?.focus, waitOptions).toBe(itemId);
    const victimState = watcher.provider.awareness.getStates().get(victim) as {
      user?: { name?: string };
    } | null;
    expect(victimState?.user?.name).not.toBe('The Director');
    expect(watcher.provider.awareness.meta.get(victim)?.clock).toBeLessThan(1000);
    ws.close();
  });
});

describe('limits', () => {
  it('closes a connection that floods updates with 4529, and drops a presence flood', async () => {
    const flooder = await rawSocket('htc.editor@coplan.test');
    const closed = new Promise<number>((resolve) => flooder.once('close', (code) => resolve(code)));
    const empty = Y.encodeStateAsUpdate(new Y.Doc());
    for (let index = 0; index < 400; index++) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, messageSync);
      encoding.writeVarUint(encoder, 2);
      encoding.writeVarUint8Array(encoder, empty);
      flooder.send(encoding.toUint8Array(encoder));
    }
    expect(await closed).toBe(closeCodes.rateLimited);

    const chatty = await rawSocket('npia.editor@coplan.test');
    const presence = new awarenessProtocol.Awareness(new Y.Doc());
    for (let index = 0; index < 400; index++) {
      presence.setLocalStateField('focus', null);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, messageAwareness);
      encoding.writeVarUint8Array(
        encoder,
        awarenessProtocol.encodeAwarenessUpdate(presence, [presence.clientID]),
      );
      chatty.send(encoding.toUint8Array(encoder));
    }
    // Still open and served: it answers a sync step 1.
    const answered = new Promise<boolean>((resolve) => chatty.once('message', () => resolve(true)));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageSync);
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(new Y.Doc()));
    chatty.send(encoding.toUint8Array(encoder));
    expect(await answered).toBe(true);
    expect(chatty.readyState).toBe(chatty.OPEN);
    chatty.close();
  });
});
