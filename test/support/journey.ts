/**
 * A new user's whole journey, as one module that the browser test (test/browser/first-visit-journey.test.ts) walks
 * at each size and that `npm run screenshots` runs: sign up, six picks from the poster grid without typing, a movie's
 * page and a pick from it, save, the quick 12, "not interested" and "seen it" with 4 stars (both replaced), a movie
 * reached through "more like this", the 48 with their reasons, log out, log in again back to the page asked for.
 * Every step checks the page (axe; on a phone also no sideways scroll and 44 px targets) and writes
 * artifacts/screenshots/journey-<size>-<nn>-<step>.png.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  assertAccessible,
  assertNoHorizontalScroll,
  assertTapTargets,
  openSession,
  PIPELINE_WAIT_MS,
  screenshot,
  screenshotDir,
  signUp,
  type RunningApp,
} from './browser.js';

export interface JourneySize {
  readonly name: 'desktop' | 'phone';
  readonly viewport: { readonly width: number; readonly height: number };
  /** A touch screen: taps instead of clicks, and the phone's checks. */
  readonly touch: boolean;
}

export const JOURNEY_SIZES: readonly JourneySize[] = [
  { name: 'desktop', viewport: { width: 1366, height: 900 }, touch: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, touch: true },
];

/** One screenshot the journey wrote: its file name (without .png) and the page's full height in CSS pixels. */
export interface JourneyShot {
  readonly name: string;
  readonly height: number;
}

const PASSWORD = 'a long passphrase';
/** The picker's groups the six grid picks come from, in order (a movie already picked in an earlier group is skipped). */
const GRID_PICKS = ['popular', 'popular', 'comedy', 'sci-fi', 'animation', 'drama'] as const;

/** A card title as the cards' buttons name the movie: no rank, no year. */
const bareTitle = (text: string) => text.replace(/\s+/g, ' ').trim().replace(/^\d+\. /, '').replace(/ \(\d{4}\)$/, '');

async function titles(page: Page, list: string): Promise<string[]> {
  return (await page.getByRole('list', { name: list, exact: true }).locator('.movie-title').allTextContents()).map(bareTitle);
}

async function pickCount(page: Page): Promise<string> {
  return ((await page.locator('#pick-count').textContent()) ?? '').trim();
}

/**
 * Walks the journey in a fresh browser context of `size` as a new user named after the size; returns the screenshots
 * written. The page must log no error and ask for nothing off 127.0.0.1 (the caller's assertClean checks it).
 */
