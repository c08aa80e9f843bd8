/**
 * The ALS kernel contract (src/recommend/als/kernel-set.ts), run against both implementations: 'js' (the TypeScript
 * reference) and 'wasm' (WebAssembly SIMD). Each kernel agrees with a plain float64 formula to float32 rounding on
 * random inputs (ranks with and without a multiple-of-four tail); training reports the loss its factors have and the
 * reference's loss to 1e-5 relative; one seed gives bit-identical results with 1 or 2 threads.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadRatings } from '../../src/catalog/ratings.js';
import type { RatingsMatrix } from '../../src/catalog/types.js';
import { implicitLoss, solveRow, toConfidence, trainAls, type AlsResult } from '../../src/recommend/als/index.js';
import { createRowScratch, type RowScratch } from '../../src/recommend/als/half-step.js';
import { jsKernels, type AlsKernels } from '../../src/recommend/als/kernel-set.js';
import { createWasmArena, plainAllocator, type Allocator } from '../../src/recommend/als/memory.js';
import { createWasmKernels } from '../../src/recommend/als/wasm-kernels.js';
import { symmetricEigen } from '../../src/recommend/als/eigen.js';
import { gramMatrix } from '../../src/recommend/linalg.js';
import { createRandom, type Random } from '../../src/recommend/random.js';
import type { CsrMatrix } from '../../src/matrix/sparse.js';
import { movielensDir } from '../support/movielens.js';
import { eigenErrors } from '../support/eigen-check.js';

interface Implementation {
  readonly name: 'js' | 'wasm';
  /** A fresh memory to put inputs in, and the kernels that read it. */
  readonly make: () => { alloc: Allocator; kernels: () => AlsKernels };
}

const implementations: Implementation[] = [
  { name: 'js', make: () => ({ alloc: plainAllocator, kernels: () => jsKernels }) },
  {
    name: 'wasm',
    make: () => {
      const alloc = createWasmArena();
      return { alloc, kernels: () => createWasmKernels(alloc.memory!) };
    },
  },
];

/** Float32 rounding, with room for the sums of up to a few hundred terms. */
const float32Tolerance = 2e-5;

/** |actual − expected| ≤ tolerance × (the scale of the terms summed), element by element. */
function assertAgrees(actual: ArrayLike<number>, expected: ArrayLike<number>, scale: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    assert.ok(error <= float32Tolerance * scale, `${what}[${i}]: ${actual[i]} vs ${expected[i]} (error ${error}, scale ${scale})`);
  }
}

function fill<T extends Float32Array | Float64Array>(a: T, random: Random, spread = 1): T {
  for (let i = 0; i < a.length; i++) a[i] = random.normal() * spread;
  return a;
}

/** One row's entries: `count` distinct columns of `cols`, signed confidences with |c| ≥ 1 and both signs. */
function randomEntries(alloc: Allocator, random: Random, count: number, cols: number): { indices: Int32Array; confidence: Float32Array } {
  const picked = new Set<number>();
  while (picked.size < count) picked.add(random.int(cols));
  const indices = alloc.i32(count);
  indices.set([...picked].sort((a, b) => a - b));
  const confidence = alloc.f32(count);
  for (let n = 0; n < count; n++) confidence[n] = (random.next() < 0.8 ? 1 : -1) * (1 + 4 * random.next());
  return { indices, confidence };
}

const dot = (a: ArrayLike<number>, aBase: number, b: ArrayLike<number>, bBase: number, k: number): number => {
  let s = 0;
  for (let i = 0; i < k; i++) s += a[aBase + i] * b[bBase + i];
  return s;
};

