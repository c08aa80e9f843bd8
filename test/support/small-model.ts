/**
 * The real MovieLens ml-latest-small dataset and a small real ALS model trained on it (rank 8, 3 iterations, one
 * thread: about a second), loaded and trained once per process (each test file) and shared by its tests.
 */
import { Catalog } from '../../src/catalog/catalog.js';
import { loadDataset, type Dataset } from '../../src/catalog/dataset.js';
import { trainAls } from '../../src/recommend/als/index.js';
import { bestMovies, type BestMovies } from '../../src/recommend/best-movies.js';
import type { ItemFactorModel } from '../../src/recommend/model.js';
import { movielensDir } from './movielens.js';

export interface MovieLensFixture {
  dataset: Dataset;
  catalog: Catalog;
}

let movielens: Promise<MovieLensFixture> | undefined;
let model: Promise<ItemFactorModel> | undefined;
let best: Promise<BestMovies> | undefined;

/** The dataset and its catalog (with popularity, so search ranks like the app's). */
export function loadMovieLens(): Promise<MovieLensFixture> {
  movielens ??= loadDataset(movielensDir()).then((dataset) => ({
    dataset,
    catalog: Catalog.of(dataset.movies, dataset.ratings),
  }));
  return movielens;
}

/** The small model: same seed every time, so every run sees the same factors. */
export function smallModel(): Promise<ItemFactorModel> {
  model ??= loadMovieLens().then(async ({ dataset }) => {
    const result = await trainAls(dataset.ratings, { rank: 8, iterations: 3, threads: 1, seed: 7 });
    const { rank, iterations, regularization, alpha, ratingThreshold, scaleRegularization, seed } = result.options;
    return {
      rank,
      itemIds: dataset.ratings.itemIds,
      itemFactors: result.itemFactors,
      params: { rank, iterations, regularization, alpha, ratingThreshold, scaleRegularization, seed },
      engine: 'test',
      trainedAt: new Date(0).toISOString(),
    };
  });
  return model;
}

/** Best and worst movies of the dataset, with the defaults the app uses (48 best, 15 worst, ≥ 20 ratings). */
export function smallBestMovies(): Promise<BestMovies> {
  best ??= loadMovieLens().then(({ dataset }) => bestMovies(dataset.ratings, dataset.movies));
  return best;
}
