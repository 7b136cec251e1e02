/**
 * @mentions (issue 5): the ILO commenter types `@Che`, picks Chen Jing with the keyboard from the
 * completion and sends; the HTC editor, with the same card open, sees the mention marked. And a
 * commenter demoted to viewer loses the composer at once, and gets it back when promoted.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';

import { htcEditor, iloStaff, openPlan, planSlug, signIn } from './actors';

async function nthCardId(page: Page, index: number): Promise<string> {
  const id = await page.getByTestId('item-card').nth(index).getAttribute('data-item-id');
  if (!id) throw new Error(`no card ${index}`);
  return id;
}

async function openComments(page: Page, itemId: string): Promise<Locator> {
  const card = page.locator(`[data-testid="item-card"][data-item-id="${itemId}"]`);
  await card.getByRole('heading').getByRole('button').click();
  const panel = page.getByTestId('card-detail');
  await expect(panel).toHaveAttribute('data-item-id', itemId);
  return panel.getByTestId('comments');
}

test('a commenter mentions an editor picked with the keyboard; the editor sees the mention marked', async ({
  browser,
}) => {
  const run = Date.now().toString(36);
  const ilo = await signIn(browser, iloStaff);
  const htc = await signIn(browser, htcEditor);
  await openPlan(ilo.page);
  await openPlan(htc.page);
  const itemId = await nthCardId(ilo.page, 2);
  const iloComments = await openComments(ilo.page, itemId);
  const htcComments = await openComments(htc.page, itemId);

  const composer = iloComments.getByRole('textbox', { name: 'New comment' });
  await composer.pressSequentially('Ask @Che');
  const list = iloComments.getByRole('listbox', { name: 'People on this plan' });
  await expect(list).toBeVisible();
  // "Che" is in both Chea Sophea and Chen Jing; Chen Jing is reached with the arrow key.
  await expect(list.getByRole('option')).toHaveText([/Chea Sophea/, /Chen Jing/]);
  await expect(composer).toHaveAttribute('aria-autocomplete', 'list');
  await composer.press('ArrowDown');
  await expect(list.getByRole('option', { name: /Chen Jing/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(composer).toHaveAttribute(
    'aria-activedescendant',
    (await list.getByRole('option', { name: /Chen Jing/ }).getAttribute('id')) ?? '',
  );
  await composer.press('Enter');
  await expect(list).toHaveCount(0);
  await expect(composer).toHaveValue('Ask @Chen Jing ');
  await composer.pressSequentially(`to check the dates (${run})`);

  // Escape closes a list without closing the card.
  await composer.pressSequentially(' @so');
  await expect(list).toBeVisible();
  await composer.press('Escape');
  await expect(list).toHaveCount(0);
  await expect(ilo.page.getByTestId('card-detail')).toBeVisible();
  await composer.press('Backspace');
  await composer.press('Backspace');
  await composer.press('Backspace');
  await composer.press('Backspace');

  await iloComments.getByRole('button', { name: 'Send' }).click();
  await expect(composer).toHaveValue('');
  const body = `Ask @Chen Jing to check the dates (${run})`;
  const theirs = htcComments.getByTestId('comment').filter({ hasText: run });
  await expect(theirs.getByTestId('comment-body')).toHaveText(body);
  await expect(theirs.getByTestId('comment-mention')).toHaveText('@Chen Jing');
  await expect(
    iloComments.getByTestId('comment').filter({ hasText: run }).getByTestId('comment-mention'),
  ).toHaveText('@Chen Jing');

  await Promise.all([ilo.context.close(), htc.context.close()]);
});

/**
 * Roles change through the admin CLI, as an owner's operator would. It needs PostgreSQL: the
 * embedded database belongs to the server process (global-setup says where the e2e database is).
 */
function setRole(email: string, role: string): void {
  const root = join(import.meta.dirname, '..');
  const result = spawnSync(
    join(root, 'node_modules', '.bin', 'tsx'),
    ['server/cli/main.ts', 'member', 'add', '--plan', planSlug, '--email', email, '--role', role],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL },
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`coplan member add failed: ${result.stderr}`);
}

test('a commenter demoted to viewer loses the composer at once, and gets it back when promoted', async ({
  browser,
}) => {
  test.skip(
    !process.env.E2E_DATABASE_URL,
    'roles change through the CLI, which needs PostgreSQL (DATABASE_URL)',
  );
  const ilo = await signIn(browser, iloStaff);
  await openPlan(ilo.page);
  const comments = await openComments(ilo.page, await nthCardId(ilo.page, 3));
  const composer = comments.getByRole('textbox', { name: 'New comment' });
  await expect(composer).toBeVisible();
  try {
    setRole(iloStaff.email, 'viewer');
    await expect(composer).toHaveCount(0);
    setRole(iloStaff.email, 'commenter');
    await expect(composer).toBeVisible();
  } finally {
    setRole(iloStaff.email, 'commenter');
  }
  await ilo.context.close();
});
