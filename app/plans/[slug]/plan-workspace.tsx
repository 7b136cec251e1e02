'use client';

import dynamic from 'next/dynamic';
import { useTranslations } from 'next-intl';
import { useCallback, useMemo, useState } from 'react';

import { filterItems } from '../../../domain/plan-filter';
import { colorForUser } from '../../../domain/presence';
import { canEditPlan, type PlanMember, type Role } from '../../../domain/roles';
import type { SessionUser } from '../../../server/auth/current-user';
import { usePlanConnection, usePlanView, usePresence } from '../../lib/plan-connection';
import { useRealtimeConnection } from '../../lib/realtime-connection';
import { usePlanUndo } from '../../lib/use-plan-undo';
import { usePlanUrlState } from '../../lib/use-plan-url-state';
import { BoardHeader } from './board-header';
import { BoardSkeleton } from './board-skeleton';
import { ClosedBanner } from './closed-banner';
import { RestoredNotice } from './history/restored-notice';
import styles from './plan-board.module.css';
import { PlanToolbar } from './plan-toolbar';
import { BoardView } from './views/board-view';
import type { PlanViewProps } from './views/view-props';

// The timeline, the table and the card details load when first opened: the board is what most
// people see first, and every kilobyte counts on a slow connection.
const TimelineView = dynamic(() => import('./views/timeline-view').then((m) => m.TimelineView), {
  loading: () => <BoardSkeleton />,
});
const TableView = dynamic(() => import('./views/table-view').then((m) => m.TableView), {
  loading: () => <BoardSkeleton />,
});
const CardDetail = dynamic(() => import('./card-detail/card-detail').then((m) => m.CardDetail));
const ImportDialog = dynamic(() => import('./import-dialog').then((m) => m.ImportDialog));
const ActivityPanel = dynamic(() =>
  import('./activity/activity-panel').then((m) => m.ActivityPanel),
);

/**
 * One plan, live: the header with presence and save state, the toolbar (views, filters, undo),
 * the chosen view, and the open card's details. Owners and editors change the plan in place;
 * commenters and viewers follow it read-only (the server drops their document changes anyway;
 * the UI offers none).
 */
export function PlanWorkspace({
  slug,
  title,
  role,
  user,
  members,
  epoch,
}: {
  slug: string;
  title: string;
  /** The plan's restore epoch as the page was rendered (domain/sync-protocol.ts). */
  epoch?: number;
  role: Role;
  user: SessionUser;
  /** Everyone on the plan, for owners and names. */
  members: PlanMember[];
}) {
  const t = useTranslations('Board');
  const connection = usePlanConnection(slug, user.id, epoch);
  const realtime = useRealtimeConnection(slug);
  const { doc, awareness } = connection;
  const plan = usePlanView(doc);
  const url = usePlanUrlState();
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
  const [announcement, setAnnouncement] = useState('');
  const [activityOpen, setActivityOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  /** How many activities the last import created, shown until dismissed. */
  const [imported, setImported] = useState<number | null>(null);
  const importText = useTranslations('Import');
  const announce = useCallback((message: string) => setAnnouncement(message), []);

  const mayEdit = canEditPlan(role);
  const canEdit = mayEdit && connection.closed === null;
  const undo = usePlanUndo(doc, canEdit);
  const items = useMemo(
    () => filterItems(plan.items, url.filter, members),
    [plan.items, url.filter, members],
  );
  const openItem = plan.items.find((item) => item.id === url.itemId) ?? null;

  const viewProps: PlanViewProps = {
    doc,
    awareness,
    meta: plan.meta,
    workstreams: plan.workstreams,
    items,
    allItems: plan.items,
    members,
    presence,
    canEdit,
    user,
    onOpenItem: url.openItem,
    announce,
  };

  return (
    <main className={styles.board}>
      <BoardHeader
        title={plan.meta?.title ?? title}
        meta={plan.meta}
        role={role}
        connection={connection}
        presence={presence}
        showSaveState={mayEdit && connection.synced}
        realtime={realtime}
      />

      {connection.closed ? <ClosedBanner code={connection.closed.code} slug={slug} /> : null}
      <RestoredNotice slug={slug} />
      {imported !== null ? (
        // A status region of its own: screen readers hear it, and it stays until dismissed.
        <div className={styles.importedNotice} role="status" data-testid="imported-notice">
          <span>{importText('imported', { count: imported })}</span>
          <button type="button" className={styles.noticeButton} onClick={() => setImported(null)}>
            {importText('dismiss')}
          </button>
        </div>
      ) : null}

      {!mayEdit ? (
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

      <PlanToolbar
        view={url.view}
        onViewChange={url.setView}
        filter={url.filter}
        onFilterChange={url.setFilter}
        workstreams={plan.workstreams}
        members={members}
        shown={items.length}
        total={plan.items.length}
        undo={canEdit ? undo : null}
        onOpenActivity={() => setActivityOpen(true)}
        onImport={canEdit && connection.synced ? () => setImportOpen(true) : undefined}
      />

      {!connection.synced ? (
        <BoardSkeleton />
      ) : url.view === 'timeline' ? (
        <TimelineView {...viewProps} />
      ) : url.view === 'table' ? (
        <TableView {...viewProps} />
      ) : (
        <BoardView {...viewProps} />
      )}

      {connection.synced && openItem ? (
        <CardDetail
          key={openItem.id}
          {...viewProps}
          item={openItem}
          realtime={realtime}
          role={role}
          onClose={() => url.openItem(null)}
        />
      ) : null}

      {importOpen && canEdit ? (
        <ImportDialog
          doc={doc}
          workstreams={plan.workstreams}
          defaultLeadOrg={user.organisation}
          onClose={() => setImportOpen(false)}
          onImported={(count) => {
            setImportOpen(false);
            setImported(count);
          }}
        />
      ) : null}

      {activityOpen ? (
        <ActivityPanel
          realtime={realtime}
          slug={slug}
          itemExists={(itemId) => plan.items.some((item) => item.id === itemId)}
          onOpenItem={url.openItem}
          onClose={() => setActivityOpen(false)}
        />
      ) : null}
    </main>
  );
}
