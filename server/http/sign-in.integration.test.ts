/**
 * Sign-in through the real server and next-auth: the throttle per account and per address (on
 * the database and on Redis), the same answer and similar timing for an unknown e-mail and a
 * wrong password, and sessions that end everywhere on sign-out and on a password change.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { closeCodes } from '../../domain/sync-protocol';
import { findPlanBySlug } from '../../db/queries/plans';
import { upsertMember } from '../../db/queries/members';
import { bumpSessionVersion, insertUser } from '../../db/queries/users';
import { hashPassword } from '../auth/passwords';
import { sessionCookieName } from '../auth/session-cookie';
import { authenticateWithPassword } from '../use-cases/authenticate-with-password';
import { changePassword } from '../use-cases/change-password';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  connectSocketIoClient,
  connectSyncClient,
  seededPlanSlug,
  startTestServer,
  testOrigin,
  type RunningTestServer,
  type TestSyncClient,
} from '../testing/test-server';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const waitOptions = { timeout: 10_000, interval: 20 };
const password = 'a long enough password';
const run = randomBytes(4).toString('hex');
let addressCounter = 0;

/** A client address of its own (the server trusts one proxy's X-Forwarded-For here). */
function freshAddress(): string {
  addressCounter += 1;
  return `10.${Number.parseInt(run.slice(0, 2), 16)}.${Math.floor(addressCounter / 250)}.${addressCounter % 250}`;
}

interface Attempt {
  status: number;
  retryAfter: string | null;
  body: { url?: string; message?: string; retryAfterSeconds?: number };
  sessionCookie: string | null;
  ms: number;
}

/** The CSRF cookie and token next-auth expects (its double-submit format: token|sha256). */
function csrf(secret: string) {
  const token = randomBytes(32).toString('hex');
  const hash = createHash('sha256').update(`${token}${secret}`).digest('hex');
  return { token, cookie: `next-auth.csrf-token=${token}|${hash}` };
}

