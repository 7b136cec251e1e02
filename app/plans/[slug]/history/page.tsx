import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

import { canEditPlan } from '../../../../domain/roles';
import { listVersions } from '../../../../server/versions/list-versions';
import { AppHeader } from '../../../components/app-header';
import { loadPlanPage } from '../load-plan-page';
import { PlanNav } from '../plan-nav';
import styles from './history.module.css';
import { SaveVersionForm } from './save-version-form';
import { kindKey } from './version-label';
import { VersionName, VersionTime } from './version-time';

type Params = Promise<{ slug: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { slug } = await params;
  const { plan } = await loadPlanPage(slug, '/history');
  const t = await getTranslations('Versions');
  return { title: `${t('title')} · ${plan.title}` };
}

/** The plan's saved versions, newest first; editors and owners name one here. */
export default async function HistoryPage({ params }: { params: Params }) {
  const { slug } = await params;
  const { plan, role, user } = await loadPlanPage(slug, '/history');
  const { versions } = await listVersions(plan.slug, user.id);
  const t = await getTranslations('Versions');
  const base = `/plans/${encodeURIComponent(plan.slug)}/history`;
  return (
    <>
      <AppHeader user={user} />
      <PlanNav slug={plan.slug} current="history" />
      <main className={styles.page}>
        <h1 className={styles.title}>{t('title')}</h1>
        <p className={styles.lead}>{t('intro')}</p>
        {canEditPlan(role) ? <SaveVersionForm slug={plan.slug} /> : null}
        {versions.length === 0 ? (
          <p className={styles.muted}>{t('empty')}</p>
        ) : (
          <ol className={styles.list} data-testid="version-list">
            {versions.map((version) => (
              <li key={version.id} className={styles.row} data-testid="version-row">
                <span className={styles.kind} data-kind={version.kind}>
                  {t(kindKey(version.kind))}
                </span>
                <div className={styles.rowMain}>
                  <Link className={styles.rowLink} href={`${base}/${version.id}`}>
                    <VersionName name={version.name} at={version.createdAt} />
                  </Link>
                  <p className={styles.rowMeta}>
                    <VersionTime at={version.createdAt} />
                    {' · '}
                    {version.createdBy ? t('by', { name: version.createdBy.name }) : t('automatic')}
                  </p>
                </div>
              </li>
            ))}
          </ol>
        )}
      </main>
    </>
  );
}
