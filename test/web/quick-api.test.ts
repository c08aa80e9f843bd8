import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { discoverySetting, quickCandidateKey } from '../../src/recommend/rerank/steps.js';
import { DEFAULT_DISCOVERY_STEP } from '../../src/services/discovery.js';
import { testDiscovery } from '../support/services.js';
import { apiToken, signedUp } from './support.js';
import { FIVE_PICKS, makeRecommenderApp, putPicks, type RecommenderApp } from './recommender-support.js';

interface Card {
  id: number;
  title: string;
  year: number | null;
  genres: string[];
  imdbUrl: string | null;
  tmdbUrl: string | null;
}
interface QuickItem {
  movie: Card;
  score: number;
  because: Card;
}

function assertQuick(items: QuickItem[], picks: number[]): void {
  assert.equal(items.length, 12);
  const ids = items.map((i) => i.movie.id);
  assert.equal(new Set(ids).size, 12, 'no movie twice');
  for (const item of items) {
    assert.ok(!picks.includes(item.movie.id), `picked movie ${item.movie.id} recommended`);
    assert.ok(picks.includes(item.because.id), `because ${item.because.id} is not a pick`);
    assert.equal(typeof item.movie.title, 'string');
    assert.ok(Array.isArray(item.movie.genres));
    assert.ok(Number.isFinite(item.score));
  }
}

/** 'familiar' shows the scorer's plain order: best first by the model's score. */
function assertBestFirst(items: QuickItem[]): void {
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].score >= items[i].score, 'best first');
}

describe('quick recommendations API', () => {
  let t: RecommenderApp;
  before(async () => {
    t = await makeRecommenderApp();
  });
  after(() => t.close());

  test("the user's 12: none picked, each because one of the picks; the same as stored at PUT", async () => {
    const { agent, token, id } = await signedUp(t.app);
    const none = await agent.get('/api/v1/me/recommendations/quick').expect(409);
    assert.match(none.body.error.message, /Pick at least 5 movies first/);

    await putPicks(agent, token, FIVE_PICKS).expect(200);
    const res = await agent.get('/api/v1/me/recommendations/quick').expect(200);
    assertQuick(res.body.items, FIVE_PICKS);
    assert.equal(res.body.basis, 'picks');
    assert.deepEqual(res.body.unratedPicks, []);
    assert.equal(res.body.discoveryStep, DEFAULT_DISCOVERY_STEP);
    const stored = await t.store.getQuickRecommendations(id);
    const expected = (await testDiscovery()).shown(stored!.items, FIVE_PICKS, DEFAULT_DISCOVERY_STEP, 12);
    assert.deepEqual(res.body.items.map((i: QuickItem) => i.movie.id), expected.map((i) => i.movieId));
  });

  test('missing stored ones are computed (and stored) on GET', async () => {
    const { agent, id } = await signedUp(t.app, { username: 'carol', email: 'carol@example.com', password: 'carol password' });
    // Picks saved straight into the store: no quick recommendations were computed for them.
    const status = await t.store.savePicks(id, FIVE_PICKS, Date.now());
    assert.equal(await t.store.getQuickRecommendations(id), null);
    const res = await agent.get('/api/v1/me/recommendations/quick').expect(200);
    assertQuick(res.body.items, FIVE_PICKS);
    assert.equal((await t.store.getQuickRecommendations(id))?.generation, status.generation);
  });

  test("stored candidates carry their scorer: another scorer's are computed again, unless no model is loaded", async () => {
    const { agent, token, id } = await signedUp(t.app, { username: 'scorer', email: 'scorer@example.com', password: 'scorer password' });
    await putPicks(agent, token, FIVE_PICKS).expect(200);
    const stored = (await t.store.getQuickRecommendations(id))!;
    const defaultKey = quickCandidateKey(discoverySetting(DEFAULT_DISCOVERY_STEP));
    assert.equal(stored.method, defaultKey, "the default step scores with its own scorer");
    // A list from another scorer (e.g. stored under another step's scorer): replaced on the next read.
    const other = [{ movieId: 296, score: 1, because: FIVE_PICKS[0] }];
    assert.equal(await t.store.saveQuickRecommendations(id, stored.generation, other, Date.now(), 'itemsim'), true);
    const res = await agent.get('/api/v1/me/recommendations/quick').expect(200);
    assertQuick(res.body.items, FIVE_PICKS);
    const again = (await t.store.getQuickRecommendations(id))!;
    assert.equal(again.method, defaultKey);
    assert.deepEqual(again.items, stored.items);
    // 'familiar' scores with the configured QUICK_METHOD (itemsim by default), today's method, in its plain order.
    await agent.put('/api/v1/me/settings').set('X-CSRF-Token', token).send({ discoveryStep: 'familiar' }).expect(200);
    const familiar = (await agent.get('/api/v1/me/recommendations/quick').expect(200)).body;
    assertQuick(familiar.items, FIVE_PICKS);
    assertBestFirst(familiar.items);
    assert.equal((await t.store.getQuickRecommendations(id))!.method, 'itemsim');

    const noModel = await makeRecommenderApp({ model: false });
    try {
      const lone = await signedUp(noModel.app);
      await putPicks(lone.agent, lone.token, FIVE_PICKS).expect(200);
      await noModel.store.saveQuickRecommendations(lone.id, 1, stored.items, Date.now(), 'itemsim');
      const served = await lone.agent.get('/api/v1/me/recommendations/quick').expect(200);
      assertQuick(served.body.items, FIVE_PICKS);
    } finally {
      await noModel.close();
    }
  });

  test('anonymous POST: the 12 for any picks, validated the same way', async () => {
    const agent = request.agent(t.app);
    const token = await apiToken(agent);
    const picks = [296, 318, 593, 2571, 260, 1196];
    const res = await agent.post('/api/v1/recommendations/quick').set('X-CSRF-Token', token).send({ movieIds: picks }).expect(200);
    assertQuick(res.body.items, picks);
    const bad = await agent.post('/api/v1/recommendations/quick').set('X-CSRF-Token', token).send({ movieIds: [1, 2, 3] }).expect(400);
    assert.match(bad.body.error.issues[0].message, /at least 5/);
    await agent.post('/api/v1/recommendations/quick').send({ movieIds: picks }).expect(403);
  });

  test('no model loaded yet: 503 with a clear message (after validation)', async () => {
    const noModel = await makeRecommenderApp({ model: false });
    try {
      const { agent, token } = await signedUp(noModel.app);
      await putPicks(agent, token, FIVE_PICKS).expect(200);
      const mine = await agent.get('/api/v1/me/recommendations/quick').expect(503);
      assert.equal(mine.body.error.code, 'model_unavailable');
      assert.match(mine.body.error.message, /first model is still being trained/);
      assert.ok(mine.headers['retry-after']);
      const anyPicks = await agent.post('/api/v1/recommendations/quick').set('X-CSRF-Token', token).send({ movieIds: FIVE_PICKS }).expect(503);
      assert.equal(anyPicks.body.error.code, 'model_unavailable');
      await agent.post('/api/v1/recommendations/quick').set('X-CSRF-Token', token).send({ movieIds: [1] }).expect(400);

      // Once a model is loaded, the missing 12 are computed on the next GET.
      noModel.currentModel.replace(t.currentModel.get()!.model);
      assertQuick((await agent.get('/api/v1/me/recommendations/quick').expect(200)).body.items, FIVE_PICKS);
    } finally {
      await noModel.close();
    }
  });
});
