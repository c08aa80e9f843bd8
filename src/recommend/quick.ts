/**
 * Quick-recommendation scorers behind one signature, so the new-user evaluation can pick the best:
 * - 'foldin':  one ALS half-step for the picks (foldin.ts); because = largest c_j·p_j·(A⁻¹y_i)·y_j.
 * - 'itemsim': the original system's picks·V·Vᵀ: score_i = Σ_p y_p·y_i; because = argmax_p y_p·y_i
 *              (ratings and regularization do not apply: every pick counts the same).
 * - 'blend':   w·z(foldin) + (1−w)·z(itemsim), z = (s − mean)/std over all items (w = blendWeight, 0.5);
 *              the mean is a constant, so pick j contributes w·f_j/σ_f + (1−w)·s_j/σ_s.
 * Two optional popularity discounts inside the model, for every method (absent: the scores above exactly):
 * - pick weight (pickPopularityExponent η): pick p counts n_p^−η, n_p its ratings in the model's training data
 *   (itemPopularity), so a famous pick says less than a niche one: itemsim's Σ_p n_p^−η·y_p·y_i, and fold-in's
 *   b = Σ_p n_p^−η·c_p·p_p·y_p (A unchanged); each pick's contribution is scaled the same.
 * - item-norm discount (itemNormExponent α): score_i / ‖y_i‖^α (α = 1: cosine-like; large norms track popularity),
 *   each pick's contribution divided the same; in 'blend' applied to both parts before the z-scores.
 * In 'blend' the pick weight applies to both parts, or with pickWeightedPart to that part only.
 */
import { foldInParts, foldInScorer, perModel, pickRows, rankWithReasons, rowDots, scratchScores } from './foldin.js';
import type { FoldInOptions, PickScorer, PreparedModel, Recommendation } from './foldin.js';
import { multiplyRows } from './linalg.js';

export type QuickMethod = 'foldin' | 'itemsim' | 'blend';

export const QUICK_METHODS: readonly QuickMethod[] = ['foldin', 'itemsim', 'blend'];

export interface QuickOptions extends FoldInOptions {
  readonly method: QuickMethod;
  /** Weight of fold-in in 'blend', in [0, 1]; 0.5 unless given. */
  readonly blendWeight?: number;
  /** η ≥ 0: each pick weighted by its ratings^−η (needs itemPopularity); every pick the same when absent. */
  readonly pickPopularityExponent?: number;
  /** In 'blend', the one part the pick weight applies to; both parts when absent. */
  readonly pickWeightedPart?: 'foldin' | 'itemsim';
  /** Ratings per item row of the model (its training data); read only for pickPopularityExponent. */
  readonly itemPopularity?: ArrayLike<number>;
  /** α ≥ 0: every item's score and contributions divided by ‖y_i‖^α; no discount when absent. */
  readonly itemNormExponent?: number;
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
  const weighted = withPickScale(prepared, movieIds, options);
  switch (options.method) {
    case 'foldin':
      return normDiscounted(prepared, foldInScorer(prepared, movieIds, weighted, buffers[0]), options.itemNormExponent);
    case 'itemsim':
      return normDiscounted(prepared, itemSimScorer(prepared, movieIds, buffers[0], weighted.pickScale), options.itemNormExponent);
    case 'blend':
      return blendScorer(prepared, movieIds, {
        fold: options.pickWeightedPart === 'itemsim' ? options : weighted,
        sim: options.pickWeightedPart === 'foldin' ? options : weighted,
      }, buffers);
    default:
      throw new Error(`unknown quick method ${JSON.stringify(options.method)}: use one of ${QUICK_METHODS.join(', ')}`);
  }
}

