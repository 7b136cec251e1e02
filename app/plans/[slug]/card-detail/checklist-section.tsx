'use client';

import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import type * as Y from 'yjs';

import {
  addChecklistEntry,
  deleteChecklistEntry,
  planLimits,
  updateChecklistEntry,
  type ChecklistEntry,
  type Item,
} from '../../../../domain/plan-document';
import { EditError, toEditFailure, type EditFailure } from '../edit-error';
import { ProgressBar } from './detail-fields';
import styles from './card-detail.module.css';

/** The steps of an activity: add, tick, rename, delete, all from the keyboard too. */
export function ChecklistSection({
  doc,
  item,
  canEdit,
  labelId,
}: {
  doc: Y.Doc;
  item: Item;
  canEdit: boolean;
  labelId: string;
}) {
  const t = useTranslations('Checklist');
  const [draft, setDraft] = useState('');
  const [failure, setFailure] = useState<EditFailure | null>(null);
  const addRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const entries = item.checklist;
  const done = entries.filter((entry) => entry.done).length;
  const full = entries.length >= planLimits.checklistEntries;

  function run(change: () => void): boolean {
    try {
      change();
      setFailure(null);
      return true;
    } catch (error) {
      setFailure(toEditFailure(error));
      return false;
    }
  }

  function remove(index: number, entry: ChecklistEntry) {
    run(() => deleteChecklistEntry(doc, item.id, entry.id));
    // The focus goes to the step that takes its place, or to "add a step".
    requestAnimationFrame(() => {
      const rows = listRef.current?.querySelectorAll<HTMLInputElement>('input[type="checkbox"]');
      const next = rows?.[Math.min(index, (rows?.length ?? 1) - 1)];
      if (next) next.focus();
      else addRef.current?.focus();
    });
  }

  return (
    <div className={styles.stack} data-testid="checklist">
      {entries.length > 0 ? (
        <div className={styles.checklistSummary}>
          <span data-testid="checklist-summary">
            {t('summary', { done, total: entries.length })}
          </span>
          <ProgressBar
            value={(done / entries.length) * 100}
            label={t('title')}
            text={t('summary', { done, total: entries.length })}
            tone={done === entries.length ? 'success' : 'accent'}
          />
        </div>
      ) : (
        <p className={styles.muted}>{t('empty')}</p>
      )}

      {entries.length > 0 ? (
        <ul ref={listRef} className={styles.checklist} aria-labelledby={labelId}>
          {entries.map((entry, index) => (
            <ChecklistRow
              key={entry.id}
              doc={doc}
              itemId={item.id}
              entry={entry}
              canEdit={canEdit}
              onDelete={() => remove(index, entry)}
              onError={(error) => setFailure(toEditFailure(error))}
            />
          ))}
        </ul>
      ) : null}

      {canEdit ? (
        <form
          className={styles.addRow}
          onSubmit={(event) => {
            event.preventDefault();
            const text = draft.trim();
            if (!text) return;
            if (run(() => addChecklistEntry(doc, item.id, text))) setDraft('');
          }}
        >
          <label className={styles.inlineField}>
            <span className="visually-hidden">{t('add')}</span>
            <input
              ref={addRef}
              className={styles.input}
              type="text"
              value={draft}
              maxLength={planLimits.checklistTextLength}
              disabled={full}
              placeholder={
                full ? t('full', { limit: planLimits.checklistEntries }) : t('addPlaceholder')
              }
              enterKeyHint="enter"
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape' && draft) {
                  event.stopPropagation();
                  setDraft('');
                }
              }}
              data-testid="checklist-add"
            />
          </label>
          <button
            type="submit"
            className={styles.secondaryButton}
            disabled={full || draft.trim() === ''}
          >
            {t('addButton')}
          </button>
        </form>
      ) : null}
      {canEdit ? <EditError failure={failure} /> : null}
    </div>
  );
}

function ChecklistRow({
  doc,
  itemId,
  entry,
  canEdit,
  onDelete,
  onError,
}: {
  doc: Y.Doc;
  itemId: string;
  entry: ChecklistEntry;
  canEdit: boolean;
  onDelete: () => void;
  onError: (error: unknown) => void;
}) {
  const t = useTranslations('Checklist');
  // What the person is typing; the shared text otherwise (someone else may rename it meanwhile).
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? entry.text;

  function commit() {
    if (draft === null) return;
    const text = draft.trim();
    setDraft(null);
    if (text === '' || text === entry.text) return;
    try {
      updateChecklistEntry(doc, itemId, entry.id, { text });
    } catch (error) {
      onError(error);
    }
  }

  return (
    <li className={`${styles.step} ${entry.done ? styles.stepDone : ''}`} data-step={entry.text}>
      {canEdit ? (
        <input
          type="checkbox"
          className={styles.checkbox}
          checked={entry.done}
          aria-label={t('done', { text: entry.text })}
          onChange={(event) => {
            try {
              updateChecklistEntry(doc, itemId, entry.id, { done: event.target.checked });
            } catch (error) {
              onError(error);
            }
          }}
        />
      ) : (
        <span
          className={`${styles.checkMark} ${entry.done ? styles.checkMarkDone : ''}`}
          role="img"
          aria-label={entry.done ? t('isDone') : t('isOpen')}
        >
          {entry.done ? '✓' : ''}
        </span>
      )}
      {canEdit ? (
        <>
          <input
            className={styles.stepInput}
            type="text"
            value={value}
            maxLength={planLimits.checklistTextLength}
            aria-label={t('rename', { text: entry.text })}
            onChange={(event) => setDraft(event.target.value)}
            onBlur={commit}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
                event.preventDefault();
                commit();
              } else if (event.key === 'Escape' && draft !== null) {
                event.stopPropagation();
                setDraft(null);
              }
            }}
          />
          <button
            type="button"
            className={styles.iconButton}
            aria-label={t('delete', { text: entry.text })}
            title={t('delete', { text: entry.text })}
            onClick={onDelete}
          >
            <TrashIcon />
          </button>
        </>
      ) : (
        <span className={styles.stepText}>{entry.text}</span>
      )}
    </li>
  );
}

export function TrashIcon() {
  return (
    <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" fill="none">
      <path
        d="M4 6h12M8 6V4h4v2M6 6l1 10h6l1-10"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
