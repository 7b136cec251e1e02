import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';

import { canManagePlan } from '../../../../domain/roles';
import { getPublicOrigin } from '../../../../server/public-origin';
import { getProgressBoard } from '../../../../server/use-cases/get-progress-board';
import { listShareLinks } from '../../../../server/use-cases/list-share-links';
import { AppHeader } from '../../../components/app-header';
import { loadPlanPage } from '../load-plan-page';
import { PlanNav } from '../plan-nav';
import styles from './progress-page.module.css';
import { ProgressBoardView } from './progress-board-view';
import { SharePanel } from './share-panel';

type Params = Promise<{ slug: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { slug } = await params;
  const { plan } = await loadPlanPage(slug, '/progress');
  const t = await getTranslations('Progress');
  return { title: t('heading', { title: plan.title }) };
}

/**
 * The plan's progress board, for every member; the main page for viewers. Read from the
 * relational projection, kept live by `progress:changed`. Owners also manage public links here.
 */
export default async function ProgressPage({ params }: { params: Params }) {
  const { slug } = await params;
  const { plan, role, user } = await loadPlanPage(slug, '/progress');
  const t = await getTranslations('Progress');
  const owner = canManagePlan(role);
  const [board, links] = await Promise.all([
    getProgressBoard(plan.slug, user.id),
    owner ? listShareLinks(plan.slug, user.id) : Promise.resolve([]),
  ]);
  return (
    <>
      <AppHeader user={user} />
      <PlanNav slug={plan.slug} current="progress" />
      <main className={styles.main}>
        <h1 className={styles.title}>
          <span className={styles.eyebrow}>{t('title')}</span>
          {plan.title}
        </h1>
        <ProgressBoardView initial={board} source={{ kind: 'member', slug: plan.slug }} />
        {owner ? (
          <SharePanel
            slug={plan.slug}
            userName={user.name}
            initialLinks={links}
            publicOrigin={getPublicOrigin()}
          />
        ) : null}
      </main>
    </>
  );
}
