import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { DEFAULT_DISCOVERY_STEP } from '../../src/services/discovery.js';
import { testDiscovery } from '../support/services.js';
import type { CandidateItem, Store } from '../../src/store/index.js';
import { loadMovieLens } from '../support/small-model.js';
import { alice, signedUp } from './support.js';
import { bob, FIVE_PICKS, makeRecommenderApp, putPicks, type RecommenderApp } from './recommender-support.js';

/** 300 distinct movies of the catalog (from the offset-th), scores descending, each explained by one of the picks, as a run imports them. */
async function candidatesFrom(offset: number): Promise<CandidateItem[]> {
  const { catalog } = await loadMovieLens();
  return catalog.movies.slice(offset, offset + 300).map((movie, i) => ({ movieId: movie.id, score: 1 - i / 1000, because: FIVE_PICKS[i % 5] }));
}
/** The 48 shown at the default step for these picks, as the services re-rank them. */
const shown48 = async (candidates: CandidateItem[], picks: number[] = FIVE_PICKS) =>
  (await testDiscovery()).shown(candidates, picks, DEFAULT_DISCOVERY_STEP, 48).map((c) => [c.movieId, c.because]);
const shownIds = (items: { movie: { id: number }; because: { id: number } }[]) => items.map((i) => [i.movie.id, i.because.id]);

/** What the tick does, through the store: one run that claims every pending user and completes with their results. */
async function completeRun(store: Store, runId: string, candidates: CandidateItem[]) {
  const now = Date.now();
  await store.createRun({ id: runId, engine: 'test', now, leaseUntil: now + 60_000 });
  const claimed = await store.claimPendingUsers(runId, 100, now);
  const results = claimed.map(({ userId, generation }) => ({ userId, generation, candidates }));
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
      { userId: a.id, generation: 1, candidates: await candidatesFrom(0) },
      { userId: b.id, generation: 1, candidates: await candidatesFrom(100) },
    ];
    await t.store.completeRun('run-1', results, now, { maxAttempts: 3 });

    const ready = (await a.agent.get('/api/v1/me/recommendations').expect(200)).body;
    assert.equal(ready.state, 'ready');
    assert.equal(ready.items.length, 48);
    assert.deepEqual(shownIds(ready.items), await shown48(await candidatesFrom(0)));
    const scoreOf = new Map((await candidatesFrom(0)).map((c) => [c.movieId, c.score]));
    for (const item of ready.items) assert.equal(item.score, scoreOf.get(item.movie.id), 'each shows its model score, not the re-ranking objective');
    assert.equal(typeof ready.items[0].movie.title, 'string');
    // "Because you picked …" on every one of the 48: a movie card of one of the picks.
    for (const item of ready.items) {
      assert.ok(FIVE_PICKS.includes(item.because.id), JSON.stringify(item.because));
      assert.equal(typeof item.because.title, 'string');
    }
    assert.equal(ready.position, undefined);

    // Two sessions: each sees only their own.
    const bobs = (await b.agent.get('/api/v1/me/recommendations').expect(200)).body;
    assert.deepEqual(shownIds(bobs.items), await shown48(await candidatesFrom(100), [...FIVE_PICKS, 260]));

    // New picks: pending again, the 48 of the old picks never shown.
    await putPicks(a.agent, a.token, [...FIVE_PICKS.slice(1), 260]).expect(200);
    const changed = (await a.agent.get('/api/v1/me/recommendations').expect(200)).body;
    assert.equal(changed.state, 'pending');
    assert.equal(changed.items, undefined);

    assert.equal((await b.agent.get('/api/v1/me/recommendations').expect(200)).body.state, 'ready', "bob's stay");

    // The next run computes the new picks: their 48 are shown.
    const claimed = await completeRun(t.store, 'run-2', await candidatesFrom(200));
    assert.deepEqual(claimed.map((c) => [c.userId, c.generation]), [[a.id, 2]]);
    const after = (await a.agent.get('/api/v1/me/recommendations').expect(200)).body;
    assert.equal(after.state, 'ready');
    assert.deepEqual(shownIds(after.items), await shown48(await candidatesFrom(200), [...FIVE_PICKS.slice(1), 260]));
  });

  test('candidates the catalog lacks are passed over: still 48 shown, re-ranked from the rest', async () => {
    const e = await signedUp(t.app, { username: 'erin', email: 'erin@example.com', password: 'erin password' });
    await putPicks(e.agent, e.token, FIVE_PICKS).expect(200);
    const all = await candidatesFrom(300);
    const withUnknown = [{ movieId: 999_999_999, score: 2, because: FIVE_PICKS[0] }, all[0], { ...all[1], because: 999_999_998 }, ...all.slice(2)];
    await completeRun(t.store, 'run-unknown', withUnknown);
    const ready = (await e.agent.get('/api/v1/me/recommendations').expect(200)).body;
    assert.equal(ready.items.length, 48);
    assert.deepEqual(shownIds(ready.items), await shown48([all[0], ...all.slice(2)]));
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
