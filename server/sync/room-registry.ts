/**
 * The loaded plan rooms of this process. A room is loaded on its first connection (concurrent
 * first connections share one load) and unloaded a short grace after its last one leaves, once
 * everything it queued is committed. An unloaded room leaves nothing behind here: no entry, no
 * timer, no listener (room-registry.integration.test.ts holds it to that).
 */
import type { Logger } from '../logger';
import type { PlanCompactor } from './plan-compactor';
import { PlanRoom, type PlanRoomHooks } from './plan-room';
import type { PlanStore } from './plan-store';

export interface RoomRegistryOptions {
  /** How long an empty room stays loaded, for a quick reconnect or a page reload. */
  unloadGraceMs: number;
  hooks?: PlanRoomHooks;
  /** Compacts the log of each plan in the background: after commits, and when it unloads. */
  compactor?: PlanCompactor;
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<PlanRoom>>();
  private readonly loaded = new Map<string, PlanRoom>();
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
  private readonly store: PlanStore;
  private readonly log: Logger;
  private readonly options: RoomRegistryOptions;
  private readonly roomHooks: PlanRoomHooks;

  constructor(store: PlanStore, log: Logger, options: RoomRegistryOptions) {
    this.store = store;
    this.log = log;
    this.options = options;
    const { hooks, compactor } = options;
    this.roomHooks = compactor
      ? {
          ...hooks,
          committed(room, commit) {
            hooks?.committed?.(room, commit);
            compactor.planCommitted(room.planId, commit);
          },
        }
      : (hooks ?? {});
  }

  get loadedCount(): number {
    return this.rooms.size;
  }

  /** Empty rooms waiting out their grace before they unload. */
  get unloadTimerCount(): number {
    return this.unloadTimers.size;
  }

  /** The plans whose rooms are loaded here. */
  loadedRoomIds(): string[] {
    return [...this.loaded.keys()];
  }

  /** The room of a plan if it is loaded here, without loading it. */
  loadedRoom(planId: string): PlanRoom | null {
    return this.loaded.get(planId) ?? null;
  }

  /** The room of a plan, loading it if needed. Rejects if the plan cannot be loaded. */
  acquire(planId: string): Promise<PlanRoom> {
    const timer = this.unloadTimers.get(planId);
    if (timer) {
      clearTimeout(timer);
      this.unloadTimers.delete(planId);
    }
    let room = this.rooms.get(planId);
    if (!room) {
      room = PlanRoom.load(planId, this.store, this.log.child({ planId }), this.roomHooks);
      this.rooms.set(planId, room);
      room
        .then((ready) => {
          this.loaded.set(planId, ready);
          this.options.compactor?.planLoaded(planId);
        })
        .catch(() => {});
      // A failed load is forgotten at once, so the next connection tries again.
      room.catch((error: unknown) => {
        this.log.error({ planId, err: error }, 'could not load plan');
        this.rooms.delete(planId);
      });
    }
    return room;
  }

  /** Called when a connection leaves; schedules the unload of an empty room. */
  release(room: PlanRoom): void {
    if (room.connectionCount > 0 || this.unloadTimers.has(room.planId)) return;
    const timer = setTimeout(() => {
      this.unloadTimers.delete(room.planId);
      void this.unload(room);
    }, this.options.unloadGraceMs);
    timer.unref();
    this.unloadTimers.set(room.planId, timer);
  }

  private async unload(room: PlanRoom): Promise<void> {
    await room.drain();
    const current = this.rooms.get(room.planId);
    // Someone may have joined meanwhile, or the room may already be gone.
    if (room.connectionCount > 0 || !current || (await current) !== room) return;
    if (this.unloadTimers.has(room.planId)) return;
    this.rooms.delete(room.planId);
    this.loaded.delete(room.planId);
    room.destroy();
    this.log.debug({ planId: room.planId }, 'plan unloaded');
    // Its next cold open should read one snapshot, not a tail.
    this.options.compactor?.planUnloaded(room.planId);
  }

  /** For shutdown: commit what is queued, close every connection, unload every room. */
  async closeAll(code: number, reason: string): Promise<void> {
    for (const timer of this.unloadTimers.values()) clearTimeout(timer);
    this.unloadTimers.clear();
    const loaded = await Promise.allSettled(this.rooms.values());
    this.rooms.clear();
    this.loaded.clear();
    for (const result of loaded) {
      if (result.status !== 'fulfilled') continue;
      const room = result.value;
      await room.drain();
      room.closeAll(code, reason);
      room.destroy();
    }
  }
}
