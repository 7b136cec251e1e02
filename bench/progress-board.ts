/**
 * What a room of open progress boards costs the server: after one edit, every open board fetches
 * the board JSON once. This asks for the public board N times with C in flight (as N boards
 * would, without their jitter) and prints the latencies. The first answer computes the board;
 * the rest share it (server/use-cases/get-progress-board.ts). PGlite unless DATABASE_URL is set.
 *
 *   npx tsx bench/progress-board.ts [requests=1000] [concurrency=50]
 */
import { createTestDatabase } from '../server/testing/test-database';
import { sessionCookieFor, startTestServer, testOrigin } from '../server/testing/test-server';

const requests = Number(process.argv[2] ?? 1000);
const concurrency = Number(process.argv[3] ?? 50);

const database = await createTestDatabase();
const running = await startTestServer(database, {
  shareRateLimit: { perSecond: 1e6, burst: 1e6 },
});
try {
  const made = await fetch(`${running.baseUrl}/api/plans/htc-npia-2022-2023/share-links`, {
    method: 'POST',
    headers: {
      cookie: await sessionCookieFor(running, 'owner@coplan.test'),
      origin: testOrigin,
    },
  });
  const { link } = (await made.json()) as { link: { token: string } };
  const url = `${running.baseUrl}/api/share/${link.token}/progress`;
  await fetch(url); // warm-up: projection current, board computed once

  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next += 1;
        const at = performance.now();
        const response = await fetch(url);
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`status ${response.status}`);
        latencies.push(performance.now() - at);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (share: number) => latencies[Math.floor(share * (latencies.length - 1))]?.toFixed(1);
  const row = [
    `public board (${running.database.kind})`,
    requests,
    concurrency,
    Math.round(requests / seconds),
    at(0.5),
    at(0.95),
    at(0.99),
  ];
  process.stdout.write('board | requests | in flight | req/s | p50 ms | p95 ms | p99 ms\n');
  process.stdout.write(`${row.join(' | ')}\n`);
} finally {
  await running.stop();
  await database.drop();
}
