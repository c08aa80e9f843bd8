/**
 * Every page on a phone-sized screen (360 × 740, touch): nothing scrolls sideways, axe-core finds no serious
 * violation, and each is saved as a screenshot. On the way, the picker's Add buttons work by touch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  appInBrowser,
  assertAccessible,
  assertClean,
  assertNoHorizontalScroll,
  assertTapTargets,
  PHONE,
  PIPELINE_WAIT_MS,
  screenshot,
  signUp,
} from '../support/browser.js';

const shared = appInBrowser({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });

/** The page fits the phone, its targets are big enough, it passes axe, and is saved as phone-<name>.png. */
async function check(page: Page, name: string): Promise<void> {
  await assertNoHorizontalScroll(page, name);
  await assertTapTargets(page, name);
  await assertAccessible(page, `phone ${name}`);
  await screenshot(page, `phone-${name}`);
}

test('on a phone, no page scrolls sideways and none has a serious accessibility problem', { timeout: 90_000 }, async () => {
  const { page } = shared.session;

  await page.goto('/');
  await check(page, '01-home');
  // The navigation is folded into a Menu button, one row of header; a tap opens it, another closes it.
  const header = await page.getByRole('banner').boundingBox();
  assert.ok(header && header.height <= 64, `the header is one row (${header?.height} px)`);
  const menuNav = page.getByRole('navigation', { name: 'Main' });
  assert.equal(await menuNav.count(), 0, 'the navigation is folded away');
  await page.locator('summary').filter({ hasText: 'Menu' }).tap();
  await menuNav.getByRole('link', { name: 'Best movies' }).waitFor();
  await check(page, '01-home-menu-open');
  await page.locator('summary').filter({ hasText: 'Menu' }).tap();
  await menuNav.waitFor({ state: 'hidden' });
  await page.goto('/signup');
  await page.getByRole('button', { name: 'Create account' }).tap();
  await page.locator('.field-invalid').first().waitFor();
  await check(page, '02-signup-errors');
  await page.goto('/login');
  await check(page, '03-login');

  await signUp(page, 'Phone_User_With_A_Long_Name');
  await page.goto('/');
  await check(page, '04-home-signed-up');

  // The picker: the long titles and other names of the matches and the chips must wrap, not widen the page.
  await page.goto('/picks?q=raiders');
  await page.getByRole('button', { name: /^Add Raiders of the Lost Ark \(1981\)/ }).tap();
  await page.locator('#selection-list .chip').first().waitFor();
  // The row says "Picked" now; removing the chip brings its Add button back.
  const raiders = page.locator('.result-list li').filter({ hasText: 'Indiana Jones and the Raiders of the Lost Ark' });
  assert.equal(await raiders.locator('.picked-mark').textContent(), '✓ Picked');
  assert.equal(await raiders.getByRole('button').count(), 0);
  // Each change is posted to the draft first: wait for the page to show the answer.
  await page.getByRole('button', { name: /^Remove Raiders of the Lost Ark \(1981\)/ }).tap();
  await page.locator('#pick-count').filter({ hasText: /^0$/ }).waitFor();
  await raiders.getByRole('button', { name: /^Add Raiders of the Lost Ark \(1981\)/ }).tap();
  await page.locator('#pick-count').filter({ hasText: /^1$/ }).waitFor();
  for (const [query, title] of [
    ['star wars', 'Star Wars: Episode IV - A New Hope (1977)'],
    ['dr. strangelove', 'Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb (1964)'],
    ['toy story', 'Toy Story (1995)'],
    ['heat', 'Heat (1995)'],
  ] as const) {
    const input = page.getByRole('combobox', { name: 'Find a movie by its title' });
    await input.fill(query);
    const option = page.locator('#picker-listbox [role="option"]').filter({ hasText: title }).first();
    await option.waitFor();
    if (query === 'dr. strangelove') await check(page, '05-picks-type-ahead');
    await option.tap();
    await page.locator('#selection-list .chip-title').filter({ hasText: title }).waitFor();
  }
  assert.equal(await page.locator('#pick-count').textContent(), '5');
  await check(page, '06-picks-five');

  const releaseTicks = await shared.app.holdTicks();
  try {
    await Promise.all([page.waitForURL('**/recommendations/quick'), page.getByRole('button', { name: 'Save picks' }).tap()]);
    assert.equal(await page.locator('.movie-card').count(), 12);
    await check(page, '07-quick');
    await page.goto('/recommendations');
    await page.locator('#notify[data-state="pending"]').waitFor();
    await check(page, '08-notify');
  } finally {
    await releaseTicks();
  }
  await page.getByRole('heading', { name: 'Your recommendations', exact: true }).waitFor({ timeout: PIPELINE_WAIT_MS });
  assert.equal(await page.locator('.movie-card').count(), 48);
  await check(page, '09-recommendations');

  await page.goto('/best-movies?genre=Film-Noir');
  await page.getByRole('heading', { name: 'The best Film-Noir movies' }).waitFor();
  await check(page, '10-best-movies-genre');
  await page.goto('/best-movies?genre=Nonsense');
  await page.locator('#genre-error').waitFor();
  await check(page, '11-best-movies-unknown-genre');
  await page.goto('/no-such-page');
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await check(page, '12-not-found');

  assertClean(shared.session);
});
