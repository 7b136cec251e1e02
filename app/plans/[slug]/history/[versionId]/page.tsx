import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';

import { isDomainError } from '../../../../../domain/domain-error';
import { canManagePlan } from '../../../../../domain/roles';
import { getVersion } from '../../../../../server/versions/get-version';
import { AppHeader } from '../../../../components/app-header';
import { loadPlanPage } from '../../load-plan-page';
import { PlanNav } from '../../plan-nav';
import styles from '../history.module.css';
import { RestoreButton } from '../restore-button';
import { VersionChangesSummary, VersionPlanContent } from '../version-content';
import { kindKey } from '../version-label';
import { VersionName, VersionTime } from '../version-time';

type Params = Promise<{ slug: string; versionId: string }>;

async function load(slug: string, versionId: string) {
  const { user } = await loadPlanPage(slug, `/history/${encodeURIComponent(versionId)}`);
  try {
    return { user, ...(await getVersion(slug, user.id, versionId)) };
  } catch (error) {
    // Another plan's version, a made-up id, a malformed one: all "no such page".
    if (isDomainError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { slug, versionId } = await params;
  const { plan, version } = await load(slug, versionId);
  const t = await getTranslations('Versions');
  return { title: `${version.name ?? t(kindKey(version.kind))} · ${plan.title}` };
}

/** One saved version, read-only: what changed since, and the plan as it was. */
export default async function VersionPage({ params }: { params: Params }) {
  const { slug, versionId } = await params;
  const { user, plan, role, version, content, changes } = await load(slug, versionId);
  const t = await getTranslations('Versions');
  const kind = t(kindKey(version.kind));
  return (
    <>
      <AppHeader user={user} />
      <PlanNav slug={plan.slug} current="history" />
      <main className={styles.page}>
        <p className={styles.back}>
          <Link href={`/plans/${encodeURIComponent(plan.slug)}/history`}>← {t('back')}</Link>
        </p>
        <h1 className={styles.title}>
          <VersionName name={version.name} at={version.createdAt} />
        </h1>
        <p className={styles.rowMeta}>
          <span className={styles.kind} data-kind={version.kind}>
            {kind}
          </span>{' '}
          <VersionTime at={version.createdAt} />
          {' · '}
          {version.createdBy ? t('by', { name: version.createdBy.name }) : t('automatic')}
        </p>
        <p className={styles.readOnly}>{t('readOnly')}</p>
        {canManagePlan(role) ? (
          <RestoreButton
            slug={plan.slug}
            versionId={version.id}
            name={version.name}
            kind={kind}
            createdAt={version.createdAt}
          />
        ) : null}
        <VersionChangesSummary changes={changes} />
        <VersionPlanContent content={content} />
      </main>
    </>
  );
}
