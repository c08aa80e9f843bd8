import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { DEFAULT_DISCOVERY_STEP } from '../../src/services/discovery.js';
import type { CandidateItem, Store } from '../../src/store/index.js';
import { testDiscovery } from '../support/services.js';
import { loadMovieLens } from '../support/small-model.js';
import { alice, apiToken, signedUp } from './support.js';
import { bob, FIVE_PICKS, makeRecommenderApp, putPicks, type RecommenderApp } from './recommender-support.js';

/** 300 catalog movies as a run imports them, best first, none of them picked. */
async function candidates(): Promise<CandidateItem[]> {
  const { catalog } = await loadMovieLens();
  return catalog.movies
    .filter((m) => !FIVE_PICKS.includes(m.id))
    .slice(0, 300)
    .map((movie, i) => ({ movieId: movie.id, score: 1 - i / 1000, because: FIVE_PICKS[i % 5] }));
}

/** A run that claims every pending user and completes with `list` for each. */
async function completeRun(store: Store, runId: string, list: CandidateItem[]) {
  const now = Date.now();
  await store.createRun({ id: runId, engine: 'test', now, leaseUntil: now + 60_000 });
  const claimed = await store.claimPendingUsers(runId, 100, now);
  await store.completeRun(runId, claimed.map(({ userId, generation }) => ({ userId, generation, candidates: list })), now, { maxAttempts: 3 });
}

const ids = (items: { movie: { id: number } }[]) => items.map((i) => i.movie.id);

