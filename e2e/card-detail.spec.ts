/**
 * The card details panel: several people editing one activity at once, the description's live
 * carets, what a commenter sees, hostile pasted HTML, and that everything is saved.
 *
 * Each test works on its own seeded activity (found by title), so the other specs' edits to the
 * first cards do not get in the way.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

import { htcEditor, iloStaff, npiaEditor, openPlan, planSlug, signIn } from './actors';

/** The id of the seeded activity with this title, read from the board. */
async function itemIdByTitle(page: Page, title: string): Promise<string> {
  const id = await page.evaluate((wanted) => {
    for (const card of document.querySelectorAll<HTMLElement>('[data-testid="item-card"]')) {
      const input = card.querySelector('textarea');
      const text = input ? input.value : (card.querySelector('h4')?.textContent ?? '');
      if (text === wanted) return card.dataset.itemId ?? null;
    }
    return null;
  }, title);
  if (!id) throw new Error(`no card titled "${title}"`);
  return id;
}

/** Opens the plan with the card's details open (as a shared link would). */
async function openCard(page: Page, itemId: string): Promise<Locator> {
  await page.goto(`/plans/${planSlug}?item=${itemId}`);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online');
  const panel = page.getByTestId('card-detail');
  await expect(panel).toBeVisible();
  await expect(panel).toHaveAttribute('data-item-id', itemId);
  return panel;
}

function description(panel: Locator): Locator {
  return panel.getByTestId('description-editor');
}

/** The description's text as its readers see it, without the others' caret labels. */
function descriptionText(panel: Locator): Promise<string> {
  return description(panel).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
    return copy.textContent ?? '';
  });
}

async function expectSaved(page: Page): Promise<void> {
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online');
}

test('two editors type into one description at once; each sees the other’s text and named caret; a commenter reads it; it is saved', async ({
  browser,
}) => {
  const htc = await signIn(browser, htcEditor);
  const npia = await signIn(browser, npiaEditor);
  await openPlan(htc.page);
  const id = await itemIdByTitle(htc.page, 'Quality assurance workshop for NPIA department heads');

  const htcPanel = await openCard(htc.page, id);
  const npiaPanel = await openCard(npia.page, id);

  // Each sees that the other has the card open.
  await expect(htcPanel.getByTestId('card-watchers')).toContainText(npiaEditor.name);
  await expect(npiaPanel.getByTestId('card-watchers')).toContainText(htcEditor.name);

  // A first line, so that the two can write at its two ends.
  await description(htcPanel).click();
  await htc.page.keyboard.type('Agenda agreed.');
  await expect(description(npiaPanel)).toContainText('Agenda agreed.');

  await description(npiaPanel).click();
  await npia.page.keyboard.press('Control+End');
  await htc.page.keyboard.press('Control+Home');
  await Promise.all([
    htc.page.keyboard.type('HTC: venue booked. ', { delay: 15 }),
    npia.page.keyboard.type(' NPIA: 12 department heads registered.', { delay: 15 }),
  ]);
  const merged = 'HTC: venue booked. Agenda agreed. NPIA: 12 department heads registered.';
  await expect.poll(() => descriptionText(htcPanel)).toBe(merged);
  await expect.poll(() => descriptionText(npiaPanel)).toBe(merged);

  // Both editors have the focus in their own browser: each sees the other's caret, named.
  const caretOf = (panel: Locator, name: string) =>
    panel.locator(`.collaboration-carets__caret[data-user-name="${name}"]`);
  await expect(caretOf(htcPanel, npiaEditor.name)).toBeVisible();
  await expect(caretOf(htcPanel, npiaEditor.name)).toContainText(npiaEditor.name);
  await expect(caretOf(npiaPanel, htcEditor.name)).toBeVisible();
  await expect(caretOf(npiaPanel, htcEditor.name)).toContainText(htcEditor.name);
  // Nobody sees a caret of their own.
  await expect(caretOf(htcPanel, htcEditor.name)).toHaveCount(0);
  await expectSaved(htc.page);
  await expectSaved(npia.page);

  // The ILO commenter reads the description and gets no control that would change anything.
  const ilo = await signIn(browser, iloStaff);
  const iloPanel = await openCard(ilo.page, id);
  await expect.poll(() => descriptionText(iloPanel)).toBe(merged);
  await expect(description(iloPanel)).toHaveAttribute('contenteditable', 'false');
  await expect(iloPanel.getByRole('toolbar')).toHaveCount(0);
  // Outside the comments (where a commenter writes), nothing to type into or press but close,
  // follow and show the history (neither changes anything of the plan).
  const outsideComments = ':not([data-testid="comments"] *)';
  await expect(
    iloPanel.locator(`:is(input, select, textarea, [contenteditable="true"])${outsideComments}`),
  ).toHaveCount(0);
  await expect(iloPanel.locator(`button${outsideComments}`)).toHaveCount(3);
  await expect(iloPanel.getByTestId('card-detail-close')).toBeVisible();
  await expect(iloPanel.getByTestId('follow-item')).toBeVisible();
  await expect(iloPanel.getByTestId('item-activity-toggle')).toBeVisible();
  await expect(iloPanel.getByTestId('card-detail-title')).toBeVisible();
  // The editors see the commenter looking, too.
  await expect(htcPanel.getByTestId('card-watchers')).toContainText(iloStaff.name);

  // Saved: a reload brings it all back.
  await npia.page.reload();
  await expect.poll(() => descriptionText(npia.page.getByTestId('card-detail'))).toBe(merged);

  await Promise.all([htc.context.close(), npia.context.close(), ilo.context.close()]);
});

