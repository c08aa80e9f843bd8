/**
 * Every service the app runs on, built once from the parts start-up has loaded (store, catalog, model holder, the
 * dataset's best movies and insights). The only place in src that constructs them: the server (movie-hunter.ts) and
 * the tests (test/support/services.ts) both come through here.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import type { Insights } from '../insights/insights.js';
import type { Logger } from '../log.js';
import type { EvaluationStatus } from '../operations/evaluation-report.js';
import { createOperations } from '../operations/operations.js';
import { createPosters } from '../posters/posters.js';
import type { BestMovies } from '../recommend/best-movies.js';
import { createAccounts } from '../services/accounts.js';
import { createBestMoviesService } from '../services/best-movies.js';
import type { CurrentModel } from '../services/current-model.js';
import { createDiscovery } from '../services/discovery.js';
import { createMoviePages } from '../services/movie-page.js';
import { createMovies } from '../services/movies.js';
import { createPickerGroups } from '../services/picker-groups.js';
import { createPicks } from '../services/picks.js';
import { createFullRecommendations } from '../services/recommendations-full.js';
import { createQuickRecommendations } from '../services/recommendations-quick.js';
import { createReactions } from '../services/reactions.js';
import { createSettings } from '../services/settings.js';
import type { Store } from '../store/index.js';
import type { Services } from '../web/deps.js';

export type { Services } from '../web/deps.js';

export interface ServiceParts {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  /** Movies, cards and title search. */
  readonly catalog: Catalog;
  /** Best and worst movies, overall and per genre, computed once per dataset. */
  readonly bestMovies: BestMovies;
  /** The charts of the insights page, computed once per dataset. */
  readonly insights: Insights;
  /** The model quick recommendations use; the pipeline replaces it after each run. */
  readonly currentModel: CurrentModel;
  /** The latest `npm run evaluate` report for the dataset served (the operations page); absent: none is looked for. */
  readonly evaluationReport?: () => Promise<EvaluationStatus>;
  /** Called after a user's picks or reactions change, so the embedded timer can tick right away. */
  readonly onPicksChanged: () => void;
  /** Runs one tick of the pipeline here; null where the tick runs elsewhere (Google Cloud). */
  readonly tick: (() => Promise<unknown>) | null;
  /** The clock of accounts, picks, recommendations, posters and operations; Date.now unless a test fixes it. */
  readonly now?: () => number;
}

export function buildServices(parts: ServiceParts): Services {
  const { config, store, logger, catalog, currentModel } = parts;
  const now = parts.now ?? Date.now;
  const movies = createMovies(catalog);
  const settings = createSettings({ store });
  const discovery = createDiscovery(catalog, config.QUICK_METHOD);
  const quick = createQuickRecommendations({ store, movies, bestMovies: parts.bestMovies, settings, discovery, currentModel, now });
  return {
    accounts: createAccounts({ store, bcryptCost: config.BCRYPT_COST, now }),
    movies,
    moviePages: createMoviePages({ movies, catalog, currentModel, quick, settings, discovery }),
    pickerGroups: createPickerGroups(catalog, movies),
    quick,
    picks: createPicks({ store, movies, quick, onPicksChanged: parts.onPicksChanged, logger, now }),
    full: createFullRecommendations({ store, movies, settings, discovery }),
    settings,
    reactions: createReactions({ store, movies, onReactionsChanged: parts.onPicksChanged, now }),
    bestMovies: createBestMoviesService({ bestMovies: parts.bestMovies, movies }),
    posters: createPosters({ config, store, catalog, logger, now }),
    insights: parts.insights,
    operations: createOperations({ store, currentModel, evaluation: parts.evaluationReport, now }),
    catalog,
    readiness: [
      {
        name: 'model',
        check: () => {
          if (!currentModel.get()) throw new Error('no model loaded yet');
        },
      },
    ],
    tick: parts.tick,
  };
}
