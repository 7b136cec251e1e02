import { generateKeyBetween } from 'fractional-indexing';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { DomainError } from './domain-error';
import {
  collectChangeScope,
  createItem,
  createWorkstream,
  deleteItem,
  findPlanProblem,
  getItemTitleText,
  initialisePlan,
  planLimits,
  readPlan,
  setItemTitle,
  updateItem,
} from './plan-document';
import {
  applyCapturing,
  buildPlan,
  handMadeItem,
  itemMap,
  meta,
  newPlanDoc,
  receive,
  replicaOf,
  titleText,
  updateFrom,
} from './plan-document.fixtures';

describe('writers and readers', () => {
  it('write a document that passes validation and reads back exactly', () => {
    const doc = buildPlan();
    expect(findPlanProblem(doc)).toBeNull();
    const first = generateKeyBetween(null, null);
    const second = generateKeyBetween(first, null);
    expect(readPlan(doc)).toEqual({
      meta,
      workstreams: [
        { id: 'ws-robotics', name: 'AI and robotics training', position: first, colour: 'blue' },
        {
          id: 'ws-exchange',
          name: 'Teacher and student exchange',
          position: second,
          colour: 'green',
        },
      ],
      items: [
        {
          id: 'item-1',
          title: 'Train NPIA teachers in robotics',
          workstreamId: 'ws-robotics',
          status: 'planned',
          leadOrg: 'HTC',
          start: '2022-03-01',
          end: '2022-06-30',
          progress: 0,
          position: first,
          owners: [],
          tags: [],
          checklist: [],
          indicators: [],
          hasDescription: true,
        },
        {
          id: 'item-2',
          title: 'ការផ្លាស់ប្តូរគ្រូ 教师交流',
          workstreamId: 'ws-exchange',
          status: 'in_progress',
          leadOrg: 'NPIA',
          start: '2022-09-01',
          end: '2023-01-31',
          progress: 40,
          position: second,
          owners: [],
          tags: [],
          checklist: [],
          indicators: [],
          hasDescription: true,
        },
      ],
    });
  });

  it('read back edits, and a synced replica reads the same plan', () => {
    const doc = buildPlan();
    updateItem(doc, 'item-1', { status: 'done', progress: 100, end: '2022-07-15' });
    setItemTitle(doc, 'item-1', 'Train 20 NPIA teachers in industrial robotics');
    deleteItem(doc, 'item-2');
    expect(findPlanProblem(doc)).toBeNull();
    const { items } = readPlan(doc);
    expect(items).toEqual([
      expect.objectContaining({
        id: 'item-1',
        title: 'Train 20 NPIA teachers in industrial robotics',
        status: 'done',
        progress: 100,
        start: '2022-03-01',
        end: '2022-07-15',
      }),
    ]);
    expect(readPlan(replicaOf(doc))).toEqual(readPlan(doc));
  });

  it('give each change one transaction, so it travels as one update', () => {
    const doc = buildPlan();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    createItem(doc, {
      title: 'Digital skills module',
      workstreamId: 'ws-robotics',
      leadOrg: 'HTC',
      start: '2022-01-01',
      end: '2022-01-02',
    });
    updateItem(doc, 'item-1', { status: 'blocked', progress: 10 });
    expect(updates).toHaveLength(2);
  });

  it('generate ids that the schema accepts', () => {
    const doc = buildPlan();
    const id = createItem(doc, {
      title: 'Generated id',
      workstreamId: 'ws-robotics',
      leadOrg: 'ILO',
      start: '2022-01-01',
      end: '2022-01-01',
    });
    const workstreamId = createWorkstream(doc, { name: 'Officials management training' });
    expect(findPlanProblem(doc)).toBeNull();
    expect(readPlan(doc).items.map((item) => item.id)).toContain(id);
    expect(readPlan(doc).workstreams.map((workstream) => workstream.id)).toContain(workstreamId);
  });

  it('order by position, and break ties between concurrent inserts by id', () => {
    const server = buildPlan();
    const alice = replicaOf(server);
    const bob = replicaOf(server);
    const input = {
      workstreamId: 'ws-robotics',
      leadOrg: 'HTC',
      start: '2022-01-01',
      end: '2022-02-01',
    } as const;
    createItem(alice, { ...input, id: 'b-item', title: 'From Alice' });
    createItem(bob, { ...input, id: 'a-item', title: 'From Bob' });
    Y.applyUpdate(alice, Y.encodeStateAsUpdate(bob));
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    const order = ['item-1', 'item-2', 'a-item', 'b-item'];
    expect(readPlan(alice).items.map((item) => item.id)).toEqual(order);
    expect(readPlan(bob).items.map((item) => item.id)).toEqual(order);
    const [, , a, b] = readPlan(alice).items;
    expect(a?.position).toBe(b?.position);
  });

  it('leave out entries that break the schema, which the full check reports', () => {
    const doc = buildPlan();
    itemMap(doc, 'item-2').set('progress', 150);
    expect(readPlan(doc).items.map((item) => item.id)).toEqual(['item-1']);
    expect(findPlanProblem(doc)).toMatch(/item-2: progress/);
  });

  it('accept a document before its meta is written', () => {
    expect(findPlanProblem(newPlanDoc())).toBeNull();
    expect(readPlan(newPlanDoc())).toEqual({ meta: null, workstreams: [], items: [] });
  });
});

