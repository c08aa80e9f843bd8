/**
 * Metric@k curves: recall, precision and NDCG at several cut-offs, means over users, for the evaluation report's
 * plots. They sit beside the protocols' fixed-k figures without changing them: a scorer is wrapped so that each
 * score vector the protocol asks for is also ranked to the deepest k and tallied here (no second scoring pass).
 * The same definitions as metrics.ts; at k = 10 and 20 the curves equal protocol A's P@10, R@20 and NDCG@10 (and at
 * k = 12 protocol B's R@12 and NDCG@12) over the same users.
 */
import { ndcgAtK, precisionAtK, recallAtK } from '../metrics.js';
import { topN } from '../topn.js';
import type { KnownUserScorer, NewUserScorer } from './protocols.js';
import type { KnownUserSplit, NewUserCase } from './splits.js';

/** Default cut-offs of the curves. */
export const CURVE_KS: readonly number[] = [1, 5, 10, 20, 50];

export interface MetricCurves {
  /** Ascending cut-offs; the arrays below hold one mean per k. */
  readonly ks: readonly number[];
  readonly users: number;
  readonly recall: readonly number[];
  readonly precision: readonly number[];
  readonly ndcg: readonly number[];
}

/** Sums of the metrics at each k over the rankings added; `curves()` gives the means. */
export class CurveTally {
  readonly ks: readonly number[];
  private readonly recall: Float64Array;
  private readonly precision: Float64Array;
  private readonly ndcg: Float64Array;
  private users = 0;

  constructor(ks: readonly number[] = CURVE_KS) {
    if (ks.length === 0) throw new RangeError('CurveTally: at least one k is needed');
    ks.forEach((k, n) => {
      if (!Number.isInteger(k) || k < 1) throw new RangeError(`CurveTally: k must be an integer ≥ 1, got ${k}`);
      if (n > 0 && k <= ks[n - 1]) throw new RangeError(`CurveTally: ks must be ascending without repeats, got ${ks.join(', ')}`);
    });
    this.ks = [...ks];
    this.recall = new Float64Array(ks.length);
    this.precision = new Float64Array(ks.length);
    this.ndcg = new Float64Array(ks.length);
  }

  /** The longest ranking the tally reads. */
  get depth(): number {
    return this.ks[this.ks.length - 1];
  }

  /** One user's ranking (best first, at least `depth` long when there are that many candidates). */
  add(ranked: ArrayLike<number>, relevant: ReadonlySet<number>): void {
    this.ks.forEach((k, n) => {
      this.recall[n] += recallAtK(ranked, relevant, k);
      this.precision[n] += precisionAtK(ranked, relevant, k);
      this.ndcg[n] += ndcgAtK(ranked, relevant, k);
    });
    this.users++;
  }

  curves(): MetricCurves {
    const mean = (sums: Float64Array): number[] => Array.from(sums, (s) => (this.users === 0 ? 0 : s / this.users));
    return { ks: this.ks, users: this.users, recall: mean(this.recall), precision: mean(this.precision), ndcg: mean(this.ndcg) };
  }
}

/**
 * Protocol A's scorer, also tallying each user's ranking (items rated in training excluded, as the protocol does)
 * against that user's held-out items.
 */
export function tallyKnownUsers(split: KnownUserSplit, score: KnownUserScorer, tally: CurveTally): KnownUserScorer {
  const { byUser } = split.train;
  const { indptr, items } = split.heldOut;
  return (user, out) => {
    score(user, out);
    if (indptr[user + 1] === indptr[user]) return;
    const ranked = topN(out, tally.depth, byUser.indices.subarray(byUser.indptr[user], byUser.indptr[user + 1]));
    tally.add(ranked, new Set(items.subarray(indptr[user], indptr[user + 1])));
  };
}

/**
 * Protocol B's scorer, also tallying each new user's ranking (picks excluded) against their other liked items.
 * The protocol hands the scorer each case's own picks array, which finds the case.
 */
export function tallyNewUsers(cases: readonly NewUserCase[], score: NewUserScorer, tally: CurveTally): NewUserScorer {
  const byPicks = new Map<Int32Array, NewUserCase>(cases.map((c) => [c.picks, c]));
  return (picks) => {
    const scores = score(picks);
    const c = byPicks.get(picks);
    if (c === undefined) throw new Error('tallyNewUsers: the scorer was called with picks of no known case');
    tally.add(topN(scores, tally.depth, c.picks), new Set(c.relevant));
    return scores;
  };
}

/** Curves for protocol A alone (a scoring pass of its own). */
export function knownUserCurves(split: KnownUserSplit, score: KnownUserScorer, ks: readonly number[] = CURVE_KS): MetricCurves {
  const tally = new CurveTally(ks);
  const scorer = tallyKnownUsers(split, score, tally);
  const out = new Float64Array(split.train.byItem.rows);
  for (let u = 0; u < split.train.byUser.rows; u++) if (split.heldOut.indptr[u + 1] > split.heldOut.indptr[u]) scorer(u, out);
  return tally.curves();
}

/** Curves for protocol B alone (a scoring pass of its own). */
export function newUserCurves(cases: readonly NewUserCase[], score: NewUserScorer, ks: readonly number[] = CURVE_KS): MetricCurves {
  const tally = new CurveTally(ks);
  const scorer = tallyNewUsers(cases, score, tally);
  for (const c of cases) scorer(c.picks);
  return tally.curves();
}
