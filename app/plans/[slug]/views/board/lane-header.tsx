'use client';

import { useTranslations } from 'next-intl';
import { memo, useRef, useState } from 'react';
import type * as Y from 'yjs';

import { updateWorkstream, type Workstream } from '../../../../../domain/plan-document';
import { toEditFailure, type EditFailure } from '../../edit-error';
import styles from './board.module.css';
import { WorkstreamForm } from './workstream-form';

/**
 * A lane's heading: the workstream's colour, name and count; for editors, buttons to move the
 * lane up or down and to rename or recolour it.
 */
function LaneHeaderView({
  laneKey,
  workstream,
  count,
  headingId,
  doc,
  canEdit,
  isFirst,
  isLast,
  onMove,
  onRenamed,
}: {
  laneKey: string;
  workstream: Workstream | null;
  count: number;
  headingId: string;
  doc: Y.Doc;
  canEdit: boolean;
  isFirst: boolean;
  isLast: boolean;
  onMove: (workstreamId: string, direction: 'up' | 'down') => void;
  onRenamed: (name: string) => void;
}) {
  const t = useTranslations('Workstreams');
  const board = useTranslations('Board');
  const [editing, setEditing] = useState(false);
  const [failure, setFailure] = useState<EditFailure | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const name = workstream?.name ?? board('noWorkstream');
  const editable = canEdit && workstream !== null;

  return (
    <div className={styles.laneHeader}>
      <div className={styles.laneTitleRow}>
        <h3 id={headingId} className={styles.laneTitle}>
          <span className={styles.laneSwatch} aria-hidden="true" />
          <span className={styles.laneName}>{name}</span>
          <span className={styles.laneCount}>
            <span className="visually-hidden">{board('itemCount', { count })}</span>
            <span aria-hidden="true">{count}</span>
          </span>
        </h3>
        {editable ? (
          <div className={styles.laneActions}>
            <button
              id={`lane-${laneKey}-up`}
              type="button"
              className={styles.iconButton}
              disabled={isFirst}
              onClick={() => onMove(workstream.id, 'up')}
            >
              <svg viewBox="0 0 16 16" aria-hidden="true">
                <path fill="currentColor" d="M8 3.5 13 9l-1.1 1L8 5.7 4.1 10 3 9z" />
              </svg>
              <span className="visually-hidden">{t('moveUp', { name })}</span>
            </button>
            <button
              id={`lane-${laneKey}-down`}
              type="button"
              className={styles.iconButton}
              disabled={isLast}
              onClick={() => onMove(workstream.id, 'down')}
            >
              <svg viewBox="0 0 16 16" aria-hidden="true">
                <path fill="currentColor" d="M8 12.5 3 7l1.1-1L8 10.3 11.9 6 13 7z" />
              </svg>
              <span className="visually-hidden">{t('moveDown', { name })}</span>
            </button>
            <button
              ref={editButton}
              type="button"
              className={styles.iconButton}
              aria-expanded={editing}
              onClick={() => {
                setFailure(null);
                setEditing((open) => !open);
              }}
            >
              <svg viewBox="0 0 16 16" aria-hidden="true">
                <path
                  fill="currentColor"
                  d="m11.3 1.8 2.9 2.9-8.4 8.4-3.6.7.7-3.6zm0 2.1L4.4 10.8l-.3 1.1 1.1-.3 6.9-6.9z"
                />
              </svg>
              <span className="visually-hidden">{t('edit', { name })}</span>
            </button>
          </div>
        ) : null}
      </div>
      {editable && editing ? (
        <WorkstreamForm
          key={workstream.id}
          label={t('editLabel', { name })}
          initialName={workstream.name}
          initialColour={workstream.colour}
          submitLabel={t('save')}
          failure={failure}
          onSubmit={(value) => {
            try {
              updateWorkstream(doc, workstream.id, value);
              setEditing(false);
              setFailure(null);
              onRenamed(value.name);
              requestAnimationFrame(() => editButton.current?.focus());
            } catch (error) {
              setFailure(toEditFailure(error));
            }
          }}
          onCancel={() => {
            setEditing(false);
            requestAnimationFrame(() => editButton.current?.focus());
          }}
        />
      ) : null}
    </div>
  );
}

export const LaneHeader = memo(LaneHeaderView);
