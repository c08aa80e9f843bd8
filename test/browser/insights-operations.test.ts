/**
 * The insights page (public) and the operations page (admins) in Chromium, on a desktop and on a phone: every chart
 * is an image with a name and a description, its numbers open as a table, nothing scrolls sideways, axe finds no
 * serious violation, and each state is saved as a screenshot. The admin saves picks through the API first, so the
 * operations page shows a finished run and the loss of the model it trained; a user who is not an admin gets 403.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  assertAccessible,
  assertClean,
  assertNoHorizontalScroll,
  HOOK_TIMEOUT,
  launchChromium,
  openSession,
  PHONE,
  PIPELINE_WAIT_MS,
  screenshot,
  signUp,
  startApp,
  type RunningApp,
  type Session,
} from '../support/browser.js';

const ADMIN = 'Ops_Admin';
const PASSWORD = 'a long passphrase';

let app: RunningApp | undefined;
let browser: Browser | undefined;
const sessions: Session[] = [];

before(async () => {
  app = await startApp();
  browser = await launchChromium();
}, HOOK_TIMEOUT);

after(async () => {
  for (const session of sessions) await session.context.close();
  await browser?.close();
  await app?.close();
}, HOOK_TIMEOUT);

async function session(options: Parameters<typeof openSession>[2] = {}): Promise<Session> {
  const opened = await openSession(browser!, app!, options);
  sessions.push(opened);
  return opened;
}

async function check(page: Page, name: string, phone: boolean): Promise<void> {
  if (phone) await assertNoHorizontalScroll(page, name);
  await assertAccessible(page, name);
  await screenshot(page, name);
}

/** The insights page: five charts, each an image named by its title; the numbers of one open as a table. */
async function visitInsights(page: Page, name: string, phone: boolean): Promise<void> {
  await page.goto('/insights');
  await page.getByRole('heading', { name: 'Insights', level: 1 }).waitFor();
  const charts = page.locator('svg.chart[role="img"]');
  assert.equal(await charts.count(), 5);
  for (const title of [
    'Number of ratings by stars given',
    'Number of ratings against average rating, per movie',
    'Number of ratings per genre',
    'Average rating per genre by release decade',
    'The 15 most-rated movies',
  ]) {
    assert.equal(await page.getByRole('img', { name: title, exact: true }).count(), 1, `an image named ${title}`);
  }
  for (const chart of await charts.all()) {
    const box = await chart.boundingBox();
    assert.ok(box && box.width > 250 && box.height > 150, `a chart drawn too small: ${JSON.stringify(box)}`);
  }
  const genres = page.locator('#genres');
  await genres.getByText('The numbers').click();
  await genres.getByRole('table').waitFor();
  assert.equal(await genres.getByRole('row').filter({ hasText: 'Drama' }).count(), 1);
  await check(page, name, phone);
}

test('insights and operations, as an admin on a desktop and on a phone', { timeout: 120_000 }, async () => {
  const desktop = await session();
  const { page } = desktop;
  await signUp(page, ADMIN, PASSWORD);
  await app!.grantAdmin(ADMIN.toLowerCase());
  // A fresh log-in after the grant (a logged-in user is sent away from /login, so log out first).
  await page.getByRole('button', { name: 'Log out' }).first().click();
  await page.waitForURL((url) => url.pathname === '/');
  await logIn(page, ADMIN, PASSWORD);
  const nav = page.getByRole('navigation', { name: 'Main' });
  assert.ok(await nav.getByRole('link', { name: 'Insights' }).isVisible());
  assert.ok(await nav.getByRole('link', { name: 'Operations' }).isVisible(), 'admins see the operations link');

  await visitInsights(page, 'insights-01', false);

  // Picks saved through the API (the picker has its own tests), then wait for the run that computes them.
  const state = async () => (await (await page.request.get('/api/v1/me/recommendations')).json()).state as string;
  const token = (await (await page.request.get('/api/v1/session')).json()).csrfToken as string;
  const saved = await page.request.put('/api/v1/me/picks', { headers: { 'X-CSRF-Token': token }, data: { movieIds: [1, 260, 1196, 2571, 4993] } });
  assert.equal(saved.status(), 200);
  const deadline = Date.now() + PIPELINE_WAIT_MS;
  while ((await state()) !== 'ready') {
    assert.ok(Date.now() < deadline, `no recommendations after ${PIPELINE_WAIT_MS} ms`);
    await page.waitForTimeout(250);
  }

  await nav.getByRole('link', { name: 'Operations' }).click();
  await page.getByRole('heading', { name: 'Operations', level: 1 }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Operations' }).getAttribute('aria-current'), 'page');
  assert.equal(await page.locator('.stat[data-state="ready"] .stat-value').textContent(), '1');
  const run = page.locator('tr[data-outcome="succeeded"]').first();
  assert.equal(await run.locator('td').first().textContent(), 'inprocess');
  // The model in service is that run's (the tick replaced the start-up model), with its five iterations of loss.
  assert.match((await page.locator('.facts').textContent()) ?? '', /run \S+ \(inprocess, 1 app user\)/);
  await page.getByRole('img', { name: 'Training loss per iteration' }).waitFor();
  assert.equal(await page.locator('#loss circle').count(), 5);
  await page.getByRole('heading', { name: 'Evaluation' }).waitFor();
  await check(page, 'operations-01', false);

  // A user who is not an admin: no link, and the page answers 403.
  const other = await session();
  await signUp(other.page, 'Not_An_Admin', PASSWORD);
  assert.equal(await other.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operations' }).count(), 0);
  const refused = await other.page.goto('/operations');
  assert.equal(refused?.status(), 403);
  await other.page.getByRole('heading', { name: 'Not allowed' }).waitFor();
  await check(other.page, 'operations-02-not-admin', false);

  // The same pages on a phone.
  const phone = await session({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  await phone.page.goto('/login');
  await phone.page.getByLabel('Username').fill(ADMIN);
  await phone.page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([phone.page.waitForURL((url) => url.pathname === '/'), phone.page.getByRole('button', { name: 'Log in' }).tap()]);
  await visitInsights(phone.page, 'phone-insights', true);
  await phone.page.goto('/operations');
  await phone.page.getByRole('img', { name: 'Training loss per iteration' }).waitFor();
  await check(phone.page, 'phone-operations', true);

  for (const s of sessions) assertClean(s);
});

/** Logs in by the form (again, after a grant: the session keeps the role it started with). */
async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.getByRole('button', { name: 'Log in' }).click()]);
}
