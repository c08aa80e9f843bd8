/**
 * Log-in failures against one account from every address together. Past `freeFailures`, an address the account has
 * not logged in from waits twice as long after each further failure (1 s, 2 s, 4 s … at most `maxWaitMs`), so guesses
 * spread over many addresses slow down; an address the owner has logged in from is never made to wait, so strangers
 * cannot lock the owner out. Kept in the store, like AttemptLimiter, so every web process sees the same counts.
 */
import type { Store } from '../store/index.js';

const KEY_PREFIX = 'account:';

export class AccountBackoff {
  constructor(
    private readonly store: Store,
    private readonly freeFailures: number,
    private readonly maxWaitMs: number,
    private readonly addressesPerAccount = 4,
  ) {}

  /** Whole seconds `address` must wait before trying `account` again; 0 when it may now. */
  async retryAfterSeconds(account: string, address: string, now: number): Promise<number> {
    if (await this.store.isKnownLoginAddress(account, address)) return 0;
    // A sliding window of maxWaitMs: the failures are forgotten once that long has passed since the last one.
    const entry = await this.store.getAttempts(KEY_PREFIX + account, now);
    if (!entry || entry.count < this.freeFailures) return 0;
    const wait = Math.min(this.maxWaitMs, 1000 * 2 ** Math.min(30, entry.count - this.freeFailures));
    const left = entry.lastAt + wait - now;
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  async recordFailure(account: string, now: number): Promise<void> {
    await this.store.countAttempt(KEY_PREFIX + account, now, this.maxWaitMs, true);
  }

  /** The owner is in: this address is trusted for the account from now on. Past failures still count for other addresses. */
  async recordSuccess(account: string, address: string, now: number): Promise<void> {
    await this.store.rememberLoginAddress(account, address, this.addressesPerAccount, now);
  }
}
