import { getCurrentDatabase } from '../../db/database';
import { readProjectionStatus } from '../../db/queries/plan-items';
import { rebuildPlanProjection } from '../projection/rebuild-plan-projection';
import type { ProjectionFreshness } from './list-plan-items';

/**
 * Freshness for readers outside the HTTP server's own routes (pages rendered by Next), which
 * cannot reach the server's projector: rows behind the stored log are rebuilt from the log,
 * as the projector itself does for a plan no room holds. The log is the record (everything a
 * client has seen is in it), so the rows end at least as new as anything anyone has seen.
 */
export const storedLogFreshness: ProjectionFreshness = {
  async ensureCurrent(planId) {
    const { db } = getCurrentDatabase();
    const status = await readProjectionStatus(db, planId);
    if (status && status.projectedSeq < status.updateSeq) await rebuildPlanProjection(db, planId);
  },
};
