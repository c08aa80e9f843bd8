/** Movies over the API: title search for the picker and one movie by id. */
import { Router } from 'express';
import type { Movies } from '../../services/movies.js';

export function movieRoutes(movies: Movies): Router {
  const router = Router();

  router.get('/movies', (req, res) => {
    res.json({ items: movies.search({ q: req.query.q, limit: req.query.limit }) });
  });

  router.get('/movies/:id', (req, res) => {
    res.json(movies.get(req.params.id));
  });

  return router;
}
