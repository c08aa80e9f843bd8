import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldInScorer, prepareModel, recommendForPicks } from '../../src/recommend/foldin.js';
import type { ItemFactorModel } from '../../src/recommend/model.js';
import { quickRecommend, quickScorer, quickScores, type QuickMethod } from '../../src/recommend/quick.js';
import { quickCandidateKey, quickOptionsOf } from '../../src/recommend/rerank/steps.js';

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

/** Ratings per item row: 10 is famous (100), 20 niche (1), 30–50 in between. */
const itemPopularity = Float64Array.from([100, 1, 4, 9, 16]);

function near(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-9): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `[${i}] ${actual[i]} ≠ ${expected[i]}`);
}

test('pick weight: itemsim counts each pick ratings^−η, so the famous pick says less', () => {
  // η 0.5: pick 10 weighs 100^−0.5 = 0.1, pick 20 weighs 1: Σ = (0.1, 1).
  const options = { method: 'itemsim', pickPopularityExponent: 0.5, itemPopularity } as const;
  near(quickScores(prepared, [10, 20], options), [0.1, 1, 1.1, 2.9, -0.8]);
  // 30 now owes more to 20 (1 against 0.1) where unweighted picks tie and the first pick explains it.
  const recs = quickRecommend(prepared, [10, 20], 3, options);
  assert.deepEqual(recs.map((r) => [r.movieId, r.because]), [[40, 20], [30, 20], [50, 10]]);
  near(recs.map((r) => r.score), [2.9, 1.1, -0.8]);
  // η 0 is every pick the same, exactly today's scores; a count below 1 counts as 1.
  assert.deepEqual(quickScores(prepared, [10, 20], { ...options, pickPopularityExponent: 0 }), quickScores(prepared, [10, 20], { method: 'itemsim' }));
  near(quickScores(prepared, [10, 20], { ...options, itemPopularity: [0, 0, 0, 0, 0] }), [1, 1, 2, 2, 1]);
});

test("pick weight: fold-in scales each pick's share of b, its contribution scaled alike", () => {
  const plain = foldInScorer(prepared, [10, 40]);
  const weighted = quickScorer(prepared, [10, 40], { method: 'foldin', pickPopularityExponent: 1, itemPopularity });
  const scale = [1 / 100, 1 / 9];
  const parts = new Float64Array(2);
  const weightedParts = new Float64Array(2);
  for (let i = 0; i < 5; i++) {
    plain.contributions(i, parts);
    weighted.contributions(i, weightedParts);
    near(weightedParts, [scale[0] * parts[0], scale[1] * parts[1]]);
    near([weighted.scores[i]], [weightedParts[0] + weightedParts[1]]);
  }
  // One pick: A is unchanged, so the scores are the unweighted ones times the pick's weight.
  near(quickScores(prepared, [40], { method: 'foldin', pickPopularityExponent: 1, itemPopularity }), Array.from(quickScores(prepared, [40], { method: 'foldin' }), (v) => v / 9));
});

test('item-norm discount: scores and contributions divided by ‖y_i‖^α', () => {
  // Norms 1, 1, √2, √10, √5; itemsim of picks 10, 20 scores 1, 1, 2, 2, 1 before the discount.
  const options = { method: 'itemsim', itemNormExponent: 1 } as const;
  near(quickScores(prepared, [10, 20], options), [1, 1, Math.SQRT2, 2 / Math.sqrt(10), 1 / Math.sqrt(5)]);
  const scorer = quickScorer(prepared, [10, 20], options);
  const parts = new Float64Array(2);
  scorer.contributions(3, parts); // item 40: (−1, 3)/√10
  near(parts, [-1 / Math.sqrt(10), 3 / Math.sqrt(10)]);
  // 40 fell from a tie with 30 to below it.
  assert.deepEqual(quickRecommend(prepared, [10, 20], 3, options).map((r) => [r.movieId, r.because]), [[30, 10], [40, 20], [50, 10]]);
  near(quickScores(prepared, [10, 20], { ...options, itemNormExponent: 0 }), [1, 1, 2, 2, 1]);
});

