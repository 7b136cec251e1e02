import { DomainError } from '../../domain/domain-error';
import { getCurrentDatabase } from '../../db/database';
import { findActiveShareLink } from '../../db/queries/share-links';
import { hashShareToken, isShareTokenForm } from './share-token';

export interface SharedPlan {
  linkId: string;
  plan: { id: string; slug: string; title: string };
}

/**
 * The plan an active share token opens. A malformed, unknown and revoked token are the same
 * `not_found`, with the same message: nobody learns whether a token ever existed. Every entry
 * point calls this on every request, so a revoked link stops working at once.
 */
export async function resolveShareToken(token: unknown): Promise<SharedPlan> {
  if (!isShareTokenForm(token)) throw new DomainError('not_found', 'no such link');
  const link = await findActiveShareLink(getCurrentDatabase().db, hashShareToken(token));
  if (!link) throw new DomainError('not_found', 'no such link');
  return link;
}
