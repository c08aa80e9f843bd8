/**
 * Counts failures per key (an account at an address) in a fixed window, kept in the store so that every web process
 * counts together; expired counts are pruned with the sessions.
 */
import type { Store } from '../store/index.js';

export class AttemptLimiter {
  constructor(
    private readonly store: Store,
    /** Keeps this limiter's keys apart from the other limits' in the store. */
    private readonly prefix: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Whole seconds until `key` may try again; 0 when it may now. */
  async retryAfterSeconds(key: string, now: number): Promise<number> {
    const entry = await this.store.getAttempts(this.prefix + key, now);
    return entry !== null && entry.count >= this.limit ? Math.ceil((entry.expiresAt - now) / 1000) : 0;
  }

  async recordFailure(key: string, now: number): Promise<void> {
    await this.store.countAttempt(this.prefix + key, now, this.windowMs, false);
  }

  async reset(key: string): Promise<void> {
    await this.store.clearAttempts(this.prefix + key);
  }
}
