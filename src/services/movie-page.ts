/**
 * Everything a movie's page shows: the movie with its tags and ratings, "more like this" (the model's item
 * similarities to this one movie, through the re-ranking stage of the user's "familiar ↔ discover" step), and, when
 * the movie is in the user's current 12, the pick it is there because of. No HTTP here.
 */
import type { Catalog } from '../catalog/catalog.js';
import { quickScorer } from '../recommend/quick.js';
import { candidatesFromScorer, discoverySetting, rerank } from '../recommend/rerank/index.js';
import type { CurrentModel } from './current-model.js';
import { DEFAULT_DISCOVERY_STEP, type Discovery, type DiscoveryStep } from './discovery.js';
import { ConflictError, ModelUnavailableError, NotFoundError } from './errors.js';
import type { MovieCard, Movies } from './movies.js';
import type { QuickRecommendations } from './recommendations-quick.js';
import type { Settings } from './settings.js';

/** How many "more like this". */
export const MORE_LIKE_THIS_COUNT = 12;

export interface MovieDetails extends MovieCard {
  /** MovieLens tags, most frequent first. */
  readonly tags: readonly string[];
  /** Mean rating in stars (0.5–5), null when nobody rated it. */
  readonly averageRating: number | null;
  readonly ratingCount: number;
}

export interface SimilarMovie {
  readonly movie: MovieCard;
  /** The model's score for this movie as the only pick. */
  readonly score: number;
  /** The movie they are like (the page's own movie). */
  readonly because: MovieCard;
}

export interface MoviePage {
  readonly movie: MovieDetails;
  /** Empty when no model is loaded or the model has not learnt this movie yet (nobody rated it). */
  readonly moreLikeThis: SimilarMovie[];
  /** The step "more like this" is ranked for. */
  readonly discoveryStep: DiscoveryStep;
  /** When the movie is among the user's current 12: the pick it owes most to; else null. */
  readonly recommendedBecause: MovieCard | null;
}

export interface MoviePages {
  /** ValidationError for a malformed id, NotFoundError for an unknown one. `userId`: the signed-in user, if any. */
  page(idText: unknown, userId: string | null): Promise<MoviePage>;
}

export interface MoviePagesDeps {
  movies: Movies;
  catalog: Pick<Catalog, 'get' | 'popularity' | 'averageRating'>;
  currentModel?: CurrentModel;
  quick: Pick<QuickRecommendations, 'forUser'>;
  settings: Pick<Settings, 'get'>;
  /** The scorer of each step, as the quick 12 use it. */
  discovery: Pick<Discovery, 'scorerFor' | 'factsOf'>;
}

export function createMoviePages({ movies, catalog, currentModel, quick, settings, discovery }: MoviePagesDeps): MoviePages {
  const moreLikeThis = (movie: MovieCard, step: DiscoveryStep): SimilarMovie[] => {
    const prepared = currentModel?.get() ?? null;
    if (!prepared || !prepared.itemIndex.has(movie.id)) return [];
    const candidates = candidatesFromScorer(quickScorer(prepared, [movie.id], discovery.scorerFor(step).options(prepared)));
    // A few extra in case the catalog lacks one of the model's movies (a model trained on another dataset).
    const ranked = rerank(candidates, discovery.factsOf(prepared), discoverySetting(step).rerank, MORE_LIKE_THIS_COUNT + 4);
    const out: SimilarMovie[] = [];
    for (const { item, score } of ranked) {
      const similar = movies.card(prepared.model.itemIds[item]);
      if (similar && out.length < MORE_LIKE_THIS_COUNT) out.push({ movie: similar, score, because: movie });
    }
    return out;
  };

  const recommendedBecause = async (movieId: number, userId: string | null): Promise<MovieCard | null> => {
    if (userId === null) return null;
    try {
      const list = await quick.forUser(userId);
      return list.items.find((item) => item.movie.id === movieId)?.because ?? null;
    } catch (err) {
      // No picks yet, or no model to compute them with: the movie is in no list of theirs.
      if (err instanceof ConflictError || err instanceof ModelUnavailableError || err instanceof NotFoundError) return null;
      throw err;
    }
  };

  return {
    async page(idText, userId) {
      const card = movies.get(idText);
      const discoveryStep = userId === null ? DEFAULT_DISCOVERY_STEP : (await settings.get(userId)).discoveryStep;
      const movie: MovieDetails = {
        ...card,
        tags: catalog.get(card.id)?.tags ?? [],
        averageRating: catalog.averageRating(card.id),
        ratingCount: catalog.popularity(card.id),
      };
      return { movie, moreLikeThis: moreLikeThis(card, discoveryStep), discoveryStep, recommendedBecause: await recommendedBecause(card.id, userId) };
    },
  };
}
