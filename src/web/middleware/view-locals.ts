/** What every view (the layout, error pages included) can use, lazily, so pages without forms create no session. */
import type { NextFunction, Request, Response } from 'express';
import { isAdmin } from '../../operations/admin.js';
import { csrfToken, sessionRole, sessionUser } from '../session-user.js';

/** `adminUsernames`: ADMIN_USERNAMES, for showing the operations link (the page itself checks the store). */
export function viewLocals(adminUsernames: readonly string[] = []) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.locals.currentUser = () => sessionUser(req);
    res.locals.csrfToken = () => csrfToken(req);
    res.locals.isAdmin = () => {
      const user = sessionUser(req);
      return user !== null && isAdmin({ username: user.username, role: sessionRole(req) }, adminUsernames);
    };
    res.locals.currentPath = req.path;
    next();
  };
}
