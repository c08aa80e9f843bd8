import { solveRow, type RowScratch } from './half-step.js';
import type { AlsKernels } from './kernel-set.js';
import { solveRows, type RowSolver, type RowsTask } from './rows.js';
import type { HalfStepTask, TrainingState } from './state.js';

/**
 * Takes chunks from the shared counter until none is left, solving each row of the chunk against the fixed side
 * and writing the chunk's loss contribution to state.partials[chunk]. Run by every worker (or, with one thread,
 * by the main thread); each row depends only on the fixed side, so who runs which chunk never changes a result.
 * Each chunk also leaves the Gram partial of its new rows in state.gramPartials (see sumGramPartials).
 * `kernels` must be able to read the state's memory (kernelsFor).
 */
export function runHalfStep(state: TrainingState, task: HalfStepTask, scratch: RowScratch, kernels: AlsKernels): void {
  const chunks = task.side === 'user' ? state.userChunks : state.itemChunks;
  const count = chunks.length - 1;
  for (;;) {
    const chunk = Atomics.add(state.nextChunk, 0, 1);
    if (chunk >= count) return;
    const first = chunks[chunk];
    const last = chunks[chunk + 1];
    state.partials[chunk] = solveChunk(state, task, first, last, scratch, kernels);
    const size = state.rank * state.rank;
    const own = task.side === 'user' ? state.userFactors : state.itemFactors;
    state.gramPartials.fill(0, chunk * size, (chunk + 1) * size);
    kernels.accumulateGram(own, first, last, state.rank, state.gramPartials, chunk * size);
  }
}

/** Solves rows [first, last) of the task's side; returns their loss terms (see solveRows). */
function solveChunk(state: TrainingState, task: HalfStepTask, first: number, last: number, scratch: RowScratch, kernels: AlsKernels): number {
  const user = task.side === 'user';
  const rows: RowsTask = {
    rank: state.rank,
    own: user ? state.userFactors : state.itemFactors,
    other: user ? state.itemFactors : state.userFactors,
    gram: state.gram,
    ratings: user ? state.byUser : state.byItem,
    first,
    last,
    regularization: task.regularization,
    scaleRegularization: task.scaleRegularization,
    cgSteps: task.cgSteps,
    basis: task.rotated ? { values: state.eigenValues, qT: state.basisT } : null,
    observedLoss: task.observedLoss,
    scratch,
  };
  return task.solver === 'cg' ? kernels.solveRowsCg(rows) : solveRows(rows, choleskyRow, kernels.observedLoss);
}

/** One row by the exact solver (half-step.ts solveRow). */
const choleskyRow: RowSolver = (t, row, start, end, lambda) => {
  const x = solveRow(t.other, t.rank, t.gram, t.ratings.indices, t.ratings.values, start, end, lambda, t.scratch);
  t.own.set(x, row * t.rank);
};
