/** The best movies page (public): 48 best and 15 to skip, with a genre filter that works without JavaScript. */
import { Router } from 'express';
import type { Posters } from '../../posters/posters.js';
import type { BestMoviesService, BestMoviesView } from '../../services/best-movies.js';
import { ValidationError } from '../../services/errors.js';
import { providePosters } from './poster-urls.js';

export function bestMoviesPages(bestMovies: BestMoviesService, posters: Posters): Router {
  const router = Router();

  router.get('/best-movies', async (req, res) => {
    let view: BestMoviesView;
    let error: string | null = null;
    try {
      view = bestMovies.list({ genre: req.query.genre });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // An unknown genre: the overall lists, with the problem next to the filter.
      res.status(400);
      error = err.issues?.[0]?.message ?? err.message;
      view = bestMovies.list({});
    }
    await providePosters(res, posters, [...view.best, ...view.worst].map((item) => item.movie.id));
    res.render('best-movies', { title: 'Best movies', error, ...view });
  });

  return router;
}
