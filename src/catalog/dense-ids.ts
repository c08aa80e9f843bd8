/**
 * Replaces ids[0, count) in place by dense indices 0..distinct-1 in ascending id order and returns the
 * distinct ids, sorted (so index k stands for id sorted[k]). Ids must be non-negative.
 */
export function densifyIds(ids: Int32Array, count: number): Int32Array {
  let max = 0;
  for (let n = 0; n < count; n++) if (ids[n] > max) max = ids[n];
  // A direct lookup table is fastest; beyond a few times the data's size, a Map keeps memory compact.
  return max <= 4 * count + (1 << 20) ? densifyByLookup(ids, count, max) : densifyByMap(ids, count);
}

function densifyByLookup(ids: Int32Array, count: number, max: number): Int32Array {
  const lookup = new Int32Array(max + 1); // 0: absent, else dense index + 1
  for (let n = 0; n < count; n++) lookup[ids[n]] = 1;
  let distinct = 0;
  for (let id = 0; id <= max; id++) if (lookup[id] !== 0) lookup[id] = ++distinct;
  const sorted = new Int32Array(distinct);
  for (let id = 0; id <= max; id++) if (lookup[id] !== 0) sorted[lookup[id] - 1] = id;
  for (let n = 0; n < count; n++) ids[n] = lookup[ids[n]] - 1;
  return sorted;
}

function densifyByMap(ids: Int32Array, count: number): Int32Array {
  const index = new Map<number, number>();
  for (let n = 0; n < count; n++) index.set(ids[n], 0);
  const sorted = Int32Array.from(index.keys()).sort();
  for (let k = 0; k < sorted.length; k++) index.set(sorted[k], k);
  for (let n = 0; n < count; n++) ids[n] = index.get(ids[n])!;
  return sorted;
}
