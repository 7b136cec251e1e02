import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';

import { isDomainError } from '../../../domain/domain-error';
import { isPlanSlug } from '../../../domain/sync-protocol';
import { getPlanAccess } from '../../../server/use-cases/get-plan-access';
import { listPlanMembers } from '../../../server/use-cases/list-plan-members';
import { AppHeader } from '../../components/app-header';
import { requireUser } from '../../lib/require-user';
import { PlanWorkspace } from './plan-workspace';

type Params = Promise<{ slug: string }>;

/**
 * The plan and the user's role on it; an unknown plan and a plan the user is not in look alike.
 * Cached per request: the metadata and the page ask for it once.
 */
const loadPlan = cache(async (slug: string, userId: string) => {
  if (!isPlanSlug(slug)) notFound();
  try {
    return await getPlanAccess(slug, userId);
  } catch (error) {
    if (isDomainError(error) && error.code === 'not_found') notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { slug } = await params;
  const user = await requireUser(`/plans/${encodeURIComponent(slug)}`);
  const { plan } = await loadPlan(slug, user.id);
  return { title: plan.title };
}

export default async function PlanPage({ params }: { params: Params }) {
  const { slug } = await params;
  const user = await requireUser(`/plans/${encodeURIComponent(slug)}`);
  const { plan, role } = await loadPlan(slug, user.id);
  const members = await listPlanMembers(plan.id);
  return (
    <>
      <AppHeader user={user} />
      <PlanWorkspace
        slug={plan.slug}
        title={plan.title}
        role={role}
        user={user}
        members={members}
      />
    </>
  );
}
