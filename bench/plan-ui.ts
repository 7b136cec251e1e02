/**
 * The plan page in headless Chromium with a big plan (issue 4: "a plan with 2,000 items becomes
 * interactive within 2 s and dragging stays smooth; the plan route's first-load JavaScript
 * ≤ 150 kB gzipped").
 *
 *   npx tsx bench/plan-ui.ts [--items=2000] [--runs=3] [--profile]
 *
 * Builds a throw-away embedded database (the seed plus a plan of `--items` activities made with
 * the domain writers, with owners, tags and checklists), starts Coplan on it with `npm start`'s
 * own entry point, signs in as the HTC editor and measures, per run, in a fresh page:
 *
 *  - interactive: navigation start to the later of "first card on screen" and "the end of the
 *    last long task (> 50 ms) before one quiet second" (the classic time-to-interactive rule);
 *  - first-load JavaScript: every script the plan page loads before it is interactive, gzipped
 *    here (level 9, what a compressing proxy would send); the views and panels loaded on demand
 *    are not in it;
 *  - dragging: a card dragged across the board with the mouse in 40 steps; the intervals between
 *    animation frames meanwhile (a smooth drag keeps them near 16.7 ms).
 *
 * With --profile, the first run's page load is recorded with the browser's CPU profiler
 * (bench/results/plan-ui-load.cpuprofile, for Chrome DevTools) and its top functions by self time
 * are printed.
 *
 * Prints a table, writes bench/results/plan-ui.json. Never fails on a time.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import * as Y from 'yjs';

import {
  addChecklistEntry,
  createItem,
  createWorkstream,
  initialisePlan,
  itemStatuses,
  preparePlanDocument,
  setItemOwner,
  setItemTag,
} from '../domain/plan-document';
import { openDatabase } from '../db/client';
import { upsertMember } from '../db/queries/members';
import { writePlanSnapshot } from '../db/queries/plan-log';
import { insertPlan } from '../db/queries/plans';
import { findUserByEmail } from '../db/queries/users';
import { seedDatabase } from '../db/seed';
import { hashPassword } from '../server/auth/passwords';

const target = { interactiveMs: 2000, firstLoadKb: 150 };
const slug = 'bench-big-plan';
const editor = { email: 'htc.editor@coplan.test', password: 'coplan-demo-2022' };

function option(name: string, fallback: number): number {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return flag ? Number(flag.slice(name.length + 3)) : fallback;
}

function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function percentile(values: number[], share: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] as number;
}

function median(values: number[]): number {
  return percentile(values, 0.5);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A plan like a busy real one: 8 workstreams, items spread over statuses and two years. */
