'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';

import { closeCodes } from '../../../domain/sync-protocol';
import { signInPath } from '../../lib/sign-in-path';
import styles from './plan-board.module.css';

type Reason = 'sessionExpired' | 'forbidden' | 'planNotFound' | 'invalidUpdate' | 'other';

function reasonOf(code: number): Reason {
  switch (code) {
    case closeCodes.sessionExpired:
      return 'sessionExpired';
    case closeCodes.forbidden:
    case closeCodes.roleChanged:
      return 'forbidden';
    case closeCodes.planNotFound:
      return 'planNotFound';
    case closeCodes.invalidUpdate:
      return 'invalidUpdate';
    default:
      return 'other';
  }
}

/**
 * The server closed the plan's connection for good. Says why in the user's language (never the
 * server's raw reason) and offers the one action that helps.
 */
export function ClosedBanner({ code, slug }: { code: number; slug: string }) {
  const t = useTranslations('Closed');
  const reason = reasonOf(code);
  return (
    <div className={styles.closedBanner} role="alert" data-testid="closed-banner" data-code={code}>
      <p className={styles.closedText}>
        <strong>{t(`${reason}.title`)}</strong> {t(`${reason}.text`)}
      </p>
      <div className={styles.closedActions}>
        {reason === 'sessionExpired' ? (
          // A full page load: the sign-in page must see the expired session, not a cached one.
          <a className="button" href={signInPath(`/plans/${encodeURIComponent(slug)}`)}>
            {t('signIn')}
          </a>
        ) : null}
        {reason === 'forbidden' || reason === 'invalidUpdate' || reason === 'other' ? (
          <button type="button" className="button" onClick={() => window.location.reload()}>
            {t('reload')}
          </button>
        ) : null}
        {reason !== 'sessionExpired' ? (
          <Link className="button button-quiet" href="/">
            {t('backToPlans')}
          </Link>
        ) : null}
      </div>
    </div>
  );
}
