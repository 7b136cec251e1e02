import type { Role } from '../../domain/roles';
import type { Database } from '../../db/database';
import { upsertMember } from '../../db/queries/members';
import { findPlanBySlug } from '../../db/queries/plans';
import { findUserByEmail } from '../../db/queries/users';
import { CliError } from './cli-error';

/** Adds a user to a plan, or changes their role there; returns the line to print. */
export async function addMember(
  db: Database,
  input: { planSlug: string; email: string; role: Role },
): Promise<string> {
  const plan = await findPlanBySlug(db, input.planSlug);
  if (!plan) {
    throw new CliError(`no plan "${input.planSlug}" (npm run coplan -- plan list shows them)`);
  }
  const user = await findUserByEmail(db, input.email);
  if (!user) {
    throw new CliError(`no user with email ${input.email} (create it with: user add)`);
  }
  const { previousRole } = await upsertMember(db, {
    planId: plan.id,
    userId: user.id,
    role: input.role,
  });
  if (previousRole === null) return `added ${user.email} to ${plan.slug} as ${input.role}`;
  if (previousRole === input.role) {
    return `${user.email} is already ${input.role} on ${plan.slug}; nothing changed`;
  }
  return `changed ${user.email}'s role on ${plan.slug} from ${previousRole} to ${input.role}`;
}
