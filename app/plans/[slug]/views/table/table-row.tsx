'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type * as Y from 'yjs';

import { organisationCodes } from '../../../../../domain/organisations';
import {
  itemStatuses,
  updateItem,
  type Item,
  type ItemPatch,
} from '../../../../../domain/plan-document';
import { usePlanDates } from '../../../../lib/use-plan-dates';
import { EditError, toEditFailure, type EditFailure } from '../../edit-error';
import { ItemTitleInput } from '../../item-title-input';
import styles from './table.module.css';

type Field = 'title' | 'status' | 'leadOrg' | 'start' | 'end' | 'progress';

/**
 * One activity as a table row. Editors change the title, status, lead, dates and progress in
 * place; a refused change is explained under its own cell. Memoized on the item: an edit
 * elsewhere in the plan leaves this row alone.
 */
export const TableRow = memo(function TableRow({
  item,
  doc,
  canEdit,
  workstreamName,
  ownerNames,
  onOpen,
  onChanged,
}: {
  item: Item;
  doc: Y.Doc;
  canEdit: boolean;
  workstreamName: string;
  ownerNames: string;
  onOpen: (itemId: string) => void;
  onChanged: (item: Item, field: Field) => void;
}) {
  const t = useTranslations('Table');
  const statuses = useTranslations('Statuses');
  const organisations = useTranslations('Organisations');
  const format = useFormatter();
  const formatDates = usePlanDates();
  const [errors, setErrors] = useState<Partial<Record<Field, EditFailure>>>({});
  // One title editor at a time: a text area per row would lay the whole table out again for each
  // of 2,000 rows as it measures its height.
  const [editingTitle, setEditingTitle] = useState(false);
  const titleEditorRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (editingTitle) titleEditorRef.current?.querySelector('textarea')?.focus();
  }, [editingTitle]);

  function setError(field: Field, failure: EditFailure | null) {
    setErrors((current) => {
      if (!failure && !current[field]) return current;
      const next = { ...current };
      if (failure) next[field] = failure;
      else delete next[field];
      return next;
    });
  }

  function save(field: Exclude<Field, 'title'>, patch: ItemPatch) {
    try {
      updateItem(doc, item.id, patch);
      setError(field, null);
      onChanged(item, field);
    } catch (error) {
      setError(field, toEditFailure(error));
    }
  }

  const errorId = (field: Field) => `table-${item.id}-${field}-error`;
  const describedBy = (field: Field) => (errors[field] ? errorId(field) : undefined);
  const cellError = (field: Field) => (
    <EditError failure={errors[field] ?? null} id={errorId(field)} />
  );
  const date = (iso: string) => formatDates(iso, iso, 'short');

  return (
    <tr className={styles.row} data-testid="table-row" data-item-id={item.id}>
      <th scope="row" className={styles.titleCell}>
        {canEdit ? (
          <div className={styles.titleEdit}>
            {editingTitle ? (
              <div
                ref={titleEditorRef}
                className={styles.titleEditor}
                onBlur={(event) => {
                  if (!event.currentTarget.contains(event.relatedTarget)) setEditingTitle(false);
                }}
              >
                <ItemTitleInput
                  doc={doc}
                  itemId={item.id}
                  initialTitle={item.title}
                  onError={(error) => setError('title', toEditFailure(error))}
                />
              </div>
            ) : (
              <button
                type="button"
                className={styles.titleButton}
                aria-label={t('editTitle', { title: item.title })}
                data-testid="table-title-edit"
                onClick={() => setEditingTitle(true)}
              >
                {item.title}
                <svg className={styles.pencil} viewBox="0 0 16 16" aria-hidden="true">
                  <path
                    fill="currentColor"
                    d="M11.3 1.3a1 1 0 0 1 1.4 0l2 2a1 1 0 0 1 0 1.4l-8.5 8.5-3.4.9a.5.5 0 0 1-.6-.6l.9-3.4 8.2-8.8Z"
                  />
                </svg>
              </button>
            )}
            <button
              type="button"
              className={styles.openButton}
              aria-label={t('openLabel', { title: item.title })}
              onClick={() => onOpen(item.id)}
            >
              {t('open')}
            </button>
          </div>
        ) : (
          <button type="button" className={styles.link} onClick={() => onOpen(item.id)}>
            {item.title}
          </button>
        )}
        {cellError('title')}
      </th>
      <td>{workstreamName}</td>
      <td data-testid="table-status">
        {canEdit ? (
          <select
            className={styles.control}
            data-status={item.status}
            value={item.status}
            aria-label={t('status')}
            aria-describedby={describedBy('status')}
            onChange={(event) => {
              const status = itemStatuses.find((value) => value === event.target.value);
              if (status) save('status', { status });
            }}
          >
            {itemStatuses.map((status) => (
              <option key={status} value={status}>
                {statuses(status)}
              </option>
            ))}
          </select>
        ) : (
          <span className={styles.status} data-status={item.status}>
            {statuses(item.status)}
          </span>
        )}
        {cellError('status')}
      </td>
      <td>
        {canEdit ? (
          <select
            className={styles.control}
            value={item.leadOrg}
            aria-label={t('lead')}
            aria-describedby={describedBy('leadOrg')}
            onChange={(event) => {
              const leadOrg = organisationCodes.find((code) => code === event.target.value);
              if (leadOrg) save('leadOrg', { leadOrg });
            }}
          >
            {organisationCodes.map((code) => (
              <option key={code} value={code}>
                {organisations(`${code}.short`)}
              </option>
            ))}
          </select>
        ) : (
          organisations(`${item.leadOrg}.short`)
        )}
        {cellError('leadOrg')}
      </td>
      <td>{ownerNames || <span className={styles.none}>{t('none')}</span>}</td>
      <td data-testid="table-start">
        {canEdit ? (
          <DraftInput
            type="date"
            value={item.start}
            label={t('start')}
            describedBy={describedBy('start')}
            onCommit={(start) => save('start', { start })}
          />
        ) : (
          date(item.start)
        )}
        {cellError('start')}
      </td>
      <td data-testid="table-end">
        {canEdit ? (
          <DraftInput
            type="date"
            value={item.end}
            label={t('end')}
            describedBy={describedBy('end')}
            onCommit={(end) => save('end', { end })}
          />
        ) : (
          date(item.end)
        )}
        {cellError('end')}
      </td>
      <td className={styles.number}>
        {canEdit ? (
          <>
            <DraftInput
              type="number"
              value={String(item.progress)}
              label={t('progressLabel')}
              describedBy={describedBy('progress')}
              onCommit={(value) => save('progress', { progress: Number(value) })}
            />
            <span className={styles.percent} aria-hidden="true">
              %
            </span>
          </>
        ) : (
          format.number(item.progress / 100, { style: 'percent' })
        )}
        {cellError('progress')}
      </td>
      <td>
        {item.tags.length > 0 ? (
          <ul className={styles.tags}>
            {item.tags.map((tag) => (
              <li key={tag}>{tag}</li>
            ))}
          </ul>
        ) : (
          <span className={styles.none}>{t('none')}</span>
        )}
      </td>
    </tr>
  );
});

/**
 * A date or number typed in place. A date field reports every digit of a year being typed
 * ("0002", "0020"…), so the value is written when the field is left or Enter is pressed; until
 * then the document's value, changed by someone else, does not overwrite what is being typed.
 */
function DraftInput({
  type,
  value,
  label,
  describedBy,
  onCommit,
}: {
  type: 'date' | 'number';
  value: string;
  label: string;
  describedBy: string | undefined;
  onCommit: (value: string) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);

  function commit() {
    if (draft === null) return;
    setDraft(null);
    if (draft !== value && draft !== '') onCommit(draft);
  }

  return (
    <input
      className={`${styles.control} ${type === 'number' ? styles.progressInput : styles.dateInput}`}
      type={type}
      value={draft ?? value}
      aria-label={label}
      aria-describedby={describedBy}
      {...(type === 'number' ? { min: 0, max: 100, step: 1, inputMode: 'numeric' as const } : {})}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={commit}
      onKeyDown={(event: KeyboardEvent<HTMLInputElement>) => {
        if (event.key === 'Enter') commit();
        if (event.key === 'Escape') setDraft(null);
      }}
    />
  );
}
