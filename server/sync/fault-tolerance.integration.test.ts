/**
 * Faults, for real. A server process killed with SIGKILL in the middle of editing: what a
 * client was told is saved must be in the database at the moment of the kill; the clients
 * reconnect by themselves to the restarted server and converge, with every edit exactly once.
 * A PostgreSQL (of the test's own) stopped for 30 s while people edit: nothing crashes, the
 * edits are not reported saved, and all of them commit once it is back.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { preparePlanDocument, readPlan, updateItem } from '../../domain/plan-document';
import { closeCodes } from '../../domain/sync-protocol';
import { openDatabase } from '../../db/client';
import { clearCurrentDatabase, setCurrentDatabase, type DatabaseHandle } from '../../db/database';
import { appendPlanUpdates, loadPlanLog } from '../../db/queries/plan-log';
import { findPlanBySlug } from '../../db/queries/plans';
import { findUserByEmail } from '../../db/queries/users';
import { plans as plansTable } from '../../db/schema';
import { seedDatabase } from '../../db/seed';
import { WebSocket as NodeWebSocket } from 'ws';
import { hashPassword } from '../auth/passwords';
import { openDatabaseWhenReady, type DatabaseWhenReady } from '../database-when-ready';
import { createCoplanServer, type CoplanServer } from '../http/coplan-server';
import { createRootLogger } from '../logger';
import { spawnInstance, type SpawnedInstance } from '../testing/spawn-instance';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  createPrivatePostgres,
  privatePostgresUnavailable,
  type PrivatePostgres,
} from '../testing/private-postgres';
import {
  connectSyncClient,
  seededPlanSlug,
  sessionCookieFor,
  sessionCookieWith,
  testServerEnv,
  startTestServer,
  testOrigin,
  type RunningTestServer,
  type TestSyncClient,
} from '../testing/test-server';
import { editsIn, trackedEditor, type TrackedEditor } from '../testing/tracked-editor';

const waitOptions = { timeout: 20_000, interval: 25 };
const postgresUrl = process.env.DATABASE_URL;

describe.skipIf(!postgresUrl)('a server killed with SIGKILL mid-edit (PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let database: DatabaseHandle;
  let instance: SpawnedInstance | null = null;
  const editors: TrackedEditor[] = [];
  const secret = randomBytes(32).toString('base64url');

  const cookieFor = (email: string) => sessionCookieFor({ database, secret }, email);

  async function storedTitles(ids: string[]): Promise<string[]> {
    const plan = await findPlanBySlug(database.db, seededPlanSlug);
    if (!plan) throw new Error('no plan');
    const log = await loadPlanLog(database.db, plan.id);
    const doc = preparePlanDocument(new Y.Doc());
    if (log.snapshot) Y.applyUpdate(doc, log.snapshot.data);
    for (const update of log.updates) Y.applyUpdate(doc, update.data);
    const items = readPlan(doc).items;
    return ids.map((id) => items.find((item) => item.id === id)?.title ?? '');
  }

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = await openDatabase({
      databaseUrl: testDatabase.databaseUrl,
      dataDir: testDatabase.dataDir,
    });
    await seedDatabase(database.db, { demoAccounts: { hashPassword } });
  });

  afterAll(async () => {
    for (const editor of editors) editor.destroy();
    await instance?.kill();
    await database?.close();
    await testDatabase?.drop();
  });

  it('keeps every confirmed edit; clients reconnect and converge, each edit once', async () => {
    const env = {
      DATABASE_URL: testDatabase.databaseUrl as string,
      AUTH_SECRET: secret,
      COPLAN_PUBLIC_URL: testOrigin,
      COPLAN_DATA_DIR: testDatabase.dataDir,
    };
    instance = await spawnInstance(env);
    let target = `ws://127.0.0.1:${instance.port}`;
    const plan = await findPlanBySlug(database.db, seededPlanSlug);
    const seeded = preparePlanDocument(new Y.Doc());
    const log = await loadPlanLog(database.db, plan?.id ?? '');
    if (log.snapshot) Y.applyUpdate(seeded, log.snapshot.data);
    const itemIds = readPlan(seeded)
      .items.slice(0, 2)
      .map((item) => item.id);

    for (const [index, email] of ['htc.editor@coplan.test', 'npia.editor@coplan.test'].entries()) {
      editors.push(
        trackedEditor({
          target: () => target,
          slug: seededPlanSlug,
          itemId: itemIds[index] as string,
          headers: { origin: testOrigin, cookie: await cookieFor(email) },
        }),
      );
    }
    for (const editor of editors) {
      await expect.poll(() => editor.provider.synced, waitOptions).toBe(true);
    }

    // A first batch, confirmed; then a second one that is still in flight at the kill.
    for (let round = 0; round < 10; round++) for (const editor of editors) editor.edit();
    for (const editor of editors) {
      await expect.poll(() => editor.saved(), waitOptions).toBe(editor.made());
    }
    for (let round = 0; round < 15; round++) for (const editor of editors) editor.edit();
    await instance.kill();
    const confirmed = editors.map((editor) => editor.saved());

    // At the moment of the kill, the database holds every edit a client was told is saved.
    const atKill = await storedTitles(itemIds);
    for (const [index, title] of atKill.entries()) {
      const stored = editsIn(title);
      const expected = Array.from({ length: confirmed[index] ?? 0 }, (_, n) => n + 1);
      expect(stored.slice(0, expected.length)).toEqual(expected);
    }

    // The same plan served again (on another port, as after a restart behind a proxy).
    instance = await spawnInstance(env);
    target = `ws://127.0.0.1:${instance.port}`;
    for (let round = 0; round < 5; round++) for (const editor of editors) editor.edit();
    for (const editor of editors) {
      await expect.poll(() => editor.saved(), waitOptions).toBe(editor.made());
    }

    const finalTitles = await storedTitles(itemIds);
    for (const [index, editor] of editors.entries()) {
      const all = Array.from({ length: editor.made() }, (_, n) => n + 1);
      expect(editsIn(finalTitles[index] ?? '')).toEqual(all);
      for (const other of editors) {
        await expect
          .poll(() => readPlan(other.doc).items.find((item) => item.id === itemIds[index])?.title)
          .toBe(finalTitles[index]);
      }
    }
  });
});

describe.skipIf(privatePostgresUnavailable() !== null)(
  'PostgreSQL stopped for 30 s during editing',
  () => {
    let pg: PrivatePostgres;
    let running: RunningTestServer;
    const editors: TrackedEditor[] = [];

    beforeAll(async () => {
      pg = await createPrivatePostgres();
      running = await startTestServer({
        databaseUrl: pg.url,
        dataDir: mkdtempSync(join(tmpdir(), 'coplan-outage-')),
        drop: async () => {},
      });
    });

    afterAll(async () => {
      for (const editor of editors) editor.destroy();
      await running?.stop();
      pg?.destroy();
    });

    it(
      'does not crash, says "not saved", and commits everything once it is back',
      { timeout: 120_000 },
      async () => {
        const seeded = preparePlanDocument(new Y.Doc());
        const plan = await findPlanBySlug(running.database.db, seededPlanSlug);
        const log = await loadPlanLog(running.database.db, plan?.id ?? '');
        if (log.snapshot) Y.applyUpdate(seeded, log.snapshot.data);
        const itemIds = readPlan(seeded)
          .items.slice(0, 2)
          .map((item) => item.id);
        const target = `ws://127.0.0.1:${running.port}`;
        for (const [index, email] of [
          'htc.editor@coplan.test',
          'npia.editor@coplan.test',
        ].entries()) {
          editors.push(
            trackedEditor({
              target: () => target,
              slug: seededPlanSlug,
              itemId: itemIds[index] as string,
              headers: { origin: testOrigin, cookie: await sessionCookieFor(running, email) },
            }),
          );
        }
        for (const editor of editors) {
          await expect.poll(() => editor.provider.synced, waitOptions).toBe(true);
          editor.edit();
          await expect.poll(() => editor.saved(), waitOptions).toBe(1);
        }

        pg.stop('immediate');
        const health = () =>
          fetch(`${running.baseUrl}/api/health`).then((response) => response.status);
        await expect.poll(health, waitOptions).toBe(503);

        // Thirty seconds of editing against a database that is not there.
        const outageEnds = Date.now() + 30_000;
        while (Date.now() < outageEnds) {
          for (const editor of editors) editor.edit();
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
        for (const editor of editors) {
          expect(editor.saved()).toBeLessThan(editor.made());
          expect(editor.closes).toContain(closeCodes.notSaved);
        }

        pg.start();
        await expect.poll(health, waitOptions).toBe(200);
        for (const editor of editors) {
          await expect
            .poll(() => editor.saved(), { ...waitOptions, timeout: 30_000 })
            .toBe(editor.made());
        }
        for (const [index, editor] of editors.entries()) {
          const all = Array.from({ length: editor.made() }, (_, n) => n + 1);
          for (const other of editors) {
            await expect
              .poll(
                () =>
                  editsIn(
                    readPlan(other.doc).items.find((item) => item.id === itemIds[index])?.title ??
                      '',
                  ),
                waitOptions,
              )
              .toEqual(all);
          }
        }
        // And the database has them: a fresh load shows every edit once.
        const fresh = preparePlanDocument(new Y.Doc());
        const stored = await loadPlanLog(running.database.db, plan?.id ?? '');
        if (stored.snapshot) Y.applyUpdate(fresh, stored.snapshot.data);
        for (const update of stored.updates) Y.applyUpdate(fresh, update.data);
        for (const [index, editor] of editors.entries()) {
          const title =
            readPlan(fresh).items.find((item) => item.id === itemIds[index])?.title ?? '';
          expect(editsIn(title)).toEqual(Array.from({ length: editor.made() }, (_, n) => n + 1));
        }
      },
    );
  },
);

describe.skipIf(privatePostgresUnavailable() !== null)(
  'PostgreSQL down when the server starts',
  () => {
    let pg: PrivatePostgres;
    let server: CoplanServer | null = null;
    let database: DatabaseWhenReady | null = null;
    const clients: TestSyncClient[] = [];

    beforeAll(async () => {
      pg = await createPrivatePostgres();
    });

    afterAll(async () => {
      for (const client of clients) client.destroy();
      await server?.close();
      await database?.close();
      clearCurrentDatabase();
      pg?.destroy();
    });

    it('answers 503 until it is back, then serves the plan as it was: none created, none overwritten', async () => {
      const log = createRootLogger('silent');
      const dataDir = mkdtempSync(join(tmpdir(), 'coplan-down-'));
      // A plan with history, as an earlier run left it.
      const earlier = await openDatabase({ databaseUrl: pg.url, dataDir });
      await seedDatabase(earlier.db, { demoAccounts: { hashPassword } });
      const plan = await findPlanBySlug(earlier.db, seededPlanSlug);
      const before = preparePlanDocument(new Y.Doc());
      const log0 = await loadPlanLog(earlier.db, plan?.id ?? '');
      if (log0.snapshot) Y.applyUpdate(before, log0.snapshot.data);
      const edited = preparePlanDocument(new Y.Doc());
      Y.applyUpdate(edited, Y.encodeStateAsUpdate(before));
      const itemId = readPlan(edited).items[0]?.id ?? '';
      const sv = Y.encodeStateVector(edited);
      updateItem(edited, itemId, { progress: 64 });
      await appendPlanUpdates(earlier.db, plan?.id ?? '', [
        { data: Y.encodeStateAsUpdate(edited, sv), userId: null },
      ]);
      const editor = await findUserByEmail(earlier.db, 'htc.editor@coplan.test');
      await earlier.close();
      pg.stop('fast');

      const secret = randomBytes(32).toString('base64url');
      if (!editor) throw new Error('no editor');
      const cookie = await sessionCookieWith(secret, editor);
      database = openDatabaseWhenReady({ databaseUrl: pg.url, dataDir, log, retryMs: 200 });
      setCurrentDatabase(database);
      server = createCoplanServer({
        env: testServerEnv(secret),
        database,
        log,
      });
      const { port } = await server.listen();
      const health = () => fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.status);
      expect(await health()).toBe(503);
      const refused = await new Promise<number>((resolve) => {
        const ws = new NodeWebSocket(`ws://127.0.0.1:${port}/yjs/${seededPlanSlug}`, {
          headers: { origin: testOrigin, cookie },
        });
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('error', () => {});
      });
      expect(refused).toBe(503);

      pg.start();
      await expect.poll(health, waitOptions).toBe(200);
      await database.ready;
      const plans = await database.db.select().from(plansTable);
      expect(plans).toHaveLength(1);
      const reopened = await loadPlanLog(database.db, plan?.id ?? '');
      const after = preparePlanDocument(new Y.Doc());
      if (reopened.snapshot) Y.applyUpdate(after, reopened.snapshot.data);
      for (const update of reopened.updates) Y.applyUpdate(after, update.data);
      expect(readPlan(after)).toEqual(readPlan(edited));
      expect(readPlan(after).items.find((item) => item.id === itemId)?.progress).toBe(64);

      // And it serves it.
      const client = connectSyncClient({ port } as RunningTestServer, { cookie });
      clients.push(client);
      await expect.poll(() => client.provider.synced, waitOptions).toBe(true);
      expect(readPlan(client.doc)).toEqual(readPlan(edited));
    });
  },
);
