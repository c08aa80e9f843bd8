/**
 * Beyond-accuracy figures of recommendation lists (item rows, best first). Pure functions of the lists and of what is
 * known of the items: popularity as ratings per item, genres as index lists.
 */
import { calibrationKl, genreMix, type ItemGenres } from '../rerank/genre-mix.js';
import { genreJaccard } from '../rerank/rerank.js';
import { topN } from '../topn.js';

/** The `count` most-rated items (ties to the lower row). */
export function mostRated(popularity: ArrayLike<number>, count: number): ReadonlySet<number> {
  return new Set(topN(Float64Array.from(popularity), count));
}

/** Share of the list among `popular` (0 for an empty list). */
export function popularShare(list: ArrayLike<number>, popular: ReadonlySet<number>): number {
  if (list.length === 0) return 0;
  let hits = 0;
  for (let n = 0; n < list.length; n++) if (popular.has(list[n])) hits++;
  return hits / list.length;
}

/** Mean Jaccard |A ∩ B| / |A ∪ B| over every pair of lists (0 with fewer than two lists). */
export function meanPairwiseJaccard(lists: readonly ArrayLike<number>[]): number {
  const sorted = lists.map((list) => Int32Array.from(list).sort());
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < sorted.length; a++) {
    for (let b = a + 1; b < sorted.length; b++) {
      sum += sortedJaccard(sorted[a], sorted[b]);
      pairs++;
    }
  }
  return pairs === 0 ? 0 : sum / pairs;
}

function sortedJaccard(a: Int32Array, b: Int32Array): number {
  let common = 0;
  for (let x = 0, y = 0; x < a.length && y < b.length; ) {
    if (a[x] === b[y]) [common, x, y] = [common + 1, x + 1, y + 1];
    else if (a[x] < b[y]) x++;
    else y++;
  }
  const union = a.length + b.length - common;
  return union === 0 ? 0 : common / union;
}

/** Share of the picks named as "because" by at least one item of the list. */
export function pickCoverage(picks: ArrayLike<number>, because: ArrayLike<number>): number {
  if (picks.length === 0) return 0;
  const named = new Set(Array.from(because));
  let covered = 0;
  for (let j = 0; j < picks.length; j++) if (named.has(picks[j])) covered++;
  return covered / picks.length;
}

/** Mean −log₂(ratings of the item / all ratings); an item without ratings counts as rated once. */
export function novelty(list: ArrayLike<number>, popularity: ArrayLike<number>, totalRatings: number): number {
  if (list.length === 0) return 0;
  let sum = 0;
  for (let n = 0; n < list.length; n++) sum -= Math.log2(Math.max(1, popularity[list[n]]) / totalRatings);
  return sum / list.length;
}

/** Mean genre distance 1 − Jaccard(genres) over every pair of the list's items (0 below two items). */
export function intraListDiversity(list: ArrayLike<number>, genres: ItemGenres): number {
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < list.length; a++) {
    for (let b = a + 1; b < list.length; b++) {
      sum += 1 - genreJaccard(genres.of[list[a]], genres.of[list[b]]);
      pairs++;
    }
  }
  return pairs === 0 ? 0 : sum / pairs;
}

/** Steck's miscalibration KL(p ‖ q̃) of the list's genre mix q against the picks' mix p. */
export function genreMiscalibration(picks: ArrayLike<number>, list: ArrayLike<number>, genres: ItemGenres): number {
  return calibrationKl(genreMix(picks, genres), genreMix(list, genres));
}
