import { test } from 'node:test';
import assert from 'node:assert/strict';
import { implicitLoss, toConfidence, trainAls } from '../../src/recommend/als/index.js';
import { createRandom } from '../../src/recommend/random.js';
import { csrFromCoo, transposeCsr, type CsrMatrix } from '../../src/matrix/sparse.js';

/** Σ over every (user, item) pair, unrated ones included, as the objective is written. */
function bruteForceLoss(c: CsrMatrix, x: Float32Array, y: Float32Array, k: number, lambda: number, scale: boolean): number {
  const dense = new Float64Array(c.rows * c.cols);
  const itemCounts = new Int32Array(c.cols);
  for (let u = 0; u < c.rows; u++) {
    for (let n = c.indptr[u]; n < c.indptr[u + 1]; n++) {
      dense[u * c.cols + c.indices[n]] = c.values[n];
      itemCounts[c.indices[n]]++;
    }
  }
  let loss = 0;
  for (let u = 0; u < c.rows; u++) {
    for (let i = 0; i < c.cols; i++) {
      const v = dense[u * c.cols + i];
      const conf = v === 0 ? 1 : Math.abs(v);
      const p = v > 0 ? 1 : 0;
      let s = 0;
      for (let a = 0; a < k; a++) s += x[u * k + a] * y[i * k + a];
      loss += conf * (p - s) ** 2;
    }
  }
  const norm = (f: Float32Array, r: number): number => f.subarray(r * k, r * k + k).reduce((t, v) => t + v * v, 0);
  for (let u = 0; u < c.rows; u++) loss += lambda * (scale ? c.indptr[u + 1] - c.indptr[u] : 1) * norm(x, u);
  for (let i = 0; i < c.cols; i++) loss += lambda * (scale ? itemCounts[i] : 1) * norm(y, i);
  return loss;
}

const tiny = csrFromCoo(
  4,
  5,
  new Int32Array([0, 0, 1, 1, 1, 2, 3, 3]),
  new Int32Array([0, 3, 1, 2, 4, 0, 2, 3]),
  new Float32Array([5, 1, 4, 2.5, 3, 0.5, 4.5, 3]),
);

for (const scale of [false, true]) {
  test(`implicitLoss (trace trick) equals the sum over all pairs (scaled λ: ${scale})`, () => {
    const k = 3;
    const random = createRandom(11);
    const x = Float32Array.from({ length: 4 * k }, () => random.normal());
    const y = Float32Array.from({ length: 5 * k }, () => random.normal());
    const c = toConfidence(tiny, { alpha: 2, ratingThreshold: 3 });
    const fast = implicitLoss(c, x, y, k, { regularization: 0.3, scaleRegularization: scale });
    const slow = bruteForceLoss(c, x, y, k, 0.3, scale);
    assert.ok(Math.abs(fast - slow) < 1e-9 * slow, `${fast} vs ${slow}`);
  });
}

test("trainAls reports each iteration's loss of the factors it returns", async () => {
  for (const threads of [1, 2]) {
    const options = { rank: 3, iterations: 2, alpha: 2, ratingThreshold: 3, regularization: 0.1, threads, solver: 'cholesky' as const };
    const result = await trainAls({ byUser: tiny, byItem: transposeCsr(tiny) }, options);
    const wanted = implicitLoss(toConfidence(tiny, options), result.userFactors, result.itemFactors, 3, result.options);
    const reported = result.iterations[1].loss;
    assert.ok(Math.abs(reported - wanted) < 1e-9 * wanted, `threads ${threads}: reported ${reported}, recomputed ${wanted}`);
  }
});
