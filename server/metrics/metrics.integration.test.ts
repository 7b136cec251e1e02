/**
 * GET /metrics on a real server: absent without METRICS_TOKEN, a 401 without the right bearer
 * token, and counters that move when people edit, comment and send what the server refuses.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readPlan, setItemTitle } from '../../domain/plan-document';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  connectSocketIoClient,
  connectSyncClient,
  openRawSyncSocket,
  seededPlanSlug,
  sessionCookieFor,
  startTestServer,
  type RunningTestServer,
  type TestSocket,
} from '../testing/test-server';

const token = 'metrics-token-for-the-test-0123456789';
const waitOptions = { timeout: 15_000, interval: 50 };

let testDatabase: TestDatabase;
let running: RunningTestServer | undefined;

async function scrape(auth: string | null = `Bearer ${token}`) {
  const response = await fetch(`${running?.baseUrl}/metrics`, {
    headers: auth ? { authorization: auth } : {},
  });
  return { status: response.status, text: await response.text() };
}

/** The value of one sample, e.g. sample(text, 'coplan_commit_seconds_count'); 0 if absent. */
function sample(text: string, name: string, labels = ''): number {
  const line = text
    .split('\n')
    .find((entry) => entry.startsWith(labels ? `${name}{${labels}} ` : `${name} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

beforeAll(async () => {
  testDatabase = await createTestDatabase();
}, 60_000);

afterAll(async () => {
  await running?.stop();
  await testDatabase?.drop();
});

describe('/metrics', () => {
  it('does not exist without METRICS_TOKEN', async () => {
    running = await startTestServer(testDatabase);
    try {
      expect((await scrape()).status).toBe(404);
    } finally {
      await running.stop();
      running = undefined;
    }
  }, 60_000);

  it('refuses a missing or wrong token', async () => {
    running = await startTestServer(testDatabase, { metricsToken: token });
    for (const auth of [null, 'Bearer wrong', `Basic ${token}`, `Bearer ${token}x`]) {
      const { status, text } = await scrape(auth);
      expect({ auth, status }).toEqual({ auth, status: 401 });
      expect(text).not.toContain('coplan_');
    }
  }, 60_000);

  it('counts connections, commits, update sizes, socket.io events and refusals', async () => {
    if (!running) throw new Error('no server');
    const server = running;
    const before = (await scrape()).text;
    expect(sample(before, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(before).toContain('nodejs_eventloop_lag_p99_seconds');

    const cookie = await sessionCookieFor(server, 'htc.editor@coplan.test');
    const editor = connectSyncClient(server, { cookie });
    await expect.poll(() => editor.provider.synced, waitOptions).toBe(true);
    const itemId = readPlan(editor.doc).items[0]?.id ?? '';
    for (let n = 0; n < 3; n += 1) {
      setItemTitle(editor.doc, itemId, `Measured edit ${n}`);
      await expect.poll(() => editor.saved.length, waitOptions).toBeGreaterThan(n);
    }

    const socket: TestSocket = connectSocketIoClient(server, {
      cookie: await sessionCookieFor(server, 'ilo@coplan.test'),
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    expect(await socket.emitWithAck('plan:join', { plan: seededPlanSlug })).toMatchObject({
      ok: true,
    });
    const ack = await socket.emitWithAck('comment:create', {
      plan: seededPlanSlug,
      itemId,
      body: 'Counted?',
      clientMessageId: randomUUID(),
    });
    expect(ack).toMatchObject({ ok: true });
    socket.emit('made:up' as 'plan:join', { plan: seededPlanSlug }, () => {});

    const raw = await openRawSyncSocket(server, 'npia.editor@coplan.test');
    const closed = new Promise<number>((resolve) => raw.once('close', resolve));
    raw.send('text is not the protocol');
    expect(await closed).toBe(4400);

    await expect
      .poll(async () => {
        const after = (await scrape()).text;
        return {
          syncConnections: sample(after, 'coplan_sync_connections'),
          socketIoConnections: sample(after, 'coplan_socketio_connections'),
          loadedPlans: sample(after, 'coplan_loaded_plans'),
          commits:
            sample(after, 'coplan_commit_seconds_count') -
            sample(before, 'coplan_commit_seconds_count'),
          updates:
            sample(after, 'coplan_update_bytes_count') -
            sample(before, 'coplan_update_bytes_count'),
          comments:
            sample(after, 'coplan_socketio_events_total', 'event="comment:create"') -
            sample(before, 'coplan_socketio_events_total', 'event="comment:create"'),
          unknown:
            sample(after, 'coplan_socketio_events_total', 'event="unknown"') -
            sample(before, 'coplan_socketio_events_total', 'event="unknown"'),
          malformed:
            sample(after, 'coplan_sync_closed_total', 'code="4400",reason="malformedMessage"') -
            sample(before, 'coplan_sync_closed_total', 'code="4400",reason="malformedMessage"'),
        };
      }, waitOptions)
      .toEqual({
        syncConnections: 1,
        socketIoConnections: 1,
        loadedPlans: 1,
        commits: expect.any(Number),
        updates: 3,
        comments: 1,
        unknown: 1,
        malformed: 1,
      });
    const after = (await scrape()).text;
    expect(sample(after, 'coplan_commit_seconds_count')).toBeGreaterThanOrEqual(
      sample(before, 'coplan_commit_seconds_count') + 1,
    );
    expect(after).not.toMatch(/made:up|htc\.editor|Counted/);

    socket.disconnect();
    editor.destroy();
    await expect
      .poll(async () => {
        const text = (await scrape()).text;
        return [
          sample(text, 'coplan_sync_connections'),
          sample(text, 'coplan_socketio_connections'),
        ];
      }, waitOptions)
      .toEqual([0, 0]);
  }, 60_000);
});
