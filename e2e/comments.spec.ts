/**
 * Comments on an activity (issue 5): the ILO commenter asks, an HTC editor with the same card open
 * sees it live, replies and resolves the thread, and the commenter sees both live. A body that
 * looks like HTML stays text; a viewer reads the thread without a composer; commenting gives the
 * commenter no control over the activity itself.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';

import { htcEditor, iloStaff, openPlan, participant, planSlug, signIn } from './actors';

/** Other specs rename seeded cards: find the card by its position instead. */
async function nthCardId(page: Page, index: number): Promise<string> {
  const id = await page.getByTestId('item-card').nth(index).getAttribute('data-item-id');
  if (!id) throw new Error(`no card ${index}`);
  return id;
}

/** Opens the card's details the way a person does: its title. */
async function openDetails(page: Page, itemId: string): Promise<Locator> {
  const card = page.locator(`[data-testid="item-card"][data-item-id="${itemId}"]`);
  await card.getByRole('heading').getByRole('button').click();
  const panel = page.getByTestId('card-detail');
  await expect(panel).toHaveAttribute('data-item-id', itemId);
  return panel;
}

function threadWith(panel: Locator, text: string): Locator {
  return panel.getByTestId('comment-thread').filter({ hasText: text });
}

test('a commenter asks, an editor replies and resolves, both live; HTML stays text; a viewer only reads', async ({
  browser,
}) => {
  const run = Date.now().toString(36);
  const question = `When will the NPIA trainers receive the course outline? (${run})`;
  const answer = `Next Monday, by email to each department head. (${run})`;
  const hostile = `<img src=x onerror="window.__pwned=1"> ${run}`;

  const ilo = await signIn(browser, iloStaff);
  const htc = await signIn(browser, htcEditor);
  await openPlan(ilo.page);
  await openPlan(htc.page);
  const itemId = await nthCardId(ilo.page, 0);
  const iloPanel = await openDetails(ilo.page, itemId);
  const htcPanel = await openDetails(htc.page, itemId);
  const iloComments = iloPanel.getByTestId('comments');
  const htcComments = htcPanel.getByTestId('comments');

  // The commenter writes; the editor, with the same card open, sees it without reloading.
  await iloComments.getByRole('textbox', { name: 'New comment' }).fill(question);
  await iloComments.getByRole('button', { name: 'Send' }).click();
  await expect(iloComments.getByRole('textbox', { name: 'New comment' })).toHaveValue('');
  const htcThread = threadWith(htcComments, question);
  await expect(htcThread).toBeVisible();
  await expect(htcThread.getByTestId('comment').first()).toContainText(iloStaff.name);
  await expect(htcThread.getByTestId('comment').first()).toContainText('ILO');
  const threadId = await htcThread.getAttribute('data-thread-id');
  const byId = (panel: Locator) =>
    panel.locator(`[data-testid="comment-thread"][data-thread-id="${threadId}"]`);

  // The editor replies (Ctrl+Enter) and resolves the thread.
  await htcThread.getByRole('button', { name: 'Reply' }).click();
  const reply = htcThread.getByRole('textbox', { name: 'Reply to this thread' });
  await reply.fill(answer);
  await reply.press('Control+Enter');
  await expect(htcThread.getByTestId('comment-body')).toHaveText([question, answer]);
  await htcThread.getByRole('button', { name: 'Resolve' }).click();
  // Resolved, the thread folds to one line naming who resolved it.
  await expect(byId(htcComments).getByTestId('thread-resolved-note')).toHaveText(
    `✓ Resolved by ${htcEditor.name}`,
  );

  // The commenter sees the reply and the resolution live: the thread folds away, and opens.
  const iloThread = byId(iloComments);
  await expect(iloThread).toHaveAttribute('data-resolved', 'true');
  await expect(iloThread.getByTestId('thread-resolved-note')).toContainText(htcEditor.name);
  await expect(iloThread.getByTestId('comment-body')).toHaveCount(0);
  await iloThread.getByRole('button', { name: 'Show thread' }).click();
  await expect(iloThread.getByTestId('comment-body')).toHaveText([question, answer]);
  await expect(iloThread.getByTestId('comment').nth(1)).toContainText(htcEditor.name);

  // A body that looks like HTML is shown as the characters typed, and nothing runs.
  await iloComments.getByRole('textbox', { name: 'New comment' }).fill(hostile);
  await iloComments.getByRole('textbox', { name: 'New comment' }).press('Control+Enter');
  for (const panel of [iloComments, htcComments]) {
    await expect(threadWith(panel, hostile).getByTestId('comment-body')).toHaveText(hostile);
    await expect(threadWith(panel, hostile).locator('img')).toHaveCount(0);
  }
  // The open-thread count in the heading counts the new one.
  await expect(htcComments.getByTestId('comments-open-count')).toBeVisible();
  expect(await ilo.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await htc.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

  // Commenting gives the commenter no control over the activity itself.
  await expect(iloPanel.getByTestId('card-detail-title')).toBeVisible();
  await expect(
    iloPanel.locator(':is(input, select, textarea):not([data-testid="comments"] *)'),
  ).toHaveCount(0);
  await expect(iloPanel.getByTestId('description-editor')).toHaveAttribute(
    'contenteditable',
    'false',
  );

  // A viewer reads the threads and gets no composer and no button to change them.
  const viewer = await signIn(browser, participant);
  await viewer.page.goto(`/plans/${planSlug}?item=${itemId}`);
  const viewerComments = viewer.page.getByTestId('card-detail').getByTestId('comments');
  await expect(threadWith(viewerComments, hostile).getByTestId('comment-body')).toHaveText(hostile);
  await expect(byId(viewerComments).getByTestId('thread-resolved-note')).toBeVisible();
  await expect(viewerComments.getByTestId('comment-composer')).toHaveCount(0);
  await expect(viewerComments.getByRole('textbox')).toHaveCount(0);
  await expect(
    viewerComments.getByRole('button', { name: /Reply|Resolve|Edit|Delete/ }),
  ).toHaveCount(0);

  await Promise.all([ilo.context.close(), htc.context.close(), viewer.context.close()]);
});

test('an author edits and deletes their own comment (after confirming), live for the others; an empty comment is refused with a message', async ({
  browser,
}) => {
  const run = Date.now().toString(36);
  const first = `Draft budget attached to the shared folder (${run})`;
  const edited = `Final budget attached to the shared folder (${run})`;

  const ilo = await signIn(browser, iloStaff);
  const htc = await signIn(browser, htcEditor);
  await openPlan(ilo.page);
  await openPlan(htc.page);
  const itemId = await nthCardId(ilo.page, 1);
  const iloComments = (await openDetails(ilo.page, itemId)).getByTestId('comments');
  const htcComments = (await openDetails(htc.page, itemId)).getByTestId('comments');
  const composer = iloComments.getByRole('textbox', { name: 'New comment' });

  // Nothing but spaces: refused before sending, with a message next to the composer.
  await composer.fill('   ');
  await iloComments.getByRole('button', { name: 'Send' }).click();
  await expect(iloComments.getByTestId('comment-composer').getByRole('alert')).toHaveText(
    'Write something before sending.',
  );

  await composer.fill(first);
  await composer.press('Control+Enter');
  const mine = iloComments.getByTestId('comment').filter({ hasText: first });
  await expect(htcComments.getByTestId('comment').filter({ hasText: first })).toBeVisible();
  // The editor may not edit or delete someone else's comment.
  await expect(
    htcComments.getByTestId('comment').filter({ hasText: first }).getByRole('button'),
  ).toHaveCount(0);

  // Edit: the others see the new text, marked as edited.
  await mine.getByRole('button', { name: 'Edit' }).click();
  const editor = iloComments.getByRole('textbox', { name: 'Edit your comment' });
  await editor.fill(edited);
  await editor.press('Control+Enter');
  const theirs = htcComments.getByTestId('comment').filter({ hasText: edited });
  await expect(theirs.getByTestId('comment-body')).toHaveText(edited);
  await expect(theirs).toContainText('(edited)');

  // Delete asks first: dismissing keeps it, accepting removes the text for everyone.
  const editedMine = iloComments.getByTestId('comment').filter({ hasText: edited });
  ilo.page.once('dialog', (dialog) => void dialog.dismiss());
  await editedMine.getByRole('button', { name: 'Delete' }).click();
  await expect(editedMine.getByTestId('comment-body')).toHaveText(edited);
  ilo.page.once('dialog', (dialog) => void dialog.accept());
  await editedMine.getByRole('button', { name: 'Delete' }).click();
  await expect(htcComments.getByText(edited)).toHaveCount(0);
  await expect(iloComments.getByText(edited)).toHaveCount(0);
  await expect(htcComments.getByText('This comment was deleted.').first()).toBeVisible();

  await Promise.all([ilo.context.close(), htc.context.close()]);
});
