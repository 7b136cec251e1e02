import { isOrganisationCode } from '../../domain/organisations';
import { getCurrentDatabase } from '../../db/database';
import { findUserById } from '../../db/queries/users';
import type { SessionUser } from '../auth/session-user';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The user a valid session names, as stored now: a deleted account has no session, and neither
 * has one issued before the user's last sign-out or password change (its version is older).
 */
export async function findSessionUser(claims: {
  userId: string;
  sessionVersion: number;
}): Promise<SessionUser | null> {
  if (!uuidPattern.test(claims.userId)) return null;
  const user = await findUserById(getCurrentDatabase().db, claims.userId);
  if (!user || !isOrganisationCode(user.organisationCode)) return null;
  if (user.sessionVersion !== claims.sessionVersion) return null;
  return { id: user.id, email: user.email, name: user.name, organisation: user.organisationCode };
}
