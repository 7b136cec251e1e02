'use client';

import { useTranslations } from 'next-intl';

import type { PlanMeta } from '../../../domain/plan-document';
import type { Role } from '../../../domain/roles';
import { RoleBadge } from '../../components/role-badge';
import type { PlanConnectionState, PresenceUser } from '../../lib/plan-connection';
import type { RealtimeConnection } from '../../lib/realtime-connection';
import { usePlanDates } from '../../lib/use-plan-dates';
import styles from './board-header.module.css';
import { ConnectionStatusView, SaveStatusView } from './connection-status';
import { FollowButton } from './follow-button';
import { PresenceList } from './presence-list';

export function BoardHeader({
  title,
  meta,
  role,
  connection,
  presence,
  showSaveState,
  realtime,
}: {
  title: string;
  meta: PlanMeta | null;
  role: Role;
  connection: PlanConnectionState;
  presence: PresenceUser[];
  showSaveState: boolean;
  /** For following the whole plan (null until the connection is made in the browser). */
  realtime: RealtimeConnection | null;
}) {
  const t = useTranslations('Board');
  const formatDates = usePlanDates();
  return (
    <header className={styles.header}>
      <div className={styles.heading}>
        <div className={styles.titleRow}>
          <h1 className={styles.title}>{title}</h1>
          <RoleBadge role={role} />
          <FollowButton realtime={realtime} itemId={null} />
        </div>
        {meta ? (
          <p className={styles.period}>
            {t('period', { range: formatDates(meta.periodStart, meta.periodEnd, 'long') })}
          </p>
        ) : null}
      </div>
      <div className={styles.status}>
        <PresenceList users={presence} />
        <ConnectionStatusView status={connection.status} closed={connection.closed !== null} />
        {showSaveState ? <SaveStatusView saveState={connection.saveState} /> : null}
      </div>
    </header>
  );
}
