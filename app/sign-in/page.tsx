import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';

import { getCurrentUser } from '../../server/auth/current-user';
import { LanguageSwitcher } from '../components/language-switcher';
import { safeCallbackPath } from '../lib/safe-callback-path';
import styles from './sign-in.module.css';
import { SignInForm } from './sign-in-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('SignIn');
  return { title: t('title') };
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { callbackUrl, email, changed } = await searchParams;
  if (await getCurrentUser()) redirect(safeCallbackPath(callbackUrl));
  const t = await getTranslations('SignIn');
  return (
    <div className={styles.page}>
      <div className={styles.topBar}>
        <LanguageSwitcher />
      </div>
      <main className={styles.main}>
        <div className={styles.card}>
          <p className={styles.brand}>
            <span className={styles.logo} aria-hidden="true">
              C
            </span>
            {t('appName')}
          </p>
          <h1 className={styles.title}>{t('title')}</h1>
          <p className={styles.intro}>{t('intro')}</p>
          {changed === 'password' ? (
            <p className={styles.notice} role="status">
              {t('passwordChanged')}
            </p>
          ) : null}
          <SignInForm
            callbackUrl={typeof callbackUrl === 'string' ? callbackUrl : null}
            email={typeof email === 'string' ? email.slice(0, 254) : ''}
          />
        </div>
        <p className={styles.help}>{t('help')}</p>
      </main>
    </div>
  );
}
