import { redirect } from 'next/navigation';

import { getCurrentUser } from '../../server/auth/current-user';
import type { SessionUser } from '../../server/auth/current-user';
import { signInPath } from './sign-in-path';

/**
 * The signed-in user, for a page that needs one. Every such page calls this itself (no
 * middleware): without a session the visitor goes to sign in and comes back to `callbackPath`.
 */
export async function requireUser(callbackPath: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(signInPath(callbackPath));
  return user;
}
