/** Dense linear algebra on small k×k systems, row-major, in Float64 for stable solves. */

/** Σ_rows vᵀv over a row-major n×k Float32 matrix, as a k×k Float64 matrix (both triangles filled). */
export function gramMatrix(factors: Float32Array, n: number, k: number, out: Float64Array = new Float64Array(k * k)): Float64Array {
  out.fill(0);
  for (let r = 0; r < n; r++) {
    const base = r * k;
    for (let a = 0; a < k; a++) {
      const va = factors[base + a];
      if (va === 0) continue;
      const row = a * k;
      for (let b = a; b < k; b++) out[row + b] += va * factors[base + b];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) out[a * k + b] = out[b * k + a];
  return out;
}

/**
 * In-place Cholesky factorization A = L·Lᵀ of a symmetric positive definite k×k matrix;
 * L is left in the lower triangle. Returns false when A is not positive definite.
 */
export function choleskyFactor(a: Float64Array, k: number): boolean {
  for (let j = 0; j < k; j++) {
    const rowJ = j * k;
    let d = a[rowJ + j];
    for (let p = 0; p < j; p++) d -= a[rowJ + p] * a[rowJ + p];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rowJ + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      const rowI = i * k;
      let s = a[rowI + j];
      for (let p = 0; p < j; p++) s -= a[rowI + p] * a[rowJ + p];
      a[rowI + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L·Lᵀ·x = b in place (b becomes x), with L from choleskyFactor. */
export function choleskySolve(l: Float64Array, k: number, b: Float64Array): void {
  for (let i = 0; i < k; i++) {
    const row = i * k;
    let s = b[i];
    for (let p = 0; p < i; p++) s -= l[row + p] * b[p];
    b[i] = s / l[row + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i];
    for (let p = i + 1; p < k; p++) s -= l[p * k + i] * b[p];
    b[i] = s / l[i * k + i];
  }
}

/** Dot product of row `row` of a row-major Float32 matrix with a Float64 vector. */
export function dotRow(factors: Float32Array, row: number, k: number, x: Float64Array): number {
  const base = row * k;
  let s = 0;
  for (let a = 0; a < k; a++) s += factors[base + a] * x[a];
  return s;
}
