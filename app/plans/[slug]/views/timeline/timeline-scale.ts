/**
 * The timeline's date arithmetic, free of React and the DOM: plan dates (YYYY-MM-DD, calendar
 * days without a time zone) become day numbers, day numbers become pixels, and a drag's pixels
 * become new dates snapped to whole days.
 */

const msPerDay = 86_400_000;

/** Days since 1970-01-01 for a plan date. */
export function dayNumber(isoDate: string): number {
  return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / msPerDay);
}

/** The plan date of a day number. */
export function isoDate(day: number): string {
  return new Date(day * msPerDay).toISOString().slice(0, 10);
}

/** Today's calendar date in UTC, the zone every plan date is read in. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export type TimelineZoom = 'month' | 'quarter';

/** Pixels per day: about 120 px a month, or 140 px a quarter. */
export const pixelsPerDay: Record<TimelineZoom, number> = { month: 4, quarter: 1.5 };

export interface TimelineRange {
  /** First day shown: the first of the period's first month. */
  firstDay: number;
  /** The day after the last one shown: the first of the month after the period's last. */
  endDay: number;
}

/** The whole months that hold the plan period (2022-01-10 → 2023-12-05: Jan 2022 – Dec 2023). */
export function timelineRange(periodStart: string, periodEnd: string): TimelineRange {
  const [startYear = 1970, startMonth = 1] = periodStart.split('-').map(Number);
  const [endYear = 1970, endMonth = 1] = periodEnd.split('-').map(Number);
  const firstDay = Math.round(Date.UTC(startYear, startMonth - 1, 1) / msPerDay);
  let endDay = Math.round(Date.UTC(endYear, endMonth, 1) / msPerDay);
  // A period written backwards still gets one month to show.
  if (endDay <= firstDay) endDay = Math.round(Date.UTC(startYear, startMonth, 1) / msPerDay);
  return { firstDay, endDay };
}

export interface TimelineTick {
  year: number;
  /** 1–12 for months, 1–4 for quarters; 0 for years. */
  index: number;
  firstDay: number;
  /** Exclusive. */
  endDay: number;
}

/** The months of the range, each with its first day and the first day of the next. */
export function monthTicks(range: TimelineRange): TimelineTick[] {
  const ticks: TimelineTick[] = [];
  let date = new Date(range.firstDay * msPerDay);
  while (Math.round(date.getTime() / msPerDay) < range.endDay) {
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth();
    const next = new Date(Date.UTC(year, month + 1, 1));
    ticks.push({
      year,
      index: month + 1,
      firstDay: Math.round(date.getTime() / msPerDay),
      endDay: Math.round(next.getTime() / msPerDay),
    });
    date = next;
  }
  return ticks;
}

/** Months merged into quarters (or years), cut at the range's ends. */
function groupTicks(months: TimelineTick[], indexOf: (month: TimelineTick) => number) {
  const groups: TimelineTick[] = [];
  for (const month of months) {
    const index = indexOf(month);
    const last = groups.at(-1);
    if (last && last.year === month.year && last.index === index) last.endDay = month.endDay;
    else groups.push({ year: month.year, index, firstDay: month.firstDay, endDay: month.endDay });
  }
  return groups;
}

export function quarterTicks(range: TimelineRange): TimelineTick[] {
  return groupTicks(monthTicks(range), (month) => Math.ceil(month.index / 3));
}

export function yearTicks(range: TimelineRange): TimelineTick[] {
  return groupTicks(monthTicks(range), () => 0);
}

export interface BarGeometry {
  /** Pixels from the range's left edge. */
  left: number;
  width: number;
  /** The item starts before the range: its bar is cut at the left edge. */
  clippedStart: boolean;
  /** The item ends after the range. */
  clippedEnd: boolean;
}

/** Narrowest bar, so that a one-day activity can still be seen, hit and focused. */
export const minBarWidth = 12;

/** Where an item's bar goes: from its start to the end of its last day, cut to the range. */
export function barGeometry(
  start: string,
  end: string,
  range: TimelineRange,
  perDay: number,
): BarGeometry {
  const first = dayNumber(start);
  // An item whose dates were changed concurrently may end before it starts: show it as one day.
  const last = Math.max(first, dayNumber(end)) + 1;
  const clippedStart = first < range.firstDay;
  const clippedEnd = last > range.endDay;
  const from = Math.min(Math.max(first, range.firstDay), range.endDay);
  const to = Math.max(Math.min(last, range.endDay), range.firstDay);
  const totalWidth = (range.endDay - range.firstDay) * perDay;
  const width = Math.max((to - from) * perDay, minBarWidth);
  const left = Math.min((from - range.firstDay) * perDay, totalWidth - width);
  return { left: Math.max(0, left), width, clippedStart, clippedEnd };
}

export interface ItemDates {
  start: string;
  end: string;
}

/** What a drag changes: the whole bar, or one of its edges. */
export type DragMode = 'move' | 'start' | 'end';

/**
 * Shifts an item's dates by whole days. A move keeps the duration; a resize never lets the end
 * pass the start (a one-day item is the shortest). Moves stop at the range's edges, unless the
 * item was already beyond them: dragging must not fling an activity out of sight.
 */
export function shiftDates(
  dates: ItemDates,
  mode: DragMode,
  days: number,
  range: TimelineRange,
): ItemDates {
  const start = dayNumber(dates.start);
  const end = dayNumber(dates.end);
  const lowest = Math.min(start, range.firstDay);
  const highest = Math.max(end, range.endDay - 1);
  if (mode === 'move') {
    const shift = Math.min(Math.max(days, lowest - start), highest - end);
    return { start: isoDate(start + shift), end: isoDate(end + shift) };
  }
  if (mode === 'start') {
    const next = Math.min(Math.max(start + days, lowest), end);
    return { start: isoDate(next), end: dates.end };
  }
  const next = Math.max(Math.min(end + days, highest), start);
  return { start: dates.start, end: isoDate(next) };
}

/** A drag of `pixels` (right is positive), snapped to the nearest whole day. */
export function dragDates(
  dates: ItemDates,
  mode: DragMode,
  pixels: number,
  perDay: number,
  range: TimelineRange,
): ItemDates {
  // `+ 0` turns Math.round's -0 into 0.
  return shiftDates(dates, mode, Math.round(pixels / perDay) + 0, range);
}

/** Whole days between two plan dates, both counted (a one-day item lasts 1). */
export function durationDays(dates: ItemDates): number {
  return dayNumber(dates.end) - dayNumber(dates.start) + 1;
}
