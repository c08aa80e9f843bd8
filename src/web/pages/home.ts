/** The home page: what MovieHunter does and where to start; for a logged-in user, where their recommendations stand. */
import { Router } from 'express';
import type { Store, UserStatus } from '../../store/index.js';
import { sessionUser } from '../session-user.js';

export function homeRoutes(store?: Store): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const user = sessionUser(req);
    const status: UserStatus | null = user && store ? await store.getUserStatus(user.id) : null;
    res.render('home', { title: '', status });
  });
  return router;
}
