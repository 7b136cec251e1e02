import { DomainError } from '../../domain/domain-error';
import { canManagePlan } from '../../domain/roles';
import { getCurrentDatabase } from '../../db/database';
import { revokeShareLink as revokeStoredLink } from '../../db/queries/share-links';
import { getPlanAccess } from './get-plan-access';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An owner revokes a link: from now on every request with its token is refused. The caller
 * disconnects the public boards open on it (the returned link id names their socket.io room).
 * Revoking twice, or a link of another plan, is `not_found`.
 */
export async function revokeShareLink(
  slug: string,
  userId: string,
  linkId: string,
): Promise<{ planId: string; linkId: string }> {
  const access = await getPlanAccess(slug, userId);
  if (!canManagePlan(access.role)) {
    throw new DomainError('forbidden', 'only an owner of the plan can revoke its public links');
  }
  if (!uuidPattern.test(linkId)) throw new DomainError('not_found', 'no such link');
  const revoked = await revokeStoredLink(getCurrentDatabase().db, access.plan.id, linkId);
  if (!revoked) throw new DomainError('not_found', 'no such link');
  return { planId: access.plan.id, linkId };
}
