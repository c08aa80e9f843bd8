/**
 * Genre mixes after Steck, "Calibrated Recommendations" (RecSys 2018): an item spreads one unit of weight evenly over
 * its genres, a list's mix is the normalised sum over its items, and the list is compared with the picks' mix by
 * KL(p ‖ q̃) with q̃ = (1 − α)·q + α·p, so a genre the list lacks costs a large but finite amount.
 */

/** Genre indices (0 … genreCount − 1) of each item row. */
export interface ItemGenres {
  readonly genreCount: number;
  readonly of: readonly ArrayLike<number>[];
}

/** Steck's small α of the smoothed list mix q̃. */
export const CALIBRATION_ALPHA = 0.01;

/** Adds item's genre weights (1/|genres| each, nothing for an item without genres) times `sign` to `mix`. */
export function addItemGenres(mix: Float64Array, genres: ItemGenres, item: number, sign = 1): void {
  const own = genres.of[item];
  if (own === undefined || own.length === 0) return;
  const share = sign / own.length;
  for (let g = 0; g < own.length; g++) mix[own[g]] += share;
}

/** The normalised genre mix of these items (all zero when none of them has a genre). */
export function genreMix(items: ArrayLike<number>, genres: ItemGenres): Float64Array {
  const mix = new Float64Array(genres.genreCount);
  for (let n = 0; n < items.length; n++) addItemGenres(mix, genres, items[n]);
  return normalise(mix);
}

/** KL(p ‖ (1 − α)q + αp) over unnormalised weights: p and q are normalised here (an empty q counts as all α·p). */
export function calibrationKl(p: ArrayLike<number>, q: ArrayLike<number>, alpha = CALIBRATION_ALPHA): number {
  const pSum = total(p);
  if (pSum === 0) return 0;
  const qSum = total(q);
  let kl = 0;
  for (let g = 0; g < p.length; g++) {
    const pg = p[g] / pSum;
    if (pg === 0) continue;
    const qg = qSum === 0 ? 0 : q[g] / qSum;
    kl += pg * Math.log(pg / ((1 - alpha) * qg + alpha * pg));
  }
  return kl;
}

function total(weights: ArrayLike<number>): number {
  let sum = 0;
  for (let g = 0; g < weights.length; g++) sum += weights[g];
  return sum;
}

function normalise(mix: Float64Array): Float64Array {
  const sum = total(mix);
  if (sum > 0) for (let g = 0; g < mix.length; g++) mix[g] /= sum;
  return mix;
}
