import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { discoverySetting, quickCandidateKey } from '../../src/recommend/rerank/steps.js';
import { DEFAULT_DISCOVERY_STEP } from '../../src/services/discovery.js';
import { testDiscovery } from '../support/services.js';
import { loadMovieLens } from '../support/small-model.js';
import { alice, formToken, signedUp } from './support.js';
import { bob, FIVE_PICKS, makeRecommenderApp, putPicks, type RecommenderApp } from './recommender-support.js';

const cardCount = (html: string) => (html.match(/<article class="movie-card">/g) ?? []).length;
const NOTIFY_SCRIPT = /<script src="\/static\/notify.js" defer><\/script>/;

describe('recommendation pages', () => {
  let t: RecommenderApp;
  before(async () => {
    t = await makeRecommenderApp();
  });
  after(() => t.close());

  test('quick page: 12 cards, each a link to its movie page, with "because you picked …"; empty state before picks', async () => {
    const { agent, token, id } = await signedUp(t.app, alice);
    const before = await agent.get('/recommendations/quick').expect(200);
    assert.match(before.text, /You have not picked any movies yet/);
    assert.match(before.text, /href="\/picks"/);
    assert.equal(cardCount(before.text), 0);

    await putPicks(agent, token, FIVE_PICKS).expect(200);
    const page = await agent.get('/recommendations/quick').expect(200);
    assert.equal(cardCount(page.text), 12);
    assert.equal((page.text.match(/Because you picked <strong>/g) ?? []).length, 12);
    const stored = (await testDiscovery()).shown((await t.store.getQuickRecommendations(id))!.items, FIVE_PICKS, DEFAULT_DISCOVERY_STEP, 12);
    const { catalog } = await loadMovieLens();
    const first = catalog.get(stored[0].movieId)!;
    const reason = catalog.get(stored[0].because)!;
    assert.ok(page.text.includes(`<span class="rank">1.</span> ${escape(first.title)}`), first.title);
    assert.ok(page.text.includes(`Because you picked <strong>${escape(reason.title)}</strong>`));
    // Each card is one link, to the movie's page (IMDb and TMDB are there), not a row of links repeated on every card.
    const cardLinks = [...page.text.matchAll(/<a class="card-link" href="\/movies\/(\d+)">/g)].map((m) => Number(m[1]));
    assert.deepEqual(cardLinks, stored.map((item) => item.movieId));
    assert.doesNotMatch(page.text, /class="movie-links"/);
    assert.match(page.text, /Your forty-eight full recommendations are being worked out meanwhile\./);
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
    // Without JavaScript the page reloads itself (a meta refresh only scriptless browsers follow), and says it updates itself.
    assert.match(pending.text, /<noscript><meta http-equiv="refresh" content="5"><\/noscript>/);
    assert.equal(pending.text.match(/http-equiv="refresh"/gi)?.length, 1, 'the refresh is only inside <noscript>');
    assert.match(pending.text, /This page updates itself/);
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
    // The re-ranker may reach past the 48th candidate, never to the last of 300.
    assert.ok(!ready.text.includes(escape(catalog.movies[799].title)), 'only the 48 shown, not every candidate');
    // "Because you picked …" on every card, naming the pick.
    assert.equal(ready.text.match(/<p class="because">Because you picked <strong>/g)?.length, 48);
    const firstPick = catalog.movies.find((m) => m.id === FIVE_PICKS[0])!;
    assert.ok(ready.text.includes(`Because you picked <strong>${escape(firstPick.title)}</strong>`));
    assert.doesNotMatch(ready.text, NOTIFY_SCRIPT);
    assert.doesNotMatch(ready.text, /http-equiv="refresh"/i);
    // Home leads with them now: 12 of the 48 as poster cards, and its main button goes to all of them.
    const home = (await agent.get('/').expect(200)).text;
    assert.match(home, /Your forty-eight recommendations are ready\./);
    assert.equal(cardCount(home), 12);
    assert.match(home, /<a class="button button-large" href="\/recommendations">See all 48 recommendations<\/a>/);
    assert.ok(home.includes(escape(catalog.movies[500].title)));
    // The quick page says the 48 are ready, not that they are being worked out.
    const quickNow = (await agent.get('/recommendations/quick').expect(200)).text;
    assert.match(quickNow, /Your forty-eight full recommendations are ready too\./);
    assert.doesNotMatch(quickNow, /being worked out/);

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
    assert.match(failed.text, /The last attempt failed: the computation stopped before it finished\./);
    assert.ok(!failed.text.includes('crashed'), 'the run\'s own reason is for the operations page');
    assert.match(failed.text, /<a class="button" href="\/picks">Pick again<\/a>/);
    assert.doesNotMatch(failed.text, NOTIFY_SCRIPT);
    assert.equal((await t.store.getUserStatus(id))?.state, 'failed');
  });

  test('the familiar ↔ discover control: a form on both pages, saved per user, applied at once, bad input a 400', async () => {
    const { agent, token, id } = await signedUp(t.app, { username: 'erin', email: 'erin@example.com', password: 'erin password' });
    await putPicks(agent, token, FIVE_PICKS).expect(200);
    const quickPage = await agent.get('/recommendations/quick').expect(200);
    assertControl(quickPage.text, DEFAULT_DISCOVERY_STEP, '/recommendations/quick');
    const storedQuick = await t.store.getQuickRecommendations(id);

    // Without JavaScript: the form posts, the step is saved, the browser comes back to the page it was on.
    const moved = await agent
      .post('/settings/discovery')
      .type('form')
      .send({ _csrf: formToken(quickPage.text), returnTo: '/recommendations/quick', discoveryStep: 'discover' })
      .expect(303);
    assert.equal(moved.headers.location, '/recommendations/quick');
    assert.deepEqual(await t.store.getUserSettings(id), { discoveryStep: 'discover' });
    const after = await agent.get('/recommendations/quick').expect(200);
    assertControl(after.text, 'discover', '/recommendations/quick');
    assert.match(after.text, /<p class="notice" role="status">.*Saved: Discover\.<\/p>/);
    assert.equal(cardCount(after.text), 12);
    // Re-ranked from what is stored; computed again only when the step's scorer is another one.
    const discoverQuick = await t.store.getQuickRecommendations(id);
    assert.equal(discoverQuick?.method, quickCandidateKey(discoverySetting('discover')));
    if (discoverQuick?.method === storedQuick?.method) assert.deepEqual(discoverQuick, storedQuick, 'the same scorer: nothing recomputed');
    const { catalog } = await loadMovieLens();
    const expected = (await testDiscovery()).shown(discoverQuick.items, FIVE_PICKS, 'discover', 12).map((i) => escape(catalog.get(i.movieId)!.title));
    assert.deepEqual(rankedTitles(after.text), expected, 'the 12 are the stored candidates ranked for discover');

    // The full page, once ready, has the control too, with the saved step, and comes back to itself.
    const now = Date.now();
    await t.store.createRun({ id: 'run-control', engine: 'test', now, leaseUntil: now + 60_000 });
    const claimed = await t.store.claimPendingUsers('run-control', 100, now);
    const candidates = catalog.movies.slice(600, 900).map((m, i) => ({ movieId: m.id, score: 10 - i / 100, because: FIVE_PICKS[i % 5] }));
    await t.store.completeRun('run-control', claimed.map((c) => ({ userId: c.userId, generation: c.generation, candidates })), now, { maxAttempts: 3 });
    const full = await agent.get('/recommendations').expect(200);
    assertControl(full.text, 'discover', '/recommendations');
    const expectedFull = (await testDiscovery()).shown(candidates, FIVE_PICKS, 'discover', 48).map((i) => escape(catalog.get(i.movieId)!.title));
    assert.deepEqual(rankedTitles(full.text), expectedFull, 'the 48 are the stored candidates ranked for discover');
    const back = await agent
      .post('/settings/discovery')
      .type('form')
      .send({ _csrf: formToken(full.text), returnTo: '/recommendations', discoveryStep: 'familiar' })
      .expect(303);
    assert.equal(back.headers.location, '/recommendations');
    assertControl((await agent.get('/recommendations').expect(200)).text, 'familiar', '/recommendations');

    // Only the two pages are places to return to.
    const elsewhere = await agent
      .post('/settings/discovery')
      .type('form')
      .send({ _csrf: formToken(full.text), returnTo: 'https://example.com/', discoveryStep: 'explore' })
      .expect(303);
    assert.equal(elsewhere.headers.location, '/recommendations/quick');

    // Bad input: a 400 page naming the field, nothing saved; no token: 403.
    for (const bad of ['2', 'lots', 'Discover', '']) {
      const res = await agent.post('/settings/discovery').type('form').send({ _csrf: formToken(full.text), discoveryStep: bad }).expect(400);
      assert.match(res.text, /discoveryStep: Choose one of familiar, balanced, explore, discover \(most familiar to most discovery\)\./, bad);
    }
    await agent.post('/settings/discovery').type('form').send({ _csrf: formToken(full.text) }).expect(400);
    await agent.post('/settings/discovery').type('form').send({ discoveryStep: 'discover' }).expect(403);
    assert.deepEqual(await t.store.getUserSettings(id), { discoveryStep: 'explore' });
    await request(t.app).post('/settings/discovery').type('form').send({ discoveryStep: 'discover' }).expect(403);
  });

  test("two sessions: each page shows only that user's recommendations", async () => {
    const carol = await signedUp(t.app, { username: 'carol', email: 'carol@example.com', password: 'carol password' });
    const dave = await signedUp(t.app, { username: 'dave', email: 'dave@example.com', password: 'dave password' });
    await putPicks(carol.agent, carol.token, FIVE_PICKS).expect(200);
    await putPicks(dave.agent, dave.token, [296, 318, 593, 2571, 2959]).expect(200);
    const carolIds = (await t.store.getQuickRecommendations(carol.id))!.items.map((i) => i.movieId);
    const daveStored = (await t.store.getQuickRecommendations(dave.id))!.items;
    const daveIds = (await testDiscovery()).shown(daveStored, [296, 318, 593, 2571, 2959], DEFAULT_DISCOVERY_STEP, 12).map((i) => i.movieId);
    assert.notDeepEqual(carolIds, daveIds);
    const api = (await dave.agent.get('/api/v1/me/recommendations/quick').expect(200)).body.items.map((i: { movie: { id: number } }) => i.movie.id);
    assert.deepEqual(api, daveIds);
    assert.deepEqual((await dave.agent.get('/api/v1/me/picks').expect(200)).body.movieIds, [296, 318, 593, 2571, 2959]);
    const davePage = await dave.agent.get('/recommendations/quick').expect(200);
    assert.match(davePage.text, /<span class="username">dave<\/span>/);
    const shown = [...davePage.text.matchAll(/<a class="card-link" href="\/movies\/(\d+)">/g)].length;
    assert.equal(shown, 12);
    // Carol's picks never show on Dave's page as reasons.
    const { catalog } = await loadMovieLens();
    for (const picked of FIVE_PICKS) {
      assert.ok(!davePage.text.includes(`Because you picked <strong>${escape(catalog.get(picked)!.title)}</strong>`));
    }
  });

  test('visitors are sent to log in; no model yet → a 503 page that says so', async () => {
    await request(t.app).get('/recommendations').expect(303).expect('Location', '/login?next=%2Frecommendations');
    await request(t.app).get('/recommendations/quick').expect(303).expect('Location', '/login?next=%2Frecommendations%2Fquick');

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

/** The page holds the control: a form posting to /settings/discovery with the four steps, `step` checked, coming back to `page`. */
function assertControl(html: string, step: string, page: string): void {
  const form = /<form class="discovery-control" method="post" action="\/settings\/discovery">([\s\S]*?)<\/form>/.exec(html);
  assert.ok(form, 'the control is on the page');
  assert.match(form[1], /name="_csrf" value="[^"]+"/);
  assert.ok(form[1].includes(`name="returnTo" value="${page}"`), page);
  const radios = [...form[1].matchAll(/<input type="radio" name="discoveryStep" value="(\w+)"( checked)?>/g)];
  assert.deepEqual(radios.map((r) => r[1]), ['familiar', 'balanced', 'explore', 'discover']);
  assert.deepEqual(radios.filter((r) => r[2]).map((r) => r[1]), [step], 'the saved step is checked');
  assert.match(form[1], /<legend>Familiar or new to you\?<\/legend>/);
  assert.match(form[1], /<button type="submit">Apply<\/button>/);
}

/** The titles of the ranked cards, in rank order. */
function rankedTitles(html: string): string[] {
  return [...html.matchAll(/<span class="rank">(\d+)\.<\/span> ([^<]+)/g)].map((m) => m[2].trim());
}

/** EJS's HTML escaping, for titles with quotes or ampersands. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}
