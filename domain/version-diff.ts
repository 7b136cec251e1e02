/**
 * What changed in a plan since a saved version: the items added, removed and changed between
 * the version's projection and the current one (both from item-projection.ts). Pure; the version
 * page shows it before anyone restores.
 */
import type { ItemProjection } from './item-projection';
import type { OrganisationCode } from './organisations';
import type { ItemStatus } from './plan-document';

export type FieldChange =
  | { field: 'title'; from: string; to: string }
  | { field: 'workstream'; from: string; to: string }
  | { field: 'status'; from: ItemStatus; to: ItemStatus }
  | { field: 'leadOrg'; from: OrganisationCode; to: OrganisationCode }
  | { field: 'dates'; from: { start: string; end: string }; to: { start: string; end: string } }
  | { field: 'progress'; from: number; to: number }
  | { field: 'owners' }
  | { field: 'tags' }
  | { field: 'indicators' }
  | { field: 'description' };

export interface ChangedItem {
  id: string;
  /** The title now. */
  title: string;
  changes: FieldChange[];
}

export interface VersionChanges {
  /** In the plan now, not in the version (a restore removes them). */
  added: Array<{ id: string; title: string }>;
  /** In the version, not in the plan now (a restore brings them back). */
  removed: Array<{ id: string; title: string }>;
  changed: ChangedItem[];
}

function byPosition(a: ItemProjection, b: ItemProjection): number {
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function sameIndicators(a: ItemProjection['indicators'], b: ItemProjection['indicators']) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fields of one item that differ between the version (`then`) and now. */
export function diffItemFields(then: ItemProjection, now: ItemProjection): FieldChange[] {
  const changes: FieldChange[] = [];
  if (then.title !== now.title) changes.push({ field: 'title', from: then.title, to: now.title });
  if (then.workstreamId !== now.workstreamId) {
    changes.push({ field: 'workstream', from: then.workstreamName, to: now.workstreamName });
  }
  if (then.status !== now.status) {
    changes.push({ field: 'status', from: then.status, to: now.status });
  }
  if (then.leadOrg !== now.leadOrg) {
    changes.push({ field: 'leadOrg', from: then.leadOrg, to: now.leadOrg });
  }
  if (then.start !== now.start || then.end !== now.end) {
    changes.push({
      field: 'dates',
      from: { start: then.start, end: then.end },
      to: { start: now.start, end: now.end },
    });
  }
  if (then.progress !== now.progress) {
    changes.push({ field: 'progress', from: then.progress, to: now.progress });
  }
  if (!sameList(then.owners, now.owners)) changes.push({ field: 'owners' });
  if (!sameList(then.tags, now.tags)) changes.push({ field: 'tags' });
  if (!sameIndicators(then.indicators, now.indicators)) changes.push({ field: 'indicators' });
  if (then.descriptionFingerprint !== now.descriptionFingerprint) {
    changes.push({ field: 'description' });
  }
  return changes;
}

/** What changed between a version's items (`then`) and the plan's items now. */
export function diffPlanVersions(
  then: ReadonlyMap<string, ItemProjection>,
  now: ReadonlyMap<string, ItemProjection>,
): VersionChanges {
  const added = [...now.values()].filter((item) => !then.has(item.id)).sort(byPosition);
  const removed = [...then.values()].filter((item) => !now.has(item.id)).sort(byPosition);
  const changed: ChangedItem[] = [];
  for (const item of [...now.values()].sort(byPosition)) {
    const earlier = then.get(item.id);
    if (!earlier) continue;
    const changes = diffItemFields(earlier, item);
    if (changes.length > 0) changed.push({ id: item.id, title: item.title, changes });
  }
  const brief = ({ id, title }: ItemProjection) => ({ id, title });
  return { added: added.map(brief), removed: removed.map(brief), changed };
}
