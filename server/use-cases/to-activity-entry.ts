import type { ActivityEntry } from '../../domain/activity';
import type { ActivityRecord } from '../../db/queries/plan-activity';

/** The wire form of a stored activity entry (domain/activity.ts). */
export function toActivityEntry(record: ActivityRecord): ActivityEntry {
  return {
    ...record.detail,
    id: record.id,
    itemId: record.itemId,
    itemTitle: record.itemTitle,
    actor:
      record.actorId && record.actorName !== null && record.actorOrganisation !== null
        ? { id: record.actorId, name: record.actorName, organisation: record.actorOrganisation }
        : null,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}
