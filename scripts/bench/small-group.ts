import { join } from 'node:path';
import { loadMoviesCsv } from '../../src/catalog/movies.js';
import { loadRatings } from '../../src/catalog/ratings.js';
import { loadConfig } from '../../src/config.js';
import type { RatingsMatrix } from '../../src/catalog/types.js';
import { trainAls } from '../../src/recommend/als/index.js';
import { bestMovies } from '../../src/recommend/best-movies.js';
import { prepareModel, recommendForPicks } from '../../src/recommend/foldin.js';
import { quickRecommend } from '../../src/recommend/quick.js';
import { createRandom, type Random } from '../../src/recommend/random.js';
import { movielensSmallDir } from './datasets.js';
import { latenciesMs, percentile, timeRuns } from './measure.js';
import { modelFromTraining } from './model.js';
import type { BenchGroup } from './rows.js';

/** Real ml-latest-small: training time, fold-in latency on its model, best movies. */
export function smallGroup(queries: number, seed: number): BenchGroup {
  return {
    name: 'ml-latest-small',
    specs: [
      { id: 'small.train', figure: 'train rank 64 × 15 iterations, ml-latest-small', limit: 3, unit: 's' },
      { id: 'small.foldin', figure: 'fold-in + top-12 with reasons p99, ml-latest-small', limit: 2, unit: 'ms' },
      { id: 'small.best', figure: 'best movies, ml-latest-small', limit: 200, unit: 'ms' },
    ],
    async run(record) {
      const dir = movielensSmallDir();
      const movies = await loadMoviesCsv(join(dir, 'movies.csv'), join(dir, 'links.csv'));
      const ratings = await loadRatings(join(dir, 'ratings.csv'), { knownMovieIds: new Set(movies.map((m) => m.id)) });

      const trained = await trainAls(ratings, { rank: 64, iterations: 15, kernels: loadConfig().ALS_KERNELS });
      record('small.train', trained.seconds, `${trained.options.threads} threads, ${trained.options.solver}, ${trained.options.kernels} kernels`);

      const prepared = prepareModel(modelFromTraining(trained, ratings.itemIds));
      const picks = likedPickSets(ratings, queries, createRandom(seed));
      const foldin = latenciesMs(picks, (p) => recommendForPicks(prepared, p, 12));
      const blend = latenciesMs(picks, (p) => quickRecommend(prepared, p, 12, { method: 'blend' }));
      record('small.foldin', percentile(foldin, 99), `p50 ${percentile(foldin, 50).toFixed(2)} ms over ${picks.length} pick sets of 5–10; blend p99 ${percentile(blend, 99).toFixed(2)} ms`);

      const runs = await timeRuns(3, () => bestMovies(ratings, movies));
      record('small.best', Math.max(...runs.seconds) * 1000, `slowest of 3 runs, ${runs.result.eligible} eligible movies`);
    },
  };
}

/** Pick sets as a new user would choose them: 5–10 movies one real user rated ≥ 4. */
export function likedPickSets(ratings: RatingsMatrix, count: number, rng: Random): number[][] {
  const { indptr, indices, values } = ratings.byUser;
  const sets: number[][] = [];
  while (sets.length < count) {
    const user = rng.int(ratings.byUser.rows);
    const liked: number[] = [];
    for (let n = indptr[user]; n < indptr[user + 1]; n++) if (values[n] >= 4) liked.push(ratings.itemIds[indices[n]]);
    if (liked.length < 5) continue;
    const size = Math.min(liked.length, 5 + rng.int(6));
    for (let j = 0; j < size; j++) {
      const k = j + rng.int(liked.length - j);
      [liked[j], liked[k]] = [liked[k], liked[j]];
    }
    sets.push(liked.slice(0, size));
  }
  return sets;
}
