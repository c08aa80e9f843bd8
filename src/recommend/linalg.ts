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

/** out[r] = row r of a row-major n×k Float32 matrix · x, for every row (scoring all items against one user). */
export function multiplyRows(factors: Float32Array, n: number, k: number, x: Float64Array, out: Float64Array = new Float64Array(n)): Float64Array {
  const f = factors;
  const kEven = k - (k % 2);
  let r = 0;
  // Four rows at a time, two columns per step: each x value is loaded once for four rows and
  // eight independent sums keep the multiply-adds overlapping (≈1.5× the one-row loop in V8).
  for (; r + 4 <= n; r += 4) {
    const b0 = r * k;
    const b1 = b0 + k;
    const b2 = b1 + k;
    const b3 = b2 + k;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    for (let a = 0; a < kEven; a += 2) {
      const xa = x[a];
      const xb = x[a + 1];
      s0 += f[b0 + a] * xa;
      s1 += f[b1 + a] * xa;
      s2 += f[b2 + a] * xa;
      s3 += f[b3 + a] * xa;
      t0 += f[b0 + a + 1] * xb;
      t1 += f[b1 + a + 1] * xb;
      t2 += f[b2 + a + 1] * xb;
      t3 += f[b3 + a + 1] * xb;
    }
    if (kEven < k) {
      const xa = x[kEven];
      s0 += f[b0 + kEven] * xa;
      s1 += f[b1 + kEven] * xa;
      s2 += f[b2 + kEven] * xa;
      s3 += f[b3 + kEven] * xa;
    }
    out[r] = s0 + t0;
    out[r + 1] = s1 + t1;
    out[r + 2] = s2 + t2;
    out[r + 3] = s3 + t3;
  }
  for (; r < n; r++) out[r] = dotRow(f, r, k, x);
  return out;
}
