/**
 * Choosing without typing, at desktop (1366 × 900) and phone (390 × 844) sizes: six movies picked from the poster
 * grid (one tap each; a second tap unpicks), "More" appending a group's next page in place, the counter and Save
 * following, the draft surviving a visit to Best movies, then a movie's page opened from its title: tags, ratings,
 * "more like this", picked from there. Screenshots in artifacts/screenshots/grid-<size>-*.png; axe on every page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  appInBrowser,
  assertAccessible,
  assertClean,
  assertNoHorizontalScroll,
  openSession,
  screenshot,
  signUp,
} from '../support/browser.js';

const shared = appInBrowser();

const SIZES = [
  { name: 'desktop', viewport: { width: 1366, height: 900 }, touch: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, touch: true },
] as const;

async function check(page: Page, name: string): Promise<void> {
  await assertNoHorizontalScroll(page, name);
  await assertAccessible(page, name);
  await screenshot(page, name);
}

async function count(page: Page): Promise<string> {
  return ((await page.locator('#pick-count').textContent()) ?? '').trim();
}

for (const size of SIZES) {
  test(`${size.name}: six picks from the grid without typing, then a movie's page`, { timeout: 120_000 }, async () => {
    const session = await openSession(shared.browser, shared.app, { viewport: size.viewport, hasTouch: size.touch, isMobile: size.touch, deviceScaleFactor: 1 });
    const { page } = session;
    const press = (locator: ReturnType<Page['locator']>) => (size.touch ? locator.tap() : locator.click());
    const shot = (step: string) => check(page, `grid-${size.name}-${step}`);
    try {
      await signUp(page, `Grid_${size.name}`);
      await page.goto('/picks');
      assert.equal(await count(page), '0');
      assert.equal(await page.getByRole('button', { name: 'Save picks' }).isDisabled(), true);
      assert.equal(await page.locator('#save-reason').textContent(), 'Pick 5 more to save (at least 5).');
      await shot('01-picker');

      // Tap three posters of "Popular now"; a fourth tapped twice is picked, then unpicked.
      const tiles = page.locator('.pick-grid[data-group="popular"] .pick-poster');
      const pickNth = async (grid: string, n: number, expected: number) => {
        const poster = page.locator(`.pick-grid[data-group="${grid}"] .pick-poster`).nth(n);
        await press(poster);
        await page.locator('#pick-count').filter({ hasText: new RegExp(`^${expected}$`) }).waitFor();
        assert.equal(await poster.getAttribute('aria-pressed'), 'true');
      };
      await pickNth('popular', 0, 1);
      await pickNth('popular', 1, 2);
      await pickNth('popular', 2, 3);
      await press(tiles.nth(3));
      await page.locator('#pick-count').filter({ hasText: /^4$/ }).waitFor();
      await press(tiles.nth(3));
      await page.locator('#pick-count').filter({ hasText: /^3$/ }).waitFor();
      assert.equal(await tiles.nth(3).getAttribute('aria-pressed'), 'false');
      assert.equal(await page.locator('#save-reason').textContent(), 'Pick 2 more to save (at least 5).');
      await shot('02-three-picked');

      // The draft is kept while visiting Best movies.
      await page.goto('/best-movies');
      await page.goto('/picks');
      assert.equal(await count(page), '3');
      assert.equal(await page.locator('.pick-tile.is-picked').count(), 3);
      assert.equal(await page.getByRole('button', { name: 'Save picks' }).isDisabled(), true);

      // "More comedy movies": twelve more posters in place; pick from the new ones and from another genre.
      const comedy = page.locator('.pick-grid[data-group="comedy"] .pick-tile');
      assert.equal(await comedy.count(), 12);
      await press(page.getByRole('link', { name: 'More comedy movies' }));
      await comedy.nth(23).waitFor();
      assert.equal(new URL(page.url()).pathname, '/picks', 'no page load');
      await pickNth('comedy', 14, 4);
      await pickNth('sci-fi', 0, 5);
      assert.equal(await page.getByRole('button', { name: 'Save picks' }).isDisabled(), false);
      await pickNth('animation', 1, 6);
      assert.equal(await page.locator('#selection-list .chip').count(), 6);
      assert.equal(await page.locator('#save-reason').textContent(), 'Ready: save to see your recommendations.');
      await shot('03-six-picked');

      // The type-ahead marks a movie picked from the grid.
      const firstPick = ((await page.locator('#selection-list .chip-title').first().textContent()) ?? '').trim();
      await page.getByRole('combobox', { name: 'Find a movie by its title' }).fill(firstPick.replace(/ \(\d{4}\)$/, ''));
      const option = page.locator('#picker-listbox [role="option"]').filter({ hasText: firstPick }).first();
      await option.waitFor();
      assert.equal(await option.getAttribute('aria-disabled'), 'true');
      assert.match((await option.locator('.picked-mark').textContent()) ?? '', /Picked/);
      await page.keyboard.press('Escape');

      // A movie's page from a title in the grid.
      const title = page.locator('.pick-grid[data-group="popular"] .pick-title').first();
      const name = ((await title.textContent()) ?? '').replace(/\s+\d{4}$/, '').trim();
      await Promise.all([page.waitForURL(/\/movies\/\d+$/), press(title)]);
      await page.getByRole('heading', { level: 1, name: new RegExp(`^${name}`) }).waitFor();
      assert.match((await page.locator('.movie-rating').textContent()) ?? '', /out of 5/);
      assert.ok((await page.locator('.tags li').count()) > 0, 'MovieLens tags');
      assert.equal(await page.getByRole('list', { name: `More like ${name}` }).locator('.movie-card').count(), 12);
      assert.match((await page.locator('#pick-state').textContent()) ?? '', /In your picks\.\s+Your picks: 6 of at least 5\s+\(not saved yet\)/);
      await shot('04-movie-page');
      await press(page.getByRole('button', { name: 'Remove from my picks' }));
      await page.getByRole('button', { name: 'Pick this movie' }).waitFor();
      assert.match((await page.locator('#pick-state').textContent()) ?? '', /Your picks: 5 of at least 5/);

      await page.goto('/picks');
      assert.equal(await count(page), '5');
      await Promise.all([page.waitForURL('**/recommendations/quick'), press(page.getByRole('button', { name: 'Save picks' }))]);
      assertClean(session);
    } finally {
      await session.context.close();
    }
  });
}
