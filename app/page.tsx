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
        <h1 className={styles.title}>{t('title')}</h1>
        <p className={styles.intro}>{t('intro')}</p>
        {plans.length === 0 ? (
          <div className={styles.empty}>
            <h2 className={styles.emptyTitle}>{t('emptyTitle')}</h2>
            <p>{t('emptyText')}</p>
          </div>
        ) : (
          <ul className={styles.list}>
            {plans.map((plan) => (
              <li key={plan.slug}>
                <Link href={`/plans/${encodeURIComponent(plan.slug)}`} className={styles.plan}>
                  <span className={styles.planTitle}>{plan.title}</span>
                  <span className={styles.planMeta}>
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
