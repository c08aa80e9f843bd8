/** What route modules get: the deps plus the things createApp makes once for both front ends (API and pages). */
import type { Accounts } from '../services/accounts.js';
import type { AppDeps } from './deps.js';
import type { RateLimits } from './middleware/rate-limits.js';

export interface WebContext {
  deps: AppDeps;
  accounts: Accounts;
  rateLimits: RateLimits;
  production: boolean;
}
