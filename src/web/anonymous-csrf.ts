/**
 * CSRF tokens for visitors without a session, kept nowhere: a random value in a cookie (`mh.csrf`) and, in the form
 * or the X-CSRF-Token header, its HMAC under the app's secret. Another site can neither read the cookie nor make the
 * HMAC, so a forged log-in or sign-up fails, and an anonymous page view stores nothing (no session row). Once someone
 * logs in, the token kept in their session is the only one accepted (src/web/middleware/csrf.ts).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const ANONYMOUS_CSRF_COOKIE = 'mh.csrf';
const COOKIE_VALUE = /^[A-Za-z0-9_-]{22}$/;

export interface AnonymousCsrf {
  /** The token for this visitor, setting the cookie when there is none yet. */
  token(): string;
  /** True when `sent` is the token for the cookie this request carries. */
  matches(sent: string): boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    anonymousCsrf?: AnonymousCsrf;
  }
}

export function anonymousCsrf(secret: string, production: boolean) {
  // A key of its own, so a token is never a signature the session cookie would accept.
  const key = createHmac('sha256', secret).update('anonymous csrf tokens').digest();
  const sign = (value: string) => createHmac('sha256', key).update(value).digest('base64url');

  return (req: Request, res: Response, next: NextFunction): void => {
    let value = cookieValue(req.headers.cookie);
    // Signed once per request: a page may have a form per movie.
    let signed: string | null = null;
    req.anonymousCsrf = {
      token() {
        if (value === null) {
          value = randomBytes(16).toString('base64url');
          // Like the session cookie: in production none over plain http (a browser would drop it anyway).
          if (!production || req.secure) res.cookie(ANONYMOUS_CSRF_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: production, path: '/' });
        }
        return (signed ??= sign(value));
      },
      matches(sent) {
        if (value === null) return false;
        const expected = Buffer.from(sign(value));
        const given = Buffer.from(sent);
        return given.length === expected.length && timingSafeEqual(given, expected);
      },
    };
    next();
  };
}

function cookieValue(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    const value = rest.join('=');
    if (name === ANONYMOUS_CSRF_COOKIE && COOKIE_VALUE.test(value)) return value;
  }
  return null;
}
