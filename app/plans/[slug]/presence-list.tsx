'use client';

import { useTranslations } from 'next-intl';

import { initials } from '../../lib/initials';
import type { PresenceUser } from '../../lib/plan-connection';
import styles from './board-header.module.css';

const shownAtMost = 6;

/** Who has the plan open: a coloured circle with initials per person, the user first. */
export function PresenceList({ users }: { users: PresenceUser[] }) {
  const t = useTranslations('Presence');
  const organisations = useTranslations('Organisations');
  const ordered = [...users].sort((a, b) => Number(b.isSelf) - Number(a.isSelf));
  const shown = ordered.slice(0, shownAtMost);
  const hidden = ordered.slice(shownAtMost);
  const describe = (user: PresenceUser) =>
    t(user.isSelf ? 'personSelf' : 'person', {
      name: user.name,
      organisation: organisations(`${user.organisation}.short`),
    });

  return (
    <div className={styles.presence}>
      <span className="visually-hidden">{t('label', { count: users.length })}</span>
      <ul className={styles.avatars} data-testid="presence">
        {shown.map((user) => (
          <li
            key={user.userId}
            className={`${styles.avatar} ${user.isSelf ? styles.self : ''}`}
            style={{ backgroundColor: user.color }}
            title={describe(user)}
            data-user-name={user.name}
            data-self={user.isSelf || undefined}
          >
            <span aria-hidden="true">{initials(user.name)}</span>
            <span className="visually-hidden">{describe(user)}</span>
          </li>
        ))}
        {hidden.length > 0 ? (
          <li className={`${styles.avatar} ${styles.more}`} title={hidden.map(describe).join('\n')}>
            <span aria-hidden="true">+{hidden.length}</span>
            <span className="visually-hidden">{t('more', { count: hidden.length })}</span>
          </li>
        ) : null}
      </ul>
    </div>
  );
}
