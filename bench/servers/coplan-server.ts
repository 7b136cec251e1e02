/**
 * Coplan with persistence on: the real server (createCoplanServer, as the integration tests
 * start it, without Next) on a fresh PostgreSQL database that is dropped at the end. Clients
 * sign in as the seeded editors with a real session cookie.
 *
 * Besides serving, this child can drive `appendPlanUpdates` directly (`append-bench`): updates
 * offered at a fixed rate, committed one group at a time like a room does, to measure what the
 * log sustains without the sync layer in front of it.
 */
import * as Y from 'yjs';
import postgres from 'postgres';

import { preparePlanDocument, readPlan } from '../../domain/plan-document';
import { upsertMember } from '../../db/queries/members';
import { appendPlanUpdates, loadPlanLog, writePlanSnapshot } from '../../db/queries/plan-log';
import { findPlanBySlug, insertPlan } from '../../db/queries/plans';
import { findUserByEmail } from '../../db/queries/users';
import { follows, planMembers, users } from '../../db/schema';
import { createTestDatabase } from '../../server/testing/test-database';
import {
  seededPlanSlug,
  sessionCookieFor,
  sessionCookieWith,
  startTestServer,
  testOrigin,
} from '../../server/testing/test-server';
import type { AppendBenchRequest, ReadyMessage } from '../server-protocol';
import { onParentMessage, sendToParent } from './child-channel';

process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const serverUrl = process.env.DATABASE_URL;

const testDatabase = await createTestDatabase();
const running = await startTestServer(testDatabase);
const plan = await findPlanBySlug(running.database.db, seededPlanSlug);
if (!plan) throw new Error('the seed made no plan');

const stored = await loadPlanLog(running.database.db, plan.id);
const doc = preparePlanDocument(new Y.Doc());
if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.data);
for (const update of stored.updates) Y.applyUpdate(doc, update.data);
const initialState = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
const firstItemId = readPlan(doc).items[0]?.id;
doc.destroy();

const settings = postgres(serverUrl, { max: 1, onnotice: () => {} });
const facts: Record<string, string> = {};
for (const name of ['fsync', 'synchronous_commit', 'server_version']) {
  const rows = await settings.unsafe<Array<Record<string, string>>>(`show ${name}`);
  facts[name] = rows[0]?.[name] ?? '?';
}
await settings.end();

// More plans like the seeded one, for the commit-rate section: one client per plan keeps every
// connection within its rate limit without a broadcast fan-out in front of the database.
const extraPaths: string[] = [];
const extraPlans = Number(process.env.BENCH_EXTRA_PLANS ?? 0);
if (extraPlans > 0) {
  const editors = await Promise.all(
    ['htc.editor@coplan.test', 'npia.editor@coplan.test'].map((email) =>
      findUserByEmail(running.database.db, email),
    ),
  );
  const snapshot = new Uint8Array(Buffer.from(initialState, 'base64'));
  for (let index = 1; index <= extraPlans; index++) {
    const extra = await insertPlan(running.database.db, {
      slug: `bench-plan-${index}`,
      title: `Bench plan ${index}`,
    });
    await writePlanSnapshot(running.database.db, extra.id, 0, snapshot);
    for (const editor of editors) {
      if (editor) {
        await upsertMember(running.database.db, {
          planId: extra.id,
          userId: editor.id,
          role: 'editor',
        });
      }
    }
    extraPaths.push(`/yjs/${extra.slug}`);
  }
}

