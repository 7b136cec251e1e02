/**
 * Comments across instances: two real Coplan processes on one PostgreSQL database and one Redis.
 * A comment sent to instance A reaches a member connected to instance B through socket.io's
 * Redis adapter, and a retry sent to B finds the comment A stored.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { io as connectSocketIo } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CommentFact } from '../../domain/realtime-events';
import { openDatabase } from '../../db/client';
import type { DatabaseHandle } from '../../db/database';
import { seedDatabase } from '../../db/seed';
import { hashPassword } from '../auth/passwords';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  seededPlanSlug,
  sessionCookieFor,
  testOrigin,
  type TestSocket,
} from '../testing/test-server';
import { redisUrl, severalInstancesSkipReason } from '../testing/several-instances';
import { spawnInstance, type SpawnedInstance } from '../testing/spawn-instance';

const waitOptions = { timeout: 10_000, interval: 20 };

const skipReason = await severalInstancesSkipReason();

describe.skipIf(skipReason !== null)(
  `comments across instances${skipReason ? ` (${skipReason})` : ''}`,
  () => {
    let testDatabase: TestDatabase;
    let database: DatabaseHandle;
    const instances: SpawnedInstance[] = [];
    const sockets: TestSocket[] = [];
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
      await Promise.all(instances.map((instance) => instance.stop()));
      await database?.close();
      await testDatabase?.drop();
    });

    async function joined(instance: SpawnedInstance, email: string): Promise<TestSocket> {
      const cookie = await sessionCookieFor({ database, secret }, email);
      const socket: TestSocket = connectSocketIo(`http://127.0.0.1:${instance.port}`, {
        transports: ['websocket'],
        extraHeaders: { origin: testOrigin, cookie },
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      expect(await socket.emitWithAck('plan:join', { plan: seededPlanSlug })).toMatchObject({
        ok: true,
      });
      return socket;
    }

    it('a comment made on A is seen live on B; a retry on B returns it', async () => {
      const [a, b] = instances;
      if (!a || !b) throw new Error('instances missing');
      const ilo = await joined(a, 'ilo@coplan.test');
      const htc = await joined(b, 'htc.editor@coplan.test');
      const seen: CommentFact[] = [];
      htc.on('comment:created', (fact) => seen.push(fact));

      const input = {
        plan: seededPlanSlug,
        itemId: 'across',
        body: 'Seen on the other instance?',
        clientMessageId: randomUUID(),
      };
      const ack = await ilo.emitWithAck('comment:create', input);
      if (!('ok' in ack)) throw new Error(ack.message);
      await expect.poll(() => seen[0]?.comment, waitOptions).toEqual(ack.comment);

      const iloOnB = await joined(b, 'ilo@coplan.test');
      expect(await iloOnB.emitWithAck('comment:create', input)).toEqual(ack);
    });
  },
);
