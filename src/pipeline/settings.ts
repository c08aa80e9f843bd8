/** The pipeline's settings and a run's parameters, from the validated config. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import { detectDatasetFormat, type DatasetFormat } from '../catalog/dataset.js';
import { defaultAlsOptions } from '../recommend/als/index.js';
import { PICK_RATING, RUN_CANDIDATES, RUN_TOP_N, type RunParams } from './run-params.js';
import type { PipelineSettings } from './tick.js';

const RATINGS_FILE: Record<DatasetFormat, string> = { 'ml-latest': 'ratings.csv', 'ml-1m': 'ratings.dat', 'ml-100k': 'u.data' };

export function pipelineSettingsOf(config: Pick<Config, 'RUN_MAX_ATTEMPTS' | 'RUN_TIMEOUT_SECONDS' | 'RUN_MAX_USERS'>): PipelineSettings {
  return {
    maxAttempts: config.RUN_MAX_ATTEMPTS,
    runTimeoutMs: config.RUN_TIMEOUT_SECONDS * 1000,
    maxUsersPerRun: config.RUN_MAX_USERS,
  };
}

/** The tuned ALS defaults with the configured rank and iterations, on the ratings of MOVIELENS_DIR. */
export function runParamsOf(config: Pick<Config, 'ALS_RANK' | 'ALS_ITERATIONS'>, movielensDir: string): RunParams {
  return runParamsFor(config, ratingsPathIn(movielensDir));
}

/** The same on a ratings file given by path or URI (gs://… on Google Cloud). */
export function runParamsFor(config: Pick<Config, 'ALS_RANK' | 'ALS_ITERATIONS'>, ratingsPath: string): RunParams {
  const { regularization, alpha, ratingThreshold, scaleRegularization, seed } = defaultAlsOptions;
  return {
    rank: config.ALS_RANK,
    iterations: config.ALS_ITERATIONS,
    regularization,
    alpha,
    ratingThreshold,
    scaleRegularization,
    seed,
    topN: RUN_TOP_N,
    candidates: RUN_CANDIDATES,
    pickRating: PICK_RATING,
    ratingsPath,
  };
}

/** The absolute path of a MovieLens folder's ratings file (ratings.csv, ratings.dat or u.data). */
export function ratingsPathIn(dir: string): string {
  const path = resolve(join(dir, RATINGS_FILE[detectDatasetFormat(dir)]));
  if (!existsSync(path)) throw new Error(`${path}: missing (the ratings the pipeline trains on)`);
  return path;
}
