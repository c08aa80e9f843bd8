/** Sign-up over the API: creates the account and logs it in. */
import { Router } from 'express';
import type { WebContext } from '../context.js';
import { startUserSession } from '../session-user.js';

export function userRoutes({ accounts, rateLimits }: WebContext): Router {
  const router = Router();

  router.post('/users', rateLimits.signUp, async (req, res) => {
    const user = await accounts.signUp(req.body ?? {});
    const token = await startUserSession(req, user);
    res.status(201).json({ id: user.id, username: user.username, csrfToken: token });
  });

  return router;
}
