import { describe, expect, it } from 'vitest';

import { diffItemProjections } from './item-activity';
import type { ItemProjection } from './item-projection';

const base: ItemProjection = {
  id: 'item-1',
  title: 'Train teachers',
  workstreamId: 'ws-1',
  workstreamName: 'Robotics',
  workstreamPosition: 'a0',
  status: 'planned',
  leadOrg: 'HTC',
  start: '2022-03-01',
  end: '2022-06-30',
  progress: 0,
  position: 'a0',
  owners: [],
  tags: [],
  indicators: [
    { id: 'ind-1', name: 'Certified', unit: 'people', baseline: 0, target: 20, actual: null },
  ],
  descriptionFingerprint: '0.abc',
};

describe('diffItemProjections', () => {
  it('reports creation with the workstream name, and deletion', () => {
    expect(diffItemProjections(undefined, base)).toEqual([
      { kind: 'created', workstream: 'Robotics' },
    ]);
    expect(diffItemProjections(base, undefined)).toEqual([{ kind: 'deleted' }]);
    expect(diffItemProjections(undefined, undefined)).toEqual([]);
  });

  it('reports nothing for equal projections, or for changes with no kind (position, owners, tags)', () => {
    expect(diffItemProjections(base, { ...base })).toEqual([]);
    expect(
      diffItemProjections(base, { ...base, position: 'a1', owners: ['u'], tags: ['t'] }),
    ).toEqual([]);
  });

  it('reports each kind of change, in a fixed order', () => {
    const after: ItemProjection = {
      ...base,
      title: 'Train NPIA teachers',
      workstreamId: 'ws-2',
      workstreamName: 'Exchange',
      status: 'in_progress',
      end: '2022-07-31',
      progress: 30,
      indicators: [{ ...base.indicators[0]!, actual: 5 }],
      descriptionFingerprint: '4.xyz',
    };
    expect(diffItemProjections(base, after)).toEqual([
      { kind: 'moved', from: 'Robotics', to: 'Exchange' },
      { kind: 'renamed', from: 'Train teachers', to: 'Train NPIA teachers' },
      { kind: 'status', from: 'planned', to: 'in_progress' },
      {
        kind: 'dates',
        from: { start: '2022-03-01', end: '2022-06-30' },
        to: { start: '2022-03-01', end: '2022-07-31' },
      },
      { kind: 'progress', from: 0, to: 30 },
      {
        kind: 'indicator',
        indicatorId: 'ind-1',
        name: 'Certified',
        unit: 'people',
        from: null,
        to: 5,
      },
      { kind: 'description' },
    ]);
  });

  it('reports an indicator only when its actual changes; a new one once it has an actual', () => {
    const renamed = { ...base, indicators: [{ ...base.indicators[0]!, name: 'Trained' }] };
    expect(diffItemProjections(base, renamed)).toEqual([]);
    const added = {
      ...base,
      indicators: [
        ...base.indicators,
        { id: 'ind-2', name: 'Hours', unit: 'h', baseline: 0, target: 100, actual: null },
      ],
    };
    expect(diffItemProjections(base, added)).toEqual([]);
    const measured = {
      ...added,
      indicators: [added.indicators[0]!, { ...added.indicators[1]!, actual: 12 }],
    };
    expect(diffItemProjections(base, measured)).toEqual([
      { kind: 'indicator', indicatorId: 'ind-2', name: 'Hours', unit: 'h', from: null, to: 12 },
    ]);
  });
});