async function signIn(
  running: RunningTestServer,
  email: string,
  secret: string,
  address: string,
): Promise<Attempt> {
  const { token, cookie } = csrf(running.secret);
  const started = performance.now();
  const response = await fetch(`${running.baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie,
      'x-forwarded-for': address,
    },
    body: new URLSearchParams({
      email,
      password: secret,
      csrfToken: token,
      callbackUrl: `${testOrigin}/`,
      json: 'true',
    }),
    redirect: 'manual',
  });
  const ms = performance.now() - started;
  const name = sessionCookieName(new URL(testOrigin));
  const session = response.headers
    .getSetCookie()
    .find((line) => line.startsWith(`${name}=`) && !line.startsWith(`${name}=;`));
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Attempt['body'],
    sessionCookie: session ? session.split(';')[0]! : null,
    ms,
  };
}

function failedWithWrongCredentials(attempt: Attempt): boolean {
  return attempt.status === 401 && (attempt.body.url ?? '').includes('error=CredentialsSignin');
}

async function createUser(running: RunningTestServer, label: string) {
  return insertUser(running.database.db, {
    email: `${label}-${run}-${randomBytes(3).toString('hex')}@coplan.test`,
    name: label,
    organisationCode: 'HTC',
    passwordHash: await hashPassword(password),
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

let testDatabase: TestDatabase;
let previousNextAuthUrl: string | undefined;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  // next-auth builds its redirect URLs from NEXTAUTH_URL, as the server sets it at start.
  previousNextAuthUrl = process.env.NEXTAUTH_URL;
  process.env.NEXTAUTH_URL = testOrigin;
});

afterAll(async () => {
  if (previousNextAuthUrl === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = previousNextAuthUrl;
  await testDatabase?.drop();
});

// Redis needs PostgreSQL (several instances share one record): its suite runs with DATABASE_URL.
const stores = process.env.DATABASE_URL
  ? (['database', 'redis'] as const)
  : (['database'] as const);

describe.each(stores)('sign-in throttle (%s)', (store) => {
  let running: RunningTestServer;

  beforeAll(async () => {
    running = await startTestServer(testDatabase, {
      trustedProxies: 1,
      ...(store === 'redis' ? { redisUrl } : {}),
    });
  });

  afterAll(async () => {
    await running?.stop();
  });

  it('holds an account after 10 failures with 429 and Retry-After, even for the right password', async () => {
    const user = await createUser(running, 'held');
    for (let index = 0; index < 10; index++) {
      // Each from another address: the account's count is what stops the 11th.
      expect(
        failedWithWrongCredentials(await signIn(running, user.email, 'wrong', freshAddress())),
      ).toBe(true);
    }
    const held = await signIn(running, user.email.toUpperCase(), password, freshAddress());
    expect(held.status).toBe(429);
    expect(held.sessionCookie).toBeNull();
    const retryAfter = Number(held.retryAfter);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(held.body.retryAfterSeconds).toBe(retryAfter);
    expect(held.body.message).toMatch(/try again in 15 minutes/);
    expect(new URL(held.body.url ?? '').searchParams.get('error')).toBe(
      `TooManyAttempts:${retryAfter}`,
    );
    if (store === 'redis') {
      const redis = new Redis(redisUrl);
      expect(await redis.exists(`coplan:sign-in:account:${user.email}`)).toBe(1);
      redis.disconnect();
    }
  });

  it('a success clears the account count', async () => {
    const user = await createUser(running, 'reset');
    const address = freshAddress();
    for (let index = 0; index < 9; index++) await signIn(running, user.email, 'wrong', address);
    expect((await signIn(running, user.email, password, address)).sessionCookie).not.toBeNull();
    for (let index = 0; index < 9; index++) {
      expect(failedWithWrongCredentials(await signIn(running, user.email, 'wrong', address))).toBe(
        true,
      );
    }
    expect((await signIn(running, user.email, password, address)).sessionCookie).not.toBeNull();
  });

  it('a campus behind one address: 50 people each mistyping once still get in; 100 failures hold the address', async () => {
    const campus = freshAddress();
    const people = await Promise.all(
      Array.from({ length: 50 }, (_, index) => createUser(running, `campus${index}`)),
    );
    for (const person of people) {
      expect(failedWithWrongCredentials(await signIn(running, person.email, 'typo', campus))).toBe(
        true,
      );
      expect((await signIn(running, person.email, password, campus)).sessionCookie).not.toBeNull();
    }
    // A script guessing at many addresses of the same network address: 50 more failures…
    for (let index = 0; index < 50; index++) {
      await signIn(running, `nobody${index}-${run}@coplan.test`, 'guess', campus);
    }
    // …and the address is held, for everyone behind it, with a real 429.
    const held = await signIn(running, people[0]!.email, password, campus);
    expect(held.status).toBe(429);
    expect(Number(held.retryAfter)).toBeGreaterThan(0);
    // Another address is not.
    expect(
      (await signIn(running, people[0]!.email, password, freshAddress())).sessionCookie,
    ).not.toBeNull();
  }, 60_000);
});

describe('unknown e-mail and wrong password', () => {
  let running: RunningTestServer;

  beforeAll(async () => {
    running = await startTestServer(testDatabase, { trustedProxies: 1 });
  });

  afterAll(async () => {
    await running?.stop();
  });

  it('get the same answer', async () => {
    const user = await createUser(running, 'answer');
    const unknown = await signIn(running, `ghost-${run}@coplan.test`, 'guess', freshAddress());
    const wrong = await signIn(running, user.email, 'guess', freshAddress());
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('take similar time: the unknown one pays for a hash too', async () => {
    // Timed at the use case: next-auth's share of an HTTP answer would hide a missing hash.
    const user = await createUser(running, 'timing');
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let index = 0; index < 10; index++) {
      let started = performance.now();
      expect(
        await authenticateWithPassword({
          email: `ghost${index}-${run}@coplan.test`,
          password: 'guess',
        }),
      ).toBeNull();
      unknown.push(performance.now() - started);
      started = performance.now();
      expect(await authenticateWithPassword({ email: user.email, password: 'guess' })).toBeNull();
      wrong.push(performance.now() - started);
    }
    // A correctness check that the hash is verified, not a benchmark.
    expect(median(unknown)).toBeGreaterThanOrEqual(median(wrong) * 0.5);
  }, 30_000);
});

describe('sessions end everywhere', () => {
  let running: RunningTestServer;
  const clients: TestSyncClient[] = [];

  beforeAll(async () => {
    running = await startTestServer(testDatabase, { trustedProxies: 1, membershipIntervalMs: 500 });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await running?.stop();
  });

  async function memberSignedIn(label: string) {
    const user = await createUser(running, label);
    const plan = await findPlanBySlug(running.database.db, seededPlanSlug);
    if (!plan) throw new Error('seed missing');
    await upsertMember(running.database.db, { planId: plan.id, userId: user.id, role: 'editor' });
    return user;
  }

  async function cookieOf(email: string, secret = password): Promise<string> {
    const attempt = await signIn(running, email, secret, freshAddress());
    if (!attempt.sessionCookie) throw new Error(`could not sign in as ${email}`);
    return attempt.sessionCookie;
  }

  async function openConnections(cookie: string) {
    const sync = connectSyncClient(running, { cookie });
    clients.push(sync);
    await expect.poll(() => sync.provider.synced, waitOptions).toBe(true);
    const socket = connectSocketIoClient(running, { cookie });
    await expect.poll(() => socket.connected, waitOptions).toBe(true);
    return { sync, socket };
  }

  const itemsStatus = async (cookie: string) =>
    (
      await fetch(`${running.baseUrl}/api/plans/${seededPlanSlug}/items`, {
        headers: { cookie, origin: testOrigin },
      })
    ).status;

  async function signOut(cookie: string): Promise<number> {
    const token = csrf(running.secret);
    const response = await fetch(`${running.baseUrl}/api/auth/signout`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `${cookie}; ${token.cookie}`,
      },
      body: new URLSearchParams({
        csrfToken: token.token,
        callbackUrl: `${testOrigin}/sign-in`,
        json: 'true',
      }),
    });
    return response.status;
  }

  it('signing out refuses the old cookie and closes open sync and socket.io connections at once', async () => {
    const user = await memberSignedIn('signout');
    const cookie = await cookieOf(user.email);
    expect(await itemsStatus(cookie)).toBe(200);
    const { sync, socket } = await openConnections(cookie);
    const signedOutAt = Date.now();
    expect(await signOut(cookie)).toBe(200);
    await expect.poll(() => sync.closes.at(-1)?.code, waitOptions).toBe(closeCodes.sessionExpired);
    await expect.poll(() => socket.connected, waitOptions).toBe(false);
    expect(Date.now() - signedOutAt).toBeLessThan(1_000);
    expect(sync.provider.shouldConnect).toBe(false);
    expect(await itemsStatus(cookie)).toBe(401);
    // Signing in again works.
    expect(await itemsStatus(await cookieOf(user.email))).toBe(200);
    socket.close();
  });

  it('changing the password on one device signs out the other, and only the new password works', async () => {
    const user = await memberSignedIn('change');
    const phone = await cookieOf(user.email);
    const laptop = await cookieOf(user.email);
    const { sync, socket } = await openConnections(phone);
    expect(
      await changePassword(user.id, { currentPassword: 'wrong', newPassword: 'x'.repeat(20) }),
    ).toBe('wrong_current_password');
    expect(await changePassword(user.id, { currentPassword: password, newPassword: 'short' })).toBe(
      'too_short',
    );
    expect(await itemsStatus(phone)).toBe(200);
    const newPassword = 'a brand new long password';
    expect(await changePassword(user.id, { currentPassword: password, newPassword })).toBe(
      'changed',
    );
    await expect.poll(() => sync.closes.at(-1)?.code, waitOptions).toBe(closeCodes.sessionExpired);
    await expect.poll(() => socket.connected, waitOptions).toBe(false);
    expect(await itemsStatus(phone)).toBe(401);
    expect(await itemsStatus(laptop)).toBe(401);
    expect(
      failedWithWrongCredentials(await signIn(running, user.email, password, freshAddress())),
    ).toBe(true);
    expect(await itemsStatus(await cookieOf(user.email, newPassword))).toBe(200);
    socket.close();
  });

  it('a sign-out on another instance (or the CLI) closes connections here within seconds', async () => {
    const user = await memberSignedIn('elsewhere');
    const { sync, socket } = await openConnections(await cookieOf(user.email));
    // Straight in the database, with no signal to this process: what another instance does.
    await bumpSessionVersion(running.database.db, user.id);
    const bumpedAt = Date.now();
    await expect.poll(() => sync.closes.at(-1)?.code, waitOptions).toBe(closeCodes.sessionExpired);
    await expect.poll(() => socket.connected, waitOptions).toBe(false);
    expect(Date.now() - bumpedAt).toBeLessThan(3_000);
    socket.close();
  });
});
