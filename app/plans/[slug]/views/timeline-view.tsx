'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';

import {
  itemStatuses,
  updateItem,
  type Item,
  type Workstream,
  type WorkstreamColour,
} from '../../../../domain/plan-document';
import { usePlanDates } from '../../../lib/use-plan-dates';
import { toEditFailure, type EditFailure } from '../edit-error';
import { TimelineGrid, TimelineHeader } from './timeline/timeline-header';
import { TimelineRow, type RescheduleSource } from './timeline/timeline-row';
import {
  dayNumber,
  pixelsPerDay,
  timelineRange,
  todayIso,
  type ItemDates,
  type TimelineZoom,
} from './timeline/timeline-scale';
import styles from './timeline/timeline.module.css';
import type { PlanViewProps } from './view-props';

interface Lane {
  id: string;
  name: string | null;
  colour: WorkstreamColour;
  items: Item[];
}

function byStart(a: Item, b: Item): number {
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  if (a.end !== b.end) return a.end < b.end ? -1 : 1;
  return a.position < b.position ? -1 : a.position > b.position ? 1 : 0;
}

/** The filtered items in lanes, one per workstream in the plan's order, each by start date. */
function groupLanes(items: Item[], workstreams: Workstream[]): Lane[] {
  const lanes = new Map<string, Lane>(
    workstreams.map((workstream) => [
      workstream.id,
      { id: workstream.id, name: workstream.name, colour: workstream.colour, items: [] },
    ]),
  );
  const orphans: Lane = { id: '', name: null, colour: 'slate', items: [] };
  for (const item of items) (lanes.get(item.workstreamId) ?? orphans).items.push(item);
  const result = [...lanes.values(), orphans].filter((lane) => lane.items.length > 0);
  for (const lane of result) lane.items.sort(byStart);
  return result;
}

/**
 * The plan over time: a lane per workstream, a bar per activity from its start to its end,
 * under the period's years, quarters and months. Editors reschedule by dragging a bar or its
 * ends, or with the arrow keys; everyone opens the details with a click or Enter.
 */
