/**
 * Convergence under seeded random edits (after yjs `tests/testHelper.js`): several replicas
 * edit one plan through the domain writers, their updates reach the others shuffled, duplicated
 * and late, and at the end every replica holds the same valid plan.
 *
 * 20 seeds run with the unit tests. More on demand:
 *
 *   COPLAN_FUZZ_SEEDS=500 npx vitest run --project unit domain/plan-document.convergence
 *   COPLAN_FUZZ_SEED=1234 npx vitest run --project unit domain/plan-document.convergence
 *
 * The random edits keep to what merges safely (see docs/plan-document.md, "Limits of
 * validation"): start dates from the first half of the period and end dates from the second, so
 * crossing edits cannot meet, and titles of at most 30 UTF-16 units, so five replicas typing at
 * once stay within the 200-character limit.
 */
import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { organisationCodes } from './organisations';
import {
  createItem,
  createWorkstream,
  deleteItem,
  findPlanProblem,
  initialisePlan,
  itemStatuses,
  preparePlanDocument,
  readPlan,
  setItemTitle,
  updateItem,
} from './plan-document';

const maxTitleLength = 30;
const rounds = Number(process.env.R ?? 12);
const firstHalf = { from: Date.UTC(2022, 0, 1), days: 365 };
const secondHalf = { from: Date.UTC(2023, 0, 1), days: 365 };
/** Latin, Chinese, Khmer and astral characters (surrogate pairs), as the plan's people type. */
const words = [
  'training',
  'robotics',
  'AI',
  '培训',
  '教师交流',
  'ការបណ្តុះ',
  'គ្រូ',
  '🤖',
  '🤝',
  '𠀀',
  '✓',
];

interface Replica {
  doc: Y.Doc;
  /** Updates waiting for this replica, each with the round from which it may be delivered. */
  inbox: Array<{ update: Uint8Array; dueRound: number }>;
}

function dateIn(gen: prng.PRNG, range: { from: number; days: number }): string {
  const day = prng.int32(gen, 0, range.days - 1);
  return new Date(range.from + day * 86_400_000).toISOString().slice(0, 10);
}

function randomTitle(gen: prng.PRNG): string {
  const count = prng.int32(gen, 1, 3);
  return limitTitle(Array.from({ length: count }, () => prng.oneOf(gen, words)).join(' '));
}

/** Cuts whole code points off the end until the title fits. */
function limitTitle(title: string): string {
  const codePoints = Array.from(title);
  while (codePoints.join('').length > maxTitleLength) codePoints.pop();
  return codePoints.join('');
}

/** A random edit of a title, made on whole code points like a person typing. */
function editTitle(gen: prng.PRNG, title: string): string {
  const codePoints = Array.from(title);
  const at = prng.int32(gen, 0, codePoints.length);
  switch (prng.int32(gen, 0, 2)) {
    case 0:
      codePoints.splice(at, 0, ...Array.from(` ${prng.oneOf(gen, words)}`));
      break;
    case 1:
      codePoints.splice(at, prng.int32(gen, 1, 4));
      break;
    default:
      codePoints.splice(at, prng.int32(gen, 0, 3), ...Array.from(prng.oneOf(gen, words)));
  }
  return limitTitle(codePoints.join(''));
}

/** One random domain operation on a replica. Ids come from the PRNG so a seed replays exactly. */
function randomEdit(gen: prng.PRNG, doc: Y.Doc, name: string): void {
  const plan = readPlan(doc);
  const item = plan.items.length > 0 ? prng.oneOf(gen, plan.items) : null;
  const roll = prng.int32(gen, 0, 99);
  if (roll < 5 || plan.workstreams.length === 0) {
    createWorkstream(doc, { id: `ws-${name}`, name: randomTitle(gen) || 'Workstream' });
  } else if (roll < 30 || !item) {
    createItem(doc, {
      id: `item-${name}`,
      title: randomTitle(gen) || 'Activity',
      workstreamId: prng.oneOf(gen, plan.workstreams).id,
      status: prng.oneOf(gen, [...itemStatuses]),
      leadOrg: prng.oneOf(gen, [...organisationCodes]),
      start: dateIn(gen, firstHalf),
      end: dateIn(gen, secondHalf),
    });
  } else if (roll < 60) {
    setItemTitle(doc, item.id, editTitle(gen, item.title));
  } else if (roll < 70) {
    updateItem(doc, item.id, { status: prng.oneOf(gen, [...itemStatuses]) });
  } else if (roll < 78) {
    updateItem(doc, item.id, { progress: prng.int32(gen, 0, 100) });
  } else if (roll < 86) {
    updateItem(doc, item.id, { start: dateIn(gen, firstHalf) });
  } else if (roll < 92) {
    updateItem(doc, item.id, { end: dateIn(gen, secondHalf) });
  } else {
    deleteItem(doc, item.id);
  }
}

