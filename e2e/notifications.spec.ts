/**
 * Follows and notifications (issue 5): a participant (a viewer) follows an activity, the ILO
 * commenter comments on it, and the participant's bell counts it live and names the commenter;
 * opening the notification opens the activity; "Mark all read" clears the count. An HTC editor who
 * follows the whole plan is notified too. Then the bell's panel is photographed in each language,
 * on a desktop and a 390 px phone, into e2e/screenshots/.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

import { htcEditor, iloStaff, openPlan, participant, planSlug, signIn } from './actors';
import { checkedLocales } from './e2e-config';

/** Other specs rename seeded cards and comment on the first: take the third by position. */
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

function bell(page: Page): Locator {
  return page.getByTestId('notification-bell');
}

/** The unread count the bell announces (0 when it says just "Notifications"). */
async function unreadCount(page: Page): Promise<number> {
  // The feed loads after the page: wait until the bell has heard from the server.
  await expect(bell(page)).toHaveAttribute('data-loaded', 'true');
  const label = (await bell(page).getAttribute('aria-label')) ?? '';
  return Number(/^(\d+)/.exec(label)?.[1] ?? 0);
}

function expectUnread(page: Page, count: number) {
  return expect(bell(page)).toHaveAttribute(
    'aria-label',
    count === 0 ? 'Notifications' : `${count} unread notification${count === 1 ? '' : 's'}`,
  );
}

async function comment(page: Page, itemId: string, body: string) {
  const panel = await openDetails(page, itemId);
  const comments = panel.getByTestId('comments');
  await comments.getByRole('textbox', { name: 'New comment' }).fill(body);
  await comments.getByRole('button', { name: 'Send' }).click();
  await expect(comments.getByTestId('comment-body').filter({ hasText: body })).toBeVisible();
  await panel.getByTestId('card-detail-close').click();
  await expect(page.getByTestId('card-detail')).toHaveCount(0);
}

test('a follower is notified live of a comment, opens it, and marks all read', async ({
  browser,
}) => {
  const run = Date.now().toString(36);
  const body = `Could the trainers get the outline a week earlier? (${run})`;

  const viewer = await signIn(browser, participant);
  // The bell and the plan's comments share the page's one socket.io WebSocket. Counted from the
  // plan page on: the home page's socket, cut off by the navigation, may never report closing.
  await expect(bell(viewer.page)).toHaveAttribute('data-loaded', 'true');
  const openSockets = new Set<unknown>();
  viewer.page.on('websocket', (ws) => {
    if (!ws.url().includes('/socket.io/')) return;
    openSockets.add(ws);
    ws.on('close', () => openSockets.delete(ws));
  });
  await openPlan(viewer.page);
  const itemId = await nthCardId(viewer.page, 2);
  // Whatever earlier runs left: start from nothing unread.
  const before = await unreadCount(viewer.page);
  if (before > 0) {
    await bell(viewer.page).click();
    await viewer.page.getByRole('button', { name: 'Mark all read' }).click();
    await bell(viewer.page).click();
  }
  await expectUnread(viewer.page, 0);
  await expect.poll(() => openSockets.size).toBe(1);

  // A viewer follows the activity from its details.
  const viewerPanel = await openDetails(viewer.page, itemId);
  const followItem = viewerPanel.getByTestId('follow-item');
  await expect(followItem).toHaveText('Follow');
  await followItem.click();
  await expect(followItem).toHaveText('Following');
  expect(openSockets.size).toBe(1);
  await viewerPanel.getByTestId('card-detail-close').click();
  await expect(viewer.page.getByTestId('card-detail')).toHaveCount(0);

  // The HTC editor follows the whole plan from its header.
  const editor = await signIn(browser, htcEditor);
  await openPlan(editor.page);
  const followPlan = editor.page.getByTestId('follow-plan');
  await expect(followPlan).toBeEnabled();
  if ((await followPlan.textContent())?.includes('Following')) {
    await followPlan.click();
    await expect(followPlan).toHaveText('Follow');
  }
  await followPlan.click();
  await expect(followPlan).toHaveText('Following');
  const editorBefore = await unreadCount(editor.page);

  const ilo = await signIn(browser, iloStaff);
  await openPlan(ilo.page);
  await comment(ilo.page, itemId, body);

  // Live, without reloading: one unread, a sentence naming the commenter and quoting the comment.
  await expectUnread(viewer.page, 1);
  await bell(viewer.page).click();
  const entry = viewer.page
    .getByRole('region', { name: 'Notifications' })
    .getByRole('link')
    .filter({ hasText: body });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText(`${iloStaff.name} commented on`);
  await expect(entry).toContainText(body);
  await expect(entry).toContainText('Unread');

  // Opening it opens the activity, and it is read.
  await entry.click();
  await expect(viewer.page).toHaveURL(new RegExp(`[?&]item=${itemId}`));
  await expect(viewer.page.getByTestId('card-detail')).toHaveAttribute('data-item-id', itemId);
  await expectUnread(viewer.page, 0);

  // The editor following the plan got it too; "Mark all read" clears their count.
  await expectUnread(editor.page, editorBefore + 1);
  await bell(editor.page).click();
  const editorEntries = editor.page.getByRole('region', { name: 'Notifications' });
  await expect(editorEntries.getByRole('link').filter({ hasText: body })).toHaveCount(1);
  await editorEntries.getByRole('button', { name: 'Mark all read' }).click();
  await expectUnread(editor.page, 0);
  await expect(editorEntries.getByText('Unread')).toHaveCount(0);

  // The author was not notified of their own comment.
  await bell(ilo.page).click();
  await expect(ilo.page.getByRole('region', { name: 'Notifications' }).getByText(body)).toHaveCount(
    0,
  );

  // Leave the plan follow as found, so other specs' comments do not pile up for the editor.
  await bell(editor.page).click();
  await followPlan.click();
  await expect(followPlan).toHaveText('Follow');
  await Promise.all([viewer.context.close(), editor.context.close(), ilo.context.close()]);
});

