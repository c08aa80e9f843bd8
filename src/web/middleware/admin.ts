/**
 * The guard of the operations page. Anonymous visitors are sent to log in, as on every page that needs an account.
 * A logged-in account that is not an admin gets 403, not 404: the page's address is no secret (anonymous visitors
 * learn it from the redirect anyway), and "not allowed" tells an operator the account lacks the role rather than
 * that the address is wrong. The role is read from the store on every request (a session's copy may be stale).
 */
import type { RequestHandler } from 'express';
import { isAdmin } from '../../operations/admin.js';
import type { Store } from '../../store/index.js';
import { HttpError } from '../http-error.js';
import { sessionUser } from '../session-user.js';
import { requireUserPage } from './auth.js';

export function requireAdminPage(store: Pick<Store, 'getUser'>): RequestHandler[] {
  const admin: RequestHandler = async (req, _res, next) => {
    const user = await store.getUser(sessionUser(req)!.id);
    if (user && isAdmin(user)) return next();
    next(new HttpError(403, 'forbidden', 'This page is for the administrators of MovieHunter.'));
  };
  return [requireUserPage, admin];
}