// Followers of one item, for bench/comment-fanout.ts: viewers with sessions, added in bulk (they
// never sign in with a password, so one placeholder hash serves them all).
let fanout: ReadyMessage['fanout'];
const followerCount = Number(process.env.BENCH_FOLLOWERS ?? 0);
if (followerCount > 0 && firstItemId) {
  const db = running.database.db;
  const created = await db
    .insert(users)
    .values(
      Array.from({ length: followerCount }, (_, index) => ({
        email: `follower-${index}@bench.test`,
        name: `Follower ${index}`,
        organisationCode: 'NPIA' as const,
        passwordHash: 'bench: no password sign-in',
      })),
    )
    .returning();
  await db
    .insert(planMembers)
    .values(created.map((user) => ({ planId: plan.id, userId: user.id, role: 'viewer' as const })));
  await db
    .insert(follows)
    .values(created.map((user) => ({ userId: user.id, planId: plan.id, itemId: firstItemId })));
  fanout = {
    plan: seededPlanSlug,
    itemId: firstItemId,
    origin: testOrigin,
    commenterCookie: await sessionCookieFor(running, 'ilo@coplan.test'),
    followerCookies: await Promise.all(
      created.map((user) => sessionCookieWith(running.secret, user)),
    ),
  };
}

const cookies = await Promise.all(
  ['htc.editor@coplan.test', 'npia.editor@coplan.test'].map((email) =>
    sessionCookieFor(running, email),
  ),
);

sendToParent({
  type: 'ready',
  port: running.port,
  path: `/yjs/${seededPlanSlug}`,
  headers: cookies.map((cookie) => ({ cookie, origin: testOrigin })),
  initialState,
  extraPaths,
  facts,
  fanout,
});

/** A separate postgres.js client on the same database, for the `unnest` variant. */
const raw = postgres(testDatabase.databaseUrl ?? serverUrl, { max: 1, onnotice: () => {} });

async function appendUnnest(planId: string, updates: Uint8Array[]): Promise<number> {
  return raw.begin(async (tx) => {
    const [row] = await tx<Array<{ update_seq: string }>>`
      update plans set update_seq = update_seq + ${updates.length}
      where id = ${planId} returning update_seq`;
    const last = Number(row?.update_seq);
    const first = last - updates.length + 1;
    await tx`
      insert into plan_updates (plan_id, seq, data, user_id)
      select ${planId}, ${first} + ord - 1, data, null
      from unnest(${tx.array(
        updates.map((update) => Buffer.from(update.buffer, update.byteOffset, update.byteLength)),
        17,
      )}::bytea[])
        with ordinality as rows(data, ord)`;
    return last;
  });
}

/** Offers updates at a fixed rate and commits whatever is queued, one group at a time. */
async function appendBench(request: AppendBenchRequest): Promise<void> {
  const planId = plan?.id ?? '';
  const payloads = request.payloads.map(
    (payload) => new Uint8Array(Buffer.from(payload, 'base64')),
  );
  const queue: Array<{ data: Uint8Array; enqueuedAt: number }> = [];
  const latencies: number[] = [];
  let committed = 0;
  let groups = 0;
  let offered = 0;
  const start = performance.now();
  const end = start + request.durationMs;
  const producer = setInterval(() => {
    const now = performance.now();
    const due = Math.floor(((Math.min(now, end) - start) / 1000) * request.ratePerSecond);
    for (; offered < due; offered++) {
      queue.push({ data: payloads[offered % payloads.length] as Uint8Array, enqueuedAt: now });
    }
  }, 1);
  while (performance.now() < end || queue.length > 0) {
    if (queue.length === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    const group = queue.splice(0, queue.length);
    if (request.mode === 'unnest') {
      await appendUnnest(
        planId,
        group.map((entry) => entry.data),
      );
    } else {
      await appendPlanUpdates(
        running.database.db,
        planId,
        group.map((entry) => ({ data: entry.data, userId: null })),
      );
    }
    const now = performance.now();
    for (const entry of group) latencies.push(now - entry.enqueuedAt);
    committed += group.length;
    groups++;
    if (performance.now() >= end) clearInterval(producer);
  }
  clearInterval(producer);
  sendToParent({
    type: 'append-bench-result',
    mode: request.mode,
    committed,
    elapsedMs: performance.now() - start,
    groups,
    latencies,
  });
}

onParentMessage({
  async stop() {
    await raw.end();
    await running.stop();
    await testDatabase.drop();
  },
  'append-bench': appendBench,
});
