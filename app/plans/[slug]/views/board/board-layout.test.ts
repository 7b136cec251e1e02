import { describe, expect, it } from 'vitest';

import type { Item, Workstream } from '../../../../../domain/plan-document';
import {
  cellKey,
  countByStatus,
  isSamePlace,
  layoutBoard,
  neighboursAt,
  otherLaneKey,
  parseCellKey,
  stepTarget,
} from './board-layout';

function item(id: string, workstreamId: string, status: Item['status'] = 'planned'): Item {
  return {
    id,
    title: id,
    workstreamId,
    status,
    leadOrg: 'HTC',
    start: '2022-01-01',
    end: '2022-01-02',
    progress: 0,
    position: 'a0',
    owners: [],
    tags: [],
    checklist: [],
    indicators: [],
    hasDescription: true,
  };
}

const ws = (id: string): Workstream => ({ id, name: id, position: 'a0', colour: 'blue' });
const cell = (...ids: string[]) => ids.map((id) => ({ id }));

describe('layoutBoard', () => {
  it('puts each item in its workstream lane and status cell, unknown workstreams last', () => {
    const items = [item('a', 'w2', 'done'), item('b', 'w1'), item('c', 'gone'), item('d', 'w1')];
    const lanes = layoutBoard(items, [ws('w1'), ws('w2')]);
    expect(lanes.map((lane) => lane.key)).toEqual(['w1', 'w2', otherLaneKey]);
    expect(lanes[0]?.cells.planned.map((i) => i.id)).toEqual(['b', 'd']);
    expect(lanes[1]?.cells.done.map((i) => i.id)).toEqual(['a']);
    expect(lanes[2]?.cells.planned.map((i) => i.id)).toEqual(['c']);
    expect(lanes.map((lane) => lane.count)).toEqual([2, 1, 1]);
  });

  it('keeps empty workstreams as lanes, and no "other" lane when every item has a workstream', () => {
    const lanes = layoutBoard([], [ws('w1')]);
    expect(lanes).toHaveLength(1);
    expect(lanes[0]?.cells.blocked).toEqual([]);
  });

  it('keeps the arrays of cells that did not change, so their rendering can be skipped', () => {
    const a = item('a', 'w1');
    const b = item('b', 'w2');
    const first = layoutBoard([a, b], [ws('w1'), ws('w2')]);
    const changed = { ...b, progress: 50 };
    const second = layoutBoard([a, changed], [ws('w1'), ws('w2')], first);
    expect(second[0]?.cells.planned).toBe(first[0]?.cells.planned);
    expect(second[1]?.cells.planned).not.toBe(first[1]?.cells.planned);
  });
});

describe('cell keys', () => {
  it('round-trip, including the lane of unknown workstreams', () => {
    expect(parseCellKey(cellKey('in_progress', 'w-1'))).toEqual({
      status: 'in_progress',
      laneKey: 'w-1',
    });
    expect(parseCellKey(cellKey('done', otherLaneKey))).toEqual({ status: 'done', laneKey: '' });
    expect(parseCellKey('nonsense|x')).toBeNull();
  });
});

describe('neighboursAt', () => {
  const list = cell('a', 'b', 'c');

  it('names the cards on either side of a place', () => {
    expect(neighboursAt(list, 'x', 1)).toEqual({ after: 'a', before: 'b' });
    expect(neighboursAt(list, 'x', 2)).toEqual({ after: 'b', before: 'c' });
  });

  it('at the end of a cell, and in an empty cell with no neighbours', () => {
    expect(neighboursAt(list, 'x', 3)).toEqual({ after: 'c', before: null });
    expect(neighboursAt([], 'x', 0)).toEqual({ after: null, before: null });
  });

  it('at the start', () => {
    expect(neighboursAt(list, 'x', 0)).toEqual({ after: null, before: 'a' });
  });

  it('counts without the moved card itself when it moves inside its own cell', () => {
    // a moves below c: the list without a is [b, c]; after c is index 2.
    expect(neighboursAt(list, 'a', 2)).toEqual({ after: 'c', before: null });
    // c moves above a.
    expect(neighboursAt(list, 'c', 0)).toEqual({ after: null, before: 'a' });
    // b between a and c again: where it was.
    expect(neighboursAt(list, 'b', 1)).toEqual({ after: 'a', before: 'c' });
    expect(isSamePlace(list, 'b', 1)).toBe(true);
  });

  it('never names the moved card as its own neighbour', () => {
    for (let index = 0; index <= 3; index++) {
      const { after, before } = neighboursAt(list, 'b', index);
      expect(after).not.toBe('b');
      expect(before).not.toBe('b');
    }
  });

  it('knows a drop that changes nothing', () => {
    expect(isSamePlace(list, 'a', 0)).toBe(true);
    expect(isSamePlace(list, 'a', 1)).toBe(false);
    expect(isSamePlace(list, 'x', 0)).toBe(false);
  });
});

describe('countByStatus', () => {
  it('counts items per status', () => {
    expect(countByStatus([item('a', 'w', 'done'), item('b', 'w', 'done')])).toEqual({
      planned: 0,
      in_progress: 0,
      done: 2,
      blocked: 0,
    });
  });
});

describe('stepTarget (arrow keys)', () => {
  const cells = new Map([
    [cellKey('planned', 'w1'), cell('a', 'b')],
    [cellKey('in_progress', 'w1'), cell('c')],
    [cellKey('planned', 'w2'), cell('d', 'e', 'f')],
  ]);
  const lanes = ['w1', 'w2'];
  const at = (status: Item['status'], lane: string, index: number) => ({
    cellKey: cellKey(status, lane),
    index,
  });

  it('walks down the places of a cell, then into the same column of the next lane', () => {
    // a is moving: the places of its own cell are before b (0) and after b (1).
    expect(stepTarget('down', at('planned', 'w1', 0), 'a', lanes, cells)).toEqual(
      at('planned', 'w1', 1),
    );
    expect(stepTarget('down', at('planned', 'w1', 1), 'a', lanes, cells)).toEqual(
      at('planned', 'w2', 0),
    );
    expect(stepTarget('down', at('planned', 'w2', 3), 'a', lanes, cells)).toBeNull();
  });

  it('walks up, into the end of the same column of the lane above', () => {
    expect(stepTarget('up', at('planned', 'w2', 0), 'a', lanes, cells)).toEqual(
      at('planned', 'w1', 1),
    );
    expect(stepTarget('up', at('planned', 'w1', 0), 'a', lanes, cells)).toBeNull();
  });

  it('goes left and right within the lane, no further down than the column has places', () => {
    expect(stepTarget('right', at('planned', 'w2', 2), 'a', lanes, cells)).toEqual(
      at('in_progress', 'w2', 0),
    );
    expect(stepTarget('right', at('planned', 'w1', 1), 'a', lanes, cells)).toEqual(
      at('in_progress', 'w1', 1),
    );
    expect(stepTarget('left', at('planned', 'w1', 0), 'a', lanes, cells)).toBeNull();
    expect(stepTarget('right', at('blocked', 'w1', 0), 'a', lanes, cells)).toBeNull();
  });
});
