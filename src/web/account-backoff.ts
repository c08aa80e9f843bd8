/**
 * Log-in failures against one account from every address together. Past `freeFailures`, an address the account has
 * not logged in from waits twice as long after each further failure (1 s, 2 s, 4 s … at most `maxWaitMs`), so guesses
 * spread over many addresses slow down; an address the owner has logged in from is never made to wait, so strangers
 * cannot lock the owner out. In memory and bounded, like AttemptLimiter.
 */
export class AccountBackoff {
  private readonly failures = new Map<string, { count: number; lastAt: number }>();
  /** Addresses each account last logged in from successfully (the most recent few). */
  private readonly knownAddresses = new Map<string, string[]>();

  constructor(
    private readonly freeFailures: number,
    private readonly maxWaitMs: number,
    private readonly maxKeys = 10_000,
    private readonly addressesPerAccount = 4,
  ) {}

  /** Whole seconds `address` must wait before trying `account` again; 0 when it may now. */
  retryAfterSeconds(account: string, address: string, now: number): number {
    if (this.knownAddresses.get(account)?.includes(address)) return 0;
    const entry = this.current(account, now);
    if (!entry || entry.count < this.freeFailures) return 0;
    const wait = Math.min(this.maxWaitMs, 1000 * 2 ** Math.min(30, entry.count - this.freeFailures));
    const left = entry.lastAt + wait - now;
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  recordFailure(account: string, now: number): void {
    const entry = this.current(account, now);
    this.failures.delete(account); // re-inserted last: Map order is what eviction goes by
    bounded(this.failures, this.maxKeys);
    this.failures.set(account, { count: (entry?.count ?? 0) + 1, lastAt: now });
  }

  /** The owner is in: this address is trusted for the account from now on. Past failures still count for other addresses. */
  recordSuccess(account: string, address: string): void {
    const known = (this.knownAddresses.get(account) ?? []).filter((a) => a !== address);
    this.knownAddresses.delete(account);
    bounded(this.knownAddresses, this.maxKeys);
    this.knownAddresses.set(account, [address, ...known].slice(0, this.addressesPerAccount));
  }

  /** The account's failures, or undefined once `maxWaitMs` has passed since the last one (they are forgotten then). */
  private current(account: string, now: number) {
    const entry = this.failures.get(account);
    return entry && now - entry.lastAt < this.maxWaitMs ? entry : undefined;
  }
}

/** Makes room for one more key by dropping the oldest. */
function bounded(map: Map<string, unknown>, maxKeys: number): void {
  for (const key of map.keys()) {
    if (map.size < maxKeys) break;
    map.delete(key);
  }
}
