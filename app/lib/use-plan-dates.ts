'use client';

import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { useCallback } from 'react';

/** A calendar date of the plan (YYYY-MM-DD) as the instant the formatter reads in UTC. */
export function planDate(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

const support = new Map<string, boolean>();

/** Whether this browser's Intl has date data for the locale (many lack Khmer). */
function hasDateData(locale: string): boolean {
  let known = support.get(locale);
  if (known === undefined) {
    known = Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
    support.set(locale, known);
  }
  return known;
}

const monthKeys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] as const;

/**
 * Formats a plan's date ranges ("14 – 25 Mar 2022") in the UI's language. Browsers without date
 * data for the locale would print English or "2022 M03 14"; they get the month names from our
 * messages instead.
 */
export function usePlanDates(): (start: string, end: string, month: 'short' | 'long') => string {
  const format = useFormatter();
  const locale = useLocale();
  const t = useTranslations('Dates');
  return useCallback(
    (start, end, month) => {
      if (hasDateData(locale)) {
        return format.dateTimeRange(planDate(start), planDate(end), {
          year: 'numeric',
          month,
          day: 'numeric',
          timeZone: 'UTC',
        });
      }
      const date = (iso: string) => {
        const [year = '', monthNumber = '1', day = '1'] = iso.split('-');
        const key = monthKeys[Number(monthNumber) - 1] ?? '1';
        return t('date', { year, month: t(`months.${key}`), day: String(Number(day)) });
      };
      return start === end ? date(start) : t('range', { start: date(start), end: date(end) });
    },
    [format, locale, t],
  );
}
