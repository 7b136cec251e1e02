/**
 * The timeline and the table, live between two editors: a bar dragged or moved with the keyboard
 * in one window shows its new dates in the other's table; a sort and a status edit in the table;
 * a viewer sees both views without a single edit control. Also writes screenshots of both views
 * in every language, on a wide screen and on a phone.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

import { actorPassword, htcEditor, npiaEditor, participant, planSlug, signIn } from './actors';
import { checkedLocales } from './e2e-config';

type View = 'timeline' | 'table';

async function openView(page: Page, view: View): Promise<void> {
  await page.goto(`/plans/${planSlug}?view=${view}`);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online');
  await expect(
    page.getByTestId(view === 'timeline' ? 'timeline-bar' : 'table-row').first(),
  ).toBeVisible();
}

function bar(page: Page, itemId: string) {
  return page.locator(`[data-testid="timeline-bar"][data-item-id="${itemId}"]`);
}

function row(page: Page, itemId: string) {
  return page.locator(`[data-testid="table-row"][data-item-id="${itemId}"]`);
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

async function barDates(page: Page, itemId: string) {
  const element = bar(page, itemId);
  return {
    start: (await element.getAttribute('data-start')) as string,
    end: (await element.getAttribute('data-end')) as string,
  };
}

test('an editor drags a bar a week later; the other editor’s table shows the new dates', async ({
  browser,
}) => {
  const htc = await signIn(browser, htcEditor);
  const npia = await signIn(browser, npiaEditor);
  await Promise.all([openView(htc.page, 'timeline'), openView(npia.page, 'table')]);

  const itemId = (await htc.page
    .getByTestId('timeline-bar')
    .nth(1)
    .getAttribute('data-item-id')) as string;
  const before = await barDates(htc.page, itemId);
  await bar(htc.page, itemId).evaluate((element) =>
    element.scrollIntoView({ block: 'center', inline: 'center' }),
  );
  const box = await bar(htc.page, itemId).boundingBox();
  if (!box) throw new Error('the bar is not on screen');

  // At the month scale a day is 4 px: 28 px right is one week.
  const y = box.y + box.height / 2;
  const x = box.x + box.width / 2;
  await htc.page.mouse.move(x, y);
  await htc.page.mouse.down();
  await htc.page.mouse.move(x + 14, y, { steps: 3 });
  await htc.page.mouse.move(x + 28, y, { steps: 3 });
  // While the pointer is down the bar shows where it would land.
  await expect(bar(htc.page, itemId)).toHaveAttribute('data-start', addDays(before.start, 7));
  await htc.page.mouse.up();

  const after = { start: addDays(before.start, 7), end: addDays(before.end, 7) };
  await expect(bar(htc.page, itemId)).toHaveAttribute('data-end', after.end);
  await expect(row(npia.page, itemId).getByTestId('table-start').locator('input')).toHaveValue(
    after.start,
  );
  await expect(row(npia.page, itemId).getByTestId('table-end').locator('input')).toHaveValue(
    after.end,
  );
  // A drag is not a click: the details did not open.
  expect(new URL(htc.page.url()).searchParams.get('item')).toBeNull();

  // Dragging the right edge lengthens the activity; the start stays.
  const edgeBox = await bar(htc.page, itemId).boundingBox();
  if (!edgeBox) throw new Error('the bar is not on screen');
  const edgeX = edgeBox.x + edgeBox.width - 3;
  await htc.page.mouse.move(edgeX, y);
  await htc.page.mouse.down();
  await htc.page.mouse.move(edgeX + 20, y, { steps: 4 });
  await htc.page.mouse.up();
  await expect(row(npia.page, itemId).getByTestId('table-end').locator('input')).toHaveValue(
    addDays(after.end, 5),
  );
  await expect(row(npia.page, itemId).getByTestId('table-start').locator('input')).toHaveValue(
    after.start,
  );

  await Promise.all([htc.context.close(), npia.context.close()]);
});

test('on a phone, a finger drags a bar; a tap afterwards opens the details', async ({
  browser,
}) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
  });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.locator('input[name="email"]').fill(npiaEditor.email);
  await page.locator('input[name="password"]').fill(actorPassword);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  await openView(page, 'timeline');

  const itemId = (await page
    .getByTestId('timeline-bar')
    .nth(2)
    .getAttribute('data-item-id')) as string;
  const before = await barDates(page, itemId);
  await bar(page, itemId).evaluate((element) =>
    element.scrollIntoView({ block: 'center', inline: 'center' }),
  );
  const box = await bar(page, itemId).boundingBox();
  if (!box) throw new Error('the bar is not on screen');
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  // Playwright's touchscreen only taps: a swipe goes through the DevTools protocol.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let step = 1; step <= 4; step++) {
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchMove',
      touchPoints: [{ x: x + step * 5, y }],
    });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await expect(bar(page, itemId)).toHaveAttribute('data-start', addDays(before.start, 5));
  await expect(bar(page, itemId)).toHaveAttribute('data-end', addDays(before.end, 5));
  expect(new URL(page.url()).searchParams.get('item')).toBeNull();

  await bar(page, itemId).tap();
  await expect.poll(() => new URL(page.url()).searchParams.get('item')).toBe(itemId);
  await context.close();
});

test('the keyboard reschedules a bar, refuses an end before the start, and opens the details', async ({
  browser,
}) => {
  const htc = await signIn(browser, htcEditor);
  const npia = await signIn(browser, npiaEditor);
  await Promise.all([openView(htc.page, 'timeline'), openView(npia.page, 'table')]);

  const first = htc.page.getByTestId('timeline-bar').first();
  const itemId = (await first.getAttribute('data-item-id')) as string;
  const before = await barDates(htc.page, itemId);
  const days = (a: string, b: string) =>
    (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;
  const length = days(before.start, before.end);

  // The instructions are there for screen readers, tied to the bar.
  const describedBy = (await first.getAttribute('aria-describedby')) as string;
  await expect(htc.page.locator(`[id="${describedBy}"]`)).toContainText('arrow');

  await bar(htc.page, itemId).focus();
  await htc.page.keyboard.press('ArrowRight');
  await expect(bar(htc.page, itemId)).toHaveAttribute('data-start', addDays(before.start, 1));
  await htc.page.keyboard.press('Shift+ArrowRight');
  await expect(bar(htc.page, itemId)).toHaveAttribute('data-start', addDays(before.start, 8));
  await expect(bar(htc.page, itemId)).toHaveAttribute('data-end', addDays(before.end, 8));
  // Focus stays on the bar between presses.
  await expect(bar(htc.page, itemId)).toBeFocused();
  await htc.page.keyboard.press('Alt+ArrowRight');
  await expect(bar(htc.page, itemId)).toHaveAttribute('data-end', addDays(before.end, 9));
  await expect(bar(htc.page, itemId)).toHaveAttribute('data-start', addDays(before.start, 8));

  await expect(row(npia.page, itemId).getByTestId('table-start').locator('input')).toHaveValue(
    addDays(before.start, 8),
  );
  await expect(row(npia.page, itemId).getByTestId('table-end').locator('input')).toHaveValue(
    addDays(before.end, 9),
  );

  // Shortening past the start is refused with a message; the dates stay.
  for (let step = 0; step <= length + 1; step++) await htc.page.keyboard.press('Alt+ArrowLeft');
  await expect(htc.page.getByTestId('timeline').getByRole('alert')).toContainText('not changed');
  await expect(bar(htc.page, itemId)).toHaveAttribute('data-start', addDays(before.start, 8));
  await expect(bar(htc.page, itemId)).toHaveAttribute('data-end', addDays(before.start, 8));

  await htc.page.keyboard.press('Enter');
  await expect.poll(() => new URL(htc.page.url()).searchParams.get('item')).toBe(itemId);

  await Promise.all([htc.context.close(), npia.context.close()]);
});

test('the table sorts by end date; a status changed inline reaches the other editor live', async ({
  browser,
}) => {
  const htc = await signIn(browser, htcEditor);
  const npia = await signIn(browser, npiaEditor);
  await Promise.all([openView(htc.page, 'table'), openView(npia.page, 'table')]);

  const endValues = () =>
    htc.page
      .getByTestId('table-end')
      .locator('input')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  const header = htc.page.locator('th', { has: htc.page.getByTestId('sort-end') });

  await htc.page.getByTestId('sort-end').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  const ascending = await endValues();
  expect(ascending.length).toBeGreaterThan(5);
  expect(ascending).toEqual([...ascending].sort());
  expect(new URL(htc.page.url()).searchParams.get('sort')).toBe('end');

  // The keyboard works too: Enter on the focused header turns the order round.
  await htc.page.getByTestId('sort-end').focus();
  await htc.page.keyboard.press('Enter');
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  const descending = await endValues();
  expect(descending).toEqual([...ascending].reverse());
  expect(new URL(htc.page.url()).searchParams.get('sort')).toBe('-end');

  // The sort survives a reload: it is in the address.
  await htc.page.reload();
  await expect(header).toHaveAttribute('aria-sort', 'descending');

  const firstRow = htc.page.getByTestId('table-row').first();
  const itemId = (await firstRow.getAttribute('data-item-id')) as string;
  const status = row(htc.page, itemId).getByLabel('Status');
  const next = (await status.inputValue()) === 'blocked' ? 'in_progress' : 'blocked';
  await status.selectOption(next);
  await expect(row(npia.page, itemId).getByLabel('Status')).toHaveValue(next);
  await expect(htc.page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');

  // The title is edited in place, one row at a time.
  await row(htc.page, itemId).getByTestId('table-title-edit').click();
  const title = row(htc.page, itemId).getByLabel('Activity title');
  await expect(title).toBeFocused();
  await title.fill('Joint workshop, renamed in the table');
  await title.press('Enter');
  await expect(row(htc.page, itemId).getByLabel('Activity title')).toHaveCount(0);
  await expect(row(npia.page, itemId).getByTestId('table-title-edit')).toHaveText(
    'Joint workshop, renamed in the table',
  );

  // Progress outside 0–100 is refused in its own cell.
  const progress = row(htc.page, itemId).getByLabel('Progress, in percent');
  await progress.fill('150');
  await progress.press('Enter');
  await expect(row(htc.page, itemId).getByRole('alert')).toBeVisible();
  await progress.fill('40');
  await progress.press('Enter');
  await expect(row(htc.page, itemId).getByRole('alert')).toHaveCount(0);
  await expect(row(npia.page, itemId).getByLabel('Progress, in percent')).toHaveValue('40');

  await Promise.all([htc.context.close(), npia.context.close()]);
});

test('a viewer follows the timeline and the table with no edit control', async ({ browser }) => {
  const viewer = await signIn(browser, participant);
  const { page } = viewer;

  await openView(page, 'timeline');
  const first = page.getByTestId('timeline-bar').first();
  const itemId = (await first.getAttribute('data-item-id')) as string;
  const before = await barDates(page, itemId);
  await expect(page.getByTestId('timeline').locator('[data-edge]')).toHaveCount(0);
  await first.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Alt+ArrowRight');
  // A drag does nothing either; a click opens the details.
  await first.evaluate((element) => element.scrollIntoView({ block: 'center', inline: 'center' }));
  const box = await first.boundingBox();
  if (!box) throw new Error('the bar is not on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2, { steps: 4 });
  await expect(bar(page, itemId)).toHaveAttribute('data-start', before.start);
  await page.mouse.up();
  await expect(bar(page, itemId)).toHaveAttribute('data-start', before.start);
  await expect(bar(page, itemId)).toHaveAttribute('data-end', before.end);

  await openView(page, 'table');
  const table = page.getByTestId('table');
  await expect(table.locator('input, select, textarea')).toHaveCount(0);
  await expect(table.getByRole('button', { name: 'Details' })).toHaveCount(0);
  // Titles still open the details; headers still sort.
  await page.getByTestId('sort-start').click();
  await expect(page.locator('th', { has: page.getByTestId('sort-start') })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await table.getByTestId('table-row').first().getByRole('button').click();
  await expect.poll(() => new URL(page.url()).searchParams.get('item')).not.toBeNull();

  await viewer.context.close();
});

test('both views have no serious accessibility problem, for an editor and for a viewer', async ({
  browser,
}) => {
  for (const actor of [htcEditor, participant]) {
    const { page, context } = await signIn(browser, actor);
    for (const view of ['timeline', 'table'] as const) {
      await openView(page, view);
      const results = await new AxeBuilder({ page }).include(`[data-testid="${view}"]`).analyze();
      const serious = results.violations.filter(
        (violation) => violation.impact === 'serious' || violation.impact === 'critical',
      );
      expect(
        serious.map((violation) => `${violation.id}: ${violation.nodes[0]?.target.join(' ')}`),
      ).toEqual([]);
    }
    await context.close();
  }
});

for (const locale of checkedLocales) {
  test(`timeline and table screenshots in ${locale}`, async ({ browser }) => {
    const { page, context } = await signIn(browser, htcEditor, { locale });
    for (const width of [1400, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const view of ['timeline', 'table'] as const) {
        await openView(page, view);
        await expect(page.locator('html')).toHaveAttribute('lang', locale);
        await page.getByTestId(view).scrollIntoViewIfNeeded();
        // Rows out of sight are skipped (content-visibility); they are drawn in the next frame.
        await page.evaluate(
          () =>
            new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
        );
        await page.screenshot({ path: `e2e/screenshots/${locale}-${view}-${width}.png` });
      }
    }
    await context.close();
  });
}
