import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { foldInScorer, foldInUser, prepareModel, recommendForPicks, recommendForUser, rowDots } from '../../src/recommend/foldin.js';
import type { ItemFactorModel, ModelParams } from '../../src/recommend/model.js';

/**
 * Items 10, 20, 30 with factors (1,0), (0,1), (1,1): YᵀY = [[2,1],[1,2]]. alpha 1, λ 1 unscaled, no threshold,
 * so a pick rated r has c = 1 + r, p = 1, and a pick without rating counts as r = 5: c = 6.
 */
function tinyModel(params: Partial<ModelParams> = {}, extra: { ids: number[]; factors: number[] } = { ids: [], factors: [] }): ItemFactorModel {
  return {
    rank: 2,
    itemIds: Int32Array.from([10, 20, 30, ...extra.ids]),
    itemFactors: Float32Array.from([1, 0, 0, 1, 1, 1, ...extra.factors]),
    params: { rank: 2, iterations: 1, regularization: 1, alpha: 1, ratingThreshold: null, scaleRegularization: false, seed: 1, ...params },
    engine: 'test',
    trainedAt: '2024-01-01T00:00:00Z',
  };
}

function near(actual: ArrayLike<number>, expected: number[], tolerance = 1e-12): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `[${i}] ${actual[i]} ≠ ${expected[i]} (all: ${Array.from(actual).join(',')})`);
  }
}

test('prepareModel indexes the ids and computes YᵀY', () => {
  const p = prepareModel(tinyModel());
  assert.deepEqual(Array.from(p.gram), [2, 1, 1, 2]);
  assert.equal(p.itemIndex.get(30), 2);
  assert.equal(p.itemCount, 3);
});

test('fold-in of one unrated pick solves the hand-computed system', () => {
  // A = YᵀY + (6−1)·y₁y₁ᵀ + I = [[8,1],[1,3]], b = 6·(1,0) → x = (1/23)·[[3,−1],[−1,8]]·(6,0) = (18/23, −6/23).
  near(foldInUser(prepareModel(tinyModel()), [10]), [18 / 23, -6 / 23]);
});

test('fold-in with ratings weights each pick by its confidence', () => {
  // ratings 5 and 1: c = 6 and 2. A = [[2+5+1, 1],[1, 2+1+1]] = [[8,1],[1,4]], b = (6, 2) → x = (22/31, 10/31).
  near(foldInUser(prepareModel(tinyModel()), [10, 20], [5, 1]), [22 / 31, 10 / 31]);
});

test('fold-in regularization: an override replaces λ, and Spark scaling multiplies it by the number of picks', () => {
  // λ = 3: A = [[10,1],[1,5]], b = (6,0) → x = (1/49)·(30, −6).
  near(foldInUser(prepareModel(tinyModel()), [10], undefined, { regularization: 3 }), [30 / 49, -6 / 49]);
  // λ = 0.5 scaled by 2 picks is λ = 1: the same as the unscaled case above with ratings 5 and 1.
  near(foldInUser(prepareModel(tinyModel({ regularization: 0.5, scaleRegularization: true })), [10, 20], [5, 1]), [22 / 31, 10 / 31]);
});

test('fold-in with a rating threshold: a pick below it is a confident dislike (p = 0)', () => {
  // t = 3: rating 5 → c = 6, p = 1; rating 1 → c = 1 + (3 − 1) = 3, p = 0.
  // A = [[2+5+1, 1],[1, 2+2+1]] = [[8,1],[1,5]], b = (6, 0) → x = (1/39)·(30, −6).
  near(foldInUser(prepareModel(tinyModel({ ratingThreshold: 3 })), [10, 20], [5, 1]), [30 / 39, -6 / 39]);
});

test('fold-in refuses unknown ids (listing them), duplicates, no picks and mismatched ratings', () => {
  const p = prepareModel(tinyModel());
  assert.throws(() => foldInUser(p, [10, 99, 20, 77]), { message: 'unknown movie ids (not in the model): 99, 77' });
  assert.throws(() => foldInUser(p, [10, 10]), /movie 10 is picked twice/);
  assert.throws(() => foldInUser(p, []), /at least one picked movie/);
  assert.throws(() => foldInUser(p, [10, 20], [5]), /1 ratings for 2 picks/);
  assert.throws(() => foldInUser(p, [10], [NaN]), /rating 0 is NaN/);
});

