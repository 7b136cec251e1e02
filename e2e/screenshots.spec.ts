/**
 * Screenshots of every page in every language, written to e2e/screenshots/ for people to look
 * at. Each also checks that the page is in the language asked for.
 */
import { expect, test } from '@playwright/test';

import { htcEditor, participant, planSlug, signIn } from './actors';
import { checkedLocales, e2eBaseUrl } from './e2e-config';

const dir = 'e2e/screenshots';

for (const locale of checkedLocales) {
  test(`pages in ${locale}`, async ({ browser }) => {
    const visitor = await browser.newContext();
    await visitor.addCookies([{ name: 'coplan-locale', value: locale, url: e2eBaseUrl }]);
    const signInPage = await visitor.newPage();
    await signInPage.goto('/sign-in');
    await expect(signInPage.locator('html')).toHaveAttribute('lang', locale);
    await signInPage.screenshot({ path: `${dir}/${locale}-sign-in.png`, fullPage: true });
    await visitor.close();

    const editor = await signIn(browser, htcEditor, { locale });
    await editor.page.screenshot({ path: `${dir}/${locale}-my-plans.png`, fullPage: true });
    await editor.page.goto(`/plans/${planSlug}`);
    await expect(editor.page.getByTestId('connection-status')).toHaveAttribute(
      'data-status',
      'online',
    );
    await expect(editor.page.getByTestId('item-card').first()).toBeVisible();
    await editor.page.screenshot({ path: `${dir}/${locale}-board-editor.png`, fullPage: true });
    await editor.context.close();

    const viewer = await signIn(browser, participant, { locale });
    await viewer.page.setViewportSize({ width: 390, height: 844 });
    await viewer.page.goto(`/plans/${planSlug}`);
    await expect(viewer.page.getByTestId('read-only-notice')).toBeVisible();
    await expect(viewer.page.getByTestId('item-card').first()).toBeVisible();
    await viewer.page.screenshot({ path: `${dir}/${locale}-board-viewer-phone.png` });
    await viewer.context.close();
  });
}
