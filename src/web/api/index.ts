/** JSON API v1 (DESIGN.md): thin handlers over the services; errors become `{"error": …}` in the error middleware. */
import { Router } from 'express';
import type { WebContext } from '../context.js';
import { bestMovieRoutes } from './best-movies.js';
import { modelUnavailableAs503 } from './model-unavailable.js';
import { movieRoutes } from './movies.js';
import { pickRoutes } from './picks.js';
import { recommendationRoutes } from './recommendations.js';
import { recommenderServices } from './services.js';
import { sessionRoutes } from './session.js';
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
  // Later parts mount theirs here when their service is in ctx.deps (movies, picks, recommendations, best movies).
  const services = recommenderServices(ctx);
  if (services) {
    router.use(movieRoutes(services.movies));
    router.use(pickRoutes(services.picks));
    router.use(recommendationRoutes(services.quick, services.full));
    if (services.bestMovies) router.use(bestMovieRoutes(services.bestMovies));
    router.use(modelUnavailableAs503);
  }
  return router;
}
