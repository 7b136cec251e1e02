/**
 * The database contract, run against both drivers: migrations, bytea, the plan log and its
 * ordering, the seed. Whatever passes here on PGlite must pass on PostgreSQL, and the reverse.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { isDomainError } from '../domain/domain-error';
import { findPlanProblem, readPlan } from '../domain/plan-document';
import type { Database } from './client';
import { isUniqueViolation } from './is-unique-violation';
import { findMemberRole, listMembers, listPlansForUser, upsertMember } from './queries/members';
import { upsertOrganisations } from './queries/organisations';
import {
  appendPlanUpdateGroups,
  appendPlanUpdates,
  loadPlanLog,
  prunePlanUpdates,
  writePlanSnapshot,
} from './queries/plan-log';
import { findPlanBySlug, insertPlan, listPlansWithCounts } from './queries/plans';
import { findUserByEmail, insertUser } from './queries/users';
import { plans, users } from './schema';
import { seedDatabase } from './seed';
import { testDatabaseKinds, type TestDatabase } from './test-databases';

const slow = 60_000;

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** An update whose content says which append and which position it came from. */
function tagged(append: number, index: number): Uint8Array {
  return new TextEncoder().encode(`${append}:${index}`);
}

function untag(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}

/** `db.execute` returns an array on postgres.js and `{ rows }` on PGlite. */
function rowsOf<Row>(result: unknown): Row[] {
  return Array.isArray(result) ? (result as Row[]) : (result as { rows: Row[] }).rows;
}

let planCounter = 0;
async function newPlan(db: Database) {
  planCounter += 1;
  return insertPlan(db, { slug: `plan-${planCounter}`, title: `Plan ${planCounter}` });
}

