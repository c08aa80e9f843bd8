/** Work units per side: enough for two threads to balance, few enough that scheduling costs nothing. */
export const maxChunks = 256;
/** Each chunk keeps a k×k Gram partial; their total stays under this many bytes (fewer chunks at huge ranks). */
const gramPartialBytes = 64 * 1024 * 1024;

/** How many chunks a side of `rows` rows gets at this rank. */
export function chunkCount(rows: number, rank: number): number {
  const byMemory = Math.max(8, Math.floor(gramPartialBytes / (8 * rank * rank)));
  return Math.max(1, Math.min(maxChunks, byMemory, rows));
}

/**
 * Splits rows into `count` contiguous chunks of about equal cost, a row costing its ratings plus
 * rowCost (the k² part of a solve, in units of one rating). Returns chunk c's rows as [starts[c], starts[c + 1]).
 * Depends only on the data, never on the thread count: that keeps per-chunk sums reproducible.
 */
export function chunkRows(indptr: Int32Array, rows: number, rowCost: number, count: number): Int32Array {
  const total = indptr[rows] - indptr[0] + rows * rowCost;
  const starts = new Int32Array(count + 1);
  let chunk = 1;
  for (let r = 0; r < rows && chunk < count; r++) {
    const costBefore = indptr[r + 1] - indptr[0] + (r + 1) * rowCost; // cost of rows [0, r]
    while (chunk < count && costBefore >= (total * chunk) / count) starts[chunk++] = r + 1;
  }
  while (chunk <= count) starts[chunk++] = rows;
  return starts;
}
