import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { CandidateItem } from '../../src/store/index.js';
import { loadMovieLens } from '../support/small-model.js';
import { alice, formToken, signedUp } from './support.js';
import { bob, FIVE_PICKS, makeRecommenderApp, putPicks, type RecommenderApp } from './recommender-support.js';

/** The movie ids of the cards' reaction forms on a page, in order. */
const cardIds = (html: string) => [...html.matchAll(/<form class="reaction-buttons" method="post" action="\/reactions\/(\d+)">/g)].map((m) => Number(m[1]));

async function candidates(): Promise<CandidateItem[]> {
  const { catalog } = await loadMovieLens();
  return catalog.movies
    .filter((m) => !FIVE_PICKS.includes(m.id))
    .slice(0, 300)
    .map((movie, i) => ({ movieId: movie.id, score: 1 - i / 1000, because: FIVE_PICKS[i % 5] }));
}

describe('reaction pages (no JavaScript)', () => {
  let t: RecommenderApp;
  before(async () => {
    t = await makeRecommenderApp();
  });
  after(() => t.close());

  test('every card of the 12 and the 48 has the forms; each reaction comes back to its page, the movie replaced', async () => {
    const a = await signedUp(t.app, alice);
    await putPicks(a.agent, a.token, FIVE_PICKS).expect(200);
    const now = Date.now();
    await t.store.createRun({ id: 'run-pages', engine: 'test', now, leaseUntil: now + 60_000 });
    await t.store.claimPendingUsers('run-pages', 10, now);
    await t.store.completeRun('run-pages', [{ userId: a.id, generation: 1, candidates: await candidates() }], now, { maxAttempts: 3 });

    const quick = await a.agent.get('/recommendations/quick').expect(200);
    const quickIds = cardIds(quick.text);
    assert.equal(quickIds.length, 12);
    assert.equal(quick.text.match(/<div class="card-actions">\s*<div class="reactions">/g)?.length, 12, "in each card's actions slot");
    // "Seen it" is its own form: five star buttons and "No rating", each posting kind=seen with its rating.
    const seenForm = new RegExp(`<form class="reaction-seen-panel" method="post" action="/reactions/${quickIds[0]}">([\\s\\S]*?)</form>`).exec(quick.text);
    assert.ok(seenForm, 'the seen form of the first card');
    assert.match(seenForm[1], /<input type="hidden" name="kind" value="seen">/);
    assert.deepEqual([...seenForm[1].matchAll(/<button type="submit" name="rating" value="(\d?)"/g)].map((m) => m[1]), ['1', '2', '3', '4', '5', '']);
    assert.match(quick.text, /<a href="\/watchlist">Watchlist<\/a>/, 'the header links the watchlist');
    const token = formToken(quick.text);
    await a.agent
      .post(`/reactions/${quickIds[0]}`)
      .type('form')
      .send({ _csrf: token, returnTo: '/recommendations/quick', kind: 'seen', rating: '4' })
      .expect(303)
      .expect('Location', '/recommendations/quick');
    const quickAfter = await a.agent.get('/recommendations/quick').expect(200);
    assert.match(quickAfter.text, /Marked “[^”]+” as seen \(4 of 5 stars\)/);
    assert.equal(cardIds(quickAfter.text).length, 12);
    assert.ok(!cardIds(quickAfter.text).includes(quickIds[0]));

    const full = await a.agent.get('/recommendations').expect(200);
    const fullIds = cardIds(full.text);
    assert.equal(fullIds.length, 48);
    // "Not interested" sends the rating menu too; only "seen" takes it.
    await a.agent
      .post(`/reactions/${fullIds[0]}`)
      .type('form')
      .send({ _csrf: token, returnTo: '/recommendations', kind: 'not_interested', rating: '2' })
      .expect(303)
      .expect('Location', '/recommendations');
    const fullAfter = cardIds((await a.agent.get('/recommendations').expect(200)).text);
    assert.equal(fullAfter.length, 48, 'still the 48 page while the next run is due');
    assert.ok(!fullAfter.includes(fullIds[0]));

    // The watchlist: added from a card, listed on its page, removed there.
    await a.agent.post(`/reactions/${fullIds[5]}`).type('form').send({ _csrf: token, returnTo: '/recommendations', kind: 'watchlist', rating: '' }).expect(303);
    const marked = await a.agent.get('/recommendations').expect(200);
    assert.match(marked.text, new RegExp(`formaction="/reactions/${fullIds[5]}/remove"`));
    const watchlist = await a.agent.get('/watchlist').expect(200);
    assert.deepEqual(cardIds(watchlist.text), [fullIds[5]]);
    await a.agent.post(`/reactions/${fullIds[5]}/remove`).type('form').send({ _csrf: token, returnTo: '/watchlist' }).expect(303).expect('Location', '/watchlist');
    const emptied = await a.agent.get('/watchlist').expect(200);
    assert.deepEqual(cardIds(emptied.text), []);
    assert.match(emptied.text, /Nothing here yet/);

    // Only a path of this site is returned to.
    for (const returnTo of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      await a.agent.post(`/reactions/${fullIds[6]}`).type('form').send({ _csrf: token, returnTo, kind: 'watchlist' }).expect(303).expect('Location', '/recommendations');
    }
  });

  test('bad input is an error page that says what is wrong, and changes nothing', async () => {
    const c = await signedUp(t.app, { username: 'carol', email: 'carol@example.com', password: 'carol password' });
    const b = await signedUp(t.app, bob);
    await putPicks(c.agent, c.token, FIVE_PICKS).expect(200);
    const token = formToken((await c.agent.get('/recommendations/quick').expect(200)).text);
    const foreign = formToken((await b.agent.get('/recommendations/quick').expect(200)).text);
    const statusBefore = await t.store.getUserStatus(c.id);
    const post = (path: string, fields: Record<string, string>) => c.agent.post(path).type('form').send({ returnTo: '/recommendations/quick', ...fields });

    const cases: [string, () => request.Test, number, RegExp][] = [
      ['unknown movie', () => post('/reactions/999999999', { _csrf: token, kind: 'seen' }), 400, /movieId: There is no movie with id 999999999/],
      ['malformed movie id', () => post('/reactions/abc', { _csrf: token, kind: 'seen' }), 400, /movieId: A movie id is a positive whole number/],
      ['rating 0', () => post('/reactions/3', { _csrf: token, kind: 'seen', rating: '0' }), 400, /rating: Give a rating as a whole number of stars from 1 to 5/],
      ['rating 6', () => post('/reactions/3', { _csrf: token, kind: 'seen', rating: '6' }), 400, /rating: Give a rating/],
      ['no kind', () => post('/reactions/3', { _csrf: token }), 400, /kind: Say how you react/],
      ['a foreign CSRF token', () => post('/reactions/3', { _csrf: foreign, kind: 'seen' }), 403, /did not come from this site/],
      ['a foreign CSRF token on remove', () => post('/reactions/3/remove', { _csrf: foreign }), 403, /did not come from this site/],
    ];
    for (const [name, send, status, message] of cases) {
      const res = await send().expect(status);
      assert.match(res.text, message, name);
    }
    // Logged out: sent to log in, nothing stored.
    const visitor = request.agent(t.app);
    const visitorToken = formToken((await visitor.get('/login').expect(200)).text);
    await visitor.post('/reactions/3').type('form').send({ _csrf: visitorToken, kind: 'seen' }).expect(303).expect('Location', '/login');
    await visitor.get('/watchlist').expect(303).expect('Location', '/login?next=%2Fwatchlist');

    assert.deepEqual(await t.store.listReactions(c.id), []);
    assert.deepEqual(await t.store.listReactions(b.id), []);
    assert.deepEqual(await t.store.getUserStatus(c.id), statusBefore);
  });
});
