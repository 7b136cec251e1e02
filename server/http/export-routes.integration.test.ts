/**
 * The CSV downloads and the calendar feeds against a real server and database: who may fetch
 * them, what the bytes are (BOM, CRLF, content types, the new item right after it is saved),
 * and that a wrong, revoked or orphaned secret answers 404 and a flood answers 429.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createItem, readPlan } from '../../domain/plan-document';
import { findPlanBySlug } from '../../db/queries/plans';
import { findUserByEmail, insertUser } from '../../db/queries/users';
import { calendarFeeds, planMembers } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  connectSyncClient,
  seededPlanSlug,
  sessionCookieFor,
  startTestServer,
  type RunningTestServer,
  type TestSyncClient,
} from '../testing/test-server';
import {
  createCalendarFeed,
  listCalendarFeeds,
  revokeCalendarFeed,
} from '../use-cases/calendar-feeds';
import { hashCalendarFeedToken } from '../use-cases/calendar-feed-token';

const waitOptions = { timeout: 10_000, interval: 20 };

let testDatabase: TestDatabase;
let running: RunningTestServer;
let planId: string;
const clients: TestSyncClient[] = [];

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
  for (const client of clients) client.destroy();
  await running?.stop();
  await testDatabase?.drop();
});

async function userId(email: string): Promise<string> {
  const user = await findUserByEmail(running.database.db, email);
  if (!user) throw new Error(`no user ${email}`);
  return user.id;
}

async function fetchAs(path: string, email?: string, headers: Record<string, string> = {}) {
  if (email) headers.cookie = await sessionCookieFor(running, email);
  return fetch(`${running.baseUrl}${path}`, { headers });
}

describe('CSV downloads', () => {
  it.each(['items', 'indicators'])(
    '%s.csv: 401 without a session, 404 for outsiders and unknown plans',
    async (kind) => {
      const path = `/api/plans/${seededPlanSlug}/export/${kind}.csv`;
      expect((await fetchAs(path)).status).toBe(401);
      const outsider = await fetchAs(path, 'outsider@coplan.test');
      expect(outsider.status).toBe(404);
      expect(await outsider.json()).toEqual({ error: 'not_found', message: 'no such plan' });
      expect(
        (await fetchAs(`/api/plans/no-such-plan/export/${kind}.csv`, 'ilo@coplan.test')).status,
      ).toBe(404);
      expect(
        (await fetchAs(`/api/plans/%E0%A4/export/${kind}.csv`, 'ilo@coplan.test')).status,
      ).toBe(404);
    },
  );

  it('sends an item saved a moment ago, as UTF-8 with BOM and CRLF, in the asked language', async () => {
    const client = connectSyncClient(running, {
      cookie: await sessionCookieFor(running, 'htc.editor@coplan.test'),
    });
    clients.push(client);
    await expect.poll(() => client.provider.synced, waitOptions).toBe(true);
    const workstream = readPlan(client.doc).workstreams[0]!;
    const before = client.saved.length;
    createItem(client.doc, {
      title: '=机器人培训 ការបណ្ដុះបណ្ដាល',
      workstreamId: workstream.id,
      leadOrg: 'HTC',
      start: '2022-03-01',
      end: '2022-03-31',
      status: 'in_progress',
      progress: 35,
    });
    await expect.poll(() => client.saved.length, waitOptions).toBeGreaterThan(before);

    // A viewer may download; the projection is brought up to the log first.
    const response = await fetchAs(
      `/api/plans/${seededPlanSlug}/export/items.csv?lang=zh-CN`,
      'participant@coplan.test',
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="${seededPlanSlug}-items-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith('编号 [id],活动 [title]')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    // Neutralised against formula injection, and in the chosen language.
    expect(text).toContain(",'=机器人培训 ការបណ្ដុះបណ្ដាល,");
    expect(text).toContain(',进行中,HTC,2022-03-01,2022-03-31,35,');

    const indicators = await fetchAs(
      `/api/plans/${seededPlanSlug}/export/indicators.csv`,
      'ilo@coplan.test',
      { 'accept-language': 'km-KH,km;q=0.9' },
    );
    expect(indicators.status).toBe(200);
    // (text() drops the BOM, as browsers do.)
    expect(await indicators.text()).toMatch(/^លេខសម្គាល់សកម្មភាព \[item_id\].*សូចនាករ \[indicator\]/);
  });

  it('answers 405 to other methods', async () => {
    const response = await fetch(
      `${running.baseUrl}/api/plans/${seededPlanSlug}/export/items.csv`,
      {
        method: 'POST',
      },
    );
    expect(response.status).toBe(405);
  });
});

describe('calendar feeds', () => {
  it('serves the plan as all-day events to anyone with the secret, and only them', async () => {
    const viewer = await userId('participant@coplan.test');
    const { token } = await createCalendarFeed({
      slug: seededPlanSlug,
      userId: viewer,
      organisationCode: null,
    });
    // Only the hash is stored.
    const [row] = await running.database.db
      .select()
      .from(calendarFeeds)
      .where(eq(calendarFeeds.tokenHash, hashCalendarFeedToken(token)));
    expect(row?.tokenHash).not.toContain(token);

    const response = await fetch(`${running.baseUrl}/calendar/${token}.ics?lang=en`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await response.text();
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const events = text.split('BEGIN:VEVENT').length - 1;
    const plan = connectSyncClient(running, {
      cookie: await sessionCookieFor(running, 'participant@coplan.test'),
    });
    clients.push(plan);
    await expect.poll(() => plan.provider.synced, waitOptions).toBe(true);
    expect(events).toBe(readPlan(plan.doc).items.length);
    expect(text).toMatch(/DTSTART;VALUE=DATE:\d{8}\r\n/);
    for (const line of text.split('\r\n')) {
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    }
  });

  it('an organisation feed holds only the activities that organisation leads', async () => {
    const { token } = await createCalendarFeed({
      slug: seededPlanSlug,
      userId: await userId('npia.editor@coplan.test'),
      organisationCode: 'NPIA',
    });
    const text = await (await fetch(`${running.baseUrl}/calendar/${token}.ics`)).text();
    const unfolded = text.replace(/\r\n[ \t]/g, '');
    const leads = [...unfolded.matchAll(/Lead organisation: (\w+)/g)].map((match) => match[1]);
    expect(leads.length).toBeGreaterThan(0);
    expect(new Set(leads)).toEqual(new Set(['NPIA']));
  });

  it('answers 404 with a short text to a wrong, malformed or revoked secret', async () => {
    const owner = await userId('ilo@coplan.test');
    const { token, feed } = await createCalendarFeed({
      slug: seededPlanSlug,
      userId: owner,
      organisationCode: null,
    });
    const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const path of [`/calendar/${wrong}.ics`, '/calendar/short.ics', '/calendar/%E0%A4.ics']) {
      const response = await fetch(`${running.baseUrl}${path}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await response.text()).toMatch(/^No such calendar/);
    }
    // Someone else cannot revoke it; its owner can, and it stops at once.
    await expect(
      revokeCalendarFeed({
        slug: seededPlanSlug,
        userId: await userId('owner@coplan.test'),
        feedId: feed.id,
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect((await fetch(`${running.baseUrl}/calendar/${token}.ics`)).status).toBe(200);
    await revokeCalendarFeed({ slug: seededPlanSlug, userId: owner, feedId: feed.id });
    expect((await fetch(`${running.baseUrl}/calendar/${token}.ics`)).status).toBe(404);
    expect(
      (await listCalendarFeeds(seededPlanSlug, owner)).map((listed) => listed.id),
    ).not.toContain(feed.id);
  });

  it("stops a removed member's feed, and outsiders cannot create one", async () => {
    const member = await userId('outsider@coplan.test');
    await expect(
      createCalendarFeed({ slug: seededPlanSlug, userId: member, organisationCode: null }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await running.database.db
      .insert(planMembers)
      .values({ planId, userId: member, role: 'viewer' });
    const { token } = await createCalendarFeed({
      slug: seededPlanSlug,
      userId: member,
      organisationCode: null,
    });
    expect((await fetch(`${running.baseUrl}/calendar/${token}.ics`)).status).toBe(200);
    await running.database.db
      .delete(planMembers)
      .where(and(eq(planMembers.planId, planId), eq(planMembers.userId, member)));
    expect((await fetch(`${running.baseUrl}/calendar/${token}.ics`)).status).toBe(404);
  });

  // Last: it empties this address's bucket.
  it('answers 429 with Retry-After to an address that asks too often', async () => {
    let limited: Response | null = null;
    for (let attempt = 0; attempt < 40 && !limited; attempt++) {
      const response = await fetch(`${running.baseUrl}/calendar/${'x'.repeat(43)}.ics`);
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(404);
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
