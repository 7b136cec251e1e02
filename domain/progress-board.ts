/**
 * The progress board: what participants, officials and the colleges read to follow the plan.
 * Computed from the relational projection of the items (one record per item, never the Yjs
 * document) and the latest activity entries. Pure: the caller hands it the rows and "today".
 *
 * - Progress is weighted by items: the mean of the items' progress (0–100), overall, per
 *   workstream and per lead organisation. An item marked done counts as 100 whatever its
 *   progress field says, so a plan whose activities are all done reads 100 %.
 * - Dates are calendar days (YYYY-MM-DD) compared in UTC: "today" is the UTC date, an item is
 *   overdue when its end date is before today and it is not done, upcoming when it is not done
 *   and starts or ends within the next `upcomingDays` days (today included).
 * - Indicators: baseline → actual → target; the share reached is (actual − baseline) / (target −
 *   baseline), clamped to 0–1, and null while nobody has measured it (actual null).
 */
import type { ActivityEntry } from './activity';
import type { OrganisationCode } from './organisations';
import { itemStatuses, type ItemStatus } from './plan-document';

export const upcomingDays = 30;
/** Activity entries the board shows. */
export const recentActivityLimit = 15;

/** The fields of a projected item the board reads (db PlanItemRecord has them all). */
export interface BoardItemInput {
  id: string;
  title: string;
  workstreamId: string;
  workstreamName: string;
  status: ItemStatus;
  leadOrg: OrganisationCode;
  start: string;
  end: string;
  progress: number;
  position: string;
  indicators: ReadonlyArray<{
    id: string;
    name: string;
    unit: string;
    baseline: number;
    target: number;
    actual: number | null;
  }>;
}

export type StatusCounts = Record<ItemStatus, number>;

export interface ProgressSummary {
  /** Items counted. */
  items: number;
  /** Mean progress of the items, 0–100, rounded; 0 for no items. */
  progress: number;
  counts: StatusCounts;
}

export interface WorkstreamProgress extends ProgressSummary {
  id: string;
  name: string;
}

export interface OrganisationProgress extends ProgressSummary {
  organisation: OrganisationCode;
  /** The items it leads, soonest end first. */
  activities: BoardActivity[];
}

/** An item as the board lists it. */
export interface BoardActivity {
  id: string;
  title: string;
  workstreamName: string;
  status: ItemStatus;
  leadOrg: OrganisationCode;
  start: string;
  end: string;
  progress: number;
}

export interface BoardIndicator {
  itemId: string;
  itemTitle: string;
  id: string;
  name: string;
  unit: string;
  baseline: number;
  target: number;
  actual: number | null;
  /** 0–1 of the way from baseline to target; null while not measured. */
  reached: number | null;
}

export interface ProgressBoard {
  plan: { slug: string; title: string };
  /** The plan log's sequence number the rows reflect (at least). */
  seq: number;
  /** The UTC date the board was computed for (YYYY-MM-DD). */
  today: string;
  overall: ProgressSummary;
  workstreams: WorkstreamProgress[];
  indicators: BoardIndicator[];
  /** Not done, end date passed; most overdue first. */
  overdue: BoardActivity[];
  /** Not done, starting or ending within the next `upcomingDays` days; soonest first. */
  upcoming: BoardActivity[];
  organisations: OrganisationProgress[];
  /**
   * Newest first. On a public board the actor is the organisation, never the person (see
   * server/use-cases/get-progress-board.ts).
   */
  recentActivity: ActivityEntry[];
}

/** The UTC calendar date of `now`, YYYY-MM-DD. */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** `date` plus `days` calendar days (YYYY-MM-DD in, out; UTC, so no daylight-saving drift). */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return utcDate(at);
}

/** An item's progress as the board weighs it: done is 100, otherwise its own 0–100. */
export function itemProgress(item: Pick<BoardItemInput, 'status' | 'progress'>): number {
  if (item.status === 'done') return 100;
  return Math.min(100, Math.max(0, Number.isFinite(item.progress) ? item.progress : 0));
}

export function emptyCounts(): StatusCounts {
  return Object.fromEntries(itemStatuses.map((status) => [status, 0])) as StatusCounts;
}

export function summarise(items: readonly BoardItemInput[]): ProgressSummary {
  const counts = emptyCounts();
  let total = 0;
  for (const item of items) {
    counts[item.status] += 1;
    total += itemProgress(item);
  }
  return {
    items: items.length,
    progress: items.length === 0 ? 0 : Math.round(total / items.length),
    counts,
  };
}

