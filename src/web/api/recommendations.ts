/**
 * Recommendations over the API: the user's quick 12 and full 48 (or their state), and the quick 12 for any picks;
 * each ranked for a "familiar ↔ discover" step (the user's setting; for any picks, an optional discoveryStep).
 */
import { Router } from 'express';
import type { FullRecommendations } from '../../services/recommendations-full.js';
import type { QuickRecommendations } from '../../services/recommendations-quick.js';
import { requireUserApi } from '../middleware/auth.js';
import { sessionUser } from '../session-user.js';

export function recommendationRoutes(quick: QuickRecommendations, full: FullRecommendations): Router {
  const router = Router();

  router.get('/me/recommendations/quick', requireUserApi, async (req, res) => {
    res.json(await quick.forUser(sessionUser(req)!.id));
  });

  // No account needed: anyone may try picks (the CSRF token from GET /api/v1/session is still required).
  router.post('/recommendations/quick', (req, res) => {
    res.json(quick.forPicks(req.body ?? {}));
  });

  router.get('/me/recommendations', requireUserApi, async (req, res) => {
    res.json(await full.forUser(sessionUser(req)!.id));
  });

  return router;
}
