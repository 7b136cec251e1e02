'use client';

import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  MouseSensor,
  TouchSensor,
  useSensor,
  useSensors,
  type Announcements,
  closestCenter,
  pointerWithin,
  type CollisionDetection,
  type DragEndEvent,
  type DragMoveEvent,
  type DragOverEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
} from '@dnd-kit/core';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';

import {
  itemStatuses,
  moveItem,
  moveWorkstream,
  type Item,
  type ItemStatus,
} from '../../../../domain/plan-document';
import type { Dragging } from '../../../../domain/presence';
import type { PlanMember } from '../../../../domain/roles';
import { setLocalDragging, setLocalFocus } from '../../../lib/plan-connection';
import { toEditFailure } from '../edit-error';
import {
  CardPreview,
  dragInstructionsId,
  type CardPerson,
  type FocusHandoff,
  type FocusTarget,
} from '../item-card';
import { AddWorkstream } from './board/add-workstream';
import { BoardCell, noRemoteDrops, type RemoteDrop } from './board/board-cell';
import {
  BoardLayoutCache,
  cellKey,
  countByStatus,
  isSamePlace,
  neighboursAt,
  otherLaneKey,
  parseCellKey,
  stepTarget,
  type CellKey,
  type DropTarget,
  type Step,
} from './board/board-layout';
import styles from './board/board.module.css';
import { CellDroppable, DragBridge, type DragBridgeHandle } from './board/drag-bridge';
import { LaneBody, eagerPlanSize } from './board/lane-body';
import { LaneHeader } from './board/lane-header';
import { workstreamPalette } from './board/workstream-colours';
import type { PlanViewProps } from './view-props';

const arrowSteps: Partial<Record<string, Step>> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
};

/** Others learn where a card is going at most this often while it is dragged. */
const presenceInterval = 100;

const emptyItems: Item[] = [];

/** About how tall a lane's cards stand: its fullest column at a card's usual height. */
function estimateLaneHeight(cells: Record<ItemStatus, Item[]>): number {
  const fullest = Math.max(...Object.values(cells).map((list) => list.length));
  return 48 + fullest * 120;
}

/**
 * The board: a lane per workstream (in the plan's order), a column per status. Editors drag cards
 * into any cell between any two cards (mouse, touch, keyboard); the drag itself travels in
 * presence, and only the drop writes to the plan, once.
 */
