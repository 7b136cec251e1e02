/**
 * The plan's views checked with axe (WCAG 2.1 A and AA rules): no serious or critical violation
 * for an editor (every control present) and a viewer (read-only), at a phone's width too, in the
 * checked languages (e2e-config.ts: Khmer in `npm test`, all three in the all-languages run).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

import { htcEditor, participant, planSlug, signIn, type Actor } from './actors';
import { checkedLocales } from './e2e-config';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(' | ')}`,
    );
}

async function openView(page: Page, query: string): Promise<void> {
  await page.goto(`/plans/${planSlug}${query}`);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online');
  // The views load on demand: check once the chosen one shows its activities.
  await expect(page.getByTestId(shownBy[query] ?? 'item-card').first()).toBeVisible();
}

/** Each view, and what it shows once it has loaded. */
const shownBy: Record<string, string> = {
  '': 'item-card',
  '?view=timeline': 'timeline-bar',
  '?view=table': 'table-row',
};
const views = Object.keys(shownBy);

for (const [actor, width] of [
  [htcEditor, 1400],
  [participant, 390],
] as Array<[Actor, number]>) {
  for (const locale of checkedLocales) {
    test(`no serious accessibility violation: ${actor.role}, ${locale}, ${width} px`, async ({
      browser,
    }) => {
      const { context, page } = await signIn(browser, actor, { locale });
      await page.setViewportSize({ width, height: 900 });
      const found: string[] = [];
      for (const view of views) {
        await openView(page, view);
        found.push(...(await seriousViolations(page)).map((line) => `${view || 'board'}: ${line}`));
      }
      // The card details over the board.
      await openView(page, '');
      await page.getByTestId('item-card').first().getByRole('heading').getByRole('button').click();
      // The comments close the panel and load last: check once their section is there.
      await expect(page.getByTestId('card-detail').getByTestId('comments')).toBeVisible();
      found.push(...(await seriousViolations(page)).map((line) => `details: ${line}`));
      expect(found).toEqual([]);
      await context.close();
    });
  }
}
