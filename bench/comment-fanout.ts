/**
 * From a comment sent to its notification at every follower (issue 5: "the time from a comment
 * sent to its arrival at 200 followers, p50/p95").
 *
 *   npx tsx bench/comment-fanout.ts [--followers=200] [--comments=40] [--interval=250]
 *
 * The real Coplan server (bench/servers/coplan-server.ts, a child process of its own, on a
 * throw-away PostgreSQL database) with N viewers who follow one item. Each follower is a real
 * socket.io client with its own session, connected before the first comment; the ILO commenter
 * sends `comment:create` every `interval` ms. A latency is the time from the commenter's emit to
 * one follower's `notification:created` for that comment, on this process's clock (sender and
 * receivers live here, so no clocks are compared across processes). This process also runs the
 * N clients, so its own event loop is part of every latency: an upper bound for the server.
 * Prints a table, writes bench/results/comment-fanout.json. Never fails on a time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { io as connectSocketIo, type Socket } from 'socket.io-client';

import type { ClientToServerEvents, ServerToClientEvents } from '../domain/realtime-events';
import { startServerProcess } from './server-process';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function option(name: string, fallback: number): number {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const value = flag ? Number(flag.slice(name.length + 3)) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function connect(port: number, origin: string, cookie: string): Promise<ClientSocket> {
  const socket: ClientSocket = connectSocketIo(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    extraHeaders: { origin, cookie },
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function main(): Promise<void> {
  const followers = option('followers', 200);
  const comments = option('comments', 40);
  const intervalMs = option('interval', 250);
  const server = await startServerProcess('coplan', {
    env: { BENCH_FOLLOWERS: String(followers) },
  });
  try {
    const fanout = server.ready.fanout;
    if (!fanout) throw new Error('the Coplan bench server set up no followers');
    const { port } = server.ready;
    const receivers: ClientSocket[] = [];
    // A few at a time: 200 handshakes at once would measure the handshake, not the fan-out.
    for (let start = 0; start < fanout.followerCookies.length; start += 20) {
      const batch = fanout.followerCookies.slice(start, start + 20);
      receivers.push(
        ...(await Promise.all(batch.map((cookie) => connect(port, fanout.origin, cookie)))),
      );
    }
    const commenter = await connect(port, fanout.origin, fanout.commenterCookie);
    const joined = await commenter.emitWithAck('plan:join', { plan: fanout.plan });
    if (!('ok' in joined)) throw new Error(`plan:join: ${joined.message}`);

    // Arrivals are matched to their comment afterwards: a notification may come before the ack.
    const sentAt = new Map<string, number>();
    const received: Array<{ receiver: number; commentId: string; at: number }> = [];
    receivers.forEach((socket, receiver) => {
      socket.on('notification:created', (notification) => {
        if (notification.kind === 'comment') {
          received.push({ receiver, commentId: notification.commentId, at: performance.now() });
        }
      });
    });

    const cpuBefore = server.cpuMs();
    const started = performance.now();
    const acks: number[] = [];
    for (let index = 0; index < comments; index++) {
      const emitted = performance.now();
      const ack = await commenter.emitWithAck('comment:create', {
        plan: fanout.plan,
        itemId: fanout.itemId,
        body: `Fan-out comment ${index}`,
        clientMessageId: `bench-fanout-${Date.now()}-${index}`,
      });
      acks.push(performance.now() - emitted);
      if (!('ok' in ack)) throw new Error(`comment:create: ${ack.message}`);
      sentAt.set(ack.comment.id, emitted);
      const wait = started + (index + 1) * intervalMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    // Let the last notifications arrive: stop once everything came, or after 10 s.
    const expected = comments * followers;
    const deadline = performance.now() + 10_000;
    while (received.length < expected && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const latencies: number[] = [];
    const arrivals = new Map<string, number[]>();
    const seen = new Set<string>();
    let unexpected = 0;
    for (const arrival of received) {
      const sent = sentAt.get(arrival.commentId);
      const key = `${arrival.receiver}:${arrival.commentId}`;
      if (sent === undefined || seen.has(key)) {
        unexpected++;
        continue;
      }
      seen.add(key);
      latencies.push(arrival.at - sent);
      const list = arrivals.get(arrival.commentId) ?? [];
      list.push(arrival.at - sent);
      arrivals.set(arrival.commentId, list);
    }
    const cpuMs = server.cpuMs() - cpuBefore;
    const sorted = [...latencies].sort((a, b) => a - b);
    const lastPerComment = [...arrivals.values()]
      .filter((list) => list.length === followers)
      .map((list) => Math.max(...list))
      .sort((a, b) => a - b);
    const sortedAcks = [...acks].sort((a, b) => a - b);
    const result = {
      followers,
      comments,
      intervalMs,
      delivered: latencies.length,
      expected,
      deliveryPercent: (latencies.length / expected) * 100,
      /** Notifications for no comment of this run, or a second one for the same comment. */
      unmatched: unexpected,
      latencyMs: {
        p50: quantile(sorted, 0.5),
        p95: quantile(sorted, 0.95),
        p99: quantile(sorted, 0.99),
        max: sorted.at(-1) ?? Number.NaN,
      },
      lastFollowerMs: { p50: quantile(lastPerComment, 0.5), p95: quantile(lastPerComment, 0.95) },
      ackMs: { p50: quantile(sortedAcks, 0.5), p95: quantile(sortedAcks, 0.95) },
      serverCpuMsPerComment: cpuMs / comments,
    };

    const row = (cells: Array<string | number>) =>
      cells.map((cell, column) => String(cell).padStart(column === 0 ? 9 : 10)).join('  ');
    const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '–');
    print(
      row([
        'followers',
        'comments',
        'delivered%',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'last p95',
        'ack p50',
        'cpu ms/cmt',
      ]),
    );
    print(
      row([
        followers,
        comments,
        result.deliveryPercent.toFixed(2),
        ms(result.latencyMs.p50),
        ms(result.latencyMs.p95),
        ms(result.latencyMs.p99),
        ms(result.lastFollowerMs.p95),
        ms(result.ackMs.p50),
        ms(result.serverCpuMsPerComment),
      ]),
    );
    print(
      `\na comment every ${intervalMs} ms; "last p95": the slowest follower of each comment; ` +
        `${result.unmatched} notifications matched no comment or came twice`,
    );
    const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(`${resultsDir}comment-fanout.json`, `${JSON.stringify(result, null, 2)}\n`);
    for (const socket of [...receivers, commenter]) socket.disconnect();
  } finally {
    await server.stop();
  }
}

await main();
