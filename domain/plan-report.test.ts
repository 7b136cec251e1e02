import { describe, expect, it } from 'vitest';

import { buildReport } from './plan-report';

const item = (
  id: string,
  workstreamId: string,
  start: string,
  end: string,
  status: 'planned' | 'done',
  progress: number,
) => ({
  id,
  workstreamId,
  workstreamName: `WS ${workstreamId}`,
  status,
  start,
  end,
  progress,
});

describe('the printable report', () => {
  it('groups by workstream in board order, sorts by start, and sums up', () => {
    const report = buildReport([
      item('a', 'w2', '2022-05-01', '2022-06-01', 'done', 100),
      item('b', 'w1', '2022-03-01', '2022-12-31', 'planned', 0),
      item('c', 'w2', '2022-01-15', '2022-02-01', 'planned', 25),
    ]);
    expect(
      report.sections.map((section) => [section.workstreamId, section.items.map((i) => i.id)]),
    ).toEqual([
      ['w2', ['c', 'a']],
      ['w1', ['b']],
    ]);
    expect(report.sections[0]!.summary).toEqual({
      count: 2,
      byStatus: { planned: 1, in_progress: 0, done: 1, blocked: 0 },
      averageProgress: 63,
    });
    expect(report.total.averageProgress).toBe(42);
    expect(report.period).toEqual({ start: '2022-01-15', end: '2022-12-31' });
  });

  it('has no period and zero averages without activities', () => {
    expect(buildReport([])).toEqual({
      sections: [],
      total: {
        count: 0,
        byStatus: { planned: 0, in_progress: 0, done: 0, blocked: 0 },
        averageProgress: 0,
      },
      period: null,
    });
  });
});
