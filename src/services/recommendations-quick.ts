/**
 * Quick recommendations: the 12 best movies for a set of picks over the current model, each with the pick it owes most
 * to. The candidates (more than 12, plain order, by the scorer of the user's "familiar ↔ discover" step: QUICK_METHOD
 * today) are stored per generation of a user's picks with their scorer, and computed again when missing, from older
 * picks or from another scorer; each read re-ranks them for the step, so moving the setting recomputes only when the
 * scorer changes. A user's 12 leave out the movies they have seen or dismissed (candidatesToShow, before the re-ranking),
 * so a reaction replaces a movie at once. When the model knows none of the picks (nobody rated them yet), the best-rated
 * movies of the picks' genres stand in. No HTTP here.
 */
import type { BestMovies as BestMoviesData } from '../recommend/best-movies.js';
import type { PreparedModel } from '../recommend/foldin.js';
import { quickRecommend } from '../recommend/quick.js';
import { CANDIDATE_COUNT } from '../recommend/rerank/index.js';
import type { QuickItem, Store } from '../store/index.js';
import type { CurrentModel } from './current-model.js';
import { DEFAULT_DISCOVERY_STEP, discoveryStepInput, type Discovery, type DiscoveryStep, type QuickScorerChoice } from './discovery.js';
import { ConflictError, ModelUnavailableError, NotFoundError, ValidationError } from './errors.js';
import type { MovieCard, Movies } from './movies.js';
import { parsePicks, pickRules } from './picks-input.js';
import { candidatesToShow } from './reactions.js';
import type { Settings } from './settings.js';

export const QUICK_COUNT = 12;
/** Candidates kept per user for re-ranking (as many as the re-ranking stage starts from), also what reacted movies are replaced from. */
export const QUICK_CANDIDATE_COUNT = CANDIDATE_COUNT;

export interface QuickRecommendation {
  movie: MovieCard;
  /** The model's score (basis `picks`), or the movie's baseline rating in stars (basis `genres`). */
  score: number;
  /** The picked movie that contributed most (for `genres`: the pick whose genre it is). */
  because: MovieCard;
}

/**
 * What the 12 were made from: `picks` — the model scored them from the picks it knows; `genres` — it knows none of
 * the picks yet (nobody rated them), so these are the best-rated movies of the picks' genres.
 */
export type QuickBasis = 'picks' | 'genres';

export interface QuickList {
  basis: QuickBasis;
  /** Picks the model in service lacks (nobody had rated them when it was trained): not used here, learnt by the next batch run. */
  unratedPicks: MovieCard[];
  /** The step the list is ranked for. */
  discoveryStep: DiscoveryStep;
  items: QuickRecommendation[];
}

export interface QuickRecommendationsDeps {
  store: Store;
  movies: Movies;
  /** The dataset's best movies per genre: the stand-in when the model knows none of the picks. */
  bestMovies: BestMoviesData;
  settings: Pick<Settings, 'get'>;
  /** The scorer of each step's candidates and the re-ranking of what is shown. */
  discovery: Discovery;
  currentModel?: CurrentModel;
  now?: () => number;
}

export interface QuickRecommendations {
  /** The model in use right now, or null; take it once per request so a swap never mixes two models. */
  model(): PreparedModel | null;
  /** The candidates by `scorer` for already validated picks, plain order (picks the model lacks are left out; none usable: []). */
  compute(prepared: PreparedModel, movieIds: readonly number[], scorer: QuickScorerChoice): QuickItem[];
  /** compute() with the scorer of the user's step and store the result for that generation of the picks; false when the picks moved on. */
  computeAndStore(prepared: PreparedModel, userId: string, generation: number, movieIds: readonly number[]): Promise<boolean>;
  /**
   * The user's 12 for their step: from the stored candidates of the current picks and the step's scorer, else (or when
   * the model has since learnt picks it lacked) computed now and stored.
   * ConflictError when the user has no picks yet; ModelUnavailableError when they must be computed and no model is loaded.
   */
  forUser(userId: string): Promise<QuickList>;
  /**
   * The 12 for any picks (and optionally a `discoveryStep`), no account involved: validated like saved picks
   * (ValidationError), then computed. ModelUnavailableError when no model is loaded.
   */
  forPicks(input: unknown): QuickList;
  /** Stored items as cards (movies the catalog lacks are skipped). */
  toCards(items: readonly QuickItem[]): QuickRecommendation[];
}

