import { solveRowCg, type EigenBasis } from './cg.js';
import { accumulateGram } from './gram.js';
import { solveRow, type RowScratch } from './half-step.js';
import { observedLoss } from './kernels.js';
import type { HalfStepTask, TrainingState } from './state.js';

/**
 * Takes chunks from the shared counter until none is left, solving each row of the chunk against the fixed side
 * and writing the chunk's loss contribution to state.partials[chunk]. Run by every worker (or, with one thread,
 * by the main thread); each row depends only on the fixed side, so who runs which chunk never changes a result.
 * Each chunk also leaves the Gram partial of its new rows in state.gramPartials (see sumGramPartials).
 */
export function runHalfStep(state: TrainingState, task: HalfStepTask, scratch: RowScratch): void {
  const chunks = task.side === 'user' ? state.userChunks : state.itemChunks;
  const count = chunks.length - 1;
  for (;;) {
    const chunk = Atomics.add(state.nextChunk, 0, 1);
    if (chunk >= count) return;
    const first = chunks[chunk];
    const last = chunks[chunk + 1];
    state.partials[chunk] = solveChunk(state, task, first, last, scratch);
    const size = state.rank * state.rank;
    const own = task.side === 'user' ? state.userFactors : state.itemFactors;
    state.gramPartials.fill(0, chunk * size, (chunk + 1) * size);
    accumulateGram(own, first, last, state.rank, state.gramPartials, chunk * size);
  }
}

/**
 * Solves rows [first, last) of one side; returns Σ λ_row‖x_row‖² over them, plus with observedLoss
 * Σ over their entries of c(p − s)² − s² (s = x_u·y_i): the observed part of the implicit objective.
 */
function solveChunk(state: TrainingState, task: HalfStepTask, first: number, last: number, scratch: RowScratch): number {
  const k = state.rank;
  const user = task.side === 'user';
  const m = user ? state.byUser : state.byItem;
  const own = user ? state.userFactors : state.itemFactors;
  const other = user ? state.itemFactors : state.userFactors;
  const { indptr, indices, values } = m;
  const { gram } = state;
  const basis: EigenBasis | null = task.rotated ? { values: state.eigenValues, qT: state.basisT } : null;
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
    if (task.solver === 'cg') {
      solveRowCg(other, k, gram, indices, values, start, end, lambda, task.cgSteps, own, row, scratch, basis);
    } else {
      const x = solveRow(other, k, gram, indices, values, start, end, lambda, scratch);
      for (let i = 0; i < k; i++) own[base + i] = x[i];
    }
    let norm = 0;
    for (let i = 0; i < k; i++) norm += own[base + i] * own[base + i];
    loss += lambda * norm;
    if (task.observedLoss) loss += observedLoss(own, base, other, k, indices, values, start, end);
  }
  return loss;
}
