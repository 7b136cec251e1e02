import { describe, expect, it } from 'vitest';

import type { ActivityEntry } from './activity';
import {
  addDays,
  computeProgressBoard,
  indicatorReached,
  utcDate,
  withoutPersonalNames,
  type BoardItemInput,
} from './progress-board';

let counter = 0;
function item(fields: Partial<BoardItemInput> = {}): BoardItemInput {
  counter += 1;
  return {
    id: `item-${counter}`,
    title: `Item ${counter}`,
    workstreamId: 'ws-a',
    workstreamName: 'AI and robotics',
    status: 'planned',
    leadOrg: 'HTC',
    start: '2026-01-01',
    end: '2026-12-31',
    progress: 0,
    position: `a${counter}`,
    indicators: [],
    ...fields,
  };
}

const plan = { slug: 'p', title: 'Plan' };

function board(items: BoardItemInput[], now = new Date('2026-06-15T12:00:00Z'), order?: string[]) {
  return computeProgressBoard({
    plan,
    seq: 7,
    items,
    workstreamOrder: order,
    activity: [],
    now,
  });
}

describe('computeProgressBoard', () => {
  it('reads an empty plan as 0 % with nothing due', () => {
    const result = board([]);
    expect(result.overall).toEqual({
      items: 0,
      progress: 0,
      counts: { planned: 0, in_progress: 0, done: 0, blocked: 0 },
    });
    expect(result.workstreams).toEqual([]);
    expect(result.organisations).toEqual([]);
    expect(result.overdue).toEqual([]);
    expect(result.upcoming).toEqual([]);
    expect(result.indicators).toEqual([]);
    expect(result.seq).toBe(7);
    expect(result.today).toBe('2026-06-15');
  });

  it('weights progress by items, done counting as 100, per workstream too', () => {
    const result = board(
      [
        item({ progress: 20, status: 'in_progress' }),
        item({ progress: 40, status: 'done' }),
        item({ workstreamId: 'ws-b', workstreamName: 'Exchange', progress: 50 }),
        item({ workstreamId: 'ws-b', workstreamName: 'Exchange', progress: 0, status: 'blocked' }),
      ],
      undefined,
      ['ws-b', 'ws-a'],
    );
    // (20 + 100 + 50 + 0) / 4 = 42.5 → 43
    expect(result.overall.progress).toBe(43);
    expect(result.overall.counts).toEqual({ planned: 1, in_progress: 1, done: 1, blocked: 1 });
    expect(result.workstreams.map((ws) => [ws.id, ws.items, ws.progress])).toEqual([
      ['ws-b', 2, 25],
      ['ws-a', 2, 60],
    ]);
  });

  it('groups by lead organisation, larger first, with their activities soonest end first', () => {
    const result = board([
      item({ leadOrg: 'NPIA', end: '2026-09-01', progress: 10 }),
      item({ leadOrg: 'HTC', end: '2026-08-01', progress: 30 }),
      item({ leadOrg: 'NPIA', end: '2026-07-01', progress: 50 }),
    ]);
    expect(result.organisations.map((org) => [org.organisation, org.items, org.progress])).toEqual([
      ['NPIA', 2, 30],
      ['HTC', 1, 30],
    ]);
    expect(result.organisations[0]?.activities.map((a) => a.end)).toEqual([
      '2026-07-01',
      '2026-09-01',
    ]);
  });

  it('finds overdue and upcoming activities by UTC calendar date', () => {
    // 23:30 UTC on 14 June is already 15 June in Phnom Penh and Haikou; the board reads UTC.
    const now = new Date('2026-06-14T23:30:00Z');
    const endedYesterday = item({ title: 'ended yesterday', end: '2026-06-13' });
    const endsToday = item({ title: 'ends today', end: '2026-06-14' });
    const doneLate = item({ title: 'done late', end: '2026-01-01', status: 'done' });
    const startsIn30 = item({ title: 'starts in 30', start: '2026-07-14', end: '2026-12-01' });
    const startsIn31 = item({ title: 'starts in 31', start: '2026-07-15', end: '2026-12-01' });
    const endsIn10 = item({ title: 'ends in 10', start: '2026-01-01', end: '2026-06-24' });
    const runningLong = item({ title: 'running long', start: '2026-01-01', end: '2026-12-31' });
    const result = board(
      [runningLong, startsIn31, startsIn30, endsIn10, doneLate, endsToday, endedYesterday],
      now,
    );
    expect(result.today).toBe('2026-06-14');
    expect(result.overdue.map((a) => a.title)).toEqual(['ended yesterday']);
    expect(result.upcoming.map((a) => a.title)).toEqual([
      'ends today',
      'ends in 10',
      'starts in 30',
    ]);
  });

  it('lists indicators with their share reached, null while not measured', () => {
    const result = board([
      item({
        title: 'Train trainers',
        indicators: [
          {
            id: 'i1',
            name: 'Trainers certified',
            unit: 'people',
            baseline: 0,
            target: 20,
            actual: 5,
          },
          { id: 'i2', name: 'Courses', unit: '', baseline: 2, target: 10, actual: null },
        ],
      }),
    ]);
    expect(result.indicators).toEqual([
      expect.objectContaining({
        itemTitle: 'Train trainers',
        name: 'Trainers certified',
        reached: 0.25,
      }),
      expect.objectContaining({ name: 'Courses', actual: null, reached: null }),
    ]);
  });
});

describe('indicatorReached', () => {
  it('clamps to 0–1 and handles a target equal to the baseline', () => {
    expect(indicatorReached({ baseline: 0, target: 10, actual: 15 })).toBe(1);
    expect(indicatorReached({ baseline: 10, target: 20, actual: 5 })).toBe(0);
    expect(indicatorReached({ baseline: 100, target: 50, actual: 75 })).toBe(0.5);
    expect(indicatorReached({ baseline: 5, target: 5, actual: 5 })).toBe(1);
    expect(indicatorReached({ baseline: 5, target: 5, actual: null })).toBeNull();
  });
});

describe('dates', () => {
  it('adds calendar days in UTC across months and years', () => {
    expect(addDays('2026-12-20', 30)).toBe('2027-01-19');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(utcDate(new Date('2026-03-29T01:30:00+02:00'))).toBe('2026-03-28');
  });
});

describe('withoutPersonalNames', () => {
  it('names the organisation, never the person', () => {
    const entry: ActivityEntry = {
      id: 'e1',
      itemId: 'i1',
      itemTitle: 'Workshop',
      actor: { id: 'u1', name: 'Chen Jing', organisation: 'HTC' },
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      kind: 'status',
      from: 'planned',
      to: 'done',
    };
    const cleaned = withoutPersonalNames(entry);
    expect(cleaned.actor).toEqual({ id: '', name: 'HTC', organisation: 'HTC' });
    expect(JSON.stringify(cleaned)).not.toContain('Chen');
    expect(JSON.stringify(cleaned)).not.toContain('u1');
  });
});
