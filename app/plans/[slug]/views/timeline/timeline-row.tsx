'use client';

import { useTranslations } from 'next-intl';
import { memo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';

import type { Item, WorkstreamColour } from '../../../../../domain/plan-document';
import {
  barGeometry,
  dayNumber,
  dragDates,
  isoDate,
  shiftDates,
  type DragMode,
  type ItemDates,
  type TimelineRange,
} from './timeline-scale';
import styles from './timeline.module.css';

/** How far a pointer must travel before a press becomes a drag (a shaky click still opens). */
const dragThreshold = 4;

export type RescheduleSource = 'pointer' | 'keyboard';

interface Drag {
  pointerId: number;
  x: number;
  mode: DragMode;
  moved: boolean;
}

/**
 * One activity on the timeline: its title in the sticky column and a bar from its start to its
 * end. Editors drag the bar or its ends; the bar moves here only, and the document hears of it
 * once, when the pointer lets go. Memoized: a drag re-renders this row and no other.
 */
export const TimelineRow = memo(function TimelineRow({
  item,
  colour,
  range,
  perDay,
  canEdit,
  describedBy,
  formatDates,
  onOpen,
  onReschedule,
}: {
  item: Item;
  colour: WorkstreamColour;
  range: TimelineRange;
  perDay: number;
  canEdit: boolean;
  describedBy: string;
  formatDates: (start: string, end: string, month: 'short' | 'long') => string;
  onOpen: (itemId: string) => void;
  onReschedule: (item: Item, dates: ItemDates, source: RescheduleSource) => void;
}) {
  const t = useTranslations('Timeline');
  const statuses = useTranslations('Statuses');
  const [preview, setPreview] = useState<ItemDates | null>(null);
  const dragRef = useRef<Drag | null>(null);
  const suppressClickRef = useRef(false);

  const dates = preview ?? { start: item.start, end: item.end };
  const geometry = barGeometry(dates.start, dates.end, range, perDay);
  const dateText = formatDates(dates.start, dates.end, 'short');
  const clipNotes = [
    geometry.clippedStart ? t('startsBefore') : null,
    geometry.clippedEnd ? t('endsAfter') : null,
  ].filter(Boolean);
  const label = [
    t('bar', { title: item.title, dates: dateText, status: statuses(item.status) }),
    ...clipNotes,
  ].join(', ');

  function onPointerDown(event: PointerEvent<HTMLButtonElement>) {
    // A touch drag is not followed by a click: the mark left by the last drag ends here.
    suppressClickRef.current = false;
    if (!canEdit || event.button !== 0) return;
    const edge = (event.target as HTMLElement).closest<HTMLElement>('[data-edge]')?.dataset.edge;
    const mode: DragMode = edge === 'start' || edge === 'end' ? edge : 'move';
    dragRef.current = { pointerId: event.pointerId, x: event.clientX, mode, moved: false };
    event.currentTarget.setPointerCapture(event.pointerId);
  }

  function datesFor(drag: Drag, clientX: number): ItemDates {
    return dragDates(
      { start: item.start, end: item.end },
      drag.mode,
      clientX - drag.x,
      perDay,
      range,
    );
  }

  function onPointerMove(event: PointerEvent<HTMLButtonElement>) {
    const drag = dragRef.current;
    if (!drag || drag.pointerId !== event.pointerId) return;
    if (!drag.moved && Math.abs(event.clientX - drag.x) < dragThreshold) return;
    drag.moved = true;
    const next = datesFor(drag, event.clientX);
    setPreview((current) =>
      current && current.start === next.start && current.end === next.end ? current : next,
    );
  }

  function onPointerUp(event: PointerEvent<HTMLButtonElement>) {
    const drag = dragRef.current;
    if (!drag || drag.pointerId !== event.pointerId) return;
    dragRef.current = null;
    if (!drag.moved) return;
    // The click that follows a drag must not open the details.
    suppressClickRef.current = true;
    const next = datesFor(drag, event.clientX);
    setPreview(null);
    if (next.start !== item.start || next.end !== item.end) onReschedule(item, next, 'pointer');
  }

  function onPointerCancel() {
    dragRef.current = null;
    setPreview(null);
  }

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    if (!canEdit) return;
    if (event.key === 'Escape' && dragRef.current) {
      onPointerCancel();
      return;
    }
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const days = (event.key === 'ArrowLeft' ? -1 : 1) * (event.shiftKey ? 7 : 1);
    const current = { start: item.start, end: item.end };
    // Resizing asks the writer, which refuses an end before the start with a message.
    const next = event.altKey
      ? { start: item.start, end: isoDate(dayNumber(item.end) + days) }
      : shiftDates(current, 'move', days, range);
    if (next.start !== item.start || next.end !== item.end) onReschedule(item, next, 'keyboard');
  }

  const className = [styles.bar, canEdit ? styles.editable : '', preview ? styles.dragging : '']
    .filter(Boolean)
    .join(' ');

  return (
    <div className={styles.row} data-colour={colour} data-testid="timeline-row">
      <div className={styles.rowTitle}>
        <span className={styles.rowTitleText} title={item.title}>
          {item.title}
        </span>
      </div>
      <div className={styles.track}>
        <button
          type="button"
          className={className}
          style={{ left: geometry.left, width: geometry.width }}
          data-testid="timeline-bar"
          data-item-id={item.id}
          data-status={item.status}
          data-start={dates.start}
          data-end={dates.end}
          data-clip-start={geometry.clippedStart}
          data-clip-end={geometry.clippedEnd}
          aria-label={label}
          aria-describedby={describedBy}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerCancel}
          onLostPointerCapture={() => {
            if (dragRef.current) onPointerCancel();
          }}
          onKeyDown={onKeyDown}
          onClick={() => {
            if (suppressClickRef.current) {
              suppressClickRef.current = false;
              return;
            }
            onOpen(item.id);
          }}
        >
          {geometry.clippedStart ? (
            <span className={styles.clipStart} aria-hidden="true">
              ◀
            </span>
          ) : null}
          <span className={styles.barText} aria-hidden="true">
            {item.title}
          </span>
          {geometry.clippedEnd ? (
            <span className={styles.clipEnd} aria-hidden="true">
              ▶
            </span>
          ) : null}
          {canEdit ? (
            <>
              <span
                className={`${styles.handle} ${styles.handleStart}`}
                data-edge="start"
                aria-hidden="true"
              />
              <span
                className={`${styles.handle} ${styles.handleEnd}`}
                data-edge="end"
                aria-hidden="true"
              />
            </>
          ) : null}
        </button>
        {preview ? (
          <span
            className={styles.dragDates}
            style={{ left: geometry.left + geometry.width + 6 }}
            aria-hidden="true"
          >
            {dateText}
          </span>
        ) : null}
      </div>
    </div>
  );
});
