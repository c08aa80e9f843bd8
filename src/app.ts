/** The app factory: builds the Express app from its dependencies, without listening (src/server.ts does that). */
import { randomBytes } from 'node:crypto';
import express from 'express';
import { tmdbImageOrigin } from './posters/posters.js';
import { apiRouter } from './web/api/index.js';
import { anonymousCsrf } from './web/anonymous-csrf.js';
import type { WebContext } from './web/context.js';
import type { AppDeps } from './web/deps.js';
import { healthRouter } from './web/health.js';
import { internalRouter } from './web/internal.js';
import { formBody, jsonBody, requireJsonBody } from './web/middleware/body.js';
import { requireCsrfToken } from './web/middleware/csrf.js';
import { handleErrors, notFound } from './web/middleware/errors.js';
import { createRateLimits } from './web/middleware/rate-limits.js';
import { requestLog } from './web/middleware/request-log.js';
import { securityHeaders } from './web/middleware/security-headers.js';
import { sessions } from './web/middleware/session.js';
import { viewLocals } from './web/middleware/view-locals.js';
import { pagesRouter } from './web/pages/index.js';
import { posterRoutes } from './web/posters.js';
import { staticDir, useViews } from './web/views.js';

export type { AppDeps } from './web/deps.js';
export type { ReadinessCheck } from './web/health.js';

export function createApp(deps: AppDeps): express.Express {
  const { config, store, logger, services } = deps;
  const now = deps.now ?? Date.now;
  const production = config.NODE_ENV === 'production';
  const ctx: WebContext = { ...services, config, store, rateLimits: createRateLimits(config, store, logger, now), production };
  const imageOrigin = services.posters.usesTmdb ? tmdbImageOrigin(config) : null;

  const app = express();
  app.disable('x-powered-by');
  // Pages and answers are per visitor (CSRF tokens, picks): a hash of every body was CPU spent for nothing. Posters,
  // the one thing worth revalidating, set their own ETag.
  app.disable('etag');
  if (config.TRUST_PROXY > 0) app.set('trust proxy', config.TRUST_PROXY);
  useViews(app);

  app.use(requestLog(logger));
  app.use(securityHeaders(production, imageOrigin ? [imageOrigin] : []));
  app.use(viewLocals);
  if (config.ADMIN_USERNAMES) logger.warn('ADMIN_USERNAMES grants nothing any more: give an account admin rights with `npm run admin -- grant USERNAME`');
  app.use(healthRouter([{ name: 'store', check: () => store.ping() }, ...services.readiness], logger));
  app.use('/static', express.static(staticDir, { index: false, maxAge: production ? '1h' : 0 }));
  app.use(posterRoutes(services.catalog)); // images need no session
  app.use('/internal', internalRouter(config.TICK_TOKEN, services.tick)); // before sessions: a scheduler has none

  // Refuse a wrong content type before anything reads the session or the body.
  app.use('/api', requireJsonBody);
  const secret = deps.sessionSecret ?? config.SESSION_SECRET ?? ephemeralSecret(deps);
  app.use(sessions({ store, secret, ttlMs: config.SESSION_TTL_HOURS * 3_600_000, production, now }));
  app.use(anonymousCsrf(secret, production));
  app.use(jsonBody(), formBody);
  app.use(requireCsrfToken);

  app.use('/api/v1', apiRouter(ctx));
  app.use('/api', notFound);
  app.use(pagesRouter(ctx));
  app.use(notFound);
  app.use(handleErrors);
  return app;
}

/** Without a configured secret (development, tests), sessions are signed with one that lives as long as the process. */
function ephemeralSecret({ config, logger }: AppDeps): string {
  if (config.NODE_ENV !== 'test') logger.warn('SESSION_SECRET is not set: sessions will not survive a restart');
  return randomBytes(32).toString('base64url');
}