for (const kind of testDatabaseKinds) {
  describe.skipIf(kind.unavailable !== null)(`database contract on ${kind.name}`, () => {
    let database: TestDatabase;
    let db: Database;

    beforeAll(async () => {
      database = await kind.create({ concurrentOpens: kind.name === 'postgres' ? 3 : 1 });
      db = database.handle.db;
      await upsertOrganisations(db);
    }, slow);

    afterAll(async () => {
      await database?.dispose();
    }, slow);

    describe('migrations', () => {
      it('create the tables', async () => {
        const result = await db.execute(
          sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
        );
        const names = rowsOf<{ table_name: string }>(result).map((row) => row.table_name);
        expect(names).toEqual([
          'calendar_feeds',
          'comments',
          'follows',
          'invites',
          'notifications',
          'organisations',
          'plan_activity',
          'plan_clients',
          'plan_items',
          'plan_members',
          'plan_snapshots',
          'plan_updates',
          'plan_versions',
          'plans',
          'share_links',
          'sign_in_failures',
          'users',
        ]);
      });

      it('answer ping', async () => {
        await expect(database.handle.ping()).resolves.toBeUndefined();
      });

      it('check roles and lower-case emails in the database itself', async () => {
        const plan = await newPlan(db);
        const user = await insertUser(db, {
          email: 'check@coplan.test',
          name: 'Check',
          organisationCode: 'HTC',
          passwordHash: 'x',
        });
        await expect(
          db.execute(
            sql`insert into plan_members (plan_id, user_id, role) values (${plan.id}, ${user.id}, 'admin')`,
          ),
        ).rejects.toThrow();
        await expect(
          db.execute(
            sql`insert into users (email, name, organisation_code, password_hash) values ('Upper@coplan.test', 'U', 'HTC', 'x')`,
          ),
        ).rejects.toThrow();
      });
    });

    describe('bytea', () => {
      it('round-trips bytes exactly, as plain Uint8Arrays', async () => {
        const plan = await newPlan(db);
        const everyByte = Uint8Array.from({ length: 256 }, (_, index) => index);
        const large = new Uint8Array(1 << 20);
        for (let index = 0; index < large.length; index++) large[index] = (index * 7919) % 251;
        // A view into a larger buffer: the driver must send the view, not its whole buffer.
        const view = new Uint8Array([9, 9, 1, 2, 3, 9, 9]).subarray(2, 5);
        const sent = [everyByte, bytes(0), bytes(0x5c, 0x78, 0x30), large, view, new Uint8Array(0)];
        await appendPlanUpdates(
          db,
          plan.id,
          sent.map((data) => ({ data, userId: null })),
        );
        await writePlanSnapshot(db, plan.id, 0, everyByte);

        const log = await loadPlanLog(db, plan.id);
        // Buffer.equals, not toEqual: a deep comparison of a megabyte takes seconds.
        expect(log.updates).toHaveLength(sent.length);
        for (const [index, update] of log.updates.entries()) {
          const expected = sent[index] ?? new Uint8Array();
          expect(update.data.length).toBe(expected.length);
          expect(Buffer.from(update.data).equals(expected)).toBe(true);
        }
        expect(log.snapshot?.data).toEqual(everyByte);
        for (const update of log.updates) expect(update.data.constructor).toBe(Uint8Array);
        expect(log.snapshot?.data.constructor).toBe(Uint8Array);
      });
    });

    describe('appendPlanUpdates', () => {
      it('numbers updates 1, 2, 3… per plan, in the order given', async () => {
        const first = await newPlan(db);
        const second = await newPlan(db);
        expect(
          await appendPlanUpdates(db, first.id, [
            { data: bytes(1), userId: null },
            { data: bytes(2), userId: null },
          ]),
        ).toBe(2);
        expect(await appendPlanUpdates(db, second.id, [{ data: bytes(9), userId: null }])).toBe(1);
        expect(await appendPlanUpdates(db, first.id, [{ data: bytes(3), userId: null }])).toBe(3);

        const log = await loadPlanLog(db, first.id);
        expect(log.snapshot).toBeNull();
        expect(log.updates).toEqual([
          { seq: 1, data: bytes(1) },
          { seq: 2, data: bytes(2) },
          { seq: 3, data: bytes(3) },
        ]);
        expect((await findPlanBySlug(db, first.slug))?.updateSeq).toBe(3);
      });

      it('gives concurrent appends consecutive, disjoint ranges', async () => {
        const plan = await newPlan(db);
        const appends = 20;
        const sizes = Array.from({ length: appends }, (_, append) => (append % 3) + 1);
        const lasts = await Promise.all(
          sizes.map((size, append) =>
            appendPlanUpdates(
              db,
              plan.id,
              Array.from({ length: size }, (_, index) => ({
                data: tagged(append, index),
                userId: null,
              })),
            ),
          ),
        );
        const total = sizes.reduce((sum, size) => sum + size, 0);

        const { updates } = await loadPlanLog(db, plan.id);
        expect(updates.map((update) => update.seq)).toEqual(
          Array.from({ length: total }, (_, index) => index + 1),
        );
        // Each append owns the range that ends at the seq it returned, in its own order.
        for (const [append, last] of lasts.entries()) {
          const size = sizes[append] ?? 0;
          const range = updates.filter((update) => update.seq > last - size && update.seq <= last);
          expect(range.map((update) => untag(update.data))).toEqual(
            Array.from({ length: size }, (_, index) => `${append}:${index}`),
          );
        }
        expect(new Set(lasts).size).toBe(appends);
      });

      it('records the author', async () => {
        const plan = await newPlan(db);
        const author = await insertUser(db, {
          email: `author-${plan.slug}@coplan.test`,
          name: 'Author',
          organisationCode: 'NPIA',
          passwordHash: 'x',
        });
        await appendPlanUpdates(db, plan.id, [{ data: bytes(1), userId: author.id }]);
        const result = await db.execute(
          sql`select user_id from plan_updates where plan_id = ${plan.id}`,
        );
        expect(rowsOf<{ user_id: string | null }>(result).map((row) => row.user_id)).toEqual([
          author.id,
        ]);
      });

      it('stores a group of thousands in order, with each author or null', async () => {
        const plan = await newPlan(db);
        const author = await insertUser(db, {
          email: `group-${plan.slug}@coplan.test`,
          name: 'Author',
          organisationCode: 'HTC',
          passwordHash: 'x',
        });
        await appendPlanUpdates(db, plan.id, [{ data: bytes(0), userId: null }]);
        const size = 2500;
        const group = Array.from({ length: size }, (_, index) => ({
          data: tagged(1, index),
          userId: index % 3 === 0 ? author.id : null,
        }));
        expect(await appendPlanUpdates(db, plan.id, group)).toBe(size + 1);

        const { updates } = await loadPlanLog(db, plan.id);
        expect(updates.map((update) => update.seq)).toEqual(
          Array.from({ length: size + 1 }, (_, index) => index + 1),
        );
        expect(updates.slice(1).map((update) => untag(update.data))).toEqual(
          group.map((_, index) => `1:${index}`),
        );
        const result = await db.execute(
          sql`select seq, user_id from plan_updates where plan_id = ${plan.id} and seq > 1 order by seq`,
        );
        expect(rowsOf<{ user_id: string | null }>(result).map((row) => row.user_id)).toEqual(
          group.map((update) => update.userId),
        );
      });

      it('returns the current seq for no updates, and refuses a missing plan', async () => {
        const plan = await newPlan(db);
        await appendPlanUpdates(db, plan.id, [{ data: bytes(1), userId: null }]);
        expect(await appendPlanUpdates(db, plan.id, [])).toBe(1);

        const missing = '00000000-0000-4000-8000-000000000000';
        const failure = await appendPlanUpdates(db, missing, [{ data: bytes(1), userId: null }])
          .then(() => null)
          .catch((error: unknown) => error);
        expect(isDomainError(failure) && failure.code).toBe('not_found');
        await expect(appendPlanUpdates(db, missing, [])).rejects.toThrow(/does not exist/);
      });
    });

    describe('appendPlanUpdateGroups', () => {
      it("numbers each plan's group in its own log, and skips a missing plan", async () => {
        const first = await newPlan(db);
        const second = await newPlan(db);
        await appendPlanUpdates(db, second.id, [{ data: bytes(0), userId: null }]);
        const missing = '00000000-0000-4000-8000-000000000001';
        const lasts = await appendPlanUpdateGroups(db, [
          { planId: second.id, updates: [{ data: tagged(2, 0), userId: null }] },
          { planId: missing, updates: [{ data: tagged(9, 0), userId: null }] },
          {
            planId: first.id,
            updates: [0, 1, 2].map((index) => ({ data: tagged(1, index), userId: null })),
          },
        ]);
        expect(Object.fromEntries(lasts)).toEqual({ [first.id]: 3, [second.id]: 2 });
        const firstLog = await loadPlanLog(db, first.id);
        expect(firstLog.updates.map((u) => [u.seq, untag(u.data)])).toEqual([
          [1, '1:0'],
          [2, '1:1'],
          [3, '1:2'],
        ]);
        const secondLog = await loadPlanLog(db, second.id);
        expect(secondLog.updates.map((u) => u.seq)).toEqual([1, 2]);
        expect(untag(secondLog.updates[1]?.data ?? bytes())).toBe('2:0');
        expect((await findPlanBySlug(db, first.slug))?.updateSeq).toBe(3);
      });

      it('commits concurrent appends over overlapping plans named in any order', async () => {
        const planList = await Promise.all([newPlan(db), newPlan(db), newPlan(db)]);
        const appends = 30;
        // Each append names the plans in a different order: without locking in id order, two of
        // them on two connections could deadlock.
        await Promise.all(
          Array.from({ length: appends }, (_, append) => {
            const order = append % 2 === 0 ? planList : [...planList].reverse();
            return appendPlanUpdateGroups(
              db,
              order.map((plan) => ({
                planId: plan.id,
                updates: [{ data: tagged(append, 0), userId: null }],
              })),
            );
          }),
        );
        for (const plan of planList) {
          const { updates } = await loadPlanLog(db, plan.id);
          expect(updates.map((update) => update.seq)).toEqual(
            Array.from({ length: appends }, (_, index) => index + 1),
          );
          expect(new Set(updates.map((update) => untag(update.data))).size).toBe(appends);
        }
      });

      it('refuses two groups for one plan', async () => {
        const plan = await newPlan(db);
        const group = { planId: plan.id, updates: [{ data: bytes(1), userId: null }] };
        await expect(appendPlanUpdateGroups(db, [group, group])).rejects.toThrow(RangeError);
      });
    });

    describe('loadPlanLog', () => {
      it('returns the latest snapshot and the updates after it', async () => {
        const plan = await newPlan(db);
        await appendPlanUpdates(
          db,
          plan.id,
          [1, 2, 3, 4, 5].map((value) => ({ data: bytes(value), userId: null })),
        );
        await writePlanSnapshot(db, plan.id, 2, bytes(20));
        await writePlanSnapshot(db, plan.id, 3, bytes(30));
        // The same seq again holds the same state: ignored, not an error.
        await writePlanSnapshot(db, plan.id, 3, bytes(30));

        const log = await loadPlanLog(db, plan.id);
        expect(log.snapshot).toEqual({ seq: 3, data: bytes(30) });
        expect(log.updates.map((update) => update.seq)).toEqual([4, 5]);

        expect(await prunePlanUpdates(db, plan.id, 3)).toBe(3);
        expect(await loadPlanLog(db, plan.id)).toEqual(log);
      });

      it('rebuilds a Yjs document from snapshot and tail', async () => {
        const plan = await newPlan(db);
        const source = new Y.Doc();
        const updates: Uint8Array[] = [];
        source.on('update', (update: Uint8Array) => updates.push(update));
        const text = source.getText('t');
        text.insert(0, 'Hainan');
        text.insert(6, ' – Angkor');
        text.delete(0, 6);
        text.insert(0, 'Haikou');

        const [a, b, c, d] = updates;
        if (!a || !b || !c || !d) throw new Error('expected four updates');
        await appendPlanUpdates(db, plan.id, [
          { data: a, userId: null },
          { data: b, userId: null },
        ]);
        const folded = new Y.Doc();
        Y.applyUpdate(folded, a);
        Y.applyUpdate(folded, b);
        await writePlanSnapshot(db, plan.id, 2, Y.encodeStateAsUpdate(folded));
        await appendPlanUpdates(db, plan.id, [
          { data: c, userId: null },
          { data: d, userId: null },
        ]);

        const log = await loadPlanLog(db, plan.id);
        const loaded = new Y.Doc();
        if (log.snapshot) Y.applyUpdate(loaded, log.snapshot.data);
        for (const update of log.updates) Y.applyUpdate(loaded, update.data);
        expect(loaded.getText('t').toString()).toBe('Haikou – Angkor');
      });
    });

    describe('users, plans and members', () => {
      it('stores emails lower-cased and reports a duplicate as a unique violation', async () => {
        const user = await insertUser(db, {
          email: '  Sok.Dara@Example.ORG ',
          name: 'Sok Dara',
          organisationCode: 'NPIA',
          passwordHash: 'hash-that-must-not-leak',
        });
        expect(user.email).toBe('sok.dara@example.org');
        expect((await findUserByEmail(db, 'SOK.DARA@example.org'))?.id).toBe(user.id);

        const duplicate = await insertUser(db, {
          email: 'sok.dara@example.org',
          name: 'Another',
          organisationCode: 'NPIA',
          passwordHash: 'hash-that-must-not-leak',
        }).catch((error: unknown) => error);
        expect(isUniqueViolation(duplicate)).toBe(true);
        expect(isUniqueViolation(duplicate, 'users_email_unique')).toBe(true);
        expect(isUniqueViolation(duplicate, 'plans_slug_unique')).toBe(false);
        expect(String((duplicate as Error).message)).not.toContain('hash-that-must-not-leak');
      });

      it('adds members, changes roles and lists them', async () => {
        const plan = await newPlan(db);
        const user = await insertUser(db, {
          email: `member-${plan.slug}@coplan.test`,
          name: 'Member',
          organisationCode: 'ILO',
          passwordHash: 'x',
        });
        expect(await findMemberRole(db, plan.id, user.id)).toBeNull();
        expect(
          await upsertMember(db, { planId: plan.id, userId: user.id, role: 'viewer' }),
        ).toEqual({ previousRole: null });
        expect(
          await upsertMember(db, { planId: plan.id, userId: user.id, role: 'commenter' }),
        ).toEqual({ previousRole: 'viewer' });
        expect(await findMemberRole(db, plan.id, user.id)).toBe('commenter');
        expect(await listPlansForUser(db, user.id)).toEqual([
          { slug: plan.slug, title: plan.title, role: 'commenter' },
        ]);
        expect(await listMembers(db, plan.id)).toEqual([
          expect.objectContaining({ userId: user.id, organisationCode: 'ILO', role: 'commenter' }),
        ]);
        const listed = await listPlansWithCounts(db);
        expect(listed.find((each) => each.slug === plan.slug)?.memberCount).toBe(1);
      });
    });

    describe('seedDatabase', () => {
      it('creates the plan once, with a valid document of seven workstreams', async () => {
        await db.delete(plans);
        const lines: string[] = [];
        const first = await seedDatabase(db, {
          demoAccounts: null,
          log: (line) => lines.push(line),
        });
        expect(first).toEqual({ created: true, demoAccounts: [] });
        expect(lines.join('\n')).toContain('htc-npia-2022-2023');
        expect(await seedDatabase(db, { demoAccounts: null })).toEqual({
          created: false,
          demoAccounts: [],
        });

        const plan = await findPlanBySlug(db, 'htc-npia-2022-2023');
        expect(plan?.title).toBe('HTC–NPIA Cooperation Plan 2022–2023');
        if (!plan) return;
        expect(plan.updateSeq).toBe(0);
        expect(await listMembers(db, plan.id)).toEqual([]);
        expect(await findUserByEmail(db, 'owner@coplan.test')).toBeNull();

        const log = await loadPlanLog(db, plan.id);
        expect(log.snapshot?.seq).toBe(0);
        expect(log.updates).toEqual([]);
        const doc = new Y.Doc();
        Y.applyUpdate(doc, log.snapshot?.data ?? new Uint8Array());
        expect(findPlanProblem(doc)).toBeNull();

        const view = readPlan(doc);
        expect(view.meta).toEqual({
          title: 'HTC–NPIA Cooperation Plan 2022–2023',
          periodStart: '2022-01-01',
          periodEnd: '2023-12-31',
        });
        expect(view.workstreams.map((workstream) => workstream.name)).toEqual([
          'AI and robotics training',
          'Digital skills',
          'Online training modules',
          'Training of trainers',
          'General technical skills teaching',
          'Officials management training',
          'Teacher and student exchange',
        ]);
        const workstreamIds = new Set(view.workstreams.map((workstream) => workstream.id));
        for (const workstream of view.workstreams) {
          const count = view.items.filter((item) => item.workstreamId === workstream.id).length;
          expect(count).toBeGreaterThanOrEqual(2);
          expect(count).toBeLessThanOrEqual(4);
        }
        for (const item of view.items) {
          expect(workstreamIds.has(item.workstreamId)).toBe(true);
          expect(item.start >= '2022-01-01' && item.end <= '2023-12-31').toBe(true);
          if (item.status === 'done') expect(item.progress).toBe(100);
          if (item.status === 'planned') expect(item.progress).toBe(0);
          if (item.status === 'in_progress' || item.status === 'blocked') {
            expect(item.progress).toBeGreaterThan(0);
            expect(item.progress).toBeLessThan(100);
          }
        }
        const statuses = new Set(view.items.map((item) => item.status));
        expect(statuses).toEqual(new Set(['done', 'in_progress', 'blocked', 'planned']));
      });

      it(
        'creates the demo accounts only when asked',
        async () => {
          // Empty again (plans only: the seed's criterion), this time with demo accounts.
          await db.delete(plans);
          // db/ may not import server/: a stand-in for argon2 shows which password was hashed.
          const hashPassword = async (password: string) => `hashed:${password}`;
          const result = await seedDatabase(db, { demoAccounts: { hashPassword } });
          expect(result.created).toBe(true);
          expect(result.demoAccounts.map(({ email, role }) => [email, role])).toEqual([
            ['owner@coplan.test', 'owner'],
            ['htc.editor@coplan.test', 'editor'],
            ['npia.editor@coplan.test', 'editor'],
            ['ilo@coplan.test', 'commenter'],
            ['participant@coplan.test', 'viewer'],
          ]);

          const plan = await findPlanBySlug(db, 'htc-npia-2022-2023');
          if (!plan) throw new Error('the seed made no plan');
          for (const account of result.demoAccounts) {
            const user = await findUserByEmail(db, account.email);
            expect(user?.name).toBe(account.name);
            expect(user?.organisationCode).toBe(account.organisation);
            expect(user?.passwordHash).toBe('hashed:coplan-demo-2022');
            expect(account.password).toBe('coplan-demo-2022');
            expect(await findMemberRole(db, plan.id, user?.id ?? '')).toBe(account.role);
          }

          // A later start finds the plan and leaves everything as it is.
          expect(await seedDatabase(db, { demoAccounts: { hashPassword } })).toEqual({
            created: false,
            demoAccounts: [],
          });
          const owners = await db.select().from(users).where(eq(users.email, 'owner@coplan.test'));
          expect(owners).toHaveLength(1);
        },
        slow,
      );
    });

    it(
      'reopens on the migrated database without applying anything twice',
      async () => {
        if (kind.name === 'pglite') await database.handle.close();
        const again = await database.reopen();
        try {
          const result = await again.db.execute(
            sql`select count(*) as count from drizzle.__drizzle_migrations`,
          );
          const journal = JSON.parse(
            readFileSync(
              path.join(process.cwd(), 'db', 'migrations', 'meta', '_journal.json'),
              'utf8',
            ),
          ) as { entries: unknown[] };
          expect(Number(rowsOf<{ count: number | string }>(result)[0]?.count)).toBe(
            journal.entries.length,
          );
          expect(await findPlanBySlug(again.db, 'htc-npia-2022-2023')).not.toBeNull();
        } finally {
          await again.close();
        }
      },
      slow,
    );
  });
}
