/**
 * Keeps the relational projection of items (`plan_items`) and the activity log (`plan_activity`)
 * in step with the plan rooms of this instance.
 *
 *   room loaded ─▶ project every item once (memory: the last projected state of each item)
 *   each transaction on the room's document
 *     ─▶ the items it touched (collectChangeScope; a renamed workstream touches its items)
 *     ─▶ project those again, diff against memory (domain/item-activity.ts), update memory
 *     ─▶ local: remember the items and the activity, attributed to the owners of the client ids
 *        whose clock advanced (else to the sending connection's user)
 *        remote (another instance committed it): memory only; that instance records it
 *   commit (PlanRoomHooks.committed) ─▶ what was remembered now belongs to seq `lastSeq`
 *     ─▶ the plan's writer, on a later turn: upsert/delete those rows, set plans.projected_seq,
 *        record the activity (folding bursts), announce `activity:recorded`
 *
 * The per-transaction work is proportional to the items touched; the database work never runs
 * on the commit's path. A plan has at most one write in flight here; whatever commits meanwhile
 * waits and goes in the next write, together (coalescing).
 *
 * Rows are written with the seq they reflect and never replaced by an older one (see
 * db/queries/plan-items.ts), so several instances writing one plan's rows converge.
 */
import * as Y from 'yjs';

import type { ActivityEntry } from '../../domain/activity';
import { diffItemProjections } from '../../domain/item-activity';
import { projectItem, projectPlan, type ItemProjection } from '../../domain/item-projection';
import { collectChangeScope } from '../../domain/plan-document';
import type { Database } from '../../db/database';
import { recordActivity, type NewActivity } from '../../db/queries/plan-activity';
import {
  deletePlanItems,
  markPlanProjected,
  readProjectionStatus,
  upsertPlanItems,
} from '../../db/queries/plan-items';
import { findPlanById } from '../../db/queries/plans';
import type { Logger } from '../logger';
import { planRoomName, type RealtimeServer } from '../realtime/realtime-server';
import { remoteOrigin, type PlanRoom, type RoomConnection } from '../sync/plan-room';
import { toActivityEntry } from '../use-cases/to-activity-entry';
import { rebuildPlanProjection, writePlanProjection } from './rebuild-plan-projection';

export interface RecordedActivity {
  entry: ActivityEntry;
  actorId: string | null;
}

export interface ItemProjectorOptions {
  database: () => Database;
  log: Logger;
  /** Where `activity:recorded` goes; none in tests that need no socket.io. */
  io?: () => RealtimeServer | null;
  /** Told after each write of activity entries (e.g. to notify followers of a status change). */
  onRecorded?(plan: { id: string; slug: string }, entries: RecordedActivity[]): void;
  /** How long a failed write waits before it is tried again (default 1 s). */
  retryMs?: number;
}

type PendingActivity = Omit<NewActivity, 'seq' | 'planId'>;

interface TrackedRoom {
  room: PlanRoom;
  /** The last projected state of each item, as the room's document holds it. */
  projected: Map<string, ItemProjection>;
  /** Touched by local transactions not yet committed (a commit hook moves them on). */
  uncommittedItems: Set<string>;
  uncommittedActivity: PendingActivity[];
  /** Committed, waiting for the writer. */
  dirtyItems: Set<string>;
  activity: NewActivity[];
  /** A whole-plan write is due (the room loaded behind its projection). */
  full: boolean;
  /** The highest seq committed here (or loaded) that the rows should reflect. */
  committedSeq: number;
  writing: Promise<void> | null;
  retry: NodeJS.Timeout | null;
  detached: boolean;
  slug: string | null;
  listener: (transaction: Y.Transaction) => void;
}

/**
 * Whether rows at `projectedSeq` may miss what the log holds at `seq`. Seq 0 is also the
 * seed's snapshot, so a plan never projected (0) counts as behind even at seq 0.
 */
function isBehind(projectedSeq: number, seq: number): boolean {
  return projectedSeq < seq || projectedSeq === 0;
}

function isConnection(origin: unknown): origin is RoomConnection {
  return (
    typeof origin === 'object' &&
    origin !== null &&
    'user' in origin &&
    typeof (origin as { user?: { id?: unknown } }).user?.id === 'string'
  );
}

export class ItemProjector {
  private readonly rooms = new Map<PlanRoom, TrackedRoom>();
  private readonly options: ItemProjectorOptions;
  private readonly log: Logger;
  private closed = false;

  constructor(options: ItemProjectorOptions) {
    this.options = options;
    this.log = options.log;
  }

