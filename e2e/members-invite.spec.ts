/**
 * An owner invites a new NPIA teacher as editor; the teacher opens the link in a browser of their
 * own, creates an account, lands in the plan and edits an activity, and the owner's open board
 * shows the edit live. The spent link then says so. Someone with an account signs in from the
 * invitation and comes back to it.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

import { actorPassword, htcEditor, openPlan, owner, planSlug, signIn } from './actors';

function card(page: Page, itemId: string) {
  return page.locator(`[data-testid="item-card"][data-item-id="${itemId}"]`);
}

test('an owner invites a new NPIA teacher as editor, who joins and edits live', async ({
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const email = `npia.teacher.${stamp}@npia.test`;
  const zhang = await signIn(browser, owner);
  await zhang.page.goto(`/plans/${planSlug}/members`);
  await expect(zhang.page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();

  const invite = zhang.page.getByTestId('invite-form');
  await invite.getByLabel('E-mail address').fill(email);
  await invite.getByLabel('Role').selectOption('editor');
  await invite.getByLabel('Organisation').selectOption('NPIA');
  await invite.getByRole('button', { name: 'Create invitation' }).click();
  const link = await zhang.page.getByTestId('invite-link').inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(zhang.page.getByTestId('pending-invite').filter({ hasText: email })).toBeVisible();
  // Every control of the page is on screen now: one accessibility check (WCAG 2.1 A and AA).
  const axe = await new AxeBuilder({ page: zhang.page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    axe.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(' | ')}`,
      ),
  ).toEqual([]);

  // The owner keeps the plan open while the teacher joins.
  const board = await zhang.context.newPage();
  await openPlan(board);

  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await teacher.goto(link);
  await expect(teacher.getByRole('heading', { level: 1 })).toContainText('Join');
  const form = teacher.getByTestId('invite-account-form');
  await expect(form.getByLabel('E-mail')).toHaveValue(email);
  await form.getByLabel('Your name').fill(`Keo Bopha ${stamp}`);
  await form.getByLabel('Password').fill('angkor-teacher-2024');
  await form.getByRole('button', { name: 'Create account and join' }).click();
  await teacher.waitForURL(`**/plans/${planSlug}`);
  await expect(teacher.getByTestId('connection-status')).toHaveAttribute('data-status', 'online');
  await expect(teacher.getByTestId('item-card').first()).toBeVisible();

  const itemId = await teacher.getByTestId('item-card').first().getAttribute('data-item-id');
  expect(itemId).toBeTruthy();
  const title = `Robot programming for NPIA teachers (${stamp})`;
  await card(teacher, itemId ?? '')
    .getByRole('button', { name: /^Rename/ })
    .click();
  const input = card(teacher, itemId ?? '').getByLabel('Activity title');
  await input.fill(title);
  await input.press('Enter');
  await expect(card(board, itemId ?? '')).toContainText(title);

  // The teacher is a member now, as editor; the link is spent for anyone else.
  await zhang.page.reload();
  await expect(
    zhang.page.getByTestId('member').filter({ hasText: `Keo Bopha ${stamp}` }),
  ).toContainText(email);
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await strangerPage.goto(link);
  await expect(strangerPage.getByTestId('invite-problem')).toHaveAttribute('data-problem', 'used');

  await Promise.all([zhang.context.close(), teacherContext.close(), stranger.close()]);
});

test('someone with an account signs in from the invitation and comes back to accept it', async ({
  browser,
}) => {
  const zhang = await signIn(browser, owner);
  await zhang.page.goto(`/plans/${planSlug}/members`);
  const invite = zhang.page.getByTestId('invite-form');
  await invite.getByLabel('E-mail address').fill(htcEditor.email);
  await invite.getByLabel('Role').selectOption('owner');
  await invite.getByRole('button', { name: 'Create invitation' }).click();
  const link = await zhang.page.getByTestId('invite-link').inputValue();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole('link', { name: 'Sign in to accept' }).click();
  // The sign-in page knows the address, and brings Chen Jing back to the invitation.
  await expect(page.locator('input[name="email"]')).toHaveValue(htcEditor.email);
  await page.locator('input[name="password"]').fill(actorPassword);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname.startsWith('/invite/'));
  // Already an editor: accepting an owner invitation keeps the role she has.
  await expect(page.getByText('You are already a member of this plan, as Editor.')).toBeVisible();
  await page.getByRole('button', { name: 'Accept and open the plan' }).click();
  await expect(page.getByText('your role is unchanged')).toBeVisible();
  await zhang.page.reload();
  await expect(
    zhang.page.getByTestId('member').filter({ hasText: htcEditor.email }).getByRole('combobox'),
  ).toHaveValue('editor');

  await Promise.all([zhang.context.close(), context.close()]);
});
