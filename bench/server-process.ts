/**
 * Starts a benchmark server as a child process and reads its CPU time and memory from /proc, so
 * that the server's cost is measured apart from the load generator's.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type {
  AppendBenchRequest,
  AppendBenchResult,
  ChildMessage,
  ReadyMessage,
  ServerKind,
} from './server-protocol';

const entries: Record<ServerKind, string> = {
  relay: 'servers/relay-server.ts',
  'y-websocket': 'servers/y-websocket-server.ts',
  hocuspocus: 'servers/hocuspocus-server.ts',
  coplan: 'servers/coplan-server.ts',
};

/** Linux reports CPU time in clock ticks; 100 per second on every mainstream kernel config. */
const clockTicksPerSecond = 100;

export interface ServerProcess {
  kind: ServerKind;
  ready: ReadyMessage;
  pid: number;
  /** utime + stime of the server process, in milliseconds. */
  cpuMs(): number;
  /** Peak resident set size since the process started (VmHWM), in bytes. */
  peakRssBytes(): number;
  appendBench(request: Omit<AppendBenchRequest, 'type'>): Promise<AppendBenchResult>;
  stop(): Promise<void>;
}

export async function startServerProcess(
  kind: ServerKind,
  options: { cpuProfileDir?: string; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const entry = fileURLToPath(new URL(entries[kind], import.meta.url));
  const execArgv = ['--import', 'tsx'];
  if (options.cpuProfileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  const child: ChildProcess = fork(entry, [], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start the ${kind} server`);

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${kind} server did not start in 60 s`)),
      60_000,
    );
    child.on('message', (message: ChildMessage) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited with code ${code} before it was ready`));
    });
  });

  return {
    kind,
    ready,
    pid,
    cpuMs() {
      // Fields after the command name (which may hold spaces): state is field 3; utime 14, stime 15.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      return (ticks * 1000) / clockTicksPerSecond;
    },
    peakRssBytes() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      return match ? Number(match[1]) * 1024 : 0;
    },
    appendBench(request) {
      return new Promise((resolve) => {
        const onMessage = (message: ChildMessage) => {
          if (message.type !== 'append-bench-result') return;
          child.off('message', onMessage);
          resolve(message);
        };
        child.on('message', onMessage);
        child.send({ type: 'append-bench', ...request });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'stop' });
      const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(forced);
    },
  };
}
