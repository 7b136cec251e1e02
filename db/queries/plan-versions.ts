/**
 * Saved versions of a plan (`plan_versions`) and the plan's restore epoch. Queries trust their
 * caller: who may list, save or restore is checked in server/use-cases.
 */
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';

import type { VersionKind } from '../../domain/versions';
import type { Database } from '../database';
import { planVersions, plans, users } from '../schema';

export interface NewPlanVersion {
  planId: string;
  kind: VersionKind;
  name?: string | null;
  seq: number;
  data: Uint8Array;
  createdBy: string | null;
  /** Only tests set it (a version "from yesterday"); the database's clock otherwise. */
  createdAt?: Date;
}

export interface PlanVersionListing {
  id: string;
  kind: VersionKind;
  name: string | null;
  seq: number;
  createdAt: Date;
  createdById: string | null;
  createdByName: string | null;
}

const listingColumns = {
  id: planVersions.id,
  kind: planVersions.kind,
  name: planVersions.name,
  seq: planVersions.seq,
  createdAt: planVersions.createdAt,
  createdById: planVersions.createdBy,
  createdByName: users.name,
};

export async function insertPlanVersion(
  db: Database,
  version: NewPlanVersion,
): Promise<PlanVersionListing> {
  const [row] = await db.insert(planVersions).values(version).returning({ id: planVersions.id });
  if (!row) throw new Error('insert into plan_versions returned no row');
  const [listing] = await db
    .select(listingColumns)
    .from(planVersions)
    .leftJoin(users, eq(users.id, planVersions.createdBy))
    .where(eq(planVersions.id, row.id));
  if (!listing) throw new Error('the version just saved is gone');
  return listing;
}

/**
 * Saves a daily version unless the plan already has one made on the UTC day that starts at
 * `dayStart` (its `createdAt` is the caller's clock, which decides the day). The plan's
 * row is locked meanwhile, so two instances committing the same plan save one, not two.
 * Returns whether it saved.
 */
export async function insertDailyVersionOnce(
  db: Database,
  version: Omit<NewPlanVersion, 'kind' | 'name' | 'createdAt'> & { createdAt: Date },
  dayStart: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.select({ id: plans.id }).from(plans).where(eq(plans.id, version.planId)).for('update');
    const [existing] = await tx
      .select({ id: planVersions.id })
      .from(planVersions)
      .where(
        and(
          eq(planVersions.planId, version.planId),
          eq(planVersions.kind, 'daily'),
          gte(planVersions.createdAt, dayStart),
          lt(planVersions.createdAt, new Date(dayStart.getTime() + 24 * 60 * 60 * 1000)),
        ),
      )
      .limit(1);
    if (existing) return false;
    await tx.insert(planVersions).values({ ...version, kind: 'daily' });
    return true;
  });
}

/** A plan's versions, newest first, without their documents. */
export async function listPlanVersions(
  db: Database,
  planId: string,
  limit = 200,
): Promise<PlanVersionListing[]> {
  return db
    .select(listingColumns)
    .from(planVersions)
    .leftJoin(users, eq(users.id, planVersions.createdBy))
    .where(eq(planVersions.planId, planId))
    .orderBy(desc(planVersions.createdAt), desc(planVersions.seq))
    .limit(limit);
}

/** One version of one plan with its document; null for an id of another plan. */
export async function findPlanVersion(
  db: Database,
  planId: string,
  versionId: string,
): Promise<(PlanVersionListing & { data: Uint8Array }) | null> {
  const [row] = await db
    .select({ ...listingColumns, data: planVersions.data })
    .from(planVersions)
    .leftJoin(users, eq(users.id, planVersions.createdBy))
    .where(and(eq(planVersions.planId, planId), eq(planVersions.id, versionId)))
    .limit(1);
  return row ?? null;
}

export async function readPlanEpoch(db: Database, planId: string): Promise<number | null> {
  const [row] = await db.select({ epoch: plans.epoch }).from(plans).where(eq(plans.id, planId));
  return row?.epoch ?? null;
}

/** Bumps the plan's epoch (a restore happened); returns the new one. */
export async function bumpPlanEpoch(db: Database, planId: string): Promise<number> {
  const [row] = await db
    .update(plans)
    .set({ epoch: sql`${plans.epoch} + 1` })
    .where(eq(plans.id, planId))
    .returning({ epoch: plans.epoch });
  if (!row) throw new Error(`plan ${planId} does not exist`);
  return row.epoch;
}
