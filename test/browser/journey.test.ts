/**
 * A new user's whole journey in Chromium, against the real app: sign up, pick five movies with the keyboard in the
 * type-ahead, see 12 quick recommendations, wait on the notify page until it turns into 48 by itself, change picks,
 * browse the best movies by genre, log out. axe-core checks every page; every page is saved as a screenshot.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  appInBrowser,
  assertAccessible,
  assertClean,
  PIPELINE_WAIT_MS,
  screenshot,
  signUp,
} from '../support/browser.js';

const shared = appInBrowser({});

/** Checks the page (axe) and saves its screenshot. */
async function visit(page: Page, name: string): Promise<void> {
  await assertAccessible(page, name);
  await screenshot(page, name);
}

/** The titles of the cards in the list named `label`, in order. */
async function cardTitles(page: Page, label: string): Promise<string[]> {
  const titles = await page.getByRole('list', { name: label, exact: true }).locator('.movie-title').allTextContents();
  return titles.map((t) => t.replace(/\s+/g, ' ').replace(/^\d+\. /, '').trim());
}

/** The focused element shows a focus ring: a solid outline at least 2 px wide. */
async function assertFocusRing(page: Page): Promise<void> {
  const outline = await page.evaluate<string>(`(() => {
    const style = getComputedStyle(document.activeElement);
    return style.outlineStyle + ' ' + style.outlineWidth;
  })()`);
  assert.match(outline, /^solid ([2-9]|\d\d)/, 'a visible focus ring');
}

/** The picks shown as chips, in order. */
async function chips(page: Page): Promise<string[]> {
  return (await page.locator('#selection-list .chip-title').allTextContents()).map((t) => t.trim());
}

/**
 * Types `query` into the type-ahead, moves down its options with ↓ until `label` is the active one, adds it with
 * Enter: the keyboard only, as a user without a mouse does.
 */
async function pickWithKeyboard(page: Page, query: string, label: string, shot?: string): Promise<void> {
  const input = page.getByRole('combobox', { name: 'Find a movie by its title' });
  await input.focus();
  await assertFocusRing(page);
  await input.pressSequentially(query);
  const option = page.locator('#picker-listbox [role="option"]').filter({ hasText: label }).first();
  await option.waitFor({ state: 'visible' });
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  for (let i = 0; i < 10 && (await option.getAttribute('aria-selected')) !== 'true'; i++) await page.keyboard.press('ArrowDown');
  assert.equal(await option.getAttribute('aria-selected'), 'true', `${label} is never the active option`);
  assert.equal(await input.getAttribute('aria-activedescendant'), await option.getAttribute('id'));
  if (shot) await visit(page, shot); // the open list, its active option highlighted
  const before = (await chips(page)).length;
  await page.keyboard.press('Enter');
  await page.locator('#selection-list .chip-title').nth(before).waitFor();
  assert.equal((await chips(page))[before], label);
  assert.equal(await page.locator('#pick-count').textContent(), String(before + 1));
  assert.equal(await input.inputValue(), '', 'the search box is cleared for the next pick');
  assert.ok(await input.evaluate((el) => el === el.ownerDocument.activeElement), 'the focus stays in the search box');
}

/** Saves the picks (keyboard: Enter on the button) and lands on the quick recommendations. */
async function savePicks(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Save picks' }).focus();
  await Promise.all([page.waitForURL('**/recommendations/quick'), page.keyboard.press('Enter')]);
}

/** On the notify page: waits until it turns into the 48 recommendations by itself (no navigation by the test). */
async function waitForRecommendations(page: Page): Promise<string[]> {
  await page.getByRole('heading', { name: 'Your recommendations', exact: true }).waitFor({ timeout: PIPELINE_WAIT_MS });
  assert.equal(new URL(page.url()).pathname, '/recommendations');
  const titles = await cardTitles(page, 'Recommendations');
  assert.equal(titles.length, 48);
  assert.equal(new Set(titles).size, 48);
  return titles;
}

