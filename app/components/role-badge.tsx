import { useTranslations } from 'next-intl';

import type { Role } from '../../domain/roles';
import styles from './role-badge.module.css';

/** The user's role on a plan, as a small labelled pill. */
export function RoleBadge({ role }: { role: Role }) {
  const t = useTranslations('Roles');
  return (
    <span className={`${styles.badge} ${styles[role]}`} data-role={role}>
      <span className="visually-hidden">{t('label')}: </span>
      {t(role)}
    </span>
  );
}
