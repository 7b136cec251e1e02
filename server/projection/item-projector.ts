/**
 * Keeps the relational projection of items (`plan_items`) and the activity log (`plan_activity`)
 * in step with the plan rooms of this instance.
 *
 *   room loaded ─▶ project every item once (memory: the last projected state of each item)
 *   each local transaction on the room's document ─▶ note the items it touched
 *     (collectChangeScope; a renamed workstream touches its items) and who made it: the owner
 *     of a client id whose clock it advanced, else the sending connection's user
 *   before a transaction of someone else (or of another instance) ─▶ settle what is noted:
 *     project those items again, diff against memory (domain/item-activity.ts) and attribute
 *     the diff to the one person who made all of it; memory moves on
 *   a transaction another instance committed ─▶ memory only (that instance records it)
 *   commit (PlanRoomHooks.committed) ─▶ the plan's writer, on a later turn: settle, upsert or
 *     delete the rows of the settled items at the committed seq, set plans.projected_seq,
 *     record the activity (folding bursts), announce `activity:recorded`
 *
 * Nothing but noting runs on a commit's path. The projection work is proportional to the items
 * touched, once per item per write however many commits touched it: a plan has at most one write
 * in flight here, and whatever commits meanwhile goes in the next write, together (coalescing).
 * A title typed key by key by one person is one diff ("renamed" from the first to the last).
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
  /** Told after each write of rows: they now reflect log position `seq` (progress boards). */
  onProjected?(plan: { id: string; slug: string }, seq: number): void;
  /** How long a failed write waits before it is tried again (default 1 s). */
  retryMs?: number;
  /**
   * Writes in flight at once across all plans (default 2). The writes share the database pool
   * with the commits: unbounded, 250 busy plans would queue every commit behind their rows.
   */
  maxConcurrentWrites?: number;
}

type PendingActivity = Omit<NewActivity, 'seq' | 'planId'>;

interface TrackedRoom {
  room: PlanRoom;
  /** The last projected state of each item, as the room's document held it when settled. */
  projected: Map<string, ItemProjection>;
  /** Touched by local transactions of one person since the last settle. */
  pendingItems: Set<string>;
  /** Whose transactions `pendingItems` are (the origin's user id; null for the server's own). */
  pendingKey: string | null;
  pendingActor: string | null;
  /** Local transactions applied but not yet announced by a commit hook. */
  uncommitted: number;
  /** Settled, waiting for the writer. */
  dirtyItems: Set<string>;
  activity: PendingActivity[];
  /** A whole-plan write is due (the room loaded behind its projection). */
  full: boolean;
  /** The highest seq committed here (or loaded) that the rows should reflect. */
  committedSeq: number;
  writing: Promise<void> | null;
  retry: NodeJS.Timeout | null;
  detached: boolean;
  slug: string | null;
  before: (transaction: Y.Transaction) => void;
  after: (transaction: Y.Transaction) => void;
}

/**
 * Whether rows at `projectedSeq` may miss what the log holds at `seq`. A plan never projected
 * has -1 (seq 0 is a real position, the seed's snapshot), so it is behind even at seq 0.
 */
