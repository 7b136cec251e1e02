'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useMemo, useRef, useState } from 'react';

import { itemStatuses, type Item, type ItemStatus } from '../../../domain/plan-document';
import { colorForUser } from '../../../domain/presence';
import { canEditPlan, type Role } from '../../../domain/roles';
import type { SessionUser } from '../../../server/auth/current-user';
import {
  setLocalFocus,
  usePlanConnection,
  usePlanView,
  usePresence,
} from '../../lib/plan-connection';
import { BoardColumn } from './board-column';
import { BoardHeader } from './board-header';
import { BoardSkeleton } from './board-skeleton';
import { ClosedBanner } from './closed-banner';
import type { FocusHandoff, FocusTarget } from './item-card';
import styles from './plan-board.module.css';

/**
 * The live board of one plan: a column per status, the activities grouped by workstream inside.
 * Owners and editors change it in place; commenters and viewers follow it read-only (the server
 * drops their document changes anyway; the UI just offers none).
 */
export function PlanBoard({
  slug,
  title,
  role,
  user,
}: {
  slug: string;
  title: string;
  role: Role;
  user: SessionUser;
}) {
  const t = useTranslations('Board');
  const statuses = useTranslations('Statuses');
  const connection = usePlanConnection(slug, user.id);
  const { doc, awareness } = connection;
  const view = usePlanView(doc);
  const self = useMemo(
    () => ({
      id: user.id,
      name: user.name,
      organisation: user.organisation,
      color: colorForUser(user.id),
    }),
    [user.id, user.name, user.organisation],
  );
  const presence = usePresence(awareness, self);
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
  const [announcement, setAnnouncement] = useState('');

  const canEdit = canEditPlan(role) && connection.closed === null;

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
      setAnnouncement(t('moved', { title: item.title, status: statuses(status) })),
    [t, statuses],
  );
  const onItemCreated = useCallback(
    (itemTitle: string, status: ItemStatus) =>
      setAnnouncement(t('added', { title: itemTitle, status: statuses(status) })),
    [t, statuses],
  );

  const itemsByStatus = useMemo(() => {
    const groups = new Map<ItemStatus, Item[]>(itemStatuses.map((status) => [status, []]));
    for (const item of view.items) groups.get(item.status)?.push(item);
    return groups;
  }, [view.items]);

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
    <main className={styles.board}>
      <BoardHeader
        title={view.meta?.title ?? title}
        meta={view.meta}
        role={role}
        connection={connection}
        presence={presence}
        showSaveState={canEditPlan(role) && connection.synced}
      />

      {connection.closed ? <ClosedBanner code={connection.closed.code} slug={slug} /> : null}

      {!canEditPlan(role) ? (
        <p className={styles.readOnlyNotice} data-testid="read-only-notice">
          <svg className={styles.noticeIcon} viewBox="0 0 20 20" aria-hidden="true">
            <path
              fill="currentColor"
              d="M10 4C5.5 4 2.3 7.6 1 10c1.3 2.4 4.5 6 9 6s7.7-3.6 9-6c-1.3-2.4-4.5-6-9-6Zm0 10a4 4 0 1 1 0-8 4 4 0 0 1 0 8Zm0-6.2a2.2 2.2 0 1 0 0 4.4 2.2 2.2 0 0 0 0-4.4Z"
            />
          </svg>
          <span>
            <strong>{t('readOnlyTitle')}</strong> {t('readOnlyText')}
          </span>
        </p>
      ) : null}

      <p className="visually-hidden" role="status">
        {announcement}
      </p>

      {connection.synced ? (
        <div className={styles.columns}>
          {itemStatuses.map((status) => (
            <BoardColumn
              key={status}
              status={status}
              items={itemsByStatus.get(status) ?? []}
              workstreams={view.workstreams}
              meta={view.meta}
              doc={doc}
              canEdit={canEdit}
              defaultOrganisation={user.organisation}
              focusHandoff={focusHandoff}
              othersByItem={othersByItem}
              onFocusItem={onFocusItem}
              onStatusChanged={onStatusChanged}
              onItemCreated={onItemCreated}
            />
          ))}
        </div>
      ) : (
        <BoardSkeleton />
      )}
    </main>
  );
}
