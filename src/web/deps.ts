/** What createApp is built from: the config, the store, the logger and every service, built once in src/bootstrap. */
import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import type { Insights } from '../insights/insights.js';
import type { Logger } from '../log.js';
import type { Operations } from '../operations/operations.js';
import type { Posters } from '../posters/posters.js';
import type { Accounts } from '../services/accounts.js';
import type { BestMoviesService } from '../services/best-movies.js';
import type { MoviePages } from '../services/movie-page.js';
import type { Movies } from '../services/movies.js';
import type { PickerGroups } from '../services/picker-groups.js';
import type { Picks } from '../services/picks.js';
import type { FullRecommendations } from '../services/recommendations-full.js';
import type { QuickRecommendations } from '../services/recommendations-quick.js';
import type { Reactions } from '../services/reactions.js';
import type { Settings } from '../services/settings.js';
import type { Store } from '../store/index.js';
import type { ReadinessCheck } from './health.js';

/** Every service both front ends (API and pages) use; src/bootstrap/services.ts builds them. */
export interface Services {
  readonly accounts: Accounts;
  readonly movies: Movies;
  /** A movie's page: details, "more like this", why it is recommended. */
  readonly moviePages: MoviePages;
  /** The picker's poster grid. */
  readonly pickerGroups: PickerGroups;
  readonly picks: Picks;
  readonly quick: QuickRecommendations;
  readonly full: FullRecommendations;
  readonly reactions: Reactions;
  /** The user's settings (the familiar ↔ discover step). */
  readonly settings: Settings;
  readonly bestMovies: BestMoviesService;
  readonly posters: Posters;
  readonly insights: Insights;
  readonly operations: Operations;
  /** The catalog the generated posters are drawn from. */
  readonly catalog: Pick<Catalog, 'get'>;
  /** Readiness checks after the store's own ping (e.g. "model loaded"). */
  readonly readiness: readonly ReadinessCheck[];
  /** Runs one tick of the pipeline (POST /internal/tick); null where the tick runs elsewhere (Google Cloud). */
  readonly tick: (() => Promise<unknown>) | null;
}

export interface AppDeps {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  readonly services: Services;
  /** Signs session cookies; else config.SESSION_SECRET, else a random one (sessions then end at restart). */
  readonly sessionSecret?: string;
  /** The clock for sessions and rate limits; Date.now unless a test fixes it (give the services the same one). */
  readonly now?: () => number;
}
