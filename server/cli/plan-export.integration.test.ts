/**
 * `plan export` / `plan import` end to end through runCli, on PostgreSQL when DATABASE_URL is set
 * and PGlite otherwise: a plan with edits after its snapshot, threads, a reply, a resolved thread,
 * a deleted comment and a mention goes out to a file, into an empty database, and out again; the
 * two files differ only in `exportedAt`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { readPlan, setItemTitle } from '../../domain/plan-document';
import { openDatabase, type DatabaseHandle } from '../../db/client';
import {
  insertCommentOnce,
  markCommentDeleted,
  setThreadResolution,
} from '../../db/queries/comments';
import { appendPlanUpdates } from '../../db/queries/plan-log';
import { findPlanBySlug } from '../../db/queries/plans';
import { findUserByEmail } from '../../db/queries/users';
import { comments, plans, users } from '../../db/schema';
import { seedDatabase } from '../../db/seed';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { loadPlanDocument } from '../versions/load-plan-document';
import { runCli } from './main';

const slow = 120_000;
const slug = 'htc-npia-2022-2023';

let source: TestDatabase;
let target: TestDatabase;
let workDir: string;

function envOf(database: TestDatabase) {
  return database.databaseUrl
    ? { DATABASE_URL: database.databaseUrl }
    : { COPLAN_DATA_DIR: database.dataDir };
}

async function cli(database: TestDatabase, argv: string[], stdinText = '') {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdin: Readable.from(stdinText === '' ? [] : [Buffer.from(stdinText)]),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: envOf(database),
  });
  return { code, stdout, stderr };
}

async function withDb<T>(database: TestDatabase, work: (handle: DatabaseHandle) => Promise<T>) {
  const handle = await openDatabase({
    databaseUrl: database.databaseUrl,
    dataDir: database.dataDir,
  });
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

/** A well-formed Yjs update that is not a plan. */
function foreignDocument(): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('notes').set('x', 1);
  return Y.encodeStateAsUpdate(doc);
}

function withoutExportedAt(text: string) {
  const { exportedAt, ...rest } = JSON.parse(text) as { exportedAt: string };
  expect(exportedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  return rest;
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'coplan-export-'));
  source = await createTestDatabase();
  target = await createTestDatabase();
  await withDb(source, async ({ db }) => {
    await seedDatabase(db, { demoAccounts: { hashPassword } });
    const plan = await findPlanBySlug(db, slug);
    if (!plan) throw new Error('no seeded plan');
    const people = await db.select().from(users);
    const [alice, bob] = people;
    if (!alice || !bob) throw new Error('the seed made fewer than two accounts');
    // An edit after the snapshot, so the export folds snapshot + log.
    const { doc } = await loadPlanDocument(db, plan.id);
    const itemId = readPlan(doc).items[0]?.id ?? '';
    const before = Y.encodeStateVector(doc);
    setItemTitle(doc, itemId, 'Renamed before the export');
    await appendPlanUpdates(db, plan.id, [
      { data: Y.encodeStateAsUpdate(doc, before), userId: alice.id },
    ]);
    const root = await insertCommentOnce(db, {
      planId: plan.id,
      itemId,
      authorId: alice.id,
      parentId: null,
      clientMessageId: 'c-1',
      body: `@${bob.name} could you check the dates?`,
      mentions: [bob.id],
    });
    if (!root) throw new Error('no comment');
    await insertCommentOnce(db, {
      planId: plan.id,
      itemId,
      parentId: root.id,
      authorId: bob.id,
      clientMessageId: 'c-2',
      body: 'Done: 与 NPIA 确认 ✓',
      mentions: [],
    });
    await setThreadResolution(db, root.id, bob.id);
    const gone = await insertCommentOnce(db, {
      planId: plan.id,
      itemId,
      authorId: bob.id,
      parentId: null,
      clientMessageId: 'c-3',
      body: 'posted by mistake',
      mentions: [],
    });
    if (gone) await markCommentDeleted(db, gone.id);
  });
}, slow);

