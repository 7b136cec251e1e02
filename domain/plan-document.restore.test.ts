import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import {
  addChecklistEntry,
  addIndicator,
  createItem,
  createWorkstream,
  deleteChecklistEntry,
  deleteItem,
  findPlanProblem,
  getItemDescription,
  initialisePlan,
  readPlan,
  restorePlanVersion,
  setItemOwner,
  setItemTag,
  setItemTitle,
  updateChecklistEntry,
  updateIndicator,
  updateItem,
  updateWorkstream,
} from './plan-document';
import { buildPlan, meta, receive, replicaOf } from './plan-document.fixtures';

const ownerId = '0b5a1f6e-93d4-4a55-9a38-4d6b2f1c0e11';

function writeDescription(doc: Y.Doc, itemId: string, words: string, bold = false): void {
  const fragment = getItemDescription(doc, itemId, { create: true }) as Y.XmlFragment;
  doc.transact(() => {
    fragment.delete(0, fragment.length);
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    fragment.insert(0, [paragraph]);
    text.insert(0, words, bold ? { bold: {} } : {});
  });
}

function descriptions(doc: Y.Doc): Record<string, string> {
  return Object.fromEntries(
    readPlan(doc).items.map((item) => [
      item.id,
      getItemDescription(doc, item.id)?.toString() ?? '(none)',
    ]),
  );
}

/** The version: the seed-like plan with every part an item can hold. */
function buildVersion(): Y.Doc {
  const doc = buildPlan();
  writeDescription(doc, 'item-1', 'Week 1: ROS basics', true);
  setItemOwner(doc, 'item-1', ownerId, true);
  setItemTag(doc, 'item-1', 'robotics');
  const entry = addChecklistEntry(doc, 'item-1', 'Book the lab');
  updateChecklistEntry(doc, 'item-1', entry, { done: true });
  addIndicator(doc, 'item-2', {
    name: 'Teachers exchanged 交流教师',
    unit: 'people',
    baseline: 0,
    target: 12,
    actual: 5,
  });
  return doc;
}

/** Everything a plan can go through after the version was saved. */
function editEverything(doc: Y.Doc): void {
  initialisePlan(doc, { ...meta, title: 'Renamed plan' });
  updateWorkstream(doc, 'ws-robotics', { name: 'Robots', colour: 'rose' });
  createWorkstream(doc, { id: 'ws-new', name: 'New workstream' });
  setItemTitle(doc, 'item-1', 'Train NPIA teachers in robotics and AI');
  updateItem(doc, 'item-1', { status: 'blocked', progress: 70, workstreamId: 'ws-new' });
  writeDescription(doc, 'item-1', 'Rewritten');
  setItemOwner(doc, 'item-1', ownerId, false);
  setItemTag(doc, 'item-1', 'robotics', false);
  setItemTag(doc, 'item-1', 'ai');
  const entries = readPlan(doc).items.find((item) => item.id === 'item-1')!.checklist;
  deleteChecklistEntry(doc, 'item-1', entries[0]!.id);
  addChecklistEntry(doc, 'item-1', 'Ship robots');
  const indicator = readPlan(doc).items.find((item) => item.id === 'item-2')!.indicators[0]!;
  updateIndicator(doc, 'item-2', indicator.id, { actual: 11, target: 20 });
  deleteItem(doc, 'item-2');
  createItem(doc, {
    id: 'item-3',
    title: 'ម៉ូឌុលអនឡាញ',
    workstreamId: 'ws-new',
    leadOrg: 'NPIA',
    start: '2022-04-01',
    end: '2022-05-01',
  });
}

function capture(doc: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const onUpdate = (update: Uint8Array) => updates.push(update);
  doc.on('update', onUpdate);
  change();
  doc.off('update', onUpdate);
  return Y.mergeUpdates(updates);
}

describe('restorePlanVersion', () => {
  it('makes the plan equal the version again, descriptions included, as one valid change', () => {
    const version = buildVersion();
    const live = replicaOf(version);
    editEverything(live);
    expect(readPlan(live)).not.toEqual(readPlan(version));

    let transactions = 0;
    live.on('afterTransaction', () => (transactions += 1));
    restorePlanVersion(live, version, 'restore');
    expect(transactions).toBe(1);

    expect(readPlan(live)).toEqual(readPlan(version));
    expect(descriptions(live)).toEqual(descriptions(version));
    expect(descriptions(live)['item-1']).toContain('<bold>Week 1: ROS basics</bold>');
    expect(findPlanProblem(live)).toBeNull();
  });

  it('converges: a replica that receives the restore as an update holds the version too', () => {
    const version = buildVersion();
    const server = replicaOf(version);
    editEverything(server);
    const htc = replicaOf(server);
    const npia = replicaOf(server);
    const update = capture(server, () => restorePlanVersion(server, version));
    // What the server's check runs on every update it stores.
    expect(receive(replicaOf(htc), update)).toBeNull();
    Y.applyUpdate(htc, update);
    // Delivered twice and out of band: still the same.
    Y.applyUpdate(npia, update);
    Y.applyUpdate(npia, update);
    for (const replica of [htc, npia]) {
      expect(readPlan(replica)).toEqual(readPlan(version));
      expect(descriptions(replica)).toEqual(descriptions(version));
      expect(Y.encodeStateVector(replica)).toEqual(Y.encodeStateVector(server));
    }
  });

  it('keeps an edit made concurrently on another replica, and all replicas agree', () => {
    const version = buildVersion();
    const server = replicaOf(version);
    editEverything(server);
    const editor = replicaOf(server);
    const restore = capture(server, () => restorePlanVersion(server, version));
    // A field the restore leaves alone (equal in both): the concurrent change survives it. (Two
    // concurrent writes of one field resolve the same way on every replica, by client id.)
    const edit = capture(editor, () => updateItem(editor, 'item-1', { leadOrg: 'NPIA' }));
    Y.applyUpdate(server, edit);
    Y.applyUpdate(editor, restore);
    expect(readPlan(editor)).toEqual(readPlan(server));
    expect(readPlan(server).items.find((item) => item.id === 'item-1')?.leadOrg).toBe('NPIA');
  });

  it('changes nothing when the plan already equals the version', () => {
    const version = buildVersion();
    const live = replicaOf(version);
    const update = capture(live, () => restorePlanVersion(live, version));
    const fresh = replicaOf(version);
    Y.applyUpdate(fresh, update);
    expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(version));
  });

  it('restores an empty plan to the version, and a version of an empty plan empties the plan', () => {
    const version = buildVersion();
    const empty = new Y.Doc();
    restorePlanVersion(empty, version);
    expect(readPlan(empty)).toEqual(readPlan(version));
    restorePlanVersion(empty, new Y.Doc());
    expect(readPlan(empty)).toEqual({ meta: null, workstreams: [], items: [] });
  });
});
