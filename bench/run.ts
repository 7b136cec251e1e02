/**
 * `npm run bench`: Coplan against its peers, side by side, with one load generator (this
 * process) and each server in a child process of its own, started fresh for every scenario.
 *
 *   npm run bench                      3 runs × 3 scenarios × 4 servers, 10 s each, then the
 *                                      PostgreSQL commit rate, bench/cold-open.ts and
 *                                      bench/comment-fanout.ts (a comment to 200 followers)
 *   npm run bench -- --quick           1 run, 3 s each
 *   options: --runs=N --duration=S --servers=relay,coplan --scenarios=50,200,1000
 *            --drain=S (after the window, stop waiting once nothing arrived for S seconds)
 *            --commit-rate=N (0 skips the commit section) --no-cold-open --no-fanout
 *            --profile (Coplan child under `node --cpu-prof`, into bench/results/profiles)
 *            --integration=eager (clients integrate each update on arrival; default deferred,
 *            see load-generator.ts)
 *   env:     BENCH_RUNS, BENCH_DURATION_S, DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 *
 * Prints a table and writes bench/results/bench-<time>.json. A benchmark is not a test: it
 * reports targets met or missed and always exits 0 once it has run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';

import { preparePlanDocument, readPlan, setItemTitle, updateItem } from '../domain/plan-document';
import { runScenario, type ScenarioResult, type ScenarioSpec } from './load-generator';
import { buildPlanDocument as buildSeedState } from '../db/seed';
import { startServerProcess } from './server-process';
import type { AppendBenchResult, ServerKind } from './server-protocol';

const allServers: ServerKind[] = ['relay', 'y-websocket', 'hocuspocus', 'coplan'];
const scenarioShapes = [
  { name: '50', clients: 50, ratePerSecond: 100 },
  { name: '200', clients: 200, ratePerSecond: 300 },
  { name: '1000', clients: 1000, ratePerSecond: 60 },
];
/** The commit section: one client per plan, each within the server's per-connection rate. */
const commitPlans = 250;

interface Options {
  runs: number;
  durationMs: number;
  drainMs: number;
  servers: ServerKind[];
  scenarios: typeof scenarioShapes;
  commitRate: number;
  coldOpen: boolean;
  fanout: boolean;
  profile: boolean;
  integration: 'eager' | 'deferred';
}

function parseOptions(argv: string[]): Options {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument ${arg}`);
    flags.set(match[1]!, match[2] ?? 'true');
  }
  const quick = flags.has('quick');
  const number = (flag: string, env: string | undefined, fallback: number) => {
    const raw = flags.get(flag) ?? env;
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${flag} must be a number`);
    return value;
  };
  const list = (flag: string) => flags.get(flag)?.split(',').filter(Boolean);
  const servers = (list('servers') ?? allServers) as ServerKind[];
  for (const server of servers) {
    if (!allServers.includes(server)) throw new Error(`unknown server ${server}`);
  }
  const scenarioNames = list('scenarios');
  return {
    runs: Math.max(1, Math.round(number('runs', process.env.BENCH_RUNS, quick ? 1 : 3))),
    durationMs: number('duration', process.env.BENCH_DURATION_S, quick ? 3 : 10) * 1000,
    drainMs: number('drain', undefined, 5) * 1000,
    servers,
    scenarios: scenarioNames
      ? scenarioShapes.filter((shape) => scenarioNames.includes(shape.name))
      : scenarioShapes,
    commitRate: number('commit-rate', undefined, 10_000),
    coldOpen: !flags.has('no-cold-open'),
    fanout: !flags.has('no-fanout'),
    profile: flags.has('profile'),
    integration: flags.get('integration') === 'eager' ? 'eager' : 'deferred',
  };
}

function profileDirOf(_options: Options): string {
  return fileURLToPath(new URL('results/profiles', import.meta.url));
}

function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function median(values: number[]): number | null {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return null;
  const middle = Math.floor(finite.length / 2);
  return finite.length % 2 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
}

