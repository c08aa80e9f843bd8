import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRowScratch, solveRowCg, toConfidence, trainAls } from '../../src/recommend/als/index.js';
import { rotateRowsInPlace, symmetricEigen } from '../../src/recommend/als/eigen.js';
import { rotationPays } from '../../src/recommend/als/state.js';
import { gramMatrix } from '../../src/recommend/linalg.js';
import { createRandom } from '../../src/recommend/random.js';
import { csrFromCoo, transposeCsr } from '../../src/matrix/sparse.js';
import { eigenErrors } from '../support/eigen-check.js';

function randomRows(rows: number, k: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: rows * k }, () => random.normal() * 0.3);
}

test('symmetricEigen: a hand-checked 2×2, then Q·diag·Qᵀ rebuilds a rank-64 Gram matrix with Q orthogonal', () => {
  // [[2,1],[1,2]] has eigenvalues 1 and 3 with eigenvectors (1,−1)/√2 and (1,1)/√2.
  const values = new Float64Array(2);
  const q = new Float64Array(4);
  symmetricEigen(new Float64Array([2, 1, 1, 2]), 2, values, q);
  assert.deepEqual(Array.from(values).map((v) => Math.round(v * 1e12) / 1e12).sort(), [1, 3]);
  const k = 64;
  const g = gramMatrix(randomRows(500, k, 1), 500, k);
  const d = new Float64Array(k);
  const basis = new Float64Array(k * k);
  symmetricEigen(g, k, d, basis);
  const { rebuild, orthogonality } = eigenErrors(g, k, d, basis);
  assert.ok(rebuild < 1e-9 * g[0], `Q·D·Qᵀ differs from G by ${rebuild}`);
  assert.ok(orthogonality < 1e-12, `QᵀQ differs from I by ${orthogonality}`);
});

test('CG in the eigenbasis gives the same row, rotated, as CG on the full Gram matrix (3 steps, warm start)', () => {
  const k = 32;
  const items = 400;
  const random = createRandom(5);
  const other = randomRows(items, k, 6);
  const gram = gramMatrix(other, items, k);
  const values = new Float64Array(k);
  const q = new Float64Array(k * k);
  symmetricEigen(gram, k, values, q);
  const qT = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) qT[j * k + i] = q[i * k + j];
  const rotated = other.slice();
  rotateRowsInPlace(rotated, items, k, qT);
  const cols = Int32Array.from(new Set(Array.from({ length: 60 }, () => random.int(items)))).sort();
  const ratings = Float32Array.from(cols, () => 0.5 + random.int(10) / 2);
  const row = toConfidence(csrFromCoo(1, items, new Int32Array(cols.length), cols, ratings), { alpha: 2, ratingThreshold: null });
  const start = Float32Array.from({ length: k }, () => random.normal() * 0.1);
  const plain = start.slice();
  const inBasis = start.slice();
  solveRowCg(other, k, gram, row.indices, row.values, 0, cols.length, 3, 3, plain, 0, createRowScratch(k));
  solveRowCg(rotated, k, gram, row.indices, row.values, 0, cols.length, 3, 3, inBasis, 0, createRowScratch(k), { values, qT });
  // The row stays in the eigenbasis: Q·x' is the plain solve's x.
  const back = Array.from({ length: k }, (_, i) => q.subarray(i * k, (i + 1) * k).reduce((sum, qij, j) => sum + qij * inBasis[j], 0));
  const scale = Math.max(...Array.from(plain, Math.abs));
  for (let i = 0; i < k; i++) assert.ok(Math.abs(plain[i] - back[i]) < 1e-4 * scale, `[${i}] ${plain[i]} vs ${back[i]}`);
  assert.ok(plain.some((v, i) => v !== start[i]), 'the solve moved the row');
});

test('rotationPays: the side with many rows against few fixed ones, never the small side', () => {
  assert.equal(rotationPays(9_447, 610, 64, 3, 2), true); // ml-latest-small's items
  assert.equal(rotationPays(610, 9_447, 64, 3, 2), false); // and its users
  assert.equal(rotationPays(6_502, 9_674, 64, 3, 2), false); // synthetic-1m's users
});

test('training that rotates one side follows the same loss curve as exact solves and predicts the same scores; the same seed gives the same factors on 1 and 2 threads', async () => {
  // 2,000 items against 100 users: the item half-steps run in the eigenbasis.
  const random = createRandom(9);
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let u = 0; u < 100; u++) {
    const seen = new Set<number>();
    for (let n = 0; n < 40; n++) seen.add(Math.min(1_999, Math.floor(-Math.log(1 - random.next()) * 300)));
    for (const i of seen) {
      rows.push(u);
      cols.push(i);
      vals.push(1 + random.int(5));
    }
  }
  const byUser = csrFromCoo(100, 2_000, Int32Array.from(rows), Int32Array.from(cols), Float32Array.from(vals));
  const ratings = { byUser, byItem: transposeCsr(byUser) };
  assert.equal(rotationPays(2_000, 100, 16, 3, 1), true);
  const base = { rank: 16, iterations: 8, seed: 7 };
  const cg1 = await trainAls(ratings, { ...base, solver: 'cg', threads: 1 });
  const cg2 = await trainAls(ratings, { ...base, solver: 'cg', threads: 2 });
  const exact = await trainAls(ratings, { ...base, solver: 'cholesky', threads: 1 });
  assert.deepEqual(cg2.itemFactors, cg1.itemFactors);
  const last = cg1.iterations.at(-1)!.loss;
  const exactLast = exact.iterations.at(-1)!.loss;
  for (let i = 1; i < cg1.iterations.length; i++) assert.ok(cg1.iterations[i].loss <= cg1.iterations[i - 1].loss * (1 + 1e-9), `loss rose at iteration ${i + 1}`);
  assert.ok(Math.abs(last - exactLast) < 0.02 * Math.abs(exactLast), `CG ${last} vs exact ${exactLast}`);
  // The factors end in another basis, the model does not: user·item scores agree with the exact training's.
  let worst = 0;
  let largest = 0;
  for (let u = 0; u < 100; u += 7) {
    for (let i = 0; i < 2_000; i += 13) {
      let a = 0;
      let b = 0;
      for (let f = 0; f < 16; f++) {
        a += cg1.userFactors[u * 16 + f] * cg1.itemFactors[i * 16 + f];
        b += exact.userFactors[u * 16 + f] * exact.itemFactors[i * 16 + f];
      }
      worst = Math.max(worst, Math.abs(a - b));
      largest = Math.max(largest, Math.abs(b));
    }
  }
  assert.ok(worst < 0.1 * largest, `scores differ by up to ${worst} (largest score ${largest})`);
});
