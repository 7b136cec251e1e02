/**
 * Where a room reads and appends its plan's log. The database implementation is the only one
 * in production; the interface keeps the room free of Drizzle.
 */
import { DomainError } from '../../domain/domain-error';
import type { DatabaseHandle } from '../../db/database';
import { bindPlanClients, loadPlanClientOwners } from '../../db/queries/plan-clients';
import {
  appendPlanUpdateGroups,
  appendPlanUpdates,
  loadPlanLogAfter,
  type PlanUpdateGroup,
  type PlanUpdateInput,
} from '../../db/queries/plan-log';

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
    append: createAppendBatcher(
      (groups) => appendPlanUpdateGroups(database().db, groups),
      (planId) => appendPlanUpdates(database().db, planId, []),
    ),
    loadClientOwners: (planId) => loadPlanClientOwners(database().db, planId),
    bindClients: (planId, bindings) => bindPlanClients(database().db, planId, bindings),
  };
}

interface PendingAppend {
  planId: string;
  updates: readonly PlanUpdateInput[];
  resolve(last: number): void;
  reject(error: unknown): void;
}

/**
 * Group commit across rooms: the appends of every room that flushes in one turn of the event loop
 * go to the database in one statement (one round trip and one commit instead of one per room),
 * on the next turn. Each append still resolves only once that statement has committed, with its
 * own last seq. If the statement fails, each plan is committed alone, so one plan the database
 * refuses fails only its own appends (its room fails its batch as before). A plan that is gone
 * rejects only its own appends (`not_found`).
 */
function createAppendBatcher(
  commit: (groups: PlanUpdateGroup[]) => Promise<Map<string, number>>,
  currentSeq: (planId: string) => Promise<number>,
): PlanStore['append'] {
  let pending: PendingAppend[] = [];

  async function commitPending(): Promise<void> {
    const batch = pending;
    pending = [];
    // A room appends one batch at a time, but keep two appends for one plan in one tick correct
    // anyway: one group, in arrival order.
    const byPlan = new Map<string, PendingAppend[]>();
    for (const append of batch) {
      const appends = byPlan.get(append.planId);
      if (appends) appends.push(append);
      else byPlan.set(append.planId, [append]);
    }
    const groupOf = (planId: string, appends: PendingAppend[]): PlanUpdateGroup => ({
      planId,
      updates: appends.flatMap((append) => append.updates),
    });
    let lasts: Map<string, number>;
    try {
      lasts = await commit([...byPlan].map(([planId, appends]) => groupOf(planId, appends)));
    } catch (error) {
      if (byPlan.size === 1) {
        for (const append of batch) append.reject(error);
        return;
      }
      // The statement committed nothing. One plan's rows may be what the database refused (an
      // author deleted mid-session): commit each plan alone, so only that plan's appends fail.
      // If the database itself is down, each attempt fails fast and every append is rejected.
      lasts = new Map();
      for (const [planId, appends] of byPlan) {
        try {
          for (const [id, last] of await commit([groupOf(planId, appends)])) lasts.set(id, last);
        } catch (alone) {
          for (const append of appends) append.reject(alone);
          byPlan.delete(planId);
        }
      }
    }
    for (const [planId, appends] of byPlan) {
      let last = lasts.get(planId);
      if (last === undefined) {
        const error = new DomainError('not_found', `plan ${planId} does not exist`);
        for (const append of appends) append.reject(error);
        continue;
      }
      for (const append of [...appends].reverse()) {
        append.resolve(last);
        last -= append.updates.length;
      }
    }
  }

  return (planId, updates) => {
    if (updates.length === 0) return currentSeq(planId);
    return new Promise<number>((resolve, reject) => {
      if (pending.length === 0) setImmediate(() => void commitPending());
      pending.push({ planId, updates, resolve, reject });
    });
  };
}
