import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom, type Random } from '../recommend/random.js';
import { userActivity } from './activity.js';
import { ByteWriter } from './byte-writer.js';
import { generateCatalog, type SyntheticCatalog } from './catalog.js';
import { writeRatingRows } from './ratings.js';
import { maxRatingsPerUser, MIN_RATINGS_PER_USER, shapeProblem, type SyntheticShape } from './shapes.js';
import { csvField } from './titles.js';
import { GENRES, NO_GENRES } from './vocabulary.js';

export interface GenerateOptions extends SyntheticShape {
  readonly seed: number;
  /** Folder to write; created if missing, its three CSV files replaced. */
  readonly out: string;
  /** Unix seconds bounding the timestamps (default: ml-25m's range, 1995-01-09 to 2019-11-21). */
  readonly firstTimestamp?: number;
  readonly lastTimestamp?: number;
  /** Called now and then while ratings.csv is written. */
  readonly onProgress?: (ratingsWritten: number, ratingsTotal: number) => void;
}

export interface GenerateSummary extends SyntheticShape {
  readonly seed: number;
  /** Movies with at least one rating. */
  readonly ratedMovies: number;
  readonly bytes: { readonly movies: number; readonly links: number; readonly ratings: number };
}

/** Name of the file written last: its presence says the folder is complete and records how it was made. */
export const SUMMARY_FILE = 'synthetic.json';
/** Changes whenever the same options would give other bytes, so stale folders are not reused. */
export const GENERATOR_VERSION = 'moviehunter-synthetic/4';

const DEFAULT_FIRST_TIMESTAMP = 789_652_009;
const DEFAULT_LAST_TIMESTAMP = 1_574_327_703;

/** Writes a MovieLens-format folder (movies.csv, links.csv, ratings.csv, then synthetic.json); same options → same bytes. */
export function generateSyntheticMovielens(options: GenerateOptions): GenerateSummary {
  const problem = shapeProblem(options);
  if (problem) throw new Error(problem);
  const { users, movies, ratings, seed, out } = options;
  const firstTimestamp = options.firstTimestamp ?? DEFAULT_FIRST_TIMESTAMP;
  const lastTimestamp = options.lastTimestamp ?? DEFAULT_LAST_TIMESTAMP;
  if (!(firstTimestamp < lastTimestamp)) throw new Error(`firstTimestamp ${firstTimestamp} must be before lastTimestamp ${lastTimestamp}`);
  mkdirSync(out, { recursive: true });
  // An interrupted run must not leave an old summary vouching for half-written files.
  rmSync(join(out, SUMMARY_FILE), { force: true });
  // Separate streams: the catalog depends only on (movies, seed), whatever the ratings.
  const catalog = generateCatalog(movies, createRandom(seed), new Date(lastTimestamp * 1000).getUTCFullYear());
  const rng = createRandom(seed + 0x1_0000_0000);
  const moviesBytes = writeMoviesCsv(join(out, 'movies.csv'), catalog);
  const linksBytes = writeLinksCsv(join(out, 'links.csv'), catalog, rng);
  const activity = userActivity(users, ratings, MIN_RATINGS_PER_USER, maxRatingsPerUser(options), rng);
  const writer = new ByteWriter(join(out, 'ratings.csv'));
  let perMovie: Int32Array;
  try {
    writer.text('userId,movieId,rating,timestamp\n');
    perMovie = writeRatingRows(writer, catalog, { activity, firstTimestamp, lastTimestamp }, rng, (done) =>
      options.onProgress?.(done, ratings),
    );
  } finally {
    writer.close();
  }
  let ratedMovies = 0;
  for (let k = 0; k < perMovie.length; k++) if (perMovie[k] > 0) ratedMovies++;
  const summary: GenerateSummary = {
    users, movies, ratings, seed, ratedMovies,
    bytes: { movies: moviesBytes, links: linksBytes, ratings: writer.written },
  };
  writeFileSync(join(out, SUMMARY_FILE), `${JSON.stringify({ generator: GENERATOR_VERSION, ...summary }, null, 2)}\n`);
  return summary;
}

/** movies.csv: `movieId,title,genres`, titles "Words (year)" quoted when they hold commas. */
export function writeMoviesCsv(path: string, catalog: SyntheticCatalog): number {
  const writer = new ByteWriter(path);
  writer.text('movieId,title,genres\n');
  for (let k = 0; k < catalog.count; k++) {
    const year = catalog.years[k];
    const title = year > 0 ? `${catalog.titles[k]} (${year})` : catalog.titles[k];
    writer.text(`${catalog.movieIds[k]},${csvField(title)},${genreList(catalog.genreMasks[k])}\n`);
  }
  writer.close();
  return writer.written;
}

/** MovieLens lists genres alphabetically, joined by "|". */
function genreList(mask: number): string {
  if (mask === 0) return NO_GENRES;
  const names: string[] = [];
  for (let g = 0; g < GENRES.length; g++) if (mask & (1 << g)) names.push(GENRES[g].name);
  return names.sort().join('|');
}

/** links.csv: `movieId,imdbId,tmdbId`, IMDb ids zero-padded to 7 digits, a few tmdbIds empty as in MovieLens. */
function writeLinksCsv(path: string, catalog: SyntheticCatalog, rng: Random): number {
  const writer = new ByteWriter(path);
  writer.text('movieId,imdbId,tmdbId\n');
  let imdb = 10_000;
  let tmdb = 0;
  for (let k = 0; k < catalog.count; k++) {
    imdb += 1 + rng.int(120);
    tmdb += 1 + rng.int(8);
    const tmdbField = rng.next() < 0.001 ? '' : String(tmdb);
    writer.text(`${catalog.movieIds[k]},${String(imdb).padStart(7, '0')},${tmdbField}\n`);
  }
  writer.close();
  return writer.written;
}
