/**
 * New-user fold-in: one exact implicit-ALS half-step (Hu, Koren, Volinsky 2008) for one user
 * against fixed item factors Y, then every movie scored and explained.
 *
 *   A = YᵀY + Σ_j (c_j − 1)·y_j·y_jᵀ + λ·I        b = Σ_j c_j·p_j·y_j        x = A⁻¹·b
 *
 * over the picks j, with the model's own confidence c_j, preference p_j and λ (see pickWeights).
 * Picks without ratings count as liked movies rated NO_RATING (5): c = 1 + 5·alpha, p = 1.
 * Then score_i = y_i·x = Σ_j c_j·p_j·(A⁻¹y_i)·y_j, so pick j contributes c_j·p_j·(A⁻¹y_i)·y_j.
 */
import { fillConfidence } from './als/confidence.js';
import { rowRegularization } from './als/params.js';
import { choleskyFactor, choleskySolve, gramMatrix, multiplyRows } from './linalg.js';
import type { ItemFactorModel } from './model.js';
import { topN } from './topn.js';

/** What fold-in computes once per model. */
export interface PreparedModel {
  readonly model: ItemFactorModel;
  readonly rank: number;
  readonly itemCount: number;
  /** Movie id → row of model.itemFactors. */
  readonly itemIndex: ReadonlyMap<number, number>;
  /** YᵀY over all items, rank × rank, Float64. */
  readonly gram: Float64Array;
}

/** A value computed once per model, kept as long as the model is (the pipeline swaps models; old ones are dropped). */
export function perModel<T>(compute: (prepared: PreparedModel) => T): (prepared: PreparedModel) => T {
  const values = new WeakMap<PreparedModel, T>();
  return (prepared) => {
    if (!values.has(prepared)) values.set(prepared, compute(prepared));
    return values.get(prepared)!;
  };
}

export interface FoldInOptions {
  /** One rating per pick (same order); without them every pick is a liked movie rated 5 (NO_RATING). */
  readonly ratings?: readonly number[];
  /** Replaces params.regularization; still scaled by the pick count when params.scaleRegularization. */
  readonly regularization?: number;
  /** One factor per pick (same order) multiplying its share of b only (not of A); 1 for every pick when absent. */
  readonly pickScale?: ArrayLike<number>;
}

export interface ScoredMovie {
  readonly movieId: number;
  readonly score: number;
}

/** A recommendation with its reason: the pick that contributed most to its score. */
export interface Recommendation extends ScoredMovie {
  readonly because: number;
}

/** Scores over every item for one set of picks, able to split an item's score into per-pick contributions. */
export interface PickScorer {
  /** Rows of the picks, in the order given. */
  readonly picks: Int32Array;
  /** One score per item (picks included). */
  readonly scores: Float64Array;
  /** out[j] = the part of scores[item] owed to picks[j]. */
  contributions(item: number, out: Float64Array): void;
}

/** The rating assumed for a pick given without one: a liked movie at the top of the 0.5–5 scale. */
export const NO_RATING = 5;

export function prepareModel(model: ItemFactorModel): PreparedModel {
  const { rank, itemIds, itemFactors } = model;
  if (itemFactors.length !== itemIds.length * rank) {
    throw new Error(`prepareModel: ${itemFactors.length} factors, expected ${itemIds.length} items × rank ${rank}`);
  }
  const itemIndex = new Map<number, number>();
  for (let i = 0; i < itemIds.length; i++) itemIndex.set(itemIds[i], i);
  return { model, rank, itemCount: itemIds.length, itemIndex, gram: gramMatrix(itemFactors, itemIds.length, rank) };
}

/** Rows of the picked movies; unknown, duplicate or missing picks are an error. */
export function pickRows(prepared: PreparedModel, movieIds: readonly number[]): Int32Array {
  if (movieIds.length === 0) throw new Error('at least one picked movie is needed');
  const rows = new Int32Array(movieIds.length);
  const unknown: number[] = [];
  const seen = new Set<number>();
  movieIds.forEach((id, j) => {
    const row = prepared.itemIndex.get(id);
    if (row === undefined) unknown.push(id);
    else rows[j] = row;
    if (seen.has(id)) throw new Error(`movie ${id} is picked twice`);
    seen.add(id);
  });
  if (unknown.length > 0) throw new Error(`unknown movie ids (not in the model): ${unknown.join(', ')}`);
  return rows;
}

/**
 * Confidence and preference of each pick exactly as training computes them (als/confidence.ts: c = 1 + alpha·r,
 * p = 1, or with a rating threshold t, p = (r ≥ t)), and λ as training scales it (als/params.ts: λ × number of
 * picks when scaleRegularization).
 */
