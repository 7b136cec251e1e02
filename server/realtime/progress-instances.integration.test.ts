/**
 * Progress boards across instances: two real Coplan processes on one PostgreSQL database and one
 * Redis. An edit committed on instance A reaches a public board connected to instance B
 * (`progress:changed` through socket.io's Redis adapter), and revoking the link on A disconnects
 * that board on B at once.
 */
import { randomBytes } from 'node:crypto';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readPlan, updateItem } from '../../domain/plan-document';
import type { ProgressChangedFact } from '../../domain/realtime-events';
import { openDatabase } from '../../db/client';
import type { DatabaseHandle } from '../../db/database';
import { findPlanBySlug } from '../../db/queries/plans';
import { seedDatabase } from '../../db/seed';
import { hashPassword } from '../auth/passwords';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  connectSyncClient,
  seededPlanSlug,
  sessionCookieFor,
  testOrigin,
  type RunningTestServer,
  type TestSyncClient,
} from '../testing/test-server';
import { redisUrl, severalInstancesSkipReason } from '../testing/several-instances';
import { spawnInstance, type SpawnedInstance } from '../testing/spawn-instance';

const waitOptions = { timeout: 10_000, interval: 20 };

const skipReason = await severalInstancesSkipReason();

describe.skipIf(skipReason !== null)(
  `progress boards across instances${skipReason ? ` (${skipReason})` : ''}`,
  () => {
    let testDatabase: TestDatabase;
    let database: DatabaseHandle;
    const instances: SpawnedInstance[] = [];
    const sockets: Socket[] = [];
    const clients: TestSyncClient[] = [];
    const secret = randomBytes(32).toString('base64url');

    beforeAll(async () => {
      testDatabase = await createTestDatabase();
      database = await openDatabase({
        databaseUrl: testDatabase.databaseUrl,
        dataDir: testDatabase.dataDir,
      });
      await seedDatabase(database.db, { demoAccounts: { hashPassword } });
      const env = {
        DATABASE_URL: testDatabase.databaseUrl as string,
        COPLAN_DATA_DIR: testDatabase.dataDir,
        AUTH_SECRET: secret,
        COPLAN_PUBLIC_URL: testOrigin,
        REDIS_URL: redisUrl.toString(),
      };
      instances.push(...(await Promise.all([spawnInstance(env), spawnInstance(env)])));
    }, 60_000);

    afterAll(async () => {
      for (const socket of sockets) socket.disconnect();
      for (const client of clients) client.destroy();
      await Promise.all(instances.map((instance) => instance.stop()));
      await database?.close();
      await testDatabase?.drop();
    });

    it('an edit on A reaches a public board on B; revoking on A ends it on B', async () => {
      const [a, b] = instances;
      if (!a || !b) throw new Error('instances missing');
      const ownerCookie = await sessionCookieFor({ database, secret }, 'owner@coplan.test');
      const made = await fetch(
        `http://127.0.0.1:${a.port}/api/plans/htc-npia-2022-2023/share-links`,
        {
          method: 'POST',
          headers: { cookie: ownerCookie, origin: testOrigin },
        },
      );
      expect(made.status).toBe(201);
      const { link } = (await made.json()) as { link: { id: string; token: string } };

      const board = connectSocketIo(`http://127.0.0.1:${b.port}/public`, {
        transports: ['websocket'],
        extraHeaders: { origin: testOrigin },
        query: { share: link.token },
        auth: { token: link.token },
        reconnection: false,
        forceNew: true,
      });
      sockets.push(board);
      const facts: ProgressChangedFact[] = [];
      board.on('progress:changed', (fact: ProgressChangedFact) => facts.push(fact));
      await expect.poll(() => board.connected, waitOptions).toBe(true);

      const editor = connectSyncClient({ port: a.port } as RunningTestServer, {
        cookie: await sessionCookieFor({ database, secret }, 'htc.editor@coplan.test'),
      });
      clients.push(editor);
      await expect.poll(() => editor.provider.synced, waitOptions).toBe(true);
      const item = readPlan(editor.doc).items.find((candidate) => candidate.status !== 'done');
      if (!item) throw new Error('no open item');
      const storedSeq = async () =>
        (await findPlanBySlug(database.db, seededPlanSlug))?.updateSeq ?? -1;
      const seqBefore = await storedSeq();
      updateItem(editor.doc, item.id, { status: 'done' });
      // The log's position once the edit is stored: the boards must hear of it.
      await expect.poll(storedSeq, waitOptions).toBeGreaterThan(seqBefore);
      const editSeq = await storedSeq();
      await expect.poll(() => facts.some((fact) => fact.seq >= editSeq), waitOptions).toBe(true);

      const revoked = await fetch(
        `http://127.0.0.1:${a.port}/api/plans/htc-npia-2022-2023/share-links/${link.id}`,
        { method: 'DELETE', headers: { cookie: ownerCookie, origin: testOrigin } },
      );
      expect(revoked.status).toBe(204);
      await expect.poll(() => board.connected, waitOptions).toBe(false);
      const refused = await fetch(`http://127.0.0.1:${b.port}/api/share/${link.token}/progress`);
      expect(refused.status).toBe(404);
    });
  },
);
