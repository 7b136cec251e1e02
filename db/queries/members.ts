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

/**
 * Adds a member with `role` unless they already are one; an existing membership keeps its role.
 * Returns the role the user has afterwards and whether it was already theirs.
 */
export async function addMemberIfAbsent(
  db: Database,
  input: { planId: string; userId: string; role: Role },
): Promise<{ role: Role; alreadyMember: boolean }> {
  const inserted = await db
    .insert(planMembers)
    .values(input)
    .onConflictDoNothing()
    .returning({ role: planMembers.role });
  if (inserted[0]) return { role: inserted[0].role, alreadyMember: false };
  const role = await findMemberRole(db, input.planId, input.userId);
  if (!role) throw new Error('membership vanished while being added');
  return { role, alreadyMember: true };
}

export type MembershipChange =
  | { ok: true; previousRole: Role }
  | { ok: false; reason: 'not_owner' | 'not_member' | 'last_owner' };

/**
 * Changes a member's role (`role`) or removes them (`null`), on behalf of `actorId`, who must be
 * an owner. One transaction that first locks the plan's owner rows: two owners who demote each
 * other at the same moment are serialised, and the second sees that only they are left (under
 * READ COMMITTED a waiting `FOR UPDATE` re-reads the rows the first changed, and drops those
 * that no longer match). So a plan never ends without an owner.
 */
export async function changeMembership(
  db: Database,
  input: { planId: string; actorId: string; userId: string; role: Role | null },
): Promise<MembershipChange> {
  return db.transaction(async (tx) => {
    const owners = await tx
      .select({ userId: planMembers.userId })
      .from(planMembers)
      .where(and(eq(planMembers.planId, input.planId), eq(planMembers.role, 'owner')))
      .orderBy(asc(planMembers.userId))
      .for('update');
    const ownerIds = new Set(owners.map((owner) => owner.userId));
    if (!ownerIds.has(input.actorId)) return { ok: false, reason: 'not_owner' };
    const [target] = await tx
      .select({ role: planMembers.role })
      .from(planMembers)
      .where(and(eq(planMembers.planId, input.planId), eq(planMembers.userId, input.userId)))
      .for('update');
    if (!target) return { ok: false, reason: 'not_member' };
    const losesOwner = target.role === 'owner' && input.role !== 'owner';
    if (losesOwner && ownerIds.size <= 1) return { ok: false, reason: 'last_owner' };
    const where = and(eq(planMembers.planId, input.planId), eq(planMembers.userId, input.userId));
    if (input.role === null) {
      await tx.delete(planMembers).where(where);
    } else if (input.role !== target.role) {
      await tx
        .update(planMembers)
        .set({ role: input.role, updatedAt: sql`now()` })
        .where(where);
    }
    return { ok: true, previousRole: target.role };
  });
}