test('sign up, pick with the keyboard, quick 12, notify → 48, change picks, best movies by genre, log out', { timeout: 90_000 }, async () => {
  const { page } = shared.session;

  // The home page, logged out.
  await page.goto('/');
  await page.getByRole('heading', { name: 'Find your next favourite movie' }).waitFor();
  await visit(page, '01-home');

  // Keyboard users see where they are: the first Tab shows the skip link, with a focus ring.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  assert.ok(await skip.evaluate((el) => el === el.ownerDocument.activeElement));
  const box = await skip.boundingBox();
  assert.ok(box && box.x >= 0 && box.y >= 0, 'the focused skip link is on screen');
  await assertFocusRing(page);

  // Sign up.
  await page.getByRole('banner').getByRole('link', { name: 'Sign up' }).click();
  await page.waitForURL('**/signup');
  await visit(page, '02-signup');
  // Sign-up leads straight to the picker.
  await signUp(page, 'Journey');
  await page.getByText('Welcome to MovieHunter, Journey!').waitFor();
  assert.equal(new URL(page.url()).pathname, '/picks');
  await page.goto('/');
  assert.equal(await page.locator('.user-state').getAttribute('data-state'), 'none');
  assert.equal(await page.getByRole('link', { name: 'Pick your movies' }).getAttribute('href'), '/picks');
  assert.equal(await page.getByRole('banner').locator('.username').textContent(), 'Journey');
  await visit(page, '03-home-signed-up');

  // Pick five movies with the keyboard.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pick movies' }).click();
  await page.waitForURL('**/picks');
  await page.getByText('Nothing picked yet.').waitFor();
  await visit(page, '04-picks-empty');
  await pickWithKeyboard(page, 'toy story', 'Toy Story (1995)');
  await pickWithKeyboard(page, 'heat', 'Heat (1995)');
  await pickWithKeyboard(page, 'star wars', 'Star Wars: Episode IV - A New Hope (1977)', '05-picks-type-ahead');
  await pickWithKeyboard(page, 'raiders', 'Raiders of the Lost Ark (1981)');
  await pickWithKeyboard(page, 'matrix', 'The Matrix (1999)');
  const firstPicks = await chips(page);
  assert.equal(firstPicks.length, 5);
  assert.ok(await page.getByText('Nothing picked yet.').isHidden());
  await visit(page, '06-picks-five');

  // Save (another instance's tick holds the lease meanwhile, so the run waits while the test looks at the pages).
  let releaseTicks = await shared.app.holdTicks();
  await savePicks(page);
  await page.getByText('Your picks are saved.').waitFor();
  // The 12 quick recommendations at once, none of them a pick, each explained by a pick.
  const quick = await cardTitles(page, 'Quick recommendations');
  assert.equal(quick.length, 12);
  for (const title of quick) assert.ok(!firstPicks.includes(title), `${title} is a pick`);
  const becauses = await page.locator('.because strong').allTextContents();
  assert.equal(becauses.length, 12);
  for (const because of becauses) assert.ok(firstPicks.some((pick) => pick.startsWith(because)), `because ${because}: not a pick`);
  await visit(page, '07-quick');

  // The full recommendations are not ready yet: the notify page, which turns into the 48 by itself.
  await page.getByRole('link', { name: 'See my full recommendations' }).click();
  await page.waitForURL('**/recommendations');
  assert.equal(await page.locator('#notify').getAttribute('data-state'), 'pending');
  await page.getByRole('status').filter({ hasText: 'You are next in the queue.' }).waitFor();
  await visit(page, '08-notify');
  await releaseTicks();
  const first = await waitForRecommendations(page);
  for (const title of first) assert.ok(!firstPicks.includes(title), `${title} is a pick`);
  await visit(page, '09-recommendations');

  // Change picks: remove two (keyboard: Enter on their Remove buttons), add two horror movies.
  await page.getByRole('link', { name: 'Change my picks' }).click();
  await page.waitForURL('**/picks');
  assert.deepEqual(await chips(page), firstPicks, 'the saved picks are the selection');
  for (const title of ['Heat (1995)', 'Toy Story (1995)']) {
    await page.getByRole('button', { name: `Remove ${title}` }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: `Remove ${title}` }).waitFor({ state: 'detached' });
  }
  assert.equal(await page.locator('#pick-count').textContent(), '3');
  await pickWithKeyboard(page, 'shining', 'The Shining (1980)');
  await pickWithKeyboard(page, 'exorcist', 'The Exorcist (1973)');
  const secondPicks = await chips(page);
  assert.deepEqual(secondPicks, [...firstPicks.slice(2), 'The Shining (1980)', 'The Exorcist (1973)']);
  await visit(page, '10-picks-changed');
  releaseTicks = await shared.app.holdTicks();
  await savePicks(page);
  const quickAgain = await cardTitles(page, 'Quick recommendations');
  assert.equal(quickAgain.length, 12);
  assert.notDeepEqual(quickAgain, quick, 'new picks, new quick recommendations');
  for (const title of quickAgain) assert.ok(!secondPicks.includes(title), `${title} is a pick`);
  // The 48 for the old picks are gone at once: the notify page again, until the new ones arrive by themselves.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My recommendations' }).click();
  await page.waitForURL('**/recommendations');
  assert.equal(await page.locator('#notify').getAttribute('data-state'), 'pending');
  await releaseTicks();
  const second = await waitForRecommendations(page);
  for (const title of second) assert.ok(!secondPicks.includes(title), `${title} is a pick`);
  assert.notDeepEqual(second, first);

  // The best movies, then the best horror movies (the filter is a plain GET form).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Best movies' }).click();
  await page.waitForURL('**/best-movies');
  assert.equal(await page.getByRole('link', { name: 'Best movies' }).getAttribute('aria-current'), 'page');
  const best = await cardTitles(page, 'Best movies');
  assert.equal(best.length, 48);
  assert.ok((await cardTitles(page, 'Movies to skip')).length > 0);
  await visit(page, '11-best-movies');
  await page.getByLabel('Genre').selectOption('Horror');
  await Promise.all([page.waitForURL('**/best-movies?genre=Horror'), page.getByRole('button', { name: 'Show' }).click()]);
  await page.getByRole('heading', { name: 'The best Horror movies' }).waitFor();
  assert.equal(await page.getByLabel('Genre').inputValue(), 'Horror', 'the filter shows the genre chosen');
  const horror = page.getByRole('list', { name: 'Best movies', exact: true }).locator('.genres');
  assert.ok((await horror.count()) > 0);
  for (const genres of await horror.allTextContents()) assert.match(genres, /Horror/);
  assert.notDeepEqual(await cardTitles(page, 'Best movies'), best);
  await visit(page, '12-best-movies-horror');

  // Log out: back home, logged out, and the pages that need an account ask for one.
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.getByRole('button', { name: 'Log out' }).click()]);
  await page.getByText('You are logged out.').waitFor();
  assert.ok(await page.getByRole('banner').getByRole('link', { name: 'Log in' }).isVisible());
  await visit(page, '13-logged-out');
  await page.goto('/recommendations');
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  await page.getByText('Log in to continue').waitFor();
  await visit(page, '14-login');
  // Logging in comes back to the page asked for.
  await page.getByLabel('Username').fill('Journey');
  await page.getByLabel('Password').fill('a long passphrase');
  await Promise.all([page.waitForURL((url) => url.pathname === '/recommendations'), page.getByRole('button', { name: 'Log in' }).click()]);
  await page.getByRole('heading', { name: 'Your recommendations', exact: true }).waitFor();
  // Home leads with the 48 now, and its main button goes to them.
  await page.goto('/');
  assert.equal(await page.getByRole('list', { name: 'Your top recommendations' }).locator('.movie-card').count(), 12);
  assert.equal(await page.getByRole('link', { name: 'See all 48 recommendations' }).getAttribute('href'), '/recommendations');
  await visit(page, '15-home-with-recommendations');
  // A logged-in user asking for the log-in page is sent home.
  await page.goto('/login');
  assert.equal(new URL(page.url()).pathname, '/');

  assertClean(shared.session);
});
