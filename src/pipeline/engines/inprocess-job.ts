/**
 * The inprocess engine's work on one run folder: read the inputs, add the app users to the MovieLens ratings,
 * train ALS, rank each app user's candidates (params.candidates movies neither picked, seen nor excluded) from their trained factors, write the
 * outputs, `_SUCCESS` last.
 * Runs inside the engine's worker thread; throws on any failure (and then never writes `_SUCCESS`).
 */
import { performance } from 'node:perf_hooks';
import { loadRatings } from '../../catalog/ratings.js';
import { trainAls, type AlsIteration } from '../../recommend/als/index.js';
import { prepareModel, recommendForUser } from '../../recommend/foldin.js';
import type { ItemFactorModel } from '../../recommend/model.js';
import { writeModel } from '../model-folder.js';
import { localRunFolder } from '../run-files.js';
import { METRICS_FILE, MODEL_DIR, RECOMMENDATIONS_FILE, SUCCESS_FILE, readRunInput, unrecommendable } from '../run-folder.js';
import { modelParamsOf } from '../run-params.js';
import { appendAppUsers, appUserRow } from './app-users.js';

export const INPROCESS_ENGINE = 'inprocess';

export interface InprocessJobOptions {
  /** ALS worker threads (trainAls' `threads`); its default when unset. */
  readonly threads?: number;
  /** ALS kernels (trainAls' `kernels`); its default when unset. */
  readonly kernels?: 'wasm' | 'js';
  /** Told when each phase starts (for logs). */
  readonly onPhase?: (phase: 'load' | 'train' | 'recommend' | 'write') => void;
}

export async function runInprocessJob(dir: string, options: InprocessJobOptions = {}): Promise<void> {
  const folder = localRunFolder(dir);
  const seconds: Record<string, number> = {};
  let mark = performance.now();
  const lap = (phase: string) => {
    const t = performance.now();
    seconds[phase] = (t - mark) / 1000;
    mark = t;
  };

  options.onPhase?.('load');
  const { users, params } = await readRunInput(folder);
  const dataset = await loadRatings(params.ratingsPath);
  const { ratings, firstRow, addedMovies } = appendAppUsers(dataset, users.map((u) => appUserRow(u.movies, params.pickRating, u.rated)));
  lap('load');

  options.onPhase?.('train');
  const iterations: AlsIteration[] = [];
  const how = { ...(options.threads ? { threads: options.threads } : {}), ...(options.kernels ? { kernels: options.kernels } : {}) };
  const trained = await trainAls(ratings, { ...modelParamsOf(params), ...how }, (it) => iterations.push(it));
  const model: ItemFactorModel = {
    rank: params.rank,
    itemIds: ratings.itemIds,
    itemFactors: trained.itemFactors,
    params: modelParamsOf(params),
    engine: INPROCESS_ENGINE,
    trainedAt: new Date().toISOString(),
  };
  lap('train');

  options.onPhase?.('recommend');
  const prepared = prepareModel(model);
  const k = params.rank;
  const lines = users.map((u, i) => {
    const row = firstRow + i;
    const recs = recommendForUser(prepared, trained.userFactors.subarray(row * k, row * k + k), params.candidates, unrecommendable(u));
    return `${JSON.stringify({ user: u.user, items: recs.map((r) => ({ movie: r.movieId, score: r.score })) })}\n`;
  });
  lap('recommend');

  options.onPhase?.('write');
  await folder.write(RECOMMENDATIONS_FILE, lines.join(''));
  await writeModel(folder, MODEL_DIR, model);
  lap('write');
  const metrics = {
    engine: INPROCESS_ENGINE,
    seconds,
    iterations: iterations.map(({ iteration, loss, seconds: s }) => ({ iteration, loss, seconds: s })),
    data: {
      datasetUsers: dataset.userIds.length,
      appUsers: users.length,
      movies: ratings.itemIds.length,
      addedMovies,
      datasetRatings: dataset.byUser.indptr[dataset.byUser.rows],
      appRatings: ratings.byUser.indptr[ratings.byUser.rows] - dataset.byUser.indptr[dataset.byUser.rows],
      rank: params.rank,
      modelBytes: model.itemFactors.byteLength,
    },
    training: { solver: trained.options.solver, threads: trained.options.threads, seconds: trained.seconds },
  };
  await folder.write(METRICS_FILE, `${JSON.stringify(metrics, null, 2)}\n`);
  await folder.write(SUCCESS_FILE, ''); // last: everything above is complete
}
