import type { RatingsMatrix } from '../../catalog/types.js';
import { csrFromCoo, transposeCsr } from '../../matrix/sparse.js';

/**
 * A RatingsMatrix from dense (user, item, rating) triples; userIds/itemIds map the dense indices back to dataset ids.
 * Splits use it so that training sees exactly its part, in the same item index space as the full matrix.
 */
export function ratingsFromTriples(
  userIds: Int32Array,
  itemIds: Int32Array,
  users: Int32Array,
  items: Int32Array,
  values: Float32Array,
  count: number = users.length,
): RatingsMatrix {
  const byUser = csrFromCoo(userIds.length, itemIds.length, users, items, values, count);
  return { userIds, itemIds, byUser, byItem: transposeCsr(byUser) };
}
