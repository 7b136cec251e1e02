/**
 * Import and export, as people use them: the HTC editor imports a small CSV with one bad row,
 * sees that row's error, imports the good rows into a workstream the import creates, and the
 * NPIA editor's open board shows them live; the items CSV then downloads as UTF-8 with a BOM
 * holding the Chinese title; the report shows them in Chinese and prints without the app
 * around it; a calendar link made on the export page serves them until it is revoked.
 */
import { readFile } from 'node:fs/promises';

import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

import { htcEditor, npiaEditor, openPlan, planSlug, signIn } from './actors';

test('an editor imports a CSV, everyone sees the new activities, and the export holds them', async ({
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const workstream = `E2E import ${stamp}`;
  const chinese = `机器人培训 ${stamp}`;
  const khmer = `ការបណ្ដុះបណ្ដាលគ្រូ ${stamp}`;
  const csv = [
    'Activity,Workstream,Status,Lead organisation,Start,End,Progress',
    `${chinese},${workstream},In progress,HTC,2022-03-01,2022-03-31,40`,
    `Bad date ${stamp},${workstream},Planned,NPIA,2022-02-30,2022-03-31,0`,
    `"${khmer}",${workstream},计划中,npia,2022-04-01,2022-04-15,`,
  ].join('\r\n');

  const htc = await signIn(browser, htcEditor);
  const npia = await signIn(browser, npiaEditor);
  await openPlan(htc.page);
  await openPlan(npia.page);

  await htc.page.getByTestId('open-import').click();
  const dialog = htc.page.getByTestId('import-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('CSV file (UTF-8)').setInputFiles({
    name: 'activities.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('\uFEFF' + csv, 'utf8'),
  });

  // The workstream is new to the plan: every row waits for a choice, then the bad date remains.
  await expect(dialog.getByTestId('import-row')).toHaveCount(3);
  await expect(dialog.getByTestId('import-summary')).toHaveText('0 will be created, 3 with errors');
  await dialog.getByRole('combobox').selectOption({ label: `Create “${workstream}”` });
  await expect(dialog.getByTestId('import-summary')).toHaveText('2 will be created, 1 with errors');
  const bad = dialog.getByTestId('import-row').filter({ hasText: `Bad date ${stamp}` });
  await expect(bad.locator('td').first()).toHaveText('3');
  await expect(bad).toContainText('Start “2022-02-30” is not a date: use YYYY-MM-DD');

  await dialog.getByTestId('import-submit').click();
  await expect(dialog).toBeHidden();
  const notice = htc.page.getByTestId('imported-notice');
  await expect(notice).toContainText('2 activities imported.');

  // Live on the other editor's board, attributed and saved like any edit.
  for (const page of [htc.page, npia.page]) {
    await expect(page.getByTestId('item-card').filter({ hasText: chinese })).toBeVisible();
    await expect(page.getByTestId('item-card').filter({ hasText: khmer })).toBeVisible();
  }
  await expect(npia.page.getByText(`Bad date ${stamp}`)).toHaveCount(0);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();

  await htc.page.goto(`/plans/${planSlug}/export`);
  const downloading = htc.page.waitForEvent('download');
  await htc.page.getByRole('link', { name: 'Activities (CSV)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(
    new RegExp(`^${planSlug}-items-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
  );
  const bytes = await readFile(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  expect(text).toContain(`,${chinese},${workstream},In progress,HTC,2022-03-01,2022-03-31,40,`);
  expect(text).toContain(khmer);

  // The report in the language chosen on the export page; printed, only the report remains.
  await htc.page.getByTestId('export-language').selectOption('zh-CN');
  await htc.page.getByTestId('open-report').click();
  const row = htc.page.getByRole('row').filter({ hasText: chinese });
  await expect(row).toContainText('进行中');
  await expect(row).toContainText('40%');
  await htc.page.emulateMedia({ media: 'print' });
  await expect(htc.page.getByRole('navigation', { name: 'Plan pages' })).toBeHidden();
  await expect(htc.page.getByRole('button', { name: '打印' })).toBeHidden();
  await expect(htc.page.getByRole('heading', { level: 1 })).toBeVisible();
  await htc.page.emulateMedia({ media: 'screen' });

  // A calendar link, shown once: it serves the activities, and stops when revoked.
  await htc.page.goto(`/plans/${planSlug}/export`);
  await htc.page.getByRole('button', { name: 'Create a calendar link' }).click();
  const url = await htc.page.getByLabel(/^Web address/).inputValue();
  expect(url).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics\?lang=en$/);
  expect(await htc.page.getByLabel(/^For calendar apps/).inputValue()).toBe(
    url.replace(/^http:/, 'webcal:'),
  );
  // One quick axe check of the page, with the new link's panel open.
  const axe = await new AxeBuilder({ page: htc.page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    axe.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(' | ')}`,
      ),
  ).toEqual([]);
  const feed = await htc.page.request.get(url);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8');
  expect((await feed.text()).replace(/\r\n[ \t]/g, '')).toContain(`SUMMARY:${chinese}`);
  await htc.page
    .getByRole('button', { name: /^Revoke the calendar link/ })
    .first()
    .click();
  await expect(htc.page.getByText('The calendar link was revoked.')).toBeVisible();
  expect((await htc.page.request.get(url)).status()).toBe(404);

  await htc.context.close();
  await npia.context.close();
});
