/**
 * Saved versions of a plan document (server/versions): what kinds there are and how the pages
 * and routes describe one. The document a version holds is never sent with the list.
 */
import * as z from 'zod/mini';

export const versionKinds = [
  /** Made automatically, at most once a UTC day, while the plan is being edited. */
  'daily',
  /** Named by a member ("Before the June workshop"). */
  'named',
  /** Made automatically just before a restore replaced the plan. */
  'before-restore',
] as const;
export type VersionKind = (typeof versionKinds)[number];

/** The longest name a member may give a version, in characters once trimmed. */
export const versionNameLength = 120;

/** One version as the history page lists it. Times are ISO 8601 strings. */
export interface VersionSummary {
  id: string;
  kind: VersionKind;
  name: string | null;
  /** The plan log position the version holds. */
  seq: number;
  createdAt: string;
  createdBy: { id: string; name: string } | null;
}

/** What a member sends to save the plan as it is now under a name. */
export const saveVersionInput = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(versionNameLength)),
});
export type SaveVersionInput = z.infer<typeof saveVersionInput>;

/** A version id as pages and routes receive it (anything else is "no such version"). */
export const versionIdSchema = z
  .string()
  .check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i));

/** What a restore answers. */
export interface RestoreResult {
  /** The plan's epoch after the restore. */
  epoch: number;
  /** The log position that holds the restore. */
  seq: number;
  /** The version saved just before, holding the plan as it was. */
  beforeRestore: VersionSummary;
}
