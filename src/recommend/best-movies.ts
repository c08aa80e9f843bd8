import type { Movie, RatingsMatrix } from '../catalog/types.js';
import { fitBaseline, type BaselineEstimates, type BaselineOptions } from './baseline.js';

/** One movie of a best/worst list. */
export interface RankedMovie {
  readonly movieId: number;
  /** μ + b_i: the baseline rating an average user would give it, in stars (orders exactly like b_i). */
  readonly score: number;
  /** Number of ratings. */
  readonly ratings: number;
  /** Plain mean of its ratings. */
  readonly mean: number;
}

export interface MovieRanking {
  /** Highest score first. */
  readonly best: readonly RankedMovie[];
  /** Lowest score first; never repeats a movie of `best` (a small genre may have a short or empty list). */
  readonly worst: readonly RankedMovie[];
}

export interface BestMovies {
  readonly globalMean: number;
  readonly minRatings: number;
  /** Movies with at least minRatings ratings: the ones ranked. */
  readonly eligible: number;
  readonly overall: MovieRanking;
  /** One ranking per genre that has an eligible movie, keys in alphabetical order. */
  readonly byGenre: Readonly<Record<string, MovieRanking>>;
}

export interface BestMoviesOptions extends Partial<BaselineOptions> {
  /**
   * Only movies with at least this many ratings are ranked. 20 on ml-latest-small keeps 1,297 of 9,724 movies
   * (each seen by ≥ 3% of its 610 users) and leaves ≥ 48 eligible in most genres; λ_i already shrinks the rest.
   */
  readonly minRatings?: number;
  readonly best?: number;
  readonly worst?: number;
  /** Biases already fitted on these ratings (the web app keeps them); fitted here when absent. */
  readonly baseline?: BaselineEstimates;
}

export const defaultBestMoviesOptions = { minRatings: 20, best: 48, worst: 15 } as const;

/** Movies listed without a genre carry this pseudo-genre in MovieLens; they only appear in the overall ranking. */
const NO_GENRE = '(no genres listed)';

/** The best and worst movies by baseline item bias, overall and per genre; ties broken by movie id (ascending). */
export function bestMovies(ratings: RatingsMatrix, movies: readonly Movie[], options: BestMoviesOptions = {}): BestMovies {
  const minRatings = options.minRatings ?? defaultBestMoviesOptions.minRatings;
  const bestCount = options.best ?? defaultBestMoviesOptions.best;
  const worstCount = options.worst ?? defaultBestMoviesOptions.worst;
  for (const [name, value] of [['minRatings', minRatings], ['best', bestCount], ['worst', worstCount]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`bestMovies: ${name} must be an integer ≥ 0, got ${value}`);
  }
  const baseline = options.baseline ?? fitBaseline(ratings, options);
  const { byItem, itemIds } = ratings;
  if (baseline.itemBias.length !== byItem.rows) {
    throw new Error(`bestMovies: baseline has ${baseline.itemBias.length} item biases for ${byItem.rows} items`);
  }

  const eligible = eligibleItems(byItem.indptr, minRatings);
  const itemBias = baseline.itemBias;
  const descending = Array.from(eligible).sort((a, b) => itemBias[b] - itemBias[a] || itemIds[a] - itemIds[b]);
  const ascending = Array.from(eligible).sort((a, b) => itemBias[a] - itemBias[b] || itemIds[a] - itemIds[b]);

  const genresOfItem = itemGenres(itemIds, movies, eligible);
  const describe = (item: number): RankedMovie => describeItem(ratings, baseline, item);
  const overallBest = descending.slice(0, bestCount);
  const inOverallBest = new Set(overallBest);
  const overall: MovieRanking = {
    best: overallBest.map(describe),
    worst: ascending.filter((item) => !inOverallBest.has(item)).slice(0, worstCount).map(describe),
  };

  // One walk down each ordering fills every genre's list at once.
  const best = new Map<string, number[]>();
  for (const genre of [...new Set([...genresOfItem.values()].flat())].sort()) best.set(genre, []);
  for (const item of descending) {
    for (const genre of genresOfItem.get(item)!) {
      const list = best.get(genre)!;
      if (list.length < bestCount) list.push(item);
    }
  }
  const inBest = new Map([...best].map(([genre, items]) => [genre, new Set(items)]));
  const worst = new Map([...best.keys()].map((genre) => [genre, [] as number[]]));
  for (const item of ascending) {
    for (const genre of genresOfItem.get(item)!) {
      const list = worst.get(genre)!;
      if (list.length < worstCount && !inBest.get(genre)!.has(item)) list.push(item);
    }
  }
  const byGenre: Record<string, MovieRanking> = {};
  for (const [genre, items] of best) byGenre[genre] = { best: items.map(describe), worst: worst.get(genre)!.map(describe) };
  return { globalMean: baseline.globalMean, minRatings, eligible: eligible.length, overall, byGenre };
}

/** Dense indices of items with at least minRatings ratings. */
function eligibleItems(indptr: Int32Array, minRatings: number): Int32Array {
  const items = indptr.length - 1;
  let count = 0;
  for (let i = 0; i < items; i++) if (indptr[i + 1] - indptr[i] >= minRatings) count++;
  const out = new Int32Array(count);
  let at = 0;
  for (let i = 0; i < items; i++) if (indptr[i + 1] - indptr[i] >= minRatings) out[at++] = i;
  return out;
}

/** Real genres of each eligible item; an item missing from the catalog has none (it still ranks overall). */
function itemGenres(itemIds: Int32Array, movies: readonly Movie[], eligible: Int32Array): Map<number, readonly string[]> {
  const byId = new Map<number, Movie>();
  for (const movie of movies) byId.set(movie.id, movie);
  const out = new Map<number, readonly string[]>();
  for (const item of eligible) {
    const genres = byId.get(itemIds[item])?.genres ?? [];
    out.set(item, genres.filter((g) => g !== NO_GENRE));
  }
  return out;
}

function describeItem(ratings: RatingsMatrix, baseline: BaselineEstimates, item: number): RankedMovie {
  const { indptr, values } = ratings.byItem;
  let sum = 0;
  for (let n = indptr[item]; n < indptr[item + 1]; n++) sum += values[n];
  const count = indptr[item + 1] - indptr[item];
  return {
    movieId: ratings.itemIds[item],
    score: baseline.globalMean + baseline.itemBias[item],
    ratings: count,
    mean: count > 0 ? sum / count : 0,
  };
}
