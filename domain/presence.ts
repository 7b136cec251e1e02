/**
 * Presence (Yjs awareness) state. The server builds the `user` part from the session; a client
 * may only say which item it is looking at, where its text cursor is in a description, and which
 * card it is dragging where. Anything else a client puts in its awareness state is dropped
 * before it reaches anyone.
 */
import * as z from 'zod/mini';

import { organisationCodes } from './organisations';
import { itemStatuses } from './plan-document';

export const presenceUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  organisation: z.enum(organisationCodes),
  color: z.string().check(z.regex(/^#[0-9a-f]{6}$/)),
});
export type PresenceUser = z.infer<typeof presenceUserSchema>;

const entryId = z.string().check(z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/));

const count = z.int().check(z.minimum(0));
const yjsId = z.strictObject({ client: count, clock: count });

/**
 * A Yjs relative position as `Y.relativePositionToJSON` writes it (unset fields left out), or as
 * y-tiptap sends it: the `Y.RelativePosition` object itself, whose unset fields are `null`.
 */
const relativePosition = z.strictObject({
  type: z.optional(z.nullable(yjsId)),
  tname: z.optional(z.nullable(z.string().check(z.maxLength(64)))),
  item: z.optional(z.nullable(yjsId)),
  assoc: z.optional(z.int().check(z.minimum(-1), z.maximum(0))),
});

/** A text cursor or selection in the description editor (y-tiptap's `cursor` field). */
export const cursorSchema = z.strictObject({ anchor: relativePosition, head: relativePosition });

/** A card on its way somewhere: others see it there before it is dropped. */
export const draggingSchema = z.strictObject({
  itemId: entryId,
  status: z.enum(itemStatuses),
  workstreamId: entryId,
  /** Index in the target list as the dragger sees it. */
  index: z.int().check(z.minimum(0), z.maximum(10_000)),
});
export type Dragging = z.infer<typeof draggingSchema>;

export const presenceStateSchema = z.object({
  user: presenceUserSchema,
  focus: z.nullable(z.string().check(z.maxLength(64))),
  cursor: z.optional(z.nullable(cursorSchema)),
  dragging: z.optional(z.nullable(draggingSchema)),
});
export type PresenceState = z.infer<typeof presenceStateSchema>;

/** What a client may set itself. A field that breaks its schema is dropped, not the whole state. */
export const clientPresenceInput = z.object({
  focus: z.catch(z.nullable(entryId), null),
  cursor: z.catch(z.nullable(cursorSchema), null),
  dragging: z.catch(z.nullable(draggingSchema), null),
});

/** Colours with at least 4.5:1 contrast against white text. */
const palette = [
  '#1d4ed8',
  '#047857',
  '#b45309',
  '#7c3aed',
  '#be123c',
  '#0e7490',
  '#4d7c0f',
  '#a21caf',
  '#c2410c',
  '#334155',
];

/** A stable colour per user, the same in every browser. */
export function colorForUser(userId: string): string {
  let hash = 0;
  for (let index = 0; index < userId.length; index++) {
    hash = (hash * 31 + userId.charCodeAt(index)) >>> 0;
  }
  return palette[hash % palette.length] ?? '#334155';
}
