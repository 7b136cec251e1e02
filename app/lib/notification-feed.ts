'use client';
/**
 * The signed-in user's notifications in the browser, for the header's bell. Loaded on demand
 * (the bell imports this module after the page is interactive), it takes the page's shared
 * socket, asks `notification:list` at every connect, reconnects included, and merges the answer
 * by id with what it holds, so a notification that came while offline shows up and none shows
 * twice. Live: `notification:created` adds one, `notification:read` (from this tab or another)
 * marks them read.
 */
import type { Notification } from '../../domain/notifications';
import {
  acquireRealtimeSocket,
  releaseRealtimeSocket,
  type RealtimeSocket,
} from './realtime-socket';

export interface NotificationFeedState {
  /** Newest first. */
  notifications: Notification[];
  unread: number;
  /** False until the first list arrives. */
  loaded: boolean;
  /** The server has older ones than the oldest held (`loadOlder` fetches them). */
  more: boolean;
  /** Nothing could be loaded yet: the connection failed or the list did not come. */
  failed: boolean;
  /** Older ones are being fetched. */
  loadingOlder: boolean;
}

const emptyState: NotificationFeedState = {
  notifications: [],
  unread: 0,
  loaded: false,
  more: false,
  failed: false,
  loadingOlder: false,
};

const ackTimeoutMs = 8_000;

export class NotificationFeed {
  private readonly socket: RealtimeSocket;
  private readonly byId = new Map<string, Notification>();
  private state: NotificationFeedState = emptyState;
  private readonly listeners = new Set<() => void>();

  constructor() {
    this.socket = acquireRealtimeSocket();
    this.socket.on('connect', this.onConnect);
    this.socket.on('connect_error', this.onFailed);
    this.socket.on('notification:created', this.onCreated);
    this.socket.on('notification:read', this.onRead);
    if (this.socket.connected) this.onConnect();
    else this.socket.connect();
  }

  close(): void {
    this.socket.off('connect', this.onConnect);
    this.socket.off('connect_error', this.onFailed);
    this.socket.off('notification:created', this.onCreated);
    this.socket.off('notification:read', this.onRead);
    releaseRealtimeSocket(this.socket);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): NotificationFeedState => this.state;

  /** Marks these read (optimistically here; the server's answer sets the count). */
  async markRead(ids: string[] | 'all'): Promise<void> {
    this.applyRead(ids, null);
    try {
      const result = await this.socket
        .timeout(ackTimeoutMs)
        .emitWithAck('notification:read', ids === 'all' ? { all: true } : { ids });
      if ('ok' in result) this.set({ unread: result.unread });
    } catch {
      // The next connect's list says what the server has.
    }
  }

  /** Fetches the page before the oldest one held. */
  async loadOlder(): Promise<void> {
    const oldest = this.state.notifications.at(-1);
    if (!oldest || this.state.loadingOlder) return;
    this.set({ loadingOlder: true });
    try {
      const result = await this.socket
        .timeout(ackTimeoutMs)
        .emitWithAck('notification:list', { before: oldest.id });
      if ('ok' in result) {
        for (const notification of result.notifications) {
          this.byId.set(notification.id, notification);
        }
        this.set({ more: result.more });
      }
    } catch {
      // Offered again: the button stays.
    }
    this.set({ loadingOlder: false });
  }

  private readonly onConnect = () => {
    this.socket
      .timeout(ackTimeoutMs)
      .emitWithAck('notification:list', {})
      .then((result) => {
        if (!('ok' in result)) return this.onFailed();
        for (const notification of result.notifications) {
          this.byId.set(notification.id, notification);
        }
        // Once older pages are held, the newest page's `more` says nothing about them.
        const more = this.state.loaded && !this.state.more ? false : result.more;
        this.set({ unread: result.unread, loaded: true, failed: false, more });
      })
      // A list that times out is asked again at the next connect.
      .catch(this.onFailed);
  };

  /** Until a list has come, the panel says it could not load instead of "Loading" for ever. */
  private readonly onFailed = () => {
    if (!this.state.loaded) this.set({ failed: true });
  };

  private readonly onCreated = (notification: Notification) => {
    const known = this.byId.has(notification.id);
    this.byId.set(notification.id, notification);
    // Already counted when the list that had it came after it was stored.
    this.set({ unread: known ? this.state.unread : this.state.unread + 1 });
  };

  private readonly onRead = (fact: { ids: string[] | 'all'; unread: number }) => {
    this.applyRead(fact.ids, fact.unread);
  };

  private applyRead(ids: string[] | 'all', unread: number | null) {
    const now = new Date().toISOString();
    const targets = ids === 'all' ? [...this.byId.keys()] : ids;
    let changed = 0;
    for (const id of targets) {
      const notification = this.byId.get(id);
      if (notification && notification.readAt === null) {
        this.byId.set(id, { ...notification, readAt: now });
        changed += 1;
      }
    }
    this.set({
      unread: unread ?? (ids === 'all' ? 0 : Math.max(0, this.state.unread - changed)),
    });
  }

  private set(change: Partial<Omit<NotificationFeedState, 'notifications'>>) {
    const notifications = [...this.byId.values()].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
    );
    this.state = { ...this.state, ...change, notifications };
    for (const listener of this.listeners) listener();
  }
}
