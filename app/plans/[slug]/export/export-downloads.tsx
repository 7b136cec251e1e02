'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';

import { locales, type Locale } from '../../../../domain/locales';
import styles from './export.module.css';

const localeNames: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文', km: 'ខ្មែរ' };

/**
 * The CSV downloads and the report link, in a language chosen here (the UI's by default): a
 * Khmer coordinator may send the ILO an English file without switching the whole app.
 */
export function ExportDownloads({ slug, initialLocale }: { slug: string; initialLocale: Locale }) {
  const t = useTranslations('Export');
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const languageId = useId();
  const base = `/api/plans/${encodeURIComponent(slug)}/export`;
  const lang = `lang=${encodeURIComponent(locale)}`;
  return (
    <>
      <div className={styles.language}>
        <label htmlFor={languageId}>{t('language')}</label>
        <select
          id={languageId}
          value={locale}
          onChange={(event) => setLocale(event.target.value as Locale)}
          data-testid="export-language"
        >
          {locales.map((option) => (
            <option key={option} value={option} lang={option}>
              {localeNames[option]}
            </option>
          ))}
        </select>
      </div>

      <section className={styles.section} aria-labelledby={`${languageId}-csv`}>
        <h2 id={`${languageId}-csv`}>{t('csvHeading')}</h2>
        <p className={styles.hint}>{t('csvHint')}</p>
        <ul className={styles.files}>
          <li>
            <a className={styles.button} href={`${base}/items.csv?${lang}`} download>
              <DownloadIcon />
              {t('itemsCsv')}
            </a>
            <span className={styles.fileHint}>{t('itemsCsvHint')}</span>
          </li>
          <li>
            <a className={styles.button} href={`${base}/indicators.csv?${lang}`} download>
              <DownloadIcon />
              {t('indicatorsCsv')}
            </a>
            <span className={styles.fileHint}>{t('indicatorsCsvHint')}</span>
          </li>
        </ul>
      </section>

      <section className={styles.section} aria-labelledby={`${languageId}-report`}>
        <h2 id={`${languageId}-report`}>{t('reportHeading')}</h2>
        <p className={styles.hint}>{t('reportHint')}</p>
        <a
          className={styles.button}
          href={`/plans/${encodeURIComponent(slug)}/report?${lang}`}
          data-testid="open-report"
        >
          {t('openReport')}
        </a>
      </section>
    </>
  );
}

function DownloadIcon() {
  return (
    <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
      <path
        fill="currentColor"
        d="M9 3h2v7.6l2.3-2.3 1.4 1.4L10 14.4 5.3 9.7l1.4-1.4L9 10.6V3Zm-5 13h12v2H4v-2Z"
      />
    </svg>
  );
}
