import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Store } from '../../src/store/index.js';
import { loadMovieLens } from '../support/small-model.js';
import { alice, signedUp } from './support.js';
import { bob, FIVE_PICKS, makeRecommenderApp, putPicks, type RecommenderApp } from './recommender-support.js';

/** 48 distinct movies of the catalog (from the offset-th), scores descending, as an engine writes them. */
async function fortyEight(offset: number): Promise<{ movieId: number; score: number }[]> {
  const { catalog } = await loadMovieLens();
  return catalog.movies.slice(offset, offset + 48).map((movie, i) => ({ movieId: movie.id, score: 1 - i / 100 }));
}
const ids = (items: { movieId: number }[]) => items.map((i) => i.movieId);
const shownIds = (items: { movie: { id: number } }[]) => items.map((i) => i.movie.id);

/** What the tick does, through the store: one run that claims every pending user and completes with their results. */
async function completeRun(store: Store, runId: string, items: { movieId: number; score: number }[]) {
  const now = Date.now();
  await store.createRun({ id: runId, engine: 'test', now, leaseUntil: now + 60_000 });
  const claimed = await store.claimPendingUsers(runId, 100, now);
  const results = claimed.map(({ userId, generation }) => ({ userId, generation, items }));
  await store.completeRun(runId, results, now, { maxAttempts: 3 });
  return claimed;
}

describe('full recommendations API', () => {
  let t: RecommenderApp;
  before(async () => {
    t = await makeRecommenderApp();
  });
  after(() => t.close());

  test('none → pending with position → running → ready with 48 → change picks → pending, old 48 gone', async () => {
    const a = await signedUp(t.app, alice);
    const b = await signedUp(t.app, bob);
    assert.deepEqual(Object.keys((await a.agent.get('/api/v1/me/recommendations').expect(200)).body).sort(), ['attempts', 'discoveryStep', 'state', 'updatedAt']);
    assert.equal((await a.agent.get('/api/v1/me/recommendations').expect(200)).body.state, 'none');

    await putPicks(a.agent, a.token, FIVE_PICKS).expect(200);
    const alone = (await a.agent.get('/api/v1/me/recommendations').expect(200)).body;
    assert.equal(alone.state, 'pending');
    assert.equal(alone.position, 0);
    assert.equal(alone.items, undefined);
    assert.equal(typeof alone.updatedAt, 'number');
    await putPicks(b.agent, b.token, [...FIVE_PICKS, 260]).expect(200);
    assert.equal((await b.agent.get('/api/v1/me/recommendations').expect(200)).body.position, 1, 'one pending user may be ahead');

    // A run claims both: running, no position.
    const now = Date.now();
    await t.store.createRun({ id: 'run-1', engine: 'test', now, leaseUntil: now + 60_000 });
    await t.store.claimPendingUsers('run-1', 100, now);
    const running = (await a.agent.get('/api/v1/me/recommendations').expect(200)).body;
    assert.equal(running.state, 'running');
    assert.equal(running.position, undefined);
    const results = [
      { userId: a.id, generation: 1, items: await fortyEight(0) },
      { userId: b.id, generation: 1, items: await fortyEight(100) },
    ];
    await t.store.completeRun('run-1', results, now, { maxAttempts: 3 });

    const ready = (await a.agent.get('/api/v1/me/recommendations').expect(200)).body;
    assert.equal(ready.state, 'ready');
    assert.equal(ready.items.length, 48);
    assert.deepEqual(shownIds(ready.items), ids(await fortyEight(0)));
    assert.equal(ready.items[0].score, 1);
    assert.equal(typeof ready.items[0].movie.title, 'string');
    assert.equal(ready.position, undefined);

    // Two sessions: each sees only their own.
    const bobs = (await b.agent.get('/api/v1/me/recommendations').expect(200)).body;
    assert.deepEqual(shownIds(bobs.items), ids(await fortyEight(100)));

    // New picks: pending again, the 48 of the old picks never shown.
    await putPicks(a.agent, a.token, [...FIVE_PICKS.slice(1), 260]).expect(200);
    const changed = (await a.agent.get('/api/v1/me/recommendations').expect(200)).body;
    assert.equal(changed.state, 'pending');
    assert.equal(changed.items, undefined);

    assert.equal((await b.agent.get('/api/v1/me/recommendations').expect(200)).body.state, 'ready', "bob's stay");

    // The next run computes the new picks: their 48 are shown.
    const claimed = await completeRun(t.store, 'run-2', await fortyEight(200));
    assert.deepEqual(claimed.map((c) => [c.userId, c.generation]), [[a.id, 2]]);
    const after = (await a.agent.get('/api/v1/me/recommendations').expect(200)).body;
    assert.equal(after.state, 'ready');
    assert.deepEqual(shownIds(after.items), ids(await fortyEight(200)));
  });

  test('failed: the state and the reason', async () => {
    const c = await signedUp(t.app, { username: 'carol', email: 'carol@example.com', password: 'carol password' });
    await putPicks(c.agent, c.token, FIVE_PICKS).expect(200);
    const now = Date.now();
    await t.store.createRun({ id: 'run-fail', engine: 'test', now, leaseUntil: now + 60_000 });
    await t.store.claimPendingUsers('run-fail', 100, now);
    await t.store.failRun('run-fail', 'the engine crashed', now, 1);
    const failed = (await c.agent.get('/api/v1/me/recommendations').expect(200)).body;
    assert.equal(failed.state, 'failed');
    assert.equal(failed.reason, 'the engine crashed');
    assert.equal(failed.items, undefined);
  });

  test('needs a session', async () => {
    await request(t.app).get('/api/v1/me/recommendations').expect(401);
    await request(t.app).get('/api/v1/me/recommendations/quick').expect(401);
  });
});
