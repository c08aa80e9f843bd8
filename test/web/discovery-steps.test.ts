/**
 * The "familiar ↔ discover" steps on real data (ml-latest-small and its small ALS model), for the famous picks a new
 * user types first: 'familiar' is today's method exactly; the other steps keep the popularity chart off the top and
 * let more of the picks explain something.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { DISCOVERY_STEPS } from '../../src/services/discovery.js';
import { prepareModel } from '../../src/recommend/foldin.js';
import { quickRecommend } from '../../src/recommend/quick.js';
import { loadMovieLens, smallModel } from '../support/small-model.js';
import { apiToken } from './support.js';
import { makeRecommenderApp, type RecommenderApp } from './recommender-support.js';

/** Toy Story, The Matrix, Fight Club, Amélie, Spirited Away, Alien. */
const FAMOUS = [1, 2571, 2959, 4973, 5618, 1214];

interface Item {
  movie: { id: number };
  because: { id: number };
}

describe('discovery steps on real data, famous picks', () => {
  let t: RecommenderApp;
  const lists = new Map<string, Item[]>();
  let head: Set<number>;

  before(async () => {
    t = await makeRecommenderApp();
    const agent = request.agent(t.app);
    const token = await apiToken(agent);
    for (const step of DISCOVERY_STEPS) {
      const res = await agent.post('/api/v1/recommendations/quick').set('X-CSRF-Token', token).send({ movieIds: FAMOUS, discoveryStep: step }).expect(200);
      lists.set(step, res.body.items as Item[]);
    }
    const { catalog } = await loadMovieLens();
    head = new Set([...catalog.movies].sort((a, b) => catalog.popularity(b.id) - catalog.popularity(a.id) || a.id - b.id).slice(0, 100).map((m) => m.id));
  });
  after(() => t.close());

  const headShare = (items: Item[]) => items.filter((i) => head.has(i.movie.id)).length / items.length;
  const picksExplaining = (items: Item[]) => new Set(items.map((i) => i.because.id)).size;

  test("'familiar' is today's method: picks·V·Vᵀ, its top 12 in order, each because its largest contribution", async () => {
    const today = quickRecommend(prepareModel(await smallModel()), FAMOUS, 12, { method: 'itemsim' });
    assert.deepEqual(
      lists.get('familiar')!.map((i) => [i.movie.id, i.because.id]),
      today.map((r) => [r.movieId, r.because]),
    );
  });

  test('every step: 12 distinct, none picked, each because one of the picks', () => {
    for (const [step, items] of lists) {
      assert.equal(items.length, 12, step);
      assert.equal(new Set(items.map((i) => i.movie.id)).size, 12, step);
      for (const item of items) {
        assert.ok(!FAMOUS.includes(item.movie.id), `${step}: a pick recommended`);
        assert.ok(FAMOUS.includes(item.because.id), `${step}: because ${item.because.id} is not a pick`);
      }
    }
  });

  test('away from familiar, fewer of the 100 most-rated and more picks explaining something', () => {
    const familiar = lists.get('familiar')!;
    const balanced = lists.get('balanced')!;
    const discover = lists.get('discover')!;
    assert.ok(headShare(familiar) > 0.5, `familiar's head share ${headShare(familiar)}: the popularity chart this setting exists to avoid`);
    assert.ok(headShare(balanced) <= 0.5, `balanced: ${headShare(balanced)} of the 12 among the 100 most-rated`);
    assert.ok(headShare(discover) <= 0.2, `discover: ${headShare(discover)} of the 12 among the 100 most-rated`);
    assert.ok(picksExplaining(balanced) > picksExplaining(familiar), `picks explaining: balanced ${picksExplaining(balanced)}, familiar ${picksExplaining(familiar)}`);
  });
});
