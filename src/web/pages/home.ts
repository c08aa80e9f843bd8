/**
 * The home page. A visitor: what MovieHunter does, a wall of the best movies' posters and where to start. A user: their
 * recommendations first once there are some (the 48 when ready, else the quick 12), and a main button that follows
 * where they stand.
 */
import { Router } from 'express';
import type { MovieCard } from '../../services/movies.js';
import { ConflictError, ModelUnavailableError } from '../../services/errors.js';
import type { UserState } from '../../store/index.js';
import type { WebContext } from '../context.js';
import { sessionUser } from '../session-user.js';
import { providePosters } from './poster-urls.js';

/** Posters on the wall: three rows on a wide screen (the phone shows fewer, see app.css). */
const WALL_SIZE = 24;
/** Recommendations shown on the home page; the rest are one click away. */
const HOME_RECOMMENDATIONS = 12;

interface HomeRecommendations {
  /** Which list these are from: the full 48 or the quick 12. */
  readonly kind: 'full' | 'quick';
  readonly total: number;
  readonly items: { movie: MovieCard; because: MovieCard }[];
}

export function homeRoutes({ store, quick, full, bestMovies, posters }: WebContext): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const user = sessionUser(req);
    const status = user ? await store.getUserStatus(user.id) : null;
    const state: UserState = status?.state ?? 'none';
    let recommendations: HomeRecommendations | null = null;
    if (user && state === 'ready') {
      const view = await full.forUser(user.id);
      if (view.state === 'ready' && view.items && view.items.length > 0) {
        recommendations = { kind: 'full', total: view.items.length, items: view.items.slice(0, HOME_RECOMMENDATIONS) };
      }
    }
    if (user && state !== 'none' && recommendations === null) recommendations = await quickFor(user.id);
    const wall = recommendations === null ? bestMovies.list({}).best.slice(0, WALL_SIZE).map((item) => item.movie) : [];
    await providePosters(res, posters, [...wall.map((m) => m.id), ...(recommendations?.items.map((i) => i.movie.id) ?? [])]);
    res.render('home', { title: '', state, recommendations, wall });
  });

  /** The stored (or freshly computed) quick 12; none when the picks are gone or no model is loaded yet. */
  async function quickFor(userId: string): Promise<HomeRecommendations | null> {
    try {
      const { items } = await quick.forUser(userId);
      return items.length === 0 ? null : { kind: 'quick', total: items.length, items };
    } catch (err) {
      if (err instanceof ConflictError || err instanceof ModelUnavailableError) return null;
      throw err;
    }
  }

  return router;
}
