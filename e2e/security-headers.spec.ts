/**
 * Security headers (issue 7): every page the owner visits — sign-in, their plans, the board, a
 * card's details with the rich-text editor, progress, members, versions, export, the report —
 * and the public board a share link opens carry a Content-Security-Policy with a fresh nonce,
 * and the browser reports no CSP violation on any of them: Next's scripts carry the nonce, and
 * nothing of ours needs more than the policy allows. The built client bundle holds no secret.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { expect, test, type Page, type Response } from '@playwright/test';

import { openPlan, owner, planSlug } from './actors';
import { e2eBaseUrl } from './e2e-config';

/** Collects the console's CSP violation reports (Chromium logs each as an error). */
const forged = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };

function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => {
    if (/Content Security Policy/i.test(error.message)) violations.push(error.message);
  });
  return violations;
}

function nonceOf(response: Response | null): string {
  expect(response, 'the page answered').not.toBeNull();
  const headers = response!.headers();
  const policy = headers['content-security-policy'] ?? '';
  expect(policy).toContain("default-src 'self'");
  expect(policy).toContain("'strict-dynamic'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain(`connect-src 'self' ${e2eBaseUrl.replace(/^http/, 'ws')}`);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('same-origin');
  // Served over plain HTTP here: no HSTS (it is sent only when the public URL is https).
  expect(headers['strict-transport-security']).toBeUndefined();
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce, 'the policy has a nonce').toBeTruthy();
  return nonce!;
}

/** Opens a page, checks its headers and that every script in its HTML carries its nonce. */
async function visit(page: Page, path: string, seen: Set<string>): Promise<void> {
  const response = await page.goto(path);
  const nonce = nonceOf(response);
  expect(seen.has(nonce), `a fresh nonce on ${path}`).toBe(false);
  seen.add(nonce);
  // The HTML as served: chunks Next loads later are trusted through 'strict-dynamic'.
  const scripts = (await response!.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, `scripts on ${path}`).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
}

test('every page works under the nonce CSP, with no violation reported', async ({ browser }) => {
  // Every GET claims another host: links and redirects must still use the configured one.
  // (Not the POSTs: Next refuses a server action whose Origin differs from the forwarded host.)
  const context = await browser.newContext();
  await context.route('**/*', (route) => {
    const request = route.request();
    if (request.method() !== 'GET') return route.continue();
    return route.continue({
      headers: { ...request.headers(), ...forged },
    });
  });
  const page = await context.newPage();
  const violations = watchViolations(page);
  const seen = new Set<string>();

  // Signed out, a plan redirects to sign-in: on this origin, whatever the request claims.
  const redirect = await page.request.get(`/plans/${planSlug}`, {
    headers: forged,
    maxRedirects: 0,
  });
  expect(redirect.status()).toBeGreaterThanOrEqual(300);
  expect(redirect.status()).toBeLessThan(400);
  expect(new URL(redirect.headers()['location'] ?? '', e2eBaseUrl).origin).toBe(e2eBaseUrl);

  await visit(page, '/sign-in', seen);
  await page.locator('input[name="email"]').fill(owner.email);
  await page.locator('input[name="password"]').fill('coplan-demo-2022');
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  expect(new URL(page.url()).origin).toBe(e2eBaseUrl);
  // next-auth builds its URLs from NEXTAUTH_URL (the public URL), not the forwarded host.
  const providers = (await (
    await page.request.get('/api/auth/providers', { headers: forged })
  ).json()) as {
    credentials: { signinUrl: string; callbackUrl: string };
  };
  expect(new URL(providers.credentials.signinUrl).origin).toBe(e2eBaseUrl);
  expect(new URL(providers.credentials.callbackUrl).origin).toBe(e2eBaseUrl);

  await visit(page, '/', seen);
  await visit(page, `/plans/${planSlug}`, seen);
  await openPlan(page);

  // A card's details with the rich-text editor, hydrated and editable.
  const itemId = await page.getByTestId('item-card').first().getAttribute('data-item-id');
  expect(itemId).toBeTruthy();
  await visit(page, `/plans/${planSlug}?item=${itemId}`, seen);
  const panel = page.getByTestId('card-detail');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('description-editor')).toBeVisible();
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online');

  for (const tab of ['progress', 'members', 'history', 'export', 'report']) {
    await visit(page, `/plans/${planSlug}/${tab}`, seen);
    await expect(page.locator('h1')).toBeVisible();
  }

  // An invitation and a calendar link, shown to copy, point at the configured origin.
  await page.goto(`/plans/${planSlug}/members`);
  const invite = page.getByTestId('invite-form');
  await invite.getByLabel('E-mail address').fill(`csp-${Date.now().toString(36)}@coplan.test`);
  await invite.getByRole('button', { name: 'Create invitation' }).click();
  expect(new URL(await page.getByTestId('invite-link').inputValue()).origin).toBe(e2eBaseUrl);
  await page.goto(`/plans/${planSlug}/export`);
  await page.getByRole('button', { name: 'Create a calendar link' }).click();
  expect(new URL(await page.getByLabel(/^Web address/).inputValue()).origin).toBe(e2eBaseUrl);

  // The public board, opened by someone without an account.
  await page.goto(`/plans/${planSlug}/progress`);
  const share = page.getByTestId('share-panel');
  await share.getByTestId('share-create').click();
  const shareUrl = new URL(await share.getByTestId('share-url').inputValue());
  expect(shareUrl.origin).toBe(e2eBaseUrl);
  const stranger = await browser.newContext();
  const publicPage = await stranger.newPage();
  const publicViolations = watchViolations(publicPage);
  await visit(publicPage, shareUrl.pathname, seen);
  await expect(publicPage.locator('h1')).toBeVisible();
  // The language cookie is out of scripts' reach (and Secure when the public URL is https).
  await publicPage.locator('select[name="locale"]').selectOption('zh-CN');
  await expect
    .poll(async () => (await stranger.cookies()).find((c) => c.name === 'coplan-locale'))
    .toMatchObject({ value: 'zh-CN', httpOnly: true, secure: false });
  await expect(publicPage.locator('html')).toHaveAttribute('lang', 'zh-CN');

  // An unknown page and an API route carry the headers too.
  const missing = await page.goto('/no-such-page');
  expect(missing?.status()).toBe(404);
  nonceOf(missing);
  const api = await page.request.get(`/api/plans/${planSlug}/items`);
  expect(api.headers()['x-content-type-options']).toBe('nosniff');
  expect(api.headers()['x-frame-options']).toBe('DENY');
  // The image optimiser is off: nothing answers there.
  const image = await page.request.get('/_next/image?url=%2Ficon.svg&w=64&q=75');
  expect(image.status()).toBeGreaterThanOrEqual(400);

  expect([...violations, ...publicViolations]).toEqual([]);
  await stranger.close();
  await context.close();
});

