/** The HTML pages: thin handlers over the same services as the API. */
import { Router } from 'express';
import type { WebContext } from '../context.js';
import { takeNotice } from '../session-user.js';
import { accountPages } from './accounts.js';
import { homeRoutes } from './home.js';

export function pagesRouter(ctx: WebContext): Router {
  const router = Router();
  router.use((req, res, next) => {
    // A notice left by the previous request (after a redirect) shows on the next page rendered.
    if (req.method === 'GET') res.locals.notice = takeNotice(req);
    next();
  });
  router.use(homeRoutes());
  router.use(accountPages(ctx));
  // Later parts mount theirs here (pick movies, recommendations, best movies).
  return router;
}
