/**
 * The security headers against the real server (without Next: its pages are checked by
 * e2e/security-headers.spec.ts): every answer carries them — health, API routes refusing or
 * serving, the 404, socket.io's polling — with a fresh nonce each time; and a calendar feed,
 * fetched with a forged `Host` and `X-Forwarded-Host`, still links to the configured origin.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findUserByEmail } from '../../db/queries/users';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  seededPlanSlug,
  sessionCookieFor,
  startTestServer,
  testOrigin,
  type RunningTestServer,
} from '../testing/test-server';
import { createCalendarFeed } from '../use-cases/calendar-feeds';

let testDatabase: TestDatabase;
let running: RunningTestServer;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  running = await startTestServer(testDatabase);
});

afterAll(async () => {
  await running?.stop();
  await testDatabase?.drop();
});

function expectSecurityHeaders(headers: Headers): string {
  const policy = headers.get('content-security-policy') ?? '';
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic'(;|$)/);
  expect(policy).toContain("default-src 'self'");
  expect(policy).toContain("style-src 'self' 'unsafe-inline'");
  expect(policy).toContain(`connect-src 'self' ws://coplan.test`);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain("base-uri 'self'");
  expect(policy).toContain("form-action 'self'");
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('referrer-policy')).toBe('same-origin');
  // The public URL is http: no HSTS, which would lock browsers out of a server without TLS.
  expect(headers.get('strict-transport-security')).toBeNull();
  return policy;
}

describe('security headers', () => {
  it('are on every answer, with a fresh nonce each time', async () => {
    const cookie = await sessionCookieFor(running, 'participant@coplan.test');
    const answers = [
      await fetch(`${running.baseUrl}/api/health`),
      await fetch(`${running.baseUrl}/api/health`),
      await fetch(`${running.baseUrl}/api/plans/${seededPlanSlug}/items`),
      await fetch(`${running.baseUrl}/api/plans/${seededPlanSlug}/items`, { headers: { cookie } }),
      await fetch(`${running.baseUrl}/no-such-page`),
      await fetch(`${running.baseUrl}/socket.io/?EIO=4&transport=polling`),
      await fetch(`${running.baseUrl}/calendar/${'x'.repeat(43)}.ics`),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 401, 200, 404, 403, 404]);
    const nonces = answers.map(
      (answer) => /'nonce-([^']+)'/.exec(expectSecurityHeaders(answer.headers))?.[1],
    );
    expect(new Set(nonces).size).toBe(answers.length);
  });

  it("ignore a policy the client sends: the nonce is always the server's own", async () => {
    const forged = "script-src 'nonce-attacker'";
    const answer = await fetch(`${running.baseUrl}/api/health`, {
      headers: { 'content-security-policy': forged },
    });
    expect(expectSecurityHeaders(answer.headers)).not.toContain('attacker');
  });
});

/** A GET with headers fetch() will not send (Host). */
function getWithHeaders(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${running.baseUrl}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('links under a forged Host', () => {
  it('a calendar feed links to the configured origin, whatever Host and X-Forwarded-Host say', async () => {
    const user = await findUserByEmail(running.database.db, 'participant@coplan.test');
    if (!user) throw new Error('seed missing');
    const { token } = await createCalendarFeed({
      slug: seededPlanSlug,
      userId: user.id,
      organisationCode: null,
    });
    const { status, body } = await getWithHeaders(`/calendar/${token}.ics?lang=en`, {
      Host: 'evil.example',
      'X-Forwarded-Host': 'evil.example',
      'X-Forwarded-Proto': 'https',
    });
    expect(status).toBe(200);
    // iCalendar folds long lines at 75 octets: unfold before looking.
    const unfolded = body.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain(`${testOrigin}/plans/${seededPlanSlug}`);
    expect(unfolded).not.toContain('evil.example');
  });
});
