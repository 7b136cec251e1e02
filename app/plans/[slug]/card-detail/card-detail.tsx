'use client';

import dynamic from 'next/dynamic';
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState } from 'react';

import { planLimits, type Item } from '../../../../domain/plan-document';
import { colorForUser } from '../../../../domain/presence';
import { canComment, canDeleteAnyComment, type Role } from '../../../../domain/roles';
import { setLocalFocus, type PresenceUser } from '../../../lib/plan-connection';
import { useRealtimeRole, type RealtimeConnection } from '../../../lib/realtime-connection';
import { EditError, toEditFailure, type EditFailure } from '../edit-error';
import { ItemTitleInput } from '../item-title-input';
import type { PlanViewProps } from '../views/view-props';
import styles from './card-detail.module.css';
import { ChecklistSection } from './checklist-section';
import { CommentsSection } from './comments-section';
import { DescriptionEditor } from './description-editor';
import { DetailFields } from './detail-fields';
import { IndicatorsSection } from './indicators-section';
import { FollowButton } from '../follow-button';
import { Avatar, OwnersField, TagsField } from './people-and-tags';

// Below the comments and closed at first: its code loads only with a card that shows it.
const ActivitySection = dynamic(() => import('./activity-section').then((m) => m.ActivitySection));

export type CardDetailProps = PlanViewProps & {
  item: Item;
  onClose: () => void;
  /** The plan's socket.io connection, for comments (null until it is made in the browser). */
  realtime: RealtimeConnection | null;
  /** The user's role on the plan: commenters comment though they cannot edit. */
  role: Role;
};

/**
 * One activity in full, beside the view it was opened from: every field, live. While it is open
 * the others see that this person is looking at the card (presence `focus`), and carets in the
 * description show who is typing where.
 */
