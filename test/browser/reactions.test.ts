/**
 * Reacting to recommendations in Chromium at desktop and phone sizes: "Not interested", "Seen it" with 4 stars and
 * the watchlist on the quick 12, each movie replaced at once; the watchlist page; the 48 without the reacted movies.
 * axe on each page, screenshots in artifacts/screenshots/reactions-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  appInBrowser,
  assertAccessible,
  assertClean,
  assertNoHorizontalScroll,
  PIPELINE_WAIT_MS,
  screenshot,
  signUp,
} from '../support/browser.js';

const DESKTOP_SIZE = { width: 1366, height: 900 } as const;
const PHONE_SIZE = { width: 390, height: 844 } as const;
/** Toy Story, Jumanji, Heat, GoldenEye, Braveheart. */
const PICKS = [1, 2, 6, 10, 110];

const shared = appInBrowser({ viewport: DESKTOP_SIZE });

async function titles(page: Page, label: string): Promise<string[]> {
  const all = await page.getByRole('list', { name: label, exact: true }).locator('.movie-title').allTextContents();
  return all.map((t) => t.replace(/\s+/g, ' ').trim().replace(/^\d+\. /, '').replace(/ \(\d{4}\)$/, ''));
}

/** Presses a card's button (a form post) and waits for the page it comes back to. */
async function press(page: Page, name: string, path: string): Promise<void> {
  await Promise.all([page.waitForURL(`**${path}`), page.getByRole('button', { name, exact: true }).click()]);
}

test('react on the quick 12 (replaced at once), keep a watchlist, and the 48 come without the dismissed and seen movies', { timeout: 180_000 }, async () => {
  const page = shared.session.page;
  await signUp(page, 'reactor');
  const saved = await page.evaluate(async (movieIds) => {
    const { csrfToken } = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
    const res = await fetch('/api/v1/me/picks', { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken }, body: JSON.stringify({ movieIds }) });
    return res.status;
  }, PICKS);
  assert.equal(saved, 200);

  await page.goto('/recommendations/quick');
  const before12 = await titles(page, 'Quick recommendations');
  assert.equal(before12.length, 12);
  await assertAccessible(page, 'quick recommendations with reactions');
  await screenshot(page, 'reactions-01-quick-desktop');

  await press(page, `Not interested in ${before12[0]}`, '/recommendations/quick');
  assert.match(await page.locator('.notice').first().textContent() ?? '', /will not be recommended to you again/);
  const after1 = await titles(page, 'Quick recommendations');
  assert.equal(after1.length, 12);
  assert.ok(!after1.includes(before12[0]));

  // "Seen it" opens its star rating; the fourth star says seen, 4 stars.
  await page.locator('summary').filter({ hasText: `Seen it — ${before12[1]}` }).click();
  await press(page, `Seen it, 4 stars — ${before12[1]}`, '/recommendations/quick');
  const after2 = await titles(page, 'Quick recommendations');
  assert.equal(after2.length, 12);
  assert.ok(!after2.includes(before12[1]));

  await press(page, `Add ${before12[2]} to watchlist`, '/recommendations/quick');
  await page.getByRole('button', { name: `On watchlist — remove ${before12[2]}`, exact: true }).waitFor();
  await screenshot(page, 'reactions-02-quick-after-desktop');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Watchlist' }).click();
  await page.waitForURL('**/watchlist');
  assert.deepEqual(await titles(page, 'Watchlist'), [before12[2]]);
  await assertAccessible(page, 'watchlist');
  await screenshot(page, 'reactions-03-watchlist-desktop');

  // The next run learns the reactions; until then and after it the 48 never show the two movies.
  const deadline = Date.now() + PIPELINE_WAIT_MS * 3;
  await page.goto('/recommendations');
  while (!(await page.getByRole('list', { name: 'Recommendations', exact: true }).isVisible())) {
    assert.ok(Date.now() < deadline, 'the 48 never came');
    await page.waitForTimeout(500);
    await page.goto('/recommendations');
  }
  const the48 = await titles(page, 'Recommendations');
  assert.equal(the48.length, 48);
  assert.ok(!the48.includes(before12[0]) && !the48.includes(before12[1]));
  await assertAccessible(page, 'the 48 with reactions');
  await screenshot(page, 'reactions-04-full-desktop');

  await page.setViewportSize(PHONE_SIZE);
  await page.goto('/recommendations/quick');
  await assertNoHorizontalScroll(page, 'quick recommendations on a phone');
  await assertAccessible(page, 'quick recommendations on a phone');
  await screenshot(page, 'reactions-05-quick-phone');
  await page.goto('/watchlist');
  await assertNoHorizontalScroll(page, 'watchlist on a phone');
  await screenshot(page, 'reactions-06-watchlist-phone');
  assertClean(shared.session);
});
