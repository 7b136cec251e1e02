/**
 * What changed between two projections of one item, as activity details (domain/activity.ts).
 * Pure; the server calls it for each transaction with the projection before and after, and
 * attributes the result to whoever made the transaction.
 */
import type { ActivityDetail } from './activity';
import type { ItemProjection } from './item-projection';

/** `before` undefined: the item is new; `after` undefined: it is gone. Nothing when equal. */
export function diffItemProjections(
  before: ItemProjection | undefined,
  after: ItemProjection | undefined,
): ActivityDetail[] {
  if (!before && !after) return [];
  if (!before) return [{ kind: 'created', workstream: (after as ItemProjection).workstreamName }];
  if (!after) return [{ kind: 'deleted' }];
  const details: ActivityDetail[] = [];
  if (before.workstreamId !== after.workstreamId) {
    details.push({ kind: 'moved', from: before.workstreamName, to: after.workstreamName });
  }
  if (before.title !== after.title) {
    details.push({ kind: 'renamed', from: before.title, to: after.title });
  }
  if (before.status !== after.status) {
    details.push({ kind: 'status', from: before.status, to: after.status });
  }
  if (before.start !== after.start || before.end !== after.end) {
    details.push({
      kind: 'dates',
      from: { start: before.start, end: before.end },
      to: { start: after.start, end: after.end },
    });
  }
  if (before.progress !== after.progress) {
    details.push({ kind: 'progress', from: before.progress, to: after.progress });
  }
  const previous = new Map(before.indicators.map((indicator) => [indicator.id, indicator]));
  for (const indicator of after.indicators) {
    const earlier = previous.get(indicator.id);
    // A new indicator counts as measured only once it has an actual; its definition (name,
    // target…) is planning, not a result, and has no kind of its own.
    const from = earlier ? earlier.actual : null;
    if (from === indicator.actual) continue;
    details.push({
      kind: 'indicator',
      indicatorId: indicator.id,
      name: indicator.name,
      unit: indicator.unit,
      from,
      to: indicator.actual,
    });
  }
  if (before.descriptionFingerprint !== after.descriptionFingerprint) {
    details.push({ kind: 'description' });
  }
  return details;
}
