'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { memo, useEffect, useRef, useState, type ReactNode } from 'react';
import type * as Y from 'yjs';

import { colorForUser } from '../../../domain/presence';
import type { PlanMember } from '../../../domain/roles';
import {
  itemStatuses,
  updateItem,
  type Item,
  type ItemStatus,
} from '../../../domain/plan-document';
import { usePlanDates } from '../../lib/use-plan-dates';
import { EditError, toEditFailure, type EditFailure } from './edit-error';
import styles from './item-card.module.css';
import { ItemTitleInput } from './item-title-input';
import { initials } from './views/board/initials';

/** The id of the drag instructions that dnd-kit renders for screen readers (DndContext `id`). */
export const dragInstructionsId = 'board-drag-instructions';

/** A card's control that takes focus when the card mounts in another cell. */
export type FocusTarget = 'title' | 'status' | 'handle';

/**
 * Moving a card between cells remounts it: the card asks to keep the focus before the move and
 * claims it once mounted in its new cell.
 */
export interface FocusHandoff {
  request: (itemId: string, target: FocusTarget) => void;
  claim: (itemId: string) => FocusTarget | null;
}

/** Someone else on the plan, as a card shows them. */
export interface CardPerson {
  name: string;
  color: string;
}

export const noPeople: CardPerson[] = [];

