/**
 * POST /internal/tick: one tick of the pipeline for a scheduler. Only with `Authorization: Bearer <TICK_TOKEN>`;
 * without a configured token (or a pipeline) the route does not exist. Exempt from CSRF: the token is the check.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Services } from './deps.js';
import { HttpError } from './http-error.js';

export function internalRouter(token: string | undefined, tick: Services['tick']): Router {
  const router = Router();
  router.post('/tick', async (req, res) => {
    if (!token || !tick) throw new HttpError(404, 'not_found', 'No such resource.');
    if (!bearerMatches(req.get('authorization'), token)) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new HttpError(401, 'unauthorized', 'A valid bearer token is required.');
    }
    const report = await tick();
    res.set('Cache-Control', 'no-store').json(report ?? {});
  });
  return router;
}

/** Compares digests, so the time taken says nothing about the token, not even its length. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}
