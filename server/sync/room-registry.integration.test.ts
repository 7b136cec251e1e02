/**
 * Memory: rooms come and go with their connections and leave nothing behind. 1,000
 * connect/disconnect cycles over 10 plans, against a real server and database, with raw
 * WebSocket clients (fast) and now and then a y-websocket client that edits (so rooms also
 * commit, and compact when they unload). Afterwards: no loaded room, no unload timer, no tracked
 * compaction, no listener added to the process, every room object collected, and the heap back
 * near where it started.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import * as Y from 'yjs';

import {
  createItem,
  createWorkstream,
  initialisePlan,
  preparePlanDocument,
  readPlan,
  updateItem,
} from '../../domain/plan-document';
import { upsertMember } from '../../db/queries/members';
import { writePlanSnapshot } from '../../db/queries/plan-log';
import { findPlanBySlug, insertPlan } from '../../db/queries/plans';
import { findUserByEmail } from '../../db/queries/users';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  connectSyncClient,
  seededPlanSlug,
  sessionCookieFor,
  startTestServer,
  testOrigin,
  type RunningTestServer,
} from '../testing/test-server';
import type { PlanRoom } from './plan-room';

const cycles = 1000;
const editEvery = 50;
const waitOptions = { timeout: 20_000, interval: 25 };

let testDatabase: TestDatabase;
let running: RunningTestServer;
let cookie: string;
const slugs = [seededPlanSlug];
const planIds = new Map<string, string>();
/** Every room object the cycles saw, weakly: all must be collectable afterwards. */
const roomsSeen = new Set<WeakRef<PlanRoom>>();
const roomObjects = new WeakSet<PlanRoom>();

function noteRoom(slug: string): void {
  const room = running.server.registry.loadedRoom(planIds.get(slug) ?? '');
  if (!room || roomObjects.has(room)) return;
  roomObjects.add(room);
  roomsSeen.add(new WeakRef(room));
}

/** `global.gc`, even without --expose-gc; null if this runtime refuses. */
function findGc(): (() => void) | null {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
}

async function settledHeap(gc: () => void): Promise<number> {
  for (let round = 0; round < 3; round++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

function listenerCounts(): Record<string, number> {
  return Object.fromEntries(
    process.eventNames().map((name) => [String(name), process.listenerCount(name)]),
  );
}

/** Open a raw sync socket, wait for the server's first message (sync step 1), close it. */
function rawCycle(slug: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new NodeWebSocket(`ws://127.0.0.1:${running.port}/yjs/${slug}`, {
      headers: { origin: testOrigin, cookie },
    });
    ws.once('message', () => {
      noteRoom(slug);
      ws.close();
    });
    ws.once('close', () => resolve());
    ws.once('error', reject);
  });
}

/** A y-websocket client that syncs, makes one edit, waits until it is saved, and leaves. */
async function editCycle(slug: string, progress: number): Promise<void> {
  const client = connectSyncClient(running, { cookie, slug });
  try {
    await expect.poll(() => client.provider.synced, waitOptions).toBe(true);
    noteRoom(slug);
    const item = readPlan(client.doc).items[0];
    if (!item) throw new Error(`plan ${slug} has no items`);
    updateItem(client.doc, item.id, { progress });
    await expect.poll(() => client.saved.length, waitOptions).toBeGreaterThan(0);
  } finally {
    client.destroy();
  }
}

function planDocument(index: number): Uint8Array {
  const doc = preparePlanDocument(new Y.Doc());
  initialisePlan(doc, {
    title: `Memory plan ${index}`,
    periodStart: '2024-01-01',
    periodEnd: '2024-12-31',
  });
  const workstreamId = createWorkstream(doc, { name: 'Exchange' });
  for (let item = 0; item < 20; item++) {
    createItem(doc, {
      title: `Activity ${item}`,
      workstreamId,
      leadOrg: 'HTC',
      start: '2024-02-01',
      end: '2024-03-01',
    });
  }
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  running = await startTestServer(testDatabase);
  const db = running.database.db;
  const seeded = await findPlanBySlug(db, seededPlanSlug);
  if (!seeded) throw new Error('no seeded plan');
  planIds.set(seededPlanSlug, seeded.id);
  const editor = await findUserByEmail(db, 'htc.editor@coplan.test');
  if (!editor) throw new Error('no demo editor');
  for (let index = 1; index < 10; index++) {
    const plan = await insertPlan(db, { slug: `memory-${index}`, title: `Memory plan ${index}` });
    await writePlanSnapshot(db, plan.id, 0, planDocument(index));
    await upsertMember(db, { planId: plan.id, userId: editor.id, role: 'editor' });
    slugs.push(plan.slug);
    planIds.set(plan.slug, plan.id);
  }
  cookie = await sessionCookieFor(running, 'htc.editor@coplan.test');
});

afterAll(async () => {
  await running?.stop();
  await testDatabase?.drop();
});

async function runCycles(count: number): Promise<void> {
  // One round opens one connection to each plan at once; rooms load and unload between rounds
  // (the test server's grace is 50 ms), or stay loaded when a round comes back quickly.
  for (let done = 0; done < count; done += slugs.length) {
    await Promise.all(
      slugs.map((slug, index) =>
        (done + index) % editEvery === 0 ? editCycle(slug, (done / 10) % 101) : rawCycle(slug),
      ),
    );
    if (done % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 60));
  }
}

async function quiet(): Promise<void> {
  const { registry, compactor } = running.server;
  await expect.poll(() => registry.loadedCount, waitOptions).toBe(0);
  await expect.poll(() => registry.unloadTimerCount, waitOptions).toBe(0);
  await compactor.idle();
  expect(compactor.trackedCount).toBe(0);
  // The item projection writes after commits and after loads, off the commit path.
  await running.server.projector.flush();
}

it('1,000 connect/disconnect cycles over 10 plans leave no room, timer, listener or memory behind', async () => {
  const gc = findGc();
  // Warm up: the first loads fill caches (JIT, prepared statements, modules) for good.
  await runCycles(50);
  await quiet();
  const listenersBefore = listenerCounts();
  const heapBefore = gc ? await settledHeap(gc) : process.memoryUsage().heapUsed;

  const started = performance.now();
  roomsSeen.clear();
  await runCycles(cycles);
  const elapsed = performance.now() - started;
  const heapPeak = process.memoryUsage().heapUsed;
  await quiet();

  expect(listenerCounts()).toEqual(listenersBefore);
  const heapAfter = gc ? await settledHeap(gc) : process.memoryUsage().heapUsed;
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  console.warn(
    `memory: ${cycles} cycles in ${Math.round(elapsed)} ms; heap before ${mib(heapBefore)}, ` +
      `peak ${mib(heapPeak)}, after ${mib(heapAfter)}${gc ? '' : ' (no gc: not asserted)'}`,
  );
  if (gc) {
    expect(heapAfter - heapBefore).toBeLessThan(16 * 1024 * 1024);
    // Many rooms were loaded and unloaded; not one of them is still reachable.
    expect(roomsSeen.size).toBeGreaterThan(slugs.length);
    expect([...roomsSeen].filter((room) => room.deref() !== undefined)).toHaveLength(0);
  }
}, 120_000);
