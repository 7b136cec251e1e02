import { z } from 'zod';

import { isOrganisationCode } from '../../domain/organisations';
import { getCurrentDatabase } from '../../db/database';
import { findUserByEmail } from '../../db/queries/users';
import { hashPassword, verifyPassword } from '../auth/passwords';
import type { AuthenticatedUser } from '../auth/session-user';

export const credentialsInput = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
});

let dummyHash: Promise<string> | null = null;

/**
 * Checks an email and password. An unknown email costs the same argon2 verification as a wrong
 * password, so the answer's timing does not tell which emails have accounts.
 */
export async function authenticateWithPassword(input: unknown): Promise<AuthenticatedUser | null> {
  const parsed = credentialsInput.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const user = await findUserByEmail(getCurrentDatabase().db, email);
  if (!user) {
    dummyHash ??= hashPassword('coplan-timing-equaliser');
    await verifyPassword(await dummyHash, password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  if (!isOrganisationCode(user.organisationCode)) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    organisation: user.organisationCode,
    sessionVersion: user.sessionVersion,
  };
}
