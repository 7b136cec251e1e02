'use client';

import { useSearchParams } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import type { Item } from '../../../../domain/plan-document';
import { TableRow } from './table/table-row';
import {
  nextTableSort,
  parseTableSort,
  sortItems,
  tableColumns,
  writeTableSort,
  type SortContext,
  type TableColumn,
  type TableSort,
} from './table/table-sort';
import styles from './table/table.module.css';
import type { PlanViewProps } from './view-props';

/** Rows drawn at first, and added each time the reader nears the end: 2,000 rows stay quick. */
const rowBatch = 150;

const columnMessage = {
  title: 'title',
  workstream: 'workstream',
  status: 'status',
  lead: 'lead',
  owners: 'owners',
  start: 'start',
  end: 'end',
  progress: 'progress',
  tags: 'tags',
} as const satisfies Record<TableColumn, string>;

/** Every activity in a row: the view for scanning, comparing and quick edits. */
export function TableView({
  doc,
  workstreams,
  items,
  members,
  canEdit,
  onOpenItem,
  announce,
}: PlanViewProps) {
  const t = useTranslations('Table');
  const organisations = useTranslations('Organisations');
  const locale = useLocale();
  const params = useSearchParams();
  const sortParam = params.get('sort');
  const sort = useMemo(() => parseTableSort(sortParam), [sortParam]);
  const [limit, setLimit] = useState(rowBatch);
  const sentinelRef = useRef<HTMLDivElement>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);

  const workstreamNames = useMemo(
    () => new Map(workstreams.map((workstream) => [workstream.id, workstream.name])),
    [workstreams],
  );
  const memberNames = useMemo(
    () => new Map(members.map((member) => [member.id, member.name])),
    [members],
  );
  const ownerNames = useCallback(
    (item: Item) =>
      item.owners
        .map((id) => memberNames.get(id))
        .filter((name): name is string => Boolean(name))
        .join(', '),
    [memberNames],
  );

  const context = useMemo<SortContext>(() => {
    const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
    return {
      compareText: collator.compare,
      workstreamOrder: new Map(workstreams.map((workstream, index) => [workstream.id, index])),
      workstreamName: (id) => workstreamNames.get(id) ?? '',
      ownerNames,
      leadName: (item) => organisations(`${item.leadOrg}.short`),
    };
  }, [locale, workstreams, workstreamNames, ownerNames, organisations]);
  const sorted = useMemo(() => sortItems(items, sort, context), [items, sort, context]);

  const setSort = useCallback(
    (next: TableSort | null) => {
      const query = new URLSearchParams(window.location.search);
      const value = writeTableSort(next);
      if (value) query.set('sort', value);
      else query.delete('sort');
      const search = query.toString();
      // Like the filter: part of the address, without a history entry per click.
      window.history.replaceState(
        null,
        '',
        `${window.location.pathname}${search ? `?${search}` : ''}`,
      );
      announce(
        next
          ? t(next.direction === 'ascending' ? 'sortedAscending' : 'sortedDescending', {
              column: t(columnMessage[next.column]),
            })
          : '',
      );
    },
    [announce, t],
  );

  const onChanged = useCallback(
    (item: Item, field: string) => {
      const column =
        field === 'leadOrg' ? 'lead' : field === 'progress' ? 'progress' : (field as TableColumn);
      announce(t('updated', { title: item.title, column: t(columnMessage[column]) }));
    },
    [announce, t],
  );

  // Draw more rows as the end of the drawn ones comes near.
  const hasMore = sorted.length > limit;
  useEffect(() => {
    const sentinel = sentinelRef.current;
    if (!sentinel || !hasMore || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting))
          setLimit((current) => current + rowBatch * 2);
      },
      { root: scrollerRef.current, rootMargin: '800px 0px' },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasMore, limit]);

  if (items.length === 0) return <p className={styles.empty}>{t('empty')}</p>;

  const shown = sorted.slice(0, limit);

  return (
    <section className={styles.wrap} aria-label={t('region')} data-testid="table">
      <div ref={scrollerRef} className={styles.scroller}>
        <table className={styles.table} aria-rowcount={sorted.length + 1}>
          <thead>
            <tr>
              {tableColumns.map((column) => {
                const active = sort?.column === column ? sort.direction : undefined;
                return (
                  <th key={column} scope="col" aria-sort={active}>
                    <button
                      type="button"
                      className={styles.sortButton}
                      data-testid={`sort-${column}`}
                      onClick={() => setSort(nextTableSort(sort, column))}
                    >
                      {t(columnMessage[column])}
                      <SortIcon direction={active} />
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.map((item) => (
              <TableRow
                key={item.id}
                item={item}
                doc={doc}
                canEdit={canEdit}
                workstreamName={workstreamNames.get(item.workstreamId) ?? '—'}
                ownerNames={ownerNames(item)}
                onOpen={onOpenItem}
                onChanged={onChanged}
              />
            ))}
          </tbody>
        </table>
        {hasMore ? (
          <div ref={sentinelRef} className={styles.more}>
            <span>{t('showing', { shown: shown.length, total: sorted.length })}</span>
            <button type="button" onClick={() => setLimit(sorted.length)}>
              {t('showAll')}
            </button>
          </div>
        ) : null}
      </div>
    </section>
  );
}

function SortIcon({ direction }: { direction: 'ascending' | 'descending' | undefined }) {
  return (
    <svg className={styles.sortIcon} viewBox="0 0 12 12" aria-hidden="true">
      {direction === 'ascending' ? (
        <path d="M6 2 10 8H2z" fill="currentColor" />
      ) : direction === 'descending' ? (
        <path d="M6 10 2 4h8z" fill="currentColor" />
      ) : (
        <path d="M6 1 9 5H3zM6 11 3 7h6z" fill="currentColor" opacity="0.45" />
      )}
    </svg>
  );
}
