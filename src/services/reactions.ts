/**
 * A user's reactions to movies: "seen it" (optionally 1–5 stars), "not interested", and the watchlist. Seen and
 * not-interested movies leave the quick 12 and the 48 at once (candidatesToShow, the one filter both lists use) and go
 * into the next batch run (the store sends the user back to `pending`). No HTTP here.
 */
import { UserNotFoundError, type Reaction, type ReactionKind, type Store } from '../store/index.js';
import { NotFoundError } from './errors.js';
import type { MovieCard, Movies } from './movies.js';
import { parseMovieId, parseReaction } from './reactions-input.js';

/** Kinds whose movies are never shown again in the user's recommendations. */
const HIDING_KINDS: ReadonlySet<ReactionKind> = new Set(['seen', 'not_interested']);

export interface ReactionView {
  movie: MovieCard;
  kind: ReactionKind;
  rating: number | null;
  updatedAt: number;
}

export interface Reactions {
  /** The user's reactions, newest first (movies the catalog lacks are left out). */
  list(userId: string): Promise<ReactionView[]>;
  /** The watchlist, newest first. */
  watchlist(userId: string): Promise<ReactionView[]>;
  /** The reaction per movie id, for showing each card's buttons in their state. */
  byMovie(userId: string): Promise<Map<number, Reaction>>;
  /**
   * Sets the reaction to a movie (ValidationError naming the field, NotFoundError for a movie the catalog lacks or an
   * unknown user; nothing is stored then).
   */
  react(userId: string, movieId: unknown, body: unknown): Promise<ReactionView>;
  /** Removes the reaction to a movie; false when there was none. ValidationError for a malformed id. */
  remove(userId: string, movieId: unknown): Promise<boolean>;
}

export interface ReactionsDeps {
  store: Store;
  movies: Movies;
  /** Called after a reaction is saved or removed, so the embedded timer can tick right away. */
  onReactionsChanged?: () => void;
  now?: () => number;
}

/** The candidates the lists may show: the stored ones without movies the user has seen or is not interested in. */
export async function candidatesToShow<T extends { movieId: number }>(store: Store, userId: string, candidates: readonly T[]): Promise<T[]> {
  const hidden = new Set((await store.listReactions(userId)).filter((r) => HIDING_KINDS.has(r.kind)).map((r) => r.movieId));
  return hidden.size === 0 ? [...candidates] : candidates.filter((c) => !hidden.has(c.movieId));
}

export function createReactions({ store, movies, onReactionsChanged, now = Date.now }: ReactionsDeps): Reactions {
  const view = (r: Reaction): ReactionView | null => {
    const movie = movies.card(r.movieId);
    return movie ? { movie, kind: r.kind, rating: r.rating, updatedAt: r.updatedAt } : null;
  };
  const list = async (userId: string) => (await store.listReactions(userId)).map(view).filter((v) => v !== null);

  return {
    list,
    async watchlist(userId) {
      return (await list(userId)).filter((r) => r.kind === 'watchlist');
    },
    async byMovie(userId) {
      return new Map((await store.listReactions(userId)).map((r) => [r.movieId, r]));
    },
    async react(userId, movieIdInput, body) {
      const movieId = parseMovieId(movieIdInput);
      const reaction = parseReaction(movieId, body);
      const movie = movies.card(movieId);
      if (!movie) throw new NotFoundError(`There is no movie with id ${movieId}.`);
      const at = now();
      await store.saveReaction(userId, reaction, at).catch((err: unknown) => {
        throw err instanceof UserNotFoundError ? new NotFoundError('There is no such user.') : err;
      });
      onReactionsChanged?.();
      return { movie, kind: reaction.kind, rating: reaction.rating, updatedAt: at };
    },
    async remove(userId, movieIdInput) {
      const removed = await store.deleteReaction(userId, parseMovieId(movieIdInput), now());
      if (removed) onReactionsChanged?.();
      return removed;
    },
  };
}
