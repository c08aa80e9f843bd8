/**
 * The figures behind the insights page, computed from the dataset's typed arrays in a few passes over the ratings
 * (no I/O, no rendering): the distribution of ratings, popularity against average rating per movie, ratings per
 * genre, each genre's average rating by the decade the movies came out, and the most-rated movies.
 *
 * "Over the years" uses the movies' release years (from their titles), by decade: the ratings loader keeps no
 * timestamps, and reading them would be another pass over a ratings file of up to 25 million lines at start-up.
 */
import type { Movie, RatingsMatrix } from '../catalog/types.js';

export interface RatingCount {
  /** Stars, 0.5 to 5. */
  readonly rating: number;
  readonly count: number;
}

export interface MoviePopularity {
  readonly movieId: number;
  readonly ratings: number;
  readonly mean: number;
}

export interface PopularityBand {
  readonly label: string;
  /** Movies with at least `from` ratings (and fewer than `to`, when not null). */
  readonly from: number;
  readonly to: number | null;
  readonly movies: number;
  /** The mean of those movies' average ratings; null without movies. */
  readonly meanRating: number | null;
}

export interface GenreRatings {
  readonly genre: string;
  /** Ratings of movies of this genre (a movie of two genres counts for both). */
  readonly ratings: number;
  readonly movies: number;
  readonly mean: number;
}

export interface DecadePoint {
  readonly decade: number;
  /** null when the genre has fewer than minDecadeRatings ratings of movies of that decade. */
  readonly mean: number | null;
  readonly ratings: number;
}

export interface GenreDecades {
  readonly genre: string;
  readonly points: readonly DecadePoint[];
}

export interface MostRated {
  readonly movieId: number;
  readonly title: string;
  readonly year: number | null;
  readonly ratings: number;
  readonly mean: number;
}

export interface InsightsFigures {
  readonly totals: { readonly ratings: number; readonly users: number; readonly movies: number; readonly meanRating: number };
  readonly ratingDistribution: readonly RatingCount[];
  readonly popularity: {
    /** Every rated movie when there are at most maxScatterPoints, else an even sample of them (every k-th). */
    readonly points: readonly MoviePopularity[];
    readonly ratedMovies: number;
    /** Pearson correlation between log10(number of ratings) and average rating, over every rated movie. */
    readonly correlation: number | null;
    readonly bands: readonly PopularityBand[];
  };
  readonly genres: readonly GenreRatings[];
  readonly genreDecades: {
    readonly decades: readonly number[];
    readonly series: readonly GenreDecades[];
    /** A point needs this many ratings. */
    readonly minRatings: number;
  };
  readonly mostRated: readonly MostRated[];
}

export const MAX_SCATTER_POINTS = 1500;
export const MIN_DECADE_RATINGS = 50;
export const DECADE_GENRES = 6;
export const MOST_RATED = 15;
const NO_GENRE = '(no genres listed)';
const BANDS: readonly [number, number | null][] = [[1, 10], [10, 100], [100, 1000], [1000, null]];

export interface InsightsOptions {
  /** Default MIN_DECADE_RATINGS. */
  readonly minDecadeRatings?: number;
  /** Default MAX_SCATTER_POINTS. */
  readonly maxScatterPoints?: number;
}

export function insightsFigures(ratings: RatingsMatrix, movies: readonly Movie[], options: InsightsOptions = {}): InsightsFigures {
  const { byItem, itemIds } = ratings;
  const movieById = new Map(movies.map((m) => [m.id, m]));
  const items = byItem.rows;

  // One pass over the ratings: per movie count and sum, and the histogram by half star.
  const counts = new Int32Array(items);
  const sums = new Float64Array(items);
  const halfStars = new Float64Array(11); // index = rating × 2
  let total = 0;
  let sum = 0;
  for (let i = 0; i < items; i++) {
    for (let n = byItem.indptr[i]; n < byItem.indptr[i + 1]; n++) {
      const r = byItem.values[n];
      sums[i] += r;
      halfStars[Math.min(10, Math.max(0, Math.round(r * 2)))]++;
    }
    counts[i] = byItem.indptr[i + 1] - byItem.indptr[i];
    total += counts[i];
    sum += sums[i];
  }

  const genres = genreRatings(itemIds, counts, sums, movieById);
  return {
    totals: { ratings: total, users: ratings.userIds.length, movies: countRated(counts), meanRating: total > 0 ? sum / total : 0 },
    ratingDistribution: distribution(halfStars),
    popularity: popularity(itemIds, counts, sums, options.maxScatterPoints ?? MAX_SCATTER_POINTS),
    genres,
    genreDecades: genreDecades(itemIds, counts, sums, movieById, genres.slice(0, DECADE_GENRES).map((g) => g.genre), options.minDecadeRatings ?? MIN_DECADE_RATINGS),
    mostRated: mostRated(itemIds, counts, sums, movieById),
  };
}

function countRated(counts: Int32Array): number {
  let n = 0;
  for (const c of counts) if (c > 0) n++;
  return n;
}

