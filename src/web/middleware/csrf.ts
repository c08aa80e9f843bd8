/**
 * CSRF protection with a synchronizer token kept in the session: state-changing requests must send it back in
 * X-CSRF-Token (API) or the `_csrf` form field. The token is made in src/web/session-user.ts. /internal/* is exempt:
 * its callers are verified another way.
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
  const expected = (req.session as Request['session'] | undefined)?.csrfToken;
  if (!sent || !expected || !sameToken(sent, expected)) {
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
