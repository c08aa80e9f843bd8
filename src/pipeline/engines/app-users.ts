/** The app's users added to the MovieLens ratings as new rows, so one training computes their factors too. */
import type { RatingsMatrix } from '../../catalog/types.js';
import { transposeCsr, type CsrMatrix } from '../../matrix/sparse.js';

export interface WithAppUsers {
  readonly ratings: RatingsMatrix;
  /** Row of the first app user; app user i is row firstRow + i. */
  readonly firstRow: number;
  /** Picked movies that had no ratings, added as new columns after the dataset's. */
  readonly addedMovies: number;
}

/**
 * Appends one row per app user (ids past the dataset's largest user id), each pick rated `rating`.
 * A picked movie nobody rated becomes a new column, so it gets factors and is never dropped silently.
 */
export function appendAppUsers(ratings: RatingsMatrix, picks: readonly (readonly number[])[], rating: number): WithAppUsers {
  const old = ratings.byUser;
  const column = new Map<number, number>();
  for (let i = 0; i < ratings.itemIds.length; i++) column.set(ratings.itemIds[i], i);
  const addedIds: number[] = [];
  for (const movies of picks) {
    for (const id of movies) {
      if (!column.has(id)) {
        column.set(id, ratings.itemIds.length + addedIds.length);
        addedIds.push(id);
      }
    }
  }

  const extra = picks.reduce((n, movies) => n + movies.length, 0);
  const nnz = old.indptr[old.rows];
  const rows = old.rows + picks.length;
  const indptr = new Int32Array(rows + 1);
  indptr.set(old.indptr);
  const indices = new Int32Array(nnz + extra);
  indices.set(old.indices.subarray(0, nnz));
  const values = new Float32Array(nnz + extra);
  values.set(old.values.subarray(0, nnz));
  let at = nnz;
  picks.forEach((movies, u) => {
    const cols = movies.map((id) => column.get(id)!).sort((a, b) => a - b); // CSR rows are column-sorted
    for (const c of cols) {
      indices[at] = c;
      values[at++] = rating;
    }
    indptr[old.rows + u + 1] = at;
  });
  const byUser: CsrMatrix = { rows, cols: old.cols + addedIds.length, indptr, indices, values };

  let maxUser = 0;
  for (const id of ratings.userIds) if (id > maxUser) maxUser = id;
  if (maxUser + picks.length > 2147483647) throw new Error('app user ids would overflow int32');
  const userIds = new Int32Array(rows);
  userIds.set(ratings.userIds);
  for (let u = 0; u < picks.length; u++) userIds[old.rows + u] = maxUser + 1 + u;
  const itemIds = new Int32Array(byUser.cols);
  itemIds.set(ratings.itemIds);
  itemIds.set(addedIds, ratings.itemIds.length);

  return { ratings: { userIds, itemIds, byUser, byItem: transposeCsr(byUser) }, firstRow: old.rows, addedMovies: addedIds.length };
}
