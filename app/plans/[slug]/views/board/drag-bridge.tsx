'use client';

import { useDraggable, useDroppable, type DraggableSyntheticListeners } from '@dnd-kit/core';
import {
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
  type Ref,
  type SyntheticEvent,
} from 'react';
import { flushSync } from 'react-dom';

import type { CellKey } from './board-layout';

/**
 * Why this exists: dnd-kit's provider changes its context on every pointer move, and React then
 * walks every component under the provider to find the ones that read it. With 2,000 cards under
 * it, that walk alone took most of each frame. So the board is not under the provider: one
 * draggable (this bridge) and the cells' drop targets are, as small components that point
 * dnd-kit at the board's DOM nodes. A press on a card's handle arms the bridge with that card,
 * synchronously, and hands the event on to dnd-kit's own sensors.
 */

export interface DragBridgeHandle {
  /** Points the bridge at a card and passes the press on; false when it is not a drag handle. */
  start: (eventName: keyof NonNullable<DraggableSyntheticListeners>, event: SyntheticEvent) => void;
}

type Armed = { itemId: string; cellKey: CellKey; node: HTMLElement; handle: HTMLElement };

export function DragBridge({ ref, disabled }: { ref: Ref<DragBridgeHandle>; disabled: boolean }) {
  const [armed, setArmed] = useState<Armed | null>(null);
  const { listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({
    id: armed?.itemId ?? 'none',
    data: { type: 'card', cellKey: armed?.cellKey },
    disabled: disabled || armed === null,
  });

  const listenersRef = useRef(listeners);
  useLayoutEffect(() => {
    setNodeRef(armed?.node ?? null);
    setActivatorNodeRef(armed?.handle ?? null);
    listenersRef.current = listeners;
  }, [armed, setNodeRef, setActivatorNodeRef, listeners]);

  useEffect(() => {
    if (!armed) return;
    armed.node.toggleAttribute('data-dragging', isDragging);
    return () => armed.node.removeAttribute('data-dragging');
  }, [armed, isDragging]);

  useImperativeHandle(
    ref,
    () => ({
      start: (eventName, event) => {
        if (disabled || isDragging || !(event.target instanceof Element)) return;
        const handle = event.target.closest<HTMLElement>('[data-drag-handle]');
        const node = handle?.closest<HTMLElement>('[data-item-id]');
        const cell = node?.closest<HTMLElement>('[data-cell-key]');
        const itemId = node?.dataset.itemId;
        const cellKey = cell?.dataset.cellKey as CellKey | undefined;
        if (!handle || !node || !itemId || !cellKey) return;
        // The card may have been re-rendered elsewhere since the last drag: arm it afresh.
        if (armed?.node !== node || armed.handle !== handle || armed.cellKey !== cellKey) {
          flushSync(() => setArmed({ itemId, cellKey, node, handle }));
        }
        // Read after the render that armed the card: these listeners know it.
        listenersRef.current?.[eventName]?.(event);
      },
    }),
    [armed, disabled, isDragging],
  );

  return null;
}

/** One cell as a drop target: dnd-kit measures the board's cell element. */
export function CellDroppable({
  cellKey,
  disabled,
  cells,
}: {
  cellKey: CellKey;
  disabled: boolean;
  /** Changes when the board re-renders its cells: the element is looked up again then. */
  cells: unknown;
}) {
  const { setNodeRef } = useDroppable({
    id: `cell:${cellKey}`,
    data: { type: 'cell', cellKey },
    disabled,
  });
  useLayoutEffect(() => {
    setNodeRef(document.querySelector<HTMLElement>(`[data-cell-key="${CSS.escape(cellKey)}"]`));
  }, [cellKey, setNodeRef, cells]);
  return null;
}
