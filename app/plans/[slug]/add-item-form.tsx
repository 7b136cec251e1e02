'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type * as Y from 'yjs';

import {
  isOrganisationCode,
  organisationCodes,
  type OrganisationCode,
} from '../../../domain/organisations';
import {
  createItem,
  planLimits,
  type ItemStatus,
  type PlanMeta,
  type Workstream,
} from '../../../domain/plan-document';
import { EditError, toEditFailure, type EditFailure } from './edit-error';
import styles from './plan-board.module.css';

type Problem = 'titleRequired' | 'workstreamRequired' | 'datesRequired' | 'endBeforeStart';

/** Today as YYYY-MM-DD, or the plan's start when today lies outside its period. */
function defaultStart(meta: PlanMeta | null): string {
  const today = new Date().toISOString().slice(0, 10);
  if (!meta) return today;
  return today >= meta.periodStart && today <= meta.periodEnd ? today : meta.periodStart;
}

/**
 * The small form under a cell's "Add activity" button; the new activity gets that cell's status
 * and, unless changed here, its workstream.
 */
export function AddItemForm({
  doc,
  status,
  workstreams,
  defaultWorkstreamId,
  meta,
  defaultOrganisation,
  onDone,
}: {
  doc: Y.Doc;
  status: ItemStatus;
  workstreams: Workstream[];
  /** The lane the form was opened from: the new activity goes there unless changed. */
  defaultWorkstreamId?: string;
  meta: PlanMeta | null;
  defaultOrganisation: OrganisationCode;
  onDone: (created: { id: string; title: string } | null) => void;
}) {
  const t = useTranslations('AddItem');
  const organisations = useTranslations('Organisations');
  const statuses = useTranslations('Statuses');
  const id = useId();
  const titleInput = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [failure, setFailure] = useState<EditFailure | null>(null);
  const [start] = useState(() => defaultStart(meta));

  useEffect(() => titleInput.current?.focus(), []);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const title = String(form.get('title') ?? '').trim();
    const workstreamId = String(form.get('workstreamId') ?? '');
    const lead = form.get('leadOrg');
    const leadOrg = isOrganisationCode(lead) ? lead : defaultOrganisation;
    const startDate = String(form.get('start') ?? '');
    const endDate = String(form.get('end') ?? '');
    setFailure(null);
    if (!title) return setProblem('titleRequired');
    if (!workstreamId) return setProblem('workstreamRequired');
    if (!startDate || !endDate) return setProblem('datesRequired');
    if (endDate < startDate) return setProblem('endBeforeStart');
    setProblem(null);
    try {
      const itemId = createItem(doc, {
        title,
        workstreamId,
        status,
        leadOrg,
        start: startDate,
        end: endDate,
      });
      onDone({ id: itemId, title });
    } catch (error) {
      setFailure(toEditFailure(error));
    }
  }

  const problemId = `${id}-problem`;
  return (
    <form
      className={styles.addForm}
      onSubmit={handleSubmit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onDone(null);
      }}
      aria-label={t('formLabel', { status: statuses(status) })}
      noValidate
    >
      <div className={styles.field}>
        <label htmlFor={`${id}-title`}>{t('title')}</label>
        <input
          ref={titleInput}
          id={`${id}-title`}
          name="title"
          type="text"
          required
          maxLength={planLimits.itemTitleLength}
          aria-invalid={problem === 'titleRequired' || undefined}
          aria-describedby={problem ? problemId : undefined}
        />
      </div>
      <div className={styles.field}>
        <label htmlFor={`${id}-workstream`}>{t('workstream')}</label>
        <select
          id={`${id}-workstream`}
          name="workstreamId"
          required
          defaultValue={defaultWorkstreamId}
        >
          {workstreams.map((workstream) => (
            <option key={workstream.id} value={workstream.id}>
              {workstream.name}
            </option>
          ))}
        </select>
      </div>
      <div className={styles.field}>
        <label htmlFor={`${id}-lead`}>{t('leadOrganisation')}</label>
        <select id={`${id}-lead`} name="leadOrg" defaultValue={defaultOrganisation}>
          {organisationCodes.map((code) => (
            <option key={code} value={code}>
              {organisations(`${code}.name`)}
            </option>
          ))}
        </select>
      </div>
      <div className={styles.fieldRow}>
        <div className={styles.field}>
          <label htmlFor={`${id}-start`}>{t('start')}</label>
          <input
            id={`${id}-start`}
            name="start"
            type="date"
            required
            defaultValue={start}
            aria-invalid={problem === 'datesRequired' || undefined}
          />
        </div>
        <div className={styles.field}>
          <label htmlFor={`${id}-end`}>{t('end')}</label>
          <input
            id={`${id}-end`}
            name="end"
            type="date"
            required
            defaultValue={start}
            aria-invalid={problem === 'endBeforeStart' || problem === 'datesRequired' || undefined}
            aria-describedby={problem ? problemId : undefined}
          />
        </div>
      </div>
      {workstreams.length === 0 ? <p className={styles.formNote}>{t('noWorkstreams')}</p> : null}
      {problem ? (
        <p id={problemId} role="alert" className={styles.editError}>
          {t(`problems.${problem}`)}
        </p>
      ) : null}
      <EditError failure={failure} />
      <div className={styles.formActions}>
        <button type="submit" className="button" disabled={workstreams.length === 0}>
          {t('submit')}
        </button>
        <button type="button" className="button button-quiet" onClick={() => onDone(null)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