test('recommendForPicks drops the picks and explains by the largest hand-computed contribution', () => {
  // Picks 10 (c = 6) and 20 (c = 2) as above: A⁻¹·y₃₀ = (1/31)·(3, 7); contributions 6·3/31 = 18/31 and 2·7/31 = 14/31.
  const p = prepareModel(tinyModel());
  const recs = recommendForPicks(p, [10, 20], 5, { ratings: [5, 1] });
  assert.deepEqual(recs.map((r) => [r.movieId, r.because]), [[30, 10]]); // only item 30 is not a pick
  near([recs[0].score], [32 / 31]); // y₃₀·x = 22/31 + 10/31
  const scorer = foldInScorer(p, [10, 20], { ratings: [5, 1] });
  const parts = new Float64Array(2);
  scorer.contributions(2, parts);
  near(parts, [18 / 31, 14 / 31]);
  // Swap the ratings: now pick 20 (c = 6) contributes 18/31 and becomes the reason.
  assert.equal(recommendForPicks(p, [10, 20], 5, { ratings: [1, 5] })[0].because, 20);
});

test('the contributions of the picks add up to each score, and the reason is their argmax', () => {
  // Five more items so several candidates compete.
  const p = prepareModel(tinyModel({ alpha: 2 }, { ids: [40, 50, 60, 70, 80], factors: [2, -1, -1, 3, 0.5, 0.5, 3, 2, -2, -2] }));
  const picks = [10, 50, 60];
  const ratings = [4, 1.5, 3];
  const scorer = foldInScorer(p, picks, { ratings });
  const recs = recommendForPicks(p, picks, 10, { ratings });
  assert.deepEqual(recs.map((r) => r.movieId).sort(), [20, 30, 40, 70, 80]);
  const parts = new Float64Array(picks.length);
  for (const rec of recs) {
    const item = p.itemIndex.get(rec.movieId)!;
    scorer.contributions(item, parts);
    assert.ok(Math.abs(parts.reduce((s, v) => s + v, 0) - rec.score) < 1e-9, `${rec.movieId}: Σ contributions ≠ score`);
    assert.equal(rec.because, picks[parts.indexOf(Math.max(...parts))]);
  }
  for (let r = 1; r < recs.length; r++) assert.ok(recs[r - 1].score >= recs[r].score, 'best first');
});

