import { catalogCoverage, ndcgAtK, precisionAtK, recallAtK } from '../metrics.js';
import { topN } from '../topn.js';
import type { KnownUserSplit, NewUserCase } from './splits.js';

/** Fills `out` with one score per item (dense item index) for a known user of the training matrix. */
export type KnownUserScorer = (user: number, out: Float64Array) => void;
/** One score per item for a new user who picked these dense item indices. */
export type NewUserScorer = (picks: Int32Array) => Float64Array;

/** Protocol A's figures, means over the users who have held-out ratings. */
export interface KnownUserMetrics {
  readonly users: number;
  readonly precisionAt10: number;
  readonly recallAt20: number;
  readonly ndcgAt10: number;
  /** Share of the catalogue in anyone's top 10. */
  readonly coverageAt10: number;
}

/** Protocol B's figures, means over the new users evaluated. */
export interface NewUserMetrics {
  readonly users: number;
  readonly recallAt12: number;
  readonly ndcgAt12: number;
  /** Share of the catalogue in anyone's top 12. */
  readonly coverageAt12: number;
}

/** Ranks every item the user did not rate in training and checks the top against the held-out liked items. */
export function evaluateKnownUsers(split: KnownUserSplit, score: KnownUserScorer): KnownUserMetrics {
  const { byUser, byItem } = split.train;
  const { indptr, items } = split.heldOut;
  const scores = new Float64Array(byItem.rows);
  const topLists: Int32Array[] = [];
  let users = 0;
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  for (let u = 0; u < byUser.rows; u++) {
    if (indptr[u + 1] === indptr[u]) continue;
    const relevant = new Set(items.subarray(indptr[u], indptr[u + 1]));
    score(u, scores);
    const ranked = topN(scores, 20, byUser.indices.subarray(byUser.indptr[u], byUser.indptr[u + 1]));
    precision += precisionAtK(ranked, relevant, 10);
    recall += recallAtK(ranked, relevant, 20);
    ndcg += ndcgAtK(ranked, relevant, 10);
    topLists.push(ranked.subarray(0, 10));
    users++;
  }
  if (users === 0) throw new Error('protocol A: no user has held-out ratings to find');
  return {
    users,
    precisionAt10: precision / users,
    recallAt20: recall / users,
    ndcgAt10: ndcg / users,
    coverageAt10: catalogCoverage(topLists, byItem.rows),
  };
}

/** Ranks every item but the picks for each new user and checks the top 12 against their other liked items. */
export function evaluateNewUsers(cases: readonly NewUserCase[], itemCount: number, score: NewUserScorer): NewUserMetrics {
  const tally = new NewUserTally(itemCount);
  tally.add(cases, score);
  return tally.metrics();
}

/**
 * Protocol B's figures gathered over several groups of cases, each with its own scorer (one per fold of a
 * cross-validation): means over every case added, coverage over the union of all top 12s.
 * All groups must share the item index space (splits keep the full matrix's item order).
 */
export class NewUserTally {
  private readonly topLists: Int32Array[] = [];
  private users = 0;
  private recall = 0;
  private ndcg = 0;

  constructor(private readonly itemCount: number) {}

  add(cases: readonly NewUserCase[], score: NewUserScorer): void {
    for (const c of cases) {
      const scores = score(c.picks);
      if (scores.length !== this.itemCount) throw new Error(`protocol B: scorer gave ${scores.length} scores for ${this.itemCount} items`);
      const ranked = topN(scores, 12, c.picks);
      const relevant = new Set(c.relevant);
      this.recall += recallAtK(ranked, relevant, 12);
      this.ndcg += ndcgAtK(ranked, relevant, 12);
      this.topLists.push(ranked);
      this.users++;
    }
  }

  metrics(): NewUserMetrics {
    if (this.users === 0) throw new Error('protocol B: no held-out user has enough liked ratings to evaluate');
    return {
      users: this.users,
      recallAt12: this.recall / this.users,
      ndcgAt12: this.ndcg / this.users,
      coverageAt12: catalogCoverage(this.topLists, this.itemCount),
    };
  }
}

/** Popularity: each item's number of ratings in training, the same for everyone. */
export function popularityScores(byItemIndptr: Int32Array): Float64Array {
  const items = byItemIndptr.length - 1;
  const scores = new Float64Array(items);
  for (let i = 0; i < items; i++) scores[i] = byItemIndptr[i + 1] - byItemIndptr[i];
  return scores;
}
