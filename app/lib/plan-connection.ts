'use client';
/**
 * The browser's connection to a plan: a Y.Doc kept in sync by y-websocket's WebsocketProvider,
 * plus what the person needs to see about it — online or not, and whether their edits are saved.
 *
 * "Saved" is the server's word (domain/sync-protocol.ts, message 100): the server counts the
 * messages it received on this connection and, after the commit that holds an update, says
 * "everything up to message N is saved". The socket below counts what it sends and remembers the
 * last message that carried an update; when N reaches it, every edit is in the database.
 */
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as decoding from 'lib0/decoding';

import type { OrganisationCode } from '../../domain/organisations';
import {
  PlanViewCache,
  preparePlanDocument,
  readPlan,
  type PlanView,
} from '../../domain/plan-document';
import { presenceStateSchema, type Dragging } from '../../domain/presence';
import {
  closeCodes,
  epochParam,
  messageEpoch,
  messageSaved,
  messageSync,
} from '../../domain/sync-protocol';

export type ConnectionStatus = 'connecting' | 'online' | 'offline';
export type SaveState = 'saved' | 'saving' | 'unsaved';

export interface PlanConnectionState {
  status: ConnectionStatus;
  /**
   * A copy of the plan is here to show: from the server, or from this device's store when the
   * page opens offline.
   */
  synced: boolean;
  saveState: SaveState;
  /** Set when the server closed the connection for good (codes 4400–4499). */
  closed: { code: number; reason: string } | null;
}

export interface PlanConnection extends PlanConnectionState {
  doc: Y.Doc;
  awareness: Awareness;
}

export interface PresenceUser {
  clientId: number;
  userId: string;
  name: string;
  organisation: OrganisationCode;
  color: string;
  focus: string | null;
  /** The card this person is dragging and where it would land, while they drag. */
  dragging: Dragging | null;
  isSelf: boolean;
}

/** Sync step 2 and update messages carry document changes; their first two bytes say so. */
function carriesUpdate(data: unknown): boolean {
  const bytes =
    data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
  return bytes !== null && bytes[0] === messageSync && (bytes[1] === 1 || bytes[1] === 2);
}

/** Where the device copy keeps the plan epoch it belongs to (y-indexeddb's custom store). */
const epochKey = 'coplan:epoch';

/**
 * Set, for the next page load of the plan, when this device's copy was discarded because the plan
 * was restored while it was away: the page says so once (restored-notice.tsx).
 */
export function restoredNoticeKey(slug: string): string {
  return `coplan:restored:${slug}`;
}

function syncServerUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/yjs`;
}

/**
 * A WebSocket that counts what it sends (see the module comment). Made per controller, so that
 * the count reaches the right one.
 */
function countingWebSocket(onUpdateSent: (socket: WebSocket, index: number) => void) {
  return class CountingWebSocket extends WebSocket {
    private sent = 0;
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      this.sent += 1;
      if (carriesUpdate(data)) onUpdateSent(this, this.sent);
      super.send(data);
    }
  };
}

class PlanConnectionController {
  readonly doc = preparePlanDocument(new Y.Doc());
  readonly awareness = new Awareness(this.doc);
  private readonly provider: WebsocketProvider;
  private state: PlanConnectionState = {
    status: 'connecting',
    synced: false,
    saveState: 'saved',
    closed: null,
  };
  private readonly listeners = new Set<() => void>();
  private socket: WebSocket | null = null;
  private lastUpdateSent = 0;
  private lastSaved = 0;
  /** Local edits made while no connection could carry them. */
  private unsent = false;
  private everOnline = false;
  private readonly storeName: string;
  private readonly slug: string;
  private local: IndexeddbPersistence | null = null;
  /**
   * The plan epoch this document belongs to (domain/sync-protocol.ts, "Restores"); null while
   * unknown (a page that did not say, and no copy on the device): the server's word fills it in.
   */
  private epoch: number | null;

  /**
   * `userId` keeps each person's offline copy apart when people share a browser: one person's
   * unsent edits must never be sent under another's session.
   */
  constructor(slug: string, userId: string, pageEpoch: number | null) {
    this.storeName = `coplan:${slug}:${userId}`;
    this.slug = slug;
    this.epoch = pageEpoch;
    this.awareness.setLocalState({ focus: null });
    this.provider = new WebsocketProvider(syncServerUrl(), slug, this.doc, {
      connect: false,
      awareness: this.awareness,
      WebSocketPolyfill: countingWebSocket((socket, index) => this.onUpdateSent(socket, index)),
      // Tabs sync through the server only: a read-only tab must not feed an editor's tab.
      disableBc: true,
    });
    this.provider.messageHandlers[messageSaved] = (_encoder, decoder, provider) => {
      this.onSaved(provider.ws, decoding.readVarUint(decoder));
    };
    // The server says the plan's epoch on joining and after a restore (which this document
    // already holds by then): the device copy belongs to it from now on.
    this.provider.messageHandlers[messageEpoch] = (_encoder, decoder) => {
      this.setEpoch(decoding.readVarUint(decoder));
    };
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') {
        this.socket = this.provider.ws;
        this.lastUpdateSent = 0;
        this.lastSaved = 0;
        this.everOnline = true;
        this.update({ status: 'online', closed: null });
      } else {
        this.socket = null;
        this.update({
          status: status === 'connecting' && !this.everOnline ? 'connecting' : 'offline',
        });
      }
    });
    this.provider.on('sync', (synced) => {
      if (synced) this.update({ synced: true });
    });
    this.provider.on('closed', ({ code, reason }) => {
      // The server refused this copy's content: keeping it on the device would only send it
      // again after the reload the page offers.
      if (code === closeCodes.invalidUpdate || code === closeCodes.clientIdTaken) {
        void this.local?.clearData();
      }
      if (code === closeCodes.planRestored) {
        // The plan was restored while this copy was away: nothing of it may be merged. Drop it,
        // and start again from the server's plan with the current epoch (a fresh page load),
        // which tells the person what happened.
        void this.discardAndReload();
        return;
      }
      this.update({ closed: { code, reason } });
    });
    this.doc.on('update', this.onDocUpdate);
  }

  private setEpoch(epoch: number): void {
    this.epoch = epoch;
    this.provider.params = { ...this.provider.params, [epochParam]: String(epoch) };
    void this.local?.set(epochKey, epoch);
  }

  private async discardAndReload(): Promise<void> {
    const reloadKey = `coplan:restored-reload:${this.slug}`;
    const lastReload = Number(sessionStorage.getItem(reloadKey) ?? 0);
    if (Date.now() - lastReload < 30_000) {
      // Refused again straight after a fresh start: never loop; the page offers a reload.
      void this.local?.clearData();
      this.update({ closed: { code: closeCodes.planRestored, reason: 'plan restored' } });
      return;
    }
    sessionStorage.setItem(reloadKey, String(Date.now()));
    try {
      await this.local?.clearData();
      this.local = null;
      sessionStorage.setItem(restoredNoticeKey(this.slug), '1');
    } finally {
      window.location.reload();
    }
  }

  private readonly onDocUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === this.provider) return;
    // The provider sends a local update at once when it is connected (its handler runs before
    // this one); otherwise the edit waits for the next sync step 2.
    if (!this.provider.wsconnected) this.unsent = true;
    this.update({});
  };

  private onUpdateSent(socket: WebSocket, index: number): void {
    if (socket !== this.socket && this.socket !== null) return;
    this.lastUpdateSent = index;
    // Sync step 2 carries everything the server lacks, including edits made offline.
    this.unsent = false;
    this.update({});
  }

  private onSaved(socket: WebSocket | null, index: number): void {
    if (socket !== this.socket) return;
    this.lastSaved = Math.max(this.lastSaved, index);
    this.update({});
  }

  /** The browser knows at once when the network goes; the socket may take 30 s to notice. */
  private readonly onBrowserOffline = () => this.provider.ws?.close();
  private readonly onBrowserOnline = () => {
    if (!this.provider.wsconnected && this.provider.shouldConnect) {
      this.provider.disconnect();
      this.provider.connect();
    }
  };

  private update(patch: Partial<PlanConnectionState>): void {
    const saveState: SaveState = this.unsent
      ? 'unsaved'
      : this.lastUpdateSent > this.lastSaved
        ? 'saving'
        : 'saved';
    const next = { ...this.state, ...patch, saveState };
    const current = this.state;
    if (
      next.status === current.status &&
      next.synced === current.synced &&
      next.saveState === current.saveState &&
      next.closed === current.closed
    ) {
      return;
    }
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): PlanConnectionState => this.state;

  connect(): void {
    window.addEventListener('offline', this.onBrowserOffline);
    window.addEventListener('online', this.onBrowserOnline);
    if (this.epoch !== null) this.provider.params = { [epochParam]: String(this.epoch) };
    if (typeof indexedDB === 'undefined') {
      this.provider.connect();
      return;
    }
    // The device's copy: edits made offline survive closing the tab. It is read before the
    // socket opens, so that what the server lacks travels in the first sync step 2 rather than
    // the whole copy being sent again as one update.
    this.local = new IndexeddbPersistence(this.storeName, this.doc);
    const local = this.local;
    let connected = false;
    const connectOnce = () => {
      if (connected || this.local !== local) return;
      connected = true;
      this.provider.connect();
    };
    local.on('synced', () => {
      const hasCopy = readPlan(this.doc).meta !== null;
      if (hasCopy) this.update({ synced: true });
      // The copy's epoch goes with it to the server. A copy from before epochs were kept was
      // made at epoch 0 (no plan had been restored); an empty store takes the page's epoch.
      local
        .get(epochKey)
        .then((stored: unknown) => {
          if (this.local !== local) return;
          if (typeof stored === 'number') this.setEpoch(stored);
          else if (hasCopy) this.setEpoch(0);
          else if (this.epoch !== null) this.setEpoch(this.epoch);
        })
        .catch(() => {})
        .finally(connectOnce);
    });
    // A store that does not answer must not keep the page offline.
    setTimeout(connectOnce, 2_000);
  }

  destroy(): void {
    window.removeEventListener('offline', this.onBrowserOffline);
    window.removeEventListener('online', this.onBrowserOnline);
    this.doc.off('update', this.onDocUpdate);
    void this.local?.destroy();
    this.provider.destroy();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/**
 * The open connections of this page, one per plan, shared by the components that ask for it.
 * A connection is closed a moment after its last user lets go, so that React's development
 * double mount (mount, unmount, mount) reuses it instead of reconnecting.
 */
const openConnections = new Map<string, { controller: PlanConnectionController; users: number }>();

function connectionKey(slug: string, userId: string): string {
  return `${slug}\n${userId}`;
}

function retainConnection(slug: string, userId: string, epoch: number | null): void {
  const key = connectionKey(slug, userId);
  const open = openConnections.get(key);
  if (open) {
    open.users += 1;
    return;
  }
  const controller = new PlanConnectionController(slug, userId, epoch);
  openConnections.set(key, { controller, users: 1 });
  controller.connect();
}

function releaseConnection(slug: string, userId: string): void {
  const key = connectionKey(slug, userId);
  const open = openConnections.get(key);
  if (!open) return;
  open.users -= 1;
  setTimeout(() => {
    if (open.users > 0 || openConnections.get(key) !== open) return;
    openConnections.delete(key);
    open.controller.destroy();
  }, 0);
}

const serverState: PlanConnectionState = {
  status: 'connecting',
  synced: false,
  saveState: 'saved',
  closed: null,
};

/** Before the connection exists (and on the server): an empty document nothing writes to. */
const placeholderDoc = preparePlanDocument(new Y.Doc());
const placeholderAwareness = new Awareness(placeholderDoc);

function noopSubscribe(): () => void {
  return () => {};
}

/**
 * Connects to a plan, as `userId`, for as long as the calling component is mounted. `epoch` is
 * the plan's restore epoch as the page was rendered (for a device without a copy yet).
 */
export function usePlanConnection(
  slug: string,
  userId: string,
  epoch: number | null = null,
): PlanConnection {
  const key = connectionKey(slug, userId);
  const subscribe = useCallback(
    (onChange: () => void) => {
      retainConnection(slug, userId, epoch);
      const controller = openConnections.get(connectionKey(slug, userId))?.controller;
      const unsubscribe = controller?.subscribe(onChange);
      onChange();
      return () => {
        unsubscribe?.();
        releaseConnection(slug, userId);
      };
    },
    [slug, userId, epoch],
  );
  const controller = useSyncExternalStore(
    subscribe,
    () => openConnections.get(key)?.controller ?? null,
    () => null,
  );
  const state = useSyncExternalStore(
    controller?.subscribe ?? noopSubscribe,
    controller?.getState ?? (() => serverState),
    () => serverState,
  );
  return {
    ...state,
    doc: controller?.doc ?? placeholderDoc,
    awareness: controller?.awareness ?? placeholderAwareness,
  };
}

/** Keeps the plan's view current, re-reading only what each transaction touched. */
class PlanViewStore {
  private readonly cache: PlanViewCache;
  private readonly doc: Y.Doc;

  constructor(doc: Y.Doc) {
    this.doc = doc;
    this.cache = new PlanViewCache(doc);
  }

  subscribe = (listener: () => void) => {
    const onTransaction = (transaction: Y.Transaction) => {
      if (this.cache.apply(transaction)) listener();
    };
    // Transactions between this store's creation and its subscription were not seen.
    this.cache.reset();
    this.doc.on('afterTransaction', onTransaction);
    return () => this.doc.off('afterTransaction', onTransaction);
  };

  getSnapshot = (): PlanView => this.cache.current;
}

/** The plan as plain objects, re-read whenever the document changes. */
export function usePlanView(doc: Y.Doc): PlanView {
  const store = useMemo(() => new PlanViewStore(doc), [doc]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

type SelfUser = { id: string; name: string; organisation: OrganisationCode; color: string };

/** Who is on the plan, one entry per person, kept up to date from the awareness states. */
class PresenceStore {
  private users: PresenceUser[] = [];
  private readonly awareness: Awareness;
  private readonly self: SelfUser | undefined;

  constructor(awareness: Awareness, self: SelfUser | undefined) {
    this.awareness = awareness;
    this.self = self;
    this.compute();
  }

  private compute(): void {
    const byUser = new Map<string, PresenceUser>();
    if (this.self) {
      const local = this.awareness.getLocalState() as { focus?: unknown } | null;
      byUser.set(this.self.id, {
        clientId: this.awareness.clientID,
        userId: this.self.id,
        name: this.self.name,
        organisation: this.self.organisation,
        color: this.self.color,
        focus: typeof local?.focus === 'string' ? local.focus : null,
        dragging: null,
        isSelf: true,
      });
    }
    this.awareness.getStates().forEach((raw, clientId) => {
      if (clientId === this.awareness.clientID) return;
      const parsed = presenceStateSchema.safeParse(raw);
      if (!parsed.success || byUser.has(parsed.data.user.id)) return;
      const { user, focus, dragging } = parsed.data;
      byUser.set(user.id, {
        clientId,
        userId: user.id,
        name: user.name,
        organisation: user.organisation,
        color: user.color,
        focus,
        dragging: dragging ?? null,
        isSelf: false,
      });
    });
    this.users = [...byUser.values()];
  }

  subscribe = (listener: () => void) => {
    const onChange = () => {
      this.compute();
      listener();
    };
    this.awareness.on('change', onChange);
    return () => this.awareness.off('change', onChange);
  };

  getSnapshot = (): PresenceUser[] => this.users;
}

/**
 * Who is on the plan, one entry per person. The user fields of other people come from the
 * server (it rewrites them from each session); `self` describes the person at this browser.
 */
export function usePresence(awareness: Awareness, self?: SelfUser): PresenceUser[] {
  const selfId = self?.id;
  const selfName = self?.name;
  const selfOrganisation = self?.organisation;
  const selfColor = self?.color;
  const store = useMemo(
    () =>
      new PresenceStore(
        awareness,
        selfId && selfName && selfOrganisation && selfColor
          ? { id: selfId, name: selfName, organisation: selfOrganisation, color: selfColor }
          : undefined,
      ),
    [awareness, selfId, selfName, selfOrganisation, selfColor],
  );
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

/** Tells the others which item this person is looking at (or none). */
export function setLocalFocus(awareness: Awareness, itemId: string | null): void {
  awareness.setLocalStateField('focus', itemId);
}

/** Tells the others where this person is dragging a card (null when the drag ends). */
export function setLocalDragging(awareness: Awareness, dragging: Dragging | null): void {
  awareness.setLocalStateField('dragging', dragging);
}
