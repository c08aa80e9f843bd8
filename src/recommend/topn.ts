/** Top-N selection over a score array with a bounded min-heap: O(n log N) time, O(N) extra memory. */

export type ScoreArray = Float32Array | Float64Array;

/**
 * Indices of the n highest scores, best first. Ties go to the lower index; indices in `exclude`
 * and NaN scores are never returned; fewer than n come back when there are fewer candidates.
 */
export function topN(scores: ScoreArray, n: number, exclude?: Iterable<number>): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new Error(`topN: n must be a non-negative integer, got ${n}`);
  const size = scores.length;
  const skip = sortedExclusions(size, exclude);
  let nextSkip = 0;
  const heapScore = new Float64Array(n);
  const heapIndex = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < size; i++) {
    const s = scores[i];
    if (nextSkip < skip.length && skip[nextSkip] === i) {
      while (nextSkip < skip.length && skip[nextSkip] === i) nextSkip++; // repeated exclusions
      continue;
    }
    if (s !== s) continue; // NaN
    if (count < n) {
      siftUp(heapScore, heapIndex, count++, s, i);
    } else if (n > 0 && s > heapScore[0]) {
      // Indices arrive in increasing order, so an equal score never beats the root (lower index wins).
      siftDown(heapScore, heapIndex, count, s, i);
    }
  }
  return drainBestFirst(heapScore, heapIndex, count);
}

/** Excluded indices within range, ascending: walked alongside the scan, no per-call mask of n bytes. */
function sortedExclusions(size: number, exclude: Iterable<number> | undefined): Int32Array {
  if (exclude === undefined) return new Int32Array(0);
  const inRange = Int32Array.from(exclude).filter((i) => i >= 0 && i < size);
  return inRange.sort();
}

/** True when (sa, ia) ranks below (sb, ib): lower score, or the same score at a higher index. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/** Inserts at slot `at` (the current size) and moves it up; the root is the worst kept entry. */
function siftUp(hs: Float64Array, hi: Int32Array, at: number, s: number, i: number): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!worse(s, i, hs[parent], hi[parent])) break;
    hs[at] = hs[parent];
    hi[at] = hi[parent];
    at = parent;
  }
  hs[at] = s;
  hi[at] = i;
}

/** Replaces the root with (s, i) and restores the heap over its first `count` entries. */
function siftDown(hs: Float64Array, hi: Int32Array, count: number, s: number, i: number): void {
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= count) break;
    const right = left + 1;
    const child = right < count && worse(hs[right], hi[right], hs[left], hi[left]) ? right : left;
    if (!worse(hs[child], hi[child], s, i)) break;
    hs[at] = hs[child];
    hi[at] = hi[child];
    at = child;
  }
  hs[at] = s;
  hi[at] = i;
}

/** Pops the heap worst-first into the back of the result, leaving it best first. */
function drainBestFirst(hs: Float64Array, hi: Int32Array, count: number): Int32Array {
  const out = new Int32Array(count);
  for (let size = count; size > 0; size--) {
    out[size - 1] = hi[0];
    const lastScore = hs[size - 1];
    const lastIndex = hi[size - 1];
    siftDown(hs, hi, size - 1, lastScore, lastIndex);
  }
  return out;
}
