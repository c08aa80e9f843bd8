/** express-session's store over our Store port, so sessions live where users do and survive a restart. */
import session from 'express-session';
import type { SessionData as StoredSession, Store } from '../store/index.js';

type Callback = (err?: unknown) => void;

export class StoreSessionStore extends session.Store {
  constructor(
    private readonly store: Store,
    /** Expiry for a session whose cookie has none. */
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  override get(sid: string, callback: (err: unknown, data?: session.SessionData | null) => void): void {
    this.store.getSession(sid, this.now()).then(
      (data) => callback(null, (data as unknown as session.SessionData | null) ?? null),
      (err: unknown) => callback(err),
    );
  }

  override set(sid: string, data: session.SessionData, callback: Callback = noop): void {
    this.store.setSession(sid, data as unknown as StoredSession, this.expiresAt(data)).then(() => callback(), callback);
  }

  override destroy(sid: string, callback: Callback = noop): void {
    this.store.destroySession(sid).then(() => callback(), callback);
  }

  /** Rolling expiry: express-session calls this on each request that did not change the session. */
  override touch(sid: string, data: session.SessionData, callback: Callback = noop): void {
    this.store.touchSession(sid, this.expiresAt(data)).then(() => callback(), callback);
  }

  private expiresAt(data: session.SessionData): number {
    const expires = data.cookie?.expires;
    const at = expires ? new Date(expires).getTime() : NaN;
    return Number.isFinite(at) ? Math.max(0, Math.round(at)) : this.now() + this.ttlMs;
  }
}

function noop(): void {}
