'use client';

import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import type * as Y from 'yjs';

import type { OrganisationCode } from '../../../domain/organisations';
import type { Item, ItemStatus, PlanMeta, Workstream } from '../../../domain/plan-document';
import { AddItemForm } from './add-item-form';
import { ItemCard, type FocusHandoff } from './item-card';
import styles from './plan-board.module.css';

const noOne: string[] = [];

/** The items of one status, grouped under their workstreams in the workstreams' order. */
function groupByWorkstream(items: Item[], workstreams: Workstream[]) {
  const groups = workstreams.map((workstream) => ({
    key: workstream.id,
    name: workstream.name as string | null,
    items: [] as Item[],
  }));
  const byId = new Map(groups.map((group) => [group.key, group]));
  const unassigned: Item[] = [];
  for (const item of items) {
    const group = byId.get(item.workstreamId);
    if (group) group.items.push(item);
    else unassigned.push(item);
  }
  const filled = groups.filter((group) => group.items.length > 0);
  if (unassigned.length > 0) filled.push({ key: '', name: null, items: unassigned });
  return filled;
}

export function BoardColumn({
  status,
  items,
  workstreams,
  meta,
  doc,
  canEdit,
  defaultOrganisation,
  focusHandoff,
  othersByItem,
  onFocusItem,
  onStatusChanged,
  onItemCreated,
  onOpenItem,
}: {
  status: ItemStatus;
  items: Item[];
  workstreams: Workstream[];
  meta: PlanMeta | null;
  doc: Y.Doc;
  canEdit: boolean;
  defaultOrganisation: OrganisationCode;
  focusHandoff: FocusHandoff;
  othersByItem: Map<string, string[]>;
  onFocusItem: (itemId: string | null) => void;
  onStatusChanged: (item: Item, status: ItemStatus) => void;
  onItemCreated: (title: string, status: ItemStatus) => void;
  onOpenItem: (itemId: string) => void;
}) {
  const t = useTranslations('Board');
  const statuses = useTranslations('Statuses');
  const [adding, setAdding] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);
  const headingId = `column-heading-${status}`;
  const groups = groupByWorkstream(items, workstreams);

  return (
    <section
      className={`${styles.column} ${styles[status]}`}
      data-testid={`column-${status}`}
      aria-labelledby={headingId}
    >
      <header className={styles.columnHeader}>
        <h2 id={headingId} className={styles.columnTitle}>
          <span className={styles.statusDot} aria-hidden="true" />
          {statuses(status)}
        </h2>
        <span className={styles.count}>
          <span className="visually-hidden">{t('itemCount', { count: items.length })}</span>
          <span aria-hidden="true">{items.length}</span>
        </span>
      </header>

      {canEdit ? (
        adding ? (
          <AddItemForm
            doc={doc}
            status={status}
            workstreams={workstreams}
            meta={meta}
            defaultOrganisation={defaultOrganisation}
            onDone={(created) => {
              setAdding(false);
              if (created) {
                onItemCreated(created.title, status);
                focusHandoff.request(created.id, 'title');
              } else {
                // Back to the button that opened the form.
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
            <span className="visually-hidden"> ({statuses(status)})</span>
          </button>
        )
      ) : null}

      {groups.length === 0 ? (
        <p className={styles.emptyColumn}>{t('emptyColumn')}</p>
      ) : (
        groups.map((group) => (
          <div key={group.key} className={styles.group}>
            <h3 className={styles.groupTitle}>{group.name ?? t('noWorkstream')}</h3>
            <ul className={styles.cards}>
              {group.items.map((item) => (
                <ItemCard
                  key={item.id}
                  doc={doc}
                  item={item}
                  canEdit={canEdit}
                  focusHandoff={focusHandoff}
                  editingBy={othersByItem.get(item.id) ?? noOne}
                  onFocusItem={onFocusItem}
                  onStatusChanged={onStatusChanged}
                  onOpenItem={onOpenItem}
                />
              ))}
            </ul>
          </div>
        ))
      )}
    </section>
  );
}