export function TimelineView({
  doc,
  meta,
  workstreams,
  items,
  canEdit,
  onOpenItem,
  announce,
}: PlanViewProps) {
  const t = useTranslations('Timeline');
  const editErrors = useTranslations('EditErrors');
  const formatDates = usePlanDates();
  const instructionsId = useId();
  const [zoom, setZoom] = useState<TimelineZoom>('month');
  const [failure, setFailure] = useState<{ title: string; failure: EditFailure } | null>(null);
  const canvasRef = useRef<HTMLDivElement>(null);
  const refocusRef = useRef<string | null>(null);

  const range = useMemo(
    () => timelineRange(meta?.periodStart ?? '2022-01-01', meta?.periodEnd ?? '2023-12-31'),
    [meta?.periodStart, meta?.periodEnd],
  );
  const perDay = pixelsPerDay[zoom];
  const lanes = useMemo(() => groupLanes(items, workstreams), [items, workstreams]);

  const today = todayIso();
  const todayDay = dayNumber(today);
  const todayInRange = todayDay >= range.firstDay && todayDay < range.endDay;
  const todayText = formatDates(today, today, 'long');

  const onReschedule = useCallback(
    (item: Item, dates: ItemDates, source: RescheduleSource) => {
      try {
        updateItem(doc, item.id, { start: dates.start, end: dates.end });
        setFailure(null);
        announce(
          t('rescheduled', {
            title: item.title,
            dates: formatDates(dates.start, dates.end, 'long'),
          }),
        );
        // Lanes are sorted by start: the bar may change places, and focus must follow it.
        if (source === 'keyboard') refocusRef.current = item.id;
      } catch (error) {
        setFailure({ title: item.title, failure: toEditFailure(error) });
      }
    },
    [doc, announce, t, formatDates],
  );

  useLayoutEffect(() => {
    const itemId = refocusRef.current;
    refocusRef.current = null;
    if (!itemId) return;
    const bar = canvasRef.current?.querySelector<HTMLElement>(
      `[data-testid="timeline-bar"][data-item-id="${CSS.escape(itemId)}"]`,
    );
    if (!bar) return;
    if (document.activeElement !== bar) bar.focus({ preventScroll: true });
    bar.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [items]);

  const trackWidth = (range.endDay - range.firstDay) * perDay;

  return (
    <section className={styles.timeline} aria-label={t('region')} data-testid="timeline">
      <div className={styles.controls}>
        <fieldset className={styles.zoom}>
          <legend>{t('zoom')}</legend>
          <div className={styles.zoomOptions}>
            {(['month', 'quarter'] as const).map((option) => (
              <button
                key={option}
                type="button"
                aria-pressed={zoom === option}
                onClick={() => setZoom(option)}
              >
                {option === 'month' ? t('zoomMonth') : t('zoomQuarter')}
              </button>
            ))}
          </div>
        </fieldset>
        <ul className={styles.legend} aria-label={t('legend')}>
          {itemStatuses.map((status) => (
            <li key={status}>
              <span
                className={styles.swatch}
                style={{
                  ['--status-color' as string]: `var(--status-${status.replace('_', '-')})`,
                }}
                aria-hidden="true"
              />
              <StatusName status={status} />
            </li>
          ))}
        </ul>
      </div>

      {canEdit ? <p className={styles.hint}>{t('hint')}</p> : null}
      <p id={instructionsId} className="visually-hidden">
        {canEdit ? t('instructions') : t('readOnlyInstructions')}
      </p>
      {!todayInRange ? (
        <p className={styles.todayNote} data-testid="timeline-today-note">
          {todayDay < range.firstDay
            ? t('todayBefore', { date: todayText })
            : t('todayAfter', { date: todayText })}
        </p>
      ) : null}

      {failure ? (
        <div className={styles.error} role="alert">
          <p>
            <strong>{t('failed', { title: failure.title })}</strong>{' '}
            {editErrors(failure.failure.code)}
            {failure.failure.detail ? (
              // The domain explains in English; kept as a detail someone can quote to support.
              <span className={styles.errorDetail} lang="en">
                {failure.failure.detail}
              </span>
            ) : null}
          </p>
          <button type="button" className={styles.dismiss} onClick={() => setFailure(null)}>
            {t('dismiss')}
          </button>
        </div>
      ) : null}

      {lanes.length === 0 ? (
        <p className={styles.empty}>{t('empty')}</p>
      ) : (
        <div className={styles.scroller}>
          <div
            ref={canvasRef}
            className={styles.canvas}
            style={{
              ['--track-width' as string]: `${trackWidth}px`,
              // Without month names the header needs two lines, not three.
              ['--header-height' as string]: zoom === 'month' ? '4.5rem' : '3rem',
            }}
          >
            <TimelineHeader
              range={range}
              perDay={perDay}
              zoom={zoom}
              title={t('activity')}
              todayDay={todayInRange ? todayDay : null}
            />
            <TimelineGrid
              range={range}
              perDay={perDay}
              todayDay={todayInRange ? todayDay : null}
              todayLabel={t('today')}
            />
            {lanes.map((lane) => (
              <div key={lane.id} role="group" aria-labelledby={`${instructionsId}-lane-${lane.id}`}>
                <div className={styles.lane} data-colour={lane.colour}>
                  <h3 className={styles.laneTitle} id={`${instructionsId}-lane-${lane.id}`}>
                    <span>{lane.name ?? t('noWorkstream')}</span>
                    <span className={styles.laneCount}>
                      {t('count', { count: lane.items.length })}
                    </span>
                  </h3>
                </div>
                {lane.items.map((item) => (
                  <TimelineRow
                    key={item.id}
                    item={item}
                    colour={lane.colour}
                    range={range}
                    perDay={perDay}
                    canEdit={canEdit}
                    describedBy={instructionsId}
                    formatDates={formatDates}
                    onOpen={onOpenItem}
                    onReschedule={onReschedule}
                  />
                ))}
              </div>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

function StatusName({ status }: { status: Item['status'] }) {
  const statuses = useTranslations('Statuses');
  return <>{statuses(status)}</>;
}
