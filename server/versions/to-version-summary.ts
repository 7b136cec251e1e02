import type { VersionSummary } from '../../domain/versions';
import type { PlanVersionListing } from '../../db/queries/plan-versions';

/** The wire form of a stored version (domain/versions.ts). */
export function toVersionSummary(row: PlanVersionListing): VersionSummary {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    seq: row.seq,
    createdAt: row.createdAt.toISOString(),
    createdBy:
      row.createdById && row.createdByName !== null
        ? { id: row.createdById, name: row.createdByName }
        : null,
  };
}
