'use client';

import { useTranslations } from 'next-intl';

import type { ActivityEntry } from '../../../../domain/activity';
import { useRelativeTime } from '../../../lib/use-relative-time';
import styles from './activity.module.css';
import type { ActivityFeed } from './use-activity-feed';
import { useActivitySentence } from './use-activity-sentence';

/**
 * A feed's entries as sentences with their time, "load more" below. With `onOpenItem` each entry
 * names its item, as a button that opens the item's card (the plan-wide list).
 */
export function ActivityList({
  feed,
  onOpenItem,
  itemExists,
}: {
  feed: ActivityFeed;
  onOpenItem?: (itemId: string) => void;
  itemExists?: (itemId: string) => boolean;
}) {
  const t = useTranslations('Activity');
  const sentence = useActivitySentence();
  const time = useRelativeTime();

  if (feed.load === 'failed' && feed.entries.length === 0) {
    return (
      <p className={styles.error} role="alert">
        {t('loadFailed')}
      </p>
    );
  }
  if (feed.load === 'loading' && feed.entries.length === 0) {
    return <p className={styles.muted}>{t('loading')}</p>;
  }
  if (feed.entries.length === 0) return <p className={styles.muted}>{t('empty')}</p>;

  return (
    <>
      <ol className={styles.list} data-testid="activity-list">
        {feed.entries.map((entry) => (
          <Entry
            key={entry.id}
            entry={entry}
            text={sentence(entry)}
            relative={time.relative(new Date(entry.updatedAt))}
            full={time.full(new Date(entry.updatedAt))}
            onOpenItem={onOpenItem}
            exists={itemExists?.(entry.itemId) ?? true}
          />
        ))}
      </ol>
      {feed.load === 'failed' ? (
        <p className={styles.error} role="alert">
          {t('loadFailed')}
        </p>
      ) : null}
      {feed.more ? (
        <button
          type="button"
          className={styles.more}
          onClick={feed.loadMore}
          disabled={feed.loadingMore}
          data-testid="activity-load-more"
        >
          {feed.loadingMore ? t('loading') : t('loadMore')}
        </button>
      ) : null}
    </>
  );
}

function Entry({
  entry,
  text,
  relative,
  full,
  onOpenItem,
  exists,
}: {
  entry: ActivityEntry;
  text: string;
  relative: string;
  full: string;
  onOpenItem: ((itemId: string) => void) | undefined;
  exists: boolean;
}) {
  const t = useTranslations('Activity');
  const title = entry.itemTitle.trim() || t('untitled');
  return (
    <li
      className={styles.entry}
      data-testid="activity-entry"
      data-kind={entry.kind}
      data-item-id={entry.itemId}
    >
      {/* A plan-level entry (a restore) is about no item: nothing to open. */}
      {onOpenItem && entry.itemId !== '' ? (
        exists ? (
          <button
            type="button"
            className={styles.itemLink}
            onClick={() => onOpenItem(entry.itemId)}
            aria-label={t('openItem', { title })}
          >
            {title}
          </button>
        ) : (
          <span className={styles.itemGone}>
            {title} {t('gone')}
          </span>
        )
      ) : null}
      <p className={styles.sentence}>
        {text}
        <span className={styles.time}>
          {' · '}
          <time dateTime={entry.updatedAt} title={full}>
            {relative}
          </time>
        </span>
      </p>
    </li>
  );
}
