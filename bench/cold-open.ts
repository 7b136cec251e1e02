/**
 * Cold open of a plan with 100,000 stored updates, before and after compaction, on PostgreSQL
 * (issue 3: "a plan with 100,000 stored updates opens in ≤ 150 ms once compacted").
 *
 *   npx tsx bench/cold-open.ts [--updates=100000]
 *
 * Uses a throw-away database on the PostgreSQL at DATABASE_URL (default: the local one, trust
 * auth), dropped afterwards. The updates are real Yjs updates, one per edit, made by one replica
 * of the seed plan (progress changes and title edits) and appended in batches of 1,000, as group
 * commits would. A cold open is what a connection to an unloaded plan costs: a fresh registry
 * loads the room (read the latest snapshot and the tail, apply them). The database's caches are
 * warm; the process's are not. Prints a table, writes bench/results/cold-open.json. Never fails
 * on a time.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import * as Y from 'yjs';

import { preparePlanDocument, readPlan, setItemTitle, updateItem } from '../domain/plan-document';
import { openDatabase, type DatabaseHandle } from '../db/client';
import { upsertOrganisations } from '../db/queries/organisations';
import { appendPlanUpdates, writePlanSnapshot } from '../db/queries/plan-log';
import { insertPlan } from '../db/queries/plans';
import { createRootLogger } from '../server/logger';
import { compactPlan } from '../server/sync/compact-plan';
import { createDatabasePlanStore } from '../server/sync/plan-store';
import { RoomRegistry } from '../server/sync/room-registry';
import { buildPlanDocument as buildSeedState } from '../db/seed';

const batchSize = 1000;
const target = { coldOpenMs: 150 };

function option(name: string, fallback: number): number {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return flag ? Number(flag.slice(name.length + 3)) : fallback;
}

function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

type Workload = 'typing' | 'fields';

/**
 * `count` real updates from one replica of the stored plan, each its own transaction.
 *
 * - typing: what people mostly send, one keystroke per update: a word typed after an item's
 *   title and erased again, letter by letter, with a progress change now and then.
 * - fields: the worst case for size, every update replaces a map entry (mostly progress, now and
 *   then a whole title). Yjs keeps a small tombstone per replaced entry, so this document grows
 *   with its history (DESIGN.md: "Moves don't grow the document").
 */
function generateUpdates(
  state: Uint8Array,
  count: number,
  workload: Workload,
): { updates: Uint8Array[]; doc: Y.Doc } {
  const doc = preparePlanDocument(new Y.Doc());
  Y.applyUpdate(doc, state);
  const items = readPlan(doc).items;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const word = 'cooperation';
  for (let edit = 0; updates.length < count; edit++) {
    if (workload === 'typing') {
      const item = items[Math.floor(edit / 40) % items.length] as (typeof items)[number];
      const step = edit % 40;
      if (step === 39) {
        updateItem(doc, item.id, { progress: edit % 101 });
        continue;
      }
      const typed = step < 20 ? Math.min(step + 1, word.length) : Math.max(0, 39 - step - 8);
      setItemTitle(doc, item.id, `${item.title} ${word.slice(0, typed)}`.trimEnd());
    } else {
      const item = items[edit % items.length] as (typeof items)[number];
      if (edit % 10 === 0) setItemTitle(doc, item.id, `Edited ${edit}`);
      else updateItem(doc, item.id, { progress: edit % 101 });
    }
  }
  return { updates: updates.slice(0, count), doc };
}

async function coldOpen(
  database: DatabaseHandle,
  planId: string,
): Promise<{ ms: number; plan: string; stateVector: string }> {
  const registry = new RoomRegistry(
    createDatabasePlanStore(() => database),
    createRootLogger('silent'),
    { unloadGraceMs: 60_000 },
  );
  try {
    const { ms, value: room } = await timed(() => registry.acquire(planId));
    return {
      ms,
      plan: JSON.stringify(readPlan(room.doc)),
      stateVector: Buffer.from(Y.encodeStateVector(room.doc)).toString('base64'),
    };
  } finally {
    await registry.closeAll(1001, 'bench done');
  }
}

interface WorkloadResult {
  workload: Workload;
  updates: number;
  updateBytes: number;
  generateMs: number;
  insertMs: number;
  insertUpdatesPerSecond: number;
  coldOpenBeforeMs: number[];
  compactionMs: number;
  folded: number;
  prunedUpdates: number;
  snapshotBytes: number;
  coldOpenAfterMs: number[];
}

