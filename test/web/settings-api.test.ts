import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { discoverySetting, quickCandidateKey } from '../../src/recommend/rerank/steps.js';
import { DEFAULT_DISCOVERY_STEP } from '../../src/services/discovery.js';
import { testDiscovery } from '../support/services.js';
import { apiToken, signedUp } from './support.js';
import { FIVE_PICKS, makeRecommenderApp, putPicks, type RecommenderApp } from './recommender-support.js';

const STEP_RULE = 'Choose one of familiar, balanced, explore, discover (most familiar to most discovery).';

function putSettings(agent: request.Agent, token: string, body: unknown) {
  return agent.put('/api/v1/me/settings').set('X-CSRF-Token', token).send(body as object);
}

describe('settings API', () => {
  let t: RecommenderApp;
  before(async () => {
    t = await makeRecommenderApp();
  });
  after(() => t.close());

  test('GET gives the default until PUT saves a step; both need a session, PUT the CSRF token', async () => {
    const anonymous = request.agent(t.app);
    await anonymous.get('/api/v1/me/settings').expect(401);
    await putSettings(anonymous, await apiToken(anonymous), { discoveryStep: 'explore' }).expect(401);

    const { agent, token, id } = await signedUp(t.app);
    assert.deepEqual((await agent.get('/api/v1/me/settings').expect(200)).body, { discoveryStep: DEFAULT_DISCOVERY_STEP });
    assert.deepEqual((await putSettings(agent, token, { discoveryStep: 'explore' }).expect(200)).body, { discoveryStep: 'explore' });
    assert.deepEqual((await agent.get('/api/v1/me/settings').expect(200)).body, { discoveryStep: 'explore' });
    assert.deepEqual(await t.store.getUserSettings(id), { discoveryStep: 'explore' });
    await agent.put('/api/v1/me/settings').send({ discoveryStep: 'familiar' }).expect(403);
    assert.deepEqual((await agent.get('/api/v1/me/settings').expect(200)).body, { discoveryStep: 'explore' });
  });

  test('bad input is a 400 naming the field discoveryStep, and nothing is saved', async () => {
    const { agent, token } = await signedUp(t.app, { username: 'bad-input', email: 'b@example.com', password: 'bad input password' });
    for (const body of [{ discoveryStep: 2 }, { discoveryStep: 'Familiar' }, { discoveryStep: 'x' }, { discoveryStep: ['discover'] }, { discoveryStep: null }, {}]) {
      const res = await putSettings(agent, token, body).expect(400);
      assert.equal(res.body.error.code, 'invalid_input');
      assert.deepEqual(res.body.error.issues, [{ field: 'discoveryStep', message: STEP_RULE }], JSON.stringify(body));
      assert.match(res.body.error.message, /^discoveryStep: /);
    }
    assert.deepEqual((await agent.get('/api/v1/me/settings').expect(200)).body, { discoveryStep: DEFAULT_DISCOVERY_STEP });
  });

  test('the step applies at once to the quick 12 and the 48, re-ranked from what is stored (recomputed only for another scorer)', async () => {
    const { agent, token, id } = await signedUp(t.app, { username: 'steerer', email: 's@example.com', password: 'steering password' });
    await putPicks(agent, token, FIVE_PICKS).expect(200);
    const stored = await t.store.getQuickRecommendations(id);
    assert.equal(stored?.method, quickCandidateKey(discoverySetting(DEFAULT_DISCOVERY_STEP)), "the default step's own scorer");
    const first = (await agent.get('/api/v1/me/recommendations/quick').expect(200)).body;
    assert.equal(first.discoveryStep, DEFAULT_DISCOVERY_STEP);

    await putSettings(agent, token, { discoveryStep: 'explore' }).expect(200);
    const explored = (await agent.get('/api/v1/me/recommendations/quick').expect(200)).body;
    const exploreCandidates = (await t.store.getQuickRecommendations(id))!;
    assert.equal(exploreCandidates.method, quickCandidateKey(discoverySetting('explore')));
    assert.deepEqual(
      explored.items.map((i: { movie: { id: number } }) => i.movie.id),
      (await testDiscovery()).shown(exploreCandidates.items, FIVE_PICKS, 'explore', 12).map((i) => i.movieId),
    );
    assert.notDeepEqual(explored.items, first.items, 'another step, another 12');
    if (exploreCandidates.method === stored.method) {
      assert.deepEqual(exploreCandidates, stored, 'the same scorer: the stored candidates are re-ranked, untouched');
    } else {
      assert.notDeepEqual(exploreCandidates.items, stored.items, "another scorer: explore's own candidates, computed and stored");
    }

    // 'familiar' is today's method: the configured scorer (itemsim), its plain order.
    await putSettings(agent, token, { discoveryStep: 'familiar' }).expect(200);
    const quick = (await agent.get('/api/v1/me/recommendations/quick').expect(200)).body;
    assert.equal(quick.discoveryStep, 'familiar');
    const familiar = await t.store.getQuickRecommendations(id);
    assert.equal(familiar?.method, 'itemsim');
    assert.deepEqual(
      quick.items.map((i: { movie: { id: number } }) => i.movie.id),
      familiar.items.slice(0, 12).map((i) => i.movieId),
    );
    assert.equal((await t.store.getUserStatus(id))?.generation, 1, 'a setting is not a change of picks');

    const now = Date.now();
    await t.store.createRun({ id: 'run-settings', engine: 'test', now, leaseUntil: now + 60_000 });
    const claimed = await t.store.claimPendingUsers('run-settings', 100, now);
    const candidates = Array.from({ length: 400 }, (_, i) => ({ movieId: 1000 + i, score: 5 - i / 1000, because: FIVE_PICKS[i % 5] }))
      .filter((c) => t.services.movies.has(c.movieId))
      .slice(0, 300);
    await t.store.completeRun('run-settings', claimed.map((c) => ({ userId: c.userId, generation: c.generation, candidates })), now, { maxAttempts: 3 });
    for (const step of ['discover', 'explore'] as const) {
      await putSettings(agent, token, { discoveryStep: step }).expect(200);
      const full = (await agent.get('/api/v1/me/recommendations').expect(200)).body;
      assert.equal(full.state, 'ready');
      assert.equal(full.discoveryStep, step);
      assert.deepEqual(
        full.items.map((i: { movie: { id: number } }) => i.movie.id),
        (await testDiscovery()).shown(candidates, FIVE_PICKS, step, 48).map((i) => i.movieId),
      );
    }
  });

  test('anonymous quick 12 take an optional discoveryStep; a bad one is a 400 naming it', async () => {
    const agent = request.agent(t.app);
    const token = await apiToken(agent);
    const post = (body: object) => agent.post('/api/v1/recommendations/quick').set('X-CSRF-Token', token).send(body);
    assert.equal((await post({ movieIds: FIVE_PICKS }).expect(200)).body.discoveryStep, DEFAULT_DISCOVERY_STEP);
    const chosen = (await post({ movieIds: FIVE_PICKS, discoveryStep: 'discover' }).expect(200)).body;
    assert.equal(chosen.discoveryStep, 'discover');
    assert.equal(chosen.items.length, 12);
    const bad = await post({ movieIds: FIVE_PICKS, discoveryStep: 'far' }).expect(400);
    assert.deepEqual(bad.body.error.issues, [{ field: 'discoveryStep', message: STEP_RULE }]);
  });
});