describe('reactions API', () => {
  let t: RecommenderApp;
  before(async () => {
    t = await makeRecommenderApp();
  });
  after(() => t.close());

  test('"seen it" (4 stars) and "not interested" leave the quick 12 and the 48 at once, replaced; 12 and 48 still shown', async () => {
    const a = await signedUp(t.app, alice);
    await putPicks(a.agent, a.token, FIVE_PICKS).expect(200);
    await completeRun(t.store, 'run-lists', await candidates());
    const quickBefore = ids((await a.agent.get('/api/v1/me/recommendations/quick').expect(200)).body.items);
    const fullBefore = ids((await a.agent.get('/api/v1/me/recommendations').expect(200)).body.items);
    assert.equal(quickBefore.length, 12);
    assert.equal(fullBefore.length, 48);

    const changes = t.picksChanged();
    const seen = await a.agent.put(`/api/v1/me/reactions/${quickBefore[0]}`).set('X-CSRF-Token', a.token).send({ kind: 'seen', rating: 4 }).expect(200);
    assert.deepEqual([seen.body.movieId, seen.body.kind, seen.body.rating, seen.body.movie.id], [quickBefore[0], 'seen', 4, quickBefore[0]]);
    await a.agent.put(`/api/v1/me/reactions/${fullBefore[1]}`).set('X-CSRF-Token', a.token).send({ kind: 'not_interested' }).expect(200);
    assert.equal(t.picksChanged(), changes + 2, 'the pipeline is told');

    const quickAfter = ids((await a.agent.get('/api/v1/me/recommendations/quick').expect(200)).body.items);
    const full = (await a.agent.get('/api/v1/me/recommendations').expect(200)).body;
    const fullAfter = ids(full.items);
    const gone = [quickBefore[0], fullBefore[1]];
    assert.equal(quickAfter.length, 12);
    assert.equal(fullAfter.length, 48);
    for (const id of gone) {
      assert.ok(!quickAfter.includes(id), `${id} left the 12`);
      assert.ok(!fullAfter.includes(id), `${id} left the 48`);
    }
    // Shown: the step's re-ranking of the candidates left, so the next candidates fill in.
    const discovery = await testDiscovery();
    const left = <T extends { movieId: number }>(items: readonly T[]) => items.filter((c) => !gone.includes(c.movieId));
    const storedQuick = (await t.store.getQuickRecommendations(a.id))!.items;
    assert.deepEqual(quickAfter, discovery.shown(left(storedQuick), FIVE_PICKS, DEFAULT_DISCOVERY_STEP, 12).map((i) => i.movieId));
    assert.deepEqual(fullAfter, discovery.shown(left(await candidates()), FIVE_PICKS, DEFAULT_DISCOVERY_STEP, 48).map((i) => i.movieId));
    // The next run is due, the 48 stay shown meanwhile.
    assert.equal(full.state, 'pending');

    const listed = (await a.agent.get('/api/v1/me/reactions').expect(200)).body.items;
    assert.deepEqual(listed.map((r: { movieId: number; kind: string; rating: number | null }) => [r.movieId, r.kind, r.rating]).sort(), [
      [quickBefore[0], 'seen', 4],
      [fullBefore[1], 'not_interested', null],
    ].sort());

    // The watchlist keeps a movie in the lists; DELETE undoes a reaction.
    await a.agent.put(`/api/v1/me/reactions/${fullBefore[2]}`).set('X-CSRF-Token', a.token).send({ kind: 'watchlist' }).expect(200);
    assert.ok(ids((await a.agent.get('/api/v1/me/recommendations').expect(200)).body.items).includes(fullBefore[2]));
    assert.deepEqual((await a.agent.delete(`/api/v1/me/reactions/${fullBefore[1]}`).set('X-CSRF-Token', a.token).expect(200)).body, { movieId: fullBefore[1], removed: true });
    assert.deepEqual((await a.agent.delete(`/api/v1/me/reactions/${fullBefore[1]}`).set('X-CSRF-Token', a.token).expect(200)).body, { movieId: fullBefore[1], removed: false });
    assert.ok(ids((await a.agent.get('/api/v1/me/recommendations').expect(200)).body.items).includes(fullBefore[1]), 'back once undone');
  });

  test('bad input gets a clear error and changes nothing', async () => {
    const c = await signedUp(t.app, { username: 'carol', email: 'carol@example.com', password: 'carol password' });
    const b = await signedUp(t.app, bob);
    await putPicks(c.agent, c.token, FIVE_PICKS).expect(200);
    await completeRun(t.store, 'run-bad', await candidates());
    const statusBefore = await t.store.getUserStatus(c.id);
    const movie = (await candidates())[0].movieId;
    const put = (path: string, body: unknown, token = c.token) => c.agent.put(`/api/v1/me/reactions/${path}`).set('X-CSRF-Token', token).send(body as object);

    const cases: [string, () => request.Test, number, string, string?][] = [
      ['unknown movie', () => put('999999999', { kind: 'seen' }), 404, 'not_found'],
      ['malformed movie id', () => put('abc', { kind: 'seen' }), 400, 'invalid_input', 'movieId'],
      ['rating 0', () => put(String(movie), { kind: 'seen', rating: 0 }), 400, 'invalid_input', 'rating'],
      ['rating 6', () => put(String(movie), { kind: 'seen', rating: 6 }), 400, 'invalid_input', 'rating'],
      ['rating 3.5', () => put(String(movie), { kind: 'seen', rating: 3.5 }), 400, 'invalid_input', 'rating'],
      ['rating with the watchlist', () => put(String(movie), { kind: 'watchlist', rating: 4 }), 400, 'invalid_input', 'rating'],
      ['unknown kind', () => put(String(movie), { kind: 'loved' }), 400, 'invalid_input', 'kind'],
      ['not an object', () => put(String(movie), ['seen']), 400, 'invalid_input', 'body'],
      ['a foreign CSRF token', () => put(String(movie), { kind: 'seen' }, b.token), 403, 'csrf_failed'],
      ['no CSRF token', () => c.agent.put(`/api/v1/me/reactions/${movie}`).send({ kind: 'seen' }), 403, 'csrf_failed'],
      ['a foreign token on DELETE', () => c.agent.delete(`/api/v1/me/reactions/${movie}`).set('X-CSRF-Token', b.token), 403, 'csrf_failed'],
    ];
    for (const [name, send, status, code, field] of cases) {
      const res = await send().expect(status);
      assert.equal(res.body.error.code, code, name);
      assert.ok(res.body.error.message.length > 0, name);
      if (field) assert.deepEqual(res.body.error.issues.map((i: { field: string }) => i.field), [field], name);
    }
    // Logged out: 401 with a valid token of the anonymous session.
    const visitor = request.agent(t.app);
    const token = await apiToken(visitor);
    const loggedOut = await visitor.put(`/api/v1/me/reactions/${movie}`).set('X-CSRF-Token', token).send({ kind: 'seen' }).expect(401);
    assert.equal(loggedOut.body.error.code, 'unauthenticated');
    await visitor.get('/api/v1/me/reactions').expect(401);

    assert.deepEqual(await t.store.listReactions(c.id), []);
    assert.deepEqual(await t.store.listReactions(b.id), []);
    assert.deepEqual(await t.store.getUserStatus(c.id), statusBefore);
    const shown = (await testDiscovery()).shown(await candidates(), FIVE_PICKS, DEFAULT_DISCOVERY_STEP, 48).map((i) => i.movieId);
    assert.deepEqual(ids((await c.agent.get('/api/v1/me/recommendations').expect(200)).body.items), shown);
  });
});
