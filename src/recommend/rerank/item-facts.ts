import type { ItemGenres } from './genre-mix.js';
import { topN } from '../topn.js';
import type { ItemFacts } from './rerank.js';

/** The head the re-ranker's quota limits: the 100 most-rated items (the measure of a popularity chart). */
export const HEAD_SIZE = 100;

/** 1 for the `size` most-rated item rows (ties to the lower row). */
export function headOf(popularity: ArrayLike<number>, size = HEAD_SIZE): Uint8Array {
  const head = new Uint8Array(popularity.length);
  for (const i of topN(Float64Array.from(popularity), size)) head[i] = 1;
  return head;
}

/** Each item row's genres as indices into `names` (sorted genre names; a movie the catalogue lacks has none). */
export function itemGenresOf(
  itemIds: ArrayLike<number>,
  genresOf: (movieId: number) => readonly string[] | undefined,
): ItemGenres & { readonly names: readonly string[] } {
  const lists = Array.from({ length: itemIds.length }, (_, i) => genresOf(itemIds[i]) ?? []);
  const names = [...new Set(lists.flat())].sort();
  const index = new Map(names.map((name, g) => [name, g]));
  return { genreCount: names.length, names, of: lists.map((own) => Int32Array.from(own, (name) => index.get(name)!)) };
}

/** The re-ranker's facts for a model's item rows: ratings per row in its training data, and genres. */
export function itemFacts(
  itemIds: ArrayLike<number>,
  popularity: ArrayLike<number>,
  genresOf: (movieId: number) => readonly string[] | undefined,
): ItemFacts {
  if (popularity.length !== itemIds.length) throw new Error(`itemFacts: ${popularity.length} popularity counts for ${itemIds.length} items`);
  return { popularity, head: headOf(popularity), genres: itemGenresOf(itemIds, genresOf) };
}
