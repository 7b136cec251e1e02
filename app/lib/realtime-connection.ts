'use client';
/**
 * The browser's socket.io connection to a plan (docs/realtime.md): everything live that is not
 * the plan document, comments today. One per plan page, made by the workspace and passed down.
 *
 * It joins the plan's room on every connect, reconnects included, so facts keep coming after a
 * network drop. Commands carry a `clientMessageId` made up once per intended action; when an ack
 * does not come in time the same command is sent again with the same id, so the server answers
 * with what the first attempt stored rather than storing it twice.
 *
 * It also knows the user's current role on the plan: the join answers with it, and the server
 * says `plan:access-changed` when an owner changes it, so what the role allows (the comment
 * composer) follows at once, without a reload.
 */
import { useCallback, useSyncExternalStore } from 'react';

import type { ActivityEntry } from '../../domain/activity';
import type {
  Ack,
  ClientToServerEvents,
  Comment,
  CommentFact,
  ServerToClientEvents,
} from '../../domain/realtime-events';
import type { Role } from '../../domain/roles';
import {
  acquireRealtimeSocket,
  releaseRealtimeSocket,
  type RealtimeSocket,
} from './realtime-socket';

export type FollowChange = Parameters<ServerToClientEvents['follow:changed']>[0];

export type CommentCommand =
  'comment:create' | 'comment:edit' | 'comment:delete' | 'thread:resolve' | 'thread:reopen';

export type CommentFactName =
  'comment:created' | 'comment:updated' | 'comment:deleted' | 'thread:resolved' | 'thread:reopened';

/** What a command carries besides the plan and the clientMessageId the connection adds. */
export type CommandPayload<E extends CommentCommand> = Omit<
  Parameters<ClientToServerEvents[E]>[0],
  'plan' | 'clientMessageId'
>;

export type CommandResult = Ack<{ comment: Comment }> | { error: 'timeout'; message: string };

const ackTimeoutMs = 8_000;
const attempts = 3;

export class RealtimeConnection {
  readonly slug: string;
  private readonly socket: RealtimeSocket;
  private open = true;
  /** Bumped at every (re)join: readers load again what they may have missed meanwhile. */
  private epoch = 0;
  private readonly listeners = new Set<() => void>();
  /** Undefined until the first join answers; null once the user is no longer a member. */
  private role: Role | null | undefined = undefined;
  private readonly roleListeners = new Set<() => void>();

  /** Takes the page's shared socket (the header's bell may have it open already). */
  constructor(slug: string) {
    this.slug = slug;
    this.socket = acquireRealtimeSocket();
    this.socket.on('connect', this.onConnect);
    this.socket.on('plan:access-changed', this.onAccessChanged);
  }

  private readonly onAccessChanged = (change: { plan: string; role: Role | null }) => {
    if (change.plan === this.slug) this.setRole(change.role);
  };

  private setRole(role: Role | null): void {
    if (this.role === role) return;
    this.role = role;
    for (const listener of this.roleListeners) listener();
  }

  private readonly onConnect = () => {
    this.socket
      .timeout(ackTimeoutMs)
      .emitWithAck('plan:join', { plan: this.slug })
      .then((result) => {
        if ('ok' in result) {
          this.setRole(result.role);
          this.epoch += 1;
          for (const listener of this.listeners) listener();
        } else if (result.error === 'not_found' || result.error === 'forbidden') {
          this.setRole(null);
        }
      })
      // A join that times out is tried again at the next connect.
      .catch(() => undefined);
  };

  connect(): void {
    // Already connected for the bell: no `connect` event is coming, so join now.
    if (this.socket.connected) this.onConnect();
    else this.socket.connect();
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.socket.off('connect', this.onConnect);
    this.socket.off('plan:access-changed', this.onAccessChanged);
    releaseRealtimeSocket(this.socket);
  }

  /** Changes at every successful join: load again what a reader shows. */
  subscribeJoined = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getEpoch = (): number => this.epoch;

  /** Changes when the server tells the user's role on the plan (at each join, and live). */
  subscribeRole = (listener: () => void): (() => void) => {
    this.roleListeners.add(listener);
    return () => this.roleListeners.delete(listener);
  };

  /** The role the server last told: undefined before the first join, null when removed. */
  getRole = (): Role | null | undefined => this.role;

