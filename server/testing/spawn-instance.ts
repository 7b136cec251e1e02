/**
 * Starts instance-fixture.ts in a child process (through tsx) and waits for its port. The
 * instance's log is kept, and echoed to stderr when TEST_LOG_LEVEL is set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface SpawnedInstance {
  readonly port: number;
  readonly child: ChildProcess;
  /** Resolves when the process has ended, however it ended. */
  readonly exited: Promise<void>;
  readonly output: string[];
  /** kill -9: nothing is flushed, no socket is closed politely. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful shutdown. */
  stop(): Promise<void>;
}

export async function spawnInstance(env: Record<string, string>): Promise<SpawnedInstance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/testing/instance-fixture.ts'], {
    env: { ...process.env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn', ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const echo = (line: string) => {
    output.push(line);
    if (process.env.TEST_LOG_LEVEL) process.stderr.write(`[instance ${child.pid}] ${line}\n`);
  };
  createInterface({ input: child.stderr }).on('line', echo);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('instance did not start in 30 s')), 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      echo(line);
      const match = /^\{"port":(\d+)\}$/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve(Number(match[1]));
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`instance exited before listening:\n${output.join('\n')}`));
    });
  });
  return {
    port,
    child,
    exited,
    output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
