import { DomainError } from '../../domain/domain-error';
import { projectPlan } from '../../domain/item-projection';
import { readPlan, type PlanView } from '../../domain/plan-document';
import { diffPlanVersions, type VersionChanges } from '../../domain/version-diff';
import { versionIdSchema, type VersionSummary } from '../../domain/versions';
import { getCurrentDatabase } from '../../db/database';
import { findPlanVersion } from '../../db/queries/plan-versions';
import { getPlanAccess, type PlanAccess } from '../use-cases/get-plan-access';
import { loadPlanDocument, versionDocument } from './load-plan-document';
import { toVersionSummary } from './to-version-summary';

export interface VersionDetail {
  version: VersionSummary;
  /** The plan as the version holds it. */
  content: PlanView;
  /** What changed between the version and the plan now. */
  changes: VersionChanges;
}

/**
 * One saved version, read-only, with what changed since, for any member. An id that is not a
 * version of this plan (another plan's, made up, malformed) is not_found.
 */
export async function getVersion(
  slug: string,
  userId: string,
  versionId: string,
): Promise<PlanAccess & VersionDetail> {
  const access = await getPlanAccess(slug, userId);
  const id = versionIdSchema.safeParse(versionId);
  if (!id.success) throw new DomainError('not_found', 'no such version');
  const { db } = getCurrentDatabase();
  const row = await findPlanVersion(db, access.plan.id, id.data);
  if (!row) throw new DomainError('not_found', 'no such version');
  const then = versionDocument(row.data);
  const { doc: now } = await loadPlanDocument(db, access.plan.id);
  try {
    return {
      ...access,
      version: toVersionSummary(row),
      content: readPlan(then),
      changes: diffPlanVersions(projectPlan(then), projectPlan(now)),
    };
  } finally {
    then.destroy();
    now.destroy();
  }
}
