'use client';

import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';

import type { ActivityEntry } from '../../../../domain/activity';
import type { RealtimeConnection } from '../../../lib/realtime-connection';

export type FeedLoad = 'loading' | 'loaded' | 'failed';

export interface ActivityFeed {
  /** Newest first (by last change: a folded burst moves up). */
  entries: ActivityEntry[];
  load: FeedLoad;
  more: boolean;
  loadingMore: boolean;
  loadMore: () => void;
}

const noopSubscribe = () => () => undefined;

function newestFirst(a: ActivityEntry, b: ActivityEntry): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function merge(current: ActivityEntry[], incoming: ActivityEntry[]): ActivityEntry[] {
  const byId = new Map(current.map((entry) => [entry.id, entry]));
  for (const entry of incoming) {
    const known = byId.get(entry.id);
    if (!known || known.updatedAt <= entry.updatedAt) byId.set(entry.id, entry);
  }
  return [...byId.values()].sort(newestFirst);
}

type Page = { entries: ActivityEntry[]; more: boolean };

async function fetchPage(
  slug: string,
  itemId: string | null,
  before: string | null,
  signal?: AbortSignal,
): Promise<Page> {
  const query = new URLSearchParams();
  if (itemId) query.set('item', itemId);
  if (before) query.set('before', before);
  const search = query.toString();
  const response = await fetch(
    `/api/plans/${encodeURIComponent(slug)}/activity${search ? `?${search}` : ''}`,
    { signal, credentials: 'same-origin' },
  );
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as Page;
}

/**
 * A plan's activity (or one item's), loaded a page at a time over HTTP, again at every re-join
 * (what was missed while offline), and kept live by `activity:recorded` facts.
 */
export function useActivityFeed(
  realtime: RealtimeConnection | null,
  slug: string,
  itemId: string | null,
): ActivityFeed {
  const [entries, setEntries] = useState<ActivityEntry[]>([]);
  const [load, setLoad] = useState<FeedLoad>('loading');
  const [more, setMore] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const epoch = useSyncExternalStore(
    realtime?.subscribeJoined ?? noopSubscribe,
    realtime?.getEpoch ?? (() => 0),
    () => 0,
  );

  useEffect(() => {
    if (!realtime) return;
    return realtime.onActivity((entry) => {
      if (itemId === null || entry.itemId === itemId) {
        setEntries((current) => merge(current, [entry]));
      }
    });
  }, [realtime, itemId]);

  useEffect(() => {
    const controller = new AbortController();
    fetchPage(slug, itemId, null, controller.signal)
      .then((page) => {
        setEntries((current) => merge(current, page.entries));
        // Only the first load says whether older pages exist; a re-join adds the newest.
        setMore((known) => (epoch <= 1 ? page.more : known || page.more));
        setLoad('loaded');
      })
      .catch(() => {
        if (!controller.signal.aborted) setLoad('failed');
      });
    return () => controller.abort();
  }, [slug, itemId, epoch]);

  const last = entries.at(-1)?.id ?? null;
  const loadMore = useCallback(() => {
    if (!last) return;
    setLoadingMore(true);
    fetchPage(slug, itemId, last)
      .then((page) => {
        setEntries((current) => merge(current, page.entries));
        setMore(page.more);
      })
      .catch(() => setLoad('failed'))
      .finally(() => setLoadingMore(false));
  }, [slug, itemId, last]);

  return { entries, load, more, loadingMore, loadMore };
}
