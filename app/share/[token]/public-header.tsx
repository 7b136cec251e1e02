import { useTranslations } from 'next-intl';

import { LanguageSwitcher } from '../../components/language-switcher';
import styles from './public-page.module.css';

/** The public board's header: the app's name and the language menu, nothing of an account. */
export function PublicHeader() {
  const t = useTranslations('Header');
  return (
    <header className={styles.header}>
      <span className={styles.brand}>
        <span className={styles.logo} aria-hidden="true">
          C
        </span>
        {t('appName')}
      </span>
      <LanguageSwitcher />
    </header>
  );
}