test('the bell panel in every language, on a desktop and a phone', async ({ browser }) => {
  const ilo = await signIn(browser, iloStaff);
  await openPlan(ilo.page);
  const itemId = await nthCardId(ilo.page, 2);
  await comment(ilo.page, itemId, 'សូមបន្ថែមកាលបរិច្ឆេទ — 请补充日期 — please add the dates.');
  await ilo.context.close();

  for (const locale of checkedLocales) {
    const viewer = await signIn(browser, participant, { locale });
    for (const [name, size] of [
      ['desktop', { width: 1280, height: 800 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      await viewer.page.setViewportSize(size);
      await viewer.page.goto(`/plans/${planSlug}`);
      await expect(viewer.page.getByTestId('item-card').first()).toBeVisible();
      await expect(viewer.page.getByTestId('notification-count')).toBeVisible();
      await viewer.page.getByTestId('notification-bell').click();
      const panel = viewer.page.getByRole('region').filter({ has: viewer.page.getByRole('link') });
      await expect(panel.getByRole('link').first()).toBeVisible();
      await viewer.page.screenshot({ path: `e2e/screenshots/${locale}-notifications-${name}.png` });
      const results = await new AxeBuilder({ page: viewer.page })
        .include('[data-testid="notification-bell"]')
        .include('[data-testid="notification-panel"]')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      expect(
        results.violations
          .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
          .map((violation) => `${violation.id}: ${violation.help}`),
      ).toEqual([]);
      // The follow buttons: the plan's in its header, the activity's in its details.
      await viewer.page.keyboard.press('Escape');
      await expect(panel).toBeHidden();
      await expect(viewer.page.getByTestId('follow-plan')).toBeEnabled();
      await viewer.page.screenshot({ path: `e2e/screenshots/${locale}-follow-plan-${name}.png` });
      const details = await openDetails(viewer.page, itemId);
      await expect(details.getByTestId('follow-item')).toBeEnabled();
      await viewer.page.screenshot({ path: `e2e/screenshots/${locale}-follow-item-${name}.png` });
    }
    await viewer.context.close();
  }
});
