import type { CsrMatrix } from '../../matrix/sparse.js';
import { createRandom } from '../random.js';
import { chunkCount, chunkRows } from './chunks.js';
import { fillConfidence, type ConfidenceParams } from './confidence.js';
import { createRowScratch, type RowScratch } from './half-step.js';
import type { Allocator } from './memory.js';

/**
 * Everything a half-step reads and writes, as typed arrays that can sit in shared memory: workers receive this
 * object once per training and then only small task messages.
 */
export interface TrainingState {
  readonly rank: number;
  /** Signed confidences, users × items and items × users. */
  readonly byUser: CsrMatrix;
  readonly byItem: CsrMatrix;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  /** Gram matrix (k×k) of the side held fixed in the current half-step, written by the main thread. */
  readonly gram: Float64Array;
  /** The users' Gram matrix XᵀX after their half-step, summed by the main thread (for the loss, and the next gram). */
  readonly userGram: Float64Array;
  /** Per chunk, the upper triangle of Σ xxᵀ over its freshly solved rows: the next half-step's gram, in parts. */
  readonly gramPartials: Float64Array;
  readonly userChunks: Int32Array;
  readonly itemChunks: Int32Array;
  /** One loss contribution per chunk of the current half-step. */
  readonly partials: Float64Array;
  /** [0]: the next chunk to take (Atomics.add), so a busy core simply takes fewer chunks. */
  readonly nextChunk: Int32Array;
  /**
   * For a rotated half-step (see rotationPays): the fixed side's Gram matrix was Q·diag(eigenValues)·Qᵀ (basisT = Qᵀ)
   * and the main thread has moved the fixed side's rows into that basis. Empty unless created with `rotatable`.
   */
  readonly eigenValues: Float64Array;
  readonly basisT: Float64Array;
  /** Q itself (the eigenvectors as columns, row-major), as the main thread computes it before transposing. */
  readonly basis: Float64Array;
  /** One row solver's work space per thread (workers take theirs by index; one thread uses [0]). */
  readonly scratch: readonly RowScratch[];
  /** The WebAssembly memory every array above is in, when the wasm kernels train; else null. */
  readonly memory: WebAssembly.Memory | null;
}

/** What one half-step does; posted to every worker. */
export interface HalfStepTask {
  readonly side: 'user' | 'item';
  readonly solver: 'cholesky' | 'cg';
  readonly cgSteps: number;
  readonly regularization: number;
  readonly scaleRegularization: boolean;
  /** Also add the observed-entry loss terms (done in the second half-step, when both sides are final). */
  readonly observedLoss: boolean;
  /** CG in the eigenbasis of the fixed side's Gram matrix (see TrainingState.eigenValues). */
  readonly rotated?: boolean;
}

/**
 * Builds the state: confidences computed straight into `alloc`'s memory (ordinary, shared or the wasm kernels'),
 * factors initialised from the seed the way Spark does (each row a normal vector scaled to unit length; users
 * first, then items, from one stream). Work space for `threads` threads.
 */
export function createTrainingState(
  ratings: { byUser: CsrMatrix; byItem: CsrMatrix },
  params: ConfidenceParams & { rank: number; seed: number },
  alloc: Allocator,
  rotatable = false,
  threads = 1,
): TrainingState {
  const k = params.rank;
  const byUser = confidenceCopy(ratings.byUser, params, alloc);
  const byItem = confidenceCopy(ratings.byItem, params, alloc);
  const userFactors = alloc.f32(byUser.rows * k);
  const itemFactors = alloc.f32(byItem.rows * k);
  const random = createRandom(params.seed);
  initUnitRows(userFactors, byUser.rows, k, random);
  initUnitRows(itemFactors, byItem.rows, k, random);
  const rowCost = Math.ceil(k / 2); // a row's k² work ≈ k/2 ratings' 2k work
  const userChunks = copyInto(chunkRows(byUser.indptr, byUser.rows, rowCost, chunkCount(byUser.rows, k)), alloc.i32);
  const itemChunks = copyInto(chunkRows(byItem.indptr, byItem.rows, rowCost, chunkCount(byItem.rows, k)), alloc.i32);
  const mostChunks = Math.max(userChunks.length, itemChunks.length) - 1;
  return {
    rank: k,
    byUser,
    byItem,
    userFactors,
    itemFactors,
    gram: alloc.f64(k * k),
    userGram: alloc.f64(k * k),
    gramPartials: alloc.f64(mostChunks * k * k),
    userChunks,
    itemChunks,
    partials: alloc.f64(mostChunks),
    nextChunk: alloc.i32(1),
    eigenValues: alloc.f64(rotatable ? k : 0),
    basisT: alloc.f64(rotatable ? k * k : 0),
    basis: alloc.f64(rotatable ? k * k : 0),
    scratch: Array.from({ length: threads }, () => createRowScratch(k, alloc)),
    memory: alloc.memory,
  };
}

function initUnitRows(factors: Float32Array, rows: number, k: number, random: ReturnType<typeof createRandom>): void {
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    let norm = 0;
    for (let i = 0; i < k; i++) {
      const z = random.normal();
      factors[base + i] = z;
      norm += z * z;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < k; i++) factors[base + i] *= scale;
  }
}

function copyInto(source: Int32Array, alloc: (n: number) => Int32Array): Int32Array {
  const out = alloc(source.length);
  out.set(source);
  return out;
}

function confidenceCopy(ratings: CsrMatrix, params: ConfidenceParams, alloc: Allocator): CsrMatrix {
  const nnz = ratings.indptr[ratings.rows];
  const values = alloc.f32(nnz);
  fillConfidence(ratings.values.subarray(0, nnz), params, values);
  return {
    rows: ratings.rows,
    cols: ratings.cols,
    indptr: copyInto(ratings.indptr, alloc.i32),
    indices: copyInto(ratings.indices.subarray(0, nnz), alloc.i32),
    values,
  };
}

/**
 * Whether solving `ownRows` rows by CG in the fixed side's eigenbasis saves time: each row does one k² rotation
 * instead of steps + 1 k² Gram products (spread over the threads), against rotating the fixed side's rows on the
 * main thread plus the eigendecomposition (at most about 16k³, what rotating 16k rows costs).
 */
export function rotationPays(ownRows: number, otherRows: number, rank: number, cgSteps: number, threads: number): boolean {
  return (ownRows * cgSteps) / threads > otherRows + 16 * rank;
}
