/**
 * The movie and recommendation services, made once per app (cached on the deps object) so the API and the pages
 * share one instance. Null without a catalog: nothing to search, pick or recommend, and the routes are not mounted.
 */
import { createBestMoviesService, type BestMoviesService } from '../../services/best-movies.js';
import { createMovies, type Movies } from '../../services/movies.js';
import { createPicks, type Picks } from '../../services/picks.js';
import { createFullRecommendations, type FullRecommendations } from '../../services/recommendations-full.js';
import { createQuickRecommendations, type QuickRecommendations } from '../../services/recommendations-quick.js';
import type { WebContext } from '../context.js';
import type { AppDeps } from '../deps.js';

export interface RecommenderServices {
  movies: Movies;
  picks: Picks;
  quick: QuickRecommendations;
  full: FullRecommendations;
  /** Null when no best-movies lists were computed (the deps lack them). */
  bestMovies: BestMoviesService | null;
}

const made = new WeakMap<AppDeps, RecommenderServices | null>();

export function recommenderServices({ deps }: WebContext): RecommenderServices | null {
  if (!made.has(deps)) made.set(deps, build(deps));
  return made.get(deps)!;
}

function build(deps: AppDeps): RecommenderServices | null {
  const { catalog, store, config, currentModel, logger } = deps;
  if (!catalog) return null;
  const now = deps.now ?? Date.now;
  const movies = createMovies(catalog);
  const quick = createQuickRecommendations({ store, movies, currentModel, method: config.QUICK_METHOD, now });
  return {
    movies,
    quick,
    picks: createPicks({ store, movies, quick, onPicksChanged: () => deps.onPicksChanged?.(), logger, now }),
    full: createFullRecommendations({ store, movies }),
    bestMovies: deps.bestMovies ? createBestMoviesService({ bestMovies: deps.bestMovies, movies }) : null,
  };
}
