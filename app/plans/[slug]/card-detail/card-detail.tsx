'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef } from 'react';

import type { Item } from '../../../../domain/plan-document';
import type { PlanViewProps } from '../views/view-props';
import styles from './card-detail.module.css';

export type CardDetailProps = PlanViewProps & {
  item: Item;
  onClose: () => void;
};

/** One activity in full, beside the view it was opened from. */
export function CardDetail({ item, onClose }: CardDetailProps) {
  const t = useTranslations('CardDetail');
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement as HTMLElement | null;
    element.show();
    element.focus();
    return () => opener?.focus?.();
  }, []);

  return (
    <dialog
      ref={dialog}
      className={styles.panel}
      aria-labelledby="card-detail-title"
      data-testid="card-detail"
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <header className={styles.header}>
        <h2 id="card-detail-title" className={styles.title}>
          {item.title}
        </h2>
        <button type="button" className={styles.close} onClick={onClose}>
          <span aria-hidden="true">×</span>
          <span className="visually-hidden">{t('close')}</span>
        </button>
      </header>
    </dialog>
  );
}
