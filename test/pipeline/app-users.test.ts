import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendAppUsers, appUserRow } from '../../src/pipeline/engines/app-users.js';
import { csrFromCoo, transposeCsr } from '../../src/matrix/sparse.js';
import type { RatingsMatrix } from '../../src/catalog/types.js';

/** Users 7 and 9 over movies 10, 20, 30. */
function ratings(): RatingsMatrix {
  const byUser = csrFromCoo(2, 3, Int32Array.of(0, 0, 1), Int32Array.of(0, 2, 1), Float32Array.of(4, 3, 5));
  return { userIds: Int32Array.of(7, 9), itemIds: Int32Array.of(10, 20, 30), byUser, byItem: transposeCsr(byUser) };
}

test('app users become rows past the largest user id, each pick rated 5, columns sorted', () => {
  const { ratings: out, firstRow, addedMovies } = appendAppUsers(ratings(), [appUserRow([30, 10], 5), appUserRow([20], 5)]);
  assert.equal(firstRow, 2);
  assert.equal(addedMovies, 0);
  assert.deepEqual(out.userIds, Int32Array.of(7, 9, 10, 11));
  assert.deepEqual(out.byUser.indptr, Int32Array.of(0, 2, 3, 5, 6));
  assert.deepEqual(out.byUser.indices, Int32Array.of(0, 2, 1, 0, 2, 1));
  assert.deepEqual(out.byUser.values, Float32Array.of(4, 3, 5, 5, 5, 5));
  assert.deepEqual(out.byItem, transposeCsr(out.byUser));
});

test('a picked movie nobody rated becomes a new column, once', () => {
  const { ratings: out, addedMovies } = appendAppUsers(ratings(), [appUserRow([40, 10], 5), appUserRow([40, 50], 5)]);
  assert.equal(addedMovies, 2);
  assert.deepEqual(out.itemIds, Int32Array.of(10, 20, 30, 40, 50));
  assert.equal(out.byUser.cols, 5);
  assert.deepEqual(out.byUser.indices.subarray(3), Int32Array.of(0, 3, 3, 4));
  assert.equal(out.byItem.rows, 5);
});

test('no app users: the ratings as they were', () => {
  const before = ratings();
  const { ratings: out } = appendAppUsers(before, []);
  assert.deepEqual(out.byUser, before.byUser);
  assert.deepEqual(out.userIds, before.userIds);
});

test('seen movies join the row at their own rating, a movie nobody rated as a new column', () => {
  const { ratings: out, addedMovies } = appendAppUsers(ratings(), [appUserRow([30], 5, [{ movie: 10, rating: 3 }, { movie: 60, rating: 4 }])]);
  assert.equal(addedMovies, 1);
  assert.deepEqual(out.byUser.indptr.subarray(2), Int32Array.of(3, 6));
  assert.deepEqual(out.byUser.indices.subarray(3), Int32Array.of(0, 2, 3));
  assert.deepEqual(out.byUser.values.subarray(3), Float32Array.of(3, 5, 4));
});
