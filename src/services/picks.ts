/**
 * A user's picks: read them, and replace them (validated; the store bumps the generation and makes the user
 * `pending`), then compute and store the quick recommendations for that generation and tell the pipeline.
 * No HTTP here.
 */
import type { Logger } from '../log.js';
import { UserNotFoundError, type Store, type UserState } from '../store/index.js';
import { NotFoundError } from './errors.js';
import type { Movies } from './movies.js';
import { parsePicks, pickRules } from './picks-input.js';
import type { QuickRecommendations } from './recommendations-quick.js';

export interface PicksView {
  movieIds: number[];
  state: UserState;
}

export interface SavedPicks extends PicksView {
  generation: number;
  /** Whether quick recommendations were computed with the save (false when no model is loaded yet). */
  quickReady: boolean;
}

export interface PicksDeps {
  store: Store;
  movies: Movies;
  quick: QuickRecommendations;
  /** Called once after picks are saved, so the embedded timer can tick right away. */
  onPicksChanged?: () => void;
  logger?: Logger;
  now?: () => number;
}

export interface Picks {
  /** The user's current picks (empty before any) and state; NotFoundError for an unknown user. */
  get(userId: string): Promise<PicksView>;
  /**
   * Validates (ValidationError, nothing stored), saves, computes the quick recommendations when a model is loaded,
   * calls onPicksChanged. Picks must be known to the catalog; the model need not know them (the next run learns them).
   */
  save(userId: string, input: unknown): Promise<SavedPicks>;
}

export function createPicks({ store, movies, quick, onPicksChanged, logger, now = Date.now }: PicksDeps): Picks {
  return {
    async get(userId) {
      const status = await store.getUserStatus(userId);
      if (!status) throw new NotFoundError('There is no such user.');
      return { movieIds: status.movieIds, state: status.state };
    },

    async save(userId, input) {
      const movieIds = parsePicks(input, pickRules(movies));
      const prepared = quick.model();
      const status = await store.savePicks(userId, movieIds, now()).catch((err: unknown) => {
        throw err instanceof UserNotFoundError ? new NotFoundError('There is no such user.') : err;
      });
      let quickReady = false;
      if (prepared) {
        try {
          quickReady = await quick.computeAndStore(prepared, userId, status.generation, movieIds);
        } catch (err) {
          // The picks are saved; GET of the quick recommendations computes them again.
          logger?.error({ err, userId }, 'quick recommendations failed after saving picks');
        }
      }
      try {
        onPicksChanged?.();
      } catch (err) {
        logger?.error({ err }, 'onPicksChanged failed');
      }
      return { movieIds: status.movieIds, state: status.state, generation: status.generation, quickReady };
    },
  };
}
