import { getFormatter } from 'next-intl/server';

import type { OrganisationCode } from '../../../../domain/organisations';

/** What the calendar panel shows of a feed (never its token, which is not stored). */
export interface CalendarFeedSummary {
  id: string;
  organisationCode: OrganisationCode | null;
  createdAt: string;
  /** The day it was made, formatted on the server: many browsers lack Khmer date data. */
  createdLabel: string;
}

/** A feed as the panel shows it, its date in the UI's language. */
export async function toFeedSummary(feed: {
  id: string;
  organisationCode: OrganisationCode | null;
  createdAt: Date;
}): Promise<CalendarFeedSummary> {
  const format = await getFormatter();
  return {
    id: feed.id,
    organisationCode: feed.organisationCode,
    createdAt: feed.createdAt.toISOString(),
    createdLabel: format.dateTime(feed.createdAt, { dateStyle: 'medium' }),
  };
}
