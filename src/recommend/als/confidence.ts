import type { ModelParams } from '../model.js';
import type { CsrMatrix } from '../../matrix/sparse.js';

export type ConfidenceParams = Pick<ModelParams, 'alpha' | 'ratingThreshold'>;

/**
 * Ratings → signed confidence, as the `implicit` library stores it: |value| = confidence c ≥ 1, and the sign is
 * the preference (value > 0: p = 1, value < 0: p = 0).
 * - ratingThreshold null (Spark's rule): r > 0 → +(1 + alpha·r); r ≤ 0 → −(1 + alpha·|r|).
 * - ratingThreshold t: r ≥ t → +(1 + alpha·|r|) (liked, surer the higher); r < t → −(1 + alpha·(t − r)) (disliked,
 *   surer the lower). Unrated pairs stay p = 0, c = 1.
 * The structure (indptr, indices) is shared with the input; only values are new.
 */
export function toConfidence(ratings: CsrMatrix, params: ConfidenceParams): CsrMatrix {
  const values = new Float32Array(ratings.values.length);
  fillConfidence(ratings.values, params, values);
  return { rows: ratings.rows, cols: ratings.cols, indptr: ratings.indptr, indices: ratings.indices, values };
}

/** Writes the signed confidence of each rating into out (which may live in shared memory). */
export function fillConfidence(ratings: Float32Array, params: ConfidenceParams, out: Float32Array): void {
  const { alpha, ratingThreshold } = params;
  for (let n = 0; n < ratings.length; n++) {
    const r = ratings[n];
    if (!Number.isFinite(r)) throw new Error(`toConfidence: rating #${n} is ${r}, not a finite number`);
    if (ratingThreshold === null) out[n] = r > 0 ? 1 + alpha * r : -(1 - alpha * r);
    else out[n] = r >= ratingThreshold ? 1 + alpha * Math.abs(r) : -(1 + alpha * (ratingThreshold - r));
  }
}
