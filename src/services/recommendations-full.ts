/**
 * Full recommendations (48 shown, chosen from the candidates a batch run computed, each with the pick it owes most
 * to) and, until they are ready, where the user stands:
 * pending with a queue position, running, or failed with the reason. Results of older picks are never shown
 * (the store drops them when picks change; the generation is checked again here). A reaction sends the user back to
 * `pending` but keeps the results: they are shown meanwhile, without the movies reacted to. No HTTP here.
 */
import type { Store, UserState } from '../store/index.js';
import type { Discovery, DiscoveryStep } from './discovery.js';
import { NotFoundError } from './errors.js';
import { userFailureReason } from './failure-reason.js';
import { candidatesToShow } from './reactions.js';
import type { MovieCard, Movies } from './movies.js';
import type { Settings } from './settings.js';

export const FULL_COUNT = 48;

export interface FullRecommendation {
  movie: MovieCard;
  score: number;
  /** The picked movie that contributed most. */
  because: MovieCard;
}

export interface RecommendationsView {
  state: UserState;
  /** The step the items are ranked for. */
  discoveryStep: DiscoveryStep;
  /**
   * When a run has computed them for the current picks: `ready`, or `pending`/`running`/`failed` again after a
   * reaction while the next run brings them up to date.
   */
  items?: FullRecommendation[];
  /**
   * While `pending`: how many pending users may be ahead in the queue (ticks claim the oldest first). An upper bound:
   * someone ahead who changed their picks again may still be counted until the next claim.
   */
  position?: number;
  /** While `failed` (or pending again after a failed attempt): why the last attempt failed, in user words. */
  reason?: string;
  /** Failed attempts at the current picks. */
  attempts: number;
  /** When the state last changed (epoch ms). */
  updatedAt: number;
}

export interface FullRecommendations {
  /** NotFoundError for an unknown user. */
  forUser(userId: string): Promise<RecommendationsView>;
}

export interface FullRecommendationsDeps {
  store: Store;
  movies: Movies;
  settings: Pick<Settings, 'get'>;
  /** The re-ranking of the stored candidates for the user's step. */
  discovery: Discovery;
}

export function createFullRecommendations({ store, movies, settings, discovery }: FullRecommendationsDeps): FullRecommendations {
  return {
    async forUser(userId) {
      // The status with the queue position: a constant number of store reads per poll, whatever the number of users.
      const status = await store.getQueuedUserStatus(userId);
      if (!status) throw new NotFoundError('There is no such user.');
      const { discoveryStep } = await settings.get(userId);
      const view: RecommendationsView = { state: status.state, discoveryStep, attempts: status.attempts, updatedAt: status.updatedAt };
      if (status.error !== null && (status.state === 'failed' || status.state === 'pending')) view.reason = userFailureReason(status.error);

      const recs = status.state === 'none' ? null : await store.getRecommendations(userId);
      if (recs && recs.generation === status.generation) {
        // Seen and dismissed movies leave first (candidatesToShow), then the re-ranking; only candidates the catalog can
        // show take part, so 48 are shown even if one is missing from it.
        const showable = (await candidatesToShow(store, userId, recs.candidates)).filter((c) => movies.has(c.movieId) && movies.has(c.because));
        view.items = [];
        for (const { movieId, score, because } of discovery.shown(showable, status.movieIds, discoveryStep, FULL_COUNT)) {
          const movie = movies.card(movieId);
          const picked = movies.card(because);
          if (movie && picked) view.items.push({ movie, score, because: picked });
        }
      } else if (status.state === 'ready') {
        // Ready without results for these picks cannot happen through the store; show it as waiting, not as empty.
        view.state = 'pending';
      }
      if (view.state === 'pending') view.position = status.queuePosition ?? 0;
      return view;
    },
  };
}
