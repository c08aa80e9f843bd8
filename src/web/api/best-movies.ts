/** Best movies over the API: the 48 best (and 15 worst), overall or in one genre, plus the genres to choose from. */
import { Router } from 'express';
import type { BestMoviesService } from '../../services/best-movies.js';

export function bestMovieRoutes(bestMovies: BestMoviesService): Router {
  const router = Router();

  router.get('/best-movies', (req, res) => {
    const { genre, genres, best, worst } = bestMovies.list({ genre: req.query.genre });
    res.json({ genre, items: best, worst, genres });
  });

  return router;
}
