/**
 * The progress board and its public link (issue 6): an owner makes a public link; a participant
 * with no account opens it and watches an activity the HTC editor made move to done, live; the
 * owner revokes the link and the open public board stops at once, and the link then reads as a
 * 404 page. Then screenshots of the members' and the public board, printed too, on a desktop and
 * a 390 px phone, in the checked languages (e2e-config.ts), into e2e/screenshots/.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

import { checkedLocales, e2eBaseUrl } from './e2e-config';
import { htcEditor, openPlan, owner, participant, planSlug, signIn } from './actors';

async function createPublicLink(page: Page): Promise<string> {
  await page.goto(`/plans/${planSlug}/progress`);
  const panel = page.getByTestId('share-panel');
  await panel.getByTestId('share-create').click();
  const url = await panel.getByTestId('share-url').inputValue();
  expect(url).toMatch(/\/share\/[A-Za-z0-9_-]{43}$/);
  return new URL(url).pathname;
}

test('a participant follows an activity to done on the public link; revoking it stops the page at once', async ({
  browser,
}) => {
  const title = `Public board check ${Date.now().toString(36)}`;
  const own = await signIn(browser, owner);
  const sharePath = await createPublicLink(own.page);

  // The HTC editor adds an activity of their own (seeded ones change under other specs).
  const htc = await signIn(browser, htcEditor);
  await openPlan(htc.page);
  await htc.page
    .locator('[data-testid="column-planned"]')
    .first()
    .getByRole('button', { name: /Add activity/ })
    .click();
  const form = htc.page.getByRole('form', { name: /New activity/ });
  await form.getByLabel('Title').fill(title);
  await form.getByRole('button', { name: 'Add activity' }).click();
  const card = htc.page.getByTestId('item-card').filter({ hasText: title });
  await expect(card).toBeVisible();
  const itemId = await card.getAttribute('data-item-id');
  if (!itemId) throw new Error('the new card has no id');

  // The participant: no account, no cookies.
  const visitor = await browser.newContext();
  const pub = await visitor.newPage();
  await pub.goto(sharePath);
  await expect(pub.getByTestId('progress-state')).toHaveAttribute('data-state', 'live');
  const row = pub.locator(`[data-testid="organisation-activity"][data-item-id="${itemId}"]`);
  await expect(row).toHaveAttribute('data-status', 'planned');
  await expect(pub.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  // One quick accessibility check of the board, as the public sees it.
  const axe = await new AxeBuilder({ page: pub })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    axe.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.nodes[0]?.target.join(' ')}`),
  ).toEqual([]);
  await expect(pub.getByTestId('recent-activity').first()).not.toContainText(htcEditor.name);

  // The editor marks it done; the public board follows without a reload.
  await card.getByRole('heading').getByRole('button').click();
  await htc.page.getByTestId('card-detail').getByTestId('detail-status').selectOption('done');
  await expect(row).toHaveAttribute('data-status', 'done');
  await expect(row).toContainText('Done');
  await expect(
    pub.locator('[data-testid="recent-activity"]').filter({ hasText: title }).first(),
  ).toContainText('HTC changed status');

  // The owner revokes the link: the open board says so at once and fetches nothing more.
  await own.page.reload();
  const links = own.page.getByTestId('share-link');
  await links.first().getByTestId('share-revoke').click();
  await links.first().getByTestId('share-revoke-confirm').click();
  await expect(own.page.getByRole('status').filter({ hasText: 'Link revoked.' })).toBeVisible();
  await expect(pub.getByTestId('progress-gone')).toBeVisible();
  await expect(pub.getByTestId('progress-board')).toHaveCount(0);

  const reopened = await pub.goto(sharePath);
  expect(reopened?.status()).toBe(404);
  await expect(pub.getByTestId('share-not-found')).toBeVisible();

  await Promise.all([own.context.close(), htc.context.close(), visitor.close()]);
});

const shots = 'e2e/screenshots';

for (const locale of checkedLocales) {
  test(`the progress boards in ${locale} (screenshots)`, async ({ browser }) => {
    const own = await signIn(browser, owner);
    const sharePath = await createPublicLink(own.page);
    await own.context.close();
    const viewports = {
      desktop: { width: 1280, height: 900 },
      phone: { width: 390, height: 844 },
    };
    const member = await signIn(browser, participant, { locale });
    const visitor = await browser.newContext();
    await visitor.addCookies([{ name: 'coplan-locale', value: locale, url: e2eBaseUrl }]);
    const pub = await visitor.newPage();
    for (const [name, viewport] of Object.entries(viewports)) {
      await member.page.setViewportSize(viewport);
      await member.page.goto(`/plans/${planSlug}/progress`);
      await expect(member.page.getByTestId('progress-state')).toHaveAttribute('data-state', 'live');
      await member.page.screenshot({
        path: `${shots}/${locale}-progress-${name}.png`,
        fullPage: true,
      });
      await pub.setViewportSize(viewport);
      await pub.goto(sharePath);
      await expect(pub.getByTestId('progress-state')).toHaveAttribute('data-state', 'live');
      await pub.screenshot({ path: `${shots}/${locale}-public-board-${name}.png`, fullPage: true });
    }
    await member.page.emulateMedia({ media: 'print' });
    await member.page.screenshot({ path: `${shots}/${locale}-progress-print.png`, fullPage: true });
    await Promise.all([member.context.close(), visitor.close()]);

    const manager = await signIn(browser, owner, { locale });
    await manager.page.setViewportSize(viewports.phone);
    await manager.page.goto(`/plans/${planSlug}/progress`);
    await manager.page.getByTestId('share-create').click();
    await manager.page.getByTestId('share-link').first().getByTestId('share-revoke').click();
    await manager.page
      .getByTestId('share-panel')
      .screenshot({ path: `${shots}/${locale}-share-panel-phone.png` });
    await manager.context.close();
  });
}
