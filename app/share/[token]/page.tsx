import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { cache } from 'react';

import { isDomainError } from '../../../domain/domain-error';
import type { ProgressBoard } from '../../../domain/progress-board';
import { getPublicProgressBoard } from '../../../server/use-cases/get-progress-board';
import pageStyles from '../../plans/[slug]/progress/progress-page.module.css';
import { ProgressBoardView } from '../../plans/[slug]/progress/progress-board-view';
import { PublicHeader } from './public-header';
import styles from './public-page.module.css';

type Params = Promise<{ token: string }>;

/**
 * An unknown and a revoked token both end here: the same 404, in the visitor's language. Cached
 * per request: the metadata and the page ask once.
 */
const loadBoard = cache(async (token: string): Promise<ProgressBoard> => {
  try {
    return await getPublicProgressBoard(token);
  } catch (error) {
    if (isDomainError(error) && error.code === 'not_found') notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { token } = await params;
  const board = await loadBoard(token);
  const t = await getTranslations('Progress');
  return {
    title: t('heading', { title: board.plan.title }),
    // A shared link is not for search engines, and never leaves in a Referer header.
    robots: { index: false, follow: false },
    referrer: 'no-referrer',
  };
}

/**
 * The progress board behind a public link: anyone with the token, signed in or not, sees the
 * board read-only, with organisations in place of people. No app header, bell or plan tabs: a
 * minimal header with the language menu. The token is checked on every request (here, at every
 * refetch, and by the socket), so a revoked link stops at once.
 */
export default async function SharedProgressPage({ params }: { params: Params }) {
  const { token } = await params;
  const board = await loadBoard(token);
  const t = await getTranslations('Progress');
  const shared = await getTranslations('PublicBoard');
  return (
    <>
      <PublicHeader />
      <main className={pageStyles.main}>
        <h1 className={pageStyles.title}>
          <span className={pageStyles.eyebrow}>{t('title')}</span>
          {board.plan.title}
        </h1>
        <p className={styles.notice}>
          <strong>{shared('badge')}</strong> · {shared('notice')}
        </p>
        <ProgressBoardView initial={board} source={{ kind: 'public', token }} />
      </main>
    </>
  );
}
