import type { Metadata } from 'next';

import { listPlanMembers } from '../../../server/use-cases/list-plan-members';
import { AppHeader } from '../../components/app-header';
import { loadPlanPage } from './load-plan-page';
import { PlanNav } from './plan-nav';
import { PlanWorkspace } from './plan-workspace';

type Params = Promise<{ slug: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { slug } = await params;
  const { plan } = await loadPlanPage(slug, '');
  return { title: plan.title };
}

export default async function PlanPage({ params }: { params: Params }) {
  const { slug } = await params;
  const { plan, role, user } = await loadPlanPage(slug, '');
  const members = await listPlanMembers(plan.id);
  return (
    <>
      <AppHeader user={user} />
      <PlanNav slug={plan.slug} current="plan" />
      <PlanWorkspace
        slug={plan.slug}
        title={plan.title}
        role={role}
        user={user}
        members={members}
        epoch={plan.epoch}
      />
    </>
  );
}
