import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

import { LanguageSwitcher } from './components/language-switcher';
import styles from './status-page.module.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('NotFound');
  return { title: t('title') };
}

/** Also shown for a plan the user is not a member of: never tell whether it exists. */
export default async function NotFound() {
  const t = await getTranslations('NotFound');
  return (
    <main className={styles.main}>
      <div className={styles.switcher}>
        <LanguageSwitcher />
      </div>
      <div className={styles.card}>
        <h1 className={styles.title}>{t('title')}</h1>
        <p className={styles.text}>{t('text')}</p>
        <Link href="/" className="button">
          {t('back')}
        </Link>
      </div>
    </main>
  );
}
