/**
 * The item projection and the activity log against a real server, real y-websocket clients and
 * a real database: what the rows hold after edits, who the activity names, how bursts fold, the
 * two GET routes, and rebuilding a wiped projection.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';

import type { ActivityEntry } from '../../domain/activity';
import { projectPlan } from '../../domain/item-projection';
import {
  createItem,
  deleteItem,
  readPlan,
  setItemTitle,
  updateIndicator,
  addIndicator,
  moveWorkstream,
  updateItem,
} from '../../domain/plan-document';
import type { PlanItemRecord } from '../../db/queries/plan-items';
import { findPlanBySlug } from '../../db/queries/plans';
import { findUserByEmail, insertUser } from '../../db/queries/users';
import { planActivity, planItems, plans } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  connectSocketIoClient,
  connectSyncClient,
  seededPlanSlug,
  sessionCookieFor,
  startTestServer,
  type RunningTestServer,
  type TestSocket,
  type TestSyncClient,
} from '../testing/test-server';

const waitOptions = { timeout: 10_000, interval: 20 };

let testDatabase: TestDatabase;
let running: RunningTestServer;
let planId: string;
const clients: TestSyncClient[] = [];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  running = await startTestServer(testDatabase);
  const plan = await findPlanBySlug(running.database.db, seededPlanSlug);
  if (!plan) throw new Error('seed missing');
  planId = plan.id;
  await insertUser(running.database.db, {
    email: 'outsider@coplan.test',
    name: 'Out Sider',
    organisationCode: 'ILO',
    passwordHash: 'not a hash: never signs in with a password',
  });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const client of clients) client.destroy();
  await running?.stop();
  await testDatabase?.drop();
});

async function syncedClient(email: string): Promise<TestSyncClient> {
  const client = connectSyncClient(running, { cookie: await sessionCookieFor(running, email) });
  clients.push(client);
  await expect.poll(() => client.provider.synced, waitOptions).toBe(true);
  return client;
}

/** Makes one change and waits until the server says it is saved (one commit per change). */
async function saved(client: TestSyncClient, change: () => void): Promise<void> {
  const before = client.saved.length;
  change();
  await expect.poll(() => client.saved.length, waitOptions).toBeGreaterThan(before);
}

async function userId(email: string): Promise<string> {
  const user = await findUserByEmail(running.database.db, email);
  if (!user) throw new Error(`no user ${email}`);
  return user.id;
}

async function get(path: string, email?: string): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (email) headers.cookie = await sessionCookieFor(running, email);
  const response = await fetch(`${running.baseUrl}${path}`, { headers });
  return { status: response.status, body: await response.json() };
}

async function itemActivity(itemId: string): Promise<ActivityEntry[]> {
  const { status, body } = await get(
    `/api/plans/${seededPlanSlug}/activity?item=${encodeURIComponent(itemId)}`,
    'ilo@coplan.test',
  );
  expect(status).toBe(200);
  return (body as { entries: ActivityEntry[] }).entries;
}

async function storedRow(itemId: string) {
  const [row] = await running.database.db
    .select()
    .from(planItems)
    .where(and(eq(planItems.planId, planId), eq(planItems.itemId, itemId)));
  return row ?? null;
}

function newItem(doc: Y.Doc, title: string): string {
  const workstreamId = readPlan(doc).workstreams[0]?.id;
  if (!workstreamId) throw new Error('no workstream');
  return createItem(doc, {
    title,
    workstreamId,
    leadOrg: 'HTC',
    start: '2022-03-01',
    end: '2022-06-30',
  });
}

async function listenForActivity(email: string): Promise<ActivityEntry[]> {
  const socket = connectSocketIoClient(running, { cookie: await sessionCookieFor(running, email) });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const seen: ActivityEntry[] = [];
  socket.on('activity:recorded', (fact) => {
    if (fact.plan === seededPlanSlug) seen.push(fact.entry);
  });
  expect(await socket.emitWithAck('plan:join', { plan: seededPlanSlug })).toMatchObject({
    ok: true,
  });
  return seen;
}

