import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

import type { Item, PlanMeta, Workstream } from '../../../../domain/plan-document';
import type { PlanMember } from '../../../../domain/roles';
import type { PresenceUser } from '../../../lib/plan-connection';
import type { SessionUser } from '../../../../server/auth/current-user';

/** What every view of a plan (board, timeline, table) gets from the workspace. */
export interface PlanViewProps {
  doc: Y.Doc;
  awareness: Awareness;
  meta: PlanMeta | null;
  workstreams: Workstream[];
  /** The items the filter lets through, in position order. */
  items: Item[];
  /** Every item, filtered or not: moves place an item between neighbours of the whole plan. */
  allItems: Item[];
  members: PlanMember[];
  /** Everyone on the plan now, the user included (`isSelf`). */
  presence: PresenceUser[];
  /** False for commenters and viewers, and while the connection is closed for good. */
  canEdit: boolean;
  user: SessionUser;
  /** Opens the card's details (the `item` URL parameter). */
  onOpenItem: (itemId: string) => void;
  /** Tells screen-reader users what just happened ("… moved to Done."). */
  announce: (message: string) => void;
}
