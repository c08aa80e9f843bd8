/**
 * CSRF protection: state-changing requests must send a token back in X-CSRF-Token (API) or the `_csrf` form field. A
 * logged-in user's is kept in the session; a visitor without one sends the stateless token bound to their cookie
 * (src/web/anonymous-csrf.ts). Tokens are handed out in src/web/session-user.ts. /internal/* is exempt: its callers
 * are verified another way.
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../http-error.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requireCsrfToken(req: Request, _res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method) || req.path.startsWith('/internal/')) return next();
  const body: unknown = req.body;
  const fromForm = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)._csrf : undefined;
  const sent = req.get('x-csrf-token') ?? (typeof fromForm === 'string' ? fromForm : undefined);
  const session = req.session as Request['session'] | undefined;
  const expected = session?.csrfToken;
  const ok = sent !== undefined && (expected ? sameToken(sent, expected) : !session?.userId && req.anonymousCsrf?.matches(sent) === true);
  if (!ok) {
    return next(
      new HttpError(403, 'csrf_failed', 'This form has expired or did not come from this site. Reload the page and try again.'),
    );
  }
  next();
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
