'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import type * as Y from 'yjs';

import { organisationCodes, type OrganisationCode } from '../../../../domain/organisations';
import {
  itemStatuses,
  updateItem,
  type Item,
  type ItemPatch,
  type ItemStatus,
  type Workstream,
} from '../../../../domain/plan-document';
import { usePlanDates } from '../../../lib/use-plan-dates';
import { EditError, toEditFailure, type EditFailure } from '../edit-error';
import styles from './card-detail.module.css';

/** Status, workstream, lead organisation, dates and progress: edited in place, live. */
export function DetailFields({
  doc,
  item,
  workstreams,
  canEdit,
}: {
  doc: Y.Doc;
  item: Item;
  workstreams: Workstream[];
  canEdit: boolean;
}) {
  const t = useTranslations('CardDetail');
  const statuses = useTranslations('Statuses');
  const organisations = useTranslations('Organisations');
  const format = useFormatter();
  const formatDates = usePlanDates();
  const id = useId();
  const [failure, setFailure] = useState<EditFailure | null>(null);
  const [dateDraft, setDateDraft] = useState<{ start: string; end: string } | null>(null);
  const [progressDraft, setProgressDraft] = useState<string | null>(null);
  const workstream = workstreams.find((entry) => entry.id === item.workstreamId);
  const percent = format.number(item.progress / 100, { style: 'percent' });

  function patch(change: ItemPatch): boolean {
    try {
      updateItem(doc, item.id, change);
      setFailure(null);
      return true;
    } catch (error) {
      setFailure(toEditFailure(error));
      return false;
    }
  }

  if (!canEdit) {
    return (
      <dl className={styles.facts}>
        <div>
          <dt>{t('status')}</dt>
          <dd>
            <span className={`${styles.statusPill} ${styles[item.status]}`}>
              {statuses(item.status)}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('workstream')}</dt>
          <dd>{workstream?.name ?? t('noWorkstream')}</dd>
        </div>
        <div>
          <dt>{t('lead')}</dt>
          <dd>{organisations(`${item.leadOrg}.name`)}</dd>
        </div>
        <div>
          <dt>{t('dates')}</dt>
          <dd>{formatDates(item.start, item.end, 'long')}</dd>
        </div>
        <div className={styles.wide}>
          <dt>{t('progress')}</dt>
          <dd className={styles.progressRow}>
            <ProgressBar value={item.progress} label={t('progress')} text={percent} />
            <span>{percent}</span>
          </dd>
        </div>
      </dl>
    );
  }

  const dates = dateDraft ?? { start: item.start, end: item.end };
  const datesWrong = dates.start !== '' && dates.end !== '' && dates.end < dates.start;
  const errorId = `${id}-error`;
  const datesErrorId = `${id}-dates-error`;

  function changeDate(field: 'start' | 'end', value: string) {
    const next = { ...dates, [field]: value };
    if (value === '' || next.end < next.start) {
      // Kept as typed, with the problem said next to it, until the dates make sense.
      setDateDraft(next);
      return;
    }
    if (patch({ start: next.start, end: next.end })) setDateDraft(null);
    else setDateDraft(next);
  }

  return (
    <div className={styles.fields}>
      <label className={styles.field}>
        <span className={styles.label}>{t('status')}</span>
        <select
          className={styles.input}
          value={item.status}
          onChange={(event) => patch({ status: event.target.value as ItemStatus })}
          data-testid="detail-status"
        >
          {itemStatuses.map((status) => (
            <option key={status} value={status}>
              {statuses(status)}
            </option>
          ))}
        </select>
      </label>

      <label className={styles.field}>
        <span className={styles.label}>{t('workstream')}</span>
        <select
          className={styles.input}
          value={item.workstreamId}
          onChange={(event) => patch({ workstreamId: event.target.value })}
        >
          {workstream ? null : <option value={item.workstreamId}>{t('noWorkstream')}</option>}
          {workstreams.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.name}
            </option>
          ))}
        </select>
      </label>

      <label className={`${styles.field} ${styles.wide}`}>
        <span className={styles.label}>{t('lead')}</span>
        <select
          className={styles.input}
          value={item.leadOrg}
          onChange={(event) => patch({ leadOrg: event.target.value as OrganisationCode })}
        >
          {organisationCodes.map((code) => (
            <option key={code} value={code}>
              {organisations(`${code}.name`)}
            </option>
          ))}
        </select>
      </label>

      <fieldset className={`${styles.field} ${styles.dates}`}>
        <legend className={styles.label}>{t('dates')}</legend>
        <label className={styles.dateField}>
          <span className={styles.subLabel}>{t('start')}</span>
          <input
            className={styles.input}
            type="date"
            value={dates.start}
            required
            aria-invalid={datesWrong || undefined}
            aria-describedby={datesWrong ? datesErrorId : undefined}
            onChange={(event) => changeDate('start', event.target.value)}
            data-testid="detail-start"
          />
        </label>
        <label className={styles.dateField}>
          <span className={styles.subLabel}>{t('end')}</span>
          <input
            className={styles.input}
            type="date"
            value={dates.end}
            min={dates.start || undefined}
            required
            aria-invalid={datesWrong || undefined}
            aria-describedby={datesWrong ? datesErrorId : undefined}
            onChange={(event) => changeDate('end', event.target.value)}
            data-testid="detail-end"
          />
        </label>
        {datesWrong ? (
          <p id={datesErrorId} role="alert" className={styles.error}>
            {t('endBeforeStart')}
          </p>
        ) : null}
      </fieldset>

      <label className={`${styles.field} ${styles.wide}`}>
        <span className={styles.label}>{t('progressPercent')}</span>
        <span className={styles.progressEdit}>
          <input
            className={`${styles.input} ${styles.number}`}
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            step={5}
            value={progressDraft ?? String(item.progress)}
            aria-describedby={`${id}-progress`}
            onChange={(event) => {
              const raw = event.target.value;
              setProgressDraft(raw);
              const next = Number(raw);
              if (raw.trim() !== '' && Number.isInteger(next) && next >= 0 && next <= 100) {
                if (next !== item.progress) patch({ progress: next });
              }
            }}
            onBlur={() => setProgressDraft(null)}
          />
          <ProgressBar value={item.progress} label={t('progress')} text={percent} />
        </span>
        <span id={`${id}-progress`} className={styles.hint}>
          {t('progressHint')}
        </span>
      </label>

      <EditError failure={failure} id={errorId} />
    </div>
  );
}

export function ProgressBar({
  value,
  label,
  text,
  tone = 'accent',
}: {
  /** 0–100. */
  value: number;
  label: string;
  text: string;
  tone?: 'accent' | 'success';
}) {
  return (
    <span
      className={styles.track}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(value)}
      aria-valuetext={text}
    >
      <span
        className={`${styles.bar} ${tone === 'success' ? styles.barDone : ''}`}
        style={{ width: `${Math.max(0, Math.min(100, value))}%` }}
      />
    </span>
  );
}
