/**
 * The board's layout as pure data: one lane per workstream (in the workstreams' order, then
 * "Other activities" for items whose workstream is unknown), one cell per status in each lane,
 * and where a dropped card lands between its new neighbours.
 */
import {
  itemStatuses,
  type Item,
  type ItemStatus,
  type Workstream,
} from '../../../../../domain/plan-document';

/** The lane key of items whose workstream is not in the plan. */
export const otherLaneKey = '';

export type CellKey = `${ItemStatus}|${string}`;

export function cellKey(status: ItemStatus, laneKey: string): CellKey {
  return `${status}|${laneKey}`;
}

export function parseCellKey(key: string): { status: ItemStatus; laneKey: string } | null {
  const bar = key.indexOf('|');
  const status = key.slice(0, bar);
  if (bar < 0 || !(itemStatuses as readonly string[]).includes(status)) return null;
  return { status: status as ItemStatus, laneKey: key.slice(bar + 1) };
}

export interface Lane {
  key: string;
  workstream: Workstream | null;
  /** The lane's items per status, in position order. */
  cells: Record<ItemStatus, Item[]>;
  count: number;
}

const empty: Item[] = [];

/**
 * Groups items into lanes and cells in one pass. Cells keep their array when nothing in them
 * changed since `previous`, so memoised cells skip rendering.
 */
export function layoutBoard(items: Item[], workstreams: Workstream[], previous?: Lane[]): Lane[] {
  const byKey = new Map<string, Record<ItemStatus, Item[]>>();
  const newCells = (): Record<ItemStatus, Item[]> => ({
    planned: [],
    in_progress: [],
    done: [],
    blocked: [],
  });
  for (const workstream of workstreams) byKey.set(workstream.id, newCells());
  let other: Record<ItemStatus, Item[]> | null = null;
  for (const item of items) {
    let cells = byKey.get(item.workstreamId);
    if (!cells) cells = other ??= newCells();
    cells[item.status].push(item);
  }
  const previousByKey = new Map(previous?.map((lane) => [lane.key, lane]));
  const lanes: Lane[] = workstreams.map((workstream) =>
    makeLane(workstream.id, workstream, byKey.get(workstream.id) ?? newCells(), previousByKey),
  );
  if (other) lanes.push(makeLane(otherLaneKey, null, other, previousByKey));
  return lanes;
}

function sameList(a: Item[], b: Item[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function makeLane(
  key: string,
  workstream: Workstream | null,
  cells: Record<ItemStatus, Item[]>,
  previousByKey: Map<string, Lane>,
): Lane {
  const before = previousByKey.get(key);
  let count = 0;
  for (const status of itemStatuses) {
    const list = cells[status];
    count += list.length;
    if (list.length === 0) cells[status] = empty;
    else if (before && sameList(before.cells[status], list)) cells[status] = before.cells[status];
  }
  return { key, workstream, cells, count };
}

/** Items per status across all lanes, for the column headers. */
export function countByStatus(items: Item[]): Record<ItemStatus, number> {
  const counts: Record<ItemStatus, number> = { planned: 0, in_progress: 0, done: 0, blocked: 0 };
  for (const item of items) counts[item.status]++;
  return counts;
}

/** The ids of the cards a drop at `index` falls between, for `moveItem`. */
export function neighboursAt(
  cell: readonly Pick<Item, 'id'>[],
  activeId: string,
  index: number,
): { after: string | null; before: string | null } {
  const others = cell.filter((item) => item.id !== activeId);
  const at = Math.max(0, Math.min(index, others.length));
  return { after: others[at - 1]?.id ?? null, before: others[at]?.id ?? null };
}

/** Whether a drop at `index` leaves the card where it is (then nothing is written). */
export function isSamePlace(
  cell: readonly Pick<Item, 'id'>[],
  activeId: string,
  index: number,
): boolean {
  const own = cell.findIndex((item) => item.id === activeId);
  return own >= 0 && own === index;
}

/**
 * Lays out the board again on each change, handing back the arrays of the cells that did not
 * change (see `layoutBoard`).
 */
export class BoardLayoutCache {
  private lanes: Lane[] | undefined;

  layout(items: Item[], workstreams: Workstream[]): Lane[] {
    this.lanes = layoutBoard(items, workstreams, this.lanes);
    return this.lanes;
  }
}

/** Where a dragged card would land: a cell, and an index in it without the card itself. */
export type DropTarget = { cellKey: CellKey; index: number };

export type Step = 'up' | 'down' | 'left' | 'right';

/**
 * The next place for a card moved with the arrow keys: up and down walk the places of a cell,
 * then go on into the same column of the lane above or below; left and right go to the next
 * column of the same lane, as near the same height as it has places. `laneKeys` are the lanes the
 * card may go to, in order. Null when there is nowhere further that way.
 */
export function stepTarget(
  step: Step,
  current: DropTarget,
  activeId: string,
  laneKeys: readonly string[],
  cells: ReadonlyMap<string, readonly Pick<Item, 'id'>[]>,
): DropTarget | null {
  const place = parseCellKey(current.cellKey);
  if (!place) return null;
  const laneIndex = laneKeys.indexOf(place.laneKey);
  const statusIndex = itemStatuses.indexOf(place.status);
  const places = (key: CellKey) =>
    (cells.get(key) ?? []).filter((item) => item.id !== activeId).length;
  switch (step) {
    case 'down': {
      if (current.index < places(current.cellKey))
        return { cellKey: current.cellKey, index: current.index + 1 };
      const lane = laneKeys[laneIndex + 1];
      return lane === undefined ? null : { cellKey: cellKey(place.status, lane), index: 0 };
    }
    case 'up': {
      if (current.index > 0) return { cellKey: current.cellKey, index: current.index - 1 };
      const lane = laneIndex > 0 ? laneKeys[laneIndex - 1] : undefined;
      if (lane === undefined) return null;
      const key = cellKey(place.status, lane);
      return { cellKey: key, index: places(key) };
    }
    case 'left':
    case 'right': {
      const status = itemStatuses[statusIndex + (step === 'right' ? 1 : -1)];
      if (status === undefined) return null;
      const key = cellKey(status, place.laneKey);
      return { cellKey: key, index: Math.min(current.index, places(key)) };
    }
  }
}
