/**
 * The plan store's group commit across rooms, against a real database (PostgreSQL with
 * DATABASE_URL, else PGlite): one plan whose rows the database refuses fails only its own
 * appends, never those of the other plans that flushed in the same turn.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';

import { openDatabase, type DatabaseHandle } from '../../db/client';
import { loadPlanLogAfter } from '../../db/queries/plan-log';
import { insertPlan } from '../../db/queries/plans';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { createDatabasePlanStore } from './plan-store';

let testDatabase: TestDatabase;
let handle: DatabaseHandle;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  handle = await openDatabase({
    databaseUrl: testDatabase.databaseUrl,
    dataDir: testDatabase.dataDir,
  });
});

afterAll(async () => {
  await handle?.close();
  await testDatabase?.drop();
});

function someUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

it('a plan whose rows are refused does not fail the other plans committed in the same turn', async () => {
  const healthy = await insertPlan(handle.db, { slug: 'healthy-plan', title: 'Healthy' });
  const broken = await insertPlan(handle.db, { slug: 'broken-plan', title: 'Broken' });
  const store = createDatabasePlanStore(() => handle);

  // Both appends in one turn: one statement for both plans. The second names an author who does
  // not exist (as when a user is deleted mid-session): the foreign key refuses it.
  const healthyAppend = store.append(healthy.id, [{ data: someUpdate('kept'), userId: null }]);
  const brokenAppend = store.append(broken.id, [{ data: someUpdate('x'), userId: randomUUID() }]);

  await expect(healthyAppend).resolves.toBe(1);
  await expect(brokenAppend).rejects.toThrow();
  expect((await loadPlanLogAfter(handle.db, healthy.id, 0)).updates).toHaveLength(1);
  expect((await loadPlanLogAfter(handle.db, broken.id, 0)).updates).toHaveLength(0);
});
