/** What createApp is built from. Later parts add their services here as optional fields, and mount routes for them. */
import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import type { Insights } from '../insights/insights.js';
import type { Logger } from '../log.js';
import type { EvaluationStatus } from '../operations/evaluation-report.js';
import type { Posters } from '../posters/posters.js';
import type { Store } from '../store/index.js';
import type { BestMovies } from '../recommend/best-movies.js';
import type { CurrentModel } from '../services/current-model.js';
import type { ReadinessCheck } from './health.js';

export interface AppDeps {
  config: Config;
  store: Store;
  logger: Logger;
  /** Signs session cookies; else config.SESSION_SECRET, else a random one (sessions then end at restart). */
  sessionSecret?: string;
  /** Readiness checks after the store's own ping (e.g. "model loaded"). */
  readiness?: ReadinessCheck[];
  /** The clock for sessions and accounts; Date.now unless a test fixes it. */
  now?: () => number;
  /** Movies, cards and title search. */
  catalog?: Catalog;
  /** The model quick recommendations use; the pipeline replaces it after each run. */
  currentModel?: CurrentModel;
  /** Best and worst movies, overall and per genre, computed once per dataset. */
  bestMovies?: BestMovies;
  /** Called after a user's picks change, so the embedded timer can tick right away. */
  onPicksChanged?: () => void;
  /** Runs one tick of the pipeline (POST /internal/tick). */
  tick?: () => Promise<unknown>;
  /** The charts of the insights page, computed once per dataset; no page without it. */
  insights?: Insights;
  /** The movie cards' posters; made from the config (TMDB when TMDB_API_KEY is set) when absent and there is a catalog. */
  posters?: Posters;
  /** The latest `npm run evaluate` report for the dataset served (the operations page); absent: none is looked for. */
  evaluationReport?: () => Promise<EvaluationStatus>;
}
