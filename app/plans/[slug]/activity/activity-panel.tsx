'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef } from 'react';

import type { RealtimeConnection } from '../../../lib/realtime-connection';
import { ActivityList } from './activity-list';
import styles from './activity.module.css';
import { useActivityFeed } from './use-activity-feed';

/**
 * The plan's recent changes, newest first, in a modal side panel (focus stays inside, Escape
 * closes it, focus returns to the button that opened it). Choosing an entry closes the panel and
 * opens that item's card.
 */
export function ActivityPanel({
  realtime,
  slug,
  itemExists,
  onOpenItem,
  onClose,
}: {
  realtime: RealtimeConnection | null;
  slug: string;
  itemExists: (itemId: string) => boolean;
  onOpenItem: (itemId: string) => void;
  onClose: () => void;
}) {
  const t = useTranslations('Activity');
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const feed = useActivityFeed(realtime, slug, null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!element.open) element.showModal();
    return () => {
      if (element.open) element.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      className={styles.panel}
      aria-labelledby={titleId}
      data-testid="activity-panel"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <header className={styles.panelHeader}>
        <h2 id={titleId} className={styles.panelTitle}>
          {t('planHeading')}
        </h2>
        <button type="button" className={styles.close} onClick={onClose} title={t('close')}>
          <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
            <path d="M5 5l10 10M15 5 5 15" stroke="currentColor" strokeWidth="2" />
          </svg>
          <span className="visually-hidden">{t('close')}</span>
        </button>
      </header>
      <div className={styles.panelBody}>
        <ActivityList
          feed={feed}
          itemExists={itemExists}
          onOpenItem={(itemId) => {
            onClose();
            onOpenItem(itemId);
          }}
        />
      </div>
    </dialog>
  );
}