export function CardDetail({
  item,
  onClose,
  doc,
  awareness,
  workstreams,
  members,
  presence,
  canEdit,
  user,
  realtime,
  role,
}: CardDetailProps) {
  const t = useTranslations('CardDetail');
  // Comments follow a role change at once (a commenter demoted to viewer loses the composer).
  const commentRole = useRealtimeRole(realtime, role);
  const statuses = useTranslations('Statuses');
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [titleFailure, setTitleFailure] = useState<EditFailure | null>(null);
  const workstream = workstreams.find((entry) => entry.id === item.workstreamId);
  const titleAtLimit = item.title.length >= planLimits.itemTitleLength;

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement as HTMLElement | null;
    element.show();
    element.focus();
    // After the focus moved: the card that opened the panel says "nobody here" as it loses it.
    setLocalFocus(awareness, item.id);
    return () => {
      setLocalFocus(awareness, null);
      if (opener?.isConnected) opener.focus();
    };
  }, [awareness, item.id]);

  const labelId = (part: string) => `${id}-${part}`;

  return (
    <dialog
      ref={dialog}
      className={styles.panel}
      aria-labelledby={labelId('title')}
      data-testid="card-detail"
      data-item-id={item.id}
      tabIndex={-1}
      onFocus={() => {
        // Focusing a card on the board meanwhile moves the presence there; coming back, here.
        const local = awareness.getLocalState() as { focus?: unknown } | null;
        if (local?.focus !== item.id) setLocalFocus(awareness, item.id);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <header className={styles.header}>
        <div className={styles.heading}>
          <p className={styles.eyebrow}>
            <span className={`${styles.statusDot} ${styles[item.status]}`} aria-hidden="true" />
            {statuses(item.status)}
            {workstream ? <span className={styles.eyebrowSep}>·</span> : null}
            {workstream?.name}
          </p>
          <h2
            id={labelId('title')}
            className={canEdit ? 'visually-hidden' : styles.title}
            data-testid="card-detail-title"
          >
            {item.title.trim() || t('untitled')}
          </h2>
          {canEdit ? (
            <div className={styles.titleField}>
              <ItemTitleInput
                doc={doc}
                itemId={item.id}
                initialTitle={item.title}
                onError={(error) => setTitleFailure(toEditFailure(error))}
              />
              {titleAtLimit ? (
                <p className={styles.limitNote} role="status">
                  {t('titleLimit', { limit: planLimits.itemTitleLength })}
                </p>
              ) : null}
              <EditError failure={titleFailure} />
            </div>
          ) : null}
          {/* Under the title rather than beside it: on a phone the title keeps the width. */}
          <div className={styles.follow}>
            <FollowButton realtime={realtime} itemId={item.id} />
          </div>
        </div>
        <button
          type="button"
          className={styles.close}
          onClick={onClose}
          title={t('close')}
          data-testid="card-detail-close"
        >
          <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
            <path d="M5 5l10 10M15 5 5 15" stroke="currentColor" strokeWidth="2" />
          </svg>
          <span className="visually-hidden">{t('close')}</span>
        </button>
        <Watchers presence={presence} itemId={item.id} />
      </header>

      <div className={styles.body}>
        <section className={styles.section} aria-labelledby={labelId('details')}>
          <h3 id={labelId('details')} className="visually-hidden">
            {t('details')}
          </h3>
          <DetailFields doc={doc} item={item} workstreams={workstreams} canEdit={canEdit} />
        </section>

        <section className={styles.section} aria-labelledby={labelId('owners')}>
          <h3 id={labelId('owners')} className={styles.sectionTitle}>
            {t('owners')}
          </h3>
          <OwnersField
            doc={doc}
            item={item}
            members={members}
            canEdit={canEdit}
            labelId={labelId('owners')}
          />
        </section>

        <section className={styles.section} aria-labelledby={labelId('tags')}>
          <h3 id={labelId('tags')} className={styles.sectionTitle}>
            {t('tags')}
          </h3>
          <TagsField doc={doc} item={item} canEdit={canEdit} labelId={labelId('tags')} />
        </section>

        <section className={styles.section} aria-labelledby={labelId('description')}>
          <h3 id={labelId('description')} className={styles.sectionTitle}>
            {t('description')}
          </h3>
          <DescriptionEditor
            doc={doc}
            itemId={item.id}
            awareness={awareness}
            canEdit={canEdit}
            userName={user.name}
            userColor={colorForUser(user.id)}
            labelId={labelId('description')}
          />
        </section>

        <section className={styles.section} aria-labelledby={labelId('checklist')}>
          <h3 id={labelId('checklist')} className={styles.sectionTitle}>
            {t('checklist')}
          </h3>
          <ChecklistSection
            doc={doc}
            item={item}
            canEdit={canEdit}
            labelId={labelId('checklist')}
          />
        </section>

        <section className={styles.section} aria-labelledby={labelId('indicators')}>
          <h3 id={labelId('indicators')} className={styles.sectionTitle}>
            {t('indicators')}
          </h3>
          <IndicatorsSection
            doc={doc}
            item={item}
            canEdit={canEdit}
            labelId={labelId('indicators')}
          />
        </section>

        {realtime ? (
          <CommentsSection
            realtime={realtime}
            slug={realtime.slug}
            itemId={item.id}
            userId={user.id}
            canWrite={commentRole !== null && canComment(commentRole)}
            canModerate={commentRole !== null && canDeleteAnyComment(commentRole)}
            members={members}
            labelId={labelId('comments')}
          />
        ) : null}

        {realtime ? (
          <ActivitySection realtime={realtime} itemId={item.id} labelId={labelId('activity')} />
        ) : null}
      </div>
    </dialog>
  );
}

/** The other people who have this card open now. */
function Watchers({ presence, itemId }: { presence: PresenceUser[]; itemId: string }) {
  const t = useTranslations('CardDetail');
  const organisations = useTranslations('Organisations');
  const format = useFormatter();
  const watchers = presence.filter((person) => !person.isSelf && person.focus === itemId);
  if (watchers.length === 0) return null;
  const names = watchers.map((person) =>
    t('person', { name: person.name, organisation: organisations(`${person.organisation}.short`) }),
  );
  return (
    <div className={styles.watchers} data-testid="card-watchers">
      <ul className={styles.watcherAvatars} aria-hidden="true">
        {watchers.map((person) => (
          <li key={person.userId} data-user-name={person.name} title={person.name}>
            <Avatar userId={person.userId} name={person.name} color={person.color} size="sm" />
          </li>
        ))}
      </ul>
      <p role="status">
        {t('watching', {
          count: watchers.length,
          names: format.list(names, { type: 'conjunction' }),
        })}
      </p>
    </div>
  );
}