test('owners, tags, checklist, indicators, status and dates edited in one browser show in the other, and stay after a reload', async ({
  browser,
}) => {
  const htc = await signIn(browser, htcEditor);
  const npia = await signIn(browser, npiaEditor);
  await openPlan(htc.page);
  const id = await itemIdByTitle(htc.page, 'MoHRSS study visit for NPIA managers');
  const a = await openCard(htc.page, id);
  const b = await openCard(npia.page, id);

  // Owners: HTC makes the NPIA editor an owner.
  await a.getByTestId('add-owner').selectOption({ label: `${npiaEditor.name} (NPIA)` });
  await a.getByRole('button', { name: 'Add', exact: true }).first().click();
  await expect(b.locator(`[data-owner-name="${npiaEditor.name}"]`)).toContainText('NPIA');

  // Tags: NPIA types one and presses Enter; HTC sees it, removes it, NPIA sees that.
  await b.getByTestId('add-tag').fill('study visit');
  await b.getByTestId('add-tag').press('Enter');
  await b.getByTestId('add-tag').fill('managers');
  await b.getByTestId('add-tag').press('Enter');
  await expect(a.locator('[data-tag="study visit"]')).toBeVisible();
  await expect(a.locator('[data-tag="managers"]')).toBeVisible();
  await a.getByRole('button', { name: 'Remove the tag “managers”' }).click();
  await expect(b.locator('[data-tag="managers"]')).toHaveCount(0);

  // Checklist: add with Enter, tick, rename, delete.
  for (const step of ['Book flights', 'Draft the programme', 'Send invitations']) {
    await a.getByTestId('checklist-add').fill(step);
    await a.getByTestId('checklist-add').press('Enter');
  }
  await expect(b.getByTestId('checklist-summary')).toHaveText('0 of 3 done');
  await b.getByRole('checkbox', { name: 'Mark as done: Book flights' }).check();
  await expect(a.getByRole('checkbox', { name: 'Mark as done: Book flights' })).toBeChecked();
  await expect(a.getByTestId('checklist-summary')).toHaveText('1 of 3 done');
  const rename = b.getByRole('textbox', { name: 'Edit step: Draft the programme' });
  await rename.fill('Draft the programme with MoHRSS');
  await rename.press('Enter');
  await expect(a.locator('[data-step="Draft the programme with MoHRSS"]')).toBeVisible();
  await a.getByRole('button', { name: 'Delete step: Send invitations' }).click();
  await expect(b.locator('[data-step="Send invitations"]')).toHaveCount(0);
  await expect(b.getByTestId('checklist-summary')).toHaveText('1 of 2 done');

  // Indicators: NPIA adds one; HTC sees its values and progress, updates the actual value.
  await b.getByTestId('indicator-add').click();
  await b.getByTestId('indicator-name').fill('Managers trained, women');
  await b.getByTestId('indicator-unit').fill('people');
  await b.getByTestId('indicator-baseline').fill('0');
  await b.getByTestId('indicator-target').fill('12');
  await b.getByTestId('indicator-actual').fill('3');
  await b.getByTestId('indicator-save').click();
  const indicatorA = a.locator('[data-indicator="Managers trained, women"]');
  await expect(indicatorA).toContainText('12 people');
  await expect(indicatorA.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '25');
  await indicatorA.getByRole('button', { name: 'Edit indicator: Managers trained, women' }).click();
  await a.getByTestId('indicator-actual').fill('not yet');
  await a.getByTestId('indicator-save').click();
  await expect(a.getByText('This is not a number.', { exact: false })).toBeVisible();
  await a.getByTestId('indicator-actual').fill('6');
  await a.getByTestId('indicator-save').click();
  const indicatorB = b.locator('[data-indicator="Managers trained, women"]');
  await expect(indicatorB.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '50');
  await expect(indicatorB).toContainText('50% of the way to the target');

  // Status, and dates: an end before the start is refused with a message, and not written.
  await a.getByTestId('detail-status').selectOption('in_progress');
  await expect(b.getByTestId('detail-status')).toHaveValue('in_progress');
  const startBefore = await b.getByTestId('detail-start').inputValue();
  const endBefore = await b.getByTestId('detail-end').inputValue();
  await a.getByTestId('detail-end').fill('2000-01-01');
  await expect(a.getByRole('alert').filter({ hasText: 'end date cannot be before' })).toBeVisible();
  await expect(b.getByTestId('detail-end')).toHaveValue(endBefore);
  await a.getByTestId('detail-end').fill('2023-12-20');
  await expect(b.getByTestId('detail-end')).toHaveValue('2023-12-20');
  await expect(b.getByTestId('detail-start')).toHaveValue(startBefore);
  await expectSaved(htc.page);
  await expectSaved(npia.page);

  await npia.page.reload();
  const reloaded = npia.page.getByTestId('card-detail');
  await expect(reloaded.locator(`[data-owner-name="${npiaEditor.name}"]`)).toBeVisible();
  await expect(reloaded.locator('[data-tag="study visit"]')).toBeVisible();
  await expect(reloaded.getByTestId('checklist-summary')).toHaveText('1 of 2 done');
  await expect(
    reloaded.locator('[data-indicator="Managers trained, women"]').getByRole('progressbar'),
  ).toHaveAttribute('aria-valuenow', '50');
  await expect(reloaded.getByTestId('detail-end')).toHaveValue('2023-12-20');

  await Promise.all([htc.context.close(), npia.context.close()]);
});

