import { DomainError } from '../../domain/domain-error';
import type { Role } from '../../domain/roles';
import { isPlanSlug } from '../../domain/sync-protocol';
import { getCurrentDatabase } from '../../db/database';
import { findMemberRole } from '../../db/queries/members';
import { findPlanBySlug } from '../../db/queries/plans';

export interface PlanAccess {
  /** `epoch`: bumped by each restore (domain/sync-protocol.ts). */
  plan: { id: string; slug: string; title: string; epoch: number };
  role: Role;
}

/**
 * The caller's role on a plan. An unknown plan and a plan the user is not a member of give the
 * same `not_found`, so nobody learns which plans exist; transports that must tell the two apart
 * (the WebSocket upgrade answers 404 or 403) pass `distinguishNonMember`.
 */
export async function getPlanAccess(
  slug: string,
  userId: string,
  options: { distinguishNonMember?: boolean } = {},
): Promise<PlanAccess> {
  if (!isPlanSlug(slug)) throw new DomainError('not_found', 'no such plan');
  const { db } = getCurrentDatabase();
  const plan = await findPlanBySlug(db, slug);
  if (!plan) throw new DomainError('not_found', 'no such plan');
  const role = await findMemberRole(db, plan.id, userId);
  if (!role) {
    if (options.distinguishNonMember) {
      throw new DomainError('forbidden', 'you are not a member of this plan');
    }
    throw new DomainError('not_found', 'no such plan');
  }
  return { plan: { id: plan.id, slug: plan.slug, title: plan.title, epoch: plan.epoch }, role };
}
