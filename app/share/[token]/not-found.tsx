import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';

import { LanguageSwitcher } from '../../components/language-switcher';
import styles from '../../status-page.module.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('PublicBoard');
  return { title: t('notFoundTitle'), robots: { index: false, follow: false } };
}

/** An unknown, malformed or revoked share link: one page for all, so none tells them apart. */
export default async function ShareNotFound() {
  const t = await getTranslations('PublicBoard');
  return (
    <main className={styles.main}>
      <div className={styles.switcher}>
        <LanguageSwitcher />
      </div>
      <div className={styles.card} data-testid="share-not-found">
        <h1 className={styles.title}>{t('notFoundTitle')}</h1>
        <p className={styles.text}>{t('notFoundText')}</p>
      </div>
    </main>
  );
}