/** How far an indicator is from its baseline to its target, 0–1; null while unmeasured. */
export function indicatorReached(indicator: {
  baseline: number;
  target: number;
  actual: number | null;
}): number | null {
  if (indicator.actual === null) return null;
  const span = indicator.target - indicator.baseline;
  if (span === 0) return indicator.actual === indicator.target ? 1 : 0;
  return Math.min(1, Math.max(0, (indicator.actual - indicator.baseline) / span));
}

function toActivity(item: BoardItemInput): BoardActivity {
  return {
    id: item.id,
    title: item.title,
    workstreamName: item.workstreamName,
    status: item.status,
    leadOrg: item.leadOrg,
    start: item.start,
    end: item.end,
    progress: itemProgress(item),
  };
}

const byEnd = (a: BoardActivity, b: BoardActivity) =>
  a.end.localeCompare(b.end) || a.start.localeCompare(b.start) || a.title.localeCompare(b.title);

const byPosition = (a: BoardItemInput, b: BoardItemInput) =>
  a.position < b.position ? -1 : a.position > b.position ? 1 : a.id.localeCompare(b.id);

/**
 * The board of one plan. `items` in any order; workstreams are listed in the order of
 * `workstreamOrder` (the plan's), then any others by name; organisations by their items' count.
 */
export function computeProgressBoard(input: {
  plan: { slug: string; title: string };
  seq: number;
  items: readonly BoardItemInput[];
  workstreamOrder?: readonly string[];
  activity: readonly ActivityEntry[];
  now: Date;
}): ProgressBoard {
  const today = utcDate(input.now);
  const horizon = addDays(today, upcomingDays);
  const items = [...input.items].sort(byPosition);

  const byWorkstream = new Map<string, BoardItemInput[]>();
  for (const item of items) {
    const list = byWorkstream.get(item.workstreamId) ?? [];
    list.push(item);
    byWorkstream.set(item.workstreamId, list);
  }
  const order = input.workstreamOrder ?? [];
  const workstreams = [...byWorkstream.entries()]
    .map(([id, list]) => ({
      id,
      name: list[0]?.workstreamName ?? '',
      ...summarise(list),
    }))
    .sort((a, b) => {
      const at = order.indexOf(a.id);
      const bt = order.indexOf(b.id);
      if (at !== bt) return (at === -1 ? Infinity : at) - (bt === -1 ? Infinity : bt);
      return a.name.localeCompare(b.name);
    });

  const byOrganisation = new Map<OrganisationCode, BoardItemInput[]>();
  for (const item of items) {
    const list = byOrganisation.get(item.leadOrg) ?? [];
    list.push(item);
    byOrganisation.set(item.leadOrg, list);
  }
  const organisations = [...byOrganisation.entries()]
    .map(([organisation, list]) => ({
      organisation,
      ...summarise(list),
      activities: list.map(toActivity).sort(byEnd),
    }))
    .sort((a, b) => b.items - a.items || a.organisation.localeCompare(b.organisation));

  const open = items.filter((item) => item.status !== 'done').map(toActivity);
  const overdue = open.filter((item) => item.end < today).sort(byEnd);
  const upcoming = open
    .filter(
      (item) =>
        item.end >= today &&
        ((item.start >= today && item.start <= horizon) || item.end <= horizon),
    )
    .sort((a, b) => {
      const at = a.start >= today ? a.start : a.end;
      const bt = b.start >= today ? b.start : b.end;
      return at.localeCompare(bt) || byEnd(a, b);
    });

  const indicators = items.flatMap((item) =>
    item.indicators.map((indicator) => ({
      itemId: item.id,
      itemTitle: item.title,
      id: indicator.id,
      name: indicator.name,
      unit: indicator.unit,
      baseline: indicator.baseline,
      target: indicator.target,
      actual: indicator.actual,
      reached: indicatorReached(indicator),
    })),
  );

  return {
    plan: input.plan,
    seq: input.seq,
    today,
    overall: summarise(items),
    workstreams,
    indicators,
    overdue,
    upcoming,
    organisations,
    recentActivity: input.activity.slice(0, recentActivityLimit),
  };
}

/**
 * An activity entry fit for a public page: the person behind it is replaced by their
 * organisation (the only thing about an actor a public board names), so no staff name or user
 * id leaves the server. A public page should not publish who in a college did what.
 */
export function withoutPersonalNames(entry: ActivityEntry): ActivityEntry {
  return {
    ...entry,
    actor: entry.actor
      ? { id: '', name: entry.actor.organisation, organisation: entry.actor.organisation }
      : null,
  };
}