for (const impl of implementations) {
  describe(`ALS kernels: ${impl.name}`, () => {
    for (const k of [7, 16]) {
      it(`addWeightedRows (both forms) agrees with the formula to float32 rounding, rank ${k}`, () => {
        const random = createRandom(k);
        const { alloc, kernels } = impl.make();
        const rows = 50;
        const other = fill(alloc.f32(rows * k), random, 0.5);
        const { indices, confidence } = randomEntries(alloc, random, 23, rows);
        const v = fill(alloc.f64(k), random);
        const scratch = createRowScratch(k, alloc);
        for (const residual of [false, true]) {
          const start = fill(new Float64Array(k), random);
          const out = alloc.f64(k);
          out.set(start);
          kernels().addWeightedRows(other, k, indices, confidence, 2, 21, v, out, residual, scratch);
          const expected = Float64Array.from(start);
          let scale = 0;
          for (let n = 2; n < 21; n++) {
            const c = Math.abs(confidence[n]);
            const d = dot(other, indices[n] * k, v, 0, k);
            const coef = residual ? (confidence[n] > 0 ? c : 0) - (c - 1) * d : (c - 1) * d;
            for (let j = 0; j < k; j++) expected[j] += coef * other[indices[n] * k + j];
            scale += Math.abs(coef) + c * dot(other, indices[n] * k, other, indices[n] * k, k);
          }
          assertAgrees(out, expected, scale, `residual ${residual}`);
        }
      });

      it(`regularizedProduct, observedLoss and the eigenbasis rotation agree with their formulas, rank ${k}`, () => {
        const random = createRandom(100 + k);
        const { alloc, kernels } = impl.make();
        const g = fill(alloc.f64(k * k), random);
        const v = fill(alloc.f64(k), random);
        const out = alloc.f64(k);
        kernels().regularizedProduct(g, k, 0.7, v, out);
        assertAgrees(out, Array.from({ length: k }, (_, i) => dot(g, i * k, v, 0, k) + 0.7 * v[i]), 4 * k, 'regularizedProduct');

        const rows = 40;
        const own = fill(alloc.f32(3 * k), random, 0.5);
        const other = fill(alloc.f32(rows * k), random, 0.5);
        const { indices, confidence } = randomEntries(alloc, random, 17, rows);
        let expected = 0;
        for (let n = 1; n < 15; n++) {
          const s = dot(own, k, other, indices[n] * k, k);
          const c = Math.abs(confidence[n]);
          const p = confidence[n] > 0 ? 1 : 0;
          expected += c * (p - s) ** 2 - s * s;
        }
        const loss = kernels().observedLoss(own, k, other, k, indices, confidence, 1, 15);
        assert.ok(Math.abs(loss - expected) <= 1e-9 * Math.abs(expected) + 1e-9, `observedLoss ${loss} vs ${expected}`);

        const qT = alloc.f64(k * k);
        const values = new Float64Array(k);
        const vectors = new Float64Array(k * k);
        symmetricEigen(gramMatrix(other, rows, k), k, values, vectors);
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) qT[j * k + i] = vectors[i * k + j];
        const before = Float32Array.from(other);
        kernels().rotateRowsInPlace(other, rows, k, qT, createRowScratch(k, alloc));
        const rotated = Array.from({ length: rows * k }, (_, n) => dot(qT, (n % k) * k, before, Math.floor(n / k) * k, k));
        assertAgrees(other, rotated, 4, 'rotateRowsInPlace');
      });

      it(`accumulateGram and sumGramPartials give the Gram matrix to float32 rounding, rank ${k}`, () => {
        const random = createRandom(200 + k);
        const { alloc, kernels } = impl.make();
        const rows = 37;
        const f = fill(alloc.f32(rows * k), random);
        const partials = alloc.f64(3 * k * k);
        // Three chunks of rows (one of them not a multiple of four rows), each into its own partial.
        const cuts = [0, 12, 13, 37];
        for (let c = 0; c < 3; c++) kernels().accumulateGram(f, cuts[c], cuts[c + 1], k, partials, c * k * k);
        const gram = alloc.f64(k * k);
        kernels().sumGramPartials(partials, 3, k, gram);
        assertAgrees(gram, gramMatrix(f, rows, k), 4 * rows, 'gram');
      });

      it(`solveRowCg with as many steps as the rank reaches the exact solution, plain and in the eigenbasis, rank ${k}`, () => {
        const random = createRandom(300 + k);
        const { alloc, kernels } = impl.make();
        const rows = 60;
        const other = fill(alloc.f32(rows * k), random, 0.3);
        const { indices, confidence } = randomEntries(alloc, random, 25, rows);
        const gram = alloc.f64(k * k);
        gram.set(gramMatrix(other, rows, k));
        const lambda = 2;
        const exact = Array.from(solveRow(other, k, gram, indices, confidence, 0, 25, lambda));
        const scratch = createRowScratch(k, alloc);
        const own = fill(alloc.f32(2 * k), random);
        kernels().solveRowCg(other, k, gram, indices, confidence, 0, 25, lambda, 2 * k, own, 1, scratch, null);
        const norm = Math.sqrt(dot(exact, 0, exact, 0, k));
        assertAgrees(own.subarray(k), exact, 10 * norm, 'plain');

        // Both sides in the eigenbasis of the fixed side's Gram matrix: the solution is Qᵀ·exact.
        const values = alloc.f64(k);
        const vectors = new Float64Array(k * k);
        symmetricEigen(gram, k, values, vectors);
        const qT = alloc.f64(k * k);
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) qT[j * k + i] = vectors[i * k + j];
        kernels().rotateRowsInPlace(other, rows, k, qT, scratch);
        fill(own, random);
        kernels().solveRowCg(other, k, gram, indices, confidence, 0, 25, lambda, 2 * k, own, 0, scratch, { values, qT });
        assertAgrees(own.subarray(0, k), Array.from({ length: k }, (_, i) => dot(qT, i * k, exact, 0, k)), 10 * norm, 'eigenbasis');
      });
    }

    it('symmetricEigen gives an orthogonal Q and eigenvalues with Q·diag(values)·Qᵀ = G', () => {
      const random = createRandom(500);
      const { alloc, kernels } = impl.make();
      const k = 13;
      const f = fill(new Float32Array(40 * k), random);
      const g = alloc.f64(k * k);
      g.set(gramMatrix(f, 40, k));
      const values = alloc.f64(k);
      const vectors = alloc.f64(k * k);
      kernels().symmetricEigen(g, k, values, vectors, createRowScratch(k, alloc));
      const scale = Math.max(...values.map(Math.abs));
      const { rebuild, orthogonality } = eigenErrors(g, k, values, vectors);
      assert.ok(rebuild <= 1e-10 * scale, `Q·diag·Qᵀ differs from G by ${rebuild}`);
      assert.ok(orthogonality <= 1e-10, `QᵀQ differs from I by ${orthogonality}`);
    });

    it('solveRowsCg solves each row, zeroes the rows without entries and returns their loss terms', () => {
      const random = createRandom(400);
      const { alloc, kernels } = impl.make();
      const k = 12;
      const items = 30;
      const other = fill(alloc.f32(items * k), random, 0.3);
      const gram = alloc.f64(k * k);
      gram.set(gramMatrix(other, items, k));
      // Rows 0..5 of a 6-row matrix; row 3 has no entries.
      const counts = [4, 9, 1, 0, 13, 6];
      const indptr = alloc.i32(7);
      for (let r = 0; r < 6; r++) indptr[r + 1] = indptr[r] + counts[r];
      const indices = alloc.i32(indptr[6]);
      const values = alloc.f32(indptr[6]);
      for (let r = 0; r < 6; r++) {
        const row = randomEntries(plainAllocator, random, counts[r], items);
        indices.set(row.indices, indptr[r]);
        values.set(row.confidence, indptr[r]);
      }
      const ratings: CsrMatrix = { rows: 6, cols: items, indptr, indices, values };
      const own = fill(alloc.f32(6 * k), random);
      const scratch: RowScratch = createRowScratch(k, alloc);
      const task = {
        rank: k, own, other, gram, ratings, first: 1, last: 5, regularization: 0.5, scaleRegularization: true,
        cgSteps: 3 * k, basis: null, observedLoss: true, scratch,
      };
      const untouched = Float32Array.from(own.subarray(5 * k));
      const loss = kernels().solveRowsCg(task);
      let expected = 0;
      for (let r = 1; r < 5; r++) {
        const lambda = 0.5 * counts[r];
        const exact = counts[r] === 0 ? new Float64Array(k) : solveRow(other, k, gram, indices, values, indptr[r], indptr[r + 1], lambda);
        assertAgrees(own.subarray(r * k, (r + 1) * k), exact, 10 * Math.max(1, Math.sqrt(dot(exact, 0, exact, 0, k))), `row ${r}`);
        expected += lambda * dot(own, r * k, own, r * k, k);
        expected += jsKernels.observedLoss(own, r * k, other, k, indices, values, indptr[r], indptr[r + 1]);
      }
      assert.deepEqual(Array.from(own.subarray(3 * k, 4 * k)), new Array<number>(k).fill(0));
      assert.deepEqual(own.subarray(5 * k), untouched, 'a row outside [first, last) changed');
      assert.ok(Math.abs(loss - expected) <= 1e-9 * Math.abs(expected), `loss ${loss} vs ${expected}`);
    });
  });
}

