/** JSON API v1 (docs/architecture.md, README "JSON API"): thin handlers over the services; errors become `{"error": …}` in the error middleware. */
import { Router } from 'express';
import type { WebContext } from '../context.js';
import { bestMovieRoutes } from './best-movies.js';
import { movieRoutes } from './movies.js';
import { pickRoutes } from './picks.js';
import { reactionRoutes } from './reactions.js';
import { recommendationRoutes } from './recommendations.js';
import { sessionRoutes } from './session.js';
import { settingsRoutes } from './settings.js';
import { userRoutes } from './users.js';

export function apiRouter(ctx: WebContext): Router {
  const router = Router();
  // Answers carry session state and tokens: no cache may keep them.
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(sessionRoutes(ctx));
  router.use(userRoutes(ctx));
  router.use(movieRoutes(ctx.movies, ctx.moviePages));
  router.use(pickRoutes(ctx.picks));
  router.use(recommendationRoutes(ctx.quick, ctx.full));
  router.use(reactionRoutes(ctx.reactions));
  router.use(settingsRoutes(ctx.settings));
  router.use(bestMovieRoutes(ctx.bestMovies));
  return router;
}
