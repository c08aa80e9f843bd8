/** The logged-in user's settings: read them (GET) and change them (PUT `{discoveryStep}`, 0 most familiar to 4 most discovery). */
import { Router } from 'express';
import type { Settings } from '../../services/settings.js';
import { requireUserApi } from '../middleware/auth.js';
import { sessionUser } from '../session-user.js';

export function settingsRoutes(settings: Settings): Router {
  const router = Router();

  router.get('/me/settings', requireUserApi, async (req, res) => {
    res.json(await settings.get(sessionUser(req)!.id));
  });

  router.put('/me/settings', requireUserApi, async (req, res) => {
    res.json(await settings.save(sessionUser(req)!.id, req.body ?? {}));
  });

  return router;
}
