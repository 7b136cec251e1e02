import { notFound } from 'next/navigation';
import { cache } from 'react';

import { isDomainError } from '../../../domain/domain-error';
import { isPlanSlug } from '../../../domain/sync-protocol';
import type { SessionUser } from '../../../server/auth/current-user';
import { getPlanAccess, type PlanAccess } from '../../../server/use-cases/get-plan-access';
import { requireUser } from '../../lib/require-user';

/**
 * What every page under /plans/<slug> starts with: the signed-in user (or a trip to sign in and
 * back to `path`), the plan and the user's role on it. An unknown plan and a plan the user is not
 * in look alike (404). Cached per request: a page's metadata and body ask once.
 */
export const loadPlanPage = cache(
  async (slug: string, path: string): Promise<PlanAccess & { user: SessionUser }> => {
    const user = await requireUser(`/plans/${encodeURIComponent(slug)}${path}`);
    if (!isPlanSlug(slug)) notFound();
    try {
      return { ...(await getPlanAccess(slug, user.id)), user };
    } catch (error) {
      if (isDomainError(error) && error.code === 'not_found') notFound();
      throw error;
    }
  },
);