export async function walkJourney(browser: Browser, app: RunningApp, size: JourneySize): Promise<JourneyShot[]> {
  const session = await openSession(browser, app, { viewport: size.viewport, hasTouch: size.touch, isMobile: size.touch, deviceScaleFactor: 1 });
  const { page } = session;
  const shots: JourneyShot[] = [];
  const press = (target: Locator) => (size.touch ? target.tap() : target.click());
  let step = 0;
  /** Checks the page and writes its screenshot: the whole page, or what the screen shows now (viewportOnly). */
  const look = async (what: string, { viewportOnly = false } = {}) => {
    const name = `journey-${size.name}-${String(++step).padStart(2, '0')}-${what}`;
    if (size.touch) {
      await assertNoHorizontalScroll(page, name);
      await assertTapTargets(page, name);
    }
    await assertAccessible(page, name);
    if (viewportOnly) await page.screenshot({ path: join(screenshotDir, `${name}.png`), animations: 'disabled' });
    else await screenshot(page, name);
    shots.push({ name, height: viewportOnly ? size.viewport.height : await page.evaluate<number>('document.documentElement.scrollHeight') });
  };
  try {
    // Sign up: a new account lands on the picker.
    const username = `Journey_${size.name}`;
    await page.goto('/signup');
    await look('signup');
    await signUp(page, username, PASSWORD);
    await page.getByText(`Welcome to MovieHunter, ${username}!`).waitFor();
    assert.equal(await pickCount(page), '0');
    assert.equal(await page.getByRole('button', { name: 'Save picks' }).isDisabled(), true);
    await look('picker');

    // Six picks from the poster grid, one tap each, no typing.
    for (const [i, group] of GRID_PICKS.entries()) {
      const poster = page.locator(`.pick-grid[data-group="${group}"] .pick-tile:not(.is-picked) .pick-poster`).first();
      await press(poster);
      await page.locator('#pick-count').filter({ hasText: new RegExp(`^${i + 1}$`) }).waitFor();
    }
    // Scrolled down to the last group tapped, the count and Save are still in view.
    const bar = await page.locator('#picks-form').boundingBox();
    assert.ok(bar && bar.y >= 0 && bar.y + bar.height <= size.viewport.height, `the save bar is in view while picking (${JSON.stringify(bar)})`);
    assert.ok((await page.evaluate<number>('window.scrollY')) > 0, 'the grid was scrolled');
    await look('picking', { viewportOnly: true });
    assert.equal(await page.locator('.pick-tile.is-picked').count() >= 6, true);
    assert.equal(await page.locator('#selection-list .chip').count(), 6);
    assert.equal(await page.locator('#save-reason').textContent(), 'Ready: save to see your recommendations.');
    await look('six-picked');

    // A movie's page from an unpicked poster's title, and a pick from there.
    const tile = page.locator('.pick-grid[data-group="popular"] .pick-tile:not(.is-picked)').first();
    const movieName = ((await tile.locator('.pick-title').textContent()) ?? '').trim();
    await Promise.all([page.waitForURL(/\/movies\/\d+$/), press(tile.locator('.pick-title'))]);
    await page.getByRole('heading', { level: 1, name: new RegExp(`^${movieName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).waitFor();
    assert.equal(await page.getByRole('list', { name: `More like ${movieName}`, exact: true }).locator('.movie-card').count(), 12);
    await look('movie-page');
    await Promise.all([page.waitForURL(/\/movies\/\d+$/), press(page.getByRole('button', { name: 'Pick this movie' }))]);
    await page.getByRole('button', { name: 'Remove from my picks' }).waitFor();
    assert.match((await page.locator('#pick-state').textContent()) ?? '', /In your picks\.\s+Your picks: 7 of at least 5\s+\(not saved yet\)/);
    await look('movie-picked');

    // Save the seven: the quick 12 at once.
    await Promise.all([page.waitForURL('**/picks'), press(page.getByRole('link', { name: 'Your picks: 7 of at least 5' }))]);
    assert.equal(await pickCount(page), '7');
    assert.ok((await page.locator('#selection-list .chip-title').allTextContents()).some((t) => t.trim().startsWith(movieName)));
    await Promise.all([page.waitForURL('**/recommendations/quick'), press(page.getByRole('button', { name: 'Save picks' }))]);
    await page.getByText('Your picks are saved.').waitFor();
    const quick = await titles(page, 'Quick recommendations');
    assert.equal(quick.length, 12);
    await look('quick');

    // "Seen it" opens its stars over the card; the fourth gives 4 stars. Then "not interested" in another.
    const [dismissed, seen] = quick;
    await press(page.locator('summary').filter({ hasText: `Seen it — ${seen}` }));
    const fourStars = page.getByRole('button', { name: `Seen it, 4 stars — ${seen}`, exact: true });
    await fourStars.waitFor();
    await look('seen-it-stars');
    // Each reaction is a form post that comes back to the same address: its notice says it has landed.
    await press(fourStars);
    await page.locator('.notice').filter({ hasText: `Marked “${seen}” as seen (4 of 5 stars)` }).waitFor();
    await press(page.getByRole('button', { name: `Not interested in ${dismissed}`, exact: true }));
    await page.locator('.notice').filter({ hasText: `“${dismissed}” will not be recommended to you again.` }).waitFor();
    const after = await titles(page, 'Quick recommendations');
    // Both gone and replaced: still twelve (the re-ranking may reorder the rest around the newcomers).
    assert.equal(after.length, 12, 'still twelve');
    assert.equal(new Set(after).size, 12);
    assert.ok(!after.includes(dismissed) && !after.includes(seen), 'both reacted movies are gone');
    await look('quick-after-reactions');

    // A recommended movie's page says why; "more like this" leads on to another movie.
    const recommended = after[0];
    await Promise.all([page.waitForURL(/\/movies\/\d+$/), press(page.getByRole('list', { name: 'Quick recommendations', exact: true }).locator('.card-link').first())]);
    await page.locator('.because').filter({ hasText: 'Recommended for you because you picked' }).waitFor();
    await look('recommended-movie');
    const similar = page.getByRole('list', { name: `More like ${recommended}`, exact: true }).locator('.card-link').first();
    const similarName = bareTitle((await similar.textContent()) ?? '');
    await Promise.all([page.waitForURL(/\/movies\/\d+$/), press(similar)]);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: similarName }).waitFor();
    await look('more-like-this');

    // The 48: the notify page turns into them by itself once the engine's run is in; each says why.
    await page.goto('/recommendations');
    await page.getByRole('heading', { name: 'Your recommendations', exact: true }).waitFor({ timeout: PIPELINE_WAIT_MS });
    const list = page.getByRole('list', { name: 'Recommendations', exact: true });
    const the48 = await titles(page, 'Recommendations');
    assert.equal(the48.length, 48);
    assert.equal(new Set(the48).size, 48);
    assert.equal(await list.locator('.because').filter({ hasText: /^Because you picked \S/ }).count(), 48, 'each of the 48 says why');
    assert.ok(!the48.includes(dismissed) && !the48.includes(seen), 'neither reacted movie is among the 48');
    await look('recommendations');

    // Log out; a page that needs an account asks to log in and comes back to it.
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), press(page.getByRole('button', { name: 'Log out' }))]);
    await page.getByText('You are logged out.').waitFor();
    await look('logged-out');
    await page.goto('/recommendations');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.getByText('Log in to continue').waitFor();
    await look('login');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname === '/recommendations'), press(page.getByRole('button', { name: 'Log in' }))]);
    await page.getByRole('heading', { name: 'Your recommendations', exact: true }).waitFor();
    assert.equal(await list.locator('.movie-card').count(), 48);
    await look('back-after-login');

    assert.deepEqual(session.offsite, [], 'the pages asked for something that is not on 127.0.0.1');
    assert.deepEqual(session.pageErrors, [], 'the pages logged errors');
    return shots;
  } finally {
    await session.context.close();
  }
}