function samePeople(a: CardPerson[], b: CardPerson[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every(
    (person, index) => person.name === b[index]?.name && person.color === b[index]?.color,
  );
}

type CardBodyProps = {
  doc: Y.Doc;
  item: Item;
  canEdit: boolean;
  members: Map<string, PlanMember>;
  focusHandoff: FocusHandoff;
  /** Other people who have this card open or focused now. */
  focusedBy: CardPerson[];
  /** Someone else dragging this card right now. */
  movingBy: CardPerson | null;
  onStatusChanged: (item: Item, status: ItemStatus) => void;
  onOpenItem: (itemId: string) => void;
};

function Avatar({ person, size = 'small' }: { person: CardPerson; size?: 'small' | 'tiny' }) {
  return (
    <span
      className={`${styles.avatar} ${size === 'tiny' ? styles.avatarTiny : ''}`}
      style={{ backgroundColor: person.color }}
      title={person.name}
      aria-hidden="true"
    >
      {initials(person.name)}
    </span>
  );
}

/** At most `max` avatars, then "+n". */
function AvatarStack({ people, max, label }: { people: CardPerson[]; max: number; label: string }) {
  const shown = people.slice(0, max);
  const more = people.length - shown.length;
  return (
    <span className={styles.avatars}>
      <span className="visually-hidden">{label}</span>
      {shown.map((person) => (
        <Avatar key={person.name} person={person} />
      ))}
      {more > 0 ? (
        <span className={`${styles.avatar} ${styles.avatarMore}`} aria-hidden="true">
          +{more}
        </span>
      ) : null}
    </span>
  );
}

/** Everything a card shows; re-rendered only when its own item or people change. */
function CardBodyView({
  doc,
  item,
  canEdit,
  members,
  focusHandoff,
  focusedBy,
  movingBy,
  onStatusChanged,
  onOpenItem,
}: CardBodyProps) {
  const t = useTranslations('Card');
  const board = useTranslations('Board');
  const statuses = useTranslations('Statuses');
  const organisations = useTranslations('Organisations');
  const format = useFormatter();
  const formatDates = usePlanDates();
  const body = useRef<HTMLDivElement>(null);
  const statusSelect = useRef<HTMLSelectElement>(null);
  const titleButton = useRef<HTMLButtonElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const returnFocusRef = useRef(false);
  const [renaming, setRenaming] = useState(false);
  const [failure, setFailure] = useState<EditFailure | null>(null);
  const errorId = `item-error-${item.id}`;

  useEffect(() => {
    const target = focusHandoff.claim(item.id);
    if (target === 'status') statusSelect.current?.focus();
    else if (target === 'title') titleButton.current?.focus();
    else if (target === 'handle')
      body.current?.parentElement?.querySelector<HTMLElement>('[data-drag-handle]')?.focus();
  }, [focusHandoff, item.id]);

  useEffect(() => {
    if (renaming) body.current?.querySelector('textarea')?.focus();
  }, [renaming]);

  const dates = formatDates(item.start, item.end, 'short');
  const percent = format.number(item.progress / 100, { style: 'percent' });
  const owners: CardPerson[] = [];
  for (const id of item.owners) {
    const member = members.get(id);
    if (member) owners.push({ name: member.name, color: colorForUser(member.id) });
  }
  const checklistDone = item.checklist.filter((entry) => entry.done).length;
  const shownTags = item.tags.slice(0, 3);
  const moreTags = item.tags.length - shownTags.length;
  const hasExtras =
    owners.length > 0 ||
    item.tags.length > 0 ||
    item.checklist.length > 0 ||
    item.indicators.length > 0;
  const title = item.title.trim() || t('untitled');

  return (
    <div ref={body} className={styles.body}>
      {movingBy ? (
        <p className={styles.movingBy} style={{ backgroundColor: movingBy.color }}>
          {board('card.movingBy', { name: movingBy.name })}
        </p>
      ) : null}

      <div className={styles.titleRow}>
        {renaming ? (
          // Renaming in place: every keystroke is shared at once; Enter, Escape or leaving ends it.
          <div
            className={styles.renameBox}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === 'Escape') {
                returnFocusRef.current = true;
                if (event.key === 'Escape') event.currentTarget.querySelector('textarea')?.blur();
              }
            }}
            onBlur={(event) => {
              if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
              setRenaming(false);
              if (returnFocusRef.current) {
                returnFocusRef.current = false;
                requestAnimationFrame(() => renameButton.current?.focus());
              }
            }}
          >
            <ItemTitleInput
              doc={doc}
              itemId={item.id}
              initialTitle={item.title}
              onError={(error) => setFailure(toEditFailure(error))}
            />
          </div>
        ) : (
          <h4 className={styles.title}>
            <button
              ref={titleButton}
              type="button"
              className={styles.titleButton}
              onClick={() => onOpenItem(item.id)}
            >
              {title}
            </button>
          </h4>
        )}
        {canEdit && !renaming ? (
          <button
            ref={renameButton}
            type="button"
            className={styles.renameButton}
            aria-label={board('card.rename', { title })}
            title={board('card.renameShort')}
            onClick={() => setRenaming(true)}
          >
            <svg viewBox="0 0 16 16" aria-hidden="true">
              <path
                fill="currentColor"
                d="m11.3 1.8 2.9 2.9-8.4 8.4-3.6.7.7-3.6zm0 2.1L4.4 10.8l-.3 1.1 1.1-.3 6.9-6.9z"
              />
            </svg>
          </button>
        ) : null}
        {focusedBy.length > 0 ? (
          <AvatarStack
            people={focusedBy}
            max={3}
            label={t('editingBy', {
              names: format.list(
                focusedBy.map((person) => person.name),
                { type: 'conjunction' },
              ),
            })}
          />
        ) : null}
      </div>

      <p className={styles.meta}>
        <span className={styles.organisation}>
          <span className="visually-hidden">{t('leadOrganisation')}: </span>
          <abbr title={organisations(`${item.leadOrg}.name`)}>
            {organisations(`${item.leadOrg}.short`)}
          </abbr>
        </span>
        <span className={styles.dates}>
          <span className="visually-hidden">{t('dates')}: </span>
          {dates}
        </span>
      </p>

      <div className={styles.progressRow}>
        <div
          className={styles.progressTrack}
          role="progressbar"
          aria-label={t('progress')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={item.progress}
          aria-valuetext={percent}
        >
          <div className={styles.progressBar} style={{ width: `${item.progress}%` }} />
        </div>
        <span className={styles.percent} aria-hidden="true">
          {percent}
        </span>
      </div>

      {hasExtras ? (
        <div className={styles.extras}>
          {item.tags.length > 0 ? (
            <ul className={styles.tags} aria-label={board('card.tags')}>
              {shownTags.map((tag) => (
                <li key={tag} className={styles.tag}>
                  {tag}
                </li>
              ))}
              {moreTags > 0 ? (
                <li className={styles.tag}>{board('card.moreTags', { count: moreTags })}</li>
              ) : null}
            </ul>
          ) : null}
          {item.checklist.length > 0 ? (
            <span
              className={`${styles.badge} ${checklistDone === item.checklist.length ? styles.badgeDone : ''}`}
            >
              <svg viewBox="0 0 16 16" aria-hidden="true" className={styles.badgeIcon}>
                <path fill="currentColor" d="M6.4 11.2 3.2 8l1.1-1.1 2.1 2.1 5.3-5.3L12.8 4.8z" />
              </svg>
              <span className="visually-hidden">
                {board('card.checklist', { done: checklistDone, total: item.checklist.length })}
              </span>
              <span aria-hidden="true">
                {checklistDone}/{item.checklist.length}
              </span>
            </span>
          ) : null}
          {item.indicators.length > 0 ? (
            <span className={styles.badge}>
              <svg viewBox="0 0 16 16" aria-hidden="true" className={styles.badgeIcon}>
                <path fill="currentColor" d="M2 13h12v1.5H2zM3 8h2v4H3zm4-3h2v7H7zm4-3h2v10h-2z" />
              </svg>
              {board('card.indicators', { count: item.indicators.length })}
            </span>
          ) : null}
          {owners.length > 0 ? (
            <AvatarStack
              people={owners}
              max={3}
              label={board('card.owners', {
                names: format.list(
                  owners.map((owner) => owner.name),
                  { type: 'conjunction' },
                ),
              })}
            />
          ) : null}
        </div>
      ) : null}

      <div className={styles.footer}>
        {canEdit ? (
          <select
            ref={statusSelect}
            className={styles.select}
            value={item.status}
            aria-label={t('status')}
            aria-describedby={failure ? errorId : undefined}
            onChange={(event) => {
              const status = event.target.value as ItemStatus;
              if (status === item.status) return;
              // The card moves to another column and remounts there: keep the focus with it.
              focusHandoff.request(item.id, 'status');
              try {
                updateItem(doc, item.id, { status });
                setFailure(null);
                onStatusChanged(item, status);
              } catch (error) {
                focusHandoff.claim(item.id);
                setFailure(toEditFailure(error));
              }
            }}
          >
            {itemStatuses.map((status) => (
              <option key={status} value={status}>
                {statuses(status)}
              </option>
            ))}
          </select>
        ) : null}
      </div>

      {canEdit ? <EditError failure={failure} id={errorId} /> : null}
    </div>
  );
}

