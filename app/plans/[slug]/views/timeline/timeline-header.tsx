'use client';

import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { memo } from 'react';

import {
  monthTicks,
  quarterTicks,
  yearTicks,
  type TimelineRange,
  type TimelineZoom,
} from './timeline-scale';
import styles from './timeline.module.css';

const support = new Map<string, boolean>();

/** Whether this browser's Intl has date data for the locale (some lack Khmer). */
function hasDateData(locale: string): boolean {
  let known = support.get(locale);
  if (known === undefined) {
    known = Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
    support.set(locale, known);
  }
  return known;
}

/** Years, quarters and (at the month scale) months above the rows, and their lines below. */
export const TimelineHeader = memo(function TimelineHeader({
  range,
  perDay,
  zoom,
  title,
  todayDay,
}: {
  range: TimelineRange;
  perDay: number;
  zoom: TimelineZoom;
  title: string;
  todayDay: number | null;
}) {
  const t = useTranslations('Timeline');
  const dates = useTranslations('Dates');
  const format = useFormatter();
  const locale = useLocale();
  const place = (tick: { firstDay: number; endDay: number }) => ({
    left: (tick.firstDay - range.firstDay) * perDay,
    width: (tick.endDay - tick.firstDay) * perDay,
  });
  const monthName = (year: number, month: number) =>
    hasDateData(locale)
      ? format.dateTime(new Date(Date.UTC(year, month - 1, 1)), {
          month: 'short',
          timeZone: 'UTC',
        })
      : dates(`months.${month}` as 'months.1');
  const yearName = (year: number) =>
    format.dateTime(new Date(Date.UTC(year, 0, 1)), { year: 'numeric', timeZone: 'UTC' });

  return (
    <div className={styles.header} aria-hidden="true">
      <div className={styles.corner}>{title}</div>
      <div className={styles.scale}>
        {yearTicks(range).map((tick) => (
          <div key={tick.year} className={`${styles.tick} ${styles.tickYear}`} style={place(tick)}>
            {yearName(tick.year)}
          </div>
        ))}
        {quarterTicks(range).map((tick) => (
          <div
            key={`${tick.year}-${tick.index}`}
            className={`${styles.tick} ${styles.tickQuarter}`}
            style={place(tick)}
          >
            {t('quarter', { quarter: tick.index })}
          </div>
        ))}
        {zoom === 'month'
          ? monthTicks(range).map((tick) => (
              <div
                key={`${tick.year}-${tick.index}`}
                className={`${styles.tick} ${styles.tickMonth}`}
                style={place(tick)}
                data-testid="timeline-month"
              >
                {monthName(tick.year, tick.index)}
              </div>
            ))
          : null}
        {todayDay !== null ? (
          <span
            className={styles.todayFlag}
            style={{ left: (todayDay - range.firstDay + 0.5) * perDay }}
          >
            {t('today')}
          </span>
        ) : null}
      </div>
    </div>
  );
});

/** Month lines (heavier at each new year) and the today line, drawn once behind every row. */
export const TimelineGrid = memo(function TimelineGrid({
  range,
  perDay,
  todayDay,
  todayLabel,
}: {
  range: TimelineRange;
  perDay: number;
  todayDay: number | null;
  todayLabel: string;
}) {
  return (
    <div className={styles.grid} aria-hidden="true">
      {monthTicks(range).map((tick) => (
        <div
          key={`${tick.year}-${tick.index}`}
          className={`${styles.gridLine} ${tick.index === 1 ? styles.gridLineYear : ''}`}
          style={{ left: (tick.firstDay - range.firstDay) * perDay }}
        />
      ))}
      {todayDay !== null ? (
        <div
          className={styles.todayLine}
          style={{ left: (todayDay - range.firstDay + 0.5) * perDay }}
          data-testid="timeline-today"
          title={todayLabel}
        />
      ) : null}
    </div>
  );
});
