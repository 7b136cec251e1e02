/**
 * The board: swimlanes by workstream, columns by status, and cards moved by mouse and keyboard
 * between any cell, seen live by the other editor; commenters get no drag or edit controls.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

import { htcEditor, iloStaff, npiaEditor, openPlan, signIn } from './actors';

test.use({ viewport: { width: 1400, height: 1500 } });

function lane(page: Page, laneKey: string): Locator {
  return page.locator(`[data-testid="lane"][data-lane="${laneKey}"]`);
}

function cell(page: Page, laneKey: string, status: string): Locator {
  return lane(page, laneKey).locator(`[data-testid="column-${status}"]`);
}

function card(page: Page, itemId: string): Locator {
  return page.locator(`[data-testid="item-card"][data-item-id="${itemId}"]`);
}

async function laneKeys(page: Page): Promise<string[]> {
  return page
    .getByTestId('lane')
    .evaluateAll((lanes) => lanes.map((element) => element.getAttribute('data-lane') ?? ''));
}

/** Every cell's cards in order, as the page shows them. */
async function boardOrder(page: Page): Promise<string[]> {
  return page
    .getByTestId('lane')
    .evaluateAll((lanes) =>
      lanes.flatMap((element) =>
        [...element.querySelectorAll('[data-status]')].map(
          (cellElement) =>
            `${element.getAttribute('data-lane')}/${cellElement.getAttribute('data-status')}: ${[
              ...cellElement.querySelectorAll('[data-testid="item-card"]'),
            ]
              .map((item) => item.getAttribute('data-item-id'))
              .join(',')}`,
        ),
      ),
    );
}

/** Drags a card by its handle with the mouse, in small steps as a hand would, and drops it. */
async function dragWithMouse(page: Page, itemId: string, target: Locator): Promise<void> {
  await target.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  const handle = card(page, itemId).getByTestId('drag-handle');
  const from = await handle.boundingBox();
  if (!from) throw new Error('the card is not on screen');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 12, from.y + from.height / 2 + 12, {
    steps: 4,
  });
  // Twice: if the board scrolled on the way, the second move ends on the target again.
  for (let round = 0; round < 2; round++) {
    const to = await target.boundingBox();
    if (!to) throw new Error('the target is not on screen');
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  }
  await expect(page.getByTestId('drop-line')).toBeAttached();
  await page.mouse.up();
}

test('an HTC editor drags a card with the mouse to another column and lane; the NPIA editor sees it there live', async ({
  browser,
}) => {
  const htc = await signIn(browser, htcEditor);
  const npia = await signIn(browser, npiaEditor);
  await Promise.all([openPlan(htc.page), openPlan(npia.page)]);

  const axe = await new AxeBuilder({ page: htc.page })
    .include('[data-testid="board-view"]')
    .analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);

  const [first, second] = await laneKeys(htc.page);
  if (!first || !second) throw new Error('the demo plan has at least two workstreams');
  const source = lane(htc.page, first).getByTestId('item-card').first();
  const id = (await source.getAttribute('data-item-id')) as string;
  const targetCell = cell(htc.page, second, 'blocked');
  await expect(targetCell.locator(`[data-item-id="${id}"]`)).toHaveCount(0);

  // While the card is held, NPIA sees it lifted and where it would land, with HTC's name.
  const handle = card(htc.page, id).getByTestId('drag-handle');
  const from = await handle.boundingBox();
  const to = await targetCell.getByRole('button', { name: /Add activity/ }).boundingBox();
  if (!from || !to) throw new Error('not on screen');
  await htc.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await htc.page.mouse.down();
  await htc.page.mouse.move(from.x + 20, from.y + 20, { steps: 4 });
  await htc.page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 20 });
  await expect(htc.page.getByTestId('drop-line')).toBeAttached();
  await expect(cell(npia.page, second, 'blocked').getByTestId('remote-drop')).toContainText(
    htcEditor.name,
  );
  await expect(card(npia.page, id)).toContainText(`${htcEditor.name} is moving this`);
  await htc.page.mouse.up();

  for (const page of [htc.page, npia.page]) {
    await expect(cell(page, second, 'blocked').locator(`[data-item-id="${id}"]`)).toBeVisible();
    await expect(page.getByTestId('remote-drop')).toHaveCount(0);
  }
  await expect(card(npia.page, id)).not.toContainText('is moving this');
  await expect(npia.page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  await expect(htc.page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');

  // It is kept: after a reload it is still there.
  await npia.page.reload();
  await expect(cell(npia.page, second, 'blocked').locator(`[data-item-id="${id}"]`)).toBeVisible();

  await Promise.all([htc.context.close(), npia.context.close()]);
});

