/**
 * Compaction against a real server and database (PostgreSQL with DATABASE_URL, else PGlite),
 * with edits made by real y-websocket clients: the log folds into a snapshot, the plan loads as
 * it was, racing commits are never lost, and a compaction cut short between its snapshot and its
 * prune (a kill -9) loses and duplicates nothing.
 */
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { readPlan, setItemTitle, updateItem } from '../../domain/plan-document';
import { readPlanLogStatus } from '../../db/queries/plan-log';
import { planSnapshots, planUpdates, plans } from '../../db/schema';
import { createRootLogger } from '../logger';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  connectSyncClient,
  seededPlanSlug,
  sessionCookieFor,
  startTestServer,
  type RunningTestServer,
  type TestSyncClient,
} from '../testing/test-server';
import { compactPlan, writeCompactedSnapshot } from './compact-plan';
import { PlanRoom } from './plan-room';
import { createDatabasePlanStore } from './plan-store';

const waitOptions = { timeout: 20_000, interval: 25 };
const silent = createRootLogger('silent');
const editors = ['htc.editor@coplan.test', 'npia.editor@coplan.test', 'owner@coplan.test'];

let testDatabase: TestDatabase;
let running: RunningTestServer;
let planId: string;
const clients: TestSyncClient[] = [];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function syncedClient(email: string): Promise<TestSyncClient> {
  const client = connectSyncClient(running, { cookie: await sessionCookieFor(running, email) });
  clients.push(client);
  await expect.poll(() => client.provider.synced, waitOptions).toBe(true);
  return client;
}

function closeClients(): void {
  for (const client of clients.splice(0)) client.destroy();
}

/** What anyone can observe of a document: its plan, and exactly which updates it holds. */
function viewOf(doc: Y.Doc) {
  const stateVector = [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(([a], [b]) => a - b);
  return { plan: readPlan(doc), stateVector };
}

/** A cold open, as a fresh process would do it. */
async function loadFresh() {
  const room = await PlanRoom.load(
    planId,
    createDatabasePlanStore(() => running.database),
    silent,
  );
  try {
    return viewOf(room.doc);
  } finally {
    room.destroy();
  }
}

async function rowCounts() {
  const db = running.database.db;
  const [updates] = await db
    .select({ n: count() })
    .from(planUpdates)
    .where(eq(planUpdates.planId, planId));
  const [snapshots] = await db
    .select({ n: count() })
    .from(planSnapshots)
    .where(eq(planSnapshots.planId, planId));
  return { updates: updates?.n ?? 0, snapshots: snapshots?.n ?? 0 };
}

async function storedUpdatesThrough(seq: number): Promise<number> {
  const [row] = await running.database.db
    .select({ n: count() })
    .from(planUpdates)
    .where(and(eq(planUpdates.planId, planId), eq(planUpdates.seq, seq)));
  return row?.n ?? 0;
}

/** `edits` changes from one client, paced under the server's per-connection update rate. */
async function makeEdits(
  client: TestSyncClient,
  edits: number,
  tag: string,
  offset = 0,
): Promise<void> {
  const items = readPlan(client.doc).items;
  for (let index = 0; index < edits; index++) {
    const item = items[(index + offset * 3) % items.length];
    if (!item) throw new Error('the seeded plan has no items');
    if (index % 5 === 0) setItemTitle(client.doc, item.id, `${tag} ${index}`);
    else updateItem(client.doc, item.id, { progress: (index * 7 + offset * 13) % 101 });
    await sleep(25);
  }
}

/** Every client and a cold open hold the same document. */
async function expectAllEqual(): Promise<void> {
  // Poll until every edit is committed and has reached every client…
  await expect
    .poll(async () => {
      const stored = JSON.stringify((await loadFresh()).stateVector);
      return clients.every((client) => JSON.stringify(viewOf(client.doc).stateVector) === stored);
    }, waitOptions)
    .toBe(true);
  // …then compare everything.
  const loaded = await loadFresh();
  for (const client of clients) expect(viewOf(client.doc)).toEqual(loaded);
}

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  running = await startTestServer(testDatabase);
  const [plan] = await running.database.db
    .select({ id: plans.id })
    .from(plans)
    .where(eq(plans.slug, seededPlanSlug));
  if (!plan) throw new Error('no seeded plan');
  planId = plan.id;
});

afterAll(async () => {
  closeClients();
  await running?.stop();
  await testDatabase?.drop();
});

