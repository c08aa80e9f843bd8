/** What every view (the layout, error pages included) can use, lazily, so pages without forms create no session. */
import type { NextFunction, Request, Response } from 'express';
import { isAdmin } from '../../operations/admin.js';
import { csrfToken, sessionRole, sessionUser } from '../session-user.js';

/** `isAdmin` only decides whether the operations link shows (from the session's role); the page itself checks the store. */
export function viewLocals(req: Request, res: Response, next: NextFunction): void {
  res.locals.currentUser = () => sessionUser(req);
  res.locals.csrfToken = () => csrfToken(req);
  res.locals.isAdmin = () => sessionUser(req) !== null && isAdmin({ role: sessionRole(req) });
  res.locals.currentPath = req.path;
  next();
}
