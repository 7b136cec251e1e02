import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock';

describe('acquireDataDirLock', () => {
  let dataDir: string;
  let lockPath: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'coplan-lock-'));
    lockPath = path.join(dataDir, 'coplan.lock');
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the holder, refuses a second taker, and frees the directory on release', () => {
    const lock = acquireDataDirLock(dataDir, 'the Coplan server');
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toEqual({
      pid: process.pid,
      purpose: 'the Coplan server',
    });
    expect(() => acquireDataDirLock(dataDir, 'the Coplan CLI')).toThrow(
      `the Coplan server (pid ${process.pid}) is using ${dataDir}; stop it first, or run the CLI against DATABASE_URL`,
    );
    lock.release();
    lock.release(); // harmless twice
    expect(existsSync(lockPath)).toBe(false);
    acquireDataDirLock(dataDir, 'the Coplan CLI').release();
  });

  it('creates a missing data directory', () => {
    const nested = path.join(dataDir, 'a', 'b');
    acquireDataDirLock(nested, 'test').release();
  });

  it('takes over the lock of a process that died', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(lockPath, JSON.stringify({ pid: dead, purpose: 'the Coplan server' }));
    const lock = acquireDataDirLock(dataDir, 'the Coplan CLI');
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock naming this pid that this process does not hold (a reused pid)', () => {
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, purpose: 'an earlier life' }));
    acquireDataDirLock(dataDir, 'the Coplan server').release();
  });

  it('treats a just-created, unwritten lock as held and an old one as stale', () => {
    writeFileSync(lockPath, '');
    const error = (() => {
      try {
        acquireDataDirLock(dataDir, 'the Coplan CLI');
        return null;
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toBe(
      `another process is using ${dataDir}; stop it first, or run the CLI against DATABASE_URL`,
    );

    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lockPath, minuteAgo, minuteAgo);
    acquireDataDirLock(dataDir, 'the Coplan CLI').release();
  });
});
