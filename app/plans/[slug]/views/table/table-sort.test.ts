import { describe, expect, it } from 'vitest';

import type { Item } from '../../../../../domain/plan-document';
import {
  nextTableSort,
  parseTableSort,
  sortItems,
  writeTableSort,
  type SortContext,
} from './table-sort';

function item(id: string, fields: Partial<Item>): Item {
  return {
    id,
    title: id,
    workstreamId: 'ws1',
    status: 'planned',
    leadOrg: 'HTC',
    start: '2022-01-01',
    end: '2022-01-31',
    progress: 0,
    position: id,
    owners: [],
    tags: [],
    checklist: [],
    indicators: [],
    hasDescription: true,
    ...fields,
  };
}

const context: SortContext = {
  compareText: (a, b) => a.localeCompare(b),
  workstreamOrder: new Map([
    ['ws2', 0],
    ['ws1', 1],
  ]),
  workstreamName: (id) => id,
  ownerNames: (entry) => entry.owners.join(', '),
  leadName: (entry) => entry.leadOrg,
};

describe('table sort', () => {
  it('reads and writes the URL parameter', () => {
    expect(parseTableSort('end')).toEqual({ column: 'end', direction: 'ascending' });
    expect(parseTableSort('-progress')).toEqual({ column: 'progress', direction: 'descending' });
    expect(parseTableSort('position')).toBeNull();
    expect(parseTableSort(null)).toBeNull();
    expect(writeTableSort({ column: 'end', direction: 'descending' })).toBe('-end');
  });

  it('cycles ascending, descending, none', () => {
    const first = nextTableSort(null, 'end');
    expect(first).toEqual({ column: 'end', direction: 'ascending' });
    const second = nextTableSort(first, 'end');
    expect(second).toEqual({ column: 'end', direction: 'descending' });
    expect(nextTableSort(second, 'end')).toBeNull();
    expect(nextTableSort(second, 'title')).toEqual({ column: 'title', direction: 'ascending' });
  });

  it('sorts by end date both ways, ties in plan order', () => {
    const items = [
      item('a', { end: '2022-05-01' }),
      item('b', { end: '2022-03-01' }),
      item('c', { end: '2022-05-01' }),
    ];
    const ids = (sorted: Item[]) => sorted.map((entry) => entry.id);
    expect(ids(sortItems(items, { column: 'end', direction: 'ascending' }, context))).toEqual([
      'b',
      'a',
      'c',
    ]);
    expect(ids(sortItems(items, { column: 'end', direction: 'descending' }, context))).toEqual([
      'a',
      'c',
      'b',
    ]);
    expect(sortItems(items, null, context)).toBe(items);
  });

  it('sorts workstreams in the plan order and keeps blanks last', () => {
    const items = [
      item('a', { workstreamId: 'ws1', owners: ['u2'] }),
      item('b', { workstreamId: 'ws2' }),
      item('c', { workstreamId: 'ws1', owners: ['u1'] }),
    ];
    const ids = (sorted: Item[]) => sorted.map((entry) => entry.id);
    expect(
      ids(sortItems(items, { column: 'workstream', direction: 'ascending' }, context)),
    ).toEqual(['b', 'a', 'c']);
    expect(ids(sortItems(items, { column: 'owners', direction: 'descending' }, context))).toEqual([
      'a',
      'c',
      'b',
    ]);
    expect(ids(sortItems(items, { column: 'owners', direction: 'ascending' }, context))).toEqual([
      'c',
      'a',
      'b',
    ]);
  });
});