describe('the activity log', () => {
  it('records a rename once, attributed to the editor, and announces it live', async () => {
    const live = await listenForActivity('participant@coplan.test');
    const htc = await syncedClient('htc.editor@coplan.test');
    let itemId = '';
    await saved(htc, () => {
      itemId = newItem(htc.doc, 'Robotics workshop');
    });
    await saved(htc, () => setItemTitle(htc.doc, itemId, 'Robotics workshop for NPIA teachers'));
    const editorId = await userId('htc.editor@coplan.test');
    await expect
      .poll(async () => (await itemActivity(itemId)).map((entry) => entry.kind), waitOptions)
      .toEqual(['renamed', 'created']);
    const [renamed, created] = await itemActivity(itemId);
    expect(renamed).toMatchObject({
      kind: 'renamed',
      from: 'Robotics workshop',
      to: 'Robotics workshop for NPIA teachers',
      itemTitle: 'Robotics workshop for NPIA teachers',
      actor: { id: editorId, organisation: 'HTC' },
    });
    expect(created).toMatchObject({ kind: 'created', actor: { id: editorId } });
    await expect
      .poll(() => live.filter((entry) => entry.itemId === itemId).map((entry) => entry.kind))
      .toEqual(['created', 'renamed']);
  });

  it('folds a title typed in many small commits into one entry (first from, last to)', async () => {
    const npia = await syncedClient('npia.editor@coplan.test');
    let itemId = '';
    await saved(npia, () => {
      itemId = newItem(npia.doc, 'Exchange');
    });
    const typed = ' visit to Haikou';
    for (let length = 1; length <= typed.length; length++) {
      await saved(npia, () => setItemTitle(npia.doc, itemId, `Exchange${typed.slice(0, length)}`));
    }
    await expect
      .poll(async () => (await itemActivity(itemId)).find((entry) => entry.kind === 'renamed')?.to)
      .toBe('Exchange visit to Haikou');
    const renames = (await itemActivity(itemId)).filter((entry) => entry.kind === 'renamed');
    expect(renames).toHaveLength(1);
    expect(renames[0]).toMatchObject({ from: 'Exchange', to: 'Exchange visit to Haikou' });
    expect(Date.parse(renames[0]!.updatedAt)).toBeGreaterThanOrEqual(
      Date.parse(renames[0]!.createdAt),
    );
  });

  it('records a status change and updates the row; indicator actuals get their own entries', async () => {
    const htc = await syncedClient('htc.editor@coplan.test');
    let itemId = '';
    let indicatorId = '';
    await saved(htc, () => {
      itemId = newItem(htc.doc, 'Teacher certification');
    });
    await saved(htc, () => updateItem(htc.doc, itemId, { status: 'in_progress' }));
    await saved(htc, () => {
      indicatorId = addIndicator(htc.doc, itemId, {
        name: 'Teachers certified',
        unit: 'people',
        baseline: 0,
        target: 20,
        actual: null,
      });
    });
    await saved(htc, () => updateIndicator(htc.doc, itemId, indicatorId, { actual: 4 }));
    await saved(htc, () => updateIndicator(htc.doc, itemId, indicatorId, { actual: 9 }));
    await expect
      .poll(async () => (await storedRow(itemId))?.status, waitOptions)
      .toBe('in_progress');
    await expect
      .poll(async () => (await itemActivity(itemId)).map((entry) => entry.kind), waitOptions)
      .toEqual(['indicator', 'status', 'created']);
    const [indicator, status] = await itemActivity(itemId);
    expect(status).toMatchObject({ kind: 'status', from: 'planned', to: 'in_progress' });
    expect(indicator).toMatchObject({
      kind: 'indicator',
      indicatorId,
      name: 'Teachers certified',
      from: null,
      to: 9,
    });
    expect((await storedRow(itemId))?.indicators).toEqual([
      {
        id: indicatorId,
        name: 'Teachers certified',
        unit: 'people',
        baseline: 0,
        target: 20,
        actual: 9,
      },
    ]);
  });

  it('attributes each change of one item to whoever made it when two editors take turns', async () => {
    const htc = await syncedClient('htc.editor@coplan.test');
    const npia = await syncedClient('npia.editor@coplan.test');
    let itemId = '';
    await saved(htc, () => {
      itemId = newItem(htc.doc, 'Shared card');
    });
    await expect.poll(() => readPlan(npia.doc).items.some((item) => item.id === itemId)).toBe(true);
    // Not awaited in between: both may land in one commit, or in one write.
    setItemTitle(htc.doc, itemId, 'Shared card, renamed by HTC');
    updateItem(npia.doc, itemId, { progress: 35 });
    await expect
      .poll(async () => (await itemActivity(itemId)).map((entry) => entry.kind).sort(), waitOptions)
      .toEqual(['created', 'progress', 'renamed']);
    const entries = await itemActivity(itemId);
    const [htcId, npiaId] = await Promise.all([
      userId('htc.editor@coplan.test'),
      userId('npia.editor@coplan.test'),
    ]);
    expect(entries.find((entry) => entry.kind === 'renamed')?.actor?.id).toBe(htcId);
    expect(entries.find((entry) => entry.kind === 'progress')).toMatchObject({
      from: 0,
      to: 35,
      actor: { id: npiaId },
    });
  });

  it('records nothing for a commenter or a viewer (their updates are dropped)', async () => {
    const ilo = await syncedClient('ilo@coplan.test');
    const participant = await syncedClient('participant@coplan.test');
    const itemId = readPlan(ilo.doc).items[0]!.id;
    const before = await running.database.db
      .select({ id: planActivity.id })
      .from(planActivity)
      .where(eq(planActivity.planId, planId));
    await saved(ilo, () => updateItem(ilo.doc, itemId, { progress: 93 }));
    await saved(participant, () => setItemTitle(participant.doc, itemId, 'Hijacked'));
    await running.server.projector.flush(planId);
    const after = await running.database.db
      .select({ id: planActivity.id })
      .from(planActivity)
      .where(eq(planActivity.planId, planId));
    expect(after).toHaveLength(before.length);
    expect((await storedRow(itemId))?.title).not.toBe('Hijacked');
  });
});

