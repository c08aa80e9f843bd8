import { performance } from 'node:perf_hooks';
import type { CsrMatrix } from '../../matrix/sparse.js';
import { frobeniusInner } from './loss.js';
import { resolveAlsOptions, resolveSolver, type AlsOptions } from './params.js';
import { AlsWorkerPool } from './pool.js';
import { runHalfStep } from './run-half-step.js';
import { createTrainingState, rotationPays, type HalfStepTask, type TrainingState } from './state.js';
import { checkRatings } from './check-ratings.js';
import { createWasmArena, plainAllocator, sharedAllocator, WasmMemoryFullError, type Allocator } from './memory.js';
import { kernelsFor } from './wasm-kernels.js';

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
  /**
   * The options used, defaults filled in, solver 'auto' replaced by the solver that ran, and kernels by those that
   * ran ('js' when the data does not fit in WebAssembly's 4 GiB).
   */
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
  const solver = resolveSolver(requested, nnz);
  const k = requested.rank;

  const users = ratings.byUser.rows;
  const items = ratings.byItem.rows;
  const rotateUsers = solver === 'cg' && rotationPays(users, items, k, requested.cgSteps, requested.threads);
  const rotateItems = solver === 'cg' && rotationPays(items, users, k, requested.cgSteps, requested.threads);
  // The calling thread is one of the threads: it solves chunks beside threads − 1 workers, never waits idle for them.
  const pool = requested.threads > 1 ? new AlsWorkerPool(requested.threads - 1, 1) : null;
  let state: TrainingState;
  try {
    state = trainingStateFor(ratings, requested, rotateUsers || rotateItems);
  } catch (error) {
    await pool?.terminate();
    throw error;
  }
  pool?.share(state);
  const opts: AlsOptions = Object.freeze({ ...requested, solver, kernels: state.memory === null ? 'js' : 'wasm' });
  const kernels = kernelsFor(state.memory);
  const scratch = state.scratch[0];
  const basis = state.basis;
  /**
   * Moves the side held fixed in the next half-step into the eigenbasis of its Gram matrix (state.gram, which becomes
   * diagonal); the half-step moves the other side there row by row. The product x·y, and so the model, is unchanged.
   */
  const enterEigenbasis = (fixedSide: 'user' | 'item'): void => {
    kernels.symmetricEigen(state.gram, k, state.eigenValues, basis, scratch);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) state.basisT[j * k + i] = basis[i * k + j];
    const [fixed, rows] = fixedSide === 'item' ? [state.itemFactors, items] : [state.userFactors, users];
    kernels.rotateRowsInPlace(fixed, rows, k, state.basisT, scratch);
    state.gram.fill(0);
    for (let i = 0; i < k; i++) state.gram[i * k + i] = state.eigenValues[i];
  };
  /** Runs a half-step; leaves the new side's Gram matrix in `gram` and returns its loss terms. */
  const runTask = async (task: HalfStepTask, gram: Float64Array): Promise<number> => {
    const chunks = (task.side === 'user' ? state.userChunks : state.itemChunks).length - 1;
    Atomics.store(state.nextChunk, 0, 0);
    const workers = pool?.run(task);
    try {
      runHalfStep(state, task, scratch, kernels);
    } finally {
      await workers; // also when this thread failed: a worker's failure is never left unhandled
    }
    kernels.sumGramPartials(state.gramPartials, chunks, k, gram);
    let sum = 0;
    for (let c = 0; c < chunks; c++) sum += state.partials[c]; // chunk order: reproducible
    return sum;
  };

  const base = { solver: opts.solver as 'cholesky' | 'cg', cgSteps: opts.cgSteps, regularization: opts.regularization, scaleRegularization: opts.scaleRegularization };
  const userTask: HalfStepTask = { ...base, side: 'user', observedLoss: false, rotated: rotateUsers };
  const itemTask: HalfStepTask = { ...base, side: 'item', observedLoss: true, rotated: rotateItems };
  const userGram = state.userGram;
  const iterations: AlsIteration[] = [];
  try {
    // The items' first Gram matrix, as one chunk's partial (the same sums on every thread count).
    state.gramPartials.fill(0, 0, k * k);
    kernels.accumulateGram(state.itemFactors, 0, items, k, state.gramPartials, 0);
    kernels.sumGramPartials(state.gramPartials, 1, k, state.gram);
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

/** The state in the memory the kernels read: the wasm kernels' when chosen and the data fits, else (shared) memory. */
function trainingStateFor(ratings: { byUser: CsrMatrix; byItem: CsrMatrix }, opts: AlsOptions, rotatable: boolean): TrainingState {
  const fallback: Allocator = opts.threads > 1 ? sharedAllocator : plainAllocator;
  if (opts.kernels === 'wasm') {
    try {
      return createTrainingState(ratings, opts, createWasmArena(), rotatable, opts.threads);
    } catch (error) {
      if (!(error instanceof WasmMemoryFullError)) throw error;
    }
  }
  return createTrainingState(ratings, opts, fallback, rotatable, opts.threads);
}

/** A copy in ordinary memory when training used shared memory (slice allocates a plain buffer). */
function unshared(a: Float32Array): Float32Array {
  return a.buffer instanceof SharedArrayBuffer ? a.slice() : a;
}
