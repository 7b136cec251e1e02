/**
 * The relational projection of a plan's items (`plan_items`), written by server/projection.
 *
 * Every row carries the log sequence number it was computed at, and a write never replaces a row
 * with an older one (`where plan_items.projected_seq < excluded.projected_seq`): several
 * instances write rows of one plan, each for the commits it made, and their writes may land in
 * any order.
 */
import { and, eq, inArray, lt, sql } from 'drizzle-orm';

import type { ItemProjection, ProjectedIndicator } from '../../domain/item-projection';
import type { OrganisationCode } from '../../domain/organisations';
import type { ItemStatus } from '../../domain/plan-document';
import type { Database } from '../database';
import { planItems, plans } from '../schema';

/** One item as the API sends it (GET /api/plans/<slug>/items). */
export interface PlanItemRecord {
  id: string;
  title: string;
  workstreamId: string;
  workstreamName: string;
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
}

// Statements stay well under the 65,535 bind parameters of one query (16 columns a row).
const rowsPerStatement = 500;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toRow(planId: string, item: ItemProjection, seq: number) {
  return {
    planId,
    itemId: item.id,
    title: item.title,
    workstreamId: item.workstreamId,
    workstreamName: item.workstreamName,
    workstreamPosition: item.workstreamPosition,
    status: item.status,
    leadOrganisation: item.leadOrg,
    startDate: item.start,
    endDate: item.end,
    progress: item.progress,
    position: item.position,
    // The document accepts any id as an owner key; the column is uuid[], and one foreign key in
    // an editor's document must not stop the projection of the whole plan.
    owners: item.owners.filter((owner) => uuidPattern.test(owner)),
    tags: item.tags,
    indicators: item.indicators,
    projectedSeq: seq,
    updatedAt: new Date(),
  };
}

/** Inserts or replaces the rows of these items, unless a row is already at a later seq. */
export async function upsertPlanItems(
  db: Database,
  planId: string,
  items: readonly ItemProjection[],
  seq: number,
): Promise<void> {
  for (let start = 0; start < items.length; start += rowsPerStatement) {
    const rows = items
      .slice(start, start + rowsPerStatement)
      .map((item) => toRow(planId, item, seq));
    await db
      .insert(planItems)
      .values(rows)
      .onConflictDoUpdate({
        target: [planItems.planId, planItems.itemId],
        set: {
          title: sql`excluded.title`,
          workstreamId: sql`excluded.workstream_id`,
          workstreamName: sql`excluded.workstream_name`,
          workstreamPosition: sql`excluded.workstream_position`,
          status: sql`excluded.status`,
          leadOrganisation: sql`excluded.lead_organisation`,
          startDate: sql`excluded.start_date`,
          endDate: sql`excluded.end_date`,
          progress: sql`excluded.progress`,
          position: sql`excluded.position`,
          owners: sql`excluded.owners`,
          tags: sql`excluded.tags`,
          indicators: sql`excluded.indicators`,
          projectedSeq: sql`excluded.projected_seq`,
          updatedAt: sql`excluded.updated_at`,
        },
        setWhere: sql`${planItems.projectedSeq} < excluded.projected_seq`,
      });
  }
}

/** Deletes the rows of these items, unless a row was written at a later seq. */
export async function deletePlanItems(
  db: Database,
  planId: string,
  itemIds: readonly string[],
  seq: number,
): Promise<void> {
  for (let start = 0; start < itemIds.length; start += rowsPerStatement) {
    await db
      .delete(planItems)
      .where(
        and(
          eq(planItems.planId, planId),
          inArray(planItems.itemId, itemIds.slice(start, start + rowsPerStatement)),
          lt(planItems.projectedSeq, seq),
        ),
      );
  }
}

/** The ids of the items that have a row. */
export async function listPlanItemIds(db: Database, planId: string): Promise<string[]> {
  const rows = await db
    .select({ itemId: planItems.itemId })
    .from(planItems)
    .where(eq(planItems.planId, planId));
  return rows.map((row) => row.itemId);
}

/** Records that the rows reflect the log up to `seq` (never moves back). */
export async function markPlanProjected(db: Database, planId: string, seq: number): Promise<void> {
  await db
    .update(plans)
    .set({ projectedSeq: sql`greatest(${plans.projectedSeq}, ${seq})` })
    .where(eq(plans.id, planId));
}

export interface ProjectionStatus {
  projectedSeq: number;
  updateSeq: number;
}

export async function readProjectionStatus(
  db: Database,
  planId: string,
): Promise<ProjectionStatus | null> {
  const [row] = await db
    .select({ projectedSeq: plans.projectedSeq, updateSeq: plans.updateSeq })
    .from(plans)
    .where(eq(plans.id, planId))
    .limit(1);
  return row ?? null;
}

/**
 * A plan's items, in board order: by workstream in the plan's order, then by position and id, as
 * the document sorts them.
 */
export async function listPlanItems(db: Database, planId: string): Promise<PlanItemRecord[]> {
  const rows = await db
    .select()
    .from(planItems)
    .where(eq(planItems.planId, planId))
    .orderBy(
      sql`${planItems.workstreamPosition} collate "C"`,
      sql`${planItems.workstreamId} collate "C"`,
      sql`${planItems.position} collate "C"`,
      sql`${planItems.itemId} collate "C"`,
    );
  return rows.map((row) => ({
    id: row.itemId,
    title: row.title,
    workstreamId: row.workstreamId,
    workstreamName: row.workstreamName,
    workstreamPosition: row.workstreamPosition,
    status: row.status as ItemStatus,
    leadOrg: row.leadOrganisation,
    start: row.startDate,
    end: row.endDate,
    progress: row.progress,
    position: row.position,
    owners: row.owners,
    tags: row.tags,
    indicators: row.indicators as ProjectedIndicator[],
  }));
}
