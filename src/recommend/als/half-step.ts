import { choleskyFactor, choleskySolve } from '../linalg.js';
import { plainAllocator, type Allocator } from './memory.js';

/** Per-thread work space for the row solvers, so the hot loops allocate nothing. */
export interface RowScratch {
  readonly rank: number;
  /** k×k system matrix (the wasm CG kernels keep a float32 copy of Qᵀ or of YᵀY there). */
  readonly a: Float64Array;
  /** The solution (k). */
  readonly x: Float64Array;
  /** CG residual, direction and A·direction (k each). */
  readonly r: Float64Array;
  readonly p: Float64Array;
  readonly ap: Float64Array;
  /** A vector rounded to float32 (k), work space of the wasm kernels. */
  readonly single: Float32Array;
}

/** Work space for one thread, in `alloc`'s memory (the wasm kernels' memory, for those). */
export function createRowScratch(rank: number, alloc: Allocator = plainAllocator): RowScratch {
  return {
    rank,
    a: alloc.f64(rank * rank),
    x: alloc.f64(rank),
    r: alloc.f64(rank),
    p: alloc.f64(rank),
    ap: alloc.f64(rank),
    single: alloc.f32(rank),
  };
}

/**
 * The exact ALS update of one row (a user against item factors, or an item against user factors):
 *   x = (YᵀY + Yᵀ(C − I)Y + λI)⁻¹ · YᵀC·p
 * over the row's entries indices[start..end) with signed confidences (see toConfidence).
 * other: the fixed side's factors (row-major, rank wide); gram: its YᵀY (k×k, without λ); lambda: this row's
 * regularization (rowRegularization). Returns scratch.x, overwritten by the next call on the same scratch.
 * Throws when the system is not positive definite (only possible with confidences below 1 or λ = 0).
 */
export function solveRow(
  other: Float32Array,
  rank: number,
  gram: Float64Array,
  indices: Int32Array,
  confidence: Float32Array,
  start: number,
  end: number,
  lambda: number,
  scratch: RowScratch = createRowScratch(rank),
): Float64Array {
  const k = rank;
  const { a, x } = scratch;
  // Only the lower triangle is filled: choleskyFactor and choleskySolve read nothing else.
  for (let i = 0; i < k; i++) {
    const row = i * k;
    for (let j = 0; j <= i; j++) a[row + j] = gram[row + j];
    a[row + i] += lambda;
    x[i] = 0;
  }
  for (let n = start; n < end; n++) {
    const v = confidence[n];
    const c = v < 0 ? -v : v;
    const base = indices[n] * k;
    if (v > 0) for (let i = 0; i < k; i++) x[i] += c * other[base + i];
    const w = c - 1;
    if (w === 0) continue;
    for (let i = 0; i < k; i++) {
      const wyi = w * other[base + i];
      if (wyi === 0) continue;
      const row = i * k;
      for (let j = 0; j <= i; j++) a[row + j] += wyi * other[base + j];
    }
  }
  if (!choleskyFactor(a, k)) {
    throw new Error(`ALS: a row's system is not positive definite (λ = ${lambda}); regularization must be > 0 and confidences ≥ 1`);
  }
  choleskySolve(a, k, x);
  return x;
}