  /** PlanRoomHooks.loaded: start observing, and catch up the rows if they are behind. */
  attach(room: PlanRoom): void {
    const tracked: TrackedRoom = {
      room,
      projected: projectPlan(room.doc),
      uncommittedItems: new Set(),
      uncommittedActivity: [],
      dirtyItems: new Set(),
      activity: [],
      full: false,
      committedSeq: room.seq,
      writing: null,
      retry: null,
      detached: false,
      slug: null,
      listener: (transaction) => this.observe(tracked, transaction),
    };
    this.rooms.set(room, tracked);
    room.doc.on('afterTransaction', tracked.listener);
    void this.checkBehind(tracked);
  }

  /** PlanRoomHooks.committed: what the room's transactions touched now belongs to `lastSeq`. */
  committed(room: PlanRoom, commit: { lastSeq: number }): void {
    const tracked = this.rooms.get(room);
    if (!tracked) return;
    tracked.committedSeq = Math.max(tracked.committedSeq, commit.lastSeq);
    if (tracked.uncommittedItems.size === 0 && tracked.uncommittedActivity.length === 0) return;
    for (const itemId of tracked.uncommittedItems) tracked.dirtyItems.add(itemId);
    for (const entry of tracked.uncommittedActivity) {
      tracked.activity.push({ ...entry, planId: room.planId, seq: commit.lastSeq });
    }
    tracked.uncommittedItems.clear();
    tracked.uncommittedActivity = [];
    this.schedule(tracked);
  }

  /** PlanRoomHooks.destroyed: stop observing; what is committed is still written. */
  detach(room: PlanRoom): void {
    const tracked = this.rooms.get(room);
    if (!tracked) return;
    tracked.detached = true;
    room.doc.off('afterTransaction', tracked.listener);
    if (!tracked.writing && !tracked.retry) this.rooms.delete(room);
  }

  /** Resolves once the writes of `planId` (or of every plan) that are due here are done. */
  async flush(planId?: string): Promise<void> {
    for (;;) {
      const writing = [...this.rooms.values()]
        .filter((tracked) => planId === undefined || tracked.room.planId === planId)
        .flatMap((tracked) => (tracked.writing ? [tracked.writing] : []));
      if (writing.length === 0) return;
      await Promise.all(writing);
    }
  }

  /**
   * Makes the rows at least as new as the stored log: waits for this instance's writes, then, if
   * `plans.projected_seq` is still behind `update_seq`, rebuilds the plan's rows (from the loaded
   * room when it holds the log's end, else from the stored log).
   */
  async ensureCurrent(planId: string): Promise<void> {
    await this.flush(planId);
    const db = this.options.database();
    const status = await readProjectionStatus(db, planId);
    if (!status || !isBehind(status.projectedSeq, status.updateSeq)) return;
    const tracked = [...this.rooms.values()].find(
      (candidate) =>
        candidate.room.planId === planId &&
        !candidate.detached &&
        candidate.room.seq >= status.updateSeq,
    );
    if (tracked) {
      tracked.full = true;
      this.schedule(tracked);
      await this.flush(planId);
      return;
    }
    await rebuildPlanProjection(db, planId);
  }

  /** PlanCompactor.onCompacted: a compaction is a good moment to check the rows are current. */
  compacted(planId: string): void {
    if (this.closed) return;
    this.ensureCurrent(planId).catch((error: unknown) => {
      this.log.warn({ planId, err: error }, 'could not rebuild the item projection');
    });
  }

  /** For shutdown: writes what is due, then starts nothing new. */
  async close(): Promise<void> {
    for (const tracked of this.rooms.values()) {
      if (tracked.retry) {
        clearTimeout(tracked.retry);
        tracked.retry = null;
        this.schedule(tracked);
      }
    }
    await this.flush();
    this.closed = true;
  }

  // -------------------------------------------------------------------------------------------

  private observe(tracked: TrackedRoom, transaction: Y.Transaction): void {
    if (transaction.changed.size === 0) return;
    const { room } = tracked;
    const scope = collectChangeScope(room.doc, transaction);
    let itemIds: Set<string>;
    if (typeof scope === 'string') {
      // The room checked every update before applying it; this cannot happen. Re-read all.
      itemIds = new Set([...tracked.projected.keys(), ...projectPlan(room.doc).keys()]);
    } else {
      itemIds = scope.items;
      if (scope.workstreams.size > 0) {
        // A renamed workstream changes the name its items' rows carry.
        for (const [itemId, projection] of tracked.projected) {
          if (scope.workstreams.has(projection.workstreamId)) itemIds.add(itemId);
        }
      }
    }
    if (itemIds.size === 0) return;
    const local = transaction.origin !== remoteOrigin;
    const actorId = local ? this.actorOf(tracked, transaction) : null;
    for (const itemId of itemIds) {
      const before = tracked.projected.get(itemId);
      const after = projectItem(room.doc, itemId) ?? undefined;
      if (after) tracked.projected.set(itemId, after);
      else tracked.projected.delete(itemId);
      if (!local) continue;
      tracked.uncommittedItems.add(itemId);
      const title = after?.title ?? before?.title ?? '';
      for (const detail of diffItemProjections(before, after)) {
        tracked.uncommittedActivity.push({ itemId, itemTitle: title, actorId, detail });
      }
    }
  }

