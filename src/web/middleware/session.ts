/** Cookie sessions (express-session) kept in our Store: HttpOnly, SameSite=Lax, Secure in production, rolling expiry. */
import session from 'express-session';
import type { Store } from '../../store/index.js';
import { StoreSessionStore } from '../session-store.js';

export const SESSION_COOKIE = 'mh.sid';

export interface SessionOptions {
  store: Store;
  secret: string;
  ttlMs: number;
  production: boolean;
  now?: () => number;
}

export function sessions({ store, secret, ttlMs, production, now }: SessionOptions) {
  return session({
    name: SESSION_COOKIE,
    secret,
    store: new StoreSessionStore(store, ttlMs, now),
    resave: false,
    // No session (and no store write) until something is kept in it: a log-in, a draft; anonymous CSRF tokens are stateless.
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: production, maxAge: ttlMs, path: '/' },
  });
}

/** The cookie's attributes, for clearing it with the same ones it was set with. */
export function sessionCookieOptions(production: boolean) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: production, path: '/' };
}
