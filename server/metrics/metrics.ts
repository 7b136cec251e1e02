/**
 * The process's Prometheus metrics (prom-client), served at `/metrics` (metrics-route.ts).
 *
 * One registry per process, kept on globalThis like the database handle (db/database.ts), so the
 * sync rooms, the socket.io server and the route all count into the same one however many module
 * copies the bundler makes. Hooks elsewhere are one line each: `coplanMetrics().x.inc()`.
 *
 * Labels are bounded: close codes by their name in `closeCodes`, socket.io events by the names the
 * server handles ("unknown" for anything a client makes up), never a plan, a user or a message.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import { closeCodes } from '../../domain/sync-protocol';

const key = Symbol.for('coplan.metrics');

export interface CoplanMetrics {
  registry: Registry;
  syncConnections: Gauge;
  socketIoConnections: Gauge;
  loadedPlans: Gauge;
  commitSeconds: Histogram;
  updateBytes: Histogram;
  syncClosed: Counter<'code' | 'reason'>;
  socketIoEvents: Counter<'event'>;
}

const closeNames = new Map<number, string>(
  Object.entries(closeCodes).map(([name, code]) => [code, name]),
);

/** The counter's labels for a close code: its number and its name in `closeCodes`. */
export function closeLabels(code: number): { code: string; reason: string } {
  return { code: String(code), reason: closeNames.get(code) ?? 'other' };
}

function createMetrics(): CoplanMetrics {
  const registry = new Registry();
  // Event-loop lag and its percentiles, RSS, heap, handles, GC: prom-client's standard set.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    syncConnections: new Gauge({
      name: 'coplan_sync_connections',
      help: 'Open sync (Yjs WebSocket) connections.',
      registers,
    }),
    socketIoConnections: new Gauge({
      name: 'coplan_socketio_connections',
      help: 'Open socket.io connections (signed-in and public boards).',
      registers,
    }),
    loadedPlans: new Gauge({
      name: 'coplan_loaded_plans',
      help: 'Plan documents loaded in memory (sync rooms).',
      registers,
    }),
    commitSeconds: new Histogram({
      name: 'coplan_commit_seconds',
      help: 'Time to append one group commit of plan updates to the database.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    updateBytes: new Histogram({
      name: 'coplan_update_bytes',
      help: 'Size of each plan update committed.',
      buckets: [64, 256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576],
      registers,
    }),
    syncClosed: new Counter({
      name: 'coplan_sync_closed_total',
      help: 'Sync connections the server closed, by close code (refused messages, expired sessions, restores…).',
      labelNames: ['code', 'reason'] as const,
      registers,
    }),
    socketIoEvents: new Counter({
      name: 'coplan_socketio_events_total',
      help: 'socket.io events received, by name ("unknown" for names the server does not handle).',
      labelNames: ['event'] as const,
      registers,
    }),
  };
}

export function coplanMetrics(): CoplanMetrics {
  const holder = globalThis as { [key]?: CoplanMetrics };
  holder[key] ??= createMetrics();
  return holder[key];
}
