/** What route modules get: the deps plus the things createApp makes once for both front ends (API and pages). */
import type { Operations } from '../operations/operations.js';
import type { Posters } from '../posters/posters.js';
import type { Accounts } from '../services/accounts.js';
import type { AppDeps } from './deps.js';
import type { RateLimits } from './middleware/rate-limits.js';

export interface WebContext {
  deps: AppDeps;
  accounts: Accounts;
  rateLimits: RateLimits;
  production: boolean;
  /** The movie cards' posters; null without a catalog. */
  posters: Posters | null;
  operations: Operations;
}