/** picks·V·Vᵀ: every item scored against the sum of the picks' factors (each times its scale, when given). */
export function itemSimScorer(
  prepared: PreparedModel,
  movieIds: readonly number[],
  out: Float64Array = new Float64Array(prepared.itemCount),
  pickScale?: ArrayLike<number>,
): PickScorer {
  const { rank, itemCount, model } = prepared;
  const y = model.itemFactors;
  const picks = pickRows(prepared, movieIds);
  const sum = scaledPickSum(prepared, picks, pickScale);
  const scale = (j: number): number => (pickScale === undefined ? 1 : pickScale[j]);
  return {
    picks,
    scores: multiplyRows(y, itemCount, rank, sum, out),
    contributions(item, out) {
      for (let j = 0; j < picks.length; j++) {
        let dot = 0;
        for (let a = 0; a < rank; a++) dot += y[picks[j] * rank + a] * y[item * rank + a];
        out[j] = scale(j) * dot;
      }
    },
  };
}

/** Σ_j scale_j·y_{picks[j]}: itemsim's user vector (every scale 1 when none is given). */
function scaledPickSum(prepared: PreparedModel, picks: Int32Array, pickScale: ArrayLike<number> | undefined): Float64Array {
  const { rank, model } = prepared;
  const y = model.itemFactors;
  if (pickScale !== undefined && pickScale.length !== picks.length) throw new Error(`${pickScale.length} pick scales for ${picks.length} picks: give one per pick`);
  const sum = new Float64Array(rank);
  picks.forEach((p, j) => {
    const scale = pickScale === undefined ? 1 : pickScale[j];
    for (let a = 0; a < rank; a++) sum[a] += scale * y[p * rank + a];
  });
  return sum;
}

/** The options with pickScale = (given scale, else 1) × n_p^−η when pickPopularityExponent is set; else as given. */
function withPickScale(prepared: PreparedModel, movieIds: readonly number[], options: QuickOptions): QuickOptions {
  const eta = options.pickPopularityExponent;
  if (eta === undefined) return options;
  if (!(Number.isFinite(eta) && eta >= 0)) throw new Error(`pickPopularityExponent is ${eta}, expected a finite number ≥ 0`);
  const popularity = options.itemPopularity;
  if (popularity === undefined || popularity.length !== prepared.itemCount) {
    throw new Error(`pickPopularityExponent needs itemPopularity: one rating count per item of the model (${prepared.itemCount})`);
  }
  const given = options.pickScale;
  const rows = pickRows(prepared, movieIds);
  // A count below 1 (an item the model knows without ratings) counts as 1, so no pick weighs more than a 1-rating one.
  const pickScale = Float64Array.from(rows, (row, j) => (given === undefined ? 1 : given[j]) * Math.max(1, popularity[row]) ** -eta);
  return { ...options, pickScale };
}

/** ‖y_i‖ per item. */
const itemNorms = perModel(({ rank, itemCount, model }) => {
  const y = model.itemFactors;
  const norms = new Float64Array(itemCount);
  for (let i = 0; i < itemCount; i++) {
    let sq = 0;
    for (let a = 0; a < rank; a++) sq += y[i * rank + a] ** 2;
    norms[i] = Math.sqrt(sq);
  }
  return norms;
});

/** The scorer with score_i and its contributions divided by ‖y_i‖^α in place (a zero-norm item keeps its 0 score). */
function normDiscounted(prepared: PreparedModel, scorer: PickScorer, alpha: number | undefined): PickScorer {
  if (alpha === undefined) return scorer;
  if (!(Number.isFinite(alpha) && alpha >= 0)) throw new Error(`itemNormExponent is ${alpha}, expected a finite number ≥ 0`);
  const norms = itemNorms(prepared);
  const divisor = (item: number): number => (norms[item] > 0 ? norms[item] ** alpha : 1);
  const { scores } = scorer;
  for (let i = 0; i < scores.length; i++) scores[i] /= divisor(i);
  return {
    picks: scorer.picks,
    scores,
    contributions(item, out) {
      scorer.contributions(item, out);
      const d = divisor(item);
      for (let j = 0; j < out.length; j++) out[j] /= d;
    },
  };
}

