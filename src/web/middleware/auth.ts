/** Guards for routes that need a logged-in user: the API answers 401, pages send the visitor to the log-in page. */
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../http-error.js';
import { logInPath } from '../local-path.js';
import { sessionUser } from '../session-user.js';

export function requireUserApi(req: Request, _res: Response, next: NextFunction): void {
  if (sessionUser(req)) return next();
  next(new HttpError(401, 'unauthenticated', 'Log in first.'));
}

/** To the log-in page, which comes back here afterwards (a page asked for with GET; a form post cannot be replayed). */
export function requireUserPage(req: Request, res: Response, next: NextFunction): void {
  if (sessionUser(req)) return next();
  res.redirect(303, logInPath(req.method === 'GET' ? req.originalUrl : '/'));
}
