/**
 * The table's sort: which column, which way, written in the URL as `sort=end` (ascending) or
 * `sort=-end` (descending) so that a shared link shows the same order.
 */
import { itemStatuses, type Item } from '../../../../../domain/plan-document';

export const tableColumns = [
  'title',
  'workstream',
  'status',
  'lead',
  'owners',
  'start',
  'end',
  'progress',
  'tags',
] as const;
export type TableColumn = (typeof tableColumns)[number];

export interface TableSort {
  column: TableColumn;
  direction: 'ascending' | 'descending';
}

export function parseTableSort(value: string | null): TableSort | null {
  if (!value) return null;
  const descending = value.startsWith('-');
  const column = descending ? value.slice(1) : value;
  if (!(tableColumns as readonly string[]).includes(column)) return null;
  return { column: column as TableColumn, direction: descending ? 'descending' : 'ascending' };
}

export function writeTableSort(sort: TableSort | null): string | null {
  if (!sort) return null;
  return sort.direction === 'descending' ? `-${sort.column}` : sort.column;
}

/** A click on a header: that column ascending, then descending, then back to the plan's order. */
export function nextTableSort(current: TableSort | null, column: TableColumn): TableSort | null {
  if (current?.column !== column) return { column, direction: 'ascending' };
  if (current.direction === 'ascending') return { column, direction: 'descending' };
  return null;
}

export interface SortContext {
  compareText: (a: string, b: string) => number;
  workstreamOrder: Map<string, number>;
  workstreamName: (id: string) => string;
  ownerNames: (item: Item) => string;
  leadName: (item: Item) => string;
}

const statusOrder = new Map(itemStatuses.map((status, index) => [status, index]));

function compareBy(column: TableColumn, context: SortContext): (a: Item, b: Item) => number {
  switch (column) {
    case 'title':
      return (a, b) => context.compareText(a.title, b.title);
    case 'workstream':
      return (a, b) =>
        (context.workstreamOrder.get(a.workstreamId) ?? Infinity) -
          (context.workstreamOrder.get(b.workstreamId) ?? Infinity) ||
        context.compareText(
          context.workstreamName(a.workstreamId),
          context.workstreamName(b.workstreamId),
        );
    case 'status':
      return (a, b) => (statusOrder.get(a.status) ?? 0) - (statusOrder.get(b.status) ?? 0);
    case 'lead':
      return (a, b) => context.compareText(context.leadName(a), context.leadName(b));
    case 'owners':
      return (a, b) => context.compareText(context.ownerNames(a), context.ownerNames(b));
    case 'start':
      return (a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);
    case 'end':
      return (a, b) => (a.end < b.end ? -1 : a.end > b.end ? 1 : 0);
    case 'progress':
      return (a, b) => a.progress - b.progress;
    case 'tags':
      return (a, b) => context.compareText(a.tags.join(' '), b.tags.join(' '));
  }
}

/**
 * The items in the sort's order; ties (and no sort) keep the plan's order. Empty values (no
 * owner, no tag) go last either way: nobody sorts to look at blanks first.
 */
export function sortItems(items: Item[], sort: TableSort | null, context: SortContext): Item[] {
  if (!sort) return items;
  const compare = compareBy(sort.column, context);
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const isBlank = (item: Item) =>
    (sort.column === 'owners' && item.owners.length === 0) ||
    (sort.column === 'tags' && item.tags.length === 0);
  const indexed = items.map((item, index) => ({ item, index }));
  indexed.sort((a, b) => {
    const blankA = isBlank(a.item);
    const blankB = isBlank(b.item);
    if (blankA !== blankB) return blankA ? 1 : -1;
    return sign * compare(a.item, b.item) || a.index - b.index;
  });
  return indexed.map(({ item }) => item);
}
