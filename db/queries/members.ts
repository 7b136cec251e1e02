/** Who is in which plan, with which role. Authorisation decisions are the server's, not ours. */
import { and, asc, eq, sql } from 'drizzle-orm';

import type { OrganisationCode } from '../../domain/organisations';
import type { Role } from '../../domain/roles';
import type { Database } from '../database';
import { planMembers, plans, users } from '../schema';

export async function findMemberRole(
  db: Database,
  planId: string,
  userId: string,
): Promise<Role | null> {
  const [member] = await db
    .select({ role: planMembers.role })
    .from(planMembers)
    .where(and(eq(planMembers.planId, planId), eq(planMembers.userId, userId)))
    .limit(1);
  return member?.role ?? null;
}

/** Every member's role on a plan: user id → role. */
export async function listMemberRoles(db: Database, planId: string): Promise<Map<string, Role>> {
  const rows = await db
    .select({ userId: planMembers.userId, role: planMembers.role })
    .from(planMembers)
    .where(eq(planMembers.planId, planId));
  return new Map(rows.map((row) => [row.userId, row.role]));
}

/**
 * Adds a member, or changes the role of an existing one. Returns the role the user had before
 * (null when they were not a member), so that callers can say which of the two happened.
 */
export async function upsertMember(
  db: Database,
  input: { planId: string; userId: string; role: Role },
): Promise<{ previousRole: Role | null }> {
  return db.transaction(async (tx) => {
    // FOR UPDATE keeps a concurrent change of the same membership from slipping in between the
    // read and the write, so the previous role we report is the one we replaced.
    const [existing] = await tx
      .select({ role: planMembers.role })
      .from(planMembers)
      .where(and(eq(planMembers.planId, input.planId), eq(planMembers.userId, input.userId)))
      .for('update');
    await tx
      .insert(planMembers)
      .values(input)
      .onConflictDoUpdate({
        target: [planMembers.planId, planMembers.userId],
        set: { role: input.role, updatedAt: sql`now()` },
      });
    return { previousRole: existing?.role ?? null };
  });
}

export interface PlanForUser {
  slug: string;
  title: string;
  role: Role;
}

export async function listPlansForUser(db: Database, userId: string): Promise<PlanForUser[]> {
  return db
    .select({ slug: plans.slug, title: plans.title, role: planMembers.role })
    .from(planMembers)
    .innerJoin(plans, eq(plans.id, planMembers.planId))
    .where(eq(planMembers.userId, userId))
    .orderBy(asc(plans.title));
}

export interface MemberListing {
  userId: string;
  email: string;
  name: string;
  organisationCode: OrganisationCode;
  role: Role;
  joinedAt: Date;
}

export async function listMembers(db: Database, planId: string): Promise<MemberListing[]> {
  return db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      organisationCode: users.organisationCode,
      role: planMembers.role,
      joinedAt: planMembers.createdAt,
    })
    .from(planMembers)
    .innerJoin(users, eq(users.id, planMembers.userId))
    .where(eq(planMembers.planId, planId))
    .orderBy(asc(users.name), asc(users.email));
}