async function measure(
  database: DatabaseHandle,
  seedState: Uint8Array,
  count: number,
  workload: Workload,
): Promise<WorkloadResult> {
  const plan = await insertPlan(database.db, {
    slug: `cold-open-${workload}`,
    title: `Cold open (${workload})`,
  });
  await writePlanSnapshot(database.db, plan.id, 0, seedState);
  const generated = await timed(async () => generateUpdates(seedState, count, workload));
  const { updates, doc: reference } = generated.value;
  const expected = {
    plan: JSON.stringify(readPlan(reference)),
    stateVector: Buffer.from(Y.encodeStateVector(reference)).toString('base64'),
  };
  reference.destroy();
  const inserted = await timed(async () => {
    for (let start = 0; start < updates.length; start += batchSize) {
      const batch = updates.slice(start, start + batchSize);
      await appendPlanUpdates(
        database.db,
        plan.id,
        batch.map((data) => ({ data, userId: null })),
      );
    }
  });
  const openChecked = async (when: string) => {
    const open = await coldOpen(database, plan.id);
    if (open.plan !== expected.plan || open.stateVector !== expected.stateVector) {
      throw new Error(`${workload}: the plan loaded ${when} compaction differs from its replica`);
    }
    return open.ms;
  };
  const before: number[] = [];
  for (let run = 0; run < 3; run++) before.push(await openChecked('before'));
  const compaction = await timed(() => compactPlan(database.db, plan.id));
  const after: number[] = [];
  for (let run = 0; run < 7; run++) after.push(await openChecked('after'));
  return {
    workload,
    updates: count,
    updateBytes: updates.reduce((sum, update) => sum + update.length, 0),
    generateMs: generated.ms,
    insertMs: inserted.ms,
    insertUpdatesPerSecond: count / (inserted.ms / 1000),
    coldOpenBeforeMs: before,
    compactionMs: compaction.ms,
    folded: compaction.value.folded,
    prunedUpdates: compaction.value.prunedUpdates,
    snapshotBytes: compaction.value.snapshotBytes,
    coldOpenAfterMs: after,
  };
}

function printTable(count: number, results: WorkloadResult[]): void {
  const ms = (value: number) => `${Math.round(value).toLocaleString('en')} ms`;
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  const rows: Array<[string, (result: WorkloadResult) => string]> = [
    ['stored updates (bytes)', (r) => `${r.updates.toLocaleString('en')} (${kib(r.updateBytes)})`],
    [
      `insert, batches of ${batchSize}`,
      (r) => `${ms(r.insertMs)} (${Math.round(r.insertUpdatesPerSecond).toLocaleString('en')}/s)`,
    ],
    ['cold open before compaction (median of 3)', (r) => ms(median(r.coldOpenBeforeMs))],
    ['compaction (fold, snapshot, prune)', (r) => ms(r.compactionMs)],
    ['snapshot size', (r) => kib(r.snapshotBytes)],
    ['cold open after compaction (median of 7)', (r) => ms(median(r.coldOpenAfterMs))],
    [
      `target ≤ ${target.coldOpenMs} ms once compacted`,
      (r) => {
        const over = median(r.coldOpenAfterMs) - target.coldOpenMs;
        return over <= 0 ? 'met' : `missed by ${ms(over)}`;
      },
    ],
  ];
  const width = 42;
  const column = 24;
  print(
    `\nCold open of a plan with ${count.toLocaleString('en')} stored updates, PostgreSQL, ` +
      `${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)}\n`,
  );
  print(
    `| ${'workload'.padEnd(width)} | ${results.map((r) => r.workload.padStart(column)).join(' | ')} |`,
  );
  print(
    `| ${'-'.repeat(width)} | ${results.map(() => `${'-'.repeat(column - 1)}:`).join(' | ')} |`,
  );
  for (const [label, value] of rows) {
    print(
      `| ${label.padEnd(width)} | ${results.map((r) => value(r).padStart(column)).join(' | ')} |`,
    );
  }
  print();
}

async function main(): Promise<void> {
  const count = option('updates', 100_000);
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `coplan_bench_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'coplan-bench-'));
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir });
  try {
    await upsertOrganisations(database.db);
    const seedState = buildSeedState();
    const results: WorkloadResult[] = [];
    for (const workload of ['typing', 'fields'] as const) {
      results.push(await measure(database, seedState, count, workload));
    }
    printTable(count, results);
    const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
    mkdirSync(resultsDir, { recursive: true });
    const report = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        node: process.version,
        loadAverage: os.loadavg(),
      },
      database: 'postgres',
      target,
      results,
    };
    writeFileSync(path.join(resultsDir, 'cold-open.json'), `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
