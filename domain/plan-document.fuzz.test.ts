/**
 * A seeded network fuzz of the plan document. Where plan-document.convergence.test.ts covers
 * concurrent typing with late and doubled delivery, this one drives every writer of the domain
 * (workstreams, items, moves, titles, descriptions, owners, tags, checklists, indicators and the
 * restore of a saved version) over a network that drops, duplicates and reorders messages and
 * takes replicas offline. A replica that comes back syncs as y-websocket does: by state vector,
 * both ways. After the last delivery every replica must read the same plan, hold the same state
 * vector and pass `findPlanProblem`.
 *
 * 50 seeds run with the unit tests. More on demand, or one to replay a failure:
 *
 *   FUZZ_SEEDS=1000 npx vitest run --project unit domain/plan-document.fuzz.test.ts
 *   FUZZ_SEED=1234 npx vitest run --project unit domain/plan-document.fuzz.test.ts
 *
 * The ids the writers make for checklist entries and indicators come from `lib0/random`; here
 * they come from a counter reset for each seed, so that a seed replays exactly.
 */
import * as prng from 'lib0/prng';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';

import { DomainError } from './domain-error';
import { organisationCodes } from './organisations';
import {
  addChecklistEntry,
  addIndicator,
  createItem,
  createWorkstream,
  deleteChecklistEntry,
  deleteIndicator,
  deleteItem,
  findPlanProblem,
  getItemDescription,
  initialisePlan,
  itemStatuses,
  moveItem,
  moveWorkstream,
  preparePlanDocument,
  readPlan,
  restorePlanVersion,
  setItemOwner,
  setItemTag,
  setItemTitle,
  updateChecklistEntry,
  updateIndicator,
  updateItem,
  updateWorkstream,
  workstreamColours,
} from './plan-document';

let idCounter = 0;
/** How often each kind of edit went through, over all seeds: a kind never applied tests nothing. */
const applied = new Map<string, number>();
vi.mock('lib0/random', async (importOriginal) => {
  const actual = await importOriginal<typeof import('lib0/random')>();
  return {
    ...actual,
    uuidv4: () => `00000000-0000-4000-8000-${(idCounter++).toString(16).padStart(12, '0')}`,
  };
});

const defaultSeeds = 50;
const rounds = 10;
const maxTitleLength = 30;
const firstHalf = { from: Date.UTC(2022, 0, 1), days: 365 };
const secondHalf = { from: Date.UTC(2023, 0, 1), days: 365 };
const words = ['training', 'AI', '培训', '教师交流', 'ការបណ្តុះ', 'គ្រូ', '🤖', '𠀀', '✓'];
const owners = ['user-a', 'user-b', 'user-c'];
const tags = ['robotics', '培训', 'គ្រូ', 'exchange'];

interface Replica {
  name: string;
  doc: Y.Doc;
  /** Messages on their way to this replica, each with the round from which it may arrive. */
  inbox: Array<{ update: Uint8Array; dueRound: number }>;
  /** Rounds left offline: nothing reaches it and nothing it sends leaves. */
  offlineFor: number;
}

function dateIn(gen: prng.PRNG, range: { from: number; days: number }): string {
  const day = prng.int32(gen, 0, range.days - 1);
  return new Date(range.from + day * 86_400_000).toISOString().slice(0, 10);
}

function randomText(gen: prng.PRNG): string {
  const count = prng.int32(gen, 1, 3);
  const codePoints = Array.from(
    Array.from({ length: count }, () => prng.oneOf(gen, words)).join(' '),
  );
  while (codePoints.join('').length > maxTitleLength) codePoints.pop();
  return codePoints.join('').trim() || 'x';
}

/** A neighbour pair for a move: after one entry, before another, or at either end. */
function randomPlace(gen: prng.PRNG, ids: string[], moving: string) {
  const others = ids.filter((id) => id !== moving);
  const pick = () => (others.length > 0 && prng.bool(gen) ? prng.oneOf(gen, others) : null);
  return { after: pick(), before: pick() };
}

