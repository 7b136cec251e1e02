/**
 * Shared fixtures for the plan document's tests: the seed-like plan, replicas, and the server's
 * check of an untrusted update as plan-room.ts runs it.
 */
import { expect } from 'vitest';
import * as Y from 'yjs';

import {
  collectChangeScope,
  createItem,
  createWorkstream,
  findPlanProblem,
  getItemTitleText,
  initialisePlan,
  preparePlanDocument,
} from './plan-document';

export const meta = {
  title: 'HTC–NPIA cooperation 2022–2023',
  periodStart: '2022-01-01',
  periodEnd: '2023-12-31',
};

export function newPlanDoc(): Y.Doc {
  return preparePlanDocument(new Y.Doc());
}

/** A plan as the seed writes it: meta, two workstreams, two items. */
export function buildPlan(): Y.Doc {
  const doc = newPlanDoc();
  initialisePlan(doc, meta);
  createWorkstream(doc, { id: 'ws-robotics', name: 'AI and robotics training' });
  createWorkstream(doc, { id: 'ws-exchange', name: 'Teacher and student exchange' });
  createItem(doc, {
    id: 'item-1',
    title: 'Train NPIA teachers in robotics',
    workstreamId: 'ws-robotics',
    leadOrg: 'HTC',
    start: '2022-03-01',
    end: '2022-06-30',
  });
  createItem(doc, {
    id: 'item-2',
    title: 'ការផ្លាស់ប្តូរគ្រូ 教师交流',
    workstreamId: 'ws-exchange',
    status: 'in_progress',
    leadOrg: 'NPIA',
    start: '2022-09-01',
    end: '2023-01-31',
    progress: 40,
  });
  return doc;
}

/** A client's replica that first synced the server's document, as y-websocket does. */
export function replicaOf(server: Y.Doc, { prepare = true } = {}): Y.Doc {
  const doc = prepare ? newPlanDoc() : new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
  return doc;
}

/** The one update an edit produces on a replica: what its provider would send. */
export function updateFrom(doc: Y.Doc, edit: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const onUpdate = (update: Uint8Array) => updates.push(update);
  doc.on('update', onUpdate);
  try {
    doc.transact(edit);
  } finally {
    doc.off('update', onUpdate);
  }
  const [update] = updates;
  if (!update || updates.length !== 1) throw new Error('expected the edit to make one update');
  return update;
}

/** Applies an update to a document and returns every transaction that applying it ran. */
export function applyCapturing(doc: Y.Doc, update: Uint8Array): Y.Transaction[] {
  const transactions: Y.Transaction[] = [];
  const capture = (transaction: Y.Transaction) => transactions.push(transaction);
  doc.on('afterTransaction', capture);
  try {
    Y.applyUpdate(doc, update);
  } finally {
    doc.off('afterTransaction', capture);
  }
  return transactions;
}

/**
 * The server's check of an untrusted update (server/sync/plan-room.ts `checkUpdate`): apply it
 * to a copy of the document, capture the transaction, name its scope, validate that scope.
 *
 * Every transaction is checked, not only the last: after an update that formats text, Yjs runs
 * a second, empty clean-up transaction (see "applying formatted text runs two transactions").
 */
export function checkAsServer(server: Y.Doc, update: Uint8Array): string | null {
  const shadow = newPlanDoc();
  Y.applyUpdate(shadow, Y.encodeStateAsUpdate(server));
  const transactions = applyCapturing(shadow, update);
  expect(shadow.store.pendingStructs, 'the update lacks dependencies').toBeNull();
  let problem: string | null = null;
  for (const transaction of transactions) {
    const scope = collectChangeScope(shadow, transaction);
    problem = typeof scope === 'string' ? scope : findPlanProblem(shadow, scope);
    if (problem) break;
  }
  shadow.destroy();
  return problem;
}

/** Checks an update and, if it passes, applies it to the server's document. */
export function receive(server: Y.Doc, update: Uint8Array): string | null {
  const problem = checkAsServer(server, update);
  if (problem === null) Y.applyUpdate(server, update);
  return problem;
}

/** Raw access for the hostile cases: tests may know the keys, application code may not. */
export function itemMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const entry = doc.getMap<unknown>('items').get(id);
  if (!(entry instanceof Y.Map)) throw new Error(`no item ${id}`);
  return entry;
}

export function titleText(doc: Y.Doc, id: string): Y.Text {
  const text = getItemTitleText(doc, id);
  if (!text) throw new Error(`no title for ${id}`);
  return text;
}

/** An item map with valid fields, built by hand as a hostile client could. */
export function handMadeItem(): Y.Map<unknown> {
  const entry = new Y.Map<unknown>();
  entry.set('title', new Y.Text('Hand-made'));
  entry.set('workstreamId', 'ws-robotics');
  entry.set('status', 'planned');
  entry.set('leadOrg', 'HTC');
  entry.set('start', '2022-01-01');
  entry.set('end', '2022-02-01');
  entry.set('progress', 0);
  entry.set('position', 'a5');
  return entry;
}
