/**
 * Too many wrong passwords for one account: the sign-in form says, in the reader's language, how
 * long to wait. The account is an address nobody has, so no actor of the other specs is held; the
 * ten failures are far below the limit of the shared 127.0.0.1 address.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test, type Page } from '@playwright/test';

import { participant, signIn } from './actors';
import { checkedLocales, e2eBaseUrl } from './e2e-config';

async function submit(page: Page, email: string) {
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill('not the password');
  const [response] = await Promise.all([
    page.waitForResponse((res) => res.url().includes('/api/auth/callback/credentials')),
    page.locator('form button[type="submit"]').click(),
  ]);
  return response;
}

test('after ten wrong passwords the form says to try again in 15 minutes, in Khmer too', async ({
  browser,
}) => {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'coplan-locale', value: 'km', url: e2eBaseUrl }]);
  const page = await context.newPage();
  await page.goto('/sign-in');
  const email = `nobody-${Date.now()}-${test.info().workerIndex}@coplan.test`;
  for (let attempt = 0; attempt < 10; attempt++) {
    expect((await submit(page, email)).status()).toBe(401);
    await expect(page.locator('#sign-in-error')).toHaveText('អ៊ីមែល ឬពាក្យសម្ងាត់មិនត្រឹមត្រូវទេ។');
  }
  const held = await submit(page, email);
  expect(held.status()).toBe(429);
  expect(Number(held.headers()['retry-after'])).toBeGreaterThan(14 * 60);
  await expect(page.locator('#sign-in-error')).toHaveText(
    'ព្យាយាមច្រើនដងពេក។ សូមព្យាយាមម្ដងទៀតក្នុងរយៈពេល 15 នាទីទៀត។',
  );
  await expect(page).toHaveURL(/\/sign-in/);

  // English, the same account.
  await context.addCookies([{ name: 'coplan-locale', value: 'en', url: e2eBaseUrl }]);
  await page.reload();
  await submit(page, email);
  await expect(page.locator('#sign-in-error')).toHaveText(
    'Too many attempts. Try again in 15 minutes.',
  );
  await page.screenshot({ path: 'e2e/screenshots/en-sign-in-held.png', fullPage: true });
  await context.close();
});

test('the change-password and sign-out pages (screenshots)', async ({ browser }) => {
  const shots = 'e2e/screenshots';
  mkdirSync(shots, { recursive: true });
  const { context, page } = await signIn(browser, participant);
  for (const locale of checkedLocales) {
    await context.addCookies([{ name: 'coplan-locale', value: locale, url: e2eBaseUrl }]);
    for (const [name, width] of [
      ['desktop', 1280],
      ['phone', 390],
    ] as const) {
      await page.setViewportSize({ width, height: 844 });
      await page.goto('/account/password');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.screenshot({
        path: join(shots, `${locale}-change-password-${name}.png`),
        fullPage: true,
      });
      await page.goto('/sign-out');
      await page.screenshot({
        path: join(shots, `${locale}-sign-out-${name}.png`),
        fullPage: true,
      });
    }
  }
  await context.close();
});