/** One random domain operation. Refusals by the writers (a concurrent delete, a limit) are fine. */
function randomEdit(gen: prng.PRNG, replica: Replica, versions: Y.Doc[], op: number): string {
  const { doc } = replica;
  const plan = readPlan(doc);
  const item = plan.items.length > 0 ? prng.oneOf(gen, plan.items) : null;
  const workstream = plan.workstreams.length > 0 ? prng.oneOf(gen, plan.workstreams) : null;
  const roll = prng.int32(gen, 0, 99);
  let kind = 'none';
  try {
    if (roll < 5 || !workstream) {
      kind = 'createWorkstream';
      createWorkstream(doc, { id: `ws-${replica.name}-${op}`, name: randomText(gen) });
    } else if (roll < 8) {
      kind = 'updateWorkstream';
      updateWorkstream(doc, workstream.id, {
        name: randomText(gen),
        colour: prng.oneOf(gen, [...workstreamColours]),
      });
    } else if (roll < 11) {
      kind = 'moveWorkstream';
      const ids = plan.workstreams.map((entry) => entry.id);
      moveWorkstream(doc, workstream.id, randomPlace(gen, ids, workstream.id));
    } else if (roll < 25 || !item) {
      kind = 'createItem';
      createItem(doc, {
        id: `item-${replica.name}-${op}`,
        title: randomText(gen),
        workstreamId: workstream.id,
        status: prng.oneOf(gen, [...itemStatuses]),
        leadOrg: prng.oneOf(gen, [...organisationCodes]),
        start: dateIn(gen, firstHalf),
        end: dateIn(gen, secondHalf),
      });
    } else if (roll < 35) {
      kind = 'setItemTitle';
      setItemTitle(doc, item.id, randomText(gen));
    } else if (roll < 43) {
      kind = 'updateItem';
      const field = prng.int32(gen, 0, 5);
      if (field === 0) updateItem(doc, item.id, { status: prng.oneOf(gen, [...itemStatuses]) });
      if (field === 1) updateItem(doc, item.id, { progress: prng.int32(gen, 0, 100) });
      if (field === 2) updateItem(doc, item.id, { start: dateIn(gen, firstHalf) });
      if (field === 3) updateItem(doc, item.id, { end: dateIn(gen, secondHalf) });
      if (field === 4) {
        updateItem(doc, item.id, { leadOrg: prng.oneOf(gen, [...organisationCodes]) });
      }
      if (field === 5) updateItem(doc, item.id, { workstreamId: workstream.id });
    } else if (roll < 51) {
      kind = 'moveItem';
      const ids = plan.items.map((entry) => entry.id);
      moveItem(doc, item.id, {
        status: prng.bool(gen) ? prng.oneOf(gen, [...itemStatuses]) : undefined,
        workstreamId: prng.bool(gen) ? workstream.id : undefined,
        ...randomPlace(gen, ids, item.id),
      });
    } else if (roll < 56) {
      kind = 'deleteItem';
      deleteItem(doc, item.id);
    } else if (roll < 62) {
      kind = 'description';
      const fragment = getItemDescription(doc, item.id, { create: true });
      if (fragment) {
        doc.transact(() => {
          if (fragment.length > 0 && prng.int32(gen, 0, 3) === 0) {
            fragment.delete(prng.int32(gen, 0, fragment.length - 1), 1);
          } else {
            const paragraph = new Y.XmlElement('paragraph');
            paragraph.insert(0, [new Y.XmlText(randomText(gen))]);
            fragment.insert(prng.int32(gen, 0, fragment.length), [paragraph]);
          }
        });
      }
    } else if (roll < 66) {
      kind = 'setItemOwner';
      setItemOwner(doc, item.id, prng.oneOf(gen, owners), prng.bool(gen));
    } else if (roll < 70) {
      kind = 'setItemTag';
      setItemTag(doc, item.id, prng.oneOf(gen, tags), prng.bool(gen));
    } else if (roll < 76) {
      kind = 'checklist';
      const entry = item.checklist.length > 0 ? prng.oneOf(gen, item.checklist) : null;
      const action = prng.int32(gen, 0, 2);
      if (!entry || action === 0) addChecklistEntry(doc, item.id, randomText(gen));
      else if (action === 1) {
        updateChecklistEntry(
          doc,
          item.id,
          entry.id,
          prng.bool(gen) ? { done: !entry.done } : { text: randomText(gen) },
        );
      } else deleteChecklistEntry(doc, item.id, entry.id);
    } else if (roll < 82) {
      kind = 'indicator';
      const entry = item.indicators.length > 0 ? prng.oneOf(gen, item.indicators) : null;
      const action = prng.int32(gen, 0, 2);
      if (!entry || action === 0) {
        addIndicator(doc, item.id, {
          name: randomText(gen),
          unit: prng.oneOf(gen, ['', 'people', '人']),
          baseline: 0,
          target: prng.int32(gen, 1, 100),
          actual: prng.bool(gen) ? null : prng.int32(gen, 0, 100),
        });
      } else if (action === 1) {
        updateIndicator(doc, item.id, entry.id, { actual: prng.int32(gen, 0, 100) });
      } else deleteIndicator(doc, item.id, entry.id);
    } else if (roll < 88) {
      kind = 'saveVersion';
      // The daily version is a copy of a replica's document as it stands.
      const version = new Y.Doc();
      Y.applyUpdate(version, Y.encodeStateAsUpdate(doc));
      versions.push(version);
    } else if (roll < 91 && versions.length > 0) {
      kind = 'restorePlanVersion';
      restorePlanVersion(doc, prng.oneOf(gen, versions));
    } else {
      kind = 'setItemTitle';
      setItemTitle(doc, item.id, randomText(gen));
    }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return `${kind} (refused: ${error.message})`;
  }
  applied.set(kind, (applied.get(kind) ?? 0) + 1);
  return kind;
}

