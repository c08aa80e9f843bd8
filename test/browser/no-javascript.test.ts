/**
 * With JavaScript disabled in Chromium, the pick page still works through its forms: search, Add, Remove, a poster of
 * the grid picked and unpicked, Save disabled below five picks, Save; then the quick 12, and the notify page, which
 * reloads itself until the 48,
 * whose familiar ↔ discover control and card reactions are forms; and the insights page, whose charts are drawn on the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  appInBrowser,
  assertAccessibleAsServed,
  assertClean,
  PIPELINE_WAIT_MS,
  screenshot,
  signUp,
} from '../support/browser.js';

const shared = appInBrowser({ javaScriptEnabled: false });

/**
 * A screenshot, and axe for the states only this test shows (the search results with their Add buttons, a refused
 * save); the other pages are the same HTML as with JavaScript on, which the other browser tests check.
 */
async function visit(page: Page, name: string, axe = false): Promise<void> {
  if (axe) await assertAccessibleAsServed(page, `no JavaScript ${name}`);
  await screenshot(page, `nojs-${name}`);
}

async function chips(page: Page): Promise<string[]> {
  return (await page.locator('#selection-list .chip-title').allTextContents()).map((t) => t.trim());
}

/** Searches with the form (a page load), then adds `title` with its Add button (another page load). */
async function searchAndAdd(page: Page, query: string, title: string): Promise<void> {
  const box = page.getByRole('searchbox', { name: 'Find a movie by its title' });
  await box.fill(query);
  await Promise.all([page.waitForURL((url) => url.searchParams.get('q') === query), box.press('Enter')]);
  await page.getByRole('heading', { name: `Matches for “${query}”` }).waitFor();
  const count = (await chips(page)).length;
  await Promise.all([page.waitForURL('**/picks?q=*'), page.getByRole('button', { name: `Add ${title}`, exact: true }).click()]);
  assert.equal((await chips(page))[count], title, `${title} is the newest chip`);
  // Back on the same search: the movie just added shows as picked, not addable again.
  const row = page.locator('.result-list li').filter({ hasText: title }).first();
  assert.equal(await row.locator('.picked-mark').textContent(), '✓ Picked');
}

