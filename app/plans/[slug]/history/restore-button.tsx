'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';

import { useRelativeTime } from '../../../lib/use-relative-time';
import styles from './history.module.css';

type State = 'idle' | 'restoring' | 'done' | 'forbidden' | 'gone' | 'failed';

/**
 * Owners only (the server checks it too): restores this version for everyone, after a
 * confirmation that names it. The plan is saved as a version first, so a restore can be undone.
 */
export function RestoreButton({
  slug,
  versionId,
  name,
  kind,
  createdAt,
}: {
  slug: string;
  versionId: string;
  name: string | null;
  /** The version's kind, in the UI's language. */
  kind: string;
  createdAt: string;
}) {
  const t = useTranslations('Versions');
  const time = useRelativeTime();
  // How the confirmation names it: its name, or its kind and when it was saved.
  const label = name ?? `${kind}, ${time.full(new Date(createdAt))}`;
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const [state, setState] = useState<State>('idle');

  async function restore() {
    setState('restoring');
    try {
      const response = await fetch(
        `/api/plans/${encodeURIComponent(slug)}/versions/${encodeURIComponent(versionId)}/restore`,
        { method: 'POST' },
      );
      dialog.current?.close();
      if (response.ok) {
        setState('done');
        // "What has changed since" now reads "nothing".
        router.refresh();
      } else if (response.status === 403) setState('forbidden');
      else if (response.status === 404) setState('gone');
      else setState('failed');
    } catch {
      dialog.current?.close();
      setState('failed');
    }
  }

  return (
    <div className={styles.restore}>
      <button
        type="button"
        className="button"
        onClick={() => dialog.current?.showModal()}
        disabled={state === 'restoring'}
        data-testid="restore-open"
      >
        {t('restore')}
      </button>
      <p
        className={state === 'done' ? styles.ok : styles.error}
        role={state === 'done' ? 'status' : 'alert'}
        data-testid="restore-result"
      >
        {state === 'done' ? (
          <>
            {t('restored')} <Link href={`/plans/${encodeURIComponent(slug)}`}>{t('openPlan')}</Link>
          </>
        ) : state === 'forbidden' || state === 'gone' || state === 'failed' ? (
          t(`restoreError_${state}`)
        ) : null}
      </p>
      <dialog
        ref={dialog}
        className={styles.dialog}
        aria-labelledby="restore-title"
        aria-describedby="restore-text"
        data-testid="restore-dialog"
      >
        <h2 id="restore-title" className={styles.dialogTitle}>
          {t('confirmTitle', { name: label })}
        </h2>
        <p id="restore-text">{t('confirmText')}</p>
        <div className={styles.dialogActions}>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => dialog.current?.close()}
            autoFocus
          >
            {t('cancel')}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => void restore()}
            disabled={state === 'restoring'}
            data-testid="restore-confirm"
          >
            {state === 'restoring' ? t('restoring') : t('confirmRestore')}
          </button>
        </div>
      </dialog>
    </div>
  );
}
