import { DomainError } from '../../domain/domain-error';
import { writeCalendar, type CalendarEvent } from '../../domain/ical';
import type { Locale } from '../../domain/locales';
import { columnLabel, statusLabel } from '../../domain/plan-csv';
import { getCurrentDatabase } from '../../db/database';
import { findLiveCalendarFeed } from '../../db/queries/calendar-feeds';
import { listPlanItems as listStoredItems } from '../../db/queries/plan-items';
import { hashCalendarFeedToken, isCalendarFeedToken } from './calendar-feed-token';
import type { ProjectionFreshness } from './list-plan-items';

/**
 * The iCalendar file behind a feed's secret URL: the plan's activities (or one lead
 * organisation's) as all-day events. Works only while the feed is not revoked and its owner is
 * still a member; anything else is `not_found`, whatever the reason, and changes nothing.
 */
export async function readCalendarFeed(
  input: { token: string; locale: Locale; publicUrl: string; now?: Date },
  projection: ProjectionFreshness,
): Promise<{ body: string; planSlug: string }> {
  if (!isCalendarFeedToken(input.token)) throw new DomainError('not_found', 'no such calendar');
  const { db } = getCurrentDatabase();
  const feed = await findLiveCalendarFeed(db, hashCalendarFeedToken(input.token));
  if (!feed) throw new DomainError('not_found', 'no such calendar');
  await projection.ensureCurrent(feed.planId);
  const items = await listStoredItems(db, feed.planId);
  const { locale } = input;
  const planUrl = `${input.publicUrl.replace(/\/$/, '')}/plans/${encodeURIComponent(feed.planSlug)}`;
  const events: CalendarEvent[] = items
    .filter((item) => !feed.organisationCode || item.leadOrg === feed.organisationCode)
    .map((item) => ({
      uid: `${item.id}@${feed.planId}.coplan`,
      summary: item.title,
      description: [
        `${columnLabel('status', locale)}: ${statusLabel(item.status, locale)}`,
        `${columnLabel('progress', locale)}: ${item.progress}`,
        `${columnLabel('lead_organisation', locale)}: ${item.leadOrg}`,
        `${columnLabel('workstream', locale)}: ${item.workstreamName}`,
      ].join('\n'),
      start: item.start,
      end: item.end,
      url: `${planUrl}?item=${encodeURIComponent(item.id)}`,
    }));
  const name = feed.organisationCode
    ? `${feed.planTitle} · ${feed.organisationCode}`
    : feed.planTitle;
  return {
    body: writeCalendar({ name, events, stamp: input.now ?? new Date() }),
    planSlug: feed.planSlug,
  };
}
