import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

import { listMyPlans } from '../server/use-cases/list-my-plans';
import { AppHeader } from './components/app-header';
import { RoleBadge } from './components/role-badge';
import { requireUser } from './lib/require-user';
import styles from './page.module.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('MyPlans');
  return { title: t('title') };
}

export default async function MyPlansPage() {
  const user = await requireUser('/');
  const [plans, t] = await Promise.all([listMyPlans(user.id), getTranslations('MyPlans')]);
  return (
    <>
      <AppHeader user={user} />
      <main className={styles.main}>
        <div className={styles.heading}>
          <div>
            <h1 className={styles.title}>{t('title')}</h1>
            <p className={styles.intro}>{t('intro')}</p>
          </div>
          <Link href="/plans/new" className="button" data-testid="new-plan">
            <span aria-hidden="true">+</span> {t('newPlan')}
          </Link>
        </div>
        {plans.length === 0 ? (
          <div className={styles.empty}>
            <h2 className={styles.emptyTitle}>{t('emptyTitle')}</h2>
            <p>{t('emptyText')}</p>
          </div>
        ) : (
          <ul className={styles.list}>
            {plans.map((plan) => (
              <li key={plan.slug}>
                {/* Viewers follow progress: their plan opens on the progress board. */}
                <Link
                  href={`/plans/${encodeURIComponent(plan.slug)}${plan.role === 'viewer' ? '/progress' : ''}`}
                  className={styles.plan}
                >
                  <span className={styles.planTitle}>{plan.title}</span>
                  <span className={styles.planMeta}>
                    {plan.role === 'viewer' ? (
                      <span className={styles.opens}>{t('opensProgress')}</span>
                    ) : null}
                    <RoleBadge role={plan.role} />
                    <span className={styles.open} aria-hidden="true">
                      →
                    </span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
