import type { PlanMember } from '../../domain/roles';
import { getCurrentDatabase } from '../../db/database';
import { listMembers } from '../../db/queries/members';

/**
 * The members of a plan, for the people on it (owners to pick, names to show). The caller must
 * have checked that the user may see the plan; e-mail addresses stay out.
 */
export async function listPlanMembers(planId: string): Promise<PlanMember[]> {
  const members = await listMembers(getCurrentDatabase().db, planId);
  return members.map((member) => ({
    id: member.userId,
    name: member.name,
    organisation: member.organisationCode,
    role: member.role,
  }));
}
