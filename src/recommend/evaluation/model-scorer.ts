/**
 * Protocol A for a model that only has item factors (a run folder's model/, from any engine): each known user's
 * factors are one exact half-step against those item factors with the user's training ratings — what the engine's
 * own last user update computes — then every movie is scored. Movies the model lacks score −∞.
 */
import type { RatingsMatrix } from '../../catalog/types.js';
import { foldInUser, prepareModel } from '../foldin.js';
import { multiplyRows } from '../linalg.js';
import type { ItemFactorModel } from '../model.js';
import type { KnownUserScorer } from './protocols.js';

export function knownUserScorerFromModel(train: RatingsMatrix, model: ItemFactorModel): KnownUserScorer {
  const prepared = prepareModel(model);
  const { byUser, itemIds } = train;
  // denseOf[model row] = the training matrix's item index, or -1.
  const denseIndex = new Map<number, number>();
  for (let i = 0; i < itemIds.length; i++) denseIndex.set(itemIds[i], i);
  const denseOf = Int32Array.from(model.itemIds, (id) => denseIndex.get(id) ?? -1);
  const modelScores = new Float64Array(prepared.itemCount);
  return (user, out) => {
    out.fill(-Infinity);
    const start = byUser.indptr[user];
    const end = byUser.indptr[user + 1];
    const movies: number[] = [];
    const ratings: number[] = [];
    for (let n = start; n < end; n++) {
      const id = itemIds[byUser.indices[n]];
      if (!prepared.itemIndex.has(id)) continue; // the model never saw it: nothing to fold in
      movies.push(id);
      ratings.push(byUser.values[n]);
    }
    if (movies.length === 0) return;
    const x = foldInUser(prepared, movies, ratings);
    multiplyRows(model.itemFactors, prepared.itemCount, model.rank, x, modelScores);
    for (let row = 0; row < denseOf.length; row++) if (denseOf[row] >= 0) out[denseOf[row]] = modelScores[row];
  };
}
