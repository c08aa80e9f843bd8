import type { AlsResult } from '../../src/recommend/als/index.js';
import type { ItemFactorModel } from '../../src/recommend/model.js';
import type { Random } from '../../src/recommend/random.js';

/** The item-factor model a training result serves (what the web app loads from the artifact). */
export function modelFromTraining(trained: AlsResult, itemIds: Int32Array): ItemFactorModel {
  const { rank, iterations, regularization, alpha, ratingThreshold, scaleRegularization, seed } = trained.options;
  return {
    rank,
    itemIds,
    itemFactors: trained.itemFactors,
    params: { rank, iterations, regularization, alpha, ratingThreshold, scaleRegularization, seed },
    engine: 'inprocess',
    trainedAt: new Date().toISOString(),
  };
}

/** A model of `items` movies (ids 1…items) with random factors: fold-in and loading cost the same whatever the values. */
export function randomModel(items: number, rank: number, rng: Random): ItemFactorModel {
  const itemIds = Int32Array.from({ length: items }, (_, i) => i + 1);
  const itemFactors = new Float32Array(items * rank);
  const scale = 1 / Math.sqrt(rank);
  for (let n = 0; n < itemFactors.length; n++) itemFactors[n] = rng.normal() * scale;
  return {
    rank,
    itemIds,
    itemFactors,
    params: { rank, iterations: 15, regularization: 0.05, alpha: 2, ratingThreshold: null, scaleRegularization: true, seed: 42 },
    engine: 'bench-random',
    trainedAt: new Date().toISOString(),
  };
}

/** `count` sets of 5–10 distinct movie ids drawn from the pool, as a user's picks. */
export function pickSets(pool: ArrayLike<number>, count: number, rng: Random): number[][] {
  const sets: number[][] = [];
  for (let n = 0; n < count; n++) {
    const size = Math.min(pool.length, 5 + rng.int(6));
    const chosen = new Set<number>();
    while (chosen.size < size) chosen.add(pool[rng.int(pool.length)]);
    sets.push([...chosen]);
  }
  return sets;
}
