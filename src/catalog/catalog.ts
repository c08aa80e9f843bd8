import { createTitleIndex, type TitleIndex } from './search.js';
import type { Movie, RatingsMatrix } from './types.js';

/** What the web app shows for a movie. */
export interface MovieCard {
  readonly id: number;
  readonly title: string;
  /** The movie's other names (a.k.a., original-language title) joined by " · ", shown under the title; null when none. */
  readonly subtitle: string | null;
  readonly year: number | null;
  readonly genres: readonly string[];
  readonly imdbUrl: string | null;
  readonly tmdbUrl: string | null;
}

/** The movies by id, their popularity (number of ratings, 0 when unknown) and a title search over them. */
export class Catalog {
  /** Every movie, ascending id. */
  readonly movies: readonly Movie[];
  private readonly byId: ReadonlyMap<number, Movie>;
  private readonly ratingCounts: ReadonlyMap<number, number>;
  private titleIndex: TitleIndex | null = null;

  constructor(movies: readonly Movie[], ratingCounts: ReadonlyMap<number, number> = new Map()) {
    this.movies = [...movies].sort((a, b) => a.id - b.id);
    this.byId = new Map(this.movies.map((movie) => [movie.id, movie]));
    this.ratingCounts = ratingCounts;
  }

  get size(): number {
    return this.movies.length;
  }

  get(id: number): Movie | undefined {
    return this.byId.get(id);
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  popularity(id: number): number {
    return this.ratingCounts.get(id) ?? 0;
  }

  /** Title search for the movie picker; the index is built on first use. */
  search(query: string, limit?: number): Movie[] {
    this.titleIndex ??= createTitleIndex(this.movies, this.ratingCounts);
    return this.titleIndex.search(query, limit);
  }
}

/** Number of ratings per movie id. */
export function ratingCounts(ratings: RatingsMatrix): Map<number, number> {
  const counts = new Map<number, number>();
  const { indptr } = ratings.byItem;
  for (let i = 0; i < ratings.itemIds.length; i++) counts.set(ratings.itemIds[i], indptr[i + 1] - indptr[i]);
  return counts;
}

export function imdbUrl(movie: Movie): string | null {
  return movie.imdbId === null ? null : `https://www.imdb.com/title/tt${movie.imdbId}/`;
}

export function tmdbUrl(movie: Movie): string | null {
  return movie.tmdbId === null ? null : `https://www.themoviedb.org/movie/${movie.tmdbId}`;
}

export function movieCard(movie: Movie): MovieCard {
  const { id, title, year, genres } = movie;
  const subtitle = movie.alternativeTitles && movie.alternativeTitles.length > 0 ? movie.alternativeTitles.join(' · ') : null;
  return { id, title, subtitle, year, genres, imdbUrl: imdbUrl(movie), tmdbUrl: tmdbUrl(movie) };
}