describe('ALS training with each kernel implementation (ml-latest-small)', () => {
  let ratings: RatingsMatrix;
  let reference: AlsResult;
  const options = { rank: 10, iterations: 4, solver: 'cg', seed: 5 } as const;
  before(async () => {
    ratings = await loadRatings(join(movielensDir(), 'ratings.csv'));
    reference = await trainAls(ratings, { ...options, threads: 1, kernels: 'js' });
  });

  const sameBytes = (a: Float32Array, b: Float32Array): boolean => Buffer.compare(new Uint8Array(a.buffer), new Uint8Array(b.buffer)) === 0;

  for (const { name } of implementations) {
    it(`${name}: the loss it reports is its factors' loss and the reference's, to 1e-5 relative; 1 or 2 threads give the same bits`, async () => {
      const one = await trainAls(ratings, { ...options, threads: 1, kernels: name });
      const two = await trainAls(ratings, { ...options, threads: 2, kernels: name });
      assert.equal(one.options.kernels, name);
      const reported = one.iterations.at(-1)!.loss;
      const recomputed = implicitLoss(toConfidence(ratings.byUser, one.options), one.userFactors, one.itemFactors, options.rank, one.options);
      assert.ok(Math.abs(reported - recomputed) <= 1e-5 * recomputed, `reported ${reported}, its factors' ${recomputed}`);
      one.iterations.forEach((it, i) => {
        const wanted = reference.iterations[i].loss;
        assert.ok(Math.abs(it.loss - wanted) <= 1e-5 * wanted, `iteration ${i + 1}: ${it.loss} vs the reference's ${wanted}`);
      });
      assert.ok(sameBytes(one.userFactors, two.userFactors), 'user factors differ between 1 and 2 threads');
      assert.ok(sameBytes(one.itemFactors, two.itemFactors), 'item factors differ between 1 and 2 threads');
      assert.deepEqual(one.iterations.map((it) => it.loss), two.iterations.map((it) => it.loss));
    });
  }
});
