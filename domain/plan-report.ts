/**
 * The printable report's content: a plan's items grouped by workstream, with counts per status
 * and the average progress (each activity weighs the same, as on the progress board). Pure.
 */
import { itemStatuses, type ItemStatus } from './plan-document';

export interface ReportItem {
  id: string;
  workstreamId: string;
  workstreamName: string;
  status: ItemStatus;
  start: string;
  end: string;
  progress: number;
}

export interface ReportSummary {
  count: number;
  byStatus: Record<ItemStatus, number>;
  /** Rounded to a whole percent; 0 without activities. */
  averageProgress: number;
}

export interface ReportSection<T extends ReportItem> {
  workstreamId: string;
  /** '' when the item's workstream is gone (the projection keeps its id only). */
  name: string;
  items: T[];
  summary: ReportSummary;
}

export function summarise(items: readonly ReportItem[]): ReportSummary {
  const byStatus = Object.fromEntries(itemStatuses.map((status) => [status, 0])) as Record<
    ItemStatus,
    number
  >;
  let progress = 0;
  for (const item of items) {
    byStatus[item.status] += 1;
    progress += item.progress;
  }
  return {
    count: items.length,
    byStatus,
    averageProgress: items.length === 0 ? 0 : Math.round(progress / items.length),
  };
}

/**
 * Sections in the order their first activity appears on the board (items come in board order);
 * within a section, activities by start date, then board order.
 */
export function buildReport<T extends ReportItem>(
  items: readonly T[],
): {
  sections: ReportSection<T>[];
  total: ReportSummary;
  period: { start: string; end: string } | null;
} {
  const sections = new Map<string, ReportSection<T>>();
  for (const item of items) {
    let section = sections.get(item.workstreamId);
    if (!section) {
      section = {
        workstreamId: item.workstreamId,
        name: item.workstreamName,
        items: [],
        summary: summarise([]),
      };
      sections.set(item.workstreamId, section);
    }
    section.items.push(item);
  }
  for (const section of sections.values()) {
    // A stable sort keeps board order among activities that start the same day.
    section.items.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    section.summary = summarise(section.items);
  }
  const period =
    items.length === 0
      ? null
      : {
          start: items.reduce(
            (min, item) => (item.start < min ? item.start : min),
            items[0]!.start,
          ),
          end: items.reduce((max, item) => (item.end > max ? item.end : max), items[0]!.end),
        };
  return { sections: [...sections.values()], total: summarise(items), period };
}
