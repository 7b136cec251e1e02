'use server';

import { z } from 'zod';

import { isDomainError } from '../../../../domain/domain-error';
import { organisationCodes } from '../../../../domain/organisations';
import { isPlanSlug } from '../../../../domain/sync-protocol';
import { getCurrentUser } from '../../../../server/auth/current-user';
import {
  createCalendarFeed,
  revokeCalendarFeed,
} from '../../../../server/use-cases/calendar-feeds';
import { toFeedSummary, type CalendarFeedSummary } from './feed-summary';

export type CalendarActionResult<T> =
  | ({ ok: true } & T)
  | { ok: false; error: 'unauthenticated' | 'not_found' | 'too_many' | 'failed' };

const createInput = z.object({
  slug: z.string().refine(isPlanSlug),
  organisationCode: z.enum(organisationCodes).nullable(),
});

const revokeInput = z.object({
  slug: z.string().refine(isPlanSlug),
  feedId: z.uuid(),
});

function refusal(error: unknown): CalendarActionResult<never> {
  if (isDomainError(error)) {
    if (error.code === 'not_found') return { ok: false, error: 'not_found' };
    if (error.code === 'conflict') return { ok: false, error: 'too_many' };
  }
  console.error('calendar feed action failed', error);
  return { ok: false, error: 'failed' };
}

/**
 * Creates a calendar feed for the signed-in member. The token comes back once, here; only its
 * hash is stored. Membership is checked by the use case (any role may follow dates).
 */
export async function createCalendarFeedAction(
  input: unknown,
): Promise<CalendarActionResult<{ token: string; feed: CalendarFeedSummary }>> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: 'unauthenticated' };
  const parsed = createInput.safeParse(input);
  if (!parsed.success) return { ok: false, error: 'not_found' };
  try {
    const { feed, token } = await createCalendarFeed({ ...parsed.data, userId: user.id });
    return { ok: true, token, feed: await toFeedSummary(feed) };
  } catch (error) {
    return refusal(error);
  }
}

/** Revokes one of the signed-in member's own feeds of the plan. */
export async function revokeCalendarFeedAction(
  input: unknown,
): Promise<CalendarActionResult<object>> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: 'unauthenticated' };
  const parsed = revokeInput.safeParse(input);
  if (!parsed.success) return { ok: false, error: 'not_found' };
  try {
    await revokeCalendarFeed({ ...parsed.data, userId: user.id });
    return { ok: true };
  } catch (error) {
    return refusal(error);
  }
}
