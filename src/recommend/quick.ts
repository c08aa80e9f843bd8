/**
 * Quick-recommendation scorers behind one signature, so the new-user evaluation can pick the best:
 * - 'foldin':  one ALS half-step for the picks (foldin.ts); because = largest c_j·p_j·(A⁻¹y_i)·y_j.
 * - 'itemsim': the original system's picks·V·Vᵀ: score_i = Σ_p y_p·y_i; because = argmax_p y_p·y_i
 *              (ratings and regularization do not apply: every pick counts the same).
 * - 'blend':   w·z(foldin) + (1−w)·z(itemsim), z = (s − mean)/std over all items (w = blendWeight, 0.5);
 *              the mean is a constant, so pick j contributes w·f_j/σ_f + (1−w)·s_j/σ_s.
 */
import { foldInScorer, pickRows, rankWithReasons, scratchScores } from './foldin.js';
import type { FoldInOptions, PickScorer, PreparedModel, Recommendation } from './foldin.js';
import { multiplyRows } from './linalg.js';

export type QuickMethod = 'foldin' | 'itemsim' | 'blend';

export const QUICK_METHODS: readonly QuickMethod[] = ['foldin', 'itemsim', 'blend'];

export interface QuickOptions extends FoldInOptions {
  readonly method: QuickMethod;
  /** Weight of fold-in in 'blend', in [0, 1]; 0.5 unless given. */
  readonly blendWeight?: number;
}

/** Top n movies for the picks by the chosen method, picks excluded, each with its `because` pick. */
export function quickRecommend(prepared: PreparedModel, movieIds: readonly number[], n: number, options: QuickOptions): Recommendation[] {
  const buffers = [scratchScores(prepared, 0), scratchScores(prepared, 1)];
  return rankWithReasons(prepared, quickScorer(prepared, movieIds, options, buffers), n);
}

/** One score per item (row order of the model, picks included: exclude them before ranking); a fresh array. */
export function quickScores(prepared: PreparedModel, movieIds: readonly number[], options: QuickOptions): Float64Array {
  return quickScorer(prepared, movieIds, options).scores;
}

/** The scorer of a method; scores go into buffers[0] (and buffers[1] for 'blend') when given, else fresh arrays. */
export function quickScorer(prepared: PreparedModel, movieIds: readonly number[], options: QuickOptions, buffers: Float64Array[] = []): PickScorer {
  switch (options.method) {
    case 'foldin':
      return foldInScorer(prepared, movieIds, options, buffers[0]);
    case 'itemsim':
      return itemSimScorer(prepared, movieIds, buffers[0]);
    case 'blend':
      return blendScorer(prepared, movieIds, options, buffers);
    default:
      throw new Error(`unknown quick method ${JSON.stringify(options.method)}: use one of ${QUICK_METHODS.join(', ')}`);
  }
}

/** picks·V·Vᵀ: every item scored against the sum of the picks' factors. */
export function itemSimScorer(prepared: PreparedModel, movieIds: readonly number[], out: Float64Array = new Float64Array(prepared.itemCount)): PickScorer {
  const { rank, itemCount, model } = prepared;
  const y = model.itemFactors;
  const picks = pickRows(prepared, movieIds);
  const sum = new Float64Array(rank);
  for (const p of picks) for (let a = 0; a < rank; a++) sum[a] += y[p * rank + a];
  return {
    picks,
    scores: multiplyRows(y, itemCount, rank, sum, out),
    contributions(item, out) {
      for (let j = 0; j < picks.length; j++) {
        let dot = 0;
        for (let a = 0; a < rank; a++) dot += y[picks[j] * rank + a] * y[item * rank + a];
        out[j] = dot;
      }
    },
  };
}

function blendScorer(prepared: PreparedModel, movieIds: readonly number[], options: QuickOptions, buffers: Float64Array[]): PickScorer {
  const w = options.blendWeight ?? 0.5;
  if (!(w >= 0 && w <= 1)) throw new Error(`blendWeight is ${w}, expected a number in [0, 1]`);
  const fold = foldInScorer(prepared, movieIds, options, buffers[0]);
  const sim = itemSimScorer(prepared, movieIds, buffers[1]);
  const f = meanAndScale(fold.scores, w);
  const s = meanAndScale(sim.scores, 1 - w);
  const scores = fold.scores; // blended in place: fold's contributions do not read its scores
  for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] - f.mean) * f.scale + (sim.scores[i] - s.mean) * s.scale;
  const simParts = new Float64Array(fold.picks.length);
  return {
    picks: fold.picks,
    scores,
    contributions(item, out) {
      fold.contributions(item, out);
      sim.contributions(item, simParts);
      for (let j = 0; j < out.length; j++) out[j] = out[j] * f.scale + simParts[j] * s.scale;
    },
  };
}

/** Mean and weight/std of the scores; a constant score vector gets scale 0 (it cannot rank anything). */
function meanAndScale(scores: Float64Array, weight: number): { mean: number; scale: number } {
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += scores[i];
  const mean = sum / scores.length;
  let squares = 0;
  for (let i = 0; i < scores.length; i++) squares += (scores[i] - mean) ** 2;
  const std = Math.sqrt(squares / scores.length);
  return { mean, scale: std > 0 ? weight / std : 0 };
}
