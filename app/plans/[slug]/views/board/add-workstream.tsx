'use client';

import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import type * as Y from 'yjs';

import {
  createWorkstream,
  workstreamColours,
  type WorkstreamColour,
} from '../../../../../domain/plan-document';
import { toEditFailure, type EditFailure } from '../../edit-error';
import styles from './board.module.css';
import { WorkstreamForm } from './workstream-form';

/** "Add workstream" under the lanes, opening a small form (name and colour). */
export function AddWorkstream({
  doc,
  count,
  onAdded,
}: {
  doc: Y.Doc;
  count: number;
  onAdded: (name: string) => void;
}) {
  const t = useTranslations('Workstreams');
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<EditFailure | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const nextColour: WorkstreamColour =
    workstreamColours[count % workstreamColours.length] ?? 'slate';

  if (!open) {
    return (
      <button
        ref={button}
        type="button"
        className={styles.addWorkstream}
        onClick={() => {
          setFailure(null);
          setOpen(true);
        }}
      >
        <span aria-hidden="true">+</span> {t('add')}
      </button>
    );
  }
  return (
    <div className={styles.addWorkstreamPanel}>
      <WorkstreamForm
        label={t('addLabel')}
        initialName=""
        initialColour={nextColour}
        submitLabel={t('add')}
        failure={failure}
        onSubmit={(value) => {
          try {
            createWorkstream(doc, value);
            setOpen(false);
            onAdded(value.name);
            requestAnimationFrame(() => button.current?.focus());
          } catch (error) {
            setFailure(toEditFailure(error));
          }
        }}
        onCancel={() => {
          setOpen(false);
          requestAnimationFrame(() => button.current?.focus());
        }}
      />
    </div>
  );
}
