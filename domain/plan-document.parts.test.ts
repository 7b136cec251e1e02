import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { DomainError } from './domain-error';
import {
  addChecklistEntry,
  addIndicator,
  deleteChecklistEntry,
  deleteIndicator,
  findPlanProblem,
  getItemDescription,
  indicatorProgress,
  moveItem,
  moveWorkstream,
  planLimits,
  PlanViewCache,
  readPlan,
  setItemOwner,
  setItemTag,
  updateChecklistEntry,
  updateIndicator,
  updateWorkstream,
  createWorkstream,
  createPlanUndoManager,
  updateItem,
} from './plan-document';
import {
  buildPlan,
  handMadeItem,
  itemMap,
  receive,
  replicaOf,
  updateFrom,
} from './plan-document.fixtures';

function item(doc: Y.Doc, id: string) {
  const found = readPlan(doc).items.find((entry) => entry.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
}

/** Exchanges both replicas' updates, as two browsers on one plan do. */
function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

const userA = 'user-htc-1';
const userB = 'user-npia-2';

describe('owners and tags', () => {
  it('concurrent additions by two people both stay', () => {
    const server = buildPlan();
    const htc = replicaOf(server);
    const npia = replicaOf(server);
    setItemOwner(htc, 'item-1', userA, true);
    setItemOwner(npia, 'item-1', userB, true);
    setItemTag(htc, 'item-1', 'robotics');
    setItemTag(npia, 'item-1', ' ToT ');
    sync(htc, npia);
    expect(item(htc, 'item-1').owners).toEqual([userA, userB].sort());
    expect(item(npia, 'item-1').tags).toEqual(['ToT', 'robotics']);
    expect(findPlanProblem(htc)).toBeNull();
  });

  it('removing an owner or tag removes it, and adding one twice keeps one', () => {
    const doc = buildPlan();
    setItemOwner(doc, 'item-1', userA, true);
    setItemOwner(doc, 'item-1', userA, true);
    setItemTag(doc, 'item-1', '培训');
    setItemTag(doc, 'item-1', '培训');
    expect(item(doc, 'item-1')).toMatchObject({ owners: [userA], tags: ['培训'] });
    setItemOwner(doc, 'item-1', userA, false);
    setItemTag(doc, 'item-1', '培训', false);
    expect(item(doc, 'item-1')).toMatchObject({ owners: [], tags: [] });
  });

  it('refuse an empty tag, a tag over the limit, and more tags than allowed', () => {
    const doc = buildPlan();
    expect(() => setItemTag(doc, 'item-1', '   ')).toThrow(DomainError);
    expect(() => setItemTag(doc, 'item-1', 'x'.repeat(planLimits.tagLength + 1))).toThrow();
    for (let index = 0; index < planLimits.tagsPerItem; index++)
      setItemTag(doc, 'item-1', `t${index}`);
    expect(() => setItemTag(doc, 'item-1', 'one more')).toThrow(/at most 20 tags/);
  });
});

describe('checklist', () => {
  it('adds entries in order, ticks, renames and deletes them', () => {
    const doc = buildPlan();
    const first = addChecklistEntry(doc, 'item-1', 'Agree the syllabus');
    const second = addChecklistEntry(doc, 'item-1', 'ជ្រើសរើសគ្រូ');
    updateChecklistEntry(doc, 'item-1', first, { done: true });
    updateChecklistEntry(doc, 'item-1', second, { text: 'Select 20 trainers' });
    expect(item(doc, 'item-1').checklist.map(({ text, done }) => ({ text, done }))).toEqual([
      { text: 'Agree the syllabus', done: true },
      { text: 'Select 20 trainers', done: false },
    ]);
    deleteChecklistEntry(doc, 'item-1', first);
    expect(item(doc, 'item-1').checklist).toHaveLength(1);
    expect(findPlanProblem(doc)).toBeNull();
  });

  it('refuses empty and over-long text', () => {
    const doc = buildPlan();
    expect(() => addChecklistEntry(doc, 'item-1', ' ')).toThrow(DomainError);
    const id = addChecklistEntry(doc, 'item-1', 'ok');
    expect(() =>
      updateChecklistEntry(doc, 'item-1', id, {
        text: 'x'.repeat(planLimits.checklistTextLength + 1),
      }),
    ).toThrow(DomainError);
    expect(item(doc, 'item-1').checklist[0]?.text).toBe('ok');
  });
});

describe('indicators', () => {
  const trainers = {
    name: 'Trainers certified, women',
    unit: 'people',
    baseline: 0,
    target: 20,
    actual: null,
  };

  it('keeps baseline, target and actual, and computes progress toward the target', () => {
    const doc = buildPlan();
    const id = addIndicator(doc, 'item-1', trainers);
    expect(indicatorProgress(item(doc, 'item-1').indicators[0]!)).toBeNull();
    updateIndicator(doc, 'item-1', id, { actual: 5 });
    const stored = item(doc, 'item-1').indicators[0]!;
    expect(stored).toMatchObject({ ...trainers, actual: 5 });
    expect(indicatorProgress(stored)).toBe(0.25);
    expect(indicatorProgress({ baseline: 10, target: 4, actual: 7 })).toBe(0.5);
    expect(indicatorProgress({ baseline: 0, target: 20, actual: 30 })).toBe(1);
    deleteIndicator(doc, 'item-1', id);
    expect(item(doc, 'item-1').indicators).toEqual([]);
  });

  it('refuses a missing name, a number that is not finite, and unknown fields', () => {
    const doc = buildPlan();
    expect(() => addIndicator(doc, 'item-1', { ...trainers, name: '' })).toThrow(DomainError);
    expect(() => addIndicator(doc, 'item-1', { ...trainers, target: Number.NaN })).toThrow();
    expect(() =>
      addIndicator(doc, 'item-1', { ...trainers, colour: 'red' } as typeof trainers),
    ).toThrow();
    expect(item(doc, 'item-1').indicators).toEqual([]);
  });
});

describe('moving items', () => {
  function order(doc: Y.Doc): string[] {
    return readPlan(doc).items.map((entry) => entry.id);
  }

  it('places an item between two others and changes its column in one transaction', () => {
    const doc = buildPlan();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    moveItem(doc, 'item-2', {
      status: 'done',
      workstreamId: 'ws-robotics',
      after: null,
      before: 'item-1',
    });
    expect(updates).toHaveLength(1);
    expect(order(doc)).toEqual(['item-2', 'item-1']);
    expect(item(doc, 'item-2')).toMatchObject({ status: 'done', workstreamId: 'ws-robotics' });
  });

  it('two people moving the same card at once leave one card, in one place, on both sides', () => {
    const server = buildPlan();
    const htc = replicaOf(server);
    const npia = replicaOf(server);
    moveItem(htc, 'item-1', { status: 'done', after: 'item-2', before: null });
    moveItem(npia, 'item-1', { status: 'blocked', after: null, before: 'item-2' });
    sync(htc, npia);
    expect(readPlan(htc)).toEqual(readPlan(npia));
    expect(readPlan(htc).items).toHaveLength(2);
    expect(['done', 'blocked']).toContain(item(htc, 'item-1').status);
  });

  it('two cards dropped into the same gap at once both stay, in the same order everywhere', () => {
    const server = buildPlan();
    moveItem(server, 'item-2', { after: 'item-1', before: null });
    const third = handMadeItem();
    server.getMap('items').set('item-3', third);
    const htc = replicaOf(server);
    const npia = replicaOf(server);
    moveItem(htc, 'item-3', { after: 'item-1', before: 'item-2' });
    moveItem(npia, 'item-2', { after: null, before: 'item-1' });
    sync(htc, npia);
    expect(order(htc)).toEqual(order(npia));
    expect(new Set(order(htc)).size).toBe(3);
  });

  it('can place between two items that share a position', () => {
    const doc = buildPlan();
    itemMap(doc, 'item-2').set('position', itemMap(doc, 'item-1').get('position'));
    const third = handMadeItem();
    third.set('position', 'Zz');
    doc.getMap('items').set('item-3', third);
    moveItem(doc, 'item-3', { after: 'item-1', before: 'item-2' });
    expect(order(doc)).toEqual(['item-1', 'item-2', 'item-3']);
  });

  it('refuses a neighbour that does not exist', () => {
    const doc = buildPlan();
    expect(() => moveItem(doc, 'item-1', { after: 'nope', before: null })).toThrow(DomainError);
  });
});

describe('workstreams', () => {
  it('are renamed, recoloured and reordered', () => {
    const doc = buildPlan();
    const id = createWorkstream(doc, { name: 'Officials management training', colour: 'rose' });
    updateWorkstream(doc, 'ws-robotics', { name: 'AI, robots and digital skills', colour: 'cyan' });
    moveWorkstream(doc, id, { after: null, before: 'ws-robotics' });
    const { workstreams } = readPlan(doc);
    expect(workstreams.map((entry) => [entry.name, entry.colour])).toEqual([
      ['Officials management training', 'rose'],
      ['AI, robots and digital skills', 'cyan'],
      ['Teacher and student exchange', 'green'],
    ]);
    expect(() => updateWorkstream(doc, id, { name: ' ' })).toThrow(DomainError);
    expect(() => updateWorkstream(doc, id, { colour: 'pink' as 'rose' })).toThrow(DomainError);
  });
});

describe('items written before owners, tags, checklists, indicators and descriptions', () => {
  function legacyPlan(): Y.Doc {
    const doc = buildPlan();
    doc.getMap('items').set('item-old', handMadeItem());
    return doc;
  }

  it('read as empty and get their parts on first write', () => {
    const doc = legacyPlan();
    expect(item(doc, 'item-old')).toMatchObject({
      owners: [],
      tags: [],
      checklist: [],
      indicators: [],
      hasDescription: false,
    });
    expect(findPlanProblem(doc)).toBeNull();
    setItemOwner(doc, 'item-old', userA, true);
    addChecklistEntry(doc, 'item-old', 'Book the venue');
    expect(getItemDescription(doc, 'item-old')).toBeNull();
    expect(getItemDescription(doc, 'item-old', { create: true })).toBeInstanceOf(Y.XmlFragment);
    expect(item(doc, 'item-old')).toMatchObject({ owners: [userA], hasDescription: true });
    expect(findPlanProblem(doc)).toBeNull();
  });
});

describe('the server refuses hostile parts', () => {
  const cases: Array<[name: string, edit: (attacker: Y.Doc) => void, problem: RegExp]> = [
    [
      'an owner stored as something other than true',
      (attacker) =>
        (itemMap(attacker, 'item-1').get('owners') as Y.Map<unknown>).set(userA, 'admin'),
      /owners has an invalid entry/,
    ],
    [
      'a tag with a control character',
      (attacker) =>
        (itemMap(attacker, 'item-1').get('tags') as Y.Map<unknown>).set('a\u0007b', true),
      /tags has an invalid entry/,
    ],
    [
      'a checklist entry holding a shared type',
      (attacker) => {
        const entry = new Y.Map<unknown>();
        entry.set('text', new Y.Text('x'));
        entry.set('done', false);
        entry.set('position', 'a0');
        (itemMap(attacker, 'item-1').get('checklist') as Y.Map<unknown>).set('c1', entry);
      },
      /checklist has an invalid entry/,
    ],
    [
      'an indicator with an infinite target',
      (attacker) => {
        const entry = new Y.Map<unknown>();
        for (const [key, value] of Object.entries({
          name: 'x',
          unit: '',
          baseline: 0,
          target: Number.POSITIVE_INFINITY,
          actual: null,
          position: 'a0',
        })) {
          entry.set(key, value);
        }
        (itemMap(attacker, 'item-1').get('indicators') as Y.Map<unknown>).set('i1', entry);
      },
      /indicators has an invalid entry/,
    ],
    [
      'more checklist entries than allowed',
      (attacker) => {
        const list = itemMap(attacker, 'item-1').get('checklist') as Y.Map<unknown>;
        for (let index = 0; index <= planLimits.checklistEntries; index++) {
          const entry = new Y.Map<unknown>();
          entry.set('text', `step ${index}`);
          entry.set('done', false);
          entry.set('position', 'a0');
          list.set(`c${index}`, entry);
        }
      },
      /at most 100 checklist/,
    ],
    [
      'a description that is plain text',
      (attacker) => itemMap(attacker, 'item-1').set('description', new Y.Text('hi')),
      /description is not rich text/,
    ],
    [
      'a description with a javascript: link',
      (attacker) => {
        const fragment = itemMap(attacker, 'item-1').get('description') as Y.XmlFragment;
        const paragraph = new Y.XmlElement('paragraph');
        const text = new Y.XmlText();
        paragraph.insert(0, [text]);
        fragment.insert(0, [paragraph]);
        text.insert(0, 'click me', { link: { href: 'javascript:fetch("/api")' } });
      },
      /description: a link must start with http/,
    ],
    [
      'a workstream colour outside the palette',
      (attacker) =>
        (attacker.getMap('workstreams').get('ws-robotics') as Y.Map<unknown>).set('colour', '#f00'),
      /workstream ws-robotics breaks the schema/,
    ],
  ];

  it.each(cases)('%s', (_name, edit, problem) => {
    const server = buildPlan();
    const before = Y.encodeStateAsUpdate(server);
    const attacker = replicaOf(server);
    const update = updateFrom(attacker, () => edit(attacker));
    expect(receive(server, update)).toMatch(problem);
    expect(Y.encodeStateAsUpdate(server)).toEqual(before);
  });

  it('accepts a description co-written by two replicas', () => {
    const server = buildPlan();
    const htc = replicaOf(server);
    const fragment = getItemDescription(htc, 'item-1')!;
    const update = updateFrom(htc, () => {
      const paragraph = new Y.XmlElement('paragraph');
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      fragment.insert(0, [paragraph]);
      text.insert(0, 'Week 1: ', { bold: {} });
      text.insert(8, 'ROS basics', {
        link: {
          href: 'https://docs.ros.org',
          target: '_blank',
          rel: 'noopener noreferrer nofollow',
          class: null,
          title: null,
        },
      });
    });
    expect(receive(server, update)).toBeNull();
  });
});

describe('the view cache', () => {
  it('matches a full read after every kind of change, local and remote', () => {
    const doc = buildPlan();
    const cache = new PlanViewCache(doc);
    doc.on('afterTransaction', (transaction: Y.Transaction) => cache.apply(transaction));
    const remote = replicaOf(doc);
    setItemTag(doc, 'item-1', 'robotics');
    moveItem(remote, 'item-2', { status: 'done', after: null, before: 'item-1' });
    updateWorkstream(remote, 'ws-exchange', { name: 'Exchanges' });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)));
    addChecklistEntry(doc, 'item-2', 'Visas');
    doc.getMap('items').delete('item-1');
    expect(cache.current).toEqual(readPlan(doc));
  });

  it('keeps the objects of items a change did not touch', () => {
    const doc = buildPlan();
    const cache = new PlanViewCache(doc);
    doc.on('afterTransaction', (transaction: Y.Transaction) => cache.apply(transaction));
    const before = cache.current.items.find((entry) => entry.id === 'item-2');
    setItemTag(doc, 'item-1', 'robotics');
    expect(cache.current.items.find((entry) => entry.id === 'item-2')).toBe(before);
    expect(cache.current.items.find((entry) => entry.id === 'item-1')?.tags).toEqual(['robotics']);
  });
});

describe('undo and redo', () => {
  it('undo only this person’s changes, never a colleague’s', () => {
    const server = buildPlan();
    const htc = replicaOf(server);
    const npia = replicaOf(server);
    const undo = createPlanUndoManager(htc);
    updateItem(htc, 'item-1', { status: 'done' });
    undo.stopCapturing();
    setItemTag(npia, 'item-1', 'robotics');
    updateItem(npia, 'item-2', { progress: 90 });
    Y.applyUpdate(htc, Y.encodeStateAsUpdate(npia), 'remote');
    undo.undo();
    expect(item(htc, 'item-1')).toMatchObject({ status: 'planned', tags: ['robotics'] });
    expect(item(htc, 'item-2').progress).toBe(90);
    undo.redo();
    expect(item(htc, 'item-1').status).toBe('done');
    undo.destroy();
  });
});
