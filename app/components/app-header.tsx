import Link from 'next/link';
import { useTranslations } from 'next-intl';

import type { SessionUser } from '../../server/auth/current-user';
import styles from './app-header.module.css';
import { LanguageSwitcher } from './language-switcher';
import { NotificationBell } from './notification-bell';

/**
 * The bar on top of every signed-in page: app name, who is signed in, the notification bell, sign
 * out, language.
 */
export function AppHeader({ user }: { user: SessionUser }) {
  const t = useTranslations('Header');
  const organisations = useTranslations('Organisations');
  return (
    <header className={styles.header}>
      <Link href="/" className={styles.brand}>
        <span className={styles.logo} aria-hidden="true">
          C
        </span>
        {t('appName')}
      </Link>
      <nav className={styles.nav} aria-label={t('navigation')}>
        <Link href="/" className={styles.link}>
          {t('myPlans')}
        </Link>
      </nav>
      <p className={styles.user}>
        <span className="visually-hidden">{t('signedInAs')} </span>
        <span className={styles.userName}>{user.name}</span>
        <abbr className={styles.organisation} title={organisations(`${user.organisation}.name`)}>
          {organisations(`${user.organisation}.short`)}
        </abbr>
      </p>
      <div className={styles.notifications}>
        <NotificationBell />
      </div>
      <div className={styles.language}>
        <LanguageSwitcher />
      </div>
      <Link href="/sign-out" className={`${styles.link} ${styles.signOut}`}>
        {t('signOut')}
      </Link>
    </header>
  );
}
