/**
 * What a benchmark server child tells the load generator over its IPC channel, and what it is
 * told. Each child (bench/servers/*.ts) starts one server on 127.0.0.1, port 0, and sends
 * `ready`; the parent sends `stop` when it is done with it, and the child exits.
 */
export type ServerKind = 'relay' | 'y-websocket' | 'hocuspocus' | 'coplan';

export interface ReadyMessage {
  type: 'ready';
  port: number;
  /** The WebSocket path clients open (the room or document name is part of it). */
  path: string;
  /** Headers each client sends (Coplan: a session cookie and the allowed Origin). */
  headers: Array<Record<string, string>>;
  /**
   * The document state the server starts with (Coplan: its seeded plan, base64), which clients
   * apply locally before connecting; null when the server starts empty.
   */
  initialState: string | null;
  /** More plans with the same initial state (Coplan with BENCH_EXTRA_PLANS), one path each. */
  extraPaths: string[];
  /** Facts about the server worth printing, e.g. PostgreSQL's fsync setting. */
  facts: Record<string, string>;
  /**
   * Coplan with BENCH_FOLLOWERS=N: N members (viewers) who follow one item of the seeded plan,
   * and a commenter, for bench/comment-fanout.ts.
   */
  fanout?: {
    plan: string;
    itemId: string;
    origin: string;
    commenterCookie: string;
    followerCookies: string[];
  };
}

export interface StopMessage {
  type: 'stop';
}

export interface AppendBenchRequest {
  type: 'append-bench';
  durationMs: number;
  /** Updates offered per second; the store commits them in groups, one group at a time. */
  ratePerSecond: number;
  /** Example update payloads, cycled through. */
  payloads: string[];
  /**
   * `drizzle`: the server's own `appendPlanUpdates`. `unnest`: the same transaction (bump the
   * plan's counter, insert the rows) as two postgres.js statements with array parameters, to
   * show what the query builder costs.
   */
  mode: 'drizzle' | 'unnest';
}

export interface AppendBenchResult {
  type: 'append-bench-result';
  mode: AppendBenchRequest['mode'];
  committed: number;
  elapsedMs: number;
  groups: number;
  /** Milliseconds from enqueue to commit, one per update. */
  latencies: number[];
}

export type ParentMessage = StopMessage | AppendBenchRequest;
export type ChildMessage = ReadyMessage | AppendBenchResult;
