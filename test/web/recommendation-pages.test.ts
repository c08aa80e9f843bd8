import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { loadMovieLens } from '../support/small-model.js';
import { alice, signedUp } from './support.js';
import { bob, FIVE_PICKS, makeRecommenderApp, putPicks, type RecommenderApp } from './recommender-support.js';

const cardCount = (html: string) => (html.match(/<article class="movie-card">/g) ?? []).length;
const NOTIFY_SCRIPT = /<script src="\/static\/notify.js" defer><\/script>/;

describe('recommendation pages', () => {
  let t: RecommenderApp;
  before(async () => {
    t = await makeRecommenderApp();
  });
  after(() => t.close());

  test('quick page: 12 cards with links that open a new tab and "because you picked …"; empty state before picks', async () => {
    const { agent, token, id } = await signedUp(t.app, alice);
    const before = await agent.get('/recommendations/quick').expect(200);
    assert.match(before.text, /You have not picked any movies yet/);
    assert.match(before.text, /href="\/picks"/);
    assert.equal(cardCount(before.text), 0);

    await putPicks(agent, token, FIVE_PICKS).expect(200);
    const page = await agent.get('/recommendations/quick').expect(200);
    assert.equal(cardCount(page.text), 12);
    assert.equal((page.text.match(/Because you picked <strong>/g) ?? []).length, 12);
    const stored = (await t.store.getQuickRecommendations(id))!.items;
    const { catalog } = await loadMovieLens();
    const first = catalog.get(stored[0].movieId)!;
    const reason = catalog.get(stored[0].because)!;
    assert.ok(page.text.includes(`<span class="rank">1.</span> ${escape(first.title)}`), first.title);
    assert.ok(page.text.includes(`Because you picked <strong>${escape(reason.title)}</strong>`));
    const movieLinks = page.text.match(/<a href="https:\/\/www\.(imdb|themoviedb)\.[^"]+"[^>]*>/g) ?? [];
    assert.ok(movieLinks.length >= 12);
    for (const link of movieLinks) assert.match(link, /target="_blank" rel="noopener"/);
    assert.match(page.text, /href="https:\/\/www\.imdb\.com\/title\/tt\d+\/"/);
    assert.match(page.text, /href="https:\/\/www\.themoviedb\.org\/movie\/\d+"/);
    assert.match(page.text, /<a class="button" href="\/recommendations">/);
    assert.match(page.text, /<a href="\/picks">Change my picks<\/a>/);
  });

  test('full page: notify states (none, pending with position, running, failed), then 48 cards; new picks → notify again', async () => {
    const { agent, token, id } = await signedUp(t.app, bob);
    const none = await agent.get('/recommendations').expect(200);
    assert.match(none.text, /You have not picked any movies yet/);
    assert.doesNotMatch(none.text, NOTIFY_SCRIPT);

    await putPicks(agent, token, FIVE_PICKS).expect(200);
    const pending = await agent.get('/recommendations').expect(200);
    assert.match(pending.text, /data-state="pending" data-poll="\/api\/v1\/me\/recommendations"/);
    assert.match(pending.text, /Waiting in the queue: at most 1 person ahead of you\./, 'alice is pending too');
    assert.match(pending.text, NOTIFY_SCRIPT);
    assert.match(pending.text, /<a href="\/recommendations" id="notify-check">Check again<\/a>/);
    assert.doesNotMatch(pending.text, /http-equiv="refresh"/i);
    assert.equal(pending.headers['cache-control'], 'no-store');

    const now = Date.now();
    await t.store.createRun({ id: 'run-page', engine: 'test', now, leaseUntil: now + 60_000 });
    const claimed = await t.store.claimPendingUsers('run-page', 100, now);
    const running = await agent.get('/recommendations').expect(200);
    assert.match(running.text, /data-state="running"/);
    assert.match(running.text, /Computing your recommendations now/);
    assert.match(running.text, NOTIFY_SCRIPT);

    const { catalog } = await loadMovieLens();
    const candidates = catalog.movies.slice(500, 800).map((m, i) => ({ movieId: m.id, score: 10 - i / 100, because: FIVE_PICKS[i % 5] }));
    await t.store.completeRun('run-page', claimed.map((c) => ({ userId: c.userId, generation: c.generation, candidates })), now, { maxAttempts: 3 });
    const ready = await agent.get('/recommendations').expect(200);
    assert.equal(cardCount(ready.text), 48);
    assert.ok(ready.text.includes(escape(catalog.movies[500].title)));
    assert.ok(!ready.text.includes(escape(catalog.movies[548].title)), 'only the 48 shown, not every candidate');
    // "Because you picked …" on every card, naming the pick.
    assert.equal(ready.text.match(/<p class="because">Because you picked <strong>/g)?.length, 48);
    const firstPick = catalog.movies.find((m) => m.id === FIVE_PICKS[0])!;
    assert.ok(ready.text.includes(`Because you picked <strong>${escape(firstPick.title)}</strong>`));
    assert.doesNotMatch(ready.text, NOTIFY_SCRIPT);
    assert.match((await agent.get('/').expect(200)).text, /Your forty-eight recommendations are ready\./);

    // New picks: the old 48 are gone, the notify page is back.
    await putPicks(agent, token, [...FIVE_PICKS, 260]).expect(200);
    const again = await agent.get('/recommendations').expect(200);
    assert.equal(cardCount(again.text), 0);
    assert.ok(!again.text.includes(escape(catalog.movies[500].title)));
    assert.match(again.text, /data-state="pending"/);

    // A failed run, out of attempts: the reason and a way to pick again.
    await t.store.createRun({ id: 'run-fail', engine: 'test', now, leaseUntil: now + 60_000 });
    await t.store.claimPendingUsers('run-fail', 100, now);
    await t.store.failRun('run-fail', 'engine <crashed>', now, 1);
    const failed = await agent.get('/recommendations').expect(200);
    assert.match(failed.text, /The last attempt failed: engine &lt;crashed&gt;\./);
    assert.match(failed.text, /<a class="button" href="\/picks">Pick again<\/a>/);
    assert.doesNotMatch(failed.text, NOTIFY_SCRIPT);
    assert.equal((await t.store.getUserStatus(id))?.state, 'failed');
  });

  test("two sessions: each page shows only that user's recommendations", async () => {
    const carol = await signedUp(t.app, { username: 'carol', email: 'carol@example.com', password: 'carol password' });
    const dave = await signedUp(t.app, { username: 'dave', email: 'dave@example.com', password: 'dave password' });
    await putPicks(carol.agent, carol.token, FIVE_PICKS).expect(200);
    await putPicks(dave.agent, dave.token, [296, 318, 593, 2571, 2959]).expect(200);
    const carolIds = (await t.store.getQuickRecommendations(carol.id))!.items.slice(0, 12).map((i) => i.movieId);
    const daveIds = (await t.store.getQuickRecommendations(dave.id))!.items.slice(0, 12).map((i) => i.movieId);
    assert.notDeepEqual(carolIds, daveIds);
    const api = (await dave.agent.get('/api/v1/me/recommendations/quick').expect(200)).body.items.map((i: { movie: { id: number } }) => i.movie.id);
    assert.deepEqual(api, daveIds);
    assert.deepEqual((await dave.agent.get('/api/v1/me/picks').expect(200)).body.movieIds, [296, 318, 593, 2571, 2959]);
    const davePage = await dave.agent.get('/recommendations/quick').expect(200);
    assert.match(davePage.text, /<span class="username">dave<\/span>/);
    const shown = [...davePage.text.matchAll(/href="https:\/\/www\.themoviedb\.org\/movie\/(\d+)"/g)].length;
    assert.equal(shown, 12);
    // Carol's picks never show on Dave's page as reasons.
    const { catalog } = await loadMovieLens();
    for (const picked of FIVE_PICKS) {
      assert.ok(!davePage.text.includes(`Because you picked <strong>${escape(catalog.get(picked)!.title)}</strong>`));
    }
  });

  test('visitors are sent to log in; no model yet → a 503 page that says so', async () => {
    await request(t.app).get('/recommendations').expect(303).expect('Location', '/login');
    await request(t.app).get('/recommendations/quick').expect(303).expect('Location', '/login');

    const noModel = await makeRecommenderApp({ model: false });
    try {
      const { agent, token } = await signedUp(noModel.app);
      await putPicks(agent, token, FIVE_PICKS).expect(200);
      const page = await agent.get('/recommendations/quick').expect(503);
      assert.match(page.text, /the first model is still being trained/);
      const home = await agent.get('/').expect(200);
      assert.match(home.text, /Your recommendations are waiting in the queue\./);
    } finally {
      await noModel.close();
    }
  });
});

/** EJS's HTML escaping, for titles with quotes or ampersands. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}