function shuffle<T>(gen: prng.PRNG, list: T[]): T[] {
  for (let index = list.length - 1; index > 0; index--) {
    const other = prng.int32(gen, 0, index);
    [list[index], list[other]] = [list[other] as T, list[index] as T];
  }
  return list;
}

/** What y-websocket does on (re)connect: each side sends what the other's state vector lacks. */
function syncByStateVector(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB);
  Y.applyUpdate(a, toA);
}

function deliver(gen: prng.PRNG, replicas: Replica[], round: number | null): void {
  for (const replica of shuffle(gen, [...replicas])) {
    if (round !== null && replica.offlineFor > 0) continue;
    const isDue = (entry: Replica['inbox'][number]) => round === null || entry.dueRound <= round;
    const due = replica.inbox.filter(isDue);
    replica.inbox = replica.inbox.filter((entry) => !isDue(entry));
    for (const { update } of shuffle(gen, due)) Y.applyUpdate(replica.doc, update);
  }
}

function runSeed(seed: number): void {
  idCounter = seed * 1_000_000;
  const gen = prng.create(seed);
  const replicas: Replica[] = Array.from({ length: prng.int32(gen, 3, 4) }, (_, index) => {
    const doc = preparePlanDocument(new Y.Doc());
    doc.clientID = index + 1;
    return { name: String(index), doc, inbox: [], offlineFor: 0 };
  });
  const [origin] = replicas;
  if (!origin) throw new Error('no replicas');
  initialisePlan(origin.doc, {
    title: `Fuzz plan ${seed}`,
    periodStart: '2022-01-01',
    periodEnd: '2023-12-31',
  });
  createWorkstream(origin.doc, { id: 'ws-0', name: 'General technical skills' });
  const initial = Y.encodeStateAsUpdate(origin.doc);
  for (const replica of replicas.slice(1)) Y.applyUpdate(replica.doc, initial);
  const versions: Y.Doc[] = [];
  const log: string[] = [];

  let op = 0;
  for (let round = 0; round < rounds; round++) {
    for (const replica of replicas) {
      if (replica.offlineFor === 0 && prng.int32(gen, 0, 9) === 0) {
        replica.offlineFor = prng.int32(gen, 1, 3);
        log.push(`r${round}: ${replica.name} goes offline for ${replica.offlineFor}`);
      }
      for (let edit = prng.int32(gen, 1, 3); edit > 0; edit--) {
        const updates: Uint8Array[] = [];
        const capture = (update: Uint8Array) => updates.push(update);
        replica.doc.on('update', capture);
        log.push(`r${round}: ${replica.name} ${randomEdit(gen, replica, versions, op++)}`);
        replica.doc.off('update', capture);
        if (replica.offlineFor > 0) continue; // it catches up by state vector on reconnect
        for (const update of updates) {
          for (const other of replicas) {
            if (other === replica) continue;
            const fate = prng.int32(gen, 0, 19);
            if (fate === 0) continue; // dropped: only the final resync brings it
            const delay = fate < 14 ? 0 : prng.int32(gen, 1, 3);
            other.inbox.push({ update, dueRound: round + delay });
            if (fate === 19) other.inbox.push({ update, dueRound: round + prng.int32(gen, 0, 3) });
          }
        }
      }
    }
    deliver(gen, replicas, round);
    for (const replica of replicas) {
      if (replica.offlineFor === 0) continue;
      replica.offlineFor--;
      if (replica.offlineFor > 0) continue;
      // Back online: whatever was queued for it was lost with the connection.
      replica.inbox = [];
      for (const other of replicas) {
        if (other !== replica) syncByStateVector(replica.doc, other.doc);
      }
      log.push(`r${round}: ${replica.name} reconnects`);
    }
  }
  // Everyone comes back, the late messages arrive, and every pair resyncs once.
  for (const replica of replicas) replica.offlineFor = 0;
  deliver(gen, replicas, null);
  for (const a of replicas) for (const b of replicas) if (a !== b) syncByStateVector(a.doc, b.doc);

  const expected = readPlan(origin.doc);
  const expectedStateVector = Y.encodeStateVector(origin.doc);
  const replay = `replay with FUZZ_SEED=${seed}`;
  for (const { name, doc } of replicas) {
    const where = `seed ${seed}, replica ${name} (${replay})`;
    try {
      expect(doc.store.pendingStructs, `${where}: updates still pending`).toBeNull();
      expect(findPlanProblem(doc), `${where}: the merged plan breaks the schema`).toBeNull();
      expect(readPlan(doc), `${where}: the plan differs from replica 0`).toEqual(expected);
      expect(Y.encodeStateVector(doc), `${where}: the state vector differs`).toEqual(
        expectedStateVector,
      );
    } catch (error) {
      console.error(`fuzz seed ${seed} failed; operations:\n${log.join('\n')}`);
      throw error;
    }
  }
}

function seedsToRun(): number[] {
  const single = process.env.FUZZ_SEED;
  if (single) return [Number(single)];
  const count = Number(process.env.FUZZ_SEEDS ?? defaultSeeds);
  return Array.from({ length: count }, (_, index) => index + 1);
}

describe('plan document under a lossy network', () => {
  it.each(seedsToRun())('seed %i: every replica ends equal and valid', (seed) => {
    runSeed(seed);
  });

  afterAll(() => {
    if (seedsToRun().length < 20) return;
    const kinds = [
      'createWorkstream',
      'updateWorkstream',
      'moveWorkstream',
      'createItem',
      'setItemTitle',
      'updateItem',
      'moveItem',
      'deleteItem',
      'description',
      'setItemOwner',
      'setItemTag',
      'checklist',
      'indicator',
      'saveVersion',
      'restorePlanVersion',
    ];
    for (const kind of kinds)
      expect(applied.get(kind) ?? 0, `${kind} never applied`).toBeGreaterThan(5);
  });
});
