/** How npm run tune picks: pure, so the rule is tested on its own and can be re-applied to a finished run. */
import type { TuningCandidate } from './report/schemas.js';

/** What the rule reads of a candidate (and the score it sets). */
export type TuningScore = Pick<TuningCandidate, 'rank' | 'regularization' | 'alpha' | 'recallAt20' | 'recallAt12' | 'score'>;

export interface TuningDecision<T extends TuningScore> {
  readonly defaults: T;
  readonly best: T;
  readonly chosen: T;
  /** The defaults should change to `chosen`. */
  readonly change: boolean;
}

/**
 * Scores every candidate R@20/R@20(defaults) + R@12/R@12(defaults) (so the defaults score 2). The defaults stay
 * unless a candidate beats them by more than `tie` (relative); then, among the candidates that do and lie within
 * `tie` of the best score, the lowest rank wins (ties of rank: the higher score): a slower model must earn its cost.
 */
export function decide<T extends TuningScore>(candidates: T[], isDefault: (c: T) => boolean, tie: number): TuningDecision<T> {
  const defaults = candidates.find(isDefault);
  if (defaults === undefined) throw new Error('the grid must hold the current defaults');
  for (const c of candidates) c.score = c.recallAt20 / defaults.recallAt20 + c.recallAt12 / defaults.recallAt12;
  const best = candidates.reduce((top, c) => (c.score! > top.score! ? c : top));
  const beating = candidates.filter((c) => c.score! > defaults.score! * (1 + tie) && c.score! >= best.score! * (1 - tie));
  const chosen = beating.length === 0 ? defaults : beating.reduce((top, c) => (c.rank < top.rank || (c.rank === top.rank && c.score! > top.score!) ? c : top));
  return { defaults, best, chosen, change: chosen !== defaults };
}
