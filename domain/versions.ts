/**
 * Saved versions of a plan document (server/versions): what kinds there are and how the pages
 * and routes describe one. The document a version holds is never sent with the list.
 */
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
