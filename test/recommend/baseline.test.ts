import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitBaseline, type BaselineEstimates } from '../../src/recommend/baseline.js';
import { ratingsFromTriples } from '../../src/recommend/evaluation/ratings-matrix.js';
import type { RatingsMatrix } from '../../src/catalog/types.js';

// u0 rated i0=5, i1=3; u1 rated i0=4, i2=1; μ = 13/4.
const tiny = ratingsFromTriples(
  Int32Array.of(10, 20),
  Int32Array.of(100, 200, 300),
  Int32Array.of(0, 0, 1, 1),
  Int32Array.of(0, 1, 0, 2),
  Float32Array.of(5, 3, 4, 1),
);

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} ≠ ${expected}`);
}

/** The regularized squared error each closed-form half-pass minimizes exactly. */
function objective(r: RatingsMatrix, b: BaselineEstimates, lu: number, li: number): number {
  let loss = 0;
  for (let u = 0; u < r.byUser.rows; u++) {
    for (let n = r.byUser.indptr[u]; n < r.byUser.indptr[u + 1]; n++) {
      loss += (r.byUser.values[n] - b.globalMean - b.userBias[u] - b.itemBias[r.byUser.indices[n]]) ** 2;
    }
  }
  for (const x of b.userBias) loss += lu * x * x;
  for (const x of b.itemBias) loss += li * x * x;
  return loss;
}

test('one pass on a 2×3 matrix matches the hand computation', () => {
  const b = fitBaseline(tiny, { itemRegularization: 1, userRegularization: 2, passes: 1 });
  close(b.globalMean, 3.25, 'μ');
  // b_i with b_u = 0: i0 = (1.75 + 0.75)/(1 + 2), i1 = −0.25/(1 + 1), i2 = −2.25/(1 + 1).
  close(b.itemBias[0], 2.5 / 3, 'b_i0');
  close(b.itemBias[1], -0.125, 'b_i1');
  close(b.itemBias[2], -1.125, 'b_i2');
  // b_u with those b_i: u0 = (11/12 − 1/8)/(2 + 2) = 19/96, u1 = (−1/12 − 9/8)/4 = −29/96.
  close(b.userBias[0], 19 / 96, 'b_u0');
  close(b.userBias[1], -29 / 96, 'b_u1');
});

test('more passes never increase the regularized error (each half-pass is an exact minimization)', () => {
  let previous = Infinity;
  for (let passes = 1; passes <= 6; passes++) {
    const loss = objective(tiny, fitBaseline(tiny, { itemRegularization: 1, userRegularization: 2, passes }), 2, 1);
    assert.ok(loss <= previous + 1e-12, `pass ${passes}: ${loss} > ${previous}`);
    previous = loss;
  }
  const oneLoss = objective(tiny, fitBaseline(tiny, { itemRegularization: 1, userRegularization: 2, passes: 1 }), 2, 1);
  assert.ok(previous < oneLoss, 'later passes improve on the first');
});

test('stronger item regularization shrinks item biases towards zero', () => {
  const loose = fitBaseline(tiny, { itemRegularization: 0, userRegularization: 0, passes: 1 });
  const tight = fitBaseline(tiny, { itemRegularization: 100, userRegularization: 0, passes: 1 });
  close(loose.itemBias[2], -2.25, 'unregularized b_i2 is the mean residual');
  assert.ok(Math.abs(tight.itemBias[2]) < 0.03);
});

test('bad options and an empty matrix are refused with a clear message', () => {
  assert.throws(() => fitBaseline(tiny, { passes: 0 }), /passes must be an integer ≥ 1/);
  assert.throws(() => fitBaseline(tiny, { itemRegularization: -1 }), /itemRegularization/);
  const empty = ratingsFromTriples(Int32Array.of(1), Int32Array.of(1), new Int32Array(0), new Int32Array(0), new Float32Array(0));
  assert.throws(() => fitBaseline(empty), /no ratings/);
});