function shuffle<T>(gen: prng.PRNG, list: T[]): T[] {
  for (let index = list.length - 1; index > 0; index--) {
    const other = prng.int32(gen, 0, index);
    [list[index], list[other]] = [list[other] as T, list[index] as T];
  }
  return list;
}

/** Hands each replica the updates due by `round` (all of them without a round), shuffled. */
function deliver(gen: prng.PRNG, replicas: Replica[], round: number | null): void {
  for (const replica of replicas) {
    const isDue = (entry: Replica['inbox'][number]) => round === null || entry.dueRound <= round;
    const due = replica.inbox.filter(isDue);
    replica.inbox = replica.inbox.filter((entry) => !isDue(entry));
    for (const { update } of shuffle(gen, due)) Y.applyUpdate(replica.doc, update);
  }
}

function runSeed(seed: number): void {
  const gen = prng.create(seed);
  const replicaCount = prng.int32(gen, 3, 5);
  const replicas: Replica[] = Array.from({ length: replicaCount }, (_, index) => {
    const doc = preparePlanDocument(new Y.Doc());
    // Fixed client ids make the run a function of the seed alone.
    doc.clientID = index + 1;
    return { doc, inbox: [] };
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

  let operation = 0;
  for (let round = 0; round < rounds; round++) {
    for (const [index, replica] of replicas.entries()) {
      const edits = prng.int32(gen, 1, 2);
      for (let edit = 0; edit < edits; edit++) {
        const updates: Uint8Array[] = [];
        const capture = (update: Uint8Array) => updates.push(update);
        replica.doc.on('update', capture);
        randomEdit(gen, replica.doc, `${index}-${operation++}`);
        replica.doc.off('update', capture);
        for (const update of updates) {
          for (const other of replicas) {
            if (other === replica) continue;
            // Most arrive this round; some one to three rounds late; some twice.
            const delay = prng.int32(gen, 0, 9) < 7 ? 0 : prng.int32(gen, 1, 3);
            other.inbox.push({ update, dueRound: round + delay });
            if (prng.int32(gen, 0, 9) === 0) {
              other.inbox.push({ update, dueRound: round + prng.int32(gen, 0, 3) });
            }
          }
        }
      }
    }
    deliver(gen, replicas, round);
  }
  deliver(gen, replicas, null);

  const expected = readPlan(origin.doc);
  const expectedStateVector = Y.encodeStateVector(origin.doc);
  for (const [index, { doc }] of replicas.entries()) {
    const where = `seed ${seed}, replica ${index}`;
    expect(doc.store.pendingStructs, `${where}: updates still pending`).toBeNull();
    expect(findPlanProblem(doc), `${where}: the merged plan breaks the schema`).toBeNull();
    expect(readPlan(doc), `${where}: the plan differs from replica 0`).toEqual(expected);
    expect(Y.encodeStateVector(doc), `${where}: the state vector differs`).toEqual(
      expectedStateVector,
    );
  }
  for (const item of expected.items) {
    // U+FFFD is what Yjs leaves where an edit split a surrogate pair; no word above contains it.
    expect(item.title, `seed ${seed}: a title lost a character`).not.toContain('\uFFFD');
  }
  // A plan that ends empty would prove little.
  expect(expected.items.length, `seed ${seed}: no items left`).toBeGreaterThan(0);
}

function seedsToRun(): number[] {
  const single = process.env.COPLAN_FUZZ_SEED;
  if (single) return [Number(single)];
  const count = Number(process.env.COPLAN_FUZZ_SEEDS ?? 20);
  return Array.from({ length: count }, (_, index) => index + 1);
}

describe('plan document convergence', () => {
  it.each(seedsToRun())('seed %i: all replicas end equal and valid', (seed) => {
    runSeed(seed);
  });
});
