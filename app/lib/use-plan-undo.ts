'use client';

/**
 * Undo and redo of this person's own plan changes (Y.UndoManager, via the domain module), with
 * the usual shortcuts: Ctrl+Z / ⌘Z, and Ctrl+Y / Ctrl+Shift+Z / ⌘⇧Z. Inside the description
 * editor the shortcuts belong to the editor, which keeps its own history of the text.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';

import { createPlanUndoManager } from '../../domain/plan-document';

export interface PlanUndo {
  canUndo: boolean;
  canRedo: boolean;
  undo: () => void;
  redo: () => void;
}

class UndoStore {
  readonly manager: Y.UndoManager;
  private snapshot = { canUndo: false, canRedo: false };

  constructor(doc: Y.Doc) {
    this.manager = createPlanUndoManager(doc);
  }

  subscribe = (listener: () => void) => {
    const onChange = () => {
      const next = {
        canUndo: this.manager.undoStack.length > 0,
        canRedo: this.manager.redoStack.length > 0,
      };
      if (next.canUndo !== this.snapshot.canUndo || next.canRedo !== this.snapshot.canRedo) {
        this.snapshot = next;
        listener();
      }
    };
    const events = ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const;
    for (const event of events) this.manager.on(event, onChange);
    return () => {
      for (const event of events) this.manager.off(event, onChange);
    };
  };

  getSnapshot = () => this.snapshot;
}

function isInRichTextEditor(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('[contenteditable="true"]') !== null;
}

export function usePlanUndo(doc: Y.Doc, enabled: boolean): PlanUndo {
  const store = useMemo(() => new UndoStore(doc), [doc]);
  useEffect(() => () => store.manager.destroy(), [store]);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);

  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      if (isInRichTextEditor(event.target)) return;
      const key = event.key.toLowerCase();
      const redo = key === 'y' || (key === 'z' && event.shiftKey);
      const undo = key === 'z' && !event.shiftKey;
      if (!undo && !redo) return;
      // The plan's own history replaces the browser's, which does not know about Yjs edits.
      event.preventDefault();
      if (redo) store.manager.redo();
      else store.manager.undo();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled, store]);

  return {
    ...state,
    undo: () => store.manager.undo(),
    redo: () => store.manager.redo(),
  };
}
