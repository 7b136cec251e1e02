/**
 * Several instances over Redis: two real Coplan processes on one PostgreSQL database, real
 * y-websocket clients split between them behind a tiny load balancer (each client's WebSocket
 * goes to the first live backend on its list).
 *
 * The instances are child processes (server/testing/instance-fixture.ts), not two servers in this
 * process: the database handle is a process-wide singleton, and "A dies" must be a real kill -9.
 * Instance A reaches Redis through a TCP proxy the test can cut, so a Redis outage hits A alone
 * without touching the machine's Redis.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import * as decoding from 'lib0/decoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

import {
  preparePlanDocument,
  readPlan,
  setItemTitle,
  updateItem,
} from '../../domain/plan-document';
import type { PresenceState } from '../../domain/presence';
import { messageEpoch, messageSaved } from '../../domain/sync-protocol';
import { openDatabase } from '../../db/client';
import type { DatabaseHandle } from '../../db/database';
import { insertPlanVersion } from '../../db/queries/plan-versions';
import { findPlanBySlug } from '../../db/queries/plans';
import { findUserByEmail } from '../../db/queries/users';
import { seedDatabase } from '../../db/seed';
import { hashPassword } from '../auth/passwords';
import { startTcpProxy, type TcpProxy } from '../testing/tcp-proxy';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seededPlanSlug, sessionCookieFor, testOrigin } from '../testing/test-server';
import { spawnInstance, type SpawnedInstance } from '../testing/spawn-instance';

const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const waitOptions = { timeout: 10_000, interval: 20 };
// The promise under test: once every edit is acknowledged, everyone has everything within 1 s.
const convergeOptions = { timeout: 1_000, interval: 10 };

function isReachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const redisHost = redisUrl.hostname;
const redisPort = Number(redisUrl.port || 6379);
const redisUp = await isReachable(redisHost, redisPort);
// Locally, without PostgreSQL or Redis, say why and skip; in CI a missing Redis is a failure.
const skipReason = !process.env.DATABASE_URL
  ? 'needs PostgreSQL (set DATABASE_URL)'
  : !redisUp && !process.env.CI
    ? `needs Redis at ${redisHost}:${redisPort} (redis-server, or set REDIS_URL)`
    : null;

interface Backend {
  name: string;
  port: number;
  alive: boolean;
}

interface BalancedClient {
  name: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The backend the current WebSocket went to. */
  backend: Backend | null;
  /** Messages sent on the current WebSocket, and the position of the last update among them. */
  sent: number;
  lastUpdateAt: number;
  /** The last position the server said is saved, on the current WebSocket. */
  savedAt: number;
  destroy(): void;
}

/** All of this client's edits are committed: the server acknowledged its last update. */
function isSettled(client: BalancedClient): boolean {
  return (
    client.provider.wsconnected && client.provider.synced && client.savedAt >= client.lastUpdateAt
  );
}

function planJson(client: BalancedClient): string {
  return JSON.stringify(readPlan(client.doc));
}

function haveConverged(clients: BalancedClient[]): boolean {
  const [first, ...rest] = clients.map(planJson);
  return rest.every((json) => json === first);
}

function titleOf(client: BalancedClient, itemId: string): string | undefined {
  return readPlan(client.doc).items.find((item) => item.id === itemId)?.title;
}

