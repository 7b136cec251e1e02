'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';

import type { RealtimeConnection } from '../../../lib/realtime-connection';
import { ActivityList } from '../activity/activity-list';
import styles from '../activity/activity.module.css';
import { useActivityFeed } from '../activity/use-activity-feed';

/**
 * The card's history, below the comments: closed until asked for, so opening a card costs no
 * request for it; once open, loaded over HTTP and kept live.
 */
export function ActivitySection({
  realtime,
  itemId,
  labelId,
}: {
  realtime: RealtimeConnection;
  itemId: string;
  labelId: string;
}) {
  const t = useTranslations('Activity');
  const [open, setOpen] = useState(false);
  const listId = useId();
  return (
    <section className={styles.section} aria-labelledby={labelId} data-testid="item-activity">
      <h3 id={labelId} className={styles.title}>
        {t('heading')}
      </h3>
      <button
        type="button"
        className={styles.toggle}
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((value) => !value)}
        data-testid="item-activity-toggle"
      >
        {open ? t('hide') : t('show')}
      </button>
      <div id={listId} hidden={!open}>
        {open ? <ItemActivity realtime={realtime} itemId={itemId} /> : null}
      </div>
    </section>
  );
}

function ItemActivity({ realtime, itemId }: { realtime: RealtimeConnection; itemId: string }) {
  const feed = useActivityFeed(realtime, realtime.slug, itemId);
  return <ActivityList feed={feed} />;
}
