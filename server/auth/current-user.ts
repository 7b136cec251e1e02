/**
 * The signed-in user for pages, layouts, route handlers and server actions. Each of them calls
 * this itself: middleware is not a security boundary.
 */
import { getServerSession } from 'next-auth';

import { findSessionUser } from '../use-cases/find-session-user';
import { authOptions } from './next-auth-options';
import { readSessionVersion } from './session-cookie';
import type { SessionUser } from './session-user';

export type { SessionUser };

export async function getCurrentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const claims = session?.user as { id?: unknown; sessionVersion?: unknown } | undefined;
  if (typeof claims?.id !== 'string') return null;
  return findSessionUser({
    userId: claims.id,
    sessionVersion: readSessionVersion(claims.sessionVersion),
  });
}
