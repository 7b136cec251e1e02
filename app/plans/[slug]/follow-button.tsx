'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState, useSyncExternalStore } from 'react';

import type { RealtimeConnection } from '../../lib/realtime-connection';
import styles from './follow-button.module.css';

const noopSubscribe = () => () => {};

/**
 * Whether the user follows the plan (`itemId` null) or an item: asked with `follow:list` at every
 * join (so a change made while offline shows), kept current by `follow:changed` from any tab.
 */
function useFollowing(realtime: RealtimeConnection | null, itemId: string | null) {
  const [following, setFollowing] = useState<boolean | null>(null);
  const epoch = useSyncExternalStore(
    realtime?.subscribeJoined ?? noopSubscribe,
    realtime?.getEpoch ?? (() => 0),
    () => 0,
  );

  useEffect(() => {
    if (!realtime || epoch === 0) return;
    let current = true;
    void realtime.listFollows().then((follows) => {
      if (!current || !follows) return;
      setFollowing(itemId === null ? follows.plan : follows.items.includes(itemId));
    });
    const stop = realtime.onFollowChanged((change) => {
      if (change.itemId === itemId) setFollowing(change.following);
    });
    return () => {
      current = false;
      stop();
    };
  }, [realtime, itemId, epoch]);

  return [following, setFollowing] as const;
}

/** "Follow" / "Following" for the whole plan (`itemId` null) or one activity. Viewers too. */
export function FollowButton({
  realtime,
  itemId,
}: {
  realtime: RealtimeConnection | null;
  itemId: string | null;
}) {
  const t = useTranslations('Follow');
  const [following, setFollowing] = useFollowing(realtime, itemId);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  const toggle = async () => {
    if (!realtime || following === null) return;
    const next = !following;
    setBusy(true);
    setFailed(false);
    const done = await realtime.setFollow(itemId, next);
    setBusy(false);
    if (done) setFollowing(next);
    else setFailed(true);
  };

  return (
    <span className={styles.wrap}>
      <button
        type="button"
        className={`${styles.button} ${following ? styles.following : ''}`}
        // Until the server said which it is, the button cannot say what pressing it would do.
        disabled={following === null || busy}
        aria-busy={busy}
        title={itemId === null ? t('planHint') : t('itemHint')}
        data-testid={itemId === null ? 'follow-plan' : 'follow-item'}
        onClick={() => void toggle()}
      >
        <svg viewBox="0 0 20 20" className={styles.icon} aria-hidden="true" focusable="false">
          {following ? (
            <path
              d="M4 10.5 8 14.5 16 6"
              fill="none"
              stroke="currentColor"
              strokeWidth="2.2"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          ) : (
            <path
              d="M10 4v12M4 10h12"
              stroke="currentColor"
              strokeWidth="2.2"
              strokeLinecap="round"
            />
          )}
        </svg>
        {following ? t('following') : t('follow')}
      </button>
      {failed ? (
        <span className={styles.error} role="alert">
          {t('failed')}
        </span>
      ) : null}
    </span>
  );
}
