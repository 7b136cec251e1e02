'use client';

import { useTranslations } from 'next-intl';

import type { ConnectionStatus, SaveState } from '../../lib/plan-connection';
import styles from './board-header.module.css';

/**
 * Online, offline or connecting; offline explains that edits are kept and sent later. Once the
 * server has closed for good (`closed`), it says "disconnected": no reconnect will send anything.
 */
export function ConnectionStatusView({
  status,
  closed,
}: {
  status: ConnectionStatus;
  closed: boolean;
}) {
  const t = useTranslations('Connection');
  return (
    <p
      className={`${styles.connection} ${closed ? styles.closed : styles[status]}`}
      data-testid="connection-status"
      data-status={status}
      role="status"
    >
      <span className={styles.connectionDot} aria-hidden="true" />
      <span className={styles.connectionLabel}>{closed ? t('closed') : t(status)}</span>
      {status === 'offline' && !closed ? (
        <span className={styles.connectionHint}>{t('offlineHint')}</span>
      ) : null}
    </p>
  );
}

/** Whether the user's own edits are in the database yet. */
export function SaveStatusView({ saveState }: { saveState: SaveState }) {
  const t = useTranslations('Connection');
  return (
    <p
      className={`${styles.save} ${styles[`save-${saveState}`]}`}
      data-testid="save-status"
      data-state={saveState}
      role="status"
    >
      {saveState === 'saved' ? (
        <svg className={styles.saveIcon} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M6.4 11.2 3.2 8l1.1-1.1 2.1 2.1 5.3-5.3L12.8 4.8z" />
        </svg>
      ) : null}
      {t(saveState)}
    </p>
  );
}
