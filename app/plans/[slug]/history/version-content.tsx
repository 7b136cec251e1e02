'use client';

import { useTranslations } from 'next-intl';

import type { PlanView } from '../../../../domain/plan-document';
import type { VersionChanges, FieldChange } from '../../../../domain/version-diff';
import { usePlanDates } from '../../../lib/use-plan-dates';
import styles from './history.module.css';

/** "What changed since": the items a restore would remove, bring back and change back. */
export function VersionChangesSummary({ changes }: { changes: VersionChanges }) {
  const t = useTranslations('Versions');
  const statuses = useTranslations('Statuses');
  const dates = usePlanDates();
  const untitled = (title: string) => title.trim() || t('untitled');
  const describe = (change: FieldChange): string => {
    switch (change.field) {
      case 'title':
        return t('changeTitle', { from: untitled(change.from), to: untitled(change.to) });
      case 'workstream':
        return t('changeWorkstream', { from: change.from, to: change.to });
      case 'status':
        return t('changeStatus', { from: statuses(change.from), to: statuses(change.to) });
      case 'leadOrg':
        return t('changeLead', { from: change.from, to: change.to });
      case 'dates':
        return t('changeDates', {
          from: dates(change.from.start, change.from.end, 'short'),
          to: dates(change.to.start, change.to.end, 'short'),
        });
      case 'progress':
        return t('changeProgress', { from: change.from, to: change.to });
      case 'owners':
        return t('changeOwners');
      case 'tags':
        return t('changeTags');
      case 'indicators':
        return t('changeIndicators');
      case 'description':
        return t('changeDescription');
    }
  };
  const nothing =
    changes.added.length === 0 && changes.removed.length === 0 && changes.changed.length === 0;
  return (
    <section className={styles.section} aria-labelledby="changes-heading" data-testid="changes">
      <h2 id="changes-heading" className={styles.sectionTitle}>
        {t('changesTitle')}
      </h2>
      {nothing ? <p className={styles.muted}>{t('noChanges')}</p> : null}
      {changes.added.length > 0 ? (
        <div className={styles.changeGroup}>
          <h3 className={styles.groupTitle}>{t('added', { count: changes.added.length })}</h3>
          <ul className={styles.changeList} data-testid="changes-added">
            {changes.added.map((item) => (
              <li key={item.id}>{untitled(item.title)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {changes.removed.length > 0 ? (
        <div className={styles.changeGroup}>
          <h3 className={styles.groupTitle}>{t('removed', { count: changes.removed.length })}</h3>
          <ul className={styles.changeList} data-testid="changes-removed">
            {changes.removed.map((item) => (
              <li key={item.id}>{untitled(item.title)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {changes.changed.length > 0 ? (
        <div className={styles.changeGroup}>
          <h3 className={styles.groupTitle}>{t('changed', { count: changes.changed.length })}</h3>
          <ul className={styles.changeList} data-testid="changes-changed">
            {changes.changed.map((item) => (
              <li key={item.id}>
                <strong>{untitled(item.title)}</strong>
                <ul className={styles.fieldList}>
                  {item.changes.map((change) => (
                    <li key={change.field}>{describe(change)}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

/** The plan as the version holds it, read-only: each workstream and its activities. */
export function VersionPlanContent({ content }: { content: PlanView }) {
  const t = useTranslations('Versions');
  const statuses = useTranslations('Statuses');
  const dates = usePlanDates();
  const groups = content.workstreams.map((workstream) => ({
    workstream,
    items: content.items.filter((item) => item.workstreamId === workstream.id),
  }));
  const known = new Set(content.workstreams.map((workstream) => workstream.id));
  const orphans = content.items.filter((item) => !known.has(item.workstreamId));
  if (orphans.length > 0) {
    groups.push({
      workstream: { id: '', name: t('noWorkstream'), position: '', colour: 'slate' },
      items: orphans,
    });
  }
  return (
    <section
      className={styles.section}
      aria-labelledby="content-heading"
      data-testid="version-content"
    >
      <h2 id="content-heading" className={styles.sectionTitle}>
        {t('contentTitle')}
      </h2>
      {content.meta ? (
        <p className={styles.muted}>
          {content.meta.title} · {dates(content.meta.periodStart, content.meta.periodEnd, 'long')}
        </p>
      ) : null}
      {groups.map(({ workstream, items }) => (
        <div key={workstream.id} className={styles.workstream}>
          <h3 className={styles.groupTitle}>
            {workstream.name}{' '}
            <span className={styles.count}>{t('itemCount', { count: items.length })}</span>
          </h3>
          {items.length === 0 ? null : (
            <div className={styles.tableWrap}>
              <table className={styles.table}>
                <thead>
                  <tr>
                    <th scope="col">{t('colTitle')}</th>
                    <th scope="col">{t('colStatus')}</th>
                    <th scope="col">{t('colDates')}</th>
                    <th scope="col">{t('colProgress')}</th>
                    <th scope="col">{t('colLead')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={item.id} data-testid="version-item">
                      <td>{item.title.trim() || t('untitled')}</td>
                      <td>{statuses(item.status)}</td>
                      <td className={styles.dates}>{dates(item.start, item.end, 'short')}</td>
                      <td>{t('percent', { value: item.progress })}</td>
                      <td>{item.leadOrg}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ))}
    </section>
  );
}
