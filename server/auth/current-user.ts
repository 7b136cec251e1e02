/**
 * The signed-in user for pages, layouts, route handlers and server actions. Each of them calls
 * this itself: middleware is not a security boundary.
 */
import { getServerSession } from 'next-auth';

import { findSessionUser } from '../use-cases/find-session-user';
import { authOptions } from './next-auth-options';
import type { SessionUser } from './session-user';

export type { SessionUser };

export async function getCurrentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string') return null;
  return findSessionUser(id);
}
