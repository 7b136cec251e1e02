'use client';

/**
 * The plan page's state that belongs in the URL: which view, which filter, which card is open.
 * Changes go through the browser's history API, which Next's router follows without asking the
 * server again: switching views costs no round trip on a slow connection, and the back button
 * closes a card or returns to the previous view.
 */
import { useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';

import {
  parsePlanFilter,
  parsePlanViewName,
  writePlanFilter,
  type PlanFilter,
  type PlanViewName,
} from '../../domain/plan-filter';

const itemIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

function navigate(next: URLSearchParams, mode: 'push' | 'replace'): void {
  const query = next.toString();
  const url = `${window.location.pathname}${query ? `?${query}` : ''}`;
  if (mode === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}

export interface PlanUrlState {
  view: PlanViewName;
  filter: PlanFilter;
  /** The card whose details are open. */
  itemId: string | null;
  setView: (view: PlanViewName) => void;
  setFilter: (filter: PlanFilter) => void;
  openItem: (itemId: string | null) => void;
}

export function usePlanUrlState(): PlanUrlState {
  const params = useSearchParams();
  const key = params.toString();
  const view = useMemo(() => parsePlanViewName(new URLSearchParams(key)), [key]);
  const filter = useMemo(() => parsePlanFilter(new URLSearchParams(key)), [key]);
  const rawItem = params.get('item');
  const itemId = rawItem && itemIdPattern.test(rawItem) ? rawItem : null;

  const setView = useCallback((next: PlanViewName) => {
    const query = new URLSearchParams(window.location.search);
    if (next === 'board') query.delete('view');
    else query.set('view', next);
    navigate(query, 'push');
  }, []);

  const setFilter = useCallback((next: PlanFilter) => {
    navigate(writePlanFilter(new URLSearchParams(window.location.search), next), 'replace');
  }, []);

  const openItem = useCallback((next: string | null) => {
    const query = new URLSearchParams(window.location.search);
    if (next) query.set('item', next);
    else query.delete('item');
    navigate(query, next ? 'push' : 'replace');
  }, []);

  return { view, filter, itemId, setView, setFilter, openItem };
}