test('a card moves with the keyboard (Space, arrow, Space) and each step is announced', async ({
  browser,
}) => {
  const htc = await signIn(browser, htcEditor);
  const npia = await signIn(browser, npiaEditor);
  await Promise.all([openPlan(htc.page), openPlan(npia.page)]);
  const page = htc.page;

  const source = page.locator('[data-testid="column-planned"] [data-testid="item-card"]').first();
  const id = (await source.getAttribute('data-item-id')) as string;
  const laneKey = (await source
    .locator('xpath=ancestor::*[@data-testid="lane"]')
    .getAttribute('data-lane')) as string;
  const title = ((await card(page, id).locator('h4').textContent()) ?? '').trim();

  const handle = card(page, id).getByTestId('drag-handle');
  await handle.focus();
  await expect(handle).toHaveAccessibleName(`Move “${title}”`);
  await page.keyboard.press('Space');
  await expect(page.getByText(`Picked up “${title}”`)).toBeAttached();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByText(`“${title}” would go to In progress`)).toBeAttached();
  await page.keyboard.press('Space');

  await expect(cell(page, laneKey, 'in_progress').locator(`[data-item-id="${id}"]`)).toBeVisible();
  await expect(
    page.getByRole('status').filter({ hasText: `“${title}” moved to In progress` }),
  ).toBeAttached();
  // The focus stays on the card's handle in its new place, ready for the next move.
  await expect(card(page, id).getByTestId('drag-handle')).toBeFocused();
  await expect(
    cell(npia.page, laneKey, 'in_progress').locator(`[data-item-id="${id}"]`),
  ).toBeVisible();

  // Escape puts it back where it was, without writing anything.
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Escape');
  await expect(page.getByText(`Moving cancelled. “${title}” is back where it was.`)).toBeAttached();
  await expect(cell(page, laneKey, 'in_progress').locator(`[data-item-id="${id}"]`)).toBeVisible();

  await Promise.all([htc.context.close(), npia.context.close()]);
});

test('two editors move different cards into the same cell at the same time; both boards agree', async ({
  browser,
}) => {
  const htc = await signIn(browser, htcEditor);
  const npia = await signIn(browser, npiaEditor);
  await Promise.all([openPlan(htc.page), openPlan(npia.page)]);

  const keys = await laneKeys(htc.page);
  const [source, target] = [keys[1], keys[2]];
  if (!source || !target) throw new Error('the demo plan has at least three workstreams');
  // Cards from the lane just above, so that both ends of each drag are on screen.
  const cards = lane(htc.page, source).getByTestId('item-card');
  const a = (await cards.nth(0).getAttribute('data-item-id')) as string;
  const b = (await cards.nth(1).getAttribute('data-item-id')) as string;

  // Both drop at the end of the same cell, each seeing the same last card there.
  const drop = (page: Page) =>
    cell(page, target, 'done').getByRole('button', { name: /Add activity/ });
  await Promise.all([
    dragWithMouse(htc.page, a, drop(htc.page)),
    dragWithMouse(npia.page, b, drop(npia.page)),
  ]);

  for (const page of [htc.page, npia.page]) {
    await expect(cell(page, target, 'done').locator(`[data-item-id="${a}"]`)).toBeVisible();
    await expect(cell(page, target, 'done').locator(`[data-item-id="${b}"]`)).toBeVisible();
  }
  await expect.poll(async () => boardOrder(npia.page)).toEqual(await boardOrder(htc.page));

  await Promise.all([htc.context.close(), npia.context.close()]);
});

test('a commenter (ILO) sees the lanes but no drag handles and no add or edit controls; cards still open', async ({
  browser,
}) => {
  const ilo = await signIn(browser, iloStaff);
  await openPlan(ilo.page);
  const page = ilo.page;

  await expect(page.getByTestId('lane').first()).toBeVisible();
  await expect(page.getByTestId('drag-handle')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Add activity/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add workstream' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Move “.*” (up|down)/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Rename or recolour/ })).toHaveCount(0);
  await expect(page.locator('[data-testid="board-view"] :is(input, select, textarea)')).toHaveCount(
    0,
  );

  const first = page.getByTestId('item-card').first();
  const id = (await first.getAttribute('data-item-id')) as string;
  await first.getByRole('heading').getByRole('button').click();
  await expect(page).toHaveURL(new RegExp(`item=${id}`));

  await ilo.context.close();
});

test('an editor adds, renames, recolours and reorders workstreams; the other editor sees each change', async ({
  browser,
}) => {
  const htc = await signIn(browser, htcEditor);
  const npia = await signIn(browser, npiaEditor);
  await Promise.all([openPlan(htc.page), openPlan(npia.page)]);
  const page = htc.page;
  const laneNames = (watcher: Page) =>
    watcher
      .getByTestId('lane')
      .evaluateAll((lanes) =>
        lanes.map((element) => element.querySelector('h3 > span:nth-of-type(2)')?.textContent),
      );

  await page.getByRole('button', { name: 'Add workstream' }).click();
  const form = page.getByRole('form', { name: 'New workstream' });
  await form.getByRole('button', { name: 'Add workstream' }).click();
  await expect(form.getByRole('alert')).toHaveText('Give the workstream a name.');
  await form.getByLabel('Name').fill('Teacher mobility');
  await form.getByRole('button', { name: 'Add workstream' }).click();
  await expect.poll(async () => (await laneNames(npia.page)).at(-1)).toBe('Teacher mobility');

  await page.getByRole('button', { name: 'Move “Teacher mobility” up' }).click();
  await expect.poll(async () => (await laneNames(npia.page)).at(-2)).toBe('Teacher mobility');
  await expect(
    page.getByRole('status').filter({ hasText: '“Teacher mobility” is now workstream' }),
  ).toBeAttached();

  await page.getByRole('button', { name: 'Rename or recolour “Teacher mobility”' }).click();
  const edit = page.getByRole('form', { name: 'Edit workstream “Teacher mobility”' });
  await edit.getByLabel('Name').fill('x'.repeat(121));
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit.getByRole('alert')).toContainText('too long');
  await edit.getByLabel('Name').fill('Teacher and student mobility');
  await edit.getByLabel('Rose').check();
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect
    .poll(async () => (await laneNames(npia.page)).at(-2))
    .toBe('Teacher and student mobility');

  await Promise.all([htc.context.close(), npia.context.close()]);
});
