/**
 * `npm start` builds the app when `.next` is missing or older than the source, so a newcomer's
 * `npm install && npm start` works and a pulled change is never served stale.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const sourceDirs = ['app', 'domain', 'server', 'db'];
const sourceFiles = ['next.config.js', 'package.json', 'package-lock.json', 'tsconfig.json'];

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function isBuildStale(root: string): boolean {
  const buildId = join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = [...sourceDirs, ...sourceFiles].map((name) => newestMtime(join(root, name)));
  return Math.max(...sources) > built;
}

export async function buildIfStale(root: string, say: (line: string) => void): Promise<void> {
  if (!isBuildStale(root)) return;
  say('Building the app (first start or changed source); this takes a minute or two…');
  const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`next build failed (exit code ${code})`);
}
