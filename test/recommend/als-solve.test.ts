import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRowScratch, solveRow, solveRowCg, toConfidence } from '../../src/recommend/als/index.js';
import { runHalfStep } from '../../src/recommend/als/run-half-step.js';
import { createTrainingState } from '../../src/recommend/als/state.js';
import { createWasmArena, plainAllocator } from '../../src/recommend/als/memory.js';
import { kernelsFor } from '../../src/recommend/als/wasm-kernels.js';
import { gramMatrix } from '../../src/recommend/linalg.js';
import { createRandom } from '../../src/recommend/random.js';
import { csrFromCoo, transposeCsr } from '../../src/matrix/sparse.js';

/**
 * 3 users × 2 items, rank 2, alpha 1, threshold 3, λ 1, item factors y0 = (1, 0), y1 = (1, 1), so YᵀY = [[2,1],[1,1]].
 * user 0 rates (3, 4): both liked, c = (4, 5): A = YᵀY + I + 3·y0y0ᵀ + 4·y1y1ᵀ = [[10,5],[5,6]], b = 4·y0 + 5·y1 = (9, 5),
 *   x = A⁻¹b = (29/35, 5/35).
 * user 1 rates (4, 1): item 0 liked, c = 5; item 1 disliked, c = 1 + (3 − 1) = 3, p = 0:
 *   A = YᵀY + I + 4·y0y0ᵀ + 2·y1y1ᵀ = [[9,3],[3,4]], b = 5·y0 = (5, 0), x = (20/27, −15/27).
 * user 2 rates nothing: x = 0.
 */
const byUser = csrFromCoo(3, 2, new Int32Array([0, 0, 1, 1]), new Int32Array([0, 1, 0, 1]), new Float32Array([3, 4, 4, 1]));
const itemFactors = new Float32Array([1, 0, 1, 1]);
const expected = [29 / 35, 5 / 35, 20 / 27, -15 / 27, 0, 0];
const confidence = { alpha: 1, ratingThreshold: 3 };

function assertClose(actual: ArrayLike<number>, wanted: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, wanted.length, what);
  for (let i = 0; i < wanted.length; i++) {
    assert.ok(Math.abs(actual[i] - wanted[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${wanted[i]}`);
  }
}

test('solveRow: one user against fixed item factors matches the hand-solved 2×2 systems', () => {
  const c = toConfidence(byUser, confidence);
  const gram = gramMatrix(itemFactors, 2, 2);
  for (const user of [0, 1]) {
    const x = solveRow(itemFactors, 2, gram, c.indices, c.values, c.indptr[user], c.indptr[user + 1], 1);
    assertClose(x, expected.slice(2 * user, 2 * user + 2), 1e-12, `user ${user}`);
  }
});

for (const [solver, memory] of [['cholesky', 'js'], ['cholesky', 'wasm'], ['cg', 'js'], ['cg', 'wasm']] as const) {
  test(`a whole user half-step (${solver}, ${memory} kernels) on the 3×2 matrix, with Spark's λ·n scaling, gives the hand results`, () => {
    // Users 0 and 1 have n = 2 ratings: λ = 0.5 scaled is the λ = 1 above. CG is exact after rank = 2 steps.
    const alloc = memory === 'wasm' ? createWasmArena() : plainAllocator;
    const state = createTrainingState({ byUser, byItem: transposeCsr(byUser) }, { ...confidence, rank: 2, seed: 1 }, alloc);
    state.itemFactors.set(itemFactors);
    gramMatrix(state.itemFactors, 2, 2, state.gram);
    const task = { side: 'user', solver, cgSteps: 2, regularization: 0.5, scaleRegularization: true, observedLoss: false } as const;
    runHalfStep(state, task, state.scratch[0], kernelsFor(state.memory));
    assertClose(state.userFactors, expected, memory === 'wasm' ? 1e-5 : 1e-6, 'userFactors'); // Float32 storage (and lanes)
  });
}

test('CG with as many steps as the rank reaches the Cholesky solution from any warm start', () => {
  const k = 8;
  const items = 200;
  const random = createRandom(3);
  const other = Float32Array.from({ length: items * k }, () => random.normal() * 0.3);
  const gram = gramMatrix(other, items, k);
  const cols = Int32Array.from(new Set(Array.from({ length: 40 }, () => random.int(items)))).sort();
  const ratings = Float32Array.from(cols, () => 0.5 + random.int(10) / 2);
  const row = toConfidence(csrFromCoo(1, items, new Int32Array(cols.length), cols, ratings), { alpha: 3, ratingThreshold: 3 });
  const exact = Array.from(solveRow(other, k, gram, row.indices, row.values, 0, cols.length, 0.7));
  const own = Float32Array.from({ length: k }, () => random.normal());
  solveRowCg(other, k, gram, row.indices, row.values, 0, cols.length, 0.7, k, own, 0, createRowScratch(k));
  assertClose(own, exact, 1e-5 * Math.max(...exact.map(Math.abs)), 'CG vs Cholesky');
});

test('CG with few steps improves the row objective but stops short of the exact solve', () => {
  const k = 16;
  const random = createRandom(4);
  const items = 300;
  const other = Float32Array.from({ length: items * k }, () => random.normal() * 0.3);
  const gram = gramMatrix(other, items, k);
  const cols = Int32Array.from(new Set(Array.from({ length: 60 }, () => random.int(items)))).sort();
  const row = toConfidence(csrFromCoo(1, items, new Int32Array(cols.length), cols, Float32Array.from(cols, () => 1 + random.int(5))), { alpha: 5, ratingThreshold: null });
  const lambda = 0.1;
  // f(x) = ½xᵀAx − bᵀx, the row's share of the objective up to a constant, built densely here.
  const a = Float64Array.from(gram);
  const b = new Float64Array(k);
  for (let i = 0; i < k; i++) a[i * k + i] += lambda;
  for (let n = 0; n < cols.length; n++) {
    const c = row.values[n];
    for (let i = 0; i < k; i++) {
      b[i] += c * other[cols[n] * k + i];
      for (let j = 0; j < k; j++) a[i * k + j] += (c - 1) * other[cols[n] * k + i] * other[cols[n] * k + j];
    }
  }
  const objective = (x: ArrayLike<number>): number => {
    let f = 0;
    for (let i = 0; i < k; i++) {
      let ax = 0;
      for (let j = 0; j < k; j++) ax += a[i * k + j] * x[j];
      f += 0.5 * x[i] * ax - b[i] * x[i];
    }
    return f;
  };
  const own = Float32Array.from({ length: k }, () => random.normal());
  const before = objective(own);
  solveRowCg(other, k, gram, row.indices, row.values, 0, cols.length, lambda, 2, own, 0, createRowScratch(k));
  const exact = objective(solveRow(other, k, gram, row.indices, row.values, 0, cols.length, lambda));
  const after = objective(own);
  assert.ok(after < before, `CG made the objective worse: ${before} → ${after}`);
  assert.ok(exact <= after, `exact ${exact} above CG ${after}`);
});

test('solveRow names the problem when a system is not positive definite', () => {
  const gram = new Float64Array([0, 0, 0, 0]); // no item information and λ = 0
  const c = toConfidence(byUser, confidence);
  assert.throws(() => solveRow(new Float32Array(4), 2, gram, c.indices, c.values, 0, 2, 0), /not positive definite/);
});