export function BoardView({
  doc,
  awareness,
  meta,
  workstreams,
  items,
  allItems,
  members,
  presence,
  canEdit,
  user,
  onOpenItem,
  announce,
}: PlanViewProps) {
  const t = useTranslations('Board');
  const dnd = useTranslations('BoardDnd');
  const lanesText = useTranslations('Workstreams');
  const statuses = useTranslations('Statuses');
  const editErrors = useTranslations('EditErrors');

  // ---- Layout -------------------------------------------------------------------------------

  const [layoutCache] = useState(() => new BoardLayoutCache());
  const lanes = useMemo(
    () => layoutCache.layout(items, workstreams),
    [layoutCache, items, workstreams],
  );

  const cells = useMemo(() => {
    const map = new Map<CellKey, Item[]>();
    for (const lane of lanes) {
      for (const status of itemStatuses) map.set(cellKey(status, lane.key), lane.cells[status]);
    }
    return map;
  }, [lanes]);
  const counts = useMemo(() => countByStatus(items), [items]);
  const memberMap = useMemo(
    () => new Map<string, PlanMember>(members.map((member) => [member.id, member])),
    [members],
  );
  const itemsById = useMemo(() => new Map(allItems.map((item) => [item.id, item])), [allItems]);
  const laneNameOf = useCallback(
    (laneKey: string) =>
      workstreams.find((workstream) => workstream.id === laneKey)?.name ?? t('noWorkstream'),
    [workstreams, t],
  );

  // ---- Who is where -------------------------------------------------------------------------

  const { focusByItem, movingByItem, remoteDropsByCell } = useMemo(() => {
    const focus = new Map<string, CardPerson[]>();
    const moving = new Map<string, CardPerson>();
    const drops = new Map<CellKey, RemoteDrop[]>();
    const known = new Set(workstreams.map((workstream) => workstream.id));
    for (const person of presence) {
      if (person.isSelf) continue;
      const shown: CardPerson = { name: person.name, color: person.color };
      if (person.focus) focus.set(person.focus, [...(focus.get(person.focus) ?? []), shown]);
      const dragging = person.dragging;
      if (!dragging) continue;
      moving.set(dragging.itemId, shown);
      const key = cellKey(
        dragging.status,
        known.has(dragging.workstreamId) ? dragging.workstreamId : otherLaneKey,
      );
      const { before } = neighboursAt(
        cells.get(key) ?? emptyItems,
        dragging.itemId,
        dragging.index,
      );
      const title = itemsById.get(dragging.itemId)?.title.trim() || '…';
      drops.set(key, [...(drops.get(key) ?? []), { beforeId: before, person: shown, title }]);
    }
    return { focusByItem: focus, movingByItem: moving, remoteDropsByCell: drops };
  }, [presence, workstreams, cells, itemsById]);

  // ---- Focus and small edits ----------------------------------------------------------------

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

  const onMoveLane = useCallback(
    (workstreamId: string, direction: 'up' | 'down') => {
      const index = workstreams.findIndex((workstream) => workstream.id === workstreamId);
      const workstream = workstreams[index];
      if (!workstream) return;
      const to = direction === 'up' ? index - 1 : index + 1;
      if (to < 0 || to >= workstreams.length) return;
      const place =
        direction === 'up'
          ? {
              after: workstreams[index - 2]?.id ?? null,
              before: workstreams[index - 1]?.id ?? null,
            }
          : {
              after: workstreams[index + 1]?.id ?? null,
              before: workstreams[index + 2]?.id ?? null,
            };
      try {
        moveWorkstream(doc, workstreamId, place);
        announce(
          lanesText('moved', {
            name: workstream.name,
            position: to + 1,
            total: workstreams.length,
          }),
        );
        // The lane's buttons moved with it; keep the focus on the one pressed, or its twin at an end.
        requestAnimationFrame(() => {
          const pressed = document.getElementById(`lane-${workstreamId}-${direction}`);
          const twin = document.getElementById(
            `lane-${workstreamId}-${direction === 'up' ? 'down' : 'up'}`,
          );
          if (pressed instanceof HTMLButtonElement && !pressed.disabled) pressed.focus();
          else twin?.focus();
        });
      } catch (error) {
        announce(editErrors(toEditFailure(error).code));
      }
    },
    [workstreams, doc, announce, lanesText, editErrors],
  );
  const onLaneRenamed = useCallback(
    (name: string) => announce(lanesText('saved', { name })),
    [announce, lanesText],
  );
  const onLaneAdded = useCallback(
    (name: string) => announce(lanesText('added', { name })),
    [announce, lanesText],
  );

  // ---- Dragging -----------------------------------------------------------------------------

  const [activeItem, setActiveItem] = useState<Item | null>(null);
  const [target, setTarget] = useState<DropTarget | null>(null);
  const activeRef = useRef<Item | null>(null);
  const targetRef = useRef<DropTarget | null>(null);
  /** The place the arrow keys chose, while a drag is made with the keyboard. */
  const keyboardTargetRef = useRef<DropTarget | null>(null);
  /** The pointer in window coordinates, while a drag is made with a mouse or a finger. */
  const pointerRef = useRef<{ x: number; y: number } | null>(null);
  const announcedRef = useRef<string | null>(null);
  const cellsRef = useRef(cells);
  const laneKeysRef = useRef<string[]>([]);
  useEffect(() => {
    cellsRef.current = cells;
    laneKeysRef.current = lanes.map((lane) => lane.key);
  }, [cells, lanes]);

  // Where the card would land goes to the others at most every 100 ms, and the last place always.
  const sentAtRef = useRef(0);
  const timerRef = useRef<ReturnType<typeof setTimeout> | null>(null);
  const publishDragging = useCallback(
    (dragging: Dragging | null) => {
      if (timerRef.current) clearTimeout(timerRef.current);
      timerRef.current = null;
      const wait = presenceInterval - (Date.now() - sentAtRef.current);
      if (dragging === null || wait <= 0) {
        sentAtRef.current = Date.now();
        setLocalDragging(awareness, dragging);
        return;
      }
      timerRef.current = setTimeout(() => {
        timerRef.current = null;
        sentAtRef.current = Date.now();
        setLocalDragging(awareness, dragging);
      }, wait);
    },
    [awareness],
  );
  useEffect(
    () => () => {
      if (timerRef.current) clearTimeout(timerRef.current);
      setLocalDragging(awareness, null);
    },
    [awareness],
  );

  /** Whether the moving card may go to a lane: "Other activities" takes back only its own. */
  const mayEnter = useCallback(
    (key: CellKey) => {
      const item = activeRef.current;
      if (!item || parseCellKey(key)?.laneKey !== otherLaneKey) return true;
      return !workstreams.some((workstream) => workstream.id === item.workstreamId);
    },
    [workstreams],
  );

  const placeOf = useCallback((drop: DropTarget, item: Item) => {
    const parsed = parseCellKey(drop.cellKey);
    if (!parsed) return null;
    return {
      status: parsed.status,
      laneKey: parsed.laneKey,
      // "Other activities" has no workstream of its own: a card there keeps the one it names.
      workstreamId: parsed.laneKey === otherLaneKey ? item.workstreamId : parsed.laneKey,
    };
  }, []);

  const describe = useCallback(
    (drop: DropTarget, item: Item) => {
      const place = placeOf(drop, item);
      if (!place) return '';
      const list = cellsRef.current.get(drop.cellKey) ?? emptyItems;
      const total = list.filter((other) => other.id !== item.id).length + 1;
      return dnd('place', {
        status: statuses(place.status),
        workstream: laneNameOf(place.laneKey),
        position: drop.index + 1,
        total,
      });
    },
    [placeOf, dnd, statuses, laneNameOf],
  );

  const updateTarget = useCallback(
    (next: DropTarget | null, item: Item) => {
      const current = targetRef.current;
      if (current?.cellKey === next?.cellKey && current?.index === next?.index) return;
      targetRef.current = next;
      setTarget(next);
      const place = next ? placeOf(next, item) : null;
      if (next && place) {
        publishDragging({
          itemId: item.id,
          status: place.status,
          workstreamId: place.workstreamId,
          index: next.index,
        });
      }
    },
    [placeOf, publishDragging],
  );

  /** The cells' elements, looked up once per drag. */
  const cellElementsRef = useRef<Map<string, Element> | null>(null);
  const cellElementOf = useCallback((key: CellKey) => {
    if (!cellElementsRef.current) {
      cellElementsRef.current = new Map(
        [...document.querySelectorAll<HTMLElement>('[data-cell-key]')].map((element) => [
          element.dataset.cellKey ?? '',
          element,
        ]),
      );
    }
    return cellElementsRef.current.get(key) ?? null;
  }, []);

  const onPointerMove = useCallback((event: PointerEvent) => {
    pointerRef.current = { x: event.clientX, y: event.clientY };
  }, []);

  const finishDrag = useCallback(() => {
    window.removeEventListener('pointermove', onPointerMove, true);
    activeRef.current = null;
    targetRef.current = null;
    keyboardTargetRef.current = null;
    pointerRef.current = null;
    announcedRef.current = null;
    cellElementsRef.current = null;
    setActiveItem(null);
    setTarget(null);
    publishDragging(null);
  }, [publishDragging, onPointerMove]);

  const onDragStart = useCallback(
    ({ active, activatorEvent }: DragStartEvent) => {
      const item = itemsById.get(String(active.id));
      const data = active.data.current as { cellKey?: CellKey } | undefined;
      if (!item || !data?.cellKey) return;
      activeRef.current = item;
      setActiveItem(item);
      const list = cellsRef.current.get(data.cellKey) ?? emptyItems;
      const start: DropTarget = {
        cellKey: data.cellKey,
        index: Math.max(
          0,
          list.findIndex((other) => other.id === item.id),
        ),
      };
      if (activatorEvent instanceof KeyboardEvent) keyboardTargetRef.current = start;
      else window.addEventListener('pointermove', onPointerMove, true);
      updateTarget(start, item);
    },
    [itemsById, updateTarget, onPointerMove],
  );

  /**
   * The target follows the drag: its cell is dnd-kit's `over`; the place in the cell is the
   * arrow keys' choice, or the first card whose middle is below the pointer (read from the
   * cards of that one cell, so a move costs a few rectangles, not the whole board).
   */
  const onDragMove = useCallback(
    ({ over }: DragMoveEvent | DragOverEvent) => {
      const item = activeRef.current;
      if (!item) return;
      const key = (over?.data.current as { cellKey?: CellKey } | undefined)?.cellKey;
      if (!key) return updateTarget(null, item);
      const chosen = keyboardTargetRef.current;
      if (chosen) return updateTarget(chosen.cellKey === key ? chosen : null, item);
      const pointer = pointerRef.current;
      const cellElement = cellElementOf(key);
      let index = 0;
      if (pointer && cellElement) {
        for (const element of cellElement.querySelectorAll<HTMLElement>('[data-item-id]')) {
          if (element.dataset.itemId === item.id) continue;
          const rect = element.getBoundingClientRect();
          if (rect.top + rect.height / 2 < pointer.y) index++;
          else break;
        }
      }
      updateTarget({ cellKey: key, index }, item);
    },
    [updateTarget, cellElementOf],
  );

  const onDragEnd = useCallback(
    ({ over }: DragEndEvent) => {
      const item = activeRef.current;
      const drop = targetRef.current;
      finishDrag();
      if (!item) return;
      const place = drop ? placeOf(drop, item) : null;
      if (!drop || !place || !over) {
        announce(dnd('notMoved', { title: item.title }));
        return;
      }
      const list = cellsRef.current.get(drop.cellKey) ?? emptyItems;
      const known = workstreams.some((workstream) => workstream.id === item.workstreamId);
      const sourceKey = cellKey(item.status, known ? item.workstreamId : otherLaneKey);
      if (sourceKey === drop.cellKey && isSamePlace(list, item.id, drop.index)) {
        announce(dnd('droppedInPlace', { title: item.title }));
        return;
      }
      const { after, before } = neighboursAt(list, item.id, drop.index);
      // The card remounts in its new cell: its drag handle takes the focus back there.
      if (sourceKey !== drop.cellKey) focusHandoff.request(item.id, 'handle');
      try {
        moveItem(doc, item.id, {
          status: place.status,
          workstreamId: place.workstreamId,
          after,
          before,
        });
        announce(dnd('dropped', { title: item.title, place: describe(drop, item) }));
      } catch (error) {
        focusHandoff.claim(item.id);
        announce(
          `${dnd('notMoved', { title: item.title })} ${editErrors(toEditFailure(error).code)}`,
        );
      }
    },
    [finishDrag, placeOf, announce, dnd, workstreams, focusHandoff, doc, describe, editErrors],
  );

  /** The cell under the pointer (or the nearest), or the one the arrow keys chose. */
  const collisionDetection = useCallback<CollisionDetection>(
    (args) => {
      const containers = args.droppableContainers.filter((container) => {
        const key = (container.data.current as { cellKey?: CellKey } | undefined)?.cellKey;
        return key !== undefined && mayEnter(key);
      });
      if (!args.pointerCoordinates) {
        const chosen = keyboardTargetRef.current?.cellKey;
        const container = containers.find((c) => c.id === `cell:${chosen}`);
        return container ? [{ id: container.id, data: { droppableContainer: container } }] : [];
      }
      const within = pointerWithin({ ...args, droppableContainers: containers });
      return (
        within.length > 0 ? within : closestCenter({ ...args, droppableContainers: containers })
      ).slice(0, 1);
    },
    [mayEnter],
  );

  /** The arrow keys move the card place by place (see `stepTarget`), not pixel by pixel. */
  const keyboardCoordinates = useCallback<KeyboardCoordinateGetter>(
    (event, { currentCoordinates }) => {
      const step = arrowSteps[event.code];
      const item = activeRef.current;
      const current = keyboardTargetRef.current;
      if (!step || !item || !current) return undefined;
      event.preventDefault();
      const lanesAllowed = laneKeysRef.current.filter((key) => mayEnter(cellKey('planned', key)));
      const next = stepTarget(step, current, item.id, lanesAllowed, cellsRef.current);
      if (!next) return currentCoordinates;
      keyboardTargetRef.current = next;
      // Show the card where it would land: over the card it would go before, or the cell's end.
      const cellElement = cellElementOf(next.cellKey);
      const cards = [
        ...(cellElement?.querySelectorAll<HTMLElement>('[data-item-id]') ?? []),
      ].filter((element) => element.dataset.itemId !== item.id);
      const anchor = cards[next.index] ?? cellElement?.querySelector('[data-cell-end]') ?? null;
      const rect = anchor?.getBoundingClientRect();
      // A move inside one cell can land on the same spot: nudge it so that the drag follows.
      return rect
        ? { x: rect.left, y: rect.top + (rect.top === currentCoordinates.y ? 1 : 0) }
        : currentCoordinates;
    },
    [mayEnter, cellElementOf],
  );

  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 4 } }),
    // A short press before a drag, so that a swipe over the handle still scrolls the board.
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: keyboardCoordinates }),
  );

  const accessibility = useMemo(() => {
    const titleOf = (id: string | number) => itemsById.get(String(id))?.title.trim() || '…';
    /** Says where the card would go, once per new place. */
    const whereNow = (id: string | number) => {
      const item = activeRef.current;
      const drop = targetRef.current;
      const said = drop ? `${drop.cellKey}#${drop.index}` : 'nowhere';
      if (announcedRef.current === said) return undefined;
      announcedRef.current = said;
      return item && drop
        ? dnd('over', { title: titleOf(id), place: describe(drop, item) })
        : dnd('overNowhere', { title: titleOf(id) });
    };
    const announcements: Announcements = {
      onDragStart: ({ active }) => {
        const item = activeRef.current;
        const drop = targetRef.current;
        announcedRef.current = drop ? `${drop.cellKey}#${drop.index}` : null;
        return dnd('pickedUp', {
          title: titleOf(active.id),
          place: item && drop ? describe(drop, item) : '',
        });
      },
      onDragMove: ({ active }) => whereNow(active.id),
      onDragOver: ({ active }) => whereNow(active.id),
      // The drop is announced by the board once the plan has changed.
      onDragEnd: () => undefined,
      onDragCancel: ({ active }) => dnd('cancelled', { title: titleOf(active.id) }),
    };
    return {
      announcements,
      screenReaderInstructions: { draggable: dnd('instructions') },
    };
  }, [itemsById, dnd, describe]);

  // ---- Layout: column headings follow the lanes' horizontal scroll ---------------------------

  const bridgeRef = useRef<DragBridgeHandle>(null);
  const headsRef = useRef<HTMLDivElement>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const syncHeads = useCallback(() => {
    if (headsRef.current && scrollerRef.current) {
      headsRef.current.scrollLeft = scrollerRef.current.scrollLeft;
    }
  }, []);

  const dropBefore = (key: CellKey): string | null | undefined => {
    if (!activeItem || target?.cellKey !== key) return undefined;
    return neighboursAt(cells.get(key) ?? emptyItems, activeItem.id, target.index).before;
  };

  const board = (
    <div
      className={styles.boardView}
      data-testid="board-view"
      onMouseDown={canEdit ? (event) => bridgeRef.current?.start('onMouseDown', event) : undefined}
      onTouchStart={
        canEdit ? (event) => bridgeRef.current?.start('onTouchStart', event) : undefined
      }
      onKeyDown={canEdit ? (event) => bridgeRef.current?.start('onKeyDown', event) : undefined}
    >
      <div ref={headsRef} className={styles.headsViewport}>
        <div className={`${styles.grid} ${styles.heads}`}>
          {itemStatuses.map((status) => (
            <div key={status} className={`${styles.columnHead} ${styles[status]}`}>
              <h2 className={styles.columnTitle}>
                <span className={styles.statusDot} aria-hidden="true" />
                {statuses(status)}
              </h2>
              <span className={styles.count} data-testid={`count-${status}`}>
                <span className="visually-hidden">{t('itemCount', { count: counts[status] })}</span>
                <span aria-hidden="true">{counts[status]}</span>
              </span>
            </div>
          ))}
        </div>
      </div>

      <div
        ref={scrollerRef}
        className={styles.scroller}
        onScroll={syncHeads}
        role="region"
        aria-label={t('lanesLabel')}
        // Scrollable regions take the keyboard too (axe: scrollable-region-focusable).
        tabIndex={0}
      >
        <div className={styles.lanes}>
          {lanes.length === 0 ? <p className={styles.noLanes}>{lanesText('none')}</p> : null}
          {lanes.map((lane, index) => {
            const colour = workstreamPalette[lane.workstream?.colour ?? 'slate'];
            const headingId = `lane-heading-${lane.key || 'other'}`;
            return (
              <section
                key={lane.key || 'other'}
                className={styles.lane}
                style={
                  {
                    '--lane-strong': colour.strong,
                    '--lane-soft': colour.soft,
                    '--lane-text': colour.text,
                  } as CSSProperties
                }
                aria-labelledby={headingId}
                data-testid="lane"
                data-lane={lane.key}
              >
                <LaneHeader
                  laneKey={lane.key}
                  workstream={lane.workstream}
                  count={lane.count}
                  headingId={headingId}
                  doc={doc}
                  canEdit={canEdit}
                  isFirst={index === 0}
                  isLast={index === workstreams.length - 1}
                  onMove={onMoveLane}
                  onRenamed={onLaneRenamed}
                />
                <LaneBody
                  eager={items.length <= eagerPlanSize || index < 2}
                  estimatedHeight={estimateLaneHeight(lane.cells)}
                >
                  <div className={styles.grid}>
                    {itemStatuses.map((status) => {
                      const key = cellKey(status, lane.key);
                      return (
                        <BoardCell
                          key={status}
                          status={status}
                          laneKey={lane.key}
                          workstream={lane.workstream}
                          items={lane.cells[status]}
                          doc={doc}
                          meta={meta}
                          workstreams={workstreams}
                          canEdit={canEdit}
                          defaultOrganisation={user.organisation}
                          members={memberMap}
                          focusHandoff={focusHandoff}
                          focusByItem={focusByItem}
                          movingByItem={movingByItem}
                          dropBeforeId={dropBefore(key)}
                          remoteDrops={remoteDropsByCell.get(key) ?? noRemoteDrops}
                          onFocusItem={onFocusItem}
                          onStatusChanged={onStatusChanged}
                          onItemCreated={onItemCreated}
                          onOpenItem={onOpenItem}
                        />
                      );
                    })}
                  </div>
                </LaneBody>
              </section>
            );
          })}
        </div>
      </div>
      {canEdit ? (
        <AddWorkstream doc={doc} count={workstreams.length} onAdded={onLaneAdded} />
      ) : null}
    </div>
  );

  return (
    <>
      {board}
      <DndContext
        id={dragInstructionsId}
        sensors={sensors}
        collisionDetection={collisionDetection}
        accessibility={accessibility}
        onDragStart={onDragStart}
        onDragMove={onDragMove}
        onDragOver={onDragMove}
        onDragEnd={onDragEnd}
        onDragCancel={finishDrag}
      >
        <DragBridge ref={bridgeRef} disabled={!canEdit} />
        {canEdit
          ? [...cells.keys()].map((key) => (
              <CellDroppable key={key} cellKey={key} disabled={false} cells={cells} />
            ))
          : null}
        <DragOverlay dropAnimation={null}>
          {activeItem ? <CardPreview item={activeItem} /> : null}
        </DragOverlay>
      </DndContext>
    </>
  );
}
