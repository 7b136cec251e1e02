/**
 * Several instances serving the same plans (only when REDIS_URL is set).
 *
 * PostgreSQL is the record; Redis pub/sub is only a doorbell. After each commit an instance
 * publishes "plan P reached sequence S" on P's channel. An instance that has P loaded with a
 * lower sequence reads the rows it lacks from PostgreSQL (`PlanRoom.catchUp`) and relays them to
 * its clients. No document bytes, snapshots or locks travel through Redis, so a lost message
 * costs only latency: the next announcement, or the catch-up after a reconnect, closes any gap.
 *
 * Presence has no record, so awareness updates do travel through Redis: each instance publishes
 * the updates its own connections caused (already checked and rebuilt from the session by the
 * room), and applies those of the others with `redisOrigin`, which it never publishes again.
 *
 * Messages on `coplan:plan:<planId>` (lib0 encoding):
 *
 *   varUint kind · varString sender instance id · payload
 *     kind 0  committed   varUint seq
 *     kind 1  awareness   varUint8Array awareness update (y-protocols encoding)
 *     kind 2  query       (none): "send me your clients' presence"; answered with kind 1
 *     kind 3  epoch       varUint epoch · varUint seq: a restore committed at seq and bumped the
 *                         plan's epoch; each instance tells its connections once its room holds
 *                         seq (the restore's update before the epoch, as on the instance itself)
 *
 * Every instance subscribes to the pattern `coplan:plan:*` once, rather than to each plan's
 * channel as it loads. A per-plan subscription would add a SUBSCRIBE/UNSUBSCRIBE round trip to
 * every load and unload and a window between loading and subscribing in which announcements
 * are lost; the price of the pattern is that an instance also hears about plans it has not
 * loaded and drops those messages after one map lookup, which at a college's scale (a handful
 * of plans, a few instances) is nothing.
 *
 * When Redis comes back after an outage the bridge subscribes again, catches every loaded room
 * up from PostgreSQL, re-announces each room's sequence (others may have missed what this
 * instance committed meanwhile) and re-sends its clients' presence.
 */
import { randomBytes } from 'node:crypto';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

import { connectRedis, type RedisConnection } from '../connect-redis';
import type { Logger } from '../logger';
import type { PlanRoom } from './plan-room';

/** The origin of awareness changes that arrived from another instance. */
export const redisOrigin = Symbol('coplan.redis');

const channelPrefix = 'coplan:plan:';
const messageCommitted = 0;
const messageAwareness = 1;
const messageQuery = 2;
const messageEpoch = 3;

export interface RedisBridgeOptions {
  url: string;
  log: Logger;
  /** The plan's room if it is loaded in this instance (RoomRegistry.loadedRoom). */
  loadedRoom(planId: string): PlanRoom | null;
}

interface TrackedRoom {
  readonly room: PlanRoom;
  gone: boolean;
  /** Awareness client ids whose state came from this instance's connections. */
  readonly local: Set<number>;
  /** Client ids changed locally since the last publish (published once per tick). */
  readonly dirty: Set<number>;
  /** The highest sequence announced for the plan; the room catches up to it. */
  wanted: number;
  /** Read whatever is there even without an announcement (after a load or a reconnect). */
  forced: boolean;
  catchingUp: boolean;
  /** A restore's new epoch, announced to the room's connections once it holds `seq`. */
  epoch: { epoch: number; seq: number } | null;
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

/** Room connections are the only origins of presence this instance speaks for. */
function isConnectionOrigin(origin: unknown): boolean {
  return typeof origin === 'object' && origin !== null && 'socket' in origin;
}

export class RedisBridge {
  private readonly instanceId = randomBytes(8).toString('base64url');
  private readonly publisher: RedisConnection;
  private readonly subscriber: RedisConnection;
  private readonly log: Logger;
  private readonly loadedRoom: (planId: string) => PlanRoom | null;
  private readonly tracked = new Map<string, TrackedRoom>();
  private readonly dirtyRooms = new Set<TrackedRoom>();
  private awarenessFlush: NodeJS.Immediate | null = null;
  private closed = false;
  /** The pattern subscription is in place on the current subscriber connection. */
  private subscribed = false;