describe('the item projection', () => {
  it('matches the document after a burst of edits, and deleting an item deletes its row', async () => {
    const htc = await syncedClient('htc.editor@coplan.test');
    const npia = await syncedClient('npia.editor@coplan.test');
    const ids = readPlan(htc.doc)
      .items.slice(0, 5)
      .map((item) => item.id);
    // Not awaited one by one: many commits while writes are in flight coalesce.
    for (let round = 0; round < 20; round++) {
      for (const [index, itemId] of ids.entries()) {
        const editor = index % 2 === 0 ? htc : npia;
        updateItem(editor.doc, itemId, { progress: (round * 7 + index) % 101 });
        setItemTitle(editor.doc, itemId, `Burst ${round} of ${index}`);
      }
    }
    let doomed = '';
    await saved(htc, () => {
      doomed = newItem(htc.doc, 'Soon gone');
    });
    await expect.poll(async () => (await storedRow(doomed))?.title, waitOptions).toBe('Soon gone');
    await saved(htc, () => deleteItem(htc.doc, doomed));
    await expect.poll(() => readPlan(npia.doc).items.length).toBe(readPlan(htc.doc).items.length);
    await expect
      .poll(() =>
        readPlan(npia.doc)
          .items.map((item) => item.title)
          .join(),
      )
      .toBe(
        readPlan(htc.doc)
          .items.map((item) => item.title)
          .join(),
      );

    const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    // The rows come by workstream in the plan's order, then in board order.
    const expected = [...projectPlan(htc.doc).values()]
      .map(({ descriptionFingerprint, ...item }) => {
        void descriptionFingerprint;
        return item;
      })
      .sort(
        (a, b) =>
          byteOrder(a.workstreamPosition, b.workstreamPosition) ||
          byteOrder(a.workstreamId, b.workstreamId) ||
          byteOrder(a.position, b.position) ||
          byteOrder(a.id, b.id),
      );
    await expect
      .poll(async () => {
        const { body } = await get(`/api/plans/${seededPlanSlug}/items`, 'participant@coplan.test');
        return (body as { items: PlanItemRecord[] }).items;
      }, waitOptions)
      .toEqual(expected);
    expect(await storedRow(doomed)).toBeNull();
    const deleted = (await itemActivity(doomed)).map((entry) => entry.kind);
    expect(deleted[0]).toBe('deleted');
  });

  it('is rebuilt on GET when it was wiped (projected_seq 0) while the room is loaded', async () => {
    const htc = await syncedClient('htc.editor@coplan.test');
    await running.server.projector.flush(planId);
    const count = readPlan(htc.doc).items.length;
    await running.database.db.delete(planItems).where(eq(planItems.planId, planId));
    await running.database.db.update(plans).set({ projectedSeq: -1 }).where(eq(plans.id, planId));
    const { status, body } = await get(`/api/plans/${seededPlanSlug}/items`, 'ilo@coplan.test');
    expect(status).toBe(200);
    const answer = body as { plan: string; seq: number; items: PlanItemRecord[] };
    expect(answer.plan).toBe(seededPlanSlug);
    expect(answer.items).toHaveLength(count);
    const [plan] = await running.database.db.select().from(plans).where(eq(plans.id, planId));
    expect(answer.seq).toBe(plan?.updateSeq);
    expect(plan?.projectedSeq).toBe(plan?.updateSeq);
  });

  it('is rebuilt from the stored log with no room loaded, and when a room loads behind it', async () => {
    const count = readPlan(clients[0]!.doc).items.length;
    for (const client of clients.splice(0)) client.destroy();
    await expect.poll(() => running.server.registry.loadedCount, waitOptions).toBe(0);
    const wipe = async () => {
      await running.database.db.delete(planItems).where(eq(planItems.planId, planId));
      await running.database.db.update(plans).set({ projectedSeq: -1 }).where(eq(plans.id, planId));
    };
    await wipe();
    const { body } = await get(`/api/plans/${seededPlanSlug}/items`, 'ilo@coplan.test');
    expect((body as { items: PlanItemRecord[] }).items).toHaveLength(count);
    expect(running.server.registry.loadedCount).toBe(0);

    await wipe();
    await syncedClient('participant@coplan.test');
    await expect
      .poll(
        async () =>
          (
            await running.database.db
              .select({ itemId: planItems.itemId })
              .from(planItems)
              .where(eq(planItems.planId, planId))
          ).length,
        waitOptions,
      )
      .toBe(count);
  });
});

