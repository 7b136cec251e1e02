import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';

import { organisationCodes } from '../../../domain/organisations';
import { listMyPlans } from '../../../server/use-cases/list-my-plans';
import { AppHeader } from '../../components/app-header';
import form from '../../components/form-page.module.css';
import { requireUser } from '../../lib/require-user';
import { NewPlanForm } from './new-plan-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('NewPlan');
  return { title: t('title') };
}

/** The next period's plan: from scratch, or copied from one of the user's plans. */
export default async function NewPlanPage() {
  const user = await requireUser('/plans/new');
  const [plans, t] = await Promise.all([listMyPlans(user.id), getTranslations('NewPlan')]);
  const nextYear = new Date().getUTCFullYear() + 1;
  return (
    <>
      <AppHeader user={user} />
      <main className={`${form.main} ${form.narrow}`}>
        <h1 className={form.title}>{t('title')}</h1>
        <p className={form.intro}>{t('intro')}</p>
        <NewPlanForm
          plans={plans.map((plan) => ({ slug: plan.slug, title: plan.title }))}
          organisations={[...organisationCodes]}
          defaultPartners={[user.organisation]}
          defaultPeriod={{ start: `${nextYear}-01-01`, end: `${nextYear + 1}-12-31` }}
          standardWorkstreams={(['ws1', 'ws2', 'ws3', 'ws4', 'ws5', 'ws6', 'ws7'] as const).map(
            (key) => t(key),
          )}
        />
      </main>
    </>
  );
}
