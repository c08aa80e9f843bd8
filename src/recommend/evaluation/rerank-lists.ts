/**
 * Re-ranked lists for the evaluation: each case's candidates are computed once, then re-ranked for every setting.
 */
import type { PickScorer } from '../foldin.js';
import { multiplyRows } from '../linalg.js';
import { CANDIDATE_COUNT, candidatesFromScorer } from '../rerank/candidates.js';
import { rerank, type ItemFacts, type RerankCandidates, type RerankOptions } from '../rerank/rerank.js';
import type { UserList } from './list-tally.js';
import type { NewUserCase } from './splits.js';

export interface RerankSetting {
  readonly name: string;
  readonly options: RerankOptions | null;
}

/** For each setting (in order), each case's list of n from the scorer's candidates (with `perPick` per pick added). */
export function newUserLists(
  cases: readonly NewUserCase[],
  scorerFor: (picks: Int32Array) => PickScorer,
  facts: ItemFacts,
  settings: readonly RerankSetting[],
  n: number,
  perPick = 0,
): UserList[][] {
  const lists: UserList[][] = settings.map(() => []);
  for (const c of cases) {
    const candidates = candidatesFromScorer(scorerFor(c.picks), CANDIDATE_COUNT, perPick);
    const relevant = new Set(c.relevant);
    settings.forEach((setting, s) => lists[s].push(listOf(candidates, facts, setting.options, n, c.picks, relevant)));
  }
  return lists;
}

export function listOf(
  candidates: RerankCandidates,
  facts: ItemFacts,
  options: RerankOptions | null,
  n: number,
  picks: Int32Array,
  relevant: ReadonlySet<number>,
): UserList {
  const ranked = rerank(candidates, facts, options, n);
  return { picks, relevant, items: ranked.map((r) => r.item), because: ranked.map((r) => r.because) };
}

/**
 * A known user's scorer over trained factors: scores y_i·x_u, and as "picks" the user's liked training items with
 * contributions y_j·y_i (the original system's explanation), so a known user's 48 has a "because" too.
 */
export function knownUserScorer(
  itemFactors: Float32Array,
  rank: number,
  itemCount: number,
  userFactors: Float64Array,
  liked: Int32Array,
  rated: Int32Array,
): PickScorer {
  const scores = multiplyRows(itemFactors, itemCount, rank, userFactors, new Float64Array(itemCount));
  for (const i of rated) scores[i] = -Infinity; // rated in training: never a candidate (liked ones are excluded as picks)
  return {
    picks: liked,
    scores,
    contributions(item, out) {
      for (let j = 0; j < liked.length; j++) {
        let dot = 0;
        for (let a = 0, bj = liked[j] * rank, bi = item * rank; a < rank; a++) dot += itemFactors[bj + a] * itemFactors[bi + a];
        out[j] = dot;
      }
    },
  };
}

