/** The HTML pages: thin handlers over the same services as the API. */
import { Router } from 'express';
import type { WebContext } from '../context.js';
import { takeNotice } from '../session-user.js';
import { accountPages } from './accounts.js';
import { bestMoviesPages } from './best-movies.js';
import { homeRoutes } from './home.js';
import { insightsPages } from './insights.js';
import { moviePages } from './movie.js';
import { operationsPages } from './operations.js';
import { pickerPages } from './picks.js';
import { reactionPages } from './reactions.js';
import { recommendationPages } from './recommendations.js';
import { settingsPages } from './settings.js';

export function pagesRouter(ctx: WebContext): Router {
  const router = Router();
  router.use((req, res, next) => {
    // A notice left by the previous request (after a redirect) shows on the next page rendered.
    if (req.method === 'GET') res.locals.notice = takeNotice(req);
    next();
  });
  router.use(homeRoutes(ctx));
  router.use(accountPages(ctx));
  router.use(operationsPages(ctx.operations, ctx.store));
  router.use(insightsPages(ctx.insights));
  router.use(pickerPages(ctx));
  router.use(moviePages(ctx));
  router.use(recommendationPages(ctx, ctx.posters));
  router.use(reactionPages(ctx.reactions, ctx.posters));
  router.use(settingsPages(ctx));
  router.use(bestMoviesPages(ctx.bestMovies, ctx.posters));
  return router;
}
