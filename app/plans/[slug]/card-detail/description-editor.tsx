'use client';

/**
 * An activity's description: rich text that several people edit at once. The text lives in the
 * item's Y.XmlFragment (TipTap's Collaboration extension keeps the two in step); where the
 * others' carets are travels in the plan's awareness, with their names and colours set by the
 * server from their sessions.
 *
 * The editor's schema is `descriptionExtensions()`, the same one the server's check is tested
 * against: pasted HTML is parsed through it, so scripts, images, event handlers and links that
 * are not http, https or mailto never reach the document.
 */
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import { CharacterCount, type CharacterCountOptions } from '@tiptap/extensions';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { useFormatter, useTranslations } from 'next-intl';
import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

import { getItemDescription } from '../../../../domain/plan-document';
import { richTextLimits } from '../../../../domain/rich-text';
import { descriptionExtensions } from '../../../lib/description-extensions';
import { checkLink } from './detail-input';
import styles from './description-editor.module.css';

/** Creating an old item's description is not an edit the plan's undo should take back. */
const descriptionOrigin = 'description-editor';

/**
 * The character limit. CharacterCount's own filter would trim text on load and refuse a merge of
 * two people's edits that together pass the limit (the editor must show what the shared document
 * holds; the server has the last word on size), and its trimming of a long paste fails inside a
 * collaborative editor. So: its counting, and a filter of ours that refuses, whole, any local
 * change that would grow a description past the limit, and says so.
 */
const DescriptionCharacterCount = CharacterCount.extend<
  CharacterCountOptions & { onRefused: (characters: number) => void }
>({
  addOptions() {
    return { ...(this.parent?.() as CharacterCountOptions), onRefused: () => {} };
  },
  addProseMirrorPlugins() {
    const { limit, onRefused } = this.options;
    const count = (node: ProseMirrorNode) => this.storage.characters({ node });
    return [
      new Plugin({
        key: new PluginKey('descriptionCharacterLimit'),
        filterTransaction: (transaction, state) => {
          if (!transaction.docChanged || limit === null || limit === undefined) return true;
          if (transaction.getMeta(ySyncPluginKey) !== undefined) return true;
          const after = count(transaction.doc);
          const before = count(state.doc);
          if (after <= limit || after <= before) return true;
          onRefused(before);
          return false;
        },
      }),
    ];
  },
});

/** A remote caret: a coloured bar with the person's name above it. */
function renderCaret(user: Record<string, unknown>): HTMLElement {
  const caret = document.createElement('span');
  caret.classList.add('collaboration-carets__caret');
  const color = typeof user.color === 'string' ? user.color : '#334155';
  const name = typeof user.name === 'string' ? user.name : '';
  caret.style.borderColor = color;
  caret.dataset.userName = name;
  // The list of who is looking at the card says the same to screen readers; inside the text the
  // label would be read as part of it.
  caret.setAttribute('aria-hidden', 'true');
  const label = document.createElement('span');
  label.classList.add('collaboration-carets__label');
  label.style.backgroundColor = color;
  label.textContent = name;
  caret.append(label);
  return caret;
}

/**
 * A name near the right edge would be cut off by the panel: it hangs to the left of its caret
 * instead. Checked after each change and caret move (ProseMirror reuses a caret's element as it
 * moves, so this cannot be decided once when it is made).
 */
function useCaretLabelsInside(editor: Editor | null, awareness: Awareness): void {
  useEffect(() => {
    if (!editor) return;
    let frame = 0;
    const place = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (editor.isDestroyed) return;
        const host = editor.view.dom;
        const right = host.getBoundingClientRect().right;
        for (const label of host.querySelectorAll('.collaboration-carets__label')) {
          label.classList.remove('collaboration-carets__label--end');
          if (label.getBoundingClientRect().right > right) {
            label.classList.add('collaboration-carets__label--end');
          }
        }
      });
    };
    awareness.on('change', place);
    editor.on('transaction', place);
    return () => {
      cancelAnimationFrame(frame);
      awareness.off('change', place);
      editor.off('transaction', place);
    };
  }, [editor, awareness]);
}

/**
 * Memoised: the panel re-renders whenever anyone's presence changes (every remote caret move),
 * and the editor has nothing to redo then.
 */
