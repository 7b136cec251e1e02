import type { VersionSummary } from '../../domain/versions';
import { getCurrentDatabase } from '../../db/database';
import { listPlanVersions } from '../../db/queries/plan-versions';
import { getPlanAccess, type PlanAccess } from '../use-cases/get-plan-access';
import { toVersionSummary } from './to-version-summary';

/** A plan's saved versions, newest first, for any member. Unknown plan or non-member: not_found. */
export async function listVersions(
  slug: string,
  userId: string,
): Promise<PlanAccess & { versions: VersionSummary[] }> {
  const access = await getPlanAccess(slug, userId);
  const rows = await listPlanVersions(getCurrentDatabase().db, access.plan.id);
  return { ...access, versions: rows.map(toVersionSummary) };
}
