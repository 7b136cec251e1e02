'use client';

import { useTranslations } from 'next-intl';
import { memo, useRef, useState, type ReactNode } from 'react';
import type * as Y from 'yjs';

import type { OrganisationCode } from '../../../../../domain/organisations';
import type { Item, ItemStatus, PlanMeta, Workstream } from '../../../../../domain/plan-document';
import type { PlanMember } from '../../../../../domain/roles';
import { AddItemForm } from '../../add-item-form';
import { ItemCard, noPeople, type CardPerson, type FocusHandoff } from '../../item-card';
import { cellKey as toCellKey } from './board-layout';
import styles from './board.module.css';

/** Someone else's card on its way into this cell, shown where it would land. */
export interface RemoteDrop {
  beforeId: string | null;
  person: CardPerson;
  title: string;
}

export const noRemoteDrops: RemoteDrop[] = [];

export type BoardCellProps = {
  status: ItemStatus;
  laneKey: string;
  /** The lane's workstream, or null for "Other activities". */
  workstream: Workstream | null;
  items: Item[];
  doc: Y.Doc;
  meta: PlanMeta | null;
  workstreams: Workstream[];
  canEdit: boolean;
  defaultOrganisation: OrganisationCode;
  members: Map<string, PlanMember>;
  focusHandoff: FocusHandoff;
  focusByItem: Map<string, CardPerson[]>;
  movingByItem: Map<string, CardPerson>;
  /** Where this person's dragged card would land: before that id, null for the end, or nowhere. */
  dropBeforeId: string | null | undefined;
  remoteDrops: RemoteDrop[];
  onFocusItem: (itemId: string | null) => void;
  onStatusChanged: (item: Item, status: ItemStatus) => void;
  onItemCreated: (title: string, status: ItemStatus) => void;
  onOpenItem: (itemId: string) => void;
};

function DropLine() {
  return <li className={styles.dropLine} aria-hidden="true" data-testid="drop-line" />;
}

function RemoteDropLine({ drop }: { drop: RemoteDrop }) {
  const t = useTranslations('BoardDnd');
  return (
    <li
      className={styles.remoteDrop}
      style={{ borderColor: drop.person.color, color: drop.person.color }}
      data-testid="remote-drop"
    >
      <span className={styles.remoteWho}>{t('movingHere', { name: drop.person.name })}</span>
      <span className={styles.remoteTitle}>{drop.title}</span>
    </li>
  );
}

function BoardCellView({
  status,
  laneKey,
  workstream,
  items,
  doc,
  meta,
  workstreams,
  canEdit,
  defaultOrganisation,
  members,
  focusHandoff,
  focusByItem,
  movingByItem,
  dropBeforeId,
  remoteDrops,
  onFocusItem,
  onStatusChanged,
  onItemCreated,
  onOpenItem,
}: BoardCellProps) {
  const t = useTranslations('Board');
  const statuses = useTranslations('Statuses');
  const [adding, setAdding] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);
  const key = toCellKey(status, laneKey);
  const laneName = workstream?.name ?? t('noWorkstream');

  const rows: ReactNode[] = [];
  const linesBefore = (beforeId: string | null) => {
    if (dropBeforeId === beforeId) rows.push(<DropLine key="drop-line" />);
    for (const drop of remoteDrops) {
      if (drop.beforeId === beforeId)
        rows.push(<RemoteDropLine key={`remote-${drop.person.name}`} drop={drop} />);
    }
  };
  for (const item of items) {
    linesBefore(item.id);
    rows.push(
      <ItemCard
        key={item.id}
        doc={doc}
        item={item}
        canEdit={canEdit}
        members={members}
        focusHandoff={focusHandoff}
        focusedBy={focusByItem.get(item.id) ?? noPeople}
        movingBy={movingByItem.get(item.id) ?? null}
        onFocusItem={onFocusItem}
        onStatusChanged={onStatusChanged}
        onOpenItem={onOpenItem}
      />,
    );
  }
  linesBefore(null);

  return (
    <div
      className={`${styles.cell} ${styles[status]}`}
      data-testid={`column-${status}`}
      data-status={status}
      data-lane={laneKey}
      data-cell-key={key}
      role="group"
      aria-label={t('cellLabel', { status: statuses(status), workstream: laneName })}
    >
      {rows.length > 0 ? <ul className={styles.cards}>{rows}</ul> : null}
      <div className={styles.cellEnd} data-cell-end="">
        {canEdit && workstream ? (
          adding ? (
            <AddItemForm
              doc={doc}
              status={status}
              workstreams={workstreams}
              defaultWorkstreamId={workstream.id}
              meta={meta}
              defaultOrganisation={defaultOrganisation}
              onDone={(created) => {
                setAdding(false);
                if (created) {
                  onItemCreated(created.title, status);
                  focusHandoff.request(created.id, 'title');
                } else {
                  requestAnimationFrame(() => addButton.current?.focus());
                }
              }}
            />
          ) : (
            <button
              ref={addButton}
              type="button"
              className={styles.addButton}
              onClick={() => setAdding(true)}
            >
              <span aria-hidden="true">+</span>
              {t('addItem')}
              <span className="visually-hidden">
                {' '}
                ({t('cellLabel', { status: statuses(status), workstream: laneName })})
              </span>
            </button>
          )
        ) : rows.length === 0 ? (
          <p className={styles.emptyCell}>
            <span className="visually-hidden">{t('emptyColumn')}</span>
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** One status of one workstream. Re-renders only when its own cards or drop marks change. */
export const BoardCell = memo(BoardCellView);
