/** Gives the movie-card partial each card's poster URL (`posterUrl(id)`), looked up once for the whole page. */
import type { Response } from 'express';
import type { Posters } from '../../posters/posters.js';

export async function providePosters(res: Response, posters: Posters, movieIds: readonly number[]): Promise<void> {
  res.locals.posterUrl = await posters.urlsFor(movieIds);
}