function fixed(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '–'
    : value.toFixed(digits);
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => cell.padStart(widths[column]!)).join('  ');
  return [
    line(headers),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map(line),
  ].join('\n');
}

type DirectAppend = Omit<AppendBenchResult, 'latencies'> & {
  ratePerSecond: number;
  committedPerSecond: number;
  /** The Coplan process's own CPU (Drizzle, postgres.js) per committed update. */
  serverCpuUsPerUpdate: number | null;
  latencyMs: { p50: number; p95: number; p99: number; max: number } | null;
  within100msPercent: number;
};

interface CommitRun {
  room: ScenarioResult | null;
  direct: DirectAppend[];
  facts: Record<string, string>;
}

async function runCommitBench(options: Options, seedState: Uint8Array): Promise<CommitRun> {
  const server = await startServerProcess('coplan', {
    cpuProfileDir: options.profile ? profileDirOf(options) : undefined,
    env: { BENCH_EXTRA_PLANS: String(commitPlans) },
  });
  try {
    const room = await runScenario(
      server,
      {
        name: `commit-${commitPlans}-plans`,
        clients: commitPlans,
        spreadOverPlans: true,
        ratePerSecond: options.commitRate,
        durationMs: options.durationMs,
        drainMs: options.drainMs,
        integration: options.integration,
      },
      seedState,
    );
    // Payloads for the direct append: real edits of the same shape as the scenarios'.
    const payloads = samplePayloads(server.ready.initialState);
    const direct: DirectAppend[] = [];
    for (const mode of ['drizzle', 'unnest'] as const) {
      const cpuBefore = server.cpuMs();
      const raw = await server.appendBench({
        durationMs: options.durationMs,
        ratePerSecond: options.commitRate,
        payloads,
        mode,
      });
      const serverCpuMs = server.cpuMs() - cpuBefore;
      const sorted = [...raw.latencies].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
      const { latencies: _latencies, ...rest } = raw;
      direct.push({
        ...rest,
        ratePerSecond: options.commitRate,
        committedPerSecond: raw.committed / (raw.elapsedMs / 1000),
        serverCpuUsPerUpdate: raw.committed ? (serverCpuMs * 1000) / raw.committed : null,
        latencyMs: sorted.length
          ? { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1)! }
          : null,
        within100msPercent: sorted.length
          ? (sorted.filter((latency) => latency <= 100).length / sorted.length) * 100
          : 0,
      });
    }
    return {
      room,
      direct,
      facts: server.ready.facts,
    };
  } finally {
    await server.stop();
  }
}

function samplePayloads(initialState: string | null): string[] {
  return initialState ? makePayloads(initialState) : [];
}

/** Real update payloads (progress and title edits, as in the scenarios) on a plan state. */
function makePayloads(initialState: string): string[] {
  const doc = preparePlanDocument(new Y.Doc());
  Y.applyUpdate(doc, new Uint8Array(Buffer.from(initialState, 'base64')));
  const ids = readPlan(doc).items.map((item) => item.id);
  const payloads: string[] = [];
  doc.on('update', (update: Uint8Array) => payloads.push(Buffer.from(update).toString('base64')));
  for (let sequence = 1; payloads.length < 500; sequence++) {
    const itemId = ids[sequence % ids.length]!;
    if (sequence % 2 === 0) updateItem(doc, itemId, { progress: sequence % 101 });
    else setItemTitle(doc, itemId, `Bench edit ${sequence}`);
  }
  doc.destroy();
  return payloads;
}

