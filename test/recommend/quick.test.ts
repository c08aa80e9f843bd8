import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareModel, recommendForPicks } from '../../src/recommend/foldin.js';
import type { ItemFactorModel } from '../../src/recommend/model.js';
import { quickRecommend, quickScores, type QuickMethod } from '../../src/recommend/quick.js';

/** Items 10 (1,0), 20 (0,1), 30 (1,1), 40 (−1,3), 50 (2,−1). */
const model: ItemFactorModel = {
  rank: 2,
  itemIds: Int32Array.from([10, 20, 30, 40, 50]),
  itemFactors: Float32Array.from([1, 0, 0, 1, 1, 1, -1, 3, 2, -1]),
  params: { rank: 2, iterations: 1, regularization: 1, alpha: 1, ratingThreshold: null, scaleRegularization: false, seed: 1 },
  engine: 'test',
  trainedAt: '2024-01-01T00:00:00Z',
};
const prepared = prepareModel(model);

test('itemsim scores every item by Σ_picks y_p·y_i', () => {
  // Picks 10 and 20: Σ y_p = (1,1), so scores are the sums of each item's factors.
  assert.deepEqual(Array.from(quickScores(prepared, [10, 20], { method: 'itemsim' })), [1, 1, 2, 2, 1]);
});

test('itemsim ranks ties by item order and explains by the most similar pick', () => {
  // 30 and 40 both score 2; 30 comes first. 40·10 = −1 and 40·20 = 3 → because 20; 30 ties (1, 1) → the first pick.
  // 50: 50·10 = 2 and 50·20 = −1 → because 10.
  assert.deepEqual(quickRecommend(prepared, [10, 20], 12, { method: 'itemsim' }), [
    { movieId: 30, score: 2, because: 10 },
    { movieId: 40, score: 2, because: 20 },
    { movieId: 50, score: 1, because: 10 },
  ]);
});

test("the 'foldin' method is recommendForPicks, with its options", () => {
  const options = { ratings: [4, 2], regularization: 0.5 };
  assert.deepEqual(quickRecommend(prepared, [10, 40], 3, { method: 'foldin', ...options }), recommendForPicks(prepared, [10, 40], 3, options));
});

test('blend is the weighted sum of the z-scored fold-in and itemsim scores', () => {
  const picks = [10, 40];
  const f = quickScores(prepared, picks, { method: 'foldin' });
  const s = quickScores(prepared, picks, { method: 'itemsim' });
  const z = (v: Float64Array) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    return Array.from(v, (x) => (x - mean) / std);
  };
  const [zf, zs] = [z(f), z(s)];
  const blend = quickScores(prepared, picks, { method: 'blend', blendWeight: 0.25 });
  blend.forEach((b, i) => assert.ok(Math.abs(b - (0.25 * zf[i] + 0.75 * zs[i])) < 1e-12, `item ${i}: ${b}`));
  const sameOrder = (method: QuickMethod, blendWeight: number) =>
    assert.deepEqual(
      quickRecommend(prepared, picks, 3, { method: 'blend', blendWeight }).map((r) => [r.movieId, r.because]),
      quickRecommend(prepared, picks, 3, { method }).map((r) => [r.movieId, r.because]),
    );
  sameOrder('foldin', 1);
  sameOrder('itemsim', 0);
});

test('no method returns a pick, and every method refuses unknown ids and bad options', () => {
  for (const method of ['foldin', 'itemsim', 'blend'] as const) {
    const recs = quickRecommend(prepared, [30, 50], 12, { method });
    assert.deepEqual(recs.map((r) => r.movieId).sort(), [10, 20, 40], method);
    assert.ok(recs.every((r) => r.because === 30 || r.because === 50), method);
    assert.throws(() => quickRecommend(prepared, [30, 31, 32], 12, { method }), { message: 'unknown movie ids (not in the model): 31, 32' });
  }
  assert.throws(() => quickScores(prepared, [10], { method: 'blend', blendWeight: 2 }), /blendWeight is 2/);
  assert.throws(() => quickScores(prepared, [10], { method: 'popular' as QuickMethod }), /unknown quick method "popular"/);
});
