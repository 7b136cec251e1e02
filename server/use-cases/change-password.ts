import { z } from 'zod';

import { DomainError } from '../../domain/domain-error';
import { getCurrentDatabase } from '../../db/database';
import { findUserById, setPasswordHash } from '../../db/queries/users';
import { hashPassword, minPasswordLength, verifyPassword } from '../auth/passwords';
import { signalSessionsEnded } from '../auth/session-version';

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(minPasswordLength).max(1024),
});

export type ChangePasswordResult = 'changed' | 'wrong_current_password' | 'too_short';

/**
 * A signed-in user changes their password, proving the current one. Every session of theirs
 * ends, on every device, this one included (session-version.ts): they sign in again with the new
 * password.
 */
export async function changePassword(
  userId: string,
  input: unknown,
): Promise<ChangePasswordResult> {
  const parsed = changePasswordInput.safeParse(input);
  if (!parsed.success) {
    const tooShort = parsed.error.issues.some((issue) => issue.path[0] === 'newPassword');
    if (tooShort) return 'too_short';
    throw new DomainError('bad_request', 'expected the current and the new password');
  }
  const { db } = getCurrentDatabase();
  const user = await findUserById(db, userId);
  if (!user) throw new DomainError('unauthenticated', 'sign in first');
  if (!(await verifyPassword(user.passwordHash, parsed.data.currentPassword))) {
    return 'wrong_current_password';
  }
  await setUserPassword(user.id, parsed.data.newPassword);
  return 'changed';
}

/** Sets a password (the admin CLI, or after the checks above) and ends every session. */
export async function setUserPassword(userId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await setPasswordHash(getCurrentDatabase().db, userId, passwordHash);
  signalSessionsEnded(userId);
}
