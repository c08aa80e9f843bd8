import { solveRowCg, type EigenBasis } from './cg.js';
import { rotateRowsInPlace, symmetricEigen } from './eigen.js';
import { accumulateGram, sumGramPartials } from './gram.js';
import type { RowScratch } from './half-step.js';
import { addWeightedRows, observedLoss, regularizedProduct } from './kernels.js';
import { solveRows, type ObservedLoss, type RowSolver, type RowsTask } from './rows.js';

/**
 * The hot kernels of a half-step, in one of two implementations with one contract: 'js' (the TypeScript
 * reference, any typed arrays) and 'wasm' (WebAssembly SIMD, wasm-kernels.ts: arrays in its memory only).
 * Their results agree to float32 rounding; each is deterministic, so a thread count never changes a result.
 */
export interface AlsKernels {
  readonly name: 'js' | 'wasm';
  /** See kernels.ts addWeightedRows; scratch.single is work space of the wasm kernel. */
  addWeightedRows(
    other: Float32Array, k: number, indices: Int32Array, confidence: Float32Array, start: number, end: number,
    v: Float64Array, out: Float64Array, residual: boolean, scratch: RowScratch,
  ): void;
  /** See kernels.ts regularizedProduct. */
  regularizedProduct(g: Float64Array, k: number, lambda: number, v: Float64Array, out: Float64Array): void;
  /** See kernels.ts observedLoss (a function property: solveRows takes it on its own). */
  readonly observedLoss: ObservedLoss;
  /** See gram.ts accumulateGram. */
  accumulateGram(f: Float32Array, first: number, last: number, k: number, out: Float64Array, offset: number): void;
  /** CG (solveRowCg) on every row of the task; returns their loss terms (see rows.ts solveRows). */
  solveRowsCg(task: RowsTask): number;
  /** out = the full symmetric sum of `count` upper-triangle partials (see gram.ts sumGramPartials). */
  sumGramPartials(partials: Float64Array, count: number, k: number, out: Float64Array): void;
  /** See eigen.ts rotateRowsInPlace; scratch.x and scratch.ap are its work space. */
  rotateRowsInPlace(f: Float32Array, rows: number, k: number, qT: Float64Array, scratch: RowScratch): void;
  /** See eigen.ts symmetricEigen (the same bits in both); scratch.a is work space. */
  symmetricEigen(g: Float64Array, k: number, values: Float64Array, vectors: Float64Array, scratch: RowScratch): void;
  /** See cg.ts solveRowCg. */
  solveRowCg(
    other: Float32Array, rank: number, gram: Float64Array, indices: Int32Array, confidence: Float32Array, start: number,
    end: number, lambda: number, steps: number, own: Float32Array, ownRow: number, scratch: RowScratch, basis: EigenBasis | null,
  ): void;
}

export const jsKernels: AlsKernels = {
  name: 'js',
  addWeightedRows: (other, k, indices, confidence, start, end, v, out, residual) =>
    addWeightedRows(other, k, indices, confidence, start, end, v, out, residual),
  regularizedProduct,
  observedLoss,
  accumulateGram,
  solveRowCg,
  solveRowsCg: (task) => solveRows(task, cgRow, observedLoss),
  sumGramPartials,
  rotateRowsInPlace: (f, rows, k, qT) => rotateRowsInPlace(f, rows, k, qT),
  symmetricEigen: (g, k, values, vectors) => symmetricEigen(g, k, values, vectors),
};

const cgRow: RowSolver = (t, row, start, end, lambda) =>
  solveRowCg(t.other, t.rank, t.gram, t.ratings.indices, t.ratings.values, start, end, lambda, t.cgSteps, t.own, row, t.scratch, t.basis);
