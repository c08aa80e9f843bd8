import type { PickScorer } from '../foldin.js';
import { topN } from '../topn.js';
import type { RerankCandidates } from './rerank.js';

/** Candidates the re-ranker starts from: enough to reach n = 48 after discounting popular items. */
export const CANDIDATE_COUNT = 300;

/**
 * The scorer's top `count` items (picks excluded, best first) with their scores and per-pick contributions; with
 * `perPick` > 0 also each pick's own top `perPick` items by that pick's contribution, so a pick whose neighbours score
 * low overall (an art-house film next to blockbusters) still has something in the pool to explain.
 */
export function candidatesFromScorer(scorer: PickScorer, count = CANDIDATE_COUNT, perPick = 0): RerankCandidates {
  const { picks, scores } = scorer;
  const pickCount = picks.length;
  const parts = new Float64Array(pickCount);
  let items = topN(scores, count, picks);
  if (perPick > 0 && pickCount > 1) items = withPickNeighbours(scorer, items, perPick, parts);
  const contributions = new Float64Array(items.length * pickCount);
  items.forEach((item, c) => {
    scorer.contributions(item, parts);
    contributions.set(parts, c * pickCount);
  });
  return { picks, items, scores: Float64Array.from(items, (item) => scores[item]), contributions };
}

/** `items` followed by every pick's top `perPick` items by its own contribution that `items` lacks (picks excluded). */
function withPickNeighbours(scorer: PickScorer, items: Int32Array, perPick: number, parts: Float64Array): Int32Array {
  const { picks, scores } = scorer;
  const itemCount = scores.length;
  const byPick = Array.from(picks, () => new Float64Array(itemCount));
  for (let i = 0; i < itemCount; i++) {
    scorer.contributions(i, parts);
    for (let j = 0; j < picks.length; j++) byPick[j][i] = parts[j];
  }
  const inPool = new Set(items);
  const added: number[] = [];
  for (let j = 0; j < picks.length; j++) {
    for (const item of topN(byPick[j], perPick, picks)) {
      if (!inPool.has(item)) {
        inPool.add(item);
        added.push(item);
      }
    }
  }
  return Int32Array.from([...items, ...added]);
}
