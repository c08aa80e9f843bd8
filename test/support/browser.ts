/**
 * End-to-end tests in a real browser: the real app (startMovieHunter: SQLite, the real MovieLens data, the inprocess
 * engine training for real) listening on 127.0.0.1, and Debian's Chromium driven by playwright-core. Everything is
 * bounded (timeouts on every wait) and local: requests for any other host are refused and reported.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { startMovieHunter, type MovieHunter } from '../../src/bootstrap/movie-hunter.js';
import { runAdminCommand } from '../../src/operations/admin-command.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { repoRoot } from '../../src/paths.js';
import { openSqliteStore } from '../../src/store/index.js';
import { movielensDir } from './movielens.js';

/** Debian's `chromium` package; CI installs it. The tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Screenshots of every page the tests visit: test artifacts, ignored by git. */
export const screenshotDir = join(repoRoot, 'artifacts', 'screenshots');

/** Every wait in a browser test is at most this long, but one: */
export const WAIT_MS = 15_000;

/** From picks saved to the 48 on screen: a tick, a training run, and the notify page's next poll (2, 5, 9.5, 16 s…). */
export const PIPELINE_WAIT_MS = 30_000;

/** For the before and after hooks: starting the app trains its first model; closing waits for a run to stop. */
export const HOOK_TIMEOUT = { timeout: 60_000 } as const;

