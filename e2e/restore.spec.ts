import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';

import { htcEditor, npiaEditor, openPlan, owner, participant, planSlug, signIn } from './actors';

function card(page: Page, itemId: string) {
  return page.locator(`[data-testid="item-card"][data-item-id="${itemId}"]`);
}

/**
 * "Yesterday's version": the owner saves a version, which is then dated a day back in the
 * database (on PostgreSQL, where the spec can reach the server's database; the embedded one
 * belongs to the server process, so there the version keeps today's date). What a restore does
 * does not depend on the date; the history list shows it as yesterday's.
 */
async function backdateByOneDay(name: string): Promise<boolean> {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) return false;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`update plan_versions set created_at = created_at - interval '1 day' where name = ${name}`;
    return true;
  } finally {
    await sql.end();
  }
}

test('the owner restores yesterday’s version and every open browser converges to it', async ({
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const versionName = `Yesterday’s plan ${stamp}`;
  const [ownerSession, editor, viewer, traveller] = await Promise.all([
    signIn(browser, owner),
    signIn(browser, htcEditor),
    signIn(browser, participant),
    signIn(browser, npiaEditor),
  ]);
  const board = ownerSession.page;

  // The owner saves the plan as it is: "yesterday's" version.
  const history = await ownerSession.context.newPage();
  await history.goto(`/plans/${planSlug}/history`);
  await history.getByLabel('Save the plan as it is now, with a name').fill(versionName);
  await history.getByRole('button', { name: 'Save version' }).click();
  await expect(history.getByRole('link', { name: versionName })).toBeVisible();
  if (await backdateByOneDay(versionName)) {
    await history.reload();
    await expect(history.getByTestId('version-row').filter({ hasText: versionName })).toContainText(
      /1 day ago|yesterday/,
    );
  }

  // Everyone has the plan open; the editor changes an activity after the version.
  await Promise.all([
    openPlan(board),
    openPlan(editor.page),
    openPlan(viewer.page),
    openPlan(traveller.page),
  ]);
  const itemId = (await board.getByTestId('item-card').first().getAttribute('data-item-id'))!;
  const originalTitle = (await card(board, itemId).locator('h4').innerText()).trim();
  await card(editor.page, itemId)
    .getByRole('button', { name: /^Rename/ })
    .click();
  const title = card(editor.page, itemId).getByLabel('Activity title');
  const changed = `Changed after yesterday ${stamp}`;
  await title.fill(changed);
  await title.press('Enter');
  for (const page of [board, viewer.page]) await expect(card(page, itemId)).toContainText(changed);

  // Another editor goes offline and renames another activity there, before the restore.
  const otherId = (await board.getByTestId('item-card').nth(1).getAttribute('data-item-id'))!;
  await expect(card(traveller.page, itemId)).toContainText(changed);
  await traveller.context.setOffline(true);
  await expect(traveller.page.getByTestId('connection-status')).toHaveAttribute(
    'data-status',
    'offline',
  );
  const offlineTitle = `Renamed offline ${stamp}`;
  await card(traveller.page, otherId)
    .getByRole('button', { name: /^Rename/ })
    .click();
  await card(traveller.page, otherId).getByLabel('Activity title').fill(offlineTitle);
  await card(traveller.page, otherId).getByLabel('Activity title').press('Enter');
  await expect(card(traveller.page, otherId)).toContainText(offlineTitle);

  // The owner opens the version: it shows what changed since, and restores it after confirming.
  await history.getByRole('link', { name: versionName }).click();
  await expect(history.getByRole('heading', { level: 1, name: versionName })).toBeVisible();
  await expect(history.getByTestId('changes-changed')).toContainText(changed);
  // One quick accessibility check, of the richest versions page.
  const axe = await new AxeBuilder({ page: history })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    axe.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(' | ')}`,
      ),
  ).toEqual([]);
  await history.getByRole('button', { name: 'Restore this version…' }).click();
  const dialog = history.getByRole('dialog');
  await expect(dialog).toContainText(`Restore “${versionName}”?`);
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(history.getByTestId('restore-result')).toContainText('Restored.');
  await expect(history.getByTestId('changes')).toContainText(
    'Nothing has changed since this version.',
  );

  // Every open browser converges to the version, without reloading.
  for (const page of [board, editor.page, viewer.page]) {
    await expect(card(page, itemId)).toContainText(originalTitle);
    await expect(card(page, itemId)).not.toContainText(changed);
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online');
  }

  // Back online, the traveller's copy predates the restore: it is discarded (its offline edit
  // reaches nobody), the page says so, and shows the restored plan.
  await traveller.context.setOffline(false);
  await expect(traveller.page.getByTestId('restored-notice')).toBeVisible();
  await expect(card(traveller.page, itemId)).toContainText(originalTitle);
  await expect(card(traveller.page, otherId)).not.toContainText(offlineTitle);
  await expect(traveller.page.getByTestId('connection-status')).toHaveAttribute(
    'data-status',
    'online',
  );
  await expect(card(board, otherId)).not.toContainText(offlineTitle);

  // The plan as it was before is kept as a version of its own.
  await history.goto(`/plans/${planSlug}/history`);
  await expect(history.getByTestId('version-row').first()).toContainText('Before a restore');

  await Promise.all([
    ownerSession.context.close(),
    editor.context.close(),
    viewer.context.close(),
    traveller.context.close(),
  ]);
});
