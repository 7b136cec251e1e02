'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';

import styles from './status-page.module.css';

/** Any unexpected failure while rendering a page. */
export default function ErrorPage({
  retry,
}: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  const t = useTranslations('ErrorPage');
  return (
    <main className={styles.main}>
      <div className={styles.card} role="alert">
        <h1 className={styles.title}>{t('title')}</h1>
        <p className={styles.text}>{t('text')}</p>
        <div className={styles.actions}>
          <button type="button" className="button" onClick={() => retry()}>
            {t('retry')}
          </button>
          <Link href="/" className="button button-quiet">
            {t('back')}
          </Link>
        </div>
      </div>
    </main>
  );
}