test('recommendForUser ranks by the given factors, drops excluded ids and ignores ids the model lacks', () => {
  const p = prepareModel(tinyModel());
  assert.deepEqual(recommendForUser(p, new Float32Array([1, -2]), 3), [
    { movieId: 10, score: 1 },
    { movieId: 30, score: -1 },
    { movieId: 20, score: -2 },
  ]);
  assert.deepEqual(recommendForUser(p, new Float64Array([1, -2]), 3, [10, 12345]).map((r) => r.movieId), [30, 20]);
  assert.throws(() => recommendForUser(p, new Float64Array(3), 3), /3 factors, the model's rank is 2/);
});

async function movielensRatings() {
  const [{ loadRatings }, { movielensDir }] = await Promise.all([
    import('../../src/catalog/ratings.js'),
    import('../support/movielens.js'),
  ]);
  return loadRatings(join(movielensDir(), 'ratings.csv'));
}

test('on a model trained on MovieLens, fold-in of a user’s ratings equals the trainer’s own solveRow against the final item factors', async () => {
  const [{ trainAls, solveRow, toConfidence, rowRegularization }, { gramMatrix }] = await Promise.all([
    import('../../src/recommend/als/index.js'),
    import('../../src/recommend/linalg.js'),
  ]);
  const ratings = await movielensRatings();
  assert.deepEqual([ratings.userIds.length, ratings.itemIds.length, ratings.byUser.indptr[ratings.byUser.rows]], [610, 9724, 100836]);
  // A rating threshold exercises both preferences and both confidence rules; λ is Spark-scaled.
  const trained = await trainAls(ratings, { rank: 12, iterations: 3, threads: 1, solver: 'cholesky', ratingThreshold: 3.5, scaleRegularization: true, regularization: 0.05, alpha: 2 });
  const { solver: _s, cgSteps: _c, threads: _t, ...params } = trained.options;
  const model: ItemFactorModel = { rank: 12, itemIds: ratings.itemIds, itemFactors: trained.itemFactors, params, engine: 'inprocess', trainedAt: new Date().toISOString() };
  const prepared = prepareModel(model);
  const confidence = toConfidence(ratings.byUser, params).values;
  const gram = gramMatrix(model.itemFactors, ratings.itemIds.length, 12);
  const { indptr, indices, values } = ratings.byUser;
  const lengths = Array.from({ length: 610 }, (_, u) => indptr[u + 1] - indptr[u]);
  const users = [0, lengths.indexOf(Math.max(...lengths)), lengths.indexOf(Math.min(...lengths)), 300];
  for (const u of users) {
    const [start, end] = [indptr[u], indptr[u + 1]];
    const movieIds = Array.from(indices.subarray(start, end), (i) => ratings.itemIds[i]);
    const expected = Array.from(solveRow(model.itemFactors, 12, gram, indices, confidence, start, end, rowRegularization(params, end - start)));
    const scale = Math.max(...expected.map(Math.abs));
    near(foldInUser(prepared, movieIds, Array.from(values.subarray(start, end))), expected, 1e-9 * scale);
  }

  // The same model serves picks: 12 movies, none picked, each explained by one of the picks.
  const picks = [1, 260, 1196, 2571, 4993]; // Toy Story, Star Wars IV and V, The Matrix, The Fellowship of the Ring
  const recs = recommendForPicks(prepared, picks, 12);
  assert.equal(recs.length, 12);
  for (const r of recs) {
    assert.ok(!picks.includes(r.movieId), `pick ${r.movieId} recommended`);
    assert.ok(picks.includes(r.because), `because ${r.because} is not a pick`);
  }
  const user = lengths.indexOf(Math.max(...lengths));
  const rated = Array.from(indices.subarray(indptr[user], indptr[user + 1]), (i) => ratings.itemIds[i]);
  const full = recommendForUser(prepared, trained.userFactors.subarray(user * 12, user * 12 + 12), 48, rated);
  assert.equal(full.length, 48);
  assert.ok(full.every((r) => !rated.includes(r.movieId)), 'a rated movie was recommended');
});

test('multiplyRows (the scoring kernel) equals row-by-row dot products for any n and k, odd ones included', async () => {
  const { multiplyRows } = await import('../../src/recommend/linalg.js');
  for (const [n, k] of [[1, 1], [3, 2], [4, 3], [7, 5], [9, 64]]) {
    const factors = Float32Array.from({ length: n * k }, (_, i) => ((i * 37) % 11) - 5.5);
    const x = Float64Array.from({ length: k }, (_, a) => 0.25 * a - 1);
    const expected = Array.from({ length: n }, (_, r) => x.reduce((s, xa, a) => s + factors[r * k + a] * xa, 0));
    near(multiplyRows(factors, n, k, x), expected, 1e-9);
  }
});

test('rowDots is each vector dotted with the row, for odd and even lengths and counts', () => {
  for (const k of [1, 2, 7, 16]) {
    for (const count of [1, 2, 3, 5]) {
      const y = Float32Array.from({ length: 3 * k }, (_, i) => Math.fround(Math.sin(i + 1)));
      const vectors = Float64Array.from({ length: count * k }, (_, i) => Math.cos(3 * i + 1));
      const out = new Float64Array(count);
      rowDots(y, 2, k, vectors, count, out);
      for (let j = 0; j < count; j++) {
        let expected = 0;
        for (let a = 0; a < k; a++) expected += vectors[j * k + a] * y[2 * k + a];
        assert.ok(Math.abs(out[j] - expected) < 1e-12, `k ${k}, count ${count}, vector ${j}: ${out[j]} vs ${expected}`);
      }
    }
  }
});
