/**
 * Where a room reads and appends its plan's log. The database implementation is the only one
 * in production; the interface keeps the room free of Drizzle.
 */
import type { DatabaseHandle } from '../../db/database';
import { appendPlanUpdates, loadPlanLog } from '../../db/queries/plan-log';

export interface StoredPlanLog {
  snapshot: { seq: number; data: Uint8Array } | null;
  updates: Array<{ seq: number; data: Uint8Array }>;
}

export interface PlanStore {
  load(planId: string): Promise<StoredPlanLog>;
  /** Appends the updates in order, in one transaction; resolves with the last sequence number. */
  append(
    planId: string,
    updates: Array<{ data: Uint8Array; userId: string | null }>,
  ): Promise<number>;
}

export function createDatabasePlanStore(database: () => DatabaseHandle): PlanStore {
  return {
    load: (planId) => loadPlanLog(database().db, planId),
    append: (planId, updates) => appendPlanUpdates(database().db, planId, updates),
  };
}
