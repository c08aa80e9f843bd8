/** Movies over the API: title search for the picker and one movie with its page's details. */
import { Router } from 'express';
import type { MoviePages } from '../../services/movie-page.js';
import type { Movies } from '../../services/movies.js';
import { sessionUser } from '../session-user.js';

export function movieRoutes(movies: Movies, moviePages: MoviePages): Router {
  const router = Router();

  router.get('/movies', (req, res) => {
    res.json({ items: movies.search({ q: req.query.q, limit: req.query.limit }) });
  });

  // The card's fields at the top level, then tags, ratings, "more like this" and (signed in) why it is recommended.
  router.get('/movies/:id', async (req, res) => {
    const { movie, moreLikeThis, discoveryStep, recommendedBecause } = await moviePages.page(req.params.id, sessionUser(req)?.id ?? null);
    res.json({ ...movie, moreLikeThis, discoveryStep, recommendedBecause });
  });

  return router;
}
