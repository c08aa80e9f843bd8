/** The best movies page (public): 48 best and 15 to skip, with a genre filter that works without JavaScript. */
import { Router } from 'express';
import type { BestMoviesService } from '../../services/best-movies.js';
import { ValidationError } from '../../services/errors.js';

export function bestMoviesPages(bestMovies: BestMoviesService): Router {
  const router = Router();

  router.get('/best-movies', (req, res) => {
    try {
      res.render('best-movies', { title: 'Best movies', error: null, ...bestMovies.list({ genre: req.query.genre }) });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // An unknown genre: the overall lists, with the problem next to the filter.
      res.status(400);
      const error = err.issues?.[0]?.message ?? err.message;
      res.render('best-movies', { title: 'Best movies', error, ...bestMovies.list({}) });
    }
  });

  return router;
}
