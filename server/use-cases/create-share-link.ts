import { DomainError } from '../../domain/domain-error';
import { canManagePlan } from '../../domain/roles';
import { getCurrentDatabase } from '../../db/database';
import { insertShareLink } from '../../db/queries/share-links';
import { getPlanAccess } from './get-plan-access';
import { hashShareToken, newShareToken } from './share-token';

export interface CreatedShareLink {
  id: string;
  /** Shown once: only its hash is kept. */
  token: string;
  createdAt: string;
}

/** An owner makes a public read-only link to the plan's progress board. */
export async function createShareLink(slug: string, userId: string): Promise<CreatedShareLink> {
  const access = await getPlanAccess(slug, userId);
  if (!canManagePlan(access.role)) {
    throw new DomainError('forbidden', 'only an owner of the plan can share it publicly');
  }
  const token = newShareToken();
  const link = await insertShareLink(getCurrentDatabase().db, {
    planId: access.plan.id,
    tokenHash: hashShareToken(token),
    createdBy: userId,
  });
  return { id: link.id, token, createdAt: link.createdAt.toISOString() };
}