test('without JavaScript: search, add, remove and save picks through forms; then quick 12 and the 48', { timeout: 240_000 }, async () => {
  const { page } = shared.session;
  assert.equal(await page.evaluate('1 + 1').catch(() => 'no scripts'), 2, 'the tests can still inspect the page');

  await signUp(page, 'NoScript');
  await page.goto('/picks');
  // No script ran: a plain search box, no type-ahead.
  assert.equal(await page.getByRole('combobox').count(), 0);
  assert.equal(await page.locator('#picker-listbox').count(), 0);

  await searchAndAdd(page, 'toy story', 'Toy Story (1995)');
  await visit(page, '01-picks-search', true);
  await searchAndAdd(page, 'heat', 'Heat (1995)');
  await searchAndAdd(page, 'jaws', 'Jaws (1975)');
  await searchAndAdd(page, 'star wars', 'Star Wars: Episode IV - A New Hope (1977)');

  // Four picks are not enough: Save is disabled with the reason next to it.
  assert.equal(await page.getByRole('button', { name: 'Save picks' }).isDisabled(), true);
  assert.equal(await page.locator('#save-reason').textContent(), 'Pick 1 more to save (at least 5).');
  assert.equal(await page.locator('#pick-count').textContent(), '4');
  await visit(page, '02-picks-too-few', true);

  // A poster of the grid picks with one press (a form) and comes back to the same page at its group; a second unpicks.
  const gump = () => page.getByRole('button', { name: 'Pick Forrest Gump (1994)' });
  await Promise.all([page.waitForURL(/\/picks\?q=star%20wars#group-popular$/), gump().click()]);
  assert.equal(await gump().getAttribute('aria-pressed'), 'true');
  assert.equal((await chips(page))[4], 'Forrest Gump (1994)');
  assert.equal(await page.getByRole('button', { name: 'Save picks' }).isDisabled(), false);
  await visit(page, '02b-picks-grid', true);
  await Promise.all([page.waitForURL(/\/picks\?q=star%20wars#group-popular$/), gump().click()]);
  assert.equal(await gump().getAttribute('aria-pressed'), 'false');
  assert.equal((await chips(page)).length, 4);

  await searchAndAdd(page, 'matrix', 'The Matrix (1999)');
  await searchAndAdd(page, 'fargo', 'Fargo (1996)');
  // Remove one: a form too.
  await Promise.all([page.waitForURL('**/picks?q=*'), page.getByRole('button', { name: 'Remove Heat (1995)' }).click()]);
  const picks = await chips(page);
  assert.deepEqual(picks, ['Toy Story (1995)', 'Jaws (1975)', 'Star Wars: Episode IV - A New Hope (1977)', 'The Matrix (1999)', 'Fargo (1996)']);
  assert.equal(await page.locator('#pick-count').textContent(), '5');
  await visit(page, '03-picks-five');

  const releaseTicks = await shared.app.holdTicks();
  try {
    await Promise.all([page.waitForURL('**/recommendations/quick'), page.getByRole('button', { name: 'Save picks' }).click()]);
    const quick = page.getByRole('list', { name: 'Quick recommendations' }).locator('.movie-card');
    assert.equal(await quick.count(), 12);
    for (const title of await quick.locator('.movie-title').allTextContents()) {
      assert.ok(!picks.some((pick) => title.includes(pick)), `${title} is a pick`);
    }
    await visit(page, '04-quick');

    // The notify page without its script: it says it updates itself, and does (below).
    await page.getByRole('link', { name: 'See my full recommendations' }).click();
    await page.locator('#notify[data-state="pending"]').waitFor();
    await visit(page, '05-notify');
  } finally {
    await releaseTicks();
  }
  // Nobody clicks: the page reloads itself (its <noscript> meta refresh) until the 48 are there.
  assert.ok(await page.getByText('This page updates itself').isVisible());
  await page.getByRole('heading', { name: 'Your recommendations', exact: true }).waitFor({ timeout: PIPELINE_WAIT_MS });
  assert.equal(await page.getByRole('list', { name: 'Recommendations' }).locator('.movie-card').count(), 48);
  await visit(page, '06-recommendations');

  // The familiar ↔ discover control is a form too: choose a step, Apply, and the page comes back with it chosen.
  const control = page.getByRole('group', { name: 'Familiar or new to you?' });
  assert.equal(await control.getByRole('radio', { name: 'Balanced' }).isChecked(), true, 'the default step');
  await control.getByRole('radio', { name: 'Discover' }).check();
  await Promise.all([page.waitForURL('**/recommendations'), page.getByRole('button', { name: 'Apply' }).click()]);
  await page.getByRole('heading', { name: 'Your recommendations', exact: true }).waitFor();
  assert.equal(await page.getByRole('group', { name: 'Familiar or new to you?' }).getByRole('radio', { name: 'Discover' }).isChecked(), true);
  assert.equal(await page.getByRole('list', { name: 'Recommendations' }).locator('.movie-card').count(), 48);
  await visit(page, '06b-recommendations-discovery', true);

  // A card's reactions are forms: "Seen it" opens its stars (a <details> disclosure), a star posts the rating.
  const first = ((await page.getByRole('list', { name: 'Recommendations' }).locator('.movie-title').first().textContent()) ?? '')
    .replace(/\s+/g, ' ').trim().replace(/^\d+\. /, '').replace(/ \(\d{4}\)$/, '');
  await page.locator('summary').filter({ hasText: `Seen it — ${first}` }).click();
  await Promise.all([page.waitForURL('**/recommendations'), page.getByRole('button', { name: `Seen it, 3 stars — ${first}`, exact: true }).click()]);
  await page.locator('.notice').filter({ hasText: `Marked “${first}” as seen (3 of 5 stars)` }).waitFor();
  assert.ok(!(await page.getByRole('list', { name: 'Recommendations' }).locator('.movie-title').allTextContents()).some((t) => t.includes(first)), 'the seen movie left the list');

  // The insights charts are drawn on the server: all there without a script.
  await page.goto('/insights');
  assert.equal(await page.locator('svg.chart[role="img"]').count(), 5);
  await visit(page, '07-insights', true);

  // The phone menu opens without a script (a <details> disclosure).
  await page.setViewportSize({ width: 390, height: 844 });
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);
  await page.locator('summary').filter({ hasText: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My recommendations' }).waitFor();
  await visit(page, '08-phone-menu');

  assertClean(shared.session);
});
