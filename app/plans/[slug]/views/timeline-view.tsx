'use client';

import { useTranslations } from 'next-intl';

import { usePlanDates } from '../../../lib/use-plan-dates';
import styles from './table-view.module.css';
import type { PlanViewProps } from './view-props';

/** The plan over time: each activity from its start to its end. */
export function TimelineView({ items, onOpenItem }: PlanViewProps) {
  const t = useTranslations('Table');
  const formatDates = usePlanDates();
  return (
    <div className={styles.wrap}>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">{t('title')}</th>
            <th scope="col">{t('dates')}</th>
          </tr>
        </thead>
        <tbody>
          {[...items]
            .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
            .map((item) => (
              <tr key={item.id}>
                <th scope="row">
                  <button type="button" className={styles.link} onClick={() => onOpenItem(item.id)}>
                    {item.title}
                  </button>
                </th>
                <td>{formatDates(item.start, item.end, 'short')}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