  /** Sends a command with a fresh clientMessageId, retrying that same id on a timeout. */
  async command<E extends CommentCommand>(
    event: E,
    payload: CommandPayload<E>,
  ): Promise<CommandResult> {
    const input = { ...payload, plan: this.slug, clientMessageId: crypto.randomUUID() };
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        // The event maps type each command's payload; a union of commands is not narrowed.
        const timed = this.socket.timeout(ackTimeoutMs) as unknown as {
          emitWithAck(
            name: CommentCommand,
            value: typeof input,
          ): Promise<Ack<{ comment: Comment }>>;
        };
        return await timed.emitWithAck(event, input);
      } catch {
        // Timed out: the same id again, so a command that did arrive is not done twice.
      }
    }
    return { error: 'timeout', message: 'no answer from the server' };
  }

  /** Calls `listener` with each comment fact of this plan. */
  onCommentFact(listener: (name: CommentFactName, comment: Comment) => void): () => void {
    const names: CommentFactName[] = [
      'comment:created',
      'comment:updated',
      'comment:deleted',
      'thread:resolved',
      'thread:reopened',
    ];
    const socket = this.socket;
    const handlers = names.map((name) => {
      const handler = (fact: CommentFact) => {
        if (fact.plan === this.slug) listener(name, fact.comment);
      };
      socket.on(name, handler);
      return [name, handler] as const;
    });
    return () => {
      for (const [name, handler] of handlers) socket.off(name, handler);
    };
  }

  /** What the user follows on this plan; null when the server did not answer. */
  async listFollows(): Promise<{ plan: boolean; items: string[] } | null> {
    try {
      const result = await this.socket
        .timeout(ackTimeoutMs)
        .emitWithAck('follow:list', { plan: this.slug });
      return 'ok' in result ? { plan: result.plan, items: result.items } : null;
    } catch {
      return null;
    }
  }

  /** Follows or stops following the plan (`itemId` null) or an item; false when it failed. */
  async setFollow(itemId: string | null, following: boolean): Promise<boolean> {
    try {
      const result = await this.socket
        .timeout(ackTimeoutMs)
        .emitWithAck('follow:set', { plan: this.slug, itemId, following });
      return 'ok' in result;
    } catch {
      return false;
    }
  }

  /** Calls `listener` when this user starts or stops following something on this plan. */
  onFollowChanged(listener: (change: FollowChange) => void): () => void {
    const socket = this.socket;
    const handler = (change: FollowChange) => {
      if (change.plan === this.slug) listener(change);
    };
    socket.on('follow:changed', handler);
    return () => socket.off('follow:changed', handler);
  }

  /** Calls `listener` with each activity entry the server records (or folds into) on this plan. */
  onActivity(listener: (entry: ActivityEntry) => void): () => void {
    const handler = (fact: { plan: string; entry: ActivityEntry }) => {
      if (fact.plan === this.slug) listener(fact.entry);
    };
    this.socket.on('activity:recorded', handler);
    return () => {
      this.socket.off('activity:recorded', handler);
    };
  }
}

const noSubscription = () => () => undefined;

/**
 * The user's role on the plan as the realtime connection last heard it, or `initial` (the role
 * the page was rendered with) until the connection has joined. Null once they are removed.
 */
export function useRealtimeRole(realtime: RealtimeConnection | null, initial: Role): Role | null {
  const live = useSyncExternalStore(
    realtime?.subscribeRole ?? noSubscription,
    () => realtime?.getRole(),
    () => undefined,
  );
  return live === undefined ? initial : live;
}

/** Open connections by plan, with how many mounted components use each (as plan-connection.ts). */
const openConnections = new Map<string, { connection: RealtimeConnection; users: number }>();

/** The plan's socket.io connection while the calling component is mounted (null on the server). */
export function useRealtimeConnection(slug: string): RealtimeConnection | null {
  // The socket exists only in the browser: it is opened when React subscribes, once per plan,
  // and closed when the last component using it unmounts.
  const subscribe = useCallback(
    (onChange: () => void) => {
      let entry = openConnections.get(slug);
      if (!entry) {
        entry = { connection: new RealtimeConnection(slug), users: 0 };
        entry.connection.connect();
        openConnections.set(slug, entry);
      }
      entry.users += 1;
      const opened = entry;
      onChange();
      return () => {
        opened.users -= 1;
        if (opened.users > 0) return;
        opened.connection.close();
        if (openConnections.get(slug) === opened) openConnections.delete(slug);
      };
    },
    [slug],
  );
  return useSyncExternalStore(
    subscribe,
    () => openConnections.get(slug)?.connection ?? null,
    () => null,
  );
}