test('pasted HTML keeps only what a description may hold: nothing runs, the server keeps the connection, and the text is saved', async ({
  browser,
}) => {
  const htc = await signIn(browser, htcEditor);
  const npia = await signIn(browser, npiaEditor);
  await openPlan(htc.page);
  const id = await itemIdByTitle(
    htc.page,
    'Virtual classroom exchange: HTC and NPIA electronics students',
  );
  const dialogs: string[] = [];
  htc.page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const panel = await openCard(htc.page, id);
  const other = await openCard(npia.page, id);

  await description(panel).click();
  await htc.page.evaluate(() => {
    const html = [
      '<p>Before <b>bold</b></p>',
      '<script>window.__pwned = "script"; alert("script")</script>',
      "<p onclick=\"window.__pwned = 'onclick'; alert('onclick')\">Click me</p>",
      '<img src="/nothing.png" onerror="window.__pwned = \'img\'; alert(\'img\')">',
      "<p><a href=\"javascript:window.__pwned='link';alert('link')\">bad link</a>",
      ' and <a href="https://www.ilo.org/beijing" onmouseover="alert(1)">good link</a></p>',
    ].join('');
    const data = new DataTransfer();
    data.setData('text/html', html);
    data.setData('text/plain', 'Before bold Click me bad link and good link');
    const target = document.querySelector('[data-testid="description-editor"]');
    target?.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  });

  const editor = description(panel);
  await expect(editor).toContainText('Click me');
  await expect(editor.locator('strong')).toHaveText('bold');
  await expect(editor.locator('a[href="https://www.ilo.org/beijing"]')).toHaveText('good link');
  await expect(editor).toContainText('bad link');
  await expect(htc.page.locator('a[href^="javascript:" i]')).toHaveCount(0);
  await expect(editor.locator('img, script')).toHaveCount(0);
  await expect(htc.page.locator('[onclick], [onerror], [onmouseover]')).toHaveCount(0);
  await editor.getByText('Click me').click();
  await editor.getByText('bad link').click();
  await editor.getByText('good link').hover();
  expect(await htc.page.evaluate(() => (window as { __pwned?: string }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);

  // The server took it (the other browser has it) and did not close the connection.
  await expect(description(other)).toContainText('Click me');
  await expect(description(other).locator('a[href="https://www.ilo.org/beijing"]')).toHaveCount(1);
  await expectSaved(htc.page);
  await expect(htc.page.getByTestId('closed-banner')).toHaveCount(0);

  // A link typed into the link form with another scheme is refused, with the reason.
  await editor.getByText('Click me').click();
  await htc.page.keyboard.press('End');
  await panel.getByTestId('tool-link').click();
  const address = panel.getByLabel('Link address');
  await address.fill('javascript:alert(1)');
  await address.press('Enter');
  await expect(panel.getByRole('alert')).toContainText('Only web links');
  await address.press('Escape');
  await expect(panel).toBeVisible();
  await expect(htc.page.locator('a[href^="javascript:" i]')).toHaveCount(0);

  await htc.page.reload();
  const reloaded = description(htc.page.getByTestId('card-detail'));
  await expect(reloaded).toContainText('Click me');
  await expect(reloaded.locator('a[href="https://www.ilo.org/beijing"]')).toHaveCount(1);
  expect(dialogs).toEqual([]);

  await Promise.all([htc.context.close(), npia.context.close()]);
});

test('an over-long description and title are stopped at their limits with a clear message', async ({
  browser,
}) => {
  const htc = await signIn(browser, htcEditor);
  await openPlan(htc.page);
  const id = await itemIdByTitle(htc.page, 'CNC machining lesson plans shared with NPIA teachers');
  const panel = await openCard(htc.page, id);

  const paste = (text: string) =>
    htc.page.evaluate((pasted) => {
      const data = new DataTransfer();
      data.setData('text/plain', pasted);
      document
        .querySelector('[data-testid="description-editor"]')
        ?.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
    }, text);
  const length = () => descriptionText(panel).then((text) => text.length);

  // A paste that does not fit is refused whole, with the room left.
  await description(panel).click();
  await paste('lesson plan '.repeat(1_700)); // 20,400 characters
  await expect(panel.getByRole('alert')).toContainText('That does not fit');
  await expect(panel.getByRole('alert')).toContainText('20,000');
  expect(await length()).toBe(0);

  // One that fits goes in; typing up to the limit says the description is full; more is refused.
  await paste('x'.repeat(19_995));
  await expect.poll(length).toBe(19_995);
  await htc.page.keyboard.type('abcdefgh');
  await expect(panel.getByRole('alert')).toContainText('The description is full');
  expect(await length()).toBe(20_000);
  await expectSaved(htc.page);

  const title = panel.getByRole('textbox', { name: 'Activity title' });
  await title.fill('A very long title '.repeat(15));
  await expect(title).toHaveValue(/^A very long title/);
  expect((await title.inputValue()).length).toBe(200);
  await expect(panel.getByText('A title can have at most 200 characters')).toBeVisible();
  await expectSaved(htc.page);
  await expect(htc.page.getByTestId('closed-banner')).toHaveCount(0);

  await htc.context.close();
});

test('the panel takes the focus, gives it back, closes with Escape, the close button and Back, and covers a phone screen', async ({
  browser,
}) => {
  const htc = await signIn(browser, htcEditor);
  await openPlan(htc.page);
  const page = htc.page;
  const id = await itemIdByTitle(
    page,
    'Joint assessment standard: electrical installation, level 2',
  );
  const card = page.locator(`[data-testid="item-card"][data-item-id="${id}"]`);
  // The card's title opens its details.
  const details = card.getByRole('heading').getByRole('button');

  await details.click();
  const panel = page.getByRole('dialog', {
    name: 'Joint assessment standard: electrical installation, level 2',
  });
  await expect(panel).toBeVisible();
  await expect(panel).toBeFocused();
  await expect(page).toHaveURL(new RegExp(`item=${id}`));
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(details).toBeFocused();
  await expect(page).not.toHaveURL(/item=/);

  await details.click();
  await expect(panel).toBeVisible();
  await panel.getByRole('button', { name: 'Close details' }).click();
  await expect(panel).toHaveCount(0);
  await expect(details).toBeFocused();

  await details.click();
  await expect(panel).toBeVisible();
  await page.goBack();
  await expect(panel).toHaveCount(0);

  // No serious or critical accessibility problem in the open panel.
  await details.click();
  await expect(panel.getByTestId('description-editor')).toBeVisible();
  const audit = await new AxeBuilder({ page }).include('[data-testid="card-detail"]').analyze();
  const serious = audit.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(serious.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);

  await page.setViewportSize({ width: 390, height: 844 });
  const box = await panel.boundingBox();
  expect(box?.x).toBe(0);
  expect(box?.width).toBe(390);
  expect(box?.height).toBe(844);
  // Its content scrolls inside it.
  const scrolls = await panel.evaluate((element) => element.scrollHeight > element.clientHeight);
  expect(scrolls).toBe(true);

  await htc.context.close();
});