export function pickWeights(
  prepared: PreparedModel,
  count: number,
  options: FoldInOptions = {},
): { confidence: Float64Array; preference: Float64Array; lambda: number } {
  const { params } = prepared.model;
  const { ratings } = options;
  if (ratings !== undefined && ratings.length !== count) {
    throw new Error(`${ratings.length} ratings for ${count} picks: give one rating per pick`);
  }
  const given = new Float32Array(count).fill(NO_RATING);
  if (ratings !== undefined) {
    ratings.forEach((r, j) => {
      if (!Number.isFinite(r)) throw new Error(`rating ${j} is ${r}, expected a finite number`);
      given[j] = r;
    });
  }
  const signed = new Float32Array(count);
  fillConfidence(given, params, signed); // |value| = c, sign = preference
  const confidence = new Float64Array(count);
  const preference = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    confidence[j] = Math.abs(signed[j]);
    preference[j] = signed[j] > 0 ? 1 : 0;
  }
  const regularization = options.regularization ?? params.regularization;
  if (!Number.isFinite(regularization) || regularization < 0) {
    throw new Error(`regularization is ${regularization}, expected a finite number ≥ 0`);
  }
  return { confidence, preference, lambda: rowRegularization({ regularization, scaleRegularization: params.scaleRegularization }, count) };
}

/** The user's factors x = A⁻¹b for these picks (one exact ALS half-step). */
export function foldInUser(
  prepared: PreparedModel,
  movieIds: readonly number[],
  ratings?: readonly number[],
  options: Omit<FoldInOptions, 'ratings'> = {},
): Float64Array {
  return solvePicks(prepared, movieIds, { ...options, ratings }).x;
}

/** Top n movies for these picks by fold-in, picks excluded, each with the pick it owes most to. */
export function recommendForPicks(
  prepared: PreparedModel,
  movieIds: readonly number[],
  n: number,
  options: FoldInOptions = {},
): Recommendation[] {
  return rankWithReasons(prepared, foldInScorer(prepared, movieIds, options, scratchScores(prepared, 0)), n);
}

const scratch = new WeakMap<PreparedModel, Float64Array[]>();

/**
 * A reusable per-model score buffer for scores that never leave a call: a fresh 60k-item Float64Array per
 * request is external memory that triggers a full GC every few dozen requests, the main source of p99 latency.
 */
export function scratchScores(prepared: PreparedModel, slot: number): Float64Array {
  let buffers = scratch.get(prepared);
  if (buffers === undefined) scratch.set(prepared, (buffers = []));
  return (buffers[slot] ??= new Float64Array(prepared.itemCount));
}

/** Top n movies for a known user's trained factors; excluded movie ids not in the model are ignored. */
export function recommendForUser(
  prepared: PreparedModel,
  userVector: Float32Array | Float64Array,
  n: number,
  exclude: readonly number[] = [],
): ScoredMovie[] {
  const { rank, itemCount, model } = prepared;
  if (userVector.length !== rank) throw new Error(`user vector has ${userVector.length} factors, the model's rank is ${rank}`);
  const scores = multiplyRows(model.itemFactors, itemCount, rank, Float64Array.from(userVector), scratchScores(prepared, 0));
  const skip: number[] = [];
  for (const id of exclude) {
    const row = prepared.itemIndex.get(id);
    if (row !== undefined) skip.push(row);
  }
  return Array.from(topN(scores, n, skip), (i) => ({ movieId: model.itemIds[i], score: scores[i] }));
}

/** The user's factors x for these picks and each pick's part of them: pick j contributes y_i·parts_j to item i's score. */
export interface FoldInParts {
  readonly picks: Int32Array;
  readonly x: Float64Array;
  /** picks.length × rank: c_j·p_j·A⁻¹y_j per pick (A is symmetric, so y_i·A⁻¹y_j = y_j·A⁻¹y_i). */
  readonly pickParts: Float64Array;
}

/** One solve for x and one per pick for its part, once, instead of one per item asked about. */
export function foldInParts(prepared: PreparedModel, movieIds: readonly number[], options: FoldInOptions = {}): FoldInParts {
  const { rank, model } = prepared;
  const y = model.itemFactors;
  const { picks, weights, factor, x } = solvePicks(prepared, movieIds, options);
  const pickParts = new Float64Array(picks.length * rank);
  picks.forEach((p, j) => {
    const u = pickParts.subarray(j * rank, (j + 1) * rank);
    for (let a = 0; a < rank; a++) u[a] = y[p * rank + a];
    choleskySolve(factor, rank, u); // u = A⁻¹·y_pick
    for (let a = 0; a < rank; a++) u[a] *= weights[j];
  });
  return { picks, x, pickParts };
}

