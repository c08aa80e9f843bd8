/**
 * Quick recommendations: the 12 best movies for a set of picks, by the configured method (QUICK_METHOD) over the
 * current model, each with the pick it owes most to. The model's candidates (more than 12) are stored per generation
 * of a user's picks and recomputed when missing (or from older picks); each read shows the best 12 the user has not
 * seen or dismissed (candidatesToShow), so a reaction replaces a movie at once. No HTTP here.
 */
import type { PreparedModel } from '../recommend/foldin.js';
import { quickRecommend, type QuickMethod } from '../recommend/quick.js';
import type { CurrentModel } from './current-model.js';
import type { QuickItem, Store } from '../store/index.js';
import { ConflictError, ModelUnavailableError, NotFoundError } from './errors.js';
import type { MovieCard, Movies } from './movies.js';
import { parsePicks, pickRules } from './picks-input.js';
import { candidatesToShow } from './reactions.js';

export const QUICK_COUNT = 12;
/** Candidates kept per user, so movies the user reacts to are replaced from them. */
export const QUICK_CANDIDATE_COUNT = 300;

export interface QuickRecommendation {
  movie: MovieCard;
  score: number;
  /** The picked movie that contributed most. */
  because: MovieCard;
}

export interface QuickRecommendationsDeps {
  store: Store;
  movies: Movies;
  currentModel?: CurrentModel;
  method: QuickMethod;
  now?: () => number;
}

export interface QuickRecommendations {
  /** The model in use right now, or null; take it once per request so a swap never mixes two models. */
  model(): PreparedModel | null;
  /** The candidates for already validated picks with this model, best first (picks the model lacks are left out). */
  compute(prepared: PreparedModel, movieIds: readonly number[]): QuickItem[];
  /** compute() and store the result for that generation of the user's picks; false when the picks moved on. */
  computeAndStore(prepared: PreparedModel, userId: string, generation: number, movieIds: readonly number[]): Promise<boolean>;
  /**
   * The user's 12: stored ones for the current picks, else computed now (and stored).
   * ConflictError when the user has no picks yet; ModelUnavailableError when they must be computed and no model is loaded.
   */
  forUser(userId: string): Promise<QuickRecommendation[]>;
  /**
   * The 12 for any picks, no account involved: validated like saved picks (ValidationError), then computed.
   * ModelUnavailableError when no model is loaded.
   */
  forPicks(input: unknown): QuickRecommendation[];
  /** The first 12 of stored items as cards (movies the catalog lacks are skipped). */
  toCards(items: readonly QuickItem[]): QuickRecommendation[];
}

export function createQuickRecommendations({ store, movies, currentModel, method, now = Date.now }: QuickRecommendationsDeps): QuickRecommendations {
  const compute = (prepared: PreparedModel, movieIds: readonly number[]): QuickItem[] => {
    // Validation checked the picks against the model of that moment; a newer model may lack one of them.
    const usable = movieIds.filter((id) => prepared.itemIndex.has(id));
    if (usable.length === 0) return [];
    // A few extra in case the catalog lacks one of the model's movies (a model trained on another dataset).
    const ranked = quickRecommend(prepared, usable, QUICK_CANDIDATE_COUNT + 4, { method });
    return ranked
      .filter((r) => movies.has(r.movieId))
      .slice(0, QUICK_CANDIDATE_COUNT)
      .map(({ movieId, score, because }) => ({ movieId, score, because }));
  };

  const toCards = (items: readonly QuickItem[]): QuickRecommendation[] => {
    const out: QuickRecommendation[] = [];
    for (const item of items.slice(0, QUICK_COUNT)) {
      const movie = movies.card(item.movieId);
      const because = movies.card(item.because);
      if (movie && because) out.push({ movie, score: item.score, because });
    }
    return out;
  };

  const computeAndStore = async (prepared: PreparedModel, userId: string, generation: number, movieIds: readonly number[]) =>
    store.saveQuickRecommendations(userId, generation, compute(prepared, movieIds), now());

  return {
    model: () => currentModel?.get() ?? null,
    compute,
    computeAndStore,
    toCards,

    forPicks(input) {
      const prepared = currentModel?.get() ?? null;
      const movieIds = parsePicks(input, pickRules(movies, prepared));
      if (!prepared) throw new ModelUnavailableError();
      return toCards(compute(prepared, movieIds));
    },

    async forUser(userId) {
      const status = await store.getUserStatus(userId);
      if (!status) throw new NotFoundError('There is no such user.');
      if (status.generation === 0 || status.movieIds.length === 0) {
        throw new ConflictError('Pick at least 5 movies first: quick recommendations are made from your picks.');
      }
      const stored = await store.getQuickRecommendations(userId);
      if (stored && stored.generation === status.generation) return toCards(await candidatesToShow(store, userId, stored.items));
      const prepared = currentModel?.get() ?? null;
      if (!prepared) throw new ModelUnavailableError();
      const items = compute(prepared, status.movieIds);
      await store.saveQuickRecommendations(userId, status.generation, items, now());
      return toCards(await candidatesToShow(store, userId, items));
    },
  };
}
