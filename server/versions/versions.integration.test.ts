import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import {
  createItem,
  deleteItem,
  getItemDescription,
  readPlan,
  setItemTitle,
  updateItem,
} from '../../domain/plan-document';
import { closeCodes } from '../../domain/sync-protocol';
import type { RestoreResult } from '../../domain/versions';
import { insertPlan } from '../../db/queries/plans';
import { findPlanBySlug } from '../../db/queries/plans';
import { findUserByEmail } from '../../db/queries/users';
import { insertPlanVersion } from '../../db/queries/plan-versions';
import { planActivity, planVersions, plans } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  connectSyncClient,
  seededPlanSlug,
  sessionCookieFor,
  startTestServer,
  testOrigin,
  type RunningTestServer,
  type TestSyncClient,
} from '../testing/test-server';
import { getVersion } from './get-version';
import { listVersions } from './list-versions';
import { loadPlanDocument, versionDocument } from './load-plan-document';
import { saveNamedVersion } from './save-named-version';

const waitOptions = { timeout: 10_000, interval: 20 };
const dayMs = 24 * 60 * 60 * 1000;

let testDatabase: TestDatabase;
let running: RunningTestServer;
let clock = new Date('2026-03-02T10:00:00Z');
const clients: TestSyncClient[] = [];

async function userId(email: string): Promise<string> {
  const user = await findUserByEmail(running.database.db, email);
  if (!user) throw new Error(`no user ${email}`);
  return user.id;
}

async function planId(): Promise<string> {
  const plan = await findPlanBySlug(running.database.db, seededPlanSlug);
  if (!plan) throw new Error('no seeded plan');
  return plan.id;
}

async function syncedClient(
  email: string,
  params?: Record<string, string>,
): Promise<TestSyncClient> {
  const client = connectSyncClient(running, {
    cookie: await sessionCookieFor(running, email),
    params,
  });
  clients.push(client);
  await expect.poll(() => client.provider.synced, waitOptions).toBe(true);
  return client;
}

async function restore(
  email: string | null,
  versionId: string,
  options: { slug?: string; origin?: string } = {},
) {
  const headers: Record<string, string> = { origin: options.origin ?? testOrigin };
  if (email) headers.cookie = await sessionCookieFor(running, email);
  const response = await fetch(
    `${running.baseUrl}/api/plans/${options.slug ?? seededPlanSlug}/versions/${versionId}/restore`,
    { method: 'POST', headers },
  );
  return { status: response.status, body: (await response.json()) as unknown };
}

async function dailyCount(): Promise<number> {
  const rows = await running.database.db
    .select({ id: planVersions.id })
    .from(planVersions)
    .where(and(eq(planVersions.planId, await planId()), eq(planVersions.kind, 'daily')));
  return rows.length;
}

/** The plan as a page would show it, descriptions included. */
function contentOf(doc: Y.Doc) {
  const plan = readPlan(doc);
  return {
    ...plan,
    descriptions: plan.items.map((item) => getItemDescription(doc, item.id)?.toString() ?? ''),
  };
}

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  running = await startTestServer(testDatabase, { versionClock: () => clock });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await running?.stop();
  await testDatabase?.drop();
});

describe('daily versions', () => {
  it('saves one version on the first commit of each UTC day the plan is edited', async () => {
    const editor = await syncedClient('htc.editor@coplan.test');
    const itemId = readPlan(editor.doc).items[0]!.id;
    expect(await dailyCount()).toBe(0);
    updateItem(editor.doc, itemId, { progress: 11 });
    await expect.poll(dailyCount, waitOptions).toBe(1);
    updateItem(editor.doc, itemId, { progress: 12 });
    const storedProgress = async () =>
      readPlan((await loadPlanDocument(running.database.db, await planId())).doc).items.find(
        (item) => item.id === itemId,
      )?.progress;
    await expect.poll(storedProgress, waitOptions).toBe(12);
    await running.server.dailyVersions.settled();
    expect(await dailyCount()).toBe(1);

    clock = new Date(clock.getTime() + dayMs);
    updateItem(editor.doc, itemId, { progress: 13 });
    await expect.poll(dailyCount, waitOptions).toBe(2);
    const listed = (await listVersions(seededPlanSlug, await userId('participant@coplan.test')))
      .versions;
    const [latest] = listed;
    expect(latest).toMatchObject({ kind: 'daily', name: null, createdBy: null });
    // It holds the plan as the day's first commit left it.
    const saved = await getVersion(
      seededPlanSlug,
      await userId('participant@coplan.test'),
      latest!.id,
    );
    expect(saved.content.items.find((item) => item.id === itemId)?.progress).toBe(13);
  });
});

