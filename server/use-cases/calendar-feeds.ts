/**
 * A member's calendar feeds of a plan: create (the token is returned once, never stored),
 * list, revoke. Every member may have feeds (viewers follow the plan in their calendar too);
 * each sees and revokes only their own.
 */
import { DomainError } from '../../domain/domain-error';
import type { OrganisationCode } from '../../domain/organisations';
import { getCurrentDatabase } from '../../db/database';
import {
  insertCalendarFeed,
  listCalendarFeeds as listStoredFeeds,
  revokeCalendarFeed as revokeStoredFeed,
  type CalendarFeedRecord,
} from '../../db/queries/calendar-feeds';
import { hashCalendarFeedToken, newCalendarFeedToken } from './calendar-feed-token';
import { getPlanAccess } from './get-plan-access';

/** Enough for every organisation and a few spares; a guard against a loop creating thousands. */
export const maxCalendarFeedsPerMember = 20;

export async function createCalendarFeed(input: {
  slug: string;
  userId: string;
  organisationCode: OrganisationCode | null;
}): Promise<{ feed: CalendarFeedRecord; token: string }> {
  const { plan } = await getPlanAccess(input.slug, input.userId);
  const { db } = getCurrentDatabase();
  const existing = await listStoredFeeds(db, plan.id, input.userId);
  if (existing.length >= maxCalendarFeedsPerMember) {
    throw new DomainError(
      'conflict',
      `at most ${maxCalendarFeedsPerMember} calendar feeds; revoke one first`,
    );
  }
  const token = newCalendarFeedToken();
  const feed = await insertCalendarFeed(db, {
    planId: plan.id,
    userId: input.userId,
    organisationCode: input.organisationCode,
    tokenHash: hashCalendarFeedToken(token),
  });
  return { feed, token };
}

export async function listCalendarFeeds(
  slug: string,
  userId: string,
): Promise<CalendarFeedRecord[]> {
  const { plan } = await getPlanAccess(slug, userId);
  return listStoredFeeds(getCurrentDatabase().db, plan.id, userId);
}

export async function revokeCalendarFeed(input: {
  slug: string;
  userId: string;
  feedId: string;
}): Promise<void> {
  const { plan } = await getPlanAccess(input.slug, input.userId);
  const revoked = await revokeStoredFeed(getCurrentDatabase().db, {
    feedId: input.feedId,
    planId: plan.id,
    userId: input.userId,
  });
  if (!revoked) throw new DomainError('not_found', 'no such calendar feed');
}
