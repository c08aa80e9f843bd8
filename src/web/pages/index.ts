/** The HTML pages: thin handlers over the same services as the API. */
import { Router } from 'express';
import type { WebContext } from '../context.js';
import { takeNotice } from '../session-user.js';
import { modelUnavailableAs503 } from '../api/model-unavailable.js';
import { recommenderServices } from '../api/services.js';
import { accountPages } from './accounts.js';
import { bestMoviesPages } from './best-movies.js';
import { homeRoutes } from './home.js';
import { insightsPages } from './insights.js';
import { operationsPages } from './operations.js';
import { pickerPages } from './picks.js';
import { recommendationPages } from './recommendations.js';

export function pagesRouter(ctx: WebContext): Router {
  const router = Router();
  router.use((req, res, next) => {
    // A notice left by the previous request (after a redirect) shows on the next page rendered.
    if (req.method === 'GET') res.locals.notice = takeNotice(req);
    next();
  });
  router.use(homeRoutes(ctx.deps.store));
  router.use(accountPages(ctx));
  router.use(operationsPages(ctx.operations, ctx.deps.store, ctx.deps.config.ADMIN_USERNAMES));
  if (ctx.deps.insights) router.use(insightsPages(ctx.deps.insights));
  // Later parts mount theirs here (pick movies, recommendations, best movies).
  const services = recommenderServices(ctx);
  if (services) {
    router.use(pickerPages(services));
    router.use(recommendationPages(services, ctx.posters));
    if (services.bestMovies) router.use(bestMoviesPages(services.bestMovies, ctx.posters));
    router.use(modelUnavailableAs503);
  }
  return router;
}
