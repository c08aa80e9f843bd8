/** What createApp is built from. Later parts add their services here as optional fields, and mount routes for them. */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
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
  // To come, each optional so the app runs without it: catalog (movies, title search), recommendations
  // (quick and full), pipeline (tick, run history).
}
