/** express-rate-limit's counts kept in the store (a fixed window per key), so every web process counts together. */
import type { ClientRateLimitInfo, Options, Store as RateLimitStore } from 'express-rate-limit';
import type { AttemptCount, Store } from '../store/index.js';

export class SharedRateLimitStore implements RateLimitStore {
  /** Counts in one process would let each worker allow the whole limit. */
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly store: Store,
    /** Keeps this limit's keys apart from the other limits' in the store. */
    readonly prefix: string,
    private readonly now: () => number,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const entry = await this.store.getAttempts(this.prefix + key, this.now());
    return entry === null ? undefined : infoOf(entry);
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    return infoOf(await this.store.countAttempt(this.prefix + key, this.now(), this.windowMs, false));
  }

  async decrement(key: string): Promise<void> {
    await this.store.uncountAttempt(this.prefix + key, this.now());
  }

  async resetKey(key: string): Promise<void> {
    await this.store.clearAttempts(this.prefix + key);
  }
}

function infoOf(entry: AttemptCount): ClientRateLimitInfo {
  return { totalHits: entry.count, resetTime: new Date(entry.expiresAt) };
}
