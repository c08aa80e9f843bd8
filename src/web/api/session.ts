/** The session resource: who is logged in and the CSRF token (GET), log in (POST), log out (DELETE). */
import { Router } from 'express';
import type { WebContext } from '../context.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../middleware/session.js';
import { csrfToken, destroySession, sessionUser, startUserSession } from '../session-user.js';

export function sessionRoutes({ accounts, rateLimits, production }: WebContext): Router {
  const router = Router();

  router.get('/session', (req, res) => {
    res.json({ user: sessionUser(req), csrfToken: csrfToken(req) });
  });

  router.post('/session', ...rateLimits.logIn, async (req, res) => {
    const user = await accounts.logIn(req.body ?? {});
    // The new session has a new token: the client must use this one from now on.
    const token = await startUserSession(req, user);
    res.json({ id: user.id, username: user.username, csrfToken: token });
  });

  router.delete('/session', async (req, res) => {
    await destroySession(req);
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(production));
    res.status(204).end();
  });

  return router;
}
