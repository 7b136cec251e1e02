/**
 * A plan room: one loaded plan document and the connections editing it.
 *
 * The room speaks the y-websocket protocol (see domain/sync-protocol.ts) over a minimal socket
 * (`send`, `close`) and knows nothing of `ws`. Its one promise is the durability rule of
 * DESIGN.md: an update is appended to the database before it is applied to the room's document
 * and before anyone else receives it.
 *
 *   receive ─▶ decode ─▶ apply to the shadow doc ─▶ schema check ─▶ queue
 *   flush (one per tick, sequential) ─▶ append the queue to the log in one transaction
 *         ─▶ apply to the document ─▶ broadcast to the others ─▶ "saved" to the senders
 *
 * The shadow is a second copy of the document that always holds the committed state plus the
 * updates waiting to commit. Untrusted updates are applied there first: if one breaks the
 * schema, or lacks its dependencies, only the shadow is polluted, and it is rebuilt.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

import { DomainError } from '../../domain/domain-error';
import {
  collectChangeScope,
  findPlanProblem,
  preparePlanDocument,
} from '../../domain/plan-document';
import { clientPresenceInput, colorForUser, type PresenceState } from '../../domain/presence';
import { canEditPlan, type Role } from '../../domain/roles';
import {
  closeCodes,
  messageAwareness,
  messageEpoch,
  messageQueryAwareness,
  messageSaved,
  messageSync,
} from '../../domain/sync-protocol';
import type { SessionUser } from '../auth/session-user';
import type { Logger } from '../logger';
import type { PlanStore, StoredPlanLog } from './plan-store';
import { TokenBucket } from './token-bucket';
import { closeLabels, coplanMetrics } from '../metrics/metrics';

/** What a room needs of a connection's transport. */
export interface SyncSocket {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface RoomConnection {
  readonly id: number;
  readonly user: SessionUser;
  readonly role: Role;
  readonly socket: SyncSocket;
  /** Messages received so far; the "saved" message names a position in this count. */
  received: number;
  /** The awareness client id this connection speaks for (the first one it announced). */
  awarenessClientId: number | null;
  open: boolean;
  readonly updateBudget: TokenBucket;
  readonly presenceBudget: TokenBucket;
}

/**
 * Per-connection rates. Typing sends a few updates a second and a cursor a few awareness
 * updates; the bursts cover a paste or a reconnect. Never per address (see token-bucket.ts).
 */
export const syncRateLimits = {
  updatesPerSecond: 50,
  updateBurst: 200,
  presencePerSecond: 20,
  presenceBurst: 60,
} as const;

/**
 * The transaction origin of a change the server makes itself (a restore, server/use-cases): it
 * goes through the same queue, log and broadcast as a socket's update, but is never a socket.
 * `user` is whose change it is; the activity log attributes it to them.
 */
export interface ServerEditOrigin {
  readonly kind: 'server-edit';
  readonly reason: string;
  readonly user: { readonly id: string };
}

interface QueueEntry {
  /** The sending connection; null for a server-side edit. */
  connection: RoomConnection | null;
  /** The transaction origin the room's document applies the update with. */
  origin: RoomConnection | ServerEditOrigin;
  /** The author stored with the update. */
  userId: string;
  /** The update to store, or null for a message that changes nothing but must be acknowledged. */
  update: Uint8Array | null;
  /** The message's position in its connection's count (0 for a server-side edit). */
  index: number;
  /** A server-side edit's caller, told the log position once it is committed (or that it failed). */
  settle?: { resolve(seq: number): void; reject(error: unknown): void };
}

/** Told after each commit, e.g. to announce it to other instances or to plan a compaction. */
export interface PlanRoomHooks {
  committed?(room: PlanRoom, commit: { lastSeq: number; count: number; bytes: number }): void;
  /**
   * The room is loaded, before any connection joins and before its document changes again: an
   * observer of `room.doc` (the projection, server/projection) attaches here and sees every
   * later transaction. Local ones carry their sender's RoomConnection as origin, those another
   * instance committed `remoteOrigin`.
   */
  loaded?(room: PlanRoom): void;
  /** The room is being destroyed; its document still holds the last state. */
  destroyed?(room: PlanRoom): void;
}

type Verdict =
  { kind: 'change' } | { kind: 'no-change' } | { kind: 'refused'; code: number; reason: string };

const maxPresenceBytes = 4096;

/**
 * A commit's fan-out sends each connection the merge of at most this many updates per message.
 * `Y.mergeUpdates` is superlinear over many updates (DESIGN.md); over a few it costs less than
 * the messages it saves.
 */
const maxUpdatesPerMerge = 32;

/** The transaction origin of changes another instance committed. */
export const remoteOrigin = Symbol('coplan.remote');

/** The "epoch" message (domain/sync-protocol.ts, 101). */
export function encodeEpochMessage(epoch: number): Uint8Array {
  return encodeMessage((encoder) => {
    encoding.writeVarUint(encoder, messageEpoch);
    encoding.writeVarUint(encoder, epoch);
  });
}

/** WebSocket close reasons are limited to 123 bytes of UTF-8. */
export function closeReason(text: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= 123) return text;
  let cut = text.slice(0, 120);
  while (encoder.encode(`${cut}…`).length > 123) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function encodeMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function sameState(before: Map<number, number>, after: Map<number, number>): boolean {
  if (before.size !== after.size) return false;
  for (const [client, clock] of after) if (before.get(client) !== clock) return false;
  return true;
}

export class PlanRoom {
  readonly planId: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  /** Made on the first untrusted update, not at load: a cold open pays for one copy only. */
  private shadowDoc: Y.Doc | null = null;
  private readonly store: PlanStore;
  private readonly log: Logger;
  private readonly connections = new Set<RoomConnection>();
  private readonly awarenessOwners = new Map<number, RoomConnection>();
  private queue: QueueEntry[] = [];
  private inFlight: QueueEntry[] = [];
  private flushing = false;
  private flushScheduled = false;
  private idleWaiters: Array<() => void> = [];
  private nextConnectionId = 1;
  private destroyed = false;
  private readonly hooks: PlanRoomHooks;
  /** The highest log sequence number this room's document holds. */
  private appliedSeq: number;
  /** Yjs client id → the user it belongs to. */
  private readonly clientOwners: Map<number, string>;
  private pendingBindings: Array<{ clientId: number; userId: string }> = [];

