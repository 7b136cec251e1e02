import { DomainError } from '../../domain/domain-error';
import { canManagePlan } from '../../domain/roles';
import { getPlanAccess, type PlanAccess } from './get-plan-access';

/**
 * The plan, if `userId` may manage its members (an owner). A non-member learns nothing
 * (not_found, as everywhere); a member who is not an owner is refused (forbidden).
 */
export async function requirePlanOwner(slug: string, userId: string): Promise<PlanAccess> {
  const access = await getPlanAccess(slug, userId);
  if (!canManagePlan(access.role)) {
    throw new DomainError('forbidden', 'only an owner of the plan may manage its members');
  }
  return access;
}
