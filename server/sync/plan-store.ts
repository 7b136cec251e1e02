/**
 * Where a room reads and appends its plan's log. The database implementation is the only one
 * in production; the interface keeps the room free of Drizzle.
 */
import type { DatabaseHandle } from '../../db/database';
import { bindPlanClients, loadPlanClientOwners } from '../../db/queries/plan-clients';
import { appendPlanUpdates, loadPlanLogAfter } from '../../db/queries/plan-log';

export interface StoredPlanLog {
  snapshot: { seq: number; data: Uint8Array } | null;
  updates: Array<{ seq: number; data: Uint8Array }>;
}

export interface PlanStore {
  /** What a replica holding every update up to `afterSeq` lacks; 0 loads the whole plan. */
  load(planId: string, afterSeq?: number): Promise<StoredPlanLog>;
  /** Appends the updates in order, in one transaction; resolves with the last sequence number. */
  append(
    planId: string,
    updates: Array<{ data: Uint8Array; userId: string | null }>,
  ): Promise<number>;
  /** Yjs client id → the user it belongs to. */
  loadClientOwners(planId: string): Promise<Map<number, string>>;
  bindClients(planId: string, bindings: Array<{ clientId: number; userId: string }>): Promise<void>;
}

export function createDatabasePlanStore(database: () => DatabaseHandle): PlanStore {
  return {
    load: (planId, afterSeq = 0) => loadPlanLogAfter(database().db, planId, afterSeq),
    append: (planId, updates) => appendPlanUpdates(database().db, planId, updates),
    loadClientOwners: (planId) => loadPlanClientOwners(database().db, planId),
    bindClients: (planId, bindings) => bindPlanClients(database().db, planId, bindings),
  };
}
