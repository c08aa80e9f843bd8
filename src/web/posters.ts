/**
 * GET /posters/<movieId>.svg: the generated poster of a catalog movie. Mounted before sessions (an image needs
 * none); cached for a week by browsers and proxies, revalidated by its ETag after that.
 */
import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { Catalog } from '../catalog/catalog.js';
import { generatedPosterSvg } from '../posters/generated-poster.js';
import { HttpError } from './http-error.js';

const POSTER_FILE = /^([1-9]\d{0,9})\.svg$/;
const CACHE = 'public, max-age=604800';

export function posterRoutes(catalog: Pick<Catalog, 'get'>): Router {
  const router = Router();
  router.get('/posters/:file', (req, res, next) => {
    const match = POSTER_FILE.exec(req.params.file);
    const movie = match ? catalog.get(Number(match[1])) : undefined;
    if (!movie) return next(new HttpError(404, 'not_found', 'There is no poster at this address.'));
    const svg = generatedPosterSvg(movie);
    res.set({ 'Cache-Control': CACHE, ETag: `W/"${createHash('sha1').update(svg).digest('base64url')}"` });
    res.type('image/svg+xml').send(svg);
  });
  return router;
}
