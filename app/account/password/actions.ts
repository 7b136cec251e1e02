'use server';

import { getCurrentUser } from '../../../server/auth/current-user';
import { changePassword } from '../../../server/use-cases/change-password';

export type ChangePasswordResult =
  | { ok: true }
  | { ok: false; error: 'unauthenticated' | 'wrong_current_password' | 'too_short' | 'failed' };

/** The signed-in user changes their password; every session of theirs ends (this one too). */
export async function changeMyPassword(input: {
  currentPassword: string;
  newPassword: string;
}): Promise<ChangePasswordResult> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: 'unauthenticated' };
  try {
    const result = await changePassword(user.id, input);
    return result === 'changed' ? { ok: true } : { ok: false, error: result };
  } catch {
    return { ok: false, error: 'failed' };
  }
}
