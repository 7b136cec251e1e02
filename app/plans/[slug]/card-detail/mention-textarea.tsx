'use client';
/**
 * The comment composer's textarea with @mention completion. Typing `@` opens a list of the plan's
 * members, narrowed by what follows (any part of the name, any case: Chinese and Khmer names
 * too); ↑/↓ move, Enter or Tab picks, Escape closes, a click picks. Picking writes `@Name ` into
 * the text and tells the composer the member's id; the body stays plain text.
 *
 * Our own, not TipTap's mention extension: the composer is a plain textarea whose value is the
 * body, and a mention is just `@Name` in it. TipTap would turn every composer into a ProseMirror
 * editor (and its document back into text) for a list of at most a few dozen people; this is a
 * small textbox-with-listbox (the ARIA combobox pattern's attributes on the textarea, which keeps
 * its own textbox role as HTML requires) and adds nothing to the bundle.
 */
import { useTranslations } from 'next-intl';
import {
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type TextareaHTMLAttributes,
} from 'react';

import { filterMentionable, findMentionQuery } from '../../../../domain/comment-mentions';
import type { PlanMember } from '../../../../domain/roles';
import styles from './comments-section.module.css';

const maxOptions = 8;

export interface MentionTextareaProps extends Omit<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  'value' | 'onChange'
> {
  value: string;
  onValueChange: (value: string) => void;
  members: readonly PlanMember[];
  /** A member was picked from the list (their `@Name ` is already in the text). */
  onMention: (member: PlanMember) => void;
}

export function MentionTextarea({
  value,
  onValueChange,
  members,
  onMention,
  onKeyDown,
  ...textareaProps
}: MentionTextareaProps) {
  const t = useTranslations('Mentions');
  const organisations = useTranslations('Organisations');
  const listId = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);

  const query = caret === null ? null : findMentionQuery(value, caret);
  const typed = query?.query ?? null;
  const options = useMemo(
    () => (typed === null ? [] : filterMentionable(members, typed).slice(0, maxOptions)),
    [members, typed],
  );
  const open = query !== null && options.length > 0 && dismissedAt !== query.start;
  const activeIndex = Math.min(active, options.length - 1);
  const optionId = (index: number) => `${listId}-option-${index}`;

  const readCaret = () => {
    const element = textarea.current;
    setCaret(
      element && element.selectionStart === element.selectionEnd ? element.selectionStart : null,
    );
  };

  const pick = (member: PlanMember) => {
    if (!query || caret === null) return;
    const inserted = `@${member.name} `;
    const next = value.slice(0, query.start) + inserted + value.slice(caret);
    const position = query.start + inserted.length;
    onValueChange(next);
    onMention(member);
    setCaret(position);
    setActive(0);
    // The text after this `@` is now a whole name: no list for it until another `@`.
    setDismissedAt(query.start);
    // After React has written the new value: put the caret after the mention.
    requestAnimationFrame(() => {
      textarea.current?.focus();
      textarea.current?.setSelectionRange(position, position);
    });
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Keys that finish a Chinese or Khmer input method's composition are not ours.
    if (open && !event.nativeEvent.isComposing) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((activeIndex + step + options.length) % options.length);
        return;
      }
      if ((event.key === 'Enter' && !event.ctrlKey && !event.metaKey) || event.key === 'Tab') {
        const member = options[activeIndex];
        if (member) {
          event.preventDefault();
          pick(member);
          return;
        }
      }
      if (event.key === 'Escape') {
        // Closes the list only: not the reply being written, not the card.
        event.preventDefault();
        event.stopPropagation();
        setDismissedAt(query?.start ?? null);
        return;
      }
    }
    onKeyDown?.(event);
  };

  return (
    <div className={styles.mentionField}>
      <textarea
        {...textareaProps}
        ref={textarea}
        value={value}
        aria-autocomplete="list"
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? optionId(activeIndex) : undefined}
        onChange={(event) => {
          onValueChange(event.target.value);
          const element = event.target;
          const at =
            element.selectionStart === element.selectionEnd ? element.selectionStart : null;
          setCaret(at);
          setActive(0);
          // Out of the mention that was closed or picked: the next `@` opens the list again.
          if (at === null || findMentionQuery(element.value, at) === null) setDismissedAt(null);
        }}
        onSelect={readCaret}
        onBlur={() => setCaret(null)}
        onKeyDown={handleKeyDown}
      />
      {open ? (
        <ul
          id={listId}
          role="listbox"
          aria-label={t('listLabel')}
          className={styles.mentionList}
          data-testid="mention-list"
        >
          {options.map((member, index) => (
            <li
              key={member.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === activeIndex}
              className={styles.mentionOption}
              // Keep the focus in the textarea: the click picks, the caret stays.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => pick(member)}
            >
              <span className={styles.mentionName}>{member.name}</span>
              <span className={styles.org}>{organisations(`${member.organisation}.short`)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="visually-hidden" aria-live="polite">
        {open ? t('found', { count: options.length }) : ''}
      </p>
    </div>
  );
}
