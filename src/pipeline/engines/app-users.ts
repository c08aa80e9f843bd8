/** The app's users added to the MovieLens ratings as new rows, so one training computes their factors too. */
import type { RatingsMatrix } from '../../catalog/types.js';
import { transposeCsr, type CsrMatrix } from '../../matrix/sparse.js';
import type { RatedMovie } from '../run-folder.js';

export interface WithAppUsers {
  readonly ratings: RatingsMatrix;
  /** Row of the first app user; app user i is row firstRow + i. */
  readonly firstRow: number;
  /** Picked movies that had no ratings, added as new columns after the dataset's. */
  readonly addedMovies: number;
}

/** An app user's row as the run trains it: each pick at pickRating, then each seen movie at its rating (no movie twice). */
export function appUserRow(movies: readonly number[], pickRating: number, rated: readonly RatedMovie[] = []): RatedMovie[] {
  return [...movies.map((movie) => ({ movie, rating: pickRating })), ...rated];
}

/**
 * Appends one row per app user (ids past the dataset's largest user id) with its rated movies.
 * A movie nobody rated becomes a new column, so it gets factors and is never dropped silently.
 */
export function appendAppUsers(ratings: RatingsMatrix, rows: readonly (readonly RatedMovie[])[]): WithAppUsers {
  const old = ratings.byUser;
  const column = new Map<number, number>();
  for (let i = 0; i < ratings.itemIds.length; i++) column.set(ratings.itemIds[i], i);
  const addedIds: number[] = [];
  for (const row of rows) {
    for (const { movie: id } of row) {
      if (!column.has(id)) {
        column.set(id, ratings.itemIds.length + addedIds.length);
        addedIds.push(id);
      }
    }
  }

  const extra = rows.reduce((n, row) => n + row.length, 0);
  const nnz = old.indptr[old.rows];
  const rowCount = old.rows + rows.length;
  const indptr = new Int32Array(rowCount + 1);
  indptr.set(old.indptr);
  const indices = new Int32Array(nnz + extra);
  indices.set(old.indices.subarray(0, nnz));
  const values = new Float32Array(nnz + extra);
  values.set(old.values.subarray(0, nnz));
  let at = nnz;
  rows.forEach((row, u) => {
    const cells = row.map(({ movie, rating }) => ({ col: column.get(movie)!, rating })).sort((a, b) => a.col - b.col); // CSR rows are column-sorted
    for (const { col, rating } of cells) {
      indices[at] = col;
      values[at++] = rating;
    }
    indptr[old.rows + u + 1] = at;
  });
  const byUser: CsrMatrix = { rows: rowCount, cols: old.cols + addedIds.length, indptr, indices, values };

  let maxUser = 0;
  for (const id of ratings.userIds) if (id > maxUser) maxUser = id;
  if (maxUser + rows.length > 2147483647) throw new Error('app user ids would overflow int32');
  const userIds = new Int32Array(rowCount);
  userIds.set(ratings.userIds);
  for (let u = 0; u < rows.length; u++) userIds[old.rows + u] = maxUser + 1 + u;
  const itemIds = new Int32Array(byUser.cols);
  itemIds.set(ratings.itemIds);
  itemIds.set(addedIds, ratings.itemIds.length);

  return { ratings: { userIds, itemIds, byUser, byItem: transposeCsr(byUser) }, firstRow: old.rows, addedMovies: addedIds.length };
}
