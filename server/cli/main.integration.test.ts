/**
 * The admin CLI end to end, on an embedded database in a temporary directory: runCli with its
 * own streams and environment, as `npm run coplan -- …` would run it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase } from '../../db/client';
import { acquireDataDirLock } from '../../db/data-dir-lock';
import { findMemberRole } from '../../db/queries/members';
import { findPlanBySlug } from '../../db/queries/plans';
import { findUserByEmail } from '../../db/queries/users';
import { seedDatabase } from '../../db/seed';
import { verifyPassword } from '../auth/passwords';
import { runCli } from './main';

const slow = 120_000;
const planSlug = 'htc-npia-2022-2023';

let dataDir: string;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], stdinText = ''): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdin: Readable.from(stdinText === '' ? [] : [Buffer.from(stdinText)]),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { COPLAN_DATA_DIR: dataDir },
  });
  return { code, stdout, stderr };
}

/** A refusal: exit 1 and exactly one line on stderr, matching `pattern`. */
function expectRefusal(run: CliRun, pattern: RegExp) {
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'coplan-cli-'));
  // The plan the commands work on, as the server's first start would create it.
  const handle = await openDatabase({ dataDir });
  try {
    await seedDatabase(handle.db, { demoAccounts: null });
  } finally {
    await handle.close();
  }
}, slow);

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function withDatabase<T>(
  read: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>,
) {
  const handle = await openDatabase({ dataDir });
  try {
    return await read(handle.db);
  } finally {
    await handle.close();
  }
}

