/** The logged-in user's picks: read them (GET) and replace them (PUT), which also computes the quick 12. */
import { Router } from 'express';
import type { Picks } from '../../services/picks.js';
import { requireUserApi } from '../middleware/auth.js';
import { sessionUser } from '../session-user.js';

export function pickRoutes(picks: Picks): Router {
  const router = Router();

  router.get('/me/picks', requireUserApi, async (req, res) => {
    res.json(await picks.get(sessionUser(req)!.id));
  });

  router.put('/me/picks', requireUserApi, async (req, res) => {
    const { movieIds, state } = await picks.save(sessionUser(req)!.id, req.body ?? {});
    res.json({ movieIds, state });
  });

  return router;
}