const CardBody = memo(
  CardBodyView,
  (previous, next) =>
    previous.item === next.item &&
    previous.doc === next.doc &&
    previous.canEdit === next.canEdit &&
    previous.members === next.members &&
    previous.focusHandoff === next.focusHandoff &&
    samePeople(previous.focusedBy, next.focusedBy) &&
    previous.movingBy?.name === next.movingBy?.name &&
    previous.movingBy?.color === next.movingBy?.color &&
    previous.onStatusChanged === next.onStatusChanged &&
    previous.onOpenItem === next.onOpenItem,
);

export type ItemCardProps = CardBodyProps & {
  onFocusItem: (itemId: string | null) => void;
};

/** Clicks on a card's free space open it; clicks on its own controls do what they say. */
function isOnControl(target: EventTarget | null): boolean {
  return (
    target instanceof Element && target.closest('button, select, textarea, input, a, abbr') !== null
  );
}

/**
 * The drag handle. It holds no drag hooks: the board starts drags from it by delegation (see
 * `DragBridge`), so 2,000 cards are never re-rendered by the drag machinery.
 */
function DragHandle({ title }: { title: string }) {
  const t = useTranslations('BoardDnd');
  return (
    <button
      type="button"
      className={styles.handle}
      data-drag-handle=""
      data-testid="drag-handle"
      aria-roledescription={t('roleDescription')}
      aria-describedby={dragInstructionsId}
      aria-label={t('handle', { title: title || '…' })}
    >
      <svg viewBox="0 0 10 16" aria-hidden="true">
        <path d="M1 1.6h3v2.8H1zm5 0h3v2.8H6zM1 6.6h3v2.8H1zm5 0h3v2.8H6zm-5 5h3v2.8H1zm5 0h3v2.8H6z" />
      </svg>
    </button>
  );
}

/** A card on the board: the drag handle (for editors) and the memoised body. */
function ItemCardView(props: ItemCardProps) {
  const { item, canEdit, onFocusItem, onOpenItem, movingBy } = props;
  const card = useRef<HTMLLIElement | null>(null);

  return (
    <li
      ref={card}
      className={`${styles.card} ${styles[item.status]} ${movingBy ? styles.lifted : ''}`}
      style={movingBy ? { outlineColor: movingBy.color } : undefined}
      data-testid="item-card"
      data-item-id={item.id}
      onFocus={() => onFocusItem(item.id)}
      onBlur={(event) => {
        if (!card.current?.contains(event.relatedTarget as Node | null)) onFocusItem(null);
      }}
      onClick={(event) => {
        if (!isOnControl(event.target) && window.getSelection()?.isCollapsed !== false) {
          onOpenItem(item.id);
        }
      }}
    >
      {canEdit ? <DragHandle title={item.title.trim()} /> : null}
      <CardBody {...props} />
    </li>
  );
}

export const ItemCard = memo(
  ItemCardView,
  (previous, next) =>
    previous.item === next.item &&
    previous.doc === next.doc &&
    previous.canEdit === next.canEdit &&
    previous.members === next.members &&
    previous.focusHandoff === next.focusHandoff &&
    samePeople(previous.focusedBy, next.focusedBy) &&
    previous.movingBy?.name === next.movingBy?.name &&
    previous.movingBy?.color === next.movingBy?.color &&
    previous.onFocusItem === next.onFocusItem &&
    previous.onStatusChanged === next.onStatusChanged &&
    previous.onOpenItem === next.onOpenItem,
);

/** The card under the pointer while it is dragged: what it is, without its controls. */
export function CardPreview({ item, children }: { item: Item; children?: ReactNode }) {
  const t = useTranslations('Card');
  const organisations = useTranslations('Organisations');
  const formatDates = usePlanDates();
  return (
    <div className={`${styles.card} ${styles.preview} ${styles[item.status]}`}>
      <div className={styles.body}>
        <p className={styles.title}>{item.title.trim() || t('untitled')}</p>
        <p className={styles.meta}>
          <abbr className={styles.organisation}>{organisations(`${item.leadOrg}.short`)}</abbr>
          <span>{formatDates(item.start, item.end, 'short')}</span>
        </p>
        {children}
      </div>
    </div>
  );
}