describe('the order of the rows', () => {
  it('lists items by workstream in the plan’s order, and follows a workstream moved to the top', async () => {
    const htc = await syncedClient('htc.editor@coplan.test');
    const workstreamOrder = () => readPlan(htc.doc).workstreams.map((workstream) => workstream.id);
    const listedOrder = async () => {
      const { body } = await get(`/api/plans/${seededPlanSlug}/items`, 'participant@coplan.test');
      return [
        ...new Set((body as { items: PlanItemRecord[] }).items.map((item) => item.workstreamId)),
      ];
    };
    const withItems = (order: string[]) => {
      const used = new Set(readPlan(htc.doc).items.map((item) => item.workstreamId));
      return order.filter((id) => used.has(id));
    };
    await expect.poll(listedOrder, waitOptions).toEqual(withItems(workstreamOrder()));
    const last = workstreamOrder().at(-1)!;
    const first = workstreamOrder()[0]!;
    await saved(htc, () => moveWorkstream(htc.doc, last, { after: null, before: first }));
    expect(workstreamOrder()[0]).toBe(last);
    await expect.poll(listedOrder, waitOptions).toEqual(withItems(workstreamOrder()));
  });
});

describe('GET /items and /activity', () => {
  it.each(['items', 'activity'])(
    '/%s: 401 without a session, 404 for outsiders and unknown plans',
    async (route) => {
      expect((await get(`/api/plans/${seededPlanSlug}/${route}`)).status).toBe(401);
      expect(await get(`/api/plans/${seededPlanSlug}/${route}`, 'outsider@coplan.test')).toEqual({
        status: 404,
        body: { error: 'not_found', message: 'no such plan' },
      });
      expect((await get(`/api/plans/no-such-plan/${route}`, 'ilo@coplan.test')).status).toBe(404);
    },
  );

  it('pages the activity newest first with a cursor', async () => {
    const first = await get(`/api/plans/${seededPlanSlug}/activity`, 'participant@coplan.test');
    const page = first.body as { entries: ActivityEntry[]; more: boolean };
    expect(page.entries.length).toBeGreaterThan(2);
    const times = page.entries.map((entry) => entry.updatedAt);
    expect([...times].sort().reverse()).toEqual(times);
    const cut = page.entries[1]!;
    const next = await get(
      `/api/plans/${seededPlanSlug}/activity?before=${cut.id}`,
      'participant@coplan.test',
    );
    expect((next.body as { entries: ActivityEntry[] }).entries.map((entry) => entry.id)).toEqual(
      page.entries.slice(2).map((entry) => entry.id),
    );
    expect(
      (await get(`/api/plans/${seededPlanSlug}/activity?before=nope`, 'ilo@coplan.test')).status,
    ).toBe(400);
  });
});