/** Every half (or, when no half stars occur, whole) star from the lowest rating given to 5. */
function distribution(halfStars: Float64Array): RatingCount[] {
  const used = [...halfStars.keys()].filter((k) => halfStars[k] > 0);
  if (used.length === 0) return [];
  const halves = used.some((k) => k % 2 === 1);
  const out: RatingCount[] = [];
  for (let k = used[0]; k <= 10; k += halves ? 1 : 2) out.push({ rating: k / 2, count: halfStars[k] });
  return out;
}

function popularity(itemIds: Int32Array, counts: Int32Array, sums: Float64Array, maxPoints: number): InsightsFigures['popularity'] {
  const rated: MoviePopularity[] = [];
  for (let i = 0; i < itemIds.length; i++) if (counts[i] > 0) rated.push({ movieId: itemIds[i], ratings: counts[i], mean: sums[i] / counts[i] });
  const stride = Math.ceil(rated.length / Math.max(1, maxPoints));
  const points = stride <= 1 ? rated : rated.filter((_, i) => i % stride === 0);
  const bands = BANDS.map(([from, to]) => {
    const inBand = rated.filter((m) => m.ratings >= from && (to === null || m.ratings < to));
    return {
      label: to === null ? `${from.toLocaleString('en')} or more` : `${from.toLocaleString('en')} to ${(to - 1).toLocaleString('en')}`,
      from,
      to,
      movies: inBand.length,
      meanRating: inBand.length > 0 ? inBand.reduce((s, m) => s + m.mean, 0) / inBand.length : null,
    };
  });
  return { points, ratedMovies: rated.length, correlation: pearson(rated.map((m) => Math.log10(m.ratings)), rated.map((m) => m.mean)), bands };
}

/** Pearson's r, or null when either side does not vary. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

function genresOf(movie: Movie | undefined): readonly string[] {
  return (movie?.genres ?? []).filter((g) => g !== NO_GENRE);
}

function genreRatings(itemIds: Int32Array, counts: Int32Array, sums: Float64Array, movieById: ReadonlyMap<number, Movie>): GenreRatings[] {
  const byGenre = new Map<string, { ratings: number; movies: number; sum: number }>();
  for (let i = 0; i < itemIds.length; i++) {
    if (counts[i] === 0) continue;
    for (const genre of genresOf(movieById.get(itemIds[i]))) {
      const entry = byGenre.get(genre) ?? { ratings: 0, movies: 0, sum: 0 };
      entry.ratings += counts[i];
      entry.movies++;
      entry.sum += sums[i];
      byGenre.set(genre, entry);
    }
  }
  return [...byGenre]
    .map(([genre, e]) => ({ genre, ratings: e.ratings, movies: e.movies, mean: e.sum / e.ratings }))
    .sort((a, b) => b.ratings - a.ratings || a.genre.localeCompare(b.genre));
}

function genreDecades(
  itemIds: Int32Array,
  counts: Int32Array,
  sums: Float64Array,
  movieById: ReadonlyMap<number, Movie>,
  top: readonly string[],
  minRatings: number,
): InsightsFigures['genreDecades'] {
  const cells = new Map<string, { ratings: number; sum: number }>(); // `${genre}|${decade}`
  const decadeSet = new Set<number>();
  for (let i = 0; i < itemIds.length; i++) {
    const movie = movieById.get(itemIds[i]);
    if (counts[i] === 0 || movie?.year == null) continue;
    const decade = Math.floor(movie.year / 10) * 10;
    for (const genre of genresOf(movie)) {
      if (!top.includes(genre)) continue;
      const key = `${genre}|${decade}`;
      const cell = cells.get(key) ?? { ratings: 0, sum: 0 };
      cell.ratings += counts[i];
      cell.sum += sums[i];
      cells.set(key, cell);
      if (cell.ratings >= minRatings) decadeSet.add(decade);
    }
  }
  if (decadeSet.size === 0) return { decades: [], series: [], minRatings };
  const first = Math.min(...decadeSet);
  const last = Math.max(...decadeSet);
  const decades: number[] = [];
  for (let d = first; d <= last; d += 10) decades.push(d);
  const series = top.map((genre) => ({
    genre,
    points: decades.map((decade) => {
      const cell = cells.get(`${genre}|${decade}`);
      const ratings = cell?.ratings ?? 0;
      return { decade, ratings, mean: cell && ratings >= minRatings ? cell.sum / ratings : null };
    }),
  }));
  return { decades, series, minRatings };
}

function mostRated(itemIds: Int32Array, counts: Int32Array, sums: Float64Array, movieById: ReadonlyMap<number, Movie>): MostRated[] {
  const order = [...counts.keys()].filter((i) => counts[i] > 0).sort((a, b) => counts[b] - counts[a] || itemIds[a] - itemIds[b]);
  return order.slice(0, MOST_RATED).map((i) => {
    const movie = movieById.get(itemIds[i]);
    return { movieId: itemIds[i], title: movie?.title ?? `Movie ${itemIds[i]}`, year: movie?.year ?? null, ratings: counts[i], mean: sums[i] / counts[i] };
  });
}