test('no secret reaches the client bundle', async () => {
  const secrets: string[] = [];
  if (process.env.E2E_DATABASE_URL) secrets.push(process.env.E2E_DATABASE_URL);
  if (process.env.E2E_AUTH_SECRET) secrets.push(process.env.E2E_AUTH_SECRET);
  if (process.env.SMTP_URL) secrets.push(process.env.SMTP_URL);
  expect(secrets.length, 'the e2e run exposes its secret to the spec').toBeGreaterThan(0);
  const staticDir = join(process.cwd(), '.next', 'static');
  const files = (await readdir(staticDir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const text = await readFile(file, 'latin1');
    for (const secret of secrets) expect(text.includes(secret), file).toBe(false);
    expect(text, file).not.toMatch(/postgres(ql)?:\/\/\w+(:[^@\s"']*)?@/);
  }
});

/**
 * Malformed credentials in headers (next-auth's `getToken` once crashed on a bad Bearer header):
 * every page and route answers as it would without them — a page or a redirect to sign in, a
 * 401 — never a server error, and the server stays up.
 */
test('malformed Authorization headers and cookies get an ordinary answer, never a 500', async ({
  request,
}) => {
  const headerSets: Array<Record<string, string>> = [
    { authorization: 'Bearer' },
    { authorization: 'Bearer ' },
    { authorization: 'Bearer a.b' },
    { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' },
    { authorization: `Bearer ${'x'.repeat(6000)}` },
    { authorization: 'Basic %%%' },
    { cookie: 'next-auth.session-token=garbage' },
    { cookie: 'next-auth.session-token.0=a; next-auth.session-token.1=b' },
  ];
  const paths = [
    '/',
    '/sign-in',
    `/plans/${planSlug}`,
    `/plans/${planSlug}/progress`,
    '/api/auth/session',
    `/api/plans/${planSlug}/items`,
  ];
  for (const headers of headerSets) {
    for (const path of paths) {
      const response = await request.get(path, { headers, maxRedirects: 0 });
      expect(response.status(), `${path} with ${Object.keys(headers).join()}`).toBeLessThan(500);
    }
  }
  expect((await request.get('/api/health')).status()).toBe(200);
});
