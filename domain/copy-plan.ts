/**
 * A new plan from an old one's structure: "the 2024–2025 follow-on of the 2022–2023 plan".
 * Workstreams and items are copied without their progress (every item planned at 0 %, indicator
 * actuals cleared, checklists unticked) and without people (item owners, who are the old plan's
 * members). Dates move by the distance between the two periods and are kept inside the new one.
 * Everything gets fresh ids: the two plans share nothing.
 *
 * Pure: reads the source through the plan document's readers and writes the target with its
 * writers, in one transaction.
 */
import * as Y from 'yjs';

import {
  addChecklistEntry,
  addIndicator,
  createItem,
  createWorkstream,
  getItemDescription,
  initialisePlan,
  planLimits,
  readPlan,
  setItemTag,
  type PlanMeta,
} from './plan-document';

const dayMs = 24 * 60 * 60 * 1000;

function parseDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** How dates move from one period to the next: whole months when both start on the same day. */
export type DateShift = { months: number } | { days: number };

export function periodShift(from: { periodStart: string }, to: { periodStart: string }): DateShift {
  const a = parseDate(from.periodStart);
  const b = parseDate(to.periodStart);
  if (a.getUTCDate() === b.getUTCDate()) {
    return {
      months: (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth()),
    };
  }
  return { days: Math.round((b.getTime() - a.getTime()) / dayMs) };
}

/** Moves a date; by months keeps the day of the month (31 January + 1 month → 28/29 February). */
export function shiftDate(date: string, shift: DateShift): string {
  const d = parseDate(date);
  if ('days' in shift) return formatDate(new Date(d.getTime() + shift.days * dayMs));
  const monthIndex = d.getUTCFullYear() * 12 + d.getUTCMonth() + shift.months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return formatDate(new Date(Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay))));
}

function clampDate(date: string, start: string, end: string): string {
  return date < start ? start : date > end ? end : date;
}

/**
 * Writes into `target` (an empty, prepared document) the meta given and the structure of
 * `source`. Returns how many workstreams and items were copied.
 */
export function copyPlanStructure(
  source: Y.Doc,
  target: Y.Doc,
  meta: PlanMeta,
  origin?: unknown,
): { workstreams: number; items: number } {
  const plan = readPlan(source);
  const shift: DateShift = plan.meta ? periodShift(plan.meta, meta) : { days: 0 };
  const clamp = (date: string) =>
    clampDate(shiftDate(date, shift), meta.periodStart, meta.periodEnd);
  let items = 0;
  const workstreamIds = new Map<string, string>();
  target.transact(() => {
    initialisePlan(target, meta, origin);
    for (const workstream of plan.workstreams) {
      workstreamIds.set(
        workstream.id,
        createWorkstream(target, { name: workstream.name, colour: workstream.colour }, origin),
      );
    }
    for (const item of plan.items) {
      const workstreamId = workstreamIds.get(item.workstreamId);
      // An item of a workstream that is gone is shown nowhere in the source either.
      if (!workstreamId) continue;
      const start = clamp(item.start);
      const end = clamp(item.end);
      const title = item.title.trim().slice(0, planLimits.itemTitleLength).trim() || '…';
      const itemId = createItem(
        target,
        {
          title,
          workstreamId,
          status: 'planned',
          progress: 0,
          leadOrg: item.leadOrg,
          start: start <= end ? start : end,
          end,
        },
        origin,
      );
      items += 1;
      for (const tag of item.tags) setItemTag(target, itemId, tag, true, origin);
      for (const entry of item.checklist) addChecklistEntry(target, itemId, entry.text, origin);
      for (const { name, unit, baseline, target: goal } of item.indicators) {
        addIndicator(target, itemId, { name, unit, baseline, target: goal, actual: null }, origin);
      }
      const description = getItemDescription(source, item.id);
      const copy = getItemDescription(target, itemId);
      if (description && copy && description.length > 0) {
        const nodes = description
          .toArray()
          .filter((node) => node instanceof Y.XmlElement || node instanceof Y.XmlText)
          .map((node) => node.clone());
        copy.insert(0, nodes);
      }
    }
  }, origin);
  return { workstreams: workstreamIds.size, items };
}
