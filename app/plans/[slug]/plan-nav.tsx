import Link from 'next/link';
import { useTranslations } from 'next-intl';

import styles from './plan-nav.module.css';

/** The pages of one plan; every member sees all of them (what each may do there differs). */
export const planPages = ['plan', 'progress', 'members', 'history', 'export'] as const;
export type PlanPage = (typeof planPages)[number];

function pagePath(slug: string, page: PlanPage): string {
  const base = `/plans/${encodeURIComponent(slug)}`;
  return page === 'plan' ? base : `${base}/${page}`;
}

/**
 * The tabs under the app header on every plan page: the plan itself, its progress board, its
 * members, its saved versions and its exports. Plain links: each is a page of its own.
 */
export function PlanNav({ slug, current }: { slug: string; current: PlanPage }) {
  const t = useTranslations('PlanNav');
  return (
    <nav className={styles.nav} aria-label={t('label')}>
      <ul className={styles.list}>
        {planPages.map((page) => (
          <li key={page}>
            <Link
              href={pagePath(slug, page)}
              className={styles.link}
              aria-current={page === current ? 'page' : undefined}
            >
              {t(page)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
