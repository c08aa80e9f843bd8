import { performance } from 'node:perf_hooks';
import type { CsrMatrix } from '../../matrix/sparse.js';
import { gramOf, sumGramPartials } from './gram.js';
import { createRowScratch } from './half-step.js';
import { frobeniusInner } from './loss.js';
import { resolveAlsOptions, resolveSolver, type AlsOptions } from './params.js';
import { AlsWorkerPool } from './pool.js';
import { runHalfStep } from './run-half-step.js';
import { rotateRowsInPlace, symmetricEigen } from './eigen.js';
import { createTrainingState, rotationPays, type HalfStepTask } from './state.js';
import { checkRatings } from './check-ratings.js';

export interface AlsIteration {
  /** 1-based. */
  readonly iteration: number;
  /** The full implicit objective after this iteration (see implicitLoss). */
  readonly loss: number;
  readonly seconds: number;
}

export interface AlsResult {
  readonly rank: number;
  /** users × rank, row-major, in the dense user order of the ratings. */
  readonly userFactors: Float32Array;
  /** items × rank, row-major, in the dense item order of the ratings. */
  readonly itemFactors: Float32Array;
  readonly iterations: AlsIteration[];
  /** Wall time of the whole call: set-up, workers and every iteration. */
  readonly seconds: number;
  /** The options used, defaults filled in and solver 'auto' replaced by the solver that ran. */
  readonly options: AlsOptions;
}

/**
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008): alternately solves every user against fixed item factors and
 * every item against fixed user factors, minimising Σ_all c_ui(p_ui − x_u·y_i)² + λ-terms. Same seed and options
 * give bit-identical factors whatever `threads` is. byUser and byItem must hold the same ratings.
 */
export async function trainAls(
  ratings: { byUser: CsrMatrix; byItem: CsrMatrix },
  options: Partial<AlsOptions>,
  onIteration?: (it: AlsIteration) => void,
): Promise<AlsResult> {
  const started = performance.now();
  const requested = resolveAlsOptions(options);
  checkRatings(ratings.byUser, ratings.byItem);
  const nnz = ratings.byUser.indptr[ratings.byUser.rows];
  const opts: AlsOptions = Object.freeze({ ...requested, solver: resolveSolver(requested, nnz) });
  const k = opts.rank;

  const users = ratings.byUser.rows;
  const items = ratings.byItem.rows;
  const rotateUsers = opts.solver === 'cg' && rotationPays(users, items, k, opts.cgSteps, opts.threads);
  const rotateItems = opts.solver === 'cg' && rotationPays(items, users, k, opts.cgSteps, opts.threads);
  const state = createTrainingState(ratings, opts, opts.threads > 1, rotateUsers || rotateItems);
  const pool = opts.threads > 1 ? new AlsWorkerPool(opts.threads, state) : null;
  const scratch = pool ? null : createRowScratch(k);
  /** Runs a half-step; leaves the new side's Gram matrix in `gram` and returns its loss terms. */
  const basis = new Float64Array(k * k);
  /**
   * Moves the side held fixed in the next half-step into the eigenbasis of its Gram matrix (state.gram, which becomes
   * diagonal); the half-step moves the other side there row by row. The product x·y, and so the model, is unchanged.
   */
  const enterEigenbasis = (fixedSide: 'user' | 'item'): void => {
    symmetricEigen(state.gram, k, state.eigenValues, basis);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) state.basisT[j * k + i] = basis[i * k + j];
    const [fixed, rows] = fixedSide === 'item' ? [state.itemFactors, items] : [state.userFactors, users];
    rotateRowsInPlace(fixed, rows, k, state.basisT);
    state.gram.fill(0);
    for (let i = 0; i < k; i++) state.gram[i * k + i] = state.eigenValues[i];
  };
  const runTask = async (task: HalfStepTask, gram: Float64Array): Promise<number> => {
    const chunks = (task.side === 'user' ? state.userChunks : state.itemChunks).length - 1;
    Atomics.store(state.nextChunk, 0, 0);
    if (pool) await pool.run(task);
    else runHalfStep(state, task, scratch!);
    sumGramPartials(state.gramPartials, chunks, k, gram);
    let sum = 0;
    for (let c = 0; c < chunks; c++) sum += state.partials[c]; // chunk order: reproducible
    return sum;
  };

  const base = { solver: opts.solver as 'cholesky' | 'cg', cgSteps: opts.cgSteps, regularization: opts.regularization, scaleRegularization: opts.scaleRegularization };
  const userTask: HalfStepTask = { ...base, side: 'user', observedLoss: false, rotated: rotateUsers };
  const itemTask: HalfStepTask = { ...base, side: 'item', observedLoss: true, rotated: rotateItems };
  const userGram = new Float64Array(k * k);
  const iterations: AlsIteration[] = [];
  try {
    gramOf(state.itemFactors, state.byItem.rows, k, state.gram);
    for (let iteration = 1; iteration <= opts.iterations; iteration++) {
      const iterationStart = performance.now();
      if (rotateUsers) enterEigenbasis('item');
      const userTerms = await runTask(userTask, userGram);
      state.gram.set(userGram);
      if (rotateItems) {
        enterEigenbasis('user');
        userGram.set(state.gram); // the users' Gram matrix in the new basis, for the loss
      }
      const itemTerms = await runTask(itemTask, state.gram); // YᵀY: for the loss and the next iteration
      const loss = userTerms + itemTerms + frobeniusInner(userGram, state.gram);
      const it: AlsIteration = { iteration, loss, seconds: (performance.now() - iterationStart) / 1000 };
      iterations.push(it);
      onIteration?.(it);
    }
  } finally {
    await pool?.terminate();
  }
  return {
    rank: k,
    userFactors: unshared(state.userFactors),
    itemFactors: unshared(state.itemFactors),
    iterations,
    seconds: (performance.now() - started) / 1000,
    options: opts,
  };
}

/** A copy in ordinary memory when training used shared memory (slice allocates a plain buffer). */
function unshared(a: Float32Array): Float32Array {
  return a.buffer instanceof SharedArrayBuffer ? a.slice() : a;
}
