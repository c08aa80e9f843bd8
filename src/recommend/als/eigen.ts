import { regularizedProduct } from './kernels.js';

/**
 * Eigendecomposition of a symmetric k×k matrix by cyclic Jacobi rotations: G = Q·diag(values)·Qᵀ with Q orthogonal
 * (vectors, row-major: column j is the eigenvector of values[j]). Jacobi, for being simple and accurate to the last
 * bits on the small, well-conditioned Gram matrices ALS has; at rank 64 it costs a few milliseconds.
 */
export function symmetricEigen(g: Float64Array, k: number, values: Float64Array, vectors: Float64Array): void {
  const m = Float64Array.from(g.subarray(0, k * k));
  vectors.fill(0, 0, k * k);
  for (let i = 0; i < k; i++) vectors[i * k + i] = 1;
  let scale = 0;
  for (let i = 0; i < k * k; i++) scale += m[i] * m[i];
  const floor = scale * 1e-30;
  for (let sweep = 0; sweep < 64; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += m[p * k + q] * m[p * k + q];
    if (off <= floor) break;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q];
        if (apq * apq <= floor) continue;
        rotate(m, vectors, k, p, q, apq);
      }
    }
  }
  for (let i = 0; i < k; i++) values[i] = m[i * k + i];
}

/** The Jacobi rotation in the (p, q) plane that zeroes m[p][q] (Numerical Recipes' update), applied to m and Q. */
function rotate(m: Float64Array, v: Float64Array, k: number, p: number, q: number, apq: number): void {
  const theta = (m[q * k + q] - m[p * k + p]) / (2 * apq);
  const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let r = 0; r < k; r++) {
    if (r === p || r === q) continue;
    const arp = m[r * k + p];
    const arq = m[r * k + q];
    const np = c * arp - s * arq;
    const nq = s * arp + c * arq;
    m[r * k + p] = np;
    m[p * k + r] = np;
    m[r * k + q] = nq;
    m[q * k + r] = nq;
  }
  m[p * k + p] -= t * apq;
  m[q * k + q] += t * apq;
  m[p * k + q] = 0;
  m[q * k + p] = 0;
  for (let r = 0; r < k; r++) {
    const vrp = v[r * k + p];
    const vrq = v[r * k + q];
    v[r * k + p] = c * vrp - s * vrq;
    v[r * k + q] = s * vrp + c * vrq;
  }
}

/** out = m·v for a k×k row-major m (Q to leave the eigenbasis, Qᵀ to enter it). */
export function multiplyVector(m: Float64Array, k: number, v: Float64Array, out: Float64Array): void {
  regularizedProduct(m, k, 0, v, out);
}

/** Each of `rows` rows of f (rows × k) replaced by Qᵀ·row (qT = Qᵀ, row-major): the rows in the basis Q. */
export function rotateRowsInPlace(f: Float32Array, rows: number, k: number, qT: Float64Array): void {
  const row = new Float64Array(k);
  const rotated = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    for (let i = 0; i < k; i++) row[i] = f[base + i];
    multiplyVector(qT, k, row, rotated);
    for (let i = 0; i < k; i++) f[base + i] = rotated[i];
  }
}