function buildBigPlan(itemCount: number, ownerIds: string[]): Uint8Array {
  const doc = preparePlanDocument(new Y.Doc());
  initialisePlan(doc, {
    title: `Benchmark plan with ${itemCount} activities`,
    periodStart: '2022-01-01',
    periodEnd: '2023-12-31',
  });
  const workstreams = Array.from({ length: 8 }, (_, index) =>
    createWorkstream(doc, { name: `Workstream ${index + 1}` }),
  );
  const organisations = ['HTC', 'NPIA', 'ILO'] as const;
  for (let index = 0; index < itemCount; index++) {
    const startDay = (index * 7) % 600;
    const start = new Date(Date.UTC(2022, 0, 1 + startDay)).toISOString().slice(0, 10);
    const end = new Date(Date.UTC(2022, 0, 1 + startDay + 14 + (index % 60)))
      .toISOString()
      .slice(0, 10);
    const id = createItem(doc, {
      title: `Activity ${index + 1}: training module on digital skills, cohort ${index % 40}`,
      workstreamId: workstreams[index % workstreams.length] as string,
      status: itemStatuses[index % itemStatuses.length],
      leadOrg: organisations[index % organisations.length] as (typeof organisations)[number],
      start,
      end,
      progress: (index * 5) % 101,
    });
    const owner = ownerIds[index % ownerIds.length];
    if (owner) setItemOwner(doc, id, owner, true);
    if (index % 3 === 0) setItemTag(doc, id, `tag-${index % 12}`);
    if (index % 5 === 0) addChecklistEntry(doc, id, 'Prepare materials');
  }
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

async function prepareDataDir(dataDir: string, itemCount: number): Promise<number> {
  const handle = await openDatabase({ dataDir });
  try {
    const { db } = handle;
    await seedDatabase(db, { demoAccounts: { hashPassword } });
    const members = await Promise.all(
      ['htc.editor@coplan.test', 'npia.editor@coplan.test'].map((email) =>
        findUserByEmail(db, email),
      ),
    );
    const ownerIds = members.flatMap((user) => (user ? [user.id] : []));
    const state = buildBigPlan(itemCount, ownerIds);
    const plan = await insertPlan(db, { slug, title: `Benchmark plan (${itemCount})` });
    await writePlanSnapshot(db, plan.id, 0, state);
    for (const userId of ownerIds)
      await upsertMember(db, { planId: plan.id, userId, role: 'editor' });
    return state.byteLength;
  } finally {
    await handle.close();
  }
}

async function startCoplan(dataDir: string, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts'], {
    env: {
      ...process.env,
      COPLAN_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      AUTH_SECRET: 'bench-secret-not-for-production-0123456789',
      COPLAN_PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Coplan did not start:\n${output.join('')}`)),
      300_000,
    );
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (/is ready on/.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', () => reject(new Error(`Coplan exited:\n${output.join('')}`)));
  });
  return child;
}

/** Runs in the page before any script: records long tasks and when the first card appears. */
const pageProbe = `
  window.__probe = { longTasks: [], firstCard: null, frames: [] };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__probe.longTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
  const watch = () => {
    if (window.__probe.firstCard === null && document.querySelector('[data-testid="item-card"]')) {
      window.__probe.firstCard = performance.now();
    }
  };
  new MutationObserver(watch).observe(document, { childList: true, subtree: true });
  window.__probe.lastLongTaskEnd = () =>
    window.__probe.longTasks.reduce((end, [start, duration]) => Math.max(end, start + duration), 0);
  window.__probe.summary = () => ({
    interactiveMs: Math.max(window.__probe.firstCard ?? 0, window.__probe.lastLongTaskEnd()),
    cards: document.querySelectorAll('[data-testid="item-card"]').length,
  });
  window.__probe.startFrames = () => {
    window.__probe.frames = [];
    let previous = performance.now();
    const tick = (now) => {
      window.__probe.frames.push(now - previous);
      previous = now;
      if (window.__probe.frames.length < 400) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
  window.__probe.scriptUrls = () =>
    performance.getEntriesByType('resource')
      .filter((entry) => entry.initiatorType === 'script')
      .map((entry) => entry.name);
`;
// page.evaluate gets strings: tsx compiles functions with helpers (__name) the page lacks.

async function measureInteractive(page: Page): Promise<{ interactiveMs: number; cards: number }> {
  try {
    await page.waitForSelector('[data-testid="item-card"]', { timeout: 60_000 });
  } catch (error) {
    const shot = path.join(os.tmpdir(), 'coplan-plan-ui-timeout.png');
    await page.screenshot({ path: shot });
    throw new Error(`no card on screen after 60 s (screenshot: ${shot})`, { cause: error });
  }
  // Wait for one quiet second: no long task ending within it.
  for (;;) {
    const quiet = await page.evaluate<boolean>(
      'performance.now() - window.__probe.lastLongTaskEnd() > 1000',
    );
    if (quiet) break;
    // Polling interval of the "one quiet second" rule: the page decides, this only asks again.
    await page.waitForTimeout(200);
  }
  return page.evaluate<{ interactiveMs: number; cards: number }>('window.__probe.summary()');
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** The browser's CPU profiler around a page load; prints the top functions by self time. */
async function startProfiler(page: Page) {
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  return {
    async stop(outDir: string) {
      const { profile } = (await session.send('Profiler.stop')) as unknown as {
        profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
      };
      mkdirSync(outDir, { recursive: true });
      writeFileSync(path.join(outDir, 'plan-ui-load.cpuprofile'), JSON.stringify(profile));
      const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
      const selfTime = new Map<string, number>();
      profile.samples.forEach((id, index) => {
        const frame = byNode.get(id)?.callFrame;
        if (!frame) return;
        const file = frame.url.split('/').pop() ?? '';
        const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber}`;
        selfTime.set(key, (selfTime.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
      });
      const total = [...selfTime.values()].reduce((sum, ms) => sum + ms, 0);
      print(`  CPU profile of the load (${total.toFixed(0)} ms sampled), top self time:`);
      for (const [key, ms] of [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
        print(`    ${ms.toFixed(0).padStart(6)} ms  ${key}`);
      }
    },
  };
}

async function firstLoadScripts(page: Page, baseUrl: string) {
  const urls = await page.evaluate<string[]>('window.__probe.scriptUrls()');
  let raw = 0;
  let gzipped = 0;
  const cookies = await page.context().cookies();
  const cookieHeader = cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  for (const url of new Set(urls)) {
    if (!url.startsWith(baseUrl)) continue;
    const response = await fetch(url, { headers: { cookie: cookieHeader } });
    const body = Buffer.from(await response.arrayBuffer());
    raw += body.byteLength;
    gzipped += gzipSync(body, { level: 9 }).byteLength;
  }
  return { scripts: new Set(urls).size, rawKb: raw / 1024, gzipKb: gzipped / 1024 };
}

/**
 * Scrolls the board to its end a screen at a time, as a reader would: the lanes build as they
 * come near. Returns how many cards exist then and the longest task on the way.
 */
async function scrollThrough(page: Page) {
  const before = await page.evaluate<number>('window.__probe.longTasks.length');
  // At the end, lanes that just came near still build: go on until the count holds still.
  let stillAtEnd = 0;
  let lastCount = -1;
  for (let step = 0; step < 400 && stillAtEnd < 3; step++) {
    const state = await page.evaluate<{ atEnd: boolean; cards: number }>(`(() => {
      window.scrollBy(0, window.innerHeight);
      return {
        atEnd: window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2,
        cards: document.querySelectorAll('[data-testid="item-card"]').length,
      };
    })()`);
    // A reader's pace, a screen at a time; the loop ends on the page's state, not on a time.
    await page.waitForTimeout(150);
    stillAtEnd = state.atEnd && state.cards === lastCount ? stillAtEnd + 1 : 0;
    lastCount = state.cards;
  }
  return page.evaluate<{ cards: number; longestTaskMs: number }>(`({
    cards: document.querySelectorAll('[data-testid="item-card"]').length,
    longestTaskMs: Math.max(0, ...window.__probe.longTasks.slice(${before}).map(([, duration]) => duration)),
  })`);
}

/** Drags the first card of the first column to the third column, sampling frame intervals. */
async function measureDrag(page: Page) {
  const handle = page
    .locator('[data-testid="item-card"] [data-testid="drag-handle"], [data-testid="item-card"]')
    .first();
  const from = await handle.boundingBox();
  const column = page.locator('[data-testid^="column-"]').nth(2);
  const to = await column.boundingBox();
  if (!from || !to) return null;
  await page.evaluate('window.__probe.startFrames()');
  await page.mouse.move(from.x + from.width / 2, from.y + Math.min(12, from.height / 2));
  await page.mouse.down();
  const steps = 40;
  for (let step = 1; step <= steps; step++) {
    await page.mouse.move(
      from.x + ((to.x + to.width / 2 - from.x) * step) / steps,
      from.y + 20 + (120 * step) / steps,
    );
    // A hand's pace: about one pointer move per frame, so the frames measured are a real drag's.
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
  // The frames of the drop itself belong to the measurement: keep sampling them a moment.
  await page.waitForTimeout(300);
  const frames = await page.evaluate<number[]>('window.__probe.frames.slice(1)');
  return {
    frames: frames.length,
    p50: percentile(frames, 0.5),
    p95: percentile(frames, 0.95),
    max: Math.max(...frames),
    over50: frames.filter((frame) => frame > 50).length,
  };
}

async function main() {
  const itemCount = option('items', 2000);
  const runs = option('runs', 3);
  const profile = process.argv.includes('--profile');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  process.chdir(root);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'coplan-bench-ui-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  print(`Preparing a plan with ${itemCount} activities in ${dataDir} …`);
  const stateBytes = await prepareDataDir(dataDir, itemCount);
  const server = await startCoplan(dataDir, port);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  const results: Array<Record<string, unknown>> = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const signInPage = await context.newPage();
    await signInPage.goto(`${baseUrl}/sign-in`);
    await signInPage.getByLabel(/e-?mail/i).fill(editor.email);
    await signInPage.getByLabel(/password/i).fill(editor.password);
    await signInPage.locator('form button[type="submit"]').click();
    await signInPage.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await signInPage.close();
    await context.addInitScript(pageProbe);

    for (let run = 1; run <= runs; run++) {
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') print(`  browser console: ${message.text()}`);
      });
      // A fresh page each run; the browser's HTTP cache is warm after the first, as for a
      // returning user. IndexedDB holds the plan after the first run, as it would for them too.
      const profiler = profile && run === 1 ? await startProfiler(page) : null;
      await page.goto(`${baseUrl}/plans/${slug}`);
      const { interactiveMs, cards } = await measureInteractive(page);
      if (profiler) await profiler.stop(path.join(root, 'bench', 'results'));
      const scripts = await firstLoadScripts(page, baseUrl);
      const drag = await measureDrag(page);
      const scrolled = await scrollThrough(page);
      results.push({ run, interactiveMs, cards, ...scripts, drag, scrolled });
      print(
        `run ${run}: interactive ${interactiveMs.toFixed(0)} ms with ${cards} cards built; ${scrolled.cards} after scrolling to the end (longest task on the way ${scrolled.longestTaskMs.toFixed(0)} ms); first-load JS ${scripts.gzipKb.toFixed(1)} kB gzip`,
      );
      await page.close();
    }
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }

  const interactive = median(results.map((result) => result.interactiveMs as number));
  const gzipKb = median(results.map((result) => result.gzipKb as number));
  const drags = results.flatMap((result) =>
    result.drag ? [result.drag as { p50: number; p95: number; max: number; over50: number }] : [],
  );
  print();
  print(
    `Plan page, ${itemCount} activities (document ${(stateBytes / 1024).toFixed(0)} kB), median of ${runs} runs, ${os.cpus().length} cores`,
  );
  print('| measure                              | value        | target     |');
  print('| ------------------------------------ | ------------ | ---------- |');
  print(
    `| interactive (first run: cold cache)  | ${(results[0]?.interactiveMs as number).toFixed(0).padStart(7)} ms   |            |`,
  );
  print(
    `| interactive (median)                 | ${interactive.toFixed(0).padStart(7)} ms   | ≤ ${target.interactiveMs} ms  |`,
  );
  print(
    `| first-load JavaScript, gzip          | ${gzipKb.toFixed(1).padStart(7)} kB   | ≤ ${target.firstLoadKb} kB  |`,
  );
  if (drags.length > 0) {
    print(
      `| drag: frame interval p50             | ${median(drags.map((d) => d.p50))
        .toFixed(1)
        .padStart(7)} ms   | ≈ 16.7 ms  |`,
    );
    print(
      `| drag: frame interval p95             | ${median(drags.map((d) => d.p95))
        .toFixed(1)
        .padStart(7)} ms   |            |`,
    );
    print(
      `| drag: frames over 50 ms              | ${median(drags.map((d) => d.over50))
        .toFixed(0)
        .padStart(7)}      |            |`,
    );
  }
  const outDir = path.join(root, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    path.join(outDir, 'plan-ui.json'),
    JSON.stringify(
      { itemCount, runs: results, target, interactiveMs: interactive, gzipKb },
      null,
      2,
    ),
  );
}

await main();
