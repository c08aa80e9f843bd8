/**
 * Ranking metrics on a ranked list of ids (best first) against the set of relevant ids (binary relevance).
 * Ids are whatever the caller ranks (dense item indices or movie ids), as long as both sides agree.
 */

export type RankedIds = ArrayLike<number>;
export type RelevantIds = ReadonlySet<number>;

/** Relevant ids among the first k ranked. */
export function hitsAtK(ranked: RankedIds, relevant: RelevantIds, k: number): number {
  checkK(k);
  const end = Math.min(k, ranked.length);
  let hits = 0;
  for (let n = 0; n < end; n++) if (relevant.has(ranked[n])) hits++;
  return hits;
}

/** Precision@k = hits in the top k / k (a list shorter than k is not rewarded for being short). */
export function precisionAtK(ranked: RankedIds, relevant: RelevantIds, k: number): number {
  return hitsAtK(ranked, relevant, k) / k;
}

/**
 * Recall@k, the standard definition: hits in the top k / |relevant| (not / min(k, |relevant|)),
 * so a user with more relevant items than k cannot reach 1. 0 when nothing is relevant.
 */
export function recallAtK(ranked: RankedIds, relevant: RelevantIds, k: number): number {
  if (relevant.size === 0) return 0;
  return hitsAtK(ranked, relevant, k) / relevant.size;
}

/**
 * NDCG@k with binary relevance and the log2 discount: DCG = Σ_{hit at rank p (1-based) ≤ k} 1/log2(p + 1),
 * divided by the ideal DCG of min(k, |relevant|) hits at the top. 0 when nothing is relevant.
 */
export function ndcgAtK(ranked: RankedIds, relevant: RelevantIds, k: number): number {
  checkK(k);
  if (relevant.size === 0) return 0;
  const end = Math.min(k, ranked.length);
  let dcg = 0;
  for (let n = 0; n < end; n++) if (relevant.has(ranked[n])) dcg += 1 / Math.log2(n + 2);
  let ideal = 0;
  const idealHits = Math.min(k, relevant.size);
  for (let n = 0; n < idealHits; n++) ideal += 1 / Math.log2(n + 2);
  return dcg / ideal;
}

/** Catalogue coverage: the fraction of the catalogue's items that appear in at least one list. */
export function catalogCoverage(lists: Iterable<RankedIds>, catalogSize: number): number {
  if (!Number.isInteger(catalogSize) || catalogSize <= 0) {
    throw new RangeError(`catalogCoverage: catalogSize must be a positive integer, got ${catalogSize}`);
  }
  const seen = new Set<number>();
  for (const list of lists) for (let n = 0; n < list.length; n++) seen.add(list[n]);
  return seen.size / catalogSize;
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer ≥ 1, got ${k}`);
}
