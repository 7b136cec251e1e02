import type { OrganisationCode } from '../../domain/organisations';
import { canManagePlan, type Role } from '../../domain/roles';
import { getCurrentDatabase } from '../../db/database';
import { listPendingInvites, type PendingInvite } from '../../db/queries/invites';
import { listMembers } from '../../db/queries/members';
import { getPlanAccess, type PlanAccess } from './get-plan-access';

export interface MemberRow {
  id: string;
  name: string;
  organisation: OrganisationCode;
  role: Role;
  /** Only for owners: the others see names, organisations and roles. */
  email: string | null;
  joinedAt: string;
}

export interface MembersPage extends PlanAccess {
  members: MemberRow[];
  /** Pending invitations; empty for anyone but an owner. */
  invites: PendingInvite[];
}

/** Who is on the plan, as the members page shows it to `userId` (who must be a member). */
export async function listMembersPage(slug: string, userId: string): Promise<MembersPage> {
  const access = await getPlanAccess(slug, userId);
  const { db } = getCurrentDatabase();
  const owner = canManagePlan(access.role);
  const [members, invites] = await Promise.all([
    listMembers(db, access.plan.id),
    owner ? listPendingInvites(db, access.plan.id) : Promise.resolve([]),
  ]);
  return {
    ...access,
    members: members.map((member) => ({
      id: member.userId,
      name: member.name,
      organisation: member.organisationCode,
      role: member.role,
      email: owner ? member.email : null,
      joinedAt: member.joinedAt.toISOString(),
    })),
    invites,
  };
}
