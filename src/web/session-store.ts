/** express-session's store over our Store port, so sessions live where users do and survive a restart. */
import session from 'express-session';
import type { SessionData as StoredSession, Store } from '../store/index.js';

type Callback = (err?: unknown) => void;

/**
 * A session's expiry moves only after this fraction of its lifetime has passed since this process last wrote it: a
 * session may end up to 5% early (never late), and a week-long one is written about once in 8 hours of use, not on
 * every request (session writes were most of Firestore's writes, docs/scaling.md).
 */
export const TOUCH_FRACTION = 1 / 20;
/** Sessions whose last touch is remembered; past this the memory starts over (a few extra writes, nothing lost). */
const TOUCHES_REMEMBERED = 50_000;

export class StoreSessionStore extends session.Store {
  constructor(
    private readonly store: Store,
    /** Expiry for a session whose cookie has none. */
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  /** When this process last moved each session's expiry. */
  private readonly lastTouch = new Map<string, number>();

  override get(sid: string, callback: (err: unknown, data?: session.SessionData | null) => void): void {
    this.store.getSession(sid, this.now()).then(
      (data) => callback(null, (data as unknown as session.SessionData | null) ?? null),
      (err: unknown) => callback(err),
    );
  }

  override set(sid: string, data: session.SessionData, callback: Callback = noop): void {
    this.remember(sid);
    this.store.setSession(sid, data as unknown as StoredSession, this.expiresAt(data)).then(() => callback(), callback);
  }

  override destroy(sid: string, callback: Callback = noop): void {
    this.lastTouch.delete(sid);
    this.store.destroySession(sid).then(() => callback(), callback);
  }

  /** Rolling expiry: express-session calls this on each request that did not change the session. */
  override touch(sid: string, data: session.SessionData, callback: Callback = noop): void {
    const last = this.lastTouch.get(sid);
    if (last !== undefined && this.now() - last < this.ttlMs * TOUCH_FRACTION) {
      callback();
      return;
    }
    this.remember(sid);
    this.store.touchSession(sid, this.expiresAt(data)).then(() => callback(), callback);
  }

  private remember(sid: string): void {
    if (this.lastTouch.size >= TOUCHES_REMEMBERED) this.lastTouch.clear();
    this.lastTouch.set(sid, this.now());
  }

  private expiresAt(data: session.SessionData): number {
    const expires = data.cookie?.expires;
    const at = expires ? new Date(expires).getTime() : NaN;
    return Number.isFinite(at) ? Math.max(0, Math.round(at)) : this.now() + this.ttlMs;
  }
}

function noop(): void {}
