/**
 * Presence (Yjs awareness) state. The server builds the `user` part from the session; a client
 * may only say which item it is looking at. Anything else a client puts in its awareness state
 * is dropped before it reaches anyone.
 */
import { z } from 'zod';

import { organisationCodes } from './organisations';

export const presenceUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  organisation: z.enum(organisationCodes),
  color: z.string().regex(/^#[0-9a-f]{6}$/),
});
export type PresenceUser = z.infer<typeof presenceUserSchema>;

export const presenceStateSchema = z.object({
  user: presenceUserSchema,
  focus: z.string().max(64).nullable(),
});
export type PresenceState = z.infer<typeof presenceStateSchema>;

/** What a client may set itself. */
export const clientPresenceInput = z.object({
  focus: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/)
    .nullable()
    .catch(null),
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