/** Fold-in scores with per-pick contributions c_j·p_j·(A⁻¹y_i)·y_j, computed as y_i·(c_j·p_j·A⁻¹y_j). */
export function foldInScorer(
  prepared: PreparedModel,
  movieIds: readonly number[],
  options: FoldInOptions = {},
  out: Float64Array = new Float64Array(prepared.itemCount),
): PickScorer {
  const { rank, itemCount, model } = prepared;
  const y = model.itemFactors;
  const { picks, x, pickParts } = foldInParts(prepared, movieIds, options);
  return {
    picks,
    scores: multiplyRows(y, itemCount, rank, x, out),
    contributions: (item, out) => rowDots(y, item, rank, pickParts, picks.length, out),
  };
}

/** out[j] = row `item` of y · vectors[j], for the `count` vectors of length k laid end to end. */
export function rowDots(y: Float32Array, item: number, k: number, vectors: Float64Array, count: number, out: Float64Array): void {
  const bi = item * k;
  let j = 0;
  // Two vectors at a time share each load of the row; each keeps its own even and odd sums, in the same order as alone.
  for (; j + 2 <= count; j += 2) {
    const b0 = j * k;
    const b1 = b0 + k;
    let s0 = 0;
    let s1 = 0;
    let t0 = 0;
    let t1 = 0;
    let a = 0;
    for (; a + 2 <= k; a += 2) {
      const ya = y[bi + a];
      const yb = y[bi + a + 1];
      s0 += vectors[b0 + a] * ya;
      s1 += vectors[b0 + a + 1] * yb;
      t0 += vectors[b1 + a] * ya;
      t1 += vectors[b1 + a + 1] * yb;
    }
    if (a < k) {
      s0 += vectors[b0 + a] * y[bi + a];
      t0 += vectors[b1 + a] * y[bi + a];
    }
    out[j] = s0 + s1;
    out[j + 1] = t0 + t1;
  }
  if (j < count) {
    const base = j * k;
    let s0 = 0;
    let s1 = 0;
    let a = 0;
    for (; a + 2 <= k; a += 2) {
      s0 += vectors[base + a] * y[bi + a];
      s1 += vectors[base + a + 1] * y[bi + a + 1];
    }
    if (a < k) s0 += vectors[base + a] * y[bi + a];
    out[j] = s0 + s1;
  }
}

/** Top n items of a scorer, picks excluded, each explained by its largest contribution (ties: earlier pick). */
export function rankWithReasons(prepared: PreparedModel, scorer: PickScorer, n: number): Recommendation[] {
  const { picks, scores } = scorer;
  const ids = prepared.model.itemIds;
  const parts = new Float64Array(picks.length);
  return Array.from(topN(scores, n, picks), (item) => {
    scorer.contributions(item, parts);
    return { movieId: ids[item], score: scores[item], because: ids[picks[largestPart(parts)]] };
  });
}

/** Index of the largest contribution; ties go to the earlier pick. */
export function largestPart(parts: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < parts.length; j++) if (parts[j] > parts[best]) best = j;
  return best;
}

/** Builds and solves the user's system; keeps the Cholesky factor of A for explanations. */
function solvePicks(prepared: PreparedModel, movieIds: readonly number[], options: FoldInOptions) {
  const { rank, gram, model } = prepared;
  const y = model.itemFactors;
  const picks = pickRows(prepared, movieIds);
  const { confidence, preference, lambda } = pickWeights(prepared, picks.length, options);
  const factor = Float64Array.from(gram);
  const x = new Float64Array(rank);
  const weights = new Float64Array(picks.length);
  const { pickScale } = options;
  if (pickScale !== undefined && pickScale.length !== picks.length) throw new Error(`${pickScale.length} pick scales for ${picks.length} picks: give one per pick`);
  for (let j = 0; j < picks.length; j++) {
    const base = picks[j] * rank;
    const extra = confidence[j] - 1;
    weights[j] = confidence[j] * preference[j] * (pickScale === undefined ? 1 : pickScale[j]);
    for (let a = 0; a < rank; a++) {
      const ya = y[base + a];
      x[a] += weights[j] * ya;
      const scaled = extra * ya;
      if (scaled === 0) continue;
      for (let b = 0; b < rank; b++) factor[a * rank + b] += scaled * y[base + b];
    }
  }
  for (let a = 0; a < rank; a++) factor[a * rank + a] += lambda;
  if (!choleskyFactor(factor, rank)) {
    throw new Error(`fold-in: the user's system is not positive definite (regularization ${lambda}); raise the regularization`);
  }
  choleskySolve(factor, rank, x);
  return { picks, weights, factor, x };
}
