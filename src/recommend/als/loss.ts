import { gramMatrix } from '../linalg.js';
import type { ModelParams } from '../model.js';
import type { CsrMatrix } from '../../matrix/sparse.js';
import { rowRegularization } from './params.js';

/** ⟨A, B⟩ = Σ A_ab·B_ab; with A = XᵀX and B = YᵀY it is Σ over all pairs (x_u·y_i)² (the trace trick). */
export function frobeniusInner(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let n = 0; n < a.length; n++) s += a[n] * b[n];
  return s;
}

/**
 * The full implicit objective Σ_all c_ui(p_ui − x_u·y_i)² + Σ_u λ_u‖x_u‖² + Σ_i λ_i‖y_i‖², over every user–item
 * pair (unrated: c = 1, p = 0) in O(nnz·k + (users + items)·k²):
 *   Σ_all (x_u·y_i)² = ⟨XᵀX, YᵀY⟩, plus over rated pairs c(p − s)² − s².
 * confidenceByUser: signed confidences (toConfidence), users × items; λ_u per rowRegularization.
 * Training computes the same sum piecewise during its half-steps; this is the stand-alone reference.
 */
export function implicitLoss(
  confidenceByUser: CsrMatrix,
  userFactors: Float32Array,
  itemFactors: Float32Array,
  rank: number,
  params: Pick<ModelParams, 'regularization' | 'scaleRegularization'>,
): number {
  const k = rank;
  const { rows: users, cols: items, indptr, indices, values } = confidenceByUser;
  let loss = frobeniusInner(gramMatrix(userFactors, users, k), gramMatrix(itemFactors, items, k));
  const itemCounts = new Int32Array(items);
  for (let u = 0; u < users; u++) {
    const base = u * k;
    for (let n = indptr[u]; n < indptr[u + 1]; n++) {
      const v = values[n];
      const c = Math.abs(v);
      const p = v > 0 ? 1 : 0;
      const itemBase = indices[n] * k;
      let s = 0;
      for (let i = 0; i < k; i++) s += userFactors[base + i] * itemFactors[itemBase + i];
      loss += c * (p - s) * (p - s) - s * s;
      itemCounts[indices[n]]++;
    }
    loss += rowRegularization(params, indptr[u + 1] - indptr[u]) * squaredNorm(userFactors, base, k);
  }
  for (let i = 0; i < items; i++) loss += rowRegularization(params, itemCounts[i]) * squaredNorm(itemFactors, i * k, k);
  return loss;
}

function squaredNorm(factors: Float32Array, base: number, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += factors[base + i] * factors[base + i];
  return s;
}
