/**
 * The relational projection of a plan's items: one plain record per item, read from the plan
 * document through plan-document.ts's readers. The server stores these as `plan_items` rows
 * (server/projection) so that reports, notifications and the activity log never load Yjs, and
 * diffs two of them into activity entries (item-activity.ts).
 *
 * Pure: no I/O. A record is what a reader of the board sees, plus a fingerprint of the
 * description, which is never stored: it only tells "the description changed" apart from "it
 * did not" without keeping the rich text itself.
 */
import type * as Y from 'yjs';

import type { OrganisationCode } from './organisations';
import {
  findItem,
  findWorkstream,
  getItemDescription,
  readPlan,
  type Item,
  type ItemStatus,
  type Workstream,
} from './plan-document';

export interface ProjectedIndicator {
  id: string;
  name: string;
  unit: string;
  baseline: number;
  target: number;
  actual: number | null;
}

export interface ItemProjection {
  id: string;
  title: string;
  workstreamId: string;
  /** The workstream's name at projection time; '' if the item's workstream is gone. */
  workstreamName: string;
  /** The workstream's position in the plan (fractional index); '' if it is gone. */
  workstreamPosition: string;
  status: ItemStatus;
  leadOrg: OrganisationCode;
  start: string;
  end: string;
  progress: number;
  position: string;
  owners: string[];
  tags: string[];
  indicators: ProjectedIndicator[];
  /** A hash of the description's content, for change detection only. */
  descriptionFingerprint: string;
}

/**
 * FNV-1a over UTF-16 code units: cheap, stable across processes, and more than enough to notice
 * an edit (a collision only hides one "description edited" entry).
 */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${text.length.toString(36)}.${(hash >>> 0).toString(36)}`;
}

function describe(doc: Y.Doc, itemId: string): string {
  const description = getItemDescription(doc, itemId, { create: false });
  return description ? fingerprint(description.toString()) : '';
}

function toProjection(doc: Y.Doc, item: Item, workstream: Workstream | null): ItemProjection {
  return {
    id: item.id,
    title: item.title,
    workstreamId: item.workstreamId,
    workstreamName: workstream?.name ?? '',
    workstreamPosition: workstream?.position ?? '',
    status: item.status,
    leadOrg: item.leadOrg,
    start: item.start,
    end: item.end,
    progress: item.progress,
    position: item.position,
    owners: item.owners,
    tags: item.tags,
    indicators: item.indicators.map(({ id, name, unit, baseline, target, actual }) => ({
      id,
      name,
      unit,
      baseline,
      target,
      actual,
    })),
    descriptionFingerprint: describe(doc, item.id),
  };
}

/** One item's projection; null when the document has no readable item of that id. */
export function projectItem(doc: Y.Doc, itemId: string): ItemProjection | null {
  const item = findItem(doc, itemId);
  return item ? toProjection(doc, item, findWorkstream(doc, item.workstreamId)) : null;
}

/** Every readable item's projection, by id (a whole-plan rebuild). */
export function projectPlan(doc: Y.Doc): Map<string, ItemProjection> {
  const plan = readPlan(doc);
  const workstreams = new Map(plan.workstreams.map((workstream) => [workstream.id, workstream]));
  const projections = new Map<string, ItemProjection>();
  for (const item of plan.items) {
    projections.set(item.id, toProjection(doc, item, workstreams.get(item.workstreamId) ?? null));
  }
  return projections;
}
