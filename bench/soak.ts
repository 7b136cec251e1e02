/**
 * The soak (issue 7): `npm run soak`, never part of `npm test`.
 *
 *   SOAK_MINUTES=10 (default) · SOAK_CLIENTS=60 · SOAK_PLANS=3 · SOAK_EDITS_PER_SECOND=2
 *   SOAK_COMMENTERS=20 · SOAK_COMMENT_INTERVAL_MS=3000
 *
 * A private PostgreSQL (server/testing/private-postgres.ts) and the real server in a child
 * process (server/testing/instance-fixture.ts) on a fixed free port, so that clients reconnect
 * to it after a restart. 60 y-websocket clients on 3 plans each own one item and set its title
 * to `c<k> #<n> @<ms>` at 2 edits/s; one observer per plan measures propagation (send time in
 * the title to its arrival, one process, one clock). 20 socket.io commenters post with acks.
 * At 1/3 of the run the server is killed (-9) and restarted; at 1/2 PostgreSQL stops for 30 s.
 *
 * Lost edits: after the run every client's last title must be, within 60 s, in the database and
 * in every client's copy of its plan. Duplicated: a title that is not exactly one `c… #… @…`
 * (a replayed insert doubles Y.Text content), or a comment stored twice. Propagation outside the
 * fault windows (each window plus 15 s of recovery). Event-loop delay and RSS come from the
 * child's /metrics every 10 s. Prints a table; never fails on a time, exits 1 if anything is lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { WebSocket as NodeWebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

import {
  createItem,
  getItemTitleText,
  preparePlanDocument,
  readPlan,
  setItemTitle,
} from '../domain/plan-document';
import type { ClientToServerEvents, ServerToClientEvents } from '../domain/realtime-events';
import { messageEpoch, messageSaved } from '../domain/sync-protocol';
import { openDatabase } from '../db/client';
import { upsertMember } from '../db/queries/members';
import { findPlanBySlug, insertPlanWithOwner } from '../db/queries/plans';
import { findUserByEmail } from '../db/queries/users';
import { comments } from '../db/schema';
import { buildPlanDocument, seedDatabase } from '../db/seed';
import { hashPassword } from '../server/auth/passwords';
import { createPrivatePostgres } from '../server/testing/private-postgres';
import { sessionCookieWith } from '../server/testing/test-server';
import { loadPlanDocument } from '../server/versions/load-plan-document';

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const minutes = number('SOAK_MINUTES', 10);
const clientCount = number('SOAK_CLIENTS', 60);
const planCount = number('SOAK_PLANS', 3);
const editsPerSecond = number('SOAK_EDITS_PER_SECOND', 2);
const commenterCount = number('SOAK_COMMENTERS', 20);
const commentIntervalMs = number('SOAK_COMMENT_INTERVAL_MS', 3000);
const origin = 'http://coplan.soak';
const metricsToken = randomBytes(24).toString('hex');
const recoveryMs = 15_000;
const outageMs = 30_000;

const print = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(),
      );
    });
  });
}

function startServer(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/testing/instance-fixture.ts'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (process.env.SOAK_VERBOSE) process.stderr.write(`[server] ${line}\n`);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start in 60 s')), 60_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (/^\{"port":\d+\}$/.test(line)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', () => reject(new Error('the server exited while starting')));
  });
}

function webSocketWith(headers: Record<string, string>) {
  return class extends NodeWebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  } as unknown as typeof WebSocket;
}

interface Editor {
  k: number;
  slug: string;
  itemId: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  sent: number;
  last: string;
}

async function main(): Promise<void> {
  // Each y-websocket provider listens for the process's exit: 63 of them are expected.
  process.setMaxListeners(0);
  const runMs = minutes * 60_000;
  const killAt = runMs / 3;
  const outageAt = runMs / 2;
  print(
    `soak: ${minutes} min, ${clientCount} sync clients on ${planCount} plans at ${editsPerSecond} edits/s, ${commenterCount} commenters`,
  );

  const pg = await createPrivatePostgres();
  const secret = randomBytes(32).toString('base64url');
  const database = await openDatabase({ databaseUrl: pg.url, dataDir: '/tmp/unused' });
  await seedDatabase(database.db, { demoAccounts: { hashPassword } });
  const [owner, htc, npia, ilo] = await Promise.all(
    ['owner', 'htc.editor', 'npia.editor', 'ilo'].map((name) =>
      findUserByEmail(database.db, `${name}@coplan.test`),
    ),
  );
  if (!owner || !htc || !npia || !ilo) throw new Error('the seed made no demo accounts');
  const slugs = ['htc-npia-2022-2023'];
  for (let p = 1; p < planCount; p += 1) {
    const plan = await insertPlanWithOwner(database.db, {
      slug: `soak-plan-${p}`,
      title: `Soak plan ${p}`,
      ownerId: owner.id,
      document: buildPlanDocument(),
    });
    for (const [user, role] of [
      [htc, 'editor'],
      [npia, 'editor'],
      [ilo, 'commenter'],
    ] as const) {
      await upsertMember(database.db, { planId: plan.id, userId: user.id, role });
    }
    slugs.push(plan.slug);
  }
  const cookies: Record<string, string> = {};
  for (const user of [htc, npia, ilo]) {
    cookies[user.email] = await sessionCookieWith(secret, user, 24 * 3600);
  }

  const port = await freePort();
  const env = {
    DATABASE_URL: pg.url,
    AUTH_SECRET: secret,
    COPLAN_PUBLIC_URL: origin,
    METRICS_TOKEN: metricsToken,
    PORT: String(port),
  };
  let server = await startServer(env);
  const started = Date.now();
  const faultWindows: Array<[number, number]> = [];
  const inFault = (time: number) =>
    faultWindows.some(([from, to]) => time >= from && time <= to + recoveryMs);

  // Sync clients.
  const connectDoc = (slug: string, cookie: string) => {
    const doc = preparePlanDocument(new Y.Doc());
    const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/yjs`, slug, doc, {
      WebSocketPolyfill: webSocketWith({ origin, cookie }),
      disableBc: true,
      maxBackoffTime: 1000,
    });
    // Coplan's own messages ("saved", the epoch): acknowledged, not needed here.
    provider.messageHandlers[messageSaved] = () => {};
    provider.messageHandlers[messageEpoch] = () => {};
    return { doc, provider };
  };
  const whenSynced = (provider: WebsocketProvider) =>
    new Promise<void>((resolve) => {
      if (provider.synced) resolve();
      else provider.once('sync', () => resolve());
    });
  const editors: Editor[] = [];
  for (let k = 0; k < clientCount; k += 1) {
    const slug = slugs[k % slugs.length] ?? '';
    const { doc, provider } = connectDoc(slug, cookies[k % 2 ? npia.email : htc.email] ?? '');
    editors.push({ k, slug, itemId: `soak-c${k}`, doc, provider, sent: 0, last: '' });
  }
  await Promise.all(editors.map((editor) => whenSynced(editor.provider)));
  for (const editor of editors) {
    const workstreamId = readPlan(editor.doc).workstreams[0]?.id ?? '';
    createItem(editor.doc, {
      id: editor.itemId,
      title: `c${editor.k} #0 @${Date.now()}`,
      workstreamId,
      leadOrg: 'HTC',
      start: '2026-01-01',
      end: '2026-12-31',
    });
  }

  // Observers: one per plan, not editing; each title change is one propagation sample.
  const latencies: number[] = [];
  let faultSamples = 0;
  const observers = slugs.map((slug) => connectDoc(slug, cookies[ilo.email] ?? ''));
  await Promise.all(observers.map((observer) => whenSynced(observer.provider)));
  const watched = new Set<Y.Text>();
  const watch = () => {
    observers.forEach((observer, p) => {
      for (const editor of editors) {
        if (editor.slug !== slugs[p]) continue;
        const text = getItemTitleText(observer.doc, editor.itemId);
        if (!text || watched.has(text)) continue;
        watched.add(text);
        text.observe(() => {
          const at = /@(\d+)$/.exec(text.toString());
          if (!at) return;
          const sentAt = Number(at[1]);
          if (inFault(sentAt) || inFault(Date.now())) faultSamples += 1;
          else latencies.push(Date.now() - sentAt);
        });
      }
    });
  };
  const watcher = setInterval(watch, 500);

  // Commenters.
  type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
  const commentStats = { sent: 0, acked: 0, refused: 0, timedOut: 0 };
  const ackedIds = new Set<string>();
  const commenters: ClientSocket[] = [];
  for (let c = 0; c < commenterCount; c += 1) {
    const slug = slugs[c % slugs.length] ?? '';
    const socket: ClientSocket = connectSocketIo(`http://127.0.0.1:${port}`, {
      transports: ['websocket'],
      extraHeaders: { origin, cookie: cookies[ilo.email] ?? '' },
      reconnectionDelay: 200,
      reconnectionDelayMax: 1000,
      forceNew: true,
    });
    socket.on(
      'connect',
      () => void socket.emitWithAck('plan:join', { plan: slug }).catch(() => {}),
    );
    commenters.push(socket);
  }
  const commentTimers = commenters.map((socket, c) =>
    setInterval(() => {
      if (!socket.connected) return;
      const slug = slugs[c % slugs.length] ?? '';
      const editor = editors.find((candidate) => candidate.slug === slug);
      commentStats.sent += 1;
      void socket
        .timeout(10_000)
        .emitWithAck('comment:create', {
          plan: slug,
          itemId: editor?.itemId ?? 'soak-c0',
          body: `soak comment ${c}`,
          clientMessageId: randomUUID(),
        })
        .then((ack) => {
          if ('ok' in ack) {
            commentStats.acked += 1;
            ackedIds.add(ack.comment.id);
          } else commentStats.refused += 1;
        })
        .catch(() => (commentStats.timedOut += 1));
    }, commentIntervalMs),
  );

  // Edits.
  const editTimers = editors.map((editor) =>
    setInterval(() => {
      if (!getItemTitleText(editor.doc, editor.itemId)) return;
      editor.sent += 1;
      editor.last = `c${editor.k} #${editor.sent} @${Date.now()}`;
      setItemTitle(editor.doc, editor.itemId, editor.last);
    }, 1000 / editsPerSecond),
  );

  // Server health every 10 s.
  const health: Array<{ at: number; rssMb: number; lagP99Ms: number; lagMaxMs: number }> = [];
  const scrape = async () => {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { authorization: `Bearer ${metricsToken}` },
        signal: AbortSignal.timeout(3000),
      });
      const text = await response.text();
      const value = (name: string) =>
        Number(
          /^(\S+) (\S+)$/m.exec(
            text.split('\n').find((line) => line.startsWith(`${name} `)) ?? '',
          )?.[2],
        );
      health.push({
        at: Date.now() - started,
        rssMb: value('process_resident_memory_bytes') / 2 ** 20,
        lagP99Ms: value('nodejs_eventloop_lag_p99_seconds') * 1000,
        lagMaxMs: value('nodejs_eventloop_lag_max_seconds') * 1000,
      });
    } catch {
      // down (a fault window)
    }
  };
  const scraper = setInterval(() => void scrape(), 10_000);

  // Faults.
  await sleep(killAt);
  print(`${Math.round((Date.now() - started) / 1000)} s: kill -9 the server`);
  let faultStart = Date.now();
  server.kill('SIGKILL');
  await new Promise((resolve) => server.once('exit', resolve));
  server = await startServer(env);
  faultWindows.push([faultStart, Date.now()]);
  print(`${Math.round((Date.now() - started) / 1000)} s: restarted`);

  await sleep(Math.max(0, started + outageAt - Date.now()));
  print(
    `${Math.round((Date.now() - started) / 1000)} s: PostgreSQL stops for ${outageMs / 1000} s`,
  );
  faultStart = Date.now();
  pg.stop('immediate');
  await sleep(outageMs);
  pg.start();
  faultWindows.push([faultStart, Date.now()]);
  print(`${Math.round((Date.now() - started) / 1000)} s: PostgreSQL back`);

  await sleep(Math.max(0, started + runMs - Date.now()));
  for (const timer of [...editTimers, ...commentTimers, scraper, watcher]) clearInterval(timer);
  print(`${Math.round((Date.now() - started) / 1000)} s: edits stop; settling`);

  // Settle: every editor's last title in the database and in every copy of its plan.
  const planIds = new Map<string, string>();
  for (const slug of slugs) planIds.set(slug, (await findPlanBySlug(database.db, slug))?.id ?? '');
  const check = async () => {
    const stored = new Map<string, Y.Doc>();
    for (const slug of slugs)
      stored.set(slug, (await loadPlanDocument(database.db, planIds.get(slug) ?? '')).doc);
    let lost = 0;
    let duplicated = 0;
    for (const editor of editors) {
      const copies = [
        stored.get(editor.slug),
        ...editors.filter((other) => other.slug === editor.slug).map((other) => other.doc),
        observers[slugs.indexOf(editor.slug)]?.doc,
      ];
      for (const copy of copies) {
        const title = copy ? (getItemTitleText(copy, editor.itemId)?.toString() ?? '') : '';
        if (title !== editor.last) lost += 1;
        if (!/^c\d+ #\d+ @\d+$/.test(title) && title !== '') duplicated += 1;
      }
    }
    for (const doc of stored.values()) doc.destroy();
    return { lost, duplicated };
  };
  let outcome = await check();
  const settleUntil = Date.now() + 60_000;
  while (outcome.lost > 0 && Date.now() < settleUntil) {
    await sleep(2000);
    outcome = await check();
  }
  const storedComments = await database.db
    .select({ id: comments.id, body: comments.body })
    .from(comments);
  const soakComments = storedComments.filter((row) => row.body.startsWith('soak comment'));
  const storedIds = new Set(soakComments.map((row) => row.id));
  const commentsLost = [...ackedIds].filter((id) => !storedIds.has(id)).length;

  // Report.
  latencies.sort((a, b) => a - b);
  const editsSent = editors.reduce((sum, editor) => sum + editor.sent, 0);
  print();
  print('| measure | value |');
  print('| --- | --- |');
  print(
    `| duration | ${minutes} min (kill -9 at ${Math.round(killAt / 1000)} s, PostgreSQL down ${outageMs / 1000} s from ${Math.round(outageAt / 1000)} s) |`,
  );
  print(`| edits sent | ${editsSent} by ${clientCount} clients on ${planCount} plans |`);
  print(
    `| propagation samples outside fault windows | ${latencies.length} (${faultSamples} inside) |`,
  );
  print(
    `| propagation p50 / p95 / p99 / max | ${quantile(latencies, 0.5)} / ${quantile(latencies, 0.95)} / ${quantile(latencies, 0.99)} / ${latencies.at(-1)} ms |`,
  );
  print(`| edits lost (last title missing from the DB or a copy) | ${outcome.lost} |`);
  print(`| edits duplicated (title not exactly one edit) | ${outcome.duplicated} |`);
  print(
    `| comments sent / acked / refused / timed out | ${commentStats.sent} / ${commentStats.acked} / ${commentStats.refused} / ${commentStats.timedOut} |`,
  );
  print(
    `| comments stored / acked but not stored / stored beyond one per send | ${soakComments.length} / ${commentsLost} / ${Math.max(0, soakComments.length - commentStats.sent)} |`,
  );
  print();
  print('| minute | RSS (MB, max) | event-loop p99 (ms, max) | event-loop max (ms) |');
  print('| --- | --- | --- | --- |');
  const byMinute = new Map<number, typeof health>();
  for (const entry of health) {
    const minute = Math.floor(entry.at / 60_000);
    byMinute.set(minute, [...(byMinute.get(minute) ?? []), entry]);
  }
  for (const [minute, entries] of [...byMinute].sort((a, b) => a[0] - b[0])) {
    const max = (pick: (entry: (typeof entries)[number]) => number) =>
      Math.max(...entries.map(pick)).toFixed(1);
    print(
      `| ${minute + 1} | ${max((e) => e.rssMb)} | ${max((e) => e.lagP99Ms)} | ${max((e) => e.lagMaxMs)} |`,
    );
  }

  for (const socket of commenters) socket.disconnect();
  for (const { provider, doc } of [...editors, ...observers]) {
    provider.destroy();
    doc.destroy();
  }
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  await database.close();
  pg.destroy();
  process.exit(outcome.lost + outcome.duplicated + commentsLost > 0 ? 1 : 0);
}

await main();
