import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

import { AppHeader } from '../components/app-header';
import { requireUser } from '../lib/require-user';
import styles from './sign-out.module.css';
import { SignOutButton } from './sign-out-button';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('SignOut');
  return { title: t('title') };
}

export default async function SignOutPage() {
  const user = await requireUser('/sign-out');
  const [t, account] = await Promise.all([getTranslations('SignOut'), getTranslations('Account')]);
  return (
    <>
      <AppHeader user={user} />
      <main className={styles.main}>
        <div className={styles.card}>
          <h1 className={styles.title}>{t('title')}</h1>
          <p className={styles.text}>{t('question', { name: user.name })}</p>
          <p className={styles.text}>{t('sharedComputerNote')}</p>
          <p className={styles.text}>{account('signOutEverywhere')}</p>
          <p className={styles.text}>
            <Link href="/account/password">{account('changeLink')}</Link>
          </p>
          <div className={styles.actions}>
            <SignOutButton />
            <Link href="/" className="button button-quiet">
              {t('cancel')}
            </Link>
          </div>
        </div>
      </main>
    </>
  );
}
