/**
 * Undo and redo take back one's own changes only: the HTC editor undoes a status change with
 * Ctrl+Z while the NPIA editor's change to another card stays; redo brings it back; both boards
 * agree throughout.
 */
import { expect, test, type Page } from '@playwright/test';

import { htcEditor, npiaEditor, openPlan, signIn } from './actors';

/** The id of the n-th card on the board (other tests may have renamed the seeded ones). */
async function nthCardId(page: Page, index: number): Promise<string> {
  const id = await page.getByTestId('item-card').nth(index).getAttribute('data-item-id');
  if (!id) throw new Error(`no card ${index}`);
  return id;
}

function statusOf(page: Page, itemId: string) {
  return page.locator(`[data-testid="item-card"][data-item-id="${itemId}"]`).getByLabel('Status');
}

test('Ctrl+Z undoes my change and not my colleague’s; Ctrl+Y redoes it', async ({ browser }) => {
  const htc = await signIn(browser, htcEditor);
  const npia = await signIn(browser, npiaEditor);
  await openPlan(htc.page);
  await openPlan(npia.page);
  const mine = await nthCardId(htc.page, 0);
  const theirs = await nthCardId(htc.page, 1);

  // Other tests may have changed these cards: start from whatever they show.
  const before = await statusOf(htc.page, mine).inputValue();
  const after = before === 'in_progress' ? 'done' : 'in_progress';
  const theirsNow =
    (await statusOf(npia.page, theirs).inputValue()) === 'blocked' ? 'done' : 'blocked';

  await expect(htc.page.getByRole('button', { name: 'Undo' })).toBeDisabled();
  await statusOf(htc.page, mine).selectOption(after);
  await statusOf(npia.page, theirs).selectOption(theirsNow);
  await expect(statusOf(htc.page, theirs)).toHaveValue(theirsNow);

  // Focus away from the select: the shortcut belongs to the plan, not to a form field.
  await htc.page.locator('h1').click();
  await htc.page.keyboard.press('Control+z');
  await expect(statusOf(htc.page, mine)).toHaveValue(before);
  await expect(statusOf(npia.page, mine)).toHaveValue(before);
  await expect(statusOf(htc.page, theirs)).toHaveValue(theirsNow);
  await expect(htc.page.getByRole('button', { name: 'Redo' })).toBeEnabled();

  await htc.page.keyboard.press('Control+y');
  await expect(statusOf(htc.page, mine)).toHaveValue(after);
  await expect(statusOf(npia.page, mine)).toHaveValue(after);

  // The buttons do the same.
  await htc.page.getByRole('button', { name: 'Undo' }).click();
  await expect(statusOf(npia.page, mine)).toHaveValue(before);
  await expect(statusOf(npia.page, theirs)).toHaveValue(theirsNow);

  await htc.context.close();
  await npia.context.close();
});