export const DescriptionEditor = memo(function DescriptionEditor({
  doc,
  itemId,
  awareness,
  canEdit,
  userName,
  userColor,
  labelId,
}: {
  doc: Y.Doc;
  itemId: string;
  awareness: Awareness;
  canEdit: boolean;
  userName: string;
  userColor: string;
  labelId: string;
}) {
  const t = useTranslations('Editor');
  // An editor opening an item from before descriptions gives it one; a reader only looks.
  const fragment = useMemo(
    () => getItemDescription(doc, itemId, { create: canEdit, origin: descriptionOrigin }),
    [doc, itemId, canEdit],
  );
  if (!fragment) {
    return (
      <p className={styles.empty} data-testid="description-empty">
        {t('noDescription')}
      </p>
    );
  }
  return (
    <RichTextEditor
      fragment={fragment}
      awareness={awareness}
      canEdit={canEdit}
      userName={userName}
      userColor={userColor}
      labelId={labelId}
    />
  );
});

function RichTextEditor({
  fragment,
  awareness,
  canEdit,
  userName,
  userColor,
  labelId,
}: {
  fragment: Y.XmlFragment;
  awareness: Awareness;
  canEdit: boolean;
  userName: string;
  userColor: string;
  labelId: string;
}) {
  const t = useTranslations('Editor');
  const format = useFormatter();
  const countId = useId();
  // The length when a change did not fit (a long paste, typing when full): the message stays
  // until the text changes.
  const [refusedAt, setRefusedAt] = useState<number | null>(null);

  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: canEdit,
      extensions: [
        ...descriptionExtensions(),
        Collaboration.configure({ fragment }),
        // y-tiptap reads `provider.awareness`; the server replaces the `user` we set with the
        // session's, so others see the right name whatever this browser claims.
        CollaborationCaret.configure({
          provider: { awareness },
          user: { name: userName, color: userColor },
          render: renderCaret,
        }),
        DescriptionCharacterCount.configure({
          limit: richTextLimits.characters,
          onRefused: setRefusedAt,
        }),
      ],
      editorProps: {
        attributes: {
          class: styles.prose ?? '',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-labelledby': labelId,
          'aria-describedby': countId,
          'data-testid': 'description-editor',
        },
      },
    },
    [fragment, awareness],
  );

  useEffect(() => {
    if (editor && editor.isEditable !== canEdit) editor.setEditable(canEdit);
  }, [editor, canEdit]);
  useCaretLabelsInside(editor, awareness);

  const state = useEditorState({
    editor,
    selector: ({ editor: current }) =>
      current
        ? {
            empty: current.isEmpty,
            characters: current.storage.characterCount.characters() as number,
          }
        : null,
  }) ?? { empty: true, characters: 0 };

  const full = state.characters >= richTextLimits.characters;
  const refused = refusedAt !== null && refusedAt === state.characters;
  const room = Math.max(0, richTextLimits.characters - state.characters);

  return (
    <div className={styles.editor} data-editable={canEdit || undefined}>
      {canEdit && editor ? <Toolbar editor={editor} /> : null}
      {!canEdit && state.empty && editor ? (
        <p className={styles.empty} data-testid="description-empty">
          {t('noDescription')}
        </p>
      ) : null}
      <EditorContent
        editor={editor}
        className={`${styles.content} ${!canEdit && state.empty ? styles.hidden : ''}`}
      />
      {canEdit ? (
        <p id={countId} className={`${styles.count} ${full || refused ? styles.full : ''}`}>
          {refused || full ? (
            <span role="alert">
              {refused && !full
                ? t('tooLong', {
                    limit: format.number(richTextLimits.characters),
                    room: format.number(room),
                  })
                : t('full', { limit: format.number(richTextLimits.characters) })}
            </span>
          ) : (
            t('count', {
              count: format.number(state.characters),
              limit: format.number(richTextLimits.characters),
            })
          )}
        </p>
      ) : (
        <span id={countId} hidden />
      )}
    </div>
  );
}

type ToolbarButton = {
  key: string;
  label: string;
  shortcut?: string;
  icon: React.ReactNode;
  active?: boolean;
  disabled?: boolean;
  run: () => void;
};

