/**
 * "Because you picked …" for movies ranked elsewhere (a batch run's candidates): each candidate's score split into
 * per-pick contributions by a quick scorer (quick.ts), and the pick contributing most, exactly as the quick 12 are
 * explained. For a batch run's ALS user that is fold-in's c_j·p_j·(A⁻¹y_i)·y_j: the user's factors are the ALS
 * half-step over the final item factors, which fold-in repeats.
 */
import { largestPart, scratchScores, type PreparedModel } from './foldin.js';
import { quickScorer, type QuickOptions } from './quick.js';

export interface CandidateExplanations {
  /** The picks that explain, movie ids in the order given; picks the model lacks are left out. */
  readonly picks: Int32Array;
  /** candidates × picks, row-major: [c · picks.length + j] is the part of candidate c's score owed to picks[j]. */
  readonly contributions: Float64Array;
  /** Per candidate, the movie id of the pick contributing most (ties: the earlier pick). */
  readonly because: Int32Array;
}

/**
 * Explains each candidate movie (ids, any order) by the user's picks under the model. Candidates must be in the
 * model; at least one pick must be, else there is nothing to explain with.
 */
export function explainCandidates(
  prepared: PreparedModel,
  pickIds: readonly number[],
  candidateIds: readonly number[],
  options: QuickOptions,
): CandidateExplanations {
  const inModel = pickIds.map((id, j) => ({ id, j })).filter(({ id }) => prepared.itemIndex.has(id));
  if (inModel.length === 0) throw new Error(`none of the picks (${pickIds.join(', ')}) is in the model: nothing explains the candidates`);
  const ratings = options.ratings === undefined ? undefined : inModel.map(({ j }) => options.ratings![j]);
  const usable = inModel.map(({ id }) => id);
  // The scorer's all-item scores are not needed here: the shared scratch buffers keep them off the heap.
  const scorer = quickScorer(prepared, usable, { ...options, ratings }, [scratchScores(prepared, 0), scratchScores(prepared, 1)]);
  const width = usable.length;
  const contributions = new Float64Array(candidateIds.length * width);
  const because = new Int32Array(candidateIds.length);
  candidateIds.forEach((id, c) => {
    const row = prepared.itemIndex.get(id);
    if (row === undefined) throw new Error(`candidate movie ${id} is not in the model`);
    const parts = contributions.subarray(c * width, (c + 1) * width);
    scorer.contributions(row, parts);
    because[c] = usable[largestPart(parts)];
  });
  return { picks: Int32Array.from(usable), contributions, because };
}
