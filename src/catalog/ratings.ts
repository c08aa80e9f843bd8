import { basename } from 'node:path';
import { csrFromCoo, findDuplicateEntry, transposeCsr } from '../matrix/sparse.js';
import { densifyIds } from './dense-ids.js';
import { DataFormatError } from './errors.js';
import { scanRatingsFile, type RatingSink, type RatingsFormat } from './ratings-scan.js';
import type { RatingsMatrix } from './types.js';

export type { RatingsFormat } from './ratings-scan.js';

export interface LoadRatingsOptions {
  /** Default: from the file name (*.csv, *.dat, u.data / *.tsv). */
  readonly format?: RatingsFormat;
  /** The catalog's movie ids: a rating of any other movie is an error. */
  readonly knownMovieIds?: ReadonlySet<number>;
}

/**
 * Loads a ratings file into a RatingsMatrix: dense user and item indices in ascending id order, CSR by user
 * and by item. Bad input (malformed line, rating outside 0.5–5, duplicate (user, movie), unknown movie,
 * empty file) throws a DataFormatError naming the file and line.
 */
export async function loadRatings(path: string, options: LoadRatingsOptions = {}): Promise<RatingsMatrix> {
  const format = options.format ?? ratingsFormatOf(path);
  const triples = new RatingTriples();
  await scanRatingsFile(path, format, triples);
  const { users, movies, ratings, count } = triples;
  const userIds = densifyIds(users, count);
  const itemIds = densifyIds(movies, count);
  if (options.knownMovieIds) await checkKnownMovies(path, format, itemIds, options.knownMovieIds);
  const byUser = csrFromCoo(userIds.length, itemIds.length, users, movies, ratings, count);
  const duplicate = findDuplicateEntry(byUser);
  if (duplicate) await reportDuplicate(path, format, userIds[duplicate.row], itemIds[duplicate.col]);
  return { userIds, itemIds, byUser, byItem: transposeCsr(byUser) };
}

/** The ratings format a file name implies. */
export function ratingsFormatOf(path: string): RatingsFormat {
  const name = basename(path).toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.dat')) return 'dat';
  if (name === 'u.data' || name.endsWith('.tsv')) return 'tsv';
  throw new Error(`${path}: cannot tell the ratings format from the name (expected *.csv, *.dat or u.data)`);
}

/** Growable typed arrays of (user id, movie id, rating) in file order. */
class RatingTriples implements RatingSink {
  users = new Int32Array(1024);
  movies = new Int32Array(1024);
  ratings = new Float32Array(1024);
  count = 0;

  add(user: number, movie: number, rating: number): void {
    const n = this.count;
    if (n === this.users.length) this.resize(Math.ceil(n * 1.5));
    this.users[n] = user;
    this.movies[n] = movie;
    this.ratings[n] = rating;
    this.count = n + 1;
  }

  expect(ratings: number): void {
    if (ratings > this.users.length) this.resize(ratings);
  }

  private resize(capacity: number): void {
    const users = new Int32Array(capacity);
    const movies = new Int32Array(capacity);
    const ratings = new Float32Array(capacity);
    users.set(this.users.subarray(0, this.count));
    movies.set(this.movies.subarray(0, this.count));
    ratings.set(this.ratings.subarray(0, this.count));
    this.users = users;
    this.movies = movies;
    this.ratings = ratings;
  }
}

/** Error path: rescans the file for the first line rating a movie outside the catalog. */
async function checkKnownMovies(path: string, format: RatingsFormat, itemIds: Int32Array, known: ReadonlySet<number>): Promise<void> {
  const unknown = new Set<number>();
  for (const id of itemIds) if (!known.has(id)) unknown.add(id);
  if (unknown.size === 0) return;
  await scanRatingsFile(path, format, {
    add(_user, movie, _rating, line) {
      if (unknown.has(movie)) throw new DataFormatError(path, line, `movieId ${movie} is not in the movie catalog`);
    },
  });
  throw new Error(`${path}: movieIds not in the movie catalog: ${[...unknown].slice(0, 10).join(', ')}`);
}

/** Error path: rescans the file for the two lines rating the same (user, movie). */
async function reportDuplicate(path: string, format: RatingsFormat, userId: number, movieId: number): Promise<void> {
  let firstLine = 0;
  await scanRatingsFile(path, format, {
    add(user, movie, _rating, line) {
      if (user !== userId || movie !== movieId) return;
      if (firstLine === 0) firstLine = line;
      else throw new DataFormatError(path, line, `duplicate rating of movieId ${movieId} by userId ${userId} (first at line ${firstLine})`);
    },
  });
  throw new Error(`${path}: duplicate rating of movieId ${movieId} by userId ${userId}`);
}
