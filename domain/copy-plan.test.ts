import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { copyPlanStructure, periodShift, shiftDate } from './copy-plan';
import {
  addChecklistEntry,
  addIndicator,
  findPlanProblem,
  getItemDescription,
  readMeta,
  readPlan,
  setItemOwner,
  setItemTag,
  updateChecklistEntry,
  updateItem,
} from './plan-document';
import { buildPlan, newPlanDoc } from './plan-document.fixtures';
import { appendParagraphs, richTextToPlainText } from './rich-text';

const followOn = {
  title: 'HTC–NPIA cooperation 2024–2025',
  periodStart: '2024-01-01',
  periodEnd: '2025-12-31',
  partners: ['HTC', 'NPIA'] as Array<'HTC' | 'NPIA'>,
};

function sourceWithProgress(): Y.Doc {
  const doc = buildPlan();
  updateItem(doc, 'item-1', { status: 'done', progress: 100 });
  setItemOwner(doc, 'item-1', 'user-zhang', true);
  setItemTag(doc, 'item-1', 'robotics');
  const step = addChecklistEntry(doc, 'item-1', 'Book the lab');
  updateChecklistEntry(doc, 'item-1', step, { done: true });
  addIndicator(doc, 'item-1', {
    name: 'Teachers trained',
    unit: 'people',
    baseline: 0,
    target: 20,
    actual: 14,
  });
  const description = getItemDescription(doc, 'item-1');
  if (description) doc.transact(() => appendParagraphs(description, ['Two weeks at HTC.']));
  return doc;
}

describe('periodShift and shiftDate', () => {
  it('2022–2023 → 2024–2025 moves every date by two years, to the same day', () => {
    const shift = periodShift({ periodStart: '2022-01-01' }, { periodStart: '2024-01-01' });
    expect(shift).toEqual({ months: 24 });
    expect(shiftDate('2022-03-15', shift)).toBe('2024-03-15');
    expect(shiftDate('2023-12-31', shift)).toBe('2025-12-31');
  });

  it('keeps the end of a month inside the month', () => {
    expect(shiftDate('2022-01-31', { months: 1 })).toBe('2022-02-28');
    expect(shiftDate('2023-02-28', { months: 12 })).toBe('2024-02-28');
    expect(shiftDate('2022-05-10', { months: -5 })).toBe('2021-12-10');
  });

  it('shifts by days when the periods start on different days of the month', () => {
    const shift = periodShift({ periodStart: '2022-01-01' }, { periodStart: '2022-01-15' });
    expect(shift).toEqual({ days: 14 });
    expect(shiftDate('2022-02-20', shift)).toBe('2022-03-06');
  });
});

describe('copyPlanStructure', () => {
  it('copies workstreams and items without progress, dates moved two years', () => {
    const source = sourceWithProgress();
    const target = newPlanDoc();
    expect(copyPlanStructure(source, target, followOn)).toEqual({ workstreams: 2, items: 2 });
    expect(findPlanProblem(target)).toBeNull();
    expect(readMeta(target)).toEqual(followOn);

    const copied = readPlan(target);
    expect(copied.workstreams.map((workstream) => workstream.name)).toEqual([
      'AI and robotics training',
      'Teacher and student exchange',
    ]);
    const [first, second] = copied.items;
    expect(first).toMatchObject({
      title: 'Train NPIA teachers in robotics',
      status: 'planned',
      progress: 0,
      leadOrg: 'HTC',
      start: '2024-03-01',
      end: '2024-06-30',
      owners: [],
      tags: ['robotics'],
    });
    expect(first?.checklist.map(({ text, done }) => ({ text, done }))).toEqual([
      { text: 'Book the lab', done: false },
    ]);
    expect(
      first?.indicators.map(({ name, baseline, target: goal, actual }) => ({
        name,
        baseline,
        target: goal,
        actual,
      })),
    ).toEqual([{ name: 'Teachers trained', baseline: 0, target: 20, actual: null }]);
    const description = first ? getItemDescription(target, first.id) : null;
    expect(description ? richTextToPlainText(description) : '').toContain('Two weeks at HTC.');
    expect(second).toMatchObject({
      title: 'ការផ្លាស់ប្តូរគ្រូ 教师交流',
      status: 'planned',
      progress: 0,
      start: '2024-09-01',
      end: '2025-01-31',
    });
    expect(second?.workstreamId).toBe(copied.workstreams[1]?.id);
  });

  it('gives everything fresh ids', () => {
    const source = sourceWithProgress();
    const target = newPlanDoc();
    copyPlanStructure(source, target, followOn);
    const before = readPlan(source);
    const after = readPlan(target);
    const oldIds = new Set([
      ...before.workstreams.map((workstream) => workstream.id),
      ...before.items.flatMap((item) => [
        item.id,
        ...item.checklist.map((entry) => entry.id),
        ...item.indicators.map((indicator) => indicator.id),
      ]),
    ]);
    const newIds = [
      ...after.workstreams.map((workstream) => workstream.id),
      ...after.items.flatMap((item) => [
        item.id,
        ...item.checklist.map((entry) => entry.id),
        ...item.indicators.map((indicator) => indicator.id),
      ]),
    ];
    expect(newIds.length).toBeGreaterThan(4);
    for (const id of newIds) expect(oldIds.has(id)).toBe(false);
  });

  it('clamps dates that would fall outside a shorter new period', () => {
    const source = sourceWithProgress();
    const target = newPlanDoc();
    copyPlanStructure(source, target, {
      title: 'One year only',
      periodStart: '2024-01-01',
      periodEnd: '2024-12-31',
    });
    const [first, second] = readPlan(target).items;
    expect(first).toMatchObject({ start: '2024-03-01', end: '2024-06-30' });
    // 2022-09-01 → 2024-09-01 fits; 2023-01-31 → 2025-01-31 does not: clamped to the end.
    expect(second).toMatchObject({ start: '2024-09-01', end: '2024-12-31' });
  });

  it('leaves the source untouched', () => {
    const source = sourceWithProgress();
    const before = Y.encodeStateVector(source);
    copyPlanStructure(source, newPlanDoc(), followOn);
    expect(Y.encodeStateVector(source)).toEqual(before);
  });
});
