/** A hand-made dataset small enough to check the insights by hand (see the comments in the tests). */
import type { Movie, RatingsMatrix } from '../../src/catalog/types.js';
import { csrFromCoo, transposeCsr } from '../../src/matrix/sparse.js';

const movie = (id: number, title: string, year: number | null, genres: string[]): Movie => ({ id, title, year, genres, imdbId: null, tmdbId: id * 10 });

export const TINY_MOVIES: Movie[] = [
  movie(1, 'Alpha', 1994, ['Comedy', 'Drama']),
  movie(2, 'Beta', 1995, ['Drama']),
  movie(3, 'Gamma', 2001, ['Comedy']),
  movie(4, 'Delta', null, ['(no genres listed)']),
  movie(5, 'Unrated', 2000, ['Horror']),
];

/** [user, movie, stars]: 7 ratings by 3 users of movies 1–4 (5 has none). */
export const TINY_RATINGS: [number, number, number][] = [
  [11, 1, 5], [11, 2, 4], [11, 3, 3],
  [12, 1, 4], [12, 2, 4.5],
  [13, 1, 3], [13, 4, 0.5],
];

export function tinyRatings(triples = TINY_RATINGS): RatingsMatrix {
  const userIds = Int32Array.from([...new Set(triples.map(([u]) => u))].sort((a, b) => a - b));
  const itemIds = Int32Array.from([...new Set(triples.map(([, m]) => m))].sort((a, b) => a - b));
  const rows = Int32Array.from(triples.map(([u]) => userIds.indexOf(u)));
  const cols = Int32Array.from(triples.map(([, m]) => itemIds.indexOf(m)));
  const byUser = csrFromCoo(userIds.length, itemIds.length, rows, cols, Float32Array.from(triples.map(([, , r]) => r)));
  return { userIds, itemIds, byUser, byItem: transposeCsr(byUser) };
}