function Toolbar({ editor }: { editor: Editor }) {
  const t = useTranslations('Editor');
  const [linkOpen, setLinkOpen] = useState(false);
  const [focusIndex, setFocusIndex] = useState(0);
  const buttonsRef = useRef<Array<HTMLButtonElement | null>>([]);
  const linkButtonRef = useRef<HTMLButtonElement | null>(null);

  const active = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      bold: current.isActive('bold'),
      italic: current.isActive('italic'),
      strike: current.isActive('strike'),
      heading: current.isActive('heading', { level: 2 }),
      bulletList: current.isActive('bulletList'),
      orderedList: current.isActive('orderedList'),
      link: current.isActive('link'),
      canUndo: current.can().undo(),
      canRedo: current.can().redo(),
    }),
  });

  const buttons: ToolbarButton[] = [
    {
      key: 'bold',
      label: t('bold'),
      shortcut: 'Ctrl+B',
      icon: <b>B</b>,
      active: active.bold,
      run: () => editor.chain().focus().toggleBold().run(),
    },
    {
      key: 'italic',
      label: t('italic'),
      shortcut: 'Ctrl+I',
      icon: <i>I</i>,
      active: active.italic,
      run: () => editor.chain().focus().toggleItalic().run(),
    },
    {
      key: 'strike',
      label: t('strike'),
      shortcut: 'Ctrl+Shift+S',
      icon: <s>S</s>,
      active: active.strike,
      run: () => editor.chain().focus().toggleStrike().run(),
    },
    {
      key: 'heading',
      label: t('heading'),
      icon: <span className={styles.headingIcon}>H</span>,
      active: active.heading,
      run: () => editor.chain().focus().toggleHeading({ level: 2 }).run(),
    },
    {
      key: 'bulletList',
      label: t('bulletList'),
      icon: <BulletIcon />,
      active: active.bulletList,
      run: () => editor.chain().focus().toggleBulletList().run(),
    },
    {
      key: 'orderedList',
      label: t('orderedList'),
      icon: <OrderedIcon />,
      active: active.orderedList,
      run: () => editor.chain().focus().toggleOrderedList().run(),
    },
    {
      key: 'link',
      label: t('link'),
      icon: <LinkIcon />,
      active: active.link || linkOpen,
      run: () => setLinkOpen((open) => !open),
    },
    {
      key: 'undo',
      label: t('undo'),
      shortcut: 'Ctrl+Z',
      icon: <UndoIcon />,
      disabled: !active.canUndo,
      run: () => editor.chain().focus().undo().run(),
    },
    {
      key: 'redo',
      label: t('redo'),
      shortcut: 'Ctrl+Y',
      icon: <UndoIcon flip />,
      disabled: !active.canRedo,
      run: () => editor.chain().focus().redo().run(),
    },
  ];

  // One tab stop for the whole toolbar; the arrow keys move along it (WAI-ARIA toolbar).
  function move(from: number, step: number) {
    const count = buttons.length;
    let next = from;
    for (let tries = 0; tries < count; tries++) {
      next = (next + step + count) % count;
      if (!buttons[next]?.disabled) break;
    }
    setFocusIndex(next);
    buttonsRef.current[next]?.focus();
  }

  return (
    <>
      <div className={styles.toolbar} role="toolbar" aria-label={t('toolbar')}>
        {buttons.map((button, index) => {
          const pressable = button.key !== 'undo' && button.key !== 'redo';
          return (
            <button
              key={button.key}
              ref={(element) => {
                buttonsRef.current[index] = element;
                if (button.key === 'link') linkButtonRef.current = element;
              }}
              type="button"
              className={`${styles.tool} ${button.key === 'undo' ? styles.separated : ''}`}
              tabIndex={index === focusIndex ? 0 : -1}
              aria-label={button.label}
              aria-pressed={pressable ? Boolean(button.active) : undefined}
              aria-keyshortcuts={button.shortcut?.replace('Ctrl', 'Control')}
              aria-expanded={button.key === 'link' ? linkOpen : undefined}
              title={button.shortcut ? `${button.label} (${button.shortcut})` : button.label}
              disabled={button.disabled}
              data-testid={`tool-${button.key}`}
              onFocus={() => setFocusIndex(index)}
              onMouseDown={(event) => {
                // Keep the text selection: a click on a tool must not blur the editor first.
                if (button.key !== 'link') event.preventDefault();
              }}
              onClick={button.run}
              onKeyDown={(event) => {
                if (event.key === 'ArrowRight') move(index, 1);
                else if (event.key === 'ArrowLeft') move(index, -1);
                else if (event.key === 'Home') move(-1, 1);
                else if (event.key === 'End') move(buttons.length, -1);
                else return;
                event.preventDefault();
              }}
            >
              {button.icon}
            </button>
          );
        })}
      </div>
      {linkOpen ? (
        <LinkForm
          editor={editor}
          onDone={() => {
            setLinkOpen(false);
            linkButtonRef.current?.focus();
          }}
        />
      ) : null}
    </>
  );
}

