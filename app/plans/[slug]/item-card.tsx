'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { memo, useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';

import {
  itemStatuses,
  updateItem,
  type Item,
  type ItemStatus,
} from '../../../domain/plan-document';
import { usePlanDates } from '../../lib/use-plan-dates';
import { EditError, toEditFailure, type EditFailure } from './edit-error';
import styles from './item-card.module.css';
import { ItemTitleInput } from './item-title-input';

/** A card's control that takes focus when the card mounts in another column. */
export type FocusTarget = 'title' | 'status';

/**
 * Moving a card between columns remounts it: the card asks to keep the focus before the move and
 * claims it once mounted in its new column.
 */
export interface FocusHandoff {
  request: (itemId: string, target: FocusTarget) => void;
  claim: (itemId: string) => FocusTarget | null;
}

type ItemCardProps = {
  doc: Y.Doc;
  item: Item;
  canEdit: boolean;
  focusHandoff: FocusHandoff;
  /** Names of the other people who have this card open. */
  editingBy: string[];
  onFocusItem: (itemId: string | null) => void;
  onStatusChanged: (item: Item, status: ItemStatus) => void;
  onOpenItem: (itemId: string) => void;
};

function ItemCardView({
  doc,
  item,
  canEdit,
  focusHandoff,
  editingBy,
  onFocusItem,
  onStatusChanged,
  onOpenItem,
}: ItemCardProps) {
  const t = useTranslations('Card');
  const statuses = useTranslations('Statuses');
  const organisations = useTranslations('Organisations');
  const format = useFormatter();
  const formatDates = usePlanDates();
  const card = useRef<HTMLLIElement>(null);
  const statusSelect = useRef<HTMLSelectElement>(null);
  const [failure, setFailure] = useState<EditFailure | null>(null);
  const [progressDraft, setProgressDraft] = useState<string | null>(null);
  const errorId = `item-error-${item.id}`;

  useEffect(() => {
    const target = focusHandoff.claim(item.id);
    if (target === 'status') statusSelect.current?.focus();
    else if (target === 'title') card.current?.querySelector('textarea')?.focus();
  }, [focusHandoff, item.id]);

  function handleError(error: unknown) {
    setFailure(toEditFailure(error));
  }

  function patch(change: Parameters<typeof updateItem>[2]): boolean {
    try {
      updateItem(doc, item.id, change);
      setFailure(null);
      return true;
    } catch (error) {
      handleError(error);
      return false;
    }
  }

  const dates = formatDates(item.start, item.end, 'short');
  const percent = format.number(item.progress / 100, { style: 'percent' });
  const busy = editingBy.length > 0;

  return (
    <li
      ref={card}
      className={`${styles.card} ${styles[item.status]} ${busy ? styles.busy : ''}`}
      data-testid="item-card"
      data-item-id={item.id}
      onFocus={() => onFocusItem(item.id)}
      onBlur={(event) => {
        if (!card.current?.contains(event.relatedTarget as Node | null)) onFocusItem(null);
      }}
    >
      {busy ? (
        <p className={styles.editingBy}>
          {t('editingBy', { names: format.list(editingBy, { type: 'conjunction' }) })}
        </p>
      ) : null}

      {canEdit ? (
        <ItemTitleInput
          doc={doc}
          itemId={item.id}
          initialTitle={item.title}
          onError={handleError}
        />
      ) : (
        <h4 className={styles.title}>{item.title.trim() || t('untitled')}</h4>
      )}

      <p className={styles.meta}>
        <span className={styles.organisation}>
          <span className="visually-hidden">{t('leadOrganisation')}: </span>
          <abbr title={organisations(`${item.leadOrg}.name`)}>
            {organisations(`${item.leadOrg}.short`)}
          </abbr>
        </span>
        <span className={styles.dates}>
          <span className="visually-hidden">{t('dates')}: </span>
          {dates}
        </span>
      </p>

      <div className={styles.progressRow}>
        <div
          className={styles.progressTrack}
          role="progressbar"
          aria-label={t('progress')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={item.progress}
          aria-valuetext={percent}
        >
          <div className={styles.progressBar} style={{ width: `${item.progress}%` }} />
        </div>
        {canEdit ? null : (
          <span className={styles.percent} aria-hidden="true">
            {percent}
          </span>
        )}
      </div>

      {canEdit ? (
        <div className={styles.controls}>
          <label className={styles.control}>
            <span className="visually-hidden">{t('status')}</span>
            <select
              ref={statusSelect}
              className={styles.select}
              value={item.status}
              aria-label={t('status')}
              aria-describedby={failure ? errorId : undefined}
              onChange={(event) => {
                const status = event.target.value as ItemStatus;
                if (status === item.status) return;
                // The card moves to another column and remounts there: keep the focus with it.
                focusHandoff.request(item.id, 'status');
                if (patch({ status })) onStatusChanged(item, status);
                else focusHandoff.claim(item.id);
              }}
            >
              {itemStatuses.map((status) => (
                <option key={status} value={status}>
                  {statuses(status)}
                </option>
              ))}
            </select>
          </label>
          <label className={styles.control}>
            <span className="visually-hidden">{t('progressPercent')}</span>
            <input
              className={styles.progressInput}
              type="number"
              inputMode="numeric"
              min={0}
              max={100}
              step={5}
              value={progressDraft ?? String(item.progress)}
              aria-label={t('progressPercent')}
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
            <span className={styles.percentSign} aria-hidden="true">
              %
            </span>
          </label>
        </div>
      ) : (
        <p className={styles.readOnlyStatus}>
          <span className={styles.statusDot} aria-hidden="true" />
          {statuses(item.status)}
        </p>
      )}

      <button type="button" className={styles.openButton} onClick={() => onOpenItem(item.id)}>
        {t('openDetails')}
        <span className="visually-hidden">: {item.title}</span>
      </button>

      {canEdit ? <EditError failure={failure} id={errorId} /> : null}
    </li>
  );
}

function sameItem(a: Item, b: Item): boolean {
  return (
    a.id === b.id &&
    a.title === b.title &&
    a.status === b.status &&
    a.leadOrg === b.leadOrg &&
    a.start === b.start &&
    a.end === b.end &&
    a.progress === b.progress &&
    a.workstreamId === b.workstreamId &&
    a.position === b.position
  );
}

/** Re-renders only when its own item changed: the board re-reads the plan on every keystroke. */
export const ItemCard = memo(
  ItemCardView,
  (previous, next) =>
    sameItem(previous.item, next.item) &&
    previous.doc === next.doc &&
    previous.canEdit === next.canEdit &&
    previous.focusHandoff === next.focusHandoff &&
    previous.editingBy.join('\n') === next.editingBy.join('\n') &&
    previous.onFocusItem === next.onFocusItem &&
    previous.onStatusChanged === next.onStatusChanged &&
    previous.onOpenItem === next.onOpenItem,
);
