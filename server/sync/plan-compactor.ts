/**
 * Decides when this process compacts which plan, and runs those compactions in the background
 * (the how, and why it is safe, is in compact-plan.ts).
 *
 * A plan is compacted when the updates after its latest snapshot pass a count or a size, as
 * seen after each commit, and once more when the plan unloads, so that its next cold open reads
 * one snapshot and hardly any tail. Compactions never run on a commit's path: a commit only
 * updates two counters here, and the work starts on a later turn of the event loop. At most one
 * compaction of a plan runs at a time in this process; a request meanwhile runs after it.
 * Several processes may still compact one plan at once, which is safe.
 *
 * A plan is tracked while it is loaded or compacting, and forgotten after its last compaction,
 * so this holds nothing for plans nobody has open.
 */
import type { Database } from '../../db/database';
import type { Logger } from '../logger';
import { compactPlan, type CompactionResult } from './compact-plan';

export interface PlanCompactorOptions {
  /** Compact once this many updates follow the latest snapshot… */
  maxTailUpdates: number;
  /** …or once they hold this many bytes. */
  maxTailBytes: number;
}

export const defaultCompactionThresholds: PlanCompactorOptions = {
  maxTailUpdates: 500,
  maxTailBytes: 1024 * 1024,
};

/** 'threshold': fold if the tail passes a threshold; 'all': fold any tail (the plan unloads). */
type CompactionMode = 'threshold' | 'all';

interface TrackedPlan {
  loaded: boolean;
  /** The latest snapshot seq this process knows of; null until a compaction has looked. */
  snapshotSeq: number | null;
  /** The highest seq committed here or seen by a compaction here. */
  lastSeq: number;
  /** Bytes committed here since the last compaction here started. */
  tailBytes: number;
  running: Promise<void> | null;
  requested: CompactionMode | null;
}

export class PlanCompactor {
  private readonly plans = new Map<string, TrackedPlan>();
  private readonly database: () => Database;
  private readonly log: Logger;
  private readonly options: PlanCompactorOptions;
  private closed = false;
  /** Told after each compaction that succeeded (e.g. to check the item projection). */
  onCompacted: ((planId: string, result: CompactionResult) => void) | null = null;

  constructor(
    database: () => Database,
    log: Logger,
    options: PlanCompactorOptions = defaultCompactionThresholds,
  ) {
    this.database = database;
    this.log = log;
    this.options = options;
  }

  /** Plans tracked: loaded here, or with a compaction still running. */
  get trackedCount(): number {
    return this.plans.size;
  }

  get runningCount(): number {
    let running = 0;
    for (const plan of this.plans.values()) if (plan.running) running += 1;
    return running;
  }

  /**
   * A room loaded the plan. Its tail may be long (a crash before the last unload compaction, or
   * a process that never compacts), so look once, in the background.
   */
  planLoaded(planId: string): void {
    this.track(planId).loaded = true;
    this.request(planId, 'threshold');
  }

  /** Called after each commit of a loaded plan (PlanRoomHooks.committed); cheap. */
  planCommitted(planId: string, commit: { lastSeq: number; count: number; bytes: number }): void {
    const plan = this.track(planId);
    plan.lastSeq = Math.max(plan.lastSeq, commit.lastSeq);
    plan.tailBytes += commit.bytes;
    // Until a compaction has read the latest snapshot's seq, the whole log counts as tail: an
    // overestimate costs one status query, which then tells the truth.
    const tailUpdates = plan.lastSeq - (plan.snapshotSeq ?? 0);
    if (tailUpdates >= this.options.maxTailUpdates || plan.tailBytes >= this.options.maxTailBytes) {
      this.request(planId, 'threshold');
    }
  }

  /** The plan's room unloaded: fold whatever tail it left, then forget the plan. */
  planUnloaded(planId: string): void {
    const plan = this.plans.get(planId);
    if (plan) {
      plan.loaded = false;
      // Nothing was committed since a compaction here found no tail: nothing to fold, and no
      // need to ask the database again (a room opened only to read unloads often).
      const folded = plan.snapshotSeq !== null && plan.lastSeq <= plan.snapshotSeq;
      if (folded && !plan.running) {
        this.plans.delete(planId);
        return;
      }
    }
    this.request(planId, 'all');
  }

  /** Compacts a plan now (or after the one running), folding any tail. For tools and tests. */
  async compactNow(planId: string): Promise<void> {
    this.request(planId, 'all');
    await this.idle(planId);
  }

  /** Resolves once no compaction runs (of `planId`, or of any plan). */
  async idle(planId?: string): Promise<void> {
    for (;;) {
      const running = [...this.plans]
        .filter(([id]) => planId === undefined || id === planId)
        .flatMap(([, plan]) => (plan.running ? [plan.running] : []));
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  /** For shutdown: starts nothing new and waits for what runs. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private track(planId: string): TrackedPlan {
    let plan = this.plans.get(planId);
    if (!plan) {
      plan = {
        loaded: false,
        snapshotSeq: null,
        lastSeq: 0,
        tailBytes: 0,
        running: null,
        requested: null,
      };
      this.plans.set(planId, plan);
    }
    return plan;
  }

  private request(planId: string, mode: CompactionMode): void {
    if (this.closed) return;
    const plan = this.track(planId);
    if (plan.running) {
      if (plan.requested !== 'all') plan.requested = mode;
      return;
    }
    plan.running = this.run(planId, plan, mode);
  }

  private async run(planId: string, plan: TrackedPlan, mode: CompactionMode): Promise<void> {
    // Start on a later turn: whoever asked (a commit, an unload) goes on first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const startedBytes = plan.tailBytes;
    const started = performance.now();
    try {
      const result: CompactionResult = await compactPlan(this.database(), planId, {
        minTailUpdates: mode === 'all' ? 1 : this.options.maxTailUpdates,
        minTailBytes: mode === 'all' ? 0 : this.options.maxTailBytes,
      });
      plan.snapshotSeq = result.snapshotSeq;
      plan.lastSeq = Math.max(plan.lastSeq, result.lastSeq);
      plan.tailBytes = Math.max(0, plan.tailBytes - startedBytes);
      this.onCompacted?.(planId, result);
      if (result.missingDependencies) {
        this.log.warn({ planId }, 'compacted a plan log with updates lacking dependencies');
      }
      if (result.folded > 0 || result.prunedUpdates > 0 || result.prunedSnapshots > 0) {
        this.log.debug(
          { planId, ...result, ms: Math.round(performance.now() - started) },
          'plan compacted',
        );
      }
    } catch (error) {
      // Nothing is lost: the log stays as it was, and the next trigger tries again.
      this.log.warn({ planId, err: error }, 'plan compaction failed');
    } finally {
      plan.running = null;
      const next = plan.requested;
      plan.requested = null;
      if (next && !this.closed) this.request(planId, next);
      else if (!plan.loaded) this.plans.delete(planId);
    }
  }
}