  private constructor(
    planId: string,
    doc: Y.Doc,
    seq: number,
    clientOwners: Map<number, string>,
    store: PlanStore,
    log: Logger,
    hooks: PlanRoomHooks,
  ) {
    this.planId = planId;
    this.doc = doc;
    this.appliedSeq = seq;
    this.clientOwners = clientOwners;
    this.store = store;
    this.log = log;
    this.hooks = hooks;
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server is not a participant: it relays presence without a state of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /**
   * Loads a plan from its latest snapshot plus the updates after it. A failure propagates: the
   * caller refuses connections, and no empty document is ever created in the plan's place.
   */
  static async load(
    planId: string,
    store: PlanStore,
    log: Logger,
    hooks: PlanRoomHooks = {},
  ): Promise<PlanRoom> {
    const [stored, clientOwners] = await Promise.all([
      store.load(planId),
      store.loadClientOwners(planId),
    ]);
    const doc = preparePlanDocument(new Y.Doc());
    doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.data);
      for (const update of stored.updates) Y.applyUpdate(doc, update.data);
    });
    if (doc.store.pendingStructs || doc.store.pendingDs) {
      log.warn({ planId }, 'stored plan log has updates with missing dependencies');
    }
    const seq = Math.max(stored.snapshot?.seq ?? 0, stored.updates.at(-1)?.seq ?? 0);
    const room = new PlanRoom(planId, doc, seq, clientOwners, store, log, hooks);
    coplanMetrics().loadedPlans.inc();
    hooks.loaded?.(room);
    return room;
  }

  /**
   * The user a Yjs client id belongs to (DESIGN.md, "Attribution"), or undefined. A client id
   * is bound before the update carrying it commits, so at commit time every id it advanced has
   * an owner.
   */
  clientOwner(clientId: number): string | undefined {
    return this.clientOwners.get(clientId);
  }

  get seq(): number {
    return this.appliedSeq;
  }

  /**
   * Applies what another instance committed (read back from the database), and sends it to this
   * instance's connections. Updates this room already holds change nothing.
   */
  applyStored(stored: StoredPlanLog): void {
    if (this.destroyed) return;
    const entries = [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates];
    let changed = false;
    const onUpdate = () => {
      changed = true;
    };
    this.doc.on('update', onUpdate);
    try {
      for (const entry of entries) {
        changed = false;
        // Applying what the document already holds is a no-op in Yjs (and emits nothing).
        Y.applyUpdate(this.doc, entry.data, remoteOrigin);
        this.appliedSeq = Math.max(this.appliedSeq, entry.seq);
        if (!changed) continue;
        if (this.shadowDoc) Y.applyUpdate(this.shadowDoc, entry.data);
        const message = encodeMessage((encoder) => {
          encoding.writeVarUint(encoder, messageSync);
          syncProtocol.writeUpdate(encoder, entry.data);
        });
        for (const connection of this.connections) connection.socket.send(message);
      }
    } finally {
      this.doc.off('update', onUpdate);
    }
  }

  /** Reads and applies whatever the database holds beyond this room's sequence number. */
  async catchUp(): Promise<void> {
    const stored = await this.store.load(this.planId, this.appliedSeq);
    this.applyStored(stored);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Updates received and not yet in a commit (tests wait on it). */
  get queuedCount(): number {
    return this.queue.length;
  }

  get isIdle(): boolean {
    return !this.flushing && !this.flushScheduled && this.queue.length === 0;
  }

  join(socket: SyncSocket, user: SessionUser, role: Role): RoomConnection {
    const connection: RoomConnection = {
      id: this.nextConnectionId++,
      user,
      role,
      socket,
      received: 0,
      awarenessClientId: null,
      open: true,
      updateBudget: new TokenBucket(syncRateLimits.updatesPerSecond, syncRateLimits.updateBurst),
      presenceBudget: new TokenBucket(
        syncRateLimits.presencePerSecond,
        syncRateLimits.presenceBurst,
      ),
    };
    this.connections.add(connection);
    socket.send(
      encodeMessage((encoder) => {
        encoding.writeVarUint(encoder, messageSync);
        syncProtocol.writeSyncStep1(encoder, this.doc);
      }),
    );
    const states = this.awareness.getStates();
    if (states.size > 0) {
      socket.send(this.encodeAwareness([...states.keys()]));
    }
    return connection;
  }

  leave(connection: RoomConnection): void {
    if (!this.connections.delete(connection)) return;
    connection.open = false;
    const clientId = connection.awarenessClientId;
    if (clientId !== null && this.awarenessOwners.get(clientId) === connection) {
      this.awarenessOwners.delete(clientId);
      awarenessProtocol.removeAwarenessStates(this.awareness, [clientId], connection);
    }
  }

  /** Closes one connection and forgets it. */
  disconnect(connection: RoomConnection, code: number, reason: string): void {
    if (!connection.open) return;
    this.leave(connection);
    coplanMetrics().syncClosed.inc(closeLabels(code));
    connection.socket.close(code, closeReason(reason));
  }

  receive(connection: RoomConnection, data: Uint8Array): void {
    if (!connection.open || this.destroyed) return;
    const index = ++connection.received;
    try {
      const decoder = decoding.createDecoder(data);
      const messageType = decoding.readVarUint(decoder);
      switch (messageType) {
        case messageSync:
          this.receiveSync(connection, decoder, index);
          return;
        case messageAwareness:
          // Presence is ephemeral: past the rate, it is dropped rather than punished.
          if (!connection.presenceBudget.take()) return;
          this.receiveAwareness(connection, decoding.readVarUint8Array(decoder));
          return;
        case messageQueryAwareness:
          connection.socket.send(this.encodeAwareness([...this.awareness.getStates().keys()]));
          return;
        default:
          this.disconnect(
            connection,
            closeCodes.malformedMessage,
            `unknown message type ${messageType}`,
          );
      }
    } catch (error) {
      this.log.info(
        { planId: this.planId, userId: connection.user.id, err: error },
        'undecodable message',
      );
      this.disconnect(connection, closeCodes.malformedMessage, 'message could not be decoded');
    }
  }

  private receiveSync(connection: RoomConnection, decoder: decoding.Decoder, index: number): void {
    const syncType = decoding.readVarUint(decoder);
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      // Answer from the committed document only: nobody receives what is not yet saved.
      const reply = encodeMessage((encoder) => {
        encoding.writeVarUint(encoder, messageSync);
        encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
        encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.doc, stateVector));
      });
      connection.socket.send(reply);
      return;
    }
    if (
      syncType !== syncProtocol.messageYjsSyncStep2 &&
      syncType !== syncProtocol.messageYjsUpdate
    ) {
      this.disconnect(connection, closeCodes.malformedMessage, `unknown sync message ${syncType}`);
      return;
    }
    const update = decoding.readVarUint8Array(decoder);
    if (!connection.updateBudget.take()) {
      this.disconnect(connection, closeCodes.rateLimited, 'too many changes at once; slow down');
      return;
    }
    if (!canEditPlan(connection.role)) {
      // Read-only members: dropped, never applied, stored or broadcast; still acknowledged so the
      // client's counter stays in step.
      this.enqueue({
        connection,
        origin: connection,
        userId: connection.user.id,
        update: null,
        index,
      });
      return;
    }
    const newClients = this.claimClientIds(connection, update);
    if (newClients === null) return;
    const verdict = this.checkUpdate(update);
    if (verdict.kind === 'refused') {
      this.log.warn(
        { planId: this.planId, userId: connection.user.id, reason: verdict.reason },
        'update refused',
      );
      this.disconnect(connection, verdict.code, verdict.reason);
      return;
    }
    if (verdict.kind === 'change') {
      for (const clientId of newClients) {
        this.clientOwners.set(clientId, connection.user.id);
        this.pendingBindings.push({ clientId, userId: connection.user.id });
      }
    }
    this.enqueue({
      connection,
      origin: connection,
      userId: connection.user.id,
      update: verdict.kind === 'change' ? update : null,
      index,
    });
  }

  /**
   * A change the server makes itself (STYLE.md: server-side edits carry a transaction origin and
   * never pretend to be a socket). `edit` runs on a scratch copy of everything this room has
   * accepted so far (committed or queued); what it changed is checked like any update, appended
   * to the log, and only then applied here and sent to every connection. Resolves with the log
   * position that holds it, once committed; rejects if it breaks the schema or cannot be saved.
   */
  applyServerEdit(origin: ServerEditOrigin, edit: (doc: Y.Doc) => void): Promise<number> {
    if (this.destroyed) return Promise.reject(new Error('the room is closed'));
    const scratch = preparePlanDocument(new Y.Doc());
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(this.shadow()));
    while (Y.getState(scratch.store, scratch.clientID) > 0) {
      scratch.clientID = Math.floor(Math.random() * 2 ** 31);
    }
    const updates: Uint8Array[] = [];
    scratch.on('update', (update: Uint8Array) => updates.push(update));
    try {
      edit(scratch);
    } finally {
      scratch.destroy();
    }
    const update = updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates);
    const verdict: Verdict =
      updates.length === 0 ? { kind: 'no-change' } : this.checkUpdate(update, { serverEdit: true });
    if (verdict.kind === 'refused') {
      return Promise.reject(new DomainError('invalid_document', verdict.reason));
    }
    if (verdict.kind === 'change' && Y.getState(scratch.store, scratch.clientID) > 0) {
      // The scratch's client id is new: it belongs to the person whose change this is.
      this.clientOwners.set(scratch.clientID, origin.user.id);
      this.pendingBindings.push({ clientId: scratch.clientID, userId: origin.user.id });
    }
    return new Promise<number>((resolve, reject) => {
      this.enqueue({
        connection: null,
        origin,
        userId: origin.user.id,
        update: verdict.kind === 'change' ? update : null,
        index: 0,
        settle: { resolve, reject },
      });
    });
  }

  /**
   * Tells every open connection the plan's restore epoch (after a restore committed: each of
   * them already received the restore's update).
   */
  announceEpoch(epoch: number): void {
    const message = encodeEpochMessage(epoch);
    for (const connection of this.connections) connection.socket.send(message);
  }

  /**
   * A Yjs client id belongs to the first user whose edits carry it (DESIGN.md, "Attribution").
   * Only content new to the server counts: an update may also carry, again, content the server
   * already has from others (a copy restored from the device's store is sent whole), and that
   * claims nothing. Returns the ids this update would bind for the first time, or null
   * (connection closed) if it brings new content under an id another user owns.
   */
  private claimClientIds(connection: RoomConnection, update: Uint8Array): number[] | null {
    let meta: { from: Map<number, number>; to: Map<number, number> };
    try {
      meta = Y.parseUpdateMeta(update);
    } catch {
      this.disconnect(connection, closeCodes.malformedMessage, 'update could not be decoded');
      return null;
    }
    const fresh: number[] = [];
    for (const [clientId, end] of meta.to) {
      if (end <= Y.getState(this.doc.store, clientId)) continue;
      const owner = this.clientOwners.get(clientId);
      if (owner === undefined) fresh.push(clientId);
      else if (owner !== connection.user.id) {
        this.log.warn(
          { planId: this.planId, userId: connection.user.id, clientId },
          'update carries a client id of another user',
        );
        this.disconnect(
          connection,
          closeCodes.clientIdTaken,
          'this editor id belongs to another person; reload the page',
        );
        return null;
      }
    }
    return fresh;
  }

  /**
   * Applies the plan's current membership to open connections: a removed member is closed with
   * 4403, a member whose role changed with 4409 (the page reloads into the new role).
   */
  applyMembership(roles: ReadonlyMap<string, Role>): void {
    for (const connection of [...this.connections]) {
      const role = roles.get(connection.user.id);
      if (role === undefined) {
        this.disconnect(
          connection,
          closeCodes.forbidden,
          'you are no longer a member of this plan',
        );
      } else if (role !== connection.role) {
        this.disconnect(
          connection,
          closeCodes.roleChanged,
          `your role on this plan is now ${role}`,
        );
      }
    }
  }

  /** The users with open connections here. */
  connectedUserIds(): Set<string> {
    return new Set([...this.connections].map((connection) => connection.user.id));
  }

  /**
   * Applies an untrusted update to the shadow and checks what it touched. One update can run
   * more than one transaction (Yjs cleans up formatting in a second one), so all are checked.
   */
  private checkUpdate(update: Uint8Array, options: { serverEdit?: boolean } = {}): Verdict {
    const shadow = this.shadow();
    const transactions: Y.Transaction[] = [];
    const capture = (tr: Y.Transaction) => {
      transactions.push(tr);
    };
    shadow.on('afterTransaction', capture);
    try {
      Y.applyUpdate(shadow, update);
    } catch {
      this.rebuildShadow();
      return {
        kind: 'refused',
        code: closeCodes.malformedMessage,
        reason: 'update could not be decoded',
      };
    } finally {
      shadow.off('afterTransaction', capture);
    }
    if (shadow.store.pendingStructs || shadow.store.pendingDs) {
      this.rebuildShadow();
      return {
        kind: 'refused',
        code: closeCodes.outOfSync,
        reason: 'update depends on changes the server has not seen; reconnect to resync',
      };
    }
    const changed = transactions.filter(
      (tr) =>
        tr.deleteSet.clients.size > 0 ||
        !sameState(tr.beforeState, tr.afterState) ||
        tr.changed.size > 0,
    );
    if (changed.length === 0) return { kind: 'no-change' };
    for (const tr of changed) {
      const scope = collectChangeScope(shadow, tr);
      // A server-side edit (a restore) may touch every entry of the plan at once: the per-update
      // entry limit guards against untrusted peers, so it is checked against the whole document.
      const problem =
        typeof scope === 'string'
          ? scope
          : findPlanProblem(shadow, options.serverEdit ? undefined : scope);
      if (problem) {
        this.rebuildShadow();
        return { kind: 'refused', code: closeCodes.invalidUpdate, reason: problem };
      }
    }
    return { kind: 'change' };
  }

  private cloneCommitted(): Y.Doc {
    const copy = preparePlanDocument(new Y.Doc());
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(this.doc));
    return copy;
  }

  /** Committed state plus everything still waiting to commit. */
  private shadow(): Y.Doc {
    if (!this.shadowDoc) {
      this.shadowDoc = this.cloneCommitted();
      for (const entry of [...this.inFlight, ...this.queue]) {
        if (entry.update) Y.applyUpdate(this.shadowDoc, entry.update);
      }
    }
    return this.shadowDoc;
  }

  /** Drops a polluted shadow; the next untrusted update builds a clean one. */
  private rebuildShadow(): void {
    this.shadowDoc?.destroy();
    this.shadowDoc = null;
  }

  private enqueue(entry: QueueEntry): void {
    this.queue.push(entry);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushing || this.flushScheduled) return;
    this.flushScheduled = true;
    // Everything that arrives in this tick is committed together (group commit).
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    if (this.flushing || this.queue.length === 0) {
      this.notifyIdle();
      return;
    }
    this.flushing = true;
    const batch = this.queue;
    this.queue = [];
    this.inFlight = batch;
    const toStore = batch.flatMap((entry) =>
      entry.update ? [{ data: entry.update, userId: entry.userId }] : [],
    );
    let lastSeq = this.appliedSeq;
    const bindings = this.pendingBindings;
    this.pendingBindings = [];
    try {
      if (bindings.length > 0) await this.store.bindClients(this.planId, bindings);
      if (toStore.length > 0) {
        const started = performance.now();
        lastSeq = await this.store.append(this.planId, toStore);
        const metrics = coplanMetrics();
        metrics.commitSeconds.observe((performance.now() - started) / 1000);
        for (const entry of toStore) metrics.updateBytes.observe(entry.data.length);
      }
    } catch (error) {
      // Binding is idempotent: keep the ids to store with the next commit.
      this.pendingBindings = [...bindings, ...this.pendingBindings];
      this.inFlight = [];
      this.flushing = false;
      this.failPending(batch, error);
      this.notifyIdle();
      return;
    }
    this.inFlight = [];
    const knownSeq = this.appliedSeq;
    this.publish(batch);
    if (toStore.length > 0) {
      // Another instance committed between this room's last known sequence and this commit:
      // read what it missed before going on, so the log and the document stay in step.
      if (lastSeq - toStore.length > knownSeq) {
        try {
          this.applyStored(await this.store.load(this.planId, knownSeq));
        } catch (error) {
          this.log.warn({ err: error, planId: this.planId }, 'could not read missed updates');
        }
      }
      this.appliedSeq = Math.max(this.appliedSeq, lastSeq);
      this.hooks.committed?.(this, {
        lastSeq,
        count: toStore.length,
        bytes: toStore.reduce((sum, entry) => sum + entry.data.length, 0),
      });
    }
    for (const entry of batch) entry.settle?.resolve(this.appliedSeq);
    this.flushing = false;
    if (this.queue.length > 0) this.scheduleFlush();
    else this.notifyIdle();
  }

  /** After the commit: apply, broadcast to the others, tell each sender what is saved. */
  private publish(batch: QueueEntry[]): void {
    const lastIndex = new Map<RoomConnection, number>();
    const published: Array<{ connection: RoomConnection | null; update: Uint8Array }> = [];
    for (const entry of batch) {
      if (entry.connection) lastIndex.set(entry.connection, entry.index);
      if (!entry.update || this.destroyed) continue;
      Y.applyUpdate(this.doc, entry.update, entry.origin);
      published.push({ connection: entry.connection, update: entry.update });
    }
    for (let start = 0; start < published.length; start += maxUpdatesPerMerge) {
      this.broadcast(published.slice(start, start + maxUpdatesPerMerge));
    }
    for (const [connection, index] of lastIndex) {
      if (!connection.open) continue;
      connection.socket.send(
        encodeMessage((encoder) => {
          encoding.writeVarUint(encoder, messageSaved);
          encoding.writeVarUint(encoder, index);
        }),
      );
    }
  }

  /**
   * Sends committed updates to every connection but their senders, as one update message per
   * connection: the merge of what that connection did not send. Connections that sent none of
   * them share one message. Every update here was checked against the committed document with
   * nothing missing, so each merge is complete for a client that holds the committed state.
   */
  private broadcast(
    updates: Array<{ connection: RoomConnection | null; update: Uint8Array }>,
  ): void {
    const encodeUpdate = (update: Uint8Array) =>
      encodeMessage((encoder) => {
        encoding.writeVarUint(encoder, messageSync);
        syncProtocol.writeUpdate(encoder, update);
      });
    const senders = new Set(
      updates.flatMap((entry) => (entry.connection ? [entry.connection] : [])),
    );
    let forEveryone: Uint8Array | null = null;
    for (const connection of this.connections) {
      if (!senders.has(connection)) {
        forEveryone ??= encodeUpdate(
          updates.length === 1
            ? (updates[0] as { update: Uint8Array }).update
            : Y.mergeUpdates(updates.map((entry) => entry.update)),
        );
        connection.socket.send(forEveryone);
        continue;
      }
      const others = updates.filter((entry) => entry.connection !== connection);
      if (others.length === 0) continue;
      connection.socket.send(
        encodeUpdate(
          others.length === 1
            ? (others[0] as { update: Uint8Array }).update
            : Y.mergeUpdates(others.map((entry) => entry.update)),
        ),
      );
    }
  }

  /**
   * The database refused the batch. Nothing of it reached anyone. Later updates may depend on
   * it, so the queue goes too; their senders are closed with a "try again" code and re-send
   * everything the server lacks when they resync.
   */
  private failPending(batch: QueueEntry[], error: unknown): void {
    const pending = [...batch, ...this.queue];
    this.queue = [];
    this.log.error(
      { planId: this.planId, err: error, updates: pending.length },
      'could not commit plan updates',
    );
    this.rebuildShadow();
    const senders = new Set(
      pending.flatMap((entry) => (entry.update && entry.connection ? [entry.connection] : [])),
    );
    for (const entry of pending) entry.settle?.reject(error);
    for (const connection of senders) {
      this.disconnect(connection, closeCodes.notSaved, 'the change could not be saved; retrying');
    }
  }

  private notifyIdle(): void {
    if (!this.isIdle) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves once every queued update is committed (or refused). */
  drain(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  closeAll(code: number, reason: string): void {
    for (const connection of [...this.connections]) this.disconnect(connection, code, reason);
  }

  destroy(): void {
    if (!this.destroyed) {
      coplanMetrics().loadedPlans.dec();
      this.hooks.destroyed?.(this);
    }
    this.destroyed = true;
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.shadowDoc?.destroy();
    this.doc.destroy();
  }

  // ---------------------------------------------------------------------------------------------
  // Presence

  /**
   * A connection speaks only for its own awareness client id (the first it announced), and its
   * user fields come from the session. Entries for other ids are dropped.
   */
  private receiveAwareness(connection: RoomConnection, update: Uint8Array): void {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const kept: Array<{ clientId: number; clock: number; state: string }> = [];
    for (let index = 0; index < count; index++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const raw = decoding.readVarString(decoder);
      if (connection.awarenessClientId === null) {
        const owner = this.awarenessOwners.get(clientId);
        if (owner && owner !== connection) continue;
        connection.awarenessClientId = clientId;
        this.awarenessOwners.set(clientId, connection);
      }
      if (clientId !== connection.awarenessClientId) continue;
      kept.push({ clientId, clock, state: this.sanitisePresence(connection, raw) });
    }
    if (kept.length === 0) return;
    const encoded = encodeMessage((encoder) => {
      encoding.writeVarUint(encoder, kept.length);
      for (const entry of kept) {
        encoding.writeVarUint(encoder, entry.clientId);
        encoding.writeVarUint(encoder, entry.clock);
        encoding.writeVarString(encoder, entry.state);
      }
    });
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encoded, connection);
  }

  private sanitisePresence(connection: RoomConnection, raw: string): string {
    if (raw === 'null') return 'null';
    let parsed: unknown = null;
    if (raw.length <= maxPresenceBytes) {
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = null;
      }
    }
    const input = clientPresenceInput.safeParse(parsed ?? {});
    const state: PresenceState = {
      user: {
        id: connection.user.id,
        name: connection.user.name,
        organisation: connection.user.organisation,
        color: colorForUser(connection.user.id),
      },
      focus: input.success ? input.data.focus : null,
      cursor: input.success ? input.data.cursor : null,
      dragging: input.success ? input.data.dragging : null,
    };
    return JSON.stringify(state);
  }

  private encodeAwareness(clients: number[]): Uint8Array {
    return encodeMessage((encoder) => {
      encoding.writeVarUint(encoder, messageAwareness);
      encoding.writeVarUint8Array(
        encoder,
        awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients),
      );
    });
  }

  private readonly onAwarenessUpdate = (change: {
    added: number[];
    updated: number[];
    removed: number[];
  }): void => {
    const clients = [...change.added, ...change.updated, ...change.removed];
    if (clients.length === 0) return;
    // Everyone gets it, the sender included: y-websocket clients treat a quiet socket as dead.
    const message = this.encodeAwareness(clients);
    for (const connection of this.connections) connection.socket.send(message);
  };
}
