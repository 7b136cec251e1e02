/**
 * Invitations to a plan. Only the token's SHA-256 is stored; the caller hashes. Claiming is one
 * conditional UPDATE, so of two people accepting the same link at once exactly one gets it.
 */
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';

import type { OrganisationCode } from '../../domain/organisations';
import type { Role } from '../../domain/roles';
import type { Database } from '../database';
import { invites, plans, users, type InviteRow } from '../schema';

export interface NewInviteInput {
  planId: string;
  email: string;
  role: Role;
  organisationCode: OrganisationCode | null;
  tokenHash: string;
  invitedBy: string;
  expiresAt: Date;
}

export async function insertInvite(db: Database, input: NewInviteInput): Promise<InviteRow> {
  const [row] = await db.insert(invites).values(input).returning();
  if (!row) throw new Error('insert into invites returned no row');
  return row;
}

export interface PendingInvite {
  id: string;
  email: string;
  role: Role;
  organisationCode: OrganisationCode | null;
  invitedByName: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Invites not yet accepted, revoked or expired, newest first. */
export async function listPendingInvites(db: Database, planId: string): Promise<PendingInvite[]> {
  return db
    .select({
      id: invites.id,
      email: invites.email,
      role: invites.role,
      organisationCode: invites.organisationCode,
      invitedByName: users.name,
      createdAt: invites.createdAt,
      expiresAt: invites.expiresAt,
    })
    .from(invites)
    .leftJoin(users, eq(users.id, invites.invitedBy))
    .where(
      and(
        eq(invites.planId, planId),
        isNull(invites.acceptedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, sql`now()`),
      ),
    )
    .orderBy(desc(invites.createdAt));
}

/** Revokes a pending invite of this plan; false when there was none to revoke. */
export async function revokeInvite(
  db: Database,
  planId: string,
  inviteId: string,
): Promise<boolean> {
  const rows = await db
    .update(invites)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(invites.id, inviteId),
        eq(invites.planId, planId),
        isNull(invites.acceptedAt),
        isNull(invites.revokedAt),
      ),
    )
    .returning({ id: invites.id });
  return rows.length > 0;
}

export interface InviteWithPlan extends InviteRow {
  planSlug: string;
  planTitle: string;
  /** Whether it is still open, by the database's clock. */
  expired: boolean;
}

export async function findInviteByTokenHash(
  db: Database,
  tokenHash: string,
): Promise<InviteWithPlan | null> {
  const [row] = await db
    .select({
      invite: invites,
      planSlug: plans.slug,
      planTitle: plans.title,
      expired: sql<boolean>`${invites.expiresAt} <= now()`,
    })
    .from(invites)
    .innerJoin(plans, eq(plans.id, invites.planId))
    .where(eq(invites.tokenHash, tokenHash))
    .limit(1);
  if (!row) return null;
  return { ...row.invite, planSlug: row.planSlug, planTitle: row.planTitle, expired: row.expired };
}

/**
 * Marks the invite accepted by `userId` if it is still open (not accepted, revoked or expired);
 * returns it, or null when someone else got there first or it is no longer open. Run it in the
 * transaction that adds the member, so that a failure afterwards leaves the invite open.
 */
export async function claimInvite(
  db: Database,
  tokenHash: string,
  userId: string,
): Promise<InviteRow | null> {
  const [row] = await db
    .update(invites)
    .set({ acceptedAt: sql`now()`, acceptedBy: userId })
    .where(
      and(
        eq(invites.tokenHash, tokenHash),
        isNull(invites.acceptedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, sql`now()`),
      ),
    )
    .returning();
  return row ?? null;
}
