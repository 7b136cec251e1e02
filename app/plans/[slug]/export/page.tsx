import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';

import { canEditPlan } from '../../../../domain/roles';
import { getPublicOrigin } from '../../../../server/public-origin';
import { listCalendarFeeds } from '../../../../server/use-cases/calendar-feeds';
import { AppHeader } from '../../../components/app-header';
import { loadPlanPage } from '../load-plan-page';
import { PlanNav } from '../plan-nav';

import { CalendarFeeds } from './calendar-feeds';
import { ExportDownloads } from './export-downloads';
import { toFeedSummary } from './feed-summary';
import styles from './export.module.css';

type Params = Promise<{ slug: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { slug } = await params;
  const { plan } = await loadPlanPage(slug, '/export');
  const t = await getTranslations('Export');
  return { title: t('metaTitle', { plan: plan.title }) };
}

/** The plan's files for every member: CSV downloads, the printable report, calendar feeds. */
export default async function ExportPage({ params }: { params: Params }) {
  const { slug } = await params;
  const { plan, role, user } = await loadPlanPage(slug, '/export');
  const [t, locale, feeds] = await Promise.all([
    getTranslations('Export'),
    getLocale(),
    listCalendarFeeds(plan.slug, user.id),
  ]);
  return (
    <>
      <AppHeader user={user} />
      <PlanNav slug={plan.slug} current="export" />
      <main className={styles.page}>
        <h1 className={styles.title}>{t('title')}</h1>
        <p className={styles.intro}>{t('intro')}</p>
        <ExportDownloads slug={plan.slug} initialLocale={locale} />
        {canEditPlan(role) ? <p className={styles.note}>{t('importHint')}</p> : null}
        <CalendarFeeds
          slug={plan.slug}
          initialFeeds={await Promise.all(feeds.map(toFeedSummary))}
          publicOrigin={getPublicOrigin()}
        />
      </main>
    </>
  );
}