describe('named versions', () => {
  it('editors and owners name one; viewers and commenters may not; the name is checked', async () => {
    const editor = await userId('npia.editor@coplan.test');
    const saved = await saveNamedVersion(seededPlanSlug, editor, {
      name: '  Before the June workshop 六月研讨会之前  ',
    });
    expect(saved).toMatchObject({
      kind: 'named',
      name: 'Before the June workshop 六月研讨会之前',
      createdBy: { id: editor, name: 'Sok Dara' },
    });
    for (const email of ['participant@coplan.test', 'ilo@coplan.test']) {
      await expect(
        saveNamedVersion(seededPlanSlug, await userId(email), { name: 'Mine' }),
      ).rejects.toMatchObject({ code: 'forbidden' });
    }
    for (const name of ['', '   ', 'x'.repeat(121)]) {
      await expect(saveNamedVersion(seededPlanSlug, editor, { name })).rejects.toMatchObject({
        code: 'bad_request',
      });
    }
    await expect(saveNamedVersion(seededPlanSlug, editor, 'name')).rejects.toMatchObject({
      code: 'bad_request',
    });
  });
});

describe('restoring a version', () => {
  it('every open client converges to it; an offline copy from before is refused and merges nothing', async () => {
    const ownerId = await userId('owner@coplan.test');
    const owner = await syncedClient('owner@coplan.test', { epoch: '0' });
    const editor = await syncedClient('htc.editor@coplan.test', { epoch: '0' });
    const offline = await syncedClient('npia.editor@coplan.test', { epoch: '0' });
    await expect.poll(() => owner.epochs.at(-1), waitOptions).toBe(0);

    const version = await saveNamedVersion(seededPlanSlug, ownerId, { name: 'Yesterday' });
    const wanted = contentOf(
      versionDocument(
        (
          await running.database.db
            .select({ data: planVersions.data })
            .from(planVersions)
            .where(eq(planVersions.id, version.id))
        )[0]!.data,
      ),
    );

    // The offline device edits while the restore happens.
    offline.provider.disconnect();
    const [first, second] = readPlan(editor.doc).items;
    createItem(offline.doc, {
      title: 'Made offline, before the restore',
      workstreamId: first!.workstreamId,
      leadOrg: 'NPIA',
      start: '2022-05-01',
      end: '2022-05-02',
    });

    // Meanwhile the plan moves on.
    setItemTitle(editor.doc, first!.id, 'Renamed after the version');
    deleteItem(editor.doc, second!.id);
    const added = createItem(editor.doc, {
      title: 'Added after the version',
      workstreamId: first!.workstreamId,
      leadOrg: 'HTC',
      start: '2022-05-01',
      end: '2022-05-02',
    });
    await expect
      .poll(() => readPlan(owner.doc).items.some((item) => item.id === added), waitOptions)
      .toBe(true);
    const beforeRestore = contentOf(owner.doc);

    // Nobody but an owner; nobody from another site; nothing that is not this plan's version.
    for (const email of ['htc.editor@coplan.test', 'ilo@coplan.test', 'participant@coplan.test']) {
      expect((await restore(email, version.id)).status).toBe(403);
    }
    expect((await restore(null, version.id)).status).toBe(401);
    expect(
      (await restore('owner@coplan.test', version.id, { origin: 'https://evil.test' })).status,
    ).toBe(403);
    const other = await insertPlan(running.database.db, {
      slug: 'other-plan-2024',
      title: 'Other',
    });
    const foreign = await insertPlanVersion(running.database.db, {
      planId: other.id,
      kind: 'named',
      name: 'Not yours',
      seq: 0,
      data: Y.encodeStateAsUpdate(new Y.Doc()),
      createdBy: ownerId,
    });
    expect((await restore('owner@coplan.test', foreign.id)).status).toBe(404);
    expect((await restore('owner@coplan.test', crypto.randomUUID())).status).toBe(404);
    expect((await restore('owner@coplan.test', 'not-a-version')).status).toBe(404);
    await expect(getVersion(seededPlanSlug, ownerId, foreign.id)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(contentOf(owner.doc)).toEqual(beforeRestore);

    const response = await restore('owner@coplan.test', version.id);
    expect(response.status).toBe(200);
    const result = response.body as RestoreResult;
    expect(result.epoch).toBe(1);
    expect(result.beforeRestore).toMatchObject({
      kind: 'before-restore',
      createdBy: { id: ownerId },
    });

    // Both open clients converge to the version, and learn the new epoch after the update.
    for (const client of [owner, editor]) {
      await expect.poll(() => contentOf(client.doc), waitOptions).toEqual(wanted);
      await expect.poll(() => client.epochs.at(-1), waitOptions).toBe(1);
    }
    // So does the record.
    const stored = await loadPlanDocument(running.database.db, await planId());
    expect(contentOf(stored.doc)).toEqual(wanted);
    expect(stored.seq).toBe(result.seq);
    const [row] = await running.database.db
      .select({ epoch: plans.epoch })
      .from(plans)
      .where(eq(plans.id, await planId()));
    expect(row?.epoch).toBe(1);

    // The plan as it was is kept as the before-restore version.
    const before = await getVersion(seededPlanSlug, ownerId, result.beforeRestore.id);
    expect(before.content.items.some((item) => item.id === added)).toBe(true);
    expect(before.changes.removed.map((item) => item.id)).toContain(added);

    // One "restored" entry, attributed to the owner, about no item.
    const entries = await running.database.db
      .select()
      .from(planActivity)
      .where(and(eq(planActivity.planId, await planId()), eq(planActivity.kind, 'restored')));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      itemId: '',
      itemTitle: '',
      actorId: ownerId,
      detail: { kind: 'restored', versionId: version.id, versionName: 'Yesterday' },
    });

    // The device that was offline comes back with its old epoch: refused before anything of it
    // is read; its offline item reaches nobody.
    offline.provider.connect();
    await expect.poll(() => offline.closes.at(-1)?.code, waitOptions).toBe(closeCodes.planRestored);
    expect(offline.provider.shouldConnect).toBe(false);
    const later = await syncedClient('htc.editor@coplan.test', { epoch: '1' });
    await expect.poll(() => later.epochs.at(-1), waitOptions).toBe(1);
    const titles = (doc: Y.Doc) => readPlan(doc).items.map((item) => item.title);
    expect(titles(later.doc)).not.toContain('Made offline, before the restore');
    expect(titles(owner.doc)).not.toContain('Made offline, before the restore');
    expect(contentOf(later.doc)).toEqual(wanted);
    expect(contentOf((await loadPlanDocument(running.database.db, await planId())).doc)).toEqual(
      wanted,
    );

    // After discarding its copy, a device connects with the new epoch and edits as usual.
    updateItem(later.doc, first!.id, { progress: 55 });
    await expect
      .poll(
        () => readPlan(owner.doc).items.find((item) => item.id === first!.id)?.progress,
        waitOptions,
      )
      .toBe(55);
  });
});

