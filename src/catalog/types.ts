import type { CsrMatrix } from '../matrix/sparse.js';

/** One movie of the catalog (movies.csv joined with links.csv). */
export interface Movie {
  readonly id: number;
  /** The title people say, without its trailing "(year)" or the other names MovieLens puts in parentheses. */
  readonly title: string;
  /** Other names of the movie (a.k.a. and original-language titles), searchable and shown under the title; none when absent. */
  readonly alternativeTitles?: readonly string[];
  readonly year: number | null;
  readonly genres: readonly string[];
  readonly imdbId: string | null;
  readonly tmdbId: number | null;
}

/**
 * Ratings as two CSR views over dense indices: users × items and items × users.
 * userIds[u] and itemIds[i] map dense indices back to the dataset's ids.
 */
export interface RatingsMatrix {
  readonly userIds: Int32Array;
  readonly itemIds: Int32Array;
  readonly byUser: CsrMatrix;
  readonly byItem: CsrMatrix;
}