  constructor(options: RedisBridgeOptions) {
    this.log = options.log;
    this.loadedRoom = options.loadedRoom;
    this.publisher = connectRedis(options.url, { name: 'sync publisher', log: this.log });
    // Subscriptions are renewed by hand on every 'ready' (ioredis would resend them without
    // telling when they took effect), so that catching up starts only once nothing is missed.
    this.subscriber = connectRedis(options.url, {
      name: 'sync subscriber',
      log: this.log,
      reportsOutages: true,
      redis: { autoResubscribe: false },
    });
    this.subscriber.client.on('ready', () => void this.subscribe());
    this.subscriber.client.on('close', () => {
      this.subscribed = false;
    });
    // The two connections come back independently; whichever is second starts the resync.
    this.publisher.client.on('ready', () => this.resync());
    this.subscriber.client.on(
      'pmessageBuffer',
      (_pattern: Buffer, channel: Buffer, message: Buffer) =>
        this.receive(channel.toString(), message),
    );
  }

  /** PlanRoomHooks.committed: tell the other instances how far the plan's log reaches. */
  announce(room: PlanRoom, lastSeq: number): void {
    this.publish(room.planId, messageCommitted, (encoder) =>
      encoding.writeVarUint(encoder, lastSeq),
    );
  }

  /** After a restore: the other instances tell their connections the plan's new epoch. */
  announceEpoch(room: PlanRoom, epoch: number, seq: number): void {
    this.publish(room.planId, messageEpoch, (encoder) => {
      encoding.writeVarUint(encoder, epoch);
      encoding.writeVarUint(encoder, seq);
    });
  }

  /**
   * Starts relaying a loaded room's presence, and catches it up once: an announcement that
   * arrived while the room was still loading found no room and was dropped. Idempotent.
   */
  track(room: PlanRoom): void {
    const existing = this.tracked.get(room.planId);
    if (existing?.room === room || this.closed) return;
    if (existing) existing.gone = true;
    const entry: TrackedRoom = {
      room,
      gone: false,
      local: new Set(),
      dirty: new Set(),
      wanted: room.seq,
      forced: true,
      catchingUp: false,
      epoch: null,
    };
    this.tracked.set(room.planId, entry);
    room.awareness.on('update', (change: AwarenessChange, origin: unknown) =>
      this.onLocalAwareness(entry, change, origin),
    );
    room.awareness.on('destroy', () => {
      entry.gone = true;
      this.dirtyRooms.delete(entry);
      if (this.tracked.get(room.planId) === entry) this.tracked.delete(room.planId);
    });
    this.catchUp(entry);
    this.publish(room.planId, messageQuery, () => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.awarenessFlush) clearImmediate(this.awarenessFlush);
    this.awarenessFlush = null;
    this.tracked.clear();
    this.dirtyRooms.clear();
    await Promise.all([this.publisher.close(), this.subscriber.close()]);
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.client.psubscribe(`${channelPrefix}*`);
    } catch (error) {
      // The connection dropped again before the reply; the next 'ready' tries again.
      this.log.debug({ err: error }, 'redis subscribe failed');
      return;
    }
    this.subscribed = true;
    this.resync();
  }

  /**
   * Back after an outage (or first connected after rooms loaded): whatever was announced
   * meanwhile was lost, in both directions. Read what the others committed, and tell them how far
   * this instance's rooms reach and who is here. Needs both connections: re-announcing through a
   * publisher that is still reconnecting would be lost too.
   */
  private resync(): void {
    if (this.closed || !this.subscribed || this.publisher.client.status !== 'ready') return;
    if (this.tracked.size > 0) {
      this.log.info({ rooms: this.tracked.size }, 'redis back: catching up loaded plans');
    }
    for (const entry of this.tracked.values()) {
      entry.forced = true;
      this.catchUp(entry);
      this.announce(entry.room, entry.room.seq);
      this.publishPresence(entry);
      this.publish(entry.room.planId, messageQuery, () => {});
    }
  }

  private receive(channel: string, message: Buffer): void {
    if (!channel.startsWith(channelPrefix)) return;
    const planId = channel.slice(channelPrefix.length);
    const room = this.loadedRoom(planId);
    if (!room || this.closed) return;
    try {
      const decoder = decoding.createDecoder(message);
      const kind = decoding.readVarUint(decoder);
      if (decoding.readVarString(decoder) === this.instanceId) return;
      this.track(room);
      const entry = this.tracked.get(planId);
      if (!entry) return;
      switch (kind) {
        case messageCommitted: {
          const seq = decoding.readVarUint(decoder);
          if (seq <= room.seq) return;
          entry.wanted = Math.max(entry.wanted, seq);
          this.catchUp(entry);
          return;
        }
        case messageAwareness:
          awarenessProtocol.applyAwarenessUpdate(
            room.awareness,
            decoding.readVarUint8Array(decoder),
            redisOrigin,
          );
          return;
        case messageQuery:
          this.publishPresence(entry);
          return;
        case messageEpoch: {
          const epoch = decoding.readVarUint(decoder);
          const seq = decoding.readVarUint(decoder);
          entry.epoch = { epoch, seq };
          entry.wanted = Math.max(entry.wanted, seq);
          entry.forced = true;
          this.catchUp(entry);
          return;
        }
        default:
          this.log.warn({ planId, kind }, 'unknown message on the redis channel');
      }
    } catch (error) {
      this.log.warn({ planId, err: error }, 'undecodable message on the redis channel');
    }
  }

