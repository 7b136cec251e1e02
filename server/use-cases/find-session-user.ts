import { isOrganisationCode } from '../../domain/organisations';
import { getCurrentDatabase } from '../../db/database';
import { findUserById } from '../../db/queries/users';
import type { SessionUser } from '../auth/session-user';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The user a valid session names, as stored now (a deleted account has no session). */
export async function findSessionUser(userId: string): Promise<SessionUser | null> {
  if (!uuidPattern.test(userId)) return null;
  const user = await findUserById(getCurrentDatabase().db, userId);
  if (!user || !isOrganisationCode(user.organisationCode)) return null;
  return { id: user.id, email: user.email, name: user.name, organisation: user.organisationCode };
}