/** The blend of fold-in and itemsim, each part with its own options (they differ in the pick weight only). */
function blendScorer(prepared: PreparedModel, movieIds: readonly number[], parts: { fold: QuickOptions; sim: QuickOptions }, buffers: Float64Array[]): PickScorer {
  const options = parts.fold;
  const w = options.blendWeight ?? 0.5;
  if (!(w >= 0 && w <= 1)) throw new Error(`blendWeight is ${w}, expected a number in [0, 1]`);
  if (options.itemNormExponent === undefined) return linearBlendScorer(prepared, movieIds, parts, w, buffers[0]);
  const fold = normDiscounted(prepared, foldInScorer(prepared, movieIds, options, buffers[0]), options.itemNormExponent);
  const sim = normDiscounted(prepared, itemSimScorer(prepared, movieIds, buffers[1], parts.sim.pickScale), options.itemNormExponent);
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

/**
 * Blend without the item-norm discount: both parts are y_i·x for their own x, so their means and deviations over all
 * items come from ȳ and YᵀY, and the blend is one product y_i·(x_f·scale_f + x_s·scale_s) − offset (one pass over the
 * items instead of two; quick recommendations are computed per request).
 */
function linearBlendScorer(
  prepared: PreparedModel,
  movieIds: readonly number[],
  parts: { fold: QuickOptions; sim: QuickOptions },
  w: number,
  out: Float64Array = new Float64Array(prepared.itemCount),
): PickScorer {
  const { rank, itemCount, model } = prepared;
  const y = model.itemFactors;
  const fold = foldInParts(prepared, movieIds, parts.fold);
  const { picks } = fold;
  const simScale = parts.sim.pickScale;
  const simX = scaledPickSum(prepared, picks, simScale);
  const f = linearMeanAndScale(prepared, fold.x, w);
  const s = linearMeanAndScale(prepared, simX, 1 - w);
  const v = new Float64Array(rank);
  for (let a = 0; a < rank; a++) v[a] = fold.x[a] * f.scale + simX[a] * s.scale;
  const offset = f.mean * f.scale + s.mean * s.scale;
  const scores = multiplyRows(y, itemCount, rank, v, out);
  for (let i = 0; i < itemCount; i++) scores[i] -= offset;
  // Pick j's part of every score: its fold-in part and its itemsim part, each scaled as in the blend.
  const pickVectors = new Float64Array(picks.length * rank);
  picks.forEach((p, j) => {
    const simWeight = (simScale === undefined ? 1 : simScale[j]) * s.scale;
    for (let a = 0; a < rank; a++) pickVectors[j * rank + a] = fold.pickParts[j * rank + a] * f.scale + y[p * rank + a] * simWeight;
  });
  return { picks, scores, contributions: (item, parts) => rowDots(y, item, rank, pickVectors, picks.length, parts) };
}

/** ȳ, the mean of the item factors. */
const columnMeans = perModel(({ rank, itemCount, model }) => {
  const y = model.itemFactors;
  const means = new Float64Array(rank);
  for (let i = 0; i < itemCount; i++) for (let a = 0; a < rank; a++) means[a] += y[i * rank + a];
  for (let a = 0; a < rank; a++) means[a] /= itemCount;
  return means;
});

/** meanAndScale of the scores y_i·x over all items without computing them: mean ȳ·x, variance xᵀ(YᵀY)x/n − (ȳ·x)². */
function linearMeanAndScale(prepared: PreparedModel, x: Float64Array, weight: number): { mean: number; scale: number } {
  const { rank, itemCount, gram } = prepared;
  const means = columnMeans(prepared);
  let mean = 0;
  let second = 0;
  for (let a = 0; a < rank; a++) {
    mean += means[a] * x[a];
    let row = 0;
    for (let b = 0; b < rank; b++) row += gram[a * rank + b] * x[b];
    second += x[a] * row;
  }
  second /= itemCount;
  const variance = second - mean * mean;
  // Rounding leaves a constant score vector a variance of ~1e-16 of its mean square, not 0: it cannot rank anything.
  return { mean, scale: variance > 1e-12 * second ? weight / Math.sqrt(variance) : 0 };
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
