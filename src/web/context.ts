/** What route modules get: the services plus what createApp makes once for both front ends (API and pages). */
import type { Config } from '../config.js';
import type { Store } from '../store/index.js';
import type { Services } from './deps.js';
import type { RateLimits } from './middleware/rate-limits.js';

export interface WebContext extends Services {
  readonly config: Config;
  readonly store: Store;
  readonly rateLimits: RateLimits;
  readonly production: boolean;
}
