/** Best and worst movies, overall or in one genre, as cards. Computed once per dataset elsewhere; read here. No HTTP. */
import { z } from 'zod';
import type { BestMovies as BestMoviesData, RankedMovie } from '../recommend/best-movies.js';
import { ValidationError } from './errors.js';
import type { MovieCard, Movies } from './movies.js';

export interface BestMovie {
  movie: MovieCard;
  /** The baseline rating an average user would give it, in stars. */
  score: number;
  /** Number of ratings. */
  ratings: number;
}

export interface BestMoviesView {
  /** The genre shown, spelled as in the catalog; null for all genres. */
  genre: string | null;
  /** Every genre that can be asked for, alphabetical. */
  genres: string[];
  /** Up to 48, best first. */
  best: BestMovie[];
  /** Up to 15, worst first ("the ones to skip"); never one of `best`. */
  worst: BestMovie[];
  /** Only movies with at least this many ratings are ranked. */
  minRatings: number;
}

export interface BestMoviesService {
  /** `genre`: absent or empty for all; ValidationError (listing the valid ones) for an unknown genre. */
  list(input: { genre?: unknown }): BestMoviesView;
  genres(): string[];
}

const genreInput = z.object({ genre: z.string({ error: 'Give genre once, as text.' }).max(100, 'No genre is that long.').optional() });

export function createBestMoviesService({ bestMovies, movies }: { bestMovies: BestMoviesData; movies: Movies }): BestMoviesService {
  const genres = Object.keys(bestMovies.byGenre).sort();
  const byLowerCase = new Map(genres.map((g) => [g.toLowerCase(), g]));
  const cards = (ranked: readonly RankedMovie[]): BestMovie[] => {
    const out: BestMovie[] = [];
    for (const { movieId, score, ratings } of ranked) {
      const movie = movies.card(movieId);
      if (movie) out.push({ movie, score, ratings });
    }
    return out;
  };

  return {
    genres: () => [...genres],

    list(input) {
      const parsed = genreInput.safeParse(input ?? {});
      if (!parsed.success) throw ValidationError.fromZod(parsed.error);
      const asked = parsed.data.genre?.trim() ?? '';
      let genre: string | null = null;
      if (asked !== '') {
        genre = byLowerCase.get(asked.toLowerCase()) ?? null;
        if (genre === null) {
          const message = `Unknown genre "${asked}". Choose one of: ${genres.join(', ')}.`;
          throw new ValidationError([{ field: 'genre', message }], message);
        }
      }
      const ranking = genre === null ? bestMovies.overall : bestMovies.byGenre[genre];
      return { genre, genres: [...genres], best: cards(ranking.best), worst: cards(ranking.worst), minRatings: bestMovies.minRatings };
    },
  };
}
