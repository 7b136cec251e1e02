'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useMemo, useRef } from 'react';

import { itemStatuses, type Item, type ItemStatus } from '../../../../domain/plan-document';
import { setLocalFocus } from '../../../lib/plan-connection';
import { BoardColumn } from '../board-column';
import type { FocusHandoff, FocusTarget } from '../item-card';
import styles from '../plan-board.module.css';
import type { PlanViewProps } from './view-props';

/** The board: a column per status, the activities grouped by workstream inside. */
export function BoardView({
  doc,
  awareness,
  meta,
  workstreams,
  items,
  presence,
  canEdit,
  user,
  onOpenItem,
  announce,
}: PlanViewProps) {
  const t = useTranslations('Board');
  const statuses = useTranslations('Statuses');
  const pendingFocusRef = useRef<{ itemId: string; target: FocusTarget } | null>(null);
  const focusHandoff = useMemo<FocusHandoff>(
    () => ({
      request: (itemId, target) => {
        pendingFocusRef.current = { itemId, target };
      },
      claim: (itemId) => {
        const pending = pendingFocusRef.current;
        if (pending?.itemId !== itemId) return null;
        pendingFocusRef.current = null;
        return pending.target;
      },
    }),
    [],
  );

  const announcedFocusRef = useRef<string | null>(null);
  const onFocusItem = useCallback(
    (itemId: string | null) => {
      // Moving between a card's own controls fires focus again: tell the others only once.
      if (announcedFocusRef.current === itemId) return;
      announcedFocusRef.current = itemId;
      setLocalFocus(awareness, itemId);
    },
    [awareness],
  );
  const onStatusChanged = useCallback(
    (item: Item, status: ItemStatus) =>
      announce(t('moved', { title: item.title, status: statuses(status) })),
    [announce, t, statuses],
  );
  const onItemCreated = useCallback(
    (itemTitle: string, status: ItemStatus) =>
      announce(t('added', { title: itemTitle, status: statuses(status) })),
    [announce, t, statuses],
  );

  const itemsByStatus = useMemo(() => {
    const groups = new Map<ItemStatus, Item[]>(itemStatuses.map((status) => [status, []]));
    for (const item of items) groups.get(item.status)?.push(item);
    return groups;
  }, [items]);

  /** Who else is on which card, for the "… is editing" marks. */
  const othersByItem = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const person of presence) {
      if (person.isSelf || !person.focus) continue;
      map.set(person.focus, [...(map.get(person.focus) ?? []), person.name]);
    }
    return map;
  }, [presence]);

  return (
    <div className={styles.columns}>
      {itemStatuses.map((status) => (
        <BoardColumn
          key={status}
          status={status}
          items={itemsByStatus.get(status) ?? []}
          workstreams={workstreams}
          meta={meta}
          doc={doc}
          canEdit={canEdit}
          defaultOrganisation={user.organisation}
          focusHandoff={focusHandoff}
          othersByItem={othersByItem}
          onFocusItem={onFocusItem}
          onStatusChanged={onStatusChanged}
          onItemCreated={onItemCreated}
          onOpenItem={onOpenItem}
        />
      ))}
    </div>
  );
}