function LinkForm({ editor, onDone }: { editor: Editor; onDone: () => void }) {
  const t = useTranslations('Editor');
  const inputId = useId();
  const errorId = useId();
  const current = editor.getAttributes('link').href as string | undefined;
  const [value, setValue] = useState(current ?? '');
  const [problem, setProblem] = useState<'empty' | 'notAllowed' | 'tooLong' | null>(null);

  function apply() {
    const checked = checkLink(value);
    if (!checked.ok) {
      setProblem(checked.problem);
      return;
    }
    const chain = editor.chain().focus();
    if (editor.state.selection.empty && !editor.isActive('link')) {
      chain
        .insertContent({
          type: 'text',
          text: value.trim(),
          marks: [{ type: 'link', attrs: { href: checked.href } }],
        })
        .run();
    } else {
      chain.extendMarkRange('link').setLink({ href: checked.href }).run();
    }
    onDone();
  }

  return (
    <form
      className={styles.linkForm}
      aria-label={t('linkForm')}
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          // Closes the form, not the whole panel.
          event.stopPropagation();
          onDone();
        }
      }}
    >
      <label htmlFor={inputId} className={styles.linkLabel}>
        {t('linkAddress')}
      </label>
      <div className={styles.linkRow}>
        <input
          id={inputId}
          className={styles.linkInput}
          type="text"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          placeholder="https://"
          value={value}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${errorId}-hint ${problem ? errorId : ''}`}
          onChange={(event) => {
            setValue(event.target.value);
            setProblem(null);
          }}
        />
        <button type="submit" className={styles.primary}>
          {t('linkApply')}
        </button>
        {current ? (
          <button
            type="button"
            className={styles.secondary}
            onClick={() => {
              editor.chain().focus().extendMarkRange('link').unsetLink().run();
              onDone();
            }}
          >
            {t('linkRemove')}
          </button>
        ) : null}
        <button type="button" className={styles.secondary} onClick={onDone}>
          {t('linkCancel')}
        </button>
      </div>
      <p id={`${errorId}-hint`} className={styles.hint}>
        {t('linkHint')}
      </p>
      {problem ? (
        <p id={errorId} role="alert" className={styles.error}>
          {t(`linkProblem.${problem}`)}
        </p>
      ) : null}
    </form>
  );
}

function BulletIcon() {
  return (
    <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
      <circle cx="4" cy="5" r="1.6" fill="currentColor" />
      <circle cx="4" cy="10" r="1.6" fill="currentColor" />
      <circle cx="4" cy="15" r="1.6" fill="currentColor" />
      <path d="M8 5h9M8 10h9M8 15h9" stroke="currentColor" strokeWidth="1.8" />
    </svg>
  );
}

function OrderedIcon() {
  return (
    <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
      <text x="1" y="7.5" fontSize="6.5" fill="currentColor" fontFamily="sans-serif">
        1
      </text>
      <text x="1" y="17" fontSize="6.5" fill="currentColor" fontFamily="sans-serif">
        2
      </text>
      <path d="M8 5h9M8 14h9" stroke="currentColor" strokeWidth="1.8" />
    </svg>
  );
}

function LinkIcon() {
  return (
    <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" fill="none">
      <path
        d="M8.5 11.5a3 3 0 0 0 4.2 0l2.8-2.8a3 3 0 0 0-4.2-4.2l-1 1M11.5 8.5a3 3 0 0 0-4.2 0l-2.8 2.8a3 3 0 0 0 4.2 4.2l1-1"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
      />
    </svg>
  );
}

function UndoIcon({ flip = false }: { flip?: boolean }) {
  return (
    <svg
      viewBox="0 0 20 20"
      width="18"
      height="18"
      aria-hidden="true"
      fill="none"
      style={flip ? { transform: 'scaleX(-1)' } : undefined}
    >
      <path
        d="M7 5 3 9l4 4M3.5 9H12a5 5 0 0 1 0 10h-2"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