export const PHONE = { width: 360, height: 740 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;

export interface RunningApp {
  /** http://127.0.0.1:<port> */
  readonly baseUrl: string;
  /**
   * Takes the store's tick lease, as a second instance ticking would: until the returned function gives it back, the
   * app's ticks skip and pending users wait, so a test sees the notify page for as long as it needs, on any machine.
   * The app's timer (TICK_SECONDS) picks them up after that.
   */
  holdTicks(): Promise<() => Promise<void>>;
  /** `npm run admin -- grant USERNAME` on the app's database (the account logs in again to see the operations link). */
  grantAdmin(username: string): Promise<void>;
  close(): Promise<void>;
}

/** The real app, as the flow test starts it, listening on a free port of 127.0.0.1; resolves once the model is in service. */
export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mh-browser-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    MOVIELENS_DIR: movielensDir(),
    ALS_RANK: '16',
    ALS_ITERATIONS: '5',
    BCRYPT_COST: '4',
    // The embedded timer ticks every second (the nudge after a pick change comes sooner): holdTicks() needs it.
    TICK_SECONDS: '1',
    ...env,
  });
  let hunter: MovieHunter | undefined;
  let server: Server | undefined;
  const held = new Set<() => Promise<void>>();
  const close = async () => {
    for (const release of held) await release(); // a test that failed while holding the tick lease
    if (server) {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
    await hunter?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    hunter = await startMovieHunter(config, createLogger(config));
    await hunter.modelReady;
    server = createServer(hunter.app);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const holdTicks = async () => {
      const other = await openSqliteStore(join(dataDir, 'moviehunter.sqlite'));
      const owner = `browser-test-${process.pid}`;
      const deadline = Date.now() + WAIT_MS; // a tick in progress holds it for a moment
      while (!(await other.acquireTickLease(owner, Date.now(), 60_000))) {
        if (Date.now() > deadline) {
          await other.close();
          throw new Error('could not take the tick lease');
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const release = async () => {
        if (!held.delete(release)) return;
        await other.releaseTickLease(owner);
        await other.close();
      };
      held.add(release);
      return release;
    };
    const grantAdmin = async (username: string) => {
      const other = await openSqliteStore(join(dataDir, 'moviehunter.sqlite'));
      try {
        await runAdminCommand(['grant', username], other);
      } finally {
        await other.close();
      }
    };
    return { baseUrl: `http://127.0.0.1:${port}`, holdTicks, grantAdmin, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Headless Chromium from Debian's package; a clear failure (never a skip) when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the browser tests need Debian's chromium package (apt-get install chromium).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: WAIT_MS,
    args: [
      '--no-sandbox', // the tests may run as root (CI containers)
      // Nothing but the app on 127.0.0.1: no other host even resolves.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-domain-reliability',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Requests for anything but the app, refused. */
  readonly offsite: string[];
  /** Console errors (a CSP violation among them), uncaught exceptions, failed requests for scripts, styles or the API. */
  readonly pageErrors: string[];
}

/** A fresh browser context (its own cookies) with one page on the app; every request elsewhere is refused and noted. */
export async function openSession(browser: Browser, app: RunningApp, options: BrowserContextOptions = {}): Promise<Session> {
  const context = await browser.newContext({ baseURL: app.baseUrl, viewport: DESKTOP, ...options });
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS);
  const offsite: string[] = [];
  const pageErrors: string[] = [];
  await context.route(
    (url) => url.origin !== app.baseUrl,
    (route) => {
      offsite.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  const page = await context.newPage();
  page.on('console', (message) => {
    // A page answered 400 or 404 on purpose logs "Failed to load resource" too: failed requests are checked below.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource:')) pageErrors.push(`${page.url()}: ${message.text()}`);
  });
  // A stylesheet, a script or an API call that fails is a bug; a page may answer an error status (a form's 400, a 404).
  page.on('response', (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== 'document') {
      pageErrors.push(`${page.url()}: ${response.request().method()} ${response.url()} answered ${response.status()}`);
    }
  });
  page.on('requestfailed', (request) => {
    // A navigation cancels what the page was still fetching (ERR_ABORTED): not a failure.
    if (!offsite.includes(request.url()) && request.failure()?.errorText !== 'net::ERR_ABORTED') pageErrors.push(`${page.url()}: ${request.url()} failed: ${request.failure()?.errorText}`);
  });
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  return { context, page, offsite, pageErrors };
}

/** No request left 127.0.0.1 and the page logged no error (CSP violations included). */
export function assertClean(session: Session): void {
  assert.deepEqual(session.offsite, [], 'the pages asked for something that is not on 127.0.0.1');
  assert.deepEqual(session.pageErrors, [], 'the pages logged errors');
}

/**
 * A full-page screenshot in artifacts/screenshots/<name>.png. Lazy images (the posters) below the fold are loaded
 * first, so the picture shows the whole page as a visitor scrolling through it sees it.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.evaluate(`document.querySelectorAll('img[loading="lazy"]').forEach((img) => { img.loading = 'eager'; })`);
  // Polled from here: in a page with JavaScript disabled, nothing in the page would ever call back.
  const deadline = Date.now() + WAIT_MS;
  while (!(await page.evaluate('[...document.images].every((img) => img.complete)'))) {
    assert.ok(Date.now() < deadline, `${name}: images still loading after ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * axe-core on the page as it is now: fails on any serious or critical violation, naming each and where it is.
 * axe is evaluated in the page through the DevTools protocol: the app's CSP (scripts from the site only) forbids an
 * injected <script> tag, and is left on so that the tests see what a visitor's browser enforces.
 */
export async function assertAccessible(page: Page, name: string): Promise<void> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axeSource);
  // page.evaluate has no timeout of its own (and axe.run never settles in a page whose scripts are disabled).
  const violations = await within(
    WAIT_MS,
    `axe on ${name}`,
    page.evaluate<AxeViolation[]>(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
         id: v.id, impact: v.impact, help: v.help,
         nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`,
    ),
  );
  const describe = (v: AxeViolation) =>
    `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    at ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`;
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map(describe), [], `accessibility violations on ${name}`);
  const minor = violations.filter((v) => !serious.includes(v));
  if (minor.length > 0) console.log(`# axe on ${name}, not failing:\n${minor.map(describe).join('\n')}`);
}

/**
 * axe on a page shown with JavaScript disabled, where axe itself cannot run: the same HTML (scripts left out, as they
 * never ran) is served at the same address to a scripting page of the same size, with the site's stylesheet.
 */
export async function assertAccessibleAsServed(page: Page, name: string): Promise<void> {
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
  const url = page.url();
  const context = await page.context().browser()!.newContext({ viewport: page.viewportSize() ?? DESKTOP });
  try {
    context.setDefaultTimeout(WAIT_MS);
    const origin = new URL(url).origin;
    await context.route((u) => u.origin !== origin, (route) => route.abort('blockedbyclient'));
    const copy = await context.newPage();
    await copy.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await copy.goto(url);
    await assertAccessible(copy, name);
  } finally {
    await context.close();
  }
}

/** `promise`, or a failure naming `what` after `ms`. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The page fits the viewport's width: nothing scrolls sideways. */
export async function assertNoHorizontalScroll(page: Page, name: string): Promise<void> {
  const { scrollWidth, clientWidth, wide } = await page.evaluate<{ scrollWidth: number; clientWidth: number; wide: string[] }>(`(() => {
    const root = document.documentElement;
    // A row that scrolls sideways inside its own box (a picker group on a phone) does not move the page.
    const scrolledInside = (el) => {
      for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
        if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) return true;
      }
      return false;
    };
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5 && !scrolledInside(el))
      .slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ').join('.') : ''));
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide };
  })()`);
  assert.ok(scrollWidth <= clientWidth, `${name} scrolls sideways: ${scrollWidth}px of content in ${clientWidth}px (${wide.join(', ')})`);
}

/**
 * Every link, button and control a finger may aim at is at least 44 px tall (and 24 px wide). Exempt, as WCAG 2.5.8
 * has it: links inside a sentence, the skip link (off screen until focused) and a card's title link, whose target is
 * the whole card. Controls not shown (a closed <details>) are measured when they are.
 */
export async function assertTapTargets(page: Page, name: string): Promise<void> {
  // A radio or checkbox is tapped through its label: the label is the target that must be large enough.
  const small = await page.evaluate<string[]>(`[...document.querySelectorAll('a, button, summary, select, input:not([type=hidden])')].filter((el) => {
    const r = (el.matches('input[type=radio], input[type=checkbox]') && el.closest('label') ? el.closest('label') : el).getBoundingClientRect();
    // Not a target while hidden: in a closed <details> (laid out, but not shown) or not rendered at all.
    if (!el.checkVisibility() || r.width === 0 || r.height === 0 || el.matches('.skip-link, .card-link')) return false;
    const sentence = el.closest('p, li, figcaption, td');
    if (el.tagName === 'A' && sentence && sentence.textContent.trim().length > el.textContent.trim().length + 5) return false;
    return r.height < 44 || r.width < 24;
  }).map((el) => el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 40) + '" ' + Math.round(el.getBoundingClientRect().height) + ' px')`);
  assert.deepEqual(small, [], `${name}: tap targets under 44 px`);
}

/** Signs a new user up through the sign-up page and lands where a new account starts: the picker. */
export async function signUp(page: Page, username: string, password = 'a long passphrase'): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(`${username.toLowerCase()}@example.com`);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname === '/picks'), page.getByRole('button', { name: 'Create account' }).click()]);
}

export interface AppInBrowser {
  readonly app: RunningApp;
  readonly browser: Browser;
  /** Opened with the options given, when some were. */
  readonly session: Session;
}

/**
 * One app and one Chromium (and a session, given its options) for a test file: started before its tests, closed after
 * them, in that order.
 */
export function appInBrowser(sessionOptions?: BrowserContextOptions): AppInBrowser {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let session: Session | undefined;
  before(async () => {
    app = await startApp();
    browser = await launchChromium();
    if (sessionOptions !== undefined) session = await openSession(browser, app, sessionOptions);
  }, HOOK_TIMEOUT);
  after(async () => {
    await session?.context.close();
    await browser?.close();
    await app?.close();
  }, HOOK_TIMEOUT);
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started: use it inside a test`);
    return value;
  };
  return {
    get app() { return started(app, 'the app'); },
    get browser() { return started(browser, 'Chromium'); },
    get session() { return started(session, 'the session (appInBrowser was given no session options)'); },
  };
}
