'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';

import { roles, type Role } from '../../../../domain/roles';
import type { MemberRow } from '../../../../server/use-cases/list-members-page';
import badge from '../../../components/role-badge.module.css';
import form from '../../../components/form-page.module.css';
import { setMemberRole } from './actions';
import styles from './members.module.css';

type Message = { kind: 'notice' | 'error'; text: string } | null;

/**
 * The plan's members. For an owner each row has a role menu and a remove button; the server
 * applies the change to open connections at once (the member's board turns read-only, or
 * closes).
 */
export function MemberList({
  slug,
  currentUserId,
  manage,
  members,
}: {
  slug: string;
  currentUserId: string;
  manage: boolean;
  members: MemberRow[];
}) {
  const t = useTranslations('Members');
  const roleNames = useTranslations('Roles');
  const organisations = useTranslations('Organisations');
  const router = useRouter();
  const [message, setMessage] = useState<Message>(null);
  const [pending, startTransition] = useTransition();

  function change(member: MemberRow, role: Role | null) {
    if (role === null && !window.confirm(t('confirmRemove', { name: member.name }))) return;
    setMessage(null);
    startTransition(async () => {
      try {
        const result = await setMemberRole({ slug, userId: member.id, role });
        if (result.ok) {
          setMessage({
            kind: 'notice',
            text:
              role === null
                ? t('removed', { name: member.name })
                : t('changed', { name: member.name, role: roleNames(role) }),
          });
          if (role === null && member.id === currentUserId) {
            router.push('/');
            return;
          }
        } else {
          setMessage({ kind: 'error', text: errorText(result.error, member.name) });
        }
        router.refresh();
      } catch {
        setMessage({ kind: 'error', text: t('failed') });
      }
    });
  }

  function errorText(error: string, name: string): string {
    if (error === 'last_owner') return t('lastOwner');
    if (error === 'not_member') return t('notMember', { name });
    if (error === 'forbidden') return t('forbidden');
    return t('failed');
  }

  return (
    <section aria-labelledby="members-count">
      <h2 id="members-count" className={styles.count}>
        {t('count', { count: members.length })}
      </h2>
      <div
        role="status"
        className={`${styles.status} ${message?.kind === 'error' ? form.error : form.notice}`}
      >
        {message?.text}
      </div>
      <ul className={styles.list} data-testid="member-list" aria-busy={pending}>
        {members.map((member) => (
          <li
            key={member.id}
            className={styles.member}
            data-testid="member"
            data-user-id={member.id}
          >
            <span className={styles.who}>
              <span className={styles.name}>
                {member.name}
                {member.id === currentUserId ? (
                  <span className={styles.you}>({t('you')})</span>
                ) : null}
              </span>
              {member.email ? <span className={styles.email}>{member.email}</span> : null}
            </span>
            <span className={styles.organisation}>
              <abbr title={organisations(`${member.organisation}.name`)}>
                {organisations(`${member.organisation}.short`)}
              </abbr>
            </span>
            {manage ? (
              <span className={styles.controls}>
                <select
                  aria-label={t('roleOf', { name: member.name })}
                  value={member.role}
                  disabled={pending}
                  onChange={(event) => change(member, event.currentTarget.value as Role)}
                >
                  {roles.map((role) => (
                    <option key={role} value={role}>
                      {roleNames(role)}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  className={`button button-quiet ${form.dangerButton}`}
                  aria-label={t('removeOf', { name: member.name })}
                  disabled={pending}
                  onClick={() => change(member, null)}
                >
                  {t('remove')}
                </button>
              </span>
            ) : (
              <span className={styles.roleCell}>
                <span className={`${badge.badge} ${badge[member.role]}`} data-role={member.role}>
                  {roleNames(member.role)}
                </span>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
