'use client';

import { useFormatter, useTranslations } from 'next-intl';

import { usePlanDates } from '../../../lib/use-plan-dates';
import styles from './table-view.module.css';
import type { PlanViewProps } from './view-props';

/** Every activity in a row: the view for scanning and comparing. */
export function TableView({ items, workstreams, onOpenItem }: PlanViewProps) {
  const t = useTranslations('Table');
  const statuses = useTranslations('Statuses');
  const organisations = useTranslations('Organisations');
  const format = useFormatter();
  const formatDates = usePlanDates();
  const workstreamName = new Map(workstreams.map((workstream) => [workstream.id, workstream.name]));
  return (
    <div className={styles.wrap}>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">{t('title')}</th>
            <th scope="col">{t('workstream')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('lead')}</th>
            <th scope="col">{t('dates')}</th>
            <th scope="col">{t('progress')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <th scope="row">
                <button type="button" className={styles.link} onClick={() => onOpenItem(item.id)}>
                  {item.title}
                </button>
              </th>
              <td>{workstreamName.get(item.workstreamId) ?? '—'}</td>
              <td>{statuses(item.status)}</td>
              <td>{organisations(`${item.leadOrg}.short`)}</td>
              <td>{formatDates(item.start, item.end, 'short')}</td>
              <td>{format.number(item.progress / 100, { style: 'percent' })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