  /**
   * One catch-up at a time per room. Announcements that arrive while a read is in flight only
   * raise `wanted`, so a burst of commits elsewhere costs one more read, not one per commit.
   */
  private catchUp(entry: TrackedRoom): void {
    if (entry.catchingUp || entry.gone) return;
    if (!entry.forced && entry.room.seq >= entry.wanted) return;
    entry.catchingUp = true;
    void this.runCatchUps(entry);
  }

  private async runCatchUps(entry: TrackedRoom): Promise<void> {
    const { room } = entry;
    try {
      while (!entry.gone && (entry.forced || room.seq < entry.wanted)) {
        entry.forced = false;
        const before = room.seq;
        await room.catchUp();
        // Commit precedes announcement, so the rows are there; if not, don't spin on it.
        if (room.seq === before && room.seq < entry.wanted) {
          this.log.warn(
            { planId: room.planId, seq: room.seq, announced: entry.wanted },
            'announced updates not found in the database',
          );
          entry.wanted = room.seq;
        }
      }
      if (entry.epoch && room.seq >= entry.epoch.seq && !entry.gone) {
        room.announceEpoch(entry.epoch.epoch);
        entry.epoch = null;
      }
    } catch (error) {
      // The next announcement (or reconnect) tries again; the clients here are still served.
      this.log.warn({ planId: room.planId, err: error }, 'could not catch up with other instances');
    } finally {
      entry.catchingUp = false;
    }
  }

  private onLocalAwareness(entry: TrackedRoom, change: AwarenessChange, origin: unknown): void {
    // Changes from Redis, and the room's own timeouts of remote states, stay here: publishing a
    // timeout would remove a client another instance still serves.
    if (!isConnectionOrigin(origin) || entry.gone) return;
    for (const clientId of [...change.added, ...change.updated]) {
      entry.local.add(clientId);
      entry.dirty.add(clientId);
    }
    for (const clientId of change.removed) {
      entry.local.delete(clientId);
      entry.dirty.add(clientId);
    }
    this.dirtyRooms.add(entry);
    // A drag sends many updates a second; one publish per room per tick carries them all.
    this.awarenessFlush ??= setImmediate(() => this.flushAwareness());
  }

  private flushAwareness(): void {
    this.awarenessFlush = null;
    for (const entry of this.dirtyRooms) {
      const clients = [...entry.dirty];
      entry.dirty.clear();
      if (entry.gone || clients.length === 0) continue;
      // A removed client is encoded as a null state at its last clock, which removes it there.
      this.publishAwareness(entry, clients);
    }
    this.dirtyRooms.clear();
  }

  /** Sends the presence of this instance's own clients (answering a query, or after an outage). */
  private publishPresence(entry: TrackedRoom): void {
    const states = entry.room.awareness.getStates();
    const clients = [...entry.local].filter((clientId) => states.has(clientId));
    if (clients.length > 0) this.publishAwareness(entry, clients);
  }

  private publishAwareness(entry: TrackedRoom, clients: number[]): void {
    const update = awarenessProtocol.encodeAwarenessUpdate(entry.room.awareness, clients);
    this.publish(entry.room.planId, messageAwareness, (encoder) =>
      encoding.writeVarUint8Array(encoder, update),
    );
  }

  private publish(
    planId: string,
    kind: number,
    writePayload: (encoder: encoding.Encoder) => void,
  ): void {
    if (this.closed) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, kind);
    encoding.writeVarString(encoder, this.instanceId);
    writePayload(encoder);
    const message = Buffer.from(encoding.toUint8Array(encoder));
    // Fire and forget: while Redis is down this rejects at once (no offline queue); the
    // catch-up after the reconnect makes up for every message lost meanwhile.
    this.publisher.client.publish(`${channelPrefix}${planId}`, message).catch((error: unknown) => {
      // The outage itself is logged once by connect-redis.ts; this is per message.
      this.log.debug({ planId, reason: String(error) }, 'redis publish failed');
    });
  }
}
