/**
 * The activity log's contract: what the server records when the plan document changes
 * (server/projection computes it from the document, never from what a client claims), and what
 * the pages show. One entry per change of one kind to one item by one person; a burst of edits
 * of the same kind folds into one entry (first "from", latest "to").
 */
import type { OrganisationCode } from './organisations';
import type { ItemStatus } from './plan-document';

export const activityKinds = [
  'created',
  'deleted',
  'moved',
  'renamed',
  'status',
  'dates',
  'progress',
  'indicator',
  'description',
  /** The whole plan was restored to a saved version (item_id '' : not about one item). */
  'restored',
] as const;
export type ActivityKind = (typeof activityKinds)[number];

/** What changed, per kind. Names are copied at the time, so the entry reads the same later. */
export type ActivityDetail =
  | { kind: 'created'; workstream: string }
  | { kind: 'deleted' }
  | { kind: 'moved'; from: string; to: string }
  | { kind: 'renamed'; from: string; to: string }
  | { kind: 'status'; from: ItemStatus; to: ItemStatus }
  | {
      kind: 'dates';
      from: { start: string; end: string };
      to: { start: string; end: string };
    }
  | { kind: 'progress'; from: number; to: number }
  | {
      kind: 'indicator';
      indicatorId: string;
      name: string;
      unit: string;
      from: number | null;
      to: number | null;
    }
  | { kind: 'description' }
  | { kind: 'restored'; versionId: string; versionName: string | null; versionCreatedAt: string };

/** One activity entry as the API and socket.io send it. Times are ISO 8601 strings. */
export type ActivityEntry = {
  id: string;
  itemId: string;
  itemTitle: string;
  /** Null when the change cannot be attributed (the account is gone). */
  actor: { id: string; name: string; organisation: OrganisationCode } | null;
  createdAt: string;
  /** Later than createdAt when a burst folded into this entry. */
  updatedAt: string;
} & ActivityDetail;