describe.skipIf(skipReason !== null)(
  `several instances${skipReason ? ` (${skipReason})` : ''}`,
  () => {
    let testDatabase: TestDatabase;
    let database: DatabaseHandle;
    let proxy: TcpProxy;
    let instanceA: SpawnedInstance;
    let instanceB: SpawnedInstance;
    let backendA: Backend;
    let backendB: Backend;
    const secret = randomBytes(32).toString('base64url');
    const clients: BalancedClient[] = [];
    let itemIds: string[] = [];

    async function connectClient(
      name: string,
      email: string,
      preference: Backend[],
    ): Promise<BalancedClient> {
      const cookie = await sessionCookieFor({ database, secret }, email);
      const doc = preparePlanDocument(new Y.Doc());
      const client = {
        name,
        doc,
        backend: null,
        sent: 0,
        lastUpdateAt: 0,
        savedAt: 0,
      } as Omit<BalancedClient, 'provider' | 'destroy'> as BalancedClient;
      // The load balancer: each new WebSocket goes to the first backend still alive.
      class BalancedWebSocket extends NodeWebSocket {
        constructor(address: string | URL, protocols?: string | string[]) {
          const backend = preference.find((candidate) => candidate.alive) ?? preference[0];
          if (!backend) throw new Error('no backend');
          const url = new URL(String(address));
          url.host = `127.0.0.1:${backend.port}`;
          super(url, protocols, { headers: { origin: testOrigin, cookie } });
          client.backend = backend;
          client.sent = 0;
          client.lastUpdateAt = 0;
          client.savedAt = 0;
        }

        override send(data: never, ...rest: never[]): void {
          client.sent += 1;
          const bytes = data as Uint8Array;
          // Sync step 2 and update ([0, 1|2, …]) are what the server commits and acknowledges.
          if (bytes[0] === 0 && (bytes[1] === 1 || bytes[1] === 2))
            client.lastUpdateAt = client.sent;
          super.send(data, ...rest);
        }
      }
      const provider = new WebsocketProvider(`ws://load-balancer/yjs`, seededPlanSlug, doc, {
        WebSocketPolyfill: BalancedWebSocket as unknown as typeof WebSocket,
        disableBc: true,
      });
      provider.messageHandlers[messageSaved] = (_encoder, decoder) => {
        client.savedAt = decoding.readVarUint(decoder);
      };
      client.provider = provider;
      client.destroy = () => {
        provider.destroy();
        doc.destroy();
      };
      clients.push(client);
      await expect.poll(() => provider.synced, waitOptions).toBe(true);
      return client;
    }

    async function expectConvergence(group: BalancedClient[]): Promise<number> {
      await expect.poll(() => group.every(isSettled), waitOptions).toBe(true);
      const started = performance.now();
      await expect.poll(() => haveConverged(group), convergeOptions).toBe(true);
      return performance.now() - started;
    }

    beforeAll(async () => {
      if (!redisUp) throw new Error(`Redis is not reachable at ${redisHost}:${redisPort}`);
      testDatabase = await createTestDatabase();
      database = await openDatabase({
        databaseUrl: testDatabase.databaseUrl,
        dataDir: testDatabase.dataDir,
      });
      await seedDatabase(database.db, { demoAccounts: { hashPassword } });
      proxy = await startTcpProxy({ host: redisHost, port: redisPort });
      const env = {
        DATABASE_URL: testDatabase.databaseUrl as string,
        COPLAN_DATA_DIR: testDatabase.dataDir,
        AUTH_SECRET: secret,
        COPLAN_PUBLIC_URL: testOrigin,
      };
      const direct = new URL(redisUrl);
      const proxied = new URL(redisUrl);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(proxy.port);
      [instanceA, instanceB] = await Promise.all([
        spawnInstance({ ...env, REDIS_URL: proxied.toString() }),
        spawnInstance({ ...env, REDIS_URL: direct.toString() }),
      ]);
      backendA = { name: 'A', port: instanceA.port, alive: true };
      backendB = { name: 'B', port: instanceB.port, alive: true };
      void instanceA.exited.then(() => (backendA.alive = false));
      void instanceB.exited.then(() => (backendB.alive = false));
    });

    afterEach(() => {
      for (const client of clients.splice(0)) client.destroy();
    });

    afterAll(async () => {
      await Promise.all([instanceA?.stop(), instanceB?.stop()]);
      await proxy?.close();
      await database?.close();
      await testDatabase?.drop();
    });

    it('clients split between two instances edit one plan at once and converge within 1 s', async () => {
      const htcOnA = await connectClient('htc on A', 'htc.editor@coplan.test', [
        backendA,
        backendB,
      ]);
      const npiaOnB = await connectClient('npia on B', 'npia.editor@coplan.test', [
        backendB,
        backendA,
      ]);
      const ownerOnA = await connectClient('owner on A', 'owner@coplan.test', [backendA, backendB]);
      const ownerOnB = await connectClient('owner on B', 'owner@coplan.test', [backendB, backendA]);
      const group = [htcOnA, npiaOnB, ownerOnA, ownerOnB];
      expect(group.map((client) => client.backend?.name)).toEqual(['A', 'B', 'A', 'B']);
      itemIds = readPlan(htcOnA.doc).items.map((item) => item.id);
      expect(itemIds.length).toBeGreaterThanOrEqual(4);

      // Every client edits its own item and everyone fights over one item's progress, in bursts.
      for (let round = 0; round < 5; round++) {
        group.forEach((client, index) => {
          setItemTitle(client.doc, itemIds[index] as string, `${client.name}, round ${round}`);
          updateItem(client.doc, itemIds[0] as string, { progress: round * 10 + index });
        });
      }

      const took = await expectConvergence(group);
      group.forEach((client, index) => {
        expect(titleOf(npiaOnB, itemIds[index] as string)).toBe(`${client.name}, round 4`);
      });
      expect(took).toBeLessThan(1_000);
    });

    it('a restore on one instance reaches the clients of the other, with the new epoch after it', async () => {
      const npiaOnB = await connectClient('npia on B (restore)', 'npia.editor@coplan.test', [
        backendB,
        backendA,
      ]);
      const epochs: number[] = [];
      npiaOnB.provider.messageHandlers[messageEpoch] = (_encoder, decoder) => {
        epochs.push(decoding.readVarUint(decoder));
      };
      const plan = await findPlanBySlug(database.db, seededPlanSlug);
      const owner = await findUserByEmail(database.db, 'owner@coplan.test');
      // The version: the plan as B's client holds it, with one title changed.
      const version = new Y.Doc();
      Y.applyUpdate(version, Y.encodeStateAsUpdate(npiaOnB.doc));
      const itemId = readPlan(version).items[0]!.id;
      setItemTitle(version, itemId, 'Restored across instances');
      const saved = await insertPlanVersion(database.db, {
        planId: plan!.id,
        kind: 'named',
        name: 'Across instances',
        seq: 0,
        data: Y.encodeStateAsUpdate(version),
        createdBy: owner!.id,
      });
      const response = await fetch(
        `http://127.0.0.1:${instanceA.port}/api/plans/${seededPlanSlug}/versions/${saved.id}/restore`,
        {
          method: 'POST',
          headers: {
            origin: testOrigin,
            cookie: await sessionCookieFor({ database, secret }, 'owner@coplan.test'),
          },
        },
      );
      expect(response.status).toBe(200);
      const { epoch } = (await response.json()) as { epoch: number };
      await expect
        .poll(() => titleOf(npiaOnB, itemId), waitOptions)
        .toBe('Restored across instances');
      await expect.poll(() => epochs.at(-1), waitOptions).toBe(epoch);
      expect(JSON.stringify(readPlan(npiaOnB.doc))).toBe(JSON.stringify(readPlan(version)));
    });

    it("presence crosses instances, and leaves with the client's connection", async () => {
      const htcOnA = await connectClient('htc presence', 'htc.editor@coplan.test', [
        backendA,
        backendB,
      ]);
      const focus = itemIds[1] as string;
      htcOnA.provider.awareness.setLocalStateField('focus', focus);
      // Connected after the state was set: B asks A for its clients' presence when B loads.
      const npiaOnB = await connectClient('npia presence', 'npia.editor@coplan.test', [
        backendB,
        backendA,
      ]);
      const seenOnB = () =>
        npiaOnB.provider.awareness.getStates().get(htcOnA.doc.clientID) as
          PresenceState | undefined;

      await expect.poll(() => seenOnB()?.focus, waitOptions).toBe(focus);
      // The user fields are the server's word (from the session), on the other instance too.
      expect(seenOnB()?.user.name).toBe('Chen Jing');
      htcOnA.provider.awareness.setLocalStateField('focus', itemIds[2] as string);
      await expect.poll(() => seenOnB()?.focus, waitOptions).toBe(itemIds[2]);

      htcOnA.destroy();
      clients.splice(clients.indexOf(htcOnA), 1);
      await expect.poll(() => seenOnB(), waitOptions).toBeUndefined();
    });

    it('keeps serving local clients while Redis is unreachable, and catches up when it returns', async () => {
      const a1 = await connectClient('a1', 'htc.editor@coplan.test', [backendA, backendB]);
      const a2 = await connectClient('a2', 'owner@coplan.test', [backendA, backendB]);
      const b = await connectClient('b', 'npia.editor@coplan.test', [backendB, backendA]);
      const [x, y] = [itemIds[2] as string, itemIds[3] as string];

      // Round 1: A can neither publish nor hear. Its clients still see each other's edits.
      proxy.cut();
      setItemTitle(a1.doc, x, 'Edited on A during outage 1');
      await expect.poll(() => titleOf(a2, x), waitOptions).toBe('Edited on A during outage 1');
      // B's commit finds the gap A left in the log and reads it (no Redis needed for that)…
      setItemTitle(b.doc, y, 'Edited on B during outage 1');
      await expect.poll(() => isSettled(b), waitOptions).toBe(true);
      await expect.poll(() => titleOf(b, x), waitOptions).toBe('Edited on A during outage 1');
      // …but A committed nothing since, so only the catch-up after the reconnect brings B's edit.
      expect(titleOf(a1, y)).not.toBe('Edited on B during outage 1');
      proxy.restore();
      await expect.poll(() => titleOf(a1, y), waitOptions).toBe('Edited on B during outage 1');
      await expect.poll(() => titleOf(a2, y), waitOptions).toBe('Edited on B during outage 1');

      // Round 2, the other way round: A commits last, so B needs A's re-announcement.
      proxy.cut();
      setItemTitle(b.doc, y, 'Edited on B during outage 2');
      await expect.poll(() => isSettled(b), waitOptions).toBe(true);
      setItemTitle(a1.doc, x, 'Edited on A during outage 2');
      await expect.poll(() => isSettled(a1), waitOptions).toBe(true);
      await expect.poll(() => titleOf(a2, x), waitOptions).toBe('Edited on A during outage 2');
      expect(titleOf(b, x)).not.toBe('Edited on A during outage 2');
      proxy.restore();
      await expect.poll(() => titleOf(b, x), waitOptions).toBe('Edited on A during outage 2');
      await expectConvergence([a1, a2, b]);
    });

    it('when an instance is killed, its clients continue on the other and converge', async () => {
      const onA = await connectClient('on A', 'htc.editor@coplan.test', [backendA, backendB]);
      const alsoOnA = await connectClient('also on A', 'owner@coplan.test', [backendA, backendB]);
      const onB = await connectClient('on B', 'npia.editor@coplan.test', [backendB, backendA]);
      expect(onA.backend?.name).toBe('A');
      setItemTitle(onA.doc, itemIds[0] as string, 'Saved on A before the kill');
      await expect.poll(() => isSettled(onA), waitOptions).toBe(true);

      await instanceA.kill();
      expect(backendA.alive).toBe(false);
      // Edits made while reconnecting are sent to B once the client is there.
      setItemTitle(onA.doc, itemIds[1] as string, 'Edited on A while it was down');
      setItemTitle(onB.doc, itemIds[2] as string, 'Edited on B after the kill');
      await expect.poll(() => onA.backend?.name, waitOptions).toBe('B');
      await expect.poll(() => alsoOnA.backend?.name, waitOptions).toBe('B');
      setItemTitle(alsoOnA.doc, itemIds[3] as string, 'Edited after moving to B');

      await expectConvergence([onA, alsoOnA, onB]);
      expect(titleOf(onB, itemIds[0] as string)).toBe('Saved on A before the kill');
      expect(titleOf(onB, itemIds[1] as string)).toBe('Edited on A while it was down');
      expect(titleOf(onA, itemIds[3] as string)).toBe('Edited after moving to B');
    });
  },
);
