/**
 * The activity log (issue 5): an editor renames an activity and changes its status; a viewer
 * with the card's history open sees both entries appear, attributed to the editor, without
 * reloading; the plan's recent changes list them too and open the card. Then screenshots of the
 * history and the recent changes in every language, on a desktop and a 390 px phone.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';

import { htcEditor, openPlan, participant, planSlug, signIn } from './actors';
import { checkedLocales } from './e2e-config';

const screenshots = 'e2e/screenshots';

/** Other specs rename seeded cards and change their status: find a card by position. */
async function nthCardId(page: Page, index: number): Promise<string> {
  const id = await page.getByTestId('item-card').nth(index).getAttribute('data-item-id');
  if (!id) throw new Error(`no card ${index}`);
  return id;
}

async function openDetails(page: Page, itemId: string): Promise<Locator> {
  const card = page.locator(`[data-testid="item-card"][data-item-id="${itemId}"]`);
  await card.getByRole('heading').getByRole('button').click();
  const panel = page.getByTestId('card-detail');
  await expect(panel).toHaveAttribute('data-item-id', itemId);
  return panel;
}

test('an editor renames and changes status; another member sees both in the history, attributed, live', async ({
  browser,
}) => {
  const run = Date.now().toString(36);
  const title = `Robotics lab induction ${run}`;
  const htc = await signIn(browser, htcEditor);
  const viewer = await signIn(browser, participant);
  await openPlan(htc.page);
  await openPlan(viewer.page);
  const itemId = await nthCardId(htc.page, 2);

  // The viewer opens the card's history first: what follows must arrive by itself.
  const viewerPanel = await openDetails(viewer.page, itemId);
  const history = viewerPanel.getByTestId('item-activity');
  await history.getByRole('button', { name: 'Show history' }).click();
  await expect(history.getByRole('button', { name: 'Hide history' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );

  const editorPanel = await openDetails(htc.page, itemId);
  const status = editorPanel.getByTestId('detail-status');
  const next = (await status.inputValue()) === 'blocked' ? 'done' : 'blocked';
  const nextLabel = next === 'blocked' ? 'Blocked' : 'Done';
  await editorPanel.getByRole('textbox', { name: 'Activity title' }).fill(title);
  await status.selectOption(next);

  const renamed = history.locator('[data-testid="activity-entry"][data-kind="renamed"]');
  await expect(renamed.first()).toContainText(`${htcEditor.name} renamed this activity from`);
  await expect(renamed.first()).toContainText(`to “${title}”`);
  const changed = history.locator('[data-testid="activity-entry"][data-kind="status"]');
  await expect(changed.first()).toContainText(
    new RegExp(`${htcEditor.name} changed status from .+ to ${nextLabel}`),
  );
  await expect(changed.first().locator('time')).toBeVisible();

  // The plan's recent changes list the same, and choosing one opens that card.
  await viewerPanel.getByTestId('card-detail-close').click();
  await expect(viewer.page.getByTestId('card-detail')).toHaveCount(0);
  await viewer.page.getByTestId('open-activity').click();
  const panel = viewer.page.getByTestId('activity-panel');
  await expect(panel.getByRole('heading', { name: 'Recent changes' })).toBeVisible();
  const entry = panel.locator(`[data-testid="activity-entry"][data-item-id="${itemId}"]`);
  await expect(entry.first()).toContainText(htcEditor.name);
  await entry
    .first()
    .getByRole('button', { name: `Open “${title}”` })
    .click();
  await expect(panel).toHaveCount(0);
  await expect(viewer.page.getByTestId('card-detail')).toHaveAttribute('data-item-id', itemId);
  expect(new URL(viewer.page.url()).searchParams.get('item')).toBe(itemId);

  await htc.context.close();
  await viewer.context.close();
});

for (const locale of checkedLocales) {
  test(`history and recent changes in ${locale} (screenshots)`, async ({ browser }) => {
    const viewer = await signIn(browser, participant, { locale });
    await viewer.page.goto(`/plans/${planSlug}`);
    await expect(viewer.page.getByTestId('item-card').first()).toBeVisible();
    await viewer.page.screenshot({ path: `${screenshots}/${locale}-activity-toolbar.png` });
    await viewer.page.getByTestId('open-activity').click();
    const panel = viewer.page.getByTestId('activity-panel');
    await expect(panel.getByTestId('activity-entry').first()).toBeVisible();
    await viewer.page.screenshot({ path: `${screenshots}/${locale}-activity-panel.png` });
    await panel.getByTestId('activity-entry').getByRole('button').first().click();
    const card = viewer.page.getByTestId('card-detail');
    await expect(card).toBeVisible();
    await card.getByTestId('item-activity-toggle').click();
    await expect(card.getByTestId('activity-entry').first()).toBeVisible();
    await card.getByTestId('item-activity').scrollIntoViewIfNeeded();
    await viewer.page.screenshot({ path: `${screenshots}/${locale}-activity-card.png` });

    await viewer.page.setViewportSize({ width: 390, height: 844 });
    await card.getByTestId('card-detail-close').click();
    await viewer.page.getByTestId('open-activity').click();
    await expect(panel.getByTestId('activity-entry').first()).toBeVisible();
    await viewer.page.screenshot({ path: `${screenshots}/${locale}-activity-panel-phone.png` });
    await panel.getByTestId('activity-entry').getByRole('button').first().click();
    await card.getByTestId('item-activity-toggle').click();
    await expect(card.getByTestId('activity-entry').first()).toBeVisible();
    await card.getByTestId('item-activity').scrollIntoViewIfNeeded();
    await viewer.page.screenshot({ path: `${screenshots}/${locale}-activity-card-phone.png` });
    await viewer.context.close();
  });
}