test('blend with both discounts is the z-scored mix of its discounted parts, contributions summing to its scores', () => {
  const picks = [10, 40];
  const discounts = { pickPopularityExponent: 0.5, itemPopularity, itemNormExponent: 0.5 };
  const z = (v: Float64Array) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    return { scores: Array.from(v, (x) => (x - mean) / std), offset: mean / std };
  };
  const f = z(quickScores(prepared, picks, { method: 'foldin', ...discounts }));
  const s = z(quickScores(prepared, picks, { method: 'itemsim', ...discounts }));
  const blend = quickScorer(prepared, picks, { method: 'blend', ...discounts });
  near(blend.scores, f.scores.map((v, i) => 0.5 * v + 0.5 * s.scores[i]));
  const parts = new Float64Array(2);
  for (let i = 0; i < 5; i++) {
    blend.contributions(i, parts);
    near([parts[0] + parts[1] - 0.5 * f.offset - 0.5 * s.offset], [blend.scores[i]]);
  }
});

test('blend with the pick weight in one part mixes that weighted part with the other part unweighted', () => {
  const picks = [10, 40];
  const weight = { pickPopularityExponent: 1, itemPopularity };
  const z = (v: Float64Array) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    return Array.from(v, (x) => (x - mean) / std);
  };
  const [f, fw] = [z(quickScores(prepared, picks, { method: 'foldin' })), z(quickScores(prepared, picks, { method: 'foldin', ...weight }))];
  const [s, sw] = [z(quickScores(prepared, picks, { method: 'itemsim' })), z(quickScores(prepared, picks, { method: 'itemsim', ...weight }))];
  near(quickScores(prepared, picks, { method: 'blend', ...weight, pickWeightedPart: 'itemsim' }), f.map((v, i) => 0.5 * v + 0.5 * sw[i]));
  near(quickScores(prepared, picks, { method: 'blend', ...weight, pickWeightedPart: 'foldin' }), fw.map((v, i) => 0.5 * v + 0.5 * s[i]));
});

test('the discounts refuse bad exponents and a pick weight without rating counts; a step passes them through', () => {
  assert.throws(() => quickScores(prepared, [10], { method: 'itemsim', pickPopularityExponent: 0.5 }), /needs itemPopularity/);
  assert.throws(() => quickScores(prepared, [10], { method: 'blend', pickPopularityExponent: -1, itemPopularity }), /pickPopularityExponent is -1/);
  assert.throws(() => quickScores(prepared, [10], { method: 'foldin', itemNormExponent: Number.NaN }), /itemNormExponent is NaN/);
  assert.deepEqual(quickOptionsOf({ quickMethod: 'blend', pickPopularityExponent: 0.5, pickWeightedPart: 'itemsim', itemNormExponent: 1 }, itemPopularity), {
    method: 'blend',
    pickPopularityExponent: 0.5,
    itemPopularity,
    pickWeightedPart: 'itemsim',
    itemNormExponent: 1,
  });
  assert.deepEqual(quickOptionsOf({ quickMethod: 'blend' }, itemPopularity), { method: 'blend' });
});

test("a setting's candidate key is its method alone without options, else the method and each option", () => {
  assert.equal(quickCandidateKey({ quickMethod: 'blend' }), 'blend');
  assert.equal(quickCandidateKey({ quickMethod: 'itemsim' }), 'itemsim');
  assert.equal(quickCandidateKey({ quickMethod: 'blend', pickPopularityExponent: 0.25, pickWeightedPart: 'itemsim' }), 'blend eta0.25@itemsim');
  assert.equal(quickCandidateKey({ quickMethod: 'blend', pickPopularityExponent: 0.25 }), 'blend eta0.25');
  assert.equal(quickCandidateKey({ quickMethod: 'blend', blendWeight: 0.75, foldinRegularization: 100, perPickCandidates: 30, itemNormExponent: 0.5 }), 'blend w0.75 reg100 pool30 alpha0.5');
});
