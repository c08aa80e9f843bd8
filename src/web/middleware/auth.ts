/** Guards for routes that need a logged-in user: the API answers 401, pages send the visitor to the log-in page. */
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../http-error.js';
import { isStoredSession } from '../session-store.js';
import { sessionUser, setNotice } from '../session-user.js';

export function requireUserApi(req: Request, _res: Response, next: NextFunction): void {
  if (sessionUser(req)) return next();
  next(new HttpError(401, 'unauthenticated', 'Log in first.'));
}

export function requireUserPage(req: Request, res: Response, next: NextFunction): void {
  if (sessionUser(req)) return next();
  // Only into a session that exists: a notice must not make a row for every anonymous request to a guarded page.
  if (isStoredSession(req.session)) setNotice(req, 'Log in to continue.');
  res.redirect(303, '/login');
}
