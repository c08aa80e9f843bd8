import type { PickScorer } from '../foldin.js';
import { topN } from '../topn.js';
import type { RerankCandidates } from './rerank.js';

/** Candidates the re-ranker starts from: enough to reach n = 48 after discounting popular items. */
export const CANDIDATE_COUNT = 300;

/** The scorer's top `count` items (picks excluded, best first) with their scores and per-pick contributions. */
export function candidatesFromScorer(scorer: PickScorer, count = CANDIDATE_COUNT): RerankCandidates {
  const { picks, scores } = scorer;
  const items = topN(scores, count, picks);
  const contributions = new Float64Array(items.length * picks.length);
  const parts = new Float64Array(picks.length);
  items.forEach((item, c) => {
    scorer.contributions(item, parts);
    contributions.set(parts, c * picks.length);
  });
  return { picks, items, scores: Float64Array.from(items, (item) => scores[item]), contributions };
}
