'use client';
/**
 * The bell in the header: the unread count, and a panel listing the user's notifications as
 * sentences. Its socket code (notification-feed.ts with socket.io's client) is loaded after the
 * page is interactive, so it adds little to a page's first load on a slow link; on a plan page
 * it shares the one socket the plan's comments use.
 */
import { useFormatter, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';

import type { Notification } from '../../domain/notifications';
import type { NotificationFeed, NotificationFeedState } from '../lib/notification-feed';
import { useRelativeTime } from '../lib/use-relative-time';
import styles from './notification-bell.module.css';

// Not imported from notification-feed.ts: that would bring socket.io-client into the first load.
const emptyState: NotificationFeedState = {
  notifications: [],
  unread: 0,
  loaded: false,
  more: false,
  failed: false,
  loadingOlder: false,
};
const noopSubscribe = () => () => {};

/** The feed, once its module has loaded (null before, and on the server). */
function useNotificationFeed(): NotificationFeed | null {
  const [feed, setFeed] = useState<NotificationFeed | null>(null);
  useEffect(() => {
    let opened: NotificationFeed | null = null;
    let cancelled = false;
    void import('../lib/notification-feed').then(({ NotificationFeed }) => {
      if (cancelled) return;
      opened = new NotificationFeed();
      setFeed(opened);
    });
    return () => {
      cancelled = true;
      opened?.close();
    };
  }, []);
  return feed;
}

export function NotificationBell() {
  const t = useTranslations('Notifications');
  const feed = useNotificationFeed();
  const state = useSyncExternalStore(
    feed?.subscribe ?? noopSubscribe,
    () => feed?.getState() ?? emptyState,
    () => emptyState,
  );
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const headingId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const label = state.unread > 0 ? t('bellUnread', { count: state.unread }) : t('bellLabel');
  return (
    <div className={styles.bell} ref={root}>
      <button
        ref={button}
        type="button"
        className={styles.button}
        aria-label={label}
        aria-expanded={open}
        aria-controls={panelId}
        data-testid="notification-bell"
        data-loaded={state.loaded}
        onClick={() => setOpen((value) => !value)}
      >
        <svg viewBox="0 0 24 24" className={styles.icon} aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {state.unread > 0 ? (
          <span className={styles.badge} aria-hidden="true" data-testid="notification-count">
            {state.unread > 99 ? '99+' : state.unread}
          </span>
        ) : null}
      </button>
      <div
        id={panelId}
        className={styles.panel}
        role="region"
        aria-labelledby={headingId}
        data-testid="notification-panel"
        hidden={!open}
      >
        <div className={styles.panelHeader}>
          <h2 id={headingId} className={styles.title}>
            {t('title')}
          </h2>
          <button
            type="button"
            className={styles.markAll}
            disabled={state.unread === 0}
            onClick={() => void feed?.markRead('all')}
          >
            {t('markAllRead')}
          </button>
        </div>
        {!state.loaded ? (
          <p className={styles.note} role={state.failed ? 'alert' : undefined}>
            {state.failed ? t('failed') : t('loading')}
          </p>
        ) : state.notifications.length === 0 ? (
          <p className={styles.note}>{t('empty')}</p>
        ) : open ? (
          <ul className={styles.list}>
            {state.notifications.map((notification) => (
              <NotificationEntry
                key={notification.id}
                notification={notification}
                onOpen={() => {
                  if (notification.readAt === null) void feed?.markRead([notification.id]);
                  setOpen(false);
                }}
              />
            ))}
            {state.more ? (
              <li className={styles.older}>
                <button
                  type="button"
                  className={styles.olderButton}
                  disabled={state.loadingOlder}
                  onClick={() => void feed?.loadOlder()}
                >
                  {state.loadingOlder ? t('loadingOlder') : t('older')}
                </button>
              </li>
            ) : null}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

function NotificationEntry({
  notification,
  onOpen,
}: {
  notification: Notification;
  onOpen: () => void;
}) {
  const t = useTranslations('Notifications');
  const time = useRelativeTime();
  const sentence = useSentence(notification);
  const created = new Date(notification.createdAt);
  const href = `/plans/${notification.plan}${
    notification.itemId ? `?item=${encodeURIComponent(notification.itemId)}` : ''
  }`;
  const unread = notification.readAt === null;
  return (
    <li>
      <Link
        href={href}
        className={`${styles.entry} ${unread ? styles.unread : ''}`}
        onClick={(event) => {
          onOpen();
          // On that plan's page already: open the card as the page itself does, keeping the
          // view and filters, without asking the server for the page again.
          if (window.location.pathname === `/plans/${notification.plan}` && notification.itemId) {
            event.preventDefault();
            const query = new URLSearchParams(window.location.search);
            query.set('item', notification.itemId);
            window.history.pushState(null, '', `${window.location.pathname}?${query}`);
          }
        }}
      >
        {unread ? (
          <span className={styles.dot}>
            <span className="visually-hidden">{t('unread')}: </span>
          </span>
        ) : null}
        <span className={styles.sentence}>{sentence}</span>
        <span className={styles.meta}>
          <span className={styles.plan}>{notification.planTitle}</span>
          {' · '}
          <time dateTime={notification.createdAt} title={time.full(created)}>
            {time.relative(created)}
          </time>
        </span>
      </Link>
    </li>
  );
}

/** The notification as one sentence in the UI's language. */
function useSentence(notification: Notification): string {
  const t = useTranslations('Notifications');
  const statuses = useTranslations('Statuses');
  const format = useFormatter();
  // The title comes from the plan's item table; an item it does not know (yet) is "an activity".
  const title = notification.itemTitle?.trim();
  const item = title ? t('quoted', { title }) : t('someActivity');
  /** The item where it opens the sentence. */
  const itemFirst = title ? item : t('someActivityStart');
  const actor = notification.actor?.name ?? t('someone');
  switch (notification.kind) {
    case 'comment':
      return t('comment', { actor, item, excerpt: notification.excerpt });
    case 'mention':
      return t('mention', { actor, item, excerpt: notification.excerpt });
    case 'status': {
      const from = statuses(notification.from);
      const to = statuses(notification.to);
      return notification.actor
        ? t('statusBy', { actor, item, from, to })
        : t('status', { item: itemFirst, from, to });
    }
    case 'due': {
      const days = daysUntil(notification.due);
      if (days > 0) return t('dueIn', { item: itemFirst, days });
      if (days === 0) return t('dueToday', { item: itemFirst });
      return t('overdue', {
        item: itemFirst,
        date: format.dateTime(new Date(`${notification.due}T00:00:00Z`), {
          dateStyle: 'medium',
          timeZone: 'UTC',
        }),
      });
    }
  }
}

/** Whole days from today (UTC, as the server counts) to an ISO date. */
function daysUntil(isoDate: string): number {
  const today = new Date().toISOString().slice(0, 10);
  return Math.round((Date.parse(isoDate) - Date.parse(today)) / 86_400_000);
}
