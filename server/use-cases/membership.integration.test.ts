/**
 * Members and invitations through the use cases the members page, the invitation page and the
 * new-plan page call, against a real server and database (PostgreSQL with DATABASE_URL, else
 * PGlite): who may do what, single-use links under concurrent accepts, refusals that change
 * nothing, live effect on open sync and socket.io connections, and a plan that never loses its
 * last owner, even when two owners demote each other at the same moment.
 */
import type { AddressInfo } from 'node:net';
import { count, eq, sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { closeCodes } from '../../domain/sync-protocol';
import { readMeta, readPlan, preparePlanDocument } from '../../domain/plan-document';
import type { Role } from '../../domain/roles';
import { listMemberRoles, upsertMember } from '../../db/queries/members';
import { loadPlanLog } from '../../db/queries/plan-log';
import { findPlanBySlug } from '../../db/queries/plans';
import { findUserByEmail, insertUser } from '../../db/queries/users';
import { invites, planMembers, users } from '../../db/schema';
import type { SessionUser } from '../auth/session-user';
import { hashPassword } from '../auth/passwords';
import { setCurrentMailer } from '../mail/mailer';
import { createSmtpMailer } from '../mail/smtp-mailer';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  connectSocketIoClient,
  connectSyncClient,
  seededPlanSlug,
  sessionCookieFor,
  startTestServer,
  testOrigin,
  type RunningTestServer,
  type TestSyncClient,
} from '../testing/test-server';
import { acceptInvite, acceptInviteWithNewAccount, inspectInvite } from './accept-invite';
import { authenticateWithPassword } from './authenticate-with-password';
import { changeMember } from './change-membership';
import { createInvite } from './create-invite';
import { createPlan } from './create-plan';
import { listMembersPage } from './list-members-page';
import { revokePlanInvite } from './plan-invites';

const waitOptions = { timeout: 10_000, interval: 20 };
const password = 'a long enough password';

let testDatabase: TestDatabase;
let running: RunningTestServer;
const clients: TestSyncClient[] = [];
let counter = 0;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  // A poll far slower than the test (whose waits give up after 10 s): live effects must come
  // from the signal the use cases send, not from the poll.
  running = await startTestServer(testDatabase, { membershipIntervalMs: 60_000 });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await running?.stop();
  await testDatabase?.drop();
});

const db = () => running.database.db;

async function sessionUser(email: string): Promise<SessionUser> {
  const user = await findUserByEmail(db(), email);
  if (!user) throw new Error(`no user ${email}`);
  return { id: user.id, email: user.email, name: user.name, organisation: user.organisationCode };
}

const owner = () => sessionUser('owner@coplan.test');

function uniqueEmail(): string {
  counter += 1;
  return `teacher${counter}.${Date.now()}@npia.test`;
}

async function invite(email: string, role: Role = 'editor', organisation = 'NPIA') {
  return createInvite(
    await owner(),
    { slug: seededPlanSlug, email, role, organisation },
    { locale: 'en' },
  );
}

async function planId(slug = seededPlanSlug): Promise<string> {
  const plan = await findPlanBySlug(db(), slug);
  if (!plan) throw new Error(`no plan ${slug}`);
  return plan.id;
}

async function snapshotOfState() {
  const [memberRows] = await db().select({ n: count() }).from(planMembers);
  const [userRows] = await db().select({ n: count() }).from(users);
  const inviteRows = await db()
    .select({ acceptedAt: invites.acceptedAt, revokedAt: invites.revokedAt })
    .from(invites)
    .orderBy(invites.id);
  return { members: memberRows?.n, users: userRows?.n, invites: inviteRows };
}

async function newAccount(email: string, organisationCode: 'NPIA' | 'HTC' = 'NPIA') {
  return insertUser(db(), {
    email,
    name: `Member ${email.slice(0, 12)}`,
    organisationCode,
    passwordHash: await hashPassword(password),
  });
}

