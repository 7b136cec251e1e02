/**
 * PGlite is a single-process database: two processes writing one data directory corrupt it.
 * Whoever opens the embedded database (the server, the admin CLI) first takes
 * `<dataDir>/coplan.lock`, a file created exclusively that names the holder.
 *
 * A lock left by a process that died is taken over. Two processes racing to take over the same
 * stale lock could in principle both win; that needs a crash and two simultaneous starts, and
 * PostgreSQL (DATABASE_URL) is the answer for anything that runs several processes anyway.
 */
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface DataDirLock {
  release(): void;
}

interface LockContent {
  pid: number;
  purpose: string;
}

/** Thrown when a live process holds the lock; `message` is one line, fit for a terminal. */
export class DataDirLockedError extends Error {
  readonly holder: LockContent;

  constructor(dataDir: string, holder: LockContent) {
    // pid 0 stands for a holder that has not written its name yet.
    const who = holder.pid > 0 ? `${holder.purpose} (pid ${holder.pid})` : holder.purpose;
    super(`${who} is using ${dataDir}; stop it first, or run the CLI against DATABASE_URL`);
    this.name = 'DataDirLockedError';
    this.holder = holder;
  }
}

const lockFileName = 'coplan.lock';

// A lock file is created empty and written a moment later; one that is still empty after this
// long was left by a process that died in between.
const unwrittenLockGraceMs = 10_000;

// Lock files this process holds. A lock file naming our own pid that is not in here is stale: it
// was left by an earlier process that had the same pid (common in containers, where it is 1).
const heldHere = new Set<string>();

function parseLock(text: string): LockContent | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { pid, purpose } = value as Record<string, unknown>;
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return null;
    return { pid, purpose: typeof purpose === 'string' ? purpose : 'another process' };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only checks that the process exists
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user, so it is alive.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Why the existing lock file cannot be taken over, or null when it is stale. */
function liveHolder(lockPath: string): LockContent | null {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null; // released meanwhile
    throw error;
  }
  const holder = parseLock(text);
  if (!holder) {
    const ageMs = Date.now() - statSync(lockPath).mtimeMs;
    return ageMs < unwrittenLockGraceMs ? { pid: 0, purpose: 'another process' } : null;
  }
  if (holder.pid === process.pid) return heldHere.has(lockPath) ? holder : null;
  return isAlive(holder.pid) ? holder : null;
}

/**
 * Takes the data directory for this process, or throws `DataDirLockedError` naming the live
 * holder. `purpose` names the holder for others' messages, e.g. "the Coplan server".
 */
export function acquireDataDirLock(dataDir: string, purpose: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = path.resolve(dataDir, lockFileName);
  const content = JSON.stringify({ pid: process.pid, purpose } satisfies LockContent);

  // Two rounds: the second follows the removal of a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, content, { flag: 'wx' });
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
      const holder = liveHolder(lockPath);
      if (holder) throw new DataDirLockedError(dataDir, holder);
      removeIfPresent(lockPath);
      continue;
    }
    return holdLock(lockPath);
  }
  const holder = liveHolder(lockPath) ?? { pid: 0, purpose: 'another process' };
  throw new DataDirLockedError(dataDir, holder);
}

function holdLock(lockPath: string): DataDirLock {
  heldHere.add(lockPath);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    heldHere.delete(lockPath);
    removeIfPresent(lockPath);
  };
  // 'exit' handlers must be synchronous, which is why everything here is.
  process.on('exit', release);
  return { release };
}

function removeIfPresent(lockPath: string): void {
  try {
    unlinkSync(lockPath);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}