describe('restoring a plan nobody has open', () => {
  it('loads the room for the restore, writes it to the log, and unloads it again', async () => {
    for (const client of clients.splice(0)) client.destroy();
    await expect.poll(() => running.server.registry.loadedCount, waitOptions).toBe(0);
    const ownerId = await userId('owner@coplan.test');
    const [beforeRestore] = (await listVersions(seededPlanSlug, ownerId)).versions.filter(
      (version) => version.kind === 'before-restore',
    );
    const response = await restore('owner@coplan.test', beforeRestore!.id);
    expect(response.status).toBe(200);
    expect((response.body as RestoreResult).epoch).toBe(2);
    const wanted = (await getVersion(seededPlanSlug, ownerId, beforeRestore!.id)).content;
    expect(readPlan((await loadPlanDocument(running.database.db, await planId())).doc)).toEqual(
      wanted,
    );
    // Nothing changed since: the version it restored shows no difference from the plan now.
    expect((await getVersion(seededPlanSlug, ownerId, beforeRestore!.id)).changes).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
    await expect.poll(() => running.server.registry.loadedCount, waitOptions).toBe(0);
    // A client connecting with the epoch before is refused; with the new one it is served.
    const stale = connectSyncClient(running, {
      cookie: await sessionCookieFor(running, 'htc.editor@coplan.test'),
      params: { epoch: '1' },
    });
    clients.push(stale);
    await expect.poll(() => stale.closes.at(-1)?.code, waitOptions).toBe(closeCodes.planRestored);
    const current = await syncedClient('htc.editor@coplan.test', { epoch: '2' });
    await expect.poll(() => current.epochs.at(-1), waitOptions).toBe(2);
  });
});

describe('restoring a large version', () => {
  it('restores more entries at once than one client update may touch', async () => {
    const ownerId = await userId('owner@coplan.test');
    const { doc } = await loadPlanDocument(running.database.db, await planId());
    const workstreamId = readPlan(doc).workstreams[0]!.id;
    for (let index = 0; index < 1_100; index++) {
      createItem(doc, {
        title: `Activity ${index}`,
        workstreamId,
        leadOrg: 'HTC',
        start: '2022-03-01',
        end: '2022-03-02',
      });
    }
    const large = await insertPlanVersion(running.database.db, {
      planId: await planId(),
      kind: 'named',
      name: 'Large',
      seq: 0,
      data: Y.encodeStateAsUpdate(doc),
      createdBy: ownerId,
    });
    const watcher = await syncedClient('participant@coplan.test', { epoch: '2' });
    const response = await restore('owner@coplan.test', large.id);
    expect(response.status).toBe(200);
    await expect
      .poll(() => readPlan(watcher.doc).items.length, waitOptions)
      .toBe(readPlan(doc).items.length);
  });
});
