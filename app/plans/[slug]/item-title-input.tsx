'use client';

import { useTranslations } from 'next-intl';
import {
  useCallback,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type * as Y from 'yjs';

import { getItemTitleText, planLimits, setItemTitle } from '../../../domain/plan-document';
import { mapIndexThroughDelta, rebaseTextEdit, type TextDeltaOp } from '../../lib/rebase-text-edit';
import styles from './item-card.module.css';

type Selection = { start: number; end: number; direction: 'forward' | 'backward' | 'none' };

/** Titles are one line; a pasted line break becomes a space. */
function singleLine(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, ' ');
}

/**
 * Whether the browser sizes a text area to its content by itself (CSS `field-sizing`). Measuring
 * each of 2,000 titles by script forces a layout per title: quadratic, and a board that freezes.
 */
const sizesItself =
  typeof CSS !== 'undefined' && typeof CSS.supports === 'function'
    ? CSS.supports('field-sizing', 'content')
    : false;

/** A text area as tall as its text, so a long title wraps instead of hiding behind an ellipsis. */
function fitHeight(element: HTMLTextAreaElement): void {
  if (sizesItself) return;
  element.style.height = 'auto';
  const borders = element.offsetHeight - element.clientHeight;
  element.style.height = `${element.scrollHeight + borders}px`;
}

/**
 * An activity's title, edited in place. Every keystroke goes into the shared document at once,
 * so the others see it being typed; someone else's typing arrives in the input without moving
 * the caret. While an input method composes (pinyin, Khmer keyboards), nothing is sent: the
 * composed text is merged into whatever changed meanwhile when it is committed.
 */
export function ItemTitleInput({
  doc,
  itemId,
  initialTitle,
  onError,
}: {
  doc: Y.Doc;
  itemId: string;
  initialTitle: string;
  onError: (error: unknown) => void;
}) {
  const t = useTranslations('Card');
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const pendingSelectionRef = useRef<Selection | null>(null);
  const compositionRef = useRef<{ base: string; deltas: TextDeltaOp[][] } | null>(null);
  const titleOnFocusRef = useRef(initialTitle);
  // Some browsers send the composed text once more as an ordinary input after compositionend.
  const justComposedRef = useRef<string | null>(null);
  // The input's own text while an input method composes; the document's text otherwise.
  const [draft, setDraft] = useState<string | null>(null);

  const text = useMemo(() => getItemTitleText(doc, itemId), [doc, itemId]);
  const subscribe = useCallback(
    (notify: () => void) => {
      if (!text) return () => {};
      const observer = (event: Y.YTextEvent, transaction: Y.Transaction) => {
        // Our own writes start at the input: its caret is already right.
        if (!transaction.local) {
          const delta = event.delta as TextDeltaOp[];
          const element = inputRef.current;
          if (compositionRef.current) {
            compositionRef.current.deltas.push(delta);
          } else if (element && document.activeElement === element) {
            pendingSelectionRef.current = {
              start: mapIndexThroughDelta(element.selectionStart ?? 0, delta),
              end: mapIndexThroughDelta(element.selectionEnd ?? 0, delta),
              direction: element.selectionDirection ?? 'none',
            };
          }
        }
        notify();
      };
      text.observe(observer);
      return () => text.unobserve(observer);
    },
    [text],
  );
  const shared = useSyncExternalStore(
    subscribe,
    () => text?.toString() ?? initialTitle,
    () => initialTitle,
  );
  const value = draft ?? shared;

  useLayoutEffect(() => {
    const element = inputRef.current;
    if (!element) return;
    fitHeight(element);
    const selection = pendingSelectionRef.current;
    if (!selection) return;
    pendingSelectionRef.current = null;
    element.setSelectionRange(selection.start, selection.end, selection.direction);
  }, [value]);

  // The width changes with the window and the column: refit then too.
  useLayoutEffect(() => {
    const element = inputRef.current;
    if (!element || sizesItself || typeof ResizeObserver === 'undefined') return;
    let width = element.clientWidth;
    const observer = new ResizeObserver(() => {
      if (element.clientWidth === width) return;
      width = element.clientWidth;
      fitHeight(element);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  function write(title: string) {
    try {
      setItemTitle(doc, itemId, title);
    } catch (error) {
      onError(error);
    }
  }

  return (
    <textarea
      ref={inputRef}
      className={styles.titleInput}
      rows={1}
      value={value}
      maxLength={planLimits.itemTitleLength}
      aria-label={t('title')}
      placeholder={t('untitled')}
      onFocus={() => {
        titleOnFocusRef.current = value;
      }}
      onChange={(event) => {
        const next = singleLine(event.target.value);
        const repeat = justComposedRef.current === next;
        justComposedRef.current = null;
        if (repeat) return;
        if (compositionRef.current) setDraft(next);
        else write(next);
      }}
      onCompositionStart={() => {
        compositionRef.current = { base: shared, deltas: [] };
        setDraft(shared);
      }}
      onCompositionEnd={(event) => {
        const pending = compositionRef.current;
        compositionRef.current = null;
        const local = singleLine(event.currentTarget.value);
        justComposedRef.current = local;
        setDraft(null);
        if (!pending || !text || pending.deltas.length === 0) {
          write(local);
          return;
        }
        const merged = rebaseTextEdit(pending.base, local, text.toString(), pending.deltas);
        pendingSelectionRef.current = { start: merged.caret, end: merged.caret, direction: 'none' };
        write(merged.text);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
          event.preventDefault();
          event.currentTarget.blur();
        }
      }}
      onBlur={() => {
        // An activity keeps a title: emptied and left, it gets back the one it had.
        if (value.trim() === '' && titleOnFocusRef.current.trim() !== '') {
          write(titleOnFocusRef.current);
        }
      }}
    />
  );
}
