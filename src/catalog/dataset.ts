import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadMoviesDat, loadMoviesItem } from './movies-legacy.js';
import { loadMoviesCsv } from './movies.js';
import { loadRatings } from './ratings.js';
import type { RatingsFormat } from './ratings-scan.js';
import type { Movie, RatingsMatrix } from './types.js';

/** ml-latest (and ml-20m/25m) CSV files, ml-1m (and ml-10m) "::" .dat files, or ml-100k u.data/u.item. */
export type DatasetFormat = 'ml-latest' | 'ml-1m' | 'ml-100k';

export interface Dataset {
  readonly movies: Movie[];
  readonly ratings: RatingsMatrix;
  readonly format: DatasetFormat;
}

/** Each layout's files: ratings, movies, and the optional side file (links.csv, u.genre). */
const LAYOUTS: readonly { format: DatasetFormat; ratings: string; movies: string; ratingsFormat: RatingsFormat }[] = [
  { format: 'ml-latest', ratings: 'ratings.csv', movies: 'movies.csv', ratingsFormat: 'csv' },
  { format: 'ml-1m', ratings: 'ratings.dat', movies: 'movies.dat', ratingsFormat: 'dat' },
  { format: 'ml-100k', ratings: 'u.data', movies: 'u.item', ratingsFormat: 'tsv' },
];

/** Which MovieLens layout dir holds, told by its movies file; an error listing what was looked for when none. */
export function detectDatasetFormat(dir: string): DatasetFormat {
  const layout = LAYOUTS.find((candidate) => existsSync(join(dir, candidate.movies)));
  if (!layout) {
    const expected = LAYOUTS.map((l) => `${l.movies} + ${l.ratings} (${l.format})`).join(', ');
    throw new Error(`${dir}: no MovieLens dataset found; expected ${expected}`);
  }
  return layout.format;
}

/** The catalog only (movies with their links and tags): cheap, no ratings read. */
export async function loadMovies(dir: string): Promise<Movie[]> {
  const format = detectDatasetFormat(dir);
  if (format === 'ml-latest') return loadMoviesCsv(join(dir, 'movies.csv'), join(dir, 'links.csv'), join(dir, 'tags.csv'));
  if (format === 'ml-1m') return loadMoviesDat(join(dir, 'movies.dat'));
  return loadMoviesItem(join(dir, 'u.item'), join(dir, 'u.genre'));
}

/** Movies and ratings of a MovieLens folder; every rated movie must be in the catalog. */
export async function loadDataset(dir: string): Promise<Dataset> {
  const format = detectDatasetFormat(dir);
  const layout = LAYOUTS.find((candidate) => candidate.format === format)!;
  const ratingsPath = join(dir, layout.ratings);
  if (!existsSync(ratingsPath)) throw new Error(`${dir}: ${layout.movies} is there but ${layout.ratings} is missing`);
  const movies = await loadMovies(dir);
  const ratings = await loadRatings(ratingsPath, { format: layout.ratingsFormat, knownMovieIds: new Set(movies.map((m) => m.id)) });
  return { movies, ratings, format };
}