describe('inviting', () => {
  it('only an owner invites; an editor is refused and a non-member learns nothing', async () => {
    const created = await invite(uniqueEmail());
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.path).toBe(`/invite/${created.token}`);
    expect(created.mailed).toBe(false);
    const [stored] = await db()
      .select({ tokenHash: invites.tokenHash })
      .from(invites)
      .where(eq(invites.id, created.id));
    expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.tokenHash).not.toContain(created.token);

    const editor = await sessionUser('htc.editor@coplan.test');
    await expect(
      createInvite(
        editor,
        { slug: seededPlanSlug, email: uniqueEmail(), role: 'viewer', organisation: 'HTC' },
        { locale: 'en' },
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const outsider = await newAccount(uniqueEmail());
    await expect(
      createInvite(
        { id: outsider.id, name: outsider.name },
        { slug: seededPlanSlug, email: uniqueEmail(), role: 'owner', organisation: 'HTC' },
        { locale: 'en' },
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      revokePlanInvite(editor.id, { slug: seededPlanSlug, inviteId: created.id }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(invite('not an address', 'editor')).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('lists pending invitations to owners only, and e-mail addresses to owners only', async () => {
    const email = uniqueEmail();
    await invite(email, 'commenter');
    const ownerView = await listMembersPage(seededPlanSlug, (await owner()).id);
    expect(ownerView.invites.map((row) => row.email)).toContain(email);
    expect(ownerView.members.every((member) => member.email !== null)).toBe(true);
    const viewer = await sessionUser('participant@coplan.test');
    const viewerView = await listMembersPage(seededPlanSlug, viewer.id);
    expect(viewerView.invites).toEqual([]);
    expect(viewerView.members.length).toBe(ownerView.members.length);
    expect(viewerView.members.every((member) => member.email === null)).toBe(true);
    expect(JSON.stringify(viewerView)).not.toContain('@coplan.test');
  });
});

describe('accepting', () => {
  it('a newcomer creates an account with the invitation address and organisation, as editor', async () => {
    const email = uniqueEmail();
    const { token } = await invite(email, 'editor', 'NPIA');
    expect(await inspectInvite(token, null)).toMatchObject({
      state: 'open',
      email,
      role: 'editor',
      organisation: 'NPIA',
      accountExists: false,
      viewer: 'signed_out',
    });
    const result = await acceptInviteWithNewAccount(token, {
      name: '  Sok Chenda ',
      password,
      locale: 'km',
    });
    expect(result).toEqual({
      ok: true,
      planSlug: seededPlanSlug,
      role: 'editor',
      alreadyMember: false,
    });
    const user = await findUserByEmail(db(), email);
    expect(user).toMatchObject({ name: 'Sok Chenda', organisationCode: 'NPIA', locale: 'km' });
    expect((await listMemberRoles(db(), await planId())).get(user?.id ?? '')).toBe('editor');
    // The account signs in with the password chosen.
    expect(await authenticateWithPassword({ email, password })).toMatchObject({ email });
    // The link is spent.
    expect(await inspectInvite(token, null)).toMatchObject({ state: 'used' });
    expect(
      await inspectInvite(token, {
        id: user?.id ?? '',
        email,
        name: 'Sok Chenda',
        organisation: 'NPIA',
      }),
    ).toMatchObject({ state: 'accepted', planSlug: seededPlanSlug });
  });

  it('an existing account is added with exactly the invitation role; a member keeps theirs', async () => {
    const email = uniqueEmail();
    const account = await newAccount(email, 'HTC');
    const viewer: SessionUser = {
      id: account.id,
      email,
      name: account.name,
      organisation: 'HTC',
    };
    const { token } = await invite(email, 'commenter', 'NPIA');
    expect(await inspectInvite(token, null)).toMatchObject({ accountExists: true });
    expect(await inspectInvite(token, viewer)).toMatchObject({ viewer: 'invitee' });
    // Sign-up is not offered to an address that has an account.
    expect(await acceptInviteWithNewAccount(token, { name: 'X', password, locale: null })).toEqual({
      ok: false,
      problem: 'account_exists',
    });
    expect(await acceptInvite(viewer, token)).toEqual({
      ok: true,
      planSlug: seededPlanSlug,
      role: 'commenter',
      alreadyMember: false,
    });
    // A second invitation with a higher role does not raise an existing member.
    const { token: second } = await invite(email, 'owner', 'HTC');
    expect(await inspectInvite(second, viewer)).toMatchObject({ memberRole: 'commenter' });
    expect(await acceptInvite(viewer, second)).toEqual({
      ok: true,
      planSlug: seededPlanSlug,
      role: 'commenter',
      alreadyMember: true,
    });
    expect((await listMemberRoles(db(), await planId())).get(account.id)).toBe('commenter');
    // Organisation of an existing account stays its own.
    expect((await findUserByEmail(db(), email))?.organisationCode).toBe('HTC');
  });

  it('is single use: of two accepts at once exactly one wins', async () => {
    const email = uniqueEmail();
    const account = await newAccount(email);
    const viewer: SessionUser = { id: account.id, email, name: account.name, organisation: 'NPIA' };
    const { token } = await invite(email, 'viewer');
    const results = await Promise.all([acceptInvite(viewer, token), acceptInvite(viewer, token)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.find((result) => !result.ok)).toEqual({ ok: false, problem: 'used' });

    // Two tabs creating the account from one link at once: one account, one member.
    const newcomer = uniqueEmail();
    const { token: fresh } = await invite(newcomer, 'editor');
    const created = await Promise.all([
      acceptInviteWithNewAccount(fresh, { name: 'Tab one', password, locale: null }),
      acceptInviteWithNewAccount(fresh, { name: 'Tab two', password, locale: null }),
    ]);
    expect(created.filter((result) => result.ok)).toHaveLength(1);
    expect(created.find((result) => !result.ok)).toMatchObject({ ok: false, problem: 'used' });
    const rows = await db().select().from(users).where(eq(users.email, newcomer));
    expect(rows).toHaveLength(1);
  });

  it('refuses expired, revoked, reused and tampered links, changing nothing', async () => {
    const email = uniqueEmail();
    const account = await newAccount(email);
    const viewer: SessionUser = { id: account.id, email, name: account.name, organisation: 'NPIA' };

    const expired = await invite(email, 'editor');
    await db()
      .update(invites)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(invites.id, expired.id));
    const revoked = await invite(email, 'editor');
    expect(
      await revokePlanInvite((await owner()).id, { slug: seededPlanSlug, inviteId: revoked.id }),
    ).toBe(true);
    const used = await invite(uniqueEmail(), 'viewer');
    await acceptInviteWithNewAccount(used.token, { name: 'First', password, locale: null });
    const valid = await invite(email, 'editor');
    const tampered = `${valid.token.slice(0, -1)}${valid.token.endsWith('A') ? 'B' : 'A'}`;

    const before = await snapshotOfState();
    expect(await inspectInvite(expired.token, viewer)).toMatchObject({ state: 'expired' });
    expect(await inspectInvite(revoked.token, viewer)).toMatchObject({ state: 'revoked' });
    expect(await inspectInvite(used.token, viewer)).toMatchObject({ state: 'used' });
    expect(await inspectInvite(tampered, viewer)).toEqual({ state: 'invalid', planTitle: null });
    expect(await inspectInvite('../../etc/passwd', viewer)).toMatchObject({ state: 'invalid' });
    expect(await acceptInvite(viewer, expired.token)).toEqual({ ok: false, problem: 'expired' });
    expect(await acceptInvite(viewer, revoked.token)).toEqual({ ok: false, problem: 'revoked' });
    expect(await acceptInvite(viewer, tampered)).toEqual({ ok: false, problem: 'invalid' });
    expect(
      await acceptInviteWithNewAccount(used.token, { name: 'Again', password, locale: null }),
    ).toEqual({ ok: false, problem: 'used' });
    expect(
      await acceptInviteWithNewAccount(expired.token, { name: 'Late', password, locale: null }),
    ).toEqual({ ok: false, problem: 'expired' });
    expect(await snapshotOfState()).toEqual(before);
    expect((await listMemberRoles(db(), await planId())).has(account.id)).toBe(false);
    // A revoked invitation is no longer listed, and revoking twice is a no-op.
    expect(
      await revokePlanInvite((await owner()).id, { slug: seededPlanSlug, inviteId: revoked.id }),
    ).toBe(false);
  });

  it('someone signed in with another address cannot take the invitation', async () => {
    const { token } = await invite(uniqueEmail(), 'owner');
    const other = await sessionUser('htc.editor@coplan.test');
    expect(await inspectInvite(token, other)).toMatchObject({ viewer: 'someone_else' });
    const before = await snapshotOfState();
    expect(await acceptInvite(other, token)).toEqual({ ok: false, problem: 'wrong_user' });
    expect(await snapshotOfState()).toEqual(before);
    expect((await listMemberRoles(db(), await planId())).get(other.id)).toBe('editor');
  });

  it('a too short password or an empty name is refused before anything is stored', async () => {
    const { token } = await invite(uniqueEmail());
    const before = await snapshotOfState();
    expect(
      await acceptInviteWithNewAccount(token, { name: 'Short', password: 'short', locale: null }),
    ).toEqual({ ok: false, problem: 'bad_input', field: 'password' });
    expect(
      await acceptInviteWithNewAccount(token, { name: '   ', password, locale: null }),
    ).toEqual({ ok: false, problem: 'bad_input', field: 'name' });
    expect(await snapshotOfState()).toEqual(before);
  });
});

describe('changing roles and removing members', () => {
  it('a demotion closes the open sync connection and tells the socket at once', async () => {
    const email = uniqueEmail();
    const account = await newAccount(email);
    const id = await planId();
    await upsertMember(db(), { planId: id, userId: account.id, role: 'editor' });
    const cookie = await sessionCookieFor(running, email);
    const client = connectSyncClient(running, { cookie });
    clients.push(client);
    await expect.poll(() => client.provider.synced, waitOptions).toBe(true);
    const socket = connectSocketIoClient(running, { cookie });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    expect(await socket.emitWithAck('plan:join', { plan: seededPlanSlug })).toMatchObject({
      ok: true,
    });
    const told: Array<{ plan: string; role: string | null }> = [];
    socket.on('plan:access-changed', (change) => told.push(change));
    try {
      expect(
        await changeMember((await owner()).id, {
          slug: seededPlanSlug,
          userId: account.id,
          role: 'viewer',
        }),
      ).toEqual({ ok: true, previousRole: 'editor' });
      await expect.poll(() => client.closes.at(-1)?.code, waitOptions).toBe(closeCodes.roleChanged);
      await expect
        .poll(() => told, waitOptions)
        .toEqual([{ plan: seededPlanSlug, role: 'viewer' }]);

      const again = connectSyncClient(running, { cookie });
      clients.push(again);
      await expect.poll(() => again.provider.synced, waitOptions).toBe(true);
      expect(
        await changeMember((await owner()).id, {
          slug: seededPlanSlug,
          userId: account.id,
          role: null,
        }),
      ).toEqual({ ok: true, previousRole: 'viewer' });
      await expect.poll(() => again.closes.at(-1)?.code, waitOptions).toBe(closeCodes.forbidden);
      await expect
        .poll(() => told.at(-1), waitOptions)
        .toEqual({ plan: seededPlanSlug, role: null });
      expect((await listMemberRoles(db(), id)).has(account.id)).toBe(false);
    } finally {
      socket.close();
    }
  });

  it('only owners change roles; editors and removed members are refused', async () => {
    const editor = await sessionUser('htc.editor@coplan.test');
    const viewer = await sessionUser('participant@coplan.test');
    await expect(
      changeMember(editor.id, { slug: seededPlanSlug, userId: viewer.id, role: 'owner' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      changeMember(editor.id, { slug: seededPlanSlug, userId: editor.id, role: 'owner' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      changeMember((await owner()).id, { slug: seededPlanSlug, userId: 'x', role: 'owner' }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    expect((await listMemberRoles(db(), await planId())).get(viewer.id)).toBe('viewer');
  });

  it('the last owner can be neither removed nor demoted', async () => {
    const me = await owner();
    expect(
      await changeMember(me.id, { slug: seededPlanSlug, userId: me.id, role: 'editor' }),
    ).toEqual({ ok: false, problem: 'last_owner' });
    expect(await changeMember(me.id, { slug: seededPlanSlug, userId: me.id, role: null })).toEqual({
      ok: false,
      problem: 'last_owner',
    });
    expect((await listMemberRoles(db(), await planId())).get(me.id)).toBe('owner');
  });

  it('two owners demoting each other at the same moment leave one owner', async () => {
    for (let round = 0; round < 5; round += 1) {
      const creator = await newAccount(uniqueEmail(), 'HTC');
      const slug = `duel-${Date.now().toString(36)}-${round}`;
      expect(
        await createPlan(creator.id, {
          title: 'Duel',
          slug,
          periodStart: '2024-01-01',
          periodEnd: '2024-12-31',
          partners: [],
          source: { kind: 'blank', workstreams: [] },
        }),
      ).toEqual({ ok: true, slug });
      const second = await newAccount(uniqueEmail(), 'NPIA');
      const id = await planId(slug);
      await upsertMember(db(), { planId: id, userId: second.id, role: 'owner' });
      const results = await Promise.all([
        changeMember(creator.id, { slug, userId: second.id, role: 'editor' }).catch(
          (error: { code?: string }) => error.code,
        ),
        changeMember(second.id, { slug, userId: creator.id, role: null }).catch(
          (error: { code?: string }) => error.code,
        ),
      ]);
      const roles = await listMemberRoles(db(), id);
      expect([...roles.values()].filter((role) => role === 'owner')).toHaveLength(1);
      // One won; the other found itself no longer an owner (or, removed, no longer a member).
      expect(results.filter((result) => typeof result === 'object' && result.ok)).toHaveLength(1);
      expect(
        results.filter((result) => result === 'forbidden' || result === 'not_found'),
      ).toHaveLength(1);
    }
  });
});

describe('new plans', () => {
  it('from scratch: the creator is the only owner and the document is its first snapshot', async () => {
    const creator = await newAccount(uniqueEmail(), 'HTC');
    const slug = `fresh-${Date.now().toString(36)}`;
    expect(
      await createPlan(creator.id, {
        title: 'HTC–NPIA Cooperation Plan 2026',
        slug,
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        partners: ['NPIA', 'HTC', 'HTC'],
        source: { kind: 'blank', workstreams: ['Digital skills', 'Teacher exchange'] },
      }),
    ).toEqual({ ok: true, slug });
    const id = await planId(slug);
    expect([...(await listMemberRoles(db(), id))]).toEqual([[creator.id, 'owner']]);
    const log = await loadPlanLog(db(), id);
    expect(log.snapshot?.seq).toBe(0);
    const doc = preparePlanDocument(new Y.Doc());
    Y.applyUpdate(doc, log.snapshot?.data ?? new Uint8Array());
    expect(readMeta(doc)).toEqual({
      title: 'HTC–NPIA Cooperation Plan 2026',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      partners: ['HTC', 'NPIA'],
    });
    expect(readPlan(doc).workstreams.map((workstream) => workstream.name)).toEqual([
      'Digital skills',
      'Teacher exchange',
    ]);
    // The new plan opens live like any other.
    const client = connectSyncClient(running, {
      cookie: await sessionCookieFor(running, creator.email),
      slug,
    });
    clients.push(client);
    await expect.poll(() => client.provider.synced, waitOptions).toBe(true);
    expect(readMeta(client.doc)?.title).toBe('HTC–NPIA Cooperation Plan 2026');

    const again = await createPlan(creator.id, {
      title: 'Same address',
      slug,
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      partners: [],
      source: { kind: 'blank', workstreams: [] },
    });
    expect(again).toEqual({ ok: false, problem: 'slug_taken' });
    const bad = await createPlan(creator.id, {
      title: 'Backwards',
      slug: 'Not A Slug!',
      periodStart: '2026-01-01',
      periodEnd: '2025-12-31',
      partners: [],
      source: { kind: 'blank', workstreams: [] },
    });
    expect(bad).toMatchObject({ ok: false, problem: 'invalid' });
    // "new" is the new-plan page's own address.
    expect(
      await createPlan(creator.id, {
        title: 'New',
        slug: 'new',
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        partners: [],
        source: { kind: 'blank', workstreams: [] },
      }),
    ).toEqual({ ok: false, problem: 'invalid', field: 'slug' });
  });

  it('a copy of the 2022–2023 plan for 2024–2025: structure without progress, dates moved', async () => {
    const me = await owner();
    const slug = `follow-on-${Date.now().toString(36)}`;
    expect(
      await createPlan(me.id, {
        title: 'HTC–NPIA Cooperation Plan 2024–2025',
        slug,
        periodStart: '2024-01-01',
        periodEnd: '2025-12-31',
        partners: ['HTC', 'NPIA', 'ILO'],
        source: { kind: 'copy', slug: seededPlanSlug },
      }),
    ).toEqual({ ok: true, slug });
    const load = async (planSlug: string) => {
      const log = await loadPlanLog(db(), await planId(planSlug));
      const doc = preparePlanDocument(new Y.Doc());
      if (log.snapshot) Y.applyUpdate(doc, log.snapshot.data);
      for (const update of log.updates) Y.applyUpdate(doc, update.data);
      return readPlan(doc);
    };
    const [original, copy] = await Promise.all([load(seededPlanSlug), load(slug)]);
    expect(copy.workstreams.map((workstream) => workstream.name)).toEqual(
      original.workstreams.map((workstream) => workstream.name),
    );
    expect(copy.items.map((item) => item.title)).toEqual(original.items.map((item) => item.title));
    for (const item of copy.items) {
      expect(item).toMatchObject({ status: 'planned', progress: 0, owners: [] });
      expect(item.start >= '2024-01-01' && item.end <= '2025-12-31').toBe(true);
      expect(item.checklist.every((entry) => !entry.done)).toBe(true);
      expect(item.indicators.every((indicator) => indicator.actual === null)).toBe(true);
    }
    const first = original.items[0];
    expect(copy.items[0]?.start).toBe(
      first ? `${Number(first.start.slice(0, 4)) + 2}${first.start.slice(4)}` : '',
    );
    // Only the creator is a member of the copy.
    expect([...(await listMemberRoles(db(), await planId(slug)))]).toEqual([[me.id, 'owner']]);
  });

  it('copying a plan one is not a member of is refused as if it did not exist', async () => {
    const outsider = await newAccount(uniqueEmail());
    await expect(
      createPlan(outsider.id, {
        title: 'Stolen structure',
        slug: `stolen-${Date.now().toString(36)}`,
        periodStart: '2024-01-01',
        periodEnd: '2024-12-31',
        partners: [],
        source: { kind: 'copy', slug: seededPlanSlug },
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('the invitation e-mail', () => {
  it('goes out in the invitee’s language when known, with the link, and escaped HTML', async () => {
    const received: string[] = [];
    const sink = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const mailer = createSmtpMailer({
      smtpUrl: `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`,
      from: 'Coplan <coplan@coplan.test>',
      publicUrl: new URL(testOrigin),
    });
    setCurrentMailer(mailer);
    try {
      const email = uniqueEmail();
      const account = await newAccount(email);
      await db().update(users).set({ locale: 'zh-CN' }).where(eq(users.id, account.id));
      const created = await invite(email, 'editor');
      expect(created.mailed).toBe(true);
      await expect.poll(() => received.length, waitOptions).toBe(1);
      const mail = received[0] ?? '';
      expect(mail).toContain(`To: ${email}`);
      expect(mail).toMatch(/Content-Type: text\/html/);
      const decoded = decodeMail(mail);
      expect(decoded).toContain(`${testOrigin}/invite/${created.token}`);
      expect(decoded).toContain('邀请');
      // The inviter's name is someone's input: it arrives in the HTML as text, never as markup.
      const me = await owner();
      const other = await createInvite(
        { id: me.id, name: 'Zhang <script>alert(1)</script> Wei' },
        { slug: seededPlanSlug, email: uniqueEmail(), role: 'viewer', organisation: 'HTC' },
        { locale: 'en' },
      );
      expect(other.mailed).toBe(true);
      await expect.poll(() => received.length, waitOptions).toBe(2);
      const english = decodeMail(received[1] ?? '');
      expect(english).toContain('invited you');
      const html = english.slice(english.indexOf('<!doctype html>'));
      expect(html).toContain('Zhang &lt;script&gt;alert(1)&lt;/script&gt; Wei');
      expect(html).not.toContain('<script>');
    } finally {
      setCurrentMailer(null);
      mailer.close();
      await new Promise<void>((resolve) => sink.close(() => resolve()));
    }
  });
});

/** The text of a MIME message, with base64 and quoted-printable parts decoded. */
function decodeMail(raw: string): string {
  const parts = raw.split(/\r?\n--/);
  return parts
    .map((part) => {
      const [head = '', ...body] = part.split(/\r?\n\r?\n/);
      const content = body.join('\n\n');
      if (/Content-Transfer-Encoding: base64/i.test(head)) {
        return Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8');
      }
      if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) {
        const bytes = content
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
        return Buffer.from(bytes, 'latin1').toString('utf8');
      }
      return content;
    })
    .join('\n');
}