describe('coplan CLI', () => {
  it('adds a user, reading the password from stdin', async () => {
    const run = await cli(
      ['user', 'add', '--email', 'Sok.Dara@Example.org', '--name', 'Sok Dara', '--org', 'npia'],
      'a long enough password\n',
    );
    expect(run).toEqual({
      code: 0,
      stdout: 'created user sok.dara@example.org (Sok Dara, NPIA)\n',
      stderr: '',
    });
  });

  it('refuses a duplicate email, in any case', async () => {
    const run = await cli(
      ['user', 'add', '--email', 'SOK.DARA@example.org', '--name', 'Again', '--org', 'NPIA'],
      'a long enough password\n',
    );
    expectRefusal(run, /^coplan: a user with email sok\.dara@example\.org already exists\n$/);
  });

  it('sets a password, ending every session of the user', async () => {
    await cli(
      ['user', 'add', '--email', 'chan.vibol@example.org', '--name', 'Chan Vibol', '--org', 'npia'],
      'a long enough password\n',
    );
    const before = await withDatabase((db) => findUserByEmail(db, 'chan.vibol@example.org'));
    const run = await cli(
      ['user', 'set-password', '--email', 'Chan.Vibol@example.org'],
      'another long password\n',
    );
    expect(run).toEqual({
      code: 0,
      stdout: 'set the password of chan.vibol@example.org; their sessions have ended\n',
      stderr: '',
    });
    const after = await withDatabase((db) => findUserByEmail(db, 'chan.vibol@example.org'));
    expect(await verifyPassword(after!.passwordHash, 'another long password')).toBe(true);
    expect(after!.sessionVersion).toBe(before!.sessionVersion + 1);
    expectRefusal(
      await cli(
        ['user', 'set-password', '--email', 'nobody@example.org'],
        'another long password\n',
      ),
      /no user with email nobody@example\.org/,
    );
  });

  it('refuses a password under 12 characters', async () => {
    const run = await cli(
      ['user', 'add', '--email', 'short@example.org', '--name', 'Short', '--org', 'HTC'],
      'eleven-char\n',
    );
    expectRefusal(run, /at least 12 characters/);
  });

  it('refuses an empty stdin', async () => {
    const run = await cli([
      'user',
      'add',
      '--email',
      'e@example.org',
      '--name',
      'E',
      '--org',
      'HTC',
    ]);
    expectRefusal(run, /no password on stdin/);
  });

  it(
    'refuses an unknown organisation, role, plan or user',
    async () => {
      expectRefusal(
        await cli(
          ['user', 'add', '--email', 'x@example.org', '--name', 'X', '--org', 'UNESCO'],
          'p',
        ),
        /unknown organisation "UNESCO"; use one of HTC, NPIA/,
      );
      expectRefusal(
        await cli([
          'member',
          'add',
          '--plan',
          planSlug,
          '--email',
          'sok.dara@example.org',
          '--role',
          'admin',
        ]),
        /unknown role "admin"/,
      );
      expectRefusal(
        await cli([
          'member',
          'add',
          '--plan',
          'no-such-plan',
          '--email',
          'sok.dara@example.org',
          '--role',
          'editor',
        ]),
        /no plan "no-such-plan"/,
      );
      expectRefusal(
        await cli([
          'member',
          'add',
          '--plan',
          planSlug,
          '--email',
          'nobody@example.org',
          '--role',
          'editor',
        ]),
        /no user with email nobody@example\.org/,
      );
    },
    slow,
  );

  it(
    'adds a member, then changes the role and says so',
    async () => {
      const args = ['member', 'add', '--plan', planSlug, '--email', 'sok.dara@example.org'];
      const added = await cli([...args, '--role', 'viewer']);
      expect(added).toEqual({
        code: 0,
        stdout: `added sok.dara@example.org to ${planSlug} as viewer\n`,
        stderr: '',
      });
      const changed = await cli([...args, '--role', 'Editor']);
      expect(changed.code).toBe(0);
      expect(changed.stdout).toBe(
        `changed sok.dara@example.org's role on ${planSlug} from viewer to editor\n`,
      );
    },
    slow,
  );

  it('lists plans with their member counts', async () => {
    const run = await cli(['plan', 'list']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      expect.stringMatching(/^SLUG\s+TITLE\s+MEMBERS$/),
      expect.stringMatching(/^htc-npia-2022-2023\s+HTC–NPIA Cooperation Plan 2022–2023\s+1$/),
      '',
    ]);
  });

  it(
    'stored what it said it did',
    async () => {
      const handle = await openDatabase({ dataDir });
      try {
        const user = await findUserByEmail(handle.db, 'sok.dara@example.org');
        const plan = await findPlanBySlug(handle.db, planSlug);
        expect(user?.organisationCode).toBe('NPIA');
        expect(await verifyPassword(user?.passwordHash ?? '', 'a long enough password')).toBe(true);
        expect(await findMemberRole(handle.db, plan?.id ?? '', user?.id ?? '')).toBe('editor');
        expect(await findUserByEmail(handle.db, 'short@example.org')).toBeNull();
      } finally {
        await handle.close();
      }
    },
    slow,
  );

  it('prints the usage and exits 2 on a malformed command line', async () => {
    for (const argv of [
      [],
      ['user'],
      ['user', 'add', '--email', 'a@b.org'],
      ['plan', 'list', '--x'],
    ]) {
      const run = await cli(argv);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^coplan: .+\n\nUsage: npm run coplan -- <command>/);
    }
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('member add --plan SLUG --email EMAIL --role ROLE');
  });

  describe('while another process holds the data directory', () => {
    let holder: ChildProcess | undefined;

    afterAll(() => {
      holder?.kill();
    });

    it('refuses when this process holds the lock (the server in the same process)', async () => {
      const lock = acquireDataDirLock(dataDir, 'the Coplan server');
      try {
        expectRefusal(
          await cli(['plan', 'list']),
          new RegExp(
            `^coplan: the Coplan server \\(pid ${process.pid}\\) is using ${escape(dataDir)}; stop it first`,
          ),
        );
      } finally {
        lock.release();
      }
    });

    it('refuses when a live process holds the lock', async () => {
      holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
      const pid = holder.pid ?? 0;
      writeLock({ pid, purpose: 'the Coplan server' });
      try {
        expectRefusal(
          await cli(
            ['user', 'add', '--email', 'late@example.org', '--name', 'L', '--org', 'HTC'],
            'a long enough password\n',
          ),
          new RegExp(`the Coplan server \\(pid ${pid}\\) is using`),
        );
      } finally {
        rmSync(path.join(dataDir, 'coplan.lock'), { force: true });
      }
    });

    it(
      'takes over a lock left by a process that died',
      async () => {
        const dead = spawnSync(process.execPath, ['-e', '0']).pid;
        writeLock({ pid: dead, purpose: 'the Coplan server' });
        const run = await cli(['plan', 'list']);
        expect(run.code).toBe(0);
        expect(run.stderr).toBe('');
      },
      slow,
    );
  });
});

function writeLock(content: { pid: number; purpose: string }) {
  writeFileSync(path.join(dataDir, 'coplan.lock'), JSON.stringify(content));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
