'use client';

import { useTranslations } from 'next-intl';
import { useState, useSyncExternalStore } from 'react';

import { restoredNoticeKey } from '../../../lib/plan-connection';
import styles from './history.module.css';

const noSubscription = () => () => {};

/**
 * Shown after this device's copy of the plan was discarded because an owner restored a version
 * while the device was away (plan-connection.ts, close code 4410), until the person dismisses it.
 */
export function RestoredNotice({ slug }: { slug: string }) {
  const t = useTranslations('Versions');
  const key = restoredNoticeKey(slug);
  const pending = useSyncExternalStore(
    noSubscription,
    () => sessionStorage.getItem(key) !== null,
    () => false,
  );
  const [dismissed, setDismissed] = useState(false);
  if (!pending || dismissed) return null;
  return (
    <div className={styles.notice} role="alert" data-testid="restored-notice">
      <p>
        <strong>{t('restoredNoticeTitle')}</strong> {t('restoredNoticeText')}
      </p>
      <button
        type="button"
        className="button button-quiet"
        onClick={() => {
          sessionStorage.removeItem(key);
          setDismissed(true);
        }}
      >
        {t('dismiss')}
      </button>
    </div>
  );
}
