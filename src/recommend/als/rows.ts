import type { CsrMatrix } from '../../matrix/sparse.js';
import type { EigenBasis } from './cg.js';
import type { RowScratch } from './half-step.js';

/** Rows [first, last) of one side to solve against the fixed side, and what to add up on the way. */
export interface RowsTask {
  readonly rank: number;
  /** The side being solved (written) and the side held fixed. */
  readonly own: Float32Array;
  readonly other: Float32Array;
  /** The fixed side's Gram matrix (k×k), unused in the eigenbasis. */
  readonly gram: Float64Array;
  /** The solved side's signed confidences, one row per own row. */
  readonly ratings: CsrMatrix;
  readonly first: number;
  readonly last: number;
  readonly regularization: number;
  readonly scaleRegularization: boolean;
  readonly cgSteps: number;
  readonly basis: EigenBasis | null;
  /** Also add the observed-entry loss terms. */
  readonly observedLoss: boolean;
  readonly scratch: RowScratch;
}

/** Writes row `row`'s solution into own, from its entries [start, end) and its λ. */
export type RowSolver = (task: RowsTask, row: number, start: number, end: number, lambda: number) => void;
/** kernels.ts observedLoss's signature. */
export type ObservedLoss = (
  own: Float32Array, ownBase: number, other: Float32Array, k: number, indices: Int32Array, confidence: Float32Array, start: number, end: number,
) => number;

/**
 * Solves each row of the task with `solve`; returns Σ λ_row‖x_row‖² over them, plus with observedLoss
 * Σ over their entries of c(p − s)² − s² (s = x_u·y_i): the observed part of the implicit objective.
 */
export function solveRows(task: RowsTask, solve: RowSolver, observedLoss: ObservedLoss): number {
  const { rank: k, own, other, first, last } = task;
  const { indptr, indices, values } = task.ratings;
  let loss = 0;
  for (let row = first; row < last; row++) {
    const start = indptr[row];
    const end = indptr[row + 1];
    const base = row * k;
    if (start === end) {
      // No ratings: the minimiser is 0 (it would be anyway, up to CG's tolerance).
      for (let i = 0; i < k; i++) own[base + i] = 0;
      continue;
    }
    const lambda = task.scaleRegularization ? task.regularization * (end - start) : task.regularization;
    solve(task, row, start, end, lambda);
    let norm = 0;
    for (let i = 0; i < k; i++) norm += own[base + i] * own[base + i];
    loss += lambda * norm;
    if (task.observedLoss) loss += observedLoss(own, base, other, k, indices, values, start, end);
  }
  return loss;
}
