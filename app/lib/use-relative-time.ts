'use client';
/**
 * "5 minutes ago" in the UI's language, kept current, for comments and notifications; browsers
 * without the locale's data (many lack Khmer) get the phrase from our messages rather than
 * English.
 */
import { useFormatter, useLocale, useNow, useTranslations } from 'next-intl';
import { useMemo } from 'react';

const relativeSupport = new Map<string, boolean>();

/** Whether this browser's Intl can say "5 minutes ago" in the locale (many lack Khmer). */
function hasRelativeTimeData(locale: string): boolean {
  let known = relativeSupport.get(locale);
  if (known === undefined) {
    known = Intl.RelativeTimeFormat.supportedLocalesOf([locale]).length > 0;
    relativeSupport.set(locale, known);
  }
  return known;
}

/** Relative ("5 minutes ago") and full times of a date. */
export function useRelativeTime(): {
  relative: (date: Date) => string;
  full: (date: Date) => string;
} {
  const format = useFormatter();
  const locale = useLocale();
  const t = useTranslations('Comments');
  const now = useNow({ updateInterval: 30_000 });
  return useMemo(() => {
    const supported = hasRelativeTimeData(locale);
    return {
      relative: (date: Date) => {
        if (supported) return format.relativeTime(date, now);
        const minutes = Math.max(0, Math.floor((now.getTime() - date.getTime()) / 60_000));
        if (minutes < 1) return t('time.justNow');
        if (minutes < 60) return t('time.minutes', { count: minutes });
        const hours = Math.floor(minutes / 60);
        if (hours < 24) return t('time.hours', { count: hours });
        return t('time.days', { count: Math.floor(hours / 24) });
      },
      full: (date: Date) =>
        supported
          ? format.dateTime(date, { dateStyle: 'medium', timeStyle: 'short' })
          : date.toISOString().slice(0, 16).replace('T', ' '),
    };
  }, [format, locale, now, t]);
}
