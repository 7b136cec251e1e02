/**
 * The people in the scenarios. On the embedded database they are the seeded demo accounts; on
 * PostgreSQL global-setup.ts creates them with the admin CLI, as an operator would.
 */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

import type { Locale } from '../domain/locales';
import { e2eBaseUrl } from './e2e-config';

export interface Actor {
  email: string;
  name: string;
  org: string;
  role: 'owner' | 'editor' | 'commenter' | 'viewer';
}

export const actorPassword = 'coplan-demo-2022';
export const planSlug = 'htc-npia-2022-2023';

export const owner: Actor = {
  email: 'owner@coplan.test',
  name: 'Zhang Wei',
  org: 'HTC',
  role: 'owner',
};
export const htcEditor: Actor = {
  email: 'htc.editor@coplan.test',
  name: 'Chen Jing',
  org: 'HTC',
  role: 'editor',
};
export const npiaEditor: Actor = {
  email: 'npia.editor@coplan.test',
  name: 'Sok Dara',
  org: 'NPIA',
  role: 'editor',
};
export const iloStaff: Actor = {
  email: 'ilo@coplan.test',
  name: 'Li Ming',
  org: 'ILO',
  role: 'commenter',
};
export const participant: Actor = {
  email: 'participant@coplan.test',
  name: 'Chea Sophea',
  org: 'NPIA',
  role: 'viewer',
};

export const actors = [owner, htcEditor, npiaEditor, iloStaff, participant];

/** A browser context of its own for an actor (own cookies), signed in through the sign-in page. */
export async function signIn(
  browser: Browser,
  actor: Actor,
  options: { locale?: Locale } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  if (options.locale) {
    await context.addCookies([{ name: 'coplan-locale', value: options.locale, url: e2eBaseUrl }]);
  }
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.locator('input[name="email"]').fill(actor.email);
  await page.locator('input[name="password"]').fill(actorPassword);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  return { context, page };
}

/** Opens the plan and waits until it is live: connected, with its cards on screen. */
export async function openPlan(page: Page): Promise<void> {
  await page.goto(`/plans/${planSlug}`);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online');
  await expect(page.getByTestId('item-card').first()).toBeVisible();
}
