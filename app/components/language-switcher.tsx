'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useRef } from 'react';
import { useFormStatus } from 'react-dom';

import { locales } from '../../domain/locales';
import { setLocale } from '../i18n/set-locale';
import styles from './language-switcher.module.css';

function LocaleSelect({ onChange }: { onChange: () => void }) {
  const t = useTranslations('LanguageSwitcher');
  const locale = useLocale();
  const { pending } = useFormStatus();
  return (
    <select
      name="locale"
      className={styles.select}
      defaultValue={locale}
      onChange={onChange}
      aria-busy={pending}
      aria-label={t('label')}
    >
      {locales.map((option) => (
        <option key={option} value={option} lang={option}>
          {t(`names.${option}`)}
        </option>
      ))}
    </select>
  );
}

/**
 * The language menu on every page. Each language is named in itself (English, 简体中文, ខ្មែរ) and
 * the label names "language" in all three, so a reader can find their own from any other.
 */
export function LanguageSwitcher() {
  const t = useTranslations('LanguageSwitcher');
  const locale = useLocale();
  const form = useRef<HTMLFormElement>(null);
  return (
    // `key` resets the uncontrolled select when the locale changes under it.
    <form key={locale} ref={form} action={setLocale} className={styles.switcher}>
      <svg className={styles.icon} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm6.9 6h-2.95a15.7 15.7 0 0 0-1.38-3.56A8.03 8.03 0 0 1 18.9 8ZM12 4.04c.83 1.2 1.48 2.53 1.91 3.96h-3.82A13.8 13.8 0 0 1 12 4.04ZM4.26 14a8.2 8.2 0 0 1 0-4h3.38a16.5 16.5 0 0 0 0 4H4.26Zm.84 2h2.95c.32 1.25.78 2.45 1.38 3.56A8 8 0 0 1 5.1 16Zm2.95-8H5.1a8 8 0 0 1 4.33-3.56A15.7 15.7 0 0 0 8.05 8ZM12 19.96A14.1 14.1 0 0 1 10.09 16h3.82A14.1 14.1 0 0 1 12 19.96ZM14.34 14H9.66a14.7 14.7 0 0 1 0-4h4.68a14.7 14.7 0 0 1 0 4Zm.25 5.56c.6-1.11 1.06-2.31 1.38-3.56h2.95a8.03 8.03 0 0 1-4.33 3.56ZM16.36 14a16.5 16.5 0 0 0 0-4h3.38a8.2 8.2 0 0 1 0 4h-3.38Z"
        />
      </svg>
      <LocaleSelect onChange={() => form.current?.requestSubmit()} />
      <noscript>
        <button type="submit" className={styles.apply}>
          {t('apply')}
        </button>
      </noscript>
    </form>
  );
}
