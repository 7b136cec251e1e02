/**
 * The load generator: every client of a scenario lives in this one process, each with its own
 * WebSocket and Y.Doc, speaking the server's framing of the y-websocket protocol directly (no
 * provider: the same lean client for all four servers, so none pays for another's client code).
 *
 * One shared timer holds the total rate: each tick it picks random clients and has each make one
 * edit with the domain's writers (an item's progress, or its title set to a sequence number).
 * The sender records its Yjs client id, the clock range of the edit and the send time; a
 * receiver's doc transaction names the clock ranges it integrated, so each delivery is matched to its send without a second clock. Coplan's "saved" message (type
 * 100, sent only after the commit) gives the time from send to "in PostgreSQL".
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebSocket } from 'ws';
import * as Y from 'yjs';

import { preparePlanDocument, readPlan, setItemTitle, updateItem } from '../domain/plan-document';
import { messageSaved, messageSync } from '../domain/sync-protocol';
import type { ServerProcess } from './server-process';
import type { ServerKind } from './server-protocol';

export interface ScenarioSpec {
  name: string;
  clients: number;
  /** Updates per second, all clients together. */
  ratePerSecond: number;
  durationMs: number;
  /** Once sending stops, how long to wait for in-flight deliveries without any arriving. */
  drainMs: number;
  /**
   * When a receiver integrates what it receives. `eager`: on arrival, and the delivery is timed
   * by the doc's transaction. `deferred`: the delivery is timed on arrival by reading the
   * update's clock ranges (`Y.parseUpdateMeta`) and the update is integrated just before that
   * client edits, and at the end; one process integrating 60,000 deliveries a second for 1,000
   * docs would otherwise measure itself rather than the server.
   */
  integration: 'eager' | 'deferred';
  /** Spread the clients over the server's extra plans (round robin) instead of one plan. */
  spreadOverPlans?: boolean;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface ScenarioResult {
  scenario: string;
  server: ServerKind;
  clients: number;
  connected: number;
  ratePerSecond: number;
  durationMs: number;
  sent: number;
  /** Updates per second actually sent over the window. */
  sentPerSecond: number;
  expectedDeliveries: number;
  deliveries: number;
  /** deliveries / expectedDeliveries, in percent. */
  deliveryPercent: number;
  converged: boolean;
  /** How many different end states the clients hold (one per plan when converged). */
  distinctStates: number;
  /** When they differ: how many clients hold each state, and what tells the first two apart. */
  divergence: string | null;
  latencyMs: Percentiles | null;
  serverCpuMs: number;
  /** The measured span: the sending window plus the wait for what was in flight. */
  measuredMs: number;
  /** Server CPU time per delivery, in microseconds. */
  cpuPerDeliveryUs: number | null;
  serverPeakRssMb: number;
  /** Load generator CPU over the same window, as a share of one core. */
  generatorCpuShare: number;
  generatorLoopDelayP99Ms: number;
  /** Coplan only: send → "saved" (committed to PostgreSQL). */
  saved: {
    count: number;
    latencyMs: Percentiles | null;
    within100msPercent: number;
    /** From the window's start to the last "saved": committed updates / this = commit rate. */
    spanMs: number;
  } | null;
  /** Close codes and reasons seen, for a server that refused clients. */
  closes: Record<string, number>;
  connectMs: number;
}

/** The longest wait for in-flight deliveries after the window, however slowly they arrive. */
const maxDrainMs = 120_000;
const localOrigin = Symbol('bench.local');
const remoteOrigin = Symbol('bench.remote');
const hocuspocusDocument = 'bench';
const hocuspocusAuth = 2;
const hocuspocusSyncReply = 4;

interface SendRecord {
  clockStart: number;
  clockEnd: number;
  sentAt: number;
  receivers: number;
}

interface BenchClient {
  index: number;
  path: string;
  ws: WebSocket;
  doc: Y.Doc;
  open: boolean;
  synced: boolean;
  /** Messages this client sent; Coplan's "saved" names a position in this count. */
  sentMessages: number;
  /** Coplan: sends not yet acknowledged as saved, in order. */
  unsaved: Array<{ messageIndex: number; sentAt: number }>;
  /** Deferred integration: updates received and counted, not yet applied. */
  pending: Uint8Array[];
  /** Per sending Yjs client, the clock up to which deliveries to this client are counted. */
  counted: Map<number, number>;
}

