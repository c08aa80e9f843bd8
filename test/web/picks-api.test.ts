import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { QUICK_CANDIDATE_COUNT } from '../../src/services/recommendations-quick.js';
import { loadMovieLens } from '../support/small-model.js';
import { apiToken, signedUp } from './support.js';
import { bob, FIVE_PICKS, makeRecommenderApp, putPicks, type RecommenderApp } from './recommender-support.js';

/** Distinct ids the catalog and the model know (the first rated movies). */
function knownIds(t: RecommenderApp, count: number): number[] {
  return Array.from(t.currentModel.get()!.model.itemIds.slice(0, count));
}

/** Movies of the catalog (with genres) that nobody rated, so the model lacks them. */
async function unratedMovies(t: RecommenderApp, count: number) {
  const { catalog } = await loadMovieLens();
  const model = t.currentModel.get()!;
  const found = catalog.movies.filter((m) => !model.itemIndex.has(m.id) && m.genres.length > 0).slice(0, count);
  assert.equal(found.length, count, `ml-latest-small has ${count} movies nobody rated`);
  return found;
}

describe('picks API', () => {
  let t: RecommenderApp;
  before(async () => {
    t = await makeRecommenderApp();
  });
  after(() => t.close());

  test('bad picks are a 400 naming what is wrong, and nothing is stored', async () => {
    const { agent, token, id } = await signedUp(t.app);
    const before = await t.store.getUserStatus(id);
    const ids51 = knownIds(t, 51);
    const cases: { body: unknown; message: RegExp }[] = [
      { body: [1, 2, 6, 10], message: /at least 5 movies \(you have 4\)/ },
      { body: ids51, message: /at most 50 movies \(you have 51\)/ },
      { body: [1, 2, 6, 10, 1], message: /more than once: Toy Story \(1995, id 1\)/ },
      { body: [1, 2, 6, 10, 999999, 888888], message: /Unknown movie ids: 999999, 888888/ },
      { body: [1, 2, 6, 10, '110'], message: /not movie ids .*"110"/ },
      { body: [1, 2, 6, 10, 1.5], message: /not movie ids .*1\.5/ },
      { body: [1, 2, 6, 10, -4], message: /not movie ids .*-4/ },
      { body: 'not a list', message: /list of movie ids/ },
    ];
    for (const { body, message } of cases) {
      const res = await putPicks(agent, token, body).expect(400);
      assert.equal(res.body.error.code, 'invalid_input');
      const issues = res.body.error.issues as { field: string; message: string }[];
      assert.ok(issues.length > 0 && issues.every((i) => i.field === 'movieIds'), JSON.stringify(issues));
      assert.ok(issues.some((i) => message.test(i.message)), `${JSON.stringify(body)}: ${JSON.stringify(issues)}`);
    }
    // Several problems at once: each is its own issue.
    const many = await putPicks(agent, token, [1, 1, 999999]).expect(400);
    assert.equal(many.body.error.issues.length, 3);
    // A missing body field.
    await agent.put('/api/v1/me/picks').set('X-CSRF-Token', token).send({}).expect(400);

    assert.deepEqual(await t.store.getUserStatus(id), before, 'state unchanged');
    assert.equal(t.picksChanged(), 0);
    assert.deepEqual((await agent.get('/api/v1/me/picks').expect(200)).body, { movieIds: [], state: 'none' });
  });

  test('a movie nobody rated is accepted: stored with the picks, the 12 come from the other picks', async () => {
    const unrated = await unratedMovies(t, 1);
    const { agent, token, id } = await signedUp(t.app, { ...bob, username: 'unrated-user' });
    const picks = [1, 2, 6, 10, unrated[0].id];
    const res = await putPicks(agent, token, picks).expect(200);
    assert.deepEqual(res.body, { movieIds: picks, state: 'pending' });
    assert.deepEqual((await t.store.getUserStatus(id))?.movieIds, picks);

    const quick = (await agent.get('/api/v1/me/recommendations/quick').expect(200)).body;
    assert.equal(quick.basis, 'picks');
    assert.deepEqual(quick.unratedPicks.map((m: { id: number }) => m.id), [unrated[0].id]);
    assert.equal(quick.items.length, 12);
    for (const item of quick.items) {
      assert.ok([1, 2, 6, 10].includes(item.because.id), `because ${item.because.id}: only rated picks explain`);
      assert.ok(!picks.includes(item.movie.id));
    }
  });

  test('picks nobody rated at all: 200 and 12 of the best movies of their genres, saying so', async () => {
    const unrated = await unratedMovies(t, 5);
    const { agent, token } = await signedUp(t.app, { ...bob, username: 'all-unrated' });
    const picks = unrated.map((m) => m.id);
    await putPicks(agent, token, picks).expect(200);

    const quick = (await agent.get('/api/v1/me/recommendations/quick').expect(200)).body;
    assert.equal(quick.basis, 'genres');
    assert.deepEqual(quick.unratedPicks.map((m: { id: number }) => m.id), picks);
    assert.equal(quick.items.length, 12);
    const { bestMovies } = t.services;
    for (const item of quick.items) {
      assert.ok(!picks.includes(item.movie.id));
      assert.ok(picks.includes(item.because.id));
      const shared = item.movie.genres.filter((g: string) => item.because.genres.includes(g));
      assert.ok(shared.length > 0, `${item.movie.title} shares no genre with ${item.because.title}`);
      assert.ok(shared.some((g: string) => bestMovies.list({ genre: g }).best.some((b) => b.movie.id === item.movie.id)));
    }
    for (let i = 1; i < quick.items.length; i++) assert.ok(quick.items[i - 1].score >= quick.items[i].score, 'best first');

    const page = await agent.get('/recommendations/quick').expect(200);
    assert.match(page.text, /Nobody has rated the movies you picked yet/);
    assert.match(page.text, /best-rated movies in the same genres/);
  });

  test('valid picks: saved as pending with a new generation, quick 12 stored, onPicksChanged called once', async () => {
    const { agent, token, id } = await signedUp(t.app, bob);
    const changesBefore = t.picksChanged();
    const res = await putPicks(agent, token, FIVE_PICKS).expect(200);
    assert.deepEqual(res.body, { movieIds: FIVE_PICKS, state: 'pending' });
    const status = await t.store.getUserStatus(id);
    assert.equal(status?.state, 'pending');
    assert.equal(status?.generation, 1);
    assert.deepEqual(status?.movieIds, FIVE_PICKS);
    assert.equal(t.picksChanged(), changesBefore + 1);
    const quick = await t.store.getQuickRecommendations(id);
    assert.equal(quick?.generation, 1);
    assert.equal(quick?.items.length, QUICK_CANDIDATE_COUNT, 'the candidates the 12 are re-ranked from');
    assert.deepEqual((await agent.get('/api/v1/me/picks').expect(200)).body, { movieIds: FIVE_PICKS, state: 'pending' });

    const again = [...FIVE_PICKS.slice(1), 260];
    await putPicks(agent, token, again).expect(200);
    assert.equal((await t.store.getUserStatus(id))?.generation, 2);
    assert.equal(t.picksChanged(), changesBefore + 2);
  });

  test('picks need a session (401) and the CSRF token (403)', async () => {
    const anonymous = request.agent(t.app);
    const token = await apiToken(anonymous);
    await putPicks(anonymous, token, FIVE_PICKS).expect(401);
    await anonymous.get('/api/v1/me/picks').expect(401);
    const { agent } = await signedUp(t.app, { ...bob, username: 'no-token' });
    await agent.put('/api/v1/me/picks').send({ movieIds: FIVE_PICKS }).expect(403);
    await agent.put('/api/v1/me/picks').set('X-CSRF-Token', 'wrong').send({ movieIds: FIVE_PICKS }).expect(403);
  });

  test('without a model, picks are still saved (checked against the catalog only) and no quick 12 is stored', async () => {
    const noModel = await makeRecommenderApp({ model: false });
    try {
      const { agent, token, id } = await signedUp(noModel.app);
      await putPicks(agent, token, [1, 2, 6, 10, 999999]).expect(400);
      await putPicks(agent, token, FIVE_PICKS).expect(200);
      assert.equal((await noModel.store.getUserStatus(id))?.state, 'pending');
      assert.equal(await noModel.store.getQuickRecommendations(id), null);
      assert.equal(noModel.picksChanged(), 1);
    } finally {
      await noModel.close();
    }
  });
});
