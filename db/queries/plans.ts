/** Plans as records: slug, title and the counters; the document itself is in plan-log.ts. */
import { asc, count, eq } from 'drizzle-orm';

import type { Database } from '../database';
import { planMembers, plans, type Plan } from '../schema';
import { writePlanSnapshot } from './plan-log';

export async function findPlanBySlug(db: Database, slug: string): Promise<Plan | null> {
  const [plan] = await db.select().from(plans).where(eq(plans.slug, slug)).limit(1);
  return plan ?? null;
}

export interface PlanWithCount {
  id: string;
  slug: string;
  title: string;
  memberCount: number;
}

export async function listPlansWithCounts(db: Database): Promise<PlanWithCount[]> {
  return db
    .select({
      id: plans.id,
      slug: plans.slug,
      title: plans.title,
      memberCount: count(planMembers.userId),
    })
    .from(plans)
    .leftJoin(planMembers, eq(planMembers.planId, plans.id))
    .groupBy(plans.id)
    .orderBy(asc(plans.slug));
}

export interface NewPlanInput {
  slug: string;
  title: string;
  id?: string;
}

/** Inserts a plan with an empty log (update_seq 0). A taken slug throws a unique violation. */
export async function insertPlan(db: Database, input: NewPlanInput): Promise<Plan> {
  const [plan] = await db.insert(plans).values(input).returning();
  if (!plan) throw new Error('insert into plans returned no row');
  return plan;
}

export async function findPlanById(db: Database, planId: string): Promise<Plan | null> {
  const [plan] = await db.select().from(plans).where(eq(plans.id, planId)).limit(1);
  return plan ?? null;
}

/**
 * A new plan with its first document (the snapshot at seq 0, as the seed stores its plan) and
 * its one owner, in one transaction: a plan is never seen without its document or its owner.
 * A taken slug throws a unique violation (`plans_slug_unique`) and stores nothing.
 */
export async function insertPlanWithOwner(
  db: Database,
  input: { slug: string; title: string; ownerId: string; document: Uint8Array },
): Promise<Plan> {
  return db.transaction(async (tx) => {
    const plan = await insertPlan(tx, { slug: input.slug, title: input.title });
    await tx.insert(planMembers).values({ planId: plan.id, userId: input.ownerId, role: 'owner' });
    await writePlanSnapshot(tx, plan.id, 0, input.document);
    return plan;
  });
}