/** Runs another benchmark script in a process of its own, its output inline. */
function runScript(file: string, title: string): Promise<number | null> {
  const script = fileURLToPath(new URL(file, import.meta.url));
  if (!existsSync(script)) return Promise.resolve(null);
  print(`\n## ${title} (bench/${file})\n`);
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', script], { stdio: 'inherit', env: process.env });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  const profileDir = options.profile ? profileDirOf(options) : undefined;
  const seedState = buildSeedState();
  const started = new Date();
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: os.loadavg(),
    loadAverageAtEnd: [] as number[],
  };
  print(
    `Coplan bench: ${options.runs} run(s), ${options.durationMs / 1000} s per scenario, ` +
      `${options.integration} integration, ` +
      `${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, ` +
      `load ${machine.loadAverageAtStart.map((load) => load.toFixed(2)).join(' ')}`,
  );

  const results: ScenarioResult[][] = [];
  for (let run = 0; run < options.runs; run++) {
    const runResults: ScenarioResult[] = [];
    for (const shape of options.scenarios) {
      const spec: ScenarioSpec = {
        ...shape,
        durationMs: options.durationMs,
        drainMs: options.drainMs,
        integration: options.integration,
      };
      // Rotate the order from run to run, so no server always goes first (or last).
      const order = options.servers.map(
        (_, index) => options.servers[(index + run) % options.servers.length]!,
      );
      for (const kind of order) {
        const server = await startServerProcess(kind, {
          cpuProfileDir: kind === 'coplan' ? profileDir : undefined,
        });
        try {
          const result = await runScenario(server, spec, seedState);
          runResults.push(result);
          print(
            `run ${run + 1} · ${shape.clients} clients @ ${shape.ratePerSecond}/s · ${kind.padEnd(11)} ` +
              `delivery ${fixed(result.deliveryPercent, 2)} % · p95 ${fixed(result.latencyMs?.p95)} ms · ` +
              `cpu ${fixed(result.cpuPerDeliveryUs, 2)} µs/delivery · load ${os.loadavg()[0]!.toFixed(2)}`,
          );
          if (result.divergence) print(`  not converged: ${result.divergence}`);
          const closeKinds = Object.keys(result.closes);
          if (closeKinds.length) print(`  closes: ${JSON.stringify(result.closes)}`);
        } finally {
          await server.stop();
        }
      }
    }
    results.push(runResults);
    // Keep what is measured so far, in case a long run is stopped.
    writeFileSync(
      `${resultsDir}bench-${stamp}-partial.json`,
      `${JSON.stringify({ started: started.toISOString(), options, machine, runs: results }, null, 2)}\n`,
    );
  }

  let commit: CommitRun | null = null;
  if (options.commitRate > 0 && options.servers.includes('coplan')) {
    commit = await runCommitBench(options, seedState);
  }
  machine.loadAverageAtEnd = os.loadavg();

  // Per scenario and server: medians over runs; ratios to the relay computed per run first.
  const summary = options.scenarios.flatMap((shape) =>
    options.servers.map((kind) => {
      const perRun = results.map((runResults) => ({
        own: runResults.find((result) => result.scenario === shape.name && result.server === kind),
        relay: runResults.find(
          (result) => result.scenario === shape.name && result.server === 'relay',
        ),
      }));
      const pick = (read: (result: ScenarioResult) => number | null | undefined) =>
        median(perRun.map(({ own }) => (own ? (read(own) ?? NaN) : NaN)));
      const ratio = (read: (result: ScenarioResult) => number | null | undefined) =>
        median(
          perRun.map(({ own, relay }) => {
            const mine = own ? read(own) : null;
            const floor = relay ? read(relay) : null;
            return mine && floor ? mine / floor : NaN;
          }),
        );
      return {
        scenario: shape.name,
        clients: shape.clients,
        ratePerSecond: shape.ratePerSecond,
        server: kind,
        runs: perRun.filter(({ own }) => own).length,
        minDeliveryPercent: Math.min(...perRun.map(({ own }) => (own ? own.deliveryPercent : 0))),
        allConverged: perRun.every(({ own }) => own?.converged === true),
        p50: pick((result) => result.latencyMs?.p50),
        p95: pick((result) => result.latencyMs?.p95),
        p99: pick((result) => result.latencyMs?.p99),
        cpuPerDeliveryUs: pick((result) => result.cpuPerDeliveryUs),
        cpuRatio: ratio((result) => result.cpuPerDeliveryUs),
        p95Ratio: ratio((result) => result.latencyMs?.p95),
        peakRssMb: pick((result) => result.serverPeakRssMb),
        generatorCpuShare: pick((result) => result.generatorCpuShare),
        savedWithin100msPercent: pick((result) => result.saved?.within100msPercent),
        savedP99: pick((result) => result.saved?.latencyMs?.p99),
      };
    }),
  );

  print(
    `\n## Scenarios (median of ${options.runs} run(s); ratios are to the relay in the same run)\n`,
  );
  print(
    table(
      [
        'clients@rate',
        'server',
        'delivery%',
        'conv',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'cpu µs/dlv',
        'cpu ×relay',
        'p95 ×relay',
        'rss MB',
        'gen cpu',
        'saved≤100ms%',
      ],
      summary.map((row) => [
        `${row.clients}@${row.ratePerSecond}/s`,
        row.server,
        fixed(row.minDeliveryPercent, 2),
        row.allConverged ? 'yes' : 'NO',
        fixed(row.p50),
        fixed(row.p95),
        fixed(row.p99),
        fixed(row.cpuPerDeliveryUs, 2),
        fixed(row.cpuRatio, 2),
        fixed(row.p95Ratio, 2),
        fixed(row.peakRssMb, 0),
        `${fixed((row.generatorCpuShare ?? 0) * 100, 0)}%`,
        row.server === 'coplan' ? fixed(row.savedWithin100msPercent, 2) : '',
      ]),
    ),
  );

  if (commit) {
    print(
      `\n## Commits to PostgreSQL (fsync=${commit.facts.fsync}, synchronous_commit=${commit.facts.synchronous_commit}, PostgreSQL ${commit.facts.server_version})\n`,
    );
    const room = commit.room;
    const rows: string[][] = [];
    if (room?.saved) {
      rows.push([
        `through rooms: ${commitPlans} plans, 1 client each`,
        String(options.commitRate),
        fixed(room.sentPerSecond, 0),
        fixed(room.saved.count / (room.saved.spanMs / 1000), 0),
        fixed(room.saved.latencyMs?.p50),
        fixed(room.saved.latencyMs?.p99),
        fixed(room.saved.within100msPercent, 2),
        fixed(room.saved.count ? (room.serverCpuMs * 1000) / room.saved.count : null, 0),
      ]);
    }
    for (const direct of commit.direct) {
      rows.push([
        `${direct.mode === 'drizzle' ? 'appendPlanUpdates' : 'unnest (postgres.js)'}, one plan, ${direct.groups} groups`,
        String(options.commitRate),
        String(options.commitRate),
        fixed(direct.committedPerSecond, 0),
        fixed(direct.latencyMs?.p50),
        fixed(direct.latencyMs?.p99),
        fixed(direct.within100msPercent, 2),
        fixed(direct.serverCpuUsPerUpdate, 0),
      ]);
    }
    print(
      table(
        [
          'path',
          'offered/s',
          'sent/s',
          'committed/s',
          'p50 ms',
          'p99 ms',
          '≤100ms%',
          'node cpu µs/update',
        ],
        rows,
      ),
    );
  }

  // Targets (issue 3, part 9), judged on the medians above.
  print('\n## Targets\n');
  const coplanRows = summary.filter((row) => row.server === 'coplan');
  const verdict = (ok: boolean | null) => (ok === null ? 'n/a ' : ok ? 'met ' : 'MISS');
  for (const row of coplanRows) {
    const peers = summary.filter(
      (other) =>
        other.scenario === row.scenario &&
        (other.server === 'y-websocket' || other.server === 'hocuspocus'),
    );
    const ahead = (read: (value: (typeof summary)[number]) => number | null) =>
      peers.length === 0 || read(row) === null
        ? null
        : peers.every((peer) => read(peer) === null || read(row)! < read(peer)!);
    print(`${row.clients} clients @ ${row.ratePerSecond}/s:`);
    print(
      `  ${verdict(row.minDeliveryPercent === 100)} delivery 100 % (${fixed(row.minDeliveryPercent, 3)} %), converged: ${row.allConverged}`,
    );
    print(
      `  ${verdict(row.cpuRatio === null ? null : row.cpuRatio <= 1.3)} cpu per delivery ≤ 1.3× relay (${fixed(row.cpuRatio, 2)}×)`,
    );
    print(
      `  ${verdict(row.p95Ratio === null ? null : row.p95Ratio <= 1.5)} p95 ≤ 1.5× relay (${fixed(row.p95Ratio, 2)}×)`,
    );
    print(
      `  ${verdict(ahead((value) => value.cpuPerDeliveryUs))} cpu per delivery below y-websocket and Hocuspocus`,
    );
    print(`  ${verdict(ahead((value) => value.p95))} p95 below y-websocket and Hocuspocus`);
    const absolute = row.clients === 200 ? 50 : row.clients === 1000 ? 100 : null;
    if (absolute !== null) {
      print(
        `  ${verdict(row.p95 === null ? null : row.p95 <= absolute)} p95 ≤ ${absolute} ms (${fixed(row.p95)} ms)`,
      );
    }
    print(
      `  ${verdict(row.savedWithin100msPercent === null ? null : row.savedWithin100msPercent >= 99)} 99 % of edits saved within 100 ms (${fixed(row.savedWithin100msPercent, 2)} %)`,
    );
  }
  if (commit?.room?.saved) {
    const rate = commit.room.saved.count / (commit.room.saved.spanMs / 1000);
    print(
      `commits: ${verdict(rate >= 10_000)} ≥ 10,000 updates/s committed through rooms (${fixed(rate, 0)}/s, ${fixed(commit.room.saved.within100msPercent, 2)} % within 100 ms, delivery ${fixed(commit.room.deliveryPercent, 2)} %)`,
    );
    if (Object.keys(commit.room.closes).length)
      print(`  closes: ${JSON.stringify(commit.room.closes)}`);
  }
  for (const direct of commit?.direct ?? []) {
    // Kept up: everything offered at the target rate committed, with no backlog at the end.
    const offered = (options.commitRate * options.durationMs) / 1000;
    const keptUp =
      direct.committed >= offered * 0.99 && direct.elapsedMs <= options.durationMs + 1000;
    const label =
      direct.mode === 'drizzle' ? 'appendPlanUpdates' : 'an unnest insert (not the server)';
    print(
      `commits: ${verdict(options.commitRate >= 10_000 && keptUp)} ${label} keeps up with ${options.commitRate}/s offered ` +
        `(${fixed(direct.committedPerSecond, 0)}/s over ${fixed(direct.elapsedMs / 1000, 1)} s, ` +
        `${fixed(direct.within100msPercent, 2)} % within 100 ms)`,
    );
  }
  print(
    `\nload average at start ${machine.loadAverageAtStart.map((load) => load.toFixed(2)).join(' ')}, at end ${machine.loadAverageAtEnd.map((load) => load.toFixed(2)).join(' ')}`,
  );

  const file = `${resultsDir}bench-${stamp}.json`;
  writeFileSync(
    file,
    `${JSON.stringify({ started: started.toISOString(), options, machine, summary, commit, runs: results }, null, 2)}\n`,
  );
  rmSync(`${resultsDir}bench-${stamp}-partial.json`, { force: true });
  print(`results: ${file}`);
  if (profileDir) print(`cpu profiles of the Coplan child: ${profileDir}`);

  if (options.coldOpen) await runScript('cold-open.ts', 'Cold open');
  if (options.fanout) await runScript('comment-fanout.ts', 'A comment to 200 followers');
}

await main();
