/** views/static/notify.js run in a VM with a fake page, clock and fetch: growing interval, one reload, no loop. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { staticDir } from '../../src/web/views.js';

const script = readFileSync(join(staticDir, 'notify.js'), 'utf8');

interface Page {
  /** Delays of every timer the script set, in order. */
  delays: number[];
  reloads: number;
  status: { textContent: string };
  urls: string[];
  /** Runs the next timer and lets the fetch chain settle; false when no timer is pending. */
  step(): Promise<boolean>;
}

/** Loads the script on a notify page whose API answers `answers` in turn (status 200 unless given). */
function load(answers: { status?: number; body?: unknown }[], poll: string | null = '/api/v1/me/recommendations'): Page {
  const timers: (() => void)[] = [];
  const page: Page = {
    delays: [],
    reloads: 0,
    status: { textContent: 'Waiting' },
    urls: [],
    async step() {
      const next = timers.shift();
      if (!next) return false;
      next();
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      return true;
    },
  };
  const elements: Record<string, unknown> = { notify: { dataset: poll ? { poll } : {} }, 'notify-status': page.status };
  const fetch = (url: string) => {
    page.urls.push(url);
    const answer = answers.shift() ?? { status: 500 };
    const status = answer.status ?? 200;
    return Promise.resolve({ status, ok: status < 300, json: () => Promise.resolve(answer.body) });
  };
  const window = { fetch, location: { reload: () => page.reloads++ } };
  const setTimeout = (fn: () => void, ms: number) => {
    page.delays.push(ms);
    timers.push(fn);
  };
  runInNewContext(script, { document: { getElementById: (id: string) => elements[id] ?? null }, window, fetch, setTimeout });
  return page;
}

test('polls with a growing interval, updates the status, and reloads once when ready', async () => {
  const page = load([
    { body: { state: 'pending', position: 2 } },
    { body: { state: 'pending', position: 0 } },
    { body: { state: 'running' } },
    { body: { state: 'ready', items: [] } },
  ]);
  await page.step();
  assert.equal(page.status.textContent, 'Waiting in the queue: at most 2 people ahead of you.');
  await page.step();
  assert.equal(page.status.textContent, 'You are next in the queue.');
  await page.step();
  assert.match(page.status.textContent, /Computing your recommendations now/);
  await page.step();
  assert.equal(page.reloads, 1);
  assert.equal(await page.step(), false, 'no more polling after the reload');
  assert.deepEqual(page.delays, [2000, 3000, 4500, 6750]);
  assert.deepEqual(new Set(page.urls), new Set(['/api/v1/me/recommendations']));
});

test('the interval stops growing at 10 s for two minutes, then at 60 s; errors are retried; failed reloads once too', async () => {
  const answers = Array.from({ length: 24 }, () => ({ body: { state: 'pending', position: 1 } }));
  const page = load([...answers, { status: 503 }, { body: { state: 'failed', reason: 'x' } }]);
  while (await page.step());
  assert.equal(page.reloads, 1);
  const firstTwoMinutes = page.delays.slice(0, page.delays.findIndex((_, i) => page.delays.slice(0, i + 1).reduce((a, b) => a + b, 0) >= 120_000));
  assert.equal(Math.max(...firstTwoMinutes), 10_000);
  assert.deepEqual(firstTwoMinutes.slice(-4), [10_000, 10_000, 10_000, 10_000]);
  assert.equal(Math.max(...page.delays), 60_000);
  assert.deepEqual(page.delays.slice(-4), [60_000, 60_000, 60_000, 60_000]);
});

test('a 401 (logged out meanwhile) stops polling without a reload; no poll URL, no polling', async () => {
  const page = load([{ status: 401 }]);
  while (await page.step());
  assert.equal(page.reloads, 0);
  assert.equal(page.urls.length, 1);
  const idle = load([], null);
  assert.deepEqual(idle.delays, []);
});
