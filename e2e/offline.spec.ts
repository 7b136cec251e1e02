import { readFileSync } from 'node:fs';

import { expect, test, type Page } from '@playwright/test';

import { htcEditor, npiaEditor, openPlan, signIn } from './actors';

/** How many updates y-indexeddb holds for this page's plan copy. */
function storedUpdates(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((db) => db.name ?? '');
    const name = names.find((candidate) => candidate.startsWith('coplan:'));
    if (!name) return 0;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const count = open.result.transaction('updates').objectStore('updates').count();
        count.onsuccess = () => {
          resolve(count.result);
          open.result.close();
        };
      };
    });
  });
}

test('an edit made offline is kept on the device and sent when the plan is opened again', async ({
  browser,
}) => {
  const htc = await signIn(browser, htcEditor);
  const npia = await signIn(browser, npiaEditor);
  await Promise.all([openPlan(htc.page), openPlan(npia.page)]);
  const id = (await htc.page
    .getByTestId('item-card')
    .nth(2)
    .getAttribute('data-item-id')) as string;
  const card = (page: Page) => page.locator(`[data-testid="item-card"][data-item-id="${id}"]`);

  await htc.context.setOffline(true);
  await expect(htc.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'offline');
  const before = await storedUpdates(htc.page);
  await card(htc.page)
    .getByRole('button', { name: /^Rename/ })
    .click();
  await card(htc.page).getByLabel('Activity title').fill('Written on the train, offline');
  await card(htc.page).getByLabel('Activity title').press('Enter');
  await expect(htc.page.getByTestId('save-status')).toHaveAttribute('data-state', 'unsaved');
  await expect.poll(() => storedUpdates(htc.page)).toBeGreaterThan(before);

  // The tab is closed while offline; later, back online, the plan is opened again.
  await htc.page.close();
  await htc.context.setOffline(false);
  const later = await htc.context.newPage();
  await openPlan(later);
  await expect(card(later)).toContainText('Written on the train, offline');
  await expect(later.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  await expect(card(npia.page)).toContainText('Written on the train, offline');

  await Promise.all([htc.context.close(), npia.context.close()]);
});

test('the interface’s Chinese and Khmer glyphs are on the device before the network goes', async ({
  browser,
}) => {
  for (const [locale, family] of [
    ['zh-CN', 'Noto Sans SC'],
    ['km', 'Noto Sans Khmer'],
  ] as const) {
    const messages = JSON.parse(readFileSync(`app/messages/${locale}.json`, 'utf8')) as {
      Connection: { offlineHint: string };
    };
    const { context, page } = await signIn(browser, htcEditor, { locale });
    await openPlan(page);
    // The hint appears only once offline; its glyphs must be loaded while the network is there.
    const hint = messages.Connection.offlineHint;
    await expect
      .poll(() =>
        page.evaluate(({ family, hint }) => document.fonts.check(`400 16px "${family}"`, hint), {
          family,
          hint,
        }),
      )
      .toBe(true);
    await context.setOffline(true);
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'offline');
    await expect(page.getByText(hint)).toBeVisible();
    await page.screenshot({ path: `e2e/screenshots/${locale}-offline-hint.png` });
    await context.close();
  }
});
