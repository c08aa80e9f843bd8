/** The home page: what MovieHunter does and where to start. */
import { Router } from 'express';

export function homeRoutes(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.render('home', { title: '' });
  });
  return router;
}
