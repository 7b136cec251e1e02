import { DomainError } from '../../domain/domain-error';
import { canManagePlan } from '../../domain/roles';
import { getCurrentDatabase } from '../../db/database';
import { listActiveShareLinks } from '../../db/queries/share-links';
import { getPlanAccess } from './get-plan-access';

export interface ShareLinkSummary {
  id: string;
  createdAt: string;
  createdByName: string | null;
}

/** The plan's working share links (never their tokens: those were shown once), for owners. */
export async function listShareLinks(slug: string, userId: string): Promise<ShareLinkSummary[]> {
  const access = await getPlanAccess(slug, userId);
  if (!canManagePlan(access.role)) {
    throw new DomainError('forbidden', 'only an owner of the plan can see its public links');
  }
  const links = await listActiveShareLinks(getCurrentDatabase().db, access.plan.id);
  return links.map((link) => ({ ...link, createdAt: link.createdAt.toISOString() }));
}
