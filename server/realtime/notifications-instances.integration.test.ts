/**
 * Notifications across instances: two real Coplan processes on one PostgreSQL database and one
 * Redis. A follower connected to instance B is notified of a comment made on instance A (the
 * user's room is reached through socket.io's Redis adapter), and a retry on B notifies nobody
 * again.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { io as connectSocketIo } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Notification } from '../../domain/notifications';
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
  `notifications across instances${skipReason ? ` (${skipReason})` : ''}`,
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

    async function connected(instance: SpawnedInstance, email: string): Promise<TestSocket> {
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
      return socket;
    }

    it('a follower on B is notified of a comment made on A, once', async () => {
      const [a, b] = instances;
      if (!a || !b) throw new Error('instances missing');
      const participant = await connected(b, 'participant@coplan.test');
      const seen: Notification[] = [];
      participant.on('notification:created', (notification) => seen.push(notification));
      expect(
        await participant.emitWithAck('follow:set', {
          plan: seededPlanSlug,
          itemId: 'across',
          following: true,
        }),
      ).toEqual({ ok: true, following: true });

      const ilo = await connected(a, 'ilo@coplan.test');
      const input = {
        plan: seededPlanSlug,
        itemId: 'across',
        body: 'Heard on the other instance?',
        clientMessageId: randomUUID(),
      };
      const ack = await ilo.emitWithAck('comment:create', input);
      if (!('ok' in ack)) throw new Error(ack.message);
      await expect.poll(() => seen, waitOptions).toHaveLength(1);
      expect(seen[0]).toMatchObject({
        kind: 'comment',
        commentId: ack.comment.id,
        actor: { name: 'Li Ming' },
      });

      const iloOnB = await connected(b, 'ilo@coplan.test');
      expect(await iloOnB.emitWithAck('comment:create', input)).toEqual(ack);
      // After a round trip on the follower's socket nothing more has come.
      await participant.emitWithAck('follow:list', { plan: seededPlanSlug });
      const listed = await participant.emitWithAck('notification:list', {});
      if (!('ok' in listed)) throw new Error(listed.message);
      expect(listed.notifications.filter((n) => n.itemId === 'across')).toHaveLength(1);
      expect(seen).toHaveLength(1);
    });
  },
);