/** Growable list of numbers without boxing. */
class Samples {
  private data = new Float64Array(1 << 16);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  percentiles(): Percentiles | null {
    if (this.length === 0) return null;
    const sorted = this.data.slice(0, this.length).sort();
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1]! };
  }
  countAtMost(limit: number): number {
    let count = 0;
    for (let index = 0; index < this.length; index++) if (this.data[index]! <= limit) count++;
    return count;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function toUint8Array(data: WebSocket.RawData): Uint8Array {
  const buffer = Array.isArray(data)
    ? Buffer.concat(data)
    : Buffer.isBuffer(data)
      ? data
      : Buffer.from(data);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function describeDivergence(groups: BenchClient[][]): string {
  const sizes = groups.map((group) => group.length).join(' + ');
  const [first, second] = groups.map((group) => group[0]!);
  if (!first || !second) return sizes;
  const a = Y.decodeStateVector(Y.encodeStateVector(first.doc));
  const b = Y.decodeStateVector(Y.encodeStateVector(second.doc));
  const clocks: string[] = [];
  for (const clientId of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(clientId) !== b.get(clientId)) {
      clocks.push(`${clientId}: ${a.get(clientId) ?? 0} vs ${b.get(clientId) ?? 0}`);
    }
  }
  const pending = (doc: Y.Doc) =>
    `${doc.store.pendingStructs ? 'pending structs' : ''}${doc.store.pendingDs ? ' pending deletes' : ''}`;
  const planA = readPlan(first.doc).items;
  const planB = readPlan(second.doc).items;
  const items = planA
    .filter((item, index) => JSON.stringify(item) !== JSON.stringify(planB[index]))
    .slice(0, 2)
    .map((item) => {
      const other = planB.find((candidate) => candidate.id === item.id);
      return `${JSON.stringify(item)} vs ${JSON.stringify(other)}`;
    });
  return (
    `${sizes} clients; clocks differ: ${clocks.slice(0, 4).join(', ') || 'none'}; ` +
    `[${pending(first.doc)}] vs [${pending(second.doc)}]; items: ${items.join(' | ') || 'same'}`
  );
}

export async function runScenario(
  server: ServerProcess,
  spec: ScenarioSpec,
  seedState: Uint8Array,
): Promise<ScenarioResult> {
  const kind = server.kind;
  const { ready } = server;
  const paths = spec.spreadOverPlans && ready.extraPaths.length ? ready.extraPaths : [ready.path];
  const initialState = ready.initialState
    ? new Uint8Array(Buffer.from(ready.initialState, 'base64'))
    : seedState;
  const itemIds = (() => {
    const doc = preparePlanDocument(new Y.Doc());
    Y.applyUpdate(doc, initialState);
    const ids = readPlan(doc).items.map((item) => item.id);
    doc.destroy();
    return ids;
  })();
  if (itemIds.length === 0) throw new Error('the seed plan has no items to edit');

  const sendsByClient = new Map<number, SendRecord[]>();
  const latencies = new Samples();
  const savedLatencies = new Samples();
  const closes: Record<string, number> = {};
  let deliveries = 0;
  let measuring = false;

  const frame = (write: (encoder: encoding.Encoder) => void): Uint8Array => {
    const encoder = encoding.createEncoder();
    if (kind === 'hocuspocus') encoding.writeVarString(encoder, hocuspocusDocument);
    write(encoder);
    return encoding.toUint8Array(encoder);
  };

  const send = (client: BenchClient, message: Uint8Array) => {
    if (!client.open) return;
    client.sentMessages++;
    client.ws.send(message);
  };

  /** Counts the sends of `clientId` inside the clock range [from, to) as delivered to `receiver`. */
  const recordDeliveries = (receiver: BenchClient, clientId: number, from: number, to: number) => {
    const records = sendsByClient.get(clientId);
    if (!records || clientId === receiver.doc.clientID) return;
    const now = performance.now();
    const countedTo = receiver.counted.get(clientId) ?? 0;
    // First record starting at or after `from` (records are in clock order).
    let low = 0;
    let high = records.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (records[middle]!.clockStart < from) low = middle + 1;
      else high = middle;
    }
    let index = low;
    for (; index < records.length && records[index]!.clockEnd <= to; index++) {
      const record = records[index]!;
      // A duplicate (the same update received twice) counts once.
      if (record.clockEnd <= countedTo) continue;
      deliveries++;
      latencies.push(now - record.sentAt);
      receiver.counted.set(clientId, record.clockEnd);
    }
  };

  /** Eager integration: a receiver's transaction names the clock ranges it integrated. */
  const recordTransaction = (receiver: BenchClient, transaction: Y.Transaction) => {
    if (!measuring) return;
    for (const [clientId, to] of transaction.afterState) {
      const from = transaction.beforeState.get(clientId) ?? 0;
      if (from !== to) recordDeliveries(receiver, clientId, from, to);
    }
  };

  const integratePending = (client: BenchClient) => {
    if (client.pending.length === 0) return;
    const pending = client.pending;
    client.pending = [];
    client.doc.transact(() => {
      for (const update of pending) Y.applyUpdate(client.doc, update, remoteOrigin);
    }, remoteOrigin);
  };

  let lastSavedAt = 0;
  const onSaved = (client: BenchClient, upTo: number) => {
    const now = performance.now();
    lastSavedAt = now;
    while (client.unsaved.length > 0 && client.unsaved[0]!.messageIndex <= upTo) {
      const entry = client.unsaved.shift()!;
      savedLatencies.push(now - entry.sentAt);
    }
  };

  const receive = (client: BenchClient, data: Uint8Array) => {
    const decoder = decoding.createDecoder(data);
    if (kind === 'hocuspocus') decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === messageSync || (kind === 'hocuspocus' && type === hocuspocusSyncReply)) {
      if (spec.integration === 'deferred' && client.synced) {
        const start = decoder.pos;
        const syncType = decoding.readVarUint(decoder);
        if (
          syncType === syncProtocol.messageYjsUpdate ||
          syncType === syncProtocol.messageYjsSyncStep2
        ) {
          const update = decoding.readVarUint8Array(decoder);
          if (measuring) {
            const meta = Y.parseUpdateMeta(update);
            for (const [clientId, from] of meta.from) {
              recordDeliveries(client, clientId, from, meta.to.get(clientId) ?? from);
            }
          }
          client.pending.push(update);
          return;
        }
        decoder.pos = start;
      }
      const encoder = encoding.createEncoder();
      if (kind === 'hocuspocus') encoding.writeVarString(encoder, hocuspocusDocument);
      encoding.writeVarUint(encoder, messageSync);
      const syncType = syncProtocol.readSyncMessage(decoder, encoder, client.doc, remoteOrigin);
      // A step 1 from the server asks for what this client has: answer it.
      if (syncType === syncProtocol.messageYjsSyncStep1)
        send(client, encoding.toUint8Array(encoder));
      if (syncType === syncProtocol.messageYjsSyncStep2) client.synced = true;
      return;
    }
    if (kind === 'coplan' && type === messageSaved) {
      onSaved(client, decoding.readVarUint(decoder));
    }
    // Awareness, Hocuspocus's auth and sync-status messages: nothing to do.
  };

  const openClient = (index: number): Promise<BenchClient> => {
    const doc = preparePlanDocument(new Y.Doc());
    Y.applyUpdate(doc, initialState);
    const headers = ready.headers[index % ready.headers.length] ?? {};
    const path = paths[index % paths.length]!;
    const ws = new WebSocket(`ws://127.0.0.1:${ready.port}${path}`, {
      headers,
      perMessageDeflate: false,
    });
    const client: BenchClient = {
      index,
      path,
      ws,
      doc,
      open: false,
      synced: false,
      sentMessages: 0,
      unsaved: [],
      pending: [],
      counted: new Map(),
    };
    if (spec.integration === 'eager') {
      doc.on('afterTransaction', (transaction: Y.Transaction) => {
        if (transaction.origin === remoteOrigin) recordTransaction(client, transaction);
      });
    }
    return new Promise((resolve, reject) => {
      ws.on('open', () => {
        client.open = true;
        if (kind === 'relay') {
          // The relay holds no state: nothing to sync, and a step 1 would go to every peer.
          client.synced = true;
        } else {
          if (kind === 'hocuspocus') {
            send(
              client,
              frame((encoder) => {
                encoding.writeVarUint(encoder, hocuspocusAuth);
                encoding.writeVarUint(encoder, 0); // token
                encoding.writeVarString(encoder, '');
              }),
            );
          }
          send(
            client,
            frame((encoder) => {
              encoding.writeVarUint(encoder, messageSync);
              syncProtocol.writeSyncStep1(encoder, doc);
            }),
          );
        }
        resolve(client);
      });
      ws.on('message', (data) => receive(client, toUint8Array(data)));
      ws.on('close', (code, reason) => {
        if (client.open) {
          const key = `${code} ${reason.toString()}`.trim();
          closes[key] = (closes[key] ?? 0) + 1;
        }
        client.open = false;
      });
      ws.on('error', (error) => {
        if (!client.open) reject(error);
      });
    });
  };

  // Connect gradually, and wait for each batch to sync before the next.
  const connectStart = performance.now();
  const clients: BenchClient[] = [];
  const batchSize = 50;
  for (let start = 0; start < spec.clients; start += batchSize) {
    const batch = await Promise.allSettled(
      Array.from({ length: Math.min(batchSize, spec.clients - start) }, (_, offset) =>
        openClient(start + offset),
      ),
    );
    for (const settled of batch) {
      if (settled.status === 'fulfilled') clients.push(settled.value);
      else
        closes[`connect: ${String(settled.reason)}`] =
          (closes[`connect: ${String(settled.reason)}`] ?? 0) + 1;
    }
    const deadline = performance.now() + 30_000;
    while (
      clients.some((client) => client.open && !client.synced) &&
      performance.now() < deadline
    ) {
      await sleep(5);
    }
  }
  const connectMs = performance.now() - connectStart;
  const live = clients.filter((client) => client.open && client.synced);
  const byPath = new Map<string, BenchClient[]>();
  for (const client of live) {
    const peers = byPath.get(client.path) ?? [];
    peers.push(client);
    byPath.set(client.path, peers);
  }
  // Let the last sync replies settle before the window opens.
  await sleep(500);

  // The measured window.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const cpuBefore = server.cpuMs();
  const generatorBefore = process.cpuUsage();
  const windowStart = performance.now();
  measuring = true;
  loopDelay.enable();
  let sent = 0;
  let sequence = 0;
  const sendOne = () => {
    let client = live[Math.floor(Math.random() * live.length)];
    for (let attempt = 0; attempt < 8 && client && !client.open; attempt++) {
      client = live[Math.floor(Math.random() * live.length)];
    }
    if (!client?.open) return;
    let receivers = 0;
    for (const peer of byPath.get(client.path) ?? []) if (peer.open && peer !== client) receivers++;
    const doc = client.doc;
    // A client edits what it has: everything it received so far.
    integratePending(client);
    const clockStart = Y.getState(doc.store, doc.clientID);
    let update: Uint8Array | null = null;
    const capture = (value: Uint8Array, origin: unknown) => {
      if (origin === localOrigin) update = value;
    };
    doc.on('update', capture);
    try {
      // A write that changes nothing (same value) sends nothing; try the next number.
      for (let attempt = 0; attempt < 4 && update === null; attempt++) {
        sequence++;
        const itemId = itemIds[Math.floor(Math.random() * itemIds.length)]!;
        if (sequence % 2 === 0) updateItem(doc, itemId, { progress: sequence % 101 }, localOrigin);
        else setItemTitle(doc, itemId, `Bench edit ${sequence}`, localOrigin);
      }
    } finally {
      doc.off('update', capture);
    }
    const clockEnd = Y.getState(doc.store, doc.clientID);
    if (update === null || clockEnd === clockStart) return;
    const sentAt = performance.now();
    let records = sendsByClient.get(doc.clientID);
    if (!records) {
      records = [];
      sendsByClient.set(doc.clientID, records);
    }
    records.push({ clockStart, clockEnd, sentAt, receivers });
    const message = frame((encoder) => {
      encoding.writeVarUint(encoder, messageSync);
      syncProtocol.writeUpdate(encoder, update as Uint8Array);
    });
    send(client, message);
    if (kind === 'coplan') client.unsaved.push({ messageIndex: client.sentMessages, sentAt });
    sent++;
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const elapsed = Math.min(now, windowStart + spec.durationMs) - windowStart;
      const due = Math.floor((elapsed / 1000) * spec.ratePerSecond);
      while (sent < due) sendOne();
      if (now >= windowStart + spec.durationMs) resolve();
      else setTimeout(tick, 2);
    };
    tick();
  });
  const sendEnd = performance.now();

  let expectedDeliveries = 0;
  for (const records of sendsByClient.values()) {
    for (const record of records) expectedDeliveries += record.receivers;
  }
  // Wait for what is in flight: a server that fell behind is given time to catch up (its backlog
  // shows in the latencies), until nothing arrives for `drainMs` or the cap is reached.
  const drainCap = performance.now() + maxDrainMs;
  let progressAt = performance.now();
  let progress = -1;
  for (;;) {
    const now = performance.now();
    const unsaved =
      kind === 'coplan' && live.some((client) => client.open && client.unsaved.length);
    if (deliveries >= expectedDeliveries && !unsaved) break;
    if (deliveries + savedLatencies.length !== progress) {
      progress = deliveries + savedLatencies.length;
      progressAt = now;
    }
    if (now - progressAt > spec.drainMs || now > drainCap) break;
    await sleep(20);
  }
  measuring = false;
  loopDelay.disable();
  const serverCpuMs = server.cpuMs() - cpuBefore;
  const generator = process.cpuUsage(generatorBefore);
  const windowMs = performance.now() - windowStart;

  // Convergence: every client's plan and state vector the same.
  const states = new Map<string, BenchClient[]>();
  for (const client of live) {
    if (!client.open) continue;
    integratePending(client);
    const vector = Buffer.from(Y.encodeStateVector(client.doc)).toString('base64');
    const key = `${client.path}|${vector}|${JSON.stringify(readPlan(client.doc))}`;
    states.set(key, [...(states.get(key) ?? []), client]);
  }
  const divergence = states.size > byPath.size ? describeDivergence([...states.values()]) : null;

  for (const client of clients) {
    // Closed by us: not a close the server chose.
    client.open = false;
    client.ws.terminate();
    client.doc.destroy();
  }

  const savedCount = savedLatencies.length;
  return {
    scenario: spec.name,
    server: kind,
    clients: spec.clients,
    connected: live.length,
    ratePerSecond: spec.ratePerSecond,
    durationMs: spec.durationMs,
    sent,
    sentPerSecond: sent / ((sendEnd - windowStart) / 1000),
    expectedDeliveries,
    deliveries,
    deliveryPercent: expectedDeliveries === 0 ? 0 : (deliveries / expectedDeliveries) * 100,
    converged: states.size === byPath.size && live.length === spec.clients,
    distinctStates: states.size,
    divergence,
    latencyMs: latencies.percentiles(),
    serverCpuMs,
    measuredMs: windowMs,
    cpuPerDeliveryUs: deliveries === 0 ? null : (serverCpuMs * 1000) / deliveries,
    serverPeakRssMb: server.peakRssBytes() / (1024 * 1024),
    generatorCpuShare: (generator.user + generator.system) / 1000 / windowMs,
    generatorLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    saved:
      kind === 'coplan'
        ? {
            count: savedCount,
            latencyMs: savedLatencies.percentiles(),
            within100msPercent: sent === 0 ? 0 : (savedLatencies.countAtMost(100) / sent) * 100,
            spanMs: lastSavedAt - windowStart,
          }
        : null,
    closes,
    connectMs,
  };
}
