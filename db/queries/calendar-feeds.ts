/** Calendar feeds: secret iCal URLs, one per member's choice of plan (and organisation). */
import { and, desc, eq, isNull } from 'drizzle-orm';

import type { OrganisationCode } from '../../domain/organisations';
import type { Database } from '../database';
import { calendarFeeds, planMembers, plans } from '../schema';

export interface CalendarFeedRecord {
  id: string;
  organisationCode: OrganisationCode | null;
  createdAt: Date;
}

export async function insertCalendarFeed(
  db: Database,
  input: {
    planId: string;
    userId: string;
    organisationCode: OrganisationCode | null;
    tokenHash: string;
  },
): Promise<CalendarFeedRecord> {
  const [row] = await db.insert(calendarFeeds).values(input).returning({
    id: calendarFeeds.id,
    organisationCode: calendarFeeds.organisationCode,
    createdAt: calendarFeeds.createdAt,
  });
  if (!row) throw new Error('calendar feed insert returned nothing');
  return row;
}

/** A member's feeds of one plan that still work, newest first. */
export async function listCalendarFeeds(
  db: Database,
  planId: string,
  userId: string,
): Promise<CalendarFeedRecord[]> {
  return db
    .select({
      id: calendarFeeds.id,
      organisationCode: calendarFeeds.organisationCode,
      createdAt: calendarFeeds.createdAt,
    })
    .from(calendarFeeds)
    .where(
      and(
        eq(calendarFeeds.planId, planId),
        eq(calendarFeeds.userId, userId),
        isNull(calendarFeeds.revokedAt),
      ),
    )
    .orderBy(desc(calendarFeeds.createdAt));
}

/** Revokes one of the member's own feeds; false when there was none to revoke. */
export async function revokeCalendarFeed(
  db: Database,
  input: { feedId: string; planId: string; userId: string },
): Promise<boolean> {
  const rows = await db
    .update(calendarFeeds)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(calendarFeeds.id, input.feedId),
        eq(calendarFeeds.planId, input.planId),
        eq(calendarFeeds.userId, input.userId),
        isNull(calendarFeeds.revokedAt),
      ),
    )
    .returning({ id: calendarFeeds.id });
  return rows.length > 0;
}

/**
 * The feed a token hash opens, if it is not revoked and its owner is still a member of its plan
 * (the join: a removed member's feeds stop at once, without anyone revoking them).
 */
export async function findLiveCalendarFeed(
  db: Database,
  tokenHash: string,
): Promise<{
  planId: string;
  planSlug: string;
  planTitle: string;
  organisationCode: OrganisationCode | null;
} | null> {
  const [row] = await db
    .select({
      planId: plans.id,
      planSlug: plans.slug,
      planTitle: plans.title,
      organisationCode: calendarFeeds.organisationCode,
    })
    .from(calendarFeeds)
    .innerJoin(plans, eq(plans.id, calendarFeeds.planId))
    .innerJoin(
      planMembers,
      and(
        eq(planMembers.planId, calendarFeeds.planId),
        eq(planMembers.userId, calendarFeeds.userId),
      ),
    )
    .where(and(eq(calendarFeeds.tokenHash, tokenHash), isNull(calendarFeeds.revokedAt)))
    .limit(1);
  return row ?? null;
}
