'use client';

import { useFormatter, useTranslations } from 'next-intl';

import type { ActivityEntry } from '../../../../domain/activity';
import type { OrganisationCode } from '../../../../domain/organisations';
import { itemStatuses } from '../../../../domain/plan-document';
import {
  upcomingDays,
  type BoardActivity,
  type BoardIndicator,
  type ProgressBoard,
  type ProgressSummary,
} from '../../../../domain/progress-board';
import { usePlanDates } from '../../../lib/use-plan-dates';
import { useRelativeTime } from '../../../lib/use-relative-time';
import { useActivitySentence } from '../activity/use-activity-sentence';
import styles from './progress-board.module.css';
import { useLiveProgressBoard, type BoardSource } from './use-live-progress-board';

/**
 * The progress board, for members (/plans/<slug>/progress) and for anyone with a public link
 * (/share/<token>). Every bar has its value written next to it, so the board reads without
 * colour or sight of the bars, and prints in black on white.
 */
export function ProgressBoardView({
  initial,
  source,
}: {
  initial: ProgressBoard;
  source: BoardSource;
}) {
  const t = useTranslations('Progress');
  const { board, state } = useLiveProgressBoard(initial, source);
  const dates = usePlanDates();

  if (state === 'gone') {
    return (
      <p className={styles.gone} role="alert" data-testid="progress-gone">
        {source.kind === 'public' ? t('linkGone') : t('accessGone')}
      </p>
    );
  }

  return (
    <div className={styles.board} data-testid="progress-board" data-seq={board.seq}>
      <p className={styles.meta}>
        <span
          className={styles.state}
          data-state={state}
          data-testid="progress-state"
          role="status"
        >
          {state === 'live' ? t('live') : state === 'connecting' ? t('connecting') : t('offline')}
        </span>
        <span>{t('asOf', { date: dates(board.today, board.today, 'long') })}</span>
        <button type="button" className={styles.print} onClick={() => window.print()}>
          {t('print')}
        </button>
      </p>

      {board.overall.items === 0 ? <p className={styles.muted}>{t('emptyPlan')}</p> : null}

      <section className={styles.overall} aria-labelledby="progress-overall">
        <h2 id="progress-overall" className={styles.heading}>
          {t('overall')}
        </h2>
        <Bar value={board.overall.progress} large testId="overall-progress" />
        <StatusCounts summary={board.overall} />
      </section>

      <div className={styles.columns}>
        <section aria-labelledby="progress-workstreams" className={styles.section}>
          <h2 id="progress-workstreams" className={styles.heading}>
            {t('byWorkstream')}
          </h2>
          <ul className={styles.rows}>
            {board.workstreams.map((workstream) => (
              <li key={workstream.id} className={styles.row} data-testid="workstream-progress">
                <span className={styles.rowName}>{workstream.name || t('noWorkstream')}</span>
                <Bar value={workstream.progress} />
                <span className={styles.rowDetail}>
                  {t('doneOf', { done: workstream.counts.done, items: workstream.items })}
                </span>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="progress-indicators" className={styles.section}>
          <h2 id="progress-indicators" className={styles.heading}>
            {t('indicators')}
          </h2>
          {board.indicators.length === 0 ? (
            <p className={styles.muted}>{t('indicatorsEmpty')}</p>
          ) : (
            <ul className={styles.rows}>
              {board.indicators.map((indicator) => (
                <IndicatorRow key={`${indicator.itemId}:${indicator.id}`} indicator={indicator} />
              ))}
            </ul>
          )}
        </section>
      </div>

      <div className={styles.columns}>
        <section aria-labelledby="progress-overdue" className={styles.section}>
          <h2 id="progress-overdue" className={styles.heading}>
            {t('overdue')} <span className={styles.count}>{board.overdue.length}</span>
          </h2>
          <ActivityRows
            activities={board.overdue}
            empty={t('overdueEmpty')}
            when="overdue"
            testId="overdue-activity"
          />
        </section>
        <section aria-labelledby="progress-upcoming" className={styles.section}>
          <h2 id="progress-upcoming" className={styles.heading}>
            {t('upcoming', { days: upcomingDays })}{' '}
            <span className={styles.count}>{board.upcoming.length}</span>
          </h2>
          <ActivityRows
            activities={board.upcoming}
            empty={t('upcomingEmpty', { days: upcomingDays })}
            when="upcoming"
            today={board.today}
            testId="upcoming-activity"
          />
        </section>
      </div>

      <section aria-labelledby="progress-organisations" className={styles.section}>
        <h2 id="progress-organisations" className={styles.heading}>
          {t('organisations')}
        </h2>
        <div className={styles.organisations}>
          {board.organisations.map((organisation) => (
            <OrganisationCard
              key={organisation.organisation}
              code={organisation.organisation}
              summary={organisation}
              activities={organisation.activities}
            />
          ))}
        </div>
      </section>

      <section aria-labelledby="progress-recent" className={styles.section}>
        <h2 id="progress-recent" className={styles.heading}>
          {t('recent')}
        </h2>
        <RecentActivity entries={board.recentActivity} anonymous={source.kind === 'public'} />
      </section>
    </div>
  );
}

function Bar({ value, large, testId }: { value: number; large?: boolean; testId?: string }) {
  const format = useFormatter();
  const clamped = Math.min(100, Math.max(0, value));
  return (
    <span className={large ? `${styles.bar} ${styles.barLarge}` : styles.bar}>
      <span className={styles.track} aria-hidden="true">
        <span className={styles.fill} style={{ width: `${clamped}%` }} />
      </span>
      <span className={styles.value} data-testid={testId}>
        {format.number(clamped / 100, { style: 'percent' })}
      </span>
    </span>
  );
}

function StatusCounts({ summary }: { summary: ProgressSummary }) {
  const t = useTranslations('Progress');
  const statuses = useTranslations('Statuses');
  return (
    <>
      <p className={styles.summary}>
        {t('doneOf', { done: summary.counts.done, items: summary.items })}
      </p>
      <ul className={styles.statusCounts} aria-label={t('byStatus')}>
        {itemStatuses.map((status) => (
          <li key={status} className={styles.statusCount} data-status={status}>
            <span className={styles.statusDot} aria-hidden="true" />
            {statuses(status)}
            <strong data-testid={`count-${status}`}>{summary.counts[status]}</strong>
          </li>
        ))}
      </ul>
    </>
  );
}

function IndicatorRow({ indicator }: { indicator: BoardIndicator }) {
  const t = useTranslations('Progress');
  const format = useFormatter();
  const value = (number: number) =>
    `${format.number(number)}${indicator.unit ? ` ${indicator.unit}` : ''}`;
  return (
    <li className={styles.indicator} data-testid="indicator-progress">
      <span className={styles.rowName}>
        {indicator.name}
        <span className={styles.rowSub}>{indicator.itemTitle || t('untitled')}</span>
      </span>
      {indicator.reached === null ? (
        <span className={styles.notMeasured}>{t('notMeasured')}</span>
      ) : (
        <Bar value={Math.round(indicator.reached * 100)} />
      )}
      <span className={styles.rowDetail}>
        {t('indicatorValues', {
          baseline: value(indicator.baseline),
          actual: indicator.actual === null ? '—' : value(indicator.actual),
          target: value(indicator.target),
        })}
      </span>
    </li>
  );
}

function ActivityRows({
  activities,
  empty,
  when,
  today,
  testId,
}: {
  activities: BoardActivity[];
  empty: string;
  when: 'overdue' | 'upcoming';
  today?: string;
  testId: string;
}) {
  const t = useTranslations('Progress');
  const statuses = useTranslations('Statuses');
  const organisations = useTranslations('Organisations');
  const dates = usePlanDates();
  const date = (iso: string) => dates(iso, iso, 'short');
  if (activities.length === 0) return <p className={styles.muted}>{empty}</p>;
  return (
    <ul className={styles.activities}>
      {activities.map((activity) => (
        <li
          key={activity.id}
          className={styles.activity}
          data-testid={testId}
          data-item-id={activity.id}
        >
          <span className={styles.activityTitle}>{activity.title || t('untitled')}</span>
          <span className={styles.activityMeta}>
            <abbr title={organisations(`${activity.leadOrg}.name`)}>
              {organisations(`${activity.leadOrg}.short`)}
            </abbr>
            {' · '}
            <span className={styles.status} data-status={activity.status}>
              {statuses(activity.status)}
            </span>
            {' · '}
            {when === 'overdue'
              ? t('wasDue', { date: date(activity.end) })
              : today !== undefined && activity.start >= today
                ? t('starts', { date: date(activity.start) })
                : t('ends', { date: date(activity.end) })}
          </span>
        </li>
      ))}
    </ul>
  );
}

function OrganisationCard({
  code,
  summary,
  activities,
}: {
  code: OrganisationCode;
  summary: ProgressSummary;
  activities: BoardActivity[];
}) {
  const t = useTranslations('Progress');
  const statuses = useTranslations('Statuses');
  const organisations = useTranslations('Organisations');
  const format = useFormatter();
  return (
    <article className={styles.organisation} data-testid="organisation-progress" data-org={code}>
      <h3 className={styles.organisationName}>
        {organisations(`${code}.name`)}{' '}
        <span className={styles.rowSub}>({organisations(`${code}.short`)})</span>
      </h3>
      <Bar value={summary.progress} />
      <p className={styles.summary}>
        {t('doneOf', { done: summary.counts.done, items: summary.items })}
      </p>
      <ul className={styles.orgActivities}>
        {activities.map((activity) => (
          <li
            key={activity.id}
            className={styles.orgActivity}
            data-testid="organisation-activity"
            data-item-id={activity.id}
            data-status={activity.status}
          >
            <span className={styles.activityTitle}>{activity.title || t('untitled')}</span>
            <span className={styles.activityMeta}>
              <span className={styles.status} data-status={activity.status}>
                {statuses(activity.status)}
              </span>
              {' · '}
              {format.number(activity.progress / 100, { style: 'percent' })}
            </span>
          </li>
        ))}
      </ul>
    </article>
  );
}

function RecentActivity({ entries, anonymous }: { entries: ActivityEntry[]; anonymous: boolean }) {
  const t = useTranslations('Progress');
  const organisations = useTranslations('Organisations');
  const sentence = useActivitySentence();
  const time = useRelativeTime();
  if (entries.length === 0) return <p className={styles.muted}>{t('recentEmpty')}</p>;
  return (
    <ol className={styles.recent}>
      {entries.map((entry) => {
        // A public board names organisations, never people (the server already replaced them).
        const shown: ActivityEntry =
          anonymous && entry.actor
            ? {
                ...entry,
                actor: { ...entry.actor, name: organisations(`${entry.actor.organisation}.short`) },
              }
            : entry;
        const at = new Date(entry.updatedAt);
        return (
          <li key={entry.id} className={styles.recentEntry} data-testid="recent-activity">
            <span className={styles.activityTitle}>{entry.itemTitle.trim() || t('untitled')}</span>
            <span>
              {sentence(shown)}
              <span className={styles.time}>
                {' · '}
                <time dateTime={entry.updatedAt} title={time.full(at)}>
                  {time.relative(at)}
                </time>
              </span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
