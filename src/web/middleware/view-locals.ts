/** What every view (the layout, error pages included) can use, lazily, so pages without forms create no session. */
import type { NextFunction, Request, Response } from 'express';
import { sessionUser } from '../session-user.js';
import { csrfToken } from './csrf.js';

export function viewLocals(req: Request, res: Response, next: NextFunction): void {
  res.locals.currentUser = () => sessionUser(req);
  res.locals.csrfToken = () => csrfToken(req);
  res.locals.currentPath = req.path;
  next();
}