export function createQuickRecommendations(deps: QuickRecommendationsDeps): QuickRecommendations {
  const { store, movies, bestMovies, settings, discovery, currentModel, now = Date.now } = deps;

  const compute = (prepared: PreparedModel, movieIds: readonly number[], scorer: QuickScorerChoice): QuickItem[] => {
    // A pick nobody rated has no factors until a batch run has learnt from it: the others are scored.
    const usable = movieIds.filter((id) => prepared.itemIndex.has(id));
    if (usable.length === 0) return [];
    // A few extra in case the catalog lacks one of the model's movies (a model trained on another dataset).
    const ranked = quickRecommend(prepared, usable, QUICK_CANDIDATE_COUNT + 4, scorer.options(prepared));
    return ranked
      .filter((r) => movies.has(r.movieId))
      .slice(0, QUICK_CANDIDATE_COUNT)
      .map(({ movieId, score, because }) => ({ movieId, score, because }));
  };

  /** The best-rated movies of the picks' genres (picks excluded), best first; `because` is the first pick of that genre. */
  const genreCandidates = (movieIds: readonly number[]): QuickItem[] => {
    const picked = new Set(movieIds);
    const byMovie = new Map<number, QuickItem>();
    for (const pick of movieIds) {
      for (const genre of movies.card(pick)?.genres ?? []) {
        for (const { movieId, score } of bestMovies.byGenre[genre]?.best ?? []) {
          if (!picked.has(movieId) && !byMovie.has(movieId) && movies.has(movieId)) byMovie.set(movieId, { movieId, score, because: pick });
        }
      }
    }
    return [...byMovie.values()].sort((a, b) => b.score - a.score || a.movieId - b.movieId);
  };

  const toCards = (items: readonly QuickItem[]): QuickRecommendation[] => {
    const out: QuickRecommendation[] = [];
    for (const item of items) {
      const movie = movies.card(item.movieId);
      const because = movies.card(item.because);
      if (movie && because) out.push({ movie, score: item.score, because });
    }
    return out;
  };

  /** What the 12 are chosen from: the model's candidates, or (none: it knew none of the picks) genre stand-ins. */
  const poolOf = (candidates: readonly QuickItem[], movieIds: readonly number[]): { basis: QuickBasis; pool: readonly QuickItem[] } =>
    candidates.length > 0 ? { basis: 'picks', pool: candidates } : { basis: 'genres', pool: genreCandidates(movieIds) };

  /** The 12 shown from this pool for this step. */
  const shown = (
    { basis, pool }: { basis: QuickBasis; pool: readonly QuickItem[] },
    movieIds: readonly number[],
    discoveryStep: DiscoveryStep,
    prepared: PreparedModel | null,
  ): QuickList => {
    const unrated = basis === 'genres' ? movieIds : prepared ? movieIds.filter((id) => !prepared.itemIndex.has(id)) : [];
    return {
      basis,
      unratedPicks: movies.cards(unrated),
      discoveryStep,
      // Genre stand-ins are best-rated lists, not the model's candidates: they keep their order.
      items: toCards(basis === 'picks' ? discovery.shown(pool, movieIds, discoveryStep, QUICK_COUNT) : pool.slice(0, QUICK_COUNT)),
    };
  };

  /** A user's 12: the pool without the movies they have seen or dismissed, then re-ranked. */
  const shownToUser = async (
    userId: string,
    candidates: readonly QuickItem[],
    movieIds: readonly number[],
    discoveryStep: DiscoveryStep,
    prepared: PreparedModel | null,
  ): Promise<QuickList> => {
    const { basis, pool } = poolOf(candidates, movieIds);
    return shown({ basis, pool: await candidatesToShow(store, userId, pool) }, movieIds, discoveryStep, prepared);
  };

  const scorerFor = (step: DiscoveryStep): QuickScorerChoice => discovery.scorerFor(step);

  const computeAndStore = async (prepared: PreparedModel, userId: string, generation: number, movieIds: readonly number[]) => {
    const scorer = scorerFor((await settings.get(userId)).discoveryStep);
    return store.saveQuickRecommendations(userId, generation, compute(prepared, movieIds, scorer), now(), scorer.key);
  };

  return {
    model: () => currentModel?.get() ?? null,
    compute,
    computeAndStore,
    toCards,

    forPicks(input) {
      const movieIds = parsePicks(input, pickRules(movies));
      const step = stepOfBody(input);
      const prepared = currentModel?.get() ?? null;
      if (!prepared) throw new ModelUnavailableError();
      return shown(poolOf(compute(prepared, movieIds, scorerFor(step)), movieIds), movieIds, step, prepared);
    },

    async forUser(userId) {
      const status = await store.getUserStatus(userId);
      if (!status) throw new NotFoundError('There is no such user.');
      if (status.generation === 0 || status.movieIds.length === 0) {
        throw new ConflictError('Pick at least 5 movies first: quick recommendations are made from your picks.');
      }
      const { discoveryStep } = await settings.get(userId);
      const scorer = scorerFor(discoveryStep);
      const stored = await store.getQuickRecommendations(userId);
      const prepared = currentModel?.get() ?? null;
      if (stored && stored.generation === status.generation) {
        // Genre stand-ins last only while the model knows none of the picks: once a run has learnt one, compute again.
        const outgrown = stored.items.length === 0 && prepared !== null && status.movieIds.some((id) => prepared.itemIndex.has(id));
        // Another scorer's candidates serve only while no model is loaded to compute this step's.
        if (!outgrown && (stored.method === scorer.key || prepared === null)) return shownToUser(userId, stored.items, status.movieIds, discoveryStep, prepared);
      }
      if (!prepared) throw new ModelUnavailableError();
      const candidates = compute(prepared, status.movieIds, scorer);
      await store.saveQuickRecommendations(userId, status.generation, candidates, now(), scorer.key);
      return shownToUser(userId, candidates, status.movieIds, discoveryStep, prepared);
    },
  };
}

/** The optional `discoveryStep` of a picks body (the default when absent); ValidationError naming the field otherwise. */
function stepOfBody(input: unknown): DiscoveryStep {
  const value = typeof input === 'object' && input !== null ? (input as Record<string, unknown>).discoveryStep : undefined;
  if (value === undefined) return DEFAULT_DISCOVERY_STEP;
  const parsed = discoveryStepInput.safeParse(value);
  if (!parsed.success) throw new ValidationError([{ field: 'discoveryStep', message: parsed.error.issues[0].message }]);
  return parsed.data;
}