afterAll(async () => {
  await source?.drop();
  await target?.drop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('plan export and import', () => {
  const first = () => path.join(workDir, 'first.json');
  const second = () => path.join(workDir, 'second.json');

  it(
    'round-trips a plan through an empty database exactly',
    async () => {
      const exported = await cli(source, ['plan', 'export', slug, '--out', first()]);
      expect(exported.stderr).toBe('');
      expect(exported.stdout).toBe(
        `wrote plan ${slug} to ${first()} (5 member(s), 3 comment(s))\n`,
      );

      const imported = await cli(target, ['plan', 'import', first()]);
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(
        /^imported plan htc-npia-2022-2023 \(".+"\): 5 member\(s\), 3 comment\(s\); 5 new account\(s\) without a password: /,
      );

      const again = await cli(target, ['plan', 'export', slug]);
      expect(again.code).toBe(0);
      writeFileSync(second(), again.stdout);
      expect(withoutExportedAt(again.stdout)).toEqual(
        withoutExportedAt(readFileSync(first(), 'utf8')),
      );

      const file = JSON.parse(readFileSync(first(), 'utf8')) as {
        comments: Array<{ body: string; resolvedBy: string | null; deletedAt: string | null }>;
      };
      expect(file.comments.map((comment) => comment.body)).toEqual([
        expect.stringMatching(/could you check the dates/),
        '',
        'Done: 与 NPIA 确认 ✓',
      ]);
      expect(file.comments[0]?.resolvedBy).toMatch(/@/);
      expect(file.comments[1]?.deletedAt).not.toBeNull();
      expect(readFileSync(first(), 'utf8')).not.toMatch(/argon2|passwordHash/);

      await withDb(target, async ({ db }) => {
        const plan = await findPlanBySlug(db, slug);
        const { doc } = await loadPlanDocument(db, plan?.id ?? '');
        expect(readPlan(doc).items.map((item) => item.title)).toContain(
          'Renamed before the export',
        );
      });
    },
    slow,
  );

  it(
    'creates accounts that no password opens until an operator sets one',
    async () => {
      const file = JSON.parse(readFileSync(first(), 'utf8')) as { users: { email: string }[] };
      const email = file.users[0]?.email ?? '';
      await withDb(target, async ({ db }) => {
        const user = await findUserByEmail(db, email);
        expect(await verifyPassword(user?.passwordHash ?? '', '')).toBe(false);
        expect(await verifyPassword(user?.passwordHash ?? '', 'demo-password-123')).toBe(false);
      });
      const set = await cli(
        target,
        ['user', 'set-password', '--email', email],
        'a new long password\n',
      );
      expect(set).toEqual({
        code: 0,
        stdout: `set the password of ${email}; their sessions have ended\n`,
        stderr: '',
      });
      await withDb(target, async ({ db }) => {
        const user = await findUserByEmail(db, email);
        expect(await verifyPassword(user?.passwordHash ?? '', 'a new long password')).toBe(true);
      });
    },
    slow,
  );

  it(
    'refuses an existing slug, and imports under a new one with new comment ids',
    async () => {
      const refused = await cli(target, ['plan', 'import', first()]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `coplan: a plan "${slug}" already exists; import under another with --slug NEW-SLUG\n`,
      );
      const copy = await cli(target, ['plan', 'import', first(), '--slug', 'plan-copy']);
      expect(copy.code).toBe(0);
      expect(copy.stdout).toMatch(/3 comment\(s\) \(with new comment ids\)\n$/);
      const copied = await cli(target, ['plan', 'export', 'plan-copy']);
      const original = withoutExportedAt(readFileSync(first(), 'utf8')) as {
        plan: object;
        document: string;
        comments: Array<{ id: string; parentId: string | null; body: string }>;
      };
      const copiedFile = withoutExportedAt(copied.stdout) as typeof original;
      expect(copiedFile.document).toBe(original.document);
      expect(copiedFile.plan).toEqual({ ...original.plan, slug: 'plan-copy' });
      expect(copiedFile.comments.map((c) => c.body)).toEqual(original.comments.map((c) => c.body));
      expect(copiedFile.comments[2]?.parentId).toBe(copiedFile.comments[0]?.id);
      expect(copiedFile.comments[0]?.id).not.toBe(original.comments[0]?.id);
    },
    slow,
  );

  it(
    'refuses hostile files with a clear message and writes nothing',
    async () => {
      const good = JSON.parse(readFileSync(first(), 'utf8')) as Record<string, unknown> & {
        comments: Array<Record<string, unknown>>;
        plan: Record<string, unknown>;
      };
      const cases: Array<[string, string, RegExp]> = [
        ['not-json', '{"format": ', /not a plan file: /],
        ['wrong-format', JSON.stringify({ ...good, format: 'other' }), /format: /],
        [
          'extra-field',
          JSON.stringify({ ...good, plan: { ...good.plan, slug: 'x-new', owner: 'me' } }),
          /plan: Unrecognized key/,
        ],
        [
          'unknown-author',
          JSON.stringify({
            ...good,
            plan: { ...good.plan, slug: 'x-new' },
            comments: [{ ...good.comments[0], author: 'stranger@example.org' }],
          }),
          /comments\.0\.author: stranger@example\.org is not in users/,
        ],
        [
          'orphan-reply',
          JSON.stringify({
            ...good,
            plan: { ...good.plan, slug: 'x-new' },
            comments: [good.comments[2]],
          }),
          /comments\.0\.parentId: not an earlier thread-starting comment/,
        ],
        [
          'garbage-document',
          JSON.stringify({
            ...good,
            plan: { ...good.plan, slug: 'x-new' },
            document: Buffer.from('not a yjs update at all').toString('base64'),
          }),
          /document: /,
        ],
        [
          'not-a-plan',
          JSON.stringify({
            ...good,
            plan: { ...good.plan, slug: 'x-new' },
            document: Buffer.from(foreignDocument()).toString('base64'),
          }),
          /document: unknown root "notes"/,
        ],
        [
          'nul-in-body',
          JSON.stringify({
            ...good,
            plan: { ...good.plan, slug: 'x-new' },
            comments: [{ ...good.comments[0], body: 'a\u0000b' }],
          }),
          /comments\.0\.body: must not contain NUL/,
        ],
      ];
      const counts = () =>
        withDb(target, async ({ db }) => ({
          plans: (await db.select({ n: count() }).from(plans))[0]?.n,
          users: (await db.select({ n: count() }).from(users))[0]?.n,
          comments: (await db.select({ n: count() }).from(comments))[0]?.n,
        }));
      const before = await counts();
      for (const [name, text, message] of cases) {
        const file = path.join(workDir, `${name}.json`);
        writeFileSync(file, text);
        const run = await cli(target, ['plan', 'import', file]);
        expect({ name, code: run.code, stdout: run.stdout }).toEqual({ name, code: 1, stdout: '' });
        expect(run.stderr).toMatch(message);
        expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      }
      expect(await counts()).toEqual(before);
      await withDb(target, async ({ db }) => {
        expect(await db.select().from(plans).where(eq(plans.slug, 'x-new'))).toEqual([]);
      });
    },
    slow,
  );
});