function isBehind(projectedSeq: number, seq: number): boolean {
  return projectedSeq < seq;
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
  private activeWrites = 0;
  private readonly writeSlots: Array<() => void> = [];

  constructor(options: ItemProjectorOptions) {
    this.options = options;
    this.log = options.log;
  }

  /** PlanRoomHooks.loaded: start observing, and catch up the rows if they are behind. */
  attach(room: PlanRoom): void {
    const tracked: TrackedRoom = {
      room,
      projected: projectPlan(room.doc),
      pendingItems: new Set(),
      pendingKey: null,
      pendingActor: null,
      uncommitted: 0,
      dirtyItems: new Set(),
      activity: [],
      full: false,
      committedSeq: room.seq,
      writing: null,
      retry: null,
      detached: false,
      slug: null,
      before: (transaction) => this.beforeTransaction(tracked, transaction),
      after: (transaction) => this.afterTransaction(tracked, transaction),
    };
    this.rooms.set(room, tracked);
    room.doc.on('beforeTransaction', tracked.before);
    room.doc.on('afterTransaction', tracked.after);
    void this.checkBehind(tracked);
  }

  /** PlanRoomHooks.committed: everything applied so far is committed up to `lastSeq`. */
  committed(room: PlanRoom, commit: { lastSeq: number }): void {
    const tracked = this.rooms.get(room);
    if (!tracked) return;
    tracked.committedSeq = Math.max(tracked.committedSeq, commit.lastSeq);
    tracked.uncommitted = 0;
    if (tracked.pendingItems.size > 0 || tracked.dirtyItems.size > 0) this.schedule(tracked);
  }

  /** PlanRoomHooks.destroyed: stop observing; what is committed is still written. */
  detach(room: PlanRoom): void {
    const tracked = this.rooms.get(room);
    if (!tracked) return;
    // The room drained before it unloads: everything noted is committed.
    tracked.uncommitted = 0;
    this.settle(tracked);
    tracked.detached = true;
    room.doc.off('beforeTransaction', tracked.before);
    room.doc.off('afterTransaction', tracked.after);
    if (tracked.dirtyItems.size > 0 || tracked.activity.length > 0) this.schedule(tracked);
    else if (!tracked.writing && !tracked.retry) this.rooms.delete(room);
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

  /** Whose transaction this is, as far as the origin tells before it runs. */
  private originKey(transaction: Y.Transaction): string | symbol | null {
    if (transaction.origin === remoteOrigin) return remoteOrigin;
    return isConnection(transaction.origin) ? transaction.origin.user.id : null;
  }

  private beforeTransaction(tracked: TrackedRoom, transaction: Y.Transaction): void {
    // What one person did is diffed before anyone else's change lands on the same items.
    if (tracked.pendingItems.size > 0 && this.originKey(transaction) !== tracked.pendingKey) {
      this.settle(tracked);
    }
  }

  private afterTransaction(tracked: TrackedRoom, transaction: Y.Transaction): void {
    if (transaction.changed.size === 0) return;
    const itemIds = this.touchedItems(tracked, transaction);
    const key = this.originKey(transaction);
    if (key === remoteOrigin) {
      // Another instance committed it and records it; here only memory follows.
      for (const itemId of itemIds) this.reproject(tracked, itemId);
      return;
    }
    tracked.uncommitted += 1;
    if (itemIds.size === 0) return;
    for (const itemId of itemIds) tracked.pendingItems.add(itemId);
    tracked.pendingKey = key as string | null;
    tracked.pendingActor = this.actorOf(tracked, transaction);
  }

  private touchedItems(tracked: TrackedRoom, transaction: Y.Transaction): Set<string> {
    const scope = collectChangeScope(tracked.room.doc, transaction);
    if (typeof scope === 'string') {
      // The room checked every update before applying it; this cannot happen. Re-read all.
      return new Set([...tracked.projected.keys(), ...projectPlan(tracked.room.doc).keys()]);
    }
    const itemIds = new Set(scope.items);
    if (scope.workstreams.size > 0) {
      // A renamed workstream changes the name its items' rows carry.
      for (const [itemId, projection] of tracked.projected) {
        if (scope.workstreams.has(projection.workstreamId)) itemIds.add(itemId);
      }
    }
    return itemIds;
  }

  /** Projects one item again into memory; returns the projections before and after. */
  private reproject(tracked: TrackedRoom, itemId: string) {
    const before = tracked.projected.get(itemId);
    const after = projectItem(tracked.room.doc, itemId) ?? undefined;
    if (after) tracked.projected.set(itemId, after);
    else tracked.projected.delete(itemId);
    return { before, after };
  }

  /** Diffs what is noted, attributes it, and hands it to the writer. */
  private settle(tracked: TrackedRoom): void {
    if (tracked.pendingItems.size === 0) return;
    const actorId = tracked.pendingActor;
    for (const itemId of tracked.pendingItems) {
      const { before, after } = this.reproject(tracked, itemId);
      tracked.dirtyItems.add(itemId);
      const itemTitle = after?.title ?? before?.title ?? '';
      for (const detail of diffItemProjections(before, after)) {
        tracked.activity.push({ itemId, itemTitle, actorId, detail });
      }
    }
    tracked.pendingItems = new Set();
    tracked.pendingKey = null;
    tracked.pendingActor = null;
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
    let failed = false;
    for (;;) {
      // Waiting for a slot lets more commits gather into this write.
      await this.acquireWriteSlot();
      const stop = await this.writeOnce(tracked).finally(() => this.releaseWriteSlot());
      if (stop === 'failed') failed = true;
      if (stop !== 'more') break;
    }
    tracked.writing = null;
    if (failed && !this.closed) {
      tracked.retry = setTimeout(() => {
        tracked.retry = null;
        this.schedule(tracked);
      }, this.options.retryMs ?? 1000);
      tracked.retry.unref();
    } else if (tracked.detached && !failed) {
      this.rooms.delete(room);
    }
  }

  private acquireWriteSlot(): Promise<void> {
    if (this.activeWrites < (this.options.maxConcurrentWrites ?? 2)) {
      this.activeWrites += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.writeSlots.push(resolve));
  }

  private releaseWriteSlot(): void {
    const next = this.writeSlots.shift();
    // The slot passes straight to the next writer.
    if (next) next();
    else this.activeWrites -= 1;
  }

  /** One write of what is due: 'more' to go again, 'done', or 'failed' (put back). */
  private async writeOnce(tracked: TrackedRoom): Promise<'more' | 'done' | 'failed'> {
    const { room } = tracked;
    const planId = room.planId;
    // Only what is committed: a commit still on its way calls again when it lands.
    if (tracked.uncommitted > 0) return 'done';
    this.settle(tracked);
    if (!tracked.full && tracked.dirtyItems.size === 0 && tracked.activity.length === 0) {
      return 'done';
    }
    const full = tracked.full;
    const dirty = tracked.dirtyItems;
    const seq = full ? Math.max(tracked.committedSeq, room.seq) : tracked.committedSeq;
    const activity: NewActivity[] = tracked.activity.map((entry) => ({ ...entry, planId, seq }));
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
        await db.transaction(async (tx) => {
          if (present.length > 0) await upsertPlanItems(tx, planId, present, seq);
          if (gone.length > 0) await deletePlanItems(tx, planId, gone, seq);
          await markPlanProjected(tx, planId, seq);
        });
      }
      if (activity.length > 0) await this.record(tracked, activity);
    } catch (error) {
      this.log.warn({ planId, err: error }, 'could not write the item projection; retrying');
      // Put it back, ahead of what came meanwhile, and try again later.
      tracked.full ||= full;
      for (const itemId of dirty) tracked.dirtyItems.add(itemId);
      tracked.activity = [
        ...activity.map(({ planId: _planId, seq: _seq, ...entry }) => {
          void [_planId, _seq];
          return entry;
        }),
        ...tracked.activity,
      ];
      return 'failed';
    }
    // After the write, outside it: a failure to announce must not write the rows again.
    await this.announceProjected(tracked, seq);
    return 'more';
  }

  private async announceProjected(tracked: TrackedRoom, seq: number): Promise<void> {
    if (!this.options.onProjected) return;
    try {
      tracked.slug ??=
        (await findPlanById(this.options.database(), tracked.room.planId))?.slug ?? null;
      if (tracked.slug === null) return;
      this.options.onProjected({ id: tracked.room.planId, slug: tracked.slug }, seq);
    } catch (error) {
      this.log.error({ planId: tracked.room.planId, err: error }, 'projection listener failed');
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