  /**
   * The user behind a transaction: the owner of a client id whose clock it advanced (DESIGN.md,
   * "Attribution"). A pure deletion advances no clock; then the connection that sent it.
   */
  private actorOf(tracked: TrackedRoom, transaction: Y.Transaction): string | null {
    for (const [clientId, clock] of transaction.afterState) {
      if (clock <= (transaction.beforeState.get(clientId) ?? 0)) continue;
      const owner = tracked.room.clientOwner(clientId);
      if (owner) return owner;
    }
    return isConnection(transaction.origin) ? transaction.origin.user.id : null;
  }

  private async checkBehind(tracked: TrackedRoom): Promise<void> {
    try {
      const status = await readProjectionStatus(this.options.database(), tracked.room.planId);
      if (status && isBehind(status.projectedSeq, tracked.room.seq)) {
        tracked.full = true;
        this.schedule(tracked);
      }
    } catch (error) {
      this.log.warn(
        { planId: tracked.room.planId, err: error },
        'could not read projection status',
      );
    }
  }

  private schedule(tracked: TrackedRoom): void {
    if (this.closed || tracked.writing || tracked.retry) return;
    tracked.writing = this.write(tracked);
  }

  private async write(tracked: TrackedRoom): Promise<void> {
    // Start on a later turn: the commit that asked goes on first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const { room } = tracked;
    const planId = room.planId;
    let failed = false;
    while (tracked.full || tracked.dirtyItems.size > 0 || tracked.activity.length > 0) {
      const full = tracked.full;
      const dirty = tracked.dirtyItems;
      const activity = tracked.activity;
      // Read at the start of the write: the rows are the document's state now, at least as new
      // as this seq (a later commit's rows go in the next write with its own seq).
      const seq = full ? Math.max(tracked.committedSeq, room.seq) : tracked.committedSeq;
      tracked.full = false;
      tracked.dirtyItems = new Set();
      tracked.activity = [];
      const present: ItemProjection[] = [];
      const gone: string[] = [];
      if (!full) {
        for (const itemId of dirty) {
          const projection = tracked.projected.get(itemId);
          if (projection) present.push(projection);
          else gone.push(itemId);
        }
      }
      const snapshot = full ? new Map(tracked.projected) : null;
      try {
        const db = this.options.database();
        if (snapshot) await writePlanProjection(db, planId, snapshot, seq);
        else {
          if (present.length > 0) await upsertPlanItems(db, planId, present, seq);
          if (gone.length > 0) await deletePlanItems(db, planId, gone, seq);
          await markPlanProjected(db, planId, seq);
        }
        if (activity.length > 0) await this.record(tracked, activity);
      } catch (error) {
        this.log.warn({ planId, err: error }, 'could not write the item projection; retrying');
        // Put it back, ahead of what came meanwhile, and try again later.
        tracked.full ||= full;
        for (const itemId of dirty) tracked.dirtyItems.add(itemId);
        tracked.activity = [...activity, ...tracked.activity];
        failed = true;
        break;
      }
    }
    tracked.writing = null;
    if (failed && !this.closed) {
      tracked.retry = setTimeout(() => {
        tracked.retry = null;
        this.schedule(tracked);
      }, this.options.retryMs ?? 1000);
      tracked.retry.unref();
    } else if (tracked.detached) {
      this.rooms.delete(room);
    }
  }

  private async record(tracked: TrackedRoom, activity: NewActivity[]): Promise<void> {
    const db = this.options.database();
    const records = await recordActivity(db, activity);
    if (records.length === 0) return;
    tracked.slug ??= (await findPlanById(db, tracked.room.planId))?.slug ?? null;
    const slug = tracked.slug;
    if (slug === null) return;
    const plan = { id: tracked.room.planId, slug };
    const recorded = records.map((record) => ({
      entry: toActivityEntry(record),
      actorId: record.actorId,
    }));
    const io = this.options.io?.();
    if (io) {
      for (const { entry } of recorded) {
        io.to(planRoomName(plan.id)).emit('activity:recorded', { plan: slug, entry });
      }
    }
    try {
      this.options.onRecorded?.(plan, recorded);
    } catch (error) {
      this.log.error({ planId: plan.id, err: error }, 'activity listener failed');
    }
  }
}
