import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadRatings } from '../../src/catalog/ratings.js';
import type { RatingsMatrix } from '../../src/catalog/types.js';
import { trainAls, type AlsResult } from '../../src/recommend/als/index.js';
import { createRandom } from '../../src/recommend/random.js';
import { csrFromCoo, transposeCsr, type CsrMatrix } from '../../src/matrix/sparse.js';
import { movielensDir } from '../support/movielens.js';

let ratings: RatingsMatrix;
before(async () => {
  ratings = await loadRatings(join(movielensDir(), 'ratings.csv'));
});

function assertDecreasing(result: AlsResult): void {
  const losses = result.iterations.map((it) => it.loss);
  assert.equal(losses.length, result.options.iterations);
  for (let i = 1; i < losses.length; i++) {
    assert.ok(losses[i] < losses[i - 1], `loss rose at iteration ${i + 1}: ${losses.join(', ')}`);
  }
}

const sameBytes = (a: Float32Array, b: Float32Array): boolean => Buffer.compare(new Uint8Array(a.buffer), new Uint8Array(b.buffer)) === 0;

test('ml-latest-small: the loss falls at every iteration (CG, rank 64, the defaults)', async () => {
  const seen: number[] = [];
  const result = await trainAls(ratings, { iterations: 10, threads: 2 }, (it) => seen.push(it.iteration));
  assert.equal(result.options.solver, 'cg');
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assertDecreasing(result);
  assert.equal(result.userFactors.length, 610 * 64);
  assert.equal(result.itemFactors.length, 9724 * 64);
  assert.ok(result.itemFactors.every(Number.isFinite));
});

test('ml-latest-small: the loss falls at every iteration (exact Cholesky, threshold confidence)', async () => {
  assertDecreasing(await trainAls(ratings, { rank: 16, iterations: 6, solver: 'cholesky', ratingThreshold: 3.5, threads: 2 }));
});

for (const solver of ['cg', 'cholesky'] as const) {
  test(`ml-latest-small: one seed gives bit-identical factors and losses with 1 or 2 threads (${solver})`, async () => {
    const options = { rank: 24, iterations: 3, solver, seed: 9 };
    const one = await trainAls(ratings, { ...options, threads: 1 });
    const two = await trainAls(ratings, { ...options, threads: 2 });
    assert.ok(sameBytes(one.userFactors, two.userFactors), 'user factors differ');
    assert.ok(sameBytes(one.itemFactors, two.itemFactors), 'item factors differ');
    assert.deepEqual(one.iterations.map((it) => it.loss), two.iterations.map((it) => it.loss));
  });
}

test('ml-latest-small: different seeds give different factors', async () => {
  const options = { rank: 8, iterations: 2, threads: 1 };
  const a = await trainAls(ratings, { ...options, seed: 1 });
  const b = await trainAls(ratings, { ...options, seed: 2 });
  assert.ok(!sameBytes(a.itemFactors, b.itemFactors));
});

test("ml-latest-small: a trained model ranks a user's held-out liked movies far above random and above popularity", async () => {
  const { train, heldOut } = holdOutLiked(ratings.byUser, 0.2, 5);
  const k = 32;
  const model = await trainAls({ byUser: train, byItem: transposeCsr(train) }, { rank: k, iterations: 10, threads: 2 });
  const popularity = new Float64Array(train.cols);
  for (let n = 0; n < train.indptr[train.rows]; n++) popularity[train.indices[n]]++;
  const als = heldOutRanks(train, heldOut, (u, scores) => {
    for (let i = 0; i < train.cols; i++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += model.userFactors[u * k + a] * model.itemFactors[i * k + a];
      scores[i] = s;
    }
  });
  const popular = heldOutRanks(train, heldOut, (_u, scores) => scores.set(popularity));
  // A random ranking puts them at percentile 0.5 on average, and 20 of ~9,000 candidates find ~0.2% of them.
  assert.ok(als.percentile < 0.15, `held-out liked movies sit at percentile ${als.percentile.toFixed(3)}`);
  assert.ok(als.hitsAt20 > 1.5 * popular.hitsAt20, `ALS finds ${als.hitsAt20} held-out movies in its top 20s, popularity ${popular.hitsAt20}`);
});

/**
 * For a scoring function that fills one score per movie: the mean percentile of the held-out movies among the
 * movies each user did not rate in training (0 = ranked first), and how many of them land in the user's top 20.
 */
function heldOutRanks(train: CsrMatrix, heldOut: number[][], score: (user: number, scores: Float64Array) => void): { percentile: number; hitsAt20: number } {
  const scores = new Float64Array(train.cols);
  let sum = 0;
  let count = 0;
  let hitsAt20 = 0;
  for (let u = 0; u < train.rows; u++) {
    if (heldOut[u].length === 0) continue;
    score(u, scores);
    for (let n = train.indptr[u]; n < train.indptr[u + 1]; n++) scores[train.indices[n]] = Number.NEGATIVE_INFINITY;
    const candidates = train.cols - (train.indptr[u + 1] - train.indptr[u]);
    for (const item of heldOut[u]) {
      let above = 0;
      for (let i = 0; i < train.cols; i++) if (scores[i] > scores[item]) above++;
      sum += above / candidates;
      if (above < 20) hitsAt20++;
      count++;
    }
  }
  assert.ok(count > 1000, `only ${count} held-out ratings`);
  return { percentile: sum / count, hitsAt20 };
}

/** Holds out a fraction of each user's ratings ≥ 4 (seeded); returns the rest as a CSR of the same shape. */
function holdOutLiked(byUser: CsrMatrix, fraction: number, seed: number): { train: CsrMatrix; heldOut: number[][] } {
  const random = createRandom(seed);
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  const heldOut: number[][] = [];
  for (let u = 0; u < byUser.rows; u++) {
    heldOut.push([]);
    for (let n = byUser.indptr[u]; n < byUser.indptr[u + 1]; n++) {
      if (byUser.values[n] >= 4 && random.next() < fraction) {
        heldOut[u].push(byUser.indices[n]);
      } else {
        rows.push(u);
        cols.push(byUser.indices[n]);
        values.push(byUser.values[n]);
      }
    }
  }
  const train = csrFromCoo(byUser.rows, byUser.cols, Int32Array.from(rows), Int32Array.from(cols), Float32Array.from(values));
  return { train, heldOut };
}
