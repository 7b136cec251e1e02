'use client';

import { useTranslations } from 'next-intl';
import { useId, useRef, useState } from 'react';
import type * as Y from 'yjs';

import { colorForUser } from '../../../../domain/presence';
import { planLimits, setItemOwner, setItemTag, type Item } from '../../../../domain/plan-document';
import type { PlanMember } from '../../../../domain/roles';
import { initials } from '../../../lib/initials';
import { EditError, toEditFailure, type EditFailure } from '../edit-error';
import styles from './card-detail.module.css';

/** A round badge with someone's initials in their presence colour. */
export function Avatar({
  userId,
  name,
  color,
  size = 'md',
}: {
  userId: string;
  name: string;
  /** The presence colour the server gave; members not online get the same from their id. */
  color?: string;
  size?: 'sm' | 'md';
}) {
  return (
    <span
      className={`${styles.avatar} ${size === 'sm' ? styles.avatarSmall : ''}`}
      style={{ backgroundColor: color ?? colorForUser(userId) }}
      aria-hidden="true"
    >
      {initials(name)}
    </span>
  );
}

/** Who is responsible: members of the plan, shown with their organisation. */
export function OwnersField({
  doc,
  item,
  members,
  canEdit,
  labelId,
}: {
  doc: Y.Doc;
  item: Item;
  members: PlanMember[];
  canEdit: boolean;
  labelId: string;
}) {
  const t = useTranslations('CardDetail');
  const organisations = useTranslations('Organisations');
  const [failure, setFailure] = useState<EditFailure | null>(null);
  const selectRef = useRef<HTMLSelectElement>(null);
  const [candidate, setCandidate] = useState('');
  const byId = new Map(members.map((member) => [member.id, member]));
  const candidates = members.filter((member) => !item.owners.includes(member.id));
  const full = item.owners.length >= planLimits.ownersPerItem;

  function set(userId: string, owner: boolean) {
    try {
      setItemOwner(doc, item.id, userId, owner);
      setFailure(null);
    } catch (error) {
      setFailure(toEditFailure(error));
    }
  }

  return (
    <div className={styles.stack}>
      {item.owners.length === 0 ? (
        <p className={styles.muted}>{t('noOwners')}</p>
      ) : (
        <ul className={styles.chips} aria-labelledby={labelId} data-testid="owners">
          {item.owners.map((userId) => {
            const member = byId.get(userId);
            const name = member?.name ?? t('formerMember');
            return (
              <li key={userId} className={styles.person} data-owner-name={name}>
                <Avatar userId={userId} name={name} />
                <span className={styles.personText}>
                  <span className={styles.personName}>{name}</span>
                  {member ? (
                    <span className={styles.personOrg}>
                      {organisations(`${member.organisation}.short`)}
                    </span>
                  ) : null}
                </span>
                {canEdit ? (
                  <button
                    type="button"
                    className={styles.chipRemove}
                    aria-label={t('removeOwner', { name })}
                    title={t('removeOwner', { name })}
                    onClick={() => {
                      set(userId, false);
                      selectRef.current?.focus();
                    }}
                  >
                    <span aria-hidden="true">×</span>
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {canEdit ? (
        <form
          className={styles.addRow}
          onSubmit={(event) => {
            event.preventDefault();
            if (!candidate) return;
            set(candidate, true);
            setCandidate('');
          }}
        >
          <label className={styles.inlineField}>
            <span className="visually-hidden">{t('addOwner')}</span>
            <select
              ref={selectRef}
              className={styles.input}
              value={candidate}
              disabled={full || candidates.length === 0}
              onChange={(event) => setCandidate(event.target.value)}
              data-testid="add-owner"
            >
              <option value="">
                {full
                  ? t('ownersFull', { limit: planLimits.ownersPerItem })
                  : candidates.length === 0
                    ? t('everyoneOwns')
                    : t('addOwnerPrompt')}
              </option>
              {candidates.map((member) => (
                <option key={member.id} value={member.id}>
                  {t('memberOption', {
                    name: member.name,
                    organisation: organisations(`${member.organisation}.short`),
                  })}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className={styles.secondaryButton} disabled={!candidate}>
            {t('add')}
          </button>
        </form>
      ) : null}
      {canEdit ? <EditError failure={failure} /> : null}
    </div>
  );
}

/** Free labels ("ToT", "women", "robotics"): typed and confirmed with Enter. */
export function TagsField({
  doc,
  item,
  canEdit,
  labelId,
}: {
  doc: Y.Doc;
  item: Item;
  canEdit: boolean;
  labelId: string;
}) {
  const t = useTranslations('CardDetail');
  const [draft, setDraft] = useState('');
  const [failure, setFailure] = useState<EditFailure | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const full = item.tags.length >= planLimits.tagsPerItem;

  function add() {
    const tag = draft.trim();
    if (!tag) return;
    try {
      setItemTag(doc, item.id, tag, true);
      setDraft('');
      setFailure(null);
    } catch (error) {
      setFailure(toEditFailure(error));
    }
  }

  return (
    <div className={styles.stack}>
      {item.tags.length === 0 && !canEdit ? <p className={styles.muted}>{t('noTags')}</p> : null}
      {item.tags.length > 0 ? (
        <ul className={styles.chips} aria-labelledby={labelId} data-testid="tags">
          {item.tags.map((tag) => (
            <li key={tag} className={styles.tag} data-tag={tag}>
              <span>{tag}</span>
              {canEdit ? (
                <button
                  type="button"
                  className={styles.chipRemove}
                  aria-label={t('removeTag', { tag })}
                  title={t('removeTag', { tag })}
                  onClick={() => {
                    try {
                      setItemTag(doc, item.id, tag, false);
                    } catch (error) {
                      setFailure(toEditFailure(error));
                    }
                    inputRef.current?.focus();
                  }}
                >
                  <span aria-hidden="true">×</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canEdit ? (
        <>
          <label className={styles.inlineField}>
            <span className="visually-hidden">{t('addTag')}</span>
            <input
              ref={inputRef}
              className={styles.input}
              type="text"
              value={draft}
              maxLength={planLimits.tagLength}
              disabled={full}
              placeholder={
                full ? t('tagsFull', { limit: planLimits.tagsPerItem }) : t('addTagPlaceholder')
              }
              aria-describedby={hintId}
              enterKeyHint="done"
              onChange={(event) => {
                setDraft(event.target.value.replace(/[\r\n]/g, ' '));
                setFailure(null);
              }}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
                  event.preventDefault();
                  add();
                } else if (event.key === 'Escape' && draft) {
                  event.stopPropagation();
                  setDraft('');
                }
              }}
              data-testid="add-tag"
            />
          </label>
          <p id={hintId} className={styles.hint}>
            {t('tagsHint', {
              count: item.tags.length,
              limit: planLimits.tagsPerItem,
              length: planLimits.tagLength,
            })}
          </p>
          <EditError failure={failure} />
        </>
      ) : null}
    </div>
  );
}