describe('writers refuse invalid input', () => {
  const base = {
    title: 'An activity',
    workstreamId: 'ws-robotics',
    leadOrg: 'HTC',
    start: '2022-01-01',
    end: '2022-02-01',
  } as const;

  it.each([
    ['an empty title', { title: '   ' }],
    ['a title over the limit', { title: 'x'.repeat(planLimits.itemTitleLength + 1) }],
    ['an end before the start', { start: '2022-03-01', end: '2022-02-01' }],
    ['a date that does not exist', { end: '2022-02-30' }],
    ['progress over 100', { progress: 150 }],
    ['a fractional progress', { progress: 2.5 }],
    ['an id with illegal characters', { id: 'a b/c' }],
  ])('createItem refuses %s', (_name, change) => {
    const doc = buildPlan();
    const before = Y.encodeStateVector(doc);
    expect(() => createItem(doc, { ...base, ...change })).toThrow(DomainError);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('updateItem refuses a patch that breaks the item', () => {
    const doc = buildPlan();
    expect(() => updateItem(doc, 'item-1', { progress: 101 })).toThrow(/100/);
    expect(() => updateItem(doc, 'item-1', { start: '2022-07-01' })).toThrow(/before it starts/);
    expect(() => updateItem(doc, 'missing', { progress: 1 })).toThrow(/no item/);
  });

  it('updateItem refuses fields it does not own, even from a spread item', () => {
    const doc = buildPlan();
    const [item] = readPlan(doc).items;
    if (!item) throw new Error('no item');
    expect(() => updateItem(doc, item.id, { ...item, status: 'done' })).toThrow(/"id"/);
    expect(findPlanProblem(doc)).toBeNull();
    expect(getItemTitleText(doc, item.id)).toBeInstanceOf(Y.Text);
  });

  it('setItemTitle refuses a title over the limit', () => {
    const doc = buildPlan();
    expect(() => setItemTitle(doc, 'item-1', 'x'.repeat(planLimits.itemTitleLength + 1))).toThrow(
      DomainError,
    );
  });

  it('initialisePlan refuses a period that ends before it starts', () => {
    expect(() =>
      initialisePlan(newPlanDoc(), { ...meta, periodStart: '2024-01-01', periodEnd: '2023-01-01' }),
    ).toThrow(DomainError);
  });
});

describe('setItemTitle', () => {
  it('edits by the smallest change, so concurrent edits in one title keep both', () => {
    const server = buildPlan();
    const alice = replicaOf(server);
    const bob = replicaOf(server);
    const fromAlice = updateFrom(alice, () =>
      setItemTitle(alice, 'item-1', 'Train 20 NPIA teachers in robotics'),
    );
    const fromBob = updateFrom(bob, () =>
      setItemTitle(bob, 'item-1', 'Train NPIA teachers in industrial robotics'),
    );
    expect(receive(server, fromAlice)).toBeNull();
    expect(receive(server, fromBob)).toBeNull();
    Y.applyUpdate(alice, fromBob);
    Y.applyUpdate(bob, fromAlice);
    for (const doc of [server, alice, bob]) {
      expect(titleText(doc, 'item-1').toString()).toBe(
        'Train 20 NPIA teachers in industrial robotics',
      );
    }
  });

  it.each([
    ['🤖 robotics', '🤝 robotics'],
    ['😀😁 x', '😁 x'],
    ['a😀', 'a😁'],
    ['教师𠀀交流', '教师𠀁交流'],
    ['🤖', ''],
    ['', '🤖'],
  ])('never splits a surrogate pair: %j → %j', (from, to) => {
    const doc = buildPlan();
    setItemTitle(doc, 'item-1', from);
    setItemTitle(doc, 'item-1', to);
    expect(titleText(doc, 'item-1').toString()).toBe(to);
    expect(titleText(replicaOf(doc), 'item-1').toString()).toBe(to);
  });

  it('changes nothing when the title is the same', () => {
    const doc = buildPlan();
    const before = Y.encodeStateVector(doc);
    setItemTitle(doc, 'item-1', 'Train NPIA teachers in robotics');
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });
});

describe('the server check refuses what a hostile client sends', () => {
  const cases: Array<[name: string, edit: (attacker: Y.Doc) => void, problem: RegExp]> = [
    [
      'a huge title',
      (attacker) =>
        titleText(attacker, 'item-1').insert(0, 'x'.repeat(planLimits.storedTitleLength)),
      /a title has at most 1000 characters/,
    ],
    [
      'a status outside the enum',
      (attacker) => itemMap(attacker, 'item-1').set('status', 'cancelled'),
      /item-1: status/,
    ],
    ['progress 150', (attacker) => itemMap(attacker, 'item-1').set('progress', 150), /progress/],
    ['progress 2.5', (attacker) => itemMap(attacker, 'item-1').set('progress', 2.5), /progress/],
    [
      'progress as a string',
      (attacker) => itemMap(attacker, 'item-1').set('progress', '50'),
      /progress/,
    ],
    [
      'a date that does not exist',
      (attacker) => itemMap(attacker, 'item-1').set('start', '2022-02-30'),
      /start not a calendar date/,
    ],
    [
      'a date in another format',
      (attacker) => itemMap(attacker, 'item-1').set('end', '30/06/2022'),
      /end expected a date/,
    ],
    [
      'an unknown field on an item',
      (attacker) => itemMap(attacker, 'item-1').set('colour', 'red'),
      /unknown field "colour"/,
    ],
    [
      'a missing field',
      (attacker) => itemMap(attacker, 'item-1').delete('leadOrg'),
      /item-1: leadOrg/,
    ],
    [
      'an organisation outside the list',
      (attacker) => itemMap(attacker, 'item-1').set('leadOrg', 'ACME'),
      /leadOrg/,
    ],
    [
      'a string instead of a Y.Text title',
      (attacker) => itemMap(attacker, 'item-1').set('title', 'Plain string'),
      /has no text title/,
    ],
    [
      'a bold title',
      (attacker) => titleText(attacker, 'item-1').format(0, 5, { bold: true }),
      /a title is plain text/,
    ],
    [
      'an embed in a title',
      (attacker) => titleText(attacker, 'item-1').insertEmbed(0, { image: 'x' }),
      /a title is plain text/,
    ],
    [
      'an item that is not a map',
      (attacker) => attacker.getMap('items').set('item-3', 'not a map'),
      /item-3 is not a map/,
    ],
    [
      'an unknown root',
      (attacker) => attacker.getMap('evil').set('payload', 'x'.repeat(1000)),
      /unknown root "evil"/,
    ],
    [
      'an item id with illegal characters',
      (attacker) => attacker.getMap('items').set('../<script>', handMadeItem()),
      /item id "..\/<script>" is not allowed/,
    ],
    [
      'an item id over the length limit',
      (attacker) =>
        attacker.getMap('items').set('x'.repeat(planLimits.idLength + 1), handMadeItem()),
      /is not allowed/,
    ],
    [
      'more items in one update than the limit',
      (attacker) => {
        const items = attacker.getMap('items');
        for (let index = 0; index <= planLimits.entriesPerUpdate; index++) {
          items.set(`bulk-${index}`, handMadeItem());
        }
      },
      /at most 1000 entries/,
    ],
    [
      'meta with an unknown key',
      (attacker) => attacker.getMap('meta').set('owner', 'attacker'),
      /meta has an unknown field "owner"/,
    ],
    [
      'meta emptied',
      (attacker) => {
        const root = attacker.getMap('meta');
        for (const key of [...root.keys()]) root.delete(key);
      },
      /meta breaks the schema/,
    ],
    [
      'a Y.Text in meta, hiding an embed',
      (attacker) => {
        const title = new Y.Text('Plan');
        attacker.getMap('meta').set('title', title);
        title.insertEmbed(4, { hidden: 'x'.repeat(1000) });
      },
      /meta breaks the schema/,
    ],
    [
      'a Y.Text as a workstream name',
      (attacker) => {
        const workstream = attacker.getMap('workstreams').get('ws-robotics');
        if (!(workstream instanceof Y.Map)) throw new Error('no workstream');
        workstream.set('name', new Y.Text('Robotics'));
      },
      /workstream ws-robotics breaks the schema/,
    ],
    [
      'a workstream with an unknown field',
      (attacker) => {
        const workstream = attacker.getMap('workstreams').get('ws-exchange');
        if (!(workstream instanceof Y.Map)) throw new Error('no workstream');
        workstream.set('budget', 1_000_000);
      },
      /unknown field "budget"/,
    ],
  ];

  it.each(cases)('refuses %s', (_name, edit, problem) => {
    const server = buildPlan();
    const before = Y.encodeStateAsUpdate(server);
    const attacker = replicaOf(server);
    const update = updateFrom(attacker, () => edit(attacker));
    expect(receive(server, update)).toMatch(problem);
    expect(Y.encodeStateAsUpdate(server)).toEqual(before);
  });

  it('refuses list content in the items map', () => {
    const server = buildPlan();
    // A replica that never declared the roots can read "items" as a list and append to it.
    const attacker = replicaOf(server, { prepare: false });
    const update = updateFrom(attacker, () => attacker.get('items', Y.Array).push(['junk']));
    expect(receive(server, update)).toBe('list content in the items map');
  });

  it('refuses list content sent by a fresh document that declares "items" as a list', () => {
    const server = buildPlan();
    const attacker = new Y.Doc();
    const update = updateFrom(attacker, () =>
      attacker.getArray<unknown>('items').push([new Y.Map(), 'junk']),
    );
    expect(receive(server, update)).toBe('list content in the items map');
  });

  it('refuses list content inside an item', () => {
    const server = buildPlan();
    const attacker = replicaOf(server, { prepare: false });
    // An item map declared as an array on the attacker's side: same trick, one level down.
    const update = updateFrom(attacker, () => {
      const entry = new Y.Array<unknown>();
      attacker.get('items', Y.Map).set('item-3', entry);
      entry.push(['junk']);
    });
    expect(receive(server, update)).toMatch(/item-3 is not a map/);
  });

  it('finds the same problems when checking the whole document', () => {
    for (const [name, edit, problem] of cases) {
      const doc = buildPlan();
      doc.transact(() => edit(doc));
      if (name === 'more items in one update than the limit' || name === 'meta emptied') {
        // Rules about a change: the whole document may hold that many items, and a fresh
        // document has an empty meta until the seed writes it.
        expect(findPlanProblem(doc), name).toBeNull();
      } else {
        expect(findPlanProblem(doc), name).toMatch(problem);
      }
    }
  });
});

describe('capturing the transaction of an update', () => {
  it('applying formatted text runs two transactions: the first holds the change', () => {
    const server = buildPlan();
    const attacker = replicaOf(server);
    const update = updateFrom(attacker, () => {
      itemMap(attacker, 'item-1').set('progress', 150);
      titleText(attacker, 'item-1').format(0, 5, { bold: true });
    });
    const shadow = replicaOf(server);
    const transactions = applyCapturing(shadow, update);
    // Yjs cleans up formatting after a remote change in a transaction of its own. A check that
    // keeps only the last transaction sees an empty change and lets this update through.
    expect(transactions).toHaveLength(2);
    const [first, last] = transactions.map((transaction) =>
      collectChangeScope(shadow, transaction),
    );
    expect(last).toEqual({ meta: false, workstreams: new Set(), items: new Set() });
    expect(first).toEqual({ meta: false, workstreams: new Set(), items: new Set(['item-1']) });
    if (!first || typeof first === 'string') throw new Error('expected a scope');
    expect(findPlanProblem(shadow, first)).toMatch(/item-1/);
  });
});

describe('the server check accepts what our writers send', () => {
  it('accepts a deleted item', () => {
    const server = buildPlan();
    const client = replicaOf(server);
    expect(
      receive(
        server,
        updateFrom(client, () => deleteItem(client, 'item-2')),
      ),
    ).toBeNull();
    expect(readPlan(server).items.map((item) => item.id)).toEqual(['item-1']);
  });

  it('accepts an edit to an item another client deleted meanwhile', () => {
    const server = buildPlan();
    const alice = replicaOf(server);
    const bob = replicaOf(server);
    const deletion = updateFrom(alice, () => deleteItem(alice, 'item-1'));
    const edit = updateFrom(bob, () => updateItem(bob, 'item-1', { progress: 50 }));
    expect(receive(server, deletion)).toBeNull();
    expect(receive(server, edit)).toBeNull();
    expect(readPlan(server).items.map((item) => item.id)).toEqual(['item-2']);
  });

  it('accepts as many entries in one update as the limit allows', () => {
    const server = buildPlan();
    const client = replicaOf(server);
    const update = updateFrom(client, () => {
      const items = client.getMap('items');
      for (let index = 0; index < planLimits.entriesPerUpdate; index++) {
        items.set(`bulk-${index}`, handMadeItem());
      }
    });
    expect(receive(server, update)).toBeNull();
  });

  it('accepts an update that changes nothing new', () => {
    const server = buildPlan();
    expect(receive(server, Y.encodeStateAsUpdate(server))).toBeNull();
  });

  it('accepts concurrent valid edits from several clients, which then converge', () => {
    const server = buildPlan();
    const alice = replicaOf(server);
    const bob = replicaOf(server);
    const fromAlice = [
      updateFrom(alice, () => updateItem(alice, 'item-1', { status: 'in_progress' })),
      updateFrom(alice, () => setItemTitle(alice, 'item-2', 'Teacher exchange (first group)')),
      updateFrom(alice, () =>
        createWorkstream(alice, { id: 'ws-digital', name: 'Digital skills' }),
      ),
    ];
    const fromBob = [
      updateFrom(bob, () => updateItem(bob, 'item-1', { progress: 30, leadOrg: 'NPIA' })),
      updateFrom(bob, () =>
        createItem(bob, {
          id: 'item-3',
          title: 'Online training modules',
          workstreamId: 'ws-robotics',
          leadOrg: 'ILO',
          start: '2022-05-01',
          end: '2022-08-31',
        }),
      ),
      updateFrom(bob, () => setItemTitle(bob, 'item-2', 'Teacher exchange 2022')),
    ];
    // The server receives them interleaved, each after the others it has already accepted.
    for (const [index, update] of [
      fromAlice[0],
      fromBob[0],
      fromBob[1],
      fromAlice[1],
      fromBob[2],
      fromAlice[2],
    ].entries()) {
      if (!update) throw new Error('missing update');
      expect(receive(server, update), `update ${index}`).toBeNull();
    }
    for (const update of fromBob) Y.applyUpdate(alice, update);
    for (const update of fromAlice) Y.applyUpdate(bob, update);
    expect(readPlan(alice)).toEqual(readPlan(server));
    expect(readPlan(bob)).toEqual(readPlan(server));
    expect(findPlanProblem(server)).toBeNull();
    const item1 = readPlan(server).items.find((item) => item.id === 'item-1');
    expect(item1).toMatchObject({ status: 'in_progress', progress: 30, leadOrg: 'NPIA' });
  });
});

/**
 * Rules that span several edits are not kept by a merge: two valid concurrent edits can make a
 * document that breaks them. These tests pin the current behaviour (docs/plan-document.md,
 * "Limits of validation"); change them together with the rule.
 */
describe("rules that a merge does not keep are the writers' alone", () => {
  it('concurrent date edits may cross: both updates are accepted and the item stays readable', () => {
    const server = buildPlan();
    const alice = replicaOf(server);
    const bob = replicaOf(server);
    // item-1 runs 2022-03-01 … 2022-06-30. Each edit is valid on its own.
    const later = updateFrom(alice, () => updateItem(alice, 'item-1', { start: '2022-05-01' }));
    const earlier = updateFrom(bob, () => updateItem(bob, 'item-1', { end: '2022-04-30' }));
    expect(receive(server, later)).toBeNull();
    expect(receive(server, earlier)).toBeNull();
    Y.applyUpdate(bob, later);
    const crossed = readPlan(bob).items.find((item) => item.id === 'item-1');
    expect(crossed).toMatchObject({ start: '2022-05-01', end: '2022-04-30' });
    // Whoever edits the dates next must set them in order again.
    expect(() => updateItem(bob, 'item-1', { end: '2022-04-30' })).toThrow(DomainError);
    expect(() => updateItem(bob, 'item-1', { end: '2022-05-31' })).not.toThrow();
  });

  it("concurrent typing may push a title over the writers' limit: the merge is accepted", () => {
    const server = buildPlan();
    const half = 'x'.repeat(100);
    const alice = replicaOf(server);
    const bob = replicaOf(server);
    const fromAlice = updateFrom(alice, () =>
      setItemTitle(alice, 'item-1', `${half} Train NPIA teachers in robotics`),
    );
    const fromBob = updateFrom(bob, () =>
      setItemTitle(bob, 'item-1', `Train NPIA teachers in robotics ${half}`),
    );
    expect(receive(server, fromAlice)).toBeNull();
    expect(receive(server, fromBob)).toBeNull();
    expect(
      readPlan(server).items.find((item) => item.id === 'item-1')?.title.length,
    ).toBeGreaterThan(planLimits.itemTitleLength);
  });
});