describe('compaction', () => {
  it('folds the updates clients made into one snapshot; the plan loads exactly as before', async () => {
    const htc = await syncedClient(editors[0] as string);
    const npia = await syncedClient(editors[1] as string);
    await Promise.all([makeEdits(htc, 40, 'HTC'), makeEdits(npia, 40, 'NPIA')]);
    await expectAllEqual();
    const before = await loadFresh();
    const stored = await readPlanLogStatus(running.database.db, planId);
    // Some edits change nothing (the same progress again) and are not stored.
    expect(stored.tailCount).toBeGreaterThan(40);

    await running.server.compactor.compactNow(planId);

    const after = await readPlanLogStatus(running.database.db, planId);
    expect(after.snapshotSeq).toBe((stored.snapshotSeq ?? 0) + stored.tailCount);
    expect(after.tailCount).toBe(0);
    expect(await rowCounts()).toEqual({ updates: 0, snapshots: 2 });
    expect(await loadFresh()).toEqual(before);

    // The table holds only what came after the snapshot.
    await makeEdits(htc, 3, 'Later');
    await expectAllEqual();
    expect((await rowCounts()).updates).toBe(3);
    expect((await readPlanLogStatus(running.database.db, planId)).tailCount).toBe(3);
    closeClients();
  });

  it('compacts by itself once the tail passes 500 updates, and again when the plan unloads', async () => {
    const group = await Promise.all(editors.map((email) => syncedClient(email)));
    group.push(...(await Promise.all(editors.map((email) => syncedClient(email)))));
    const start = await readPlanLogStatus(running.database.db, planId);
    // 6 × 100 = 600 edits while everyone stays connected.
    await Promise.all(
      group.map((client, index) => makeEdits(client, 100, `Burst ${index}`, index)),
    );
    await expectAllEqual();
    await running.server.compactor.idle();
    const during = await readPlanLogStatus(running.database.db, planId);
    expect(during.snapshotSeq).toBeGreaterThan(start.snapshotSeq ?? 0);
    expect(during.tailCount).toBeLessThan(500);
    expect(running.server.registry.loadedCount).toBe(1);
    const before = await loadFresh();

    closeClients();
    await expect.poll(() => running.server.registry.loadedCount, waitOptions).toBe(0);
    await running.server.compactor.idle();
    expect(await rowCounts()).toEqual({ updates: 0, snapshots: 2 });
    expect(await loadFresh()).toEqual(before);
  });

  it('loses nothing when compactions race commits, two at a time', async () => {
    const group = await Promise.all(editors.map((email) => syncedClient(email)));
    let editing = true;
    const edits = Promise.all(
      group.map((client, index) => makeEdits(client, 80, `Race ${index}`, index)),
    ).finally(() => {
      editing = false;
    });
    let compactions = 0;
    while (editing) {
      // Two at once, as two instances on one database would.
      await Promise.all([
        compactPlan(running.database.db, planId),
        compactPlan(running.database.db, planId),
      ]);
      compactions += 2;
      // PGlite answers without yielding to I/O, on one connection: let the clients' edits in.
      await sleep(15);
    }
    await edits;
    expect(compactions).toBeGreaterThan(2);
    await expectAllEqual();
    await compactPlan(running.database.db, planId);
    await expectAllEqual();
    expect((await rowCounts()).snapshots).toBeLessThanOrEqual(2);
    closeClients();
    await expect.poll(() => running.server.registry.loadedCount, waitOptions).toBe(0);
    await running.server.compactor.idle();
  });

  it('a crash between the snapshot and the prune loses nothing and duplicates nothing', async () => {
    const htc = await syncedClient(editors[0] as string);
    await makeEdits(htc, 30, 'Crash');
    await expectAllEqual();
    const before = await loadFresh();
    const status = await readPlanLogStatus(running.database.db, planId);

    // The first half of a compaction; then the process "dies".
    const written = await writeCompactedSnapshot(running.database.db, planId);
    expect(written?.folded).toBe(status.tailCount);
    const seq = written?.seq ?? 0;
    expect(await storedUpdatesThrough(seq)).toBe(1);
    expect(await loadFresh()).toEqual(before);
    const leftover = await readPlanLogStatus(running.database.db, planId);
    expect(leftover).toMatchObject({
      snapshotSeq: seq,
      tailCount: 0,
      foldedCount: status.tailCount,
    });

    // Editing goes on over the leftover rows; the next compaction folds and prunes it all.
    await makeEdits(htc, 5, 'After');
    await expectAllEqual();
    const later = await loadFresh();
    const pending = await readPlanLogStatus(running.database.db, planId);
    expect(pending.tailCount).toBeGreaterThan(0);
    const result = await compactPlan(running.database.db, planId);
    expect(result).toMatchObject({
      folded: pending.tailCount,
      prunedUpdates: pending.tailCount + pending.foldedCount,
    });
    expect(await rowCounts()).toEqual({ updates: 0, snapshots: 2 });
    expect(await loadFresh()).toEqual(later);
    expect(readPlan(htc.doc).items.length).toBe(before.plan.items.length);
    closeClients();
  });
});
